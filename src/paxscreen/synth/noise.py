"""Corruptions that turn a listed identity into the way its holder shows up on a manifest.

Each planted hit carries exactly one corruption (its label in the truth table); everything else
about the traveller agrees with the list. Names work on :class:`Person` (the parts of a name with
all their known spellings), dates on :class:`datetime.date`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from rapidfuzz.distance import OSA

from paxscreen.normalize.names import ascii_fold
from paxscreen.synth.names import NameGroup

__all__ = [
    "Part",
    "Person",
    "compound_variant",
    "day_month_swap",
    "digit_off",
    "middle_added",
    "middle_dropped",
    "render",
    "transliteration_variant",
    "typo",
    "year_off",
]


@dataclass(frozen=True, slots=True)
class Part:
    """One name (a given name, a family name): its spellings and which one is printed."""

    spellings: tuple[str, ...]
    script: str | None = None
    use: int = 0

    @property
    def text(self) -> str:
        """The printed spelling."""
        return self.spellings[self.use]


@dataclass(frozen=True, slots=True)
class Person:
    """A person's name as parts, with the group that explains its spellings."""

    group: NameGroup
    female: bool
    given: tuple[Part, ...]
    family: tuple[Part, ...]

    def script_name(self) -> tuple[str, str] | None:
        """(family, given) in the original script, or None when a part has no script form."""
        if any(p.script is None for p in self.given + self.family):
            return None
        family = self.group.join_script([p.script or "" for p in self.family])
        given = self.group.join_script([p.script or "" for p in self.given])
        return family, given


def _join(group: NameGroup, texts: list[str]) -> str:
    return " ".join(group.print_compound(t) for t in texts)


def render(person: Person, *, fold: bool = False) -> tuple[str, str]:
    """(family, given) as printed: compounds in the group's style, ASCII-folded if ``fold``."""
    family = _join(person.group, [p.text for p in person.family])
    given = _join(person.group, [p.text for p in person.given])
    return (ascii_fold(family), ascii_fold(given)) if fold else (family, given)


def transliteration_variant(person: Person, rng: random.Random) -> Person | None:
    """The person with one part spelled another known way that still differs once folded.

    Curated variant spellings come first; a group's transliteration rules serve names that have
    none. None when no part has a spelling that differs after ASCII folding.
    """
    options: list[tuple[int, Part]] = []
    for index, part in enumerate(person.given + person.family):
        printed = ascii_fold(part.text)
        curated = [k for k, s in enumerate(part.spellings) if ascii_fold(s) != printed]
        if curated:
            options.append((index, replace(part, use=rng.choice(curated))))
            continue
        ruled = [v for v in person.group.rule_variants(part.text) if ascii_fold(v) != printed]
        if ruled:
            options.append((index, Part((rng.choice(ruled),), part.script)))
    if not options:
        return None
    index, part = rng.choice(options)
    return _with_part(person, index, part)


def _with_part(person: Person, index: int, part: Part) -> Person:
    parts = list(person.given + person.family)
    parts[index] = part
    n = len(person.given)
    return replace(person, given=tuple(parts[:n]), family=tuple(parts[n:]))


def compound_variant(person: Person, rng: random.Random) -> tuple[str, str] | None:
    """(family, given) with one compound printed the other way: joined if the group spaces or
    hyphenates compounds (ABDUL RAHMAN -> ABDULRAHMAN, AL-HASHIMI -> ALHASHIMI), split if it joins
    them (XIAOMING -> XIAO MING). None when the name has no compound."""
    group = person.group
    parts = list(person.given + person.family)
    compounds = [k for k, p in enumerate(parts) if " " in p.text or "-" in p.text]
    if not compounds:
        return None
    chosen = rng.choice(compounds)
    texts: list[str] = []
    for k, part in enumerate(parts):
        printed = group.print_compound(part.text)
        if k == chosen:
            if group.compound == "joined":
                printed = part.text.replace("-", " ")
            else:
                printed = part.text.replace(" ", "").replace("-", "")
        texts.append(printed)
    n = len(person.given)
    return ascii_fold(" ".join(texts[n:])), ascii_fold(" ".join(texts[:n]))


def middle_dropped(person: Person, rng: random.Random) -> Person | None:
    """The person without one of their given names after the first; None with only one."""
    if len(person.given) < 2:
        return None
    drop = rng.randrange(1, len(person.given))
    return replace(person, given=person.given[:drop] + person.given[drop + 1 :])


def middle_added(person: Person, extra: Part) -> Person:
    """The person with ``extra`` inserted after their first given name."""
    return replace(person, given=(*person.given[:1], extra, *person.given[1:]))


_NEIGHBOURS: Final = {
    row[k]: row[max(k - 1, 0) : k] + row[k + 1 : k + 2]
    for row in ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
    for k in range(len(row))
}
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _one_edit(text: str, rng: random.Random) -> str:
    letters = [k for k, c in enumerate(text) if c.isalpha()]
    k = rng.choice(letters)
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "delete" and sum(c.isalpha() for c in text) > 2:
        return text[:k] + text[k + 1 :]
    if operation == "insert":
        return text[:k] + rng.choice((text[k], rng.choice(_LETTERS))) + text[k:]
    if operation == "transpose" and k + 1 < len(text) and text[k + 1].isalpha():
        return text[:k] + text[k + 1] + text[k] + text[k + 2 :]
    nearby = _NEIGHBOURS.get(text[k], "") or _LETTERS
    return text[:k] + rng.choice(nearby) + text[k + 1 :]


def typo(names: tuple[str, str], rng: random.Random, *, edits: int) -> tuple[str, str]:
    """(family, given) with ``edits`` keying errors (substitution by a neighbouring key,
    deletion, insertion, adjacent transposition), so that the optimal-string-alignment distance
    of the whole name is exactly ``edits``. Longer names are likelier to be hit."""
    original = " | ".join(names)
    for _ in range(100):
        family, given = names
        for _ in range(edits):
            if given and rng.random() < len(given) / (len(given) + len(family)):
                given = _one_edit(given, rng)
            else:
                family = _one_edit(family, rng)
        if OSA.distance(original, f"{family} | {given}") == edits:
            return family, given
    raise ValueError(f"could not place {edits} edits in a name")  # pragma: no cover


def day_month_swap(dob: date) -> date | None:
    """The date with day and month exchanged, or None when that is no different valid date."""
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dob.replace(month=dob.day, day=dob.month)


def year_off(dob: date, rng: random.Random) -> date:
    """The date one year earlier or later (29 February becomes 28 February)."""
    year = dob.year + rng.choice((-1, 1))
    return dob.replace(year=year, day=min(dob.day, 28) if dob.month == 2 else dob.day)


def digit_off(dob: date, rng: random.Random) -> date:
    """The date with one digit of its day, month or year-of-century changed, still a valid date
    and a plausible birth year for a traveller (1930 or later, no more than 9 years later), and
    neither a day/month swap nor exactly one year off (those are kinds of their own)."""
    text = dob.strftime("%Y%m%d")
    excluded = {dob, day_month_swap(dob)}
    for _ in range(200):
        k = rng.choice((2, 3, 4, 5, 6, 7))
        changed = text[:k] + rng.choice("0123456789".replace(text[k], "")) + text[k + 1 :]
        try:
            candidate = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        one_year = abs(candidate.year - dob.year) == 1 and candidate.replace(year=dob.year) == dob
        plausible = 1930 <= candidate.year <= dob.year + 9
        if candidate not in excluded and not one_year and plausible:
            return candidate
    raise ValueError("no valid one-digit change of the date")  # pragma: no cover
