"""The name index: its arrays, its token keys, and its recall against brute force."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

import numpy as np
import numpy.typing as npt
import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from paxscreen.compare.names import _aligned, name_similarity, token_similarity
from paxscreen.config import ScreenConfig
from paxscreen.index import names as index_names
from paxscreen.index._name_bounds import _open_skeletons, _reading_shape, _Shapes
from paxscreen.index.names import (
    NameIndex,
    _Found,
    _held_products,
    _pair_keys,
    _PairFilter,
    _query_flags,
    _row_lengths,
    _token_bound,
    concat_ranges,
)
from paxscreen.normalize.names import NameBatch, NameTokens, name_batch, skeleton
from paxscreen.screen import Screener
from paxscreen.synth import ScenarioConfig, make_scenario


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5)), max_size=20))
def test_concat_ranges_is_the_concatenation_of_ranges(spans: list[tuple[int, int]]) -> None:
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    counts = np.array([c for _, c in spans], dtype=np.int64)
    expected = [k for s, c in spans for k in range(s, s + c)]
    assert concat_ranges(starts, counts).tolist() == expected


LETTERS = "ABDEFGHIKLMNORSTUVYZ"
TOKENS = st.text(alphabet=LETTERS, min_size=3, max_size=10)


@st.composite
def one_edit(draw: st.DrawFn) -> tuple[str, str]:
    """A token and a variant one substitution, insertion, deletion or transposition away."""
    token = draw(TOKENS)
    i = draw(st.integers(0, len(token) - 1))
    kind = draw(st.sampled_from(["sub", "ins", "del", "swap"]))
    letter = draw(st.sampled_from(LETTERS))
    if kind == "sub":
        variant = token[:i] + letter + token[i + 1 :]
    elif kind == "ins":
        variant = token[:i] + letter + token[i:]
    elif kind == "del":
        variant = token[:i] + token[i + 1 :]
    else:
        j = min(i + 1, len(token) - 1)
        variant = token[:i] + token[j] + token[i] + token[j + 1 :] if j > i else token
    return token, variant


@given(one_edit(), TOKENS)
def test_a_token_one_edit_away_is_found(pair: tuple[str, str], other: str) -> None:
    listed, variant = pair
    index = NameIndex(name_batch([f"{listed} {other}"]))
    assume(listed in index.names.vocab)  # not a title or a particle
    found, _ = index._similar_listed(variant)
    similar = token_similarity(variant, listed) >= index.min_token_similarity
    if len(variant) > 1 and similar:
        assert index.names.vocab.index(listed) in found.tolist()


def test_names_need_two_matching_tokens_unless_one_carries_them() -> None:
    listed = ["MOHAMMED ALI HASSAN", "MOHAMMED KHAN", "ALEKSANDROPOULOS", "JOHN SMITH"]
    index = NameIndex(name_batch(listed))
    q, found, _ = index.candidates(name_batch(["MOHAMMED RASHID", "ALI HASAN", "ALEXANDROPOULOS"]))
    pairs = {(int(a), listed[int(b)]) for a, b in zip(q, found, strict=True)}
    assert (0, "MOHAMMED KHAN") not in pairs  # one shared common token is not a name
    assert (1, "MOHAMMED ALI HASSAN") in pairs  # two tokens, one spelled differently
    assert (2, "ALEKSANDROPOULOS") in pairs  # one-token names match on their token


@pytest.mark.parametrize("seed", [11, 12])
def test_the_index_keeps_the_pairs_brute_force_would_report(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # many planted hits and hard negatives put many pairs above the review threshold
    config = ScenarioConfig(
        seed=seed,
        travellers=300,
        identities=1_500,
        documents=50,
        planted_share=0.4,
        hard_negative_share=0.2,
    )
    scenario = make_scenario(config)
    screener = Screener(scenario.watchlist, config=ScreenConfig(max_hits_per_traveller=1_000))
    indexed = screener.screen(scenario.travellers).hits
    listed = len(screener._names)

    def every_pair(
        queries: object, years: object = None, *, needed: object = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        travellers = len(queries)  # type: ignore[arg-type]
        return (
            np.repeat(np.arange(travellers, dtype=np.int64), listed),
            np.tile(np.arange(listed, dtype=np.int64), travellers),
            np.full(travellers * listed, np.nan),  # (none compared: the screener compares all)
        )

    monkeypatch.setattr(screener._index, "candidates", every_pair)
    brute = screener.screen(scenario.travellers).hits
    keys = ["record_id", "entry_id"]
    kept = brute.join(indexed, on=keys, how="semi").height
    assert brute.height >= 80
    assert kept / brute.height >= 0.995, brute.join(indexed, on=keys, how="anti").select(
        "traveller_name", "matched_name", "score"
    )
    assert indexed.join(brute, on=keys, how="anti").is_empty()  # nothing the comparator rejects
    assert pl.Series(indexed["score"]).is_between(0, 1).all()


_SYLLABLES = ["AN", "LI", "MA", "HAN", "NG", "YU", "WEI", "SH", "EL", "RA", "CH", "O", "I", "ZH"]
_SYLLABLES += ["LEE", "WONG", "CHEUNG", "ZHOU"]  # surname spellings (normalize._romanization)
_LISTED = [
    "VAN TIEN NGO",
    "EMMA MARIE DEJONGH",
    "WENJING WU",
    "YU HANG WEI",
    "PATRICIA MARIA ORTIZ",
    "ABDUL RAHMAN KHAN",
    "ABDULRAHMAN",
    "J SMITH",
    "MOHAMMED ALI HASSAN",
    "LI NA",
    "YUAN",
    "BU LU MU",
    "ZHANG WANG",
    "HUANG LI",
    "CH OW WEI",  # a surname split: read joined, a spelling of ZHOU
    "HU ANG LI",
    "MINH AN NGUYEN",  # read joined: MINHAN, near NHAN
    "JEAN PIERRE DUPONT",
]
_TOKENS = st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=3).map("".join)
#: Names from an abjad (compared on skeletons), and Latin words that do or do not match them.
_ABJAD = ["محمد علي", "عائشة حسن", "ابو بكر", "דוד לוי", "عبد الرحمن", "الحسن"]
_ABJAD_WORDS = ["MOHAMMED", "MUHAMAD", "ALI", "ALY", "AISHA", "HASAN", "HUSSEIN", "ABU", "BAKR"]
_ABJAD_WORDS += ["ABUBAKR", "DAVID", "DAVUD", "LEVI", "LEVY", "ABDUL", "RAHMAN", "ALHASSAN"]
_ABJAD_WORDS += ["MAHMOUD", "ALAWI", "BAKER", "DOV", "LIVIA", "S", "AL"]
#: Words a listed name's joined reading matches (ABDUL RAHMAN, MINH AN, JEAN PIERRE, BU LU MU).
_JOINED_WORDS = ["ABDULRAHMAN", "KHAN", "NHAN", "MINHAN", "NGUYEN", "JEANPIERRE", "BULUMU"]
_WORD = st.one_of(_TOKENS, st.sampled_from(_ABJAD_WORDS + _JOINED_WORDS))


@given(
    st.lists(st.lists(_WORD, min_size=1, max_size=4), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_the_bound_is_never_below_the_similarity(queries: list[list[str]], random: Random) -> None:
    # compounds both ways, short tokens, initials and one-token names, and names from an
    # abjad, against the comparator; several queries of different lengths bounded together,
    # as candidates does; names known only in part on either side
    tokens = queries[0]
    texts = [*_LISTED, *_ABJAD, " ".join(reversed(tokens)), " ".join(tokens[:-1]) or "X"]
    listed = name_batch(texts, partial=[random.random() < 0.3 for _ in texts])
    index = NameIndex(listed)
    batch = name_batch([NameTokens(tuple(q), partial=random.random() < 0.5) for q in queries])
    query = np.repeat(np.arange(len(queries), dtype=np.int64), len(listed))
    names = np.tile(np.arange(len(listed), dtype=np.int64), len(queries))
    bound = index._bounds(batch, query, names)[0]
    for q, i, b in zip(query.tolist(), names.tolist(), bound.tolist(), strict=True):
        similarity = name_similarity(batch.name(q), listed.name(i))
        assert similarity is not None
        assert b >= similarity - 1e-9, (batch.name(q).tokens, listed.name(i).tokens)


_WORDS = ["ANNA", "ANA", "HANNA", "MARIA", "MARINA", "NGUYEN", "UYEN", "NGUEN", "VAN", "PHAN"]
_WORDS += ["LI", "LEE", "WEI", "WAI", "ABDUL", "RAHMAN", "ABDULRAHMAN", "MINH", "AN", "NHAN", "K"]
_NAMES = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join)


@dataclass(frozen=True)
class _Case:
    """A small index with years of birth, a batch of queries with years, and the need of
    every (query, listed name) pair; names on either side may be known only in part."""

    index: NameIndex
    years: list[list[int]]
    queries: list[str]
    partial: list[bool]
    born: np.ndarray
    needs: np.ndarray

    def batch(self, which: slice = slice(None)) -> NameBatch:
        """The queries ``which`` as a batch."""
        return name_batch(self.queries[which], partial=self.partial[which])

    def needed(self, first: int = 0) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        """The needs of pairs of a batch starting at query ``first``."""
        return lambda query, names: self.needs[query + first, names]


@st.composite
def listed_and_queries(
    draw: st.DrawFn,
    listed_names: st.SearchStrategy[str] = _NAMES,
    query_names: st.SearchStrategy[str] = _NAMES,
) -> _Case:
    listed = draw(st.lists(listed_names, min_size=1, max_size=25))
    years = [
        draw(st.lists(st.sampled_from([-1, 1979, 1980, 1981, 1990, 2080]), min_size=1, max_size=2))
        for _ in listed
    ]
    years = [sorted(set(y)) for y in years]
    offsets = np.cumsum([0] + [len(y) for y in years]).astype(np.int64)
    values = np.array([v for y in years for v in y], dtype=np.int64)
    partial = draw(st.lists(st.booleans(), min_size=len(listed), max_size=len(listed)))
    index = NameIndex(name_batch(listed, partial=partial), years=(offsets, values))
    queries = draw(st.lists(query_names, min_size=1, max_size=6))
    known = draw(st.lists(st.booleans(), min_size=len(queries), max_size=len(queries)))
    born = np.array([draw(st.sampled_from([-1, 1980, 1990])) for _ in queries], dtype=np.int64)
    needs = np.array(
        draw(
            st.lists(
                st.sampled_from([0.5, 0.8, 0.85, 0.95, 1.1]),
                min_size=len(queries) * len(listed),
                max_size=len(queries) * len(listed),
            )
        )
    ).reshape(len(queries), len(listed))
    return _Case(index, years, queries, known, born, needs)


@given(listed_and_queries())
def test_a_batch_finds_what_each_of_its_queries_finds_alone(case: _Case) -> None:
    index, born = case.index, case.born
    q, found, _ = index.candidates(case.batch(), born, needed=case.needed())
    together = set(zip(q.tolist(), found.tolist(), strict=True))
    alone = set()
    for i in range(len(case.queries)):
        _, names, _ = index.candidates(
            case.batch(slice(i, i + 1)), born[i : i + 1], needed=case.needed(first=i)
        )
        alone |= {(i, n) for n in names.tolist()}
    assert together == alone
    assert q.tolist() == sorted(q.tolist())


@given(listed_and_queries())
def test_a_batch_served_in_parts_by_threads_finds_what_it_finds_whole(case: _Case) -> None:
    index, batch = case.index, case.batch()
    whole = index.candidates(batch, case.born, needed=case.needed())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_names, "_THREADS", 3)
        patch.setattr(index_names, "_PER_THREAD", 1)
        parts = index.candidates(batch, case.born, needed=case.needed())
    assert [a.tolist() for a in parts[:2]] == [a.tolist() for a in whole[:2]]
    np.testing.assert_array_equal(parts[2], whole[2])  # (NaN where not compared)


@given(listed_and_queries())
def test_the_year_channel_finds_names_born_within_a_year_sharing_a_token_or_a_join(
    case: _Case,
) -> None:
    index, queries, born = case.index, case.queries, case.born
    batch = name_batch(queries)
    found = index._found(batch)
    owner = np.repeat(np.arange(len(batch), dtype=np.int64), batch.lengths())
    q, names, _, same_year = index._year_names(batch, owner, _row_lengths(batch), born, found)
    expected = set()
    expected_same_year = set()
    for matches in (found.similar, found.joins):
        for row in np.unique(matches.row).tolist():
            query = int(owner[row])
            tokens = set(matches.listed[matches.row == row].tolist())
            if born[query] < 0:
                continue
            for name in range(len(index.names)):
                held = set(
                    index.names.tokens[
                        index.names.offsets[name] : index.names.offsets[name + 1]
                    ].tolist()
                )
                near = any(y >= 0 and abs(y - int(born[query])) <= 1 for y in case.years[name])
                if tokens & held and near and index._full[name] >= 2:
                    expected.add((query, name))
                    if int(born[query]) in case.years[name]:
                        expected_same_year.add((query, name))
    assert set(zip(q.tolist(), names.tolist(), strict=True)) == expected
    # (each pair is flagged born the same year wherever one of its postings is)
    flagged = zip(q[same_year].tolist(), names[same_year].tolist(), strict=True)
    assert set(flagged) == expected_same_year


@given(
    st.one_of(
        listed_and_queries(),
        listed_and_queries(
            st.one_of(_NAMES, st.sampled_from(_ABJAD), _WORD),
            st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
        ),
    )
)
def test_the_first_bounds_are_never_below_the_similarity(case: _Case) -> None:
    # they assume the keys find every two tokens at least min_token_similarity similar (a
    # query token, or two adjacent ones joined, and a listed token), and that no query token
    # is that similar to a joined reading of a longer listed name, which the keys never look
    # up (but for two tokens of a name from an abjad that a query token reads as exactly):
    # pairs where they miss one are left out here (the brute-force test above measures what
    # such misses cost; an initial is never more than a miss)
    index = case.index
    batch = case.batch()
    found = index._found(batch)
    flat = [batch.vocab[t] for t in batch.tokens.tolist()]
    matched = {(flat[r], v) for r, v in zip(found.similar.row, found.similar.listed, strict=True)}
    matched |= {
        (flat[r] + flat[r + 1], v) for r, v in zip(found.joins.row, found.joins.listed, strict=True)
    }
    query, names, bound = index._gathered(batch, case.born, found)
    assert query.tolist() == sorted(query.tolist())
    for q, i, b in zip(query.tolist(), names.tolist(), bound.tolist(), strict=True):
        tokens = batch.name(q).tokens
        readings = list(tokens) + [x + y for x, y in itertools.pairwise(tokens)]
        listed = index.names.tokens[index.names.offsets[i] : index.names.offsets[i + 1]]
        missed = any(
            (text, v) not in matched
            and len(text) > 1
            and _token_bound(text, index.names.vocab[v], bool(index._abjad_token[v]))
            >= index.min_token_similarity
            for text in readings
            for v in listed.tolist()
        )
        held = index.names.name(i).tokens
        if len(held) > len(tokens):
            joined = [x + y for x, y in itertools.pairwise(held)] + ["".join(held)] * (
                len(held) > 2
            )
            abjad = bool(index.names.abjad[i])
            missed = missed or any(
                len(text) > 1 and _token_bound(text, reading, abjad) >= index.min_token_similarity
                for text in tokens
                for reading in joined
            )
        similarity = name_similarity(batch.name(q), index.names.name(i))
        assert similarity is not None
        assert missed or b >= similarity - 1e-9, (tokens, held)


def test_a_longer_listed_name_keeps_its_first_bound_unless_a_reading_may_match() -> None:
    # its joined readings count as tokens the keys did not find (MARIAELENA is not similar
    # to ELENA or GARCYA), and so for a name from an abjad, but where a query token reads as
    # two of its tokens exactly (ABDULLAH as عبد الله, BD and L): that pair is bounded in
    # full, as are two initials (which the keys never look up)
    listed = ["MARIA ELENA LOPEZ GARCIA", "مريم علي حسن", "شيماء عبد الله", "J R GARCIA"]
    index = NameIndex(name_batch(listed))
    batch = name_batch(["ELENA GARCYA", "MARYAN ALI", "SHAIMAA ABDULLAH", "J GARCYA"])
    query, names, bound = index._gathered(batch, np.full(4, -1), index._found(batch))
    first = {(int(q), int(n)): b for q, n, b in zip(query, names, bound, strict=True)}
    for k in (0, 1):
        similarity = name_similarity(batch.name(k), index.names.name(k))
        assert similarity is not None
        assert similarity <= first[k, k] < 1.0
    assert first[2, 2] == 1.0
    assert first[3, 3] == 1.0


def test_a_one_token_query_is_compared_with_a_longer_name_read_whole() -> None:
    # PHAN against VAN HANNA is 0.797: the listed name read as VANHANNA, compared as it is,
    # a string no key looked up; the year channel finds the pair through VAN, and its first
    # bound may not fall below that (a hypothesis example, in a clean clone's CI)
    years = (np.array([0, 1], dtype=np.int64), np.array([1979], dtype=np.int64))
    index = NameIndex(name_batch(["VAN HANNA"]), years=years)
    batch = name_batch(["PHAN"])
    query, names, bound = index._gathered(batch, np.array([1980]), index._found(batch))
    similarity = name_similarity(batch.name(0), index.names.name(0))
    assert similarity is not None and 0.79 < similarity < index.min_token_similarity
    assert (query.tolist(), names.tolist()) == ([0], [0])
    assert bound[0] >= similarity


def test_a_query_known_in_part_is_bounded_in_full_against_a_name_of_fewer_tokens() -> None:
    # MARIA ANNA ANNA, known only in part, against MARIA MARINA is 0.86: read with all its
    # tokens joined, MARIAANNAANNA (MRN) is 0.92 against MARINA (MRN), and MARIA, left over,
    # weighs a quarter. The keys never look that reading up, and the year channel bounded
    # the pair at 0.81 from MARIA alone (found by hypothesis with thousands of examples,
    # first as HANNA ANNA ANNA against HANNA MARIA)
    years = (np.array([0, 1], dtype=np.int64), np.array([1989], dtype=np.int64))
    index = NameIndex(name_batch(["MARIA MARINA"]), years=years)
    batch = name_batch(["MARIA ANNA ANNA"], partial=[True])
    query, names, bound = index._gathered(batch, np.array([1990]), index._found(batch))
    similarity = name_similarity(batch.name(0), index.names.name(0))
    assert similarity is not None and similarity > 0.85
    assert (query.tolist(), names.tolist()) == ([0], [0])
    assert bound[0] >= similarity
    # and it is kept given a need it reaches
    q, found, _ = index.candidates(
        batch, np.array([1990]), needed=lambda q, _: np.full(len(q), similarity - 0.01)
    )
    assert (q.tolist(), found.tolist()) == ([0], [0])


def _candidate_pairs(listed: list[str], queries: list[str]) -> set[tuple[str, str]]:
    """(query, listed name) of every candidate pair of a small index, by text."""
    q, found, _ = NameIndex(name_batch(listed)).candidates(name_batch(queries))
    return {(queries[a], listed[b]) for a, b in zip(q.tolist(), found.tolist(), strict=True)}


@given(listed_and_queries(), st.data())
def test_the_pair_channel_leaves_out_only_pairs_whose_rows_all_need_too_much(
    case: _Case, data: st.DataObject
) -> None:
    # each listed name stands for one to three identities (rows), each needing its own
    # similarity of each query: the pair channel reads the rows with its postings and leaves
    # out the pairs none of whose rows its bound reaches; what comes out is what the needs
    # of whole pairs (the least of their rows) keep from everything the channels gather
    names, batch = case.index.names, case.batch()
    per_name = data.draw(st.lists(st.integers(1, 3), min_size=len(names), max_size=len(names)))
    offsets = np.cumsum([0, *per_name]).astype(np.int64)
    codes = data.draw(st.permutations(range(offsets[-1]))).copy()
    index = NameIndex(
        names,
        years=(np.cumsum([0] + [len(y) for y in case.years]), np.concatenate(case.years)),
        rows=(offsets, np.array(codes, dtype=np.int32)),
    )
    row_needs = np.array(
        data.draw(
            st.lists(
                st.sampled_from([0.5, 0.76, 0.8, 0.85, 0.95, 1.0, 1.1]),
                min_size=len(batch) * int(offsets[-1]),
                max_size=len(batch) * int(offsets[-1]),
            )
        )
    ).reshape(len(batch), -1)

    def needed(query: np.ndarray, code: np.ndarray) -> np.ndarray:
        return row_needs[query, code]

    query, found, _ = index.candidates(batch, case.born, needed=needed)
    # the same without the pair channel's reading of rows
    every = index._found(batch)
    q, n, first = index._gathered(batch, case.born, every)
    need = np.maximum(index._needs(q, n, needed), index.min_name_similarity)
    assert need.tolist() == [
        max(min(row_needs[a, codes[offsets[b] : offsets[b + 1]]]), index.min_name_similarity)
        for a, b in zip(q.tolist(), n.tolist(), strict=True)
    ]
    some = np.flatnonzero((need <= first + 1e-9) & (first >= index.min_name_similarity - 1e-9))
    bound = index._bounds(batch, q[some], n[some], every, need[some])[0]
    keep = some[bound >= need[some] - 1e-9]
    assert query.tolist() == q[keep].tolist()
    assert found.tolist() == n[keep].tolist()


def _pair_names(
    index: NameIndex,
    queries: NameBatch,
    owner: npt.NDArray[np.int64],
    found: _Found,
    needed: Callable[[npt.NDArray[np.int64], npt.NDArray[np.int32]], npt.NDArray[np.float64]]
    | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The pair channel's pairs and bounds for ``queries`` (each token's query ``owner``)."""
    row_lengths = _row_lengths(queries)
    flags = _query_flags(queries, row_lengths[0], owner)
    return index._pair_names(queries, owner, row_lengths, flags, found, needed)


