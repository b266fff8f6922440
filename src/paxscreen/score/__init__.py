"""Scores an officer can read: evidence per field, summed, banded, and said in words.

A hit's score is the **name similarity** (0..1, :mod:`paxscreen.compare.names`) plus one
contribution per further field, each looked up in :class:`~paxscreen.config.ScreenConfig`:

- **date of birth**, by level (:mod:`paxscreen.compare.dates`): an exact date adds, a date
  years apart subtracts most, an unknown date subtracts a little (nothing corroborates);
- **document number** on the listed identity against the traveller's documents, by level
  (:mod:`paxscreen.compare.documents`): exact, confusable or leading zeros add much, one edit
  little (number spaces are dense);
- **nationality** and **sex**: agreement adds a little, disagreement subtracts;
- **name commonness**: minus ``frequency_penalty`` times the commonness (0..1) of the names,
  from how many listed names are expected to bear them (their tokens' frequency among the
  other names seen, list and travellers, times the size of the list; a token no other name
  holds is taken to be rare; a pair compared on skeletons, a name from an abjad on either
  side, is as common as its skeletons at least: :mod:`paxscreen.score._commonness`), unless
  a matching document number, or an exact (or day/month-swapped) date of birth with a name
  at least ``close_name`` similar, corroborates the name; a date that agrees with a looser
  name match takes half the penalty away (a list of a million people holds dozens
  born on any given day, so a merely similar common name with the same date is still likely
  someone else). The same name (similarity 1: every token equal, in any order; where
  ``near_exact_name`` is at most 1) takes half the penalty away with a date that agrees as
  far as the list knows it (a listed year of birth alone that agrees) or a full date one year
  off with day and month agreeing (a slip of the pen in the year), unless nationality or sex
  differs: all the list says agrees, but one person in sixty shares a year of birth, so it
  corroborates half as much as an exact date, and a field that disagrees cancels it (an exact
  common name with an agreeing year-only date and another nationality alerted on fresh
  generated flights). (A date one digit apart does not: on generated flights it was how the
  commonest Chinese and Vietnamese names alerted against namesakes; and a merely similar name
  with such a date is as likely a namesake, issue 4.) A common name needs that corroboration
  to reach the alert band; a rare one does not.

The sum is clipped to 0..1. A name less similar than ``min_name_similarity`` is no name match:
the pair is no hit unless a full date of birth agrees (exactly, or with day and month swapped)
and the name is at least ``dated_name_similarity`` similar. Such a date holds any name from
that similarity on at review at least, where neither nationality nor sex differs (one listed
person in some twenty thousand shares a date of birth: a name mangled by two typos or another
romanisation is worth a look), and the default weights keep it below alert but for a rare name
just under the floor or a document number that corroborates it (a matching document number
keeps any pair in review, below). Where a rule holds a pair at review above what its evidence
sums to, the difference is a reason of its own (``held at review for the date of birth``). For
a near-exact name (similarity at least ``near_exact_name``) commonness decides the band, not
whether an officer sees it: where the date of birth does not speak against the pair (any level
but ``mismatch``) and the other evidence reaches review, the commonness penalty lowers the
score to the review threshold at most. So the same name with an unknown date of birth is worth
a look (an alert needs more than the name), but for a name at least ``lone_name_commonness``
common, which then needs the nationality to agree: with nothing else to tell them apart, a name
that many listed people bear is no reason to stop a traveller. A weaker name match of a common
name is no hit without corroboration.
Against a date of birth that disagrees the penalty applies in full: a namesake of a common name
born years apart is no hit, while a rare name is still worth a look (lists often carry
approximate dates): a near-exact rare name (no commonness penalty) with a date years off is in
review at least where the nationality does not disagree, and with no date of birth at all
whatever the nationality says; never where the sex differs. A document number that matches
exactly (or up to OCR look-alikes or leading zeros) keeps the pair at least in review whatever
the name says. Scores at or above ``alert_threshold`` are ``alert``; at or above
``review_threshold``, ``review``; lower pairs are not hits. Each hit carries its evidence
columns and ``reasons``: one short sentence per field that moved the score, with its
contribution. Nothing is learnt from data: the weights are human-set configuration, covered by
:meth:`~paxscreen.config.ScreenConfig.config_hash`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen.compare.dates import DOB_LEVELS, DobLevel
from paxscreen.compare.documents import AGREEMENT, AGREEMENT_LEVELS, DOC_LEVEL, DOC_LEVELS
from paxscreen.config import ScreenConfig

__all__ = [
    "BANDS",
    "EVIDENCE",
    "Evidence",
    "explain_evidence",
    "score_document_matches",
    "score_evidence",
    "score_pairs",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The bands of a hit, strongest first.
BANDS: Final = pl.Enum(["alert", "review"])

#: The evidence columns :func:`score_pairs` reads, and their types.
EVIDENCE: Final = pl.Schema(
    {
        "name_similarity": pl.Float64(),
        "dob_level": DobLevel,
        "doc_level": DOC_LEVEL,
        "nationality_agreement": AGREEMENT,
        "sex_agreement": AGREEMENT,
        "name_commonness": pl.Float64(),
    }
)

_DOB_WORDS: Final = {
    "exact": "date of birth exact",
    "day_month_swapped": "date of birth with day and month swapped",
    "same_month_year": "date of birth in the same month",
    "same_year": "year of birth agrees",
    "one_year_apart": "year of birth one year apart",
    "one_digit": "date of birth one digit apart",
    "placeholder_same_year": "year of birth agrees (1 January placeholder)",
    "nearby_year": "year of birth one year apart (the list knows the year only)",
    "mismatch": "date of birth differs",
    "unknown": "date of birth unknown",
}
_DOC_WORDS: Final = {
    "exact": "document number exact",
    "confusable": "document number equal up to OCR look-alikes",
    "leading_zeros": "document number equal up to leading zeros",
    "transposition": "document number with two characters swapped",
    "one_edit": "document number one character apart",
    "mismatch": "document number differs",
}
_AGREEMENT_WORDS: Final = {"same": "agrees", "different": "differs"}
_ISSUER_WORDS: Final = {**_AGREEMENT_WORDS, "unknown": "unknown"}


#: The DOB levels that corroborate a name (with ``close_name``, see :func:`score_evidence`).
_AGREEING_DOB: Final = frozenset({"exact", "day_month_swapped"})
#: The DOB levels that take half the commonness penalty from the same name (similarity 1): a
#: listed year of birth that agrees (all a year-only list knows), and a full date one year off
#: with day and month agreeing (a slip of the pen in the year).
_AGREEING_AS_FAR_AS_KNOWN: Final = frozenset({"same_year", "one_year_apart"})
#: The document levels that keep a pair in review whatever the name says, and corroborate it.
_DOC_LEVELS_STRONG: Final = ("exact", "confusable", "leading_zeros")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Compared pairs as arrays, one element per (traveller, listed identity) pair: what
    :func:`score_evidence` reads (the :data:`EVIDENCE` columns, as numbers).

    Attributes:
        name_similarity: float64; NaN where the pair came from a document number alone.
        dob_level: Positions in :data:`~paxscreen.compare.dates.DOB_LEVELS`.
        doc_level: Positions in :data:`~paxscreen.compare.documents.DOC_LEVELS`.
        nationality_agreement: Positions in
            :data:`~paxscreen.compare.documents.AGREEMENT_LEVELS`.
        sex_agreement: Positions in :data:`~paxscreen.compare.documents.AGREEMENT_LEVELS`.
        name_commonness: float64, 0..1 (NaN counts as 0 and is not explained).
    """

    name_similarity: FloatArray
    dob_level: IntArray
    doc_level: IntArray
    nationality_agreement: IntArray
    sex_agreement: IntArray
    name_commonness: FloatArray

    @classmethod
    def of_frame(cls, pairs: pl.DataFrame) -> Evidence:
        """The evidence of a frame with the :data:`EVIDENCE` columns (levels as their enums
        or as their names)."""

        def codes(column: str) -> IntArray:
            return pairs.get_column(column).cast(EVIDENCE[column]).to_physical().to_numpy()

        def numbers(column: str) -> FloatArray:
            values = pairs.get_column(column).cast(pl.Float64).fill_null(np.nan)
            return values.to_numpy().astype(np.float64)

        return cls(
            numbers("name_similarity"),
            codes("dob_level"),
            codes("doc_level"),
            codes("nationality_agreement"),
            codes("sex_agreement"),
            numbers("name_commonness"),
        )

    def take(self, rows: IntArray) -> Evidence:
        """Pairs ``rows``."""
        return Evidence(*(getattr(self, f.name)[rows] for f in fields(self)))


