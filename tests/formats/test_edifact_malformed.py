"""Malformed EDIFACT input (research/formats.md §8, cases 1-9): clear errors, never personal data.

Every input is built here from a small valid PAXLST interchange whose traveller values are
canaries (``QZCANARY...``). Each error must:

* be a ``ParseError`` (a ``ValueError``) with the expected code in strict mode, or an issue row
  with that code in lenient mode;
* name its location (segment index or byte offset) in the exception text or the issue row;
* never contain a canary: no name, document number or date of the input.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import polars as pl
import pytest

import paxscreen
from paxscreen import ParseError, ParseOptions
from paxscreen.formats.paxlst import parse_paxlst

REF = date(2026, 11, 22)
LENIENT = ParseOptions(reference_date=REF)
STRICT = ParseOptions(strict=True, reference_date=REF)

#: Values of the input that must never appear in an error message or an issue row.
CANARIES = (
    "QZCANARY",
    "QZGIVEN",
    "QZDOC",
    "QZPNR",
    "800102",
    "900203",
    "781332",
    "QZ?",
)

UNB = "UNB+UNOA:4+ZZSEND:ZZ+ZZRECV:ZZ+261122:1200+ZZREF1"
HEADER = [
    "BGM+745",
    "NAD+MS+++ZZDESK",
    "TDT+20+ZZ100+++ZZ",
    "LOC+125+FRA",
    "DTM+189:2611221000:201",
    "LOC+87+VIE",
    "DTM+232:2611221200:201",
]
TRAVELLER_ONE = [
    "NAD+FL+++QZCANARYONE:QZGIVENONE",
    "ATT+2++F",
    "DTM+329:800102",
    "NAT+2+AUT",
    "RFF+AVF:QZPNR1",
    "DOC+P+QZDOC0001",
    "DTM+36:300101",
    "LOC+91+AUT",
]
TRAVELLER_TWO = [
    "NAD+FL+++QZCANARYTWO:QZGIVENTWO",
    "ATT+2++M",
    "DTM+329:900203",
    "NAT+2+DEU",
    "DOC+P+QZDOC0002",
    "DTM+36:310202",
    "LOC+91+DEU",
]


def message(
    ref: str = "ZZM1",
    body: list[str] | None = None,
    s009: str = "PAXLST:D:05B:UN:IATA",
    header: list[str] | None = None,
) -> list[str]:
    """UNH ... UNT with a correct segment count."""
    inner = (HEADER if header is None else header) + (
        TRAVELLER_ONE + TRAVELLER_TWO if body is None else body
    )
    segments = [f"UNH+{ref}+{s009}", *inner, "CNT+42:2"]
    return [*segments, f"UNT+{len(segments) + 1}+{ref}"]


def segments(*messages: list[str], unb: str = UNB, unz: str | None = None) -> list[str]:
    """UNB, the messages, UNZ (count and reference right unless ``unz`` is given)."""
    trailer = unz if unz is not None else f"UNZ+{len(messages)}+ZZREF1"
    return [unb, *[s for m in messages for s in m], trailer]


def build(segs: list[str], *, una: str = "UNA:+.? '", term: str = "'", sep: str = "\n") -> bytes:
    """Serialise: UNA, then each segment with its terminator and ``sep``."""
    return (una + sep + "".join(s + term + sep for s in segs)).encode("latin-1")


VALID_SEGMENTS = segments(message())
VALID = build(VALID_SEGMENTS)


def index_of(segs: list[str], segment: str) -> int:
    """The segment index (UNB = 0; UNA is not a segment) of ``segment`` in the input."""
    return segs.index(segment)


# --------------------------------------------------------------------------------------------
# Assertion helpers


def assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"personal data ({canary!r}) in {text!r}"


def assert_issue_rows_safe(issues: pl.DataFrame) -> None:
    for row in issues.iter_rows(named=True):
        for value in row.values():
            if isinstance(value, str):
                assert_no_canary(value)


def strict_error(
    data: bytes, code: str, options: ParseOptions = STRICT, *, located: bool = True
) -> ParseError:
    """Parse strictly, expect ``code``, check the location and the absence of values."""
    with pytest.raises(ParseError) as info:
        parse_paxlst(data, options=options)
    exc = info.value
    assert isinstance(exc, ValueError)
    assert exc.code == code, str(exc)
    text = str(exc)
    assert text.startswith(code)
    if located:
        assert exc.segment_index is not None or exc.offset is not None, text
        if exc.segment_index is not None:
            assert f"segment {exc.segment_index}" in text
        if exc.offset is not None:
            assert f"byte {exc.offset}" in text
    assert_no_canary(text)
    assert_no_canary(exc.detail)
    return exc


def lenient(data: bytes, options: ParseOptions = LENIENT) -> tuple[pl.DataFrame, pl.DataFrame]:
    travellers, issues = parse_paxlst(data, options=options)
    assert_issue_rows_safe(issues)
    return travellers, issues


def issue(issues: pl.DataFrame, code: str, severity: str | None = None) -> dict[str, Any]:
    """The first issue row with ``code``; it must carry a location."""
    rows = issues.filter(pl.col("code") == code).to_dicts()
    assert rows, f"no {code} in {issues['code'].to_list()}"
    row = rows[0]
    assert row["segment_index"] is not None or row["offset"] is not None, row
    if severity is not None:
        assert row["severity"] == severity
    return row


def names(travellers: pl.DataFrame) -> list[str | None]:
    return travellers["family_name"].to_list()


def test_the_base_interchange_is_clean() -> None:
    travellers, issues = parse_paxlst(VALID, options=STRICT)
    assert issues.is_empty()
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]
    assert travellers["dob"].to_list() == [date(1980, 1, 2), date(1990, 2, 3)]


# --------------------------------------------------------------------------------------------
# 1. Empty or non-EDIFACT input


NOT_EDIFACT = {
    "empty": b"",
    "whitespace": b" \r\n\t\r\n",
    "xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<IATA_PNRGOV_NotifRQ Version="1"/>\n',
    "json": b'{"travellers": [{"family_name": "QZCANARY", "dob": "1980-01-02"}]}\n',
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n",
    "binary_nul": bytes(range(256)) * 4 + b"\x00" * 64,
}


@pytest.mark.parametrize("options", [LENIENT, STRICT], ids=["lenient", "strict"])
@pytest.mark.parametrize("kind", list(NOT_EDIFACT))
def test_not_edifact(kind: str, options: ParseOptions) -> None:
    exc = strict_error(NOT_EDIFACT[kind], "E_NOT_EDIFACT", options, located=False)
    assert "first" in exc.detail and "bytes" in exc.detail  # how far it looked


@pytest.mark.parametrize("kind", ["empty", "xml", "json", "binary_nul"])
def test_not_edifact_through_parse_manifest(kind: str) -> None:
    with pytest.raises(ParseError) as info:
        paxscreen.parse_manifest(NOT_EDIFACT[kind], format="paxlst", options=LENIENT)
    assert isinstance(info.value, ValueError)
    assert info.value.code == "E_NOT_EDIFACT"
    assert_no_canary(str(info.value))


# --------------------------------------------------------------------------------------------
# 2. Malformed UNA


BAD_UNA = {
    "five_chars": "UNA:+.?'",
    "non_ascii": "UNA:+.\\*\u2019",
    "duplicate_separators": "UNA++.? '",
    "alphanumeric": "UNA:+.?A'",
}


def with_una(una: str) -> bytes:
    return una.encode("utf-8") + "".join(s + "'" for s in VALID_SEGMENTS).encode("ascii")


@pytest.mark.parametrize("kind", list(BAD_UNA))
def test_bad_una_strict(kind: str) -> None:
    exc = strict_error(with_una(BAD_UNA[kind]), "E_BAD_UNA")
    assert exc.offset == 0


@pytest.mark.parametrize("kind", list(BAD_UNA))
def test_bad_una_lenient_uses_the_defaults(kind: str) -> None:
    travellers, issues = lenient(with_una(BAD_UNA[kind]))
    row = issue(issues, "E_BAD_UNA", "warning")
    assert row["segment_index"] == 0
    assert row["offset"] == 0
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]
    assert travellers["doc_number"].to_list() == ["QZDOC0001", "QZDOC0002"]


def test_una_not_followed_by_unb_is_rejected() -> None:
    data = b"UNA:+.? 'QZCANARY'" + "".join(s + "'" for s in VALID_SEGMENTS).encode()
    strict_error(data, "E_BAD_UNA")


# --------------------------------------------------------------------------------------------
# 3. Truncated interchange


def test_unterminated_final_segment() -> None:
    data = build(VALID_SEGMENTS).rstrip(b"'\n")  # ends with "UNZ+1+ZZREF1"
    exc = strict_error(data, "E_TRUNCATED")
    assert exc.tag == "UNZ"
    assert exc.segment_index == len(VALID_SEGMENTS) - 1
    travellers, issues = lenient(data)
    issue(issues, "E_TRUNCATED", "warning")
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]


def test_input_ends_inside_a_message_without_unt() -> None:
    cut = VALID_SEGMENTS[: index_of(VALID_SEGMENTS, "LOC+91+DEU") + 1]
    data = build(cut)
    exc = strict_error(data, "E_TRUNCATED")
    assert exc.segment_index == len(cut)
    travellers, issues = lenient(data)
    assert issue(issues, "E_TRUNCATED", "warning")["segment_index"] == len(cut)
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]


def test_missing_unz() -> None:
    data = build(VALID_SEGMENTS[:-1])
    exc = strict_error(data, "E_TRUNCATED")
    assert exc.segment_index == len(VALID_SEGMENTS) - 1
    travellers, issues = lenient(data)
    issue(issues, "E_TRUNCATED", "warning")
    assert travellers.height == 2


def test_input_ends_inside_a_release_sequence() -> None:
    data = build(VALID_SEGMENTS).rstrip(b"'\n") + b"?"  # "UNZ+1+ZZREF1?"
    exc = strict_error(data, "E_RELEASE")
    assert exc.offset == len(data) - 1
    travellers, issues = lenient(data)
    assert issue(issues, "E_RELEASE", "warning")["offset"] == len(data) - 1
    assert travellers.height == 2


def test_released_terminator_swallows_a_segment_and_only_the_count_shows_it() -> None:
    segs = list(VALID_SEGMENTS)
    at = index_of(segs, "NAD+FL+++QZCANARYTWO:QZGIVENTWO")
    segs[at] += "?"  # "...QZGIVENTWO?'ATT+2++M'": the ATT becomes part of the name
    _, issues = lenient(build(segs, sep=""))
    row = issue(issues, "W_COUNT", "warning")
    assert row["tag"] == "UNT"


# --------------------------------------------------------------------------------------------
# 4. Invalid segment tags


def _replace(segs: list[str], old: str, new: str) -> list[str]:
    return [new if s == old else s for s in segs]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ATT+2++M", "att+2++M"),  # lower case
        ("NAT+2+DEU", "NATX+2+DEU"),  # longer than three characters
        ("NAT+2+DEU", "N1+2+DEU"),  # shorter
        ("LOC+91+DEU", "+91+DEU"),  # no tag at all
    ],
    ids=["lower_case", "four_chars", "two_chars", "empty"],
)
def test_bad_tag(old: str, new: str) -> None:
    segs = _replace(VALID_SEGMENTS, old, new)
    data = build(segs)
    exc = strict_error(data, "E_BAD_TAG")
    assert exc.segment_index == index_of(segs, new)
    travellers, issues = lenient(data)
    row = issue(issues, "E_BAD_TAG", "warning")
    assert row["segment_index"] == index_of(segs, new)
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]
    assert travellers["doc_number"].to_list() == ["QZDOC0001", "QZDOC0002"]


def test_space_inside_tag_ung() -> None:
    """``UNG *PAXLST`` (GTAS airline2): strict rejects, lenient trims the tag."""
    segs = [
        s.replace("+", "*")
        for s in [
            UNB,
            "UNG+PAXLST+ZZAIR:ZZ+ZZAPIS:ZZ+261122:1200+ZZG1+UN+D:02B",
            *message(),
            "UNE+1+ZZG1",
            "UNZ+1+ZZREF1",
        ]
    ]
    segs[1] = segs[1].replace("UNG*", "UNG *", 1)
    data = build(segs, una="UNA:*.? $", term="$", sep="\r\n")
    exc = strict_error(data, "E_BAD_TAG")
    assert exc.segment_index == 1
    assert exc.tag == "UNG"
    travellers, issues = lenient(data)
    assert set(issues["code"]) == {"E_BAD_TAG"}
    assert issue(issues, "E_BAD_TAG")["segment_index"] == 1
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]


def test_skipped_bad_nad_does_not_merge_into_the_previous_traveller() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_TWO[0], "nad+FL+++QZCANARYTWO:QZGIVENTWO")
    segs = _replace(segs, "ATT+2++F", "ATT+2++U")  # traveller one: sex unknown
    travellers, _ = lenient(build(segs))
    one = travellers.row(0, named=True)
    assert one["family_name"] == "QZCANARYONE"
    assert one["sex"] is None
    assert [d["doc_number"] for d in one["documents"]] == ["QZDOC0001"]


def test_skipped_bad_tag_does_not_make_a_correct_count_wrong() -> None:
    segs = _replace(VALID_SEGMENTS, "ATT+2++M", "att+2++M")
    _, issues = lenient(build(segs))
    assert set(issues["code"]) == {"E_BAD_TAG"}


def test_skipped_bad_tag_keeps_later_segment_indexes() -> None:
    segs = _replace(VALID_SEGMENTS, "ATT+2++M", "att+2++M")
    segs = _replace(segs, "UNZ+1+ZZREF1", "UNZ+1+ZZREF9")
    _, issues = lenient(build(segs))
    assert issue(issues, "E_ENVELOPE")["segment_index"] == index_of(segs, "UNZ+1+ZZREF9")


def test_merged_segments_are_detected() -> None:
    segs = [s.replace("UNOA", "UNOY") for s in VALID_SEGMENTS]
    at = index_of(segs, TRAVELLER_ONE[0])
    data = "".join(s + ("\u2019" if i == at else "'") for i, s in enumerate(segs)).encode("utf-8")
    strict_error(data, "E_BAD_TAG")


# --------------------------------------------------------------------------------------------
# 5. Envelope nesting, references and counts


def _unh_inside_unh() -> list[str]:
    first = message("ZZM1")
    return segments(first[:-1] + message("ZZM2", body=TRAVELLER_TWO))


ENVELOPE = {
    "unh_inside_unh": (_unh_inside_unh, "UNH"),
    "unt_without_unh": (
        lambda: segments(message(body=TRAVELLER_ONE), ["UNT+2+ZZM9"]),
        "UNT+2+ZZM9",
    ),
    "une_without_ung": (
        lambda: [*segments(message(body=TRAVELLER_ONE))[:-1], "UNE+1+ZZG1", "UNZ+1+ZZREF1"],
        "UNE+1+ZZG1",
    ),
    "unt_reference": (
        lambda: [
            s.replace("+ZZM1", "+ZZM1X") if s.startswith("UNT") else s for s in segments(message())
        ],
        "UNT",
    ),
    "une_reference": (
        lambda: [
            UNB,
            "UNG+PAXLST+ZZAIR+ZZAPIS+261122:1200+ZZG1+UN+D:05B",
            *message(),
            "UNE+1+ZZG2",
            "UNZ+1+ZZREF1",
        ],
        "UNE+1+ZZG2",
    ),
    "unz_reference": (lambda: segments(message(), unz="UNZ+1+ZZREF2"), "UNZ+1+ZZREF2"),
    "unz_inside_message": (lambda: [UNB, *message()[:-1], "UNZ+1+ZZREF1"], "UNZ+1+ZZREF1"),
    "second_unb": (lambda: [UNB, UNB, *message(), "UNZ+1+ZZREF1"], UNB),
}


def _where(segs: list[str], marker: str) -> int:
    if marker in segs:
        # the last occurrence: the duplicated header, the stray trailer
        return len(segs) - 1 - segs[::-1].index(marker)
    hits = [i for i, s in enumerate(segs) if s.startswith(marker)]
    return hits[-1] if marker != "UNH" else hits[1]


@pytest.mark.parametrize("kind", list(ENVELOPE))
def test_envelope_errors(kind: str) -> None:
    make, marker = ENVELOPE[kind]
    segs = make()
    data = build(segs)
    exc = strict_error(data, "E_ENVELOPE")
    assert exc.segment_index == _where(segs, marker)
    travellers, issues = lenient(data)
    assert issue(issues, "E_ENVELOPE", "warning")["segment_index"] == _where(segs, marker)
    assert "QZCANARYONE" in names(travellers)


@pytest.mark.parametrize(
    ("where", "segs"),
    [
        ("UNT", [s.replace("UNT+25+", "UNT+99+") for s in VALID_SEGMENTS]),
        ("UNZ", segments(message(), unz="UNZ+7+ZZREF1")),
        (
            "UNE",
            [
                UNB,
                "UNG+PAXLST+ZZAIR+ZZAPIS+261122:1200+ZZG1+UN+D:05B",
                *message(),
                "UNE+3+ZZG1",
                "UNZ+1+ZZREF1",
            ],
        ),
    ],
    ids=["unt", "unz", "une"],
)
def test_count_mismatch_is_a_warning_unless_asked(where: str, segs: list[str]) -> None:
    assert any(s.startswith("UNT+25+") for s in VALID_SEGMENTS)  # the base count is 25
    data = build(segs)
    for options in (LENIENT, STRICT):
        travellers, issues = lenient(data, options)
        assert set(issues["code"]) == {"W_COUNT"}
        row = issue(issues, "W_COUNT", "warning")
        assert row["tag"] == where
        assert row["segment_index"] == next(i for i, s in enumerate(segs) if s.startswith(where))
        assert travellers.height == 2
    exc = strict_error(data, "E_COUNT", dataclasses.replace(STRICT, counts_fatal=True))
    assert exc.tag == where


def test_counts_fatal_needs_strict() -> None:
    data = build([s.replace("UNT+25+", "UNT+99+") for s in VALID_SEGMENTS])
    _, issues = lenient(data, dataclasses.replace(LENIENT, counts_fatal=True))
    assert set(issues["code"]) == {"W_COUNT"}


# --------------------------------------------------------------------------------------------
# 6. Unsupported messages


CUSRES = [
    "UNH+ZZR1+CUSRES:D:05B:UN:IATA",
    "BGM+962",
    "RFF+AF:ZZ100",
    "ERP+2",
    "RFF+AVF:QZPNR1",
    "ERC+0Z",
    "FTX+AAP+++OK TO BOARD",
    "UNT+8+ZZR1",
]
TRUCK = [
    "UNH+ZZT1+PAXLST:D:03B:UN",
    "BGM+10+ZZKH04103101+4",
    "TDT+11++++ZZLOCK:172",
    "NAD+VW+0000041153:109++QZCANARYTRUCK:QZGIVEN::::1",
    "ATT+2++M*M*M*M*M",
    "DTM+329:19350919:102",
    "DOC+5+QZDOC0005",
    "UNT+8+ZZT1",
]
CONTRL = ["UNH+ZZC1+CONTRL:D:3:UN", "UCI+ZZREF1+ZZSEND:ZZ+ZZRECV:ZZ+7", "UNT+3+ZZC1"]


@pytest.mark.parametrize("msg", [CUSRES, TRUCK, CONTRL], ids=["cusres", "d03b_truck", "contrl"])
def test_unsupported_message(msg: list[str]) -> None:
    data = build(segments(msg))
    exc = strict_error(data, "E_UNSUPPORTED_MESSAGE")
    assert exc.segment_index == 1
    assert exc.tag == "UNH"
    travellers, issues = lenient(data)
    assert travellers.height == 0
    assert issue(issues, "E_UNSUPPORTED_MESSAGE")["segment_index"] == 1
    assert set(issues["code"]) == {"E_UNSUPPORTED_MESSAGE"}


def test_unsupported_message_next_to_a_passenger_list() -> None:
    """Leniently, the PAXLST message is read and the CUSRES beside it is reported."""
    segs = segments(message(), CUSRES)
    data = build(segs)
    exc = strict_error(data, "E_UNSUPPORTED_MESSAGE")
    assert exc.segment_index == index_of(segs, CUSRES[0])
    travellers, issues = lenient(data)
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]
    assert issue(issues, "E_UNSUPPORTED_MESSAGE")["segment_index"] == index_of(segs, CUSRES[0])


# --------------------------------------------------------------------------------------------
# 7. Characters outside the declared set


def test_mac_roman_byte_in_unoa_single_line() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_ONE[0], "NAD+FL+++QZCANARYNOV\x87K:QZGIVENONE")
    data = build(segs, sep="")
    exc = strict_error(data, "E_CHARSET")
    assert exc.segment_index == index_of(segs, "NAD+FL+++QZCANARYNOV\x87K:QZGIVENONE")
    assert exc.tag == "NAD"
    assert exc.offset == data.index(b"\x87")
    assert "0x87" in str(exc)
    travellers, issues = lenient(data)
    issue(issues, "W_CHARSET", "warning")
    assert travellers["family_name"][0] == "QZCANARYNOV\u2021K"  # cp1252, the default fallback
    travellers, _ = lenient(data, dataclasses.replace(LENIENT, fallback_encoding="mac_roman"))
    assert travellers["family_name"][0] == "QZCANARYNOV\u00e1K"
    assert travellers["family_name"][1] == "QZCANARYTWO"


@pytest.mark.parametrize("sep", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_charset_offset_points_at_the_byte_with_line_ends(sep: str) -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_ONE[0], "NAD+FL+++QZCANARYNOV\x87K:QZGIVENONE")
    data = build(segs, sep=sep)
    exc = strict_error(data, "E_CHARSET")
    assert exc.offset == data.index(b"\x87")


def test_nul_inside_a_name() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_TWO[0], "NAD+FL+++QZCANARY\x00TWO:QZGIVENTWO")
    data = build(segs)
    exc = strict_error(data, "E_CHARSET")
    assert exc.segment_index == index_of(segs, "NAD+FL+++QZCANARY\x00TWO:QZGIVENTWO")
    travellers, issues = lenient(data)
    issue(issues, "E_CHARSET", "warning")
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTWO"]


def test_lower_case_in_unoa() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_TWO[0], "NAD+FL+++QZCANARYTwo:QZGIVENTWO")
    data = build(segs)
    exc = strict_error(data, "E_CHARSET")
    assert exc.segment_index == index_of(segs, "NAD+FL+++QZCANARYTwo:QZGIVENTWO")
    travellers, issues = lenient(data)
    issue(issues, "E_CHARSET", "warning")
    assert names(travellers) == ["QZCANARYONE", "QZCANARYTwo"]


# --------------------------------------------------------------------------------------------
# 8. Illegal release character


def test_release_before_a_non_service_character() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_TWO[0], "NAD+FL+++QZCANARY?XTWO:QZGIVENTWO")
    data = build(segs)
    exc = strict_error(data, "E_RELEASE")
    assert exc.offset == data.index(b"?X")
    travellers, issues = lenient(data)
    assert issue(issues, "E_RELEASE", "warning")["offset"] == data.index(b"?X")
    assert names(travellers) == ["QZCANARYONE", "QZCANARYXTWO"]


def test_released_service_characters_are_data() -> None:
    segs = _replace(VALID_SEGMENTS, TRAVELLER_TWO[0], "NAD+FL+++QZCANARY?'?+?:??TWO:QZGIVENTWO")
    travellers, issues = parse_paxlst(build(segs), options=STRICT)
    assert issues.is_empty()
    assert names(travellers) == ["QZCANARYONE", "QZCANARY'+:?TWO"]
    assert travellers["given_names"][1] == "QZGIVENTWO"


# --------------------------------------------------------------------------------------------
# 9. Invalid traveller data: record-level errors, the rest of the list survives


BAD_RECORDS = [
    "NAD+FL+++:QZGIVENNONAME",  # 1.2: no family name
    "ATT+2++F",
    "DTM+329:800102",
    "DOC+P+QZDOC0003",
    "NAD+FL+++QZCANARYDATE:QZGIVEN",  # 1.3: impossible date of birth, sex outside M/F/U/X
    "ATT+2++Q",
    "DTM+329:781332",
    "DOC+P+QZDOC0004",
    "NAD+FL+++QZCANARYDOC:QZGIVEN",  # 1.4: document without a number, bad expiry
    "ATT+2++M",
    "DOC+P",
    "DTM+36:300101",
    "DOC+V+QZDOC0006",
    "DTM+36:301399",
]
RECORD_SEGMENTS = segments(message(body=TRAVELLER_ONE + BAD_RECORDS + TRAVELLER_TWO))


@pytest.mark.parametrize("options", [LENIENT, STRICT], ids=["lenient", "strict"])
def test_record_level_errors_keep_the_rows(options: ParseOptions) -> None:
    segs = RECORD_SEGMENTS
    travellers, issues = lenient(build(segs), options)
    assert travellers["record_id"].to_list() == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert names(travellers) == [
        "QZCANARYONE",
        None,
        "QZCANARYDATE",
        "QZCANARYDOC",
        "QZCANARYTWO",
    ]
    rows = travellers.to_dicts()
    assert rows[1]["given_names"] == "QZGIVENNONAME"
    assert rows[1]["doc_number"] == "QZDOC0003"
    assert rows[2]["dob"] is None
    assert rows[2]["sex"] is None
    assert rows[2]["doc_number"] == "QZDOC0004"
    assert rows[3]["documents"] == [
        {"doc_type": "P", "doc_number": None, "doc_issuer": None, "doc_expiry": date(2030, 1, 1)},
        {"doc_type": "V", "doc_number": "QZDOC0006", "doc_issuer": None, "doc_expiry": None},
    ]

    field_issues = issues.filter(pl.col("code") == "E_FIELD")
    assert set(issues["code"]) == {"E_FIELD"}
    assert set(field_issues["severity"]) == {"error"}
    found = sorted(
        (r["record_id"], r["segment_index"], r["tag"]) for r in field_issues.iter_rows(named=True)
    )
    assert found == sorted(
        [
            ("1.2", index_of(segs, "NAD+FL+++:QZGIVENNONAME"), "NAD"),
            ("1.3", index_of(segs, "ATT+2++Q"), "ATT"),
            ("1.3", index_of(segs, "DTM+329:781332"), "DTM"),
            ("1.4", index_of(segs, "DOC+P"), "DOC"),
            ("1.4", index_of(segs, "DTM+36:301399"), "DTM"),
        ]
    )


def test_record_level_errors_leave_the_other_travellers_intact() -> None:
    clean, _ = parse_paxlst(VALID, options=STRICT)
    dirty, _ = lenient(build(RECORD_SEGMENTS))
    keep = [c for c in clean.columns if c != "record_id"]
    assert dirty.filter(pl.col("record_id") == "1.1").select(keep).equals(clean[0].select(keep))
    assert dirty.filter(pl.col("record_id") == "1.5").select(keep).equals(clean[1].select(keep))


def test_invalid_flight_time_is_a_located_warning() -> None:
    segs = _replace(VALID_SEGMENTS, "DTM+189:2611221000:201", "DTM+189:2613221000:201")
    travellers, issues = lenient(build(segs))
    row = issue(issues, "E_FIELD")
    assert row["segment_index"] == index_of(segs, "DTM+189:2613221000:201")
    assert travellers["dep_time"].to_list() == [None, None]
    assert travellers["dep_airport"].to_list() == ["FRA", "FRA"]


# --------------------------------------------------------------------------------------------
# Limits


def test_too_many_segments() -> None:
    exc = strict_error(
        VALID, "E_TOO_LARGE", dataclasses.replace(LENIENT, max_segments=5), located=False
    )
    assert "max_segments" in str(exc)


def test_too_many_bytes() -> None:
    with pytest.raises(ParseError) as info:
        paxscreen.parse_manifest(VALID, options=dataclasses.replace(LENIENT, max_bytes=100))
    assert info.value.code == "E_TOO_LARGE"
    assert_no_canary(str(info.value))