def test_a_joined_reading_the_keys_never_looked_up_is_a_miss_of_the_first_bound() -> None:
    # ANNA and MARINA match two tokens of ANNA MAR ANNA at a bound of 0.91, but the listed
    # name read with MAR ANNA joined is 0.95 similar: the keys never look up a listed name's
    # joined readings, so the bound takes that one for a token they did not find, and a need
    # of 0.94 leaves the pair out (the brute-force test measures what such misses cost)
    listed = name_batch(["ANNA MAR ANNA", "JOHN SMITH"])
    queries = name_batch(["ANNA MARINA"])
    index = NameIndex(listed)
    owner = np.zeros(2, dtype=np.int64)
    *_, bound = _pair_names(index, queries, owner, index._found(queries))
    similarity = name_similarity(queries.name(0), listed.name(0))
    assert similarity is not None and 0.90 < bound.max() < 0.94 < similarity
    for need, kept in ((0.90, [0]), (0.94, [])):
        _, found, _ = index.candidates(
            queries, needed=lambda q, _, need=need: np.full(len(q), need)
        )
        assert found.tolist() == kept


def test_a_join_bounds_only_the_reading_it_is_in() -> None:
    # ABDUL RAHMAN joined matches ABDULRAHMAN: with KHAN (0.96 KHANN) it bounds the query read
    # with those two joined at the mean of their credits, which is that reading's similarity
    # here; the comparator reads it against a listed name of fewer tokens only: of as many
    # (ABDULRAHMAN KHANN ALI, 0.45) it reads the tokens as they are, where only KHAN matches
    listed = name_batch(["ABDULRAHMAN KHANN", "ABDULRAHMAN KHANN ALI", "JOHN SMITH"])
    queries = name_batch(["ABDUL RAHMAN KHAN"])
    index = NameIndex(listed)
    owner = np.zeros(3, dtype=np.int64)
    found = index._found(queries)
    query, names, bound = _pair_names(index, queries, owner, found)
    similarity = name_similarity(queries.name(0), listed.name(0))
    assert similarity is not None
    assert (query.tolist(), names.tolist()) == ([0], [0])
    assert similarity <= bound[0] < similarity + 0.001
    # a need above the bound leaves the pair out
    *_, bound = _pair_names(index, queries, owner, found, lambda q, _: np.full(len(q), 0.995))
    assert bound.tolist() == []


