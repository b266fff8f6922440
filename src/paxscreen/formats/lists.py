"""Reference lists: watchlists (people) and document lists (lost, stolen, revoked documents).

Both readers take a path to a CSV or Parquet file (chosen by extension, ``.csv``/``.tsv``/
``.txt`` or ``.parquet``/``.pq``, else by content), raw bytes or a binary file, a
:class:`polars.DataFrame` (or ``LazyFrame``) or a :class:`pyarrow.Table`. CSV is read with every
column as text, so document numbers keep their leading zeros.

Headers are matched as for manifests (see :mod:`paxscreen.formats.tabular`): exact spelling
first, then case/punctuation-insensitive, then these aliases. Other columns are ignored.

Watchlist aliases:

=============  ================================================================================
Column         Aliases
=============  ================================================================================
entry_id       id, entity_id, entry, uid, list_entry_id
name_type      name_kind, alias_type, alias_quality
family_name    surname, surnames, last_name, family
given_names    given_name, first_name, first_names, forename, forenames
full_name      name, whole_name
dob            date_of_birth, birth_date, birthday
nationality    citizenship, nationality_code
sex            gender
doc_type       document_type
doc_number     document_number, document_no, doc_no, passport_number, passport_no, passport,
               id_number
doc_issuer     document_issuer, issuing_country, issuing_state, issuer
list_name      list, source_list, watchlist, program, programme
category       list_category, risk_category
=============  ================================================================================

Document list aliases:

=============  ================================================================================
doc_number     document_number, document_no, doc_no, passport_number, passport_no, number
doc_issuer     document_issuer, issuing_country, issuing_state, issuer, country
doc_type       document_type, type
status         document_status, doc_status
reported_on    reported, reported_date, report_date, date_reported
record_ref     record_id, ref, reference, id
=============  ================================================================================

Reference lists must be clean: a value that cannot be read raises
:class:`~paxscreen.errors.SchemaError` naming the column and the 1-based data row (never the
value). Strings are stripped and empty strings become null. Rows whose every value is empty
(blank lines) are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO, Final, Protocol, TypeAlias, runtime_checkable

import polars as pl

from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError, SchemaError
from paxscreen.formats._issues import IssueLog
from paxscreen.formats._source import read_source
from paxscreen.formats.tabular import (
    SEX_CODES,
    ColumnMap,
    RawTable,
    alias_lookup,
    clean_raw,
    clean_text,
    frame_table,
    header_key,
    is_plain_scalar,
    map_columns,
    read_csv_table,
    read_parquet_table,
    split_full_name,
    type_name,
)
from paxscreen.schema import DOCUMENT_LIST, NAME_TYPES, WATCHLIST

__all__ = [
    "DOCUMENT_LIST",
    "DOCUMENT_LIST_ALIASES",
    "NAME_TYPES",
    "WATCHLIST",
    "WATCHLIST_ALIASES",
    "ArrowTable",
    "ListSource",
    "read_documents",
    "read_watchlist",
]


@runtime_checkable
class ArrowTable(Protocol):
    """Anything exporting an Arrow C stream: a :class:`pyarrow.Table` or ``RecordBatchReader``,
    a DuckDB result, a nanoarrow stream..."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export the data through the Arrow PyCapsule interface."""


#: What the list readers accept.
ListSource: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | bytearray
    | memoryview
    | BinaryIO
    | pl.DataFrame
    | pl.LazyFrame
    | ArrowTable
)

#: The canonical watchlist frame, one row per name.
WATCHLIST_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "entry_id": ("id", "entity_id", "entry", "uid", "list_entry_id"),
    "name_type": ("name_kind", "alias_type", "alias_quality"),
    "family_name": ("surname", "surnames", "last_name", "family"),
    "given_names": ("given_name", "first_name", "first_names", "forename", "forenames"),
    "full_name": ("name", "whole_name"),
    "dob": ("date_of_birth", "birth_date", "birthday"),
    "nationality": ("citizenship", "nationality_code"),
    "sex": ("gender",),
    "doc_type": ("document_type",),
    "doc_number": (
        "document_number",
        "document_no",
        "doc_no",
        "passport_number",
        "passport_no",
        "passport",
        "id_number",
    ),
    "doc_issuer": ("document_issuer", "issuing_country", "issuing_state", "issuer"),
    "list_name": ("list", "source_list", "watchlist", "program", "programme"),
    "category": ("list_category", "risk_category"),
}

DOCUMENT_LIST_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "doc_number": (
        "document_number",
        "document_no",
        "doc_no",
        "passport_number",
        "passport_no",
        "number",
    ),
    "doc_issuer": ("document_issuer", "issuing_country", "issuing_state", "issuer", "country"),
    "doc_type": ("document_type", "type"),
    "status": ("document_status", "doc_status"),
    "reported_on": ("reported", "reported_date", "report_date", "date_reported"),
    "record_ref": ("record_id", "ref", "reference", "id"),
}

