"""Text normalisation shared by the reader, the digest and the search index."""
from __future__ import annotations

import unicodedata

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_text(text: str) -> str:
    """NFC, LF line ends, no trailing spaces on any line, one final newline at most."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def halfwidth_digits(text: str) -> str:
    return text.translate(FULLWIDTH_DIGITS)


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
