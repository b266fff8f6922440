"""PAXLST parsing speed: paxscreen against pydifact 0.2.3, measured in the same run.

Input: a deterministic 10,000-traveller PAXLST D05B interchange in the shape of
``shared/research/formats_tools/gen_paxlst.py`` (16 segments per traveller, about 28% of the
names carrying release characters), generated here with the project's own writer-free
generator so the script runs from a fresh clone.

Both sides do the same job: bytes in, one row per traveller with the same 15 fields out.
pydifact tokenizes (``RawSegmentCollection.from_str``) and a plain Python loop builds the rows;
paxscreen runs ``parse_manifest`` (tokenizer, envelope checks, travellers frame).

Prints median and best times over ``--repeat`` runs, travellers per second, and the ratio.

A second part does the same for PNRGOV: a push of the same number of travellers written by
``paxscreen.synth.pnr_push`` (2 travellers per PNR on average, DOCS, seats, bags, 20% with
meal/medical SSRs and remarks for the ingest filter), parsed by ``parse_manifest`` against
pydifact's tokenizer plus a loop that picks TIF names and SSR DOCS per traveller.
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


def generate_pnrgov(n: int, seed: int = 1) -> str:
    """A PNRGOV 13.1 push with ``n`` travellers (deterministic), via the synthetic writer."""
    from datetime import date, datetime

    from paxscreen.schema import travellers_frame
    from paxscreen.synth.pnrgov import pnr_push

    rnd = random.Random(seed)
    leg = {
        "carrier": "ZZ",
        "flight_number": "ZZ123",
        "dep_airport": "LHR",
        "arr_airport": "JFK",
        "dep_time": datetime(2025, 1, 1, 9, 0),
        "arr_time": datetime(2025, 1, 1, 12, 0),
    }
    rows = []
    locator = ""
    for i in range(n):
        if not locator or rnd.random() < 0.5:
            locator = f"{rnd.randint(0, 36**6 - 1):06X}"
        number = f"{rnd.choice('ABCDEFGH')}{rnd.randint(10**7, 10**8 - 1)}"
        doc = {
            "doc_type": "P",
            "doc_number": number,
            "doc_issuer": "GBR",
            "doc_expiry": date(2030, rnd.randint(1, 12), rnd.randint(1, 28)),
        }
        rows.append(
            {
                "record_id": f"r{i}",
                "role": "passenger",
                "family_name": rnd.choice(["SMITH", "MUELLER", "NGUYEN", "GARCIA", "TANAKA"]),
                "given_names": rnd.choice(["JOHN", "ANNA MARIA", "LI", "JOSE"]),
                "dob": date(rnd.randint(1940, 2010), rnd.randint(1, 12), rnd.randint(1, 28)),
                "sex": rnd.choice("MF"),
                "nationality": "GBR",
                **{k: doc[k] for k in ("doc_type", "doc_number", "doc_issuer", "doc_expiry")},
                "documents": [doc],
                **leg,
                "legs": [leg],
                "pnr_locator": locator,
                "seat": f"{rnd.randint(1, 60)}{rnd.choice('ABCDEF')}",
                "bag_tags": [f"{rnd.randint(10**9, 10**10 - 1)}"],
            }
        )
    return pnr_push(travellers_frame(rows), seed=seed, sensitive_share=0.2)


def pydifact_pnr_rows(text: str) -> list[dict[str, Any]]:
    """pydifact's tokenizer plus a loop taking TIF names and SSR DOCS free text."""
    from pydifact.segmentcollection import RawSegmentCollection

    rows: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    in_pnr = False
    for segment in RawSegmentCollection.from_str(text).segments:
        tag, els = segment.tag, segment.elements
        if tag == "SRC":
            in_pnr = True
        elif tag == "TVL" and in_pnr:
            in_pnr = False
        elif tag == "TIF" and in_pnr:
            given = els[1] if len(els) > 1 else ""
            given = given if isinstance(given, list) else [given]
            current = {"family": els[0], "given": given[0]}
            rows.append(current)
        elif tag == "SSR" and current is not None and in_pnr:
            comp = els[0] if isinstance(els[0], list) else [els[0]]
            if comp[0] == "DOCS" and len(comp) > 8:
                current["docs"] = comp[8].split("/")
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

    pnr_text = generate_pnrgov(args.travellers)
    pnr = pnr_text.encode("latin-1")
    print(
        f"\nPNRGOV input: {args.travellers:,} travellers, {len(pnr) / 1e6:.2f} MB, "
        f"{pnr_text.count(chr(39)):,} segments"
    )
    px.parse_manifest(pnr)
    mine = timed(lambda: px.parse_manifest(pnr).travellers.height, args.repeat)
    pnr_results = {"paxscreen parse_manifest": mine}
    try:
        other = timed(lambda: len(pydifact_pnr_rows(pnr_text)), max(3, args.repeat // 2))
        pnr_results["pydifact 0.2.3 raw + rows"] = other
    except ImportError:
        pass
    for name, (times, count) in pnr_results.items():
        median = statistics.median(times)
        print(
            f"{name:28s} rows={count:>7,}  median {median * 1000:8.1f} ms  "
            f"best {min(times) * 1000:8.1f} ms  {count / median:>10,.0f} travellers/s"
        )
    if len(pnr_results) == 2:
        ratio = statistics.median(pnr_results["pydifact 0.2.3 raw + rows"][0]) / statistics.median(
            mine[0]
        )
        print(f"PNRGOV speed-up (median over median): {ratio:.1f}x pydifact")


if __name__ == "__main__":
    main()
