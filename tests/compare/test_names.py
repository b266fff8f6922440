"""Name similarity: table-driven cases and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxscreen.compare.names import name_similarity, token_similarity
from paxscreen.normalize.names import NameTokens, name_tokens


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
        ("张伟", "ZHANG WEI", 0.99, "Han on one side"),
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
    ],
)
def test_different_people_score_lower(a: str, b: str, high: float, why: str) -> None:
    assert sim(a, b) <= high, why


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
