"""Text normalisation shared by the reader, the digest and the search index."""
from __future__ import annotations

import unicodedata

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_text(text: str) -> str:
    """NFC, LF line ends, no trailing spaces on any line, no blank lines at the start or the end."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(map(str.rstrip, text.split("\n"))).strip("\n")  # map: no Python frame per line


def halfwidth_digits(text: str) -> str:
    return text.translate(FULLWIDTH_DIGITS)


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