def test_a_pair_below_the_name_floor_is_found_only_where_its_needs_ask_for_less() -> None:
    # YIJUN GU against YIJUN KOO is 0.67, and only YIJUN matches (the year channel finds
    # it): below min_name_similarity, down to min_dated_similarity, a pair is returned where
    # the caller needs less of it (a full date of birth agrees: the first name's identity,
    # row 0), not where it needs the floor (the second's, born a year later)
    listed = name_batch(["YIJUN KOO", "YIJUN KOO", "JOHN SMITH"])
    queries = name_batch(["YIJUN GU"])
    years = (np.array([0, 1, 2, 3]), np.array([1975, 1976, 1975]))
    index = NameIndex(listed, years=years, min_name_similarity=0.74, min_dated_similarity=0.65)
    similarity = name_similarity(queries.name(0), listed.name(0))
    assert similarity is not None and 0.65 < similarity < 0.74
    query, found, _ = index.candidates(
        queries, np.array([1975]), needed=lambda q, code: np.where(code == 0, 0.65, 0.74)
    )
    assert (query.tolist(), found.tolist()) == ([0], [0])
    # without needs, every pair's floor is min_name_similarity
    assert index.candidates(queries, np.array([1975]))[0].tolist() == []


def test_a_join_against_a_name_from_an_abjad_is_not_bounded_by_its_latin_reading() -> None:
    # the keys find MY OANH joined, MYOANH, against منى (MN) read on skeletons (read as Latin
    # it is not similar: two skeletons of two letters of tokens far apart in length); the
    # comparator joins the skeletons M and N, which is منى's: the pairs are 1.0 similar, one
    # found by the pair channel (LE and لي, L), one by the year channel (B is an initial,
    # which the keys do not look up); bounds from the join's credit left them out below a need
    # of 0.99 (the first a hit on the 1M benchmark flight)
    listed = name_batch(["منى لي", "منى ب", "JOHN SMITH"])
    queries = name_batch(["MY OANH LE", "MY OANH B"])
    for k in range(2):
        assert name_similarity(queries.name(k), listed.name(k)) == 1.0
    index = NameIndex(listed, years=(np.array([0, 1, 2, 3]), np.array([1971, 1971, 1980])))
    query, found, _ = index.candidates(
        queries, np.array([1971, 1971]), needed=lambda q, _: np.full(len(q), 0.99)
    )
    assert (query.tolist(), found.tolist()) == ([0, 1], [0, 1])


