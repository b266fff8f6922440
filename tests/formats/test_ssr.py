"""Tests for paxscreen.formats.ssr: SSR DOCS/DOCO/DOCA parsing and writing."""

from __future__ import annotations

import json
import pickle
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paxscreen._countries import VALID_ALPHA3
from paxscreen.errors import ParseError, safe_tag
from paxscreen.formats.ssr import (
    SSR_ISSUE_CODES,
    format_ssr_doca,
    format_ssr_doco,
    format_ssr_docs,
    parse_ssr_docs,
)

REF = date(2024, 6, 1)
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "ssr" / "docs_cases.jsonl"
DATE_KEYS = {"dob", "doc_expiry", "issue_date"}


def _golden_cases() -> list[dict[str, Any]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _expected_value(key: str, value: Any) -> Any:
    if key in DATE_KEYS and value is not None:
        return date.fromisoformat(value)
    return value


# --------------------------------------------------------------------------------------------
# Golden file


@pytest.mark.parametrize("case", _golden_cases(), ids=lambda c: str(c["id"]))
def test_golden(case: dict[str, Any]) -> None:
    kind = case.get("kind")
    if "error" in case:
        with pytest.raises(ParseError) as info:
            parse_ssr_docs(case["input"], kind=kind, reference_date=REF)
        assert info.value.code == case["error"]
        return
    result = parse_ssr_docs(case["input"], kind=kind, reference_date=REF)
    for key, value in case["expected"].items():
        assert key in result, key
        assert result[key] == _expected_value(key, value), key


def test_golden_file_covers_every_kind_and_the_real_strings() -> None:
    cases = _golden_cases()
    inputs = {c["input"] for c in cases}
    assert len({c["id"] for c in cases}) == len(cases)
    assert "/P/ERI/191259499/0/28MAY89/F/24JUL22/LAI/BI/DULCE" in inputs
    assert " HERE VA/V/8675309/OTHER PLACE/22DEC06/LI" in inputs
    kinds = {c["expected"].get("ssr") for c in cases if "expected" in c}
    assert {"DOCS", "DOCO", "DOCA"} <= kinds


# --------------------------------------------------------------------------------------------
# Shapes and keys


DOCS_KEYS = {
    "ssr",
    "carrier",
    "status",
    "quantity",
    "doc_type",
    "doc_issuer",
    "doc_issuer_raw",
    "doc_number",
    "nationality",
    "nationality_raw",
    "dob",
    "sex",
    "infant",
    "doc_expiry",
    "family_name",
    "given_names",
    "holder",
    "name_association",
    "issues",
}
DOCO_KEYS = {
    "ssr",
    "carrier",
    "status",
    "quantity",
    "birthplace",
    "doc_type",
    "doc_number",
    "issue_place",
    "issue_date",
    "valid_for",
    "valid_for_raw",
    "infant",
    "name_association",
    "issues",
}
DOCA_KEYS = {
    "ssr",
    "carrier",
    "status",
    "quantity",
    "address_type",
    "country",
    "country_raw",
    "street",
    "city",
    "state",
    "postcode",
    "infant",
    "name_association",
    "issues",
}


@pytest.mark.parametrize(
    ("line", "kind", "keys"),
    [
        ("/P/GBR/1/GBR/01JAN80/M/01JAN30/A/B", None, DOCS_KEYS),
        ("/", None, DOCS_KEYS),
        ("SSR DOCO YY HK1/X/V/1/Y/01JAN20/USA", None, DOCO_KEYS),
        ("/X/V/1", "DOCO", DOCO_KEYS),
        ("SSR DOCA YY HK1/R/USA/1 ST", None, DOCA_KEYS),
        ("/R", "DOCA", DOCA_KEYS),
    ],
)
def test_keys_are_stable(line: str, kind: Any, keys: set[str]) -> None:
    result = parse_ssr_docs(line, kind=kind, reference_date=REF)
    assert set(result) == keys
    assert "" not in result.values()


def test_only_slashes_gives_all_none() -> None:
    result = parse_ssr_docs("SSR DOCS YY HK1///////////", reference_date=REF)
    assert result["issues"] == []
    assert all(result[k] is None for k in ("doc_type", "doc_number", "dob", "family_name"))
    assert result["holder"] is False


def test_bare_text_defaults_to_docs_and_kind_selects_layout() -> None:
    assert parse_ssr_docs("/P/GBR", reference_date=REF)["ssr"] == "DOCS"
    doco = parse_ssr_docs("/PARIS/V/123", kind="DOCO", reference_date=REF)
    assert (doco["birthplace"], doco["doc_type"], doco["doc_number"]) == ("PARIS", "V", "123")


def test_text_without_leading_slash() -> None:
    result = parse_ssr_docs("P/GBR/123456/GBR/01JAN80/M/01JAN30/TESTER/TOM", reference_date=REF)
    assert (result["doc_type"], result["doc_issuer"], result["family_name"]) == (
        "P",
        "GBR",
        "TESTER",
    )


def test_default_reference_date_is_today() -> None:
    result = parse_ssr_docs("/////01JAN80/M//TESTER/TOM")
    assert result["dob"] == date(1980, 1, 1)


def test_whitespace_is_collapsed_and_stripped() -> None:
    result = parse_ssr_docs(
        "/ P /GBR/ 12 34 /GBR/ 01JAN80 / M /01JAN30/  VAN   DER  TEST /  TOM\tLEE ",
        reference_date=REF,
    )
    assert result["doc_type"] == "P"
    assert result["doc_number"] == "12 34"
    assert result["dob"] == date(1980, 1, 1)
    assert result["family_name"] == "VAN DER TEST"
    assert result["given_names"] == "TOM LEE"
    assert result["issues"] == []


def test_date_broken_by_folding_still_parses() -> None:
    result = parse_ssr_docs("/P/GBR/1/GBR/01JA N80/M/01JAN30/A/B", reference_date=REF)
    assert result["dob"] == date(1980, 1, 1)


def test_lower_case_codes() -> None:
    result = parse_ssr_docs("/p/gb/1/deu/01jan80/fi/01jan30/Tester/Tina", reference_date=REF)
    assert (result["doc_type"], result["doc_issuer"], result["nationality"]) == ("P", "GBR", "DEU")
    assert (result["sex"], result["infant"]) == ("F", True)
    assert result["family_name"] == "Tester"  # names are kept as sent


def test_century_windows() -> None:
    result = parse_ssr_docs("/P/GBR/1/GBR/01JAN30/M/01JAN70/A/B", reference_date=REF)
    assert result["dob"] == date(1930, 1, 1)
    assert result["doc_expiry"] == date(2070, 1, 1)
    result = parse_ssr_docs("/P/GBR/1/GBR/01JUN24/M/01JAN75/A/B", reference_date=REF)
    assert result["dob"] == date(2024, 6, 1)
    assert result["doc_expiry"] == date(1975, 1, 1)
    result = parse_ssr_docs("/P/GBR/1/GBR/02JUN24/M//A/B", reference_date=REF)
    assert result["dob"] == date(1924, 6, 2)


@pytest.mark.parametrize(
    ("sex", "expected", "infant", "issues"),
    [
        ("M", "M", False, []),
        ("F", "F", False, []),
        ("X", "X", False, []),
        ("U", None, False, []),
        ("MI", "M", True, []),
        ("FI", "F", True, []),
        ("", None, False, []),
        ("Z", None, False, ["W_SSR_BAD_SEX"]),
        ("MALE", None, False, ["W_SSR_BAD_SEX"]),
    ],
)
def test_sex_codes(sex: str, expected: str | None, infant: bool, issues: list[str]) -> None:
    result = parse_ssr_docs(f"/P/GBR/1/GBR/01JAN80/{sex}/01JAN30/A/B", reference_date=REF)
    assert (result["sex"], result["infant"], result["issues"]) == (expected, infant, issues)


def test_holder_flag_is_not_an_infant_marker() -> None:
    result = parse_ssr_docs("/P/GBR/1/GBR/01JAN80/F/01JAN30/A/B//H", reference_date=REF)
    assert (result["holder"], result["infant"]) == (True, False)
    result = parse_ssr_docs("/P/GBR/1/GBR/01JAN80/F/01JAN30/A/B//Q", reference_date=REF)
    assert (result["holder"], result["issues"]) == (False, ["W_SSR_BAD_FLAG"])


def test_bad_doc_type() -> None:
    result = parse_ssr_docs("/PASSPORT/GBR/1/GBR/01JAN80/F/01JAN30/A/B", reference_date=REF)
    assert (result["doc_type"], result["issues"]) == (None, ["W_SSR_BAD_DOC_TYPE"])


def test_several_issues_in_order_without_duplicates() -> None:
    result = parse_ssr_docs("/P/0/1/12/99XXX99/Q/99XXX99/A/B", reference_date=REF)
    assert result["issues"] == ["W_SSR_BAD_COUNTRY", "W_SSR_BAD_DATE", "W_SSR_BAD_SEX"]


def test_icao_special_codes_are_known() -> None:
    result = parse_ssr_docs("/P/D/1/XXA/01JAN80/F/01JAN30/A/B", reference_date=REF)
    assert (result["doc_issuer"], result["nationality"], result["issues"]) == ("DEU", "XXA", [])


def test_unresolvable_dob_stays_in_place() -> None:
    # Position 5 is not a date and no shifted layout fits: no realignment, just a bad date.
    result = parse_ssr_docs("/P/GBR/1/GBR/UNKNOWN/F/01JAN30/A/B", reference_date=REF)
    assert result["dob"] is None
    assert result["family_name"] == "A"
    assert result["issues"] == ["W_SSR_BAD_DATE"]


@pytest.mark.parametrize(
    ("text", "head"),
    [
        # One field missing before the date of birth.
        ("//P/P00266142/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", None, "P00266142", None)),
        ("/P/GBR/123/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", "GBR", "123", None)),
        ("/P/123/GBR/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", None, "123", "GBR")),
        ("//GBR/123/14JUL71/M//AVDIU/ILIR", (None, "GBR", "123", None)),
        # One field too many before the date of birth.
        ("//P/GBR/123/GBR/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", "GBR", "123", "GBR")),
        ("/P/GBR//123/GBR/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", "GBR", "123", "GBR")),
        ("/P/GBR/123/XX/GBR/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", "GBR", "123", "GBR")),
        ("/P/GBR/123/GBR/XX/14JUL71/M/28MAY23/AVDIU/ILIR", ("P", "GBR", "123", "GBR")),
    ],
)
def test_offset_repair(text: str, head: tuple[str | None, ...]) -> None:
    result = parse_ssr_docs(text, reference_date=REF)
    got = (result["doc_type"], result["doc_issuer"], result["doc_number"], result["nationality"])
    assert got == head
    assert result["dob"] == date(1971, 7, 14)
    assert result["sex"] == "M"
    assert result["family_name"] == "AVDIU"
    assert result["given_names"] == "ILIR"
    assert "W_SSR_OFFSET" in result["issues"]


