"""Lost/stolen document index against 100 million synthetic records (issue 5).

Generates a synthetic lost/stolen document list (issuer-specific number formats: all-digit
numbers of 6 to 12 digits, letter prefixes, letters and digits mixed, 6 to 12 characters, some
40 issuers) in chunks straight to Parquet, builds :class:`paxscreen.index.documents.DocumentIndex`
from that file (wall time, CPU time, peak RSS), saves it, opens it memory-mapped, and times
1,000 probes -- half planted (exact copies, OCR confusions, leading zeros dropped,
transpositions, substitutions, insertions, deletions of listed numbers), half absent -- for exact
and for fuzzy lookups, over repeated runs (median and p99). In the same run it times the
polars join of the same 1,000 probe strings against the list's ``doc_number`` column, the
baseline, and prints the ratios. Recall of the planted variants is printed (it must be 100%),
and with ``--brute-rows`` the fuzzy lookup is compared pair by pair with brute force
(rapidfuzz ``cdist`` + :func:`paxscreen.compare.documents.doc_number_level`) on the first rows
of the list.

Run::

    python benchmarks/bench_documents.py --records 10_000_000
    python benchmarks/bench_documents.py                     # 100 million (peak RSS printed)
    python benchmarks/bench_documents.py --data /tmp/sltd    # reuse a generated list

Nothing here is a real document number.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from rapidfuzz import process
from rapidfuzz.distance import OSA

from paxscreen.compare.documents import doc_number_level
from paxscreen.index.documents import DocumentIndex
from paxscreen.normalize.documents import OCR_FOLDING

_DIGIT = "0123456789"
_LETTER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _DIGIT + _LETTER
_CLASSES = {
    "D": _DIGIT,
    "L": _LETTER,
    "A": _ALNUM,
    "G": "CFGHJKLMNPRTVWXYZ0123456789",
    "N": "ABCDEFGHIJKLMNPQRSTUVWXYZ0123456789",
}

# (issuer, type, shape, weight). Shape: one character class per position (D digit, L letter,
# A letter or digit, G German alphabet, N no letter O), or a quoted literal. Plausible shapes,
# not official specifications.
FORMATS: list[tuple[str, str, str, float]] = [
    ("USA", "P", "DDDDDDDDD", 6.0),
    ("USA", "P", "'A'DDDDDDDD", 3.0),
    ("GBR", "P", "DDDDDDDDD", 5.0),
    ("DEU", "P", "'C'GGGGGGGG", 4.0),
    ("DEU", "I", "'L'GGGGGGGG", 2.0),
    ("FRA", "P", "DDLLDDDDD", 4.0),
    ("FRA", "I", "AAAAAAAAAAAA", 1.5),
    ("ITA", "P", "LLDDDDDDD", 4.0),
    ("ESP", "P", "LLLDDDDDD", 3.0),
    ("CHN", "P", "'E'DDDDDDDD", 4.0),
    ("CHN", "P", "'E'LDDDDDDD", 2.0),
    ("IND", "P", "LDDDDDDD", 4.0),
    ("IND", "I", "DDDDDDDDDDDD", 1.0),
    ("RUS", "P", "DDDDDDDDD", 3.0),
    ("RUS", "I", "DDDDDDDDDD", 1.5),
    ("ROU", "P", "DDDDDDDD", 1.0),
    ("TUR", "P", "'U'DDDDDDDD", 2.0),
    ("TUR", "I", "DDDDDDDDDDD", 1.0),
    ("BRA", "P", "LLDDDDDD", 2.0),
    ("NGA", "P", "'A'DDDDDDDD", 2.0),
    ("JPN", "P", "LLDDDDDDD", 1.0),
    ("NLD", "P", "LLNNNNNNDD", 1.0),
    ("PAK", "P", "LLDDDDDDD", 1.5),
    ("EGY", "P", "'A'DDDDDDDD", 1.0),
    ("MEX", "P", "LDDDDDDDD", 1.5),
    ("KOR", "P", "'M'DDDLDDDD", 1.0),
    ("PHL", "P", "'P'DDDDDDDL", 1.0),
    ("SYR", "P", "'N'DDDDDDDDD", 1.0),
    ("BEL", "P", "LLDDDDDD", 0.8),
    ("ARG", "I", "DDDDDDDD", 1.0),
    ("COL", "I", "DDDDDDDDDD", 1.0),
    ("ZAF", "P", "LDDDDDDDD", 1.0),
    ("VNM", "P", "LDDDDDDD", 1.0),
    ("IRN", "P", "LDDDDDDDD", 1.0),
    ("MLT", "P", "DDDDDDD", 0.5),
    ("ISL", "P", "LDDDDDD", 0.3),
    ("LIE", "P", "LDDDDD", 0.2),
    ("MCO", "P", "DDDDDD", 0.2),
    ("XXA", "P", "AAAAAAAAA", 2.0),
    ("UNK", "P", "LLLDDDDDDDDD", 0.5),
]
STATUSES = ["lost", "stolen", "revoked", "invalidated", "stolen_blank"]
_CHUNK = 4_000_000


def _parse_shape(shape: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(shape):
        if shape[i] == "'":
            out.append(shape[i + 1])
            i += 3
        else:
            out.append(_CLASSES[shape[i]])
            i += 1
    return out


_POSITIONS = [_parse_shape(shape) for _, _, shape, _ in FORMATS]
_WEIGHTS = np.array([w for *_, w in FORMATS]) / sum(w for *_, w in FORMATS)


def _numbers(fmt: np.ndarray, rng: np.random.Generator) -> pa.LargeStringArray:
    """Random numbers of the given formats (vectorised per format)."""
    lengths = np.array([len(p) for p in _POSITIONS])[fmt]
    offsets = np.zeros(fmt.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.empty(int(offsets[-1]), dtype=np.uint8)
    for f, positions in enumerate(_POSITIONS):
        rows = np.flatnonzero(fmt == f)
        if rows.size == 0:
            continue
        for j, alphabet in enumerate(positions):
            table = np.frombuffer(alphabet.encode(), dtype=np.uint8)
            data[offsets[rows] + j] = table[rng.integers(0, table.size, rows.size)]
    return pa.LargeStringArray.from_buffers(fmt.size, pa.py_buffer(offsets), pa.py_buffer(data))


def generate(path: Path, records: int, seed: int) -> None:
    """Write ``records`` synthetic list rows to Parquet in chunks (bounded memory)."""
    issuers = pa.array([i for i, *_ in FORMATS], type=pa.large_string())
    types = pa.array([t for _, t, *_ in FORMATS], type=pa.large_string())
    statuses = pa.array(STATUSES, type=pa.large_string())
    schema = pa.schema(
        [
            ("doc_number", pa.large_string()),
            ("doc_issuer", pa.large_string()),
            ("doc_type", pa.large_string()),
            ("status", pa.large_string()),
            ("reported_on", pa.date32()),
            ("record_ref", pa.large_string()),
        ]
    )
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for start in range(0, records, _CHUNK):
            n = min(_CHUNK, records - start)
            rng = np.random.default_rng([seed, start])
            fmt = rng.choice(len(FORMATS), size=n, p=_WEIGHTS)
            take = pa.array(fmt)
            refs = pl.select(
                pl.format(
                    "LS{}",
                    pl.int_range(start, start + n, dtype=pl.Int64).cast(pl.String).str.zfill(10),
                )
            ).to_series()
            table = pa.Table.from_arrays(
                [
                    _numbers(fmt, rng),
                    issuers.take(take),
                    types.take(take),
                    statuses.take(pa.array(rng.integers(0, len(STATUSES), n))),
                    pa.array(rng.integers(15_000, 20_700, n).astype(np.int32)).cast(pa.date32()),
                    refs.to_arrow().cast(pa.large_string()),
                ],
                schema=schema,
            )
            writer.write_table(table)
            del table, fmt, refs


# ---------------------------------------------------------------------------------------------
# Probes
# ---------------------------------------------------------------------------------------------

_CONFUSIONS: dict[str, list[str]] = {}
for _letter, _digit in OCR_FOLDING.items():
    _CONFUSIONS.setdefault(_digit, []).append(_letter)
    _CONFUSIONS.setdefault(_letter, []).append(_digit)

KINDS = ("exact", "ocr", "zeros", "transposition", "substitution", "insertion", "deletion")


def _variant(number: str, kind: str, r: random.Random) -> str | None:
    if kind == "exact":
        return number
    if kind == "ocr":
        places = [i for i, c in enumerate(number) if c in _CONFUSIONS]
        if not places:
            return None
        i = r.choice(places)
        return number[:i] + r.choice(_CONFUSIONS[number[i]]) + number[i + 1 :]
    if kind == "zeros":
        if not number.isdigit():
            return None
        stripped = number.lstrip("0") or "0"
        return stripped if stripped != number else "00" + number
    if kind == "transposition":
        places = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
        if not places:
            return None
        i = r.choice(places)
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if kind == "substitution":
        i = r.randrange(len(number))
        return number[:i] + r.choice(_ALNUM.replace(number[i], "")) + number[i + 1 :]
    if kind == "insertion":
        i = r.randint(0, len(number))
        return number[:i] + r.choice(_ALNUM) + number[i:]
    i = r.randrange(len(number))
    return number[:i] + number[i + 1 :]


def make_probes(
    path: Path, records: int, count: int, seed: int
) -> tuple[list[str], list[str], list[int | None], list[str]]:
    """``count`` probes: half planted variants of listed rows, half random numbers."""
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    planted = count // 2
    rows = np.sort(rng.choice(records, size=planted, replace=False))
    parquet = pq.ParquetFile(path)
    found: dict[int, tuple[str, str]] = {}
    start = 0
    for group in range(parquet.num_row_groups):
        n = parquet.metadata.row_group(group).num_rows
        inside = rows[(rows >= start) & (rows < start + n)]
        if inside.size:
            table = parquet.read_row_group(group, columns=["doc_number", "doc_issuer"])
            picked = table.take(pa.array(inside - start))
            for row, number, issuer in zip(
                inside.tolist(),
                picked.column(0).to_pylist(),
                picked.column(1).to_pylist(),
                strict=True,
            ):
                found[row] = (number, issuer)
        start += n
    numbers: list[str] = []
    issuers: list[str] = []
    sources: list[int | None] = []
    kinds: list[str] = []
    for i, row in enumerate(rows.tolist()):
        number, issuer = found[row]
        kind = KINDS[i % len(KINDS)]
        variant = _variant(number, kind, r)
        if variant is None:
            kind, variant = "substitution", _variant(number, "substitution", r)
        assert variant is not None
        numbers.append(variant)
        issuers.append(issuer)
        sources.append(row)
        kinds.append(kind)
    fmt = rng.choice(len(FORMATS), size=count - planted, p=_WEIGHTS)
    numbers += _numbers(fmt, rng).to_pylist()
    issuers += [FORMATS[f][0] for f in fmt.tolist()]
    sources += [None] * (count - planted)
    kinds += ["absent"] * (count - planted)
    order = list(range(count))
    r.shuffle(order)
    return (
        [numbers[i] for i in order],
        [issuers[i] for i in order],
        [sources[i] for i in order],
        [kinds[i] for i in order],
    )


# ---------------------------------------------------------------------------------------------
# Timing helpers
# ---------------------------------------------------------------------------------------------


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median wall ms, p99 wall ms, median CPU ms of ``runs`` calls."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - w) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
    walls.sort()
    p99 = walls[min(len(walls) - 1, round(0.99 * (len(walls) - 1)))]
    return statistics.median(walls), p99, statistics.median(cpus)


def join_baseline(
    path: Path, numbers: list[str], runs: int
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The polars inner join and semi join of the probe strings with the list's numbers."""
    big = pl.read_parquet(path, columns=["doc_number"])
    probes = pl.DataFrame({"doc_number": numbers})
    inner = timed(lambda: probes.join(big, on="doc_number", how="inner"), runs)
    semi = timed(lambda: big.join(probes, on="doc_number", how="semi"), runs)
    return inner, semi


