"""Two-digit-year dates and their century windows, scalar and vectorised.

Travel formats write years with two digits and no century: PAXLST and MRZ as ``YYMMDD``,
PNRGOV as ``DDMMYY``, SSR DOCS as ``DDMMMYY``. Two windows resolve the century:

* ``"past"`` (dates of birth): the latest century that does not put the date after the
  reference date. ``780706`` is 1978-07-06; ``000520`` is 2000-05-20.
* ``"around"`` (expiry dates, flight times, issue dates): the century that puts the year in
  ``[reference.year - 50, reference.year + 49]``. With a 2026 reference, ``610218`` is
  2061-02-18 and ``940623`` is 1994-06-23.

The scalar functions raise ``ValueError`` on an impossible date (callers turn that into an
issue row and a null); the polars expressions return null instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import polars as pl

__all__ = [
    "MONTHS",
    "Window",
    "parse_ddmmmyy",
    "parse_ddmmyy",
    "parse_yymmdd",
    "resolve_year",
    "yymmdd_expr",
]

Window = Literal["past", "around"]

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=1)}


def resolve_year(yy: int, month: int, day: int, *, window: Window, reference: date) -> int:
    """The four-digit year of a two-digit year under a century window."""
    if not 0 <= yy <= 99:
        raise ValueError("two-digit year out of range")
    if window == "past":
        year = (reference.year // 100) * 100 + yy
        if (year, month, day) > (reference.year, reference.month, reference.day):
            year -= 100
        return year
    low = reference.year - 50
    year = (low // 100) * 100 + yy
    if year < low:
        year += 100
    return year


def _build(yy: int, month: int, day: int, window: Window, reference: date) -> date:
    return date(resolve_year(yy, month, day, window=window, reference=reference), month, day)


def _digits(text: str, length: int) -> str:
    if len(text) != length or not text.isascii() or not text.isdigit():
        raise ValueError("not a date of the expected shape")
    return text


def parse_yymmdd(text: str, *, window: Window, reference: date) -> date:
    """Parse ``YYMMDD`` (PAXLST, MRZ)."""
    t = _digits(text, 6)
    return _build(int(t[0:2]), int(t[2:4]), int(t[4:6]), window, reference)


def parse_ddmmyy(text: str, *, window: Window, reference: date) -> date:
    """Parse ``DDMMYY`` (PNRGOV application dates)."""
    t = _digits(text, 6)
    return _build(int(t[4:6]), int(t[2:4]), int(t[0:2]), window, reference)


def parse_ddmmmyy(text: str, *, window: Window, reference: date) -> date:
    """Parse ``DDMMMYY`` with an English month abbreviation (SSR DOCS: ``12JUL82``)."""
    if len(text) != 7:
        raise ValueError("not a date of the expected shape")
    month = _MONTH_NUMBER.get(text[2:5].upper())
    if month is None:
        raise ValueError("unknown month abbreviation")
    day = int(_digits(text[0:2], 2))
    yy = int(_digits(text[5:7], 2))
    return _build(yy, month, day, window, reference)


def parse_ccyymmdd(text: str) -> date:
    """Parse ``CCYYMMDD`` (EDIFACT format 102)."""
    t = _digits(text, 8)
    return date(int(t[0:4]), int(t[4:6]), int(t[6:8]))


def parse_edifact_datetime(
    text: str, fmt: str | None, *, window: Window, reference: date
) -> datetime:
    """Parse an EDIFACT DTM value in format 101, 102, 201, 203 or 204.

    ``fmt=None`` infers the format from the length (6, 8, 10, 12 or 14 digits).
    """
    t = text.strip()
    if not t.isascii() or not t.isdigit():
        raise ValueError("not a date")
    lengths = {"101": 6, "102": 8, "201": 10, "203": 12, "204": 14}
    if fmt not in lengths:
        fmt = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}.get(len(t))
        if fmt is None:
            raise ValueError("unknown date format")
    if len(t) != lengths[fmt]:
        raise ValueError("date does not fit its declared format")
    if fmt in ("101", "201"):
        day = parse_yymmdd(t[:6], window=window, reference=reference)
        rest = t[6:]
    else:
        day = parse_ccyymmdd(t[:8])
        rest = t[8:]
    hour = int(rest[0:2]) if rest else 0
    minute = int(rest[2:4]) if rest else 0
    second = int(rest[4:6]) if len(rest) >= 6 else 0
    return datetime(day.year, day.month, day.day, hour, minute, second)


def yymmdd_expr(column: pl.Expr, *, window: Window, reference: date) -> pl.Expr:
    """A polars expression turning ``YYMMDD`` strings (or ``CCYYMMDD``) into dates.

    Strings of 8 digits are read as ``CCYYMMDD``. Anything else, and impossible dates, give
    null. Agrees with :func:`parse_yymmdd` / :func:`parse_ccyymmdd` on every input.
    """
    s = column.str.strip_chars()
    ok6 = s.str.contains(r"^[0-9]{6}$")
    ok8 = s.str.contains(r"^[0-9]{8}$")
    yy = s.str.slice(0, 2).cast(pl.Int32, strict=False)
    mm = (
        pl.when(ok6)
        .then(s.str.slice(2, 2))
        .otherwise(s.str.slice(4, 2))
        .cast(pl.Int32, strict=False)
    )
    dd = (
        pl.when(ok6)
        .then(s.str.slice(4, 2))
        .otherwise(s.str.slice(6, 2))
        .cast(pl.Int32, strict=False)
    )
    if window == "past":
        base = (reference.year // 100) * 100 + yy
        ref_key = reference.year * 10000 + reference.month * 100 + reference.day
        year6 = pl.when(base * 10000 + mm * 100 + dd > ref_key).then(base - 100).otherwise(base)
    else:
        low = reference.year - 50
        base = (low // 100) * 100 + yy
        year6 = pl.when(base < low).then(base + 100).otherwise(base)
    year = (
        pl.when(ok6)
        .then(year6)
        .when(ok8)
        .then(s.str.slice(0, 4).cast(pl.Int32, strict=False))
        .otherwise(None)
    )
    text = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        mm.cast(pl.String).str.zfill(2),
        dd.cast(pl.String).str.zfill(2),
    )
    return text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
