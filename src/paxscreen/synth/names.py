"""The synthetic name model: name-origin groups, weighted names with variant spellings.

Each group is one UTF-8 text file in ``paxscreen/synth/names/`` (``<key>.txt``), written for this
project (see ``docs/synthetic.md`` for where each list came from). The format::

    # source: how the material was written
    [meta]
    key = arabic
    label = Arabic (Gulf, Levant, Egypt, Iraq, Maghreb)
    script = Arab                 # ISO 15924 code of the original-script forms, or none
    nationalities = EGY 25, SAU 12, ...
    second_given = 0.55           # share of people with a second given name
    middle_source = father        # father | own | middle
    second_family = 0.0           # share of people with a second family name
    middle_position = after       # after | before: where the second given name is written
    compound = spaced             # spaced | joined | hyphenated: how compounds are printed
    tail_share = 0.3              # share of family names drawn from the stem + ending tail

    [given_male]                  # also [given_female], [family], [middle_male], [middle_female]
    1000 | MOHAMMED; MUHAMMAD; MOHAMED | محمد      (weight | spellings, canonical first | script)
    [tail_stems]                  # and [tail_endings]: family name = stem + ending
    3 | AL-BAGHD | البغد
    [female_rules]                # male -> female family name; "script:" lines for the script
    OV$ => OVA
    [variant_rules]               # regex => replacement: another spelling of the same name
    KH => H

A space inside a spelling marks a compound (ABDUL RAHMAN, XIAO MING, VAN DER BERG); the
group's ``compound`` style says how passports print it. The loader materialises the tail (every
stem + ending not already a listed name, weighted by the product of their weights) and the female
forms of family names, so that sampling is a plain weighted draw over one table per role.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from paxscreen._countries import is_known_country

__all__ = [
    "GROUPS",
    "NameGroup",
    "NameSet",
    "load_group",
    "parse_group",
]

Compound = Literal["spaced", "joined", "hyphenated"]
MiddleSource = Literal["father", "own", "middle"]
Rule = tuple["re.Pattern[str]", str]

_LIST_SECTIONS: Final = (
    "given_male",
    "given_female",
    "family",
    "middle_male",
    "middle_female",
    "tail_stems",
    "tail_endings",
)
_RULE_SECTIONS: Final = ("female_rules", "variant_rules")
_SCRIPT_RULE: Final = "script:"
_SCRIPTS: Final = frozenset({"Arab", "Cyrl", "Grek", "Hani"})
_UNSPACED_SCRIPTS: Final = frozenset({"Hani"})


def _package_keys() -> tuple[str, ...]:
    folder = resources.files("paxscreen.synth") / "names"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".txt")))


#: The keys of the name-origin groups shipped with paxscreen, sorted.
GROUPS: Final[tuple[str, ...]] = _package_keys()


@dataclass(frozen=True, slots=True, eq=False)
class NameSet:
    """One role's names (given male, family...): weighted lines of variant spellings.

    Attributes:
        spellings: Per line, the spellings of one name, canonical first.
        scripts: Per line, the original-script form, or None.
        p: Per line, the probability of drawing it (sums to 1; empty set: no lines).
    """

    spellings: tuple[tuple[str, ...], ...]
    scripts: tuple[str | None, ...]
    p: npt.NDArray[np.float64]
    _flat: npt.NDArray[np.object_] = field(init=False, repr=False)
    _start: npt.NDArray[np.int64] = field(init=False, repr=False)
    _count: npt.NDArray[np.int64] = field(init=False, repr=False)
    _printed: dict[Callable[[str], str], npt.NDArray[np.object_]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        counts = np.array([len(s) for s in self.spellings], dtype=np.int64)
        flat = np.empty(int(counts.sum()), dtype=object)
        flat[:] = [spelling for line in self.spellings for spelling in line]
        object.__setattr__(self, "_flat", flat)
        object.__setattr__(self, "_count", counts)
        object.__setattr__(self, "_start", np.concatenate([[0], np.cumsum(counts)[:-1]]))

    def __len__(self) -> int:
        return len(self.spellings)

    def sample(self, rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
        """Draw ``n`` line indexes by weight."""
        return rng.choice(len(self.spellings), size=n, p=self.p)

    def pick_spelling(
        self, rng: np.random.Generator, lines: npt.NDArray[np.int64], variant_share: float
    ) -> npt.NDArray[np.int64]:
        """Per line index, which spelling to print: a non-canonical one with ``variant_share``."""
        count = self._count[lines]
        other = rng.random(lines.size) < variant_share
        alternative = 1 + np.floor(rng.random(lines.size) * np.maximum(count - 1, 1)).astype(
            np.int64
        )
        return np.where(other & (count > 1), alternative, 0)

    def printed_text(
        self,
        lines: npt.NDArray[np.int64],
        spelling: npt.NDArray[np.int64],
        style: Callable[[str], str],
    ) -> npt.NDArray[np.object_]:
        """The spellings at (line, spelling) index pairs, each passed through ``style`` (how the
        group prints compounds; applied once per set and cached)."""
        if style not in self._printed:
            printed = np.empty(self._flat.size, dtype=object)
            printed[:] = [style(s) for s in self._flat]
            self._printed[style] = printed
        return self._printed[style][self._start[lines] + spelling]  # type: ignore[no-any-return]

    def script_text(self, lines: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
        """The original-script forms of ``lines`` (None where a line has none)."""
        table = np.empty(len(self.scripts), dtype=object)
        table[:] = self.scripts
        return table[lines]


@dataclass(frozen=True, slots=True, eq=False)
class NameGroup:
    """A name-origin group: its names per role, its habits and its nationalities."""

    key: str
    label: str
    source: str
    script: str | None
    nationalities: tuple[str, ...]
    nationality_p: npt.NDArray[np.float64]
    second_given: float
    middle_source: MiddleSource
    middle_first: bool
    second_family: float
    compound: Compound
    given_male: NameSet
    given_female: NameSet
    family_male: NameSet
    family_female: NameSet
    middle_male: NameSet | None
    middle_female: NameSet | None
    variant_rules: tuple[Rule, ...]

    def given(self, female: bool) -> NameSet:
        """The given names for one sex."""
        return self.given_female if female else self.given_male

    def family(self, female: bool) -> NameSet:
        """The family names for one sex (female forms where the group inflects them)."""
        return self.family_female if female else self.family_male

    def middle(self, female: bool) -> NameSet:
        """Where a second given name is drawn from, per ``middle_source``."""
        if self.middle_source == "father":
            return self.given_male
        if self.middle_source == "own":
            return self.given(female)
        middle = self.middle_female if female else self.middle_male
        assert middle is not None  # checked at load
        return middle

    def print_compound(self, spelling: str) -> str:
        """A spelling as the group's passports print a compound (XIAO MING -> XIAOMING)."""
        if self.compound == "joined":
            return spelling.replace(" ", "")
        if self.compound == "hyphenated":
            return spelling.replace(" ", "-")
        return spelling

    def join_script(self, parts: list[str]) -> str:
        """Join original-script parts (Han names are written without spaces)."""
        return ("" if self.script in _UNSPACED_SCRIPTS else " ").join(parts)

    def rule_variants(self, spelling: str) -> list[str]:
        """Other spellings of ``spelling`` by this group's transliteration habits."""
        out: list[str] = []
        for pattern, replacement in self.variant_rules:
            variant = pattern.sub(replacement, spelling)
            if variant != spelling and variant and variant not in out:
                out.append(variant)
        return out


