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
