"""Tests for paxscreen._countries: ISO 3166-1 and ICAO 9303 country codes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen._countries import (
    ALPHA2_TO_ALPHA3,
    ICAO_SPECIAL,
    ISO_ALPHA3,
    VALID_ALPHA3,
    is_known_country,
    normalize_country,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("KR", "KOR"),
        ("CO", "COL"),
        ("DE", "DEU"),
        ("GB", "GBR"),
        ("LI", "LIE"),
        ("PH", "PHL"),
        ("US", "USA"),
        ("D", "DEU"),
        ("D<<", "DEU"),
        ("d", "DEU"),
        (" gb ", "GBR"),
        ("GB<", "GBR"),
        ("KOR", "KOR"),
        ("kor", "KOR"),
        ("K OR", "KOR"),
        ("XXA", "XXA"),
        ("GBD", "GBD"),
        ("UTO", "UTO"),
        ("RKS", "RKS"),
        ("ABC", "ABC"),  # obfuscated data survives
        ("LIM", "LIM"),
    ],
)
def test_normalize_known_and_kept(code: str, expected: str) -> None:
    assert normalize_country(code) == expected


@pytest.mark.parametrize(
    "code",
    [None, "", "   ", "<<<", "0", "12", "A1", "1AB", "ABCD", "X", "ZZ", "UK", "G-B", "ÄBC", "\x00"],
)
def test_normalize_junk_is_none(code: str | None) -> None:
    assert normalize_country(code) is None


def test_table_size_and_shapes() -> None:
    assert len(ALPHA2_TO_ALPHA3) == 249
    for alpha2, alpha3 in ALPHA2_TO_ALPHA3.items():
        assert re.fullmatch(r"[A-Z]{2}", alpha2), alpha2
        assert re.fullmatch(r"[A-Z]{3}", alpha3), alpha3
    for code in VALID_ALPHA3:
        assert re.fullmatch(r"[A-Z]{3}", code), code


def test_table_is_a_bijection() -> None:
    assert len(set(ALPHA2_TO_ALPHA3.values())) == len(ALPHA2_TO_ALPHA3)
    assert len(ISO_ALPHA3) == 249


def test_icao_specials_are_not_iso() -> None:
    assert set(ICAO_SPECIAL).isdisjoint(ISO_ALPHA3)
    assert {"D", "XXA", "XXB", "XXC", "XXX", "EUE", "UNO", "UNA", "UNK", "XPO"} <= set(ICAO_SPECIAL)
    expected = ISO_ALPHA3 | (set(ICAO_SPECIAL) - {"D"})
    assert expected == VALID_ALPHA3


def test_every_alpha2_normalises_to_a_known_code() -> None:
    for alpha2, alpha3 in ALPHA2_TO_ALPHA3.items():
        assert normalize_country(alpha2) == alpha3
        assert is_known_country(alpha3)
        assert normalize_country(alpha3) == alpha3


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("GBR", True),
        ("gbr", True),
        ("XXA", True),
        ("D", True),
        ("D<<", True),
        ("RKS", True),
        ("GB", False),
        ("ABC", False),
        ("0", False),
        ("", False),
        (None, False),
    ],
)
def test_is_known_country(code: str | None, known: bool) -> None:
    assert is_known_country(code) is known


@given(st.one_of(st.none(), st.text(max_size=8)))
def test_normalize_never_raises_and_is_idempotent(code: str | None) -> None:
    out = normalize_country(code)
    assert out is None or re.fullmatch(r"[A-Z]{3}", out)
    assert normalize_country(out) == out