_DOCS_HEAD = "/P/GBR/1/GBR/01JAN80/M/01JAN30/"


@pytest.mark.parametrize(
    ("text", "association", "family", "given_names"),
    [
        (_DOCS_HEAD + "SMITH/JOHN-1SMITH/JOHNMR", "1SMITH/JOHNMR", "SMITH", "JOHN"),
        (_DOCS_HEAD + "SMITH/JOHN/MR-1.1SMITH/JOHN MR", "1.1SMITH/JOHN MR", "SMITH", "JOHN MR"),
        (_DOCS_HEAD + "SMITH-1SMITH/JOHN", "1SMITH/JOHN", "SMITH", None),
        (_DOCS_HEAD + "SMITH-JONES/JOHN", None, "SMITH-JONES", "JOHN"),
    ],
)
def test_name_association(
    text: str, association: str | None, family: str, given_names: str | None
) -> None:
    result = parse_ssr_docs(text, reference_date=REF)
    assert result["name_association"] == association
    assert result["family_name"] == family
    assert result["given_names"] == given_names
    assert result["issues"] == []


def test_name_association_on_doco() -> None:
    result = parse_ssr_docs(
        "SSR DOCO YY HK1/PARIS/V/123/LONDON/01JAN20/USA-1TESTER/TOM", reference_date=REF
    )
    assert (result["valid_for"], result["name_association"]) == ("USA", "1TESTER/TOM")


