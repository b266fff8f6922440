"""Century windows: the scalar parsers and the polars expression agree, and the windows hold."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen._dates import (
    parse_ccyymmdd,
    parse_ddmmmyy,
    parse_ddmmyy,
    parse_edifact_datetime,
    parse_yymmdd,
    yymmdd_expr,
)

REF = date(2026, 11, 22)
SIX = st.text(alphabet="0123456789", min_size=6, max_size=6)
REFS = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("text", "window", "expected"),
    [
        ("780706", "past", date(1978, 7, 6)),
        ("000520", "past", date(2000, 5, 20)),
        ("261122", "past", date(2026, 11, 22)),  # today is not in the future
        ("261123", "past", date(1926, 11, 23)),  # tomorrow would be
        ("610218", "around", date(2061, 2, 18)),
        ("940623", "around", date(1994, 6, 23)),
        ("760101", "around", date(1976, 1, 1)),
        ("750101", "around", date(2075, 1, 1)),
    ],
)
def test_windows(text: str, window: str, expected: date) -> None:
    assert parse_yymmdd(text, window=window, reference=REF) == expected  # type: ignore[arg-type]


@given(SIX, REFS, st.sampled_from(["past", "around"]))
def test_vectorised_agrees_with_scalar(text: str, reference: date, window: str) -> None:
    try:
        expected: date | None = parse_yymmdd(text, window=window, reference=reference)  # type: ignore[arg-type]
    except ValueError:
        expected = None
    frame = pl.DataFrame({"s": [text]})
    got = frame.select(yymmdd_expr(pl.col("s"), window=window, reference=reference)).item()  # type: ignore[arg-type]
    assert got == expected


@given(st.dates(min_value=date(1927, 11, 23), max_value=REF))
def test_past_window_round_trips_the_last_hundred_years(day: date) -> None:
    assert parse_yymmdd(day.strftime("%y%m%d"), window="past", reference=REF) == day


@given(st.dates(min_value=date(1976, 1, 1), max_value=date(2075, 12, 31)))
def test_around_window_round_trips_fifty_years_each_way(day: date) -> None:
    assert parse_yymmdd(day.strftime("%y%m%d"), window="around", reference=REF) == day


def test_other_shapes() -> None:
    assert parse_ddmmyy("121210", window="around", reference=REF) == date(2010, 12, 12)
    assert parse_ddmmmyy("12JUL82", window="past", reference=REF) == date(1982, 7, 12)
    assert parse_ccyymmdd("19350919") == date(1935, 9, 19)
    assert parse_edifact_datetime("1701271725", "201", window="around", reference=REF) == datetime(
        2017, 1, 27, 17, 25
    )
    assert parse_edifact_datetime("201701271725", None, window="around", reference=REF) == datetime(
        2017, 1, 27, 17, 25
    )
    for bad in ("781332", "78070", "7807O6", "", "290229"):
        with pytest.raises(ValueError, match=r"date|month|day|year"):
            parse_yymmdd(bad, window="past", reference=REF)
    with pytest.raises(ValueError, match="month"):
        parse_ddmmmyy("12XXX82", window="past", reference=REF)
