"""Column definitions of every frame paxscreen produces or accepts, in one place.

Frames are polars DataFrames with exactly these columns, in this order. Unknown values are
null, never the empty string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import polars as pl

__all__ = [
    "DOCUMENT",
    "DOCUMENT_LIST",
    "ISSUES",
    "LEG",
    "NAME_TYPES",
    "REFERENCE",
    "ROLES",
    "TRAVELLERS",
    "WATCHLIST",
    "empty_issues",
    "empty_travellers",
    "issues_frame",
    "travellers_frame",
    "with_traveller_columns",
]

#: One travel document of a traveller (passport, visa, identity card, licence...).
DOCUMENT: Final = pl.Struct(
    {
        "doc_type": pl.String(),
        "doc_number": pl.String(),
        "doc_issuer": pl.String(),
        "doc_expiry": pl.Date(),
    }
)

#: One flight leg (PAXLST TDT group, PNR itinerary segment).
LEG: Final = pl.Struct(
    {
        "carrier": pl.String(),
        "flight_number": pl.String(),
        "dep_airport": pl.String(),
        "arr_airport": pl.String(),
        "dep_time": pl.Datetime("us"),
        "arr_time": pl.Datetime("us"),
    }
)

#: One reference of a traveller (PAXLST RFF): qualifier (AVF, ABO, SEA, AEA, CR, YZY...) and value.
REFERENCE: Final = pl.Struct({"qualifier": pl.String(), "value": pl.String()})

#: The values of the ``role`` column.
ROLES: Final = ("passenger", "crew", "in_transit_passenger", "in_transit_crew", "infant")

#: The travellers frame: one row per traveller, filled by every parser as far as its format allows.
TRAVELLERS: Final = pl.Schema(
    {
        "record_id": pl.String(),
        "source_format": pl.String(),
        "source_ref": pl.String(),
        "role": pl.String(),
        "family_name": pl.String(),
        "given_names": pl.String(),
        "dob": pl.Date(),
        "sex": pl.String(),
        "nationality": pl.String(),
        "residence": pl.String(),
        "birthplace": pl.String(),
        "doc_type": pl.String(),
        "doc_number": pl.String(),
        "doc_issuer": pl.String(),
        "doc_expiry": pl.Date(),
        "documents": pl.List(DOCUMENT),
        "carrier": pl.String(),
        "flight_number": pl.String(),
        "dep_airport": pl.String(),
        "arr_airport": pl.String(),
        "dep_time": pl.Datetime("us"),
        "arr_time": pl.Datetime("us"),
        "embark": pl.String(),
        "debark": pl.String(),
        "pnr_locator": pl.String(),
        "seat": pl.String(),
        "bag_tags": pl.List(pl.String()),
        "references": pl.List(REFERENCE),
        "legs": pl.List(LEG),
    }
)

#: Canonical watchlist rows (one per name; rows sharing ``entry_id`` are one identity).
WATCHLIST: Final = pl.Schema(
    {
        "entry_id": pl.String(),
        "name_type": pl.String(),
        "family_name": pl.String(),
        "given_names": pl.String(),
        "full_name": pl.String(),
        "dob": pl.String(),
        "nationality": pl.String(),
        "sex": pl.String(),
        "doc_type": pl.String(),
        "doc_number": pl.String(),
        "doc_issuer": pl.String(),
        "list_name": pl.String(),
        "category": pl.String(),
    }
)

#: Canonical lost / stolen / revoked travel document rows, one per listed document.
DOCUMENT_LIST: Final = pl.Schema(
    {
        "doc_number": pl.String(),
        "doc_issuer": pl.String(),
        "doc_type": pl.String(),
        "status": pl.String(),
        "reported_on": pl.Date(),
        "record_ref": pl.String(),
    }
)

#: The values of the watchlist ``name_type`` column.
NAME_TYPES: Final = ("primary", "alias", "weak_alias")

#: The issues frame: what a parser repaired, skipped or found wrong. Never personal data.
ISSUES: Final = pl.Schema(
    {
        "severity": pl.String(),  # "error" | "warning" | "info"
        "code": pl.String(),
        "message": pl.String(),
        "segment_index": pl.Int64(),
        "tag": pl.String(),
        "offset": pl.Int64(),
        "record_id": pl.String(),
    }
)


def _frame(rows: Iterable[Mapping[str, Any]], schema: pl.Schema) -> pl.DataFrame:
    rows = list(rows)
    unknown = {key for row in rows for key in row} - set(schema)
    if unknown:
        raise KeyError(f"columns not in the schema: {sorted(unknown)}")
    columns = {name: [row.get(name) for row in rows] for name in schema}
    return pl.DataFrame(columns, schema=schema)


def travellers_frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """Build a travellers frame from row dicts; missing columns are null.

    Raises:
        KeyError: A row has a key that is not a travellers column.
    """
    return _frame(rows, TRAVELLERS)


def with_traveller_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every travellers column it lacks added as nulls of its type."""
    return frame.with_columns(
        pl.lit(None, dtype).alias(name)
        for name, dtype in TRAVELLERS.items()
        if name not in frame.columns
    )


def issues_frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """Build an issues frame from row dicts; missing columns are null."""
    return _frame(rows, ISSUES)


def empty_travellers() -> pl.DataFrame:
    """A travellers frame with no rows."""
    return pl.DataFrame(schema=TRAVELLERS)


def empty_issues() -> pl.DataFrame:
    """An issues frame with no rows."""
    return pl.DataFrame(schema=ISSUES)
