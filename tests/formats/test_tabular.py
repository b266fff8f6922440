"""CSV and Parquet manifests: paxscreen.formats.tabular."""

from __future__ import annotations

import codecs
import io
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError
from paxscreen.formats.tabular import (
    TRAVELLER_ALIASES,
    parse_tabular,
    sniff_tabular,
    write_tabular,
)
from paxscreen.schema import DOCUMENT, LEG, REFERENCE, TRAVELLERS

LENIENT = ParseOptions()
STRICT = ParseOptions(strict=True)


def csv(text: str, *, options: ParseOptions = LENIENT) -> tuple[pl.DataFrame, pl.DataFrame]:
    return parse_tabular(text.encode("utf-8"), format="csv", options=options)


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def issue_rows(issues: pl.DataFrame, code: str) -> list[dict[str, Any]]:
    return issues.filter(pl.col("code") == code).to_dicts()


# --------------------------------------------------------------------------------------------
# Golden manifest


@pytest.fixture(scope="module")
def golden(data_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    data = (data_dir / "tabular" / "manifest.csv").read_bytes()
    return parse_tabular(data, format="csv", options=LENIENT, source_name="manifest.csv")


def test_golden_schema_is_exactly_travellers(golden: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    travellers, _ = golden
    assert travellers.schema == TRAVELLERS
    assert travellers.height == 5


def test_golden_rows_field_by_field(golden: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    rows = golden[0].to_dicts()
    common: dict[str, Any] = {
        "source_format": "csv",
        "source_ref": None,
        "role": None,
        "residence": None,
        "birthplace": None,
        "doc_type": None,
        "carrier": None,
        "flight_number": "SK1415",
        "dep_airport": "ARN",
        "arr_airport": "LHR",
        "arr_time": None,
        "embark": None,
        "debark": None,
        "references": [],
        "legs": [],
    }
    expected: list[dict[str, Any]] = [
        {
            "record_id": "P001",
            "family_name": "ANDERSSON",
            "given_names": "Karl Johan",
            "dob": date(1975, 3, 14),
            "sex": "M",
            "nationality": "SWE",
            "doc_number": "000123456",
            "doc_issuer": "SWE",
            "doc_expiry": date(2030, 1, 31),
            "dep_time": datetime(2026, 5, 1, 7, 35),
            "pnr_locator": "ABC123",
            "seat": "12A",
            "bag_tags": ["SK123456", "SK123457"],
        },
        {
            "record_id": "P002",
            "family_name": "O'NEILL",
            "given_names": "Siobhán",
            "dob": date(1988, 11, 2),
            "sex": "F",
            "nationality": "IRL",
            "doc_number": "0012AB34",
            "doc_issuer": "IRL",
            "doc_expiry": date(2029, 6, 30),
            "dep_time": datetime(2026, 5, 1, 7, 35),
            "pnr_locator": "ABC124",
            "seat": "12B",
            "bag_tags": [],
        },
        {
            "record_id": "P003",
            "family_name": "López",
            "given_names": "María José García",
            "dob": date(2001, 7, 9),
            "sex": "F",
            "nationality": "ESP",
            "doc_number": "00001",
            "doc_issuer": "ESP",
            "doc_expiry": None,
            "dep_time": datetime(2026, 5, 1, 7, 35),
            "pnr_locator": None,
            "seat": None,
            "bag_tags": [],
        },
        {
            "record_id": "P004",
            "family_name": "Nakamura",
            "given_names": "Yuki",
            "dob": None,  # 1990-02-30 does not exist
            "sex": "X",
            "nationality": "JPN",
            "doc_number": None,
            "doc_issuer": None,
            "doc_expiry": None,
            "dep_time": datetime(2026, 5, 1, 7, 35),
            "pnr_locator": None,
            "seat": "14C",
            "bag_tags": [],
        },
        {
            "record_id": "P005",
            "family_name": "Müller",
            "given_names": "Anna",
            "dob": None,
            "sex": None,  # U
            "nationality": "DEU",
            "doc_number": "0042",
            "doc_issuer": "DEU",
            "doc_expiry": date(2031, 12, 31),
            "dep_time": None,
            "pnr_locator": None,
            "seat": None,  # whitespace only
            "bag_tags": [],
        },
    ]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        want = {**common, **want}
        if want["doc_number"] is None:
            want["documents"] = []
        else:
            want["documents"] = [
                {k: want[k] for k in ("doc_type", "doc_number", "doc_issuer", "doc_expiry")}
            ]
        for key, value in want.items():
            assert row[key] == value, (want["record_id"], key)
        assert set(row) == set(want)


def test_golden_issues(golden: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, issues = golden
    assert issues.to_dicts() == [
        {
            "severity": "info",
            "code": "I_COLUMNS_IGNORED",
            "message": "ignored 1 column(s): 'Remarks'",
            "segment_index": None,
            "tag": None,
            "offset": None,
            "record_id": None,
        },
        {
            "severity": "warning",
            "code": "W_FIELD",
            "message": "column 'Date of Birth' (dob), row 4: not an ISO date (YYYY-MM-DD);"
            " set to null",
            "segment_index": 4,
            "tag": None,
            "offset": None,
            "record_id": "P004",
        },
    ]


def test_golden_strict_raises_on_the_bad_date(data_dir: Path) -> None:
    data = (data_dir / "tabular" / "manifest.csv").read_bytes()
    with pytest.raises(ParseError) as info:
        parse_tabular(data, format="csv", options=STRICT, source_name="manifest.csv")
    err = info.value
    assert err.code == "E_FIELD"
    assert err.segment_index == 4
    assert err.source == "manifest.csv"
    assert "Date of Birth" in str(err)
    assert "1990" not in str(err)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_tabular_round_trip(golden: tuple[pl.DataFrame, pl.DataFrame], fmt: str) -> None:
    travellers = golden[0]
    data = write_tabular(travellers, format="csv" if fmt == "csv" else "parquet")
    back, issues = parse_tabular(data, format="csv" if fmt == "csv" else "parquet", options=STRICT)
    assert issues.is_empty()
    assert back.drop("source_format").equals(travellers.drop("source_format"))
    assert back.get_column("source_format").unique().to_list() == [fmt]


def test_write_tabular_requires_a_travellers_frame() -> None:
    with pytest.raises(KeyError):
        write_tabular(pl.DataFrame({"family_name": ["X"]}), format="csv")


# --------------------------------------------------------------------------------------------
# Sniffing


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PAR1\x15\x04", "parquet"),
        (b"family_name,given_names,dob\nA,B,1980-01-01\n", "csv"),
        (b"Surname;Vorname;Geburtsdatum\n", "csv"),
        (b"record_id\tfull_name\n", "csv"),
        (codecs.BOM_UTF8 + b"Last Name,First Name\n", "csv"),
        ("full_name,gender\n".encode("utf-16"), "csv"),
        (b"full_name\nANNA\n", "csv"),
        (b"name\n", None),  # one generic word is not enough
        (b"UNA:+.? 'UNB+UNOA:4+AIR1+APIS+200101:1200+1'", None),
        (b"<?xml version='1.0'?><PNR/>", None),
        (b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", None),
        (b"foo,bar,baz\n1,2,3\n", None),
        (b"hello world\n", None),
        (b"", None),
        (b"\xff\xfe\x00", None),
    ],
)
def test_sniff_tabular(data: bytes, expected: str | None) -> None:
    assert sniff_tabular(data) == expected


def test_sniff_golden(data_dir: Path) -> None:
    assert sniff_tabular((data_dir / "tabular" / "manifest.csv").read_bytes()) == "csv"


@given(st.binary(max_size=200))
def test_sniff_never_fails(data: bytes) -> None:
    assert sniff_tabular(data) in (None, "csv", "parquet")


# --------------------------------------------------------------------------------------------
# Columns and values


def test_every_alias_maps_to_its_column() -> None:
    for target, aliases in TRAVELLER_ALIASES.items():
        for alias in aliases:
            kept = "full_name" if target == "full_name" else target
            header = alias.upper().replace("_", " ")
            value = {"full_name": "SMITH, Anna", "role": "crew", "sex": "M"}.get(target, "x")
            other = "carrier" if target == "seat" else "seat"
            travellers, issues = csv(f'{header},{other}\n"{value}",1A\n')
            assert issue_rows(issues, "I_COLUMNS_IGNORED") == [], alias
            if kept == "full_name":
                assert travellers.get_column("family_name").to_list() == ["SMITH"]
            elif kept == "record_id":
                assert travellers.get_column("record_id").to_list() == ["x"]
            elif TRAVELLERS[kept] == pl.String:
                assert travellers.get_column(kept).to_list() == [value], alias


def test_exact_name_wins_over_alias() -> None:
    travellers, issues = csv("surname,family_name\nALIAS,EXACT\n")
    assert travellers.get_column("family_name").to_list() == ["EXACT"]
    (info,) = issue_rows(issues, "I_COLUMNS_IGNORED")
    assert info["message"] == "ignored 1 column(s): 'surname' (second column for family_name)"


def test_case_and_punctuation_do_not_matter() -> None:
    travellers, _ = csv("FAMILY-NAME,givenNames,Date Of Birth\nA,B,1999-12-31\n")
    row = travellers.row(0, named=True)
    assert (row["family_name"], row["given_names"], row["dob"]) == ("A", "B", date(1999, 12, 31))


def test_unknown_columns_one_info_issue() -> None:
    _, issues = csv("family_name,colour,shoe_size\nA,red,42\n")
    assert issues.select("severity", "code", "message").rows() == [
        ("info", "I_COLUMNS_IGNORED", "ignored 2 column(s): 'colour', 'shoe_size'")
    ]


def test_header_that_looks_like_data_is_not_echoed() -> None:
    _, issues = csv("family_name,P12345678,1980-01-02\nA,B,C\n")
    (info,) = issue_rows(issues, "I_COLUMNS_IGNORED")
    assert info["message"] == "ignored 2 column(s): column 2, column 3"


def test_no_recognised_columns() -> None:
    with pytest.raises(ParseError) as info:
        csv("SMITH,JOHN,1980-01-02\nDOE,JANE,1970-01-01\n")
    assert info.value.code == "E_NO_COLUMNS"
    assert "SMITH" not in str(info.value)


@pytest.mark.parametrize(
    ("full_name", "family", "given"),
    [
        ("SMITH, John Paul", "SMITH", "John Paul"),
        ("John Paul Smith", "Smith", "John Paul"),
        ("  van der Berg ,  Anna  ", "van der Berg", "Anna"),
        ("Madonna", "Madonna", None),
        ("SMITH,", "SMITH", None),
        ("ИВАНОВ, Иван", "ИВАНОВ", "Иван"),
        ("李 小龙", "小龙", "李"),
        ("A, B, C", "A", "B, C"),
    ],
)
def test_full_name_split(full_name: str, family: str, given: str | None) -> None:
    frame = pl.DataFrame({"full_name": [full_name]})
    travellers, _ = parse_tabular(parquet_bytes(frame), format="parquet", options=STRICT)
    row = travellers.row(0, named=True)
    assert (row["family_name"], row["given_names"]) == (family, given)


def test_full_name_does_not_override_parts() -> None:
    travellers, _ = csv('family_name,given_names,full_name\nDOE,,"SMITH, John"\n,,"SMITH, J"\n')
    assert travellers.select("family_name", "given_names").rows() == [
        ("DOE", None),
        ("SMITH", "J"),
    ]


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("M", "M"),
        ("m", "M"),
        ("Male", "M"),
        ("F", "F"),
        ("female", "F"),
        ("X", "X"),
        ("non-binary", "X"),
        ("U", None),
        ("unknown", None),
        ("", None),
    ],
)
def test_sex_normalised(raw: str, sex: str | None) -> None:
    travellers, issues = csv(f"family_name,sex\nA,{raw}\n", options=STRICT)
    assert travellers.get_column("sex").to_list() == [sex]
    assert issues.is_empty()


def test_bad_sex_lenient_and_strict() -> None:
    travellers, issues = csv("family_name,gender\nA,Q\n")
    assert travellers.get_column("sex").to_list() == [None]
    (warning,) = issue_rows(issues, "W_FIELD")
    assert (
        warning["message"] == "column 'gender' (sex), row 1: not a sex code (M, F, X); set to null"
    )
    with pytest.raises(ParseError, match="E_FIELD") as info:
        csv("family_name,gender\nA,Q\n", options=STRICT)
    assert info.value.segment_index == 1


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("passenger", "passenger"),
        ("CREW", "crew"),
        ("pax", "passenger"),
        ("In Transit Crew", "in_transit_crew"),
        ("INF", "infant"),
    ],
)
def test_role_normalised(raw: str, role: str) -> None:
    travellers, _ = csv(f"family_name,role\nA,{raw}\n", options=STRICT)
    assert travellers.get_column("role").to_list() == [role]


