"""Watchlists and document lists: paxscreen.formats.lists."""

from __future__ import annotations

import io
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from paxscreen.errors import ParseError, SchemaError
from paxscreen.formats.lists import (
    DOCUMENT_LIST,
    WATCHLIST,
    read_documents,
    read_watchlist,
)


def wl(text: str) -> pl.DataFrame:
    return read_watchlist(text.encode("utf-8"))


def docs(text: str) -> pl.DataFrame:
    return read_documents(text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Golden files


def test_golden_watchlist_field_by_field(data_dir: Path) -> None:
    frame = read_watchlist(data_dir / "tabular" / "watchlist.csv")
    assert frame.schema == WATCHLIST
    base = dict.fromkeys(WATCHLIST)
    expected: list[dict[str, Any]] = [
        {
            "entry_id": "WL-0001",
            "name_type": "primary",
            "family_name": "PETROV",
            "given_names": "Dmitri",
            "full_name": "PETROV, Dmitri",
            "dob": "1961-04-12",
            "nationality": "RUS",
            "sex": "M",
            "doc_number": "0700123456",
            "doc_issuer": "RUS",
            "list_name": "Example List",
            "category": "sanctions",
        },
        {
            "entry_id": "WL-0001",
            "name_type": "alias",
            "family_name": "Петров",
            "given_names": "Дмитрий",
            "full_name": "Дмитрий Петров",
            "dob": "1961-04",
            "nationality": "RUS",
            "sex": "M",
            "list_name": "Example List",
            "category": "sanctions",
        },
        {
            "entry_id": "WL-0001",
            "name_type": "weak_alias",
            "full_name": "Dima Petrov",  # no comma: the order is unknown, parts stay null
            "dob": "1961",
            "list_name": "Example List",
            "category": "sanctions",
        },
        {
            "entry_id": "WL-0002",
            "name_type": "primary",  # empty -> default
            "family_name": "الحسن",
            "given_names": "عمر",
            "full_name": "عمر الحسن",
            "nationality": "EGY",
            "sex": "M",
            "list_name": "Example List",
            "category": "terrorism",
        },
        {
            "entry_id": "WL-0003",
            "name_type": "primary",
            "full_name": "Jean-Luc Martin",
            "dob": "1979-12-31",
            "nationality": "FRA",
            "doc_number": "00A123",
            "doc_issuer": "FRA",
            "list_name": "Other List",
        },
    ]
    rows = frame.to_dicts()
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        want = {**base, **want}
        for key in WATCHLIST:
            assert row[key] == want[key], (want["entry_id"], want["name_type"], key)


def test_golden_documents_field_by_field(data_dir: Path) -> None:
    frame = read_documents(data_dir / "tabular" / "documents.csv")
    assert frame.schema == DOCUMENT_LIST
    assert frame.to_dicts() == [
        {
            "doc_number": "000123456",
            "doc_issuer": "SWE",
            "doc_type": "P",
            "status": "stolen",
            "reported_on": date(2024, 3, 1),
            "record_ref": "SLTD-1",
        },
        {
            "doc_number": "0012AB34",
            "doc_issuer": "IRL",
            "doc_type": "P",
            "status": "lost",
            "reported_on": None,
            "record_ref": "SLTD-2",
        },
        {
            "doc_number": "00999",
            "doc_issuer": "GBR",
            "doc_type": "I",
            "status": "revoked",
            "reported_on": date(2023, 12, 31),
            "record_ref": "row-3",
        },
    ]


# --------------------------------------------------------------------------------------------
# Sources


@pytest.fixture
def watchlist_frame(data_dir: Path) -> pl.DataFrame:
    return read_watchlist(data_dir / "tabular" / "watchlist.csv")


def test_sources_agree(data_dir: Path, tmp_path: Path, watchlist_frame: pl.DataFrame) -> None:
    csv_path = data_dir / "tabular" / "watchlist.csv"
    raw = pl.read_csv(csv_path, infer_schema=False)
    parquet_path = tmp_path / "watchlist.parquet"
    raw.write_parquet(parquet_path)
    unnamed_parquet = tmp_path / "watchlist.bin"
    raw.write_parquet(unnamed_parquet)
    unnamed_csv = tmp_path / "watchlist.dat"
    unnamed_csv.write_bytes(csv_path.read_bytes())
    sources: list[Any] = [
        str(csv_path),
        parquet_path,
        str(parquet_path),
        unnamed_parquet,
        unnamed_csv,
        raw,
        raw.lazy(),
        raw.to_arrow(),
        csv_path.read_bytes(),
        io.BytesIO(parquet_path.read_bytes()),
    ]
    for source in sources:
        assert read_watchlist(source).equals(watchlist_frame), type(source)


def test_document_list_parquet_round_trip(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "doc_number": ["000123", "0A1"],
            "reported_on": [date(2020, 1, 2), None],
            "status": pl.Series(["stolen", "lost"], dtype=pl.Categorical),
        }
    )
    path = tmp_path / "sltd.parquet"
    frame.write_parquet(path)
    back = read_documents(path)
    assert back.to_dicts() == [
        {
            "doc_number": "000123",
            "doc_issuer": None,
            "doc_type": None,
            "status": "stolen",
            "reported_on": date(2020, 1, 2),
            "record_ref": "row-1",
        },
        {
            "doc_number": "0A1",
            "doc_issuer": None,
            "doc_type": None,
            "status": "lost",
            "reported_on": None,
            "record_ref": "row-2",
        },
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        read_watchlist(tmp_path / "secret" / "nope.csv")
    assert info.value.code == "E_SOURCE"
    assert info.value.source == "nope.csv"
    assert "secret" not in str(info.value)


def test_unsupported_source_type() -> None:
    with pytest.raises(ParseError, match="E_SOURCE"):
        read_documents(12345)


def test_broken_csv_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="E_CSV"):
        wl("entry_id,full_name\nE1,A\nE2,B,extra\n")