def test_names_are_found_through_the_ends_of_tokens_and_of_joins() -> None:
    # NGUYEN/UYEN (a shifted start), MINH AN joined against NHAN, WEI/WAI (0.8 in floating
    # point, 0.7999999999999999)
    listed = ["UYEN PHAN", "NHAN NGUYEN", "WAI ZHANG", "JOHN SMITH"]
    queries = ["VAN LONG NGUYEN", "MINH AN NGUYEN", "JIANGUO WEI"]
    assert _candidate_pairs(listed, queries) == {
        ("VAN LONG NGUYEN", "UYEN PHAN"),
        ("MINH AN NGUYEN", "NHAN NGUYEN"),
        ("JIANGUO WEI", "WAI ZHANG"),
    }


def test_tokens_sharing_their_first_four_letters_find_each_other() -> None:
    # Jaro-Winkler's bonus for a shared start: JIANG and JIANPING are 0.925 similar, IOANNA
    # and IOANNAKIS 0.933, yet share no skeleton, deletion or end (and JIANG's first four
    # letters are not a name of three letters or fewer)
    pairs = [("JIANG", "JIANPING"), ("IOANNA", "IOANNAKIS"), ("HABIB", "HABIBFAR")]
    index = NameIndex(name_batch([listed for _, listed in pairs]))
    for query, listed in pairs:
        assert token_similarity(query, listed) >= index.min_token_similarity
        found, _ = index._similar_listed(query)
        assert listed in {index.names.vocab[v] for v in found.tolist()}, (query, listed)


