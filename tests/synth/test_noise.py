"""Corruptions: each one changes what it says and nothing else."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from paxscreen.synth import noise
from paxscreen.synth.names import parse_group
from paxscreen.synth.noise import Part, Person

GROUP = parse_group(
    """\
# source: test
[meta]
key = t
label = T
nationalities = JOR 1
middle_source = father
compound = spaced
[given_male]
3 | MOHAMMED; MUHAMMAD; MOHAMED
1 | ABDUL RAHMAN; ABDULRAHMAN
1 | SAMI
[given_female]
1 | HUDA
[family]
1 | AL-HASHIMI; EL-HASHEMI
1 | KHOURY
[variant_rules]
OU => U
"""
)
SEEDS = st.integers(0, 2**32 - 1)
NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ -", min_size=2, max_size=20).filter(
    lambda s: sum(c.isalpha() for c in s) >= 3
)
DATES = st.dates(date(1940, 1, 1), date(2006, 12, 31))


def person(*given: tuple[str, ...], family: tuple[str, ...] = ("KHOURY",)) -> Person:
    return Person(GROUP, False, tuple(Part(g) for g in given), (Part(family),))


@given(NAMES, NAMES, SEEDS, st.sampled_from([1, 2]))
def test_typo_is_exactly_that_many_edits(family: str, given_: str, seed: int, edits: int) -> None:
    out = noise.typo((family, given_), random.Random(seed), edits=edits)
    assert OSA.distance(f"{family} | {given_}", " | ".join(out)) == edits


@given(SEEDS)
def test_transliteration_changes_one_part_to_a_spelling_that_differs_when_folded(
    seed: int,
) -> None:
    source = person(("MOHAMMED", "MUHAMMAD", "MOHAMED"), ("SAMI",), family=("KHOURY",))
    variant = noise.transliteration_variant(source, random.Random(seed))
    assert variant is not None
    before, after = noise.render(source, fold=True), noise.render(variant, fold=True)
    assert before != after
    changed = [
        a != b for a, b in zip(" ".join(before).split(), " ".join(after).split(), strict=True)
    ]
    assert sum(changed) == 1
    # KHOURY has no curated variant but the group's rule OU => U gives KHURY
    assert after in {
        ("KHOURY", "MUHAMMAD SAMI"),
        ("KHOURY", "MOHAMED SAMI"),
        ("KHURY", "MOHAMMED SAMI"),
    }


def test_no_transliteration_without_variants() -> None:
    no_variants = person(("SAMI",), family=("HADDAD",))
    assert noise.transliteration_variant(no_variants, random.Random(0)) is None


@given(SEEDS)
def test_compound_joins_or_splits_one_compound(seed: int) -> None:
    source = person(("ABDUL RAHMAN",), family=("AL-HASHIMI",))
    out = noise.compound_variant(source, random.Random(seed))
    assert out in {("AL-HASHIMI", "ABDULRAHMAN"), ("ALHASHIMI", "ABDUL RAHMAN")}
    assert noise.compound_variant(person(("SAMI",)), random.Random(seed)) is None


def test_middle_names_dropped_and_added() -> None:
    source = person(("MOHAMMED",), ("SAMI",))
    dropped = noise.middle_dropped(source, random.Random(0))
    assert dropped is not None
    assert noise.render(dropped) == ("KHOURY", "MOHAMMED")
    assert noise.middle_dropped(dropped, random.Random(0)) is None
    added = noise.middle_added(dropped, Part(("ALI",)))
    assert noise.render(added) == ("KHOURY", "MOHAMMED ALI")


@given(DATES)
def test_day_month_swap(dob: date) -> None:
    swapped = noise.day_month_swap(dob)
    if dob.day > 12 or dob.day == dob.month:
        assert swapped is None
    else:
        assert swapped == date(dob.year, dob.day, dob.month)


@given(DATES, SEEDS)
def test_year_off_is_one_year(dob: date, seed: int) -> None:
    off = noise.year_off(dob, random.Random(seed))
    assert abs(off.year - dob.year) == 1
    assert (off.month, off.day) == (dob.month, min(dob.day, 28) if dob.month == 2 else dob.day)


@given(DATES, SEEDS)
def test_digit_off_changes_one_digit_and_no_other_kind(dob: date, seed: int) -> None:
    assume(dob.year < 2000)  # a changed year-of-century digit can leave no valid past date
    off = noise.digit_off(dob, random.Random(seed))
    a, b = dob.strftime("%Y%m%d"), off.strftime("%Y%m%d")
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 1
    assert off != noise.day_month_swap(dob)
    assert not (abs(off.year - dob.year) == 1 and (off.month, off.day) == (dob.month, dob.day))