def test_kind_argument_for_bare_text() -> None:
    result = parse_ssr_docs("/R/USA/1 MAIN ST", kind="DOCA", reference_date=REF)
    assert (result["ssr"], result["address_type"], result["street"]) == ("DOCA", "R", "1 MAIN ST")


def test_invalid_kind_argument() -> None:
    with pytest.raises(ValueError, match="kind") as info:
        parse_ssr_docs("/P", kind="VGML", reference_date=REF)  # type: ignore[arg-type]
    assert not isinstance(info.value, ParseError)


def test_non_string_input() -> None:
    with pytest.raises(TypeError):
        parse_ssr_docs(b"/P/GBR", reference_date=REF)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "kind", "tag"),
    [
        ("", None, None),
        ("", "DOCO", "DOCO"),
        ("SSR VGML YY HK1", None, None),
        ("SSR", None, None),
        ("SSR+DOCS:HK:1:AM:::::/P/GBR", None, None),
        ("SSR DOCS YY HK1", None, "DOCS"),
        ("SSR DOCA YY HK1 NOTHING HERE", None, "DOCA"),
        ("JUST SOME TEXT", "DOCO", "DOCO"),
    ],
)
def test_errors(line: str, kind: Any, tag: str | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_ssr_docs(line, kind=kind, reference_date=REF)
    assert info.value.code == "E_SSR"
    # ParseError passes tags through safe_tag, which today admits up to three characters.
    assert info.value.tag == safe_tag(tag)
    assert str(info.value).startswith("E_SSR: ")


# --------------------------------------------------------------------------------------------
# Conformance samples


_SEGMENT = re.compile(r"SSR\+(DOC[SOA])(?::[^:'’]*){7}:([^'’]*)")


@pytest.mark.conformance
def test_conformance_pnrgov_docs(conformance_dir: Path) -> None:
    counts: dict[str, int] = {}
    bigbig_nationality: set[Any] = set()
    for path in sorted((conformance_dir / "pnrgov").iterdir()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for match in _SEGMENT.finditer(text):
            kind, free_text = match.group(1), match.group(2).split("+")[0]
            result = parse_ssr_docs(free_text, kind=kind, reference_date=REF)  # type: ignore[arg-type]
            counts[kind] = counts.get(kind, 0) + 1
            assert set(result["issues"]) <= SSR_ISSUE_CODES
            if kind == "DOCS":
                assert result["family_name"] is not None
                assert result["dob"] is not None
            if path.name.startswith("gtas_bigbigPnr"):
                bigbig_nationality.add((result["nationality"], result["nationality_raw"]))
                assert "W_SSR_BAD_COUNTRY" in result["issues"]
    assert counts["DOCS"] >= 86 + 10
    assert counts["DOCO"] == 1
    assert bigbig_nationality == {(None, "0")}


# --------------------------------------------------------------------------------------------
# Writers


def test_format_docs_example() -> None:
    line = format_ssr_docs(
        doc_type="P",
        doc_issuer="GBR",
        doc_number="123456789",
        nationality="GBR",
        dob=date(1982, 7, 12),
        sex="M",
        doc_expiry=date(2025, 10, 23),
        family_name="SMITH",
        given_names="JOHN",
    )
    assert line == "SSR DOCS YY HK1/P/GBR/123456789/GBR/12JUL82/M/23OCT25/SMITH/JOHN"


def test_format_docs_infant_holder_no_prefix() -> None:
    text = format_ssr_docs(
        doc_type=None,
        doc_issuer=None,
        doc_number=None,
        nationality=None,
        dob=date(2023, 1, 5),
        sex="F",
        doc_expiry=None,
        family_name="TESTER",
        given_names="TINA",
        infant=True,
        holder=True,
        prefix=False,
    )
    assert text == "/////05JAN23/FI//TESTER/TINA//H"


def test_format_doco_and_doca_examples() -> None:
    doco = format_ssr_doco(
        birthplace="HERE VA",
        doc_type="V",
        doc_number="8675309",
        issue_place="OTHER PLACE",
        issue_date=date(2006, 12, 22),
        valid_for="LI",
        carrier="UA",
        status="KH",
    )
    assert doco == "SSR DOCO UA KH1/HERE VA/V/8675309/OTHER PLACE/22DEC06/LI"
    doca = format_ssr_doca(
        address_type="R",
        country="GBR",
        street="1 EXAMPLE ROAD",
        city="LONDON",
        state=None,
        postcode="SW1A 1AA",
        infant=True,
        quantity=None,
    )
    assert doca == "SSR DOCA YY HK/R/GBR/1 EXAMPLE ROAD/LONDON//SW1A 1AA/I"


_WRITER_ERROR = r"must|contains|needs|association"
_DOCS_BASE: dict[str, Any] = {
    "doc_type": "P",
    "doc_issuer": "GBR",
    "doc_number": "1",
    "nationality": "GBR",
    "dob": None,
    "sex": None,
    "doc_expiry": None,
    "family_name": "A",
    "given_names": "B",
}


@pytest.mark.parametrize(
    "change",
    [
        {"family_name": "A/B"},
        {"given_names": "B\nC"},
        {"sex": "Q"},
        {"sex": "X", "infant": True},
        {"sex": None, "infant": True},
        {"carrier": "YYY"},
        {"status": "H1"},
        {"quantity": 1000},
        {"family_name": "A-1B", "given_names": "C"},
    ],
)
def test_format_docs_rejects(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=_WRITER_ERROR):
        format_ssr_docs(**{**_DOCS_BASE, **change})


def test_format_doca_rejects_bad_address_type() -> None:
    with pytest.raises(ValueError, match="address_type"):
        format_ssr_doca(
            address_type="Q", country=None, street=None, city=None, state=None, postcode=None
        )


# --------------------------------------------------------------------------------------------
# Properties

_NAME = st.from_regex(r"[A-Z]{1,8}([ '\-][A-Z]{1,8}){0,2}", fullmatch=True)
_PLACE = st.from_regex(r"[A-Z0-9]{1,8}( [A-Z0-9]{1,8}){0,2}", fullmatch=True)
_CODE = st.sampled_from(sorted(VALID_ALPHA3))
_DOB = st.dates(min_value=date(1924, 6, 2), max_value=REF)
_AROUND = st.dates(min_value=date(1974, 1, 1), max_value=date(2073, 12, 31))
_PREFIX: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "carrier": st.from_regex(r"[A-Z0-9]{2}", fullmatch=True),
        "status": st.from_regex(r"[A-Z]{2}", fullmatch=True),
        "quantity": st.none() | st.integers(0, 999),
        "prefix": st.booleans(),
    }
)


