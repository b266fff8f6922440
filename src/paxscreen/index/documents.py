"""The lost/stolen travel document index: exact, OCR-confusable, leading-zero and one-edit lookups.

:class:`DocumentIndex` answers "which listed documents is this number close to?" for a batch of
document numbers against a list of up to hundreds of millions of lost, stolen or revoked
documents, with the levels of :func:`paxscreen.compare.documents.doc_number_level` (``exact``,
``confusable``, ``leading_zeros``, ``transposition``, ``one_edit``): every listed number that
function puts at one of those levels against a probe is returned (100% recall, tested against
brute force), with exactly that level, and nothing else.

Keys
----
Numbers are normalised with :func:`~paxscreen.normalize.documents.doc_number_key` (upper-case
``A``-``Z``, ``0``-``9``), then folded as :func:`~paxscreen.normalize.documents.ocr_folded` does
(:data:`~paxscreen.normalize.documents.OCR_FOLDING`): the folded alphabet has 27 symbols (the ten
digits and the 17 letters that fold to nothing else), so a folded key of up to 12 characters
packs into one ``uint64``: its length in the top 4 bits, then 5 bits per character, left-aligned
(code 0 pads). Sorting those integers sorts by (length, folded text), so the keys of one length
that start with a given prefix form one contiguous range. Which member of its confusion group
each character was (``0``, ``O``, ``D`` or ``Q`` ...) is a small mixed-radix number per entry
(the *variant*, ``uint16``; the rare larger ones sit in an overflow list), so the exact key is
(folded key, variant). All-digit keys have variant 0. Keys longer than 12 characters go to a side
table, compared by brute force (they are rare: none of the usual document formats is that long).

Leading zeros (:func:`~paxscreen.normalize.documents.strip_leading_zeros`) are handled by giving
every listed all-digit key that starts with ``0`` a second entry: the key without its zeros,
marked in the variant field (``0xF000`` + the number of zeros dropped). All-digit probes that
start with ``0`` are also looked up without their zeros.

One edit
--------
An edit (substitution, insertion, deletion or adjacent transposition) between a listed key of
length ``n`` and a probe leaves most of the key intact. Each length ``n`` is cut at two points
``c1 <= c2`` (about a third and two thirds) into ``A = [0, c1)``, ``B = [c1, c2)``,
``C = [c2, n)``. An edit inside ``C`` leaves ``A B`` intact (a prefix: one range of the sorted
keys); inside ``B`` it leaves ``C`` and ``A`` intact; inside ``A`` it leaves ``B C`` intact. Two
more orders of the same entries make those ranges too: entries sorted by their key *rotated* so
that ``C`` comes first (``C A B``), and rotated so that ``B C`` comes first (``B C A``).
Transpositions across a cut point are undone directly: the probe with those two characters
swapped is looked up exactly. A probe of length ``m`` is matched against the keys of length
``m - 1``, ``m`` and ``m + 1``.

Any cut points find the same matches; they only decide how long the ranges are. Thirds fix few
distinct characters where numbers have letters up front and digits behind (8-character numbers:
the ``B C`` range fixes five digits, 125 entries per range at 100 million records), so each
index chooses its own at build time (:func:`_choose_cuts`): per key length, the ``c1 < c2``
whose three ranges hold the fewest keys for probes drawn like a random sample of the keys (at
100 million records: ``(2, 5)`` for length 8 instead of ``(3, 5)``, 84 entries per probe instead
of 152). They are stored with the index (``main_cuts.npy``).

A rotation order is a permutation (``uint32``) plus, per position, a 16-bit *tag*: how many
leading characters its rotated key shares with the one before (4 bits), and the last 12 bits of
its characters. The free part of a candidate (what its range does not fix) ends its characters,
so the last 12 bits of its key (read from the tags in a rotation order) screen most candidates
without reading their keys (:func:`_passes`: the same length, at most one of its last characters
differs, or two adjacent ones are swapped; one shorter or one longer, its last two characters
are one of the few the deletion or insertion leaves). The few left are verified on the packed
integers (XOR and per-character masks: one substitution, an adjacent swap, or one insertion
found at the first differing character) and get their level from the rules of
:mod:`paxscreen.compare.documents`, computed on the packed forms.

Searches
--------
Every 32nd key and every 32nd rotated key are kept (the *samples*). A search first finds the block
of 32 entries its target lies in: in the :class:`_Directory` (built from the samples at the first
lookup, a few MB: every 16th sample and, per order and key length, a radix table over the top bits
of the characters) a short binary search, a step at a time over all targets (the reads of one step
do not wait for one another), then one read of the 16 samples that follow, which also gives the
samples on either side of the block's end. Exact lookups (and the transpositions across cut points)
read the keys of their block. The ranges of a batch (about nine per probe: three key lengths, three
orders) are planned per query from the cut points' table of ranges (per query length, key length and
order) and searched together. The searches and scans are compiled loops (:mod:`paxscreen._jit`), one
step per target or range. A block's first read is likely a cache and TLB miss, so the ranges are
taken 32 at a time: their blocks are hinted to the CPU at once (their misses overlap), then scanned.
No rotated key is ever read to find a range: in the main order the keys say which entries are in the
range; in a rotation order the tags do, with the sample that ends the block (the first one at or
above the range's start). If that sample is in the range, the range starts at the last entry of the
block that shares fewer than ``k`` characters (the range's prefix) with the one before, and runs on
while entries share ``k``. If not, the range lies inside the block: the block's entries that share
more characters with the sample before the block, or with the one that ends it, than the range's
start does are not in it, and the others are screened (the verification drops what passes from
outside the range). The entries that pass the tail screen are verified once all ranges are scanned
(in a rotation order, their positions and then their keys are read in loops whose misses overlap).

Updates
-------
:meth:`DocumentIndex.add` puts new records in a *delta* segment (rebuilt on each add: it is small)
and :meth:`DocumentIndex.remove` marks records of the *base* removed (tombstones, by row);
lookups search both segments and drop removed rows. When the delta and the tombstones reach
:data:`MERGE_FRACTION` of the base (or on :meth:`DocumentIndex.merge`), base and delta are merged
into a new base from their packed keys, without normalising anything again. ``row`` is the
record's row in the frame the index was built from; added records continue the numbering, and
rows keep their numbers through merges.

Files
-----
:meth:`DocumentIndex.save` writes a directory: ``manifest.json`` (format version, the row counter,
the issuer / type / status dictionaries, which segment directories are live) and one directory per
segment with one ``.npy`` file per array, opened with ``numpy.load(mmap_mode="r")``:
:meth:`DocumentIndex.open` maps the files and reads only the small ones (the page cache does the
rest). The side table is a small Parquet file; tombstones are one ``.npy`` file. Format version
3 (the attributes as records); earlier versions are refused.

Size
----
The *lookup structures* (:meth:`DocumentIndex.sizes`, ``index_*``; what the 24-bytes-per-record
budget counts) are, per entry: the folded key (8 bytes), the variant (2), the two rotation orders
(4 + 4) and their tags (2 + 2), every 32nd key and rotated key (0.75) and the directory built
from them (about 0.09): about 22.8 bytes, times 1 + the share of all-digit keys starting with
``0`` (their second entry), plus the variant overflow list and the side table: 23.5 bytes per
record on the synthetic 100-million list of ``benchmarks/bench_documents.py`` (2.9% second
entries). The *record attributes* returned with matches are stored per entry, in key order, and
counted apart (``attributes``): one 16-byte record each (``meta_records.npy``: the row, issuer,
type and status codes, ``reported_on``, and the entry's variant, which the lookup structures
count; one read fetches a match's) and ``record_ref`` (its bytes plus an 8-byte offset). Storing
them in key order is what spares the index an entry -> record map.

Document numbers never appear in error messages; they name the file and the row.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from rapidfuzz import process
from rapidfuzz.distance import OSA

from paxscreen._jit import grown, kernel, prefetch
from paxscreen.compare.documents import (
    DOC_LEVEL,
    DOC_LEVELS,
    doc_number_level,
    doc_number_level_scalar,
)
from paxscreen.errors import ParseError, PaxscreenError, SchemaError
from paxscreen.normalize.documents import (
    OCR_FOLDING,
    doc_issuer_code,
    doc_number_key,
    doc_type_code,
)
from paxscreen.schema import DOCUMENT_LIST

__all__ = ["MATCHES", "MERGE_FRACTION", "MERGE_MIN", "DocumentIndex", "DocumentSource", "Values"]

U8: TypeAlias = npt.NDArray[np.uint8]
U16: TypeAlias = npt.NDArray[np.uint16]
U32: TypeAlias = npt.NDArray[np.uint32]
U64: TypeAlias = npt.NDArray[np.uint64]
I32: TypeAlias = npt.NDArray[np.int32]
I64: TypeAlias = npt.NDArray[np.int64]
Bools: TypeAlias = npt.NDArray[np.bool_]

#: What :meth:`DocumentIndex.build` reads: a document list frame (the columns of
#: :data:`paxscreen.schema.DOCUMENT_LIST`, as :func:`paxscreen.read_documents` returns them) or a
#: path: Parquet files with those column names are streamed in batches, other files are read
#: with :func:`paxscreen.read_documents`.
DocumentSource: TypeAlias = "pl.DataFrame | str | os.PathLike[str]"

#: Probe values: document numbers, issuers or types, one per probe (None for unknown).
Values: TypeAlias = (
    "Sequence[str | None] | pl.Series | pa.Array | pa.ChunkedArray | npt.NDArray[Any]"
)

#: The columns of :meth:`DocumentIndex.lookup`, one row per (probe, listed record) match.
MATCHES: Final = pl.Schema(
    {
        "probe": pl.UInt32(),
        "row": pl.UInt32(),
        "level": DOC_LEVEL,
        "issuer_agreement": pl.Boolean(),
        "type_agreement": pl.Boolean(),
        **DOCUMENT_LIST,
    }
)

#: No matches (a frame made from a schema costs a tenth of a millisecond: one traveller at the
#: counter is screened in a few).
_NO_MATCHES: Final = MATCHES.to_frame()

#: Base and delta are merged when the delta plus the removed records reach this share of the
#: base (and at least :data:`MERGE_MIN` records).
MERGE_FRACTION: Final = 0.05
#: Fewer pending changes than this never trigger a merge by themselves.
MERGE_MIN: Final = 100_000

_FORMAT: Final = "paxscreen.document_index"
_VERSION: Final = 3  # 2: cut points chosen per index (main_cuts.npy); 3: meta_records.npy
_MANIFEST: Final = "manifest.json"
_BATCH: Final = 1 << 21  # rows normalised at a time while building
_GATHER: Final = 1 << 18  # strings gathered at a time (temporaries of 8 bytes per character)
_PROBE_CHUNK: Final = 1 << 14  # probes matched at a time
_SAMPLE: Final = 32  # every _SAMPLE-th rotated key is kept
_WIDTH: Final = 12  # characters packed in a key
_ZERO_ENTRY: Final = 0xF000  # variant of a zero-stripped entry: + zeros dropped
_SIDE_ENTRY: Final = 0xFFFE  # zero-stripped entry of a side-table key
_OVERFLOW: Final = 0xFFFF  # variant >= _ZERO_ENTRY: in the overflow list
_MARK: Final = np.uint32(1 << 24)  # above every variant (4**12): second entries while building
_NO_DATE: Final = np.iinfo(np.int32).min
_MAX_CODES: Final = 0xFFFF
_SCALAR_PAIRS: Final = 256  # fewer string pairs than this are compared one by one
_READ_AT_OPEN: Final = 1 << 22  # arrays up to this size are read when opening, not mapped

# level codes: positions in DOC_LEVELS, so that _LEVEL_VALUES turns them into the Enum
_EXACT, _CONFUSABLE, _ZEROS, _TRANSPOSITION, _ONE_EDIT, _MISMATCH = (
    DOC_LEVELS.index(level)
    for level in ("exact", "confusable", "leading_zeros", "transposition", "one_edit", "mismatch")
)
_LEVEL_VALUES: Final = pl.Series(DOC_LEVELS, dtype=DOC_LEVEL)

# ---------------------------------------------------------------------------------------------
# The folded alphabet and its tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Alphabet:
    """Byte -> folded symbol code (1..27, digits first) and variant; code -> group size."""

    code: U8  # (256,) folded symbol code of a key byte, 0 for bytes keys never hold
    variant: U8  # (256,) index of the byte in its confusion group (the digit is 0)
    radix: U32  # (32,) size of each symbol's confusion group (1 for padding / _X)
    unfold: U8  # (32 * group,) byte of (code, variant)
    group: int  # largest group size
    zero: int  # code of "0"
    last_digit: int  # codes 1..last_digit are the digits


def _alphabet() -> _Alphabet:
    digits = "0123456789"
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    symbols = [c for c in digits + letters if c not in OCR_FOLDING]
    groups: dict[str, list[str]] = {s: [s] for s in symbols}
    for char, representative in OCR_FOLDING.items():
        if representative not in groups or char not in letters:
            raise AssertionError("OCR_FOLDING must map letters to unfolded symbols")
        groups[representative].append(char)
    if len(symbols) > 30 or any(d in OCR_FOLDING for d in digits):
        raise AssertionError("the folded alphabet must have at most 30 symbols, digits first")
    width = max(len(g) for g in groups.values())
    code = np.zeros(256, dtype=np.uint8)
    variant = np.zeros(256, dtype=np.uint8)
    radix = np.ones(32, dtype=np.uint32)
    unfold = np.zeros(32 * width, dtype=np.uint8)
    for number, symbol in enumerate(symbols, start=1):
        radix[number] = len(groups[symbol])
        for v, char in enumerate(groups[symbol]):
            code[ord(char)] = number
            variant[ord(char)] = v
            unfold[number * width + v] = ord(char)
    return _Alphabet(code, variant, radix, unfold, width, int(code[ord("0")]), len(digits))


_ALPHA: Final = _alphabet()
_X: Final = np.uint8(31)  # a code no character has: letters in the digit-vs-letter form
_M60: Final = np.uint64((1 << 60) - 1)
_LSB: Final = np.uint64(sum(1 << (5 * k) for k in range(_WIDTH)))
_SIXTY: Final = np.uint64(60)
_FIVE_U: Final = np.uint64(5)
_ONE_U: Final = np.uint64(1)
_31: Final = np.uint64(31)
_K = np.arange(_WIDTH + 1, dtype=np.uint64)
_PAD: Final = (np.uint64(5) * (np.uint64(_WIDTH) - _K)).astype(np.uint64)  # 5 * (12 - k)
_FIVE: Final = (np.uint64(5) * _K).astype(np.uint64)  # 5 * k
_LOW: Final = np.array([(1 << (5 * k)) - 1 for k in range(_WIDTH + 1)], dtype=np.uint64)
_STEP: Final = np.array([1 << (5 * (_WIDTH - k)) for k in range(_WIDTH + 1)], dtype=np.uint64)
_TOP: Final = (_M60 ^ (_STEP - np.uint64(1))).astype(np.uint64)  # the first k characters
_SHIFT: Final = np.array([5 * (_WIDTH - 1 - j) for j in range(_WIDTH)], dtype=np.uint64)
# k leading "0" characters, packed (no length).
_ZERO_PREFIX: Final = np.array(
    [sum(_ALPHA.zero << (5 * (_WIDTH - 1 - j)) for j in range(k)) for k in range(_WIDTH + 1)],
    dtype=np.uint64,
)
# Default cut points per key length n (A = [0, c1), B = [c1, c2), C = [c2, n)): thirds. A
# segment's own cut points are chosen from its keys (see _choose_cuts).
_C1: Final = tuple((n + 1) // 3 for n in range(_WIDTH + 1))
_C2: Final = tuple((2 * n + 1) // 3 for n in range(_WIDTH + 1))
_KEY_BYTE: Final = np.zeros(256, dtype=np.bool_)
_KEY_BYTE[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")] = True


def _length(keys: U64) -> U64:
    out: U64 = keys >> _SIXTY
    return out


def _rotate(keys: U64, which: I64 | int, rot: U64) -> U64:
    """Keys with their last ``rot[which * 13 + n]`` characters moved to the front (see
    :attr:`_Cuts.rot`)."""
    n = _length(keys)
    t = rot[n + np.uint64(13) * np.asarray(which, dtype=np.uint64)]
    chars = keys & _M60
    pad = _PAD[n]
    last = (chars >> pad) & _LOW[t]
    first = chars >> (pad + _FIVE[t])
    out: U64 = (n << _SIXTY) | (last << _PAD[t]) | (first << pad)
    return out


# Character j of a packed key times _LIFT[j] is in the top 5 bits (products wrap): a product
# and one shift for every character, faster than a shift by each character's own amount.
_LIFT: Final = (np.uint64(1) << (np.uint64(59) - _SHIFT)).astype(np.uint64)


def _codes(keys: U64) -> U8:
    """The folded character codes of packed keys, ``(len(keys), 12)``, 0 past the end."""
    out: U8 = ((keys[:, None] * _LIFT) >> np.uint64(59)).astype(np.uint8)
    return out


def _pack_codes(codes: U8, lengths: U64) -> U64:
    chars = np.bitwise_or.reduce(codes.astype(np.uint64) << _SHIFT, axis=1)
    out: U64 = (lengths.astype(np.uint64) << _SIXTY) | chars
    return out


def _weights(codes: U8) -> tuple[U32, U32]:
    """Per character of keys (``codes``: one row per key), transposed (one row per position):
    the radix of the character and the product of the radices before it."""
    radix = _ALPHA.radix.take(np.ascontiguousarray(codes.T))
    weight = np.ones_like(radix)
    np.cumprod(radix[:-1], axis=0, out=weight[1:])  # along positions: a vector op per position
    return radix, weight


def _variants(codes: U8, variant: U8) -> U32:
    """Mixed-radix number of the per-character variants (position 0 least significant)."""
    _, weight = _weights(codes)
    out: U32 = (variant.T * weight).sum(axis=0, dtype=np.uint32)
    return out


def _unpack_variants(codes: U8, variants: U32) -> U8:
    """Per-character variants from their mixed-radix number (only nonzero numbers are
    divided: most keys are their folded key)."""
    out: U8 = np.zeros(codes.shape, dtype=np.uint8)
    some = np.flatnonzero(variants)
    if some.size:
        radix, weight = _weights(codes[some])
        digits = (variants[some].astype(np.uint32) // weight) % radix
        out[some] = digits.T
    return out


def _leading_zeros(keys: U64) -> U64:
    """How many leading ``0`` characters :func:`_stripped` drops (all but a last one): the
    characters a key shares with the key of as many ``0`` characters."""
    n = _length(keys)
    zeros = _lcp_chars((n << _SIXTY) | _ZERO_PREFIX[n], keys)
    out: U64 = np.minimum(zeros, np.maximum(n, _ONE_U) - _ONE_U)
    return out


def _stripped(keys: U64) -> U64:
    """Keys without their leading ``0`` characters (one is kept), as packed keys."""
    zeros = _leading_zeros(keys)
    out: U64 = ((_length(keys) - zeros) << _SIXTY) | ((keys << _FIVE[zeros]) & _M60)
    return out


# ---------------------------------------------------------------------------------------------
# Edit classes and levels on packed keys
# ---------------------------------------------------------------------------------------------


def _edit_class(a: U64, b: U64) -> U8:
    """0 equal, 1 one substitution/insertion/deletion, 2 one adjacent transposition, 3 more
    (:func:`_edit_pair`, pair by pair).

    ``a`` and ``b`` are packed keys (any symbol codes, including :data:`_X`).
    """
    return _edit_classes(np.ascontiguousarray(a, np.uint64), np.ascontiguousarray(b, np.uint64))


_UNKNOWN: Final = np.uint8(255)  # an edit class not computed yet
_FOLD_LEVEL: Final = np.array([_MISMATCH, _ONE_EDIT, _TRANSPOSITION, _MISMATCH], dtype=np.uint8)
_ZERO_LEVEL: Final = np.array([_ZEROS, _ONE_EDIT, _TRANSPOSITION, _MISMATCH], dtype=np.uint8)


def _zero_forms(keys: U64, variants: U32) -> tuple[U64, Bools]:
    """The form compared when leading zeros are involved, and whether zeros were dropped.

    All-digit keys lose their leading zeros
    (:func:`~paxscreen.normalize.documents.strip_leading_zeros`). Other keys keep their
    characters, except that every letter becomes :data:`_X`: these forms are only compared with
    an all-digit form, where a letter matches nothing whichever it is, so the distance is that of
    the keys themselves.
    """
    numeric = (variants == 0) & _digit_keys(keys)
    out = keys.copy()
    stripped = np.zeros(keys.shape, dtype=np.bool_)
    i = np.flatnonzero(numeric)
    if i.size:
        out[i] = _stripped(keys[i])
        stripped[i] = out[i] != keys[i]
    other = np.flatnonzero(~numeric)
    if other.size:
        oc = _codes(keys[other])
        letters = (_unpack_variants(oc, variants[other]) != 0) | (oc > _ALPHA.last_digit)
        out[other] = _pack_codes(np.where(letters, _X, oc), _length(keys[other]))
    return out, stripped


def _digit_keys(keys: U64) -> Bools:
    """Whether packed keys have digits only: no character code of 11 or more (letters and
    :data:`_X`; codes 1..10 are the digits, 0 pads), tested on all characters at once."""
    chars = keys & _M60
    b0, b1, b2, b3, b4 = ((chars >> np.uint64(i)) & _LSB for i in range(5))
    out: Bools = (b4 | (b3 & (b2 | (b1 & b0)))) == 0
    return out


def _loses_zeros(keys: U64, variants: U32) -> Bools:
    """Whether :func:`_zero_forms` drops leading zeros of keys: all digits (variant 0), two or
    more of them, the first ``0``."""
    out: Bools = ((keys >> _SHIFT[0]) & _31) == _ALPHA.zero
    out &= (variants == 0) & (_length(keys) >= np.uint64(2))
    some = np.flatnonzero(out)  # few: the digit test only where it can matter
    out[some] = _digit_keys(keys[some])
    return out


def _levels(
    record: U64,
    record_variant: U32,
    probe: U64,
    probe_variant: U32,
    classes: U8 | None = None,
) -> U8:
    """The :data:`~paxscreen.compare.documents.DOC_LEVELS` code of each (record, probe) pair.

    The rules of :func:`~paxscreen.compare.documents.doc_number_level`, on packed keys:
    ``exact`` (same key), ``confusable`` (same folded key), ``leading_zeros`` (all digits, equal
    without leading zeros), then ``transposition`` / ``one_edit`` on the folded keys or, where a
    key lost leading zeros, on the zero forms; ``mismatch`` otherwise. ``classes`` may give the
    :func:`_edit_class` of the pairs where it is known already (:data:`_UNKNOWN` elsewhere).
    """
    same = record == probe
    if same.all():
        out: U8 = np.where(record_variant == probe_variant, _EXACT, _CONFUSABLE).astype(np.uint8)
        return out
    out = np.where(record_variant == probe_variant, _EXACT, _CONFUSABLE).astype(np.uint8)
    other = np.flatnonzero(~same)
    if classes is None:
        edits = _edit_class(record[other], probe[other])
    else:
        edits = classes[other]
        unknown = np.flatnonzero(edits == _UNKNOWN)
        if unknown.size:
            at = other[unknown]
            edits[unknown] = _edit_class(record[at], probe[at])
    out[other] = _FOLD_LEVEL[edits]
    todo = np.flatnonzero(out > _ZEROS)
    # Only a key that loses leading zeros changes anything: one side of the pair must. Both
    # sides are handled by one call (records, then probes), not two.
    if todo.size:
        both = np.concatenate([record[todo], probe[todo]])
        variants = np.concatenate([record_variant[todo], probe_variant[todo]])
        loses = _loses_zeros(both, variants).reshape(2, -1)
        todo = todo[loses[0] | loses[1]]
    if todo.size:
        both = np.concatenate([record[todo], probe[todo]])
        variants = np.concatenate([record_variant[todo], probe_variant[todo]])
        forms, stripped = (x.reshape(2, -1) for x in _zero_forms(both, variants))
        hit = np.flatnonzero(stripped[0] | stripped[1])
        if hit.size:
            level = _ZERO_LEVEL[_edit_class(forms[0, hit], forms[1, hit])]
            at = todo[hit]
            out[at] = np.minimum(out[at], level)
    return out


# ---------------------------------------------------------------------------------------------
# Keys from strings
# ---------------------------------------------------------------------------------------------


def _large_strings(values: Any) -> pa.LargeStringArray:
    """Any string column as one Arrow ``large_string`` array."""
    if isinstance(values, pl.Series):
        values = values.to_arrow()
    elif not isinstance(values, pa.Array | pa.ChunkedArray):
        listed = values.tolist() if isinstance(values, np.ndarray) else list(values)
        try:
            return pa.array(listed, type=pa.large_string())
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise TypeError("expected strings (or None)") from error
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.large_string())
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), pa.large_string())
    if not (
        pa.types.is_string(values.type)
        or pa.types.is_large_string(values.type)
        or pa.types.is_string_view(values.type)
    ):
        raise TypeError(f"expected strings, got {values.type}")
    return values.cast(pa.large_string())


def _buffers(array: pa.LargeStringArray) -> tuple[I64, U8]:
    """Offsets (``len + 1``) and bytes of a ``large_string`` array."""
    _, offsets, data = array.buffers()
    off: I64 = np.frombuffer(offsets, dtype=np.int64, count=len(array) + 1, offset=array.offset * 8)
    raw: U8 = (
        np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    )
    return off, raw


def _string_array(offsets: I64, data: U8) -> pa.LargeStringArray:
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(np.ascontiguousarray(offsets)), pa.py_buffer(data)
    )


def _normalise_numbers(values: Any) -> pa.LargeStringArray:
    """:func:`~paxscreen.normalize.documents.doc_number_key` of each value (null if nothing left).

    Values made of ``A``-``Z`` and ``0``-``9`` only are their own key; only the others go
    through the polars expression.
    """
    array = _large_strings(values)
    if len(array) == 0:
        return array
    offsets, data = _buffers(array)
    if (
        not array.null_count
        and _KEY_BYTE[data[int(offsets[0]) : int(offsets[-1])]].all()
        and (offsets[1:] > offsets[:-1]).all()
    ):
        return array  # already keys (the usual case)
    bad = np.zeros(data.size + 1, dtype=np.int64)
    np.cumsum(~_KEY_BYTE[data], out=bad[1:])
    need = (bad[offsets[1:]] > bad[offsets[:-1]]) | (offsets[1:] == offsets[:-1])
    if array.null_count:
        need &= array.is_valid().to_numpy(zero_copy_only=False)
    if not need.any():
        return array
    rows = np.flatnonzero(need)
    fixed = pl.select(doc_number_key(pl.lit(pl.Series(array.take(pa.array(rows)))))).to_series()
    return _large_strings(pl.Series(array).scatter(rows, fixed))


def _key_matrix(keys: pa.LargeStringArray) -> tuple[U8, I64]:
    """Keys (bytes ``A``-``Z``/``0``-``9``) as a ``(n, 12)`` byte matrix and their lengths.

    Nulls have length 0; keys longer than 12 keep their first 12 bytes (callers route them by
    length).
    """
    offsets, data = _buffers(keys)
    lengths = np.diff(offsets)
    if keys.null_count:
        lengths = np.where(keys.is_valid().to_numpy(zero_copy_only=False), lengths, 0)
    padded = np.zeros(data.size + _WIDTH, dtype=np.uint8)
    padded[: data.size] = data
    matrix = padded[offsets[:-1, None] + np.arange(_WIDTH)]
    matrix[np.arange(_WIDTH)[None, :] >= lengths[:, None]] = 0
    return matrix, lengths


def _pack_matrix(matrix: U8, lengths: I64) -> tuple[U64, U32]:
    """Folded packed keys and variants of keys of at most 12 characters."""
    codes = _ALPHA.code[matrix]
    keys = _pack_codes(codes, lengths.astype(np.uint64))
    return keys, _variants(codes, _ALPHA.variant[matrix])


def _pack_strings(keys: Sequence[str]) -> tuple[U64, U32]:
    matrix, lengths = _key_matrix(pa.array(list(keys), type=pa.large_string()))
    return _pack_matrix(matrix, lengths)


def _unpack_strings(keys: U64, variants: U32) -> pa.LargeStringArray:
    """The (unfolded) key strings of packed keys."""
    codes = _codes(keys)
    chars = _ALPHA.unfold.take(codes * np.uint8(_ALPHA.group) + _unpack_variants(codes, variants))
    offsets = np.zeros(keys.size + 1, dtype=np.int64)
    np.cumsum(_length(keys), out=offsets[1:])
    return _string_array(offsets, chars[codes != 0])  # code 0 pads


_FOLD_TABLE: Final = str.maketrans(dict(OCR_FOLDING))


def _zero_string(key: str) -> str:
    """:func:`~paxscreen.normalize.documents.strip_leading_zeros` of one key."""
    return (key.lstrip("0") or "0") if key.isdigit() else key


# ---------------------------------------------------------------------------------------------
# Ranges
# ---------------------------------------------------------------------------------------------


def _expand(start: I64, stop: I64) -> tuple[I64, I64]:
    """(range number, position) for every position of the ranges ``[start, stop)``."""
    counts = np.maximum(stop - start, 0)
    total = int(counts.sum())
    owner = np.repeat(np.arange(start.size, dtype=np.int64), counts)
    if total == 0:
        return owner, np.zeros(0, dtype=np.int64)
    first = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - np.repeat(first - start, counts)
    return owner, position


def _unique_pairs(owner: I64, other: I64) -> tuple[I64, I64, I64]:
    """Distinct (owner, other) pairs, sorted, and the index of each one's first occurrence."""
    if owner.size == 0:
        return owner, other, np.zeros(0, dtype=np.int64)
    pairs = (owner.astype(np.uint64) << np.uint64(32)) | other.astype(np.uint64)
    unique, first = np.unique(pairs, return_index=True)
    return (
        (unique >> np.uint64(32)).astype(np.int64),
        (unique & np.uint64(0xFFFFFFFF)).astype(np.int64),
        first.astype(np.int64),
    )


