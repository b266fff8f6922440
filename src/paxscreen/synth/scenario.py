"""Synthetic screening scenarios: a watchlist, a document list, a flight and the ground truth.

A scenario is built in four steps, all from one seed:

1. **Identities** for the watchlist, drawn in bulk (numpy) from the name model: per identity a
   name-origin group, sex, given and family names (index arrays into the group's tables), date of
   birth of one of four kinds (full, year only, missing, several), nationality, maybe a passport.
2. **Planting**: some identities are chosen to travel, each with one labelled corruption, and
   their list data is adjusted where the corruption needs it (a full date for a date corruption,
   a document for a document corruption, a list name in the original script only).
3. **Rendering** the watchlist rows (primary names, 0-3 aliases: other spellings, other given
   names, original script; extra rows for extra dates of birth).
4. **The flight**: planted travellers, hard negatives (namesakes of listed people born years
   apart), travellers whose passport is on the lost/stolen list (exactly or misread), and
   innocent travellers drawn from the same name model, then shuffled into one PAXLST flight.
   Innocents never coincide with a listed identity on full name and date of birth, and their
   documents are never on either list.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen._version import __version__
from paxscreen.evaluate import TRUTH
from paxscreen.formats.lists import read_watchlist
from paxscreen.formats.paxlst import write_paxlst
from paxscreen.normalize.names import ascii_fold
from paxscreen.schema import WATCHLIST, travellers_frame
from paxscreen.synth import noise
from paxscreen.synth.documents import (
    corrupt_document,
    document_list,
    document_numbers,
    planted_record_refs,
    write_document_list,
)
from paxscreen.synth.names import GROUPS, NameGroup, NameSet, load_group
from paxscreen.synth.noise import Part, Person
from paxscreen.synth.pnrgov import pnr_push

__all__ = [
    "CORRUPTIONS",
    "DOCUMENT_CORRUPTIONS",
    "FILES",
    "WATCHLIST_CORRUPTIONS",
    "Scenario",
    "ScenarioConfig",
    "make_scenario",
    "write_scenario",
]

#: Corruptions of planted watchlist hits (the traveller is a listed identity).
WATCHLIST_CORRUPTIONS: Final = (
    "exact",
    "transliteration",
    "typo1",
    "typo2",
    "name_swap",
    "middle_dropped",
    "middle_added",
    "compound",
    "script_on_list",
    "dob_day_month_swap",
    "dob_year_off",
    "dob_digit_off",
    "dob_year_only",
    "doc_ocr",
    "doc_transposition",
)
#: Corruptions of planted document-list hits (the traveller's passport is listed lost/stolen).
DOCUMENT_CORRUPTIONS: Final = ("lost_exact", "lost_ocr", "lost_edit")
#: Every corruption kind, in report order.
CORRUPTIONS: Final = WATCHLIST_CORRUPTIONS + DOCUMENT_CORRUPTIONS

#: Name-origin mix of listed identities (sanctions and wanted lists over-represent some groups).
WATCHLIST_MIX: Final[Mapping[str, float]] = {
    "arabic": 0.20,
    "slavic": 0.13,
    "persian_turkish": 0.10,
    "south_asian": 0.10,
    "west_african": 0.09,
    "hispanic": 0.09,
    "chinese": 0.08,
    "western_european": 0.08,
    "greek": 0.06,
    "vietnamese": 0.07,
}
#: Name-origin mix of travellers on the synthetic flight (nearly even, so every group is measured).
FLIGHT_MIX: Final[Mapping[str, float]] = {
    "arabic": 0.11,
    "slavic": 0.10,
    "persian_turkish": 0.09,
    "south_asian": 0.11,
    "west_african": 0.09,
    "hispanic": 0.11,
    "chinese": 0.10,
    "western_european": 0.13,
    "greek": 0.07,
    "vietnamese": 0.09,
}

_NONE: Final = np.array(None, dtype=object)
_DOB_FULL, _DOB_YEAR, _DOB_MISSING, _DOB_MULTIPLE = 0, 1, 2, 3
_DOB_KIND_P: Final = (0.62, 0.13, 0.15, 0.10)
_ALIAS_COUNT_P: Final = (0.45, 0.30, 0.15, 0.10)
_FIRST_BIRTH: Final = date(1945, 1, 1)
_LAST_BIRTH: Final = date(2006, 12, 31)
_EPOCH: Final = date(1970, 1, 1)
_CATEGORIES: Final = ("sanctions", "terrorism", "wanted", "organised_crime")
_STATUSES: Final = ("stolen", "lost", "revoked", "invalidated")
_ORIGINS: Final = ("FRA", "AMS", "CDG", "IST", "DXB", "DOH", "LHR", "MAD", "VIE", "WAW")
_DESTINATIONS: Final = ("JFK", "YYZ", "ORD", "IAD", "MIA", "LAX", "BOS", "ATL")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioConfig:
    """What to generate. Every field has a default; the seed decides everything else.

    Attributes:
        seed: The random seed; the same config gives identical files.
        travellers: Travellers on the flight (passengers and crew).
        identities: Listed identities on the watchlist (each has 1-5 rows).
        documents: Rows of the lost/stolen document list.
        planted_share: Share of passengers who are planted hits.
        hard_negative_share: Share of passengers who are namesakes of listed people.
        corruptions: Which corruption kinds to plant, spread evenly over the planted hits.
        reference_date: "Today" for the flight date, expiries and report dates (fixed, so that
            output does not change with the calendar).
    """

    seed: int = 0
    travellers: int = 300
    identities: int = 5_000
    documents: int = 10_000
    planted_share: float = 0.10
    hard_negative_share: float = 0.05
    corruptions: tuple[str, ...] = CORRUPTIONS
    reference_date: date = date(2026, 11, 1)

    def __post_init__(self) -> None:
        unknown = set(self.corruptions) - set(CORRUPTIONS)
        if unknown:
            raise ValueError(f"unknown corruption kinds: {sorted(unknown)}")
        if self.travellers < 1 or self.identities < 1 or self.documents < 0:
            raise ValueError("travellers and identities must be >= 1, documents >= 0")
        if not 0 <= self.planted_share + self.hard_negative_share <= 1:
            raise ValueError("planted_share + hard_negative_share must be within 0..1")


@dataclass(frozen=True, slots=True)
class Scenario:
    """A generated scenario held in memory.

    Attributes:
        config: What it was generated from.
        travellers: The flight, a travellers frame (``paxscreen.schema.TRAVELLERS``).
        manifest: The same flight as a PAXLST interchange (text).
        watchlist: Canonical watchlist rows (``paxscreen.schema.WATCHLIST``).
        documents: The lost/stolen document list (``paxscreen.schema.DOCUMENT_LIST``).
        truth: One row per traveller (``paxscreen.evaluate.TRUTH``).
    """

    config: ScenarioConfig
    travellers: pl.DataFrame
    manifest: str
    watchlist: pl.DataFrame
    documents: pl.DataFrame
    truth: pl.DataFrame


# -- identities ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _People:
    """Names as index arrays: per person a group, a sex and line/spelling indexes (-1 = none)."""

    group: npt.NDArray[np.int64]
    female: npt.NDArray[np.bool_]
    given: npt.NDArray[np.int64]  # (n, 2) lines: first and second given name
    given_use: npt.NDArray[np.int64]
    family: npt.NDArray[np.int64]  # (n, 2) lines: first and second family name
    family_use: npt.NDArray[np.int64]

    def take(self, rows: npt.NDArray[np.int64]) -> _People:
        return _People(
            self.group[rows],
            self.female[rows],
            self.given[rows],
            self.given_use[rows],
            self.family[rows],
            self.family_use[rows],
        )


_Role = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], tuple[NameSet, NameSet]]


def _roles(people: _People, group: NameGroup, female: bool) -> tuple[_Role, _Role]:
    """For the given names and the family names: the line indexes, the spellings used and the
    name set each of the two columns draws from."""
    return (
        (people.given, people.given_use, (group.given(female), group.middle(female))),
        (people.family, people.family_use, (group.family(female), group.family(female))),
    )


def _groups() -> list[NameGroup]:
    return [load_group(key) for key in GROUPS]


def _mix(mix: Mapping[str, float]) -> npt.NDArray[np.float64]:
    p = np.array([mix.get(key, 0.0) for key in GROUPS], dtype=np.float64)
    return p / float(p.sum())


def _sample_people(
    rng: np.random.Generator, groups: npt.NDArray[np.int64], variant_share: float
) -> _People:
    n = groups.size
    people = _People(
        groups,
        rng.random(n) < 0.5,
        np.full((n, 2), -1, dtype=np.int64),
        np.zeros((n, 2), dtype=np.int64),
        np.full((n, 2), -1, dtype=np.int64),
        np.zeros((n, 2), dtype=np.int64),
    )
    for g, group in enumerate(_groups()):
        for female in (False, True):
            rows = np.flatnonzero((groups == g) & (people.female == female))
            if rows.size:
                _fill(rng, people, rows, group, female, variant_share)
    return people


def _fill(
    rng: np.random.Generator,
    people: _People,
    rows: npt.NDArray[np.int64],
    group: NameGroup,
    female: bool,
    variant_share: float,
    *,
    family: bool = True,
) -> None:
    n = rows.size
    sets = [
        (people.given, people.given_use, 0, group.given(female), 1.0),
        (people.given, people.given_use, 1, group.middle(female), group.second_given),
    ]
    if family:
        sets += [
            (people.family, people.family_use, 0, group.family(female), 1.0),
            (people.family, people.family_use, 1, group.family(female), group.second_family),
        ]
    for lines, use, column, names, share in sets:
        drawn = names.sample(rng, n)
        spelling = names.pick_spelling(rng, drawn, variant_share)
        present = rng.random(n) < share
        lines[rows, column] = np.where(present, drawn, -1)
        use[rows, column] = np.where(present, spelling, 0)
    # a second name equal to the first (MOHAMMED MOHAMMED, GARCIA GARCIA) is dropped
    for lines in (people.given, people.family):
        same = lines[rows, 1] == lines[rows, 0]
        lines[rows[same], 1] = -1


def _refill(
    rng: np.random.Generator, people: _People, *, variant_share: float, spellings_only: bool
) -> _People:
    """A copy of ``people`` with other spellings of the same names, or other given names."""
    out = people.take(np.arange(people.group.size))
    for g, group in enumerate(_groups()):
        for female in (False, True):
            rows = np.flatnonzero((out.group == g) & (out.female == female))
            if not rows.size:
                continue
            if not spellings_only:
                _fill(rng, out, rows, group, female, variant_share, family=False)
                continue
            for lines, use, sets in _roles(out, group, female):
                for column, names in enumerate(sets):
                    line = lines[rows, column]
                    safe = np.where(line >= 0, line, 0)
                    use[rows, column] = names.pick_spelling(rng, safe, variant_share)
    return out


def _person(people: _People, k: int) -> Person:
    group = _groups()[int(people.group[k])]
    female = bool(people.female[k])
    parts: list[tuple[Part, ...]] = []
    for lines, use, names in _roles(people, group, female):
        parts.append(
            tuple(
                Part(names[c].spellings[line], names[c].scripts[line], int(use[k, c]))
                for c in (0, 1)
                if (line := int(lines[k, c])) >= 0
            )
        )
    given = parts[0][::-1] if group.middle_first else parts[0]
    return Person(group, female, given, parts[1])


def _render(people: _People, *, script: bool) -> tuple[npt.NDArray[np.object_], ...]:
    """(family, given) strings of every person: printed Latin, or the original script (None
    where a part has no script form). Agrees with :func:`_person` and :func:`noise.render`."""
    n = people.group.size
    given_out, family_out = np.empty(n, dtype=object), np.empty(n, dtype=object)
    for g, group in enumerate(_groups()):
        for female in (False, True):
            rows = np.flatnonzero((people.group == g) & (people.female == female))
            if not rows.size:
                continue
            for target, (lines, use, sets), reverse in zip(
                (given_out, family_out),
                _roles(people, group, female),
                (group.middle_first, False),
                strict=True,
            ):
                texts = []
                for column, names in enumerate(sets):
                    line = lines[rows, column]
                    present = line >= 0
                    safe = np.where(present, line, 0)
                    if script:
                        text = names.script_text(safe)
                    else:
                        text = names.printed_text(safe, use[rows, column], group.print_compound)
                    texts.append(np.where(present, text, ""))  # "" absent, None: no script
                if reverse:
                    texts.reverse()
                target[rows] = [
                    _join_parts(group, a, b, script) for a, b in zip(*texts, strict=True)
                ]
    return family_out, given_out


def _join_parts(
    group: NameGroup, first: str | None, second: str | None, script: bool
) -> str | None:
    """Join two parts; "" is an absent part, None a part without a script form."""
    if first is None or second is None:
        return None
    parts = [p for p in (first, second) if p]
    return group.join_script(parts) if script else " ".join(parts)


@dataclass(slots=True)
class _Identities:
    """The watchlist before rendering: names plus per-identity attributes."""

    people: _People
    dob_kind: npt.NDArray[np.int64]
    dob: npt.NDArray[np.int64]  # days since 1970-01-01
    nationality: npt.NDArray[np.object_]  # alpha-3 or None
    second_nationality: npt.NDArray[np.object_]
    sex_known: npt.NDArray[np.bool_]
    has_doc: npt.NDArray[np.bool_]
    script_only: npt.NDArray[np.bool_]
    doc_number: npt.NDArray[np.object_] = field(default_factory=lambda: np.empty(0, dtype=object))


def _days(value: date) -> int:
    return (value - _EPOCH).days


def _date(days: int) -> date:
    return _EPOCH + timedelta(days=int(days))


def _nationalities(
    rng: np.random.Generator, people: _People, share_known: float
) -> npt.NDArray[np.object_]:
    out = np.empty(people.group.size, dtype=object)
    for g, group in enumerate(_groups()):
        rows = np.flatnonzero(people.group == g)
        if rows.size:
            codes = np.array(group.nationalities, dtype=object)
            out[rows] = codes[rng.choice(len(codes), size=rows.size, p=group.nationality_p)]
    out[rng.random(out.size) >= share_known] = None
    return out


def _identities(rng: np.random.Generator, n: int) -> _Identities:
    people = _sample_people(rng, rng.choice(len(GROUPS), size=n, p=_mix(WATCHLIST_MIX)), 0.25)
    second = _nationalities(rng, people, 1.0)
    second[rng.random(n) >= 0.08] = None
    return _Identities(
        people=people,
        dob_kind=rng.choice(4, size=n, p=_DOB_KIND_P),
        dob=rng.integers(_days(_FIRST_BIRTH), _days(_LAST_BIRTH) + 1, size=n),
        nationality=_nationalities(rng, people, 0.85),
        second_nationality=second,
        sex_known=rng.random(n) < 0.92,
        has_doc=rng.random(n) < 0.25,
        script_only=np.zeros(n, dtype=bool),
    )


def _issuers(ids: _Identities, rows: npt.NDArray[np.int64]) -> list[str]:
    groups = _groups()
    return [ids.nationality[k] or groups[int(ids.people.group[k])].nationalities[0] for k in rows]


# -- planting ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Traveller:
    """One traveller of the flight, before documents are assigned."""

    kind: str  # planted | hard_negative | innocent
    group: str
    family: str
    given: str
    female: bool
    dob: date
    nationality: str | None
    corruption: str | None = None
    identity: int | None = None  # watchlist identity (planted on the watchlist, hard negative)
    crew: bool = False
    doc_number: str | None = None
    listed_doc: str | None = None  # the number on the document list (lost/stolen kinds)
    entry_id: str | None = None


def _swappable(rng: random.Random, year: int) -> date:
    month = rng.randint(1, 12)
    day = rng.choice([d for d in range(1, 13) if d != month])
    return date(year, month, day)


def _any_day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


#: Corruptions that promise the traveller's name is spelled on none of the entry's rows.
_NAME_CORRUPTIONS: Final = frozenset(
    {"transliteration", "typo1", "typo2", "name_swap", "middle_dropped", "middle_added", "compound"}
)


def _eligible(kind: str, person: Person) -> bool:
    if kind == "transliteration":
        return noise.transliteration_variant(person, random.Random(0)) is not None
    if kind == "middle_dropped":
        return len(person.given) >= 2
    if kind == "compound":
        return noise.compound_variant(person, random.Random(0)) is not None
    if kind == "script_on_list":
        return person.group.script is not None and person.script_name() is not None
    if kind == "name_swap":
        return bool(person.given)
    return True


def _plant(kind: str, ids: _Identities, k: int, person: Person, rng: random.Random) -> _Traveller:
    """Adjust identity ``k``'s list data for ``kind`` and return its travelling form."""
    if ids.dob_kind[k] == _DOB_MISSING or kind.startswith("dob_") or kind == "script_on_list":
        ids.dob_kind[k] = _DOB_FULL
    if kind == "dob_year_only":
        ids.dob_kind[k] = _DOB_YEAR
    if kind == "dob_day_month_swap":
        ids.dob[k] = _days(_swappable(rng, _date(ids.dob[k]).year))
    if kind in ("doc_ocr", "doc_transposition"):
        ids.has_doc[k] = True
    ids.script_only[k] = kind == "script_on_list"
    listed = _date(ids.dob[k])
    dob = listed
    if kind == "dob_day_month_swap":
        dob = noise.day_month_swap(listed) or listed
    elif kind == "dob_year_off":
        dob = noise.year_off(listed, rng)
    elif kind == "dob_digit_off":
        dob = noise.digit_off(listed, rng)
    family, given = noise.render(person, fold=True)
    if kind == "transliteration":
        family, given = noise.render(_must(noise.transliteration_variant(person, rng)), fold=True)
    elif kind in ("typo1", "typo2"):
        family, given = noise.typo((family, given), rng, edits=int(kind[-1]))
    elif kind == "name_swap":
        family, given = given, family
    elif kind == "middle_dropped":
        family, given = noise.render(_must(noise.middle_dropped(person, rng)), fold=True)
    elif kind == "middle_added":
        family, given = noise.render(noise.middle_added(person, _extra(person, rng)), fold=True)
    elif kind == "compound":
        family, given = _must(noise.compound_variant(person, rng))
    return _Traveller(
        kind="planted",
        group=person.group.key,
        family=family,
        given=given,
        female=person.female,
        dob=dob,
        nationality=ids.nationality[k] or _draw(rng, person.group),
        corruption=kind,
        identity=k,
    )