#: ``name_type`` spellings (letters and digits only, upper case) -> canonical value.
_NAME_TYPE_WORDS: Final[Mapping[str, str]] = {
    "PRIMARY": "primary",
    "PRIMARYNAME": "primary",
    "MAIN": "primary",
    "ALIAS": "alias",
    "STRONGALIAS": "alias",
    "STRONG": "alias",
    "AKA": "alias",
    "STRONGAKA": "alias",
    "FKA": "alias",
    "NKA": "alias",
    "WEAKALIAS": "weak_alias",
    "WEAK": "weak_alias",
    "WEAKAKA": "weak_alias",
    "LOWQUALITYAKA": "weak_alias",
}

_WATCHLIST_LOOKUP: Final = alias_lookup(WATCHLIST.names(), WATCHLIST_ALIASES)
_DOCUMENT_LOOKUP: Final = alias_lookup(DOCUMENT_LIST.names(), DOCUMENT_LIST_ALIASES)
_ROW: Final = "__row"
_PARQUET_SUFFIXES: Final = frozenset({".parquet", ".pq"})
_CSV_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt"})
_PARTIAL_DATE: Final = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_MAX_ROWS_SHOWN: Final = 10


# --------------------------------------------------------------------------------------------
# Loading


def _load(source: ListSource, options: ParseOptions) -> RawTable:
    if isinstance(source, pl.LazyFrame):
        source = source.collect()
    if isinstance(source, pl.DataFrame):
        return frame_table(source)
    if isinstance(source, ArrowTable):
        try:
            converted = pl.from_arrow(source)
        except Exception:
            raise SchemaError("the Arrow data has columns that polars cannot read") from None
        if not isinstance(converted, pl.DataFrame):
            converted = converted.to_frame()
        return frame_table(converted)
    fmt: str | None = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ParseError("E_SOURCE", "no such file", source=path.name)
        suffix = path.suffix.lower()
        fmt = (
            "parquet" if suffix in _PARQUET_SUFFIXES else "csv" if suffix in _CSV_SUFFIXES else None
        )
        data, name = read_source(path, max_bytes=options.max_bytes)
    else:
        data, name = read_source(source, max_bytes=options.max_bytes)
    log = IssueLog(strict=options.strict, source=name)
    if fmt is None:
        fmt = "parquet" if data[:4] == b"PAR1" else "csv"
    if fmt == "parquet":
        return read_parquet_table(data, log=log)
    return read_csv_table(data, options=options, log=log)


# --------------------------------------------------------------------------------------------
# Column work shared by both lists


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_MAX_ROWS_SHOWN])
    if len(rows) > _MAX_ROWS_SHOWN:
        shown += f" and {len(rows) - _MAX_ROWS_SHOWN} more"
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


class _ListBuilder:
    """Checks and converts the mapped columns of one reference list."""

    def __init__(self, table: RawTable, mapping: ColumnMap, *, kind: str) -> None:
        self.mapping = mapping
        self.kind = kind
        columns = [pl.col(f"c{i}").alias(target) for target, i in mapping.assigned.items()]
        self.frame = table.frame.select(pl.col(_ROW), *columns)

    def has(self, target: str) -> bool:
        return target in self.frame.columns

    def shown(self, target: str) -> str:
        return self.mapping.display(target) if target in self.mapping.assigned else repr(target)

    def type_error(self, target: str, expected: str, extra: str = "") -> SchemaError:
        got = type_name(self.frame.schema[target])
        return SchemaError(
            f"{self.kind}: column {self.shown(target)} has type {got}; expected {expected}{extra}"
        )

    def reject(self, target: str, bad: pl.Expr, problem: str) -> None:
        """Raise naming the rows where ``bad`` holds, if any."""
        rows = self.frame.filter(bad.fill_null(False)).get_column(_ROW).to_list()
        if rows:
            raise SchemaError(
                f"{self.kind}: column {self.shown(target)}, {_rows_text(rows)}: {problem}"
            )

    def text(self, target: str, *, numbers: bool = True) -> None:
        """Make ``target`` clean text (absent columns become null)."""
        if not self.has(target):
            self.frame = self.frame.with_columns(pl.lit(None, pl.String).alias(target))
            return
        dtype = self.frame.schema[target]
        col = pl.col(target)
        if dtype == pl.String:
            expr = clean_text(col)
        elif dtype == pl.Null or isinstance(dtype, (pl.Categorical, pl.Enum)):
            expr = clean_text(col.cast(pl.String))
        elif is_plain_scalar(dtype):
            if not numbers:
                raise self.type_error(
                    target,
                    "text",
                    " (numbers may already have lost leading zeros; store the column as text)",
                )
            expr = clean_text(col.cast(pl.String))
        else:
            raise self.type_error(target, "text")
        self.frame = self.frame.with_columns(expr.alias(target))

    def coded(self, target: str, words: Mapping[str, str | None], problem: str) -> None:
        """Map a text column through ``words`` (keys: upper case, letters and digits only)."""
        self.text(target)
        key = pl.col(target).str.to_uppercase().str.replace_all(r"[^\p{L}\p{N}?<]", "")
        self.reject(target, pl.col(target).is_not_null() & ~key.is_in(list(words)), problem)
        mapped = key.replace_strict(dict(words), default=None, return_dtype=pl.String)
        self.frame = self.frame.with_columns(mapped.alias(target))

    def finish(self, schema: pl.Schema) -> pl.DataFrame:
        return self.frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def _missing_columns(kind: str, required: str, mapping: ColumnMap) -> SchemaError:
    if mapping.assigned:
        found = ", ".join(mapping.shown()) or "none"
    else:
        # Nothing recognised: the "header" may be a row of data, so do not echo it.
        found = f"{len(mapping.names)} column(s), none recognised (is the header missing?)"
    return SchemaError(f"{kind} lacks required columns: needs {required}; found: {found}")


