"""Golden files for the PAXLST reader: tests/data/paxlst/NN_name.edi + NN_name.expected.json.

Each input is small, invented (fake names such as ZZTESTSON) and reproduces one family of
features of the dirty real-world samples described in shared/conformance/SOURCES.md, so that the
repository alone covers them. The expected values were written by hand from the inputs:

``{"lenient": {"travellers": [...], "issue_codes": [...]},
   "strict": {"error": "E_CODE"} | {"travellers_count": n},
   "variants": [{"options": {...}, "travellers": [...], "issue_codes": [...]}]}``

Dates are ISO strings; every key written in a traveller is compared, absent keys are not.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import paxscreen
from paxscreen import ParseError, ParseOptions
from paxscreen.formats._edifact import parse_interchange
from paxscreen.formats.paxlst import parse_paxlst
from paxscreen.schema import ISSUES, TRAVELLERS

REF = date(2026, 11, 22)
LENIENT = ParseOptions(reference_date=REF)
STRICT = ParseOptions(strict=True, reference_date=REF)
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "paxlst"
CASES = sorted(p.name.removesuffix(".edi") for p in GOLDEN.glob("*.edi"))

DATE_FIELDS = {"dob", "doc_expiry"}
DATETIME_FIELDS = {"dep_time", "arr_time"}


def _load(name: str) -> tuple[Path, dict[str, Any]]:
    path = GOLDEN / f"{name}.edi"
    expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
    return path, expected


def _expected(key: str, value: Any) -> Any:
    """Turn the JSON value of column ``key`` into what the travellers frame holds."""
    if value is None:
        return None
    if key in DATE_FIELDS:
        return date.fromisoformat(value)
    if key in DATETIME_FIELDS:
        return datetime.fromisoformat(value)
    if key == "documents":
        return [{k: _expected(k, v) for k, v in d.items()} for d in value]
    if key == "legs":
        return [{k: _expected(k, v) for k, v in leg.items()} for leg in value]
    return value


def _compare(travellers: pl.DataFrame, expected: list[dict[str, Any]], name: str) -> None:
    assert travellers.schema == TRAVELLERS
    rows = travellers.to_dicts()
    assert len(rows) == len(expected), f"{name}: traveller count"
    for row, want in zip(rows, expected, strict=True):
        rid = want.get("record_id")
        for key, value in want.items():
            assert key in TRAVELLERS, f"{name}: unknown column {key} in the golden file"
            assert row[key] == _expected(key, value), f"{name} {rid}: {key}"


def _codes(issues: pl.DataFrame) -> set[str]:
    assert issues.schema == ISSUES
    return set(issues["code"].to_list())


def test_every_golden_input_has_its_expected_file() -> None:
    assert len(CASES) >= 11
    for name in CASES:
        assert (GOLDEN / f"{name}.expected.json").is_file(), name
    for path in GOLDEN.glob("*.expected.json"):
        assert (GOLDEN / path.name.replace(".expected.json", ".edi")).is_file(), path.name


@pytest.mark.parametrize("name", CASES)
def test_golden_lenient(name: str) -> None:
    path, expected = _load(name)
    parsed = paxscreen.parse_manifest(path, options=LENIENT)
    assert parsed.format == "paxlst"
    _compare(parsed.travellers, expected["lenient"]["travellers"], name)
    assert _codes(parsed.issues) == set(expected["lenient"]["issue_codes"])


@pytest.mark.parametrize("name", CASES)
def test_golden_strict(name: str) -> None:
    path, expected = _load(name)
    verdict = expected["strict"]
    if "error" in verdict:
        with pytest.raises(ParseError) as info:
            paxscreen.parse_manifest(path, options=STRICT)
        assert isinstance(info.value, ValueError)
        assert info.value.code == verdict["error"]
    else:
        parsed = paxscreen.parse_manifest(path, options=STRICT)
        assert parsed.travellers.height == verdict["travellers_count"]
        # Strict mode accepts only what lenient mode reads without a structural repair.
        assert _codes(parsed.issues) <= {"W_COUNT", "E_FIELD"}


@pytest.mark.parametrize("name", [n for n in CASES if "variants" in _load(n)[1]] or ["<none>"])
def test_golden_variants(name: str) -> None:
    path, expected = _load(name)
    for variant in expected["variants"]:
        options = dataclasses.replace(LENIENT, **variant["options"])
        travellers, issues = parse_paxlst(path.read_bytes(), options=options)
        _compare(travellers, variant["travellers"], f"{name} {variant['options']}")
        assert _codes(issues) == set(variant["issue_codes"])


@pytest.mark.parametrize("name", CASES)
def test_golden_issue_rows_are_located_and_carry_no_values(name: str) -> None:
    """Every issue row points somewhere and never repeats a value of the input."""
    path, expected = _load(name)
    parsed = paxscreen.parse_manifest(path, options=LENIENT)
    values = {
        str(v)
        for row in expected["lenient"]["travellers"]
        for key in ("family_name", "given_names", "doc_number", "pnr_locator")
        if (v := row.get(key))
    }
    for issue in parsed.issues.iter_rows(named=True):
        assert issue["segment_index"] is not None or issue["offset"] is not None, issue
        for value in values:
            assert value not in issue["message"], (issue["code"], "leaks a value")


def test_parse_paxlst_agrees_with_parse_manifest() -> None:
    path, _ = _load("08_bags_seats_visas")
    travellers, issues = parse_paxlst(path.read_bytes(), options=LENIENT)
    parsed = paxscreen.parse_manifest(path.read_bytes(), options=LENIENT)
    assert travellers.equals(parsed.travellers)
    assert issues.equals(parsed.issues)


def test_star_in_unb_sender_is_not_a_repetition_separator() -> None:
    """``APIS*C3K`` without UNA under syntax version 4 stays one value (formats.md §7.6)."""
    data = (GOLDEN / "04_crew_no_una_one_line.edi").read_bytes()
    interchange = parse_interchange(data, LENIENT)
    assert interchange.sender == "APIS*C3K"
    assert interchange.control_ref == "1403010600"
    data = (GOLDEN / "06_three_legs_trailing.edi").read_bytes()
    assert parse_interchange(data, LENIENT).sender == "APIS*ZZE"


def test_two_part_list_keeps_its_parts_apart() -> None:
    """Both parts of one list (01:C, 02:F, same common access reference) are read."""
    data = (GOLDEN / "10_two_parts_release_chars.edi").read_bytes()
    interchange = parse_interchange(data, LENIENT)
    parts = [(m.ref, m.common_ref, m.part_number, m.part_flag) for m in interchange.messages]
    assert parts == [
        ("ZZM01", "ZZ688/210801/1310", "01", "C"),
        ("ZZM02", "ZZ688/210801/1310", "02", "F"),
    ]


def test_folded_and_unfolded_files_read_the_same() -> None:
    """Removing the 64-column wrap and the wrapper by hand gives the same travellers."""
    raw = (GOLDEN / "01_telex_wrapped_64col.edi").read_bytes()
    start, end = raw.index(b"UNA"), raw.rindex(b"'") + 1
    clean = raw[start:end].replace(b"\r\n", b"")
    folded, _ = parse_paxlst(raw, options=LENIENT)
    unfolded, issues = parse_paxlst(clean, options=STRICT)
    assert issues.is_empty()
    assert folded.equals(unfolded)


def test_folded_tag_is_reported_whole() -> None:
    path, _ = _load("02_una_star_hash_wrapped")
    _, issues = parse_paxlst(path.read_bytes(), options=LENIENT)
    folded = issues.filter(pl.col("code") == "E_FOLDED").row(0, named=True)
    assert folded["segment_index"] == 1
    assert folded["tag"] == "UNG"
