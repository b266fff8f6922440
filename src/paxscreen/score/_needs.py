"""The least name similarity worth scoring, pair by pair, from what else each pair could bring.

Candidate generation drops a pair of names that no other evidence could lift into the review
band: a namesake born decades apart, an undated namesake of a common name. What a pair could
still gain depends on its identity: its dates of birth decide the DOB level exactly (a date one
year off is ``one_year_apart`` only where month and day agree, else ``mismatch``), a document
level can only be known where both sides hold a number, a listed sex that differs costs. So the
need is computed per (traveller, listed name) over the rows of :class:`ListedEvidence`, one per
identity bearing the name and date of birth of that identity, and the most favourable row
counts.

:func:`needs_table` gives the need for every combination of the evidence the rows tell apart;
:func:`row_needs` looks a traveller and a row up in it (the name index takes the least over a
name's rows, and files the rows' codes with its postings, so that it can drop doomed pairs as
it reads them). Nationality is taken at its best weight (it
moves a score by a few hundredths). Every need is a floor: no pair below it reaches review
(``tests/score/test_needs.py`` checks every combination of levels against
:func:`~paxscreen.score.score_pairs`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen._jit import kernel
from paxscreen.compare.dates import DOB_LEVELS, DateParts, _level_code
from paxscreen.compare.documents import AGREEMENT_LEVELS
from paxscreen.config import ScreenConfig
from paxscreen.index._name_bounds import concat_ranges
from paxscreen.score import _AGREEING_DOB

__all__ = ["ListedEvidence", "TravellerEvidence", "needs_table", "row_needs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Int32Array = npt.NDArray[np.int32]


_SAME_SEX, _OTHER_SEX, _UNKNOWN_SEX = (AGREEMENT_LEVELS.index(a) for a in AGREEMENT_LEVELS)
#: Sexes as bits: a listed identity may give several; anything but M and F shares one bit.
_SEX_BITS: Final = {"M": 1, "F": 2}
_OTHER_SEX_BIT: Final = 4


def needs_table(
    config: ScreenConfig,
    *,
    doc_levels_found: Collection[str] = (),
    commonness: float | FloatArray = 0.0,
) -> FloatArray:
    """The least name similarity with which a pair can still reach review, for every
    combination of the evidence the rows of :class:`ListedEvidence` tell apart.

    The other fields are taken at their most favourable: nationality at its best weight, a
    document number (where both sides hold one) at the best level the document channel does
    not find on its own (the pairs it finds are scored anyway). The commonness penalty applies
    at the given commonness of one side's name (a pair's is that of the commoner name), except
    where :func:`~paxscreen.score.score_pairs` waives it: for a near-exact name whose date of
    birth does not disagree (or a rare one whatever the date, the sex not differing), in full
    or in half for a date that agrees, and wholly where such a date holds the pair at review
    (the sex not differing). No need is below the name floors of the config:
    ``min_name_similarity``, or ``dated_name_similarity`` for a date that agrees.

    Args:
        config: The weights and thresholds.
        doc_levels_found: Document levels whose pairs are found from document numbers alone.
        commonness: The commonness (0..1) of one side's name, per name or one for all.

    Returns:
        An array of shape ``commonness.shape + (len(DOB_LEVELS), 2, 3)``: DOB level (position
        in :data:`~paxscreen.compare.dates.DOB_LEVELS`), whether both sides hold a document
        number, and sex agreement (position in ``AGREEMENT_LEVELS``); above 1 where no name
        can reach review.
    """
    penalty = np.maximum(config.frequency_penalty * np.asarray(commonness, np.float64), 0.0)
    penalty = penalty[..., None, None, None]
    nationality = max(config.nationality_weights.values())
    numbered = max(w for level, w in config.doc_weights.items() if level not in doc_levels_found)
    dob = np.array([config.dob_weights[level] for level in DOB_LEVELS])[:, None, None]
    doc = np.array([config.doc_weights["unknown"], numbered])[:, None]
    sex = np.array([config.sex_weights[sex] for sex in AGREEMENT_LEVELS])
    need = config.review_threshold - (dob + doc + sex + nationality)  # (DOB level, doc, sex)
    needed = need + penalty  # commonness in full
    # a near-exact name goes to review whatever its commonness, unless the dates disagree
    disagree = np.array([level == "mismatch" for level in DOB_LEVELS])[:, None, None]
    needed = np.where(
        disagree, needed, np.minimum(needed, np.maximum(need, config.near_exact_name))
    )
    # ... and a rare one whatever the dates, unless the sex differs
    other_sex = np.array([agreement == "different" for agreement in AGREEMENT_LEVELS])
    needed = np.where(
        disagree & (penalty == 0) & ~other_sex,
        np.minimum(needed, config.near_exact_name),
        needed,
    )
    # a date that agrees waives the penalty for a close name, and half of it for any; and
    # holds any name at review from the floor below on, unless the sex differs
    agree = np.array([level in _AGREEING_DOB for level in DOB_LEVELS])[:, None, None]
    waived = np.minimum(np.maximum(need, config.close_name), need + penalty / 2)
    waived = np.where(other_sex, waived, config.dated_name_similarity)
    out: FloatArray = np.where(agree, np.minimum(needed, waived), needed)
    # no name below min_name_similarity is scored, but with such a date from
    # dated_name_similarity on
    floor = np.where(agree, config.dated_name_similarity, config.min_name_similarity)
    return np.maximum(out, floor)


def _sex_bits(sexes: pl.Series) -> npt.NDArray[np.int8]:
    """The sexes of each row (a list of codes) as bits; 0 where none is known."""
    bits = sexes.list.eval(
        pl.element().replace_strict(_SEX_BITS, default=_OTHER_SEX_BIT, return_dtype=pl.Int8)
    )
    return bits.list.unique().list.sum().fill_null(0).to_numpy().astype(np.int8)


# A listed identity's evidence packed in 30 bits of a non-negative int32 (a row code), fields
# from the lowest bits: year, precision + 1 (0: unknown date), month, day, placeholder,
# document, sexes.
_YEAR_BITS, _PRECISION_AT, _MONTH_AT, _DAY_AT = 14, 14, 16, 20
_PLACEHOLDER_AT, _DOCUMENT_AT, _SEX_AT = 25, 26, 27
_UNKNOWN_DOB, _MISMATCH_DOB = DOB_LEVELS.index("unknown"), DOB_LEVELS.index("mismatch")


def _codes(dates: DateParts, documents: BoolArray, sexes: npt.NDArray[np.int8]) -> Int32Array:
    """The row code of each listed identity's date of birth, document and sexes."""
    year = np.clip(dates.year.astype(np.int64), 0, (1 << _YEAR_BITS) - 1)
    code = (
        year
        | (dates.precision.astype(np.int64) + 1) << _PRECISION_AT
        | dates.month.astype(np.int64) << _MONTH_AT
        | dates.day.astype(np.int64) << _DAY_AT
        | dates.placeholder.astype(np.int64) << _PLACEHOLDER_AT
        | np.asarray(documents, np.int64) << _DOCUMENT_AT
        | sexes.astype(np.int64) << _SEX_AT
    )
    return code.astype(np.int32)