def test_the_bound_of_names_of_as_many_tokens_is_exact_where_tokens_pair_up() -> None:
    # exact token similarities (found by keys or computed where the letters allow a credit):
    # when each token's best match is its partner, the bound is the similarity itself
    listed = name_batch(["MARTHA GOMES", "JOHANNES PETER KRAUS", "ELENA WIDMANN"])
    index = NameIndex(listed)
    queries = name_batch(["MARTA GOMEZ", "JOHANN PETRA KRAUSE", "HELENA WEIDMAN"])
    every = np.arange(3, dtype=np.int64)
    bound = index._bounds(queries, every, every)[0]
    for k in range(3):
        similarity = name_similarity(queries.name(k), listed.name(k))
        assert similarity is not None
        assert bound[k] == pytest.approx(similarity, abs=1e-9)


@given(
    st.lists(st.lists(_TOKENS, min_size=1, max_size=4), min_size=1, max_size=3),
    st.sampled_from([0.5, 0.75, 0.85, 0.95]),
)
def test_a_bound_given_the_need_keeps_the_same_pairs(queries: list[list[str]], need: float) -> None:
    # given what each pair needs, the exact similarities are only computed where the letters'
    # bound reaches it: the pairs kept are those the fully computed bound keeps
    tokens = queries[0]
    texts = [*_LISTED, " ".join(reversed(tokens)), " ".join(tokens[:-1]) or "X"]
    listed = name_batch(texts, partial=[k % 3 == 0 for k in range(len(texts))])
    index = NameIndex(listed)
    batch = name_batch([NameTokens(tuple(q), partial=k % 2 == 0) for k, q in enumerate(queries)])
    query = np.repeat(np.arange(len(queries), dtype=np.int64), len(listed))
    names = np.tile(np.arange(len(listed), dtype=np.int64), len(queries))
    needs = np.full(len(query), need)
    full = index._bounds(batch, query, names)[0]
    staged = index._bounds(batch, query, names, need=needs)[0]
    assert ((staged >= needs - 1e-9) == (full >= needs - 1e-9)).all()
    assert (staged >= full - 1e-9).all()


