"""Golden files for the PNR readers: tests/data/pnrgov/*.edi and tests/data/pnrgov_xml/*.xml.

Each input is small and invented (fake names such as ZZTESTONE) and reproduces one family of
features of the real samples of shared/conformance/SOURCES.md (history and meals, an infant
whose DOCS sits in the adult's block, a UNA that cannot be taken literally, code shares,
a TIF merged into the previous segment, ``-``/``*`` separators, DOCO visas, check-in bags, an
XML wrapper with RPH links), so a fresh clone tests them without ../shared. The expected
frames were produced by the reader and checked by hand against the inputs.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import paxscreen as px
from paxscreen.schema import ISSUES, TRAVELLERS

REF = date(2026, 11, 22)
LENIENT = px.ParseOptions(reference_date=REF)
STRICT = px.ParseOptions(reference_date=REF, strict=True)
DATA = Path(__file__).resolve().parents[1] / "data"
CASES = sorted(
    p
    for d in ("pnrgov", "pnrgov_xml")
    for p in (DATA / d).iterdir()
    if p.suffix in (".edi", ".xml")
)
CANARY = "QZCANARY"


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    return data


def test_there_are_golden_files() -> None:
    assert len(CASES) >= 5
    for path in CASES:
        assert path.with_name(path.stem + ".expected.json").is_file(), path.name


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_golden_lenient(path: Path) -> None:
    expected = _expected(path)
    parsed = px.parse_manifest(path, options=LENIENT)
    assert parsed.format == ("pnrgov_xml" if path.suffix == ".xml" else "pnrgov")
    assert parsed.travellers.schema == TRAVELLERS
    assert parsed.issues.schema == ISSUES
    rows = parsed.travellers.to_dicts()
    want = expected["lenient"]["travellers"]
    assert len(rows) == len(want)
    for row, wanted in zip(rows, want, strict=True):
        for key, value in wanted.items():
            assert _json(row[key]) == value, (path.name, wanted["record_id"], key)
    assert sorted(set(parsed.issues["code"])) == expected["lenient"]["issue_codes"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_golden_strict(path: Path) -> None:
    verdict = _expected(path)["strict"]
    if "error" in verdict:
        with pytest.raises(px.ParseError) as caught:
            px.parse_manifest(path, options=STRICT)
        assert caught.value.code == verdict["error"]
    else:
        assert (
            px.parse_manifest(path, options=STRICT).travellers.height == verdict["travellers_count"]
        )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_golden_sensitive_and_free_text_never_reach_any_output(path: Path) -> None:
    """Every remark and deny-listed SSR in the golden inputs carries QZCANARY."""
    parsed = px.parse_manifest(path, options=LENIENT)
    text = json.dumps(_json(parsed.travellers.to_dicts())) + json.dumps(parsed.issues.to_dicts())
    assert CANARY not in text
    for code in ("AVML", "KSML", "MOML", "WCHR"):
        assert code not in text
    dropped = parsed.issues.filter(parsed.issues["code"].str.starts_with("I_PNR_"))
    assert dropped["segment_index"].is_null().all()
    assert dropped["record_id"].is_null().all()
