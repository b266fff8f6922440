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
:func:`pair_needs` looks each pair's rows up in it. Nationality is taken at its best weight (it
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

from paxscreen._jit import kernel, prefetch
from paxscreen.compare.dates import DOB_LEVELS, DateParts, _level_code
from paxscreen.compare.documents import AGREEMENT_LEVELS
from paxscreen.config import ScreenConfig
from paxscreen.index._name_bounds import concat_ranges
from paxscreen.score import _AGREEING_DOB

__all__ = ["ListedEvidence", "TravellerEvidence", "needs_table", "pair_needs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Evidence = npt.NDArray[np.void]  # of EVIDENCE


_SAME_SEX, _OTHER_SEX, _UNKNOWN_SEX = (AGREEMENT_LEVELS.index(a) for a in AGREEMENT_LEVELS)
#: Sexes as bits: a listed identity may give several; anything but M and F shares one bit.
_SEX_BITS: Final = {"M": 1, "F": 2}
_OTHER_SEX_BIT: Final = 4
_AHEAD: Final = 16  # the compiled loop hints scattered rows this many pairs before reading them


def needs_table(
    config: ScreenConfig,
    *,
    doc_levels_found: Collection[str] = (),
    commonness: float | FloatArray = 0.0,
) -> FloatArray:
    """The least name similarity with which a pair can still reach review, for every
    combination of the evidence :func:`pair_needs` tells apart.

    The other fields are taken at their most favourable: nationality at its best weight, a
    document number (where both sides hold one) at the best level the document channel does
    not find on its own (the pairs it finds are scored anyway). The commonness penalty applies
    at the given commonness of one side's name (a pair's is that of the commoner name), except
    where :func:`~paxscreen.score.score_pairs` waives it: for a near-exact name whose date of
    birth does not disagree (or a rare one whatever the date, the sex not differing), and in
    full or in half for a date that agrees.

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
    # a date that agrees waives the penalty for a close name, and half of it for any
    agree = np.array([level in _AGREEING_DOB for level in DOB_LEVELS])[:, None, None]
    waived = np.minimum(np.maximum(need, config.close_name), need + penalty / 2)
    out: FloatArray = np.where(agree, np.minimum(needed, waived), needed)
    return out


def _sex_bits(sexes: pl.Series) -> npt.NDArray[np.int8]:
    """The sexes of each row (a list of codes) as bits; 0 where none is known."""
    bits = sexes.list.eval(
        pl.element().replace_strict(_SEX_BITS, default=_OTHER_SEX_BIT, return_dtype=pl.Int8)
    )
    return bits.list.unique().list.sum().fill_null(0).to_numpy().astype(np.int8)


#: The evidence of one identity (listed, or a traveller) as :func:`pair_needs` reads it, all
#: of it side by side (one read from memory): its date of birth's parts (see
#: :class:`~paxscreen.compare.dates.DateParts`), whether it holds a document number, and the
#: sexes it gives as bits (0: none).
EVIDENCE: Final = np.dtype(
    [
        ("year", np.int32),
        ("month", np.int8),
        ("day", np.int8),
        ("precision", np.int8),
        ("placeholder", np.bool_),
        ("document", np.bool_),
        ("sex", np.int8),
    ]
)


def _evidence(dates: DateParts, documents: BoolArray, sexes: npt.NDArray[np.int8]) -> Evidence:
    """The :data:`EVIDENCE` of each identity."""
    out = np.empty(len(documents), dtype=EVIDENCE)
    for name, values in zip(
        EVIDENCE.names or (),
        (*dates[:4], dates.placeholder, documents, sexes),
        strict=True,
    ):
        out[name] = values
    return out


@dataclass(frozen=True, slots=True, eq=False)
class ListedEvidence:
    """What the identities bearing each listed name bring besides the name: one row per
    (name, identity, date of birth), an undated identity having one row of unknown date.

    Attributes:
        offsets: The rows of name ``i`` are ``offsets[i]:offsets[i + 1]``.
        rows: The :data:`EVIDENCE` of each row: its date of birth, whether its identity lists
            a document number, the sexes it lists.
    """

    offsets: IntArray
    rows: Evidence

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
            rows=_evidence(
                flat.take(rows), np.asarray(documents, bool)[owner], _sex_bits(sexes)[owner]
            ),
        )


@dataclass(frozen=True, slots=True, eq=False)
class TravellerEvidence:
    """What each traveller brings besides the name.

    Attributes:
        dates: The date of birth.
        documents: Whether the traveller holds a document number.
        sex: The sex as a bit (0: unknown, or X).
    """

    dates: DateParts
    documents: BoolArray
    sex: npt.NDArray[np.int8]

    @classmethod
    def of(
        cls, dates: DateParts, sexes: Sequence[str | None], documents: BoolArray
    ) -> TravellerEvidence:
        """The evidence of travellers with these dates of birth, sexes (codes; X is
        unknown) and whether each holds a document number."""
        bits = [0 if sex in (None, "X") else _SEX_BITS.get(sex, _OTHER_SEX_BIT) for sex in sexes]
        return cls(dates, np.asarray(documents, bool), np.array(bits, dtype=np.int8))


def pair_needs(
    table: FloatArray,
    listed: ListedEvidence,
    travellers: TravellerEvidence,
    query: IntArray,
    names: IntArray,
) -> FloatArray:
    """The need of each pair (traveller ``query[k]``, listed name ``names[k]``): the least,
    over the name's rows, of what :func:`needs_table` gives for the evidence of the row (in a
    compiled loop, pair by pair; inf for a name without rows).

    Args:
        table: :func:`needs_table`, per traveller.
        listed: The listed names' evidence.
        travellers: The travellers' evidence.
        query: Traveller positions.
        names: Listed name positions.
    """
    return _pair_needs(
        np.ascontiguousarray(table, dtype=np.float64),
        listed.offsets,
        listed.rows,
        _evidence(travellers.dates, travellers.documents, travellers.sex),
        np.asarray(query, dtype=np.int64),
        np.asarray(names, dtype=np.int64),
    )


@kernel
def _pair_needs(
    table: FloatArray,
    offsets: IntArray,
    rows: Evidence,
    travellers: Evidence,
    query: IntArray,
    names: IntArray,
) -> FloatArray:
    """:func:`pair_needs` of the :data:`EVIDENCE` of the listed rows and of the
    travellers."""
    # where each name's rows are, first: reads independent of each other overlap (and the
    # scattered offsets and rows are hinted to the CPU _AHEAD pairs before they are read)
    first = np.empty(len(names), np.int64)
    last = np.empty(len(names), np.int64)
    for k in range(len(names)):
        if k + _AHEAD < len(names):
            prefetch(offsets, names[k + _AHEAD])
        first[k] = offsets[names[k]]
        last[k] = offsets[names[k] + 1]
    out = np.empty(len(names))
    for k in range(len(names)):
        if k + _AHEAD < len(names) and first[k + _AHEAD] < len(rows):
            prefetch(rows, first[k + _AHEAD])
        who = query[k]
        mine = travellers[who]
        born = (mine.year, mine.month, mine.day, mine.precision, mine.placeholder)
        best = np.inf
        for row in range(first[k], last[k]):
            theirs = rows[row]
            level = _level_code(
                born,
                (theirs.year, theirs.month, theirs.day, theirs.precision, theirs.placeholder),
            )
            if mine.sex == 0 or theirs.sex == 0:
                sex = _UNKNOWN_SEX
            else:
                sex = _SAME_SEX if mine.sex & theirs.sex else _OTHER_SEX
            numbered = 1 if mine.document and theirs.document else 0
            best = min(best, table[who, level, numbered, sex])
        out[k] = best
    return out
