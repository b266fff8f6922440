"""Synthetic document numbers and lost/stolen document lists: paxscreen.synth.documents."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA, Levenshtein

from paxscreen._countries import ISO_ALPHA3
from paxscreen.schema import DOCUMENT_LIST
from paxscreen.synth import documents as docs
from paxscreen.synth.documents import (
    DOC_FORMATS,
    DOC_TYPES,
    GENERIC_FORMATS,
    OCR_CONFUSIONS,
    STATUSES,
    DocFormat,
    corrupt_document,
    document_list,
    document_numbers,
    planted_record_refs,
    write_document_list,
)

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SHAPE = re.compile(r"[A-Z0-9]{8,10}")


def compiled(formats: tuple[DocFormat, ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(f.doc_type, re.compile(f.pattern)) for f in formats]


PATTERNS = {issuer: compiled(formats) for issuer, formats in DOC_FORMATS.items()}
GENERIC = compiled(GENERIC_FORMATS)


def matches(issuer: str | None, number: str, doc_type: str | None = None) -> bool:
    """Whether the number fits one of the issuer's formats (of that type, when given)."""
    formats = PATTERNS.get(issuer or "", GENERIC)
    return any(pattern.fullmatch(number) and doc_type in (None, kind) for kind, pattern in formats)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Blocks of 1,000 rows, so that a few thousand rows cross block boundaries."""
    monkeypatch.setattr(docs, "_BLOCK_ROWS", 1000)
    return 1000


# --------------------------------------------------------------------------------------------
# The format table


def test_format_table_shape() -> None:
    assert len(DOC_FORMATS) >= 40
    assert set(DOC_FORMATS) <= ISO_ALPHA3
    lengths = set()
    types: Counter[str] = Counter()
    for formats in (*DOC_FORMATS.values(), GENERIC_FORMATS):
        assert formats
        for fmt in formats:
            assert fmt.doc_type in DOC_TYPES
            assert fmt.weight > 0
            re.compile(fmt.pattern)
            length = len(docs._parse_pattern(fmt.pattern))
            lengths.add(length)
            types[fmt.doc_type] += 1
    assert min(lengths) == 8 and max(lengths) == 10
    assert types["P"] > types["I"] > 0 and types["C"] > 0 and types["V"] > 0
    assert sum(len(formats) > 1 for formats in DOC_FORMATS.values()) >= 15
    assert PATTERNS["DEU"][0][1].fullmatch("C01X00T47")
    assert not PATTERNS["DEU"][0][1].fullmatch("C01A00T47")  # A is not in the German alphabet


@pytest.mark.parametrize(
    ("pattern", "alphabets"),
    [
        ("[0-9]{2}[A-Z]{2}", ("0123456789",) * 2 + (ALNUM[10:],) * 2),
        ("C[CF0-1]", ("C", "01CF")),
        ("[A-NP-Z]", (ALNUM[10:].replace("O", ""),)),
    ],
)
def test_pattern_language(pattern: str, alphabets: tuple[str, ...]) -> None:
    assert docs._parse_pattern(pattern) == alphabets


@pytest.mark.parametrize("pattern", ["", "[a-z]{3}", "[9-0]", "[A-9]", "A{11}", "A+", "[AB"])
def test_bad_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(ValueError, match="pattern"):
        docs._parse_pattern(pattern)


# --------------------------------------------------------------------------------------------
# document_numbers


def test_numbers_match_their_issuers_formats() -> None:
    issuers = [*DOC_FORMATS, "ABW", "XYZ", None] * 150
    numbers = document_numbers(issuers, np.random.default_rng(1)).to_pylist()
    assert len(numbers) == len(issuers)
    for issuer, number in zip(issuers, numbers, strict=True):
        assert SHAPE.fullmatch(number)
        assert matches(issuer, number)
    seen = {
        (issuer, kind)
        for issuer, number in zip(issuers, numbers, strict=True)
        for kind, pattern in PATTERNS.get(issuer or "", GENERIC)
        if pattern.fullmatch(number)
    }
    assert ("DEU", "I") in seen and ("USA", "C") in seen  # minor formats get drawn too


def test_numbers_of_a_requested_type() -> None:
    issuers = [*DOC_FORMATS] * 50
    rng = np.random.default_rng(2)
    for doc_type in DOC_TYPES:
        numbers = document_numbers(issuers, rng, doc_types=doc_type).to_pylist()
        for issuer, number in zip(issuers, numbers, strict=True):
            has_type = any(f.doc_type == doc_type for f in DOC_FORMATS[issuer])
            assert matches(issuer, number, doc_type if has_type else None)
    per_row = [("I", "P", "X", None)[i % 4] for i in range(len(issuers))]
    numbers = document_numbers(issuers, rng, doc_types=per_row).to_pylist()
    for issuer, wanted, number in zip(issuers, per_row, numbers, strict=True):
        has_type = any(f.doc_type == wanted for f in DOC_FORMATS[issuer])
        assert matches(issuer, number, wanted if has_type else None)


def test_numbers_from_any_input_kind_are_identical() -> None:
    issuers = ["DEU", "D", "fra", "GB", "XYZ", "ABC", ""] * 30
    expected = document_numbers(issuers, np.random.default_rng(3))
    for kind in (
        np.array(issuers),
        np.array(issuers, dtype=object),
        pl.Series(issuers),
        pa.array(issuers),
    ):
        assert document_numbers(kind, np.random.default_rng(3)).equals(expected)
    numbers = expected.to_pylist()
    assert matches("DEU", numbers[1]) and matches("GBR", numbers[3])  # D, GB normalised
    assert isinstance(expected, pa.LargeStringArray)
    assert document_numbers([], np.random.default_rng(3)).to_pylist() == []


def test_numbers_bad_input() -> None:
    rng = np.random.default_rng(4)
    with pytest.raises(TypeError, match="issuers"):
        document_numbers(pl.Series([1, 2]), rng)
    with pytest.raises(ValueError, match="doc_types"):
        document_numbers(["DEU", "FRA"], rng, doc_types=["P"])


def test_a_million_numbers_are_vectorised() -> None:
    issuers = np.array([*DOC_FORMATS, "XYZ"])[np.arange(1_000_000) % (len(DOC_FORMATS) + 1)]
    started = time.perf_counter()
    numbers = document_numbers(issuers, np.random.default_rng(5))
    assert len(numbers) == 1_000_000
    assert time.perf_counter() - started < 5  # ~0.3 s; a loop per row takes far longer


# --------------------------------------------------------------------------------------------
# document_list / write_document_list


def check_rows(frame: pl.DataFrame, rows: int, *, extra_issuers: tuple[str, ...] = ()) -> None:
    assert frame.schema == DOCUMENT_LIST
    assert frame.height == rows
    assert frame.null_count().sum_horizontal().item() == 0
    assert frame["record_ref"].to_list() == [f"LS{i:012d}" for i in range(rows)]
    assert set(frame["status"]) <= set(STATUSES)
    assert set(frame["doc_issuer"]) <= ISO_ALPHA3 | set(extra_issuers)
    dates = frame["reported_on"].to_list()
    assert all(date(2011, 11, 1) <= day < date(2026, 11, 1) for day in dates)


def test_document_list_rows(small_blocks: int) -> None:
    frame = document_list(rows=6001, seed=11)
    check_rows(frame, 6001)
    for issuer, doc_type, number in frame.select("doc_issuer", "doc_type", "doc_number").rows():
        assert matches(issuer, number, doc_type)
    issuers = frame["doc_issuer"].value_counts(sort=True)
    assert issuers["doc_issuer"][0] == "USA"
    assert 0.1 < frame["doc_issuer"].is_in(list(DOC_FORMATS)).not_().mean() < 0.14  # type: ignore[operator]
    types = frame["doc_type"].value_counts(normalize=True)
    assert dict(types.rows())["P"] > 0.8
    statuses = dict(frame["status"].value_counts(normalize=True).rows())
    assert set(statuses) == set(STATUSES)
    assert 0.5 < statuses["lost"] < 0.62 and 0.02 < statuses["stolen_blank"] < 0.05
    years = frame["reported_on"].dt.year().value_counts()
    assert len(years) == 16  # Nov 2011 .. Oct 2026


@pytest.mark.parametrize("rows", [0, 1, 999, 1000, 1001, 3517])
def test_exact_row_counts(small_blocks: int, rows: int) -> None:
    check_rows(document_list(rows=rows, seed=5), rows)


def test_deterministic_per_seed(small_blocks: int) -> None:
    first = document_list(rows=2500, seed=42)
    assert first.equals(document_list(rows=2500, seed=42))
    other = document_list(rows=2500, seed=43)
    assert not first.equals(other)
    assert (first["doc_number"] != other["doc_number"]).mean() > 0.99  # type: ignore[operator]
    # a full block depends only on the seed and its index
    assert first.head(2000).equals(document_list(rows=2700, seed=42).head(2000))


def planted_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "doc_number": ["X1234567", "C01X00T47", "123456789", "AB-12 34", "ZZ9999999"],
            "doc_issuer": ["UTO", "DEU", "GBR", "FRA", "ABW"],
            "doc_type": ["P", "P", "P", "I", "V"],
            "status": ["stolen", None, "revoked", None, "stolen_blank"],
            "reported_on": [date(2020, 1, 2), None, None, date(2019, 5, 6), None],
        }
    )


def test_write_equals_document_list(tmp_path: Path, small_blocks: int) -> None:
    planted = planted_frame()
    exclude = document_list(rows=3517, seed=9).select("doc_issuer", "doc_number").head(40)
    path = tmp_path / "documents.parquet"
    stats = write_document_list(path, rows=3517, seed=9, planted=planted, exclude=exclude)
    written = pl.read_parquet(path)
    expected = document_list(rows=3517, seed=9, planted=planted, exclude=exclude)
    assert written.equals(expected)
    check_rows(written, 3517, extra_issuers=("UTO",))
    assert stats.rows == 3517 and stats.bytes == path.stat().st_size and stats.seconds > 0
    assert stats.planted_refs == planted_record_refs(rows=3517, seed=9, count=5)
    empty = write_document_list(tmp_path / "empty.parquet", rows=0, seed=9)
    assert pl.read_parquet(tmp_path / "empty.parquet").schema == DOCUMENT_LIST
    assert empty.rows == 0 and empty.planted_refs == ()


def test_planted_rows(small_blocks: int) -> None:
    planted = planted_frame()
    frame = document_list(rows=4321, seed=3, planted=planted)
    refs = planted_record_refs(rows=4321, seed=3, count=planted.height)
    assert len(set(refs)) == planted.height
    at = frame.filter(pl.col("record_ref").is_in(list(refs)))
    rows = {row["record_ref"]: row for row in at.iter_rows(named=True)}
    for ref, wanted in zip(refs, planted.iter_rows(named=True), strict=True):
        row = rows[ref]
        for name in ("doc_number", "doc_issuer", "doc_type"):
            assert row[name] == wanted[name]
        for name in ("status", "reported_on"):
            assert row[name] == wanted[name] or (wanted[name] is None and row[name] is not None)
    for issuer, number in planted.select("doc_issuer", "doc_number").rows():
        hits = frame.filter((pl.col("doc_issuer") == issuer) & (pl.col("doc_number") == number))
        assert hits.height == 1
    # planting changes nothing but the planted rows (and nothing at all for other seeds' refs)
    plain = document_list(rows=4321, seed=3)
    changed = frame["doc_number"] != plain["doc_number"]
    assert set(frame.filter(changed)["record_ref"]) <= set(refs)
    assert refs[0] != planted_record_refs(rows=4321, seed=4, count=planted.height)[0]


def test_planted_documents_are_not_generated(small_blocks: int) -> None:
    plain = document_list(rows=3000, seed=21)
    # plant copies of generated rows: the originals must be redrawn, the copies stay unique
    planted = plain.slice(100, 30).select("doc_number", "doc_issuer", "doc_type")
    frame = document_list(rows=3000, seed=21, planted=planted)
    counts = frame.group_by("doc_issuer", "doc_number").len()
    hits = planted.join(counts, on=["doc_issuer", "doc_number"], how="left")
    assert hits["len"].to_list() == [1] * 30


def test_exclude(small_blocks: int) -> None:
    plain = document_list(rows=3500, seed=8)
    chosen = plain.gather(list(range(0, 3500, 50)))
    exclude = chosen.select("doc_issuer", "doc_number")
    frame = document_list(rows=3500, seed=8, exclude=exclude)
    check_rows(frame, 3500)
    assert frame.join(exclude, on=["doc_issuer", "doc_number"], how="semi").height == 0
    # only the excluded rows' numbers changed; issuer, type, status and date are kept
    assert frame.drop("doc_number").equals(plain.drop("doc_number"))
    changed = frame["record_ref"].filter(frame["doc_number"] != plain["doc_number"])
    assert set(changed) == set(chosen["record_ref"])
    for issuer, doc_type, number in frame.select("doc_issuer", "doc_type", "doc_number").rows():
        assert matches(issuer, number, doc_type)


def test_exclusion_filter_is_exact() -> None:
    rng = np.random.default_rng(6)
    issuer = rng.integers(0, 249, 20_000)
    matrix = rng.integers(48, 58, (20_000, 10)).astype(np.uint8)
    matrix[::3, 9] = 0  # some nine-character numbers
    excluded = docs._Excluded.build(issuer[:5000], matrix[:5000])
    hits = excluded.hits(issuer, matrix)
    assert hits[:5000].all()
    exact = docs._in_sorted(
        docs._keys(issuer, matrix), np.sort(docs._keys(issuer[:5000], matrix[:5000]))
    )
    assert (hits == exact).all()
    assert not docs._Excluded.build(issuer[:0], matrix[:0]).hits(issuer, matrix).any()


def test_exclude_is_compared_normalised(small_blocks: int) -> None:
    plain = document_list(rows=2000, seed=12)
    german = plain.filter(pl.col("doc_issuer") == "DEU").head(3)
    assert german.height == 3
    numbers = german["doc_number"].to_list()
    exclude = pl.DataFrame(
        {
            "doc_issuer": ["D", "de", " DEU ", None, "DEU"],
            "doc_number": [
                numbers[0].lower(),
                f"{numbers[1][:4]}-{numbers[1][4:]}",
                numbers[2],
                numbers[0],
                None,
            ],
        }
    )
    frame = document_list(rows=2000, seed=12, exclude=exclude)
    assert frame.join(german, on=["doc_issuer", "doc_number"], how="semi").height == 0


def test_bad_arguments() -> None:
    planted = planted_frame()
    with pytest.raises(ValueError, match="rows"):
        document_list(rows=-1, seed=1)
    with pytest.raises(ValueError, match="seed"):
        document_list(rows=1, seed=-1)
    with pytest.raises(ValueError, match="plant"):
        document_list(rows=3, seed=1, planted=planted)
    with pytest.raises(ValueError, match="doc_type"):
        document_list(rows=10, seed=1, planted=planted.drop("doc_type"))
    with pytest.raises(ValueError, match="null"):
        document_list(rows=10, seed=1, planted=planted.with_columns(doc_type=None))
    with pytest.raises(ValueError, match="status"):
        document_list(rows=10, seed=1, planted=planted.with_columns(status=pl.lit("found")))
    with pytest.raises(TypeError, match="reported_on"):
        document_list(rows=10, seed=1, planted=planted.with_columns(reported_on=pl.lit("x")))
    with pytest.raises(TypeError, match="doc_number"):
        document_list(
            rows=10, seed=1, exclude=pl.DataFrame({"doc_issuer": ["GBR"], "doc_number": [1]})
        )
    clash = pl.DataFrame({"doc_issuer": ["GBR"], "doc_number": ["123 456 789"]})
    with pytest.raises(ValueError, match="exclude") as raised:
        document_list(rows=10, seed=1, planted=planted, exclude=clash)
    assert "123" not in str(raised.value)


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    with pytest.raises(ValueError, match="rows"):
        write_document_list(path, rows=-5, seed=1)
    assert not path.exists()


# --------------------------------------------------------------------------------------------
# corrupt_document

numbers = st.text(alphabet=ALNUM, min_size=1, max_size=12)
seeds = st.integers(min_value=0, max_value=2**32)


@given(numbers, seeds)
def test_ocr_corruption(number: str, seed: int) -> None:
    confusable = {a for a, _ in OCR_CONFUSIONS}
    if not confusable & set(number):
        with pytest.raises(ValueError, match="OCR") as raised:
            corrupt_document(number, "ocr", random.Random(seed))
        assert len(number) < 4 or number not in str(raised.value)
        return
    result = corrupt_document(number, "ocr", random.Random(seed))
    assert len(result) == len(number)
    diffs = [(a, b) for a, b in zip(number, result, strict=True) if a != b]
    assert len(diffs) == 1 and diffs[0] in OCR_CONFUSIONS


@given(numbers, seeds)
def test_transposition(number: str, seed: int) -> None:
    if len(set(number)) == 1:
        with pytest.raises(ValueError, match="transposition") as raised:
            corrupt_document(number, "transposition", random.Random(seed))
        assert len(number) < 4 or number not in str(raised.value)
        return
    result = corrupt_document(number, "transposition", random.Random(seed))
    assert result != number
    assert OSA.distance(number, result) == 1
    assert sorted(result) == sorted(number)


@given(st.text(alphabet=ALNUM, max_size=12), seeds)
def test_edit(number: str, seed: int) -> None:
    result = corrupt_document(number, "edit", random.Random(seed))
    assert result != number and result
    assert Levenshtein.distance(number, result) == 1
    assert set(result) <= set(ALNUM)


@given(numbers, seeds, st.sampled_from(["ocr", "transposition", "edit"]))
def test_corruption_is_deterministic(number: str, seed: int, kind: str) -> None:
    assume(kind == "edit" or len(set(number)) > 1)
    try:
        first = corrupt_document(number, kind, random.Random(seed))  # type: ignore[arg-type]
    except ValueError:
        return
    assert corrupt_document(number, kind, random.Random(seed)) == first  # type: ignore[arg-type]


def test_corruption_examples() -> None:
    rng = random.Random(0)
    assert corrupt_document("AAAA0", "ocr", rng) in {"AAAAO", "AAAAD", "AAAAQ"}
    assert corrupt_document("AAAB", "transposition", rng) == "AABA"
    with pytest.raises(ValueError, match="transposition"):
        corrupt_document("AAAA", "transposition", rng)
    with pytest.raises(ValueError, match="kind"):
        corrupt_document("AB12", "swap", rng)  # type: ignore[arg-type]
