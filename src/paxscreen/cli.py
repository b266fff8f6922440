"""Command line: ``paxscreen parse | screen | synth | eval | demo``.

The CLI only composes public functions; everything it prints is available from Python.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

import paxscreen as px
from paxscreen.evaluate import evaluate, evaluation_report
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


def _screen(args: argparse.Namespace) -> int:
    travellers = px.read_manifest(args.manifest)
    screener = px.Screener(px.read_watchlist(args.watchlist), args.documents)
    result = screener.screen(travellers)
    _print_hits(result)
    if args.output:
        result.hits.write_parquet(args.output)
    return 0


def _print_hits(result: px.ScreenResult) -> None:
    summary = result.summary
    print(
        f"screened {summary['screened']:,} of {summary['travellers']:,} travellers in "
        f"{summary['seconds']['total']:.2f} s: {summary['alerts']} alerts, "
        f"{summary['reviews']} for review, {summary['rejected']} rejected"
    )
    for record_id in result.hits.filter(pl.col("band") == "alert")["record_id"].unique(
        maintain_order=True
    ):
        print(result.explain(record_id))


def _demo() -> int:
    """Generate a small scenario, screen its PAXLST flight and score the result."""
    config = ScenarioConfig(seed=2026, travellers=300, identities=5_000, documents=1_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_scenario(folder, config)
        print(
            f"A synthetic flight of {config.travellers} travellers (PAXLST) against a watchlist "
            f"of {config.identities:,} identities and a lost/stolen document list of "
            f"{config.documents:,}, with ground truth (seed {config.seed}).\n"
        )
        travellers = px.read_manifest(folder / FILES["manifest"])
        watchlist = px.read_watchlist(folder / FILES["watchlist"])
        result = px.Screener(watchlist, folder / FILES["documents"]).screen(travellers)
        truth = pl.read_parquet(folder / FILES["truth"])
    _print_hits(result)
    print()
    print(evaluation_report(evaluate(result, truth)).split("\n\n")[0])
    return 0


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
    commands.add_parser("demo", help="screen a synthetic flight and print the alerts")
    screen = commands.add_parser("screen", help="screen a manifest against a watchlist")
    screen.add_argument("manifest", type=Path, help="PAXLST, CSV or Parquet manifest")
    screen.add_argument("--watchlist", type=Path, required=True, help="CSV or Parquet")
    screen.add_argument("--documents", type=Path, help="lost/stolen document list")
    screen.add_argument("-o", "--output", type=Path, help="write the hits (.parquet)")
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
            return _demo()
        if args.command == "screen":
            return _screen(args)
        parsed = px.parse_manifest(args.file, args.format, args.strict)
        _print_parsed(parsed)
        if args.output:
            parsed.travellers.write_parquet(args.output)
        return 0
    except (px.PaxscreenError, ValueError, OSError) as exc:
        print(f"paxscreen: {exc}", file=sys.stderr)
        return 2
