"""Document fields as keys: paxscreen.normalize.documents."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen._countries import normalize_country
from paxscreen.normalize.documents import (
    LOOKALIKE_CHARACTERS,
    OCR_FOLDING,
    doc_issuer_code,
    doc_number_key,
    doc_number_key_scalar,
    doc_type_code,
    ocr_folded,
    ocr_folded_scalar,
    strip_leading_zeros,
    strip_leading_zeros_scalar,
)
from paxscreen.synth.documents import OCR_CONFUSIONS

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: What people, OCR and keyboards put into document number fields.
MESSY = ALNUM + ALNUM.lower() + " -./<_#\t" + "".join(LOOKALIKE_CHARACTERS) + "абвΩßé№"


def apply(function: object, values: Sequence[str | None]) -> list[str | None]:
    assert callable(function)
    frame = pl.DataFrame({"x": values}, schema={"x": pl.String()})
    out: list[str | None] = frame.select(function("x")).to_series().to_list()
    return out


def reference_key(text: str | None) -> str | None:
    """The key, written plainly: upper case, look-alikes to Latin, keep A-Z and 0-9."""
    if text is None:
        return None
    upper = text.upper()
    latin = "".join(LOOKALIKE_CHARACTERS.get(char, char) for char in upper)
    key = "".join(char for char in latin if char in ALNUM)
    return key or None


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("AB1234567", "AB1234567"),
        ("ab 12-34<<", "AB1234"),
        (" 123.456/789 ", "123456789"),
        ("p<1234", "P1234"),
        ("0012345678", "0012345678"),  # leading zeros are part of the number
        ("１２３ＡＢ", "123AB"),  # full width
        ("АВ123456", "AB123456"),  # Cyrillic A and VE keyed for Latin A and B
        ("ав123456", "AB123456"),
        ("ΑΕ1234567", "AE1234567"),  # Greek
        ("№ 12", "12"),
        ("", None),
        (" - <", None),
        (None, None),
    ],
)
def test_doc_number_key_table(raw: str | None, key: str | None) -> None:
    assert apply(doc_number_key, [raw]) == [key]
    assert doc_number_key_scalar(raw) == key


@given(st.lists(st.none() | st.text(alphabet=MESSY, max_size=14), max_size=30))
def test_doc_number_key_matches_plain_reference(values: list[str | None]) -> None:
    keys = apply(doc_number_key, values)
    assert keys == [reference_key(v) for v in values]
    assert [doc_number_key_scalar(v) for v in values] == keys
    assert apply(doc_number_key, keys) == keys  # idempotent


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("O0DQ", "0000"),
        ("IL1", "111"),
        ("Z2S5G6B8", "22556688"),
        ("AC-efh", "ACEFH"),
        ("ab0o1i", "A80011"),
        (None, None),
        ("--", None),
    ],
)
def test_ocr_folded_table(raw: str | None, folded: str | None) -> None:
    assert apply(ocr_folded, [raw]) == [folded]


def _confusion_groups() -> set[frozenset[str]]:
    """Connected components of the generator's confusion pairs."""
    groups: list[set[str]] = []
    for a, b in OCR_CONFUSIONS:
        touching = [g for g in groups if a in g or b in g]
        merged = {a, b}.union(*touching)
        groups = [g for g in groups if g not in touching] + [merged]
    return {frozenset(g) for g in groups}


def test_folding_table_agrees_with_the_generator() -> None:
    """The matcher folds exactly the confusions the synthetic generator plants."""
    ours: dict[str, set[str]] = {}
    for char, representative in OCR_FOLDING.items():
        ours.setdefault(representative, {representative}).add(char)
    assert {frozenset(g) for g in ours.values()} == _confusion_groups()
    assert all(rep.isdigit() for rep in OCR_FOLDING.values())


