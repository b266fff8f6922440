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
  estimated from how often their tokens occur among all names seen (list and travellers),
  unless a matching document number, or an exact (or day/month-swapped) date of birth with a
  name at least ``close_name`` similar, corroborates the name; a date that agrees with a
  looser name match takes half the penalty away (a list of a million people holds dozens
  born on any given day, so a merely similar common name with the same date is still likely
  someone else). A common name needs that corroboration to reach the alert band; a rare one
  does not.

The sum is clipped to 0..1. For a near-exact name (similarity at least ``near_exact_name``)
commonness decides the band, not whether an officer sees it: where the date of birth does not
speak against the pair (any level but ``mismatch``) and the other evidence reaches review, the
commonness penalty lowers the score to the review threshold at most. So the same name with an
unknown date of birth is always worth a look (an alert needs more than the name), while a
weaker name match of a common name is no hit without corroboration. Against a date of birth
that disagrees the penalty applies in full: a namesake of a common name born years apart is no
hit, while a rare name is still worth a look (lists often carry approximate dates). A document
number that matches exactly (or up to OCR look-alikes or leading zeros) keeps the pair at least
in review whatever the name says. Scores at or above ``alert_threshold`` are ``alert``; at or above
``review_threshold``, ``review``; lower pairs are not hits. Each hit carries its evidence columns
and ``reasons``: one short sentence per field that moved the score, with its contribution.
Nothing is learnt from data: the weights are human-set configuration, covered by
:meth:`~paxscreen.config.ScreenConfig.config_hash`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen.compare.dates import DobLevel
from paxscreen.compare.documents import AGREEMENT, DOC_LEVEL
from paxscreen.config import ScreenConfig

__all__ = [
    "BANDS",
    "EVIDENCE",
    "YEAR_CLASSES",
    "name_similarity_needed",
    "score_document_matches",
    "score_pairs",
]

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


def _band(config: ScreenConfig) -> pl.Expr:
    """``alert``, ``review`` or null (no hit), from ``score``."""
    return (
        pl.when(pl.col("score") >= config.alert_threshold)
        .then(pl.lit("alert", BANDS))
        .when(pl.col("score") >= config.review_threshold)
        .then(pl.lit("review", BANDS))
    )


def _lookup(column: str, weights: Mapping[str, float]) -> pl.Expr:
    return pl.col(column).cast(pl.String).replace_strict(weights, return_dtype=pl.Float64)


def _reason(text: pl.Expr, contribution: pl.Expr) -> pl.Expr:
    """``"text (+0.15)"``, or null when the contribution is zero."""
    signed = pl.format(
        "{} ({}{})",
        text,
        pl.when(contribution > 0).then(pl.lit("+")).otherwise(pl.lit("")),
        contribution.round(2),
    )
    return pl.when(contribution != 0).then(signed)


#: The DOB levels that corroborate a name (with ``close_name``, see :func:`score_pairs`).
_AGREEING_DOB: Final = frozenset({"exact", "day_month_swapped"})

#: What the years of birth of a pair allow, as candidate generation tells them apart: ``same``
#: (both known and equal), ``close`` (both known, one year or one digit apart), ``unknown``
#: (either side undated) and ``far`` (both known, anything else: only ``mismatch`` is possible).
YEAR_CLASSES: Final = ("same", "close", "unknown", "far")

_LEVELS_BY_YEARS: Final = {
    "same": (
        "exact",
        "day_month_swapped",
        "same_month_year",
        "same_year",
        "one_digit",
        "placeholder_same_year",
        "mismatch",
    ),
    "close": ("one_year_apart", "one_digit", "nearby_year", "mismatch"),
    "unknown": ("unknown",),
    "far": ("mismatch",),
}


def name_similarity_needed(
    config: ScreenConfig,
    *,
    doc_levels_found: Collection[str] = (),
    commonness: float | npt.NDArray[np.float64] = 0.0,
) -> dict[str, float | npt.NDArray[np.float64]]:
    """The least name similarity with which a pair can still reach the review band, for each
    of :data:`YEAR_CLASSES`: the review threshold less the most every other field could add.

    Candidate generation uses it to drop pairs no evidence could lift (a name match between
    two people born decades apart), so it assumes the most favourable nationality, sex and
    date level the class allows, and the best document level among those the document
    channel does not find on its own (the pairs it finds are scored anyway). The commonness
    penalty applies at least at the commonness of one side's name (a pair's is that of the
    commoner name), except to a near-exact name whose date of birth may still agree: that
    reaches review without it (:func:`score_pairs`).

    Args:
        config: The weights and thresholds.
        doc_levels_found: Document levels whose pairs are found from document numbers alone.
        commonness: The commonness (0..1) of one side's name, per name or for all.

    Returns:
        Class -> name similarity (an array where ``commonness`` is one); above 1 where no
        name can reach review.
    """
    others = (
        max(config.nationality_weights.values())
        + max(config.sex_weights.values())
        + max(w for level, w in config.doc_weights.items() if level not in doc_levels_found)
    )
    penalty = config.frequency_penalty * np.asarray(commonness, dtype=np.float64)
    out: dict[str, float | npt.NDArray[np.float64]] = {}
    penalty = np.maximum(penalty, 0.0)
    for year_class, levels in _LEVELS_BY_YEARS.items():
        dob = max(config.dob_weights[level] for level in levels)
        need = config.review_threshold - dob - others
        needed = need + penalty  # commonness in full
        if set(levels) != {"mismatch"}:  # a near-exact name goes to review whatever it is
            needed = np.minimum(needed, max(need, config.near_exact_name))
        if _AGREEING_DOB & set(levels):  # a date that agrees takes the penalty away from a
            # close name, half of it from any other (score_pairs)
            needed = np.minimum(
                needed, np.minimum(max(need, config.close_name), need + penalty / 2)
            )
        out[year_class] = needed
    return out


