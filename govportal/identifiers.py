"""发文字号 (doc_no) and 索引号 (index_no): validation, normalisation, suggested fixes.

GB/T 9704-2012 §7.2.5: 发文机关代字 + 年份 in 六角括号 + 序号 + 号, with the full
year, no 第 and no leading zero: ``国办发〔2017〕47号``. Orders are numbered
``国务院令第656号``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .text import halfwidth_digits

CANONICAL_DOC_NO = re.compile(r"^(?P<prefix>[\u3400-\u9fffA-Za-z]+)〔(?P<year>(?:19|20)\d{2})〕(?P<num>[1-9]\d*)号$")
ORDER_DOC_NO = re.compile(r"^(?P<prefix>[\u3400-\u9fff]+令)第(?P<num>[1-9]\d*)号$")
# Every common way people spell a 文号: brackets of any kind or none, 年 after the
# year, a stray 第, leading zeros, full-width digits, spaces.
_LOOSE_DOC_NO = re.compile(
    r"^(?P<prefix>[\u3400-\u9fffA-Za-z]+?)\s*"
    r"(?:[〔\[【（(［〖{]\s*(?P<y1>\d{4})\s*年?\s*[〕\]】）)］〗}]|(?P<y2>\d{4})\s*年?)\s*"
    r"第?\s*(?P<num>\d+)\s*号?$"
)
_LOOSE_ORDER = re.compile(r"^(?P<prefix>[\u3400-\u9fff]+令)\s*第?\s*(?P<num>\d+)\s*号?$")


def normalise_doc_no(text: str) -> str | None:
    """The canonical spelling of a 文号 written in any common way, or None."""
    s = halfwidth_digits(unicodedata.normalize("NFKC", text.strip())) if text else ""
    s = re.sub(r"\s+", "", s)
    # NFKC turns 〔〕 into themselves but （） into (); keep 〔〕 out of NFKC's way.
    m = _LOOSE_DOC_NO.match(s)
    if m:
        year = m.group("y1") or m.group("y2")
        if not re.match(r"^(?:19|20)\d{2}$", year):
            return None
        return f"{m.group('prefix')}〔{year}〕{int(m.group('num'))}号"
    m = _LOOSE_ORDER.match(s)
    if m and int(m.group("num")) > 0:
        return f"{m.group('prefix')}第{int(m.group('num'))}号"
    return None


def check_doc_no(text: str) -> tuple[bool, str | None]:
    """(is canonical, suggestion). A suggestion is given when the 文号 can be fixed."""
    if not isinstance(text, str):
        return False, None
    if CANONICAL_DOC_NO.match(text) or ORDER_DOC_NO.match(text):
        return True, None
    return False, normalise_doc_no(text)


INDEX_NO = re.compile(r"^(?P<org>[0-9A-Z]{6,18}(?:-[0-9A-Z]{1,10})?)/(?P<year>(?:19|20)\d{2})-(?P<serial>\d{5})$")


@dataclass(frozen=True)
class IndexNo:
    org: str
    year: int
    serial: int

    @property
    def slug(self) -> str:
        """ASCII, lower-case, URL-safe form used in page addresses."""
        return f"{self.org.lower()}-{self.year}-{self.serial:05d}"


def parse_index_no(text) -> IndexNo | None:
    if not isinstance(text, str):
        return None
    m = INDEX_NO.match(text)
    if not m:
        return None
    return IndexNo(m.group("org"), int(m.group("year")), int(m.group("serial")))


def suggest_index_no(text: str) -> str | None:
    """Fix the usual slips: full-width characters, lower case, short serial, a ／ or － ."""
    s = unicodedata.normalize("NFKC", str(text)).strip().upper().replace(" ", "")
    m = re.match(r"^([0-9A-Z]{6,18}(?:-[0-9A-Z]{1,10})?)/((?:19|20)\d{2})-?(\d{1,5})$", s)
    if not m:
        return None
    return f"{m.group(1)}/{m.group(2)}-{int(m.group(3)):05d}"
