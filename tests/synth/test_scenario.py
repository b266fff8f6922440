"""Scenarios: the truth agrees with the files, every label means what it says, and a seed
always gives the same scenario."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

import paxscreen as px
from paxscreen.evaluate import TRUTH, evaluate
from paxscreen.normalize.names import ascii_fold
from paxscreen.schema import DOCUMENT_LIST, TRAVELLERS, WATCHLIST
from paxscreen.synth import (
    CORRUPTIONS,
    FILES,
    Scenario,
    ScenarioConfig,
    make_scenario,
    write_scenario,
)

CONFIG = ScenarioConfig(
    seed=3, travellers=420, identities=3_000, documents=4_000, planted_share=0.25
)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make_scenario(CONFIG)


def folded(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("family_name", "given_names").map_elements(ascii_fold, return_dtype=pl.String)
    )


def planted(scenario: Scenario, corruption: str) -> pl.DataFrame:
    """The planted travellers of one corruption kind joined to their truth row."""
    rows = scenario.truth.filter(pl.col("corruption") == corruption)
    assert rows.height >= 3, corruption
    return rows.join(scenario.travellers, on="record_id")


def listed(scenario: Scenario, rows: pl.DataFrame) -> pl.DataFrame:
    """The primary watchlist row of each traveller's entry, columns prefixed ``list_``."""
    primary = (
        scenario.watchlist.filter(pl.col("name_type") == "primary")
        .unique("entry_id", keep="first", maintain_order=True)
        .select(pl.all().name.prefix("list_"))
    )
    return rows.join(primary, left_on="entry_id", right_on="list_entry_id")


# -- the truth agrees with the files -------------------------------------------------------------


def test_frames_have_their_schemas(scenario: Scenario) -> None:
    assert scenario.travellers.schema == TRAVELLERS
    assert scenario.watchlist.schema == WATCHLIST
    assert scenario.documents.schema == DOCUMENT_LIST
    assert scenario.truth.schema == TRUTH
    assert scenario.travellers.height == CONFIG.travellers
    assert scenario.documents.height == CONFIG.documents
    assert scenario.watchlist["entry_id"].n_unique() == CONFIG.identities


def assert_consistent(scenario: Scenario) -> None:
    """Every traveller has one truth row; every truth entry exists on its list."""
    truth = scenario.truth
    assert truth["record_id"].to_list() == scenario.travellers["record_id"].to_list()
    on_list = truth.filter(pl.col("list") == "watchlist")
    assert on_list["entry_id"].is_in(scenario.watchlist["entry_id"].implode()).all()
    lost = truth.filter(pl.col("list") == "documents")
    assert lost["entry_id"].is_in(scenario.documents["record_ref"].implode()).all()
    assert truth.filter(pl.col("kind") != "innocent")["entry_id"].null_count() == 0


def test_truth_is_consistent_with_the_files(scenario: Scenario) -> None:
    assert_consistent(scenario)
    truth = scenario.truth
    assert set(truth.filter(pl.col("kind") == "planted")["corruption"]) == set(CORRUPTIONS)
    assert truth.filter(pl.col("kind") != "planted")["corruption"].is_null().all()
    crew = scenario.travellers.filter(pl.col("role") == "crew")["record_id"]
    assert (truth.filter(pl.col("record_id").is_in(crew.implode()))["kind"] == "innocent").all()


def test_the_paxlst_manifest_is_the_travellers_frame(scenario: Scenario) -> None:
    parsed = px.parse_manifest(scenario.manifest.encode("latin-1"))
    assert parsed.issues.height == 0
    assert parsed.travellers.equals(scenario.travellers)


def test_the_lists_read_back_through_the_public_readers(scenario: Scenario) -> None:
    assert px.read_watchlist(scenario.watchlist).equals(scenario.watchlist)
    assert px.read_documents(scenario.documents).equals(scenario.documents)


def test_the_watchlist_has_aliases_scripts_partial_and_multiple_dates(scenario: Scenario) -> None:
    wl = scenario.watchlist
    assert set(wl["name_type"]) == {"primary", "alias", "weak_alias"}
    non_latin = wl.filter(~pl.col("family_name").str.contains("^[A-Z '\\-\\p{Latin}]+$"))
    assert non_latin.height > 0.03 * CONFIG.identities
    dob = wl["dob"].drop_nulls()
    assert (dob.str.len_chars() == 4).any() and (dob.str.len_chars() == 10).any()
    dates_per_entry = wl.group_by("entry_id").agg(pl.col("dob").n_unique())
    assert (dates_per_entry["dob"] > 1).any()
    assert wl["dob"].null_count() > 0
    assert wl["doc_number"].drop_nulls().len() > 0.15 * CONFIG.identities


# -- every label means what it says --------------------------------------------------------------