def _check_prefix(result: dict[str, Any], prefix: dict[str, Any]) -> None:
    if prefix["prefix"]:
        got = (result["carrier"], result["status"], result["quantity"])
        assert got == (prefix["carrier"], prefix["status"], prefix["quantity"])
    else:
        assert (result["carrier"], result["status"], result["quantity"]) == (None, None, None)
    assert result["issues"] == []
    assert result["name_association"] is None


@st.composite
def _docs_fields(draw: st.DrawFn) -> dict[str, Any]:
    sex = draw(st.sampled_from([None, "M", "F", "X"]))
    return {
        "doc_type": draw(st.none() | st.from_regex(r"[A-Z]{1,2}", fullmatch=True)),
        "doc_issuer": draw(st.none() | _CODE),
        "doc_number": draw(st.none() | st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True)),
        "nationality": draw(st.none() | _CODE),
        "dob": draw(st.none() | _DOB),
        "sex": sex,
        "doc_expiry": draw(st.none() | _AROUND),
        "family_name": draw(st.none() | _NAME),
        "given_names": draw(st.none() | _NAME),
        "infant": draw(st.booleans()) if sex in ("M", "F") else False,
        "holder": draw(st.booleans()),
    }


@settings(max_examples=200)
@given(fields=_docs_fields(), prefix=_PREFIX)
def test_docs_round_trip(fields: dict[str, Any], prefix: dict[str, Any]) -> None:
    line = format_ssr_docs(**fields, **prefix)
    result = parse_ssr_docs(line, reference_date=REF)
    assert result["ssr"] == "DOCS"
    for key, value in fields.items():
        assert result[key] == value, key
    assert result["doc_issuer_raw"] == fields["doc_issuer"]
    assert result["nationality_raw"] == fields["nationality"]
    _check_prefix(result, prefix)