# ---------------------------------------------------------------------------------------------
# The sorted keys with their two rotation orders
# ---------------------------------------------------------------------------------------------


_NONE: Final = np.uint64(2**64 - 1)  # no packed or rotated key (lengths are at most 12)


@kernel
def _lcp_chars(previous: U64, current: U64) -> U64:
    """Leading characters two packed keys share (0 when their lengths differ;
    :func:`_common`, pair by pair)."""
    out = np.empty(len(current), np.uint64)
    for k in range(len(current)):
        out[k] = _common(previous[k], current[k])
    return out


# The 12 low bits of a key's tail, per number of characters of the free part (5 bits each).
_KNOWN: Final = np.array([(1 << min(5 * f, 12)) - 1 for f in range(_WIDTH + 1)], dtype=np.uint64)


def _same_length_filter() -> Bools:
    """For the XOR of the last 12 bits of two same-length free parts: can they be one
    substitution or one adjacent transposition apart? (A necessary condition.)"""
    x = np.arange(1 << 12, dtype=np.int64)
    g0, g1, g2 = x & 31, (x >> 5) & 31, x >> 10
    nonzero = (g0 != 0).astype(int) + (g1 != 0) + (g2 != 0)
    swap_low = (g0 != 0) & (g1 != 0) & (g2 == 0) & (g0 == g1)
    swap_high = (g0 == 0) & (g1 != 0) & (g2 != 0) & ((g1 & 3) == g2)
    out: Bools = (nonzero <= 1) | swap_low | swap_high
    return out


