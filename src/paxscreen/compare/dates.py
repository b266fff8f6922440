"""Dates of birth compared into levels, best first, with partial and placeholder dates.

:func:`dob_level` compares a traveller's date of birth with a listed one and gives a
:data:`DobLevel`, the first of these that holds:

``exact``
    Both are full dates and the same day.
``day_month_swapped``
    Both are full dates of the same year, with day and month exchanged (so both are at most 12)
    and different from each other: 1975-03-07 and 1975-07-03.
``one_digit``
    Both are full dates, neither a placeholder, one keystroke apart: their ``YYYYMMDD`` forms
    differ in exactly one digit (1975-03-07 and 1985-03-07, 1975-03-07 and 1975-08-07,
    1975-03-07 and 1975-03-01), or two adjacent digits of the month and day are exchanged
    (1975-03-12 and 1975-03-21, 1975-10-02 and 1975-01-02); a year one off with the same month
    and day is ``one_year_apart`` (below) instead. A keying slip explains such a pair
    far better than chance, which makes it stronger evidence than a shared month or year.
    (Exchanged digits of the year are left out: years that far apart are a ``mismatch`` to
    candidate generation, which compares years alone.)
``same_month_year``
    Same year and month, when both dates know the month: 1975-03-07 and 1975-03-21, or
    1975-03-07 and a listed ``1975-03``.
``same_year``
    Same year: 1975-03-07 and 1975-11-30, or 1975-03-07 and a listed ``1975``.
``one_year_apart``
    The years differ by one and the month (and day) agree, both dates knowing them:
    1975-03-07 and 1976-03-07; 1975-03-07 and a listed ``1976-03``. 29 February agrees with
    28 February of the year before or after (the day that exists in that year).
``placeholder_same_year``
    The years agree but one date is a placeholder 1 January (see below) and the other knows
    at least its month, so the agreement is on the year alone: a listed ``1975-01-01`` and
    1975-06-12.
``nearby_year``
    The years differ by one and one date knows (or is compared at) its year alone:
    1975-03-07 and a listed ``1976``. Weak: about one person in twenty is born within a year
    of a given year, while a month and day that agree across the year are a slip of the
    pen (``one_year_apart``).
``mismatch``
    None of the above.
``unknown``
    Either date is null or unreadable. Null is never a mismatch.

A partial date is compared at the precision both dates have: a month-precision or year-only
date is never ``exact``, however well the other agrees.

**Placeholders.** A full date on 1 January (:mod:`paxscreen.normalize.dates` flags it) is often
written for a date known only to the year. Unless the other date is the same day (``exact``),
a placeholder is compared as its year alone: ``placeholder_same_year`` where it would
otherwise give ``same_month_year`` or ``same_year`` against a date that knows its month,
``nearby_year`` against any date of the year before or after, and never ``one_digit``.
Against a year-only date its day and month play no part, and an agreeing year is
``same_year``.

Every level is symmetric: exchanging the two dates gives the same level.

:func:`dob_level_scalar` is the same comparison written plainly in Python, the reference the
tests hold the expression to. :func:`best_dob_level` reduces several listed dates of one
identity to the best level.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final, Literal, TypeVar, get_args

import polars as pl

from paxscreen.normalize.dates import (
    PRECISIONS,
    PartialDate,
    parse_partial_date,
    partial_date,
)

__all__ = [
    "DOB_LEVELS",
    "DobLevel",
    "DobLevelName",
    "best_dob_level",
    "dob_level",
    "dob_level_scalar",
]

#: A DOB level's name; the levels, best first.
DobLevelName = Literal[
    "exact",
    "day_month_swapped",
    "one_digit",
    "same_month_year",
    "same_year",
    "one_year_apart",
    "placeholder_same_year",
    "nearby_year",
    "mismatch",
    "unknown",
]

#: The DOB levels, best first. The enum's physical order is this order.
DOB_LEVELS: Final[tuple[DobLevelName, ...]] = get_args(DobLevelName)

#: The type :func:`dob_level` returns; ``min`` over it is the best level.
DobLevel: Final = pl.Enum(DOB_LEVELS)

_FrameT = TypeVar("_FrameT", pl.DataFrame, pl.LazyFrame)

_DAY: Final = PRECISIONS.index("day")
_MONTH: Final = PRECISIONS.index("month")
_YEAR: Final = PRECISIONS.index("year")


# --------------------------------------------------------------------------------------------
# Scalar reference


def _compared_precision(d: PartialDate) -> int:
    """The precision a date is compared at: a placeholder counts as its year."""
    return _YEAR if d.placeholder else PRECISIONS.index(d.precision)


def _yyyymmdd(d: PartialDate) -> str:
    return f"{d.year:04d}{d.month or 0:02d}{d.day or 0:02d}"


def _one_keystroke(a: str, b: str) -> bool:
    """Whether two different ``YYYYMMDD`` forms differ in one digit, or by two adjacent digits
    of the month and day exchanged."""
    differing = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differing) == 1:
        return True
    if len(differing) != 2 or differing[0] < 4 or differing[1] != differing[0] + 1:
        return False
    i, j = differing
    return a[i] == b[j] and a[j] == b[i]


def _scalar_level(a: PartialDate, b: PartialDate) -> DobLevelName:
    both_full = a.precision == "day" and b.precision == "day"
    if both_full and (a.year, a.month, a.day) == (b.year, b.month, b.day):
        return "exact"
    if both_full and a.year == b.year and a.month == b.day and a.day == b.month:
        return "day_month_swapped"  # a.month != a.day, or it would be exact
    shared = max(_compared_precision(a), _compared_precision(b))
    # neither is a placeholder (it would be compared as a year); a year one off with the same
    # month and day is one_year_apart below
    if shared == _DAY and abs(a.year - b.year) != 1 and _one_keystroke(_yyyymmdd(a), _yyyymmdd(b)):
        return "one_digit"
    if a.year == b.year:
        if shared <= _MONTH and a.month == b.month:
            return "same_month_year"
        a_doubtful = a.placeholder and b.precision != "year"
        b_doubtful = b.placeholder and a.precision != "year"
        return "placeholder_same_year" if a_doubtful or b_doubtful else "same_year"
    if abs(a.year - b.year) == 1:
        if shared == _YEAR:
            return "nearby_year"
        if shared == _MONTH and a.month == b.month:
            return "one_year_apart"
        leap_day = a.month == b.month == 2 and {a.day, b.day} == {28, 29}
        if shared == _DAY and ((a.month, a.day) == (b.month, b.day) or leap_day):
            return "one_year_apart"
    return "mismatch"


def dob_level_scalar(traveller: date | None, listed: str | None) -> DobLevelName:
    """The DOB level of one pair, in plain Python (the reference for :func:`dob_level`).

    Args:
        traveller: The traveller's date of birth, or None.
        listed: The listed date of birth, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or None.

    Returns:
        The level's name; ``"unknown"`` when either date is None or unreadable.

    Examples:
        >>> dob_level_scalar(date(1975, 3, 7), "1975-07-03")
        'day_month_swapped'
        >>> dob_level_scalar(date(1975, 3, 7), "1976")
        'one_year_apart'
        >>> dob_level_scalar(None, "1975")
        'unknown'
    """
    a = parse_partial_date(traveller)
    b = parse_partial_date(listed)
    if a is None or b is None:
        return "unknown"
    return _scalar_level(a, b)


# --------------------------------------------------------------------------------------------
# Vectorised


def _eq(left: pl.Expr, right: pl.Expr | int) -> pl.Expr:
    """Equality that is false, not null, when a side is null (an absent month or day)."""
    return (left == right).fill_null(False)


def _level(t: pl.Expr, w: pl.Expr) -> pl.Expr:
    """The level of a traveller's (``t``) and a watchlist (``w``) PARTIAL_DATE struct."""
    ty, wy = (s.struct.field("year").cast(pl.Int32) for s in (t, w))
    tm, wm = (s.struct.field("month").cast(pl.Int32) for s in (t, w))
    td, wd = (s.struct.field("day").cast(pl.Int32) for s in (t, w))
    tp, wp = (s.struct.field("precision").to_physical().cast(pl.Int32) for s in (t, w))
    t_ph, w_ph = (s.struct.field("placeholder") for s in (t, w))

    both_full = (tp == _DAY) & (wp == _DAY)
    shared = pl.max_horizontal(
        pl.when(t_ph).then(_YEAR).otherwise(tp),
        pl.when(w_ph).then(_YEAR).otherwise(wp),
    )
    same_year = ty == wy
    apart = (ty - wy).abs() == 1
    same_month = _eq(tm, wm)
    same_month_day = same_month & _eq(td, wd)
    leap_day = _eq(tm, 2) & _eq(wm, 2) & ((_eq(td, 28) & _eq(wd, 29)) | (_eq(td, 29) & _eq(wd, 28)))
    doubtful = (t_ph & (wp != _YEAR)) | (w_ph & (tp != _YEAR))
    # the YYYYMMDD digits of two full dates (null elsewhere, so no level below holds there)
    t_digits = _digits(ty, tm, td)
    w_digits = _digits(wy, wm, wd)
    differs = [(x != y).cast(pl.Int8) for x, y in zip(t_digits, w_digits, strict=True)]
    digits_apart = pl.sum_horizontal(differs)
    exchanged = pl.lit(False)
    for i in range(4, 7):  # two adjacent digits of the month and day exchanged
        others = pl.sum_horizontal(d for k, d in enumerate(differs) if k not in (i, i + 1))
        exchanged = exchanged | (
            (t_digits[i] != t_digits[i + 1])
            & (t_digits[i] == w_digits[i + 1])
            & (t_digits[i + 1] == w_digits[i])
            & (others == 0)
        ).fill_null(False)
    one_keystroke = ((digits_apart == 1).fill_null(False) | exchanged) & (shared == _DAY) & ~apart

    def level(name: DobLevelName) -> pl.Expr:
        return pl.lit(name, DobLevel)

    return (
        pl.when(t.is_null() | w.is_null())
        .then(level("unknown"))
        .when(both_full & same_year & same_month_day)
        .then(level("exact"))
        .when(both_full & same_year & _eq(tm, wd) & _eq(td, wm))
        .then(level("day_month_swapped"))
        .when(one_keystroke)
        .then(level("one_digit"))
        .when(same_year & (shared <= _MONTH) & same_month)
        .then(level("same_month_year"))
        .when(same_year & ~doubtful)
        .then(level("same_year"))
        .when(same_year)
        .then(level("placeholder_same_year"))
        .when(apart & (shared == _YEAR))
        .then(level("nearby_year"))
        .when(
            apart
            & (((shared == _MONTH) & same_month) | ((shared == _DAY) & (same_month_day | leap_day)))
        )
        .then(level("one_year_apart"))
        .otherwise(level("mismatch"))
    )