def test_bad_role_warns() -> None:
    travellers, issues = csv("family_name,role\nA,pilot\n")
    assert travellers.get_column("role").to_list() == [None]
    assert len(issue_rows(issues, "W_FIELD")) == 1


def test_whitespace_and_empty_strings_are_null_everywhere() -> None:
    body = 'record_id,family_name,given_names,seat,doc_number\nR1,"  ",\t, \u00a0 ,""\n'
    travellers, _ = csv(body)
    row = travellers.row(0, named=True)
    assert all(row[k] is None for k in ("family_name", "given_names", "seat", "doc_number"))
    assert row["documents"] == []


def test_rows_without_any_value_are_dropped() -> None:
    travellers, issues = csv('family_name,seat\n" ",\t\nA,1A\n')
    assert travellers.get_column("record_id").to_list() == ["row-2"]
    assert issues.is_empty()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-05-01T07:35", datetime(2026, 5, 1, 7, 35)),
        ("2026-05-01 07:35:09", datetime(2026, 5, 1, 7, 35, 9)),
        ("2026-05-01T07:35:09.250", datetime(2026, 5, 1, 7, 35, 9, 250000)),
        ("2026-05-01", datetime(2026, 5, 1)),
    ],
)
def test_datetime_strings(raw: str, expected: datetime) -> None:
    travellers, issues = csv(f"family_name,dep_time\nA,{raw}\n", options=STRICT)
    assert travellers.get_column("dep_time").to_list() == [expected]
    assert issues.is_empty()