@settings(max_examples=100)
@given(
    fields=st.fixed_dictionaries(
        {
            "birthplace": st.none() | _PLACE,
            "doc_type": st.none() | st.from_regex(r"[A-Z]{1,2}", fullmatch=True),
            "doc_number": st.none() | st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True),
            "issue_place": st.none() | _PLACE,
            "issue_date": st.none() | _AROUND,
            "valid_for": st.none() | _CODE,
            "infant": st.booleans(),
        }
    ),
    prefix=_PREFIX,
)
def test_doco_round_trip(fields: dict[str, Any], prefix: dict[str, Any]) -> None:
    result = parse_ssr_docs(format_ssr_doco(**fields, **prefix), kind="DOCO", reference_date=REF)
    assert result["ssr"] == "DOCO"
    for key, value in fields.items():
        assert result[key] == value, key
    _check_prefix(result, prefix)


@settings(max_examples=100)
@given(
    fields=st.fixed_dictionaries(
        {
            "address_type": st.sampled_from([None, "R", "D"]),
            "country": st.none() | _CODE,
            "street": st.none() | _PLACE,
            "city": st.none() | _PLACE,
            "state": st.none() | _PLACE,
            "postcode": st.none() | _PLACE,
            "infant": st.booleans(),
        }
    ),
    prefix=_PREFIX,
)
def test_doca_round_trip(fields: dict[str, Any], prefix: dict[str, Any]) -> None:
    result = parse_ssr_docs(format_ssr_doca(**fields, **prefix), kind="DOCA", reference_date=REF)
    assert result["ssr"] == "DOCA"
    for key, value in fields.items():
        assert result[key] == value, key
    _check_prefix(result, prefix)


