"""Name similarity: table-driven cases and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

import paxscreen.compare.names as names_module
from paxscreen.compare.names import (
    _SLIPPED,
    _abjad_similarities,
    _abjad_similarity,
    _abjad_skeleton,
    _scorers,
    _slip,
    _string_similarity,
    _Strings,
    name_similarity,
    name_similarity_pairs,
    token_similarity,
)
from paxscreen.normalize.names import NameTokens, name_batch, name_tokens


def sim(a: str, b: str) -> float:
    value = name_similarity(name_tokens(a), name_tokens(b))
    assert value is not None
    return value


@pytest.mark.parametrize(
    ("a", "b", "low", "why"),
    [
        ("JOHN SMITH", "SMITH JOHN", 1.0, "order does not matter"),
        ("MOHAMMED AL HASHIMI", "MUHAMMAD AL-HASHIMI", 0.9, "transliteration variant"),
        ("OLEKSANDR SHEVCHENKO", "ALEKSANDR SHEVCHENKO", 0.85, "Ukrainian / Russian form"),
        ("ABDUL RAHMAN KHAN", "ABDULRAHMAN KHAN", 0.97, "compound joined"),
        ("LI XIAOMING", "LI XIAO MING", 0.97, "compound split"),
        ("IVAN PETROVICH SIDOROV", "IVAN SIDOROV", 0.8, "patronymic missing"),
        ("MARIA GARCIA", "MARIA GRACIA", 0.85, "one typo"),
        ("J SMITH", "JOHN SMITH", 0.8, "initial"),
        ("Владимир Путин", "VLADIMIR PUTIN", 0.99, "Cyrillic on one side"),
        ("محمد علي", "MOHAMED ALI", 0.9, "Arabic script on one side"),
        ("زهرا حسینی", "ZAHRA HOSSEINI", 0.99, "Persian script: Z then H, not ZH"),
        ("זהבי", "ZAHAVI", 0.99, "Hebrew script: Z then H, not ZH"),
        ("אוריאול", "AURIOL", 0.99, "Hebrew script: ו a vowel"),
        ("צ'ין", "CHIN", 0.99, "Hebrew script: צ with a geresh is CH"),
        ("张伟", "ZHANG WEI", 0.99, "Han on one side"),
        ("ABD AL-HAMID AL-MASLI", "ADB AL-HAMID AL-MASLI", 0.95, "neighbours swapped, short token"),
        ("HAN YU-RO", "HAN YYU-RO", 0.95, "a doubled letter in a short token"),
        ("OMAR FAROUK", "UMAR FAROUK", 0.95, "skeletons of two letters, tokens as long"),
        ("MINH LAN FAN", "MINH LAN PHAN", 0.95, "skeletons of two letters, one letter apart"),
        ("YUSUF ALI", "YOUSSEF ALI", 0.9, "skeletons of two letters, tokens already close"),
        ("ONYINYE TRAORE", "ONYINYE TARAWALLY", 0.85, "a skeleton of two letters and one of three"),
    ],
)
def test_same_person_scores_high(a: str, b: str, low: float, why: str) -> None:
    assert sim(a, b) >= low, why


@pytest.mark.parametrize(
    ("a", "b", "high", "why"),
    [
        ("JOHN SMITH", "JOHN BROWN", 0.6, "only the given name agrees"),
        ("MOHAMMED", "MOHAMMED KHAN", 0.87, "one shared token of two: review at most"),
        ("TARIQ ANWAR MOHAMED", "TARIQ ANWAR AHMED", 0.95, "one name differs"),
        ("ANNA MUELLER", "PETER SCHMIDT", 0.2, "unrelated"),
        ("TUAN NGUYEN", "THI UYEN NGUYEN", 0.75, "TUAN and THIUYEN are both TN, and far apart"),
        ("YUCHEN LI", "LI CHIN", 0.75, "YUCHEN and CHIN are both CN, and far apart"),
        ("BICH VIEN", "BICH PHAN", 0.75, "syllables VIEN and PHAN are both FN, and unlike"),
        ("KUEN ZHANG", "QIAN ZHANG", 0.75, "syllables KUEN and QIAN are both KN, and unlike"),
    ],
)
def test_different_people_score_lower(a: str, b: str, high: float, why: str) -> None:
    assert sim(a, b) <= high, why


def test_a_name_known_only_in_part_lacks_tokens_without_differing() -> None:
    # a family name alone against the full name: the given names are unknown, not different;
    # but one shared family name where the given names differ is no name match
    family = name_tokens("KOWALCZYK")
    alone = NameTokens(family.tokens, partial=True)
    full = name_tokens("MARIA ELZBIETA KOWALCZYK")
    assert sim_of(family, full) < 0.74 < 0.84 < sim_of(alone, full) == sim_of(full, alone)
    assert sim_of(alone, name_tokens("MARIA KOWALCZYK")) > sim_of(
        family, name_tokens("MARIA KOWALCZYK")
    )
    # every token of the partial name must align: MARIA of MARIA NOWAK is left over
    two = NameTokens(name_tokens("MARIA NOWAK").tokens, partial=True)
    assert sim_of(two, full) == sim_of(name_tokens("MARIA NOWAK"), full)


def sim_of(a: NameTokens, b: NameTokens) -> float:
    value = name_similarity(a, b)
    assert value is not None
    return value


def test_unknown_names_are_none_not_zero() -> None:
    assert name_similarity(NameTokens(()), name_tokens("JOHN")) is None
    assert name_similarity(name_tokens(None), name_tokens(None)) is None


WORDS = st.lists(
    st.text(alphabet="ABCDEFGHIKLMNORSTUY", min_size=1, max_size=9), min_size=1, max_size=4
)


@given(WORDS, WORDS)
def test_similarity_is_symmetric_and_bounded(a: list[str], b: list[str]) -> None:
    x, y = NameTokens(tuple(a)), NameTokens(tuple(b))
    forward, backward = name_similarity(x, y), name_similarity(y, x)
    assert forward is not None and backward is not None
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward)


@given(WORDS)
def test_a_name_matches_itself_in_any_order(a: list[str]) -> None:
    x = NameTokens(tuple(a))
    assert name_similarity(x, NameTokens(tuple(reversed(a)))) == pytest.approx(1.0)


@given(
    st.text(alphabet="ABCDEFGHIKLMNORSTUY", min_size=1, max_size=12),
    st.text(alphabet="ABCDEFGHIKLMNORSTUY", min_size=1, max_size=12),
)
def test_token_similarity_is_symmetric(a: str, b: str) -> None:
    assert token_similarity(a, b) == pytest.approx(token_similarity(b, a))


SHORT = st.text(alphabet="ABLY", min_size=1, max_size=3)


@given(SHORT, SHORT)
def test_short_strings_see_one_slip_and_nothing_else(a: str, b: str) -> None:
    # Jaro's match window is zero for two or three letters; one letter wide for a slip of one
    # keystroke (exchanged neighbours, doubled letters), so only those score above rapidfuzz
    ours, theirs = _string_similarity(a, b), JaroWinkler.normalized_similarity(a, b)
    assert ours == pytest.approx(_string_similarity(b, a))
    if a != b and _slip(a, b):
        assert ours >= theirs - 1e-12
        assert ours >= 0.8 - 1e-9  # a slip in two or three letters is still a near match
    else:
        assert ours == pytest.approx(theirs)


@given(st.lists(st.tuples(*[st.text(alphabet="ABLYÉ张", max_size=3)] * 2), max_size=40))
def test_slips_over_arrays_are_the_scalar_slips(pairs: list[tuple[str, str]]) -> None:
    # exchanged neighbours, doubled letters, and neither (equal strings are no slip)
    pairs += [("AB", "BA"), ("ABL", "ALB"), ("ABL", "BLA"), ("ABL", "BAY"), ("AAB", "AB")]
    left, right = _Strings.of([a for a, _ in pairs]), _Strings.of([b for _, b in pairs])
    every = np.arange(len(pairs))
    expected = [a != b and _slip(a, b) for a, b in pairs]
    scorers = _scorers(left.packed(), every, right.packed(), every, -1.0)  # (no floor)
    assert (scorers == _SLIPPED).tolist() == expected


#: Tokens from an abjad: a leading L (the article), P (written B) and short ones.
ABJAD_TOKENS = st.text(alphabet="LPBMHDS", max_size=8)


@given(st.lists(st.tuples(ABJAD_TOKENS, ABJAD_TOKENS), min_size=1, max_size=40))
def test_abjad_similarities_over_arrays_are_the_scalar_ones(pairs: list[tuple[str, str]]) -> None:
    # strings repeat across pairs (each distinct one is read once), in any order of ids
    pairs += [("LMH", "MH"), ("SD", "LSD"), ("LPD", "BD"), ("LM", "M"), ("", "LMH")]
    strings = np.array(sorted({s for pair in pairs for s in pair}), dtype=object)
    at = {s: k for k, s in enumerate(strings.tolist())}
    ids_a = np.array([at[a] for a, _ in pairs], np.int64)
    ids_b = np.array([at[b] for _, b in pairs], np.int64)
    got = _abjad_similarities(strings, ids_a, strings, ids_b)
    for (a, b), value in zip(pairs, got.tolist(), strict=True):
        want = _abjad_similarity(_abjad_skeleton(a), _abjad_skeleton(b))
        if want >= 0.6:
            assert value == pytest.approx(want, abs=1e-12), (a, b)
        else:
            assert value < 0.6, (a, b)


# name_similarity_pairs: exactly the scalar's results, for many pairs at once

#: Few, short and related tokens, so that equal tokens, equal similarities (ties in the
#: alignment), initials, compounds and the abjad rules (P as B, a leading L) come up often.
PAIR_TOKENS = st.one_of(
    st.sampled_from(
        [
            "A", "B", "L", "M", "AB", "BA", "ABA", "BAB", "ALI", "ALY", "LALI", "LMHMD", "MHMD",
            "MOHAMED", "MUHAMMAD", "AHMED", "HASAN", "HASSAN", "ABDUL", "RAHMAN", "ABDULRAHMAN",
            "PAUL", "BAUL", "PETER", "BETER", "MOHAMEDALI", "ABDULRAHMANKHAN", "KHAN",
            "ABB", "AAB", "BBA", "ALB", "LAB", "MH", "MMH", "HM",
        ]
    ),
    st.text(alphabet="ABLPHEMS", min_size=1, max_size=14),
)  # fmt: skip
PAIR_NAMES = st.builds(
    NameTokens,
    st.lists(PAIR_TOKENS, max_size=7).map(tuple),
    st.sampled_from([False, False, True]),
    st.booleans(),  # known only in part
)


def assert_pairs_match_scalar(left: list[NameTokens], right: list[NameTokens]) -> None:
    """Every left name against every right name (tokens shared across many pairs)."""
    left_index, right_index = np.divmod(np.arange(len(left) * len(right)), len(right))
    got = name_similarity_pairs(name_batch(left), name_batch(right), left_index, right_index)
    assert got.dtype == np.float64 and got.shape == left_index.shape
    for k, (i, j) in enumerate(zip(left_index, right_index, strict=True)):
        want = name_similarity(left[i], right[j])
        if want is None:
            assert np.isnan(got[k]), (left[i], right[j])
        else:
            assert got[k] == want, (left[i], right[j], got[k], want)  # to the bit


@given(st.lists(PAIR_NAMES, min_size=1, max_size=8), st.lists(PAIR_NAMES, min_size=1, max_size=8))
@settings(max_examples=300)
def test_pairs_give_the_scalar_similarity(left: list[NameTokens], right: list[NameTokens]) -> None:
    assert_pairs_match_scalar(left, right)


#: Distinct token pairs up to which name_similarity_pairs looks them up one by one (in
#: token_similarity's cache): all of them, and none.
TOKEN_PATHS = [10**9, -1]


@given(st.lists(PAIR_NAMES, min_size=1, max_size=8), st.lists(PAIR_NAMES, min_size=1, max_size=8))
@settings(max_examples=200)
def test_cached_and_array_token_similarities_give_the_same_bits(
    left: list[NameTokens], right: list[NameTokens]
) -> None:
    left_index, right_index = np.divmod(np.arange(len(left) * len(right)), len(right))
    batches = name_batch(left), name_batch(right)
    results = []
    for tokens in TOKEN_PATHS:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(names_module, "_SMALL_TOKEN_BATCH", tokens)
            results.append(name_similarity_pairs(*batches, left_index, right_index))
    np.testing.assert_array_equal(results[1], results[0])


def test_one_traveller_gives_the_scalar_similarity() -> None:
    traveller = name_batch(["MOHAMED ALI HASSAN"])
    listed = name_batch(["MUHAMMAD ALI", "ALI HASAN MOHAMMED", "HASSAN", None])
    got = name_similarity_pairs(traveller, listed, np.zeros(4, np.int64), np.arange(4))
    expected = [name_similarity(traveller.name(0), listed.name(j)) for j in range(3)]
    assert got[:3].tolist() == expected and np.isnan(got[3])


NAMES_ACROSS_SCRIPTS = [
    "محمد علي",
    "MOHAMED ALI",
    "MUHAMMAD ALI HASSAN",
    "علي محمد",
    "张伟",
    "ZHANG WEI",
    "WEI ZHANG",
    "Владимир Путин",
    "VLADIMIR PUTIN",
    "PUTIN VLADIMIR VLADIMIROVICH",
    "ABDUL RAHMAN KHAN",
    "ABDULRAHMAN KHAN",
    "J SMITH",
    "JOHN SMITH",
    "SMITH",
    "Mr. John O'Brien",
    "ÖZTÜRK MEHMET",
    "AL HASHIMI MOHAMMED",
    "PAUL",
    None,
    "",
]


def test_pairs_give_the_scalar_similarity_on_names_across_scripts() -> None:
    names = [name_tokens(n) for n in NAMES_ACROSS_SCRIPTS]
    assert_pairs_match_scalar(names, names)
    at = NAMES_ACROSS_SCRIPTS.index
    batch = name_batch(NAMES_ACROSS_SCRIPTS)
    left = np.array([at("ABDUL RAHMAN KHAN"), at("J SMITH"), at("张伟"), at(None)])
    right = np.array([at("ABDULRAHMAN KHAN"), at("JOHN SMITH"), at("WEI ZHANG"), at("PAUL")])
    got = name_similarity_pairs(batch, batch, left, right)
    assert got[0] >= 0.97 and got[1] >= 0.8 and got[2] == 1.0 and np.isnan(got[3])


def test_pairs_of_nothing_and_mismatched_indexes() -> None:
    batch = name_batch(["JOHN SMITH"])
    none = np.zeros(0, dtype=np.int64)
    assert name_similarity_pairs(batch, batch, none, none).shape == (0,)
    with pytest.raises(ValueError, match="indexes"):
        name_similarity_pairs(batch, batch, np.zeros(2, dtype=np.int64), none)


def test_pairs_of_very_long_names_give_the_scalar_similarity() -> None:
    many = NameTokens(tuple(f"{a}{b}" for a in "ABCDEFGHI" for b in "XYZLMP")[:50])
    others = [NameTokens(many.tokens[4:]), NameTokens(many.tokens[1::2])]
    assert_pairs_match_scalar([many], others)


@pytest.mark.parametrize(
    ("a", "b"),
    [("JIAQI CHEUNG", "佳琪 张"), ("DAN LEE", "丹 李"), ("CHIA HUI WONG", "WANG CHIA HUI")],
)
def test_spellings_of_one_surname_are_close(a: str, b: str) -> None:
    # the Cantonese (Hong Kong) or Korean passport against the list's Pinyin: 0.95 a token
    left, right = name_batch([a]), name_batch([b])
    scalar = name_similarity(left.name(0), right.name(0))
    pairs = name_similarity_pairs(left, right, np.array([0]), np.array([0]))
    assert scalar is not None and scalar >= 0.95
    assert pairs[0] == pytest.approx(scalar)
