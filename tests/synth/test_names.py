"""The name model: the group file format, and the shipped groups' size, skew and variants."""

from __future__ import annotations

import numpy as np
import pytest

from paxscreen.synth.names import GROUPS, load_group, parse_group

SMALL = """\
# source: a test group
[meta]
key = test
label = Test
script = Cyrl
nationalities = RUS 3, UKR 1
second_given = 0.5
middle_source = own
second_family = 0
compound = joined
tail_share = 0.5

[given_male]
10 | ALEKSANDR; ALEXANDER | Александр
1 | IVAN | Иван
[given_female]
5 | ANNA | Анна
[family]
4 | IVANOV; IWANOW | Иванов
[tail_stems]
1 | KOZL | Козл
1 | PETR | Петр
[tail_endings]
3 | OV | ов
1 | IN | ин
[female_rules]
OV$ => OVA
script: ов$ => ова
[variant_rules]
KS => X
"""


def test_a_small_group_parses_with_tail_and_female_forms() -> None:
    group = parse_group(SMALL)
    assert group.key == "test"
    assert group.source == "a test group"
    assert group.nationalities == ("RUS", "UKR")
    assert np.allclose(group.nationality_p, [0.75, 0.25])
    family = group.family_male
    # IVANOV listed, plus the tail KOZLOV, KOZLIN, PETROV, PETRIN (none already listed)
    assert [s[0] for s in family.spellings] == ["IVANOV", "KOZLOV", "KOZLIN", "PETROV", "PETRIN"]
    assert family.scripts[1] == "Козлов"
    # head keeps 1 - tail_share of the mass; the tail splits the rest by stem x ending weight
    assert np.allclose(family.p, [0.5, 0.1875, 0.0625, 0.1875, 0.0625])
    assert group.family_female.spellings[0] == ("IVANOVA", "IWANOW")
    assert group.family_female.scripts[0] == "Иванова"
    assert group.print_compound("XIAO MING") == "XIAOMING"
    assert group.rule_variants("ALEKSANDR") == ["ALEXANDR"]
    assert group.middle(female=True) is group.given_female


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("10 | ALEKSANDR; ALEXANDER", "10 | ALEKSANDR; ALEKSANDR"), "repeats"),
        (("1 | IVAN | Иван", "1 | ALEXANDER"), "repeats"),
        (("10 | ALEKSANDR", "x | ALEKSANDR"), "weight"),
        (("10 | ALEKSANDR", "0 | ALEKSANDR"), "positive"),
        (("5 | ANNA", "5 | Anna"), "upper case"),
        (("RUS 3", "RUX 3"), "alpha-3"),
        (("compound = joined", "compound = glued"), "compound"),
        (("KS => X", "KS(( => X"), "compile"),
        (("[tail_endings]", "[tail_ends]"), "unknown section"),
        (("second_given = 0.5", "second_given = 2"), "0..1"),
        (("[given_female]\n5 | ANNA | Анна", "[given_female]"), "missing or empty"),
    ],
)
def test_malformed_groups_are_refused_with_the_line(change: tuple[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_group(SMALL.replace(*change), where="test.txt")


def test_at_least_eight_groups_ship() -> None:
    assert len(GROUPS) >= 8
    with pytest.raises(KeyError):
        load_group("martian")


@pytest.mark.parametrize("key", GROUPS)
def test_each_shipped_group_is_large_skewed_and_has_variants(key: str) -> None:
    group = load_group(key)
    assert group.key == key
    assert group.source, "every group says where its material came from"
    for names in (group.given_male, group.given_female, group.family_male):
        assert len(names) >= 60
        p = np.sort(names.p)[::-1]
        assert np.isclose(p.sum(), 1.0)
        # realistic skew: the ten commonest names carry far more than ten average names would
        assert p[:10].sum() > 2.5 * 10 / len(p)
        with_variants = sum(len(s) > 1 for s in names.spellings)
        assert with_variants >= 20
    if group.script is not None:
        scripted = sum(s is not None for s in group.given_male.scripts)
        assert scripted >= 0.8 * len(group.given_male), "script groups give script forms"


def test_script_groups_cover_the_required_scripts() -> None:
    scripts = {load_group(key).script for key in GROUPS}
    assert {"Arab", "Cyrl", "Grek", "Hani"} <= scripts


def test_required_variant_sets_are_present() -> None:
    def same_name(key: str, *spellings: str) -> bool:
        group = load_group(key)
        sets = group.given_male.spellings + group.family_male.spellings
        return any(set(spellings) <= set(line) for line in sets)

    assert same_name("arabic", "MOHAMMED", "MUHAMMAD", "MOHAMED")
    assert same_name("slavic", "ALEKSANDR", "ALEXANDER", "OLEKSANDR")
    assert same_name("chinese", "ZHANG", "CHANG")
    assert same_name("south_asian", "CHAUDHRY", "CHOUDHURY")
