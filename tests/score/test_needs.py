"""The per-pair floor of name similarity: a table no scored pair falls below, and the most
favourable identity of a name."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import polars as pl
import pytest

from paxscreen.compare.dates import DOB_LEVELS, DateParts, DobLevel
from paxscreen.compare.documents import AGREEMENT, AGREEMENT_LEVELS, DOC_LEVEL, DOC_LEVELS
from paxscreen.config import ScreenConfig
from paxscreen.index.names import NameIndex
from paxscreen.normalize.dates import partial_date
from paxscreen.normalize.names import name_batch
from paxscreen.score import score_pairs
from paxscreen.score._needs import ListedEvidence, TravellerEvidence, needs_table, row_needs

FOUND = ("exact", "confusable", "leading_zeros")  # as the Screener's document channel
COMMONNESS = (0.0, 0.3, 0.7, 1.0)
SIMILARITIES = np.round(np.arange(0.5, 1.0001, 0.005), 3)


# ---------------------------------------------------------------------------------------------
# The table


@pytest.mark.parametrize("near_exact", [0.95, 2.0])
@pytest.mark.parametrize("close_name", [0.9, 1.0])
def test_no_pair_below_the_table_reaches_review(near_exact: float, close_name: float) -> None:
    config = ScreenConfig(near_exact_name=near_exact, close_name=close_name)
    evidence = list(
        itertools.product(
            DOB_LEVELS,
            [level for level in DOC_LEVELS if level not in FOUND],
            AGREEMENT_LEVELS,
            AGREEMENT_LEVELS,
            COMMONNESS,
        )
    )
    frame = pl.DataFrame(
        [(s, *row) for s in SIMILARITIES for row in evidence],
        schema={
            "name_similarity": pl.Float64,
            "dob_level": DobLevel,
            "doc_level": DOC_LEVEL,
            "nationality_agreement": AGREEMENT,
            "sex_agreement": AGREEMENT,
            "name_commonness": pl.Float64,
        },
        orient="row",
    )
    hits = score_pairs(frame, config=config)
    assert 0 < hits.height < frame.height
    table = needs_table(config, doc_levels_found=FOUND, commonness=np.array(COMMONNESS))
    floor = table[
        [COMMONNESS.index(c) for c in hits["name_commonness"]],
        [DOB_LEVELS.index(level) for level in hits["dob_level"]],
        [int(level != "unknown") for level in hits["doc_level"]],
        [AGREEMENT_LEVELS.index(a) for a in hits["sex_agreement"]],
    ]
    below = hits.filter(pl.Series(hits["name_similarity"].to_numpy() < floor - 1e-9))
    assert below.is_empty(), below.head(3).to_dicts()
    # and the floor is tight somewhere: pairs at it reach review
    assert (np.abs(hits["name_similarity"].to_numpy() - floor) < 0.005).any()


def test_a_date_years_apart_needs_more_than_an_exact_one() -> None:
    table = needs_table(ScreenConfig(), doc_levels_found=FOUND)
    exact, mismatch, unknown = (DOB_LEVELS.index(x) for x in ("exact", "mismatch", "unknown"))
    same, other = AGREEMENT_LEVELS.index("same"), AGREEMENT_LEVELS.index("different")
    assert table[exact, 0, same] < table[unknown, 0, same] < table[mismatch, 0, same]
    assert table[mismatch, 1, same] < table[mismatch, 0, same]  # a number could still agree
    assert table[exact, 0, other] > table[exact, 0, same]


# ---------------------------------------------------------------------------------------------
# Pairs


def test_a_pair_needs_what_its_most_favourable_identity_needs() -> None:
    # identity 0: 1960-05-05, M; 1: 1975-03-07 and 1931, F, a number; 2: nothing; 3:
    # 1975-03-07, M or F
    dates = pl.Series(["1960-05-05", "1975-03-07", "1931", "1975-03-07"])
    entry_dates = (
        np.array([0, 1, 3, 3, 4]),
        DateParts.of_partial(dates.to_frame("d").select(partial_date("d"))["d"]),
    )
    sexes = pl.Series([["M"], ["F"], [], ["M", "F"]], dtype=pl.List(pl.String))
    documents = np.array([False, True, False, False])
    # name 0: identities 0 and 1; name 1: identity 2 (undated); name 2: identities 0 and 3
    listed = ListedEvidence.build(
        entry_dates, documents, sexes, (np.array([0, 2, 3, 5]), np.array([0, 1, 2, 0, 3]))
    )
    assert listed.offsets.tolist() == [0, 3, 4, 6]
    travellers = TravellerEvidence.of(
        DateParts.of_dates(np.array(["1975-03-07", "NaT"], dtype="datetime64[D]")),
        ["M", None],
        np.array([True, False]),
    )
    config = ScreenConfig()
    table = needs_table(config, doc_levels_found=FOUND, commonness=np.zeros(2))

    def need(q: int, level: str, documents: int, sex: str) -> float:
        return float(table[q, DOB_LEVELS.index(level), documents, AGREEMENT_LEVELS.index(sex)])

    # every row against each traveller
    query = np.repeat([0, 1], 6)
    got = row_needs(table, travellers, query, np.tile(listed.codes, 2))
    assert got.tolist() == pytest.approx(
        [
            need(0, "mismatch", 0, "same"),
            # an exact date, both hold numbers, but the listed sex differs
            need(0, "exact", 1, "different"),
            need(0, "mismatch", 1, "different"),  # 1931, a year alone
            need(0, "unknown", 0, "unknown"),
            need(0, "mismatch", 0, "same"),
            need(0, "exact", 0, "same"),
        ]
        # an undated traveller without a number
        + [need(1, "unknown", 0, "unknown")] * 6
    )
    # the name index, given the rows, asks each pair of names the least of its rows
    index = NameIndex(name_batch(["A B", "C D", "E F"]), rows=(listed.offsets, listed.codes))
    pairs = index._needs(
        np.array([0, 0, 0, 1]),
        np.array([0, 1, 2, 0]),
        functools.partial(row_needs, table, travellers),
    )
    assert pairs.tolist() == pytest.approx(
        [
            min(need(0, "exact", 1, "different"), need(0, "mismatch", 0, "same")),
            need(0, "unknown", 0, "unknown"),
            min(need(0, "exact", 0, "same"), need(0, "mismatch", 0, "same")),
            need(1, "unknown", 0, "unknown"),
        ]
    )
