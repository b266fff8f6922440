"""Document comparisons: paxscreen.compare.documents."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

import paxscreen.compare.documents as documents_module
from paxscreen.compare.documents import (
    AGREEMENT,
    AGREEMENT_LEVELS,
    DOC_LEVEL,
    DOC_LEVELS,
    doc_number_level,
    doc_number_level_codes,
    doc_number_level_scalar,
    doc_type_agreement,
    issuer_agreement,
)
from paxscreen.normalize.documents import OCR_FOLDING
from paxscreen.synth.documents import CorruptionKind, corrupt_document

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
CONFUSABLE = "0ODQ1IL2Z5S6G8B"
FOLD = str.maketrans(dict(OCR_FOLDING))


def levels(a: Sequence[str | None], b: Sequence[str | None]) -> list[str]:
    """The vectorised levels of pairs."""
    frame = pl.DataFrame({"a": a, "b": b}, schema={"a": pl.String(), "b": pl.String()})
    out = frame.select(doc_number_level("a", "b")).to_series()
    assert out.dtype == DOC_LEVEL
    result: list[str] = out.to_list()
    return result


def rank(level: str) -> int:
    return DOC_LEVELS.index(level)


CASES = [
    # exact: the same letters and digits
    ("AB1234567", "AB1234567", "exact"),
    ("ab 123-4567", "AB1234567", "exact"),
    ("P<12345", "p12345", "exact"),
    ("1234567890", "12345 67890", "exact"),
    ("123.456/789", "123456789", "exact"),
    # confusable: only OCR/keying confusions
    ("AB1234567", "A81234567", "confusable"),
    ("0123456789", "O123456789", "confusable"),  # a confusion, not a lost zero
    ("E12345S67", "e12345567", "confusable"),
    ("1I1L", "1111", "confusable"),
    ("O0", "0O", "confusable"),  # a transposition of confusable characters
    ("Q2G6", "DZ66", "confusable"),
    # leading_zeros: all digits, equal without leading zeros
    ("0012345678", "12345678", "leading_zeros"),
    ("00 123", "123", "leading_zeros"),
    ("000", "0", "leading_zeros"),
    ("0000000001", "1", "leading_zeros"),
    # transposition: one adjacent swap, anywhere
    ("123456789", "213456789", "transposition"),
    ("123456789", "123456798", "transposition"),
    ("AB1234567", "BA1234567", "transposition"),
    ("1234567890", "1234567809", "transposition"),
    ("1234567890", "2134567890", "transposition"),
    ("12", "21", "transposition"),
    ("0012345678", "12345687", "transposition"),  # and lost zeros
    ("O12345678", "102345678", "transposition"),  # and a confusion
    # one_edit: one substitution, insertion or deletion
    ("123456789", "123456780", "one_edit"),
    ("123456789", "X123456789", "one_edit"),
    ("123456789", "1234567890", "one_edit"),
    ("123456789", "12346789", "one_edit"),
    ("1234567890", "234567890", "one_edit"),
    ("1234567890", "123456789", "one_edit"),
    ("A", "B", "one_edit"),
    ("A", "AB", "one_edit"),
    ("0123", "0123A", "one_edit"),
    ("0A123", "A123", "one_edit"),  # letters: a deleted zero is an edit
    ("D12345678", "12345678", "one_edit"),  # a letter is never a lost zero
    ("0012345678", "12345679", "one_edit"),  # lost zeros and a substitution
    ("S12345678", "512345679", "one_edit"),  # a confusion and a substitution
    ("AB12345678", "AB123456789", "one_edit"),  # past ten characters
    # mismatch
    ("123456789", "987654321", "mismatch"),
    ("123456789", "213456798", "mismatch"),  # two transpositions
    ("123456789", "1234567", "mismatch"),  # two deletions
    ("123456789", "12345678900", "mismatch"),
    ("AB1234567", "CD1234567", "mismatch"),
    ("AB1234567", "AB1234567XY", "mismatch"),
    ("1234", "3412", "mismatch"),
    ("0012345678", "1234567", "one_edit"),  # lost zeros and a deletion
    ("0012345678", "123456", "mismatch"),  # lost zeros and two deletions
    ("12345678", "ABCDEFGH", "mismatch"),
    # unknown: a side without any letter or digit
    (None, "123456789", "unknown"),
    ("123456789", None, "unknown"),
    (None, None, "unknown"),
    ("", "123456789", "unknown"),
    ("--", "--", "unknown"),
    ("<<<", "ABC", "unknown"),
]


@pytest.mark.parametrize(("a", "b", "level"), CASES)
def test_level_table(a: str | None, b: str | None, level: str) -> None:
    assert doc_number_level_scalar(a, b) == level
    assert doc_number_level_scalar(b, a) == level
    assert levels([a, b], [b, a]) == [level, level]


def test_level_table_in_one_frame() -> None:
    a, b, expected = zip(*CASES, strict=True)
    assert levels(list(a), list(b)) == list(expected)


@pytest.mark.parametrize("small_batch", [-1, 10**6])
def test_codes_take_either_path(small_batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Few pairs are compared in Python, many over columns: the same codes either way."""
    monkeypatch.setattr(documents_module, "_SMALL_BATCH", small_batch)
    a, b, expected = zip(*CASES, strict=True)
    codes = doc_number_level_codes(list(a), list(b))
    assert codes.dtype == np.uint8
    assert codes.tolist() == [rank(level) for level in expected]
    assert doc_number_level_codes([], []).tolist() == []