def _map(table: RawTable, canonical: pl.Schema, lookup: Mapping[str, str]) -> ColumnMap:
    return map_columns(table.names, canonical.names(), lookup)


# --------------------------------------------------------------------------------------------
# Watchlist


def _sex_words() -> dict[str, str | None]:
    return {header_key(word).upper() or word: code for word, code in SEX_CODES.items()}


def _watchlist_dob(b: _ListBuilder) -> None:
    if not b.has("dob"):
        b.frame = b.frame.with_columns(pl.lit(None, pl.String).alias("dob"))
        return
    dtype = b.frame.schema["dob"]
    col = pl.col("dob")
    if dtype == pl.Date:
        b.frame = b.frame.with_columns(col.dt.strftime("%Y-%m-%d"))
        return
    if isinstance(dtype, pl.Datetime):
        b.frame = b.frame.with_columns(col.dt.date().dt.strftime("%Y-%m-%d"))
        return
    if dtype.is_integer():
        b.frame = b.frame.with_columns(col.cast(pl.String))  # a year
    elif not (dtype in (pl.String, pl.Null) or isinstance(dtype, (pl.Categorical, pl.Enum))):
        raise b.type_error("dob", "text (YYYY-MM-DD, YYYY-MM or YYYY) or a Date column")
    b.text("dob")
    text = pl.col("dob")
    year = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = text.str.slice(5, 2).cast(pl.Int32, strict=False)
    length = text.str.len_bytes()
    full_ok = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False).is_not_null()
    valid = (
        text.str.contains(_PARTIAL_DATE)
        & (year >= 1)
        & ((length == 4) | ((length == 7) & month.is_between(1, 12)) | ((length == 10) & full_ok))
    )
    b.reject(
        "dob",
        text.is_not_null() & ~valid.fill_null(False),
        "not a date of the form YYYY-MM-DD, YYYY-MM or YYYY (or not a calendar date)",
    )


def _watchlist_names(b: _ListBuilder) -> None:
    for name in ("family_name", "given_names", "full_name"):
        b.text(name)
    family, given = split_full_name(pl.col("full_name"), last_token_is_family=False)
    fill = pl.col("family_name").is_null() & pl.col("given_names").is_null()
    b.frame = b.frame.with_columns(
        pl.when(fill).then(family).otherwise(pl.col("family_name")).alias("family_name"),
        pl.when(fill).then(given).otherwise(pl.col("given_names")).alias("given_names"),
    )
    built = clean_text(
        pl.concat_str(
            [pl.col("given_names"), pl.col("family_name")], separator=" ", ignore_nulls=True
        )
    )
    b.frame = b.frame.with_columns(pl.coalesce(pl.col("full_name"), built).alias("full_name"))
    b.reject(
        "full_name" if b.mapping.assigned.get("full_name") is not None else "family_name",
        pl.col("full_name").is_null(),
        "no name (every row needs family_name/given_names or full_name)",
    )


