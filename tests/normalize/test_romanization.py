"""Spellings of one Chinese or Korean surname: a relation, symmetric and never reflexive."""

from __future__ import annotations

import itertools

import pytest

from paxscreen.normalize._romanization import _SPELLINGS, pinyin_forms, same_surname

SPELLINGS = sorted({s for pinyin, rest in _SPELLINGS.items() for s in (pinyin, *rest)})


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("CHEUNG", "ZHANG", True),  # Cantonese and Pinyin
        ("CHANG", "ZHANG", True),  # Wade-Giles
        ("TAN", "CHEN", True),  # Hokkien
        ("TRAN", "CHAN", True),  # Vietnamese and Cantonese spellings of one character
        ("LEE", "LI", True),
        ("RHEE", "LEE", True),  # Korean
        ("WONG", "HUANG", True),  # Cantonese WONG is two surnames...
        ("WONG", "WANG", True),
        ("HUANG", "WANG", False),  # ... which are not one
        ("ZHANG", "ZHANG", False),  # the same token is not a second spelling
        ("SMITH", "SMYTH", False),  # not in the table
    ],
)
def test_pairs(a: str, b: str, same: bool) -> None:
    assert same_surname(a, b) is same
    assert same_surname(b, a) is same


def test_the_relation_is_symmetric_and_every_spelling_reaches_its_pinyin() -> None:
    for a, b in itertools.combinations(SPELLINGS, 2):
        assert same_surname(a, b) == same_surname(b, a)
    for pinyin, spellings in _SPELLINGS.items():
        assert pinyin.isascii() and pinyin.isupper()
        for spelling in spellings:
            assert pinyin in pinyin_forms(spelling) and same_surname(spelling, pinyin)