@pytest.mark.parametrize("raw", ["01/05/2026 07:35", "2026-05-01T25:00", "2026-13-01", "soon"])
def test_bad_datetime_strings(raw: str) -> None:
    travellers, issues = csv(f"family_name,arrival_time\nA,{raw}\n")
    assert travellers.get_column("arr_time").to_list() == [None]
    (warning,) = issue_rows(issues, "W_FIELD")
    assert "'arrival_time' (arr_time), row 1" in warning["message"]


@pytest.mark.parametrize("raw", ["1980-2-3", "03/02/1980", "19800203", "1980-02-30", "x"])
def test_bad_dates(raw: str) -> None:
    travellers, issues = csv(f"family_name,dob,doc_expiry\nA,{raw},{raw}\n")
    assert travellers.select("dob", "doc_expiry").row(0) == (None, None)
    messages = [i["message"] for i in issue_rows(issues, "W_FIELD")]
    assert messages == [
        "column 'dob', row 1: not an ISO date (YYYY-MM-DD); set to null",
        "column 'doc_expiry', row 1: not an ISO date (YYYY-MM-DD); set to null",
    ]


def test_bag_tags_text_is_split() -> None:
    travellers, _ = csv('family_name,bag_tags\nA,"0125123456, 0125123457;0125123458"\nB,\n')
    assert travellers.get_column("bag_tags").to_list() == [
        ["0125123456", "0125123457", "0125123458"],
        [],
    ]


