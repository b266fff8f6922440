"""Tabular manifests: CSV and Parquet files with one row per traveller.

The columns are those of the travellers frame (:data:`paxscreen.schema.TRAVELLERS`). Headers are
matched in three passes: a header spelled exactly like a travellers column wins; then headers
are compared case-insensitively with everything but letters and digits removed (``Family Name``,
``FAMILY-NAME`` and ``familyName`` all mean ``family_name``); then the same comparison runs
against the aliases below. When two headers claim one column, the first claim wins and the others
are ignored (reported in the info issue that lists ignored columns).

=================  ===========================================================================
Column             Aliases (case, spaces, ``_``, ``-`` and ``.`` do not matter)
=================  ===========================================================================
record_id          id, pax_id, passenger_id, traveller_id, traveler_id
source_ref         message_ref, message_reference, source_reference
role               passenger_type, pax_type, traveller_type, traveler_type
family_name        surname, surnames, last_name, family
given_names        given_name, first_name, first_names, forename, forenames
full_name          name, passenger_name, traveller_name, traveler_name (see below)
dob                date_of_birth, birth_date, birthday
sex                gender
nationality        citizenship, nationality_code
residence          country_of_residence, residence_country
birthplace         place_of_birth, birth_place, country_of_birth
doc_type           document_type, travel_document_type
doc_number         document_number, document_no, doc_no, passport_number, passport_no, passport,
                   travel_document_number
doc_issuer         document_issuer, issuing_country, issuing_state, issuer, passport_issuer
doc_expiry         document_expiry, expiry_date, expiration_date, date_of_expiry, passport_expiry,
                   expiry
carrier            airline, airline_code, carrier_code
flight_number      flight, flight_no
dep_airport        departure_airport, origin
arr_airport        arrival_airport, destination
dep_time           departure_time, departure_datetime
arr_time           arrival_time, arrival_datetime
embark             embarkation, port_of_embarkation
debark             debarkation, disembarkation, port_of_debarkation
pnr_locator        pnr, record_locator, booking_reference, booking_ref, locator
seat               seat_number, seat_no
bag_tags           bags, bag_tag, bag_tag_numbers, baggage_tags
=================  ===========================================================================

Values:

* Strings are stripped; empty and all-whitespace strings become null.
* ``full_name`` fills ``family_name``/``given_names`` on rows where both are null: with a
  comma it is split at the first comma (``"FAMILY, Given"``), without one the last
  whitespace-separated token is the family name (``"Given Middle Family"``).
* Dates (``dob``, ``doc_expiry``) are ISO ``YYYY-MM-DD`` strings or Date/Datetime columns;
  ``dep_time``/``arr_time`` are ``YYYY-MM-DD[ HH:MM[:SS[.fff]]]`` (``T`` or a space between
  date and time) or Datetime/Date columns.
* ``sex`` becomes ``M``, ``F`` or ``X`` (``MALE``, ``FEMALE``, ``UNSPECIFIED``, ``OTHER``...
  are understood); ``U``/``UNKNOWN`` become null. ``role`` becomes one of
  :data:`paxscreen.schema.ROLES` (``pax``, ``crew_member``, ``inf``... are understood).
* A value that cannot be read becomes null with a ``W_FIELD`` issue naming the column and the
  row; in strict mode it raises ``ParseError`` ``E_FIELD`` instead.
* ``record_id`` is kept as text; where it is absent or empty it is ``row-{n}``. Duplicate
  record ids raise ``E_DUPLICATE_ID``.
* ``documents`` (Parquet only) is read when given; rows where it is empty or absent hold the
  flat ``doc_*`` document when ``doc_number`` is set, and rows whose flat ``doc_*`` columns are
  all empty take them from the first listed document.
* ``bag_tags`` is a list column (Parquet) or text split at whitespace, commas, semicolons and
  ``|`` (CSV). ``references`` and ``legs`` are read from Parquet list columns only; otherwise
  they are empty lists.

Row numbers in issues and errors are 1-based data rows (the header is not counted), which for
CSV files without line breaks inside quoted values is also the 0-based line number.
Messages never contain a value from the input: only column names, row numbers and codes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import polars as pl

from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError
from paxscreen.formats._issues import IssueLog
from paxscreen.schema import DOCUMENT, LEG, REFERENCE, ROLES, TRAVELLERS

__all__ = [
    "TRAVELLER_ALIASES",
    "TabularFormat",
    "parse_tabular",
    "sniff_tabular",
    "write_tabular",
]

TabularFormat = Literal["csv", "parquet"]

#: Accepted alternative headers of each travellers column (plus ``full_name``).
TRAVELLER_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "record_id": ("id", "pax_id", "passenger_id", "traveller_id", "traveler_id"),
    "source_ref": ("message_ref", "message_reference", "source_reference"),
    "role": ("passenger_type", "pax_type", "traveller_type", "traveler_type"),
    "family_name": ("surname", "surnames", "last_name", "family"),
    "given_names": ("given_name", "first_name", "first_names", "forename", "forenames"),
    "full_name": ("name", "passenger_name", "traveller_name", "traveler_name"),
    "dob": ("date_of_birth", "birth_date", "birthday"),
    "sex": ("gender",),
    "nationality": ("citizenship", "nationality_code"),
    "residence": ("country_of_residence", "residence_country"),
    "birthplace": ("place_of_birth", "birth_place", "country_of_birth"),
    "doc_type": ("document_type", "travel_document_type"),
    "doc_number": (
        "document_number",
        "document_no",
        "doc_no",
        "passport_number",
        "passport_no",
        "passport",
        "travel_document_number",
    ),
    "doc_issuer": (
        "document_issuer",
        "issuing_country",
        "issuing_state",
        "issuer",
        "passport_issuer",
    ),
    "doc_expiry": (
        "document_expiry",
        "expiry_date",
        "expiration_date",
        "date_of_expiry",
        "passport_expiry",
        "expiry",
    ),
    "carrier": ("airline", "airline_code", "carrier_code"),
    "flight_number": ("flight", "flight_no"),
    "dep_airport": ("departure_airport", "origin"),
    "arr_airport": ("arrival_airport", "destination"),
    "dep_time": ("departure_time", "departure_datetime"),
    "arr_time": ("arrival_time", "arrival_datetime"),
    "embark": ("embarkation", "port_of_embarkation"),
    "debark": ("debarkation", "disembarkation", "port_of_debarkation"),
    "pnr_locator": ("pnr", "record_locator", "booking_reference", "booking_ref", "locator"),
    "seat": ("seat_number", "seat_no"),
    "bag_tags": ("bags", "bag_tag", "bag_tag_numbers", "baggage_tags"),
}

_ROW: Final = "__row"
_BAD: Final = "__bad"
_SEPARATORS: Final = (",", ";", "\t")
_SNIFF_BYTES: Final = 64 * 1024
_ISO_DATE: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ISO_DATETIME: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?$"
)
_DATETIME_FORMATS: Final = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
_SAFE_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_ ./()#-]{0,63}")
_LONG_DIGITS: Final = re.compile(r"[0-9]{3}")
_LIST_COLUMNS: Final = ("documents", "references", "legs")
_NUMBERS_FORBIDDEN: Final = frozenset({"doc_number"})

#: Sex codes and words (upper case) -> M/F/X; the ``None`` values are "unknown" (null, no issue).
SEX_CODES: Final[Mapping[str, str | None]] = {
    "M": "M",
    "MALE": "M",
    "F": "F",
    "FEMALE": "F",
    "X": "X",
    "UNSPECIFIED": "X",
    "OTHER": "X",
    "DIVERSE": "X",
    "NONBINARY": "X",
    "NON_BINARY": "X",
    "U": None,
    "UNKNOWN": None,
    "?": None,
    "<": None,
}

_ROLE_WORDS: Final[Mapping[str, str]] = {
    **{role.upper(): role for role in ROLES},
    "PAX": "passenger",
    "P": "passenger",
    "PASSENGER": "passenger",
    "C": "crew",
    "CREW_MEMBER": "crew",
    "CREWMEMBER": "crew",
    "INF": "infant",
    "I": "infant",
    "TRANSIT_PASSENGER": "in_transit_passenger",
    "TRANSIT_CREW": "in_transit_crew",
}


# --------------------------------------------------------------------------------------------
# Column names


def header_key(name: str) -> str:
    """The comparison key of a header: lower case, letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def alias_lookup(canonical: Iterable[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map header keys to canonical names: the canonical names themselves, then their aliases.

    Raises:
        ValueError: Two canonical names claim the same key (a bug in an alias table).
    """
    lookup: dict[str, str] = {}
    pairs = [(name, name) for name in canonical]
    pairs += [(alias, target) for target, names in aliases.items() for alias in names]
    for alias, target in pairs:
        key = header_key(alias)
        if lookup.get(key, target) != target:
            raise ValueError(f"alias {alias!r} claimed by {lookup[key]!r} and {target!r}")
        lookup[key] = target
    return lookup


_TRAVELLER_NAMES: Final = (*TRAVELLERS.names(), "full_name")
_TRAVELLER_LOOKUP: Final = alias_lookup(_TRAVELLER_NAMES, TRAVELLER_ALIASES)


def display_name(name: str, index: int) -> str:
    """How a header appears in messages: quoted if it looks like a column name.

    Headers that do not look like column names (digits, odd characters: the "header" may be a
    row of data) are shown by position instead.
    """
    text = name.strip()
    if _SAFE_NAME.fullmatch(text) and not _LONG_DIGITS.search(text):
        return repr(text)
    return f"column {index + 1}"


@dataclass(frozen=True)
class ColumnMap:
    """Which input column (by position) feeds which canonical column.

    Attributes:
        names: The input headers, by position.
        assigned: Canonical name -> position of the input column that feeds it.
        unknown: Positions of headers that match no canonical name.
        duplicates: (position, canonical name) of headers that match a canonical name
            already fed by an earlier header.
    """

    names: tuple[str, ...]
    assigned: dict[str, int]
    unknown: tuple[int, ...]
    duplicates: tuple[tuple[int, str], ...]

    def display(self, target: str) -> str:
        """The input header feeding ``target``, as shown in messages."""
        index = self.assigned[target]
        shown = display_name(self.names[index], index)
        return shown if self.names[index].strip() == target else f"{shown} ({target})"

    def shown(self) -> list[str]:
        """The input headers as shown in messages, in input order."""
        return [display_name(name, i) for i, name in enumerate(self.names)]

    def ignored_message(self) -> str | None:
        """A one-line description of the ignored headers, or ``None`` when there are none."""
        parts = [display_name(self.names[i], i) for i in self.unknown]
        for i, target in self.duplicates:
            parts.append(f"{display_name(self.names[i], i)} (second column for {target})")
        if not parts:
            return None
        return f"ignored {len(parts)} column(s): {', '.join(parts)}"


def map_columns(
    names: Sequence[str], canonical: Sequence[str], lookup: Mapping[str, str]
) -> ColumnMap:
    """Match input headers to canonical names (exact spelling first, then keys and aliases)."""
    assigned: dict[str, int] = {}
    claimed: set[int] = set()
    for i, name in enumerate(names):
        if name.strip() in canonical and name.strip() not in assigned:
            assigned[name.strip()] = i
            claimed.add(i)
    unknown: list[int] = []
    duplicates: list[tuple[int, str]] = []
    for i, name in enumerate(names):
        if i in claimed:
            continue
        target = lookup.get(header_key(name))
        if target is None:
            unknown.append(i)
        elif target in assigned:
            duplicates.append((i, target))
        else:
            assigned[target] = i
    return ColumnMap(tuple(names), assigned, tuple(unknown), tuple(duplicates))


# --------------------------------------------------------------------------------------------
# Reading bytes into a raw frame


@dataclass
class RawTable:
    """An input table before mapping.

    Attributes:
        names: The headers, by position.
        frame: Columns ``c0``, ``c1``... (by position) and ``__row`` (1-based data row number).
    """

    names: list[str]
    frame: pl.DataFrame = field(repr=False)


def _decode(data: bytes, *, options: ParseOptions, log: IssueLog) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise log.error("E_CSV", "input is not valid UTF-16", offset=exc.start) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if options.strict:
        raise log.error("E_CSV", "input is not valid UTF-8", offset=first_bad)
    try:
        text = data.decode(options.fallback_encoding)
    except UnicodeDecodeError as exc:
        raise log.error(
            "E_CSV",
            f"input is neither UTF-8 nor {options.fallback_encoding}",
            offset=exc.start,
        ) from None
    log.add(
        "warning",
        "W_ENCODING",
        f"input is not valid UTF-8; decoded as {options.fallback_encoding}",
        offset=first_bad,
    )
    return text


def _first_line(text: str) -> str:
    """The header record: text up to the first line break outside double quotes."""
    quoted = False
    for i, ch in enumerate(text[:_SNIFF_BYTES]):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[:i]
    return text[:_SNIFF_BYTES]


def _separator(line: str) -> str:
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch in counts and not quoted:
            counts[ch] += 1
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _split_header(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []


def _locate_fault(text: str, separator: str, width: int) -> int | None:
    """The 1-based data row of the first structural CSV fault, if Python's reader sees one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    row = 0
    try:
        for row, record in enumerate(reader):
            if len(record) > width:
                return row
    except csv.Error:
        return row + 1
    return None


def read_csv_table(data: bytes, *, options: ParseOptions, log: IssueLog) -> RawTable:
    """Read CSV bytes with every column as text.

    The separator (comma, semicolon or tab) is the one found most often in the header line.

    Raises:
        ParseError: ``E_CSV`` for undecodable, empty or structurally broken input.
    """
    text = _decode(data, options=options, log=log)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    if not text.strip():
        raise log.error("E_CSV", "input is empty")
    separator = _separator(_first_line(text))
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            infer_schema=False,
            separator=separator,
            quote_char='"',
            raise_if_empty=True,
            truncate_ragged_lines=False,
        )
    except (Exception, pl.exceptions.PanicException):
        # The reader's own message may quote the input: never pass it on.
        width = len(_split_header(_first_line(text), separator))
        row = _locate_fault(text, separator, width)
        where = "" if row is None else f" at row {row}"
        raise log.error(
            "E_CSV",
            f"malformed CSV{where}: a row has more fields than the header, or broken quoting",
            segment_index=row,
        ) from None
    if frame.height == 0 or frame.width == 0:
        raise log.error("E_CSV", "input has no header")
    names = ["" if value is None else str(value) for value in frame.row(0)]
    frame = frame.slice(1)
    frame.columns = [f"c{i}" for i in range(frame.width)]
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(_ROW))
    return RawTable(names, frame)


