"""Frozen option objects, passed keyword-only (``options=``, ``config=``).

Use :func:`dataclasses.replace` to derive a variant::

    opts = ParseOptions(strict=True)
    lenient = dataclasses.replace(opts, strict=False)
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Final

from paxscreen.errors import ConfigError

__all__ = ["ParseOptions", "ScreenConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseOptions:
    """How raw travel data is read.

    Attributes:
        strict: Raise :class:`~paxscreen.errors.ParseError` on every structural fault
            (wrappers, folded lines, bad service characters, characters outside the declared
            set, trailing text, mismatched references). The default lenient mode repairs what
            has a clear intent and records each repair as a row of ``issues``.
        counts_fatal: Also treat wrong UNT/UNE/UNZ counts as fatal in strict mode. Most real
            files carry wrong counts, so they are warnings by default.
        max_bytes: Refuse inputs larger than this (bytes).
        max_segments: Refuse EDIFACT interchanges with more segments than this.
        reference_date: The "today" of the two-digit-year century windows: dates of birth
            take the latest century that is not after it, expiry and flight dates the
            century that puts them within 50 years of it. ``None`` means the current date.
        fallback_encoding: Codec for bytes that the declared character set does not allow
            (lenient mode). ``cp1252`` is the usual culprit; old Mac files need
            ``mac_roman``.
    """

    strict: bool = False
    counts_fatal: bool = False
    max_bytes: int = 64 * 1024 * 1024
    max_segments: int = 5_000_000
    reference_date: date | None = None
    fallback_encoding: str = "cp1252"

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError("max_bytes must be positive")
        if self.max_segments <= 0:
            raise ConfigError("max_segments must be positive")
        try:
            codecs.lookup(self.fallback_encoding)
        except LookupError:
            raise ConfigError(f"unknown fallback_encoding {self.fallback_encoding!r}") from None

    def today(self) -> date:
        """The reference date of the century windows."""
        return self.reference_date if self.reference_date is not None else date.today()


#: What each date-of-birth level adds to a hit's score (see ``paxscreen.compare.dates``).
DOB_WEIGHTS: Final[Mapping[str, float]] = {
    "exact": 0.15,
    "day_month_swapped": 0.10,
    "same_month_year": 0.03,
    "same_year": 0.03,
    "one_year_apart": 0.05,
    "one_digit": 0.05,
    "placeholder_same_year": 0.0,
    "nearby_year": -0.05,
    "mismatch": -0.20,
    "unknown": -0.15,
}
#: What each document-number level adds (a number on the listed identity against the
#: traveller's documents; see ``paxscreen.compare.documents``).
DOC_WEIGHTS: Final[Mapping[str, float]] = {
    "exact": 0.30,
    "confusable": 0.25,
    "leading_zeros": 0.25,
    "transposition": 0.10,
    "one_edit": 0.05,
    "mismatch": -0.02,
    "unknown": 0.0,
}
#: The score of a traveller's document number found on a lost/stolen/revoked document list, by
#: match level (``paxscreen.index.documents``): a number an officer must look at even with
#: one character off, since keying and OCR slips are how a stolen passport gets through.
LISTED_DOCUMENT_SCORES: Final[Mapping[str, float]] = {
    "exact": 1.0,
    "confusable": 0.95,
    "leading_zeros": 0.95,
    "transposition": 0.85,
    "one_edit": 0.80,
}
#: What the issuing state's and the document type's agreement add to such a match: a number
#: found under another issuer is weaker evidence (number spaces of different states overlap),
#: not none. Keys ``same``, ``different``, ``unknown``.
LISTED_DOCUMENT_ISSUER_WEIGHTS: Final[Mapping[str, float]] = {
    "same": 0.0,
    "different": -0.15,
    "unknown": -0.05,
}
LISTED_DOCUMENT_TYPE_WEIGHTS: Final[Mapping[str, float]] = {
    "same": 0.0,
    "different": -0.05,
    "unknown": 0.0,
}
#: What nationality and sex agreement add: ``same``, ``different``, ``unknown``.
NATIONALITY_WEIGHTS: Final[Mapping[str, float]] = {"same": 0.02, "different": -0.05, "unknown": 0.0}
SEX_WEIGHTS: Final[Mapping[str, float]] = {"same": 0.0, "different": -0.15, "unknown": 0.0}


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreenConfig:
    """How travellers are scored against lists. Human-set and versioned: no weight is learnt.

    A hit's score is its name similarity plus the contributions of the other evidence, clipped
    to 0..1 (``paxscreen.score`` explains each term); the band follows from the thresholds.

    Attributes:
        alert_threshold: Scores at or above this are ``alert``.
        review_threshold: Scores at or above this (and below the alert threshold) are
            ``review``; lower scores are not reported.
        min_name_similarity: Name pairs below this are not scored at all (unless a document
            number on the listed identity matches, or ``dated_name_similarity``). It spares
            work; the score decides. Such a weak name reaches review only with a date of
            birth that agrees, which a typo in each token of a short name deserves (LIOING WI
            for LIPING WU is 0.745 similar; issue 4). Lower floors for every pair cost
            screening time for little (0.70 made the UN screening benchmark 70% slower and put
            one more innocent in review).
        dated_name_similarity: A pair whose full dates of birth agree (exactly, or with day
            and month swapped) is scored from this name similarity on, and only such a pair
            below ``min_name_similarity`` is: one listed person in some twenty thousand shares
            a traveller's date of birth, which makes a name mangled past the floor worth a
            look (HUILIN IU for HUILIN LIU, 0.71; XUE ZHHHU for XUE ZHU, 0.62; issue 4). Such
            a pair is held at review at least where neither nationality nor sex differs; the
            default weights keep it below alert (an exact date and the nationality add 0.17)
            unless the name is rare and within a hundredth of ``min_name_similarity``, or a
            document number corroborates it. At most ``min_name_similarity``.
        dob_weights: Contribution of each date-of-birth level.
        doc_weights: Contribution of each document-number level.
        nationality_weights: Contribution of nationality agreement.
        sex_weights: Contribution of sex agreement.
        frequency_penalty: Subtracted, times the name's commonness (0..1), from the score of a
            name match: a common name needs more corroboration than a rare one.
        listed_document_scores: Score of a traveller's document number found on the
            document list, by match level.
        listed_document_issuer_weights: Added to it by issuing-state agreement.
        listed_document_type_weights: Added to it by document-type agreement.
        close_name: A date of birth that agrees (exact, or day and month swapped) takes the
            commonness penalty away from a name match at least this similar, and half of it
            below (``paxscreen.score``).
        near_exact_name: A name similarity from which a name match is near-exact (the same
            name, or one slip of the pen away). Commonness then decides only whether it may
            alert: it never takes the pair below review unless the date of birth disagrees
            (see ``paxscreen.score``), or, for a name at least ``lone_name_commonness``
            common, there is no date of birth to compare and the nationality does not agree.
            Above 1, commonness may hide any name match.
        lone_name_commonness: From this commonness on, a near-exact name with no date of
            birth to compare (level ``unknown``) is held at review only where the
            nationality agrees: a name that many listed people bear, with nothing else to
            tell them apart, is no reason to stop a traveller (at a million identities it
            made a quarter of the innocent travellers' hits; issue 4). Above 1, never.
        common_name_bearers: A name that this many listed names or more are expected to
            bear, besides the pair's (its estimated frequency among the other names seen,
            :mod:`paxscreen.score._commonness`, times the number of listed names), has
            commonness 1: what makes false alerts is namesakes on the list, and a list of a
            million holds twenty times the namesakes a list of fifty thousand does.
        rare_name_bearers: A name expected this rarely or more rarely has commonness 0;
            commonness falls linearly in the logarithm in between. (The two were set as
            frequencies of 10^-5.5 and 10^-8.5 on generated lists of 85,000 names; issue 4.)
        max_hits_per_traveller: Keep at most this many best hits per traveller and list.
    """

    alert_threshold: float = 0.90
    review_threshold: float = 0.80
    min_name_similarity: float = 0.74
    dated_name_similarity: float = 0.60
    dob_weights: Mapping[str, float] = field(default_factory=lambda: DOB_WEIGHTS)
    doc_weights: Mapping[str, float] = field(default_factory=lambda: DOC_WEIGHTS)
    nationality_weights: Mapping[str, float] = field(default_factory=lambda: NATIONALITY_WEIGHTS)
    sex_weights: Mapping[str, float] = field(default_factory=lambda: SEX_WEIGHTS)
    listed_document_scores: Mapping[str, float] = field(
        default_factory=lambda: LISTED_DOCUMENT_SCORES
    )
    listed_document_issuer_weights: Mapping[str, float] = field(
        default_factory=lambda: LISTED_DOCUMENT_ISSUER_WEIGHTS
    )
    listed_document_type_weights: Mapping[str, float] = field(
        default_factory=lambda: LISTED_DOCUMENT_TYPE_WEIGHTS
    )
    frequency_penalty: float = 0.15
    close_name: float = 0.90
    near_exact_name: float = 0.95
    lone_name_commonness: float = 0.99
    common_name_bearers: float = 0.27
    rare_name_bearers: float = 0.00027
    max_hits_per_traveller: int = 10

    def __post_init__(self) -> None:
        if not 0.0 < self.review_threshold <= self.alert_threshold <= 1.0:
            raise ConfigError(
                "thresholds must satisfy 0 < review_threshold <= alert_threshold <= 1"
            )
        if not 0.0 < self.min_name_similarity <= 1.0:
            raise ConfigError("min_name_similarity must be in (0, 1]")
        if not 0.0 < self.dated_name_similarity <= self.min_name_similarity:
            raise ConfigError("dated_name_similarity must be in (0, min_name_similarity]")
        if not 0.0 < self.close_name <= 1.0:
            raise ConfigError("close_name must be in (0, 1]")
        if not self.near_exact_name > 0.0:
            raise ConfigError("near_exact_name must be positive")
        if not self.lone_name_commonness > 0.0:
            raise ConfigError("lone_name_commonness must be positive")
        if not 0.0 < self.rare_name_bearers < self.common_name_bearers:
            raise ConfigError("rare_name_bearers must be positive and below common_name_bearers")
        if self.max_hits_per_traveller < 1:
            raise ConfigError("max_hits_per_traveller must be at least 1")
        for name, weights, defaults in (
            ("dob_weights", self.dob_weights, DOB_WEIGHTS),
            ("doc_weights", self.doc_weights, DOC_WEIGHTS),
            ("nationality_weights", self.nationality_weights, NATIONALITY_WEIGHTS),
            ("sex_weights", self.sex_weights, SEX_WEIGHTS),
            ("listed_document_scores", self.listed_document_scores, LISTED_DOCUMENT_SCORES),
            (
                "listed_document_issuer_weights",
                self.listed_document_issuer_weights,
                LISTED_DOCUMENT_ISSUER_WEIGHTS,
            ),
            (
                "listed_document_type_weights",
                self.listed_document_type_weights,
                LISTED_DOCUMENT_TYPE_WEIGHTS,
            ),
        ):
            if set(weights) != set(defaults):
                raise ConfigError(f"{name} must give a weight for exactly: {sorted(defaults)}")
            object.__setattr__(self, name, dict(weights))  # a private copy

    def config_hash(self) -> str:
        """A short stable fingerprint of every setting (hex SHA-256, 16 characters)."""
        settings = {
            f.name: dict(v) if isinstance(v := getattr(self, f.name), Mapping) else v
            for f in fields(self)
        }
        text = json.dumps(settings, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