def test_a_joined_reading_that_spells_a_known_surname_is_not_dropped_given_a_need() -> None:
    # the surname table credits CH OW read as CHOW, a spelling of ZHOU, which letters cannot
    # bound: given a need, the first bound from letters must not drop the pair
    queries = name_batch(["ZHOU WEI", "WONG LI"])
    listed = name_batch(["CH OW WEI", "HU ANG LI", *_LISTED])
    index = NameIndex(listed)
    pairs = np.arange(2, dtype=np.int64)
    similarity = index._bounds(queries, pairs, pairs)[0]  # (no need: the exact similarity)
    assert (similarity > 0.95).all()
    staged = index._bounds(queries, pairs, pairs, need=np.full(2, 0.9))[0]
    assert (staged >= 0.9).all()


#: Letters that rules of the skeleton read across the seam of two joined tokens (digraphs, a
#: soft C, a final H), vowels, and letters that no rule reads with another.
_SEAM_LETTERS = "AEIYWHSCTPKGDZJQXVBNLM"


@given(st.lists(st.text(alphabet=_SEAM_LETTERS, min_size=1, max_size=4), min_size=2, max_size=4))
def test_joined_readings_are_shaped_from_their_tokens_as_their_strings_are(
    tokens: list[str],
) -> None:
    # the bounds read a listed name's joined readings from its tokens' shapes, without making
    # the strings: exactly (the skeleton too: open skeletons run together, a repeated letter
    # at the seam once, a final H kept inside and dropped at the end), except where a rule of
    # the skeleton may read across a seam (a digraph, a soft C), which the bound tests cover
    names = NameIndex(name_batch([" ".join(tokens)])).names
    side = NameIndex(names)._listed()
    count = int(names.lengths()[0])
    assume(count > 0)  # (MS MX are titles: no name is left, and no reading to read)
    flat = names.tokens.astype(np.int64)
    for a, b in [(k, k + 1) for k in range(count - 1)] + [(0, count - 1)]:
        shape, slack, exact = _reading_shape(side.sizes, side.bits, flat, 0, a, b)
        text = "".join(names.vocab[t] for t in flat[a : b + 1].tolist())
        sizes, bits = _Shapes.of([text]).packed()
        if exact:
            assert [int(x) for x in shape] == [*sizes[0].tolist(), *bits[0].tolist()], text
            assert slack == 0