def _must(value: Any) -> Any:
    if value is None:  # pragma: no cover - eligibility was checked
        raise AssertionError("corruption not applicable")
    return value


def _draw(rng: random.Random, group: NameGroup) -> str:
    return rng.choices(group.nationalities, weights=list(group.nationality_p))[0]


def _extra(person: Person, rng: random.Random) -> Part:
    names = person.group.middle(person.female)
    present = {p.spellings for p in person.given}
    while True:
        line = rng.choices(range(len(names)), weights=list(names.p))[0]
        if names.spellings[line] not in present:
            return Part(names.spellings[line], names.scripts[line])


def _pick_identities(kinds: list[str], ids: _Identities, rng: random.Random) -> list[_Traveller]:
    n = ids.dob_kind.size
    used: set[int] = set()
    out: list[_Traveller] = []
    for kind in kinds:
        for _ in range(5_000):
            k = rng.randrange(n)
            if k in used:
                continue
            person = _person(ids.people, k)
            if _eligible(kind, person):
                break
        else:
            raise ValueError(f"no listed identity suits the corruption {kind!r}; list too small")
        used.add(k)
        out.append(_plant(kind, ids, k, person, rng))
    return out


def _hard_negatives(
    count: int, ids: _Identities, taken: set[int], rng: random.Random
) -> list[_Traveller]:
    out: list[_Traveller] = []
    n = ids.dob_kind.size
    while len(out) < count:
        k = rng.randrange(n)
        if k in taken or ids.dob_kind[k] == _DOB_MISSING or ids.script_only[k]:
            continue
        taken.add(k)
        person = _person(ids.people, k)
        family, given = noise.render(person, fold=True)
        listed = _date(ids.dob[k])
        offset = rng.randint(3, 25)
        years = [y for y in (listed.year - offset, listed.year + offset) if 1930 <= y <= 2018]
        year = rng.choice(years)
        out.append(
            _Traveller(
                kind="hard_negative",
                group=person.group.key,
                family=family,
                given=given,
                female=person.female,
                dob=_any_day(rng, year),
                nationality=_draw(rng, person.group),
                identity=k,
            )
        )
    return out


