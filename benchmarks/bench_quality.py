"""Match quality on public labelled data, against the peers' figures in the same setups.

Usage: ``python benchmarks/bench_quality.py [PEER_BENCH_DIR]`` (default
``../shared/peer-bench-data``; see its README for provenance and licences).

Name comparator alone:

* **Cross-script** (``netranslit_wd_<script>_20.tsv``, CC0 Wikidata): 1,000 Latin <-> native-script
  single-token pairs and 1,000 random mismatches per script, drawn with seed 0, scored by
  ``name_similarity`` after ``name_tokens`` on both sides. ROC-AUC. Baseline in the same run:
  anyascii + Jaro-Winkler (the research note measured 0.961 / 0.983 / 0.937 for it, and
  0.591 / 0.890 / 0.585 for OpenSanctions logic-v2).
* **OpenSanctions hand-labelled Person pairs** (``nk_cases.csv``, 548 pairs): ROC-AUC. logic-v2
  scores 0.841 there (and was tuned on it).

Screening tasks (run through ``paxscreen.Screener``; skipped while it is not available). Both
frames go through the public readers: the list through ``read_watchlist`` (from a frame), the
travellers through ``read_manifest`` (from a temporary CSV file).

* **UN screening** (``positives_un_*.csv``, ``negatives_global_50k.csv``; the setup of
  ``research/peers.md`` section 11). Listed: the 683 UN persons of the untreated file (entry ids
  ``un-<row>``, rows counted from 0) and 10,000 synthetic distractors (``neg-<row>``). Screened:
  the 683 perturbed twins of the treated file (``q-<row>``; row i is the twin of entry
  ``un-<i>``) and 2,000 synthetic innocents (``inn-<row>``). Distractors and innocents are
  disjoint rows of the negatives file drawn with seed 0 (the peers took fixed slices of the
  global and US files instead). Fields: names as given (``full_name``; the readers split
  ``"FAMILY, Given"``; the synthetic persons also give their parts: family = last name, given =
  first and middle names); dates of birth as given on the list (full, ``YYYY-MM`` or
  year-only), but a traveller's date of birth is a full date or unknown, so **year-only (and
  invalid, such as day 32) query dates become null**, unpadded ones (``1969-7-16``) are padded;
  nationality to ISO alpha-3 (the UN files use alpha-2 codes, the negatives English country
  names; unknown -> null); sex ``male``/``female`` -> ``M``/``F`` (``other`` and the UN files'
  empty values -> null). Reported: recall of the true queries at alert and at alert or review
  (a hit for their own entry in that band), how often their own entry scores highest, the
  share of innocents with any alert and with any hit, and, threshold-free as in the peers'
  table, the score that keeps 95 % / 99 % of the true queries' own-entry scores at or above it
  (no hit = 0) with the share of innocents whose best score reaches it.
* **FEBRL4** (``febrl/dataset4a.csv`` listed, ``febrl/dataset4b.csv`` screened; 5,000 true
  links, same ``rec-N`` number). Names and dates of birth only (``YYYYMMDD`` -> ISO; empty or
  invalid -> null); the one 4a row without any name cannot be listed and its link counts as
  missed. Each traveller links to its best-scoring hit only (so at most one link per traveller,
  while an entry may be linked more than once), counted at the alert band and at alert or
  review. Precision, recall, F1. The peers also used address, suburb and state. Also reported:
  the reach of names and dates of birth, each true pair compared directly: how many links have
  names at least ``min_name_similarity`` similar, how many only dates that agree (a rule linking
  on the date alone), and how many neither, which bounds the recall any names + DOB rule can
  reach without linking strangers.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import polars as pl
from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

import paxscreen as px
from paxscreen._countries import ALPHA2_TO_ALPHA3
from paxscreen.compare.dates import dob_level_scalar
from paxscreen.compare.names import name_similarity
from paxscreen.normalize.names import name_tokens

SCRIPTS = ("arabic", "russian", "chinese", "hebrew", "korean", "japanese")

#: A screening run: (watchlist frame, travellers frame) -> hits frame (record_id, entry_id,
#: score, band).
Screen = Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]

#: The English country names of ``negatives_global_50k.csv`` -> ISO 3166-1 alpha-3.
_COUNTRY_NAMES = """
Afghanistan:AFG Algeria:DZA Argentina:ARG Australia:AUS Austria:AUT Azerbaijan:AZE
Bangladesh:BGD Belarus:BLR Belgium:BEL Bhutan:BTN Bolivia:BOL Bosnia_and_Herzegovina:BIH
Botswana:BWA Brazil:BRA Brunei:BRN Bulgaria:BGR Burkina_Faso:BFA Cambodia:KHM Cameroon:CMR
Canada:CAN Chile:CHL China:CHN Colombia:COL Costa_Rica:CRI Croatia:HRV Cuba:CUB
Czech_Republic:CZE Democratic_Republic_of_the_Congo:COD Denmark:DNK Dominican_Republic:DOM
East_Timor:TLS Ecuador:ECU Egypt:EGY El_Salvador:SLV Ethiopia:ETH Finland:FIN France:FRA
Germany:DEU Ghana:GHA Guatemala:GTM Honduras:HND Hong_Kong:HKG India:IND Indonesia:IDN Iran:IRN
Iraq:IRQ Ireland:IRL Israel:ISR Italy:ITA Ivory_Coast:CIV Japan:JPN Jordan:JOR Kazakhstan:KAZ
Kenya:KEN Kuwait:KWT Kyrgyzstan:KGZ Laos:LAO Lebanon:LBN Malaysia:MYS Mali:MLI Mexico:MEX
Mongolia:MNG Montenegro:MNE Morocco:MAR Myanmar:MMR Nepal:NPL Netherlands:NLD New_Zealand:NZL
Nicaragua:NIC Nigeria:NGA North_Macedonia:MKD Norway:NOR Pakistan:PAK Panama:PAN Paraguay:PRY
Peru:PER Philippines:PHL Poland:POL Portugal:PRT Puerto_Rico:PRI Qatar:QAT Russia:RUS Rwanda:RWA
Saudi_Arabia:SAU Senegal:SEN Serbia:SRB Singapore:SGP Slovakia:SVK Slovenia:SVN
South_Africa:ZAF South_Korea:KOR Spain:ESP Sri_Lanka:LKA Sweden:SWE Switzerland:CHE Syria:SYR
Taiwan:TWN Tajikistan:TJK Tanzania:TZA Thailand:THA Tunisia:TUN Turkey:TUR Turkmenistan:TKM
Uganda:UGA Ukraine:UKR United_Arab_Emirates:ARE United_Kingdom:GBR United_States:USA
Uruguay:URY Uzbekistan:UZB Venezuela:VEN Vietnam:VNM Zimbabwe:ZWE
"""
COUNTRY_NAMES = {
    name.replace("_", " "): code
    for name, code in (pair.split(":") for pair in _COUNTRY_NAMES.split())
}

SEXES = {"male": "M", "female": "F"}  # "other" and empty values stay unknown

#: peers.md section 11: system, top-1, share of innocents alerted at 95 % and 99 % recall.
PEERS_UN = (
    ("logic-v2, names + DOB + nationality", 0.997, 0.000, 0.000),
    ("logic-v1, names + DOB + nationality", 0.997, 0.000, 0.025),
    ("logic-v2, names only", 0.999, 0.012, 0.043),
    ("rapidfuzz token_sort (ASCII-folded)", 0.997, 0.011, 0.034),
    ("rapidfuzz WRatio", 0.997, 0.030, 0.033),
)

#: peers.md section 11: system, precision, recall, F1 on FEBRL4 (with address fields too).
PEERS_FEBRL = (
    ("Splink 5 (EM; names, DOB, address, suburb, state)", 0.9988, 0.9792, 0.9889),
    ("recordlinkage 0.16 (ECM; same fields)", 0.9979, 0.9716, 0.9846),
    ("dedupe 3.0.3 (160 labelled pairs)", 1.0000, 0.9644, 0.9819),
)


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


# --------------------------------------------------------------------------------------------
# Screening tasks: field mapping


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts (spaces after the commas are dropped)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, skipinitialspace=True))


def partial_date(text: str | None) -> str | None:
    """A date as given, in ISO form: ``YYYY-MM-DD`` (zero-padded), ``YYYY-MM`` or ``YYYY``.

    Args:
        text: ``1969-7-16``, ``1969-07``, ``1969``... or empty.

    Returns:
        The ISO form, or ``None`` when the text is empty or not a calendar date.
    """
    parts = (text or "").strip().split("-")
    if len(parts) > 3 or len(parts[0]) != 4 or not all(part.isdigit() for part in parts):
        return None
    if len(parts) == 1:
        return parts[0]
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        return None
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, int(parts[2])).isoformat()
    except ValueError:
        return None


def full_date(text: str | None) -> str | None:
    """A full ISO date (``YYYY-MM-DD``) from ``text``; partial or invalid dates give ``None``."""
    value = partial_date(text)
    return value if value is not None and len(value) == 10 else None


def alpha3(country: str | None) -> str | None:
    """ISO alpha-3 code of an alpha-2 code (any case) or an English country name, else ``None``."""
    text = (country or "").strip()
    if len(text) == 2:
        return ALPHA2_TO_ALPHA3.get(text.upper())
    return COUNTRY_NAMES.get(text)


def person_fields(row: dict[str, str], *, partial_dob: bool) -> dict[str, str | None]:
    """Date of birth, nationality and sex of a UN or synthetic person row, mapped."""
    dob = row["date_of_birth"]
    return {
        "dob": partial_date(dob) if partial_dob else full_date(dob),
        "nationality": alpha3(row["nationality"]),
        "sex": SEXES.get(row["gender"]),
    }


def synthetic(row: dict[str, str], *, partial_dob: bool) -> dict[str, str | None]:
    """Names (family = last name, given = first + middle names) and fields of a synthetic person."""
    given = " ".join(part for part in (row["first_name"], row["middle_name"]) if part)
    return {
        "family_name": row["last_name"] or None,
        "given_names": given or None,
        **person_fields(row, partial_dob=partial_dob),
    }


def text_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """A frame of text columns: every key of any row, null where a row lacks it."""
    columns = dict.fromkeys(key for row in rows for key in row)
    data = {name: [row.get(name) for row in rows] for name in columns}
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))


def watchlist_from(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Canonical watchlist frame of list rows, through ``read_watchlist``."""
    return px.read_watchlist(text_frame(rows))