@given(st.lists(st.text(alphabet=_SEAM_LETTERS, min_size=1, max_size=6), max_size=8))
def test_open_skeletons_are_skeletons_keeping_a_final_h(tokens: list[str]) -> None:
    # made together, as each inside a longer string: a B after it (which no rule of the
    # skeleton reads with another letter) is the skeleton's last letter, not a final H
    for token, opened in zip(tokens, _open_skeletons(tokens), strict=True):
        marked = skeleton(token + "B")
        assert opened == (marked if marked == skeleton(token) else marked[:-1])
        assert skeleton(token) in (opened, opened[:-1])


def test_joined_readings_are_exact_unless_a_rule_reads_across_a_seam() -> None:
    cases = {
        ("MINH", "VU"): True,  # MNH + F: a final H kept inside
        ("IBRAHIM", "MUSTAFA"): True,  # BRHM + MSTF: one M
        ("ANNA", "NADIA"): True,  # N + ND: one N, across vowels
        ("KAMEL", "SALIH"): True,  # KML + SLH: one L, and the final H dropped
        ("AHMED", "HADDAD"): False,  # DH: a digraph across the seam
        ("NGOC", "YEN"): False,  # a soft C
        ("DH", "ZHAO"): False,  # DH, then ZH, then DJ
    }
    for tokens, exact in cases.items():
        names = name_batch([" ".join(tokens)])
        side = NameIndex(names)._listed()
        flat = names.tokens.astype(np.int64)
        assert _reading_shape(side.sizes, side.bits, flat, 0, 0, 1)[2] == exact, tokens


def test_listed_names_read_with_tokens_joined_are_bounded_and_kept() -> None:
    # the comparator reads the longer listed name with two tokens joined (ABDUL RAHMAN as
    # ABDULRAHMAN, MINH AN as MINHAN against NHAN, CH OW as CHOW, a spelling of ZHOU) or all
    # of them (BU LU MU against BULUMU): those readings lift the similarity far above the
    # tokens' own alignment, and the bound, given a need or not, is never below it
    listed = name_batch(
        ["ABDUL RAHMAN KHAN", "MINH AN NGUYEN", "BU LU MU", "CH OW WEI", "JEAN PIERRE DUPONT"]
    )
    queries = name_batch(["ABDULRAHMAN KHAN", "NHAN NGUYEN", "BULUMU", "ZHOU WEI", "JEANPIERRE"])
    index = NameIndex(listed)
    pairs = np.arange(len(listed), dtype=np.int64)
    similarity = np.array(
        [name_similarity(queries.name(k), listed.name(k)) for k in range(len(listed))]
    )
    as_is = [_aligned(queries.name(k).tokens, listed.name(k).tokens, False) for k in pairs]
    assert (similarity > np.array(as_is) + 0.1).all()
    assert (index._bounds(queries, pairs, pairs)[0] >= similarity - 1e-9).all()
    need = similarity - 0.01
    assert (index._bounds(queries, pairs, pairs, need=need)[0] >= need - 1e-9).all()
    # (the keys find the pairs whose query token cuts into two listed tokens; the others
    # share one token, which takes a year of birth)
    query, names, _ = index.candidates(queries, needed=lambda q, n: need[q])
    assert set(zip(query.tolist(), names.tolist(), strict=True)) == {(0, 0), (4, 4)}


def test_tokens_looked_up_together_find_what_each_finds_alone() -> None:
    listed = name_batch([*_LISTED, "MUHAMMAD ALY", "ابو بكر", "ABDULRAHMAN NGUYEN", "ANA LI"])
    texts = ["MOHAMMED", "ALI", "ABUBAKR", "BAKR", "ABDUL", "RAHMAN", "NGUEN", "A", "LEE", "BK"]
    together = NameIndex(listed)._lookup("similar", texts)
    for text in texts:
        alone = NameIndex(listed)._similar_listed(text)
        assert together[text][0].tolist() == alone[0].tolist()
        assert together[text][1].tolist() == alone[1].tolist()
        assert all(
            s >= token_similarity(text, listed.vocab[v])
            for v, s in zip(*together[text], strict=True)
        )


def test_spellings_of_one_surname_find_each_other() -> None:
    # a Hong Kong or Korean passport against the list's Pinyin: no letters in common to key on
    listed = ["ZHANG JIAQI", "LI DAN", "HUANG WEI MING", "JOHN SMITH"]
    queries = ["JIAQI CHEUNG", "DAN RHEE", "WEI MING WONG"]
    assert _candidate_pairs(listed, queries) == {
        ("JIAQI CHEUNG", "ZHANG JIAQI"),
        ("DAN RHEE", "LI DAN"),
        ("WEI MING WONG", "HUANG WEI MING"),
    }


def test_a_one_letter_skeleton_from_an_abjad_is_a_word_not_an_initial() -> None:
    # عائشة (AISHA) keeps one consonant, S; a Latin S is an initial, which AISHA is not
    listed = ["عائشة حسن", "S HASSAN", "JOHN SMITH"]
    assert _candidate_pairs(listed, ["AISHA HASSAN"]) == {("AISHA HASSAN", "عائشة حسن")}