def test_nested_columns_in_csv_are_left_empty_with_an_info_issue() -> None:
    travellers, issues = csv("family_name,legs\nA,whatever\n")
    assert travellers.get_column("legs").to_list() == [[]]
    (info,) = issue_rows(issues, "I_COLUMN_IGNORED")
    assert "'legs'" in info["message"]


# --------------------------------------------------------------------------------------------
# record_id


def test_record_ids_generated_when_absent() -> None:
    travellers, _ = csv("family_name\nA\nB\nC\n")
    assert travellers.get_column("record_id").to_list() == ["row-1", "row-2", "row-3"]


def test_record_ids_kept_as_text() -> None:
    travellers, _ = csv("record_id,family_name\n007,A\n 0042 ,B\n1e3,C\n")
    assert travellers.get_column("record_id").to_list() == ["007", "0042", "1e3"]


def test_empty_record_id_is_generated_with_a_warning() -> None:
    travellers, issues = csv("record_id,family_name\nX1,A\n,B\n")
    assert travellers.get_column("record_id").to_list() == ["X1", "row-2"]
    (warning,) = issue_rows(issues, "W_FIELD")
    assert warning["segment_index"] == 2


def test_duplicate_record_ids() -> None:
    with pytest.raises(ParseError) as info:
        csv("pax_id,family_name\nDUPX77,A\nB2,B\nDUPX77,C\nB2,D\n", options=LENIENT)
    err = info.value
    assert err.code == "E_DUPLICATE_ID"
    assert "'pax_id' (record_id): rows 1, 3 share one value" in str(err)
    assert "2 duplicated value(s)" in str(err)
    assert "DUPX77" not in str(err)


