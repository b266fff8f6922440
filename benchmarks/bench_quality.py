"""Match quality on public labelled data, against the peers' figures in the same setups.

Usage: ``python benchmarks/bench_quality.py [PEER_BENCH_DIR]`` (default
``../shared/peer-bench-data``; see its README for provenance and licences).

Measured so far (issue 4 is in progress: the screening tasks join when the Screener does):

* **Name comparator alone, cross-script** (``netranslit_wd_<script>_20.tsv``, CC0 Wikidata): 1,000
  Latin <-> native-script single-token pairs and 1,000 random mismatches per script, drawn with
  seed 0, scored by ``name_similarity`` after ``name_tokens`` on both sides. ROC-AUC. Baseline in
  the same run: anyascii + Jaro-Winkler (the research note measured 0.961 / 0.983 / 0.937 for
  it, and 0.591 / 0.890 / 0.585 for OpenSanctions logic-v2).
* **Name comparator alone, OpenSanctions hand-labelled Person pairs** (``nk_cases.csv``, 548
  pairs): ROC-AUC. logic-v2 scores 0.841 there (and was tuned on it).
"""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

import numpy as np
from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

from paxscreen.compare.names import name_similarity
from paxscreen.normalize.names import name_tokens

SCRIPTS = ("arabic", "russian", "chinese", "hebrew", "korean", "japanese")


def roc_auc(positives: list[float], negatives: list[float]) -> float:
    """Area under the ROC curve (the Mann-Whitney statistic, ties counted half)."""
    values = np.concatenate([positives, negatives])
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ranks = np.cumsum(counts) - (counts - 1) / 2  # average rank of each distinct value
    rank_sum = ranks[inverse][: len(positives)].sum()
    n_pos, n_neg = len(positives), len(negatives)
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def similarity(a: str, b: str) -> float:
    return name_similarity(name_tokens(a), name_tokens(b)) or 0.0


def cross_script(folder: Path, script: str) -> tuple[float, float, float]:
    path = folder / f"netranslit_wd_{script}_20.tsv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    rng = random.Random(0)
    sample = rng.sample(rows, 1_000)
    latin = [row[0] for row in sample]
    native = [row[1].replace(" ", "") for row in sample]
    shuffled = native[:]
    rng.shuffle(shuffled)
    started = time.perf_counter()
    ours = roc_auc(
        [similarity(a, b) for a, b in zip(latin, native, strict=True)],
        [similarity(a, b) for a, b in zip(latin, shuffled, strict=True)],
    )
    seconds = time.perf_counter() - started

    def baseline(a: str, b: str) -> float:
        return JaroWinkler.normalized_similarity(a.lower(), anyascii(b).lower())

    theirs = roc_auc(
        [baseline(a, b) for a, b in zip(latin, native, strict=True)],
        [baseline(a, b) for a, b in zip(latin, shuffled, strict=True)],
    )
    return ours, theirs, seconds


def opensanctions_pairs(folder: Path) -> tuple[float, int]:
    with (folder / "nk_cases.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["schema"] == "Person"]
    positives = [similarity(r["name1"], r["name2"]) for r in rows if r["is_match"] == "true"]
    negatives = [similarity(r["name1"], r["name2"]) for r in rows if r["is_match"] != "true"]
    return roc_auc(positives, negatives), len(rows)


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "peer-bench-data"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if not folder.is_dir():
        sys.exit(f"peer bench data not found at {folder}")
    print("name comparator, ROC-AUC (1,000 matches + 1,000 random mismatches per script)")
    print(f"  {'script':<10} {'paxscreen':>10} {'anyascii+JW':>12}")
    for script in SCRIPTS:
        ours, theirs, seconds = cross_script(folder, script)
        print(f"  {script:<10} {ours:>10.3f} {theirs:>12.3f}   ({seconds:.2f} s for 2,000 pairs)")
    auc, pairs = opensanctions_pairs(folder)
    print(f"OpenSanctions Person pairs ({pairs}): ROC-AUC {auc:.3f} (logic-v2: 0.841)")


if __name__ == "__main__":
    main()
