"""Synthetic travel-document numbers and lost/stolen travel document lists.

Three things live here:

* A **format table** (:data:`DOC_FORMATS`): per issuing state (ISO 3166-1 alpha-3) the shapes
  of its document numbers, each a ``(doc_type, pattern, weight)`` triple. The shapes are
  *plausible* approximations of what each state's numbers look like, not official
  specifications, and no number drawn from them is known to belong to a real document. Issuers
  not in the table use :data:`GENERIC_FORMATS`.
* **Vectorised generation**: :func:`document_numbers` draws numbers for a million issuers in a
  fraction of a second (numpy over character classes into a ``uint8`` matrix, then an Arrow
  string array built straight from buffers), and :func:`document_list` /
  :func:`write_document_list` build a lost/stolen document list
  (:data:`paxscreen.schema.DOCUMENT_LIST`) of any size, in fixed blocks with their own random
  streams, so the rows depend on nothing but the arguments.
* **Corruptions** of a document number (:func:`corrupt_document`): OCR/keying confusions,
  adjacent transpositions and single edits, for planting fuzzy hits.

The pattern language is a small subset of regular expressions, so every pattern is also a valid
Python regex with the same meaning: a sequence of atoms, each a literal ``A``-``Z``/``0``-``9``
or a character class such as ``[A-NP-Z0-9]``, optionally repeated by ``{n}``. Numbers are 8 to
10 characters long.

Nothing here prints a document number; error messages name the problem, not the value.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from paxscreen._countries import ISO_ALPHA3, normalize_country
from paxscreen.schema import DOCUMENT_LIST

__all__ = [
    "DOC_FORMATS",
    "DOC_TYPES",
    "GENERIC_FORMATS",
    "MAX_LENGTH",
    "OCR_CONFUSIONS",
    "STATUSES",
    "STATUS_SHARES",
    "CorruptionKind",
    "DocFormat",
    "DocumentListStats",
    "corrupt_document",
    "document_list",
    "document_numbers",
    "planted_record_refs",
    "write_document_list",
]


class DocFormat(NamedTuple):
    """One shape of document number of an issuer.

    Attributes:
        doc_type: Document type code: ``P`` passport, ``I`` identity card, ``C`` passport card,
            ``V`` visa.
        pattern: The shape, in the pattern language of this module (a regex subset).
        weight: Relative share of this shape among the issuer's documents.
    """

    doc_type: str
    pattern: str
    weight: float


_F = DocFormat
#: The German document alphabet (no vowels, no B, D, Q, S: nothing that reads as a digit).
_DE = "[CFGHJKLMNPRTVWXYZ0-9]"
#: Dutch numbers avoid the letter O.
_NL = "[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]"

# issuer: (share of the issuer in a lost/stolen list, its number formats). Plausible shapes of
# the numbers printed on each state's documents (older and newer series, passports and identity
# cards where they differ) -- not official specifications.
_TABLE: Final[dict[str, tuple[float, tuple[DocFormat, ...]]]] = {
    "USA": (
        9.0,
        (_F("P", "[0-9]{9}", 6), _F("P", "A[0-9]{8}", 3), _F("C", "C[0-9]{8}", 1)),
    ),
    "GBR": (6.0, (_F("P", "[0-9]{9}", 1),)),
    "DEU": (
        5.0,
        (
            _F("P", f"C{_DE}{{8}}", 6),
            _F("I", f"L{_DE}{{8}}", 3),
            _F("I", "T[0-9]{8}", 1),
            _F("V", "[0-9]{9}", 0.2),
        ),
    ),
    "FRA": (5.0, (_F("P", "[0-9]{2}[A-Z]{2}[0-9]{5}", 7), _F("I", "[A-Z0-9]{9}", 3))),
    "ITA": (4.0, (_F("P", "[A-Z]{2}[0-9]{7}", 6), _F("I", "C[A-Z][0-9]{5}[A-Z]{2}", 4))),
    "ESP": (3.5, (_F("P", "[A-Z]{3}[0-9]{6}", 6), _F("I", "[A-Z]{3}[0-9]{6}", 4))),
    "NLD": (1.5, (_F("P", _NL, 6), _F("I", _NL, 4))),
    "BEL": (0.8, (_F("P", "[A-Z]{2}[0-9]{6}", 1),)),
    "POL": (2.0, (_F("P", "[A-Z]{2}[0-9]{7}", 6), _F("I", "[A-Z]{3}[0-9]{6}", 4))),
    "GRC": (0.8, (_F("P", "[A-Z]{2}[0-9]{7}", 7), _F("I", "[A-Z]{2}[0-9]{6}", 3))),
    "ROU": (1.0, (_F("P", "[0-9]{8}", 6), _F("I", "[A-Z]{2}[0-9]{6}", 4))),
    "RUS": (3.5, (_F("P", "[0-9]{2}[0-9]{7}", 7), _F("I", "[0-9]{10}", 3))),
    "UKR": (
        2.5,
        (_F("P", "[A-Z]{2}[0-9]{6}", 4), _F("P", "F[A-Z][0-9]{6}", 3), _F("I", "[0-9]{9}", 3)),
    ),
    "TUR": (
        3.0,
        (_F("P", "U[0-9]{8}", 6), _F("P", "S[0-9]{8}", 1), _F("I", "A[0-9]{2}[A-Z][0-9]{5}", 3)),
    ),
    "CHN": (
        4.0,
        (_F("P", "E[0-9]{8}", 4), _F("P", "E[A-Z][0-9]{7}", 4), _F("P", "G[0-9]{8}", 2)),
    ),
    "IND": (4.0, (_F("P", "[A-Z][0-9]{7}", 1),)),
    "PAK": (2.5, (_F("P", "[A-Z]{2}[0-9]{7}", 1),)),
    "BGD": (1.5, (_F("P", "[A-Z]{2}[0-9]{7}", 6), _F("P", "[A-Z][0-9]{8}", 4))),
    "AFG": (0.8, (_F("P", "P[0-9]{7}", 1),)),
    "NGA": (2.5, (_F("P", "A[0-9]{8}", 8), _F("P", "B[0-9]{8}", 2))),
    "GHA": (0.8, (_F("P", "G[0-9]{7}", 7), _F("P", "H[0-9]{7}", 3))),
    "ETH": (0.6, (_F("P", "EP[0-9]{7}", 1),)),
    "SEN": (0.5, (_F("P", "A[0-9]{8}", 1),)),
    "CIV": (0.5, (_F("P", "[0-9]{2}[A-Z]{2}[0-9]{5}", 1),)),
    "ZAF": (1.2, (_F("P", "[A-Z][0-9]{8}", 7), _F("P", "[0-9]{9}", 3))),
    "EGY": (1.5, (_F("P", "A[0-9]{8}", 1),)),
    "MAR": (1.2, (_F("P", "[A-Z]{2}[0-9]{7}", 7), _F("I", "[A-Z]{2}[0-9]{6}", 3))),
    "DZA": (1.0, (_F("P", "[0-9]{9}", 1),)),
    "SAU": (1.0, (_F("P", "[A-Z][0-9]{8}", 1),)),
    "IRN": (1.5, (_F("P", "[A-Z][0-9]{8}", 1),)),
    "IRQ": (1.5, (_F("P", "[A-Z][0-9]{8}", 1),)),
    "SYR": (1.5, (_F("P", "N[0-9]{9}", 6), _F("P", "[0-9]{9}", 4))),
    "JOR": (0.6, (_F("P", "[A-Z][0-9]{7}", 1),)),
    "LBN": (0.5, (_F("P", "RL[0-9]{7}", 1),)),
    "BRA": (2.5, (_F("P", "[A-Z]{2}[0-9]{6}", 1),)),
    "MEX": (2.0, (_F("P", "[A-Z][0-9]{8}", 1),)),
    "COL": (1.5, (_F("P", "[A-Z]{2}[0-9]{6}", 7), _F("I", "[0-9]{10}", 3))),
    "ARG": (1.2, (_F("P", "[A-Z]{3}[0-9]{6}", 7), _F("I", "[0-9]{8}", 3))),
    "CAN": (2.0, (_F("P", "[A-Z]{2}[0-9]{6}", 1),)),
    "VNM": (1.2, (_F("P", "[A-Z][0-9]{7}", 1),)),
    "PHL": (1.5, (_F("P", "P[0-9]{7}[A-Z]", 6), _F("P", "[A-Z]{2}[0-9]{7}", 4))),
    "IDN": (1.5, (_F("P", "[A-Z][0-9]{7}", 1),)),
    "AUS": (1.8, (_F("P", "[A-Z][0-9]{7}", 5), _F("P", "[A-Z]{2}[0-9]{7}", 5))),
    "KOR": (1.0, (_F("P", "M[0-9]{8}", 5), _F("P", "M[0-9]{3}[A-Z][0-9]{4}", 5))),
    "JPN": (0.8, (_F("P", "[A-Z]{2}[0-9]{7}", 1),)),
}

#: Issuer (ISO 3166-1 alpha-3) -> the shapes of its document numbers.
DOC_FORMATS: Final[Mapping[str, tuple[DocFormat, ...]]] = MappingProxyType(
    {issuer: formats for issuer, (_, formats) in _TABLE.items()}
)

#: The shapes used for issuers that are not in :data:`DOC_FORMATS`.
GENERIC_FORMATS: Final[tuple[DocFormat, ...]] = (
    _F("P", "[A-Z][0-9]{7}", 3),
    _F("P", "[A-Z]{2}[0-9]{7}", 3),
    _F("P", "[0-9]{9}", 2),
    _F("P", "[A-Z][0-9]{8}", 2),
    _F("I", "[A-Z0-9]{9}", 1),
)

#: Document type codes used in the tables, in a fixed order.
DOC_TYPES: Final = ("P", "I", "C", "V")

#: The longest number any format produces.
MAX_LENGTH: Final = 10

#: The values of the ``status`` column of a generated list.
STATUSES: Final = ("lost", "stolen", "revoked", "invalidated", "stolen_blank")

#: The share of each status in a generated list.
STATUS_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {"lost": 0.56, "stolen": 0.30, "revoked": 0.06, "invalidated": 0.05, "stolen_blank": 0.03}
)

#: OCR and keying confusions: (character, character it is misread as), both directions listed.
OCR_CONFUSIONS: Final[tuple[tuple[str, str], ...]] = tuple(
    pair
    for a, b in (
        ("0", "O"),
        ("0", "D"),
        ("0", "Q"),
        ("1", "I"),
        ("1", "L"),
        ("2", "Z"),
        ("5", "S"),
        ("6", "G"),
        ("8", "B"),
    )
    for pair in ((a, b), (b, a))
)

CorruptionKind = Literal["ocr", "transposition", "edit"]

# Share of the issuers outside the table (generic formats, equal weights) in a generated list.
_REST_SHARE: Final = 0.12
# Rows per generation block (one random stream each; one Parquet row group each).
_BLOCK_ROWS = 1 << 20
# reported_on spans the 15 years before this date (exclusive); reports grow linearly with time.
_REPORTED_END: Final = date(2026, 11, 1)
_REPORTED_START: Final = date(2011, 11, 1)
# Entropy tags that keep this module's random streams apart from other users of the same seed.
_TAG_BLOCK: Final = 0x444F43_01
_TAG_PLANT: Final = 0x444F43_02
_MAX_REDRAWS: Final = 64
_REF_PREFIX: Final = b"LS"
_REF_DIGITS: Final = 12
_ALNUM: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# DOCUMENT_LIST in Arrow types (64-bit string offsets, as polars exports them).
_ARROW_SCHEMA: Final = pa.schema(
    [
        (name, pa.date32() if dtype == pl.Date else pa.large_string())
        for name, dtype in DOCUMENT_LIST.items()
    ]
)

_U8 = npt.NDArray[np.uint8]
_I64 = npt.NDArray[np.int64]
_U64 = npt.NDArray[np.uint64]

# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

_ATOM: Final = re.compile(r"(?:\[([A-Z0-9-]+)\]|([A-Z0-9]))(?:\{([1-9][0-9]?)\})?")
_CLASS_ITEM: Final = re.compile(r"([A-Z0-9])(?:-([A-Z0-9]))?")


def _expand_class(body: str, pattern: str) -> str:
    chars: set[str] = set()
    pos = 0
    while pos < len(body):
        m = _CLASS_ITEM.match(body, pos)
        if m is None:
            raise ValueError(f"bad character class in document pattern {pattern!r}")
        low, high = m.group(1), m.group(2) or m.group(1)
        if _ALNUM.index(low) > _ALNUM.index(high) or low.isdigit() != high.isdigit():
            raise ValueError(f"bad range in document pattern {pattern!r}")
        chars.update(_ALNUM[_ALNUM.index(low) : _ALNUM.index(high) + 1])
        pos = m.end()
    return "".join(sorted(chars))


def _parse_pattern(pattern: str) -> tuple[str, ...]:
    """The alphabet of every character position of a pattern."""
    positions: list[str] = []
    pos = 0
    while pos < len(pattern):
        m = _ATOM.match(pattern, pos)
        if m is None:
            raise ValueError(f"bad document pattern {pattern!r} at offset {pos}")
        body, literal, repeat = m.groups()
        alphabet = _expand_class(body, pattern) if body else literal
        positions.extend([alphabet] * int(repeat or 1))
        pos = m.end()
    if not 1 <= len(positions) <= MAX_LENGTH:
        raise ValueError(f"document pattern {pattern!r} is not 1-{MAX_LENGTH} characters long")
    return tuple(positions)


# ---------------------------------------------------------------------------------------------
# The compiled format table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Alias:
    """Walker/Vose alias tables: exact weighted draws in O(1) per row, vectorised.

    One table per key (all padded to ``width`` entries); :meth:`draw` takes one uniform number
    per row and uses its integer part (scaled) for the entry and its fraction for the coin.
    """

    width: int
    count: _I64  # (keys,) entries of each key
    prob: npt.NDArray[np.float64]  # (keys * width,) probability of keeping the entry
    value: _I64  # (keys * width,) the entry's value
    alias: _I64  # (keys * width,) the value drawn instead

    @classmethod
    def build(cls, tables: Sequence[tuple[Sequence[int], Sequence[float]]]) -> _Alias:
        """From per-key ``(values, weights)``; every key needs at least one positive weight."""
        width = max(len(values) for values, _ in tables)
        prob = np.ones((len(tables), width))
        value = np.zeros((len(tables), width), dtype=np.int64)
        alias = np.zeros((len(tables), width), dtype=np.int64)
        for key, (values, weights) in enumerate(tables):
            m, total = len(values), float(sum(weights))
            scaled = [w * m / total for w in weights]
            small = [i for i, p in enumerate(scaled) if p < 1.0]
            large = [i for i, p in enumerate(scaled) if p >= 1.0]
            other = list(range(m))
            while small and large:
                low, high = small.pop(), large.pop()
                prob[key, low], other[low] = scaled[low], high
                scaled[high] += scaled[low] - 1.0
                (small if scaled[high] < 1.0 else large).append(high)
            value[key, :m] = values
            alias[key, :m] = [values[i] for i in other]
        return cls(
            width=width,
            count=np.array([len(values) for values, _ in tables], dtype=np.int64),
            prob=prob.ravel(),
            value=value.ravel(),
            alias=alias.ravel(),
        )

    def draw(self, u: npt.NDArray[np.float64], key: _I64 | None = None) -> _I64:
        """One value per uniform ``u`` in [0, 1), from the table of each row's ``key``."""
        count = self.count[0] if key is None else self.count[key]
        scaled = u * count
        entry = np.minimum(scaled.astype(np.int64), count - 1)
        coin = scaled - entry
        if key is not None:
            entry += key * self.width
        out: _I64 = np.where(coin < self.prob[entry], self.value[entry], self.alias[entry])
        return out


