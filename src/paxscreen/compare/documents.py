"""Document comparisons: numbers into agreement levels, issuers and types into agreement.

:func:`doc_number_level` compares two columns of document numbers, row by row, and returns one
level of :data:`DOC_LEVELS` per pair, best first:

``exact``
    The keys (:func:`~paxscreen.normalize.documents.doc_number_key`) are equal: the same
    number up to case, spaces, dashes and other punctuation.
``confusable``
    The keys differ but their OCR-folded forms
    (:func:`~paxscreen.normalize.documents.ocr_folded`) are equal: ``0``/``O``, ``1``/``I``,
    ``5``/``S`` ... as many times as needed.
``leading_zeros``
    Both keys are all digits and equal once leading zeros are dropped
    (:func:`~paxscreen.normalize.documents.strip_leading_zeros`).
``transposition``
    One adjacent transposition (``123456789`` / ``123465789``) apart.
``one_edit``
    One substitution, insertion or deletion (Levenshtein distance 1) apart.
``mismatch``
    None of the above.
``unknown``
    Either number is null or has no letter or digit. Null is unknown, never a mismatch.

``transposition`` and ``one_edit`` are judged on the OCR-folded forms and, where a key lost
leading zeros, also on the zero-stripped forms, and the better level counts. So one edit on top
of OCR confusions or dropped zeros is still ``one_edit``, while two edits (Levenshtein or OSA
distance 2) that folding does not explain are a ``mismatch``. Every single edit or adjacent
transposition of a number is found at ``one_edit`` or better.

Why one edit is weak evidence
-----------------------------
Document number spaces are dense. A 9-digit number has 81 one-substitution neighbours (9
positions, 9 other digits) and 8 adjacent transpositions, about 90 numbers of the same shape one
slip away; with letters and digits mixed it is several hundred. A lost/stolen list holding 5
million numbers of one issuer's 9-digit series fills 0.5% of that space, so an innocent
traveller's number has about 90 x 0.005 = 0.45 listed neighbours on average: a ``one_edit`` hit
is close to a coin toss even when nothing is wrong. ``transposition`` is narrower (8
neighbours) but still weak against a large list. Scoring should therefore treat ``one_edit``
(and ``transposition``) as a signal for review unless other evidence agrees: the same issuer
and document type, the name, the date of birth. ``exact``, ``confusable`` and
``leading_zeros`` explain the difference by how numbers are read and stored rather than by
chance, and are strong on their own.

:func:`issuer_agreement` and :func:`doc_type_agreement` compare issuing states and document
types after normalisation (:func:`~paxscreen.normalize.documents.doc_issuer_code`,
:func:`~paxscreen.normalize.documents.doc_type_code`) into ``same``, ``different`` or
``unknown``.

Travellers' further documents (the ``documents`` list column) are compared the same way after
exploding the list; these functions work on plain columns. :func:`doc_number_level_codes` gives
the levels of pairs given as Python lists (one traveller's numbers against an identity's),
comparing a few pairs with :func:`doc_number_level_scalar` rather than over columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from paxscreen.compare._workers import workers
from paxscreen.normalize.documents import (
    doc_issuer_code,
    doc_number_key,
    doc_number_key_scalar,
    doc_type_code,
    ocr_folded,
    ocr_folded_scalar,
    strip_leading_zeros,
    strip_leading_zeros_scalar,
)

__all__ = [
    "AGREEMENT",
    "AGREEMENT_LEVELS",
    "DOC_LEVEL",
    "DOC_LEVELS",
    "doc_number_level",
    "doc_number_level_codes",
    "doc_number_level_scalar",
    "doc_type_agreement",
    "issuer_agreement",
]

#: Levels of :func:`doc_number_level`, best first (the order of the :data:`DOC_LEVEL` Enum).
DOC_LEVELS: Final = (
    "exact",
    "confusable",
    "leading_zeros",
    "transposition",
    "one_edit",
    "mismatch",
    "unknown",
)

#: The polars Enum of :data:`DOC_LEVELS`; ``level <= "one_edit"`` selects that level or better.
DOC_LEVEL: Final = pl.Enum(DOC_LEVELS)

#: Levels of :func:`issuer_agreement` and :func:`doc_type_agreement`.
AGREEMENT_LEVELS: Final = ("same", "different", "unknown")

#: The polars Enum of :data:`AGREEMENT_LEVELS`.
AGREEMENT: Final = pl.Enum(AGREEMENT_LEVELS)

# Level codes: positions in DOC_LEVELS, so that the minimum of two codes is the better level.
_EXACT, _CONFUSABLE, _ZEROS, _TRANSPOSITION, _ONE_EDIT, _MISMATCH, _UNKNOWN = (
    DOC_LEVELS.index(level)
    for level in (
        "exact",
        "confusable",
        "leading_zeros",
        "transposition",
        "one_edit",
        "mismatch",
        "unknown",
    )
)
_LEVEL_VALUES: Final = pl.Series(DOC_LEVELS, dtype=DOC_LEVEL)
_Codes = npt.NDArray[np.uint8]


def _expr(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


# ---------------------------------------------------------------------------------------------
# Vectorised
# ---------------------------------------------------------------------------------------------


def _near(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Pairs that may be one edit or adjacent transposition apart (a cheap necessary test).

    Such an edit touches at most two neighbouring characters of the shorter string, so the
    untouched prefix and suffix add up to at least ``shorter - 2`` characters, and one of them
    holds at least ``(shorter - 2) // 2``.
    """
    la, lb = a.str.len_bytes(), b.str.len_bytes()
    end = ((pl.min_horizontal(la, lb).cast(pl.Int64) - 2) // 2).clip(lower_bound=0)
    return ((la.cast(pl.Int64) - lb.cast(pl.Int64)).abs() <= 1) & (
        (a.str.head(end) == b.str.head(end)) | (a.str.tail(end) == b.str.tail(end))
    )


def _edit_codes(a: pl.Series, b: pl.Series) -> _Codes:
    """``_TRANSPOSITION``, ``_ONE_EDIT`` or ``_MISMATCH`` for pairs of different strings."""
    codes = np.full(len(a), _MISMATCH, dtype=np.uint8)
    if len(a) == 0:
        return codes
    osa = process.cpdist(
        a.to_list(),
        b.to_list(),
        scorer=OSA.distance,
        score_cutoff=1,
        dtype=np.uint8,
        workers=workers(len(a)),
    )
    close = np.flatnonzero(osa <= 1)
    if close.size:
        lev = process.cpdist(
            a.gather(close).to_list(),
            b.gather(close).to_list(),
            scorer=Levenshtein.distance,
            score_cutoff=1,
            dtype=np.uint8,
        )
        codes[close] = np.where(lev <= 1, _ONE_EDIT, _TRANSPOSITION)
    return codes


def _level_codes(keys: Sequence[pl.Series]) -> pl.Series:
    """The level of each pair of keys; a one-row side (a literal) is broadcast."""
    height = max(len(key) for key in keys)
    a_key, b_key = (
        key.new_from_index(0, height) if len(key) == 1 and height > 1 else key for key in keys
    )
    a, b = pl.col("a"), pl.col("b")
    fa, fb, za, zb = (pl.col(name) for name in ("fa", "fb", "za", "zb"))
    # Step by step: eager selects do not share common subexpressions.
    forms = pl.DataFrame({"a": a_key, "b": b_key}).with_columns(
        fa=ocr_folded(a, is_key=True),
        fb=ocr_folded(b, is_key=True),
        za=strip_leading_zeros(a, is_key=True),
        zb=strip_leading_zeros(b, is_key=True),
    )
    code = (
        pl.when(a.is_null() | b.is_null())
        .then(_UNKNOWN)
        .when(a == b)
        .then(_EXACT)
        .when(fa == fb)
        .then(_CONFUSABLE)
        .when(za == zb)
        .then(_ZEROS)
        .otherwise(_MISMATCH)
        .cast(pl.UInt8)
    )
    forms = forms.with_columns(code=code).with_row_index("row")
    undecided = pl.col("code") == _MISMATCH
    stripped = (za != a) | (zb != b)
    codes = forms.get_column("code").to_numpy().copy()
    # Candidates for an edit on the folded forms, then on the zero-stripped forms where a key
    # lost zeros (few rows, so filtered before the prefix/suffix test).
    for x, y, where in ((fa, fb, undecided), (za, zb, undecided & stripped)):
        pairs = forms.filter(where).filter(_near(x, y)).select("row", x, y)
        if pairs.height:
            rows = pairs.get_column("row").to_numpy()
            found = _edit_codes(pairs.to_series(1), pairs.to_series(2))
            codes[rows] = np.minimum(codes[rows], found)
    return _LEVEL_VALUES.gather(pl.Series(codes))


def doc_number_level(a: str | pl.Expr, b: str | pl.Expr) -> pl.Expr:
    """The agreement level of two document numbers, row by row (see the module docstring).

    Vectorised: keys and folded forms are polars string expressions; the pairs left that may be
    one edit apart (a small share of unrelated pairs) go through
    :func:`rapidfuzz.process.cpdist`. About a million pairs a second on two cores.

    Args:
        a: Document numbers as given: a column name or a string expression.
        b: The numbers to compare them with, same length (or a literal).

    Returns:
        An expression of dtype :data:`DOC_LEVEL`.

    Example:
        >>> import polars as pl
        >>> a = ["AB-123 456", "123456789", None]
        >>> b = ["AB1234S6", "123456798", "X1"]
        >>> pl.DataFrame({"a": a, "b": b}).select(doc_number_level("a", "b"))["a"].to_list()
        ['confusable', 'transposition', 'unknown']
    """
    keys = [doc_number_key(_expr(a)), doc_number_key(_expr(b))]
    return pl.map_batches(keys, _level_codes, return_dtype=DOC_LEVEL, is_elementwise=True)


#: Up to this many pairs, :func:`doc_number_level_codes` compares them one by one in Python
#: (:func:`doc_number_level_scalar`): the vectorised comparison's polars steps cost a
#: millisecond or more however few the rows (one traveller at the counter).
_SMALL_BATCH: Final = 64

_CODE: Final = {level: np.uint8(i) for i, level in enumerate(DOC_LEVELS)}


def doc_number_level_codes(a: Sequence[str | None], b: Sequence[str | None]) -> _Codes:
    """:func:`doc_number_level` of each pair of document numbers, as its position in
    :data:`DOC_LEVELS`.

    Args:
        a: Document numbers as given (None for unknown).
        b: The numbers to compare them with, as many.

    Returns:
        uint8, one code per pair.
    """
    if len(a) <= _SMALL_BATCH:
        return np.array(
            [_CODE[doc_number_level_scalar(x, y)] for x, y in zip(a, b, strict=True)], np.uint8
        )
    pairs = pl.DataFrame({"a": a, "b": b}, schema={"a": pl.String, "b": pl.String})
    levels = pairs.select(doc_number_level("a", "b")).to_series()
    return levels.to_physical().to_numpy().astype(np.uint8)


def _agreement(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (
        pl.when(a.is_null() | b.is_null())
        .then(pl.lit("unknown", dtype=AGREEMENT))
        .when(a == b)
        .then(pl.lit("same", dtype=AGREEMENT))
        .otherwise(pl.lit("different", dtype=AGREEMENT))
    )


def issuer_agreement(a: str | pl.Expr, b: str | pl.Expr) -> pl.Expr:
    """Whether two issuing states agree once normalised to three letters.

    Codes are normalised by :func:`~paxscreen.normalize.documents.doc_issuer_code`: ``"GB"``
    and ``"GBR"``, ``"D"`` and ``"DEU"`` are the ``same``; a null or unreadable code (``"12"``,
    an unassigned alpha-2) is ``unknown``.

    Args:
        a: Issuer codes: a column name or a string expression.
        b: The codes to compare them with.

    Returns:
        An expression of dtype :data:`AGREEMENT`.
    """
    return _agreement(doc_issuer_code(_expr(a)), doc_issuer_code(_expr(b)))


def doc_type_agreement(a: str | pl.Expr, b: str | pl.Expr) -> pl.Expr:
    """Whether two document types agree once reduced to their family.

    Types are reduced by :func:`~paxscreen.normalize.documents.doc_type_code` (mapping in
    :data:`~paxscreen.normalize.documents.DOC_TYPE_WORDS`): ``"P"``, ``"PP"`` and
    ``"Passport"`` are the ``same``; ``"P"`` and ``"I"`` are ``different``; null or empty is
    ``unknown``.

    Args:
        a: Document types: a column name or a string expression.
        b: The types to compare them with.

    Returns:
        An expression of dtype :data:`AGREEMENT`.
    """
    return _agreement(doc_type_code(_expr(a)), doc_type_code(_expr(b)))


# ---------------------------------------------------------------------------------------------
# Scalar oracle
# ---------------------------------------------------------------------------------------------


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differ) != 2:
        return False
    i, j = differ
    return j == i + 1 and a[i] == b[j] and a[j] == b[i]


def _is_one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def doc_number_level_scalar(a: str | None, b: str | None) -> str:
    """:func:`doc_number_level` for one pair, written plainly; the reference for tests.

    Args:
        a: A document number as given, or None.
        b: Another, or None.

    Returns:
        One of :data:`DOC_LEVELS`.
    """
    ka, kb = doc_number_key_scalar(a), doc_number_key_scalar(b)
    if ka is None or kb is None:
        return "unknown"
    if ka == kb:
        return "exact"
    fa, fb = ocr_folded_scalar(ka), ocr_folded_scalar(kb)
    if fa == fb:
        return "confusable"
    za, zb = strip_leading_zeros_scalar(ka), strip_leading_zeros_scalar(kb)
    if za == zb:
        return "leading_zeros"
    forms = [(fa, fb), (za, zb)]
    if any(_is_transposition(x, y) for x, y in forms):
        return "transposition"
    if any(_is_one_edit(x, y) for x, y in forms):
        return "one_edit"
    return "mismatch"
