"""PNRGOV EDIFACT reader and writer: round trip, arbitrary input, the Annex I ingest filter."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import paxscreen as px
from paxscreen.errors import ConfigError
from paxscreen.formats._pnr import MEAL_CODES, MEDICAL_CODES, PnrPolicy
from paxscreen.formats.pnrgov import parse_pnrgov, write_pnrgov
from paxscreen.schema import travellers_frame
from paxscreen.synth.pnrgov import CANARY, SENSITIVE_SAMPLE, pnr_push, sensitive_segments

REF = date(2026, 11, 22)
OPTIONS = px.ParseOptions(reference_date=REF)
WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ'+:?-", min_size=1, max_size=10)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
CODE3 = st.sampled_from(["GBR", "DEU", "USA", "FRA", "POL", "KOR", "THA"])
ALNUM = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=9)
DOB = st.dates(min_value=date(REF.year - 99, REF.month, REF.day) + timedelta(days=1), max_value=REF)
EXPIRY = st.dates(min_value=date(REF.year - 49, 1, 1), max_value=date(REF.year + 49, 12, 31))
LEG = {
    "carrier": "ZZ",
    "flight_number": "ZZ123",
    "dep_airport": "LHR",
    "arr_airport": "JFK",
    "dep_time": datetime(2026, 12, 1, 9, 15),
    "arr_time": datetime(2026, 12, 1, 12, 30),
}


@st.composite
def traveller(draw: st.DrawFn, k: int) -> dict[str, Any]:
    passport = {
        "doc_type": "P",
        "doc_number": draw(ALNUM),
        "doc_issuer": draw(CODE3),
        "doc_expiry": draw(EXPIRY),
    }
    return {
        "record_id": f"r{k}",
        "role": draw(st.sampled_from(["passenger", "passenger", "infant"])),
        "family_name": draw(NAME),
        "given_names": draw(st.none() | NAME),
        "dob": draw(DOB),
        "sex": draw(st.sampled_from(["M", "F"])),
        "nationality": draw(CODE3),
        **passport,
        "documents": [passport],
        **LEG,
        "legs": [LEG],
        "pnr_locator": draw(st.sampled_from(["ABC123", "XYZ789", "QQQ111"])),
        "seat": draw(st.none() | st.sampled_from(["1A", "23K", "056F"])),
        "bag_tags": draw(st.sampled_from([[], ["0123456789"], ["ZZ100", "ZZ101"]])),
    }


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(1, 6))
    return travellers_frame([draw(traveller(k)) for k in range(n)])


COLUMNS = [
    "role",
    "family_name",
    "given_names",
    "dob",
    "sex",
    "nationality",
    "doc_type",
    "doc_number",
    "doc_issuer",
    "doc_expiry",
    "documents",
    "carrier",
    "flight_number",
    "dep_airport",
    "arr_airport",
    "dep_time",
    "arr_time",
    "pnr_locator",
    "seat",
    "bag_tags",
]


def _by_pnr(frame: pl.DataFrame) -> pl.DataFrame:
    """The writer groups travellers by locator; compare in that order."""
    order = {loc: i for i, loc in enumerate(dict.fromkeys(frame["pnr_locator"].to_list()))}
    return frame.with_columns(
        _k=pl.col("pnr_locator").replace_strict(order, return_dtype=pl.Int64)
    ).sort("_k", maintain_order=True)


@settings(max_examples=60)
@given(frames())
def test_parse_of_write_is_identity(frame: pl.DataFrame) -> None:
    text = write_pnrgov(frame)
    travellers, issues = parse_pnrgov(text.encode("latin-1"), options=OPTIONS)
    expected = _by_pnr(frame).select(COLUMNS)
    got = travellers.select(COLUMNS)
    assert got.to_dicts() == expected.to_dicts()
    assert set(issues["code"]) <= {"W_COUNT"}
    strict = px.ParseOptions(reference_date=REF, strict=True)
    assert parse_pnrgov(text.encode("latin-1"), options=strict)[0].height == frame.height


def test_co_travellers_and_party() -> None:
    rows = [
        {"record_id": f"r{k}", "family_name": f"ZZ{k}", "pnr_locator": loc, **LEG}
        for k, loc in enumerate(["AAA111", "AAA111", "BBB222"])
    ]
    travellers, _ = parse_pnrgov(write_pnrgov(travellers_frame(rows)).encode(), options=OPTIONS)
    out = travellers.to_dicts()
    refs = [{(r["qualifier"], r["value"]) for r in row["references"]} for row in out]
    assert ("CO_TRAVELLER", out[1]["record_id"]) in refs[0]
    assert ("PARTY", "2") in refs[0] and ("PARTY", "1") in refs[2]
    assert not any(q == "CO_TRAVELLER" for q, _ in refs[2])


# -- the Annex I filter ------------------------------------------------------------------------


def _strings(parsed: tuple[pl.DataFrame, pl.DataFrame]) -> str:
    travellers, issues = parsed
    return json.dumps(travellers.to_dicts(), default=str) + json.dumps(
        issues.to_dicts(), default=str
    )


@settings(max_examples=40)
@given(frames(), st.integers(0, 2**32 - 1), st.floats(0.2, 1.0))
def test_sensitive_codes_and_free_text_never_reach_any_output(
    frame: pl.DataFrame, seed: int, share: float
) -> None:
    # a generated name may spell a code (DEAF, VGML): the codes are looked for in what the
    # input did not already carry
    given_text = json.dumps(frame.to_dicts(), default=str)
    assume(not any(code in given_text for code in SENSITIVE_SAMPLE))
    text = pnr_push(frame, seed=seed, sensitive_share=share)
    parsed = parse_pnrgov(text.encode("latin-1"), options=OPTIONS)
    out = _strings(parsed)
    assert CANARY not in out
    for code in SENSITIVE_SAMPLE:
        assert code not in out
    assert parsed[0].height == frame.height
    error = ""
    try:
        parse_pnrgov(text.encode("latin-1"), options=px.ParseOptions(strict=True))
    except px.ParseError as exc:
        error = str(exc)
    assert CANARY not in error
    assert not any(code in error for code in SENSITIVE_SAMPLE)


def test_sensitive_counts_per_category() -> None:
    frame = travellers_frame([{"record_id": "r0", "family_name": "ZZONE", **LEG}])
    extra = {
        "r0": [
            "SSR+MOML:HK:1:ZZ:::::QZ+::1",
            "SSR+KSML:HK:1:ZZ",
            "SSR+WCHR:HK:1:ZZ",
            "SSR+ZZML:HK:1:ZZ",  # any ..ML code is a meal
            "IFT+4:28+QZ REMARK",
            "SSR+OTHS::::::::QZ TEXT",
            "SSR+PETS:HK:1:ZZ",
            "XYZ+QZ",
        ]
    }
    _, issues = parse_pnrgov(write_pnrgov(frame, extra_segments=extra).encode(), options=OPTIONS)
    messages = dict(zip(issues["code"], issues["message"], strict=True))
    assert "special-meal: 3" in messages["I_PNR_SENSITIVE_DROPPED"]
    assert "medical or assistance: 1" in messages["I_PNR_SENSITIVE_DROPPED"]
    assert "IFT: 1" in messages["I_PNR_FREE_TEXT_DROPPED"]
    assert "SSR: 1" in messages["I_PNR_FREE_TEXT_DROPPED"]
    assert "SSR: 1" in messages["I_PNR_NOT_ANNEX_I"] and "XYZ: 1" in messages["I_PNR_NOT_ANNEX_I"]
    assert not any(code in " ".join(messages.values()) for code in ("MOML", "KSML", "WCHR"))


def test_policy_is_configurable() -> None:
    frame = travellers_frame([{"record_id": "r0", "family_name": "ZZONE", **LEG}])
    extra = {"r0": ["SSR+PETC:HK:1:ZZ", "SSR+LANG:HK:1:ZZ+::1", "SSR+MOML:HK:1:ZZ"]}
    data = write_pnrgov(frame, extra_segments=extra).encode()
    default, _ = parse_pnrgov(data, options=OPTIONS)
    assert not [r for r in default["references"][0] if r["qualifier"] == "SSR"]
    open_list, _ = parse_pnrgov(data, options=OPTIONS, policy=PnrPolicy(allow_list=False))
    kept = [r["value"] for r in open_list["references"][0] if r["qualifier"] == "SSR"]
    assert kept == ["LANG"]  # PETC is free text; MOML stays denied
    stricter = PnrPolicy(sensitive_codes=frozenset({"LANG"}) | MEAL_CODES, allow_list=False)
    _, issues = parse_pnrgov(data, options=OPTIONS, policy=stricter)
    assert (
        "other deny-listed: 1"
        in issues.filter(pl.col("code") == "I_PNR_SENSITIVE_DROPPED")["message"][0]
    )
    with pytest.raises(ConfigError):
        PnrPolicy(sensitive_codes=frozenset({"meal"}))
    assert PnrPolicy().sensitive_codes >= MEDICAL_CODES


def test_parse_manifest_takes_the_policy() -> None:
    frame = travellers_frame([{"record_id": "r0", "family_name": "ZZONE", **LEG}])
    data = write_pnrgov(frame, extra_segments={"r0": ["SSR+LANG:HK:1:ZZ+::1"]}).encode()
    parsed = px.parse_manifest(data, pnr_policy=PnrPolicy(allow_list=False))
    assert parsed.format == "pnrgov"
    assert {"qualifier": "SSR", "value": "LANG"} in parsed.travellers["references"][0]


# -- robustness --------------------------------------------------------------------------------

SAMPLE = pnr_push(
    travellers_frame(
        [
            {
                "record_id": f"r{k}",
                "family_name": f"QZCANARY{k}",
                "given_names": "ZZ",
                "dob": date(1980, 1, 1 + k),
                "sex": "F",
                "doc_type": "P",
                "doc_number": f"ZZ{k}0000",
                "documents": [{"doc_type": "P", "doc_number": f"ZZ{k}0000", "doc_issuer": "GBR"}],
                "pnr_locator": "ABC123",
                "seat": "1A",
                **LEG,
                "legs": [LEG],
            }
            for k in range(3)
        ]
    ),
    sensitive_share=1.0,
).encode("latin-1")


def _check(data: bytes, strict: bool) -> None:
    options = px.ParseOptions(reference_date=REF, strict=strict)
    try:
        travellers, issues = parse_pnrgov(data, options=options)
    except px.ParseError as exc:
        error = str(exc)
        assert "QZCANARY" not in error
        return
    assert "QZREMARK" not in _strings((travellers, issues))
    for message in issues["message"].to_list():
        assert "QZCANARY" not in message


@settings(max_examples=150)
@given(st.binary(max_size=400), st.booleans())
def test_arbitrary_bytes_raise_only_parse_error(data: bytes, strict: bool) -> None:
    _check(data, strict)


@settings(max_examples=200)
@given(st.data(), st.booleans())
def test_mutated_messages_raise_only_parse_error(data: st.DataObject, strict: bool) -> None:
    raw = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["delete", "replace", "insert"]))
        byte = data.draw(st.sampled_from(list(b"'+:?*\n\x00\xe2UNHTIFSRCTVL0123")))
        if op == "delete":
            del raw[at]
        elif op == "replace":
            raw[at] = byte
        else:
            raw.insert(at, byte)
    _check(bytes(raw), strict)


def test_sample_parses_cleanly() -> None:
    travellers, issues = parse_pnrgov(SAMPLE, options=px.ParseOptions(strict=True))
    assert travellers.height == 3
    assert set(issues["code"]) <= {"I_PNR_SENSITIVE_DROPPED", "I_PNR_FREE_TEXT_DROPPED"}


def test_errors_name_place_not_data() -> None:
    bad = SAMPLE.replace(b"TIF+QZCANARY1", b"TIF+QZCANARY1'\xe2\x80TIF+", 1)
    with pytest.raises(px.ParseError) as caught:
        parse_pnrgov(bad, options=px.ParseOptions(strict=True), source="push.edi")
    assert caught.value.source == "push.edi"
    assert caught.value.segment_index is not None
    assert "QZCANARY" not in str(caught.value)


def test_tif_before_src_is_a_structure_fault() -> None:
    data = b"UNB+IATA:1+ZZ+YY+260101:0000+1'UNH+1+PNRGOV:13:1:IA'TIF+ZZONE+ZZ:A:1'UNT+3+1'UNZ+1+1'"
    travellers, issues = parse_pnrgov(data, options=OPTIONS)
    assert travellers.height == 1
    assert "E_STRUCTURE" in set(issues["code"])
    with pytest.raises(px.ParseError) as caught:
        parse_pnrgov(data, options=px.ParseOptions(strict=True))
    assert caught.value.code == "E_STRUCTURE"


def test_traveller_without_surname_is_kept_with_an_error() -> None:
    data = (
        b"UNB+IATA:1+ZZ+YY+260101:0000+1'UNH+1+PNRGOV:13:1:IA'SRC'RCI+ZZ:ABC123'TIF++ZZ:A:1'"
        b"UNT+5+1'UNZ+1+1'"
    )
    travellers, issues = parse_pnrgov(data, options=OPTIONS)
    assert travellers.height == 1
    row = issues.filter(pl.col("code") == "E_FIELD").row(0, named=True)
    assert (row["record_id"], row["tag"], row["segment_index"]) == ("1.1.1", "TIF", 4)


def test_other_messages_are_refused() -> None:
    data = b"UNB+IATA:1+ZZ+YY+260101:0000+1'UNH+1+CUSRES:D:05B:UN'BGM+962'UNT+3+1'UNZ+1+1'"
    travellers, issues = parse_pnrgov(data, options=OPTIONS)
    assert travellers.height == 0
    assert "E_UNSUPPORTED_MESSAGE" in set(issues["code"])


def test_synthetic_scenario_push() -> None:
    from paxscreen.synth import ScenarioConfig, make_scenario

    scenario = make_scenario(ScenarioConfig(seed=2, travellers=60, identities=500, documents=10))
    passengers = scenario.travellers.filter(pl.col("role") == "passenger")
    text = pnr_push(scenario.travellers, seed=2, sensitive_share=0.5)
    options = px.ParseOptions(reference_date=scenario.config.reference_date)
    parsed = px.parse_manifest(text.encode("latin-1"), options=options)
    assert parsed.travellers.height == passengers.height
    columns = ["family_name", "given_names", "dob", "doc_number", "pnr_locator", "seat"]
    assert (
        parsed.travellers.select(columns)
        .sort(columns)
        .equals(_by_pnr(passengers).select(columns).sort(columns))
    )
    assert CANARY not in _strings((parsed.travellers, parsed.issues))
    rng = random.Random(0)
    assert all(s.startswith(("SSR+", "IFT+")) for s in sensitive_segments(rng, 1))
