"""The command line composes the public functions."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from paxscreen.cli import _demo_manifest, main


def test_demo_prints_the_travellers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "travellers: 5" in out
    assert "O'NEILL" in out and "E_FOLDED" in out and "E_WRAPPER" in out


def test_parse_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "flight.edi"
    source.write_bytes(_demo_manifest())
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