def test_name_corruptions_change_the_name_and_nothing_else(scenario: Scenario) -> None:
    for kind, check in [
        ("exact", lambda a, b: a == b),
        ("typo1", lambda a, b: OSA.distance(a, b) == 1),
        ("typo2", lambda a, b: OSA.distance(a, b) == 2),
        ("transliteration", lambda a, b: a != b),
        ("name_swap", lambda a, b: a.split(" | ") == b.split(" | ")[::-1]),
        ("middle_dropped", lambda a, b: len(a.split()) == len(b.split()) - 1),
        ("middle_added", lambda a, b: len(a.split()) == len(b.split()) + 1),
        ("compound", lambda a, b: a.replace(" ", "") == b.replace(" ", "").replace("-", "")),
        ("dob_year_off", lambda a, b: a == b),
    ]:
        rows = folded(
            listed(scenario, planted(scenario, kind))
            .rename({"family_name": "f", "given_names": "g"})
            .rename({"list_family_name": "family_name", "list_given_names": "given_names"})
        )
        for row in rows.iter_rows(named=True):
            traveller = f"{row['f']} | {row['g']}"
            entry = f"{row['family_name']} | {row['given_names']}"
            assert check(traveller, entry), (kind, traveller, entry)


def test_date_corruptions(scenario: Scenario) -> None:
    for kind in ("dob_day_month_swap", "dob_year_off", "dob_digit_off", "exact"):
        for row in listed(scenario, planted(scenario, kind)).iter_rows(named=True):
            mine, theirs = row["dob"].isoformat(), row["list_dob"]
            assert len(theirs) in (4, 10)
            if kind == "exact":
                assert theirs in (mine, mine[:4])
            elif kind == "dob_day_month_swap":
                assert theirs == f"{mine[:4]}-{mine[8:]}-{mine[5:7]}" != mine
            elif kind == "dob_year_off":
                assert abs(int(theirs[:4]) - int(mine[:4])) == 1 and theirs[4:] == mine[4:]
            else:
                assert sum(a != b for a, b in zip(mine, theirs, strict=True)) == 1
    for row in listed(scenario, planted(scenario, "dob_year_only")).iter_rows(named=True):
        assert row["list_dob"] == str(row["dob"].year)


def test_script_on_list_entries_have_no_latin_name(scenario: Scenario) -> None:
    entries = planted(scenario, "script_on_list")["entry_id"]
    rows = scenario.watchlist.filter(pl.col("entry_id").is_in(entries.implode()))
    assert not rows["family_name"].str.contains("[A-Z]").any()
    assert planted(scenario, "script_on_list")["family_name"].str.contains("^[A-Z]").all()


def test_document_corruptions(scenario: Scenario) -> None:
    docs = scenario.documents
    for kind, distance in [("lost_exact", 0), ("lost_ocr", 1), ("lost_edit", 1)]:
        rows = planted(scenario, kind).join(docs, left_on="entry_id", right_on="record_ref")
        for row in rows.iter_rows(named=True):
            assert OSA.distance(row["doc_number"], row["doc_number_right"]) == distance
        if distance:
            assert not rows["doc_number"].is_in(docs["doc_number"].implode()).any()
    for kind in ("doc_ocr", "doc_transposition"):
        for row in listed(scenario, planted(scenario, kind)).iter_rows(named=True):
            assert OSA.distance(row["doc_number"], row["list_doc_number"]) == 1


def test_hard_negatives_are_namesakes_born_years_apart(scenario: Scenario) -> None:
    rows = listed(
        scenario,
        scenario.truth.filter(pl.col("kind") == "hard_negative").join(
            scenario.travellers, on="record_id"
        ),
    )
    assert rows.height >= 10
    for row in rows.iter_rows(named=True):
        assert (row["family_name"], row["given_names"]) == (
            ascii_fold(row["list_family_name"]),
            ascii_fold(row["list_given_names"]),
        )
        assert abs(row["dob"].year - int(row["list_dob"][:4])) >= 2


def test_innocents_never_coincide_with_a_listed_identity(scenario: Scenario) -> None:
    innocents = scenario.truth.filter(pl.col("kind") == "innocent").join(
        scenario.travellers, on="record_id"
    )
    wl = folded(scenario.watchlist).drop_nulls("dob")
    same = innocents.join(wl, on=["family_name", "given_names"]).filter(
        (pl.col("dob").dt.to_string() == pl.col("dob_right"))
        | (pl.col("dob").dt.year().cast(pl.String) == pl.col("dob_right"))
    )
    assert same.height == 0
    numbers = innocents["doc_number"].implode()
    assert not scenario.documents["doc_number"].is_in(numbers).any()
    assert not scenario.watchlist["doc_number"].is_in(numbers).any()
    # ... but they do share names with listed people: common names collide
    assert innocents.join(folded(scenario.watchlist), on="family_name").height > 0