def test_every_level_is_in_the_table() -> None:
    assert {level for _, _, level in CASES} == set(DOC_LEVELS)


def test_enum_is_ordered_best_first() -> None:
    assert DOC_LEVEL.categories.to_list() == list(DOC_LEVELS)
    assert DOC_LEVELS[0] == "exact"
    assert DOC_LEVELS[-2:] == ("mismatch", "unknown")
    frame = pl.DataFrame({"a": ["123456789"] * 3, "b": ["123456789", "123456780", "999"]})
    kept = frame.filter(doc_number_level("a", "b") <= pl.lit("one_edit", dtype=DOC_LEVEL))
    assert kept.get_column("b").to_list() == ["123456789", "123456780"]


def test_expression_contexts() -> None:
    frame = pl.DataFrame({"doc": ["0123", "O123", None, "123"]})
    # a literal on one side is broadcast; the output is named after the first input
    out = frame.select(doc_number_level("doc", pl.lit("0123")))
    assert out.columns == ["doc"]
    assert out.to_series().to_list() == ["exact", "confusable", "unknown", "leading_zeros"]
    lazy = frame.lazy().with_columns(level=doc_number_level(pl.col("doc"), "doc")).collect()
    assert lazy.get_column("level").to_list() == ["exact", "exact", "unknown", "exact"]
    assert frame.clear().select(doc_number_level("doc", "doc")).height == 0


# ---------------------------------------------------------------------------------------------
# Generated pairs
# ---------------------------------------------------------------------------------------------

numbers = st.one_of(
    st.text(alphabet=ALNUM, min_size=1, max_size=10),
    st.text(alphabet=DIGITS, min_size=1, max_size=10),
    st.text(alphabet=CONFUSABLE + "7A", min_size=1, max_size=10),
    st.builds(lambda z, n: "0" * z + n, st.integers(1, 3), st.text(DIGITS, min_size=1, max_size=8)),
    st.text(alphabet=ALNUM, min_size=11, max_size=14),
)

EDITS = ("substitution", "insertion", "deletion", "transposition")


def _edit(draw: st.DrawFn, text: str, kind: str) -> str:
    """One edit of ``kind`` (a no-op when the text is too short for it)."""
    if kind == "substitution" and text:
        i = draw(st.integers(0, len(text) - 1))
        return text[:i] + draw(st.sampled_from(ALNUM)) + text[i + 1 :]
    if kind == "insertion":
        i = draw(st.integers(0, len(text)))
        return text[:i] + draw(st.sampled_from(ALNUM)) + text[i:]
    if kind == "deletion" and len(text) > 1:
        i = draw(st.integers(0, len(text) - 1))
        return text[:i] + text[i + 1 :]
    if kind == "transposition" and len(text) > 1:
        i = draw(st.integers(0, len(text) - 2))
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


GROUPS = {char: [c for c, rep in OCR_FOLDING.items() if rep == char] + [char] for char in DIGITS}