class _Problem(ValueError):
    pass


def _weights(values: list[float], where: str) -> npt.NDArray[np.float64]:
    p = np.asarray(values, dtype=np.float64)
    if p.size and (p.min() <= 0 or not np.isfinite(p).all()):
        raise _Problem(f"{where}: weights must be positive")
    return p / p.sum() if p.size else p


def _read_sections(text: str, where: str) -> dict[str, list[tuple[int, str]]]:
    sections: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    sections["#source"] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("# source:"):
            sections["#source"].append((number, line.removeprefix("# source:").strip()))
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            name = line[1:-1].strip()
            if name != "meta" and name not in _LIST_SECTIONS + _RULE_SECTIONS:
                raise _Problem(f"{where}:{number}: unknown section [{name}]")
            if name in sections:
                raise _Problem(f"{where}:{number}: section [{name}] appears twice")
            current = sections[name] = []
            continue
        if current is None:
            raise _Problem(f"{where}:{number}: text before the first section")
        current.append((number, line))
    return sections


def _read_meta(lines: list[tuple[int, str]], where: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for number, line in lines:
        key, sep, value = line.partition("=")
        if not sep:
            raise _Problem(f"{where}:{number}: expected 'key = value'")
        meta[key.strip()] = value.split("#", 1)[0].strip()
    return meta


def _read_names(
    lines: list[tuple[int, str]], where: str, section: str
) -> tuple[list[float], list[tuple[str, ...]], list[str | None]]:
    weights: list[float] = []
    spellings: list[tuple[str, ...]] = []
    scripts: list[str | None] = []
    seen: set[str] = set()
    for number, line in lines:
        fields = [f.strip() for f in line.split("|")]
        if len(fields) not in (2, 3):
            raise _Problem(f"{where}:{number}: expected 'weight | spellings | script'")
        try:
            weight = float(fields[0])
        except ValueError:
            raise _Problem(f"{where}:{number}: weight is not a number") from None
        names = tuple(s.strip() for s in fields[1].split(";") if s.strip())
        if not names or any(s != s.upper() or "  " in s for s in names):
            raise _Problem(f"{where}:{number}: spellings must be upper case, single-spaced")
        repeated = seen.intersection(names) or (len(set(names)) < len(names))
        if repeated:
            raise _Problem(f"{where}:{number}: a spelling repeats within [{section}]")
        seen.update(names)
        weights.append(weight)
        spellings.append(names)
        scripts.append(fields[2] if len(fields) == 3 and fields[2] else None)
    return weights, spellings, scripts


def _read_rules(lines: list[tuple[int, str]], where: str) -> tuple[list[Rule], list[Rule]]:
    latin: list[Rule] = []
    script: list[Rule] = []
    for number, line in lines:
        target = latin
        if line.startswith(_SCRIPT_RULE):
            target, line = script, line.removeprefix(_SCRIPT_RULE).strip()
        pattern, sep, replacement = line.partition("=>")
        if not sep:
            raise _Problem(f"{where}:{number}: expected 'regex => replacement'")
        try:
            target.append((re.compile(pattern.strip()), replacement.strip()))
        except re.error:
            raise _Problem(f"{where}:{number}: the regex does not compile") from None
    return latin, script


def _apply(rules: list[Rule], text: str) -> str:
    for pattern, replacement in rules:
        changed = pattern.sub(replacement, text)
        if changed != text:
            return changed
    return text


def _family_sets(
    sections: dict[str, list[tuple[int, str]]], where: str, tail_share: float, script: bool
) -> tuple[NameSet, NameSet]:
    weights, spellings, scripts = _read_names(sections.get("family", []), where, "family")
    stems = _read_names(sections.get("tail_stems", []), where, "tail_stems")
    endings = _read_names(sections.get("tail_endings", []), where, "tail_endings")
    listed = {s for line in spellings for s in line}
    head = _weights(weights, f"{where} [family]") * (1.0 - tail_share)
    tail_w: list[float] = []
    if tail_share > 0:
        if not stems[0] or not endings[0]:
            raise _Problem(f"{where}: tail_share > 0 needs [tail_stems] and [tail_endings]")
        for ws, (stem,), stem_script in zip(*stems, strict=True):
            for we, (ending,), ending_script in zip(*endings, strict=True):
                name = stem + ending
                if name in listed:
                    continue
                listed.add(name)
                tail_w.append(ws * we)
                spellings.append((name,))
                both = stem_script is not None and ending_script is not None
                scripts.append(f"{stem_script}{ending_script}" if script and both else None)
    p = np.concatenate([head, _weights(tail_w, f"{where} tail") * tail_share])
    male = NameSet(tuple(spellings), tuple(scripts), p)
    latin_rules, script_rules = _read_rules(sections.get("female_rules", []), where)
    female_spellings = tuple(
        tuple(dict.fromkeys(_apply(latin_rules, s) for s in line)) for line in spellings
    )
    female_scripts = tuple(None if s is None else _apply(script_rules, s) for s in scripts)
    return male, NameSet(female_spellings, female_scripts, p)


def _name_set(sections: dict[str, list[tuple[int, str]]], where: str, name: str) -> NameSet:
    weights, spellings, scripts = _read_names(sections.get(name, []), where, name)
    if not spellings:
        raise _Problem(f"{where}: section [{name}] is missing or empty")
    return NameSet(tuple(spellings), tuple(scripts), _weights(weights, f"{where} [{name}]"))


def _fraction(meta: dict[str, str], key: str, where: str) -> float:
    try:
        value = float(meta.get(key, "0"))
    except ValueError:
        raise _Problem(f"{where}: {key} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise _Problem(f"{where}: {key} must be within 0..1")
    return value


def parse_group(text: str, *, where: str = "<name group>") -> NameGroup:
    """Read one name-group file (the format in this module's docstring).

    Args:
        text: The file's text.
        where: How to name the file in error messages.

    Raises:
        ValueError: The text breaks the format; the message names the file and line.
    """
    sections = _read_sections(text, where)
    meta = _read_meta(sections.get("meta", []), where)
    for key in ("key", "label", "nationalities", "middle_source", "compound"):
        if key not in meta:
            raise _Problem(f"{where}: [meta] needs '{key}'")
    script = None if meta.get("script", "none") == "none" else meta["script"]
    if script is not None and script not in _SCRIPTS:
        raise _Problem(f"{where}: unknown script {script!r}")
    middle_source = meta["middle_source"]
    compound = meta["compound"]
    if middle_source not in ("father", "own", "middle"):
        raise _Problem(f"{where}: middle_source must be father, own or middle")
    if meta.get("middle_position", "after") not in ("after", "before"):
        raise _Problem(f"{where}: middle_position must be after or before")
    if compound not in ("spaced", "joined", "hyphenated"):
        raise _Problem(f"{where}: compound must be spaced, joined or hyphenated")
    codes: list[str] = []
    weights: list[float] = []
    for item in meta["nationalities"].split(","):
        code, _, weight = item.strip().partition(" ")
        if not is_known_country(code) or len(code) != 3:
            raise _Problem(f"{where}: {code!r} is not an ISO 3166 alpha-3 code")
        codes.append(code)
        weights.append(float(weight or 1))
    tail_share = _fraction(meta, "tail_share", where)
    family_male, family_female = _family_sets(sections, where, tail_share, script is not None)
    middle = middle_source == "middle"
    variant_rules, _ = _read_rules(sections.get("variant_rules", []), where)
    return NameGroup(
        key=meta["key"],
        label=meta["label"],
        source=" ".join(text for _, text in sections["#source"]),
        script=script,
        nationalities=tuple(codes),
        nationality_p=_weights(weights, f"{where} nationalities"),
        second_given=_fraction(meta, "second_given", where),
        middle_source=middle_source,  # type: ignore[arg-type]
        middle_first=meta.get("middle_position", "after") == "before",
        second_family=_fraction(meta, "second_family", where),
        compound=compound,  # type: ignore[arg-type]
        given_male=_name_set(sections, where, "given_male"),
        given_female=_name_set(sections, where, "given_female"),
        family_male=family_male,
        family_female=family_female,
        middle_male=_name_set(sections, where, "middle_male") if middle else None,
        middle_female=_name_set(sections, where, "middle_female") if middle else None,
        variant_rules=tuple(variant_rules),
    )


@cache
def load_group(key: str) -> NameGroup:
    """The name group ``key`` shipped with paxscreen (one of :data:`GROUPS`), cached.

    Raises:
        KeyError: No such group.
        ValueError: The group's file is malformed (a packaging defect; tests guard it).
    """
    if key not in GROUPS:
        raise KeyError(f"unknown name group {key!r}; known: {', '.join(GROUPS)}")
    path = resources.files("paxscreen.synth") / "names" / f"{key}.txt"
    group = parse_group(path.read_text(encoding="utf-8"), where=Path(str(path)).name)
    if group.key != key:
        raise ValueError(f"{key}.txt declares key {group.key!r}")
    return group