# --------------------------------------------------------------------------------------------
# Required columns


def test_watchlist_without_entry_id() -> None:
    with pytest.raises(SchemaError) as info:
        wl("Surname,First Name,dob\nA,B,1970\n")
    message = str(info.value)
    assert "needs entry_id and a name (family_name + given_names, or full_name)" in message
    assert "found: 'Surname', 'First Name', 'dob'" in message


def test_watchlist_without_a_name_column() -> None:
    with pytest.raises(SchemaError, match="found: 'entry_id', 'dob'"):
        wl("entry_id,dob\nE1,1970\n")


def test_documents_without_doc_number() -> None:
    with pytest.raises(SchemaError) as info:
        docs("issuer,status\nGBR,lost\n")
    assert "needs doc_number; found: 'issuer', 'status'" in str(info.value)


def test_headerless_list_is_not_echoed() -> None:
    with pytest.raises(SchemaError) as info:
        wl("E1,SMITH,JOHN,1970-01-01\n")
    assert "4 column(s), none recognised" in str(info.value)
    assert "SMITH" not in str(info.value)


def test_family_name_alone_is_a_name() -> None:
    frame = wl("entry_id,family_name\nE1,Madonna\n")
    assert frame.select("family_name", "given_names", "full_name").row(0) == (
        "Madonna",
        None,
        "Madonna",
    )


# --------------------------------------------------------------------------------------------
# Watchlist values


def test_rows_needing_an_entry_id_and_a_name() -> None:
    with pytest.raises(SchemaError) as info:
        wl("id,full_name\nE1,A\n,B\nE3,C\n")
    assert str(info.value) == (
        "watchlist: column 'id' (entry_id), row 2: empty (every row needs an entry_id)"
    )
    with pytest.raises(SchemaError) as info:
        wl("entry_id,full_name,family_name\nE1,A,\nE2, ,\nE3,,\n")
    assert "column 'full_name', rows 2, 3: no name" in str(info.value)


def test_numeric_entry_ids_become_text() -> None:
    frame = read_watchlist(pl.DataFrame({"entry_id": [1, 2], "full_name": ["A", "B"]}))
    assert frame.get_column("entry_id").to_list() == ["1", "2"]


@pytest.mark.parametrize(
    ("full_name", "family", "given"),
    [
        ("SMITH, John", "SMITH", "John"),
        ("  ИВАНОВ ,  Иван  ", "ИВАНОВ", "Иван"),
        ("John Smith", None, None),
        ("محمد علي", None, None),
    ],
)
def test_watchlist_full_name(full_name: str, family: str | None, given: str | None) -> None:
    frame = read_watchlist(pl.DataFrame({"entry_id": ["E1"], "full_name": [full_name]}))
    assert frame.select("family_name", "given_names", "full_name").row(0) == (
        family,
        given,
        full_name.strip(),
    )