def test_generated_ids_can_collide_with_given_ones() -> None:
    with pytest.raises(ParseError, match="E_DUPLICATE_ID"):
        csv("record_id,family_name\nrow-2,A\n,B\n")


def test_numeric_record_ids_from_parquet() -> None:
    frame = pl.DataFrame({"record_id": [7, 8], "family_name": ["A", "B"]})
    travellers, _ = parse_tabular(parquet_bytes(frame), format="parquet", options=STRICT)
    assert travellers.get_column("record_id").to_list() == ["7", "8"]


# --------------------------------------------------------------------------------------------
# CSV dialects and broken CSV


@pytest.mark.parametrize(
    "data",
    [
        b"family_name;doc_number\nA;007\n",
        b"family_name\tdoc_number\nA\t007\n",
        b"family_name,doc_number\r\nA,007\r\n",
        b"family_name,doc_number\rA,007\r",
        codecs.BOM_UTF8 + b"family_name,doc_number\nA,007\n",
        "family_name,doc_number\nA,007\n".encode("utf-16"),
        b'"family_name","doc_number"\n"A","007"\n',
    ],
)
def test_csv_dialects(data: bytes) -> None:
    travellers, issues = parse_tabular(data, format="csv", options=STRICT)
    assert travellers.select("family_name", "doc_number").rows() == [("A", "007")]
    assert issues.is_empty()


def test_quoted_values_with_separators_and_line_breaks() -> None:
    travellers, _ = csv('family_name,given_names,seat\n"O\'Brien, Jr","Anna\nMarie",1A\n')
    assert travellers.select("family_name", "given_names").row(0) == ("O'Brien, Jr", "Anna\nMarie")


def test_blank_lines_are_skipped_and_rows_keep_their_numbers() -> None:
    travellers, issues = csv("family_name,dob\n\nA,1980-01-01\n\nB,bad\n\n")
    assert travellers.get_column("record_id").to_list() == ["row-2", "row-4"]
    (warning,) = issue_rows(issues, "W_FIELD")
    assert warning["segment_index"] == 4


def test_header_only_gives_an_empty_frame() -> None:
    travellers, issues = csv("family_name,given_names\n")
    assert travellers.height == 0
    assert travellers.schema == TRAVELLERS
    assert issues.is_empty()


