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


def common_start(a: bytes, b: bytes, size: int) -> int:
    """How many bytes ``a`` and ``b`` have in common at the start, at most ``size`` (no more than the
    shorter's length): a binary search, memcmp without copies."""
    view, low, high = memoryview(b), 0, size
    while low < high:
        middle = (low + high + 1) >> 1
        if a.startswith(view[:middle]):
            low = middle
        else:
            high = middle - 1
    return low


def common_end(a: bytes, b: bytes, size: int) -> int:
    """How many bytes ``a`` and ``b`` have in common at the end, at most ``size`` (as :func:`common_start`)."""
    view, low, high, total = memoryview(b), 0, size, len(b)
    while low < high:
        middle = (low + high + 1) >> 1
        if a.endswith(view[total - middle:]):
            low = middle
        else:
            high = middle - 1
    return low