@dataclass(frozen=True, slots=True, eq=False)
class ListedEvidence:
    """What the identities bearing each listed name bring besides the name: one row per
    (name, identity, date of birth), an undated identity having one row of unknown date, each
    row packed in one code (what :func:`row_needs` reads; the name index files the codes with
    its postings).

    Attributes:
        offsets: The rows of name ``i`` are ``offsets[i]:offsets[i + 1]``.
        codes: The code of each row: its date of birth, whether its identity lists a
            document number, the sexes it lists.
    """

    offsets: IntArray
    codes: Int32Array

    @classmethod
    def build(
        cls,
        dates: tuple[IntArray, DateParts],
        documents: BoolArray,
        sexes: pl.Series,
        name_entries: tuple[IntArray, IntArray],
    ) -> ListedEvidence:
        """The rows of every listed name.

        Args:
            dates: The dates of birth of each identity, as compressed rows (``entry`` order).
            documents: Whether each identity lists a document number.
            sexes: The sexes each identity lists (a list of codes per identity).
            name_entries: The identities bearing each name, as compressed rows.
        """
        entry_offsets, flat = dates
        name_offsets, name_entry = name_entries
        dated = np.diff(entry_offsets)[name_entry]
        # an undated identity has one row, of unknown date (appended after the others)
        flat = DateParts(
            np.append(flat.year, 0),
            np.append(flat.month, 0),
            np.append(flat.day, 0),
            np.append(flat.precision, -1),
            np.append(flat.placeholder, False),
        )
        counts = np.maximum(dated, 1)
        rows = concat_ranges(
            np.where(dated > 0, entry_offsets[name_entry], len(flat.year) - 1), counts
        )
        owner = np.repeat(name_entry, counts)
        name_of = np.repeat(np.arange(len(name_offsets) - 1), np.diff(name_offsets))
        offsets = np.zeros(len(name_offsets), dtype=np.int64)
        np.cumsum(np.bincount(name_of, weights=counts, minlength=len(offsets) - 1), out=offsets[1:])
        return cls(
            offsets=offsets,
            codes=_codes(
                flat.take(rows), np.asarray(documents, bool)[owner], _sex_bits(sexes)[owner]
            ),
        )