def _confuse(rng: random.Random, text: str) -> str:
    """Some characters replaced by others of their confusion group."""
    out = []
    for char in text:
        group = GROUPS.get(OCR_FOLDING.get(char, char), [char])
        out.append(rng.choice(group) if rng.random() < 0.5 else char)
    return "".join(out)


def _format(rng: random.Random, text: str) -> str:
    """As people type it: some lower case, some separators."""
    out = []
    for char in text:
        if rng.random() < 0.15:
            out.append(rng.choice(" -./<"))
        out.append(char.lower() if rng.random() < 0.2 else char)
    return "".join(out)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[str | None, str | None]:
    a = draw(numbers)
    rng = draw(st.randoms(use_true_random=False))
    kind = draw(st.sampled_from(("same", "ocr", "zeros", "one", "two", "unrelated", "unknown")))
    if kind == "ocr":
        b = _confuse(rng, a)
    elif kind == "zeros":
        b = a.lstrip("0") if a.startswith("0") else "0" * draw(st.integers(1, 3)) + a
    elif kind == "one":
        b = _edit(draw, a, draw(st.sampled_from(EDITS)))
    elif kind == "two":
        b = _edit(draw, _edit(draw, a, draw(st.sampled_from(EDITS))), draw(st.sampled_from(EDITS)))
    elif kind == "unrelated":
        b = draw(numbers)
    else:
        b = a
    if draw(st.booleans()):
        b = _confuse(rng, b)
    pair: list[str | None] = [_format(rng, a), _format(rng, b)]
    if kind == "unknown":
        pair[draw(st.integers(0, 1))] = draw(st.sampled_from([None, "", " - "]))
    return (pair[0], pair[1]) if draw(st.booleans()) else (pair[1], pair[0])


@given(st.lists(pairs(), min_size=1, max_size=40))
def test_vectorised_matches_scalar_and_is_symmetric(
    generated: list[tuple[str | None, ...]],
) -> None:
    a = [pair[0] for pair in generated]
    b = [pair[1] for pair in generated]
    expected = [doc_number_level_scalar(x, y) for x, y in generated]
    assert levels(a, b) == expected
    assert levels(b, a) == expected
    assert [doc_number_level_scalar(y, x) for x, y in generated] == expected


def test_vectorised_matches_scalar_at_scale() -> None:
    """Many seeded pairs in one frame: the prefilter must never drop a near pair."""
    rng = random.Random(20261122)
    a: list[str | None] = []
    b: list[str | None] = []
    for _ in range(20_000):
        number = "".join(rng.choice(rng.choice([DIGITS, ALNUM])) for _ in range(rng.randint(1, 11)))
        other = list(number)
        for _ in range(rng.choice([0, 1, 1, 2])):
            i = rng.randrange(len(other) + 1)
            op = rng.choice(EDITS)
            if op == "insertion" or not other:
                other.insert(i, rng.choice(ALNUM))
            elif i < len(other) - 1 and op == "transposition":
                other[i], other[i + 1] = other[i + 1], other[i]
            elif i < len(other) and op == "deletion" and len(other) > 1:
                del other[i]
            elif i < len(other):
                other[i] = rng.choice(CONFUSABLE if rng.random() < 0.5 else ALNUM)
        a.append(number)
        b.append("".join(other))
    expected = [doc_number_level_scalar(x, y) for x, y in zip(a, b, strict=True)]
    assert levels(a, b) == expected
    assert len(set(expected)) == len(DOC_LEVELS) - 1  # everything but unknown occurs


def _neighbours(number: str) -> tuple[list[str], list[str]]:
    """Every single edit of ``number``, and every adjacent transposition."""
    edits = [number[:i] + c + number[i + 1 :] for i in range(len(number)) for c in ALNUM]
    edits += [number[:i] + c + number[i:] for i in range(len(number) + 1) for c in ALNUM]
    edits += [number[:i] + number[i + 1 :] for i in range(len(number)) if len(number) > 1]
    swaps = [
        number[:i] + number[i + 1] + number[i] + number[i + 2 :] for i in range(len(number) - 1)
    ]
    return [e for e in edits if e != number], [s for s in swaps if s != number]


