"""PAXLST parsing speed: paxscreen against pydifact 0.2.3, measured in the same run.

Input: a deterministic 10,000-traveller PAXLST D05B interchange in the shape of
``shared/research/formats_tools/gen_paxlst.py`` (16 segments per traveller, about 28% of the
names carrying release characters), generated here with the project's own writer-free
generator so the script runs from a fresh clone.

Both sides do the same job: bytes in, one row per traveller with the same 15 fields out.
pydifact tokenizes (``RawSegmentCollection.from_str``) and a plain Python loop builds the rows;
paxscreen runs ``parse_manifest`` (tokenizer, envelope checks, travellers frame).

Prints median and best times over ``--repeat`` runs, travellers per second, and the ratio.
Usage: ``python benchmarks/bench_parse.py [--travellers 10000] [--repeat 7]`` (needs the
``bench`` extra: ``pip install -e '.[bench]'``, or ``make bench``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import paxscreen as px


def generate(n: int, seed: int = 1) -> str:
    """A PAXLST D05B interchange with ``n`` travellers (deterministic)."""
    rnd = random.Random(seed)
    surnames = [
        "SMITH",
        "MUELLER",
        "O?'BRIEN",
        "NGUYEN",
        "GARCIA",
        "KOWALSKA",
        "IVANOV",
        "AL?+HASHIMI",
        "TANAKA",
        "DUBOIS",
    ]
    given = [
        "JOHN",
        "ANNA MARIA",
        "LI",
        "JOSE",
        "PIOTR",
        "FATIMA",
        "HANS PETER",
        "AKIKO",
        "JEAN?:LUC",
        "OLGA",
    ]
    nats = ["GBR", "DEU", "USA", "FRA", "POL", "IRL", "JPN", "ESP", "UTO", "XXA"]
    body = [
        "UNH+PAX001+PAXLST:D:05B:UN:IATA+ZZ123/250101/0900+01:F'",
        "BGM+745'",
        "RFF+TN:BENCH0001:::1'",
        "NAD+MS+++BENCH:DESK'",
        "COM+44 20 0000 0000:TE'",
        "TDT+20+ZZ123+++ZZ'",
        "LOC+125+LHR'",
        "DTM+189:2501010900:201'",
        "LOC+87+JFK'",
        "DTM+232:2501011200:201'",
    ]
    for i in range(n):
        s, g, nat = rnd.choice(surnames), rnd.choice(given), rnd.choice(nats)
        body += [
            f"NAD+FL+++{s}:{g}'",
            f"ATT+2++{rnd.choice('MFX')}'",
            f"DTM+329:{rnd.randint(30, 99):02d}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}'",
            f"MEA+CT++:{rnd.randint(0, 3)}'",
            f"FTX+BAG+++ZZ{rnd.randint(100000, 999999)}:1'",
            "LOC+22+JFK'",
            f"LOC+174+{nat}'",
            "LOC+178+LHR'",
            "LOC+179+JFK'",
            f"LOC+180+:::CITY{i % 97}'",
            f"NAT+2+{nat}'",
            f"RFF+AVF:{rnd.randint(0, 36**6 - 1):06X}'",
            f"RFF+SEA:{rnd.randint(1, 60)}{rnd.choice('ABCDEF')}'",
            f"DOC+P:110:111+{rnd.choice('ABCDEFGH')}{rnd.randint(10**7, 10**8 - 1)}'",
            f"DTM+36:{rnd.randint(26, 35)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}'",
            f"LOC+91+{nat}'",
        ]
    body.append(f"CNT+42:{n}'")
    body.append(f"UNT+{len(body) + 1}+PAX001'")
    segments = ["UNB+UNOA:4+ZZAIRLINE+CUSTOMS+250101:0900+000000001'", *body, "UNZ+1+000000001'"]
    return "UNA:+.? '" + "\n".join(segments) + "\n"


def pydifact_rows(text: str) -> list[dict[str, Any]]:
    """pydifact's tokenizer plus the same row extraction a caller would write."""
    from pydifact.segmentcollection import RawSegmentCollection

    rows: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for segment in RawSegmentCollection.from_str(text).segments:
        tag, els = segment.tag, segment.elements
        if tag == "NAD" and els and els[0] in ("FL", "FM", "DDT", "DDU"):
            name = els[3] if len(els) > 3 else ""
            name = [name] if isinstance(name, str) else name
            current = {"role": els[0], "family": name[0], "given": " ".join(name[1:5])}
            rows.append(current)
        elif current is None:
            continue
        elif tag == "ATT":
            current["sex"] = els[2]
        elif tag == "DTM":
            comp = els[0] if isinstance(els[0], list) else [els[0]]
            current["dob" if comp[0] == "329" else "expiry"] = comp[1]
        elif tag == "NAT":
            current["nationality"] = els[1]
        elif tag == "DOC":
            comp = els[0] if isinstance(els[0], list) else [els[0]]
            current["doc_type"], current["doc_number"] = comp[0], els[1]
        elif tag == "LOC":
            value = els[1] if len(els) > 1 else ""
            current["loc" + els[0]] = value if isinstance(value, str) else ":".join(value)
        elif tag == "RFF":
            current["rff_" + els[0][0]] = els[0][1]
        elif tag == "FTX":
            current.setdefault("bags", []).append(els[3])
    return rows


def timed(function: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    times = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = function()
        times.append(time.perf_counter() - start)
    return times, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    text = generate(args.travellers)
    data = text.encode("latin-1")
    print(
        f"input: {args.travellers:,} travellers, {len(data) / 1e6:.2f} MB, "
        f"{text.count(chr(39)):,} segments"
    )

    px.parse_manifest(data)  # warm-up: imports, polars thread pool
    ours, n_ours = timed(lambda: px.parse_manifest(data).travellers.height, args.repeat)
    results = {"paxscreen parse_manifest": (ours, n_ours)}
    try:
        warnings.simplefilter("ignore")
        pydifact_rows(text[:2000] + "UNZ+1+000000001'")
        theirs, n_theirs = timed(lambda: len(pydifact_rows(text)), max(3, args.repeat // 2))
        results["pydifact 0.2.3 raw + rows"] = (theirs, n_theirs)
    except ImportError:
        print("pydifact not installed: pip install -e '.[bench]' for the baseline")

    for name, (times, count) in results.items():
        median = statistics.median(times)
        print(
            f"{name:28s} rows={count:>7,}  median {median * 1000:8.1f} ms  "
            f"best {min(times) * 1000:8.1f} ms  {count / median:>10,.0f} travellers/s  "
            f"{median / count * 1e6:6.2f} us/traveller"
        )
    if len(results) == 2:
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"speed-up (median over median): {ratio:.1f}x pydifact")


if __name__ == "__main__":
    main()