def read_parquet_table(data: bytes, *, log: IssueLog) -> RawTable:
    """Read Parquet bytes.

    Raises:
        ParseError: ``E_PARQUET`` when the bytes are not a readable Parquet file.
    """
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (Exception, pl.exceptions.PanicException):
        raise log.error("E_PARQUET", "input is not a readable Parquet file") from None
    return frame_table(frame)


def frame_table(frame: pl.DataFrame) -> RawTable:
    """Wrap an in-memory frame as a :class:`RawTable`."""
    names = list(frame.columns)
    frame = frame.rename({name: f"c{i}" for i, name in enumerate(names)})
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(_ROW))
    return RawTable(names, frame)


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Strip a text expression; empty results become null."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_bytes() == 0).then(None).otherwise(stripped)


def clean_raw(table: RawTable) -> RawTable:
    """Strip every text column (empty -> null) and drop rows whose every value is null."""
    frame = table.frame
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    frame = frame.with_columns(clean_text(pl.col(c)).alias(c) for c in text_cols)
    data_cols = [c for c in frame.columns if c != _ROW]
    if data_cols:
        frame = frame.filter(~pl.all_horizontal(pl.col(c).is_null() for c in data_cols))
    return RawTable(table.names, frame)


def _scalar_or_text(dtype: object) -> bool:
    return isinstance(dtype, pl.DataType) and (
        is_plain_scalar(dtype) or dtype in (pl.String, pl.Null)
    )


