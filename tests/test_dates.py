"""Dates as editors write them: the standard form is read, a loose one is refused with the form to write."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from govportal import dates

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def loose_forms(day: dt.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [f"{y}-{m}-{d}", f"{y}/{m:02d}/{d:02d}", f"{y}.{m}.{d}", f"{y}年{m}月{d}日",
            day.isoformat().translate(FULLWIDTH)]


@given(st.dates(min_value=dt.date(1949, 10, 1), max_value=dt.date(2100, 12, 31)))
def test_the_standard_form_is_read_and_loose_forms_are_refused_naming_it(day):
    assert dates.parse_date(day.isoformat()) == day
    for text in loose_forms(day):
        if text == day.isoformat():  # 2024-10-15 written with / or . and two digits still differs; this one does not
            continue
        assert dates.standard_form(text) == day.isoformat()
        with pytest.raises(dates.DateProblem, match=f"应写成 {day.isoformat()}$"):
            dates.parse_date(text)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_a_time_needs_two_digit_hours(when):
    standard = f"{when:%Y-%m-%d %H:%M}"
    assert dates.parse_datetime(standard) == when.replace(second=0, microsecond=0)
    loose = f"{when.year}-{when.month}-{when.day} {when.hour}:{when:%M}"
    if loose != standard:
        with pytest.raises(dates.DateProblem, match=f"应写成 {standard}$"):
            dates.parse_datetime(loose)


@pytest.mark.parametrize("text", ["昨天", "2024-02-30", "2024-13-01", "24-03-05"])
def test_what_is_no_date_gets_no_suggestion(text):
    with pytest.raises(dates.DateProblem) as caught:
        dates.parse_date(text)
    assert "应写成" not in str(caught.value)
