"""The lost/stolen document index: recall and levels against brute force, updates, files, errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paxscreen.index.documents as documents_module
from paxscreen.compare.documents import doc_number_level, doc_number_level_scalar
from paxscreen.errors import ParseError, PaxscreenError, SchemaError
from paxscreen.index.documents import MATCHES, DocumentIndex
from paxscreen.normalize.documents import doc_number_key, ocr_folded, strip_leading_zeros

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Few symbols, many of them confusable or zero: neighbours and collisions are common.
DENSE = "0O1I5S8BDA2X"
NUMBERS = st.text(alphabet=DENSE, min_size=1, max_size=14)
ZERO_LED = st.builds(
    lambda zeros, digits: "0" * zeros + digits,
    st.integers(1, 3),
    st.text(alphabet="0123456789", min_size=1, max_size=11),
)
LISTED = st.lists(st.one_of(NUMBERS, NUMBERS, ZERO_LED), min_size=1, max_size=40)
ONE_EDIT = ("exact", "confusable", "leading_zeros", "transposition", "one_edit")


def one_edit_variants(number: str) -> set[str]:
    """Every substitution, insertion, deletion and adjacent transposition of a number."""
    out: set[str] = set()
    for i in range(len(number) + 1):
        out.update(number[:i] + c + number[i:] for c in ALNUM)
    for i in range(len(number)):
        out.update(number[:i] + c + number[i + 1 :] for c in ALNUM)
        if len(number) > 1:
            out.add(number[:i] + number[i + 1 :])
    for i in range(len(number) - 1):
        out.add(number[:i] + number[i + 1] + number[i] + number[i + 2 :])
    out.discard(number)
    return out


def mutate(number: str, data: st.DataObject) -> str:
    kind = data.draw(st.sampled_from(["sub", "ins", "del", "swap", "zeros", "strip", "same"]))
    i = data.draw(st.integers(0, len(number)))
    c = data.draw(st.sampled_from(DENSE))
    if kind == "sub" and i < len(number):
        return number[:i] + c + number[i + 1 :]
    if kind == "ins":
        return number[:i] + c + number[i:]
    if kind == "del" and len(number) > 1 and i < len(number):
        return number[:i] + number[i + 1 :]
    if kind == "swap" and i < len(number) - 1:
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if kind == "zeros":
        return "00" + number
    if kind == "strip":
        return number.lstrip("0") or number
    return number


def brute(
    listed: list[str], probes: list[str | None], *, fuzzy: bool = True
) -> set[tuple[int, int, str]]:
    """(probe, row, level) of every pair at a matching level, by comparing every pair."""
    limit = ONE_EDIT if fuzzy else ONE_EDIT[:3]
    out = set()
    for p, probe in enumerate(probes):
        for r, number in enumerate(listed):
            level = doc_number_level_scalar(probe, number)
            if level in limit:
                out.add((p, r, level))
    return out


def brute_in_bulk(listed: list[str], probes: list[str | None]) -> set[tuple[int, int, str]]:
    """:func:`brute` with ``fuzzy``, every pair compared by the vectorised level expression
    (for lists too long for the scalar one)."""
    frame = (
        pl.DataFrame({"p": probes})
        .with_row_index("pi")
        .join(pl.DataFrame({"r": listed}).with_row_index("ri"), how="cross")
    )
    levels = frame.with_columns(level=doc_number_level("p", "r")).filter(
        pl.col("level") <= "one_edit"
    )
    return {(p, r, str(lv)) for p, r, lv in levels.select("pi", "ri", "level").iter_rows()}


def found(
    index: DocumentIndex, probes: list[str | None], **kwargs: bool
) -> set[tuple[int, int, str]]:
    frame = index.lookup(probes, **kwargs)
    return {(p, r, str(lv)) for p, r, lv in frame.select("probe", "row", "level").iter_rows()}


def frame_of(numbers: Sequence[str], **columns: Sequence[str | None]) -> pl.DataFrame:
    data = {"doc_number": numbers, **columns}
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


# ---------------------------------------------------------------------------------------------
# Recall and levels against brute force
# ---------------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(LISTED, st.data())
def test_lookup_equals_brute_force(listed: list[str], data: st.DataObject) -> None:
    """Every pair doc_number_level puts at one_edit or better is found, with its level."""
    probes: list[str | None] = [mutate(data.draw(st.sampled_from(listed)), data) for _ in range(15)]
    probes += data.draw(st.lists(NUMBERS, max_size=5))
    probes.append(None)
    index = DocumentIndex.build(frame_of(listed))
    assert found(index, probes) == brute(listed, probes)
    assert found(index, probes, fuzzy=False) == brute(listed, probes, fuzzy=False)


@settings(max_examples=15)
@given(st.text(alphabet=ALNUM, min_size=1, max_size=13), st.lists(NUMBERS, max_size=20))
def test_every_one_edit_variant_of_a_listed_number_is_found(number: str, others: list[str]) -> None:
    listed = [*others, number]
    row = len(listed) - 1
    variants = sorted(one_edit_variants(number))
    matches = DocumentIndex.build(frame_of(listed)).lookup(variants).filter(pl.col("row") == row)
    assert matches.get_column("probe").n_unique() == len(variants)
    for probe, level in matches.select("probe", "level").iter_rows():
        assert level == doc_number_level_scalar(variants[probe], number)
        assert level in ONE_EDIT


@settings(max_examples=30)
@given(st.text(alphabet="34679ACEFHJKMNPRTUVWXY", min_size=2, max_size=12), st.data())
def test_nothing_at_distance_two_is_reported(number: str, data: st.DataObject) -> None:
    """Two edits on a number without confusable characters or zeros: never a match."""
    first = mutate_plain(number, data)
    second = mutate_plain(first, data)
    if doc_number_level_scalar(second, number) != "mismatch":
        return  # the two edits undid each other, or made one
    index = DocumentIndex.build(frame_of([number]))
    assert index.lookup([second]).is_empty()


def mutate_plain(number: str, data: st.DataObject) -> str:
    kind = data.draw(st.sampled_from(["sub", "ins", "del", "swap"]))
    i = data.draw(st.integers(0, max(len(number) - 1, 0)))
    c = data.draw(st.sampled_from("34679ACEFHJKMNPRTUVWXY"))
    if kind == "sub":
        return number[:i] + c + number[i + 1 :]
    if kind == "ins":
        return number[:i] + c + number[i:]
    if kind == "del" and len(number) > 2:
        return number[:i] + number[i + 1 :]
    if i < len(number) - 1:
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    return number[:i] + c + number[i:]


def test_dense_lists_against_brute_force() -> None:
    """Thousands of numbers over a tiny alphabet: long ranges, windows and fallbacks."""
    rng = np.random.default_rng(5)
    listed = ["".join(rng.choice(list("01"), rng.integers(6, 11))) for _ in range(4000)]
    listed += ["".join(rng.choice(list("0O1I"), rng.integers(1, 14))) for _ in range(1000)]
    probes: list[str | None] = [
        "".join(rng.choice(list("0O1I"), rng.integers(1, 14))) for _ in range(60)
    ]
    index = DocumentIndex.build(frame_of(listed))
    want = brute_in_bulk(listed, probes)
    assert found(index, probes) == want


@pytest.mark.parametrize(("fine", "sample"), [(2, 2), (8, 5), (3, 3), (32, 32)])
def test_range_scans_and_searches_in_every_configuration(
    monkeypatch: pytest.MonkeyPatch, fine: int, sample: int
) -> None:
    """Other directory granularities and small sample blocks (many block boundaries for the
    searches inside a block, ranges running through many blocks) find the same pairs as brute
    force."""
    monkeypatch.setattr(documents_module, "_FINE", fine)
    monkeypatch.setattr(documents_module, "_SAMPLE", sample)
    rng = np.random.default_rng(7)
    listed = ["".join(rng.choice(list("012"), rng.integers(5, 9))) for _ in range(3000)]
    listed += ["".join(rng.choice(list("0O1I5S"), rng.integers(1, 13))) for _ in range(600)]
    probes: list[str | None] = [
        "".join(rng.choice(list("0O12"), rng.integers(1, 13))) for _ in range(40)
    ]
    probes += [listed[i] for i in rng.integers(0, len(listed), 10)]
    index = DocumentIndex.build(frame_of(listed))
    want = brute_in_bulk(listed, probes)
    assert found(index, probes) == want
    exact = {x for x in want if x[2] in ONE_EDIT[:3]}
    assert found(index, probes, fuzzy=False) == exact


@st.composite
def cut_points(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Any cut points 0 <= c1 <= c2 <= n per key length n (degenerate parts included)."""
    first, second = [], []
    for n in range(13):
        c1 = draw(st.integers(0, n))
        first.append(c1)
        second.append(draw(st.integers(c1, n)))
    return tuple(first), tuple(second)