@st.composite
def confused_pairs(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(st.text(alphabet=ALNUM, min_size=1, max_size=10))
    confused = [
        draw(st.sampled_from([char, *(b for a, b in OCR_CONFUSIONS if a == char)]))
        for char in number
    ]
    return number, "".join(confused)


@given(st.lists(confused_pairs(), min_size=1, max_size=20))
def test_confusions_fold_together(pairs: list[tuple[str, str]]) -> None:
    originals = apply(ocr_folded, [a for a, _ in pairs])
    confused = apply(ocr_folded, [b for _, b in pairs])
    assert originals == confused
    assert not any(set(f or "") & set(OCR_FOLDING) for f in originals)
    keys = apply(doc_number_key, [a for a, _ in pairs])
    folded_keys = pl.DataFrame({"k": keys}).select(ocr_folded("k", is_key=True))
    assert folded_keys.to_series().to_list() == originals


@pytest.mark.parametrize(
    ("raw", "stripped"),
    [
        ("000123", "123"),
        ("00 12-3", "123"),
        ("123", "123"),
        ("000", "0"),
        ("0", "0"),
        ("0A12", "0A12"),  # letters: the number never went through a numeric field
        ("00O1", "00O1"),  # nor is O folded to a zero first
        ("A0012", "A0012"),
        (None, None),
        ("", None),
    ],
)
def test_strip_leading_zeros_table(raw: str | None, stripped: str | None) -> None:
    assert apply(strip_leading_zeros, [raw]) == [stripped]


@given(st.lists(st.text(alphabet="0123456789A -", max_size=12), max_size=30))
def test_strip_leading_zeros_matches_plain_reference(values: list[str]) -> None:
    def reference(text: str) -> str | None:
        key = reference_key(text)
        if key is None or not key.isdigit():
            return key
        return key.lstrip("0") or "0"

    assert apply(strip_leading_zeros, values) == [reference(v) for v in values]


@given(st.lists(st.text(alphabet=MESSY, max_size=14), max_size=30))
def test_the_forms_of_one_key_are_those_of_a_column(values: list[str]) -> None:
    keys = [key for key in apply(doc_number_key, values) if key is not None]
    assert [ocr_folded_scalar(key) for key in keys] == apply(ocr_folded, keys)
    assert [strip_leading_zeros_scalar(key) for key in keys] == apply(strip_leading_zeros, keys)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("GBR", "GBR"),
        ("gb", "GBR"),
        ("D", "DEU"),
        ("D<<", "DEU"),
        (" us ", "USA"),
        ("XXA", "XXA"),
        ("ABC", "ABC"),  # obfuscated test data survives
        ("ZZ", None),  # unassigned alpha-2
        ("12", None),
        ("GBRR", None),
        ("", None),
        (None, None),
    ],
)
def test_doc_issuer_code_table(raw: str | None, code: str | None) -> None:
    assert apply(doc_issuer_code, [raw]) == [code]


@given(
    st.lists(
        st.none() | st.text(alphabet="ABDEGKRSUZabdgrsu <\t1", max_size=5) | st.just("D"),
        max_size=30,
    )
)
def test_doc_issuer_code_matches_normalize_country(values: list[str | None]) -> None:
    assert apply(doc_issuer_code, values) == [normalize_country(v) for v in values]


@pytest.mark.parametrize(
    ("raw", "family"),
    [
        ("P", "P"),
        ("PP", "P"),
        ("pd", "P"),  # diplomatic passport: family P
        ("Passport", "P"),
        ("PASSEPORT", "P"),
        ("I", "I"),
        ("ID", "I"),
        ("ID card", "I"),
        ("id-card", "I"),
        ("IP", "I"),  # passport card (APIS)
        ("AC", "A"),  # crew member certificate
        ("V", "V"),
        ("visa", "V"),
        ("C", "C"),
        ("1A", "1A"),
        ("LICENCE", "LICENCE"),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_doc_type_code_table(raw: str | None, family: str | None) -> None:
    assert apply(doc_type_code, [raw]) == [family]