def _strangers(
    count: int, rng: np.random.Generator, prng: random.Random, *, crew: bool = False
) -> list[_Traveller]:
    """People drawn from the name model for the flight (not listed, by construction later)."""
    if count == 0:
        return []
    people = _sample_people(rng, rng.choice(len(GROUPS), size=count, p=_mix(FLIGHT_MIX)), 0.1)
    family, given = _render(people, script=False)
    groups = _groups()
    first, last = (1950, 2004) if crew else (1938, 2024)
    return [
        _Traveller(
            kind="innocent",
            group=groups[int(people.group[k])].key,
            family=ascii_fold(family[k]),
            given=ascii_fold(given[k] or ""),
            female=bool(people.female[k]),
            dob=_any_day(prng, prng.randint(first, last)),
            nationality=_draw(prng, groups[int(people.group[k])]),
            crew=crew,
        )
        for k in range(count)
    ]


# -- the watchlist -------------------------------------------------------------------------------


def _entry_ids(n: int) -> pl.Series:
    width = max(7, len(str(n)))
    number = pl.int_range(1, n + 1).cast(pl.String).str.zfill(width)
    return pl.select(pl.concat_str(pl.lit("E"), number)).to_series()


def _dob_text(kind: int, days: int) -> str | None:
    if kind == _DOB_MISSING:
        return None
    value = _date(days)
    return str(value.year) if kind == _DOB_YEAR else value.isoformat()