def with_cuts(listed: list[str], cuts: tuple[tuple[int, ...], tuple[int, ...]]) -> DocumentIndex:
    """An index built with the given cut points instead of chosen ones."""
    fixed = documents_module._cuts(*cuts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents_module, "_choose_cuts", lambda keys: fixed)
        index = DocumentIndex.build(frame_of(listed))
    assert index._base.main.cuts is fixed
    return index


@settings(max_examples=60, deadline=None)
@given(LISTED, cut_points(), st.data())
def test_any_cut_points_find_what_brute_force_finds(
    listed: list[str], cuts: tuple[tuple[int, ...], tuple[int, ...]], data: st.DataObject
) -> None:
    """The cut points only change the cost: every choice finds the pairs brute force finds."""
    probes: list[str | None] = [mutate(data.draw(st.sampled_from(listed)), data) for _ in range(15)]
    probes += data.draw(st.lists(NUMBERS, max_size=5))
    index = with_cuts(listed, cuts)
    assert found(index, probes) == brute(listed, probes)
    assert found(index, probes, fuzzy=False) == brute(listed, probes, fuzzy=False)


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet=ALNUM, min_size=1, max_size=12), cut_points())
def test_every_one_edit_variant_is_found_with_any_cut_points(
    number: str, cuts: tuple[tuple[int, ...], tuple[int, ...]]
) -> None:
    variants = sorted(one_edit_variants(number))
    matches = with_cuts([number], cuts).lookup(variants)
    assert matches.get_column("probe").n_unique() == len(variants)


