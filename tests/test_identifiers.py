"""发文字号 and 索引号: every common spelling normalises to the canonical form."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govportal.identifiers import check_doc_no, normalise_doc_no, parse_index_no, suggest_index_no

PREFIXES = st.sampled_from(["国办发", "国发", "示政发", "示政办发", "示发改发", "京政发"])
YEARS = st.integers(1990, 2035)
NUMBERS = st.integers(1, 999)
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def doc_no_spellings(draw):
    prefix, year, num = draw(PREFIXES), draw(YEARS), draw(NUMBERS)
    brackets = draw(st.sampled_from(["〔〕", "[]", "【】", "()", "（）", "［］", "年"]))
    year_text = f"{year}年" if brackets == "年" else f"{brackets[0]}{year}{brackets[1]}"
    num_text = draw(st.sampled_from([str(num), f"{num:03d}", f"第{num}"]))
    text = f"{prefix}{year_text}{num_text}号"
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return text, f"{prefix}〔{year}〕{num}号"


@given(doc_no_spellings())
def test_any_common_spelling_normalises(case):
    text, canonical = case
    assert normalise_doc_no(text) == canonical
    ok, suggestion = check_doc_no(text)
    assert ok == (text == canonical)
    assert suggestion == (None if ok else canonical)


@given(PREFIXES, YEARS, NUMBERS)
def test_canonical_is_accepted_and_stable(prefix, year, num):
    canonical = f"{prefix}〔{year}〕{num}号"
    assert check_doc_no(canonical) == (True, None)
    assert normalise_doc_no(canonical) == canonical


def test_order_numbers():
    assert check_doc_no("国务院令第656号") == (True, None)
    assert normalise_doc_no("国务院令656号") == "国务院令第656号"


@given(st.text(max_size=30))
def test_normalise_never_crashes(text):
    result = normalise_doc_no(text)
    assert result is None or check_doc_no(result) == (True, None)


def test_examples_from_the_norm():
    assert check_doc_no("国办发[2017]47号") == (False, "国办发〔2017〕47号")
    assert check_doc_no("国办发〔2017〕第47号") == (False, "国办发〔2017〕47号")
    assert check_doc_no("国办发〔2017〕047号") == (False, "国办发〔2017〕47号")
    assert check_doc_no("示政发〔24〕3号") == (False, None)


@given(st.from_regex(r"[0-9A-Z]{9}|[0-9A-Z]{18}", fullmatch=True), st.integers(1990, 2035), st.integers(1, 99999))
def test_index_no_round_trip(org, year, serial):
    text = f"{org}/{year}-{serial:05d}"
    ino = parse_index_no(text)
    assert ino is not None and ino.slug == f"{org.lower()}-{year}-{serial:05d}" and ino.slug.isascii()
    assert suggest_index_no(f"{org.lower()}/{year}-{serial}") == text


def test_bad_index_no():
    assert parse_index_no("000014349/2018-222") is None
    assert parse_index_no("中文/2018-00222") is None
