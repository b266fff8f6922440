"""The committed scenarios in ``data/synthetic`` are exactly what their config regenerates.

Text files must match byte for byte; Parquet files must hold equal frames (their bytes carry the
writer's version, which is not part of the scenario). After a deliberate change to the generator,
run ``make synthetic`` and commit the result.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from paxscreen.synth import FILES, ScenarioConfig, write_scenario

ROOT = Path(__file__).resolve().parents[2] / "data" / "synthetic"
SCENARIOS = sorted(p.parent for p in ROOT.glob("*/scenario.json"))


def test_two_committed_scenarios_exist() -> None:
    assert [p.name for p in SCENARIOS] == ["flight300", "flight850"]


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_regenerating_a_committed_scenario_gives_identical_files(
    folder: Path, tmp_path: Path
) -> None:
    summary = json.loads((folder / FILES["summary"]).read_text(encoding="utf-8"))
    settings = dict(summary["config"])
    settings["reference_date"] = date.fromisoformat(settings["reference_date"])
    settings["corruptions"] = tuple(settings["corruptions"])
    fresh = write_scenario(tmp_path, ScenarioConfig(**settings))
    stale = "out of date: run `make synthetic` and commit data/synthetic"
    assert {k: v for k, v in fresh.items() if k not in ("generator", "seconds")} == {
        k: v for k, v in summary.items() if k != "generator"
    }, stale
    assert (tmp_path / FILES["manifest"]).read_bytes() == (folder / FILES["manifest"]).read_bytes()
    for name, file in FILES.items():
        if file.endswith(".parquet"):
            assert pl.read_parquet(tmp_path / file).equals(pl.read_parquet(folder / file)), (
                name,
                stale,
            )