def range_sizes(index: DocumentIndex, probes: list[str]) -> int:
    """How many entries the one-edit ranges of the probes hold in all (before any screen)."""
    keys = documents_module._normalise_numbers(probes)
    zero = np.zeros(len(probes), np.int64)
    forms = documents_module._Probes.create(keys, zero, zero).near[1]
    segment = index._base
    main = segment.main
    plan = documents_module._plan_ranges(forms, segment.lengths(), main.cuts)
    total = 0
    for kind in (0, 1, 2):
        order = (
            main.keys if kind == 0 else documents_module._rotate(main.keys, kind - 1, main.cuts.rot)
        )
        values = np.sort(order)
        at = plan.kind == kind
        total += int((values.searchsorted(plan.hi[at]) - values.searchsorted(plan.lo[at])).sum())
    return total


def test_cut_points_chosen_from_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight-character numbers of two letters and six digits (of four): the thirds (3, 5) fix
    digits only in the B C range, which is long; the chosen cut points hold fewer entries in
    all and find the same pairs."""
    monkeypatch.setattr(documents_module, "_CHOOSE_SAMPLE", 1 << 12)  # a sample is used
    rng = np.random.default_rng(8)
    count = 30_000
    chars = rng.choice(np.frombuffer(b"1234", np.uint8), (count, 8))
    chars[:, :2] = rng.choice(np.frombuffer(b"ACEFHJKMNPRTUVWXY", np.uint8), (count, 2))
    listed = [row.tobytes().decode() for row in chars]
    chosen = DocumentIndex.build(frame_of(listed))
    cuts = chosen._base.main.cuts
    default = with_cuts(listed, (documents_module._C1, documents_module._C2))
    assert (cuts.c1[8], cuts.c2[8]) != (documents_module._C1[8], documents_module._C2[8])
    probes = [n[:4] + "7" + n[4:7] for n in listed[:300]] + listed[300:400]
    assert range_sizes(chosen, probes) < 0.6 * range_sizes(default, probes)
    assert chosen.lookup(probes).equals(default.lookup(probes))
    # Too few keys: the default cut points.
    small = DocumentIndex.build(frame_of(listed[:400]))
    assert small._base.main.cuts is documents_module._DEFAULT_CUTS


def test_chosen_cut_points_are_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents_module, "_CHOOSE_MIN", 0)
    rng = np.random.default_rng(9)
    listed = ["".join(rng.choice(list("0123456789AB"), rng.integers(6, 11))) for _ in range(3000)]
    index = DocumentIndex.build(frame_of(listed))
    index.save(tmp_path / "sltd")
    opened = DocumentIndex.open(tmp_path / "sltd")
    assert opened._base.main.cuts is index._base.main.cuts
    probes: list[str | None] = [n[:3] + n[4:] for n in listed[:200]]
    assert found(opened, probes) == brute(listed, probes)
    # An index of an earlier format (before the attributes were stored as records) is refused
    # by name.
    manifest = tmp_path / "sltd" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"version": 3', '"version": 2'))
    with pytest.raises(PaxscreenError, match="unsupported document index format"):
        DocumentIndex.open(tmp_path / "sltd")


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_block_searches_equal_searchsorted(data: st.DataObject) -> None:
    """The searches of sample blocks and of first keys agree with numpy.searchsorted on the
    keys and rotated keys of an index, for keys of the index (first, last, duplicated), keys
    between and around them, and keys of every length."""
    numbers = data.draw(st.lists(st.text(alphabet="0O1I25", min_size=1, max_size=12), max_size=300))
    numbers += ["0"] * data.draw(st.integers(0, 70))  # a run longer than a block
    if not numbers:
        return
    index = DocumentIndex.build(frame_of(numbers))
    main = index._base.main
    keys = np.asarray(main.keys)
    lengths = np.arange(14, dtype=np.uint64) << np.uint64(60)
    for row in (0, 1, 2):
        order = (
            keys if row == 0 else np.sort(documents_module._rotate(keys, row - 1, main.cuts.rot))
        )
        targets = np.concatenate([order, order + np.uint64(1), order - np.uint64(1), lengths])
        targets = np.concatenate([targets, np.array([0, 2**64 - 1], dtype=np.uint64)])
        block, _, _ = main.blocks(np.full(targets.size, row), targets)
        position = np.searchsorted(order, targets)
        sample = documents_module._SAMPLE
        # The first position >= target is in the block ending at the sample found.
        assert ((position > (block - 1) * sample) & (position <= block * sample)).all()
        assert (block <= -(-order.size // sample)).all()
        if row == 0:
            assert main.find(targets).tolist() == position.tolist()
            which, found = main.exact(targets)
            equal = order[found] == targets[which]
            assert equal.all()
            assert found.size == int((np.searchsorted(order, targets, "right") - position).sum())


def packed(numbers: Sequence[str]) -> np.ndarray:
    """The folded packed keys of numbers of 1 to 12 characters."""
    return documents_module._pack_strings(list(numbers))[0]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet="0O1I5A", min_size=1, max_size=12), min_size=1, max_size=400),
    st.sampled_from(["as drawn", "one key", "one prefix", "two lengths"]),
    st.sampled_from([2, 3, 16]),
)
def test_directory_searches_equal_searchsorted(numbers: list[str], shape: str, fine: int) -> None:
    """The radix tables and the binary searches of the directory, then the count of the samples
    before the entry found, find what numpy.searchsorted finds in the samples of each order,
    and the samples around it: empty buckets, duplicates, every key in one bucket (skew), first
    and last keys, and targets past every length."""
    if shape == "one key":
        numbers = [numbers[0]] * len(numbers)
    elif shape == "one prefix":
        numbers = ["000000" + n[:6] for n in numbers]
    elif shape == "two lengths":
        numbers = [n[:1] if i % 2 else (n * 12)[:12] for i, n in enumerate(numbers)]
    # Three orders of as many keys: the numbers, reversed, and rotated by one character.
    forms = (numbers, [n[::-1] for n in numbers], [n[1:] + n[:1] for n in numbers])
    orders = [np.sort(packed(form)) for form in forms]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents_module, "_FINE", fine)
        d = documents_module._Directory.create(orders)
    assert d.step == fine
    edges = np.array([0, 1, 2**60, 13 << 60, 15 << 60, 2**64 - 1], dtype=np.uint64)
    for row, samples in enumerate(orders):
        targets = np.concatenate([samples, samples + np.uint64(1), samples - np.uint64(1), edges])
        order = np.full(targets.size, row)
        got, before, after = documents_module._first_samples(
            order, targets, orders[0], np.stack(orders[1:]), d.fine, d.start, d.radix, d.base,
            d.shift, d.step,
        )  # fmt: skip
        want = np.searchsorted(samples, targets)
        assert got.tolist() == want.tolist()
        # The samples around the answer (0 before the first one, none after the last).
        padded = np.concatenate([np.uint64([0]), samples, np.uint64([2**64 - 1])])
        assert before.tolist() == padded[want].tolist()
        assert after.tolist() == padded[want + 1].tolist()


@pytest.mark.parametrize(("seed", "sample"), [(1, 32), (2, 4), (3, 8), (4, 2)])
def test_near_finds_every_key_at_most_one_edit_from_its_query(
    monkeypatch: pytest.MonkeyPatch, seed: int, sample: int
) -> None:
    """The one-edit search of the keys (swapped queries, ranges of the three orders, the tail
    screen and the verification) returns exactly the keys at most one edit from each query,
    with their edit classes: compared with every key. Small alphabets and small blocks make
    long ranges and many of them; runs of one key longer than many blocks make ranges that
    run through several blocks, and more candidates than the first buffer holds."""
    monkeypatch.setattr(documents_module, "_SAMPLE", sample)
    rng = np.random.default_rng(seed)
    alphabet = list("0123456789AB"[: rng.integers(2, 6)])
    numbers = ["".join(rng.choice(alphabet, rng.integers(3, 9))) for _ in range(3000)]
    numbers += [numbers[0]] * 150 + [numbers[1][:-1]] * 150
    segment = DocumentIndex.build(frame_of(numbers))._base
    main = segment.main
    probes = numbers[:2] + [numbers[i] for i in rng.integers(0, len(numbers), 100)]
    probes += ["".join(rng.choice(alphabet, rng.integers(2, 10))) for _ in range(100)]
    queries = packed(probes)
    query, position, edits, keys = main.near(queries, segment.lengths())  # (a pair may repeat)
    everything = np.asarray(main.keys)
    assert (everything[position] == keys).all()
    got = set(zip(query.tolist(), position.tolist(), edits.tolist(), strict=True))
    want = set()
    for q, value in enumerate(queries.tolist()):
        value_of_each = np.full(everything.size, value, dtype=np.uint64)
        classes = documents_module._edit_class(everything, value_of_each)
        at = np.flatnonzero(classes < 3)
        want.update(zip([q] * at.size, at.tolist(), classes[at].tolist(), strict=True))
    assert got == want
    assert len(want) > 1000
    # One query, and a run of its key far longer than the first buffer of candidates.
    run = DocumentIndex.build(frame_of(["12345678"] * 2000 + ["12345679"]))._base
    _, position, edits, _ = run.main.near(packed(["12345678"]), run.lengths())
    pairs = set(zip(position.tolist(), edits.tolist(), strict=True))
    assert pairs == {(p, 0) for p in range(2000)} | {(2000, 1)}


@settings(max_examples=60)
@given(st.lists(st.text(alphabet="00123", min_size=1, max_size=12), min_size=1, max_size=50))
def test_leading_zeros_of_packed_keys(numbers: list[str]) -> None:
    """Leading zeros dropped from packed all-digit keys, as strip_leading_zeros drops them."""
    keys = packed(numbers)
    stripped = documents_module._unpack_strings(
        documents_module._stripped(keys), np.zeros(keys.size, np.uint32)
    )
    assert stripped.to_pylist() == [n.lstrip("0") or "0" for n in numbers]


def test_long_probes_against_brute_force() -> None:
    """Probes of 13 and more characters (leading zeros, insertions): their zero forms and
    12-character deletions are looked up without a Python loop, with the levels of brute
    force, fuzzy or not."""
    rng = np.random.default_rng(11)
    listed = ["".join(rng.choice(list("0123456789"), 12)) for _ in range(200)]
    listed += ["0" + n[1:] for n in listed[:40]] + ["A" + n[1:] for n in listed[40:60]]
    listed += ["".join(rng.choice(list("0O1I"), rng.integers(11, 15))) for _ in range(100)]
    probes: list[str | None] = ["0" + n for n in listed[:60]] + ["00" + n for n in listed[:30]]
    probes += [n[:5] + "7" + n[5:] for n in listed[60:120]]
    probes += [n[:3] + "OI" + n[3:] for n in listed[200:260]]
    probes += ["000" + n[:-1] for n in listed[:20]] + ["0" * 14, "0" * 13 + "1"]
    index = DocumentIndex.build(frame_of(listed))
    assert found(index, probes) == brute(listed, probes)
    assert found(index, probes, fuzzy=False) == brute(listed, probes, fuzzy=False)


def test_zero_loss_flags_agree_with_the_zero_forms() -> None:
    """The bitwise all-digit test and the flag of keys that lose leading zeros, against
    character matrices and :func:`_zero_forms` (letters, padding and unused codes included)."""
    rng = np.random.default_rng(12)
    count = 50_000
    codes = rng.integers(0, 32, (count, 12)).astype(np.uint8)
    codes[: count // 2] = rng.integers(1, 11, (count // 2, 12))  # digits only
    lengths = rng.integers(1, 13, count).astype(np.uint64)
    codes[np.arange(12)[None, :] >= lengths[:, None]] = 0
    codes[::3, 0] = documents_module._ALPHA.zero
    keys = documents_module._pack_codes(codes, lengths)
    assert (documents_module._digit_keys(keys) == np.all(codes <= 10, axis=1)).all()
    variants = (rng.random(count) < 0.3).astype(np.uint32) * 5
    _, stripped = documents_module._zero_forms(keys, variants)
    assert (documents_module._loses_zeros(keys, variants) == stripped).all()


# ---------------------------------------------------------------------------------------------
# Levels, forms and agreement
# ---------------------------------------------------------------------------------------------


def test_confusable_and_leading_zero_cases() -> None:
    listed = ["AB0123", "000123456", "123456", "D12345678", "OOOOOOOOOOOO"]
    index = DocumentIndex.build(frame_of(listed))
    cases = {
        "ab-0I23": (0, "confusable"),
        "AB0123": (0, "exact"),
        "0000123456": (1, "leading_zeros"),
        "123457": (2, "one_edit"),
        "12345678": (3, "one_edit"),  # a letter is never a lost zero
        "DOOOOOOOOOOO": (4, "confusable"),  # a variant too large for 16 bits
        "OOOOOOOOOOOO": (4, "exact"),
    }
    frame = index.lookup(list(cases))
    got = {(p, r): lv for p, r, lv in frame.select("probe", "row", "level").iter_rows()}
    for probe, (number, (row, level)) in enumerate(cases.items()):
        assert got[(probe, row)] == level, number
    # "123456" and "000123456" are the same number once zeros are dropped, both ways.
    both = index.lookup(["123456", "00123456"], fuzzy=False)
    assert set(both.select("probe", "row", "level").iter_rows()) == {
        (0, 1, "leading_zeros"),
        (0, 2, "exact"),
        (1, 1, "leading_zeros"),
        (1, 2, "leading_zeros"),
    }


def test_agreement_and_attributes() -> None:
    documents = pl.DataFrame(
        {
            "doc_number": ["X1234567", "X1234567", "X1234567"],
            "doc_issuer": ["GBR", "FRA", None],
            "doc_type": ["P", "ID", "PP"],
            "status": ["stolen", "lost", None],
            "reported_on": [None, "2024-03-01", None],
            "record_ref": ["a", None, "c"],
        }
    ).with_columns(pl.col("reported_on").str.to_date())
    index = DocumentIndex.build(documents)
    frame = index.lookup(["X1234567", "X1234567"], ["GB", None], ["Passport", "I"])
    assert frame.schema == MATCHES
    rows = frame.select(
        "probe", "row", "issuer_agreement", "type_agreement", "status", "record_ref", "doc_issuer"
    ).rows()
    assert rows == [
        (0, 0, True, True, "stolen", "a", "GBR"),
        (0, 1, False, False, "lost", "row-2", "FRA"),
        (0, 2, None, True, None, "c", None),
        (1, 0, None, False, "stolen", "a", "GBR"),
        (1, 1, None, True, "lost", "row-2", "FRA"),
        (1, 2, None, False, None, "c", None),
    ]
    assert frame.get_column("reported_on").to_list()[1].isoformat() == "2024-03-01"
    assert frame.get_column("doc_number").unique().to_list() == ["X1234567"]
    # An issuer no record has is a disagreement with every known issuer.
    other = index.lookup(["X1234567"], ["NLD"]).get_column("issuer_agreement").to_list()
    assert other == [False, False, None]


def test_empty_inputs() -> None:
    index = DocumentIndex.build(frame_of(["A1"]))
    assert index.lookup([]).schema == MATCHES
    assert index.lookup([None, "--", ""]).is_empty()
    assert len(DocumentIndex.build(frame_of([]))) == 0
    assert DocumentIndex.build(frame_of([])).lookup(["A1"]).is_empty()


@settings(max_examples=80)
@given(st.text(alphabet=ALNUM + "abz -<.\u0410\u041e\uff10", max_size=16))
def test_packed_forms_agree_with_the_normalize_expressions(raw: str) -> None:
    key = pl.select(doc_number_key(pl.lit(raw, dtype=pl.String))).item()
    keys = documents_module._normalise_numbers([raw])
    assert keys.to_pylist() == [key]
    if key is None or len(key) > 12:
        return
    fold, variant = documents_module._pack_strings([key])
    assert documents_module._unpack_strings(fold, variant).to_pylist() == [key]
    folded = pl.select(ocr_folded(pl.lit(key), is_key=True)).item()
    assert documents_module._unpack_strings(fold, np.zeros(1, np.uint32)).to_pylist() == [folded]
    zero_form, stripped = documents_module._zero_forms(fold, variant)
    expected = pl.select(strip_leading_zeros(pl.lit(key), is_key=True)).item()
    if key.isdigit():
        assert documents_module._unpack_strings(zero_form, variant * 0).to_pylist() == [expected]
        assert bool(stripped[0]) == (expected != key)


# ---------------------------------------------------------------------------------------------
# Updates behave like a rebuild
# ---------------------------------------------------------------------------------------------


def by_ref(index: DocumentIndex, probes: list[str | None]) -> set[tuple[object, ...]]:
    frame = index.lookup(probes, ["GBR"] * len(probes))
    columns = ("probe", "record_ref", "level", "issuer_agreement", "status", "doc_number")
    return set(frame.select(columns).iter_rows())


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(NUMBERS, min_size=1, max_size=8)),
        st.tuples(st.just("remove_refs"), st.lists(st.integers(0, 60), max_size=4)),
        st.tuples(st.just("remove_rows"), st.lists(st.integers(0, 60), max_size=4)),
        st.tuples(st.just("merge"), st.just([])),
    ),
    max_size=6,
)


@settings(max_examples=40)
@given(LISTED, OPERATIONS, st.data())
def test_updates_equal_a_rebuild(
    listed: list[str], operations: list[tuple[str, list[object]]], data: st.DataObject
) -> None:
    counter = iter(range(10**6))

    def records(numbers: list[str]) -> pl.DataFrame:
        refs = [f"r{next(counter)}" for _ in numbers]
        issuers = [("GBR", "FRA", None)[len(n) % 3] for n in numbers]
        return frame_of(
            numbers, record_ref=refs, doc_issuer=issuers, status=["lost"] * len(numbers)
        )

    first = records(listed)
    live = first
    index = DocumentIndex.build(first)
    every = first
    for name, argument in operations:
        if name == "add":
            added = records([str(n) for n in argument])
            rows = index.add(added)
            assert rows.tolist() == list(range(every.height, every.height + added.height))
            every = pl.concat([every, added])
            live = pl.concat([live, added])
        elif name == "remove_refs":
            refs = [f"r{i}" for i in argument]
            removed = index.remove(refs)
            assert removed == live.filter(pl.col("record_ref").is_in(refs)).height
            live = live.filter(~pl.col("record_ref").is_in(refs))
        elif name == "remove_rows":
            rows_wanted = [int(str(i)) for i in argument]
            gone = every.with_row_index("row").filter(pl.col("row").is_in(rows_wanted))
            refs = gone.get_column("record_ref").to_list()
            removed = index.remove(rows_wanted)
            assert removed == live.filter(pl.col("record_ref").is_in(refs)).height
            live = live.filter(~pl.col("record_ref").is_in(refs))
        else:
            index.merge()
        assert len(index) == live.height
    numbers = live.get_column("doc_number").to_list() or listed
    probes: list[str | None] = [mutate(data.draw(st.sampled_from(numbers)), data) for _ in range(8)]
    assert by_ref(index, probes) == by_ref(DocumentIndex.build(live), probes)
    # Rows are stable: each match's row is the record's row in the frames as added.
    frame = index.lookup(probes)
    refs = every.get_column("record_ref").to_list()
    assert all(refs[row] == ref for row, ref in frame.select("row", "record_ref").iter_rows())


def test_automatic_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents_module, "MERGE_MIN", 3)
    index = DocumentIndex.build(frame_of(["A1234567", "B1234567"]))
    index.add(frame_of(["C1234567"]))
    assert index._delta is not None
    index.add(frame_of(["D1234567", "E1234567"]))
    assert index._delta is None and len(index) == 5
    assert index.lookup(["E1234567"], fuzzy=False).get_column("row").to_list() == [4]


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def mapped(array: np.ndarray) -> bool:
    """Whether an array is (a view of) a memory-mapped file."""
    return isinstance(array, np.memmap) or isinstance(array.base, np.memmap)


def test_save_open_round_trip_with_mmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents_module, "_READ_AT_OPEN", 0)  # map every array
    rng = np.random.default_rng(3)
    listed = ["".join(rng.choice(list(DENSE), rng.integers(1, 15))) for _ in range(3000)]
    probes: list[str | None] = [n[:-1] + "8" for n in listed[:200]]
    probes += ["0" + n for n in listed[:50]]
    index = DocumentIndex.build(frame_of(listed, status=["lost"] * len(listed)))
    expected = index.lookup(probes)
    path = tmp_path / "sltd"
    index.save(path)
    opened = DocumentIndex.open(path)
    assert mapped(opened._base.main.keys) and mapped(opened._base.main.rot)
    assert mapped(opened._base.meta.ref_data)
    assert opened.lookup(probes).equals(expected)
    assert opened.sizes() == index.sizes()
    # Updates after opening: saving again writes the delta and the tombstones only.
    base_dir = next(path.glob("base-*"))
    stamp = (base_dir / "main_keys.npy").stat().st_mtime_ns
    opened.add(frame_of(["ZZ9999999"]))
    opened.remove([0, 1])
    opened.save(path)
    assert (base_dir / "main_keys.npy").stat().st_mtime_ns == stamp
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["delta"] and manifest["tombstones"]
    again = DocumentIndex.open(path)
    assert len(again) == len(listed) - 2 + 1
    assert again.lookup(probes).equals(opened.lookup(probes))
    assert again.lookup(["ZZ9999999"]).get_column("row").to_list() == [len(listed)]
    # A merge makes a new base; the old one is removed when the new manifest is written.
    again.merge()
    again.save(path)
    assert not base_dir.exists()
    assert sorted(p.name for p in path.iterdir() if p.name != "manifest.json")[0].startswith(
        "base-"
    )
    assert DocumentIndex.open(path).lookup(probes).equals(opened.lookup(probes))


def test_parquet_is_streamed_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(4)
    listed = ["".join(rng.choice(list(DENSE), rng.integers(1, 15))) for _ in range(2500)]
    frame = frame_of(listed, doc_issuer=["FRA", "D", None, "GBR", "xx"] * 500)
    path = tmp_path / "list.parquet"
    frame.write_parquet(path, row_group_size=300)
    monkeypatch.setattr(documents_module, "_BATCH", 700)
    streamed = DocumentIndex.build(path)
    probes: list[str | None] = [n + "1" for n in listed[:300]]
    expected = DocumentIndex.build(frame).lookup(probes, ["DEU"] * 300)
    assert streamed.lookup(probes, ["DEU"] * 300).equals(expected)
    csv = tmp_path / "list.csv"
    frame.write_csv(csv)
    assert DocumentIndex.build(csv).lookup(probes, ["DEU"] * 300).equals(expected)


def test_index_bytes_per_record_within_budget() -> None:
    rng = np.random.default_rng(6)
    n = 200_000
    digits = rng.integers(0, 10, (n, 9)).astype(np.uint8) + ord("0")
    digits[: n // 3, 0] = ord("A")
    digits[n // 3 : n // 2, :2] = rng.integers(ord("A"), ord("Z") + 1, (n // 2 - n // 3, 2))
    numbers = [row.tobytes().decode() for row in digits]
    index = DocumentIndex.build(frame_of(numbers))
    assert index.sizes()["index_total"] / len(index) <= 24


# ---------------------------------------------------------------------------------------------
# Errors name the place, never the number
# ---------------------------------------------------------------------------------------------


def test_bad_input_errors_without_pii(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no doc_number column"):
        DocumentIndex.build(pl.DataFrame({"number": ["X1234567"]}))
    with pytest.raises(SchemaError, match="lose their leading zeros") as numeric:
        DocumentIndex.build(pl.DataFrame({"doc_number": [123456789]}))
    assert "123456789" not in str(numeric.value)
    with pytest.raises(SchemaError, match="rows 2, 3") as empty:
        DocumentIndex.build(frame_of(["X1234567", "--", "/ /"]))
    assert "X1234567" not in str(empty.value) and "--" not in str(empty.value)
    with pytest.raises(ParseError, match="E_SOURCE"):
        DocumentIndex.build(tmp_path / "missing.parquet")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(ParseError, match="E_PARQUET"):
        DocumentIndex.build(broken)
    with pytest.raises(PaxscreenError, match="not a document index"):
        DocumentIndex.open(tmp_path)
    index = DocumentIndex.build(frame_of(["X1234567"]))
    with pytest.raises(ValueError, match="one value per number"):
        index.lookup(["X1234567"], ["GBR", "FRA"])
    with pytest.raises(TypeError):
        index.lookup(pl.Series([1, 2]))
    with pytest.raises(TypeError):
        index.remove([1.5])  # type: ignore[arg-type]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(PaxscreenError, match="not empty"):
        index.save(tmp_path / "other")
    saved = tmp_path / "saved"
    index.save(saved)
    (next(saved.glob("base-*")) / "main_keys.npy").unlink()
    with pytest.raises(PaxscreenError, match=r"main_keys\.npy"):
        DocumentIndex.open(saved)