class _Terms(NamedTuple):
    """What each field adds to the score of each pair, and the score."""

    dob: FloatArray
    doc: FloatArray
    nationality: FloatArray
    sex: FloatArray
    frequency: FloatArray
    held: FloatArray
    score: FloatArray


def _weights(weights: Mapping[str, float], levels: Sequence[str]) -> FloatArray:
    return np.array([weights[level] for level in levels], dtype=np.float64)


def _among(levels: Sequence[str], chosen: Collection[str]) -> npt.NDArray[np.bool_]:
    """Whether each level (by position) is one of ``chosen``."""
    return np.array([level in chosen for level in levels])


_STRONG_DOCUMENT: Final = _among(DOC_LEVELS, _DOC_LEVELS_STRONG)
_DOB_AGREES: Final = _among(DOB_LEVELS, _AGREEING_DOB)
_DOB_AGREES_AS_FAR_AS_KNOWN: Final = _among(DOB_LEVELS, _AGREEING_AS_FAR_AS_KNOWN)
_DOB_MISMATCH: Final = DOB_LEVELS.index("mismatch")
_DOB_UNKNOWN: Final = DOB_LEVELS.index("unknown")
_DIFFERENT: Final = AGREEMENT_LEVELS.index("different")
_SAME: Final = AGREEMENT_LEVELS.index("same")