@given(numbers)
def test_every_single_edit_is_found(number: str) -> None:
    edits, swaps = _neighbours(number)
    found = levels([number] * len(edits), edits)
    assert all(rank(level) <= rank("one_edit") for level in found)
    found = levels([number] * len(swaps), swaps)
    assert all(rank(level) <= rank("transposition") for level in found)
    sample = edits[:: max(1, len(edits) // 40)] + swaps
    assert all(rank(doc_number_level_scalar(number, e)) <= rank("one_edit") for e in sample)


def _zeros(key: str) -> str:
    return key.lstrip("0") or "0" if key.isdigit() else key


@st.composite
def two_edits(draw: st.DrawFn) -> tuple[str, str]:
    a = draw(numbers)
    b = _edit(draw, _edit(draw, a, draw(st.sampled_from(EDITS))), draw(st.sampled_from(EDITS)))
    return a, b


@given(st.lists(two_edits(), min_size=1, max_size=40))
def test_two_edits_are_a_mismatch_unless_folding_explains_them(
    generated: list[tuple[str, str]],
) -> None:
    far = [(a, b) for a, b in generated if OSA.distance(a, b) == 2]
    found = levels([a for a, _ in far], [b for _, b in far])
    for (a, b), level in zip(far, found, strict=True):
        folded = OSA.distance(a.translate(FOLD), b.translate(FOLD))
        zeros = OSA.distance(_zeros(a), _zeros(b))
        explained = min(folded, zeros) <= 1
        assert (level != "mismatch") == explained, (a, b, level)


def test_planted_corruptions_are_found() -> None:
    """The generator's corruptions land at the level their kind promises, or better."""
    rng = random.Random(7)
    promised: dict[CorruptionKind, str] = {
        "ocr": "confusable",
        "transposition": "transposition",
        "edit": "one_edit",
    }
    a: list[str | None] = []
    b: list[str | None] = []
    kinds: list[CorruptionKind] = []
    for _ in range(3_000):
        number = "".join(rng.choice(ALNUM) for _ in range(rng.randint(2, 10)))
        kind = rng.choice(list(promised))
        try:
            b.append(corrupt_document(number, kind, rng))
        except ValueError:  # no confusable character, or nothing to swap
            continue
        a.append(number)
        kinds.append(kind)
    found = levels(a, b)
    assert all(rank(level) <= rank(promised[k]) for level, k in zip(found, kinds, strict=True))


# ---------------------------------------------------------------------------------------------
# Issuers and document types
# ---------------------------------------------------------------------------------------------


def agreement(function: object, a: Sequence[str | None], b: Sequence[str | None]) -> list[str]:
    assert callable(function)
    frame = pl.DataFrame({"a": a, "b": b}, schema={"a": pl.String(), "b": pl.String()})
    out = frame.select(function("a", "b")).to_series()
    assert out.dtype == AGREEMENT
    result: list[str] = out.to_list()
    return result


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("GBR", "GBR", "same"),
        ("GB", "gbr", "same"),
        ("D", "DEU", "same"),
        ("D<<", "de", "same"),
        ("USA", "CAN", "different"),
        ("XXA", "XXB", "different"),
        ("ABC", "ABC", "same"),
        ("GBR", None, "unknown"),
        ("ZZ", "GBR", "unknown"),  # unassigned alpha-2: unreadable, not different
        ("12", "12", "unknown"),
        ("", "", "unknown"),
    ],
)
def test_issuer_agreement(a: str | None, b: str | None, expected: str) -> None:
    assert agreement(issuer_agreement, [a, b], [b, a]) == [expected, expected]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("P", "PP", "same"),
        ("Passport", "P", "same"),
        ("PD", "P", "same"),
        ("ID card", "I", "same"),
        ("ID", "IDCARD", "same"),
        ("IP", "I", "same"),
        ("P", "I", "different"),
        ("V", "visa", "same"),
        ("P", "V", "different"),
        ("C", "P", "different"),
        (None, "P", "unknown"),
        ("-", "P", "unknown"),
    ],
)
def test_doc_type_agreement(a: str | None, b: str | None, expected: str) -> None:
    assert agreement(doc_type_agreement, [a, b], [b, a]) == [expected, expected]


def test_agreement_enum() -> None:
    assert AGREEMENT.categories.to_list() == list(AGREEMENT_LEVELS)