def type_name(dtype: pl.DataType) -> str:
    """A short name of a polars type for messages (``Int64``, ``List``...)."""
    return dtype.base_type().__name__


def is_plain_scalar(dtype: pl.DataType) -> bool:
    """Numbers, booleans, dates and times: types that can be cast to text unambiguously."""
    return dtype.is_numeric() or dtype == pl.Boolean or dtype.is_temporal()


# --------------------------------------------------------------------------------------------
# Building the travellers frame


class _Builder:
    """Turns a mapped raw table into a travellers frame, one column at a time."""

    def __init__(
        self,
        table: RawTable,
        mapping: ColumnMap,
        *,
        fmt: TabularFormat,
        log: IssueLog,
        strict: bool,
    ) -> None:
        self.mapping = mapping
        self.fmt = fmt
        self.log = log
        self.strict = strict
        columns = [pl.col(f"c{i}").alias(target) for target, i in mapping.assigned.items()]
        self.frame = table.frame.select(pl.col(_ROW), *columns)

    def has(self, target: str) -> bool:
        return target in self.frame.columns

    def dtype(self, target: str) -> pl.DataType:
        return self.frame.schema[target]

    def type_error(self, target: str, expected: str, extra: str = "") -> ParseError:
        got = type_name(self.dtype(target))
        return self.log.error(
            "E_COLUMN_TYPE",
            f"column {self.mapping.display(target)} has type {got}; expected {expected}{extra}",
        )

    # -- reporting -----------------------------------------------------------------------------

    def apply_checked(self, target: str, value: pl.Expr, bad: pl.Expr, what: str) -> None:
        """Replace ``target`` by ``value``; rows where ``bad`` holds are reported and null."""
        frame = self.frame.with_columns(value.alias(target), bad.fill_null(False).alias(_BAD))
        bad_rows = frame.filter(pl.col(_BAD))
        if bad_rows.height:
            shown = self.mapping.display(target)
            ids = bad_rows.get_column("record_id") if "record_id" in frame.columns else None
            for k, row in enumerate(bad_rows.get_column(_ROW).to_list()):
                record_id = None if ids is None else ids[k]
                if self.strict:
                    raise self.log.error(
                        "E_FIELD", f"column {shown}, row {row}: {what}", segment_index=row
                    )
                self.log.add(
                    "warning",
                    "W_FIELD",
                    f"column {shown}, row {row}: {what}; set to null",
                    segment_index=row,
                    record_id=record_id,
                )
            frame = frame.with_columns(
                pl.when(pl.col(_BAD)).then(None).otherwise(pl.col(target)).alias(target)
            )
        self.frame = frame.drop(_BAD)

    # -- columns ---------------------------------------------------------------------------------

    def text(self, target: str) -> None:
        if not self.has(target):
            return
        dtype = self.dtype(target)
        col = pl.col(target)
        if dtype == pl.String:
            expr = clean_text(col)
        elif dtype == pl.Null or isinstance(dtype, (pl.Categorical, pl.Enum)):
            expr = clean_text(col.cast(pl.String))
        elif is_plain_scalar(dtype):
            if target in _NUMBERS_FORBIDDEN:
                raise self.type_error(
                    target,
                    "text",
                    ": document numbers stored as numbers may already have lost leading zeros;"
                    " store the column as text",
                )
            expr = clean_text(col.cast(pl.String))
        else:
            raise self.type_error(target, "text")
        self.frame = self.frame.with_columns(expr.alias(target))

    def record_ids(self) -> None:
        generated = pl.format("row-{}", pl.col(_ROW))
        if not self.has("record_id"):
            self.frame = self.frame.with_columns(generated.alias("record_id"))
            return
        self.text("record_id")
        missing = self.frame.filter(pl.col("record_id").is_null()).get_column(_ROW).to_list()
        for row in missing:
            self.log.add(
                "warning",
                "W_FIELD",
                f"column {self.mapping.display('record_id')}, row {row}: empty; "
                f"record_id row-{row} generated",
                segment_index=row,
                record_id=f"row-{row}",
            )
        self.frame = self.frame.with_columns(pl.coalesce(pl.col("record_id"), generated))
        self.check_unique_ids()

    def check_unique_ids(self) -> None:
        dup = (
            self.frame.select(pl.col(_ROW), pl.col("record_id"))
            .filter(pl.col("record_id").is_duplicated())
            .group_by("record_id", maintain_order=True)
            .agg(pl.col(_ROW))
        )
        if dup.height == 0:
            return
        rows = dup.get_column(_ROW)[0].to_list()
        shown_rows = ", ".join(str(r) for r in rows[:10]) + (", ..." if len(rows) > 10 else "")
        raise self.log.error(
            "E_DUPLICATE_ID",
            f"column {self.mapping.display('record_id')}: rows {shown_rows} share one value"
            f" ({dup.height} duplicated value(s) in all); record ids must be unique",
            segment_index=rows[1],
        )

    def date(self, target: str) -> None:
        if not self.has(target):
            return
        dtype = self.dtype(target)
        col = pl.col(target)
        if dtype == pl.Date:
            return
        if isinstance(dtype, pl.Datetime):
            self.frame = self.frame.with_columns(col.dt.date())
        elif dtype == pl.Null:
            self.frame = self.frame.with_columns(col.cast(pl.Date))
        elif dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
            text = clean_text(col.cast(pl.String))
            parsed = (
                pl.when(text.str.contains(_ISO_DATE))
                .then(text.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
                .otherwise(None)
            )
            bad = text.is_not_null() & parsed.is_null()
            self.apply_checked(target, parsed, bad, "not an ISO date (YYYY-MM-DD)")
        else:
            raise self.type_error(target, "ISO date text or a Date column")

    def datetime(self, target: str) -> None:
        if not self.has(target):
            return
        dtype = self.dtype(target)
        col = pl.col(target)
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            self.frame = self.frame.with_columns(col.cast(pl.Datetime("us")))
        elif dtype == pl.Date or dtype == pl.Null:
            self.frame = self.frame.with_columns(col.cast(pl.Datetime("us")))
        elif dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
            text = clean_text(col.cast(pl.String))
            spaced = text.str.replace("T", " ", literal=True)
            parsed = pl.coalesce(
                spaced.str.strptime(pl.Datetime("us"), fmt, strict=False)
                for fmt in _DATETIME_FORMATS
            )
            parsed = pl.when(text.str.contains(_ISO_DATETIME)).then(parsed).otherwise(None)
            bad = text.is_not_null() & parsed.is_null()
            self.apply_checked(target, parsed, bad, "not an ISO date-time (YYYY-MM-DD HH:MM)")
        else:
            raise self.type_error(target, "ISO date-time text or a Datetime column")

    def coded(self, target: str, codes: Mapping[str, str | None], what: str) -> None:
        if not self.has(target):
            return
        self.text(target)
        key = pl.col(target).str.to_uppercase().str.replace_all(r"[\s-]+", "_")
        known = key.is_in(list(codes))
        mapped = key.replace_strict(dict(codes), default=None, return_dtype=pl.String)
        value = pl.when(pl.col(target).is_null()).then(None).otherwise(mapped)
        self.apply_checked(target, value, pl.col(target).is_not_null() & ~known, what)

    def full_name(self) -> None:
        if not self.has("full_name"):
            return
        self.text("full_name")
        for target in ("family_name", "given_names"):
            if not self.has(target):
                self.frame = self.frame.with_columns(pl.lit(None, pl.String).alias(target))
        family, given = split_full_name(pl.col("full_name"), last_token_is_family=True)
        fill = pl.col("family_name").is_null() & pl.col("given_names").is_null()
        self.frame = self.frame.with_columns(
            pl.when(fill).then(family).otherwise(pl.col("family_name")).alias("family_name"),
            pl.when(fill).then(given).otherwise(pl.col("given_names")).alias("given_names"),
        )

    def bag_tags(self) -> None:
        empty = pl.lit([], pl.List(pl.String))
        if not self.has("bag_tags"):
            self.frame = self.frame.with_columns(empty.alias("bag_tags"))
            return
        dtype = self.dtype("bag_tags")
        col = pl.col("bag_tags")
        if dtype == pl.String:
            expr = col.str.extract_all(r"[^\s,;|]+")
        elif dtype == pl.Null:
            expr = col.cast(pl.List(pl.String))
        elif isinstance(dtype, (pl.List, pl.Array)) and _scalar_or_text(dtype.inner):
            expr = col.cast(pl.List(pl.String)).list.eval(clean_text(pl.element()).drop_nulls())
        else:
            raise self.type_error("bag_tags", "a list of text or text")
        self.frame = self.frame.with_columns(pl.coalesce(expr, empty).alias("bag_tags"))

    def struct_list(self, target: str, struct: pl.Struct) -> None:
        empty = pl.lit([], pl.List(struct))
        if not self.has(target):
            self.frame = self.frame.with_columns(empty.alias(target))
            return
        dtype = self.dtype(target)
        if dtype == pl.Null:
            self.frame = self.frame.with_columns(empty.alias(target))
            return
        if not (isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct)):
            if self.fmt == "csv":
                # Text cannot carry a list of records: say so once and leave the list empty.
                self.log.add(
                    "info",
                    "I_COLUMN_IGNORED",
                    f"column {self.mapping.display(target)} cannot be read from CSV text;"
                    " left empty",
                )
                self.frame = self.frame.with_columns(empty.alias(target))
                return
            raise self.type_error(target, "a list of structs")
        present = {f.name: f.dtype for f in dtype.inner.fields}
        fields: list[pl.Expr] = []
        for name, want in struct.to_schema().items():
            if name not in present:
                fields.append(pl.lit(None, want).alias(name))
                continue
            value = pl.element().struct.field(name)
            have = present[name]
            if want == pl.String:
                value = clean_text(value.cast(pl.String))
            elif isinstance(want, pl.Datetime) and isinstance(have, pl.Datetime):
                if have.time_zone is not None:
                    value = value.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
                value = value.cast(want)
            elif want == pl.Date and isinstance(have, pl.Datetime):
                value = value.dt.date()
            else:
                value = value.cast(want)
            fields.append(value.alias(name))
        expr = pl.col(target).list.eval(pl.struct(fields))
        try:
            self.frame = self.frame.with_columns(pl.coalesce(expr, empty).alias(target))
        except (Exception, pl.exceptions.PanicException):
            raise self.type_error(target, f"a list of {struct}") from None

    def documents(self) -> None:
        flat_names = list(DOCUMENT.to_schema())
        for name in flat_names:
            if not self.has(name):
                dtype = TRAVELLERS[name]
                self.frame = self.frame.with_columns(pl.lit(None, dtype).alias(name))
        flat = pl.struct(pl.col(name).cast(TRAVELLERS[name]) for name in flat_names)
        built = (
            pl.when(pl.col("doc_number").is_not_null())
            .then(pl.concat_list([flat]))
            .otherwise(pl.lit([], pl.List(DOCUMENT)))
        )
        if not self.has("documents") or self.dtype("documents") == pl.String:
            self.struct_list("documents", DOCUMENT)  # absent, or text: an empty list
            self.frame = self.frame.with_columns(built.alias("documents"))
            return
        self.struct_list("documents", DOCUMENT)
        given = pl.col("documents")
        self.frame = self.frame.with_columns(
            pl.when(given.list.len() > 0).then(given).otherwise(built).alias("documents")
        )
        first = pl.col("documents").list.first()
        no_flat = pl.all_horizontal(pl.col(name).is_null() for name in flat_names)
        self.frame = self.frame.with_columns(
            pl.when(no_flat).then(first.struct.field(name)).otherwise(pl.col(name)).alias(name)
            for name in flat_names
        )

    def finish(self) -> pl.DataFrame:
        columns: list[pl.Expr] = []
        for name, dtype in TRAVELLERS.items():
            if name == "source_format":
                columns.append(pl.lit(self.fmt, pl.String).alias(name))
            elif self.has(name):
                columns.append(pl.col(name).cast(dtype))
            else:
                columns.append(pl.lit(None, dtype).alias(name))
        return self.frame.select(columns)


