"""Dates and times as editors write them: ``2024-03-05`` or ``2024-03-05 09:30``."""
from __future__ import annotations

import argparse
import datetime as dt
import re

# ASCII digits, two for the month, the day, the hour (\\d would take full-width ones, and the data stays ISO as written)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_DATETIME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?\Z")
# what editors write instead: 2024-3-5, 2024/3/5, 2024.3.5, 2024年3月5日, full-width digits, 9:30, 9：30
_LOOSE = re.compile(r"^(\d{4})\s*[-－/.／．年]\s*(\d{1,2})\s*[-－/.／．月]\s*(\d{1,2})\s*日?"
                    r"(?:(?:\s+|T)(\d{1,2})\s*[:：]\s*(\d{2}))?$")


class DateProblem(ValueError):
    """A date that does not parse; ``str()`` is a Chinese message for the editor."""


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise DateProblem(f"“{text}”不是 YYYY-MM-DD 格式的日期{_should_be(text, with_time=False)}")
    return _make_date(text, *map(int, m.groups()))


def standard_form(text: str, with_time: bool = True) -> str | None:
    """A date (and time) written loosely, in the standard form: ``2024年3月5日`` → ``2024-03-05``,
    ``２０２４-3-5 9:30`` → ``2024-03-05 09:30``; None when ``text`` is not one (a time is dropped
    when ``with_time`` is false)."""
    m = _LOOSE.match(str(text).strip())
    if not m:
        return None
    y, mo, d, h, mi = (int(n) if n else None for n in m.groups())  # int() reads full-width digits too
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    return f"{day} {h:02d}:{mi:02d}" if h is not None and with_time else day


def _should_be(text: str, with_time: bool) -> str:
    fixed = standard_form(text, with_time)
    return f"，应写成 {fixed}" if fixed and fixed != text else ""


def parse_datetime(value) -> dt.datetime:
    """A date with optional time (minutes); a bare date means 00:00."""
    if isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    m = _DATETIME.match(text)
    if m:
        y, mo, d, h, mi, s = m.groups()
        day = _make_date(text, int(y), int(mo), int(d))
        if not (0 <= int(h) <= 23 and 0 <= int(mi) <= 59 and 0 <= int(s or 0) <= 59):
            raise DateProblem(f"“{text}”中的时间不存在")
        return dt.datetime(day.year, day.month, day.day, int(h), int(mi), int(s or 0))
    if _DATE.match(text):
        day = parse_date(text)
        return dt.datetime(day.year, day.month, day.day)
    raise DateProblem(f"“{text}”不是 YYYY-MM-DD 或 YYYY-MM-DD HH:MM 格式{_should_be(text, with_time=True)}")


def parse_now(value) -> dt.datetime:
    """The time a build or a check runs as (``--now``): ISO 8601, with or without seconds or an offset
    such as ``+08:00``; naive Beijing time like every other time here."""
    if isinstance(value, dt.datetime):
        when = value
    else:
        text = str(value).strip()
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise DateProblem(f"“{text}”不是 ISO 格式的时间（例如 2025-03-01T09:00 或 2025-03-01T09:00+08:00）") from None
    if when.tzinfo is not None:
        when = when.astimezone(_BEIJING).replace(tzinfo=None)
    return when


_BEIJING = dt.timezone(dt.timedelta(hours=8))


def now_argument(text: str) -> str:
    """``--now`` on a command line: checked, and given back as naive Beijing ISO time."""
    try:
        return parse_now(text).isoformat()
    except DateProblem as exc:
        raise argparse.ArgumentTypeError(f"时间{exc}") from None


def _make_date(text: str, y: int, m: int, d: int) -> dt.date:
    if not 1 <= m <= 12:
        raise DateProblem(f"“{text}”不是真实存在的日期（没有{m}月）")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise DateProblem(f"“{text}”不是真实存在的日期（{y}年{m}月没有{d}日）") from None


def chinese_date(day: dt.date) -> str:
    """2024年3月5日: the form shown on pages."""
    return f"{day.year}年{day.month}月{day.day}日"