def _terms(evidence: Evidence, config: ScreenConfig) -> _Terms:
    """The contributions and the score (see the module docstring)."""
    name = np.nan_to_num(evidence.name_similarity, nan=0.0)
    dob = _weights(config.dob_weights, DOB_LEVELS)[evidence.dob_level]
    doc = _weights(config.doc_weights, DOC_LEVELS)[evidence.doc_level]
    nationality = _weights(config.nationality_weights, AGREEMENT_LEVELS)[
        evidence.nationality_agreement
    ]
    sex = _weights(config.sex_weights, AGREEMENT_LEVELS)[evidence.sex_agreement]
    strong_document = _STRONG_DOCUMENT[evidence.doc_level]
    dob_agrees = _DOB_AGREES[evidence.dob_level]
    commonness = np.nan_to_num(evidence.name_commonness, nan=0.0)
    penalty = -config.frequency_penalty * commonness
    others = name + dob + doc + nationality + sex
    # commonness decides whether a near-exact name may alert, not whether it is seen: unless
    # the date of birth disagrees, it lowers a pair the other evidence puts in review no
    # further than the review threshold; but a name that common with no date to compare
    # needs the nationality to agree
    # (compared as scores are, to four decimals: 1.0 - 0.15 - 0.05 is 0.8 to an officer)
    lone = (
        (evidence.dob_level == _DOB_UNKNOWN)
        & (evidence.nationality_agreement != _SAME)
        & (commonness >= config.lone_name_commonness)
    )
    kept = (
        (evidence.dob_level != _DOB_MISMATCH)
        & (name >= config.near_exact_name)
        & (np.round(others, 4) >= config.review_threshold)
        & ~lone
    )
    frequency = np.where(
        strong_document | (dob_agrees & (name >= config.close_name)),
        0.0,
        np.where(
            dob_agrees,
            penalty / 2,
            np.where(kept, np.maximum(penalty, config.review_threshold - others), penalty),
        ),
    )
    # the same name with a date that agrees as far as the list knows it (or a year off by a
    # slip), nationality and sex not disagreeing, takes half the penalty; it never lowers a
    # pair (the floor of ``kept`` stays), so whether a pair reaches review does not change,
    # only whether it alerts
    same_name = (name >= 1.0) & (name >= config.near_exact_name)
    nothing_differs = (evidence.nationality_agreement != _DIFFERENT) & (
        evidence.sex_agreement != _DIFFERENT
    )
    frequency = np.where(
        same_name & nothing_differs & _DOB_AGREES_AS_FAR_AS_KNOWN[evidence.dob_level],
        np.maximum(frequency, penalty / 2),
        frequency,
    )
    summed = np.clip(others + frequency, 0.0, 1.0)
    total = summed
    # a near-exact rare name is worth a look: with no date of birth to tell them apart
    # whatever the nationality says (a listed person travels on another passport), with a
    # date years off where the nationality does not disagree (lists carry approximate dates);
    # never where the sex differs (UN-list persons missed on the screening benchmark, issue 4)
    seen = (evidence.dob_level == _DOB_UNKNOWN) | (
        (evidence.dob_level == _DOB_MISMATCH) & (evidence.nationality_agreement != _DIFFERENT)
    )
    total = np.where(
        seen
        & (name >= config.near_exact_name)
        & (penalty == 0)
        & (evidence.sex_agreement != _DIFFERENT),
        np.maximum(total, config.review_threshold),
        total,
    )
    # a date of birth that agrees holds a name match at review at least, unless nationality
    # or sex differs; a name below the floor is no name match, but with such a date from
    # dated_name_similarity on (as the index finds it)
    floor = np.where(dob_agrees, config.dated_name_similarity, config.min_name_similarity)
    total = np.where(
        dob_agrees & nothing_differs, np.maximum(total, config.review_threshold), total
    )
    total = np.where(evidence.name_similarity < floor, 0.0, total)
    # a listed identity's document number in a traveller's hands is worth a look whatever
    # the name says
    total = np.where(strong_document, np.maximum(total, config.review_threshold), total)
    held = np.where(total > summed, total - summed, 0.0)
    return _Terms(dob, doc, nationality, sex, frequency, held, np.round(total, 4))