def split_full_name(name: pl.Expr, *, last_token_is_family: bool) -> tuple[pl.Expr, pl.Expr]:
    """Split full names into (family, given) expressions.

    ``"FAMILY, Given"`` splits at the first comma. Without a comma, ``last_token_is_family``
    makes the last whitespace-separated token the family name and the rest the given names;
    otherwise both parts are null (the order cannot be known).
    """
    has_comma = name.str.contains(",", literal=True)
    parts = name.str.splitn(",", 2)
    comma_family = clean_text(parts.struct.field("field_0"))
    comma_given = clean_text(parts.struct.field("field_1"))
    if last_token_is_family:
        plain_family = name.str.extract(r"(\S+)$", 1)
        plain_given = name.str.extract(r"^(.*\S)\s+\S+$", 1)
    else:
        plain_family = pl.lit(None, pl.String)
        plain_given = pl.lit(None, pl.String)
    family = pl.when(has_comma).then(comma_family).otherwise(plain_family)
    given = pl.when(has_comma).then(comma_given).otherwise(plain_given)
    return family, given


def _build_travellers(
    table: RawTable, *, fmt: TabularFormat, log: IssueLog, strict: bool
) -> pl.DataFrame:
    table = clean_raw(table)
    mapping = map_columns(table.names, _TRAVELLER_NAMES, _TRAVELLER_LOOKUP)
    if not mapping.assigned:
        raise log.error(
            "E_NO_COLUMNS",
            f"none of the {len(table.names)} column(s) has a recognised travellers column name"
            " (such as family_name, given_names, full_name, dob, doc_number); is the header"
            " missing?",
        )
    ignored = mapping.ignored_message()
    if ignored is not None:
        log.add("info", "I_COLUMNS_IGNORED", ignored)
    b = _Builder(table, mapping, fmt=fmt, log=log, strict=strict)
    b.record_ids()
    for name in ("family_name", "given_names"):
        b.text(name)
    b.full_name()
    for name, dtype in TRAVELLERS.items():
        if name in ("record_id", "role", "sex", "family_name", "given_names", "source_format"):
            continue
        if dtype == pl.String:
            b.text(name)
        elif dtype == pl.Date:
            b.date(name)
        elif isinstance(dtype, pl.Datetime):
            b.datetime(name)
    b.coded("sex", SEX_CODES, "not a sex code (M, F, X)")
    b.coded("role", _ROLE_WORDS, "not a traveller role")
    b.bag_tags()
    b.struct_list("references", REFERENCE)
    b.struct_list("legs", LEG)
    b.documents()
    return b.finish()