@dataclass(frozen=True, slots=True, eq=False)
class TravellerEvidence:
    """What each traveller brings besides the name, as :func:`row_needs` reads it (made once
    per batch: the index asks for needs part after part).

    Attributes:
        born: The date of birth's parts (see :class:`~paxscreen.compare.dates.DateParts`):
            year, month, day and precision as int64, and whether it is a placeholder.
        documents: Whether the traveller holds a document number.
        sex: The sex as a bit (0: unknown, or X).
    """

    born: tuple[IntArray, IntArray, IntArray, IntArray, BoolArray]
    documents: BoolArray
    sex: IntArray

    @classmethod
    def of(
        cls, dates: DateParts, sexes: Sequence[str | None], documents: BoolArray
    ) -> TravellerEvidence:
        """The evidence of travellers with these dates of birth, sexes (codes; X is
        unknown) and whether each holds a document number."""
        bits = [0 if sex in (None, "X") else _SEX_BITS.get(sex, _OTHER_SEX_BIT) for sex in sexes]
        born = (
            dates.year.astype(np.int64),
            dates.month.astype(np.int64),
            dates.day.astype(np.int64),
            dates.precision.astype(np.int64),
            dates.placeholder.astype(np.bool_),
        )
        return cls(born, np.asarray(documents, bool), np.array(bits, dtype=np.int64))


def row_needs(
    table: FloatArray, travellers: TravellerEvidence, query: IntArray, codes: Int32Array
) -> FloatArray:
    """The need of traveller ``query[k]`` against the listed identity of row code ``codes[k]``
    (:class:`ListedEvidence`), for each k: what :func:`needs_table` gives for their evidence
    (in a compiled loop). A pair of names needs the least of its name's rows' needs.

    Args:
        table: :func:`needs_table`, per traveller.
        travellers: The travellers' evidence.
        query: Traveller positions.
        codes: Listed rows' codes, as many.
    """
    return _row_needs(
        np.ascontiguousarray(table, dtype=np.float64),
        travellers.born,
        (travellers.documents, travellers.sex),
        np.asarray(query, dtype=np.int64),
        np.asarray(codes, dtype=np.int32),
    )


@kernel
def _row_needs(
    table: FloatArray,
    born: tuple[IntArray, IntArray, IntArray, IntArray, BoolArray],
    held: tuple[BoolArray, IntArray],
    query: IntArray,
    codes: Int32Array,
) -> FloatArray:
    """:func:`row_needs` of the travellers' dates of birth (``born``: the parts of
    :class:`~paxscreen.compare.dates.DateParts`) and documents and sex bits (``held``)."""
    years, months, days, precisions, placeholders = born
    documents, sexes = held
    out = np.empty(len(codes))
    for k in range(len(codes)):
        who = query[k]
        code = np.int64(codes[k])
        year = code & ((1 << _YEAR_BITS) - 1)
        precision = ((code >> _PRECISION_AT) & 3) - 1
        month, day = (code >> _MONTH_AT) & 15, (code >> _DAY_AT) & 31
        if precision < 0 or precisions[who] < 0:
            level = _UNKNOWN_DOB
        elif abs(year - years[who]) > 1 and not (month == months[who] and day == days[who]):
            # (years apart but one keystroke needs the same month and day)
            level = _MISMATCH_DOB
        else:
            level = _level_code(
                (years[who], months[who], days[who], precisions[who], placeholders[who]),
                (
                    int(year),
                    int(month),
                    int(day),
                    int(precision),
                    (code >> _PLACEHOLDER_AT) & 1 == 1,
                ),
            )
        listed_sexes = (code >> _SEX_AT) & 7
        if sexes[who] == 0 or listed_sexes == 0:
            sex = _UNKNOWN_SEX
        else:
            sex = _SAME_SEX if sexes[who] & listed_sexes else _OTHER_SEX
        numbered = 1 if documents[who] and (code >> _DOCUMENT_AT) & 1 else 0
        out[k] = table[who, level, numbered, sex]
    return out
