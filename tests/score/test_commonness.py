"""How rare a pair's names are: counted among the other names seen, a token held by no other
name as rare as one unseen among a million."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from paxscreen.compare.names import abjad_reading
from paxscreen.normalize.names import NameBatch, name_batch
from paxscreen.score._commonness import (
    PSEUDO_NAMES,
    REFERENCE_NAMES,
    NameCounts,
    SkeletalCounts,
    counted_once,
)


def counts_of(travellers: list[str], listed: list[str]) -> NameCounts:
    batch, names = name_batch(travellers), name_batch(listed)
    position = {token: i for i, token in enumerate(names.vocab)}
    return NameCounts.of(
        batch,
        names,
        listed_counts=np.bincount(names.tokens, minlength=len(names.vocab)).astype(np.float64),
        listed_lengths=np.array([len(t) for t in names.vocab], dtype=np.int64),
        listed_id=np.array([position.get(t, -1) for t in batch.vocab], dtype=np.int64),
    )


def token_rarity(others: int, total: int) -> float:
    if others == 0:
        return -math.log10(0.5 / max(total, REFERENCE_NAMES))
    return -math.log10((others + 0.5) / total)


UNSEEN = token_rarity(0, 0)


def test_the_pairs_own_names_do_not_count() -> None:
    # KOUMTAMADJI is held by the traveller and by the listed name only: no other name holds it
    counts = counts_of(["MARTIN KOUMTAMADJI"], ["MARTIN KOUMTAMADJI", "MARTIN BRANDT"])
    total = 2 + 1 + PSEUDO_NAMES
    traveller, listed = counts.pair_rarities(np.array([0]), np.array([0]))
    # MARTIN: one other name (the listed MARTIN BRANDT)
    expected = token_rarity(1, total) + UNSEEN
    assert traveller[0] == listed[0]
    assert math.isclose(traveller[0], expected)


def test_a_token_held_by_other_names_is_as_common_as_they_make_it() -> None:
    listed = ["MARIA GARCIA"] + [f"MARIA X{'A' * k}" for k in range(5)] + ["ANA GARCIA"]
    counts = counts_of(["MARIA GARCIA", "MARIA LOPEZ"], listed)
    total = len(listed) + 2 + PSEUDO_NAMES
    traveller, listed_rarity = counts.pair_rarities(np.array([0]), np.array([0]))
    # MARIA: five other listed names and the other traveller; GARCIA: ANA GARCIA
    assert math.isclose(traveller[0], token_rarity(6, total) + token_rarity(1, total))
    assert math.isclose(listed_rarity[0], traveller[0])


def test_tokens_past_the_two_commonest_count_half_and_initials_not_at_all() -> None:
    listed = ["ANNA MARIA LOPEZ"] + ["ANNA B"] * 3 + ["MARIA C"] * 9
    counts = counts_of(["ANNA MARIA LOPEZ J"], listed)
    total = len(listed) + 1 + PSEUDO_NAMES
    traveller, _ = counts.pair_rarities(np.array([0]), np.array([0]))
    # commonest first: MARIA (9 others), ANNA (3), then LOPEZ (none) at half; J is an initial
    expected = token_rarity(9, total) + token_rarity(3, total) + UNSEEN / 2
    assert math.isclose(traveller[0], expected)


def test_no_name_without_tokens_is_rare() -> None:
    counts = counts_of([""], ["ANNA LOPEZ"])
    assert counts.least_rarity()[0] == 0.0


NAMES = st.lists(
    st.lists(st.sampled_from(["ANNA", "LOPEZ", "MARIA", "J", "GARCIA", "LI", "WU"]), max_size=4),
    min_size=1,
    max_size=6,
).map(lambda names: [" ".join(tokens) for tokens in names])


@settings(max_examples=200, deadline=None)
@given(travellers=NAMES, listed=NAMES)
def test_no_pair_is_rarer_than_its_travellers_least_rarity(
    travellers: list[str], listed: list[str]
) -> None:
    # what a traveller needs is taken at this floor (the needs table): no pair may be rarer
    counts = counts_of(travellers, listed)
    query, names = (
        a.ravel() for a in np.meshgrid(np.arange(len(travellers)), np.arange(len(listed)))
    )
    traveller, _ = counts.pair_rarities(query, names)
    floor = counts.least_rarity()
    assert (traveller <= floor[query] + 1e-12).all()


def test_counts_are_read_from_both_sides() -> None:
    counts = counts_of(["WU LI", "WU MEI"], ["WU LI", "ZHOU LI"])
    batch: NameBatch = counts.batch
    wu = batch.vocab.index("WU")
    assert counts.batch_counts[wu] == 3  # two travellers, one listed name
    ids, travelling = counts.travelling
    li = counts.listed.vocab.index("LI")
    assert counts.listed_counts[li] == 2 and travelling[list(ids).index(li)] == 1


def test_skeletal_counts_count_readings_as_names_count_tokens() -> None:
    # DARIA, DORA and DERYA are all DR; AMINA, MINA and AMINI all MN: as an Arabic-script name
    # is compared with them, each reading is as common as all the tokens read so
    listed = ["DARIA AMINA", "DORA MINA", "DERYA KHAN", "أيمن الدوري"]
    names = name_batch(listed)
    counts = np.bincount(names.tokens, minlength=len(names.vocab)).astype(np.float64)
    skeletal = SkeletalCounts.of(names, counts, len(listed))
    assert set(skeletal.listed.vocab) == {abjad_reading(t) for t in names.vocab}
    held = dict(zip(skeletal.listed.vocab, skeletal.counts.tolist(), strict=True))
    assert held[abjad_reading("DERYA")] == 3.0  # DARIA, DORA, DERYA (الدوري is LDR)
    assert held[abjad_reading("AMINI")] == 3.0  # AMINA, MINA and أيمن
    read = skeletal.of_batch(name_batch(["DERYA AMINI"]))
    traveller, listed_rarity = read.pair_rarities(np.array([0]), np.array([3]))
    total = len(listed) + 1 + PSEUDO_NAMES
    # the pair's own names do not count: three other DR and two other MN; of the listed
    # name's, two other MN and no other LDR
    assert math.isclose(traveller[0], token_rarity(3, total) + token_rarity(2, total))
    assert math.isclose(listed_rarity[0], token_rarity(2, total) + UNSEEN)
    # read as tokens, DERYA and AMINI are held by no other name: rare
    plain = counts_of(["DERYA AMINI"], listed).pair_rarities(np.array([0]), np.array([3]))
    assert plain[0][0] > traveller[0]


@given(st.lists(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=3), min_size=1, max_size=6))
def test_a_name_and_its_reading_hold_a_token_once(names: list[list[str]]) -> None:
    # each name is also listed under a second reading: its first token read X
    readings = [["X", *name[1:]] for name in names]
    listed = name_batch([" ".join(name) for name in names + readings])
    held = [set(name) for name in names + readings]
    counts = np.array([sum(token in h for h in held) for token in listed.vocab])
    written = np.array(list(range(len(names))) * 2)
    once = [a | b for a, b in zip(held[: len(names)], held[len(names) :], strict=True)]
    expected = [sum(token in h for h in once) for token in listed.vocab]
    assert counted_once(listed, counts, written).tolist() == expected
