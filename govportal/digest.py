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
    return digest_of_normalised(meta_fields(meta), normalised_body(body))


def meta_fields(meta: dict) -> list[str]:
    """The :func:`field_json` of every field the digest covers, in key order."""
    fields = {str(k): v for k, v in meta.items() if k not in EXCLUDED}
    return [field_json(k, fields[k]) for k in sorted(fields)]


def field_json(key: str, value) -> str:
    """One field of the canonical JSON, ``"key":value`` (the ledger keeps them to reuse for the
    fields a later version did not change)."""
    return _JSON.encode(key) + ":" + _JSON.encode(_normalise(value))


# canonical JSON (one encoder: json.dumps with options makes a new one on every call)
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def normalised_body(body: str) -> bytes:
    """The body as the digest hashes it: normalised, in UTF-8."""
    return normalise_text(body).encode("utf-8")


def digest_of_normalised(fields: list[str], body: bytes) -> str:
    """The digest from the fields' :func:`field_json` in key order and the :func:`normalised_body`:
    what ``json.dumps(sort_keys=True)`` of the fields would give, joined without re-encoding them
    (the ledger reuses the JSON of fields and the body a version did not change)."""
    digest = hashlib.sha256(("{" + ",".join(fields) + "}\n---\n").encode("utf-8"))
    digest.update(body)
    return "sha256:" + digest.hexdigest()
