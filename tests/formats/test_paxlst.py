"""PAXLST reader and writer: round trip, robustness against arbitrary input, sources."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import paxscreen as px
from paxscreen.formats.paxlst import parse_paxlst, write_paxlst
from paxscreen.schema import travellers_frame

REF = date(2026, 11, 22)
OPTIONS = px.ParseOptions(reference_date=REF)

# -- strategies --------------------------------------------------------------------------------

#: Name characters include the four EDIFACT service characters, so escaping is exercised.
WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ'+:?-", min_size=1, max_size=12)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
CODE3 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
ALNUM = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=10)
DOB = st.dates(min_value=date(REF.year - 99, REF.month, REF.day) + timedelta(days=1), max_value=REF)
AROUND = st.dates(min_value=date(REF.year - 50, 1, 1), max_value=date(REF.year + 49, 12, 31))
MINUTE = st.builds(
    lambda day, minutes: datetime(day.year, day.month, day.day) + timedelta(minutes=minutes),
    AROUND,
    st.integers(0, 24 * 60 - 1),
)
DOC_RANK = {"P": 0, "I": 1, "A": 1, "C": 1, "ID": 1, "IP": 1}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "doc_type": draw(st.sampled_from(["P", "V", "I", "L", "AC", None])),
        "doc_number": draw(ALNUM),
        "doc_issuer": draw(st.none() | CODE3),
        "doc_expiry": draw(st.none() | AROUND),
    }


@st.composite
def legs(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [
        {
            "carrier": draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)),
            "flight_number": draw(ALNUM),
            "dep_airport": draw(st.none() | CODE3),
            "arr_airport": draw(st.none() | CODE3),
            "dep_time": draw(st.none() | MINUTE),
            "arr_time": draw(st.none() | MINUTE),
        }
        for _ in range(draw(st.integers(1, 2)))
    ]


@st.composite
def traveller(draw: st.DrawFn) -> dict[str, Any]:
    docs = draw(st.lists(documents(), max_size=3))
    primary = min(
        range(len(docs)),
        key=lambda k: (DOC_RANK.get(docs[k]["doc_type"] or "", 3), k),
        default=None,
    )
    refs = draw(
        st.lists(
            st.fixed_dictionaries(
                {"qualifier": st.sampled_from(["AVF", "ABO", "SEA", "CR"]), "value": ALNUM}
            ),
            max_size=4,
        )
    )
    row: dict[str, Any] = {
        "role": draw(
            st.sampled_from(["passenger", "crew", "in_transit_passenger", "in_transit_crew"])
        ),
        "family_name": draw(NAME),
        "given_names": draw(st.none() | NAME),
        "dob": draw(st.none() | DOB),
        "sex": draw(st.sampled_from(["M", "F", "X", None])),
        "nationality": draw(st.none() | CODE3),
        "residence": draw(st.none() | CODE3),
        "birthplace": draw(st.none() | NAME),
        "embark": draw(st.none() | CODE3),
        "debark": draw(st.none() | CODE3),
        "bag_tags": draw(st.lists(ALNUM.filter(lambda t: t != "NULL"), max_size=3)),
        "documents": docs,
        "references": refs,
        "pnr_locator": next((r["value"] for r in refs if r["qualifier"] == "AVF"), None),
        "seat": next((r["value"] for r in refs if r["qualifier"] == "SEA"), None),
    }
    flat = (
        docs[primary]
        if primary is not None
        else dict.fromkeys(docs[0] if docs else documents_keys())
    )
    row.update(flat)
    return row


def documents_keys() -> list[str]:
    return ["doc_type", "doc_number", "doc_issuer", "doc_expiry"]


@st.composite
def manifests(draw: st.DrawFn) -> pl.DataFrame:
    """A travellers frame in the canonical form the PAXLST reader produces."""
    rows = []
    for m in range(1, draw(st.integers(1, 2)) + 1):
        flight = draw(legs())
        for k in range(1, draw(st.integers(1, 4)) + 1):
            row = draw(traveller())
            row.update(flight[0])
            row.update(
                record_id=f"{m}.{k}", source_format="paxlst", source_ref=f"MSG{m}", legs=flight
            )
            rows.append(row)
    return travellers_frame(rows)


# -- round trip --------------------------------------------------------------------------------


@given(manifests())
@settings(max_examples=80)
def test_parse_of_write_is_identity(frame: pl.DataFrame) -> None:
    text = write_paxlst(frame)
    parsed, issues = parse_paxlst(text.encode("latin-1"), options=OPTIONS)
    assert issues.filter(pl.col("severity") != "info").is_empty(), issues.to_dicts()
    assert_frame_equal(parsed, frame)


@given(manifests())
@settings(max_examples=30)
def test_written_interchange_passes_strict_mode(frame: pl.DataFrame) -> None:
    strict = px.ParseOptions(reference_date=REF, strict=True, counts_fatal=True)
    parsed, issues = parse_paxlst(write_paxlst(frame).encode("latin-1"), options=strict)
    assert parsed.height == frame.height
    assert issues.is_empty()


# -- robustness --------------------------------------------------------------------------------

SAMPLE = write_paxlst(
    travellers_frame(
        [
            {
                "record_id": "1.1",
                "source_ref": "1",
                "family_name": "O'ZZTEST",
                "given_names": "ANNA",
                "dob": date(1980, 1, 2),
                "sex": "F",
                "nationality": "UTO",
                "documents": [
                    {
                        "doc_type": "P",
                        "doc_number": "L898902C3",
                        "doc_issuer": "UTO",
                        "doc_expiry": date(2030, 1, 1),
                    }
                ],
                "flight_number": "ZZ1",
                "carrier": "ZZ",
                "dep_airport": "AAA",
                "arr_airport": "BBB",
            },
            {
                "record_id": "1.2",
                "source_ref": "1",
                "family_name": "ZZSECOND",
                "dob": date(1975, 5, 5),
                "flight_number": "ZZ1",
                "carrier": "ZZ",
                "dep_airport": "AAA",
                "arr_airport": "BBB",
            },
        ]
    )
).encode("latin-1")


def only_parse_errors(data: bytes, options: px.ParseOptions) -> None:
    """Parsing either succeeds with a well-formed frame or raises ParseError; nothing else."""
    try:
        travellers, issues = parse_paxlst(data, options=options)
    except px.ParseError as exc:
        code = exc.code
        assert code.startswith("E_")
        return
    assert travellers.schema == px.schema.TRAVELLERS
    assert set(issues["severity"]) <= {"error", "warning", "info"}


@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_parse_error(data: bytes) -> None:
    for strict in (False, True):
        only_parse_errors(data, px.ParseOptions(strict=strict))


@given(st.binary(max_size=200).map(lambda tail: b"UNA:+.? 'UNB+UNOA:4+A+B+200101:0000+1'" + tail))
def test_arbitrary_tails_after_a_header_raise_only_parse_error(data: bytes) -> None:
    for strict in (False, True):
        only_parse_errors(data, px.ParseOptions(strict=strict))


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = draw(st.sampled_from(list(b"'+:?*\r\n \x00\x87AZ09")) | st.integers(0, 255))
        if action == "insert":
            data.insert(position, byte)
        elif position < len(data):
            if action == "delete":
                del data[position]
            else:
                data[position] = byte
    return bytes(data)


@given(mutations())
@settings(max_examples=150)
def test_mutated_messages_raise_only_parse_error(data: bytes) -> None:
    for strict in (False, True):
        only_parse_errors(data, px.ParseOptions(strict=strict, reference_date=REF))


@pytest.mark.parametrize(
    ("segment", "written"),
    [
        (b"UNT+17+1'", b"UNT+\xb217+1'"),
        (b"UNZ+1+1'", b"UNZ+\xb9+1'"),
        (b"CNT+42:2'", b"CNT+42:\xb2'"),
    ],
)
def test_counts_in_other_digits_are_issues_not_crashes(segment: bytes, written: bytes) -> None:
    # superscript digits are digits to str.isdigit but not to int() (found by the mutation test)
    data = SAMPLE.replace(segment, written)
    assert data != SAMPLE
    only_parse_errors(data, px.ParseOptions(strict=False, reference_date=REF))
    only_parse_errors(data, px.ParseOptions(strict=True, reference_date=REF))


def test_sample_parses_cleanly() -> None:
    travellers, issues = parse_paxlst(SAMPLE, options=OPTIONS)
    assert travellers["family_name"].to_list() == ["O'ZZTEST", "ZZSECOND"]
    assert issues.is_empty()


def test_size_limits() -> None:
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(SAMPLE, options=px.ParseOptions(max_bytes=100))
    assert caught.value.code == "E_TOO_LARGE"
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(SAMPLE, options=px.ParseOptions(max_segments=5))
    assert caught.value.code == "E_TOO_LARGE"


def test_record_level_problems_keep_the_traveller() -> None:
    data = (
        b"UNB+UNOA:4+A+B+200101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        b"NAD+FL+++QZCANARYONE:ANNA'ATT+2++Q'DTM+329:781332'DOC+P'"
        b"NAD+FL+++:QZCANARYTWO'DTM+329:800101'"
        b"NAD+FL+++QZCANARYTHREE'DOC+P+QZ12345'DTM+36:991399'"
        b"UNT+11+1'UNZ+1+1'"
    )
    travellers, issues = parse_paxlst(data, options=OPTIONS)
    assert travellers["record_id"].to_list() == ["1.1", "1.2", "1.3"]
    first = travellers.row(0, named=True)
    assert (first["sex"], first["dob"], first["doc_number"]) == (None, None, None)
    assert travellers.row(1, named=True)["dob"] == date(1980, 1, 1)
    assert travellers.row(1, named=True)["family_name"] is None
    assert travellers.row(2, named=True)["doc_expiry"] is None
    errors = issues.filter(pl.col("code") == "E_FIELD")
    assert sorted(zip(errors["record_id"], errors["tag"], strict=True)) == [
        ("1.1", "ATT"),
        ("1.1", "DOC"),
        ("1.1", "DTM"),
        ("1.2", "NAD"),
        ("1.3", "DTM"),
    ]
    assert errors["segment_index"].null_count() == 0
    assert "QZCANARY" not in str(issues.to_dicts())


# -- sources and sniffing ---------------------------------------------------------------------


def test_every_source_kind_gives_the_same_frame(tmp_path: Path) -> None:
    path = tmp_path / "flight.edi"
    path.write_bytes(SAMPLE)
    expected = px.read_manifest(SAMPLE, options=OPTIONS)
    for source in (
        path,
        str(path),
        SAMPLE.decode("latin-1"),
        io.BytesIO(SAMPLE),
        bytearray(SAMPLE),
    ):
        assert_frame_equal(px.read_manifest(source, options=OPTIONS), expected)


def test_sniffing() -> None:
    assert px.parse_manifest(SAMPLE).format == "paxlst"
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(b"\x00\x01 not a manifest")
    assert caught.value.code == "E_FORMAT"
    pnr = b"UNB+IATA:1+A+B+200101:0000+1'UNH+1+PNRGOV:11:1:IA'"
    assert px.parse_manifest(pnr).format == "pnrgov"  # read by formats.pnrgov


def test_strict_flag_overrides_options() -> None:
    wrapped = b"QP HDQ\r\n" + SAMPLE
    assert px.parse_manifest(wrapped).travellers.height == 2
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(wrapped, strict=True, options=OPTIONS)
    assert caught.value.code == "E_WRAPPER"
