"""Naive screening baselines, evaluated on a synthetic scenario: what the scenarios measure.

Usage: ``python benchmarks/baseline_quality.py [SCENARIO_DIR]`` (default:
``data/synthetic/flight850``; make one with ``paxscreen synth``).

Three matchers that peers' simplest setups resemble, each scored with ``paxscreen.evaluate``:

* ``exact``: folded family + given names equal to a list row's, birth date compatible (same
  date, same year for a year-only list date, or unknown) - exact keys; plus exact document
  numbers against both lists.
* ``jw-name``: whole-name Jaro-Winkler ("GIVEN FAMILY", brute force with
  ``rapidfuzz.process.cdist``) >= 0.92 alert, >= 0.85 review, dates ignored.
* ``jw-name+dob``: the same, but a known, incompatible birth date vetoes the pair.

Every traveller is compared with every Latin list row (script rows fold to nothing and are
skipped), so these are brute-force baselines, not candidate-generation experiments.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from paxscreen.evaluate import evaluate, evaluation_report
from paxscreen.normalize.names import ascii_fold

HITS = ["record_id", "list", "entry_id", "band"]


def fold(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("family_name", "given_names").map_elements(ascii_fold, return_dtype=pl.String)
    )


def compatible(dob: pl.Expr, listed: pl.Expr) -> pl.Expr:
    day = dob.dt.to_string()
    return listed.is_null() | dob.is_null() | (listed == day) | (listed == day.str.slice(0, 4))


def document_hits(
    travellers: pl.DataFrame, watchlist: pl.DataFrame, docs: pl.DataFrame
) -> pl.DataFrame:
    numbers = travellers.select("record_id", "doc_number").drop_nulls()
    on_docs = numbers.join(docs, on="doc_number").select(
        "record_id", list=pl.lit("documents"), entry_id="record_ref", band=pl.lit("alert")
    )
    on_watchlist = numbers.join(watchlist.drop_nulls("doc_number"), on="doc_number").select(
        "record_id", list=pl.lit("watchlist"), entry_id="entry_id", band=pl.lit("alert")
    )
    return pl.concat([on_docs, on_watchlist])


def exact(travellers: pl.DataFrame, watchlist: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    names = (
        travellers.join(fold(watchlist), on=["family_name", "given_names"])
        .filter(compatible(pl.col("dob"), pl.col("dob_right")))
        .select("record_id", list=pl.lit("watchlist"), entry_id="entry_id", band=pl.lit("alert"))
    )
    return pl.concat([names, document_hits(travellers, watchlist, docs)])


def jaro_winkler(
    travellers: pl.DataFrame, watchlist: pl.DataFrame, docs: pl.DataFrame, *, with_dob: bool
) -> pl.DataFrame:
    listed = fold(watchlist).filter(pl.col("family_name").str.contains("[A-Z]"))
    full = pl.concat_str("given_names", "family_name", separator=" ", ignore_nulls=True)
    queries = travellers.select(full).to_series().to_list()
    choices = listed.select(full).to_series().to_list()
    scores = process.cdist(
        queries,
        choices,
        scorer=JaroWinkler.normalized_similarity,
        score_cutoff=0.85,
        dtype=np.float32,
        workers=-1,
    )
    rows, cols = np.nonzero(scores)
    pairs = pl.DataFrame(
        {
            "record_id": travellers["record_id"].gather(rows),
            "dob": travellers["dob"].gather(rows),
            "entry_id": listed["entry_id"].gather(cols),
            "listed_dob": listed["dob"].gather(cols),
            "score": scores[rows, cols],
        }
    )
    if with_dob:
        pairs = pairs.filter(compatible(pl.col("dob"), pl.col("listed_dob")))
    names = pairs.select(
        "record_id",
        list=pl.lit("watchlist"),
        entry_id="entry_id",
        band=pl.when(pl.col("score") >= 0.92).then(pl.lit("alert")).otherwise(pl.lit("review")),
    )
    return pl.concat([names, document_hits(travellers, watchlist, docs)])


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "data/synthetic/flight850")
    travellers = pl.read_parquet(folder / "travellers.parquet")
    watchlist = pl.read_parquet(folder / "watchlist.parquet")
    docs = pl.read_parquet(folder / "documents.parquet")
    truth = pl.read_parquet(folder / "truth.parquet")
    print(f"scenario {folder}: {travellers.height:,} travellers, {watchlist.height:,} list rows")
    for name, run in [
        ("exact", lambda: exact(travellers, watchlist, docs)),
        ("jw-name", lambda: jaro_winkler(travellers, watchlist, docs, with_dob=False)),
        ("jw-name+dob", lambda: jaro_winkler(travellers, watchlist, docs, with_dob=True)),
    ]:
        started = time.perf_counter()
        hits = run().select(HITS)
        seconds = time.perf_counter() - started
        print(f"\n== {name} ({seconds:.2f} s) ==")
        print(evaluation_report(evaluate(hits, truth)))


if __name__ == "__main__":
    main()