def score_evidence(evidence: Evidence, *, config: ScreenConfig) -> tuple[FloatArray, IntArray]:
    """Score and band compared pairs.

    Args:
        evidence: The pairs.
        config: The weights and thresholds.

    Returns:
        The score of each pair (0..1, four decimals) and its band as a position in
        :data:`BANDS` (0 ``alert``, 1 ``review``; -1 where the pair is no hit).
    """
    score = _terms(evidence, config).score
    band = np.where(
        score >= config.alert_threshold, 0, np.where(score >= config.review_threshold, 1, -1)
    )
    return score, band


def explain_evidence(evidence: Evidence, *, config: ScreenConfig) -> list[list[str]]:
    """The reasons of compared pairs: one short sentence per field that moved the score, with
    its contribution (``"date of birth exact (+0.15)"``), the name similarity first.

    Args:
        evidence: The pairs (usually the hits only: this runs in Python, pair by pair).
        config: The weights and thresholds.
    """
    terms = _terms(evidence, config)
    columns = (
        evidence.name_similarity.tolist(),
        evidence.dob_level.tolist(),
        evidence.doc_level.tolist(),
        evidence.nationality_agreement.tolist(),
        evidence.sex_agreement.tolist(),
        evidence.name_commonness.tolist(),
        *(part.tolist() for part in terms[:6]),
    )
    out = []
    for name, dob, doc, nationality, sex, commonness, *contributions in zip(*columns, strict=True):
        said = [
            _DOB_WORDS[DOB_LEVELS[dob]],
            _DOC_WORDS.get(DOC_LEVELS[doc]),
            f"nationality {_AGREEMENT_WORDS.get(AGREEMENT_LEVELS[nationality], 'unknown')}",
            f"sex {_AGREEMENT_WORDS.get(AGREEMENT_LEVELS[sex], 'unknown')}",
            None if math.isnan(commonness) else f"common name (commonness {_two(commonness)})",
            _held_words(dob, doc),
        ]
        reasons = [] if math.isnan(name) else [f"name similarity {_two(name)}"]
        for text, contribution in zip(said, contributions, strict=True):
            if text is None or contribution == 0:
                continue
            shown = _two(contribution)
            if float(shown) != 0:  # (what prints as 0 moved nothing)
                reasons.append(f"{text} ({'+' if contribution > 0 else ''}{shown})")
        out.append(reasons)
    return out


def _held_words(dob: int, doc: int) -> str:
    """Which rule holds a pair at review above what its evidence sums to (see
    :func:`_terms`): a listed document number, a date of birth that agrees, or else a rare
    near-exact name."""
    if _STRONG_DOCUMENT[doc]:
        return "held at review for the document number"
    if _DOB_AGREES[dob]:
        return "held at review for the date of birth"
    return "held at review for a rare near-exact name"


def _two(value: float) -> str:
    """A number rounded to two decimals as polars rounds (half to even on the scaled value)
    and prints it (the shortest repr: ``1.0``, ``0.15``, ``-0.0``)."""
    scaled = value * 100.0
    if not math.isfinite(scaled):
        return repr(scaled / 100.0)
    # np.round(value, 2) is rint(value * 100) / 100; Python's round is rint (half to even)
    # but returns an int, which drops the sign of -0.0, and is ten times cheaper per value
    return repr(math.copysign(float(round(scaled)), scaled) / 100.0)


