"""Canary test: unique fake personal data driven through every public error path must never
appear in exception text, issue rows, warnings or log records."""

from __future__ import annotations

import logging
import warnings

import pytest

import paxscreen as px

CANARIES = ("QZXCANARYFAM", "QZXCANARYGIV", "QZ9988776", "770101")

PAXLST = (
    "UNB+UNOA:4+A+B+200101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
    "NAD+FL+++QZXCANARYFAM:QZXCANARYGIV'ATT+2++Q'DTM+329:779999'DOC+P+QZ9988776'DTM+36:77013X'"
    "UNT+9+1'UNZ+1+1'"
)

BAD_INPUTS: list[tuple[str, bytes]] = [
    ("wrapper", b"QZXCANARYFAM header\r\n" + PAXLST.encode()),
    ("trailing", PAXLST.encode() + b"QZXCANARYGIV QZ9988776"),
    ("folded", PAXLST.replace("QZXCANARYFAM", "QZXCANA\r\nRYFAM").encode()),
    ("bad tag", PAXLST.replace("ATT+2", "qzxcanaryfam+2").encode()),
    ("stray release", PAXLST.replace("QZXCANARYGIV", "QZXCANARY?GIV").encode()),
    ("dangling release", PAXLST.encode()[:-3] + b"?"),
    ("charset", PAXLST.replace("QZXCANARYFAM", "QZXCANARY\x87FAM").encode("latin-1")),
    ("control", PAXLST.replace("QZXCANARYFAM", "QZXCANARY\x00FAM").encode()),
    ("lower case", PAXLST.replace("QZXCANARYFAM", "Qzxcanaryfam").encode()),
    ("envelope", PAXLST.replace("UNT+9+1", "UNT+9+QZ9988776").encode()),
    ("truncated", PAXLST.encode()[:-1]),
    ("bad una", b"UNA:+.?QZ'" + PAXLST.encode()),
    ("not edifact", b"QZXCANARYFAM QZXCANARYGIV QZ9988776 770101"),
    ("unsupported", PAXLST.replace("BGM+745", "BGM+10").encode()),
]


def assert_clean(text: str) -> None:
    for canary in CANARIES:
        assert canary.lower() not in text.lower(), canary


@pytest.mark.parametrize(("name", "data"), BAD_INPUTS, ids=[n for n, _ in BAD_INPUTS])
def test_no_canary_escapes(name: str, data: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for strict in (False, True):
            try:
                parsed = px.parse_manifest(data, strict=strict)
            except px.PaxscreenError as exc:
                assert_clean(str(exc))
                assert_clean(repr(exc))
                assert_clean(repr(exc.__reduce__()))
            else:
                assert_clean(str(parsed.issues.to_dicts()))
    assert_clean(" ".join(str(w.message) for w in caught))
    assert_clean(caplog.text)


def test_other_parsers_keep_canaries_out(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    mrz_bad = (
        "P<UTOQZXCANARYFAM<<QZXCANARYGIV<<<<<<<<<<<<<<<<<\n"
        "QZ99887766UTO7701010F1204159<<<<<<<<<<<<<<00"
    )
    for call in (
        lambda: px.parse_mrz(mrz_bad),
        lambda: px.parse_mrz(mrz_bad.lower()),
        lambda: px.parse_ssr_docs("SSR VGML QZXCANARYFAM/QZ9988776"),
        lambda: px.parse_manifest(b"family_name,record_id\nQZXCANARYFAM,1\nQZXCANARYGIV,1\n"),
    ):
        try:
            call()
        except px.PaxscreenError as exc:
            assert_clean(str(exc))
    assert_clean(caplog.text)