@dataclass(frozen=True, eq=False)
class _Compiled:
    """The format table as arrays.

    Format slots: one per table issuer (in table order), then the generic slot. Type slots: 0 for
    "any type", then ``1 + DOC_TYPES.index(t)``; ``key = slot * _TYPE_SLOTS + type slot``.
    """

    slot_of: Mapping[str, int]  # table issuer -> format slot
    fmt_type: _I64  # (F,) index into DOC_TYPES
    fmt_len: _I64  # (F,)
    fmt_alpha: _U8  # (F, MAX_LENGTH) alphabet id per position, 0 = past the end
    lookup: _U8  # (A * 2**16,) character for (alphabet id, 16 random bits)
    choice: _Alias  # keyed by slot * _TYPE_SLOTS + type slot: a format, by weight


_TYPE_SLOTS: Final = len(DOC_TYPES) + 1
_BITS: Final = 16
_CHUNK: Final = 1 << 16


@cache
def _compiled() -> _Compiled:
    groups = [*DOC_FORMATS.values(), GENERIC_FORMATS]
    alphabets: dict[str, int] = {"": 0}
    fmt_type: list[int] = []
    fmt_len: list[int] = []
    fmt_alpha: list[list[int]] = []
    members: list[list[int]] = []
    for formats in groups:
        ids = []
        for fmt in formats:
            if fmt.doc_type not in DOC_TYPES or not fmt.weight > 0:
                raise ValueError(f"bad document format {fmt!r}")
            positions = _parse_pattern(fmt.pattern)
            row = [alphabets.setdefault(a, len(alphabets)) for a in positions]
            ids.append(len(fmt_type))
            fmt_type.append(DOC_TYPES.index(fmt.doc_type))
            fmt_len.append(len(positions))
            fmt_alpha.append(row + [0] * (MAX_LENGTH - len(row)))
        members.append(ids)
    if len(alphabets) > 256:
        raise ValueError("too many distinct character classes in the document formats")
    # lookup[a << 16 | bits] = alphabet a's character number (bits * size) >> 16: a uniform
    # draw up to a bias below size / 2**16 (0.06% for 36 characters), fine for synthetic data.
    lookup = np.zeros((len(alphabets), 1 << _BITS), dtype=np.uint8)
    bits = np.arange(1 << _BITS, dtype=np.int64)
    for chars, aid in alphabets.items():
        if chars:
            codes = np.frombuffer(chars.encode("ascii"), dtype=np.uint8)
            lookup[aid] = codes[(bits * len(chars)) >> _BITS]
    weights = [f.weight for formats in groups for f in formats]
    choices = []
    for ids in members:
        for tslot in range(_TYPE_SLOTS):
            chosen = [i for i in ids if tslot == 0 or fmt_type[i] == tslot - 1] or ids
            choices.append((chosen, [weights[i] for i in chosen]))
    return _Compiled(
        slot_of=MappingProxyType({issuer: i for i, issuer in enumerate(DOC_FORMATS)}),
        fmt_type=np.array(fmt_type, dtype=np.int64),
        fmt_len=np.array(fmt_len, dtype=np.int64),
        fmt_alpha=np.array(fmt_alpha, dtype=np.uint8),
        lookup=lookup.ravel(),
        choice=_Alias.build(choices),
    )