def test_an_exact_key_matcher_finds_exactly_the_exact_kinds(scenario: Scenario) -> None:
    """A naive matcher (folded name equal, birth date compatible) against the truth: it must
    find every exact planted hit and none of the spelling corruptions, which shows the labels
    and the evaluation agree with the files."""
    wl = folded(scenario.watchlist)
    hits = (
        scenario.travellers.join(wl, on=["family_name", "given_names"])
        .filter(
            pl.col("dob_right").is_null()
            | (pl.col("dob").dt.to_string() == pl.col("dob_right"))
            | (pl.col("dob").dt.year().cast(pl.String) == pl.col("dob_right"))
        )
        .select("record_id", pl.lit("watchlist").alias("list"), "entry_id", band=pl.lit("alert"))
        .unique()
    )
    table = evaluate(hits, scenario.truth)
    recall = dict(
        table.filter(pl.col("dimension") == "corruption")
        .select("group", "recall_alert")
        .iter_rows()
    )
    for kind in ("exact", "dob_year_only", "doc_ocr", "doc_transposition"):
        assert recall[kind] == 1.0, kind
    for kind in ("typo1", "typo2", "transliteration", "name_swap", "compound", "script_on_list"):
        assert recall[kind] == 0.0, kind
    for kind in ("dob_day_month_swap", "dob_year_off", "dob_digit_off"):
        assert recall[kind] == 0.0, kind


# -- a seed always gives the same scenario -------------------------------------------------------


@settings(max_examples=4)
@given(st.integers(0, 10_000))
def test_a_seed_determines_a_consistent_scenario(seed: int) -> None:
    config = ScenarioConfig(seed=seed, travellers=60, identities=900, documents=300)
    first, second = make_scenario(config), make_scenario(config)
    assert_consistent(first)
    for name in ("travellers", "watchlist", "documents", "truth"):
        assert getattr(first, name).equals(getattr(second, name)), name
    assert first.manifest == second.manifest
    other = make_scenario(ScenarioConfig(seed=seed + 1, travellers=60, identities=900))
    assert not other.watchlist.equals(first.watchlist)


def test_write_scenario_writes_what_make_scenario_makes(tmp_path: Path) -> None:
    config = ScenarioConfig(seed=5, travellers=80, identities=1_000, documents=500)
    summary = write_scenario(tmp_path, config)
    made = make_scenario(config)
    assert {p.name for p in tmp_path.iterdir()} == set(FILES.values())
    for name in ("travellers", "watchlist", "documents", "truth"):
        assert pl.read_parquet(tmp_path / FILES[name]).equals(getattr(made, name)), name
    assert (tmp_path / FILES["manifest"]).read_text(encoding="latin-1") == made.manifest
    # the PNR push: every passenger once, with the name and date of birth of the flight,
    # and nothing of what the ingest filter drops
    parsed = px.parse_manifest(tmp_path / FILES["pnr"])
    assert parsed.format == "pnrgov"
    passengers = made.travellers.filter(pl.col("role") != "crew")
    key = ["family_name", "given_names", "dob"]
    assert parsed.travellers.select(key).sort(key).equals(passengers.select(key).sort(key))
    assert "QZREMARKCANARY" in (tmp_path / FILES["pnr"]).read_text(encoding="latin-1")
    assert "QZREMARKCANARY" not in str(parsed.travellers.to_dicts()) + str(parsed.issues.to_dicts())
    assert {"I_PNR_SENSITIVE_DROPPED", "I_PNR_FREE_TEXT_DROPPED"} <= set(parsed.issues["code"])
    assert summary["counts"]["travellers"] == 80
    assert summary["config"]["seed"] == 5


def test_impossible_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown corruption"):
        ScenarioConfig(corruptions=("exact", "telepathy"))
    with pytest.raises(ValueError, match="within"):
        ScenarioConfig(planted_share=0.9, hard_negative_share=0.2)


def test_bulk_rendering_agrees_with_the_person_model() -> None:
    """The vectorised watchlist renderer and the per-person model print the same names."""
    import numpy as np

    from paxscreen.synth import noise
    from paxscreen.synth.names import GROUPS
    from paxscreen.synth.scenario import _person, _render, _sample_people

    rng = np.random.default_rng(11)
    people = _sample_people(rng, rng.integers(0, len(GROUPS), size=2_000), 0.3)
    latin, script = _render(people, script=False), _render(people, script=True)
    for k in range(2_000):
        person = _person(people, k)
        assert (latin[0][k], latin[1][k]) == noise.render(person)
        both = (script[0][k], script[1][k])
        assert person.script_name() == (None if None in both else both)
        if person.group.key == "vietnamese" and len(person.given) == 2:
            middle = person.group.middle(person.female).spellings
            assert any(person.given[0].spellings == m for m in middle)
