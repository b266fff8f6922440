"""The command line composes the public functions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

import paxscreen as px
from paxscreen.cli import main
from paxscreen.schema import travellers_frame


def demo_manifest() -> bytes:
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


def test_demo_screens_a_flight_and_scores_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "screened 300 of 300 travellers" in out
    assert "ALERT" in out and "name similarity" in out
    assert "recall" in out and "false alerts" in out


def test_parse_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "flight.edi"
    source.write_bytes(demo_manifest())
    target = tmp_path / "travellers.parquet"
    assert main(["parse", str(source), "-o", str(target)]) == 0
    assert pl.read_parquet(target).height == 5
    assert main(["parse", str(source), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "E_WRAPPER" in err and "O'NEILL" not in err


def test_synth_writes_a_scenario_and_eval_reports_on_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scenario"
    args = ["--travellers", "120", "--identities", "1500", "--documents", "200"]
    assert main(["synth", "--out", str(out), "--seed", "4", *args]) == 0
    printed = capsys.readouterr().out
    assert "travellers 120" in printed and "1,500 identities" in printed
    assert "documents.parquet" in printed

    assert main(["eval", str(out)]) == 2
    assert "no hits" in capsys.readouterr().err

    # hits that find every planted watchlist traveller at the alert band
    truth = pl.read_parquet(out / "truth.parquet")
    hits = truth.filter(pl.col("kind") == "planted").select(
        "record_id", "list", "entry_id", band=pl.lit("alert")
    )
    hits.write_csv(tmp_path / "hits.csv")
    assert main(["eval", str(out), "--hits", str(tmp_path / "hits.csv")]) == 0
    report = capsys.readouterr().out
    planted = truth.filter(pl.col("kind") == "planted").height
    assert f"planted {planted}: recall 100.0% at alert, 100.0% at review" in report


def test_screen_writes_hits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scenario"
    args = ["--travellers", "60", "--identities", "800", "--documents", "50"]
    assert main(["synth", "--out", str(out), "--seed", "5", *args]) == 0
    hits = tmp_path / "hits.parquet"
    manifest, watchlist = str(out / "manifest.edi"), str(out / "watchlist.parquet")
    assert main(["screen", manifest, "--watchlist", watchlist, "-o", str(hits)]) == 0
    assert "screened 60 of 60 travellers" in capsys.readouterr().out
    assert pl.read_parquet(hits).height > 0
    assert main(["eval", str(out), "--hits", str(hits)]) == 0
    documents = str(out / "documents.parquet")
    assert (
        main(
            [
                "screen",
                manifest,
                "--watchlist",
                watchlist,
                "--documents",
                documents,
                "-o",
                str(hits),
            ]
        )
        == 0
    )
    truth = pl.read_parquet(out / "truth.parquet").filter(pl.col("list") == "documents")
    found = pl.read_parquet(hits).filter(pl.col("list") == "documents")
    assert set(truth["record_id"]) <= set(found["record_id"])