def test_cp1252_fallback_in_lenient_mode() -> None:
    data = "family_name,given_names\nMüller,Zoë\n".encode("cp1252")
    travellers, issues = parse_tabular(data, format="csv", options=LENIENT)
    assert travellers.select("family_name", "given_names").row(0) == ("Müller", "Zoë")
    (warning,) = issue_rows(issues, "W_ENCODING")
    assert warning["offset"] == 25


def test_invalid_utf8_in_strict_mode() -> None:
    data = "family_name\nMüller\n".encode("cp1252")
    with pytest.raises(ParseError) as info:
        parse_tabular(data, format="csv", options=STRICT)
    assert (info.value.code, info.value.offset) == ("E_CSV", 13)


@pytest.mark.parametrize(
    ("data", "row"),
    [
        (b"family_name,dob\nA,1980-01-01\nB,1980-01-01,extra\n", 2),
        (b'family_name,dob\nA,1980-01-01\n"B,1980-01-01\n', None),
        (b'family_name,dob\nA,1980-01-01\nB"x,1980\n', None),
        (b"", None),
        (b"   \n", None),
        (b"\x81\x8d\x8f", None),
    ],
)
def test_broken_csv(data: bytes, row: int | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_tabular(data, format="csv", options=LENIENT, source_name="bad.csv")
    assert info.value.code == "E_CSV"
    assert info.value.source == "bad.csv"
    if row is not None:
        assert info.value.segment_index == row
        assert f"row {row}" in str(info.value)


def test_too_large() -> None:
    with pytest.raises(ParseError, match="E_TOO_LARGE"):
        parse_tabular(b"family_name\nA\n", format="csv", options=ParseOptions(max_bytes=5))


def test_unknown_format() -> None:
    with pytest.raises(ParseError, match="E_FORMAT"):
        parse_tabular(b"x", format="xlsx", options=LENIENT)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Parquet


def test_parquet_round_trip_via_polars(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "record_id": ["001", "002"],
            "Last Name": ["ÅSTRÖM", "  "],
            "first_name": ["Åsa", None],
            "birth_date": [date(1970, 1, 1), None],
            "passport_number": ["0001234", None],
            "expiry_date": [datetime(2031, 1, 2, 3, 4), None],
            "departure_time": pl.Series([datetime(2026, 1, 1, 10, 0), None])
            .cast(pl.Datetime("ms"))
            .dt.replace_time_zone("Europe/Stockholm"),
            "gender": pl.Series(["F", None], dtype=pl.Categorical),
            "bag_tags": [["0001", " "], None],
        }
    )
    path = tmp_path / "manifest.parquet"
    frame.write_parquet(path)
    data = path.read_bytes()
    assert sniff_tabular(data) == "parquet"
    travellers, issues = parse_tabular(data, format="parquet", options=STRICT)
    assert issues.is_empty()
    assert travellers.schema == TRAVELLERS
    rows = travellers.to_dicts()
    assert rows[0]["record_id"] == "001"
    assert rows[0]["source_format"] == "parquet"
    assert (rows[0]["family_name"], rows[0]["given_names"]) == ("ÅSTRÖM", "Åsa")
    assert rows[0]["dob"] == date(1970, 1, 1)
    assert rows[0]["doc_expiry"] == date(2031, 1, 2)
    assert rows[0]["dep_time"] == datetime(2026, 1, 1, 9, 0)  # 10:00 in Stockholm, as naive UTC
    assert rows[0]["sex"] == "F"
    assert rows[0]["bag_tags"] == ["0001"]
    assert rows[0]["documents"] == [
        {
            "doc_type": None,
            "doc_number": "0001234",
            "doc_issuer": None,
            "doc_expiry": date(2031, 1, 2),
        }
    ]
    assert rows[1]["family_name"] is None
    assert rows[1]["bag_tags"] == []
    assert rows[1]["documents"] == []