def read_watchlist(source: ListSource, *, options: ParseOptions | None = None) -> pl.DataFrame:
    """Read a watchlist into the canonical frame (:data:`WATCHLIST`), one row per name.

    Rows sharing an ``entry_id`` are names (and dates of birth, documents...) of one identity;
    they are kept as separate rows. ``name_type`` defaults to ``primary``. ``full_name`` is
    always filled: from the input, or ``"given family"`` built from the parts. A ``full_name``
    with a comma (``"FAMILY, Given"``) also fills ``family_name``/``given_names`` when both are
    empty; without a comma the parts stay null, as the order is unknown. Names are kept in
    their script (only stripped). ``dob`` is text, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``;
    ``sex`` is ``M``/``F``/``X`` (``U``/unknown become null).

    Args:
        source: A path (CSV or Parquet), bytes, a binary file, a polars frame or an Arrow table.
        options: Size limit and encoding fallback for files (``ParseOptions()`` by default).

    Raises:
        SchemaError: A required column is missing (``entry_id`` and one of ``family_name``,
            ``given_names``, ``full_name``); a row lacks an entry id or a name; a value is
            unreadable (``dob``, ``sex``, ``name_type``); ``doc_number`` is numeric.
        ParseError: The file cannot be read (``E_SOURCE``, ``E_TOO_LARGE``, ``E_CSV``,
            ``E_PARQUET``).
    """
    options = options or ParseOptions()
    table = clean_raw(_load(source, options))
    mapping = _map(table, WATCHLIST, _WATCHLIST_LOOKUP)
    has_name = any(n in mapping.assigned for n in ("family_name", "given_names", "full_name"))
    if "entry_id" not in mapping.assigned or not has_name:
        raise _missing_columns(
            "watchlist",
            "entry_id and a name (family_name + given_names, or full_name)",
            mapping,
        )
    b = _ListBuilder(table, mapping, kind="watchlist")
    b.text("entry_id")
    b.reject("entry_id", pl.col("entry_id").is_null(), "empty (every row needs an entry_id)")
    _watchlist_names(b)
    if b.has("name_type"):
        b.coded("name_type", _NAME_TYPE_WORDS, "not a name type (primary, alias, weak_alias)")
    else:
        b.text("name_type")
    b.frame = b.frame.with_columns(pl.col("name_type").fill_null("primary"))
    _watchlist_dob(b)
    if b.has("sex"):
        b.coded("sex", _sex_words(), "not a sex code (M, F, X)")
    b.text("doc_number", numbers=False)
    for name in ("nationality", "sex", "doc_type", "doc_issuer", "list_name", "category"):
        b.text(name)
    return b.finish(WATCHLIST)


# --------------------------------------------------------------------------------------------
# Document list


def _reported_on(b: _ListBuilder) -> None:
    if not b.has("reported_on"):
        b.frame = b.frame.with_columns(pl.lit(None, pl.Date).alias("reported_on"))
        return
    dtype = b.frame.schema["reported_on"]
    col = pl.col("reported_on")
    if dtype == pl.Date:
        return
    if isinstance(dtype, pl.Datetime):
        b.frame = b.frame.with_columns(col.dt.date())
        return
    if not (dtype in (pl.String, pl.Null) or isinstance(dtype, (pl.Categorical, pl.Enum))):
        raise b.type_error("reported_on", "ISO date text (YYYY-MM-DD) or a Date column")
    b.text("reported_on")
    text = pl.col("reported_on")
    parsed = (
        pl.when(text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        .then(text.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
        .otherwise(None)
    )
    b.reject("reported_on", text.is_not_null() & parsed.is_null(), "not an ISO date (YYYY-MM-DD)")
    b.frame = b.frame.with_columns(parsed.alias("reported_on"))


def read_documents(source: ListSource, *, options: ParseOptions | None = None) -> pl.DataFrame:
    """Read a list of lost, stolen or revoked travel documents (:data:`DOCUMENT_LIST`).

    ``doc_number`` is kept as text exactly as given (stripped; leading zeros kept).
    ``reported_on`` is a Date (from ISO text or a Date/Datetime column). ``record_ref``
    defaults to ``row-{n}`` (1-based data row); it is what hits show as the list entry.

    Args:
        source: A path (CSV or Parquet), bytes, a binary file, a polars frame or an Arrow table.
        options: Size limit and encoding fallback for files (``ParseOptions()`` by default).

    Raises:
        SchemaError: ``doc_number`` is missing, empty in a row, or numeric; ``reported_on`` is
            not a date.
        ParseError: The file cannot be read (``E_SOURCE``, ``E_TOO_LARGE``, ``E_CSV``,
            ``E_PARQUET``).
    """
    options = options or ParseOptions()
    table = clean_raw(_load(source, options))
    mapping = _map(table, DOCUMENT_LIST, _DOCUMENT_LOOKUP)
    if "doc_number" not in mapping.assigned:
        raise _missing_columns("document list", "doc_number", mapping)
    b = _ListBuilder(table, mapping, kind="document list")
    b.text("doc_number", numbers=False)
    b.reject("doc_number", pl.col("doc_number").is_null(), "empty (every row needs a doc_number)")
    for name in ("doc_issuer", "doc_type", "status", "record_ref"):
        b.text(name)
    _reported_on(b)
    b.frame = b.frame.with_columns(
        pl.coalesce(pl.col("record_ref"), pl.format("row-{}", pl.col(_ROW))).alias("record_ref")
    )
    return b.finish(DOCUMENT_LIST)