def parse_tabular(
    data: bytes,
    *,
    format: TabularFormat,
    options: ParseOptions,
    source_name: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse a CSV or Parquet manifest into a travellers frame.

    Args:
        data: The file content.
        format: ``"csv"`` (comma, semicolon or tab separated, UTF-8 with or without BOM,
            UTF-16 with BOM, or ``options.fallback_encoding`` in lenient mode) or
            ``"parquet"``.
        options: Parse options; ``strict`` turns unreadable values into errors.
        source_name: The file's base name, shown in errors.

    Returns:
        The travellers frame (exactly :data:`paxscreen.schema.TRAVELLERS`) and the issues frame.

    Raises:
        ParseError: ``E_TOO_LARGE``; ``E_CSV`` (undecodable or broken CSV); ``E_PARQUET``;
            ``E_NO_COLUMNS`` (no recognised header); ``E_COLUMN_TYPE`` (a Parquet column of an
            unusable type, such as numeric document numbers); ``E_DUPLICATE_ID``; in strict
            mode ``E_FIELD`` for the first unreadable value.
    """
    log = IssueLog(strict=options.strict, source=source_name)
    if len(data) > options.max_bytes:
        raise log.error("E_TOO_LARGE", f"input exceeds max_bytes={options.max_bytes}")
    if format == "csv":
        table = read_csv_table(bytes(data), options=options, log=log)
    elif format == "parquet":
        table = read_parquet_table(bytes(data), log=log)
    else:
        raise log.error("E_FORMAT", "format must be 'csv' or 'parquet'")
    travellers = _build_travellers(table, fmt=format, log=log, strict=options.strict)
    return travellers, log.frame()


def _sniff_text(head: bytes) -> str | None:
    """Decode the start of a file, allowing a multi-byte character cut at the end."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        for cut in range(4):
            try:
                return head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                if len(head) < _SNIFF_BYTES:
                    break
    return None


def sniff_tabular(data: bytes) -> TabularFormat | None:
    """Tell whether ``data`` looks like a Parquet file or a travellers CSV file.

    Parquet files start with ``PAR1``. CSV means text whose first line is a comma, semicolon
    or tab separated header naming at least one travellers column (or alias); a one-column
    header must be exactly such a name.
    """
    if data[:4] == b"PAR1":
        return "parquet"
    text = _sniff_text(bytes(data[:_SNIFF_BYTES]))
    if text is None:
        return None
    line = _first_line(text)
    if not line.strip() or "\x00" in line:
        return None
    fields = [f.strip() for f in _split_header(line, _separator(line))]
    keys = [header_key(f) for f in fields]
    if not any(key in _TRAVELLER_LOOKUP for key in keys):
        return None
    if len(fields) < 2 and fields[0] not in _TRAVELLER_NAMES:
        return None
    return "csv"


def write_tabular(travellers: pl.DataFrame, *, format: TabularFormat) -> bytes:
    """Write a travellers frame as CSV or Parquet bytes that :func:`parse_tabular` reads back.

    CSV cannot carry nested columns: ``documents``, ``references`` and ``legs`` are left out
    (the primary document stays in the flat ``doc_*`` columns) and ``bag_tags`` is written
    space-separated. Parquet keeps every column.

    Raises:
        KeyError: A travellers column is missing from the frame.
    """
    missing = [name for name in TRAVELLERS if name not in travellers.columns]
    if missing:
        raise KeyError(f"not a travellers frame; missing columns: {missing}")
    frame = travellers.select(pl.col(name).cast(dtype) for name, dtype in TRAVELLERS.items())
    buffer = io.BytesIO()
    if format == "parquet":
        frame.write_parquet(buffer)
    else:
        frame = frame.drop(*_LIST_COLUMNS).with_columns(pl.col("bag_tags").list.join(" "))
        frame.write_csv(buffer, datetime_format="%Y-%m-%dT%H:%M:%S%.f", date_format="%Y-%m-%d")
    return buffer.getvalue()