def _extra_dobs(rng: random.Random, base: date) -> list[date]:
    out: list[date] = []
    for _ in range(rng.choice((1, 1, 2))):
        choice = rng.random()
        other = noise.day_month_swap(base) if choice < 0.3 else None
        if other is None and choice < 0.6:
            other = noise.year_off(base, rng)
        if other is None:
            other = base + timedelta(days=rng.choice((-1, 1)) * rng.randint(20, 700))
        if other != base and other not in out:
            out.append(other)
    return out


def _watchlist(ids: _Identities, rng: np.random.Generator, prng: random.Random) -> pl.DataFrame:
    n = ids.dob_kind.size
    entry = _entry_ids(n).to_numpy().astype(object)
    latin = _render(ids.people, script=False)
    script = _render(ids.people, script=True)
    primary = tuple(np.where(ids.script_only, s, lat) for s, lat in zip(script, latin, strict=True))
    dob = np.array([_dob_text(int(k), int(d)) for k, d in zip(ids.dob_kind, ids.dob, strict=True)])
    sex = np.where(ids.sex_known, np.where(ids.people.female, "F", "M"), _NONE)
    category = np.array(_CATEGORIES, dtype=object)[rng.integers(0, len(_CATEGORIES), size=n)]
    frames = [
        _rows(entry, 0, "primary", primary, dob, ids.nationality, sex, category, ids),
    ]
    # aliases: other spellings, other given names, the original script
    counts = np.where(ids.script_only, 0, rng.choice(4, size=n, p=_ALIAS_COUNT_P))
    owner = np.repeat(np.arange(n), counts)
    has_script = np.array([f is not None and g is not None for f, g in zip(*script, strict=True)])
    has_script = has_script[owner]
    draw = rng.random(owner.size)
    use_script = has_script & (draw < 0.4)
    other_names = ~use_script & (draw >= np.where(has_script, 0.8, 0.6))
    spelled = _render(
        _refill(rng, ids.people.take(owner), variant_share=1.0, spellings_only=True), script=False
    )
    renamed = _render(
        _refill(rng, ids.people.take(owner), variant_share=0.25, spellings_only=False),
        script=False,
    )
    alias = tuple(
        np.where(use_script, s[owner], np.where(other_names, r, sp))
        for s, r, sp in zip(script, renamed, spelled, strict=True)
    )
    name_type = np.where(other_names & (rng.random(owner.size) < 0.5), "weak_alias", "alias")
    second = ids.second_nationality[owner]
    has_second = np.array([code is not None for code in second], dtype=bool)
    frames.append(
        _rows(
            entry[owner],
            1,
            name_type,
            alias,
            dob[owner],
            np.where(has_second, second, ids.nationality[owner]),
            sex[owner],
            category[owner],
            None,
        )
    )
    # more dates of birth: extra rows under the primary name
    multiple = np.flatnonzero(ids.dob_kind == _DOB_MULTIPLE)
    extra_owner: list[int] = []
    extra_dob: list[str] = []
    for k in multiple:
        for other in _extra_dobs(prng, _date(ids.dob[k])):
            extra_owner.append(int(k))
            extra_dob.append(other.isoformat())
    rows = np.array(extra_owner, dtype=np.int64)
    frames.append(
        _rows(
            entry[rows],
            2,
            "primary",
            (primary[0][rows], primary[1][rows]),
            np.array(extra_dob, dtype=object),
            ids.nationality[rows],
            sex[rows],
            category[rows],
            None,
        )
    )
    frame = pl.concat(frames)
    frame = frame.filter(pl.col("family_name").is_not_null() | pl.col("given_names").is_not_null())
    frame = frame.unique(
        ["entry_id", "family_name", "given_names", "dob"], keep="first", maintain_order=True
    )
    # the canonical form, exactly as the library reads it back (fills full_name)
    return read_watchlist(frame.sort("entry_id", "_order", maintain_order=True).drop("_order"))