def travellers_from(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Travellers frame of manifest rows (written to a temporary CSV, read by ``read_manifest``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "travellers.csv"
        text_frame(rows).write_csv(path)
        return px.read_manifest(path, format="csv")


def best_scores(hits: pl.DataFrame) -> pl.DataFrame:
    """One row per (record_id, entry_id): the best score, and whether any of its hits alerted."""
    return hits.group_by("record_id", "entry_id").agg(
        pl.col("score").max(), (pl.col("band") == "alert").any().alias("alert")
    )


def threshold_for(scores: list[float], recall: float) -> float:
    """The highest threshold that keeps at least ``recall`` of ``scores`` at or above it."""
    kept = math.ceil(recall * len(scores) - 1e-9)
    return sorted(scores, reverse=True)[kept - 1]


# --------------------------------------------------------------------------------------------
# Screening tasks: UN persons with synthetic distractors and innocents


@dataclass(frozen=True)
class ScreeningResult:
    """Outcome of the UN screening task.

    Attributes:
        recall_alert: Share of true queries with an alert for their own entry.
        recall_any: Share of true queries with any hit (alert or review) for their own entry.
        top1: Share of true queries whose own entry scores highest (ties included).
        innocents_alerted: Share of innocents with any alert.
        innocents_hit: Share of innocents with any hit.
        operating_points: (recall target, threshold, share of innocents whose best score is
            at or above it); threshold and share are ``None`` when the target cannot be
            reached because too many true queries got no hit for their own entry.
    """

    recall_alert: float
    recall_any: float
    top1: float
    innocents_alerted: float
    innocents_hit: float
    operating_points: tuple[tuple[float, float | None, float | None], ...]


def un_screening(folder: Path, screen: Screen, *, seed: int = 0) -> ScreeningResult:
    """Screen 683 perturbed UN persons and 2,000 innocents against UN persons + distractors.

    See the module docstring for the setup and the field mapping. Notably a query's
    year-only date of birth becomes null (unknown): a traveller's date of birth is a full date.

    Args:
        folder: The peer bench data folder.
        screen: ``screen(watchlist, travellers) -> hits``.
        seed: Seed of the draw of distractors and innocents from the negatives file.

    Returns:
        Recall, innocent alert rates and threshold-free operating points.
    """
    untreated = read_rows(folder / "positives_un_untreated.csv")
    treated = read_rows(folder / "positives_un_treated.csv")
    negatives = read_rows(folder / "negatives_global_50k.csv")
    drawn = random.Random(seed).sample(range(len(negatives)), 12_000)
    distractors, innocents = drawn[:10_000], drawn[10_000:]

    listed = [
        {
            "entry_id": f"un-{i}",
            "full_name": row["full_name"],
            **person_fields(row, partial_dob=True),
        }
        for i, row in enumerate(untreated)
    ]
    listed += [
        {
            "entry_id": f"neg-{j}",
            "full_name": negatives[j]["full_name"],
            **synthetic(negatives[j], partial_dob=True),
        }
        for j in distractors
    ]
    queries = [
        {
            "record_id": f"q-{i}",
            "full_name": row["full_name"],
            **person_fields(row, partial_dob=False),
        }
        for i, row in enumerate(treated)
    ]
    queries += [
        {"record_id": f"inn-{j}", **synthetic(negatives[j], partial_dob=False)} for j in innocents
    ]
    watchlist, travellers = watchlist_from(listed), travellers_from(queries)

    hits = best_scores(screen(watchlist, travellers))
    best = hits.group_by("record_id").agg(pl.col("score").max().alias("best"))
    own = hits.filter(pl.col("entry_id") == pl.col("record_id").str.replace("^q-", "un-"))
    own = own.join(best, on="record_id")
    true_count = len(treated)
    own_scores = own.get_column("score").to_list()
    own_scores += [0.0] * (true_count - own.height)  # no hit for the own entry
    innocent_best = best.filter(pl.col("record_id").str.starts_with("inn-"))
    innocent_scores = innocent_best.get_column("best").to_list()
    innocents_alerted = hits.filter(pl.col("record_id").str.starts_with("inn-") & pl.col("alert"))

    points: list[tuple[float, float | None, float | None]] = []
    for recall in (0.95, 0.99):
        threshold = threshold_for(own_scores, recall)
        if threshold <= 0.0:
            points.append((recall, None, None))
            continue
        above = sum(score >= threshold for score in innocent_scores)
        points.append((recall, threshold, above / len(innocents)))
    return ScreeningResult(
        recall_alert=own.filter(pl.col("alert")).height / true_count,
        recall_any=own.height / true_count,
        top1=own.filter(pl.col("score") >= pl.col("best")).height / true_count,
        innocents_alerted=innocents_alerted.get_column("record_id").n_unique() / len(innocents),
        innocents_hit=innocent_best.height / len(innocents),
        operating_points=tuple(points),
    )


# --------------------------------------------------------------------------------------------
# Screening tasks: FEBRL4 linkage


@dataclass(frozen=True)
class LinkScores:
    """Predicted links against the truth.

    Attributes:
        predicted: Number of predicted links.
        correct: Number of predicted links that are true links.
        true_links: Number of true links.
    """

    predicted: int
    correct: int
    true_links: int

    @property
    def precision(self) -> float:
        """Share of predicted links that are true (0 when nothing is predicted)."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of true links predicted."""
        return self.correct / self.true_links

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def febrl_dob(text: str) -> str | None:
    """``YYYYMMDD`` -> ``YYYY-MM-DD``; empty or invalid dates give ``None``."""
    text = text.strip()
    if len(text) != 8:
        return None
    return full_date(f"{text[:4]}-{text[4:6]}-{text[6:]}")


def febrl_number(record: str) -> str:
    """The person number of a FEBRL record id (``rec-561-dup-0`` -> ``561``)."""
    return record.split("-")[1]


def febrl_person(row: dict[str, str]) -> dict[str, str | None]:
    """Names and date of birth of a FEBRL row."""
    return {
        "given_names": row["given_name"].strip() or None,
        "family_name": row["surname"].strip() or None,
        "dob": febrl_dob(row["date_of_birth"]),
    }


@dataclass(frozen=True)
class LinkReach:
    """What names and dates of birth can say about FEBRL4's true links, pair by pair.

    Attributes:
        named: Links whose names are at least ``min_name_similarity`` similar (a screener
            scores them at all).
        dated_only: Links whose names are less similar, with dates of birth that agree (exact
            or day and month swapped): only a rule linking on the date alone finds them.
        neither: Links with neither: no rule on names and dates links them without linking
            strangers as readily.
    """

    named: int
    dated_only: int
    neither: int


def febrl4_reach(folder: Path, floor: float) -> LinkReach:
    """Compare each FEBRL4 true link's names (:func:`name_similarity`) and dates of birth
    (:func:`dob_level_scalar`) directly, to bound what any names + DOB matcher can reach."""
    originals = {
        febrl_number(row["rec_id"]): febrl_person(row)
        for row in read_rows(folder / "febrl" / "dataset4a.csv")
    }
    counts = {"named": 0, "dated_only": 0, "neither": 0}
    for row in read_rows(folder / "febrl" / "dataset4b.csv"):
        copy, original = febrl_person(row), originals[febrl_number(row["rec_id"])]
        names = [
            replace(
                name_tokens(" ".join(filter(None, (p["given_names"], p["family_name"])))),
                partial=bool(p["given_names"]) != bool(p["family_name"]),  # as screening reads it
            )
            for p in (copy, original)
        ]
        similarity = name_similarity(*names) or 0.0
        born = dt.date.fromisoformat(copy["dob"]) if copy["dob"] else None
        dated = dob_level_scalar(born, original["dob"]) in ("exact", "day_month_swapped")
        kind = "named" if similarity >= floor else "dated_only" if dated else "neither"
        counts[kind] += 1
    return LinkReach(**counts)


def links_at(hits: pl.DataFrame, *, alert_only: bool, true_links: int) -> LinkScores:
    """Count each traveller's best-scoring hit (at the alert band, or at any band) as its link."""
    if alert_only:
        hits = hits.filter(pl.col("alert"))
    links = hits.sort("score", "entry_id", descending=[True, False]).unique(
        "record_id", keep="first"
    )
    correct = sum(
        febrl_number(record) == febrl_number(entry)
        for record, entry in links.select("record_id", "entry_id").iter_rows()
    )
    return LinkScores(predicted=links.height, correct=correct, true_links=true_links)


def febrl4(folder: Path, screen: Screen) -> tuple[LinkScores, LinkScores]:
    """Link FEBRL4's corrupted copies (travellers) to its originals (list) on names and DOB.

    Each traveller keeps only its best-scoring hit (one-to-one-ish: an entry may still be linked
    from several travellers). List rows without any name are left out; their links count as
    missed.

    Args:
        folder: The peer bench data folder.
        screen: ``screen(watchlist, travellers) -> hits``.

    Returns:
        Links at the alert band, and links at alert or review.
    """
    originals = read_rows(folder / "febrl" / "dataset4a.csv")
    copies = read_rows(folder / "febrl" / "dataset4b.csv")
    listed = [{"entry_id": row["rec_id"], **febrl_person(row)} for row in originals]
    listed = [row for row in listed if row["given_names"] or row["family_name"]]
    queries = [{"record_id": row["rec_id"], **febrl_person(row)} for row in copies]
    watchlist, travellers = watchlist_from(listed), travellers_from(queries)
    true_links = len({febrl_number(row["rec_id"]) for row in originals})

    hits = best_scores(screen(watchlist, travellers))
    return (
        links_at(hits, alert_only=True, true_links=true_links),
        links_at(hits, alert_only=False, true_links=true_links),
    )


# --------------------------------------------------------------------------------------------
# Running


class PaxscreenScreen:
    """``paxscreen.Screener`` as a :data:`Screen`, timing the build and the screening apart.

    Attributes:
        build_seconds: Wall time of the last ``Screener(watchlist)``.
        screen_seconds: Wall time of the last ``screen(travellers)``.
    """

    def __init__(self, config: px.ScreenConfig | None = None) -> None:
        self.config = config
        self.build_seconds = 0.0
        self.screen_seconds = 0.0

    def __call__(self, watchlist: pl.DataFrame, travellers: pl.DataFrame) -> pl.DataFrame:
        started = time.perf_counter()
        screener = px.Screener(watchlist, config=self.config)
        built = time.perf_counter()
        hits = screener.screen(travellers).hits
        self.build_seconds = built - started
        self.screen_seconds = time.perf_counter() - built
        return hits


def print_un(result: ScreeningResult) -> None:
    """Print the UN screening task's figures next to the peers'."""
    print(
        f"  true queries (683): own entry at alert {result.recall_alert:.3f},"
        f" at alert or review {result.recall_any:.3f}, scored highest {result.top1:.3f}"
    )
    print(
        f"  innocents (2,000): any alert {result.innocents_alerted:.3f},"
        f" any hit {result.innocents_hit:.3f}"
    )
    print_operating_points(result, indent="  ")
    print("  peers (their draw of negatives: global + US slices; innocents alerted at the")
    print("  threshold that keeps 95 % / 99 % of true queries):")
    print(f"    {'system':<38} {'top-1':>6} {'@95%':>6} {'@99%':>6}")
    for name, top1, at95, at99 in PEERS_UN:
        print(f"    {name:<38} {top1:>6.3f} {at95:>6.3f} {at99:>6.3f}")


def print_operating_points(result: ScreeningResult, *, indent: str) -> None:
    """Print each recall target's threshold and the share of innocents at or above it."""
    for recall, threshold, share in result.operating_points:
        if threshold is None:
            print(f"{indent}{recall:.0%} recall: not reached (true queries without a hit)")
        else:
            print(
                f"{indent}{recall:.0%} recall: threshold {threshold:.3f},"
                f" innocents at or above it {share:.3f}"
            )


def print_febrl(alert: LinkScores, any_band: LinkScores) -> None:
    """Print the FEBRL4 figures next to the peers'."""
    print(f"  {'links':<52} {'count':>6} {'P':>7} {'R':>7} {'F1':>7}")
    for label, links in (("paxscreen, alert", alert), ("paxscreen, alert or review", any_band)):
        print(
            f"  {label:<52} {links.predicted:>6} {links.precision:>7.4f}"
            f" {links.recall:>7.4f} {links.f1:>7.4f}"
        )
    for name, precision, recall, f1 in PEERS_FEBRL:
        print(f"  {name:<52} {'':>6} {precision:>7.4f} {recall:>7.4f} {f1:>7.4f}")


def screening_tasks(folder: Path) -> None:
    """Run both screening tasks with ``paxscreen.Screener`` and print them."""
    if not hasattr(px, "Screener"):
        print("screening tasks skipped: paxscreen.Screener not available")
        return
    screen = PaxscreenScreen()
    print("UN screening (list: 683 UN persons + 10,000 distractors;")
    print("  screened: 683 perturbed twins + 2,000 innocents)")
    result = un_screening(folder, screen)
    print(f"  Screener build {screen.build_seconds:.2f} s, screen {screen.screen_seconds:.2f} s")
    print_un(result)
    # the peers' operating points come from a sweep over every pair's score: score every
    # candidate the same way (a review threshold of 0.3 reports nearly all of them)
    swept = un_screening(folder, PaxscreenScreen(px.ScreenConfig(review_threshold=0.3)))
    print("  the same, every candidate scored (review threshold 0.3), as the peers are swept:")
    print(f"    own entry scored highest {swept.top1:.3f}")
    print_operating_points(swept, indent="    ")
    print("FEBRL4 (list: dataset4a, 4,999 named rows; screened: dataset4b, 5,000;")
    print("  names + DOB only; each traveller's best hit is its link)")
    alert, any_band = febrl4(folder, screen)
    print(f"  Screener build {screen.build_seconds:.2f} s, screen {screen.screen_seconds:.2f} s")
    print_febrl(alert, any_band)
    floor = px.ScreenConfig().min_name_similarity
    reach = febrl4_reach(folder, floor)
    total = reach.named + reach.dated_only + reach.neither
    best = (total - reach.neither) / total
    print(f"  reach of names + DOB over the {total:,} true links (each pair compared directly):")
    print(f"    names at least {floor} similar: {reach.named:,}; less similar with dates that")
    print(f"    agree: {reach.dated_only:,} (linked on the date alone); neither: {reach.neither:,}")
    print(f"    -> recall at most {best:.4f} (F1 at most {2 * best / (1 + best):.4f}) for any")
    print(f"       names + DOB rule, {reach.named / total:.4f} for one that needs a similar name")


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
    screening_tasks(folder)


if __name__ == "__main__":
    main()
