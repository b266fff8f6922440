"""Partial dates: the expression and the scalar reader agree, never raise, and round-trip."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen.normalize.dates import (
    PARTIAL_DATE,
    PartialDate,
    parse_partial_date,
    partial_date,
)


def _parsed(values: pl.Series) -> list[PartialDate | None]:
    """The partial dates the expression gives for a series, as scalar tuples."""
    structs = values.to_frame("v").select(partial_date("v")).to_series().to_list()
    return [None if s is None else PartialDate(**s) for s in structs]


def _day(year: int, month: int, day: int) -> PartialDate:
    return PartialDate(year, month, day, "day", month == 1 and day == 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1975-03-14", _day(1975, 3, 14)),
        ("1975-03", PartialDate(1975, 3, None, "month", False)),
        ("1975", PartialDate(1975, None, None, "year", False)),
        # placeholders: 1 January only
        ("1975-01-01", PartialDate(1975, 1, 1, "day", True)),
        ("1975-03-01", PartialDate(1975, 3, 1, "day", False)),
        ("1975-01", PartialDate(1975, 1, None, "month", False)),
        # zeros for unknown parts
        ("1975-00-00", PartialDate(1975, None, None, "year", False)),
        ("1975-00", PartialDate(1975, None, None, "year", False)),
        ("1975-03-00", PartialDate(1975, 3, None, "month", False)),
        ("1975-00-12", PartialDate(1975, None, None, "year", False)),
        # leap days
        ("2000-02-29", _day(2000, 2, 29)),
        ("2004-02-29", _day(2004, 2, 29)),
        ("1900-02-29", None),
        ("2001-02-29", None),
        # impossible or foreign shapes
        ("1975-02-30", None),
        ("1975-04-31", None),
        ("1975-13", None),
        ("1975-13-01", None),
        ("0000", None),
        ("0000-01-01", None),
        ("0975-06-15", _day(975, 6, 15)),
        ("9999-12-31", _day(9999, 12, 31)),
        ("", None),
        ("garbage", None),
        ("75", None),
        ("19750314", None),
        ("1975/03/14", None),
        ("14.03.1975", None),
        (" 1975", None),
        ("1975-3-14", None),
        ("1975-03-14T00:00", None),
        ("1975-03-14\n", None),
        ("١٩٧٥", None),  # Arabic-Indic digits are not ASCII digits
        (None, None),
    ],
)
def test_text_table(text: str | None, expected: PartialDate | None) -> None:
    assert parse_partial_date(text) == expected
    assert _parsed(pl.Series([text], dtype=pl.String)) == [expected]


def test_struct_type() -> None:
    frame = pl.DataFrame({"dob": ["1975-03-14", None]})
    assert frame.select(partial_date("dob")).schema["dob"] == PARTIAL_DATE
    assert frame.lazy().select(partial_date(pl.col("dob"))).collect_schema()["dob"] == PARTIAL_DATE
    # an unreadable date is a null struct, not a struct of nulls
    assert frame.select(partial_date("dob").is_null()).to_series().to_list() == [False, True]


def test_dates_and_datetimes_are_day_precision() -> None:
    dates = pl.Series([date(1975, 3, 14), date(1980, 1, 1), None])
    expected = [_day(1975, 3, 14), PartialDate(1980, 1, 1, "day", True), None]
    assert _parsed(dates) == expected
    assert _parsed(pl.Series([datetime(1975, 3, 14, 23, 59), None])) == [expected[0], None]


def test_other_column_types() -> None:
    assert _parsed(pl.Series([1975, None])) == [PartialDate(1975, None, None, "year", False), None]
    assert _parsed(pl.Series(["1975-03"], dtype=pl.Categorical)) == [
        PartialDate(1975, 3, None, "month", False)
    ]
    assert _parsed(pl.Series([None, None])) == [None, None]  # dtype Null


def test_structs_pass_through() -> None:
    frame = pl.DataFrame({"dob": ["1975-03-14", "1975", None]})
    once = frame.select(partial_date("dob"))
    assert once.select(partial_date("dob")).equals(once)
    # a struct with the right fields but looser types is cast
    loose = once.select(pl.col("dob").struct.with_fields(pl.field("precision").cast(pl.String)))
    assert loose.select(partial_date("dob")).equals(once)


def test_other_types_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot read a date of birth"):
        pl.DataFrame({"dob": [1.5]}).select(partial_date("dob"))
    with pytest.raises(TypeError, match="fields of PARTIAL_DATE"):
        pl.DataFrame({"dob": [{"y": 1975}]}).select(partial_date("dob"))


@given(st.lists(st.one_of(st.none(), st.text(max_size=14)), max_size=40))
def test_arbitrary_text_never_raises_and_agrees_with_the_scalar(texts: list[str | None]) -> None:
    values = pl.Series(texts, dtype=pl.String)
    assert _parsed(values) == [parse_partial_date(text) for text in texts]


_DIGITS = st.text(alphabet="0123456789-", min_size=4, max_size=10)


@given(st.lists(_DIGITS, max_size=40))
def test_date_like_text_agrees_with_the_scalar(texts: list[str]) -> None:
    assert _parsed(pl.Series(texts, dtype=pl.String)) == [parse_partial_date(t) for t in texts]


def _render(value: PartialDate) -> str:
    """The list form of a partial date."""
    if value.precision == "year":
        return f"{value.year:04d}"
    if value.precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@st.composite
def _partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "year":
        return PartialDate(day.year, None, None, "year", False)
    if precision == "month":
        return PartialDate(day.year, day.month, None, "month", False)
    return _day(day.year, day.month, day.day)


@given(st.lists(_partial_dates(), max_size=40))
def test_list_forms_round_trip(values: list[PartialDate]) -> None:
    texts = [_render(value) for value in values]
    assert _parsed(pl.Series(texts, dtype=pl.String)) == values
    assert [parse_partial_date(text) for text in texts] == values
    assert [_render(value) for value in _parsed(pl.Series(texts, dtype=pl.String)) if value] == (
        texts
    )


@given(st.lists(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), max_size=40))
def test_dates_agree_with_their_iso_text(days: list[date]) -> None:
    from_dates = _parsed(pl.Series(days, dtype=pl.Date))
    assert from_dates == _parsed(pl.Series([d.isoformat() for d in days], dtype=pl.String))
    assert from_dates == [parse_partial_date(d) for d in days]