def _rows(
    entry: npt.NDArray[np.object_],
    order: int,
    name_type: str | npt.NDArray[Any],
    names: tuple[npt.NDArray[np.object_], ...],
    dob: npt.NDArray[Any],
    nationality: npt.NDArray[Any],
    sex: npt.NDArray[Any],
    category: npt.NDArray[Any],
    docs: _Identities | None,
) -> pl.DataFrame:
    n = entry.size
    doc_number = pl.Series("doc_number", [None] * n, dtype=pl.String)
    doc_issuer = pl.Series("doc_issuer", [None] * n, dtype=pl.String)
    if docs is not None:
        doc_number = pl.Series("doc_number", list(docs.doc_number), dtype=pl.String)
        issuers = np.where(
            docs.has_doc, np.array(_issuers(docs, np.arange(n)), dtype=object), _NONE
        )
        doc_issuer = pl.Series("doc_issuer", list(issuers), dtype=pl.String)
    frame = pl.DataFrame(
        {
            "entry_id": pl.Series(list(entry), dtype=pl.String),
            "name_type": pl.Series(
                [name_type] * n if isinstance(name_type, str) else list(name_type),
                dtype=pl.String,
            ),
            "family_name": pl.Series(list(names[0]), dtype=pl.String),
            "given_names": pl.Series(list(names[1]), dtype=pl.String),
            "full_name": pl.Series([None] * n, dtype=pl.String),
            "dob": pl.Series(list(dob), dtype=pl.String),
            "nationality": pl.Series(list(nationality), dtype=pl.String),
            "sex": pl.Series(list(sex), dtype=pl.String),
            "doc_type": doc_number.is_not_null().replace_strict({True: "P", False: None}),
            "doc_number": doc_number,
            "doc_issuer": doc_issuer,
            "list_name": pl.Series(["PAXSCREEN SYNTHETIC LIST"] * n, dtype=pl.String),
            "category": pl.Series(list(category), dtype=pl.String),
        },
        schema=WATCHLIST,
    )
    return frame.with_columns(pl.lit(order, dtype=pl.Int8).alias("_order"))


