"""The approval digest: binds 终审 to the exact text that was approved.

``sha256:`` + hex SHA-256 of the UTF-8 bytes of::

    canonical_json(metadata without the sign-off fields) + "\\n---\\n" + normalised body

* metadata: every front matter field except ``review``, ``proofread``, ``secrecy``,
  ``status``, ``withdrawal`` and ``waivers``, with every string normalised like the
  body; values as YAML parsed them (dates stay text as written);
* canonical JSON: keys sorted, no whitespace (separators ``,`` and ``:``), non-ASCII
  characters kept as they are (``ensure_ascii=False``);
* normalised body: Unicode NFC, LF line ends, trailing spaces removed from every
  line, leading and trailing blank lines removed.

A harmless re-save (CRLF, trailing spaces, NFD) keeps the digest; any other change
to the text or metadata needs a new final approval.
"""
from __future__ import annotations

import hashlib
import json

from .text import normalise_text

EXCLUDED = frozenset({"review", "proofread", "secrecy", "status", "withdrawal", "waivers"})


def _normalise(value):
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def document_digest(meta: dict, body: str) -> str:
    fields = {str(k): _normalise(v) for k, v in meta.items() if k not in EXCLUDED}
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    payload = canonical + "\n---\n" + normalise_text(body)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