def _digits(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> list[pl.Expr]:
    """The eight digits of ``YYYYMMDD``, as expressions (null where the month or day is)."""
    out = [(year // place) % 10 for place in (1000, 100, 10, 1)]
    for part in (month, day):
        out += [part // 10, part % 10]
    return out


# Built once: building and planning it costs more than evaluating it on a small batch.
_LEVEL: Final = _level(pl.col("t"), pl.col("w"))


#: Up to this many pairs, levels come from :func:`_scalar_level` in Python: evaluating
#: :data:`_LEVEL` costs milliseconds however few the rows (one traveller at the counter).
_SMALL_BATCH: Final = 64


def _level_series(pairs: pl.Series) -> pl.Series:
    """The levels of a struct series of two PARTIAL_DATE fields, ``t`` and ``w``."""
    if len(pairs) > _SMALL_BATCH:
        return pairs.struct.unnest().select(_LEVEL).to_series()
    levels = [
        "unknown"
        if pair["t"] is None or pair["w"] is None
        else _scalar_level(PartialDate(**pair["t"]), PartialDate(**pair["w"]))
        for pair in pairs.to_list()
    ]
    return pl.Series(levels, dtype=DobLevel)


def dob_level(traveller: str | pl.Expr, listed: str | pl.Expr) -> pl.Expr:
    """A polars expression comparing dates of birth, one :data:`DobLevel` per row.

    Either side may be text in the list forms (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``), dates,
    or :data:`~paxscreen.normalize.dates.PARTIAL_DATE` structs; the comparison is symmetric.

    Args:
        traveller: Column name or expression of the traveller's date of birth (usually the
            travellers frame's ``dob``, a Date).
        listed: Column name or expression of the listed date of birth (usually the watchlist's
            ``dob``, text).

    Returns:
        An expression of type :data:`DobLevel` named ``dob_level``, never null (a null date
        gives ``unknown``).

    Examples:
        >>> pairs = pl.DataFrame(
        ...     {"dob": [date(1975, 3, 7)] * 3, "listed_dob": ["1975-07-03", "1975", None]}
        ... )
        >>> pairs.select(dob_level("dob", "listed_dob")).to_series().to_list()
        ['day_month_swapped', 'same_year', 'unknown']
    """
    both = pl.struct(partial_date(traveller).alias("t"), partial_date(listed).alias("w"))
    levels = both.map_batches(_level_series, return_dtype=DobLevel, is_elementwise=True)
    return levels.alias("dob_level")


def best_dob_level(
    pairs: _FrameT,
    by: str | Sequence[str],
    *,
    level: str | pl.Expr = "dob_level",
    name: str = "dob_level",
) -> _FrameT:
    """The best DOB level of each pair key, over all its rows.

    An identity may list several dates of birth. Join the candidate pairs to every listed date
    (one row per traveller, entry and listed date), then reduce: the best level is the minimum
    in :data:`DOB_LEVELS` order. A null level counts as ``unknown``, so a known date beats a
    missing one, and an identity without dates gives ``unknown``.

    Args:
        pairs: A frame or lazy frame of pairs: the key columns and what ``level`` reads.
        by: The pair key column(s), for example ``["record_id", "entry_id"]``.
        level: The name of a level column (:data:`DobLevel` or level names as text), or an
            expression giving one, such as ``dob_level("dob", "listed_dob")``; it is evaluated
            over all rows before the reduction.
        name: The name of the output level column.

    Returns:
        One row per key, in order of first appearance: the key columns and ``name``, of type
        :data:`DobLevel`.

    Examples:
        >>> pairs = pl.DataFrame(
        ...     {
        ...         "record_id": ["t1", "t1", "t2"],
        ...         "entry_id": ["e1", "e1", "e1"],
        ...         "dob": [date(1975, 3, 7), date(1975, 3, 7), None],
        ...         "listed_dob": ["1980", "1975-03", "1980"],
        ...     }
        ... )
        >>> best = best_dob_level(
        ...     pairs, ["record_id", "entry_id"], level=dob_level("dob", "listed_dob")
        ... )
        >>> best["dob_level"].to_list()
        ['same_month_year', 'unknown']
    """
    keys = [by] if isinstance(by, str) else list(by)
    expr = pl.col(level) if isinstance(level, str) else level
    levels = pairs.select(
        *keys, expr.cast(DobLevel).fill_null(pl.lit("unknown", DobLevel)).alias(name)
    )
    return levels.group_by(keys, maintain_order=True).agg(pl.col(name).min())
