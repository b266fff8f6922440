"""DOB levels: a table per level, the expression against the scalar reference, symmetry, best."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen.compare.dates import (
    DOB_LEVELS,
    DateParts,
    DobLevel,
    best_dob_level,
    dob_level,
    dob_level_codes,
    dob_level_scalar,
)
from paxscreen.normalize.dates import partial_date

D = date

CASES: list[tuple[date | None, str | None, str]] = [
    # exact
    (D(1975, 3, 7), "1975-03-07", "exact"),
    (D(2000, 2, 29), "2000-02-29", "exact"),
    (D(1975, 1, 1), "1975-01-01", "exact"),  # two identical placeholders are still the same day
    # day_month_swapped
    (D(1975, 3, 7), "1975-07-03", "day_month_swapped"),
    (D(1975, 12, 11), "1975-11-12", "day_month_swapped"),
    (D(1975, 1, 12), "1975-12-01", "day_month_swapped"),
    (D(1975, 3, 7), "1976-07-03", "mismatch"),  # a swap is within one year
    # one_digit: one keystroke apart
    (D(1975, 3, 7), "1985-03-07", "one_digit"),
    (D(1975, 3, 7), "1935-03-07", "one_digit"),
    (D(1970, 3, 7), "1979-03-07", "one_digit"),
    (D(1975, 3, 7), "2975-03-07", "one_digit"),
    (D(2000, 2, 28), "2002-02-28", "one_digit"),
    (D(1975, 3, 7), "1975-03-08", "one_digit"),  # also the same month: the better level wins
    (D(1975, 3, 7), "1975-02-07", "one_digit"),  # a digit of the month
    (D(1949, 12, 8), "1949-11-08", "one_digit"),
    (D(1975, 3, 12), "1975-03-21", "one_digit"),  # adjacent digits of the day exchanged
    (D(1975, 10, 2), "1975-01-02", "one_digit"),  # ... of the month
    (D(1975, 11, 2), "1975-10-12", "one_digit"),  # ... across month and day
    (D(1975, 3, 14), "1975-04-13", "same_year"),  # digits apart, not adjacent: two slips
    (D(1979, 9, 13), "1997-09-13", "mismatch"),  # exchanged digits of the year: years apart
    (D(1975, 3, 7), "1975-03-28", "same_month_year"),  # two digits of the day
    # same_month_year
    (D(1975, 3, 7), "1975-03-21", "same_month_year"),
    (D(1975, 3, 7), "1975-03", "same_month_year"),  # month precision is never exact
    (D(1975, 3, 7), "1975-03-00", "same_month_year"),
    (D(2000, 2, 29), "2000-02", "same_month_year"),
    (D(1975, 3, 1), "1975-03-15", "same_month_year"),  # the 1st of a month is no placeholder
    # same_year
    (D(1975, 3, 7), "1975-11-30", "same_year"),
    (D(1975, 3, 7), "1975-12-07", "same_year"),
    (D(1975, 3, 7), "1975-04", "same_year"),
    (D(1975, 3, 7), "1975", "same_year"),  # year precision is never exact
    (D(1975, 3, 7), "1975-00-00", "same_year"),
    (D(1975, 1, 1), "1975", "same_year"),  # against a year, a placeholder's day plays no part
    (D(1975, 1, 12), "1975-12-11", "same_year"),  # not a swap: 12/01 vs 11/12
    # one_year_apart
    (D(1975, 3, 7), "1976-03-07", "one_year_apart"),
    (D(1975, 3, 7), "1974-03-07", "one_year_apart"),
    (D(1979, 3, 7), "1980-03-07", "one_year_apart"),
    (D(1975, 3, 7), "1976-03", "one_year_apart"),
    (D(2000, 2, 29), "2001-02-28", "one_year_apart"),  # leap day: the day that exists
    (D(2000, 2, 29), "1999-02-28", "one_year_apart"),
    (D(2003, 2, 28), "2004-02-29", "one_year_apart"),
    (D(2000, 2, 28), "2001-02-28", "one_year_apart"),
    (D(2000, 2, 29), "2001-02", "one_year_apart"),
    # nearby_year: one side compared at its year alone (year-only, or a placeholder)
    (D(1975, 3, 7), "1974", "nearby_year"),
    (D(1975, 3, 7), "1976", "nearby_year"),
    (D(1975, 1, 1), "1976-01-01", "nearby_year"),
    (D(1975, 1, 1), "1976-06-12", "nearby_year"),  # a placeholder is read as its year
    (D(1975, 6, 12), "1974-01-01", "nearby_year"),
    (D(1975, 1, 1), "1976-06", "nearby_year"),
    # placeholder_same_year
    (D(1975, 6, 12), "1975-01-01", "placeholder_same_year"),
    (D(1975, 1, 1), "1975-06-12", "placeholder_same_year"),
    (D(1975, 1, 20), "1975-01-01", "placeholder_same_year"),  # January is part of the placeholder
    (D(1975, 1, 2), "1975-01-01", "placeholder_same_year"),
    (D(1975, 1, 1), "1975-06", "placeholder_same_year"),
    (D(1975, 1, 1), "1975-01", "placeholder_same_year"),
    # mismatch
    (D(1975, 3, 7), "1980-05-09", "mismatch"),
    (D(1975, 3, 7), "1977", "mismatch"),
    (D(1975, 3, 7), "1977-03", "mismatch"),
    (D(1975, 3, 7), "1976-04", "mismatch"),
    (D(1975, 3, 7), "1976-03-08", "mismatch"),
    (D(1975, 3, 7), "1985", "mismatch"),  # one digit is for full dates only
    (D(1975, 3, 7), "1985-03", "mismatch"),
    (D(1975, 1, 1), "1985-01-01", "mismatch"),  # a placeholder is never one digit off
    (D(1975, 1, 1), "1977-06-12", "mismatch"),
    (D(2000, 2, 28), "2001-03-01", "mismatch"),
    (D(1975, 3, 7), "1977-04-07", "mismatch"),
    # unknown
    (None, "1975-03-07", "unknown"),
    (D(1975, 3, 7), None, "unknown"),
    (None, None, "unknown"),
    (D(1975, 3, 7), "", "unknown"),
    (D(1975, 3, 7), "unknown", "unknown"),
    (D(1975, 3, 7), "1975-02-30", "unknown"),
    (D(1975, 3, 7), "1900-02-29", "unknown"),
    (D(1975, 3, 7), "1975-13", "unknown"),
    (D(1975, 3, 7), "1975-13-03", "unknown"),
    (D(1975, 3, 7), "0000", "unknown"),
]


def _levels(
    travellers: list[date | None], listed: list[str | None], *, lazy: bool = False
) -> list[str]:
    frame = pl.DataFrame(
        {"dob": travellers, "listed_dob": listed},
        schema={"dob": pl.Date, "listed_dob": pl.String},
    )
    if lazy:
        return frame.lazy().select(dob_level("dob", "listed_dob")).collect().to_series().to_list()
    return frame.select(dob_level("dob", "listed_dob")).to_series().to_list()


def test_levels_and_type() -> None:
    assert DOB_LEVELS[0] == "exact" and DOB_LEVELS[-1] == "unknown"
    assert len(set(DOB_LEVELS)) == 10
    assert DobLevel == pl.Enum(DOB_LEVELS)
    assert {expected for _, _, expected in CASES} == set(DOB_LEVELS)


@pytest.mark.parametrize(("traveller", "listed", "expected"), CASES)
def test_scalar_table(traveller: date | None, listed: str | None, expected: str) -> None:
    assert dob_level_scalar(traveller, listed) == expected


@pytest.mark.parametrize("lazy", [False, True])
def test_expression_table(lazy: bool) -> None:
    travellers = [traveller for traveller, _, _ in CASES]
    listed = [value for _, value, _ in CASES]
    expected = [level for _, _, level in CASES]
    assert _levels(travellers, listed, lazy=lazy) == expected


def test_expression_type_and_name() -> None:
    frame = pl.DataFrame({"dob": [D(1975, 3, 7)], "listed_dob": ["1975"]})
    out = frame.select(dob_level(pl.col("dob"), pl.col("listed_dob")))
    assert out.schema == pl.Schema({"dob_level": DobLevel})
    lazy = frame.lazy().with_columns(dob_level("dob", "listed_dob"))
    assert lazy.collect_schema()["dob_level"] == DobLevel
    assert frame.head(0).select(dob_level("dob", "listed_dob")).height == 0


def test_inputs_in_any_form() -> None:
    """Dates, list text and partial-date structs on either side give the same levels."""
    travellers = [traveller for traveller, _, _ in CASES]
    listed = [value for _, value, _ in CASES]
    frame = pl.DataFrame(
        {"dob": travellers, "listed_dob": listed},
        schema={"dob": pl.Date, "listed_dob": pl.String},
    )
    expected = [level for _, _, level in CASES]
    as_struct = frame.select(dob_level(partial_date("dob"), partial_date("listed_dob")))
    as_text = frame.select(dob_level(pl.col("dob").cast(pl.String), "listed_dob"))
    reversed_ = frame.select(dob_level("listed_dob", "dob"))
    for out in (as_struct, as_text, reversed_):
        assert out.to_series().to_list() == expected


# --------------------------------------------------------------------------------------------
# The expression against the scalar reference

# Pairs are built from a few integers: hypothesis draws those fast and shrinks them well.
_FIRST = D(1930, 1, 1)
_SPAN = (D(2025, 12, 31) - _FIRST).days
_DAYS = st.integers(0, _SPAN)
_CHOICES = st.integers(0, 10**6)
_GARBAGE = ("", "garbage", "75", "19750307", " 1975", "1975-13", "1975-02-30", "1975/03/07")
_PRECISIONS = ("day", "day", "day", "month", "year", "month_zeros", "year_zeros")


def _anchor(offset: int, new_year: bool = False) -> date:
    day = _FIRST + timedelta(days=offset)
    return D(day.year, 1, 1) if new_year else day


def _text(year: int, month: int, day: int, precision: str) -> str:
    if precision == "year":
        return f"{year:04d}"
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    if precision == "month_zeros":
        return f"{year:04d}-{month:02d}-00"
    if precision == "year_zeros":
        return f"{year:04d}-00-00"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _related(anchor: date, kind: int, choice: int) -> tuple[int, int, int]:
    """Year, month and day near an anchor date (not always a valid date)."""
    y, m, d = anchor.year, anchor.month, anchor.day
    sign = (-1, 1)[choice % 2]
    if kind == 1:  # day and month swapped
        return y, d, m
    if kind == 2:  # a year off
        return y + sign, m, d
    if kind == 3:  # a year off around a leap day
        return y + sign, 2, (28, 29)[choice // 2 % 2]
    if kind == 4:  # one digit changed (maybe to itself)
        digits = f"{y:04d}{m:02d}{d:02d}"
        k = choice % 8
        changed = digits[:k] + str(choice // 8 % 10) + digits[k + 1 :]
        return int(changed[:4]), int(changed[4:6]), int(changed[6:])
    if kind == 5:  # a placeholder 1 January near the year
        return y + (-1, 0, 0, 1)[choice % 4], 1, 1
    if kind == 6:  # any other date
        other = _anchor(choice % (_SPAN + 1))
        return other.year, other.month, other.day
    if kind == 7:  # two adjacent digits exchanged (those of the year too)
        digits = f"{y:04d}{m:02d}{d:02d}"
        k = choice % 7
        changed = digits[:k] + digits[k + 1] + digits[k] + digits[k + 2 :]
        return int(changed[:4]), int(changed[4:6]), int(changed[6:])
    return y, m, d


def _pair(
    traveller_kind: int, offset: int, listed_kind: int, kind: int, choice: int, precision: int
) -> tuple[date | None, str | None]:
    traveller = None if traveller_kind == 0 else _anchor(offset, new_year=traveller_kind == 1)
    if listed_kind == 0:
        return traveller, None
    if listed_kind == 1:
        return traveller, _GARBAGE[choice % len(_GARBAGE)]
    y, m, d = _related(traveller or _anchor(offset), kind, choice)
    return traveller, _text(y, m, d, _PRECISIONS[precision])


_PAIRS = st.builds(
    _pair,
    st.integers(0, 4),
    _DAYS,
    st.integers(0, 9),
    st.integers(0, 7),
    _CHOICES,
    st.integers(0, len(_PRECISIONS) - 1),
)


def _full_pair(new_year: bool, offset: int, kind: int, choice: int) -> tuple[date, date]:
    a = _anchor(offset, new_year)
    try:
        return a, D(*_related(a, kind, choice))
    except ValueError:
        return a, _anchor(choice % (_SPAN + 1))


_FULL_PAIRS = st.builds(_full_pair, st.booleans(), _DAYS, st.integers(0, 7), _CHOICES)


@given(st.lists(_PAIRS, min_size=1, max_size=60))
def test_expression_agrees_with_the_scalar(pairs: list[tuple[date | None, str | None]]) -> None:
    frame = pl.DataFrame(
        {"dob": [traveller for traveller, _ in pairs], "listed_dob": [v for _, v in pairs]},
        schema={"dob": pl.Date, "listed_dob": pl.String},
    )
    out = frame.select(
        dob_level("dob", "listed_dob").alias("forward"),
        dob_level("listed_dob", "dob").alias("back"),
    )
    expected = [dob_level_scalar(traveller, listed) for traveller, listed in pairs]
    assert out["forward"].to_list() == expected
    assert out["back"].to_list() == expected


def _parts(values: list[date | None] | list[str | None], dtype: pl.DataType) -> DateParts:
    return DateParts.of_partial(
        pl.Series(values, dtype=dtype).to_frame("v").select(partial_date("v")).to_series()
    )


@given(st.lists(_PAIRS, max_size=60))
def test_codes_agree_with_the_scalar(pairs: list[tuple[date | None, str | None]]) -> None:
    """The arrays the Screener compares, read from dates or from partial-date structs."""
    travellers = [traveller for traveller, _ in pairs]
    listed = _parts([value for _, value in pairs], pl.String())
    dates = pl.Series(travellers, dtype=pl.Date).to_numpy()
    as_dates = DateParts.of_dates(dates)
    as_structs = _parts(travellers, pl.Date())
    assert all(map(np.array_equal, as_dates, as_structs))
    expected = [DOB_LEVELS.index(dob_level_scalar(t, v)) for t, v in pairs]
    assert dob_level_codes(as_dates, listed).tolist() == expected
    assert dob_level_codes(listed, as_dates).tolist() == expected


def test_dates_outside_partial_dates_are_unknown() -> None:
    days = np.array(["0000-03-07", "1975-01-01", "NaT", "9999-12-31"], dtype="datetime64[D]")
    parts = DateParts.of_dates(days)
    assert parts.precision.tolist() == [-1, 0, -1, 0]
    assert parts.placeholder.tolist() == [False, True, False, False]
    assert parts.take(np.array([3])).year.tolist() == [9999]


@given(st.lists(_FULL_PAIRS, min_size=1, max_size=60))
def test_full_dates_are_symmetric(pairs: list[tuple[date, date]]) -> None:
    for a, b in pairs:
        assert dob_level_scalar(a, b.isoformat()) == dob_level_scalar(b, a.isoformat())
    frame = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    out = frame.select(dob_level("a", "b").alias("forward"), dob_level("b", "a").alias("back"))
    assert out["forward"].to_list() == out["back"].to_list()
    assert out["forward"].to_list() == [dob_level_scalar(a, b.isoformat()) for a, b in pairs]


@given(st.lists(st.tuples(_PAIRS, _PAIRS), min_size=1, max_size=30))
def test_listed_forms_are_symmetric(
    pairs: list[tuple[tuple[date | None, str | None], tuple[date | None, str | None]]],
) -> None:
    """Two listed dates of any precision compare the same way round."""
    left = [first[1] for first, _ in pairs]
    right = [second[1] for _, second in pairs]
    frame = pl.DataFrame({"a": left, "b": right}, schema={"a": pl.String, "b": pl.String})
    out = frame.select(dob_level("a", "b").alias("forward"), dob_level("b", "a").alias("back"))
    assert out["forward"].to_list() == out["back"].to_list()


# --------------------------------------------------------------------------------------------
# Best level over several listed dates


def test_best_level_after_a_join() -> None:
    candidates = pl.DataFrame(
        {
            "record_id": ["t1", "t1", "t2", "t3"],
            "entry_id": ["e1", "e2", "e1", "e2"],
            "dob": [D(1975, 3, 7), D(1975, 3, 7), D(1976, 3, 7), None],
        }
    )
    listed = pl.DataFrame(
        {
            "entry_id": ["e1", "e1", "e1", "e2"],
            "dob": ["1980", None, "1975-07-03", None],
        }
    )
    pairs = candidates.join(listed, on="entry_id", how="left", suffix="_listed")
    best = best_dob_level(pairs, ["record_id", "entry_id"], level=dob_level("dob", "dob_listed"))
    assert best.schema == pl.Schema(
        {"record_id": pl.String(), "entry_id": pl.String(), "dob_level": DobLevel}
    )
    assert best.rows() == [
        ("t1", "e1", "day_month_swapped"),
        ("t1", "e2", "unknown"),
        ("t2", "e1", "mismatch"),  # a known mismatch beats an unknown
        ("t3", "e2", "unknown"),
    ]


def test_best_level_of_a_level_column() -> None:
    pairs = pl.DataFrame(
        {
            "pair": [1, 1, 1, 2, 2, 3],
            "level": ["mismatch", "one_digit", "unknown", "unknown", None, "exact"],
        }
    )
    expected = [(1, "one_digit"), (2, "unknown"), (3, "exact")]
    best = best_dob_level(pairs, "pair", level="level", name="best")
    assert best.rows() == expected
    assert best.schema["best"] == DobLevel
    lazy = best_dob_level(pairs.lazy(), "pair", level="level", name="best")
    assert lazy.collect().rows() == expected


@given(st.lists(st.tuples(st.integers(0, 4), _PAIRS), max_size=60))
def test_best_level_is_the_minimum_in_level_order(
    rows: list[tuple[int, tuple[date | None, str | None]]],
) -> None:
    pairs = pl.DataFrame(
        {
            "pair": [key for key, _ in rows],
            "dob": [traveller for _, (traveller, _) in rows],
            "listed_dob": [listed for _, (_, listed) in rows],
        },
        schema={"pair": pl.Int64, "dob": pl.Date, "listed_dob": pl.String},
    )
    best = dict(best_dob_level(pairs, "pair", level=dob_level("dob", "listed_dob")).rows())
    expected: dict[int, str] = {}
    for key, (traveller, listed) in rows:
        level = dob_level_scalar(traveller, listed)
        if key not in expected or DOB_LEVELS.index(level) < DOB_LEVELS.index(expected[key]):
            expected[key] = level
    assert best == expected
