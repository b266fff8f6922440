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

:func:`dob_level` is the comparison as a polars expression, :func:`dob_level_codes` the same on
numpy arrays of :class:`DateParts` (the expression runs it), and :func:`dob_level_scalar` the
same written plainly in Python, the reference the tests hold them to. :func:`best_dob_level`
reduces several listed dates of one identity to the best level.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final, Literal, NamedTuple, TypeVar, get_args

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen._jit import kernel
from paxscreen.normalize.dates import (
    _MAX_YEAR,
    _MIN_YEAR,
    PRECISIONS,
    PartialDate,
    parse_partial_date,
    partial_date,
)

__all__ = [
    "DOB_LEVELS",
    "DateParts",
    "DobLevel",
    "DobLevelName",
    "best_dob_level",
    "dob_level",
    "dob_level_codes",
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


class DateParts(NamedTuple):
    """Partial dates as arrays, one element per date: what :func:`dob_level_codes` compares.

    Attributes:
        year: int32; 0 where the date is unknown.
        month: int32; 0 where unknown or below month precision.
        day: int32; 0 where unknown or below day precision.
        precision: int8, the position in :data:`~paxscreen.normalize.dates.PRECISIONS`; -1
            where the date is unknown (null or unreadable).
        placeholder: bool (see :mod:`paxscreen.normalize.dates`).
    """

    year: npt.NDArray[np.int32]
    month: npt.NDArray[np.int32]
    day: npt.NDArray[np.int32]
    precision: npt.NDArray[np.int8]
    placeholder: npt.NDArray[np.bool_]

    @classmethod
    def of_partial(cls, values: pl.Series) -> DateParts:
        """The parts of a series of :data:`~paxscreen.normalize.dates.PARTIAL_DATE` structs."""
        fields = values.struct.unnest()
        known = values.is_not_null().to_numpy()

        def part(name: str) -> npt.NDArray[np.int32]:
            return np.where(known, fields.get_column(name).fill_null(0).to_numpy(), 0).astype(
                np.int32
            )

        precision = fields.get_column("precision").to_physical().fill_null(-1).to_numpy()
        return cls(
            part("year"),
            part("month"),
            part("day"),
            np.where(known, precision, -1).astype(np.int8),
            known & fields.get_column("placeholder").fill_null(False).to_numpy(),
        )

    @classmethod
    def of_dates(cls, dates: npt.NDArray[np.datetime64]) -> DateParts:
        """The parts of dates (``datetime64[D]``, NaT for unknown), as
        :func:`~paxscreen.normalize.dates.partial_date` reads dates: full, and a placeholder on
        1 January."""
        days = dates.astype("datetime64[D]")
        years, months = days.astype("datetime64[Y]"), days.astype("datetime64[M]")
        year = years.astype(np.int64) + 1970
        known = ~np.isnat(days) & (year >= _MIN_YEAR) & (year <= _MAX_YEAR)
        month = (months - years).astype(np.int64) + 1
        day = (days - months).astype(np.int64) + 1
        return cls(
            np.where(known, year, 0).astype(np.int32),
            np.where(known, month, 0).astype(np.int32),
            np.where(known, day, 0).astype(np.int32),
            np.where(known, _DAY, -1).astype(np.int8),
            known & (month == 1) & (day == 1),
        )

    def take(self, index: npt.NDArray[np.int64]) -> DateParts:
        """Dates ``index``."""
        return DateParts(
            self.year[index],
            self.month[index],
            self.day[index],
            self.precision[index],
            self.placeholder[index],
        )


_EXACT: Final = DOB_LEVELS.index("exact")
_SWAPPED: Final = DOB_LEVELS.index("day_month_swapped")
_ONE_DIGIT: Final = DOB_LEVELS.index("one_digit")
_SAME_MONTH_YEAR: Final = DOB_LEVELS.index("same_month_year")
_SAME_YEAR: Final = DOB_LEVELS.index("same_year")
_ONE_YEAR_APART: Final = DOB_LEVELS.index("one_year_apart")
_PLACEHOLDER_SAME_YEAR: Final = DOB_LEVELS.index("placeholder_same_year")
_NEARBY_YEAR: Final = DOB_LEVELS.index("nearby_year")
_MISMATCH: Final = DOB_LEVELS.index("mismatch")
_UNKNOWN: Final = DOB_LEVELS.index("unknown")


@kernel
def _keystroke_apart(a: int, b: int) -> bool:
    """Whether two different ``YYYYMMDD`` forms (as numbers) differ in one digit, or by two
    adjacent digits of the month and day exchanged."""
    apart = 0
    first = -1
    for place in range(8):  # digits from the last
        if a // 10**place % 10 != b // 10**place % 10:
            apart += 1
            first = place
    if apart == 1:
        return True
    # two digits exchanged: the highest differing one (at ``first``) and the next, both of
    # the month and day (the last four digits)
    if apart != 2 or first > 3 or first < 1:
        return False
    x, y = a // 10 ** (first - 1) % 100, b // 10 ** (first - 1) % 100
    return bool(x // 10 != x % 10 and x // 10 == y % 10 and x % 10 == y // 10)


@kernel
def _level_code(
    traveller: tuple[int, int, int, int, bool], listed: tuple[int, int, int, int, bool]
) -> int:
    """The level of two dates, each as (year, month, day, precision, placeholder) of
    :class:`DateParts`, as its position in :data:`DOB_LEVELS` (what :func:`dob_level_codes`
    gives, for one pair, in a compiled loop).

    :func:`paxscreen.score._needs.row_needs` compiles it into its own loop
    (:mod:`paxscreen._jit` drops its cached code when this file changes)."""
    ty, tm, td, tp, t_placeholder = traveller
    wy, wm, wd, wp, w_placeholder = listed
    if tp < 0 or wp < 0:
        return _UNKNOWN
    both_full = tp == _DAY and wp == _DAY
    shared = max(_YEAR if t_placeholder else tp, _YEAR if w_placeholder else wp)
    same_year = ty == wy
    apart = abs(ty - wy) == 1
    same_month = tm == wm and tm > 0  # an absent month (0) agrees with nothing
    same_month_day = same_month and td == wd and td > 0
    if both_full and same_year and same_month_day:
        return _EXACT
    if both_full and same_year and tm == wd and td == wm:
        return _SWAPPED
    # one keystroke apart leaves the year or the month and day as they are
    if (
        shared == _DAY
        and not apart
        and (same_year or same_month_day)
        and _keystroke_apart(ty * 10_000 + tm * 100 + td, wy * 10_000 + wm * 100 + wd)
    ):
        return _ONE_DIGIT
    if same_year:
        if shared <= _MONTH and same_month:
            return _SAME_MONTH_YEAR
        doubtful = (t_placeholder and wp != _YEAR) or (w_placeholder and tp != _YEAR)
        return _PLACEHOLDER_SAME_YEAR if doubtful else _SAME_YEAR
    if not apart:
        return _MISMATCH
    if shared == _YEAR:
        return _NEARBY_YEAR
    leap_day = tm == 2 and wm == 2 and ((td == 28 and wd == 29) or (td == 29 and wd == 28))
    if (shared == _MONTH and same_month) or (shared == _DAY and (same_month_day or leap_day)):
        return _ONE_YEAR_APART
    return _MISMATCH


@kernel
def _level_codes(traveller: DateParts, listed: DateParts) -> npt.NDArray[np.int8]:
    """:func:`_level_code` of each pair."""
    out = np.empty(len(traveller[0]), np.int8)
    for i in range(len(out)):
        out[i] = _level_code(
            (traveller[0][i], traveller[1][i], traveller[2][i], traveller[3][i], traveller[4][i]),
            (listed[0][i], listed[1][i], listed[2][i], listed[3][i], listed[4][i]),
        )
    return out


def dob_level_codes(traveller: DateParts, listed: DateParts) -> npt.NDArray[np.int8]:
    """The level of each pair of dates, as its position in :data:`DOB_LEVELS`: what
    :func:`dob_level` gives, on arrays, in a compiled loop (no polars on the way: one
    traveller at the counter compares a few dates, and a query plan costs more than the
    comparison).

    Args:
        traveller: One side's dates.
        listed: The other side's, as many.
    """
    return _level_codes(traveller, listed)


_LEVEL_VALUES: Final = pl.Series(DOB_LEVELS, dtype=DobLevel)


def _level_series(pairs: pl.Series) -> pl.Series:
    """The levels of a struct series of two PARTIAL_DATE fields, ``t`` and ``w``."""
    sides = pairs.struct.unnest()
    codes = dob_level_codes(
        DateParts.of_partial(sides.get_column("t")), DateParts.of_partial(sides.get_column("w"))
    )
    return _LEVEL_VALUES.gather(pl.Series(codes, dtype=pl.UInt32))


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