_TOKENS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["", " ", "P", "GBR", "GB", "D<<", "0", "ABC", "12JUL82", "31FEB80", "12JUL8", "M", "FI",
         "MI", "U", "H", "I", "R", "-1A/B", "A-1B", "SSR", "DOCS", "\u00e9", "\x00"]
    ),
)  # fmt: skip
_HEADS = st.sampled_from(
    ["", "/", "//", " ", "SSR DOCS YY HK1", "SSR DOCO UA KH1 ", "SSR DOCA YY HK", "SSR DOCS ",
     "SSR VGML YY HK1", "SSR+DOCS:HK:1:AM:::::", "ssr docs 1a nn12", "SSR DOCS YY/"]
)  # fmt: skip
_KIND = st.sampled_from([None, "DOCS", "DOCO", "DOCA"])


def _parse_or_parse_error(line: str, kind: Any) -> None:
    error: ParseError | None = None
    try:
        result = parse_ssr_docs(line, kind=kind, reference_date=REF)
    except ParseError as exc:
        error = exc
    if error is not None:
        assert error.code == "E_SSR"
        return
    assert isinstance(result, dict)
    assert result["ssr"] in ("DOCS", "DOCO", "DOCA")
    assert set(result["issues"]) <= SSR_ISSUE_CODES
    assert "" not in result.values()
    for key in ("dob", "doc_expiry", "issue_date"):
        assert result.get(key) is None or isinstance(result[key], date)


@settings(max_examples=300)
@given(line=st.text(max_size=80), kind=_KIND)
def test_arbitrary_text_returns_dict_or_parse_error(line: str, kind: Any) -> None:
    _parse_or_parse_error(line, kind)


@settings(max_examples=300)
@given(head=_HEADS, tokens=st.lists(_TOKENS, max_size=14), kind=_KIND)
def test_slash_separated_noise_returns_dict_or_parse_error(
    head: str, tokens: list[str], kind: Any
) -> None:
    _parse_or_parse_error(head + "/".join(tokens), kind)


# --------------------------------------------------------------------------------------------
# Canary: personal data never reaches exception text or issue codes