def test_names_from_an_abjad_are_kept_only_where_they_can_reach_the_need() -> None:
    # compared on skeletons: MOHAMMED ALI and MAHMOUD ALI are both محمد علي (MHMD L), ABUBAKR
    # joins ابو بكر; a different given or family name cannot reach a need of 0.9
    listed = ["محمد علي", "عائشة حسن", "ابو بكر", "אברהם כהן", "JOHN SMITH"]
    queries = ["MOHAMMED ALI", "MAHMOUD ALI", "AISHA HASAN", "ABUBAKR", "AVRAHAM COHEN"]
    queries += ["AVRAHAM HASAN", "MOHAMMED HASAN", "AISHA COHEN", "ABU HASAN", "AVRAHAM"]
    index = NameIndex(name_batch(listed))
    batch = name_batch(queries)
    q, found, _ = index.candidates(batch, needed=lambda query, _: np.full(len(query), 0.9))
    pairs = {(queries[a], listed[b]) for a, b in zip(q.tolist(), found.tolist(), strict=True)}
    reaching = set()
    for a, query in enumerate(queries):
        for b, name in enumerate(listed):
            similarity = name_similarity(batch.name(a), index.names.name(b))
            if similarity is not None and similarity >= 0.9:
                reaching.add((query, name))
    assert pairs == reaching
    assert reaching == {
        ("MOHAMMED ALI", "محمد علي"),
        ("MAHMOUD ALI", "محمد علي"),
        ("AISHA HASAN", "عائشة حسن"),
        ("ABUBAKR", "ابو بكر"),
        ("AVRAHAM COHEN", "אברהם כהן"),
        ("AVRAHAM", "אברהם כהן"),  # FRHM against the listed name joined, FRHMKN
    }


PAIRS = st.lists(st.tuples(st.integers(0, 999), st.integers(0, 999)), max_size=300)


def _sieve(pairs: list[tuple[int, int]], size: int = 1000) -> _PairFilter:
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    return _PairFilter.of(_pair_keys(a, b, size, every=False), size)


def _passed(sieve: _PairFilter, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether the sieve passes the pair of tokens ``a[i]`` and ``b[i]``, each pair alone."""
    single = np.arange(len(a), dtype=np.int64)
    ones = np.ones(len(a), dtype=np.int64)
    passed = np.zeros(len(a), dtype=bool)
    at, _, _ = _held_products(sieve, a, single, ones, b, single, ones)
    passed[at] = True
    return passed


def _bit(sieve: _PairFilter, a: int, b: int) -> bool:
    """The sieve's bit of the pair of tokens ``a`` and ``b`` in ``a``'s region, read in plain
    Python."""
    sign_a, sign_b = (int(x) for x in _PairFilter.signs(np.array([a, b], dtype=np.int64)))
    region, end = int(sieve.start[a]), int(sieve.start[a + 1])
    at = region + (((sign_a + sign_b) % 2**64) >> 32) * (end - region) // 2**32
    return bool(int(sieve.bits[at >> 3]) >> (at & 7) & 1)


@given(PAIRS, PAIRS)
def test_pair_filter_passes_every_pair_of_its_set(
    held: list[tuple[int, int]], other: list[tuple[int, int]]
) -> None:
    """The sieve before the pair keys' search never drops a pair of the set, in either order."""
    sieve = _sieve(held)
    a = np.array([p[0] for p in held + other], dtype=np.int64)
    b = np.array([p[1] for p in held + other], dtype=np.int64)
    for x, y in ((a, b), (b, a)):
        assert _passed(sieve, x, y)[: len(held)].all()


def test_pair_filter_drops_most_other_pairs() -> None:
    """32 bits per pair in each token's region: about 3% of other pairs of tokens the set holds
    pass, also those of a token in thousands of pairs (a sieve that passes everything would be
    correct and useless)."""
    rng = np.random.default_rng(5)
    size = 200_000
    hub = rng.integers(0, size, size=5_000)  # token 7 is in 5,000 pairs
    held = np.unique(np.concatenate([rng.integers(0, size**2, size=50_000), 7 * size + hub]))
    sieve = _PairFilter.of(held, size)
    seen = np.unique(np.concatenate(np.divmod(held, size)))
    for low in (rng.choice(seen, size=200_000), np.full(200_000, 7)):
        high = rng.choice(seen, size=len(low))
        other = ~np.isin(np.minimum(low, high) * size + np.maximum(low, high), held)
        assert _passed(sieve, low[other], high[other]).mean() < 0.05
    assert _passed(sieve, held[:0], held[:0]).shape == (0,)


SPAN = st.tuples(st.integers(0, 20), st.integers(0, 4))


@given(
    st.lists(st.tuples(SPAN, SPAN)),
    st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=30),
    st.lists(st.integers(0, 99), min_size=25, max_size=25),
)
def test_held_products_are_the_products_the_sieve_passes(
    spans: list[tuple[tuple[int, int], tuple[int, int]]],
    held: list[tuple[int, int]],
    tokens: list[int],
) -> None:
    """Every (i, j, k) of the ranges' products, in order, whose tokens the sieve may hold (so
    every one whose tokens it holds)."""
    sieve = _sieve([(tokens[i], tokens[j]) for i, j in held], size=100)
    first_a, count_a, first_b, count_b = (
        np.array([span[side][c] for span in spans], dtype=np.int64)
        for side in (0, 1)
        for c in (0, 1)
    )
    products = [
        (i, j, k)
        for k, ((fa, ca), (fb, cb)) in enumerate(spans)
        for i in range(fa, fa + ca)
        for j in range(fb, fb + cb)
    ]
    ids = np.array(tokens, dtype=np.int64)
    expected = [p for p in products if _bit(sieve, tokens[p[0]], tokens[p[1]])]
    at_a, at_b, pair = _held_products(sieve, ids, first_a, count_a, ids, first_b, count_b)
    got = list(zip(at_a.tolist(), at_b.tolist(), pair.tolist(), strict=True))
    assert got == expected
    pairs = {frozenset((tokens[i], tokens[j])) for i, j in held}
    assert {p for p in products if frozenset((tokens[p[0]], tokens[p[1]])) in pairs} <= set(got)
