"""The real PNRGOV samples of ../shared/conformance (pnrgov/, xml/), against SOURCES.md.

Skipped with a clear reason when ../shared is absent; tests/formats/test_pnrgov_golden.py covers
the same features with the repository's own files.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import paxscreen as px
from paxscreen.schema import TRAVELLERS

REF = date(2026, 11, 22)
LENIENT = px.ParseOptions(reference_date=REF)
STRICT = px.ParseOptions(reference_date=REF, strict=True)

#: file -> (PNRs, travellers, strict verdict: None = parses, else the error code)
VERDICTS = {
    "pnrgov/gtas_pnrMessage_v10_history.txt": (1, 2, None),
    "pnrgov/gtas_pnrMessagePg76_wrapped_unh.txt": (1, 2, "E_TRUNCATED"),
    "pnrgov/gtas_pnrBadFormat_trailing_text.txt": (1, 2, "E_TRUNCATED"),
    "pnrgov/gtas_adult_and_infant.edi": (1, 2, None),
    "pnrgov/gtas_infant_broken_una_utf8.edi": (1, 2, "E_BAD_UNA"),
    "pnrgov/gtas_codeshare_short_una.edi": (2, 2, "E_BAD_UNA"),
    "pnrgov/gtas_pnrMessagePg75_curly_quotes.txt": (2, 2, "E_FOLDED"),
    "pnrgov/gtas_danglingMetaCharacter_una_dash_star.txt": (1, 1, "E_ENVELOPE"),
    "pnrgov/gtas_pnrEdge_release_plus.txt": (1, 1, "E_ENVELOPE"),
    "pnrgov/gtas_pnrWithDoco.txt": (1, 1, "E_ENVELOPE"),
    "pnrgov/gtas_bigbigPnr_v13.txt": (47, 86, "E_ENVELOPE"),
    "xml/saberls_test_pnr_pnrgov_like.xml": (1, 3, "E_XML_ROOT"),
}


def people(parsed: px.ParsedManifest) -> list[dict[str, Any]]:
    return parsed.travellers.to_dicts()


def refs(row: dict[str, Any], qualifier: str) -> list[str]:
    return [r["value"] for r in row["references"] if r["qualifier"] == qualifier]


@pytest.fixture(scope="module")
def conf(conformance_dir: Path) -> Path:
    return conformance_dir


def parse(conf: Path, name: str) -> px.ParsedManifest:
    return px.parse_manifest(conf / name, options=LENIENT)


def test_every_sample_is_covered(conf: Path) -> None:
    found = sorted(
        f"{d}/{p.name}" for d in ("pnrgov", "xml") for p in (conf / d).iterdir() if p.is_file()
    )
    assert found == sorted(VERDICTS)


@pytest.mark.parametrize(
    ("name", "pnrs", "count", "strict_error"), [(k, *v) for k, v in VERDICTS.items()]
)
def test_counts_and_strict_verdicts(
    conf: Path, name: str, pnrs: int, count: int, strict_error: str | None
) -> None:
    parsed = parse(conf, name)
    assert parsed.format == ("pnrgov_xml" if name.startswith("xml/") else "pnrgov")
    t = parsed.travellers
    assert t.schema == TRAVELLERS
    assert t.height == count
    assert t["record_id"].is_unique().all()
    assert t["record_id"].str.extract(r"^(\d+\.\d+)\.").n_unique() == pnrs
    if strict_error is None:
        assert px.parse_manifest(conf / name, options=STRICT).travellers.height == count
    else:
        with pytest.raises(px.ParseError) as caught:
            px.parse_manifest(conf / name, options=STRICT)
        assert caught.value.code == strict_error


def test_v10_history(conf: Path) -> None:
    parsed = parse(conf, "pnrgov/gtas_pnrMessage_v10_history.txt")
    smith, jones = people(parsed)
    assert (smith["family_name"], smith["given_names"], smith["pnr_locator"]) == (
        "SMITHJR",
        "JOHNMR",
        "MFN4TI",
    )
    assert (smith["doc_type"], smith["doc_number"], smith["doc_issuer"]) == (
        "P",
        "123456789",
        "GBR",
    )
    assert (smith["dob"], smith["sex"], smith["doc_expiry"]) == (
        date(1964, 7, 12),
        "M",
        date(2019, 8, 23),
    )
    assert refs(smith, "DOCS_NAME") == ["SMITHJR/JONATHON ROBERT"]
    assert refs(smith, "TRAVELLER_REF") == ["1"]
    assert (jones["family_name"], jones["given_names"], jones["doc_number"]) == (
        "JONES",
        "WILLIAMMR",
        None,
    )
    assert (jones["nationality"], jones["dob"], jones["sex"]) == ("GBR", date(1964, 7, 12), "M")
    assert (smith["flight_number"], smith["dep_airport"], smith["arr_airport"]) == (
        "DL324",
        "LHR",
        "JFK",
    )
    assert smith["dep_time"] == datetime(2010, 12, 12, 9, 15)
    assert (smith["seat"], jones["seat"]) == ("15A", "15B")
    assert [leg["flight_number"] for leg in smith["legs"]] == ["DL324", "DL330"]  # hotel left out
    assert refs(smith, "CO_TRAVELLER") == [jones["record_id"]]
    assert refs(smith, "PARTY") == ["2"]
    codes = set(parsed.issues["code"])
    assert {"I_PNR_SENSITIVE_DROPPED", "I_PNR_FREE_TEXT_DROPPED"} <= codes  # AVML, IFT remarks
    assert "AVML" not in str(parsed.travellers.to_dicts()) + str(parsed.issues.to_dicts())
    assert "VIP" not in str(parsed.travellers.to_dicts())


@pytest.mark.parametrize(
    "name",
    ["pnrgov/gtas_pnrMessagePg76_wrapped_unh.txt", "pnrgov/gtas_pnrBadFormat_trailing_text.txt"],
)
def test_pg76_dob_only_docs(conf: Path, name: str) -> None:
    parsed = parse(conf, name)
    doron, lendrot = people(parsed)
    assert (doron["family_name"], doron["given_names"], doron["dob"], doron["sex"]) == (
        "DORON",
        "NINA MS",
        date(1953, 2, 5),
        "F",
    )
    assert (lendrot["family_name"], lendrot["dob"]) == ("LENDROT", date(1952, 2, 14))
    assert doron["doc_number"] is None and doron["documents"] == []
    assert refs(doron, "RCI") == ["1A:35K2IO", "1S:EVFSDI"]
    assert (doron["flight_number"], doron["dep_airport"], doron["arr_airport"]) == (
        "TZ0006",
        "SIN",
        "OOL",
    )
    assert "E_FOLDED" in set(parsed.issues["code"])  # the newline inside the UNH reference
    if "BadFormat" in name:
        assert "E_TRAILING" in set(parsed.issues["code"])


def test_adult_and_infant(conf: Path) -> None:
    adult, infant = people(parse(conf, "pnrgov/gtas_adult_and_infant.edi"))
    assert (adult["role"], adult["family_name"], adult["given_names"]) == (
        "passenger",
        "TESTSURNAMEONE",
        "TESTNAMEONE MRS",
    )
    assert (adult["doc_number"], adult["doc_issuer"], adult["dob"]) == (
        "52263000",
        "COL",
        date(1976, 5, 30),
    )
    assert refs(adult, "WITH_INFANT") == ["1"]
    assert (infant["role"], infant["family_name"], infant["given_names"]) == (
        "infant",
        "TESTSURNAMETWO",
        "TESTNAMETWO",
    )
    assert (infant["doc_number"], infant["dob"], infant["sex"]) == (
        "AO234000",
        date(2011, 8, 10),
        "F",
    )
    assert adult["pnr_locator"] == "XXXYET"
    assert adult["flight_number"] == "AM498"


def test_infant_broken_una(conf: Path) -> None:
    parsed = parse(conf, "pnrgov/gtas_infant_broken_una_utf8.edi")
    mother, baby = people(parsed)
    assert (mother["family_name"], mother["given_names"], mother["doc_number"]) == (
        "BELT",
        "ISABELLE MRS",
        "509229987",
    )
    assert (baby["role"], baby["family_name"], baby["given_names"]) == ("infant", "BELT", "SOPHY")
    assert (baby["doc_number"], baby["dob"], baby["sex"]) == ("512731999", date(2012, 9, 20), "F")
    assert refs(baby, "DOCS_NAME") == ["BEL T/SOPHY OLIVIA"]
    assert mother["pnr_locator"] == "3PGZOV"
    assert mother["flight_number"] == "SQ602"
    assert "E_BAD_UNA" in set(parsed.issues["code"])


@pytest.mark.parametrize(
    "name", ["pnrgov/gtas_codeshare_short_una.edi", "pnrgov/gtas_pnrMessagePg75_curly_quotes.txt"]
)
def test_codeshare_two_pnrs(conf: Path, name: str) -> None:
    parsed = parse(conf, name)
    park, kim = people(parsed)
    assert (park["family_name"], park["given_names"], park["pnr_locator"]) == (
        "PARK",
        "SEJOONMR",
        "2LS6KP",
    )
    assert (park["doc_number"], park["nationality"], park["dob"]) == (
        "JR3364288",
        "KOR",
        date(1972, 9, 10),
    )
    assert (kim["family_name"], kim["given_names"], kim["pnr_locator"]) == (
        "KIM",
        "KONG CHUN MRS",
        "X49V9U",
    )
    assert (kim["doc_number"], kim["sex"]) == ("M17072944", "F")
    assert park["flight_number"] == "SQ609"
    assert refs(park, "CODESHARE") == ["KE:SQ"]
    assert park["record_id"].rsplit(".", 1)[0] != kim["record_id"].rsplit(".", 1)[0]
    if "Pg75" in name:
        assert {"W_CHARSET", "E_BAD_TAG"} <= set(parsed.issues["code"])


def test_dangling_meta_character(conf: Path) -> None:
    (serio,) = people(parse(conf, "pnrgov/gtas_danglingMetaCharacter_una_dash_star.txt"))
    assert (serio["family_name"], serio["given_names"], serio["pnr_locator"]) == (
        "SERIO",
        "REUBEN",
        "BGXFR4",
    )
    assert (serio["doc_number"], serio["nationality"], serio["doc_expiry"]) == (
        "9173574",
        "THA",
        date(2028, 4, 20),
    )
    assert [leg["flight_number"] for leg in serio["legs"]] == ["VS138", "BA117", "DL441"]
    assert serio["flight_number"] == "DL441"
    assert serio["arr_time"] == datetime(2020, 2, 23, 14, 22)  # TVL with no arrival date
    assert serio["seat"] == "1A"


def test_edge_release_plus(conf: Path) -> None:
    (lobb,) = people(parse(conf, "pnrgov/gtas_pnrEdge_release_plus.txt"))
    assert (lobb["family_name"], lobb["given_names"], lobb["pnr_locator"]) == (
        "LOBB",
        "MOLLYMRS",
        "7C789A",
    )
    assert lobb["documents"] == []


def test_with_doco(conf: Path) -> None:
    (ackary,) = people(parse(conf, "pnrgov/gtas_pnrWithDoco.txt"))
    assert (ackary["family_name"], ackary["given_names"], ackary["pnr_locator"]) == (
        "ACKARY",
        "CHARLESMR",
        "06A9FD",
    )
    assert (ackary["doc_number"], ackary["doc_issuer"], ackary["nationality"]) == (
        "602120901",
        "GBR",
        None,
    )
    assert ackary["birthplace"] == "HERE VA"
    assert [(d["doc_type"], d["doc_number"]) for d in ackary["documents"]] == [
        ("P", "602120901"),
        ("V", "8675309"),
    ]
    assert [leg["flight_number"] for leg in ackary["legs"]] == ["ET834", "ET706", "UA988"]
    assert ackary["seat"] == "23K"


def test_bigbig(conf: Path) -> None:
    parsed = parse(conf, "pnrgov/gtas_bigbigPnr_v13.txt")
    rows = people(parsed)
    assert sum(1 for r in rows if r["doc_number"]) == 86
    first = rows[0]
    assert (first["family_name"], first["given_names"], first["pnr_locator"]) == (
        "LAI",
        "BI",
        "BGXFR4",
    )
    assert (first["doc_number"], first["doc_issuer"], first["nationality"]) == (
        "191259499",
        "ERI",
        None,
    )
    last = [r for r in rows if r["pnr_locator"] == "RG7B22"]
    assert [(r["family_name"], r["doc_number"], r["doc_issuer"]) for r in last] == [
        ("TWIGG", "815759758", "GBR"),
        ("FESAHAYE", "787438582", None),
        ("BRYAN", "284249397", "USA"),
    ]
    assert int(parsed.issues.filter(parsed.issues["code"] == "W_SSR_BAD_COUNTRY").height) == 86


def test_xml_sample(conf: Path) -> None:
    parsed = parse(conf, "xml/saberls_test_pnr_pnrgov_like.xml")
    anna, adam, jan = people(parsed)
    assert [(r["family_name"], r["given_names"]) for r in (anna, adam, jan)] == [
        ("KOWALSKA", "ANNA"),
        ("KOWALSKI", "ADAM"),
        ("KOWALSKI", "JAN"),
    ]
    assert (anna["sex"], anna["doc_number"], anna["dob"]) == ("F", "BA5345321", date(2002, 12, 30))
    assert (adam["sex"], adam["doc_number"], adam["dob"]) == ("M", "ZC9038023", date(2022, 12, 30))
    assert (jan["sex"], jan["doc_number"]) == ("M", "AB1324659")
    for r in (anna, adam, jan):
        assert r["pnr_locator"] == "00A234B"
        assert (r["flight_number"], r["dep_airport"], r["arr_airport"]) == ("ENT1234", "LHR", "WAW")
        assert (r["dep_time"], r["arr_time"]) == (
            datetime(2024, 1, 1, 10, 15),
            datetime(2024, 1, 1, 14, 20),
        )
    assert "E_XML_ROOT" in set(parsed.issues["code"])