def score_pairs(pairs: pl.DataFrame, *, config: ScreenConfig) -> pl.DataFrame:
    """Score, band and explain compared pairs.

    Args:
        pairs: One row per (traveller, listed identity) with the :data:`EVIDENCE` columns
            (other columns are kept). A null name similarity means the pair came from a
            document number alone.
        config: The weights and thresholds.

    Returns:
        The pairs at or above the review threshold, with ``score`` (0..1), ``band``
        (:data:`BANDS`) and ``reasons`` (list of strings) added.
    """
    name = pl.col("name_similarity").fill_null(0.0)
    strong_document = pl.col("doc_level").is_in(["exact", "confusable", "leading_zeros"])
    dob_agrees = pl.col("dob_level").is_in(sorted(_AGREEING_DOB))
    # the contributions first, as columns: one expression of them all costs milliseconds to
    # plan, whatever the number of rows (one traveller at the counter)
    dob, doc, nationality, sex, evidence, penalty, frequency = (
        pl.col(f"_{part}")
        for part in ("dob", "doc", "nationality", "sex", "evidence", "penalty", "frequency")
    )
    # commonness decides whether a near-exact name may alert, not whether it is seen: unless
    # the date of birth disagrees, it lowers a pair the other evidence puts in review no
    # further than the review threshold
    # (compared as scores are, to four decimals: 1.0 - 0.15 - 0.05 is 0.8 to an officer)
    kept = (
        (pl.col("dob_level") != "mismatch")
        & (name >= config.near_exact_name)
        & (evidence.round(4) >= config.review_threshold)
    )
    total = (evidence + frequency).clip(0.0, 1.0)
    # a listed identity's document number in a traveller's hands is worth a look whatever
    # the name says
    total = (
        pl.when(strong_document)
        .then(pl.max_horizontal(total, config.review_threshold))
        .otherwise(total)
    )
    reasons = pl.concat_list(
        pl.format("name similarity {}", pl.col("name_similarity").round(2)),
        _reason(pl.col("dob_level").cast(pl.String).replace_strict(_DOB_WORDS), dob),
        _reason(pl.col("doc_level").cast(pl.String).replace_strict(_DOC_WORDS, default=None), doc),
        _reason(
            pl.format(
                "nationality {}",
                pl.col("nationality_agreement").cast(pl.String).replace(_AGREEMENT_WORDS),
            ),
            nationality,
        ),
        _reason(
            pl.format("sex {}", pl.col("sex_agreement").cast(pl.String).replace(_AGREEMENT_WORDS)),
            sex,
        ),
        _reason(
            pl.format("common name (commonness {})", pl.col("name_commonness").round(2)), frequency
        ),
    ).list.drop_nulls()
    return (
        pairs.with_columns(
            _dob=_lookup("dob_level", config.dob_weights),
            _doc=_lookup("doc_level", config.doc_weights),
            _nationality=_lookup("nationality_agreement", config.nationality_weights),
            _sex=_lookup("sex_agreement", config.sex_weights),
            _penalty=-config.frequency_penalty * pl.col("name_commonness").fill_null(0.0),
        )
        .with_columns(_evidence=name + dob + doc + nationality + sex)
        .with_columns(
            _frequency=pl.when(strong_document | (dob_agrees & (name >= config.close_name)))
            .then(0.0)
            .when(dob_agrees)
            .then(penalty / 2)
            .when(kept)
            .then(pl.max_horizontal(penalty, config.review_threshold - evidence))
            .otherwise(penalty)
        )
        .with_columns(score=total.round(4), reasons=reasons)
        .with_columns(band=_band(config))
        .filter(pl.col("band").is_not_null())
        .drop("_dob", "_doc", "_nationality", "_sex", "_penalty", "_evidence", "_frequency")
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

    def agreement(column: str) -> pl.Expr:
        flag = pl.col(column)
        return (
            pl.when(flag.is_null())
            .then(pl.lit("unknown"))
            .when(flag)
            .then(pl.lit("same"))
            .otherwise(pl.lit("different"))
        )

    issuer = agreement("issuer_agreement")
    doc_type = agreement("type_agreement")
    base = _lookup("level", config.listed_document_scores)
    issuer_weight = issuer.replace_strict(
        config.listed_document_issuer_weights, return_dtype=pl.Float64
    )
    type_weight = doc_type.replace_strict(
        config.listed_document_type_weights, return_dtype=pl.Float64
    )
    status = pl.col("status").fill_null("status not given")
    reasons = pl.concat_list(
        pl.format(
            "{} on the document list ({}) ({})",
            pl.col("level").cast(pl.String).replace_strict(_DOC_WORDS),
            status,
            base.round(2),
        ),
        _reason(pl.format("issuing state {}", issuer.replace(_ISSUER_WORDS)), issuer_weight),
        _reason(pl.format("document type {}", doc_type.replace(_AGREEMENT_WORDS)), type_weight),
    ).list.drop_nulls()
    total = (base + issuer_weight + type_weight).clip(0.0, 1.0).round(4)
    return (
        matches.with_columns(score=total, reasons=reasons)
        .with_columns(band=_band(config))
        .filter(pl.col("band").is_not_null())
    )
