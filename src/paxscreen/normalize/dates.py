"""Dates with a precision: a full date, a month or a year, flagged when it looks like a placeholder.

Watchlists often know a date of birth only to the month or the year. The list reader keeps it
as text, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; travel documents give a full date. Both become
one struct type, :data:`PARTIAL_DATE`::

    {year: Int16, month: Int8, day: Int8, precision: "day" | "month" | "year", placeholder: Boolean}

``month`` is null below month precision and ``day`` below day precision. A date that cannot be
read (an unknown shape, an impossible day, year 0) is null, never an error.

Unknown parts written as zeros are read as a coarser precision: ``1975-00-00`` and ``1975-00`` are
the year 1975, ``1975-03-00`` is March 1975 (and ``1975-00-12``, a day without a month, is the year
1975).

**Placeholders.** Lists and airline systems often write an unknown day and month as 1 January.
``placeholder`` is true for every full date on 1 January: its day and month are doubtful, and
comparators may treat it as a year (:mod:`paxscreen.compare.dates` does, unless both dates are
the same). A 1st of another month is not flagged: too many people are born on one.

:func:`partial_date` is the polars expression; :func:`parse_partial_date` reads one value in
plain Python and agrees with it on every input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal, NamedTuple

import polars as pl

__all__ = [
    "PARTIAL_DATE",
    "PRECISIONS",
    "PartialDate",
    "Precision",
    "PrecisionName",
    "parse_partial_date",
    "partial_date",
]

#: The precisions of a partial date, finest first.
PRECISIONS: Final = ("day", "month", "year")

#: The ``precision`` field's type.
Precision: Final = pl.Enum(PRECISIONS)

#: The type :func:`partial_date` returns.
PARTIAL_DATE: Final = pl.Struct(
    {
        "year": pl.Int16(),
        "month": pl.Int8(),
        "day": pl.Int8(),
        "precision": Precision,
        "placeholder": pl.Boolean(),
    }
)

PrecisionName = Literal["day", "month", "year"]

_SHAPE: Final = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_SHAPE_RE: Final = re.compile(_SHAPE)
_MIN_YEAR: Final = 1
_MAX_YEAR: Final = 9999


class PartialDate(NamedTuple):
    """One partial date, the scalar form of a :data:`PARTIAL_DATE` struct."""

    year: int
    month: int | None
    day: int | None
    precision: PrecisionName
    placeholder: bool


# --------------------------------------------------------------------------------------------
# Scalar


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _scalar_parts(year: int, month: int, day: int) -> PartialDate | None:
    """The partial date of year/month/day numbers where 0 means unknown, or None."""
    if not _MIN_YEAR <= year <= _MAX_YEAR or month > 12:
        return None
    if month == 0:
        return PartialDate(year, None, None, "year", False)
    if day == 0:
        return PartialDate(year, month, None, "month", False)
    if day > _days_in_month(year, month):
        return None
    return PartialDate(year, month, day, "day", month == 1 and day == 1)


def parse_partial_date(value: str | date | None) -> PartialDate | None:
    """Read one date of birth as a partial date (the scalar form of :func:`partial_date`).

    Args:
        value: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (zeros for unknown parts allowed), a
            ``date``, or None.

    Returns:
        The partial date, or None when the value is None or not a readable date.

    Examples:
        >>> parse_partial_date("1975-03")
        PartialDate(year=1975, month=3, day=None, precision='month', placeholder=False)
        >>> parse_partial_date("1975-01-01").placeholder
        True
        >>> parse_partial_date("1975-02-30") is None
        True
    """
    if value is None:
        return None
    if isinstance(value, date):
        return _scalar_parts(value.year, value.month, value.day)
    if _SHAPE_RE.fullmatch(value) is None:
        return None
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return _scalar_parts(parts[0], 0, 0)
    if len(parts) == 2:
        return _scalar_parts(parts[0], parts[1], 0)
    return _scalar_parts(parts[0], parts[1], parts[2])


# --------------------------------------------------------------------------------------------
# Vectorised


# The expressions are built once: this runs on every batch of pairs, and building and planning
# them costs more than evaluating them on a small batch. The work is staged in columns because
# polars does not share repeated subexpressions within one select.


def _text_stages() -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Two selects turning a String column ``v`` into Int32 year, month, day (0 = unknown)."""
    text, length, number = pl.col("v"), pl.col("length"), pl.col("number")
    first = [
        text.str.contains(_SHAPE).alias("shaped"),
        text.str.len_bytes().alias("length"),
        text.str.replace_all("-", "", literal=True).cast(pl.Int32, strict=False).alias("number"),
    ]
    second = [
        pl.when(pl.col("shaped"))
        .then(
            pl.when(length == 10)
            .then(number // 10_000)
            .when(length == 7)
            .then(number // 100)
            .otherwise(number)
        )
        .alias("year"),
        pl.when(length == 10)
        .then((number // 100) % 100)
        .when(length == 7)
        .then(number % 100)
        .otherwise(0)
        .alias("month"),
        pl.when(length == 10).then(number % 100).otherwise(0).alias("day"),
    ]
    return first, second


def _date_stage() -> list[pl.Expr]:
    """A select turning a Date column ``v`` into Int32 year, month, day."""
    value = pl.col("v")
    return [
        value.dt.year().cast(pl.Int32).alias("year"),
        value.dt.month().cast(pl.Int32).alias("month"),
        value.dt.day().cast(pl.Int32).alias("day"),
    ]


def _struct_stages() -> tuple[list[pl.Expr], pl.Expr]:
    """Columns year, month, day (0 = unknown, null = unreadable) to a PARTIAL_DATE struct."""
    year, month, day = pl.col("year"), pl.col("month"), pl.col("day")
    leap = ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))
    days_in_month = pl.lit(
        pl.Series([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=pl.Int32)
    ).gather(month.clip(0, 12)) + (leap & (month == 2)).cast(pl.Int32)
    first = [
        year,
        month,
        day,
        (month == 0).alias("is_year"),
        ((month != 0) & (day == 0)).alias("is_month"),
        (
            year.is_between(_MIN_YEAR, _MAX_YEAR)
            & month.is_between(0, 12)
            & ((month == 0) | day.is_between(0, days_in_month))
        )
        .fill_null(False)
        .alias("valid"),
    ]
    is_year, is_month = pl.col("is_year"), pl.col("is_month")
    is_day = ~is_year & ~is_month
    precision = (
        pl.when(is_year)
        .then(pl.lit("year", Precision))
        .when(is_month)
        .then(pl.lit("month", Precision))
        .otherwise(pl.lit("day", Precision))
    )
    struct = pl.struct(
        year=year.cast(pl.Int16),
        month=pl.when(~is_year).then(month).cast(pl.Int8),
        day=pl.when(is_day).then(day).cast(pl.Int8),
        precision=precision,
        placeholder=is_day & (month == 1) & (day == 1),
    )
    return first, pl.when(pl.col("valid")).then(struct)


_TEXT_STAGES: Final = _text_stages()
_DATE_STAGE: Final = _date_stage()
_STRUCT_STAGES: Final = _struct_stages()


def _parts_of_text(text: pl.Series) -> pl.DataFrame:
    first, second = _TEXT_STAGES
    return text.alias("v").to_frame().select(first).select(second)


def _parts_of_date(dates: pl.Series) -> pl.DataFrame:
    return dates.alias("v").to_frame().select(_DATE_STAGE)


def _struct_of_parts(parts: pl.DataFrame) -> pl.Series:
    first, struct = _STRUCT_STAGES
    return parts.select(first).select(struct).to_series()


def _partial_series(values: pl.Series) -> pl.Series:
    """Dispatch on the dtype, known only once the column is there."""
    dtype = values.dtype
    if dtype == PARTIAL_DATE:
        return values
    if isinstance(dtype, pl.Struct):
        if [field.name for field in dtype.fields] != list(PARTIAL_DATE.to_schema()):
            raise TypeError(f"a struct column must have the fields of PARTIAL_DATE, not {dtype}")
        return values.cast(PARTIAL_DATE)
    if dtype == pl.Null:
        return values.cast(PARTIAL_DATE)
    if dtype == pl.Date:
        parts = _parts_of_date(values)
    elif isinstance(dtype, pl.Datetime):
        parts = _parts_of_date(values.dt.date())
    elif dtype == pl.String:
        parts = _parts_of_text(values)
    elif dtype.is_integer() or isinstance(dtype, (pl.Categorical, pl.Enum)):
        parts = _parts_of_text(values.cast(pl.String))
    else:
        raise TypeError(f"cannot read a date of birth from a {dtype} column")
    return _struct_of_parts(parts).alias(values.name)


def partial_date(column: str | pl.Expr) -> pl.Expr:
    """A polars expression reading dates of birth as :data:`PARTIAL_DATE` structs.

    Args:
        column: A column name or expression holding text (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``,
            zeros allowed for unknown parts; integers are read as years), dates (day
            precision; datetimes are truncated to their date), or partial-date structs
            (returned unchanged).

    Returns:
        A struct expression; null where the input is null or not a readable date.

    Raises:
        TypeError: At evaluation, when the column has another type.

    Examples:
        >>> frame = pl.DataFrame({"dob": ["1975-03-14", "1975-03", "1975", "1975-02-30"]})
        >>> frame.select(partial_date("dob").struct.field("precision")).to_series().to_list()
        ['day', 'month', 'year', None]
    """
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.map_batches(_partial_series, return_dtype=PARTIAL_DATE, is_elementwise=True)