def _tail_table() -> Bools:
    """Tail screens by ``test << 12 | (tail ^ want)`` (see :func:`_passes`): 0 same length
    (:func:`_same_length_filter`); 1 the query part one longer: its last two characters are
    checked apart; 2 the query part one shorter, of one character (the tail's last or
    second-last character is it: ``want`` holds it twice); 3 none; 4 the query part one
    shorter, of two or more characters ``.. q2 q1``, ``want`` holding ``q2`` (its last 2 bits),
    ``q2``, ``q1``: the tail ends ``q2 q1`` or ``q2 _ q1`` (an insertion before the part's last
    two characters, or between them), or ``q2 q1 _`` (checked apart: at the end)."""
    x = np.arange(1 << 12)
    low, middle, high = x & 31, (x >> 5) & 31, x >> 10
    shorter = (low == 0) | (middle == 0)
    inserted = (low == 0) & ((middle == 0) | (high == 0))
    return np.concatenate(
        [
            _same_length_filter(),
            np.zeros(1 << 12, np.bool_),
            shorter,
            np.ones(1 << 12, np.bool_),
            inserted,
        ]
    )


_TAIL_TABLE: Final = _tail_table()


@dataclass(frozen=True, eq=False)
class _Directory:
    """Where the searches in the sorted samples of the three orders (the keys', then the two
    rotation orders') start.

    ``fine`` holds every :data:`_FINE`-th sample of each order, one order after the other, each
    followed by a sentinel above every key (a few MB at 100 million keys, so it stays in the CPU
    caches). ``radix`` holds, per order and key length, a table of the first entry of ``fine``
    at or above each value of the top bits of the characters (one or two entries per entry of
    ``fine`` of that length: the numbers of one length share the table's bits, not the numbers
    of all lengths). A target's entry and the next one bound its answer, which a short binary
    search finds (:func:`_first_samples`); skewed keys (many numbers that start alike) only
    make some of those searches longer.
    """

    fine: U64
    start: I64  # (4,): where each order's entries start in fine
    radix: I32  # the tables, one after the other
    base: I64  # (3 * 16,): where the table of each order and length (top 4 bits) starts
    shift: U64  # (3 * 16,): the shift that leaves the top bits of the characters
    step: int  # the samples between two entries of fine (_FINE when it was built)

    @classmethod
    def create(cls, orders: Sequence[U64]) -> _Directory:
        parts = [np.append(samples[::_FINE], _NONE) for samples in orders]
        start = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([part.size for part in parts], out=start[1:])
        tables: list[I32] = []
        base = np.zeros(16 * len(parts), dtype=np.int64)
        shift = np.zeros(16 * len(parts), dtype=np.uint64)
        at = 0
        for row, part in enumerate(parts):
            bounds = np.searchsorted(part[:-1] >> _SIXTY, np.arange(17, dtype=np.uint64))
            for length in range(16):
                lo, hi = int(bounds[length]), int(bounds[length + 1])
                bits = min(_RADIX_BITS, (hi - lo).bit_length())
                group = row * 16 + length
                base[group], shift[group] = at, 60 - bits
                top = ((part[lo:hi] & _M60) >> shift[group]).astype(np.intp)
                table = np.zeros((1 << bits) + 1, dtype=np.int32)
                np.cumsum(np.bincount(top, minlength=1 << bits), out=table[1:])
                tables.append(table + np.int32(start[row] + lo))
                at += table.size
        return cls(np.concatenate(parts), start, np.concatenate(tables), base, shift, _FINE)

    @property
    def nbytes(self) -> int:
        return int(self.fine.nbytes + self.radix.nbytes)