def _pick_formats(c: _Compiled, slot: _I64, tslot: _I64, rng: np.random.Generator) -> _I64:
    """Per row, a format of the row's issuer slot and type slot, by weight."""
    return c.choice.draw(rng.random(slot.size), slot * _TYPE_SLOTS + tslot)


def _draw(c: _Compiled, fmt: _I64, rng: np.random.Generator) -> _U8:
    """Random numbers of the given formats as a zero-padded ``(n, MAX_LENGTH)`` byte matrix."""
    out = np.empty((fmt.size, MAX_LENGTH), dtype=np.uint8)
    # In chunks: small temporaries stay in cache and in the allocator's heap.
    for lo in range(0, fmt.size, _CHUNK):
        part = fmt[lo : lo + _CHUNK]
        index = c.fmt_alpha[part].astype(np.intp) << _BITS
        raw = rng.bit_generator.random_raw(-(-index.size // 4)).view(np.uint16)
        index |= raw[: index.size].reshape(index.shape)
        np.take(c.lookup, index, out=out[lo : lo + _CHUNK])
    return out


def _strings(matrix: _U8, lengths: _I64) -> pa.LargeStringArray:
    """An Arrow string array from a zero-padded byte matrix, without a Python loop."""
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = matrix[matrix != 0]
    return pa.LargeStringArray.from_buffers(lengths.size, pa.py_buffer(offsets), pa.py_buffer(data))


_Strings: TypeAlias = (
    Sequence[str | None] | npt.NDArray[np.str_] | npt.NDArray[np.object_] | pa.Array | pl.Series
)


def _as_string_series(values: _Strings, what: str) -> pl.Series:
    series = values if isinstance(values, pl.Series) else pl.Series(values)
    if series.dtype not in (pl.String, pl.Null):
        raise TypeError(f"{what} must be strings, got {series.dtype}")
    return series.cast(pl.String)


def _issuer_slots(c: _Compiled, issuers: _Strings) -> _I64:
    """The format slot of each issuer (the generic slot for unknown and null ones)."""
    generic = len(c.slot_of)
    if isinstance(issuers, np.ndarray) and issuers.dtype.kind == "U" and issuers.ndim == 1:
        if issuers.dtype.itemsize <= 12:
            # Fast path for numpy text of at most three code points: one uint64 per code.
            codes = np.ascontiguousarray(issuers.astype("U3")).view(np.uint32).reshape(-1, 3)
            packed = codes.astype(np.uint64) @ (np.uint64(1) << np.array([42, 21, 0], np.uint64))
            unique, inverse = np.unique(packed, return_inverse=True)
            chunks = (unique[:, None] >> np.array([42, 21, 0], np.uint64)) & np.uint64(0x1FFFFF)
            names = chunks.astype(np.uint32).view("U3").ravel().tolist()
            table = [c.slot_of.get(normalize_country(name) or "", generic) for name in names]
            out: _I64 = np.array(table, dtype=np.int64)[inverse]
            return out
        issuers = issuers.astype(object)
    series = _as_string_series(issuers, "issuers")
    present = series.drop_nulls().unique().to_list()
    slots = {code: c.slot_of.get(normalize_country(code) or "", generic) for code in present}
    mapped: _I64 = (
        series.replace_strict(slots, default=generic, return_dtype=pl.Int64)
        .fill_null(generic)
        .to_numpy()
    )
    return mapped


def document_numbers(
    issuers: _Strings,
    rng: np.random.Generator,
    *,
    doc_types: str | _Strings | None = None,
) -> pa.LargeStringArray:
    """Random document numbers, one per requested issuer, vectorised.

    Each number takes one of its issuer's shapes in :data:`DOC_FORMATS`, drawn by weight;
    issuers not in the table (and null issuers) take :data:`GENERIC_FORMATS`. With
    ``doc_types``, only shapes of that document type are used; an issuer without a shape of the
    requested type (or an unknown/null type) falls back to all of its shapes.

    Args:
        issuers: Issuing states, one per number wanted: ISO 3166-1 alpha-3 codes, or anything
            ``paxscreen._countries.normalize_country`` turns into one (``D``, ``DE``, ``deu``).
        rng: The random source; the result depends only on it and the arguments.
        doc_types: One type code for all rows, one per row (``P``, ``I``, ``C``, ``V``), or
            None for the issuer's usual mix.

    Returns:
        An Arrow ``large_string`` array (no nulls) of the same length as ``issuers``; wrap it
        with ``pl.Series`` for polars or call ``to_numpy(zero_copy_only=False)`` for numpy.

    Raises:
        TypeError: ``issuers`` or ``doc_types`` are not strings.
        ValueError: ``doc_types`` has another length than ``issuers``.
    """
    c = _compiled()
    slot = _issuer_slots(c, issuers)
    type_slots = {t: i + 1 for i, t in enumerate(DOC_TYPES)}
    if doc_types is None:
        tslot = np.zeros(slot.size, dtype=np.int64)
    elif isinstance(doc_types, str):
        tslot = np.full(slot.size, type_slots.get(doc_types, 0), dtype=np.int64)
    else:
        types = _as_string_series(doc_types, "doc_types")
        if types.len() != slot.size:
            raise ValueError("doc_types must have one entry per issuer")
        tslot = (
            types.replace_strict(type_slots, default=0, return_dtype=pl.Int64)
            .fill_null(0)
            .to_numpy()
        )
    fmt = _pick_formats(c, slot.astype(np.int64), tslot.astype(np.int64), rng)
    return _strings(_draw(c, fmt, rng), c.fmt_len[fmt])


# ---------------------------------------------------------------------------------------------
# Lost/stolen document lists
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentListStats:
    """What :func:`write_document_list` wrote.

    Attributes:
        rows: Rows written.
        seconds: Wall-clock time of the whole call.
        bytes: Size of the Parquet file.
        planted_refs: The ``record_ref`` of each planted row, in the order of ``planted``.
    """

    rows: int
    seconds: float
    bytes: int
    planted_refs: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class _ListIssuers:
    """The issuers of a generated list: the table's, then every other ISO 3166-1 state."""

    index: Mapping[str, int]
    slot: _I64  # list issuer -> format slot
    choice: _Alias  # a list issuer index, by share
    names: pa.LargeStringArray


@cache
def _list_issuers() -> _ListIssuers:
    c = _compiled()
    table = list(_TABLE)
    rest = sorted(ISO_ALPHA3 - set(table))
    share = np.array([_TABLE[issuer][0] for issuer in table])
    share *= (1.0 - _REST_SHARE) / share.sum()
    weights = np.concatenate([share, np.full(len(rest), _REST_SHARE / len(rest))])
    names = table + rest
    return _ListIssuers(
        index=MappingProxyType({name: i for i, name in enumerate(names)}),
        slot=np.array([c.slot_of[i] for i in table] + [len(c.slot_of)] * len(rest)),
        choice=_Alias.build([(range(len(weights)), weights.tolist())]),
        names=pa.array(names, type=pa.large_string()),
    )


_STATUS_CHOICE: Final = _Alias.build([(range(len(STATUSES)), [STATUS_SHARES[s] for s in STATUSES])])
_STATUS_NAMES: Final = pa.array(STATUSES, type=pa.large_string())
_TYPE_NAMES: Final = pa.array(DOC_TYPES, type=pa.large_string())
_EPOCH: Final = date(1970, 1, 1)
_REPORTED_FIRST: Final = (_REPORTED_START - _EPOCH).days
_REPORTED_SPAN: Final = (_REPORTED_END - _REPORTED_START).days

# Exact uint64 keys of (list issuer, number) pairs: the issuer index, then the number in base
# 37 (0 = padding, 1-36 = 0-9A-Z). 250 issuers * 37**10 stays below 2**64.
_KEY_BASE: Final = len(_ALNUM) + 1
_CODE: Final = np.zeros(256, dtype=np.uint64)
_CODE[np.frombuffer(_ALNUM.encode("ascii"), dtype=np.uint8)] = np.arange(
    1, _KEY_BASE, dtype=np.uint64
)


def _keys(issuer: _I64, matrix: _U8) -> _U64:
    key = issuer.astype(np.uint64)
    for j in range(MAX_LENGTH):
        key = key * np.uint64(_KEY_BASE) + _CODE[matrix[:, j]]
    return key


def _matrix(numbers: pl.Series) -> _U8:
    """Strings of at most MAX_LENGTH ASCII bytes as a zero-padded byte matrix."""
    array = numbers.rechunk().to_arrow().cast(pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    out = np.zeros((len(array), MAX_LENGTH), dtype=np.uint8)
    if len(array) == 0:
        return out
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(
        offsets_buffer, dtype=np.int64, count=len(array) + 1, offset=array.offset * 8
    )
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else out[0]
    starts, lengths = offsets[:-1], np.diff(offsets)
    for j in range(MAX_LENGTH):
        has = lengths > j
        out[has, j] = data[starts[has] + j]
    return out


def _documents(frame: pl.DataFrame) -> tuple[_I64, _U8]:
    """The (doc_issuer, doc_number) pairs of a frame that a generated row could equal.

    Issuers and numbers are compared as a screener would: issuers normalised to alpha-3 (``D``,
    ``DE`` -> ``DEU``), numbers upper case without spaces, dashes or other punctuation. Pairs that
    no generated row can equal are dropped. Returns list issuer indexes and a number matrix.
    """
    li = _list_issuers()
    raw = frame.get_column("doc_issuer").drop_nulls().unique().to_list()
    index = {code: li.index.get(normalize_country(code) or "") for code in raw}
    pairs = (
        frame.select(
            issuer=pl.col("doc_issuer").replace_strict(index, default=None, return_dtype=pl.Int64),
            number=pl.col("doc_number").str.to_uppercase().str.replace_all("[^A-Z0-9]", ""),
        )
        .drop_nulls()
        .filter(pl.col("number").str.len_bytes().is_between(1, MAX_LENGTH))
    )
    return pairs.get_column("issuer").to_numpy(), _matrix(pairs.get_column("number"))


def _in_sorted(keys: _U64, sorted_keys: _U64) -> npt.NDArray[np.bool_]:
    if sorted_keys.size == 0:
        return np.zeros(keys.size, dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    found: npt.NDArray[np.bool_] = sorted_keys[at] == keys
    return found


_MIX: Final = tuple(
    np.uint64(k)
    for k in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xBF58476D1CE4E5B9)
)


def _hash(issuer: _I64, matrix: _U8) -> _U64:
    """A 64-bit hash of (issuer, number) pairs: a cheap pre-filter before exact keys."""
    low = np.ascontiguousarray(matrix[:, :8]).view(np.uint64).ravel()
    high = np.ascontiguousarray(matrix[:, 8:]).view(np.uint16).ravel().astype(np.uint64)
    mixed = (low * _MIX[0]) ^ (high * _MIX[1]) ^ (issuer.astype(np.uint64) * _MIX[2])
    mixed ^= mixed >> np.uint64(31)
    out: _U64 = mixed * _MIX[3]
    return out


@dataclass(frozen=True, eq=False)
class _Excluded:
    """Documents no generated row may have: a one-hash bit filter, then exact sorted keys."""

    keys: _U64  # sorted exact keys
    bits: _U8  # bit filter over the top ``64 - shift`` bits of the hash
    shift: np.uint64

    @classmethod
    def build(cls, issuer: _I64, matrix: _U8) -> _Excluded:
        log2 = max(13, int(np.ceil(np.log2(16 * max(issuer.size, 1)))))  # 16 bits per document
        shift = np.uint64(64 - log2)
        bits = np.zeros(1 << (log2 - 3), dtype=np.uint8)
        slot = _hash(issuer, matrix) >> shift
        np.bitwise_or.at(
            bits, slot >> np.uint64(3), np.left_shift(1, slot & np.uint64(7)).astype(np.uint8)
        )
        return cls(keys=np.sort(_keys(issuer, matrix)), bits=bits, shift=shift)

    def __len__(self) -> int:
        return int(self.keys.size)

    def hits(self, issuer: _I64, matrix: _U8) -> npt.NDArray[np.bool_]:
        """Per row, whether the (issuer, number) pair is excluded."""
        slot = _hash(issuer, matrix) >> self.shift
        maybe = np.flatnonzero((self.bits[slot >> np.uint64(3)] >> (slot & np.uint64(7))) & 1)
        out = np.zeros(issuer.size, dtype=np.bool_)
        out[maybe] = _in_sorted(_keys(issuer[maybe], matrix[maybe]), self.keys)
        return out


@dataclass(frozen=True, eq=False)
class _Plan:
    """Everything a block needs besides its own random stream."""

    seed: int
    positions: _I64  # sorted row positions of the planted rows
    order: _I64  # the planted row (input index) at each sorted position
    planted: Mapping[str, pa.Array]  # planted column values, input order
    excluded: _Excluded  # documents no generated row may have


def _column(frame: pl.DataFrame, name: str, dtype: pl.DataType, what: str) -> pl.Series | None:
    if name not in frame.columns:
        return None
    column = frame.get_column(name)
    if column.dtype not in (dtype, pl.Null):
        raise TypeError(f"{what} column {name!r} must be {dtype}, got {column.dtype}")
    return column.cast(dtype)


def _required(frame: pl.DataFrame, names: Sequence[str], what: str) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the columns {missing}")
    for name in names:
        _column(frame, name, pl.String(), what)


def _check_args(rows: int, seed: int) -> None:
    if isinstance(rows, bool) or not isinstance(rows, int) or not 0 <= rows < 10**_REF_DIGITS:
        raise ValueError(f"rows must be an int in [0, 10**{_REF_DIGITS}), got {rows!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")


def _planted_positions(rows: int, seed: int, count: int) -> _I64:
    if count > rows:
        raise ValueError(f"cannot plant {count} rows in a list of {rows}")
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(np.random.SeedSequence([seed, _TAG_PLANT]))
    positions: _I64 = rng.choice(rows, size=count, replace=False).astype(np.int64)
    return positions


def _refs(positions: _I64) -> tuple[str, ...]:
    return tuple(f"{_REF_PREFIX.decode()}{p:0{_REF_DIGITS}d}" for p in positions.tolist())


def planted_record_refs(*, rows: int, seed: int, count: int) -> tuple[str, ...]:
    """The ``record_ref`` values planted rows get, in input order, without building the list.

    :func:`document_list` and :func:`write_document_list` put ``count`` planted rows exactly
    at these references for the same ``rows`` and ``seed``.

    Raises:
        ValueError: Bad ``rows`` or ``seed``, or ``count`` above ``rows``.
    """
    _check_args(rows, seed)
    return _refs(_planted_positions(rows, seed, count))


def _plan(
    rows: int, seed: int, planted: pl.DataFrame | None, exclude: pl.DataFrame | None
) -> _Plan:
    _check_args(rows, seed)
    issuers, matrices = [np.zeros(0, dtype=np.int64)], [np.zeros((0, MAX_LENGTH), np.uint8)]
    if exclude is not None:
        _required(exclude, ("doc_issuer", "doc_number"), "exclude")
        issuer, matrix = _documents(exclude)
        issuers.append(issuer)
        matrices.append(matrix)
    columns: dict[str, pa.Array] = {}
    count = 0
    if planted is not None:
        what = "planted"
        _required(planted, ("doc_number", "doc_issuer", "doc_type"), what)
        required = planted.select("doc_number", "doc_issuer", "doc_type")
        if required.null_count().sum_horizontal().item():
            raise ValueError("planted doc_number, doc_issuer and doc_type must not be null")
        status = _column(planted, "status", pl.String(), what)
        if status is not None and not status.drop_nulls().is_in(list(STATUSES)).all():
            raise ValueError(f"planted status must be one of {list(STATUSES)} or null")
        reported = _column(planted, "reported_on", pl.Date(), what)
        named = {**required.to_dict(), "status": status, "reported_on": reported}
        for name, series in named.items():
            if series is not None:
                columns[name] = series.rechunk().to_arrow().cast(_ARROW_SCHEMA.field(name).type)
        issuer, matrix = _documents(required)
        if (
            _Excluded.build(np.concatenate(issuers), np.concatenate(matrices))
            .hits(issuer, matrix)
            .any()
        ):
            raise ValueError("a planted document is also in exclude")
        issuers.append(issuer)
        matrices.append(matrix)
        count = planted.height
    positions = _planted_positions(rows, seed, count)
    order = np.argsort(positions, kind="stable")
    return _Plan(
        seed=seed,
        positions=positions[order],
        order=order.astype(np.int64),
        planted=columns,
        excluded=_Excluded.build(np.concatenate(issuers), np.concatenate(matrices)),
    )


def _record_refs(start: int, n: int) -> pa.LargeStringArray:
    """``LS`` and the row number in 12 digits, for rows ``[start, start + n)``."""
    width = len(_REF_PREFIX) + _REF_DIGITS
    matrix = np.empty((n, width), dtype=np.uint8)
    matrix[:, : len(_REF_PREFIX)] = np.frombuffer(_REF_PREFIX, dtype=np.uint8)
    ten = np.uint32(10)
    for lo in range(0, n, _CHUNK):
        number = np.arange(start + lo, start + min(n, lo + _CHUNK), dtype=np.int64)
        high = number // 1_000_000
        part = matrix[lo : lo + _CHUNK]
        # Two six-digit halves in uint32: floor division by a constant is fast, divmod is not.
        for half, digits in enumerate((number - high * 1_000_000, high)):
            value = digits.astype(np.uint32)
            for j in range(6):
                quotient = value // ten
                part[:, width - 1 - 6 * half - j] = value - quotient * ten + ord("0")
                value = quotient
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(matrix))


def _avoid(
    c: _Compiled,
    matrix: _U8,
    issuer: _I64,
    fmt: _I64,
    excluded: _Excluded,
    rng: np.random.Generator,
) -> None:
    """Redraw, in place, the numbers whose (issuer, number) key is excluded."""
    todo = np.arange(issuer.size)
    for _ in range(_MAX_REDRAWS):
        todo = todo[excluded.hits(issuer[todo], matrix[todo])]
        if todo.size == 0:
            return
        matrix[todo] = _draw(c, fmt[todo], rng)
    raise RuntimeError("could not draw document numbers outside the excluded ones")


def _overlay(columns: list[pa.Array], local: _I64, which: _I64, plan: _Plan) -> list[pa.Array]:
    """Put planted rows ``which`` at block rows ``local``; null planted values keep generated."""
    n = len(columns[0])
    index = np.arange(n, dtype=np.int64)
    index[local] = n + np.arange(local.size)
    take, at, rows = pa.array(index), pa.array(local), pa.array(which)
    out = []
    for name, column in zip(_ARROW_SCHEMA.names, columns, strict=True):
        values = plan.planted.get(name)
        if values is None:
            out.append(column)
            continue
        values = values.take(rows)
        if values.null_count:
            values = pc.coalesce(values, column.take(at))
        out.append(pa.concat_arrays([column, values]).take(take))
    return out


def _block(index: int, start: int, n: int, plan: _Plan) -> pa.Table:
    """Rows ``[start, start + n)`` of the list: block ``index`` with its own random streams.

    Attributes (issuer, format, status, date) and numbers come from two separate streams, so
    redrawing excluded numbers changes nothing else.
    """
    c, li = _compiled(), _list_issuers()
    seeds = np.random.SeedSequence([plan.seed, _TAG_BLOCK], spawn_key=(index,)).spawn(2)
    attributes, numbers = (np.random.default_rng(s) for s in seeds)
    issuer = li.choice.draw(attributes.random(n))
    fmt = _pick_formats(c, li.slot[issuer], np.zeros(n, dtype=np.int64), attributes)
    status = _STATUS_CHOICE.draw(attributes.random(n))
    days = _REPORTED_FIRST + np.floor(_REPORTED_SPAN * np.sqrt(attributes.random(n)))
    matrix = _draw(c, fmt, numbers)
    if len(plan.excluded):
        _avoid(c, matrix, issuer, fmt, plan.excluded, numbers)
    columns: list[pa.Array] = [
        _strings(matrix, c.fmt_len[fmt]),
        li.names.take(pa.array(issuer)),
        _TYPE_NAMES.take(pa.array(c.fmt_type[fmt])),
        _STATUS_NAMES.take(pa.array(status)),
        pa.Array.from_buffers(pa.date32(), n, [None, pa.py_buffer(days.astype(np.int32))]),
        _record_refs(start, n),
    ]
    lo, hi = np.searchsorted(plan.positions, [start, start + n])
    if hi > lo:
        columns = _overlay(columns, plan.positions[lo:hi] - start, plan.order[lo:hi], plan)
    return pa.Table.from_arrays(columns, schema=_ARROW_SCHEMA)


def _blocks(rows: int, plan: _Plan) -> Iterator[pa.Table]:
    size = _BLOCK_ROWS
    for index, start in enumerate(range(0, rows, size)):
        yield _block(index, start, min(size, rows - start), plan)


def _ahead(tables: Iterator[pa.Table]) -> Iterator[pa.Table]:
    """The same tables, the next one computed in a worker thread while the caller writes."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(next, tables, None)
        while (table := future.result()) is not None:
            future = pool.submit(next, tables, None)
            yield table


def document_list(
    *,
    rows: int,
    seed: int,
    planted: pl.DataFrame | None = None,
    exclude: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """A synthetic lost/stolen travel document list, in memory.

    The rows are exactly those :func:`write_document_list` writes for the same arguments; use
    that for lists that do not fit in memory comfortably (tens of millions of rows).

    Rows: issuers skewed over :data:`DOC_FORMATS` (88%) and every other ISO 3166-1 state (12%,
    generic shapes); document types as the issuers' format weights say (mostly ``P``);
    ``status`` by :data:`STATUS_SHARES`; ``reported_on`` in the 15 years before 2026-11-01,
    more recent dates more common; ``record_ref`` is ``"LS"`` and the zero-based row number in
    12 digits. Numbers may repeat (as in real lists), except planted and excluded ones.

    Args:
        rows: Number of rows.
        seed: Non-negative seed; same arguments, same rows.
        planted: Rows the list must contain (``doc_number``, ``doc_issuer``, ``doc_type``,
            optional ``status`` and ``reported_on``; nulls in those two take generated values),
            each placed once at a pseudo-random row derived from ``seed``; see
            :func:`planted_record_refs`. No generated row has the same issuer and number.
        exclude: ``doc_issuer``, ``doc_number`` pairs that must not be listed, say innocent
            travellers' documents (issuers normalised to alpha-3, numbers compared upper case
            without punctuation); generated collisions are redrawn from the block's own
            number stream, so nothing but those numbers changes.

    Returns:
        A frame with the :data:`paxscreen.schema.DOCUMENT_LIST` schema and exactly ``rows`` rows.

    Raises:
        ValueError: Bad ``rows``/``seed``, more planted rows than ``rows``, missing or null
            required columns, an unknown planted status, or a planted document in ``exclude``.
        TypeError: A planted or exclude column has the wrong type.
    """
    plan = _plan(rows, seed, planted, exclude)
    tables = list(_blocks(rows, plan))
    table = pa.concat_tables(tables) if tables else _ARROW_SCHEMA.empty_table()
    return pl.DataFrame(table).rechunk()


def write_document_list(
    path: str | os.PathLike[str],
    *,
    rows: int,
    seed: int,
    planted: pl.DataFrame | None = None,
    exclude: pl.DataFrame | None = None,
) -> DocumentListStats:
    """Write a synthetic lost/stolen document list to Parquet, block by block.

    Memory stays bounded by one block (about a million rows) whatever ``rows`` is. The file
    (zstd, one row group per block) holds exactly the rows of :func:`document_list` for the
    same arguments; see there for the arguments and what the rows look like. A failed write
    removes the partial file.

    Returns:
        Rows, seconds, file size and the planted rows' ``record_ref`` in input order.

    Raises:
        ValueError: As :func:`document_list`.
        TypeError: As :func:`document_list`.
    """
    started = time.perf_counter()
    plan = _plan(rows, seed, planted, exclude)
    target = Path(path)
    schema = _ARROW_SCHEMA.with_metadata({"paxscreen.synthetic": "document_list"})
    try:
        with pq.ParquetWriter(
            target,
            schema,
            compression="zstd",
            use_dictionary=["doc_issuer", "doc_type", "status", "reported_on"],
            column_encoding={
                "doc_number": "DELTA_LENGTH_BYTE_ARRAY",
                "record_ref": "DELTA_BYTE_ARRAY",
            },
        ) as writer:
            for table in _ahead(_blocks(rows, plan)):
                writer.write_table(table.replace_schema_metadata(schema.metadata))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return DocumentListStats(
        rows=rows,
        seconds=time.perf_counter() - started,
        bytes=target.stat().st_size,
        planted_refs=_refs(plan.positions[np.argsort(plan.order)]),
    )


# ---------------------------------------------------------------------------------------------
# Corruptions
# ---------------------------------------------------------------------------------------------


def _ocr_map() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for a, b in OCR_CONFUSIONS:
        out.setdefault(a, []).append(b)
    return {a: tuple(bs) for a, bs in out.items()}


_OCR_MAP: Final = _ocr_map()


def corrupt_document(number: str, kind: CorruptionKind, rng: random.Random) -> str:
    """One labelled corruption of a document number; the result always differs from it.

    Kinds:

    * ``"ocr"``: one character replaced by an OCR/keying confusion from
      :data:`OCR_CONFUSIONS` (``0``/``O``, ``1``/``I``, ``5``/``S``, ``8``/``B`` ...).
    * ``"transposition"``: two adjacent different characters swapped.
    * ``"edit"``: one substitution, insertion or deletion (Levenshtein distance 1); a
      one-character number is never deleted to nothing.

    Args:
        number: The document number (upper case, as printed).
        kind: Which corruption.
        rng: The random source.

    Raises:
        ValueError: Unknown ``kind``, or the number admits no such corruption (no confusable
            character for ``"ocr"``, no two adjacent different characters for
            ``"transposition"``). The message never contains the number.
    """
    if kind == "ocr":
        places = [i for i, ch in enumerate(number) if ch in _OCR_MAP]
        if not places:
            raise ValueError("no character of the document number has an OCR confusion")
        i = rng.choice(places)
        return number[:i] + rng.choice(_OCR_MAP[number[i]]) + number[i + 1 :]
    if kind == "transposition":
        places = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
        if not places:
            raise ValueError("transposition needs two adjacent different characters")
        i = rng.choice(places)
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if kind == "edit":
        operations = ["insert", "substitute", "delete"][: min(len(number) + 1, 3)]
        operation = rng.choice(operations)
        if operation == "insert":
            i = rng.randint(0, len(number))
            return number[:i] + rng.choice(_ALNUM) + number[i:]
        i = rng.randrange(len(number))
        if operation == "delete":
            return number[:i] + number[i + 1 :]
        return number[:i] + rng.choice(_ALNUM.replace(number[i], "")) + number[i + 1 :]
    raise ValueError(f"unknown document corruption kind {kind!r}")
