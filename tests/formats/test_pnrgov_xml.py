"""PNRGOV XML: the hardened parser (DTD, entities, limits), round trip, arbitrary input."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paxscreen as px
from paxscreen.formats.pnrgov_xml import XmlLimits, parse_pnrgov_xml, write_pnrgov_xml
from paxscreen.schema import travellers_frame

REF = date(2026, 11, 22)
OPTIONS = px.ParseOptions(reference_date=REF)
HEAD = b'<?xml version="1.0"?>\n'
ROOT_OPEN = b'<IATA_PNRGOV_NotifRQ xmlns="http://www.iata.org/IATA/2007/00">'
ROOT_CLOSE = b"</IATA_PNRGOV_NotifRQ>"


def refused(data: bytes, code: str, **kwargs: object) -> px.ParseError:
    with pytest.raises(px.ParseError) as caught:
        parse_pnrgov_xml(data, options=OPTIONS, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    return caught.value


BOMBS = {
    "billion_laughs": HEAD
    + b'<!DOCTYPE IATA_PNRGOV_NotifRQ [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><IATA_PNRGOV_NotifRQ>&c;</IATA_PNRGOV_NotifRQ>',
    "xxe_file": HEAD + b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<IATA_PNRGOV_NotifRQ>&x;</IATA_PNRGOV_NotifRQ>",
    "xxe_network": HEAD + b'<!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd">'
    b"<IATA_PNRGOV_NotifRQ/>",
    "parameter_entity": HEAD + b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p">%p;]>'
    b"<IATA_PNRGOV_NotifRQ/>",
    "empty_dtd": HEAD + b"<!DOCTYPE IATA_PNRGOV_NotifRQ><IATA_PNRGOV_NotifRQ/>",
}


@pytest.mark.parametrize("kind", list(BOMBS))
def test_any_dtd_is_refused(kind: str) -> None:
    exc = refused(BOMBS[kind], "E_XML_DTD")
    assert exc.offset is not None and exc.segment_index is not None


def test_bombs_are_refused_through_parse_manifest() -> None:
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(BOMBS["billion_laughs"])
    assert caught.value.code == "E_XML_DTD"


def test_undefined_entity_is_refused() -> None:
    refused(ROOT_OPEN + b"&x;" + ROOT_CLOSE, "E_XML_SYNTAX")


def test_deep_nesting_is_refused() -> None:
    data = ROOT_OPEN + b"<a>" * 10_000 + b"</a>" * 10_000 + ROOT_CLOSE
    exc = refused(data, "E_XML_LIMIT")
    assert "deeper than 64" in exc.detail


def test_element_count_limit() -> None:
    data = ROOT_OPEN + b"<a/>" * 1000 + ROOT_CLOSE
    refused(data, "E_XML_LIMIT", limits=XmlLimits(max_elements=500))
    parse_pnrgov_xml(data, options=OPTIONS)


def test_oversized_input_is_refused() -> None:
    data = ROOT_OPEN + b" " * 5000 + ROOT_CLOSE
    refused(data, "E_TOO_LARGE", limits=XmlLimits(max_bytes=4096))
    with pytest.raises(px.ParseError) as caught:
        px.parse_manifest(data, options=px.ParseOptions(max_bytes=1000))
    assert caught.value.code == "E_TOO_LARGE"


def test_long_attribute_and_text_are_refused() -> None:
    long = b"Q" * 5000
    refused(ROOT_OPEN + b'<PNR x="' + long + b'"/>' + ROOT_CLOSE, "E_XML_LIMIT")
    text = ROOT_OPEN + b"<PNR><Passenger><Surname>" + long * 20 + b"</Surname></Passenger></PNR>"
    refused(text + ROOT_CLOSE, "E_XML_LIMIT")


def test_not_well_formed_names_place_only() -> None:
    exc = refused(ROOT_OPEN + b"<PNR><Surname>QZCANARY</PNR>" + ROOT_CLOSE, "E_XML_SYNTAX")
    assert "QZCANARY" not in str(exc)
    assert exc.segment_index == 0


def test_wrong_root_strict_and_lenient() -> None:
    data = b"<Wrapper><PNR><Passenger><Surname>ZZ</Surname></Passenger></PNR></Wrapper>"
    travellers, issues = parse_pnrgov_xml(data, options=OPTIONS)
    assert travellers["family_name"].to_list() == ["ZZ"]
    assert "E_XML_ROOT" in set(issues["code"])
    with pytest.raises(px.ParseError) as caught:
        parse_pnrgov_xml(data, options=px.ParseOptions(strict=True))
    assert caught.value.code == "E_XML_ROOT"


LEG = {
    "carrier": "ZZ",
    "flight_number": "ZZ123",
    "dep_airport": "LHR",
    "arr_airport": "JFK",
    "dep_time": datetime(2026, 12, 1, 9, 15),
    "arr_time": datetime(2026, 12, 1, 12, 30),
}
NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ<>&'\" -", min_size=1, max_size=12).map(
    lambda s: " ".join(s.split()) or "ZZ"
)


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(NAME, NAME, st.dates(date(1930, 1, 1), REF), st.sampled_from(["M", "F"])),
        min_size=1,
        max_size=5,
    )
)
def test_parse_of_write_is_identity(people: list[tuple[str, str, date, str]]) -> None:
    rows = []
    for k, (family, given_names, dob, sex) in enumerate(people):
        doc = {"doc_type": "P", "doc_number": f"ZZ{k}", "doc_issuer": "GBR", "doc_expiry": None}
        rows.append(
            {
                "record_id": f"r{k}",
                "role": "passenger",
                "family_name": family,
                "given_names": given_names,
                "dob": dob,
                "sex": sex,
                "nationality": "GBR",
                **{f: doc[f] for f in ("doc_type", "doc_number", "doc_issuer")},
                "documents": [doc],
                "pnr_locator": "ABC123" if k % 2 else "XYZ789",
                "seat": f"{k + 1}A",
                **LEG,
                "legs": [LEG],
            }
        )
    frame = travellers_frame(rows)
    travellers, issues = parse_pnrgov_xml(write_pnrgov_xml(frame).encode(), options=OPTIONS)
    columns = ["family_name", "given_names", "dob", "sex", "doc_number", "pnr_locator", "seat"]
    key = ["doc_number"]
    assert travellers.select(columns).sort(key).equals(frame.select(columns).sort(key))
    assert issues.is_empty()


@settings(max_examples=150)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_parse_error(data: bytes) -> None:
    with contextlib.suppress(px.ParseError):
        parse_pnrgov_xml(data, options=OPTIONS)


SAMPLE = (
    ROOT_OPEN
    + b'<PNRs><PNR><BookingRefID ID="ABC123"/><Passenger RPH="1"><GivenName>ZZ</GivenName>'
    b'<Surname>QZCANARYONE</Surname><SSR SSRCode="MOML"><Text>QZREMARK</Text></SSR>'
    b"<Remark>QZREMARK</Remark></Passenger>"
    b'<Flight FlightNumber="1"><DepartureAirport LocationCode="LHR"/>'
    b'<SSR SSRCode="DOCS" RPH="1"><Text>/P/GBR/ZZ1/GBR/01JAN80/F/01JAN30/QZCANARYONE/ZZ</Text>'
    b"</SSR></Flight></PNR></PNRs>" + ROOT_CLOSE
)


@settings(max_examples=200)
@given(st.data())
def test_mutated_documents_raise_only_parse_error(data: st.DataObject) -> None:
    raw = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw) - 1))
        byte = data.draw(st.sampled_from(list(b"<>/&;\"'= \x00\xff")))
        if data.draw(st.booleans()):
            raw[at] = byte
        else:
            del raw[at]
    try:
        travellers, issues = parse_pnrgov_xml(bytes(raw), options=OPTIONS)
    except px.ParseError as exc:
        error = str(exc)
        assert "QZ" not in error
        return
    out = json.dumps(travellers.to_dicts(), default=str) + json.dumps(issues.to_dicts())
    assert "QZREMARK" not in out and "MOML" not in out


def test_sample_reads_and_filters() -> None:
    travellers, issues = parse_pnrgov_xml(SAMPLE, options=px.ParseOptions(strict=True))
    row = travellers.row(0, named=True)
    assert (row["family_name"], row["doc_number"], row["pnr_locator"]) == (
        "QZCANARYONE",
        "ZZ1",
        "ABC123",
    )
    codes = set(issues["code"])
    assert {"I_PNR_SENSITIVE_DROPPED", "I_PNR_FREE_TEXT_DROPPED"} <= codes
    assert "QZREMARK" not in json.dumps(issues.to_dicts())
    assert px.parse_manifest(SAMPLE).format == "pnrgov_xml"
    assert pl.DataFrame(travellers).height == 1