CANARY_NAME = "QZXWCANARYSURNAME"
CANARY_GIVEN = "QZXWCANARYGIVEN"
CANARY_NUMBER = "QZ9876543210"
CANARY_DATE = "29FEB99"
CANARIES = (CANARY_NAME, CANARY_GIVEN, CANARY_NUMBER, CANARY_DATE, "QZXW", "9876543210")


def _assert_clean(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text
        assert canary.lower() not in text.lower()


def _exception_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), *map(str, exc.args)]
    if isinstance(exc, ParseError):
        texts += [exc.detail, str(exc.tag), str(pickle.loads(pickle.dumps(exc)))]
    return texts


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"{CANARY_NAME} {CANARY_GIVEN} {CANARY_NUMBER}", None),
        (f"{CANARY_NAME} {CANARY_NUMBER}", "DOCO"),
        (f"SSR VGML YY HK1/{CANARY_NAME}/{CANARY_NUMBER}", None),
        (f"SSR QZXW YY HK1/P/GBR/{CANARY_NUMBER}/GBR/{CANARY_DATE}/M//{CANARY_NAME}", None),
        (f"SSR {CANARY_NAME} HK1/{CANARY_NUMBER}", None),
        (f"SSR+DOCS:HK:1:AM:::::/P/GBR/{CANARY_NUMBER}/GBR/{CANARY_DATE}/M//{CANARY_NAME}", None),
        (f"SSR DOCS YY HK1 {CANARY_NAME}", None),
        (f"SSR/{CANARY_NAME}/{CANARY_GIVEN}", None),
    ],
)
def test_canary_parse_errors(line: str, kind: Any) -> None:
    with pytest.raises(ParseError) as info:
        parse_ssr_docs(line, kind=kind, reference_date=REF)
    for text in _exception_texts(info.value):
        _assert_clean(text)


def test_canary_issues_and_bad_kind() -> None:
    line = (
        f"/{CANARY_NUMBER}/{CANARY_NAME}/{CANARY_NUMBER}/QZXW/{CANARY_DATE}/{CANARY_GIVEN}/"
        f"{CANARY_DATE}/{CANARY_NAME}/{CANARY_GIVEN}//{CANARY_NAME}/{CANARY_GIVEN}"
    )
    for kind in ("DOCS", "DOCO", "DOCA"):
        result = parse_ssr_docs(line, kind=kind, reference_date=REF)
        assert result["issues"]
        for code in result["issues"]:
            _assert_clean(code)
    with pytest.raises(ValueError, match="kind") as info:
        parse_ssr_docs(line, kind=CANARY_NAME, reference_date=REF)  # type: ignore[arg-type]
    for text in _exception_texts(info.value):
        _assert_clean(text)


@pytest.mark.parametrize(
    "change",
    [
        {"family_name": f"{CANARY_NAME}/{CANARY_GIVEN}"},
        {"doc_number": f"{CANARY_NUMBER}\n"},
        {"sex": CANARY_NAME},
        {"sex": None, "infant": True, "family_name": CANARY_NAME},
        {"carrier": CANARY_NAME},
        {"status": CANARY_NUMBER},
        {"family_name": f"{CANARY_NAME}-1{CANARY_NAME}", "given_names": CANARY_GIVEN},
    ],
)
def test_canary_writer_errors(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=_WRITER_ERROR) as info:
        format_ssr_docs(**{**_DOCS_BASE, **change})
    for text in _exception_texts(info.value):
        _assert_clean(text)


def test_canary_doco_doca_writer_errors() -> None:
    with pytest.raises(ValueError, match="contains") as info:
        format_ssr_doco(
            birthplace=f"{CANARY_NAME}/X",
            doc_type=None,
            doc_number=None,
            issue_place=None,
            issue_date=None,
            valid_for=None,
        )
    for text in _exception_texts(info.value):
        _assert_clean(text)
    with pytest.raises(ValueError, match="address_type") as info:
        format_ssr_doca(
            address_type=CANARY_NAME,
            country=None,
            street=None,
            city=None,
            state=None,
            postcode=None,
        )
    for text in _exception_texts(info.value):
        _assert_clean(text)
