"""The name index: its arrays, its token keys, and its recall against brute force."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from paxscreen.compare.names import name_similarity, token_similarity
from paxscreen.config import ScreenConfig
from paxscreen.index.names import NameIndex, _Matches, concat_ranges
from paxscreen.normalize.names import NameTokens, name_batch
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
    _, found, _ = index._similar_tokens((variant,))
    similar = token_similarity(variant, listed) >= index.min_token_similarity
    if len(variant) > 1 and similar:
        assert index.names.vocab.index(listed) in found.tolist()


def test_names_need_two_matching_tokens_unless_one_carries_them() -> None:
    listed = ["MOHAMMED ALI HASSAN", "MOHAMMED KHAN", "ALEKSANDROPOULOS", "JOHN SMITH"]
    index = NameIndex(name_batch(listed))
    q, found = index.candidates(name_batch(["MOHAMMED RASHID", "ALI HASAN", "ALEXANDROPOULOS"]))
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
    ) -> tuple[np.ndarray, np.ndarray]:
        travellers = len(queries)  # type: ignore[arg-type]
        return (
            np.repeat(np.arange(travellers, dtype=np.int64), listed),
            np.tile(np.arange(listed, dtype=np.int64), travellers),
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
]
_TOKENS = st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=3).map("".join)


@given(st.lists(_TOKENS, min_size=1, max_size=4))
def test_the_bound_is_never_below_the_similarity(tokens: list[str]) -> None:
    # compounds both ways, short tokens, initials and one-token names, against the comparator
    listed = name_batch([*_LISTED, " ".join(reversed(tokens)), " ".join(tokens[:-1]) or "X"])
    index = NameIndex(listed)
    query = tuple(tokens)
    joins, splits, _ = index._compound_tokens(query)
    names = np.arange(len(listed), dtype=np.int64)
    bound = index._bound(names, query, _Matches(*index._similar_tokens(query)), joins, splits)
    for i in names.tolist():
        similarity = name_similarity(NameTokens(query), listed.name(i))
        assert similarity is not None
        assert bound[i] >= similarity - 1e-9, (query, listed.name(i).tokens)