def brute_force(probes: list[str], numbers: list[str]) -> set[tuple[int, int, str]]:
    """Every (probe, row, level) up to one_edit, by brute force over all pairs."""
    fold = str.maketrans(dict(OCR_FOLDING))

    def zero(key: str) -> str:
        return (key.lstrip("0") or "0") if key.isdigit() else key

    keys = pl.select(pl.lit(pl.Series(probes))).to_series()
    from paxscreen.normalize.documents import doc_number_key

    pkeys = pl.select(doc_number_key(pl.lit(keys))).to_series().to_list()
    owner: list[np.ndarray] = []
    target: list[np.ndarray] = []
    for a_forms, b_forms in (
        ([k.translate(fold) for k in pkeys], [n.translate(fold) for n in numbers]),
        ([zero(k) for k in pkeys], [zero(n) for n in numbers]),
    ):
        step = 200_000
        for lo in range(0, len(b_forms), step):
            d = process.cdist(
                a_forms,
                b_forms[lo : lo + step],
                scorer=OSA.distance,
                score_cutoff=1,
                dtype=np.uint8,
                workers=-1,
            )
            i, j = np.nonzero(d <= 1)
            owner.append(i)
            target.append(j + lo)
    i = np.concatenate(owner)
    j = np.concatenate(target)
    pairs = pl.DataFrame({"p": i, "r": j}).unique()
    frame = pairs.with_columns(
        a=pl.Series(probes).gather(pairs["p"]), b=pl.Series(numbers).gather(pairs["r"])
    ).with_columns(level=doc_number_level("a", "b"))
    frame = frame.filter(pl.col("level") <= "one_edit")
    return {(int(p), int(r), str(lv)) for p, r, lv in frame.select("p", "r", "level").iter_rows()}


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=lambda s: int(s.replace("_", "")), default=100_000_000)
    parser.add_argument("--data", type=Path, help="directory to keep/reuse the generated list")
    parser.add_argument("--probes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per lookup kind")
    parser.add_argument("--join-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--brute-rows",
        type=lambda s: int(s.replace("_", "")),
        default=1_000_000,
        help="compare with brute force on the first N rows (0: skip)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_documents_"))
    data_dir = args.data or work
    data_dir.mkdir(parents=True, exist_ok=True)
    parquet_path = data_dir / f"sltd_{args.records}_{args.seed}.parquet"
    index_dir = work / "index"
    print(f"records {args.records:,}, probes {args.probes:,}, seed {args.seed}")
    try:
        if not parquet_path.exists():
            t = time.perf_counter()
            generate(parquet_path, args.records, args.seed)
            size = parquet_path.stat().st_size
            print(f"generated list: {time.perf_counter() - t:.1f} s, {size / 1e6:,.0f} MB Parquet")
        else:
            print(f"reusing {parquet_path}")
        numbers, issuers, sources, kinds = make_probes(
            parquet_path, args.records, args.probes, args.seed
        )
        gc.collect()

        # -- build ------------------------------------------------------------------------
        rss_before = peak_rss_gb()
        wall, cpu = time.perf_counter(), time.process_time()
        index = DocumentIndex.build(parquet_path)
        build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
        rss_build = peak_rss_gb()
        sizes = index.sizes()
        n = len(index)
        print(
            f"build: {build_wall:.1f} s wall, {build_cpu:.1f} s CPU, peak RSS {rss_build:.2f} GB "
            f"(before build {rss_before:.2f} GB)"
        )
        print(
            f"index (lookup structures): {sizes['index_total'] / n:.2f} B/record "
            + "("
            + ", ".join(
                f"{k[6:]} {v / n:.2f}"
                for k, v in sizes.items()
                if k.startswith("index_") and k != "index_total"
            )
            + f"); record attributes {sizes['attributes'] / n:.2f} B/record"
        )
        t = time.perf_counter()
        index.save(index_dir)
        print(f"save: {time.perf_counter() - t:.1f} s")
        del index
        gc.collect()
        disk = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
        print(f"on disk: {disk / n:.2f} B/record in total ({disk / 1e9:.2f} GB)")

        # -- open ---------------------------------------------------------------------------
        opens = []
        for _ in range(5):
            t = time.perf_counter()
            index = DocumentIndex.open(index_dir)
            opens.append((time.perf_counter() - t) * 1e3)
        print(f"open (mmap): median {statistics.median(opens):.1f} ms, max {max(opens):.1f} ms")
        t = time.perf_counter()
        index.lookup(numbers, issuers)
        print(
            "first fuzzy lookup after open (page faults, search directory built): "
            f"{(time.perf_counter() - t) * 1e3:.1f} ms"
        )

        # -- recall of planted variants ------------------------------------------------------
        fuzzy = index.lookup(numbers, issuers)
        exact = index.lookup(numbers, issuers, fuzzy=False)
        found = {(p, r): lv for p, r, lv in fuzzy.select("probe", "row", "level").iter_rows()}
        found_exact = {(p, r) for p, r in exact.select("probe", "row").iter_rows()}
        by_kind: dict[str, list[int]] = {}
        exact_kinds = {"exact", "ocr", "zeros"}
        for i, (source, kind) in enumerate(zip(sources, kinds, strict=True)):
            if source is None:
                continue
            ok = (i, source) in found
            if kind in exact_kinds:
                ok = ok and (i, source) in found_exact
            by_kind.setdefault(kind, [0, 0])
            by_kind[kind][0] += ok
            by_kind[kind][1] += 1
        hit = sum(v[0] for v in by_kind.values())
        total = sum(v[1] for v in by_kind.values())
        print(
            f"recall of planted variants: {100 * hit / total:.1f}% ({hit}/{total}; "
            + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in by_kind.items())
            + ")"
        )
        levels = fuzzy.group_by("level").len().sort("level")
        absent = [i for i, k in enumerate(kinds) if k == "absent"]
        near_absent = fuzzy.filter(pl.col("probe").is_in(absent)).get_column("probe").n_unique()
        print(
            "matches per 1,000 probes: "
            + ", ".join(f"{lv} {c}" for lv, c in levels.iter_rows())
            + f"; absent probes with a match: {near_absent}"
        )

        # -- timings -------------------------------------------------------------------------
        for _ in range(3):  # warm
            index.lookup(numbers, issuers, fuzzy=False)
            index.lookup(numbers, issuers)
        ex_med, ex_p99, ex_cpu = timed(
            lambda: index.lookup(numbers, issuers, fuzzy=False), args.runs
        )
        fz_med, fz_p99, fz_cpu = timed(lambda: index.lookup(numbers, issuers), args.runs)
        print(
            f"exact lookup, {args.probes:,} probes: median {ex_med:.2f} ms, p99 {ex_p99:.2f} ms "
            f"(CPU {ex_cpu:.2f} ms)"
        )
        print(
            f"fuzzy lookup, {args.probes:,} probes: median {fz_med:.2f} ms, p99 {fz_p99:.2f} ms "
            f"(CPU {fz_cpu:.2f} ms)"
        )

        # -- baseline: polars join on the string column -------------------------------------
        gc.collect()
        inner, semi = join_baseline(parquet_path, numbers, args.join_runs)
        join = min(inner[0], semi[0])
        print(
            f"baseline polars join of {args.probes:,} probe strings against {n:,} strings: "
            f"inner {inner[0]:.0f} ms, semi {semi[0]:.0f} ms "
            f"(CPU {inner[2]:.0f} / {semi[2]:.0f} ms)"
        )
        print(
            f"ratios (join / index, faster join): exact {join / ex_med:,.0f}x, "
            f"fuzzy {join / fz_med:,.0f}x"
        )
        gc.collect()

        # -- brute force on the first rows -----------------------------------------------------
        if args.brute_rows:
            rows = min(args.brute_rows, args.records)
            table = pq.ParquetFile(parquet_path).iter_batches(
                batch_size=rows, columns=["doc_number"]
            )
            head = pl.from_arrow(next(table))
            assert isinstance(head, pl.DataFrame)
            small = DocumentIndex.build(head)
            t = time.perf_counter()
            want = brute_force(numbers, head.get_column("doc_number").to_list())
            brute_s = time.perf_counter() - t
            got = {
                (p, r, lv)
                for p, r, lv in small.lookup(numbers).select("probe", "row", "level").iter_rows()
            }
            print(
                f"brute force on the first {rows:,} rows ({brute_s:.0f} s): {len(want)} pairs, "
                f"index {len(got)}, missing {len(want - got)}, extra {len(got - want)}"
                + (" -- identical" if got == want else " -- DIFFERENT")
            )
        print(f"peak RSS of the whole run: {peak_rss_gb():.2f} GB")
    finally:
        if args.data is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(index_dir, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
        os.sync()


if __name__ == "__main__":
    main()