# -- the flight ----------------------------------------------------------------------------------


def _folded_names(watchlist: pl.DataFrame) -> pl.DataFrame:
    """Folded (entry_id, family, given, dob) of every watchlist row, in order."""
    return watchlist.select("entry_id", "family_name", "given_names", "dob").with_columns(
        _fold(watchlist["family_name"]), _fold(watchlist["given_names"])
    )


def _fold(names: pl.Series) -> pl.Series:
    """:func:`ascii_fold` over a column, computed once per distinct name."""
    distinct = names.drop_nulls().unique()
    folded = pl.Series([ascii_fold(n) for n in distinct], dtype=pl.String)
    return names.replace_strict(distinct, folded, default=None, return_dtype=pl.String)


def _without_presented_names(
    watchlist: pl.DataFrame, folded: pl.DataFrame, people: list[_Traveller]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Drop the alias rows that spell a name-corrupted planted traveller's name exactly as they
    present it (an alias MUHAMMAD when the primary is MOHAMMED and the traveller shows
    MUHAMMAD): the label promises a name that is on no row of the entry. Returns the watchlist
    and its folded names (:func:`_folded_names`) without those rows."""
    presented = pl.DataFrame(
        [
            (p.entry_id, p.family, p.given)
            for p in people
            if p.kind == "planted" and p.corruption in _NAME_CORRUPTIONS
        ],
        schema={"entry_id": pl.String, "_family": pl.String, "_given": pl.String},
        orient="row",
    )
    clash = folded.with_row_index("_row").join(
        presented,
        left_on=["entry_id", "family_name", "given_names"],
        right_on=["entry_id", "_family", "_given"],
    )["_row"]
    keep = ~pl.int_range(pl.len()).is_in(clash.implode())
    return watchlist.filter(keep), folded.filter(keep)


def _collisions(people: list[_Traveller], listed: pl.DataFrame) -> set[int]:
    """Indexes of travellers who share a listed row's full name and a compatible date of birth
    (same date, or same year where the list gives only the year) with an identity other than
    the one they are planted from."""
    frame = pl.DataFrame(
        {
            "k": range(len(people)),
            "family_name": [p.family for p in people],
            "given_names": [p.given for p in people],
            "day": [p.dob.isoformat() for p in people],
            "own": [p.entry_id for p in people],
        },
        schema={
            "k": pl.Int64,
            "family_name": pl.String,
            "given_names": pl.String,
            "day": pl.String,
            "own": pl.String,
        },
    )
    hits = frame.join(listed, on=["family_name", "given_names"]).filter(
        ((pl.col("dob") == pl.col("day")) | (pl.col("dob") == pl.col("day").str.slice(0, 4)))
        & (pl.col("own").is_null() | (pl.col("own") != pl.col("entry_id")))
    )
    return set(hits["k"].to_list())


def _new_documents(people: list[_Traveller], rng: np.random.Generator, forbidden: set[str]) -> None:
    """Give every traveller without a document a passport of their nationality, unique and not
    on any list."""
    need = [p for p in people if p.doc_number is None]
    while need:
        issuers = [p.nationality or "XXX" for p in need]
        numbers = document_numbers(issuers, rng).to_pylist()
        retry: list[_Traveller] = []
        for person, number in zip(need, numbers, strict=True):
            if number in forbidden:
                retry.append(person)
            else:
                person.doc_number = number
                forbidden.add(number)
        need = retry


def _flight_rows(
    people: list[_Traveller], config: ScenarioConfig, prng: random.Random
) -> pl.DataFrame:
    departure = datetime.combine(
        config.reference_date + timedelta(days=prng.randint(1, 30)),
        datetime.min.time(),
    ) + timedelta(minutes=5 * prng.randrange(12 * 24))
    leg = {
        "carrier": "ZZ",
        "flight_number": f"ZZ{prng.randint(100, 9999)}",
        "dep_airport": prng.choice(_ORIGINS),
        "arr_airport": prng.choice(_DESTINATIONS),
        "dep_time": departure,
        "arr_time": departure + timedelta(minutes=5 * prng.randint(80, 170)),
    }
    rows: list[dict[str, Any]] = []
    counters = {False: 0, True: 0}
    booking = ""
    for person in people:
        counters[person.crew] += 1
        message = 2 if person.crew else 1
        passport = {
            "doc_type": "P",
            "doc_number": person.doc_number,
            "doc_issuer": person.nationality,
            "doc_expiry": config.reference_date + timedelta(days=prng.randint(60, 3600)),
        }
        references: list[dict[str, str]] = []
        if not person.crew:
            if not booking or prng.random() < 0.6:
                booking = "".join(prng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=6))
            seat = f"{prng.randint(1, 45)}{prng.choice('ABCDEFHJK')}"
            references = [
                {"qualifier": "AVF", "value": booking},
                {"qualifier": "SEA", "value": seat},
            ]
        rows.append(
            {
                "record_id": f"{message}.{counters[person.crew]}",
                "source_format": "paxlst",
                "source_ref": f"S{config.seed}{'C' if person.crew else 'P'}",
                "role": "crew" if person.crew else "passenger",
                "family_name": person.family,
                "given_names": person.given or None,
                "dob": person.dob,
                "sex": "F" if person.female else "M",
                "nationality": person.nationality,
                "residence": person.nationality if prng.random() < 0.8 else None,
                **passport,
                "documents": [passport],
                **leg,
                "legs": [leg],
                "embark": leg["dep_airport"],
                "debark": leg["arr_airport"],
                "pnr_locator": booking if not person.crew else None,
                "seat": references[1]["value"] if references else None,
                "bag_tags": [],
                "references": references,
            }
        )
    return travellers_frame(rows)


# -- the whole scenario --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything but the bulk document list."""

    travellers: pl.DataFrame
    watchlist: pl.DataFrame
    people: list[_Traveller]
    planted_documents: pl.DataFrame
    exclude: pl.DataFrame


def _plan(config: ScenarioConfig) -> _Plan:
    rng = np.random.default_rng(config.seed)
    prng = random.Random(config.seed)
    ids = _identities(rng, config.identities)
    crew = max(1, round(config.travellers * 0.03)) if config.travellers >= 20 else 0
    passengers = config.travellers - crew
    planted = round(passengers * config.planted_share) if config.corruptions else 0
    hard = round(passengers * config.hard_negative_share)
    kinds = [config.corruptions[k % len(config.corruptions)] for k in range(planted)]
    prng.shuffle(kinds)

    listed_kinds = [k for k in kinds if k not in DOCUMENT_CORRUPTIONS]
    people = _pick_identities(listed_kinds, ids, prng)
    lost = _strangers(len(kinds) - len(listed_kinds), rng, prng)
    for person, kind in zip(lost, (k for k in kinds if k in DOCUMENT_CORRUPTIONS), strict=True):
        person.kind, person.corruption = "planted", kind
    taken = {p.identity for p in people if p.identity is not None}
    people += _hard_negatives(hard, ids, taken, prng)
    people += lost
    people += _strangers(passengers - len(people), rng, prng)
    entry = _entry_ids(config.identities)
    for person in people:
        if person.identity is not None:
            person.entry_id = entry[person.identity]

    # listed documents, then the watchlist as printed
    holders = np.flatnonzero(ids.has_doc)
    ids.doc_number = np.full(config.identities, None, dtype=object)
    ids.doc_number[holders] = document_numbers(_issuers(ids, holders), rng).to_pylist()
    watchlist = _watchlist(ids, rng, prng)
    watchlist, folded = _without_presented_names(watchlist, _folded_names(watchlist), people)

    # innocents and hard negatives never coincide with a listed identity on name and birth date
    listed = folded.drop_nulls("dob")
    for _ in range(50):
        clash = _collisions(people, listed)
        if not clash:
            break
        fresh = iter(_strangers(len(clash), rng, prng))
        for k in sorted(clash):
            person = people[k]
            if person.kind == "innocent":
                people[k] = next(fresh)
            elif person.kind == "hard_negative":
                person.dob = _any_day(prng, person.dob.year + prng.choice((-1, 1)))
    prng.shuffle(people)
    people += _strangers(crew, rng, prng, crew=True)

    # documents: the misread listed ones of the document corruptions (other planted travellers
    # carry a passport the list does not know, so that their corruption is what gets tested),
    # the lost/stolen ones, then a fresh passport for everyone else
    listed_docs = {str(x) for x in ids.doc_number[holders]}
    for person in people:
        if person.identity is not None and person.corruption in ("doc_ocr", "doc_transposition"):
            number = str(ids.doc_number[person.identity])
            person.doc_number = _corrupt(number, person.corruption[4:], prng)
    lost_people = [p for p in people if p.corruption in DOCUMENT_CORRUPTIONS]
    forbidden = listed_docs | {p.doc_number for p in people if p.doc_number}
    _new_documents(lost_people, rng, forbidden)
    for person in lost_people:
        person.listed_doc = person.doc_number
        if person.corruption != "lost_exact":
            number = _corrupt(person.doc_number or "", person.corruption[5:], prng)  # type: ignore[index]
            person.doc_number = number
    forbidden |= {p.doc_number for p in people if p.doc_number}
    _new_documents(people, rng, forbidden)

    planted_docs = pl.DataFrame(
        {
            "doc_number": [p.listed_doc for p in lost_people],
            "doc_issuer": [p.nationality for p in lost_people],
            "doc_type": ["P"] * len(lost_people),
            "status": [prng.choice(_STATUSES) for _ in lost_people],
        },
        schema=dict.fromkeys(("doc_number", "doc_issuer", "doc_type", "status"), pl.String),
    )
    exclude = pl.DataFrame(
        {
            "doc_issuer": [p.nationality for p in people if p.corruption != "lost_exact"],
            "doc_number": [p.doc_number for p in people if p.corruption != "lost_exact"],
        },
        schema={"doc_issuer": pl.String, "doc_number": pl.String},
    )
    return _Plan(_flight_rows(people, config, prng), watchlist, people, planted_docs, exclude)


def _corrupt(number: str, kind: str, rng: random.Random) -> str:
    """The number misread by ``kind``; a number that cannot be misread that way (no confusable
    character) is misread by one edit instead."""
    try:
        return corrupt_document(number, kind, rng)  # type: ignore[arg-type]
    except ValueError:
        return corrupt_document(number, "edit", rng)


def _truth(plan: _Plan, refs: Sequence[str]) -> pl.DataFrame:
    lost = iter(refs)
    rows = []
    for person, record_id in zip(plan.people, plan.travellers["record_id"], strict=True):
        is_lost = person.corruption in DOCUMENT_CORRUPTIONS
        rows.append(
            {
                "record_id": record_id,
                "kind": person.kind,
                "list": "documents"
                if is_lost
                else (None if person.kind == "innocent" else "watchlist"),
                "entry_id": next(lost) if is_lost else person.entry_id,
                "corruption": person.corruption,
                "name_group": person.group,
            }
        )
    return pl.DataFrame(rows, schema=TRUTH)


def make_scenario(config: ScenarioConfig | None = None, /) -> Scenario:
    """Generate a scenario in memory (for tests and notebooks; large document lists belong on
    disk: see :func:`write_scenario`).

    Raises:
        ValueError: The watchlist is too small for the requested corruptions.
    """
    config = config or ScenarioConfig()
    plan = _plan(config)
    documents = document_list(
        rows=config.documents,
        seed=config.seed,
        planted=plan.planted_documents,
        exclude=plan.exclude,
    )
    refs = planted_record_refs(
        rows=config.documents, seed=config.seed, count=plan.planted_documents.height
    )
    return Scenario(
        config=config,
        travellers=plan.travellers,
        manifest=_manifest(plan.travellers, config),
        watchlist=plan.watchlist,
        documents=documents,
        truth=_truth(plan, refs),
    )


def _manifest(travellers: pl.DataFrame, config: ScenarioConfig) -> str:
    prepared = datetime.combine(config.reference_date, datetime.min.time())
    return write_paxlst(
        travellers,
        sender="ZZAIRLINE",
        recipient="PAXSCREEN",
        control_ref=str(config.seed),
        prepared=prepared,
    )


#: The files of a scenario directory.
FILES: Final = {
    "travellers": "travellers.parquet",
    "manifest": "manifest.edi",
    "pnr": "pnrgov.edi",
    "watchlist": "watchlist.parquet",
    "documents": "documents.parquet",
    "truth": "truth.parquet",
    "summary": "scenario.json",
}


def write_scenario(out: str | Path, config: ScenarioConfig | None = None, /) -> dict[str, Any]:
    """Generate a scenario into the directory ``out`` (created if needed).

    Writes ``travellers.parquet`` and the same flight as ``manifest.edi`` (PAXLST) and its
    passengers as ``pnrgov.edi`` (a PNRGOV push, one PNR per booking, a tenth of the
    passengers with meal, medical and free-text elements the ingest filter must drop),
    ``watchlist.parquet``, ``documents.parquet`` (streamed, so 100 million rows fit in memory),
    ``truth.parquet`` and ``scenario.json`` (the config, the counts and the generator version:
    nothing that changes when the same config is generated again). Returns what
    ``scenario.json`` holds, plus ``seconds``.

    Raises:
        ValueError: The watchlist is too small for the requested corruptions.
    """
    import time

    config = config or ScenarioConfig()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    plan = _plan(config)
    plan.travellers.write_parquet(folder / FILES["travellers"])
    (folder / FILES["manifest"]).write_text(_manifest(plan.travellers, config), encoding="latin-1")
    push = pnr_push(plan.travellers, seed=config.seed, sensitive_share=0.1)
    (folder / FILES["pnr"]).write_text(push, encoding="latin-1")
    plan.watchlist.write_parquet(folder / FILES["watchlist"])
    stats = write_document_list(
        folder / FILES["documents"],
        rows=config.documents,
        seed=config.seed,
        planted=plan.planted_documents,
        exclude=plan.exclude,
    )
    truth = _truth(plan, stats.planted_refs)
    truth.write_parquet(folder / FILES["truth"])
    summary = _summary(config, plan, truth)
    (folder / FILES["summary"]).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return {**summary, "seconds": round(time.perf_counter() - started, 1)}


def _summary(config: ScenarioConfig, plan: _Plan, truth: pl.DataFrame) -> dict[str, Any]:
    settings = asdict(config)
    settings["reference_date"] = config.reference_date.isoformat()
    settings["corruptions"] = list(config.corruptions)
    kinds = truth.group_by("kind").len().sort("kind")
    return {
        "generator": f"paxscreen {__version__}",
        "config": settings,
        "counts": {
            "travellers": plan.travellers.height,
            "watchlist_rows": plan.watchlist.height,
            "identities": config.identities,
            "documents": config.documents,
            **{row["kind"]: row["len"] for row in kinds.iter_rows(named=True)},
        },
    }
