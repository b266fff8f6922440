"""``name_similarity_needed`` is a floor candidate generation may prune by: no pair below it
reaches review, whatever its other evidence. Checked on every combination of levels."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest

from paxscreen.compare.dates import DOB_LEVELS, DobLevel
from paxscreen.compare.documents import AGREEMENT, DOC_LEVEL, DOC_LEVELS
from paxscreen.config import ScreenConfig
from paxscreen.score import _LEVELS_BY_YEARS as LEVELS_BY_YEARS
from paxscreen.score import YEAR_CLASSES, name_similarity_needed, score_pairs

FOUND = ("exact", "confusable", "leading_zeros")  # as the Screener's document channel
AGREEMENTS = ("same", "different", "unknown")
COMMONNESS = (0.0, 0.3, 0.7, 1.0)
SIMILARITIES = np.round(np.arange(0.5, 1.0001, 0.005), 3)


@pytest.mark.parametrize("near_exact", [0.95, 2.0])
@pytest.mark.parametrize("close_name", [0.9, 1.0])
def test_no_pair_below_the_floor_reaches_review(near_exact: float, close_name: float) -> None:
    config = ScreenConfig(near_exact_name=near_exact, close_name=close_name)
    evidence = list(
        itertools.product(
            DOB_LEVELS,
            [level for level in DOC_LEVELS if level not in FOUND],
            AGREEMENTS,
            AGREEMENTS,
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
    floors = {
        c: name_similarity_needed(config, doc_levels_found=FOUND, commonness=c) for c in COMMONNESS
    }
    for year_class in YEAR_CLASSES:
        within = hits.filter(pl.col("dob_level").is_in(LEVELS_BY_YEARS[year_class]))
        floor = within["name_commonness"].replace_strict(
            {c: float(floors[c][year_class]) for c in COMMONNESS}, return_dtype=pl.Float64
        )
        below = within.filter(pl.col("name_similarity") < floor - 1e-9)
        assert below.is_empty(), (year_class, below.head(3).to_dicts())
