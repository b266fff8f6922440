"""The real PAXLST samples of ../shared/conformance, against SOURCES.md (skipped without them)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import paxscreen as px
import paxscreen.schema

REF = date(2026, 11, 22)
LENIENT = px.ParseOptions(reference_date=REF)
STRICT = px.ParseOptions(reference_date=REF, strict=True)


def parse(path: Path, options: px.ParseOptions = LENIENT) -> px.ParsedManifest:
    return px.parse_manifest(path, options=options)


def rows(parsed: px.ParsedManifest) -> list[dict[str, Any]]:
    return parsed.travellers.to_dicts()


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def paxlst(conformance_dir: Path) -> Path:
    return conformance_dir / "paxlst"


#: file -> (lenient traveller count, strict verdict: None = parses, else the error code)
VERDICTS = {
    "gtas_Test1_crew_d02b.txt": (8, "E_CHARSET"),
    "gtas_Test3_260pax_macroman_cr.txt": (260, "E_CHARSET"),
    "gtas_airline2_una_star_dollar.edi": (10, "E_BAD_TAG"),
    "gtas_multiple_flight_leg_d05b.txt": (2, "E_TRAILING"),
    "gtas_apisMessage_d05b_indented.txt": (2, None),
    "gtas_tamr_flight1_bags_visas.txt": (10, None),
    "smooks_paxlst_d03b_ace_truck.txt": (0, "E_UNSUPPORTED_MESSAGE"),
    "ediclean_A_telex_wrapped_64col.txt": (1, "E_WRAPPER"),
    "ediclean_C_una_star_hash_wrapped.txt": (3, "E_WRAPPER"),
    "ediclean_D_ctrlchars_dash_sep.txt": (1, "E_WRAPPER"),
    "ediclean_E_part16F_3pax.txt": (3, "E_WRAPPER"),
    "ediclean_F_crew_pilot_licence.txt": (1, "E_TRAILING"),
}


def test_every_sample_is_covered(paxlst: Path) -> None:
    assert sorted(p.name for p in paxlst.iterdir()) == sorted(VERDICTS)


@pytest.mark.parametrize(("name", "count", "strict_error"), [(k, *v) for k, v in VERDICTS.items()])
def test_counts_and_strict_verdicts(
    paxlst: Path, name: str, count: int, strict_error: str | None
) -> None:
    parsed = parse(paxlst / name)
    assert parsed.format == "paxlst"
    assert parsed.travellers.height == count
    assert parsed.travellers.schema == px.schema.TRAVELLERS
    assert parsed.travellers["record_id"].is_unique().all()
    if strict_error is None:
        assert parse(paxlst / name, STRICT).travellers.height == count
    else:
        with pytest.raises(px.ParseError) as caught:
            parse(paxlst / name, STRICT)
        assert caught.value.code == strict_error


def test_test1_crew_list(paxlst: Path) -> None:
    parsed = parse(paxlst / "gtas_Test1_crew_d02b.txt")
    people = rows(parsed)
    expected = [
        ("Steur", "Andrea Pat", "F", "1978-07-06"),
        ("Adomat", "Julie Pat", "F", "1978-07-07"),
        ("Nalek", "Clifton Pat", "M", "1978-07-08"),
        ("Meissener", "Costa Pat", "M", "1978-07-09"),
        ("Pelzing", "Melissa Pat", "F", "1978-07-10"),
        ("Merfort", "Kevin Pat", "M", "1978-07-11"),
        ("Sautter", "Kari Pat", "F", "1978-07-12"),
        ("Zschieschak", "Jaclyn Pat", "F", "1978-07-13"),
    ]
    assert [
        (r["family_name"], r["given_names"], r["sex"], str(r["dob"])) for r in people
    ] == expected
    for r in people:
        assert r["role"] == "crew"
        assert (r["nationality"], r["residence"]) == ("GBR", "GBR")
        assert r["birthplace"] == "Hartford USA"
        assert (r["doc_type"], r["doc_number"], r["doc_issuer"]) == ("P", "123456789", "GBR")
        assert r["doc_expiry"] == d("2061-02-18")  # future century window
        assert r["flight_number"] == "UA0989"
        assert (r["dep_airport"], r["arr_airport"]) == ("FRA", "IAD")
        assert r["dep_time"] == datetime(2017, 1, 27, 17, 25)
        assert r["arr_time"] == datetime(2017, 1, 28, 7, 10)
    codes = set(parsed.issues["code"])
    assert {"W_COUNT", "E_ENVELOPE"} <= codes  # UNT count and the UNZ/UNB reference


def test_test3_macroman_passenger_list(paxlst: Path) -> None:
    parsed = parse(paxlst / "gtas_Test3_260pax_macroman_cr.txt")
    people = rows(parsed)
    first, second, last = people[0], people[1], people[-1]
    assert (first["family_name"], first["given_names"], first["sex"]) == (
        "Kuchel",
        "Rachel Pat",
        "F",
    )
    assert (first["dob"], first["nationality"]) == (d("1977-10-19"), "USA")
    assert (first["doc_type"], first["doc_number"], first["doc_issuer"]) == ("P", "12345678", "USA")
    assert first["doc_expiry"] == d("2019-12-18")
    assert (second["family_name"], second["dob"], second["nationality"]) == (
        "Hasselbusch",
        d("1977-10-20"),
        "GBR",
    )
    assert (last["family_name"], last["given_names"], last["dob"]) == (
        "Pfaffelhuber",
        "Lisa Pat",
        d("1978-07-05"),
    )
    assert last["doc_expiry"] == d("2020-09-02")
    assert {r["doc_number"] for r in people} == {"12345678"}  # duplicate-document test
    assert "W_CHARSET" in set(parsed.issues["code"])
    novak = parse(
        paxlst / "gtas_Test3_260pax_macroman_cr.txt",
        px.ParseOptions(reference_date=REF, fallback_encoding="mac_roman"),
    ).travellers.filter(pl.col("family_name").str.starts_with("Nov"))
    assert novak.select("family_name", "given_names", "sex", "dob", "nationality").row(0) == (
        "Novák",
        "Jeffrey Pat",
        "M",
        d("1977-12-28"),
        "GBR",
    )


def test_airline2_custom_una_and_bad_tag(paxlst: Path) -> None:
    people = rows(parse(paxlst / "gtas_airline2_una_star_dollar.edi"))
    numbers = [
        "178556534",
        "130906000",
        "185723910",
        "361569645",
        "132434347",
        "321648375",
        "293312850",
        "169177598",
        "179868051",
        "153284238",
    ]
    names = [
        "BETTON/DAVID",
        "TRIBBLE/FRANK",
        "RIDER/GORDON",
        "COOLEY/RAQUEL",
        "YOUNG/JAVIER",
        "ELLIOTT/CARMEN",
        "WHITLOCK/APRIL",
        "WESLEY/DAVID",
        "STEWART/MARYJANE",
        "LOWE/DANIEL",
    ]
    assert [r["doc_number"] for r in people] == numbers
    assert [f"{r['family_name']}/{r['given_names']}" for r in people] == names
    for r in people:
        assert (r["sex"], r["dob"], r["nationality"], r["pnr_locator"]) == (
            "M",
            d("1954-10-16"),
            "USA",
            "QXGYLO",
        )
        assert (r["doc_type"], r["doc_expiry"], r["doc_issuer"]) == ("P", d("2018-02-21"), "USA")
        assert (r["flight_number"], r["dep_airport"], r["arr_airport"]) == ("TN506", "BRE", "YEU")
        assert r["dep_time"] == datetime(2014, 5, 11, 13, 40)
        assert r["arr_time"] == datetime(2014, 5, 11, 17, 0)


def test_multiple_flight_legs(paxlst: Path) -> None:
    parsed = parse(paxlst / "gtas_multiple_flight_leg_d05b.txt")
    barrett, lang = rows(parsed)
    assert (barrett["family_name"], barrett["given_names"], barrett["sex"]) == (
        "BARRETT",
        "TODD",
        "M",
    )
    assert (barrett["dob"], barrett["nationality"], barrett["residence"]) == (
        d("1968-02-23"),
        "FRA",
        "FRA",
    )
    assert (barrett["embark"], barrett["debark"]) == ("MIA", "CDG")
    assert (barrett["doc_number"], barrett["doc_expiry"], barrett["doc_issuer"]) == (
        "YY3478621G",
        d("2008-12-30"),
        "FRA",
    )
    refs = {ref["qualifier"]: ref["value"] for ref in barrett["references"]}
    assert refs == {"AVF": "GJIO3RT", "ABO": "UUI34T543"}
    assert (lang["family_name"], lang["sex"], lang["dob"], lang["nationality"]) == (
        "LANG",
        "F",
        d("1960-06-06"),
        "ESP",
    )
    assert (lang["doc_number"], lang["doc_expiry"], lang["doc_issuer"]) == (
        "TRQWE99800",
        d("2009-09-16"),
        "ESP",
    )
    assert [ref["value"] for ref in lang["references"]] == ["GJIO3RT", "ABC124"]
    legs = barrett["legs"]
    assert [(leg["flight_number"], leg["dep_airport"], leg["arr_airport"]) for leg in legs] == [
        ("QQ877", "MIA", "IAD"),
        ("QQ827", "IAD", "JFK"),
        ("QQ827", "JFK", "CDG"),
    ]
    assert (barrett["flight_number"], barrett["dep_airport"], barrett["arr_airport"]) == (
        "QQ827",
        "JFK",
        "CDG",
    )
    assert "W_COUNT" not in set(parsed.issues["code"])  # UNT 46 is right
    assert "E_TRAILING" in set(parsed.issues["code"])


def test_indented_message_without_documents(paxlst: Path) -> None:
    michael, cheryl = rows(parse(paxlst / "gtas_apisMessage_d05b_indented.txt"))
    assert (michael["family_name"], michael["given_names"], michael["sex"], michael["dob"]) == (
        "CLARK",
        "MICHAEL",
        "M",
        d("1972-09-07"),
    )
    assert (michael["embark"], michael["debark"], michael["pnr_locator"]) == (
        "ATL",
        "JFK",
        "TYR123",
    )
    refs = {ref["qualifier"]: ref["value"] for ref in michael["references"]}
    assert refs == {"AVF": "TYR123", "ABO": "ABC123", "AEA": "1234567890ABC", "CR": "20060907NY123"}
    assert (cheryl["given_names"], cheryl["sex"], cheryl["dob"]) == ("CHERYL", "F", d("1973-04-07"))
    assert (cheryl["embark"], cheryl["debark"]) == ("ORD", "JFK")
    for r in (michael, cheryl):
        for column in ("doc_type", "doc_number", "doc_issuer", "doc_expiry", "nationality"):
            assert r[column] is None
        assert r["documents"] == []


def test_bags_visas_and_seats(paxlst: Path) -> None:
    people = {r["family_name"]: r for r in rows(parse(paxlst / "gtas_tamr_flight1_bags_visas.txt"))}
    assert len(people) == 10
    jiang = people["JIANG"]
    assert (jiang["doc_type"], jiang["doc_number"], jiang["doc_issuer"]) == (
        None,
        "433419360",
        "CHN",
    )
    assert jiang["documents"][1] == {
        "doc_type": "V",
        "doc_number": "57131424",
        "doc_issuer": "USA",
        "doc_expiry": d("2021-07-29"),
    }
    assert (jiang["seat"], jiang["bag_tags"]) == ("056F", ["2660001"])
    cannon = people["CANNON"]
    assert cannon["given_names"] == "ALEXANDRA EVA"
    assert (cannon["doc_number"], cannon["doc_issuer"]) == ("396949747", None)
    assert cannon["documents"][1]["doc_number"] == "86443634"
    assert len(cannon["bag_tags"]) == 4 and "SU0005" in cannon["bag_tags"]
    assert people["JOSEPH"]["documents"][1]["doc_number"] == "07970853"
    assert people["NOOD"]["bag_tags"] == ["2660009", "2660010"]
    grady = people["O GRADY"]
    assert (grady["given_names"], grady["dob"], grady["doc_number"]) == (
        "EMMA MAISIE",
        d("2000-05-20"),
        "209415811",
    )
    assert people["MUNOZ"]["dob"] == d("1941-01-08")
    assert (jiang["flight_number"], jiang["dep_airport"], jiang["arr_airport"]) == (
        "LA532",
        "SCL",
        "JFK",
    )
    assert jiang["dep_time"] == datetime(2020, 1, 19, 23, 0)


def test_ediclean_wrapped_files(paxlst: Path) -> None:
    parsed = parse(paxlst / "ediclean_A_telex_wrapped_64col.txt")
    (r,) = rows(parsed)
    assert (r["family_name"], r["given_names"], r["sex"], r["dob"]) == (
        "DJEMFISJER",
        "REDJAE",
        "M",
        d("1993-04-08"),
    )
    assert (r["nationality"], r["embark"], r["debark"], r["pnr_locator"], r["seat"]) == (
        "ABC",
        "TBS",
        "VIE",
        "ABC123",
        "9F",
    )
    assert (r["doc_number"], r["doc_expiry"], r["doc_issuer"]) == (
        "3DEJ2ED3E",
        d("2028-09-07"),
        "LIM",
    )
    assert r["bag_tags"] == []  # FTX+BAG+++NULL
    assert {"E_WRAPPER", "E_FOLDED", "E_TRAILING"} <= set(parsed.issues["code"])

    c = rows(parse(paxlst / "ediclean_C_una_star_hash_wrapped.txt"))
    assert [(x["family_name"], x["given_names"], x["seat"]) for x in c] == [
        ("MULLERSFER", "ERWED", "17B"),
        ("MULLERSFER", "MAAUTIA", "17A"),
        ("RDEERF", "EERFRWDTF", "17C"),
    ]
    assert c[0]["bag_tags"] == ["B2585631"] and c[0]["doc_expiry"] == d("2027-10-12")
    assert {x["pnr_locator"] for x in c} == {"DHOLDH"} and {x["debark"] for x in c} == {"DME"}
    assert (c[0]["flight_number"], c[0]["dep_airport"], c[0]["arr_airport"]) == (
        "B2740",
        "VIE",
        "FRA",
    )

    (dd,) = rows(parse(paxlst / "ediclean_D_ctrlchars_dash_sep.txt"))
    assert (dd["family_name"], dd["doc_number"], dd["seat"], dd["bag_tags"]) == (
        "ERFADFEFW",
        "345234643",
        "12D",
        ["FDERWEG345"],
    )
    assert (dd["flight_number"], dd["dep_airport"], dd["arr_airport"]) == ("FZ708", "VIE", "FRA")

    e = rows(parse(paxlst / "ediclean_E_part16F_3pax.txt"))
    assert [(x["family_name"], x["given_names"], x["doc_issuer"], x["seat"]) for x in e] == [
        ("ERSFE", "EREWFSDFTY JUDKGFR", "CAN", "9A"),
        ("EADFHAR", "DSFEWR EWER DAFD", "IND", "6E"),
        ("DSFASDE", "ADERW ADSRTS", None, "10E"),
    ]

    (f,) = rows(parse(paxlst / "ediclean_F_crew_pilot_licence.txt"))
    assert (f["role"], f["family_name"], f["given_names"], f["dob"]) == (
        "crew",
        "KETI",
        "OZCAN",
        d("1971-07-18"),
    )
    assert f["birthplace"] == "BAKIRKOY, ABC"
    assert [(x["doc_type"], x["doc_number"], x["doc_expiry"]) for x in f["documents"]] == [
        ("P", "S20624269", d("2024-10-15")),
        ("L", "6713", d("2036-01-01")),
    ]
    assert (f["flight_number"], f["dep_airport"], f["arr_airport"]) == ("TK334", "FRA", "VIE")


def test_truck_profile_is_refused_not_crashed(paxlst: Path) -> None:
    parsed = parse(paxlst / "smooks_paxlst_d03b_ace_truck.txt")
    assert parsed.travellers.is_empty()
    issue = parsed.issues.filter(pl.col("code") == "E_UNSUPPORTED_MESSAGE").row(0, named=True)
    assert issue["severity"] == "error" and issue["tag"] == "UNH"