def test_parquet_nested_columns() -> None:
    frame = pl.DataFrame(
        {
            "record_id": ["a", "b"],
            "documents": [
                [{"doc_number": "007", "doc_type": "P"}, {"doc_number": "V1", "doc_type": "V"}],
                [],
            ],
            "doc_number": [None, "0099"],
            "references": [[{"qualifier": "AVF", "value": "ABC"}], None],
            "legs": [[{"carrier": "SK", "dep_time": datetime(2026, 1, 1, 10)}], []],
        }
    )
    travellers, issues = parse_tabular(parquet_bytes(frame), format="parquet", options=STRICT)
    assert issues.is_empty()
    rows = travellers.to_dicts()
    assert [d["doc_number"] for d in rows[0]["documents"]] == ["007", "V1"]
    assert (rows[0]["doc_number"], rows[0]["doc_type"]) == ("007", "P")  # primary from the list
    assert rows[1]["documents"] == [
        {"doc_type": None, "doc_number": "0099", "doc_issuer": None, "doc_expiry": None}
    ]
    assert rows[0]["references"] == [{"qualifier": "AVF", "value": "ABC"}]
    assert rows[1]["references"] == []
    assert rows[0]["legs"][0]["carrier"] == "SK"
    assert rows[0]["legs"][0]["dep_time"] == datetime(2026, 1, 1, 10)
    assert rows[0]["legs"][0]["arr_airport"] is None
    assert travellers.schema["legs"] == pl.List(LEG)
    assert travellers.schema["references"] == pl.List(REFERENCE)
    assert travellers.schema["documents"] == pl.List(DOCUMENT)


def test_parquet_numeric_doc_numbers_are_refused() -> None:
    frame = pl.DataFrame({"family_name": ["A"], "passport_number": [1234]})
    with pytest.raises(ParseError) as info:
        parse_tabular(parquet_bytes(frame), format="parquet", options=LENIENT)
    assert info.value.code == "E_COLUMN_TYPE"
    assert "leading zeros" in str(info.value)
    assert "1234" not in str(info.value)


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("dob", [1.5]),
        pl.Series("family_name", [[1]]),
        pl.Series("bag_tags", [{"a": 1}]),
        pl.Series("legs", [["x"]]),
        pl.Series("documents", [[{"doc_expiry": "not a date"}]]),
    ],
)
def test_parquet_unusable_column_types(column: pl.Series) -> None:
    frame = pl.DataFrame({"seat": ["1A"]}).with_columns(column)
    with pytest.raises(ParseError) as info:
        parse_tabular(parquet_bytes(frame), format="parquet", options=LENIENT)
    assert info.value.code == "E_COLUMN_TYPE"


def test_parquet_garbage() -> None:
    with pytest.raises(ParseError) as info:
        parse_tabular(b"PAR1 this is not parquet PAR1", format="parquet", options=LENIENT)
    assert info.value.code == "E_PARQUET"


# --------------------------------------------------------------------------------------------
# Canary: no personal data in errors or issues

CANARY_NAME = "Zqxwvbnmkj"
CANARY_GIVEN = "Yplokmijnu"
CANARY_DOC = "QQ98765X43"
CANARY_DOB = "2999-13-45"


def _exception_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + repr(exc.args)


def _assert_no_canary(text: str) -> None:
    for canary in (CANARY_NAME, CANARY_GIVEN, CANARY_DOC, CANARY_DOB, "98765", "2999"):
        assert canary not in text


def test_canary_never_in_issues() -> None:
    body = (
        f"record_id,family_name,given_names,dob,sex,doc_number,dep_time,role\n"
        f"{CANARY_DOC},{CANARY_NAME},{CANARY_GIVEN},{CANARY_DOB},{CANARY_NAME},{CANARY_DOC},"
        f"{CANARY_DOB},{CANARY_GIVEN}\n"
    )
    _, issues = csv(body)
    assert issues.height == 4
    _assert_no_canary(" ".join(issues.get_column("message").to_list()))
    _assert_no_canary(" ".join(str(t) for t in issues.get_column("tag").to_list()))