@dataclass(frozen=True, eq=False)
class _Keys:
    """Sorted packed keys and two rotation orders, with what their searches start from.

    ``rot[w]`` is rotation order ``w`` (entry positions); ``tags[w]`` holds, per position of
    that order, the number of leading characters its rotated key shares with the previous one
    (4 bits) and the last 12 bits of its characters. ``samples`` holds every 32nd key,
    ``rot_samples[w]`` every 32nd rotated key. ``cache`` keeps the :class:`_Directory` of the
    samples (:meth:`directory`). The arrays are made read-only, as they are when mapped from
    files: the kernels that read them are compiled for one kind of array.
    """

    keys: U64
    samples: U64
    rot: U32  # (2, n)
    tags: U16  # (2, n)
    rot_samples: U64  # (2, ceil(n / 32))
    cuts: _Cuts
    cache: dict[str, _Directory] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for array in (self.keys, self.samples, self.rot, self.tags, self.rot_samples):
            array.flags.writeable = False

    @classmethod
    def create(cls, unsorted: list[U64], cuts: _Cuts | None = None) -> tuple[_Keys, I64]:
        """Index the keys handed over in ``unsorted`` (emptied), with cut points ``cuts`` (by
        default chosen from the keys: :func:`_choose_cuts`); also returns their sort order."""
        keys = unsorted.pop()
        order = np.argsort(keys).astype(np.int64)
        keys = keys[order]
        n = keys.size
        if cuts is None:
            cuts = _choose_cuts(keys)
        rot = np.empty((2, n), dtype=np.uint32)
        tags = np.empty((2, n), dtype=np.uint16)
        rot_samples = np.empty((2, -(-n // _SAMPLE)), dtype=np.uint64)
        for which in (0, 1):
            rotated = np.empty_like(keys)
            for lo in range(0, n, _BATCH):
                rotated[lo : lo + _BATCH] = _rotate(keys[lo : lo + _BATCH], which, cuts.rot)
            perm = np.argsort(rotated)
            rot[which] = perm
            del perm
            order_w = rot[which]
            rot_samples[which] = rotated[order_w[::_SAMPLE]]
            for lo in range(0, n, _BATCH):
                part = rotated[order_w[lo : lo + _BATCH]]
                previous = np.empty_like(part)
                previous[1:] = part[:-1]
                previous[:1] = rotated[order_w[lo - 1]] if lo else ~part[:1]
                lcp = _lcp_chars(previous, part)
                tail = ((part & _M60) >> _PAD[_length(part)]) & np.uint64(0xFFF)
                tags[which, lo : lo + part.size] = (lcp << np.uint64(12)) | tail
            del rotated
        samples = np.ascontiguousarray(keys[::_SAMPLE])
        return cls(keys, samples, rot, tags, rot_samples, cuts), order

    def __len__(self) -> int:
        return int(self.keys.size)

    def lengths(self) -> I64:
        """Number of keys of each length 0..12."""
        bounds = np.arange(_WIDTH + 2, dtype=np.uint64) << _SIXTY
        out: I64 = np.diff(self.find(bounds))
        return out

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {
            "keys": self.keys,
            "samples": self.samples,
            "rot": self.rot,
            "tags": self.tags,
            "rot_samples": self.rot_samples,
            "cuts": self.cuts.array(),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[Any]]) -> _Keys:
        return cls(
            arrays["keys"],
            arrays["samples"],
            arrays["rot"],
            arrays["tags"],
            arrays["rot_samples"],
            _stored_cuts(arrays["cuts"]),
        )

    def sizes(self) -> dict[str, int]:
        return {
            "keys": self.keys.nbytes,
            "rotations": self.rot.nbytes,
            "tags": self.tags.nbytes,
            "samples": self.samples.nbytes + self.rot_samples.nbytes,
            "directory": self.directory().nbytes,
        }

    # -- searching --------------------------------------------------------------------------------

    def directory(self) -> _Directory:
        """The :class:`_Directory` of the samples (built at the first call, then kept)."""
        directory = self.cache.get("directory")
        if directory is None:
            orders = [self.samples, self.rot_samples[0], self.rot_samples[1]]
            directory = self.cache["directory"] = _Directory.create(orders)
        return directory

    def blocks(self, order: I64, targets: U64) -> tuple[I64, U64, U64]:
        """Per target, the first sample of its order (0: the keys', 1 and 2: the rotation
        orders') that is ``>= target``: sample ``s`` stands at position ``_SAMPLE * s``, so the
        first key (or rotated key) ``>= target`` is at a position in ``(_SAMPLE * (s - 1),
        _SAMPLE * s]`` (and at most the number of keys); with the samples at ``s - 1`` and ``s``
        (see :func:`_first_samples`)."""
        d = self.directory()
        out: tuple[I64, U64, U64] = _first_samples(
            order, targets, self.samples, self.rot_samples, d.fine, d.start, d.radix, d.base,
            d.shift, d.step,
        )  # fmt: skip
        return out

    def find(self, targets: U64) -> I64:
        """Per target, the first position whose key is ``>= target``."""
        if self.keys.size == 0:
            return np.zeros(targets.size, dtype=np.int64)
        block, _, _ = self.blocks(np.zeros(targets.size, dtype=np.int64), targets)
        out: I64 = _first_keys(self.keys, block, targets, _SAMPLE)
        return out

    def exact(self, queries: U64) -> tuple[I64, I64]:
        """(query number, position) of every key equal to a query (:func:`_equal_keys`)."""
        if self.keys.size == 0 or queries.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        block, _, _ = self.blocks(np.zeros(queries.size, dtype=np.int64), queries)
        out: tuple[I64, I64] = _equal_keys(self.keys, block, queries, _SAMPLE)
        return out

    def near(self, queries: U64, lengths: I64) -> tuple[I64, I64, U8, U64]:
        """(query number, position, :func:`_edit_class`, key) of every key at most one edit
        from a query (module doc).

        Queries are packed keys of 1 to 12 characters; ``lengths`` holds the number of keys per
        length. The ranges and swapped queries of the batch are planned at once
        (:func:`_plan_ranges`), their blocks found in one search (:meth:`blocks`), and the
        ranges scanned and their candidates verified by :func:`_near_keys`.
        """
        if self.keys.size == 0 or queries.size == 0:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.uint8), np.zeros(0, np.uint64)
        plan = _plan_ranges(queries, lengths, self.cuts)
        # One search for every range's block and for the swapped queries (transpositions
        # across a cut point), which are looked up exactly in the keys.
        order = np.concatenate([np.zeros(plan.swaps.size, dtype=np.int64), plan.kind])
        block, before, after = self.blocks(order, np.concatenate([plan.swaps, plan.lo]))
        out: tuple[I64, I64, U8, U64] = _near_keys(
            self.keys, self.rot, self.tags, queries, block, before, after, plan.swaps,
            plan.swap_owner, plan.kind, plan.lo, plan.hi, plan.n, plan.k, plan.owner,
            plan.longer, plan.shorter, plan.screen, plan.apart, _TAIL_TABLE, _SAMPLE,
        )  # fmt: skip
        return out


_FINE: Final = 16  # the searches start from every _FINE-th sample
_CHUNK: Final = 32  # ranges scanned together: their blocks are hinted at once, then scanned
_RADIX_BITS: Final = 22  # at most: top bits of the characters that index a _Directory table
_TAIL_BITS: Final = np.uint16(0xFFF)  # the tail of a key or tag (see _passes)


@dataclass(frozen=True, eq=False)
class _Plan:
    """The ranges one batch of queries needs (see :meth:`_Keys.near`).

    Per range: its kind (0 main order, 1 rotation 0, 2 rotation 1), key bounds ``[lo, hi)``,
    key length ``n``, prefix length ``k``, the query it serves, and what the tail screen
    (:func:`_passes`) compares the last 12 bits of its entries' keys with.
    """

    kind: I64
    lo: U64
    hi: U64
    n: I64
    k: I64
    owner: I64
    longer: Bools  # the range's keys are one character shorter than its query
    shorter: Bools  # the range's keys are one character longer than its query
    screen: U16  # what a tail is XORed with (see _passes)
    apart: U16  # (ranges, 2): further XORs that pass, where longer or shorter (see _passes)
    swaps: U64
    swap_owner: I64


def _range_table(cut1: Sequence[int], cut2: Sequence[int]) -> I64:
    """Per (query length ``m``, key length ``n = m - 1 + s``, kind), ``s`` and kind in 0..2:
    whether the range exists, and its ``n``, ``k``, free length, query part ``[ps, pe)``,
    rotated characters ``t``, leading characters ``a`` of the prefix and tail screen.

    A range's prefix is the query's last ``t`` characters then its first ``a`` characters;
    rows are ``m * 9 + s * 3 + kind``.
    """
    rows = []
    for m in range(_WIDTH + 1):
        for s in range(3):
            n = m - 1 + s
            for kind in range(3):
                row = [0] * 10
                if m >= 1 and 1 <= n <= _WIDTH:
                    c1, c2 = cut1[n], cut2[n]
                    if kind == 0:
                        ok, t, a, k, free, ps, pe = c2 <= m, 0, c2, c2, n - c2, c2, m
                    elif kind == 1:
                        t = n - c2
                        ok, a, k, free, ps, pe = (
                            c1 < c2 and t + c1 <= m,
                            c1,
                            t + c1,
                            c2 - c1,
                            c1,
                            m - t,
                        )
                    else:
                        t = n - c1
                        ok, a, k, free, ps, pe = c1 > 0 and t <= m, 0, t, c1, 0, m - t
                    d = m - n
                    test = (
                        0 if d == 0 else 1 if d == 1 else 4 if free >= 3 else 2 if free == 2 else 3
                    )
                    row = [int(ok), n, k, free, ps, pe, t, a, test, 0]
                rows.append(row)
    return np.array(rows, dtype=np.int64)


def _swap_table(cut1: Sequence[int], cut2: Sequence[int]) -> I64:
    """Swaps across the cut points of a length: the first swapped position, -1 if none."""
    return np.array(
        [
            [
                c1 - 1 if 0 <= c1 - 1 <= n - 2 else -1,
                c2 - 1 if 0 <= c2 - 1 <= n - 2 and c2 != c1 else -1,
            ]
            for n, c1, c2 in zip(range(_WIDTH + 1), cut1, cut2, strict=True)
        ],
        dtype=np.int64,
    )


@dataclass(frozen=True, eq=False)
class _Cuts:
    """The cut points of a segment's keys, per key length (see the module docstring), and the
    tables derived from them."""

    c1: tuple[int, ...]
    c2: tuple[int, ...]
    rot: U64  # rotation w brings the last rot[w * 13 + n] characters to the front
    ranges: I64  # _range_table
    swaps: I64  # _swap_table

    def array(self) -> I64:
        """``(2, 13)``: c1 and c2 per key length, as stored."""
        return np.array([self.c1, self.c2], dtype=np.int64)


@functools.lru_cache(maxsize=64)
def _cuts(cut1: tuple[int, ...], cut2: tuple[int, ...]) -> _Cuts:
    """The tables of cut points ``cut1[n] <= cut2[n] <= n`` (``n`` = 0..12)."""
    if (
        len(cut1) != _WIDTH + 1
        or len(cut2) != _WIDTH + 1
        or not all(0 <= a <= b <= n for n, (a, b) in enumerate(zip(cut1, cut2, strict=True)))
    ):
        raise ValueError("cut points must satisfy 0 <= c1 <= c2 <= n for n = 0..12")
    n = np.arange(_WIDTH + 1, dtype=np.int64)
    rot = np.concatenate([n - np.array(cut2), n - np.array(cut1)]).astype(np.uint64)
    return _Cuts(cut1, cut2, rot, _range_table(cut1, cut2), _swap_table(cut1, cut2))


def _stored_cuts(array: npt.NDArray[Any]) -> _Cuts:
    cut = np.asarray(array, dtype=np.int64).reshape(2, _WIDTH + 1)
    return _cuts(tuple(cut[0].tolist()), tuple(cut[1].tolist()))


_DEFAULT_CUTS: Final = _cuts(_C1, _C2)
_CHOOSE_MIN: Final = 1 << 14  # fewer keys than this keep the default cut points
_CHOOSE_SAMPLE: Final = 1 << 17  # keys sampled to choose the cut points


_Signature: TypeAlias = Callable[[U64, int], U64]  # (characters of keys of length m, m) -> ...


def _first_chars(count: int) -> _Signature:
    """The first ``count`` characters of keys (as their packed characters)."""

    def signature(chars: U64, m: int) -> U64:
        out: U64 = chars >> _PAD[count]
        return out

    return signature


def _first_and_last(first: int, last: int) -> _Signature:
    """The first ``first`` and the last ``last`` characters of keys of length ``m``."""

    def signature(chars: U64, m: int) -> U64:
        out: U64 = ((chars >> _PAD[first]) << _FIVE[last]) | ((chars >> _PAD[m]) & _LOW[last])
        return out

    return signature


def _held(keys: U64, n: int, probes: Sequence[tuple[int, U64]], signature: _Signature) -> float:
    """Over the probes (``(m, characters of keys of length m)``), how many of ``keys`` (of
    length ``n``, among the probes too) have the signature of a probe, not counting a key
    itself."""
    table = np.sort(signature(keys, n))
    total = -float(keys.size)
    for m, chars in probes:
        if chars.size:
            wanted = np.sort(signature(chars, m))  # sorted: searched in one sweep
            found = np.searchsorted(table, wanted, "right") - np.searchsorted(table, wanted, "left")
            total += float(found.sum())
    return total


def _choose_cuts(keys: U64) -> _Cuts:
    """Cut points that keep the ranges of one-edit lookups short, chosen from sorted ``keys``.

    Per key length ``n`` (3 and more), every ``1 <= c1 < c2 <= n - 1`` is rated by the number of
    keys of length ``n`` its three ranges would hold for probes drawn like the keys (of length
    ``n - 1``, ``n`` or ``n + 1``, each as often as the keys): a range holds the keys whose fixed
    characters (``A B``, ``C`` and ``A``, or ``B C``) equal the probe's. A random sample of the
    keys stands for both the probes and the keys (a key is not counted against itself); the
    cheapest choice is kept, the default (thirds) on ties. Any cut points find the same matches:
    only the lookup cost depends on them.
    """
    if keys.size < _CHOOSE_MIN:
        return _DEFAULT_CUTS
    rng = np.random.default_rng(0x5EED)
    size = min(keys.size, _CHOOSE_SAMPLE)
    sample = keys if size == keys.size else keys[rng.choice(keys.size, size, replace=False)]
    lengths = _length(sample).astype(np.int64)
    by_length = [sample[lengths == n] & _M60 for n in range(_WIDTH + 1)]
    cut1, cut2 = list(_C1), list(_C2)
    for n in range(3, _WIDTH + 1):
        mine = by_length[n]
        if mine.size < 2:
            continue
        probes = [(m, by_length[m]) for m in (n - 1, n, n + 1) if m <= _WIDTH]
        # kind 0 fixes A B (the first c2 characters), kind 2 B C (the last n - c1), kind 1
        # C and A (the last n - c2 and the first c1).
        first = {c2: _held(mine, n, probes, _first_chars(c2)) for c2 in range(2, n)}
        last = {c1: _held(mine, n, probes, _first_and_last(0, n - c1)) for c1 in range(1, n - 1)}
        best: tuple[float, bool, int, int] | None = None
        for c1 in range(1, n - 1):
            for c2 in range(c1 + 1, n):
                middle = _held(mine, n, probes, _first_and_last(c1, n - c2))
                rated = (first[c2] + middle + last[c1], (c1, c2) != (_C1[n], _C2[n]), c1, c2)
                if best is None or rated < best:
                    best = rated
        if best is not None:
            cut1[n], cut2[n] = best[2], best[3]
    return _cuts(tuple(cut1), tuple(cut2))


def _plan_ranges(queries: U64, lengths: I64, cuts: _Cuts = _DEFAULT_CUTS) -> _Plan:
    """The ranges and swapped queries of a batch of queries (see :class:`_Plan`), per query
    (:func:`_planned`)."""
    return _Plan(*_planned(queries, lengths, cuts.ranges, cuts.swaps))


@kernel
def _planned(
    queries: U64, lengths: I64, rows: I64, swap_at: I64
) -> tuple[I64, U64, U64, I64, I64, I64, Bools, Bools, U16, U16, U64, I64]:
    """The fields of a :class:`_Plan`: per query, the rows of its length in ``rows`` (a
    :func:`_range_table`) whose keys exist (``lengths``), then its swaps (``swap_at``, a
    :func:`_swap_table`) that change it.

    A range's start is the query's last ``t`` characters, then its first ``a`` (its prefix),
    then zeros. The tail it is screened with (:func:`_passes`) is made of the query part's last
    characters ``.. q3 q2 q1``: for keys of the query's length, its tail ``q3 q2 q1`` (``q3``
    cut to its last 2 bits); for keys one shorter, ``q3 q2``, and ``apart`` holds the tails
    ``q3 q1`` and ``q2 q1`` (as XORs with it); for keys one longer, if the part has two
    characters or more, ``q2 q2 q1`` (the first cut to 2 bits), and ``apart`` holds ``q1 ^
    q2`` in the middle bits; else ``q1 q1``. It is cut to the free part's bits, over the
    prefix's tail bits, which cancel the entries' (in the main order with the key length's bits,
    which the tags do not hold).
    """
    size = queries.size
    kind = np.empty(9 * size, np.int64)
    lo = np.empty(9 * size, np.uint64)
    hi = np.empty(9 * size, np.uint64)
    n = np.empty(9 * size, np.int64)
    k = np.empty(9 * size, np.int64)
    owner = np.empty(9 * size, np.int64)
    longer = np.empty(9 * size, np.bool_)
    shorter = np.empty(9 * size, np.bool_)
    screen = np.empty(9 * size, np.uint16)
    apart = np.full((9 * size, 2), 0xFFFF, np.uint16)
    swaps = np.empty(2 * size, np.uint64)
    swap_owner = np.empty(2 * size, np.int64)
    count = swapped = 0
    for i in range(size):
        q = queries[i]
        chars, m = q & _M60, np.int64(q >> _SIXTY)
        for r in range(9 * m, 9 * m + 9):
            valid, length, fixed, free = rows[r, 0], rows[r, 1], rows[r, 2], rows[r, 3]
            ps, pe, t, a, test = rows[r, 4], rows[r, 5], rows[r, 6], rows[r, 7], rows[r, 8]
            if not valid or lengths[length] == 0:
                continue
            # the query part's last three characters (shift, mask), the last first
            s1, s2, s3 = _SHIFT[max(pe - 1, 0)], _SHIFT[max(pe - 2, 0)], _SHIFT[max(pe - 3, 0)]
            m1 = _31 if pe - 1 >= ps else np.uint64(0)
            m2 = _31 if pe - 2 >= ps else np.uint64(0)
            m3 = _31 if pe - 3 >= ps else np.uint64(0)
            known = _KNOWN[free] & (np.uint64(0x3FF) if test == 1 else np.uint64(0xFFF))
            if test == 0:
                want = ((q >> s1) & m1) | ((q >> s2) & m2) << _FIVE_U
                want |= ((q >> s3) & m3 & np.uint64(3)) << np.uint64(10)
            elif test == 1:
                want = ((q >> s2) & m2) | ((q >> s3) & m3) << _FIVE_U
            elif test == 4:
                want = ((q >> s1) & m1) | ((q >> s2) & m2) << _FIVE_U
                want |= ((q >> s2) & m2 & np.uint64(3)) << np.uint64(10)
            else:
                want = ((q >> s1) & m1) | ((q >> s1) & m1) << _FIVE_U
            want &= known
            start = (np.uint64(length) << _SIXTY) | ((chars >> _PAD[m]) & _LOW[t]) << _PAD[t]
            start |= (chars & _TOP[a]) >> _FIVE[t]
            # A rotated prefix of no characters is all the keys of the length, in the same
            # order as the main order's (nothing is rotated): read there.
            order = r % 3 if fixed else 0
            prefix = start if order == 0 else start & _M60
            tail = (((prefix >> _PAD[length]) & ~known) | want) & np.uint64(0xFFF)
            kind[count], lo[count], hi[count] = order, start, start + _STEP[fixed]
            n[count], k[count], owner[count] = length, fixed, i
            longer[count], shorter[count] = r % 9 < 3, r % 9 >= 6
            screen[count] = np.uint16(tail) | np.uint16(test << 12)
            if r % 9 < 3:  # the query part one longer: q1 apart from q3 or from q2
                c1, c2, c3 = (q >> s1) & m1, (q >> s2) & m2, (q >> s3) & m3
                apart[count, 0] = ((((c3 << _FIVE_U) | c1) & known) ^ want) & np.uint64(0xFFF)
                apart[count, 1] = ((((c2 << _FIVE_U) | c1) & known) ^ want) & np.uint64(0xFFF)
            elif test == 4:  # one shorter, of two characters or more: q1 and q2 swapped
                apart[count, 0] = (((q >> s1) ^ (q >> s2)) & _31) << _FIVE_U
            count += 1
        for j in range(2):  # transpositions across the cut points
            at = swap_at[m, j]
            if at < 0 or lengths[m] == 0:
                continue
            s = _SHIFT[at]
            left, right = (q >> s) & _31, (q >> (s - _FIVE_U)) & _31
            if left != right:  # swapping equal characters changes nothing
                cleared = q & ~(np.uint64(0x3FF) << (s - _FIVE_U))
                swaps[swapped] = cleared | (right << s) | (left << (s - _FIVE_U))
                swap_owner[swapped] = i
                swapped += 1
    return (
        kind[:count], lo[:count], hi[:count], n[:count], k[:count], owner[:count],
        longer[:count], shorter[:count], screen[:count], apart[:count], swaps[:swapped],
        swap_owner[:swapped],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Compiled searches and scans
# ---------------------------------------------------------------------------------------------
#
# Loops over targets and ranges (paxscreen._jit.kernel): every search and scan has a few
# data-dependent steps, which one loop per item takes directly. Packed keys stay uint64 (numba
# turns uint64 op int64 into a signed or a float value): their constants are the np.uint64
# ones. The helpers called inside the loops take numbers only: passing an array to a compiled
# function counts references to it (two atomic operations per call).


@kernel
def _first_samples(
    order: I64,
    targets: U64,
    samples: U64,
    rot_samples: U64,
    fine: U64,
    start: I64,
    radix: I32,
    base: I64,
    shift: U64,
    step: int,
) -> tuple[I64, U64, U64]:
    """Per target, the first sample of its order (0: ``samples``, 1 and 2: the rows of
    ``rot_samples``) that is ``>= target``, the sample before it (0 if none) and that sample
    (:data:`_NONE` if none).

    The target's entry in :class:`_Directory` (``fine``, ``start``, ``radix``, ``base``,
    ``shift``: every ``step``-th sample) lies between the radix table's entry for its length
    and top bits and the next one. A binary search finds it there, for all targets a step at a
    time (the reads of one step do not wait for one another). The samples before it that are
    below the target are then counted; the samples around the answer are among them, or are
    entries of the directory.
    """
    size = targets.size
    out = np.empty(size, np.int64)
    below = np.empty(size, np.int64)  # the entries between the bounds that may be below
    widest = 0
    for i in range(size):
        t = targets[i]
        group = order[i] * 16 + np.int64(t >> _SIXTY)
        at = np.int64((t & _M60) >> shift[group]) + base[group]
        out[i] = radix[at]
        below[i] = np.int64(radix[at + 1]) - out[i]  # the entry there is >= t
        widest = max(widest, below[i])
    half = 1
    while 2 * half <= widest:
        half *= 2
    while half:
        for i in range(size):
            if half <= below[i] and fine[out[i] + half - 1] < targets[i]:
                out[i] += half
                below[i] -= half
            below[i] = min(below[i], half - 1)
        half >>= 1
    total = samples.size
    before = np.zeros(size, np.uint64)
    after = np.empty(size, np.uint64)
    for i in range(size):
        w, t = order[i] - 1, targets[i]
        entry = out[i] - start[order[i]]  # fine[entry] is samples[entry * step] (or _NONE)
        first, last = max((entry - 1) * step + 1, 0), min(entry * step, total)
        b = first
        for j in range(first, last):
            b += (samples[j] if w < 0 else rot_samples[w, j]) < t
        out[i] = b
        if b > first:
            before[i] = samples[b - 1] if w < 0 else rot_samples[w, b - 1]
        elif entry > 0:
            before[i] = fine[start[order[i]] + entry - 1]
        if b < last:
            after[i] = samples[b] if w < 0 else rot_samples[w, b]
        else:
            after[i] = fine[start[order[i]] + entry]
    return out, before, after


@kernel
def _first_keys(keys: U64, block: I64, targets: U64, sample: int) -> I64:
    """Per target, the first position whose key is ``>= target``, in the block ending at its
    sample ``block`` (:meth:`_Keys.blocks`; ``sample``: the keys per block): the block's keys
    below the target, counted."""
    out = np.empty(targets.size, np.int64)
    for i in range(targets.size):
        out[i] = max((block[i] - 1) * sample + 1, 0)
        for p in range(out[i], min(block[i] * sample, keys.size)):
            out[i] += keys[p] < targets[i]
    return out


@kernel
def _equal_keys(keys: U64, block: I64, queries: U64, sample: int) -> tuple[I64, I64]:
    """(query number, position) of every key equal to a query: from the first key ``>=`` it
    (:func:`_first_keys`), as long as keys are equal."""
    first = _first_keys(keys, block, queries, sample)
    last = first.copy()
    for i in range(queries.size):
        while last[i] < keys.size and keys[last[i]] == queries[i]:
            last[i] += 1
    which = np.empty(np.sum(last - first), np.int64)
    position = np.empty(which.size, np.int64)
    count = 0
    for i in range(queries.size):
        for p in range(first[i], last[i]):
            which[count], position[count] = i, p
            count += 1
    return which, position


@kernel
def _edit_pair(a: np.uint64, b: np.uint64) -> int:
    """:func:`_edit_class` of one pair of packed keys."""
    la, lb = a >> _SIXTY, b >> _SIXTY
    x = (a ^ b) & _M60
    if la == lb:
        y = x | (x >> _ONE_U)
        g = (
            y | (y >> np.uint64(2)) | (x >> np.uint64(4))
        ) & _LSB  # one bit per character that differs
        if g == 0:
            return 0
        rest = g & (g - _ONE_U)  # g without its lowest character
        if rest == 0:
            return 1
        low = g ^ rest
        if rest == low << _FIVE_U:
            mask = low * np.uint64(0x3FF)
            swapped = (((a & mask) << _FIVE_U) | ((a & mask) >> _FIVE_U)) & mask
            if swapped == b & mask:
                return 2
        return 3
    if la == lb + _ONE_U or lb == la + _ONE_U:
        longer, shorter = (a, b) if la > lb else (b, a)
        first = 0  # the first character they differ in (at most the last)
        while first < _WIDTH - 1 and (x >> _SHIFT[first]) & _31 == 0:
            first += 1
        tail_long = (longer << _FIVE[first + 1]) & _M60
        if tail_long == (shorter << _FIVE[first]) & _M60:
            return 1
    return 3


@kernel
def _edit_classes(a: U64, b: U64) -> U8:
    """:func:`_edit_pair` of each pair."""
    out = np.empty(len(a), np.uint8)
    for k in range(len(a)):
        out[k] = _edit_pair(a[k], b[k])
    return out


@kernel
def _passes(
    x: np.int64, listed: bool, apart: np.int64, apart2: np.int64, longer: bool, shorter: bool
) -> bool:
    """Whether an entry of a range can be one edit from its query, from the last 12 bits of its
    (rotated) key: a necessary condition (see :meth:`_Keys.near`).

    ``x`` is the tail XOR the range's :attr:`_Plan.screen`: ``test << 12`` (which screen of
    :data:`_TAIL_TABLE`; ``listed`` is its value there) and the XOR of the last bits of the
    entry's free part with the query's (the bits of the prefix cancel). Ranges whose keys are
    one character shorter than their query (``longer``) compare the last 10 of those bits with
    three values instead (0 and the range's :attr:`_Plan.apart`, ``apart`` and ``apart2``);
    those whose keys are one longer (``shorter``) also pass where the XOR's middle and high bits
    are ``apart``.
    """
    if longer:
        low = x & 0x3FF
        return bool((low == 0) | (low == apart) | (low == apart2))
    return bool(listed or (shorter and (x & 0xFE0) == apart))


@kernel
def _common(a: np.uint64, b: np.uint64) -> int:
    """The leading characters two packed keys (or rotated keys) share; 0 when their lengths
    differ (as :func:`_lcp_chars`)."""
    x = a ^ b
    if x >> _SIXTY:
        return 0
    if x == 0:
        return int(a >> _SIXTY)
    first = 0
    while (x >> _SHIFT[first]) & _31 == 0:
        first += 1
    return first


@kernel
def _near_keys(
    keys: U64,
    rot: U32,
    tags: U16,
    queries: U64,
    block: I64,
    before: U64,
    after: U64,
    swaps: U64,
    swap_owner: I64,
    kind: I64,
    lo: U64,
    hi: U64,
    n: I64,
    k: I64,
    owner: I64,
    longer: Bools,
    shorter: Bools,
    screen: U16,
    apart: U16,
    table: Bools,
    sample: int,
) -> tuple[I64, I64, U8, U64]:
    """(query number, position, :func:`_edit_class`, key) of the keys at most one edit from a
    query, from its swapped forms and ranges (a :class:`_Plan`; ``block``, ``before`` and
    ``after``: the blocks of the swapped forms, then of the ranges' starts, and the samples
    around their ends, as :meth:`_Keys.blocks`; ``table``: :data:`_TAIL_TABLE`).

    The swapped forms and ranges are taken :data:`_CHUNK` at a time: their blocks are hinted to
    the CPU at once (:func:`~paxscreen._jit.prefetch`), then the entries of each are found, then
    screened. A swapped form takes the keys equal to it, a range of the main order the keys in
    ``[lo, hi)``, from the first one in the block. A range of a rotation order is told by the
    tags, with the sample that ends its block (``after``, the first one ``>= lo``): if that
    sample is in the range, the range starts at the last entry up to it that shares fewer than
    ``k`` characters (the range's prefix) with the one before, and runs on while entries share
    ``k``. If not, the range (if any) lies inside the block: its entries share with ``after``
    exactly the characters ``lo`` does, and as many with the sample before the block
    (``before``), so the entries at the block's ends that share more with those are not in it;
    the entries between are screened (the verification drops those from outside the range, or
    finds a pair again that its own range finds too: :meth:`_Segment.match` keeps each pair
    once). The entries that pass the tail screen (:func:`_passes`) are verified after all
    ranges are scanned: the positions of the rotation orders' entries are read first, then the
    keys, then the pairs verified (loops whose reads do not wait for one another).
    """
    size = keys.size
    swapped = swaps.size
    total = swapped + kind.size
    found = np.empty((4 * total + 16, 3), np.int64)  # query, entry, order (0: the keys')
    m = 0
    bounds = np.empty((_CHUNK, 2), np.int64)
    for chunk in range(0, total, _CHUNK):
        end = min(chunk + _CHUNK, total)
        for i in range(chunk, end):  # the blocks, hinted at once
            p = min(max((block[i] - 1) * sample + 1, 0), size - 1)
            if i < swapped or kind[i - swapped] == 0:
                for at in range(p, min(p + sample, size), 8):
                    prefetch(keys, at)
            else:
                w = kind[i - swapped] - 1
                for at in (p, p + sample - 1):  # the block's first tags, its sample's
                    prefetch(tags, w * size + min(at, size - 1))
        extent = 0
        for i in range(chunk, end):  # the entries of each range
            b = block[i]
            first = max((b - 1) * sample + 1, 0)  # the block's first entry
            if i < swapped or kind[i - swapped] == 0:  # the keys in [target, stop)
                target = swaps[i] if i < swapped else lo[i - swapped]
                stop = target + _ONE_U if i < swapped else hi[i - swapped]
                below = 0
                for p in range(first, min(b * sample, size)):
                    below += keys[p] < target
                first += below
                last = first
                while last < size and keys[last] < stop:
                    last += 1
            else:
                r = i - swapped
                w = kind[r] - 1
                ending = b * sample  # the sample that ends the block
                if after[i] < hi[r]:  # the range runs through it
                    bound = k[r] << 12  # tags of entries that share k characters or more
                    first = ending
                    while first > 0 and tags[w, first] >= bound:
                        first -= 1
                    last = ending + 1
                    while last < size and tags[w, last] >= bound:
                        last += 1
                elif b > 0:  # inside the block, between the samples around it
                    last = min(ending, size)
                    if after[i] != _NONE:
                        common = _common(after[i], lo[r])
                        while last > first and tags[w, last] >> 12 > common:
                            last -= 1
                    common = _common(before[i], lo[r])
                    while first < last and tags[w, first] >> 12 > common:
                        first += 1
                else:
                    last = first
            bounds[i - chunk, 0], bounds[i - chunk, 1] = first, last
            extent += last - first
        found = grown(found, m + extent)
        for i in range(chunk, end):  # the entries that pass the tail screen
            first, last = bounds[i - chunk, 0], bounds[i - chunk, 1]
            if i < swapped:
                for p in range(first, last):
                    found[m, 0], found[m, 1], found[m, 2] = swap_owner[i], p, 0
                    m += 1
                continue
            r = i - swapped
            query, order, want = owner[r], kind[r], np.int64(screen[r])
            a, a2, more, less = np.int64(apart[r, 0]), np.int64(apart[r, 1]), longer[r], shorter[r]
            if order == 0:
                pad = _FIVE[_WIDTH - n[r]]
                for p in range(first, last):
                    x = np.int64((keys[p] >> pad) & np.uint64(0xFFF)) ^ want
                    if _passes(x, table[x], a, a2, more, less):
                        found[m, 0], found[m, 1], found[m, 2] = query, p, 0
                        m += 1
            else:
                for p in range(first, last):
                    x = np.int64(tags[order - 1, p] & _TAIL_BITS) ^ want
                    if _passes(x, table[x], a, a2, more, less):
                        found[m, 0], found[m, 1], found[m, 2] = query, p, order
                        m += 1
    for i in range(m):  # the rotation orders' entries as positions of the keys
        if found[i, 2]:
            found[i, 1] = rot[found[i, 2] - 1, found[i, 1]]
    values = np.empty(m, np.uint64)
    for i in range(m):
        values[i] = keys[found[i, 1]]
    who = np.empty(m, np.int64)
    where = np.empty(m, np.int64)
    edits = np.empty(m, np.uint8)
    kept = 0
    for i in range(m):
        edit = _edit_pair(values[i], queries[found[i, 0]])
        if edit < 3:
            who[kept], where[kept], edits[kept] = found[i, 0], found[i, 1], edit
            values[kept] = values[i]
            kept += 1
    return who[:kept], where[:kept], edits[:kept], values[:kept]


# ---------------------------------------------------------------------------------------------
# Record attributes
# ---------------------------------------------------------------------------------------------


def _gather_strings(offsets: I64, data: U8, index: npt.NDArray[Any]) -> tuple[I64, U8]:
    """Offsets and bytes of the strings ``index`` of a string column (bounded temporaries)."""
    start = offsets[index]
    lengths = offsets[index + 1] - start
    out_offsets = np.zeros(index.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=out_offsets[1:])
    out = np.empty(int(out_offsets[-1]), dtype=np.uint8)
    for lo in range(0, index.size, _GATHER):
        hi = min(lo + _GATHER, index.size)
        _, at = _expand(start[lo:hi], start[lo:hi] + lengths[lo:hi])
        out[out_offsets[lo] : out_offsets[hi]] = data[at]
    return out_offsets, out


#: One record's attributes with its entry's variant (see :class:`_Meta`).
_RECORD: Final = np.dtype(
    [
        ("row", "<u4"),
        ("reported", "<i4"),
        ("issuer", "<u2"),
        ("doc_type", "<u2"),
        ("status", "<u2"),
        ("variant", "<u2"),
    ]
)
_COLUMNS_OF_RECORDS: Final = {"rows": "row", "reported": "reported", "issuer": "issuer"} | {
    "doc_type": "doc_type",
    "status": "status",
}


@dataclass(frozen=True, eq=False)
class _Meta:
    """Per-entry record attributes: what a match returns besides its level.

    ``records`` holds one 16-byte :data:`_RECORD` per entry (then per side key): the record's
    row, ``reported_on`` (days, :data:`_NO_DATE` if unknown), issuer, type and status codes,
    and the entry's variant (a lookup structure, set by :class:`_Segment`; 0 for side keys),
    so that one read per match fetches them all. ``ref_offsets`` and ``ref_data`` hold the
    ``record_ref`` strings.
    """

    records: npt.NDArray[np.void]
    ref_offsets: I64
    ref_data: U8

    def __len__(self) -> int:
        return int(self.records.size)

    @property
    def rows(self) -> U32:
        out: U32 = self.records["row"]
        return out

    @property
    def nbytes(self) -> int:
        return int(self.records.nbytes + self.ref_offsets.nbytes + self.ref_data.nbytes)

    def refs(self, index: npt.NDArray[Any] | None = None) -> pa.LargeStringArray:
        column = _string_array(np.asarray(self.ref_offsets), np.asarray(self.ref_data))
        if index is None:
            return column
        return column.take(pa.array(index))  # the buffers are not copied

    def take(self, index: npt.NDArray[Any]) -> _Meta:
        offsets, data = _gather_strings(
            np.asarray(self.ref_offsets), np.asarray(self.ref_data), index
        )
        return _Meta(self.records[index], offsets, data)

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The attributes as the columns :meth:`take_columns` takes."""
        out: dict[str, npt.NDArray[Any]] = {
            name: self.records[field] for name, field in _COLUMNS_OF_RECORDS.items()
        }
        return out | {"ref_offsets": self.ref_offsets, "ref_data": self.ref_data}

    @staticmethod
    def take_columns(columns: dict[str, npt.NDArray[Any]], index: npt.NDArray[Any]) -> _Meta:
        """The rows ``index`` of attribute columns (``rows``, ``reported``, ``issuer``,
        ``doc_type``, ``status``, ``ref_offsets``, ``ref_data``), with variant 0; each column
        is dropped from ``columns`` once taken, so that a caller handing over the only
        references frees them as it goes."""
        offsets, data = _gather_strings(columns.pop("ref_offsets"), columns.pop("ref_data"), index)
        records = np.zeros(index.size, dtype=_RECORD)
        for name, column in _COLUMNS_OF_RECORDS.items():
            records[column] = columns.pop(name)[index]
        return _Meta(records, offsets, data)

    @staticmethod
    def concat(parts: Sequence[_Meta]) -> _Meta:
        offsets = [np.zeros(1, dtype=np.int64)]
        data: list[U8] = []
        base = 0
        for part in parts:
            off = np.asarray(part.ref_offsets)
            offsets.append(off[1:] - off[0] + base)
            base += int(off[-1] - off[0])
            data.append(np.asarray(part.ref_data)[int(off[0]) : int(off[-1])])
        return _Meta(
            np.concatenate([p.records for p in parts]),
            np.concatenate(offsets),
            np.concatenate(data) if data else np.zeros(0, np.uint8),
        )

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {"records": self.records, "ref_offsets": self.ref_offsets, "ref_data": self.ref_data}

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[Any]]) -> _Meta:
        if arrays["records"].dtype != _RECORD:
            raise PaxscreenError("document index: damaged meta_records.npy")
        return cls(arrays["records"], arrays["ref_offsets"], arrays["ref_data"])

    @classmethod
    def empty(cls) -> _Meta:
        return cls(np.zeros(0, _RECORD), np.zeros(1, np.int64), np.zeros(0, np.uint8))


# ---------------------------------------------------------------------------------------------
# Dictionaries of issuers, types and statuses
# ---------------------------------------------------------------------------------------------


class _Dictionary:
    """Values <-> codes (1-based; 0 is null), with a cache of raw inputs already normalised."""

    def __init__(self, what: str, names: Sequence[str] = ()) -> None:
        self.what = what
        self.names: list[str] = list(names)
        self.index: dict[str, int] = {name: i + 1 for i, name in enumerate(self.names)}
        self._raw: dict[str, str | None] = {}
        self._table: pl.Series | None = None
        self._probe: dict[str | None, int] = {None: 0}  # raw probe value -> code

    def _normalise(
        self, raw: Sequence[str], normalise: Callable[[pl.Expr], pl.Expr] | None
    ) -> None:
        todo = [value for value in raw if value not in self._raw]
        if not todo:
            return
        if normalise is None:
            done: list[str | None] = list(todo)
        else:
            series = pl.Series(todo, dtype=pl.String)
            done = pl.select(normalise(pl.lit(series))).to_series().to_list()
        if len(self._raw) > 100_000:
            self._raw.clear()
        self._raw.update(zip(todo, done, strict=True))

    def _code(self, raw: str, *, grow: bool) -> int:
        name = self._raw[raw]
        if name is None:
            return 0
        code = self.index.get(name)
        if code is not None:
            return code
        if not grow:
            return -1
        if len(self.names) >= _MAX_CODES:
            raise SchemaError(f"document list: more than {_MAX_CODES} distinct {self.what}")
        self.names.append(name)
        self._table = None
        self._probe = {None: 0}
        code = self.index[name] = len(self.names)
        return code

    def codes(self, values: pl.Series, normalise: Callable[[pl.Expr], pl.Expr] | None) -> U16:
        """Codes of a column of a list being indexed (new names are added)."""
        if values.dtype == pl.Null or values.null_count() == len(values):
            return np.zeros(len(values), dtype=np.uint16)
        unique = values.drop_nulls().unique().to_list()
        self._normalise(unique, normalise)
        mapping = {raw: self._code(raw, grow=True) for raw in unique}
        out: U16 = (
            values.replace_strict(mapping, default=0, return_dtype=pl.UInt16)
            .fill_null(0)
            .to_numpy()
            .astype(np.uint16)
        )
        return out

    def probe_codes(self, values: list[str | None], normalise: Callable[[pl.Expr], pl.Expr]) -> I64:
        """Codes of probe values: 0 unknown, -1 a value no record has."""
        known = self._probe
        new = [v for v in set(values) if v is not None and v not in known]
        if new:
            self._normalise(new, normalise)  # raises TypeError for values that are no text
            if len(known) > 100_000:
                known.clear()
                known[None] = 0
            known.update((v, self._code(v, grow=False)) for v in new)
        return np.fromiter(map(known.__getitem__, values), dtype=np.int64, count=len(values))

    def series(self, codes: npt.NDArray[Any]) -> pl.Series:
        """The names of codes (null for 0)."""
        if self._table is None:
            self._table = pl.Series([None, *self.names], dtype=pl.String)
        return self._table[codes]


@dataclass(eq=False)
class _Dictionaries:
    issuer: _Dictionary
    doc_type: _Dictionary
    status: _Dictionary

    @classmethod
    def create(cls) -> _Dictionaries:
        return cls(_Dictionary("issuers"), _Dictionary("document types"), _Dictionary("statuses"))


# ---------------------------------------------------------------------------------------------
# Probes
# ---------------------------------------------------------------------------------------------


# Per deleted position of a 13-character form: the positions it keeps.
_DELETIONS: Final = np.array(
    [[j for j in range(_WIDTH + 1) if j != i] for i in range(_WIDTH + 1)], dtype=np.int64
)


def _long_forms(
    keys: pa.LargeStringArray, rows: I64, length: I64, *, fuzzy: bool
) -> tuple[tuple[I64, U64], tuple[I64, U64]]:
    """The packed forms of probe keys longer than 12 characters (``rows``, of ``length``).

    Returns (probe, form) pairs of two kinds: all-digit keys that fit in 12 characters once
    their leading zeros are dropped, looked up like the other forms; and, when ``fuzzy``, every
    12-character deletion of the 13-character forms (the folded key, or the key without its
    leading zeros), looked up exactly.
    """
    offsets, data = _buffers(keys)
    width = int(length.max())
    padded = np.zeros(data.size + width, dtype=np.uint8)
    padded[: data.size] = data
    raw = padded[offsets[rows][:, None] + np.arange(width)]
    inside = np.arange(width) < length[:, None]
    raw[~inside] = 0
    digits = np.all(((raw >= ord("0")) & (raw <= ord("9"))) | ~inside, axis=1)
    zeros = np.cumprod(raw == ord("0"), axis=1).sum(axis=1)
    zeros = np.where(digits, np.minimum(zeros, length - 1), 0)
    stripped = length - zeros  # the zero form's length
    codes = _ALPHA.code[raw]
    fits = np.flatnonzero((zeros > 0) & (stripped <= _WIDTH))
    extra_form = np.zeros(fits.size, dtype=np.uint64)
    if fits.size:
        at = np.minimum(zeros[fits, None] + np.arange(_WIDTH), width - 1)
        shifted = np.take_along_axis(codes[fits], at, axis=1)
        shifted[np.arange(_WIDTH) >= stripped[fits, None]] = 0
        extra_form = _pack_codes(shifted, stripped[fits].astype(np.uint64))
    extra = (rows[fits], extra_form)
    if not fuzzy:
        return extra, (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64))
    # 13-character forms: the folded key, and the zero form where zeros were dropped.
    folded = np.flatnonzero(length == _WIDTH + 1)
    zero_led = np.flatnonzero((zeros > 0) & (stripped == _WIDTH + 1))
    source = np.concatenate(
        [codes[folded, : _WIDTH + 1], _shift_rows(codes[zero_led], zeros[zero_led])]
    )
    owner = np.concatenate([rows[folded], rows[zero_led]])
    if owner.size == 0:
        return extra, (owner, np.zeros(0, dtype=np.uint64))
    kept = source[:, _DELETIONS].reshape(-1, _WIDTH)  # (forms * 13, 12)
    packed = _pack_codes(kept, np.full(kept.shape[0], _WIDTH, dtype=np.uint64))
    return extra, (np.repeat(owner, _WIDTH + 1), packed)


def _shift_rows(codes: U8, by: I64) -> U8:
    """The first 13 codes of each row from ``by`` on."""
    at = np.minimum(by[:, None] + np.arange(_WIDTH + 1), codes.shape[1] - 1)
    out: U8 = np.take_along_axis(codes, at, axis=1)
    return out


@dataclass(frozen=True, eq=False)
class _Probes:
    """A batch of probes in the forms the segments search."""

    keys: pa.LargeStringArray  # doc_number_key of each probe, null if none
    length: I64  # key length, 0 for null
    fold: U64  # packed folded key (0 unless 1 <= length <= 12)
    variant: U32
    issuer: I64  # issuer code: -1 not in the list's dictionary, 0 unknown
    doc_type: I64
    near: tuple[I64, U64]  # (probe, packed form): folded keys, and keys without leading zeros
    folded: int  # the first forms of near: the probes' folded keys
    deletions: tuple[I64, U64]  # 13-character forms: their 12-character deletions (fuzzy)

    @classmethod
    def create(
        cls, keys: pa.LargeStringArray, issuer: I64, doc_type: I64, *, fuzzy: bool = True
    ) -> _Probes:
        matrix, length = _key_matrix(keys)
        packable = (length >= 1) & (length <= _WIDTH)
        codes = _ALPHA.code[matrix]
        fold = _pack_codes(codes, np.minimum(length, _WIDTH))
        fold[~packable] = 0
        variant = np.zeros(len(keys), dtype=np.uint32)
        var = _ALPHA.variant[matrix]
        confused = np.flatnonzero(var.view(np.uint32).any(axis=1) & packable)
        if confused.size:
            variant[confused] = _variants(codes[confused], var[confused])
        short = np.flatnonzero(packable)
        probe = [short]
        form = [fold[short]]
        # All-digit keys starting with 0 are also looked up without their leading zeros.
        zero_led = np.flatnonzero(
            (codes[:, 0] == _ALPHA.zero) & (length >= 2) & packable & (variant == 0)
        )
        if zero_led.size:
            zero_led = zero_led[_digit_keys(fold[zero_led])]
            probe.append(zero_led)
            form.append(_stripped(fold[zero_led]))
        deletions = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64))
        long_rows = np.flatnonzero(length > _WIDTH)
        if long_rows.size:
            extra, deletions = _long_forms(keys, long_rows, length[long_rows], fuzzy=fuzzy)
            probe.append(extra[0])
            form.append(extra[1])
        return cls(
            keys=keys,
            length=length,
            fold=fold,
            variant=variant,
            issuer=issuer,
            doc_type=doc_type,
            near=(np.concatenate(probe), np.concatenate(form)),
            folded=int(short.size),
            deletions=deletions,
        )


# ---------------------------------------------------------------------------------------------
# Slow path: keys that do not pack (longer than 12 characters)
# ---------------------------------------------------------------------------------------------


def _string_levels(probe_keys: Sequence[str], record_keys: Sequence[str]) -> U8:
    """:func:`~paxscreen.compare.documents.doc_number_level` codes of string pairs."""
    if len(probe_keys) < _SCALAR_PAIRS:
        return np.array(
            [
                DOC_LEVELS.index(doc_number_level_scalar(a, b))
                for a, b in zip(probe_keys, record_keys, strict=True)
            ],
            dtype=np.uint8,
        )
    frame = pl.DataFrame(
        {"a": list(probe_keys), "b": list(record_keys)}, schema={"a": pl.String, "b": pl.String}
    )
    level = frame.select(doc_number_level("a", "b")).to_series()
    out: U8 = level.to_physical().to_numpy().astype(np.uint8)
    return out


def _close_pairs(probes: list[str], records: list[str]) -> tuple[I64, I64]:
    """Pairs (probe, record) whose folded keys or zero forms are at most one OSA edit apart."""
    if not probes or not records:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    owner: list[I64] = []
    target: list[I64] = []
    forms = [
        ([p.translate(_FOLD_TABLE) for p in probes], [r.translate(_FOLD_TABLE) for r in records]),
        ([_zero_string(p) for p in probes], [_zero_string(r) for r in records]),
    ]
    step = 4096
    for a, b in forms:
        for lo in range(0, len(b), step):
            d = process.cdist(
                a, b[lo : lo + step], scorer=OSA.distance, score_cutoff=1, dtype=np.uint8
            )
            i, j = np.nonzero(d <= 1)
            owner.append(i.astype(np.int64))
            target.append(j.astype(np.int64) + lo)
    first, second, _ = _unique_pairs(np.concatenate(owner), np.concatenate(target))
    return first, second


# ---------------------------------------------------------------------------------------------
# A segment: one set of records (the base, or the delta)
# ---------------------------------------------------------------------------------------------


def _match_order(probe: I64, level: U8, row: U32) -> U64:
    """The order of the matches frame, as one integer per match: probe, level, row."""
    out: U64 = probe.astype(np.uint64) << np.uint64(40)
    out |= level.astype(np.uint64) << np.uint64(32)
    out |= row.astype(np.uint64)
    return out


@dataclass(frozen=True, eq=False)
class _Match:
    probe: I64
    entry: I64  # attribute index (entry position, or past the entries: side key)
    records: npt.NDArray[np.void]  # the entries' _Meta.records
    level: U8
    numbers: pa.LargeStringArray

    def take(self, index: I64) -> _Match:
        return _Match(
            self.probe[index],
            self.entry[index],
            self.records[index],
            self.level[index],
            self.numbers.take(pa.array(index)),
        )


@dataclass(frozen=True, eq=False)
class _Found:
    """Matches of one probe chunk in one segment, with what the frame shows of them."""

    probe: I64
    records: npt.NDArray[np.void]  # _Meta.records
    level: U8
    probe_issuer: I64
    probe_type: I64
    numbers: pa.LargeStringArray
    refs: pa.LargeStringArray


@dataclass(eq=False)
class _Segment:
    """Records indexed together: entries (packed keys, including the zero-stripped second
    entries) with their attributes in entry order, then the side keys with theirs."""

    main: _Keys
    overflow_pos: U32  # entries whose variant is _OVERFLOW (sorted) ...
    overflow_val: U32  # ... and their variants
    side_keys: list[str]  # keys longer than 12 characters, by row
    meta: _Meta  # attributes of the entries, then of the side keys
    records: int  # records (entries that are no second entries, and side keys)
    location: Path | None = None  # the directory the arrays are mapped from
    counts: I64 | None = None  # entries per key length

    @property
    def variants(self) -> U16:
        """Per entry (then side key): variant, _ZERO_ENTRY + zeros, _SIDE_ENTRY or _OVERFLOW
        (in :attr:`_Meta.records`)."""
        out: U16 = self.meta.records["variant"]
        return out

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def create(cls, parts: dict[str, Any]) -> _Segment:
        """Index records, handed over in ``parts`` (emptied as they are used, so that memory is
        freed on the way): ``fold`` and ``variant`` (packed keys and full variants), ``meta_of``
        (the attribute row of each), ``side_keys`` and ``side_meta_of`` (keys too long to pack)
        and ``meta`` (attribute columns, as :meth:`_Meta.arrays`)."""
        fold: U64 = parts.pop("fold")
        variant: U32 = parts.pop("variant")
        meta_of: U32 = parts.pop("meta_of").astype(np.uint32, copy=False)
        side_keys: list[str] = parts.pop("side_keys")
        side_meta_of: U32 = parts.pop("side_meta_of").astype(np.uint32, copy=False)
        columns: dict[str, npt.NDArray[Any]] = parts.pop("meta")
        records = int(fold.size) + len(side_keys)
        keys: list[U64] = [fold]
        variants: list[U32] = [variant]  # real variants are below 4**12 < _MARK
        owners: list[U32] = [meta_of]
        # Second entries: all-digit keys starting with 0 (longer than one character), stripped.
        for lo in range(0, fold.size, _BATCH):
            part = fold[lo : lo + _BATCH]
            first = (part >> _SHIFT[0]) & _31
            maybe = np.flatnonzero(
                (first == _ALPHA.zero) & (_length(part) >= 2) & (variant[lo : lo + _BATCH] == 0)
            )
            if maybe.size == 0:
                continue
            digits = maybe[_digit_keys(part[maybe])]
            keys.append(_stripped(part[digits]))
            zeros = _leading_zeros(part[digits]).astype(np.uint32)
            variants.append(_MARK + _ZERO_ENTRY + zeros)
            owners.append(meta_of[lo + digits])
        del fold, variant, meta_of
        # Side keys, by row; those that lose enough zeros get a second entry too.
        if side_keys:
            order = np.argsort(columns["rows"][side_meta_of], kind="stable")
            side_keys = [side_keys[i] for i in order.tolist()]
            side_meta_of = side_meta_of[order]
        side_zero = [
            (i, _zero_string(k))
            for i, k in enumerate(side_keys)
            if k.isdigit() and len(_zero_string(k)) <= _WIDTH
        ]
        if side_zero:
            keys.append(_pack_strings([z for _, z in side_zero])[0])
            variants.append(np.full(len(side_zero), _MARK + _SIDE_ENTRY, dtype=np.uint32))
            owners.append(side_meta_of[[i for i, _ in side_zero]])
        handed = [np.concatenate(keys)]
        keys.clear()
        main, order = _Keys.create(handed)
        all_variants = np.concatenate(variants)[order]
        variants.clear()
        entry_meta = np.concatenate([np.concatenate(owners)[order], side_meta_of])
        owners.clear()
        del order
        real = all_variants < _MARK
        overflow = np.flatnonzero(real & (all_variants >= _ZERO_ENTRY)).astype(np.uint32)
        overflow_val = all_variants[overflow].astype(np.uint32)
        variants16 = np.where(real, all_variants, all_variants - _MARK).astype(np.uint16)
        variants16[overflow] = _OVERFLOW
        del all_variants, real
        meta = _Meta.take_columns(columns, entry_meta)
        meta.records["variant"][: variants16.size] = variants16
        return cls(main, overflow, overflow_val, list(side_keys), meta, records)

    @classmethod
    def empty(cls) -> _Segment:
        none = np.zeros(0, np.uint32)
        return cls.create(
            {
                "fold": np.zeros(0, np.uint64),
                "variant": none,
                "meta_of": none,
                "side_keys": [],
                "side_meta_of": none,
                "meta": _Meta.empty().columns(),
            }
        )

    def __len__(self) -> int:
        return self.records

    def lengths(self) -> I64:
        if self.counts is None:
            self.counts = self.main.lengths()
        return self.counts

    def entries(
        self, position: I64, keys: U64 | None = None
    ) -> tuple[U64, U32, I64, Bools, npt.NDArray[np.void]]:
        """Full key, variant and side key index (or -1) of entries, whether each is its
        record's own key (not a second entry), and their :attr:`_Meta.records`; ``keys``:
        their packed keys, if known."""
        records = self.meta.records[position]
        raw = records["variant"]
        key = self.main.keys[position] if keys is None else keys.copy()
        variant = raw.astype(np.uint32)
        side = np.full(position.size, -1, dtype=np.int64)
        big = np.flatnonzero(raw >= _ZERO_ENTRY)
        if big.size:
            mark = raw[big]
            over = big[mark == _OVERFLOW]
            if over.size:
                at = np.searchsorted(self.overflow_pos, position[over])
                variant[over] = self.overflow_val[at]
            zero = big[(mark > _ZERO_ENTRY) & (mark < _SIDE_ENTRY)]
            if zero.size:
                z = (raw[zero] - _ZERO_ENTRY).astype(np.uint64)
                k = key[zero]
                key[zero] = (
                    ((_length(k) + z) << _SIXTY) | _ZERO_PREFIX[z] | ((k & _M60) >> _FIVE[z])
                )
                variant[zero] = 0
            at = big[mark == _SIDE_ENTRY]
            if at.size:
                side_rows = self.meta.rows[len(self.main) :]
                side[at] = np.searchsorted(side_rows, records["row"][at])
        return key, variant, side, (raw < _ZERO_ENTRY) | (raw == _OVERFLOW), records

    def own(self) -> I64:
        """Positions of the records' own entries (no second entries)."""
        variants = np.asarray(self.variants[: len(self.main)])
        out: I64 = np.flatnonzero((variants < _ZERO_ENTRY) | (variants == _OVERFLOW))
        return out

    # -- matching -------------------------------------------------------------------------------

    def match(self, probes: _Probes, fuzzy: bool) -> _Match:
        """Every (probe, record) pair at the levels asked for, with the record's number."""
        probe, form = probes.near
        edits: U8 | None = None
        if fuzzy:
            found, position, edits, keys = self.main.near(form, self.lengths())
        else:
            found, position = self.main.exact(form)
            keys = form[found]
        # The edit class near computed is the folded keys' where the form was the probe's folded
        # key and the entry is the record's own key.
        folded = found < probes.folded
        owner = probe[found]
        if fuzzy and probes.deletions[0].size:
            found, more = self.main.exact(probes.deletions[1])
            owner = np.concatenate([owner, probes.deletions[0][found]])
            position = np.concatenate([position, more])
            keys = np.concatenate([keys, probes.deletions[1][found]])
            folded = np.concatenate([folded, np.zeros(found.size, dtype=np.bool_)])
        key, variant, side, own, records = self.entries(position, keys)
        if edits is not None:
            edits = np.where(own[: edits.size] & folded[: edits.size], edits, _UNKNOWN)
            edits = np.concatenate([edits, np.full(owner.size - edits.size, _UNKNOWN, np.uint8)])
        level = np.full(owner.size, _MISMATCH, dtype=np.uint8)
        fast = np.flatnonzero((probes.length[owner] <= _WIDTH) & (side < 0))
        if fast.size and not fuzzy:
            # Keys found exactly equal a form of the probe (its folded key, or its key without
            # leading zeros) or the probe's folded key equals a record's key without its
            # leading zeros: the same folded key, or one without leading zeros, which is a
            # leading-zero pair where both have digits only (variant 0) and no match if not.
            p = owner[fast]
            same = key[fast] == probes.fold[p]
            digits = (probes.variant[p] == 0) & (variant[fast] == 0)
            digits = np.where(digits, _ZEROS, _MISMATCH)
            confusable = np.where(variant[fast] == probes.variant[p], _EXACT, _CONFUSABLE)
            level[fast] = np.where(same, confusable, digits)
        elif fast.size:
            p = owner[fast]
            level[fast] = _levels(
                key[fast],
                variant[fast],
                probes.fold[p],
                probes.variant[p],
                None if edits is None else edits[fast],
            )
        slow = np.flatnonzero((probes.length[owner] > _WIDTH) | (side >= 0))
        if slow.size:
            level[slow] = _string_levels(
                probes.keys.take(pa.array(owner[slow])).to_pylist(),
                self._numbers(key[slow], variant[slow], side[slow]).to_pylist(),
            )
        limit = _ONE_EDIT if fuzzy else _ZEROS
        keep = np.flatnonzero(level <= limit)
        owner, entry, level = owner[keep], position[keep], level[keep]
        key, variant, side, records = key[keep], variant[keep], side[keep], records[keep]
        if self.side_keys:
            ask = np.flatnonzero(probes.length >= _WIDTH)
            asked = probes.keys.take(pa.array(ask)).to_pylist() if ask.size else []
            i, j = _close_pairs(asked, self.side_keys)
            if i.size:
                codes = _string_levels([asked[x] for x in i], [self.side_keys[x] for x in j])
                ok = np.flatnonzero(codes <= limit)
                owner = np.concatenate([owner, ask[i[ok]]])
                entry = np.concatenate([entry, len(self.main) + j[ok]])
                level = np.concatenate([level, codes[ok]])
                key = np.concatenate([key, np.zeros(ok.size, np.uint64)])
                variant = np.concatenate([variant, np.zeros(ok.size, np.uint32)])
                side = np.concatenate([side, j[ok]])
                records = np.concatenate([records, self.meta.records[len(self.main) + j[ok]]])
        # Sorted by probe, level and row, each pair once: a record found twice (by two of its
        # entries, or by two forms of the probe) has the same level both times.
        _, first = np.unique(_match_order(owner, level, records["row"]), return_index=True)
        numbers = self._numbers(key[first], variant[first], side[first])
        return _Match(owner[first], entry[first], records[first], level[first], numbers)

    def _numbers(self, key: U64, variant: U32, side: I64) -> pa.LargeStringArray:
        """Key strings of entries: unpacked, or the side table's for side keys."""
        text = _unpack_strings(key, variant)
        if not (side >= 0).any():
            return text
        listed: list[str] = text.to_pylist()
        for i in np.flatnonzero(side >= 0).tolist():
            listed[i] = self.side_keys[int(side[i])]
        return pa.array(listed, type=pa.large_string())

    # -- storage --------------------------------------------------------------------------------

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        out: dict[str, npt.NDArray[Any]] = {
            "overflow_pos": self.overflow_pos,
            "overflow_val": self.overflow_val,
            "records": np.array([self.records], dtype=np.int64),
        }
        out.update({f"main_{k}": v for k, v in self.main.arrays().items()})
        out.update({f"meta_{k}": v for k, v in self.meta.arrays().items()})
        return out

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        for name, array in self.arrays().items():
            np.save(directory / f"{name}.npy", np.ascontiguousarray(array))
        pl.DataFrame({"key": self.side_keys}, schema={"key": pl.String}).write_parquet(
            directory / "side.parquet"
        )

    @classmethod
    def read(cls, directory: Path) -> _Segment:
        arrays: dict[str, npt.NDArray[Any]] = {}
        for path in directory.glob("*.npy"):
            try:
                mapped = np.load(path, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as error:
                raise PaxscreenError(f"document index: cannot read {path.name}") from error
            # Plain ndarray views of the mapping (np.memmap wraps every result, which costs);
            # the small arrays are read at once.
            small = mapped.nbytes <= _READ_AT_OPEN
            arrays[path.stem] = np.array(mapped) if small else np.asarray(mapped)
        try:
            side = pl.read_parquet(directory / "side.parquet").get_column("key").to_list()
        except Exception as error:  # polars raises several types for missing/damaged files
            raise PaxscreenError("document index: cannot read side.parquet") from error

        def part(prefix: str) -> dict[str, npt.NDArray[Any]]:
            return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}

        missing = sorted(_SEGMENT_ARRAYS - arrays.keys())
        if missing:
            raise PaxscreenError(f"document index: missing {missing[0]}.npy in {directory.name}")
        try:
            return cls(
                _Keys.from_arrays(part("main_")),
                np.asarray(arrays["overflow_pos"]),
                np.asarray(arrays["overflow_val"]),
                side,
                _Meta.from_arrays(part("meta_")),
                int(arrays["records"][0]),
                directory.resolve(),
            )
        except KeyError as error:
            raise PaxscreenError(f"document index: missing {error.args[0]}.npy") from error

    def sizes(self) -> dict[str, int]:
        out = self.main.sizes()
        variants = 2 * len(self.main)  # the variant field of the entries' records
        out["variants"] = variants + self.overflow_pos.nbytes + self.overflow_val.nbytes
        out["side"] = sum(len(k) + 8 for k in self.side_keys)
        return out


_SEGMENT_ARRAYS: Final = frozenset(_Segment.empty().arrays())


def _combine(parts: Sequence[_Segment], dead: U32 | None = None) -> _Segment:
    """One segment of the records of ``parts`` whose rows are not in ``dead``."""
    folds: list[U64] = []
    variants: list[U32] = []
    side_keys: list[str] = []
    metas: list[_Meta] = []
    for segment in parts:
        own = segment.own()
        if dead is not None and dead.size:
            own = own[~np.isin(segment.meta.rows[own], dead)]
        key, variant, _, _, _ = segment.entries(own)
        folds.append(key)
        variants.append(variant)
        metas.append(segment.meta.take(own))
    main_count = sum(f.size for f in folds)
    for segment in parts:
        side = np.arange(len(segment.main), len(segment.meta), dtype=np.int64)
        if dead is not None and dead.size:
            side = side[~np.isin(segment.meta.rows[side], dead)]
        side_keys.extend(segment.side_keys[i - len(segment.main)] for i in side.tolist())
        metas.append(segment.meta.take(side))
    meta = _Meta.concat(metas).columns()
    metas.clear()
    return _Segment.create(
        {
            "fold": np.concatenate(folds),
            "variant": np.concatenate(variants),
            "meta_of": np.arange(main_count, dtype=np.uint32),
            "side_keys": side_keys,
            "side_meta_of": np.arange(main_count, main_count + len(side_keys), dtype=np.uint32),
            "meta": dict(meta),
        }
    )


# ---------------------------------------------------------------------------------------------
# Building from frames and Parquet files
# ---------------------------------------------------------------------------------------------

_TEXT_COLUMNS: Final = ("doc_number", "doc_issuer", "doc_type", "status", "record_ref")
_COLUMNS: Final = (*_TEXT_COLUMNS, "reported_on")


def _rows_text(rows: Sequence[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more}"


def _check_columns(schema: dict[str, Any], source: str) -> None:
    if "doc_number" not in schema:
        raise SchemaError(f"{source}: no doc_number column")
    for name in _TEXT_COLUMNS:
        dtype = schema.get(name)
        if dtype is None or dtype == pl.Null:
            continue
        if dtype != pl.String and not isinstance(dtype, pl.Categorical | pl.Enum):
            extra = " (numbers stored as integers lose their leading zeros)"
            raise SchemaError(
                f"{source}: column {name!r} has type {dtype}; expected text"
                + (extra if name == "doc_number" else "")
            )
    dtype = schema.get("reported_on")
    if dtype is not None and dtype not in (pl.Date, pl.Null) and not isinstance(dtype, pl.Datetime):
        raise SchemaError(f"{source}: column 'reported_on' has type {dtype}; expected a date")


class _Builder:
    """Turns batches of a document list into one segment."""

    def __init__(self, dicts: _Dictionaries, first_row: int, source: str) -> None:
        self.dicts = dicts
        self.source = source
        self.first_row = first_row
        self.rows = 0
        self.folds: list[U64] = []
        self.variants: list[U32] = []
        self.records: list[U32] = []
        self.side_keys: list[str] = []
        self.side_records: list[U32] = []
        self.issuer: list[U16] = []
        self.doc_type: list[U16] = []
        self.status: list[U16] = []
        self.reported: list[I32] = []
        self.ref_lengths: list[I64] = []
        self.ref_data: list[U8] = []

    def add(self, batch: pl.DataFrame) -> None:
        _check_columns(dict(batch.schema), self.source)
        height = batch.height
        if height == 0:
            return
        start = self.rows  # record number of the batch's first row
        keys = _normalise_numbers(batch.get_column("doc_number").cast(pl.String))
        if keys.null_count:
            bad = np.flatnonzero(~keys.is_valid().to_numpy(zero_copy_only=False))
            rows = [self.first_row + start + int(r) + 1 for r in bad]
            raise SchemaError(
                f"{self.source}: column 'doc_number', {_rows_text(rows)}: empty or without "
                "a letter or digit (rows count from 1)"
            )
        matrix, lengths = _key_matrix(keys)
        short = np.flatnonzero(lengths <= _WIDTH)
        fold, variant = _pack_matrix(matrix[short], lengths[short])
        del matrix
        self.folds.append(fold)
        self.variants.append(variant)
        self.records.append((short + start).astype(np.uint32))
        long_rows = np.flatnonzero(lengths > _WIDTH)
        if long_rows.size:
            self.side_keys.extend(keys.take(pa.array(long_rows)).to_pylist())
            self.side_records.append((long_rows + start).astype(np.uint32))

        def text(name: str) -> pl.Series:
            if name not in batch.columns:
                return pl.Series(name, [None] * height, dtype=pl.String)
            return batch.get_column(name).cast(pl.String)

        self.issuer.append(self.dicts.issuer.codes(text("doc_issuer"), doc_issuer_code))
        self.doc_type.append(self.dicts.doc_type.codes(text("doc_type"), doc_type_code))
        self.status.append(self.dicts.status.codes(text("status"), None))
        if "reported_on" in batch.columns:
            days = batch.get_column("reported_on").cast(pl.Date).to_physical()
            self.reported.append(days.fill_null(_NO_DATE).to_numpy().astype(np.int32))
        else:
            self.reported.append(np.full(height, _NO_DATE, dtype=np.int32))
        default = pl.format(
            "row-{}", pl.int_range(1, height + 1, dtype=pl.Int64) + self.first_row + start
        )
        refs = (
            pl.DataFrame({"r": text("record_ref")})
            .select(pl.coalesce(pl.col("r"), default))
            .to_series()
        )
        offsets, data = _buffers(_large_strings(refs))
        self.ref_lengths.append(np.diff(offsets))
        self.ref_data.append(data[int(offsets[0]) : int(offsets[-1])].copy())
        self.rows += height
        if self.first_row + self.rows > np.iinfo(np.uint32).max:
            raise SchemaError(f"{self.source}: more than {np.iinfo(np.uint32).max} rows")

    def finish(self) -> _Segment:
        def cat(parts: list[npt.NDArray[Any]], dtype: Any) -> npt.NDArray[Any]:
            out = np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)
            parts.clear()
            return out

        offsets = np.zeros(self.rows + 1, dtype=np.int64)
        if self.ref_lengths:
            np.cumsum(cat(self.ref_lengths, np.int64), out=offsets[1:])
        meta = {
            "rows": np.arange(self.first_row, self.first_row + self.rows, dtype=np.uint32),
            "issuer": cat(self.issuer, np.uint16),
            "doc_type": cat(self.doc_type, np.uint16),
            "status": cat(self.status, np.uint16),
            "reported": cat(self.reported, np.int32),
            "ref_offsets": offsets,
            "ref_data": cat(self.ref_data, np.uint8),
        }
        del offsets
        pa.default_memory_pool().release_unused()
        return _Segment.create(
            {
                "fold": cat(self.folds, np.uint64),
                "variant": cat(self.variants, np.uint32),
                "meta_of": cat(self.records, np.uint32),
                "side_keys": self.side_keys,
                "side_meta_of": cat(self.side_records, np.uint32),
                "meta": meta,
            }
        )


def _source_batches(source: Any) -> tuple[str, Iterator[pl.DataFrame]]:
    """(name for messages, batches) of a frame or a file."""
    if isinstance(source, pl.DataFrame):
        frame = source
        _check_columns(dict(frame.schema), "document list")

        def slices() -> Iterator[pl.DataFrame]:
            for lo in range(0, frame.height, _BATCH):
                yield frame.slice(lo, _BATCH)

        return "document list", slices()
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"expected a polars DataFrame or a path, got {type(source).__name__}")
    path = Path(source)
    name = path.name
    if not path.is_file():
        raise ParseError("E_SOURCE", "no such file", source=name)
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"PAR1":
        from paxscreen.formats.lists import read_documents

        return name, iter([read_documents(path)])
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except Exception as error:  # pyarrow raises several types for damaged files
        raise ParseError("E_PARQUET", "cannot read the Parquet file", source=name) from error
    columns = [c for c in _COLUMNS if c in names]

    def batches() -> Iterator[pl.DataFrame]:
        try:
            for batch in parquet.iter_batches(batch_size=_BATCH, columns=columns):
                frame = pl.from_arrow(batch)
                if not isinstance(frame, pl.DataFrame):
                    raise ParseError("E_PARQUET", "unexpected Parquet content", source=name)
                yield frame
        except (OSError, pa.ArrowException) as error:
            raise ParseError("E_PARQUET", "cannot read the Parquet file", source=name) from error

    return name, batches()


# ---------------------------------------------------------------------------------------------
# The public class
# ---------------------------------------------------------------------------------------------


class DocumentIndex:
    """An index of lost, stolen and revoked travel documents; see the module docstring.

    Build it once (:meth:`build`), save it (:meth:`save`) and open it memory-mapped wherever it is
    needed (:meth:`open`). :meth:`lookup` matches a batch of document numbers; :meth:`add` and
    :meth:`remove` update it in place.

    Example:
        >>> import polars as pl
        >>> documents = pl.DataFrame({"doc_number": ["X1234567", "0012345678"],
        ...                           "doc_issuer": ["FRA", "DEU"], "status": ["stolen", "lost"]})
        >>> index = DocumentIndex.build(documents)
        >>> index.lookup(["X1234S67", "12345678"], ["FR", None]).select(
        ...     "probe", "row", "level", "issuer_agreement", "status").rows()
        [(0, 0, 'confusable', True, 'stolen'), (1, 1, 'leading_zeros', None, 'lost')]
    """

    def __init__(
        self,
        base: _Segment,
        dicts: _Dictionaries,
        *,
        next_row: int,
        delta: _Segment | None = None,
        tombstones: U32 | None = None,
    ) -> None:
        """Use :meth:`build` or :meth:`open`; this constructor is internal."""
        self._base = base
        self._delta = delta
        self._dead: U32 = np.zeros(0, np.uint32) if tombstones is None else np.asarray(tombstones)
        self._dicts = dicts
        self._next_row = next_row

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def build(cls, source: DocumentSource) -> DocumentIndex:
        """Build an index from a document list.

        Args:
            source: A frame with the columns of :data:`paxscreen.schema.DOCUMENT_LIST`
                (``doc_number`` required; ``doc_issuer``, ``doc_type``, ``status``,
                ``reported_on``, ``record_ref`` optional), as :func:`paxscreen.read_documents`
                returns it, or a path. A Parquet file with those column names is read in
                batches of two million rows, so lists of hundreds of millions of rows build in
                a few GB; other files go through :func:`paxscreen.read_documents`.

        Returns:
            The index. Row ``i`` of the source is ``row`` ``i`` of the matches; a missing
            ``record_ref`` becomes ``row-{i + 1}`` as in :func:`paxscreen.read_documents`.

        Raises:
            SchemaError: No ``doc_number`` column, a column of the wrong type, or a number
                with no letter or digit (the message names the rows, counted from 1).
            ParseError: The file cannot be read (``E_SOURCE``, ``E_PARQUET``).
        """
        dicts = _Dictionaries.create()
        name, batches = _source_batches(source)
        builder = _Builder(dicts, 0, name)
        for batch in batches:
            builder.add(batch)
        return cls(builder.finish(), dicts, next_row=builder.rows)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> DocumentIndex:
        """Open a saved index; its arrays are memory-mapped, not read.

        Raises:
            PaxscreenError: ``path`` holds no document index, or one of another version, or a
                file of it is missing or damaged (named in the message).
        """
        directory = Path(path)
        try:
            manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise PaxscreenError(f"{directory.name}: not a document index ({_MANIFEST})") from error
        if (
            not isinstance(manifest, dict)
            or manifest.get("format") != _FORMAT
            or manifest.get("version") != _VERSION
        ):
            raise PaxscreenError(f"{directory.name}: unsupported document index format")
        try:
            dicts = _Dictionaries(
                _Dictionary("issuers", manifest["issuers"]),
                _Dictionary("document types", manifest["types"]),
                _Dictionary("statuses", manifest["statuses"]),
            )
            base = _Segment.read(directory / manifest["base"])
            delta = _Segment.read(directory / manifest["delta"]) if manifest["delta"] else None
            tombstones = None
            if manifest["tombstones"]:
                tombstones = np.load(directory / manifest["tombstones"], allow_pickle=False)
            next_row = int(manifest["next_row"])
        except (KeyError, TypeError, OSError, ValueError) as error:
            raise PaxscreenError(f"{directory.name}: damaged document index manifest") from error
        return cls(base, dicts, next_row=next_row, delta=delta, tombstones=tombstones)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to a directory (created if needed) for :meth:`open`.

        Segments already stored in that directory are not written again, so saving after a few
        :meth:`add` / :meth:`remove` calls writes only the delta and the tombstones. The manifest
        is replaced last, atomically; files it no longer names are then removed.

        Raises:
            PaxscreenError: ``path`` exists and is neither empty nor a document index.
        """
        directory = Path(path)
        if directory.exists():
            if not directory.is_dir():
                raise PaxscreenError(f"{directory.name}: exists and is not a directory")
            if any(directory.iterdir()) and not (directory / _MANIFEST).is_file():
                raise PaxscreenError(f"{directory.name}: not empty and not a document index")
        directory.mkdir(parents=True, exist_ok=True)
        here = directory.resolve()
        generation = 1 + max((_generation(entry.name) for entry in directory.iterdir()), default=0)
        names: dict[str, str | None] = {}
        for role, segment in (("base", self._base), ("delta", self._delta)):
            if segment is None or (role == "delta" and len(segment) == 0):
                names[role] = None
            elif segment.location is not None and segment.location.parent == here:
                names[role] = segment.location.name
            else:
                name = f"{role}-{generation}"
                segment.write(directory / name)
                names[role] = name
        tombstones = None
        if self._dead.size:
            tombstones = f"tombstones-{generation}.npy"
            np.save(directory / tombstones, self._dead)
        manifest = {
            "format": _FORMAT,
            "version": _VERSION,
            "next_row": self._next_row,
            "records": len(self),
            "base": names["base"],
            "delta": names["delta"],
            "tombstones": tombstones,
            "issuers": self._dicts.issuer.names,
            "types": self._dicts.doc_type.names,
            "statuses": self._dicts.status.names,
        }
        temporary = directory / f"{_MANIFEST}.tmp"
        temporary.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(temporary, directory / _MANIFEST)
        keep = {name for name in (names["base"], names["delta"], tombstones) if name}
        for entry in directory.iterdir():
            if entry.name not in keep and _generation(entry.name):
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        for role, segment in (("base", self._base), ("delta", self._delta)):
            if segment is not None and names[role] and segment.location is None:
                segment.location = here / str(names[role])

    # -- size -----------------------------------------------------------------------------------

    def __len__(self) -> int:
        """The number of live records (added ones included, removed ones not)."""
        delta = len(self._delta) if self._delta is not None else 0
        return len(self._base) - int(self._dead.size) + delta

    def __repr__(self) -> str:
        delta = len(self._delta) if self._delta is not None else 0
        return (
            f"DocumentIndex({len(self)} records: base {len(self._base)}, delta {delta}, "
            f"removed {self._dead.size})"
        )

    def sizes(self) -> dict[str, int]:
        """Bytes of the lookup structures (``index_*``) and of the record attributes.

        ``index_total`` is what the 24-bytes-per-record budget counts: folded keys, variants,
        both rotation orders with their tags, the sampled keys and directories, and the side
        table, of the base and the delta. ``attributes`` is rows, issuer, type, status,
        ``reported_on`` and ``record_ref``; ``tombstones`` the removed rows.
        """
        out: dict[str, int] = {}
        for segment in (self._base, self._delta):
            if segment is None:
                continue
            for name, size in segment.sizes().items():
                out[f"index_{name}"] = out.get(f"index_{name}", 0) + int(size)
            # The variant field of the entries' records counts as a lookup structure.
            attributes = segment.meta.nbytes - 2 * len(segment.main)
            out["attributes"] = out.get("attributes", 0) + int(attributes)
        out["index_total"] = sum(v for k, v in out.items() if k.startswith("index_"))
        out["tombstones"] = int(self._dead.nbytes)
        return out

    # -- lookups ---------------------------------------------------------------------------------

    def lookup(
        self,
        numbers: Values,
        issuers: Values | None = None,
        types: Values | None = None,
        *,
        fuzzy: bool = True,
    ) -> pl.DataFrame:
        """Match document numbers against the list.

        Every listed record whose number is at a level of
        :data:`~paxscreen.compare.documents.DOC_LEVELS` up to ``one_edit`` from a probe (up to
        ``leading_zeros`` without ``fuzzy``) is returned once, with that level: exactly what
        :func:`~paxscreen.compare.documents.doc_number_level` says for the pair.

        Args:
            numbers: Document numbers as given (normalised here), one per probe; None or a
                number without letters or digits matches nothing.
            issuers: Issuing states of the probes (any form
                :func:`~paxscreen.normalize.documents.doc_issuer_code` reads), or None.
            types: Document types of the probes (reduced by
                :func:`~paxscreen.normalize.documents.doc_type_code`), or None.
            fuzzy: Also find transpositions and one-edit matches; without it only ``exact``,
                ``confusable`` and ``leading_zeros`` matches are looked up (faster).

        Returns:
            A frame with the columns of :data:`MATCHES`, sorted by probe, level and row:
            ``probe`` (position in ``numbers``), ``row`` (the record's row), ``level``,
            ``issuer_agreement`` and ``type_agreement`` (True same, False different, null when
            either side is unknown: a number match with another issuer is weaker evidence, not
            none), the record's normalised ``doc_number``, ``doc_issuer``, ``doc_type``,
            ``status``, ``reported_on`` and ``record_ref``.

        Raises:
            ValueError: ``issuers`` or ``types`` do not have one value per number.
            TypeError: The values are not strings.
        """
        keys = _normalise_numbers(numbers)
        size = len(keys)
        issuer = self._probe_codes(issuers, size, self._dicts.issuer, doc_issuer_code, "issuers")
        doc_type = self._probe_codes(types, size, self._dicts.doc_type, doc_type_code, "types")
        parts: list[_Found] = []
        for lo in range(0, size, _PROBE_CHUNK):
            probes = _Probes.create(
                keys.slice(lo, _PROBE_CHUNK),
                issuer[lo : lo + _PROBE_CHUNK],
                doc_type[lo : lo + _PROBE_CHUNK],
                fuzzy=fuzzy,
            )
            for segment, dead in ((self._base, self._dead), (self._delta, None)):
                if segment is None or len(segment) == 0:
                    continue
                match = segment.match(probes, fuzzy)
                if dead is not None and dead.size:
                    alive = np.flatnonzero(~np.isin(match.records["row"], dead))
                    if alive.size < match.probe.size:
                        match = match.take(alive)
                if match.probe.size == 0:
                    continue
                parts.append(
                    _Found(
                        probe=match.probe + lo,
                        records=match.records,
                        level=match.level,
                        probe_issuer=probes.issuer[match.probe],
                        probe_type=probes.doc_type[match.probe],
                        numbers=match.numbers,
                        refs=segment.meta.refs(match.entry),
                    )
                )
        return self._frame(parts)

    @staticmethod
    def _probe_codes(
        values: Values | None,
        size: int,
        dictionary: _Dictionary,
        normalise: Callable[[pl.Expr], pl.Expr],
        what: str,
    ) -> I64:
        if values is None:
            return np.zeros(size, dtype=np.int64)
        if isinstance(values, list | tuple):
            listed: list[str | None] = list(values)
        else:
            listed = _large_strings(values).to_pylist()
        if len(listed) != size:
            raise ValueError(f"{what} must have one value per number ({len(listed)} != {size})")
        return dictionary.probe_codes(listed, normalise)

    def _frame(self, parts: Sequence[_Found]) -> pl.DataFrame:
        """The matches frame, sorted by probe, level and row."""
        if not parts:
            return _NO_MATCHES.clone()
        # Every part is sorted; so are the parts of one segment, one chunk after the other.
        order: I64 | None = None
        if len(parts) > 1:
            key = [_match_order(p.probe, p.level, p.records["row"]) for p in parts]
            joined = np.concatenate(key)
            if (joined[1:] < joined[:-1]).any():
                order = np.argsort(joined)

        def cat(name: str) -> npt.NDArray[Any]:
            arrays = [getattr(part, name) for part in parts]
            array = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
            return array if order is None else array[order]

        def strings(name: str) -> pa.LargeStringArray:
            arrays = [getattr(part, name) for part in parts]
            array = arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays)
            return array if order is None else array.take(pa.array(order))

        def agreement(mine: I64, theirs: npt.NDArray[Any]) -> pa.BooleanArray:
            unknown = (mine == 0) | (theirs == 0)
            return pa.array(mine == theirs, type=pa.bool_(), mask=unknown)

        records = cat("records")
        issuer, doc_type, reported = records["issuer"], records["doc_type"], records["reported"]
        columns = [
            pl.Series("probe", cat("probe").astype(np.uint32)),
            pl.Series("row", records["row"]),
            _LEVEL_VALUES[cat("level")].alias("level"),
            pl.Series("issuer_agreement", agreement(cat("probe_issuer"), issuer)),
            pl.Series("type_agreement", agreement(cat("probe_type"), doc_type)),
            pl.Series("doc_number", strings("numbers")),
            self._dicts.issuer.series(issuer).alias("doc_issuer"),
            self._dicts.doc_type.series(doc_type).alias("doc_type"),
            self._dicts.status.series(records["status"]).alias("status"),
            pl.Series(
                "reported_on",
                pa.array(reported, type=pa.int32(), mask=reported == _NO_DATE).cast(pa.date32()),
            ),
            pl.Series("record_ref", strings("refs")),
        ]
        return pl.DataFrame(columns)

    # -- updates ----------------------------------------------------------------------------------

    def add(self, documents: pl.DataFrame) -> U32:
        """Add records (a frame like :meth:`build` takes) without rebuilding the base.

        Returns:
            The rows given to the new records (continuing after every row ever used).

        Raises:
            SchemaError: As :meth:`build`.
        """
        builder = _Builder(self._dicts, self._next_row, "added documents")
        _, batches = _source_batches(documents)
        for batch in batches:
            builder.add(batch)
        if builder.rows == 0:
            return np.zeros(0, dtype=np.uint32)
        added = builder.finish()
        self._next_row += builder.rows
        rows = np.arange(builder.first_row, builder.first_row + builder.rows, dtype=np.uint32)
        if self._delta is not None and len(self._delta):
            self._delta = _combine([self._delta, added])
        else:
            self._delta = added
        self._maybe_merge()
        return rows

    def remove(self, records: Sequence[str] | Sequence[int] | pl.Series | npt.NDArray[Any]) -> int:
        """Remove records by ``record_ref`` (strings) or by row (integers).

        Base records are marked removed (tombstones) until the next merge; added records leave
        the delta at once. References and rows not (or no longer) in the index are ignored.

        Returns:
            How many records were removed.

        Raises:
            TypeError: ``records`` are neither strings nor integers.
        """
        series = records if isinstance(records, pl.Series) else pl.Series(records)
        if len(series) == 0:
            return 0
        by_ref = series.dtype == pl.String or isinstance(series.dtype, pl.Categorical)
        if not by_ref and not series.dtype.is_integer():
            raise TypeError("remove takes record_ref strings or integer rows")
        values = series.cast(pl.String).drop_nulls() if by_ref else series.drop_nulls()

        def rows_of(segment: _Segment) -> U32:
            if by_ref:
                wanted = pa.array(values.unique().to_list(), type=pa.large_string())
                mask = pc.is_in(segment.meta.refs(), value_set=wanted)
                out: U32 = np.unique(segment.meta.rows[mask.to_numpy(zero_copy_only=False)])
                return out
            wanted_rows = np.unique(values.cast(pl.Int64).to_numpy())
            return np.intersect1d(wanted_rows, segment.meta.rows).astype(np.uint32)

        removed = 0
        new_dead = np.setdiff1d(rows_of(self._base), self._dead)
        if new_dead.size:
            self._dead = np.union1d(self._dead, new_dead).astype(np.uint32)
            removed += int(new_dead.size)
        if self._delta is not None and len(self._delta):
            gone = rows_of(self._delta)
            if gone.size:
                self._delta = _combine([self._delta], gone)
                removed += int(gone.size)
        self._maybe_merge()
        return removed

    def merge(self) -> None:
        """Merge the delta and the removals into a new base (kept in memory until saved)."""
        if (self._delta is None or len(self._delta) == 0) and self._dead.size == 0:
            return
        parts = [self._base]
        if self._delta is not None and len(self._delta):
            parts.append(self._delta)
        self._base = _combine(parts, self._dead)
        self._delta = None
        self._dead = np.zeros(0, np.uint32)

    def _maybe_merge(self) -> None:
        pending = (len(self._delta) if self._delta is not None else 0) + int(self._dead.size)
        if pending >= max(MERGE_MIN, MERGE_FRACTION * len(self._base)):
            self.merge()


def _generation(name: str) -> int:
    """The generation number of a segment or tombstone file name (0 for other names)."""
    stem = name.split(".")[0]
    role, _, number = stem.partition("-")
    if role in ("base", "delta", "tombstones") and number.isdigit():
        return int(number)
    return 0