def test_full_name_built_from_parts() -> None:
    frame = read_watchlist(
        pl.DataFrame(
            {
                "entry_id": ["E1", "E2", "E3"],
                "family_name": ["SMITH", None, "李"],
                "given_names": ["John Paul", "Cher", "小龙"],
            }
        )
    )
    assert frame.get_column("full_name").to_list() == ["John Paul SMITH", "Cher", "小龙 李"]


@pytest.mark.parametrize(
    ("raw", "name_type"),
    [
        ("primary", "primary"),
        ("PRIMARY", "primary"),
        ("alias", "alias"),
        ("a.k.a.", "alias"),
        ("strong", "alias"),
        ("weak_alias", "weak_alias"),
        ("Weak AKA", "weak_alias"),
        ("", "primary"),
    ],
)
def test_name_types(raw: str, name_type: str) -> None:
    assert wl(f"entry_id,name_type,full_name\nE1,{raw},A\n").item(0, "name_type") == name_type


def test_bad_name_type() -> None:
    with pytest.raises(SchemaError, match=r"column 'name_type', row 2: not a name type"):
        wl("entry_id,name_type,full_name\nE1,alias,A\nE1,nickname,B\n")


@pytest.mark.parametrize(
    ("raw", "sex"), [("M", "M"), ("female", "F"), ("x", "X"), ("U", None), ("unknown", None)]
)
def test_watchlist_sex(raw: str, sex: str | None) -> None:
    assert wl(f"entry_id,full_name,gender\nE1,A,{raw}\n").item(0, "sex") == sex


def test_bad_sex() -> None:
    with pytest.raises(SchemaError, match=r"column 'sex', row 1: not a sex code"):
        wl("entry_id,full_name,sex\nE1,A,Q\n")


@pytest.mark.parametrize("dob", ["1961", "1961-04", "1961-04-12", "2000-02-29", " 1961 "])
def test_partial_dobs(dob: str) -> None:
    assert wl(f"entry_id,full_name,dob\nE1,A,{dob}\n").item(0, "dob") == dob.strip()


@pytest.mark.parametrize(
    "dob",
    [
        "1961-13",
        "1961-00",
        "1961-02-30",
        "1900-02-29",
        "0000",
        "61-04-12",
        "1961/04/12",
        "19610412",
        "1961-4",
        "12.04.1961",
        "circa 1961",
        "１９６１",  # full-width digits
    ],
)
def test_bad_dobs(dob: str) -> None:
    with pytest.raises(SchemaError) as info:
        wl(f"entry_id,full_name,date_of_birth\nE1,A,1960\nE1,B,{dob}\n")
    message = str(info.value)
    assert message.startswith("watchlist: column 'date_of_birth' (dob), row 2: not a date")
    assert dob.strip() not in message


def test_dob_from_date_and_integer_columns() -> None:
    frame = read_watchlist(
        pl.DataFrame(
            {
                "entry_id": ["E1", "E2"],
                "full_name": ["A", "B"],
                "dob": [date(1961, 4, 12), None],
            }
        )
    )
    assert frame.get_column("dob").to_list() == ["1961-04-12", None]
    frame = read_watchlist(
        pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "dob": [datetime(1961, 4, 12, 5)]})
    )
    assert frame.get_column("dob").to_list() == ["1961-04-12"]
    frame = read_watchlist(pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "dob": [1961]}))
    assert frame.get_column("dob").to_list() == ["1961"]
    with pytest.raises(SchemaError, match="row 1: not a date"):
        read_watchlist(pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "dob": [19610412]}))


def test_unusable_dob_type() -> None:
    with pytest.raises(SchemaError, match=r"column 'dob' has type Float64"):
        read_watchlist(pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "dob": [1961.0]}))


def test_empty_strings_are_null_and_unknown_columns_ignored() -> None:
    frame = wl("entry_id,full_name,nationality,remarks,doc_number\nE1,A,  ,whatever,\n")
    assert frame.columns == list(WATCHLIST)
    assert frame.select("nationality", "doc_number").row(0) == (None, None)