@pytest.mark.parametrize(
    "body",
    [
        f"family_name,dob\n{CANARY_NAME},{CANARY_DOB}\n",  # strict E_FIELD
        f"family_name,sex\n{CANARY_NAME},{CANARY_GIVEN}\n",
        f"record_id,family_name\n{CANARY_DOC},A\n{CANARY_DOC},B\n",  # duplicate ids
        f"family_name,doc_number\nA,1\n{CANARY_NAME},{CANARY_DOC},{CANARY_GIVEN}\n",  # ragged
        f'family_name,doc_number\n"{CANARY_NAME},{CANARY_DOC}\n',  # open quote
        f'family_name,doc_number\n{CANARY_NAME}"{CANARY_GIVEN},{CANARY_DOC}\n',  # stray quote
    ],
)
def test_canary_never_in_exceptions(body: str) -> None:
    with pytest.raises(ParseError) as info:
        csv(body, options=STRICT)
    _assert_no_canary(_exception_text(info.value))


def test_canary_not_in_encoding_errors() -> None:
    data = f"family_name\n{CANARY_NAME}\x81{CANARY_DOC}\n".encode("latin-1")
    with pytest.raises(ParseError) as info:
        parse_tabular(data, format="csv", options=LENIENT)
    _assert_no_canary(_exception_text(info.value))


# --------------------------------------------------------------------------------------------
# Properties

_NAME_CHARS = st.characters(
    categories=["Lu", "Ll", "Lo", "Nd", "Pd", "Po"], exclude_characters="\x00"
)
_names = st.text(_NAME_CHARS, min_size=1, max_size=12)
_text = st.one_of(
    st.none(), st.builds(lambda a, b: f"{a} {b}" if b else a, _names, _names | st.just(""))
)
_doc_numbers = st.one_of(st.none(), st.from_regex(r"0{0,4}[0-9A-Z]{1,9}", fullmatch=True))
_dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))

_rows = st.lists(
    st.fixed_dictionaries(
        {
            "record_id": st.from_regex(r"0{0,3}[0-9A-Za-z-]{1,8}", fullmatch=True),
            "family_name": _text,
            "given_names": _text,
            "dob": _dates,
            "sex": st.sampled_from([None, "M", "F", "X"]),
            "nationality": st.sampled_from([None, "GBR", "D", "UTO"]),
            "doc_number": _doc_numbers,
            "doc_expiry": _dates,
        }
    ),
    max_size=8,
    unique_by=lambda row: row["record_id"],
)
_ROW_SCHEMA = {
    "record_id": pl.String,
    "family_name": pl.String,
    "given_names": pl.String,
    "dob": pl.Date,
    "sex": pl.String,
    "nationality": pl.String,
    "doc_number": pl.String,
    "doc_expiry": pl.Date,
}


@given(_rows, st.sampled_from(["csv", "parquet"]))
def test_round_trip_property(rows: list[dict[str, Any]], fmt: str) -> None:
    frame = pl.DataFrame(rows, schema=_ROW_SCHEMA)
    buffer = io.BytesIO()
    if fmt == "csv":
        frame.write_csv(buffer)
    else:
        frame.write_parquet(buffer)
    travellers, issues = parse_tabular(
        buffer.getvalue(), format="csv" if fmt == "csv" else "parquet", options=STRICT
    )
    assert issues.is_empty()
    assert travellers.select(list(_ROW_SCHEMA)).to_dicts() == rows


_HEADER = "record_id,family_name,given_names,full_name,dob,sex,doc_number,dep_time,bag_tags\n"


@given(st.binary(max_size=300), st.booleans())
def test_arbitrary_bytes_return_or_raise_parse_error(data: bytes, strict: bool) -> None:
    options = ParseOptions(strict=strict)
    for candidate in (data, _HEADER.encode() + data):
        try:
            travellers, _ = parse_tabular(candidate, format="csv", options=options)
        except ParseError:
            continue
        assert travellers.schema == TRAVELLERS


@given(st.text(max_size=300), st.booleans())
def test_arbitrary_text_after_a_header(body: str, strict: bool) -> None:
    try:
        travellers, _ = parse_tabular(
            (_HEADER + body).encode("utf-8"), format="csv", options=ParseOptions(strict=strict)
        )
    except ParseError:
        return
    assert travellers.schema == TRAVELLERS
    assert travellers.get_column("record_id").is_unique().all()
