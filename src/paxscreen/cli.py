"""Command line: ``paxscreen parse | synth | eval | demo``.

The CLI only composes public functions; everything it prints is available from Python.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import polars as pl

import paxscreen as px
from paxscreen.evaluate import evaluate, evaluation_report
from paxscreen.schema import travellers_frame
from paxscreen.synth import FILES, ScenarioConfig, write_scenario

_SHOWN = [
    "record_id",
    "role",
    "family_name",
    "given_names",
    "dob",
    "sex",
    "nationality",
    "doc_type",
    "doc_number",
    "doc_expiry",
    "flight_number",
    "dep_airport",
    "arr_airport",
]


def _print_parsed(parsed: px.ParsedManifest) -> None:
    with pl.Config(tbl_rows=50, tbl_cols=len(_SHOWN), tbl_width_chars=200, fmt_str_lengths=30):
        print(f"format: {parsed.format}   travellers: {parsed.travellers.height}")
        print(parsed.travellers.select(_SHOWN))
        if parsed.issues.height:
            print(f"issues ({parsed.issues.height}):")
            print(parsed.issues.select("severity", "code", "message", "segment_index", "tag"))


def _demo_manifest() -> bytes:
    """A small synthetic PAXLST flight, wrapped and hard-wrapped the way real ones arrive."""
    flight = {
        "carrier": "ZZ",
        "flight_number": "ZZ0123",
        "dep_airport": "FRA",
        "arr_airport": "JFK",
        "dep_time": datetime(2026, 12, 1, 9, 30),
        "arr_time": datetime(2026, 12, 1, 12, 5),
    }
    people = [
        ("passenger", "O'NEILL", "SIOBHAN MARY", date(1984, 3, 9), "F", "IRL", "PA1234567"),
        ("passenger", "AL-HASHIMI", "MOHAMMED", date(1979, 11, 30), "M", "JOR", "N0123456"),
        ("passenger", "MUELLER", "JUERGEN", date(1962, 6, 1), "M", "DEU", "C01X00T47"),
        ("passenger", "NGUYEN", "THI MAI", date(1995, 1, 17), "F", "VNM", "B7654321"),
        ("crew", "GARCIA LOPEZ", "ANA", date(1988, 8, 8), "F", "ESP", "XDA123456"),
    ]
    rows = [
        {
            "record_id": f"1.{k}",
            "source_ref": "DEMO1",
            "role": role,
            "family_name": family,
            "given_names": given,
            "dob": dob,
            "sex": sex,
            "nationality": nat,
            "documents": [
                {
                    "doc_type": "P",
                    "doc_number": number,
                    "doc_issuer": nat,
                    "doc_expiry": date(2031, 5, 31),
                }
            ],
            "legs": [flight],
            **flight,
        }
        for k, (role, family, given, dob, sex, nat, number) in enumerate(people, start=1)
    ]
    text = px.write_paxlst(travellers_frame(rows), sender="ZZAIRLINE", recipient="PIU")
    flat = text.replace("\n", "")
    wrapped = "\r\n".join(flat[i : i + 64] for i in range(0, len(flat), 64))
    return ("QP PIUXXZZ\r\n.ZZAIRXH 011200\r\n" + wrapped + "\r\n").encode("latin-1")


def _synth(args: argparse.Namespace) -> int:
    config = ScenarioConfig(
        seed=args.seed,
        travellers=args.travellers,
        identities=args.identities,
        documents=args.documents,
    )
    summary = write_scenario(args.out, config)
    counts = summary["counts"]
    print(f"scenario written to {args.out} in {summary['seconds']} s (seed {args.seed})")
    print(
        f"  travellers {counts['travellers']:,}: planted {counts.get('planted', 0):,}, hard "
        f"negatives {counts.get('hard_negative', 0):,}, innocents {counts.get('innocent', 0):,}"
    )
    print(f"  watchlist  {counts['identities']:,} identities, {counts['watchlist_rows']:,} rows")
    print(f"  documents  {counts['documents']:,} rows")
    for file in FILES.values():
        path = args.out / file
        if path.exists():
            print(f"  {file:<18} {path.stat().st_size:>15,} bytes")
    return 0


def _eval(folder: Path, hits_path: Path | None) -> int:
    hits_path = hits_path or folder / "hits.parquet"
    if not hits_path.exists():
        raise FileNotFoundError(
            f"no hits at {hits_path}: screen the scenario first and write its hits there"
        )
    if hits_path.suffix == ".csv":
        hits = pl.read_csv(hits_path, infer_schema=False)  # record ids such as 1.10 stay text
    else:
        hits = pl.read_parquet(hits_path)
    truth = pl.read_parquet(folder / FILES["truth"])
    print(evaluation_report(evaluate(hits, truth)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paxscreen`` command."""
    parser = argparse.ArgumentParser(prog="paxscreen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"paxscreen {px.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse a manifest and print its travellers")
    parse.add_argument("file", type=Path)
    parse.add_argument("--format", choices=["paxlst", "csv", "parquet"])
    parse.add_argument("--strict", action="store_true", help="reject structural faults")
    parse.add_argument("-o", "--output", type=Path, help="write the travellers frame (.parquet)")
    commands.add_parser("demo", help="parse a synthetic flight and print the travellers")
    synth = commands.add_parser("synth", help="generate a synthetic scenario with ground truth")
    synth.add_argument("--out", type=Path, required=True, help="directory to write into")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--travellers", type=int, default=300)
    synth.add_argument("--identities", type=int, default=5_000)
    synth.add_argument("--documents", type=int, default=10_000)
    scoring = commands.add_parser("eval", help="evaluate screening hits against a scenario")
    scoring.add_argument("scenario", type=Path, help="a directory written by 'paxscreen synth'")
    scoring.add_argument(
        "--hits", type=Path, help="hits (.parquet or .csv); default: SCENARIO/hits.parquet"
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "synth":
            return _synth(args)
        if args.command == "eval":
            return _eval(args.scenario, args.hits)
        if args.command == "demo":
            data = _demo_manifest()
            print("A synthetic PAXLST flight, as received (telex header, lines wrapped at 64):\n")
            print(data.decode("latin-1")[:400] + "...\n")
            _print_parsed(px.parse_manifest(data))
            return 0
        parsed = px.parse_manifest(args.file, args.format, args.strict)
        _print_parsed(parsed)
        if args.output:
            parsed.travellers.write_parquet(args.output)
        return 0
    except (px.PaxscreenError, ValueError, OSError) as exc:
        print(f"paxscreen: {exc}", file=sys.stderr)
        return 2