@pytest.mark.parametrize("values", [[12345], [12345.0]])
def test_numeric_doc_numbers_are_refused(values: list[Any]) -> None:
    with pytest.raises(SchemaError) as info:
        read_watchlist(pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "doc_number": values}))
    assert "leading zeros" in str(info.value)
    with pytest.raises(SchemaError) as info:
        read_documents(pa.table({"passport_number": values}))
    assert "column 'passport_number' (doc_number)" in str(info.value)
    assert "leading zeros" in str(info.value)


def test_nested_column_for_text_is_refused() -> None:
    with pytest.raises(SchemaError, match="column 'nationality' has type List"):
        read_watchlist(
            pl.DataFrame({"entry_id": ["E1"], "full_name": ["A"], "nationality": [["GBR"]]})
        )


def test_blank_lines_are_skipped_and_rows_keep_their_numbers() -> None:
    with pytest.raises(SchemaError, match="row 3: not a date"):
        wl("entry_id,full_name,dob\nE1,A,1970\n\nE2,B,19700\n")
    assert wl("entry_id,full_name\n\nE1,A\n\n").height == 1


# --------------------------------------------------------------------------------------------
# Document list values


def test_document_rows_need_a_doc_number() -> None:
    with pytest.raises(SchemaError) as info:
        docs("doc_number,status\n001,lost\n ,stolen\n")
    assert str(info.value) == (
        "document list: column 'doc_number', row 2: empty (every row needs a doc_number)"
    )


@pytest.mark.parametrize("reported", ["2020-02-30", "01/02/2020", "2020-1-2", "yesterday"])
def test_bad_reported_on(reported: str) -> None:
    with pytest.raises(SchemaError) as info:
        docs(f"doc_number,reported_on\n001,2020-01-01\n002,{reported}\n")
    assert str(info.value) == (
        "document list: column 'reported_on', row 2: not an ISO date (YYYY-MM-DD)"
    )


def test_reported_on_from_datetime_column() -> None:
    frame = read_documents(
        pl.DataFrame({"doc_number": ["001"], "reported_on": [datetime(2020, 1, 2, 23, 59)]})
    )
    assert frame.item(0, "reported_on") == date(2020, 1, 2)


def test_unusable_reported_on_type() -> None:
    with pytest.raises(SchemaError, match="column 'reported_on' has type Int64"):
        read_documents(pl.DataFrame({"doc_number": ["001"], "reported_on": [20200102]}))


def test_record_ref_kept_or_generated() -> None:
    frame = docs("Ref,Document Number\nA-1,001\n,002\n  ,003\n")
    assert frame.get_column("record_ref").to_list() == ["A-1", "row-2", "row-3"]
    assert frame.get_column("doc_number").to_list() == ["001", "002", "003"]


# --------------------------------------------------------------------------------------------
# Canary: no personal data in errors

CANARY_NAME = "Zqxwvbnmkj"
CANARY_DOC = "QQ98765X43"
CANARY_DOB = "2999-13-45"


def _exception_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc)


@pytest.mark.parametrize(
    ("reader", "body"),
    [
        (read_watchlist, f"entry_id,full_name,dob\nE1,{CANARY_NAME},{CANARY_DOB}\n"),
        (read_watchlist, f"entry_id,full_name,sex\nE1,{CANARY_NAME},{CANARY_DOC}\n"),
        (read_watchlist, f"entry_id,full_name,name_type\nE1,{CANARY_NAME},{CANARY_DOC}\n"),
        (read_watchlist, f"entry_id,full_name,doc_number\n,{CANARY_NAME},{CANARY_DOC}\n"),
        (read_watchlist, f"entry_id,family_name,nationality\nE1,,{CANARY_NAME}\n"),
        (read_watchlist, f"entry_id,full_name\nE1,{CANARY_NAME},{CANARY_DOC}\n"),
        (read_documents, f"doc_number,reported_on\n{CANARY_DOC},{CANARY_DOB}\n"),
        (read_documents, f"doc_number,status\n,{CANARY_NAME}\n"),
        (read_documents, f"{CANARY_DOC},{CANARY_NAME}\n"),
    ],
)
def test_canary_never_in_errors(reader: Any, body: str) -> None:
    with pytest.raises((SchemaError, ParseError)) as info:
        reader(body.encode("utf-8"))
    text = _exception_text(info.value)
    for canary in (CANARY_NAME, CANARY_DOC, CANARY_DOB, "98765", "2999"):
        assert canary not in text