_BAND_VALUES: Final = pl.Series(BANDS.categories, dtype=BANDS)


def score_pairs(pairs: pl.DataFrame, *, config: ScreenConfig) -> pl.DataFrame:
    """Score, band and explain compared pairs (:func:`score_evidence` and
    :func:`explain_evidence` on a frame).

    Args:
        pairs: One row per (traveller, listed identity) with the :data:`EVIDENCE` columns
            (other columns are kept). A null name similarity means the pair came from a
            document number alone.
        config: The weights and thresholds.

    Returns:
        The pairs at or above the review threshold, with ``score`` (0..1), ``reasons`` (list
        of strings) and ``band`` (:data:`BANDS`) added.
    """
    evidence = Evidence.of_frame(pairs)
    score, band = score_evidence(evidence, config=config)
    hits = np.flatnonzero(band >= 0)
    return pairs[hits].with_columns(
        score=pl.Series(score[hits], dtype=pl.Float64),
        reasons=pl.Series(
            explain_evidence(evidence.take(hits), config=config), dtype=pl.List(pl.String)
        ),
        band=_BAND_VALUES.gather(pl.Series(band[hits], dtype=pl.UInt32)),
    )


def score_document_matches(matches: pl.DataFrame, *, config: ScreenConfig) -> pl.DataFrame:
    """Score, band and explain travellers' document numbers found on a lost/stolen list.

    The score is ``listed_document_scores`` of the match level plus the issuing state's and
    the document type's contributions (``listed_document_issuer_weights``,
    ``listed_document_type_weights``), clipped to 0..1, banded like name hits. With the
    default weights an exact, look-alike or leading-zero match under the same (or an unknown)
    issuer alerts; a transposition or one-edit match, or a number found under another issuer,
    goes to review; a one-edit match under another issuer is no hit.

    Args:
        matches: Rows as :meth:`paxscreen.index.documents.DocumentIndex.lookup` returns them
            (``level``, ``issuer_agreement``, ``type_agreement``, ``status``; other columns
            are kept).
        config: The weights and thresholds.

    Returns:
        The matches at or above the review threshold, with ``score``, ``band`` and
        ``reasons`` added.
    """

    # (row by row in Python: a flight finds a few such numbers, and polars expressions cost
    # milliseconds to plan whatever the rows; one traveller at the counter waits for them)
    scores: list[float] = []
    reasons: list[list[str]] = []
    bands: list[str | None] = []
    for level, same_issuer, same_type, status in zip(
        matches.get_column("level").cast(pl.String).to_list(),
        matches.get_column("issuer_agreement").to_list(),
        matches.get_column("type_agreement").to_list(),
        matches.get_column("status").to_list(),
        strict=True,
    ):
        issuer, doc_type = _agreement(same_issuer), _agreement(same_type)
        base = config.listed_document_scores[level]
        issuer_weight = config.listed_document_issuer_weights[issuer]
        type_weight = config.listed_document_type_weights[doc_type]
        status = "status not given" if status is None else status
        said = [f"{_DOC_WORDS[level]} on the document list ({status}) ({_two(base)})"]
        for text, contribution in (
            (f"issuing state {_ISSUER_WORDS[issuer]}", issuer_weight),
            (f"document type {_AGREEMENT_WORDS.get(doc_type, doc_type)}", type_weight),
        ):
            if contribution != 0:
                said.append(f"{text} ({'+' if contribution > 0 else ''}{_two(contribution)})")
        score = float(np.round(min(max(base + issuer_weight + type_weight, 0.0), 1.0), 4))
        scores.append(score)
        reasons.append(said)
        bands.append(
            "alert"
            if score >= config.alert_threshold
            else "review"
            if score >= config.review_threshold
            else None
        )
    scored = matches.with_columns(
        score=pl.Series(scores, dtype=pl.Float64),
        reasons=pl.Series(reasons, dtype=pl.List(pl.String)),
        band=pl.Series(bands, dtype=BANDS),
    )
    if all(band is not None for band in bands):
        return scored
    return scored.filter(pl.Series([band is not None for band in bands], dtype=pl.Boolean))


def _agreement(flag: bool | None) -> str:
    """``same``, ``different`` or ``unknown``, of a flag of agreement (null: unknown)."""
    return "unknown" if flag is None else "same" if flag else "different"
