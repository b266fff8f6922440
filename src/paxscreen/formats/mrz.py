"""ICAO Doc 9303 machine readable zones (MRZ): parse, check, write, transliterate.

Layouts (Doc 9303 Parts 4-7): TD3 passports (2 x 44), TD2 cards (2 x 36), TD1 cards
(3 x 30), MRV-A visas (2 x 44, document code ``V``) and MRV-B visas (2 x 36). The character
set is ``A-Z``, ``0-9`` and the filler ``<``.

* :func:`parse_mrz` reads the lines into a dict of fields plus one verdict per check digit.
  A failing check digit does not raise; only structural faults (line count, line length,
  character set) raise :class:`~paxscreen.errors.ParseError`, whose messages carry codes,
  line numbers and positions but never MRZ content.
* :func:`check_digit` is the 7-3-1 check digit.
* :func:`write_mrz` produces synthetic TD1/TD2/TD3 zones (test data, fixtures).
* :func:`transliterate_icao` and :func:`transliteration_variants` turn names in Latin
  (with diacritics), Cyrillic, Arabic or Greek script into the A-Z form used in an MRZ
  (Doc 9303 Part 3, Section 6; tables in :mod:`paxscreen.formats._translit_tables`).
* :data:`SPECIAL_CODES` lists the issuer/nationality codes that are not ISO 3166 countries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final, Literal

from paxscreen._countries import ICAO_SPECIAL
from paxscreen._dates import parse_yymmdd
from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError
from paxscreen.formats import _translit_tables as tables

__all__ = [
    "SPECIAL_CODES",
    "MrzFormat",
    "check_digit",
    "parse_mrz",
    "transliterate_icao",
    "transliteration_variants",
    "write_mrz",
]

MrzFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]

#: Codes of the issuing-state and nationality fields that are not ISO 3166-1 countries
#: (Doc 9303 Part 3, Section 5), with ``D`` (Germany's one-letter code) and ``RKS``
#: (Kosovo: not assigned by ICAO but printed on documents).
#: Issuer / nationality codes that are not ISO 3166 countries (one table, kept in _countries).
SPECIAL_CODES: Final[Mapping[str, str]] = ICAO_SPECIAL

_FILLER: Final = "<"
_CHARSET: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

# Field layouts: (field name, line index, start, end), 0-based, end exclusive.
_Layout = tuple[tuple[str, int, int, int], ...]

_LINE2_COMMON: Final[_Layout] = (
    ("doc_number", 1, 0, 9),
    ("doc_number_check", 1, 9, 10),
    ("nationality", 1, 10, 13),
    ("dob", 1, 13, 19),
    ("dob_check", 1, 19, 20),
    ("sex", 1, 20, 21),
    ("expiry", 1, 21, 27),
    ("expiry_check", 1, 27, 28),
)

_LAYOUTS: Final[Mapping[str, _Layout]] = MappingProxyType(
    {
        "TD3": (
            ("document_code", 0, 0, 2),
            ("issuer", 0, 2, 5),
            ("name", 0, 5, 44),
            *_LINE2_COMMON,
            ("optional_data", 1, 28, 42),
            ("optional_check", 1, 42, 43),
            ("composite_check", 1, 43, 44),
        ),
        "MRVA": (
            ("document_code", 0, 0, 2),
            ("issuer", 0, 2, 5),
            ("name", 0, 5, 44),
            *_LINE2_COMMON,
            ("optional_data", 1, 28, 44),
        ),
        "TD2": (
            ("document_code", 0, 0, 2),
            ("issuer", 0, 2, 5),
            ("name", 0, 5, 36),
            *_LINE2_COMMON,
            ("optional_data", 1, 28, 35),
            ("composite_check", 1, 35, 36),
        ),
        "MRVB": (
            ("document_code", 0, 0, 2),
            ("issuer", 0, 2, 5),
            ("name", 0, 5, 36),
            *_LINE2_COMMON,
            ("optional_data", 1, 28, 36),
        ),
        "TD1": (
            ("document_code", 0, 0, 2),
            ("issuer", 0, 2, 5),
            ("doc_number", 0, 5, 14),
            ("doc_number_check", 0, 14, 15),
            ("optional_data", 0, 15, 30),
            ("dob", 1, 0, 6),
            ("dob_check", 1, 6, 7),
            ("sex", 1, 7, 8),
            ("expiry", 1, 8, 14),
            ("expiry_check", 1, 14, 15),
            ("nationality", 1, 15, 18),
            ("optional_data_2", 1, 18, 29),
            ("composite_check", 1, 29, 30),
            ("name", 2, 0, 30),
        ),
    }
)

# Data covered by the composite check digit: (line index, start, end).
_COMPOSITE: Final[Mapping[str, tuple[tuple[int, int, int], ...]]] = MappingProxyType(
    {
        "TD3": ((1, 0, 10), (1, 13, 20), (1, 21, 43)),
        "TD2": ((1, 0, 10), (1, 13, 20), (1, 21, 35)),
        "TD1": ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    }
)

_TWO_LINE_WIDTHS: Final = (36, 44)
_CONCATENATED: Final[Mapping[int, tuple[int, int]]] = MappingProxyType(
    {88: (2, 44), 72: (2, 36), 90: (3, 30)}
)
_NAME_WIDTH: Final[Mapping[str, int]] = MappingProxyType({"TD1": 30, "TD2": 31, "TD3": 39})
_OPTIONAL_WIDTH: Final[Mapping[str, int]] = MappingProxyType({"TD1": 15, "TD2": 7, "TD3": 14})


# --------------------------------------------------------------------------------------------
# Check digit


def _char_value(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == _FILLER:
        return 0
    raise ValueError("character outside A-Z, 0-9 and '<'")


def check_digit(data: str) -> str:
    """Compute the ICAO Doc 9303 check digit of ``data``.

    Each character has a value (``0``-``9`` their digit, ``A``=10 ... ``Z``=35, ``<``=0);
    the values are multiplied by the repeating weights 7, 3, 1, summed, and the sum is taken
    modulo 10.

    Args:
        data: MRZ characters (``A-Z``, ``0-9``, ``<``); may be empty.

    Returns:
        The check digit as a one-character string ``"0"``-``"9"``.

    Raises:
        ValueError: ``data`` holds a character outside the MRZ character set. The message
            gives the position, not the character.
    """
    total = 0
    for index, char in enumerate(data):
        try:
            value = _char_value(char)
        except ValueError:
            raise ValueError(
                f"character at position {index + 1} is outside A-Z, 0-9 and '<'"
            ) from None
        total += value * (7, 3, 1)[index % 3]
    return str(total % 10)


def _verdict(data: str, printed: str) -> bool:
    return check_digit(data) == printed


# --------------------------------------------------------------------------------------------
# Parsing


def _split_lines(text: str) -> list[str]:
    """Split input into stripped lines, dropping blank lines at both ends only."""
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _detect(lines: list[str]) -> tuple[str, list[str]]:
    """Return the format and the lines (split if given concatenated), or raise."""
    count = len(lines)
    if count == 1:
        length = len(lines[0])
        shape = _CONCATENATED.get(length)
        if shape is not None:
            n, width = shape
            lines = [lines[0][i * width : (i + 1) * width] for i in range(n)]
            count = n
        elif length in (30, *_TWO_LINE_WIDTHS):
            raise ParseError(
                "E_MRZ_LINES",
                f"got 1 line of {length} characters; an MRZ has 2 or 3 lines "
                "(or one concatenated line of 72, 88 or 90 characters)",
            )
        else:
            raise ParseError(
                "E_MRZ_LENGTH",
                f"line 1 has {length} characters; expected 2 or 3 lines of 30, 36 or 44 "
                "characters or one concatenated line of 72, 88 or 90",
                segment_index=0,
            )
    if count == 2:
        first, second = len(lines[0]), len(lines[1])
        if first == second == 30:
            raise ParseError("E_MRZ_LINES", "got 2 lines of 30 characters; a TD1 zone has 3 lines")
        if first in _TWO_LINE_WIDTHS:
            if second != first:
                raise ParseError(
                    "E_MRZ_LENGTH",
                    f"line 2 has {second} characters; expected {first} like line 1",
                    segment_index=1,
                )
        elif second in _TWO_LINE_WIDTHS:
            raise ParseError(
                "E_MRZ_LENGTH",
                f"line 1 has {first} characters; expected {second} like line 2",
                segment_index=0,
            )
        else:
            raise ParseError(
                "E_MRZ_LENGTH",
                f"line 1 has {first} characters; a 2-line MRZ has lines of 36 or 44",
                segment_index=0,
            )
        visa = lines[0][:1] == "V"
        if first == 44:
            return ("MRVA" if visa else "TD3"), lines
        return ("MRVB" if visa else "TD2"), lines
    if count == 3:
        lengths = [len(line) for line in lines]
        if lengths[0] in _TWO_LINE_WIDTHS:
            raise ParseError(
                "E_MRZ_LINES",
                f"got 3 lines and line 1 has {lengths[0]} characters; "
                f"a {lengths[0]}-character MRZ has 2 lines",
            )
        for index, length in enumerate(lengths):
            if length != 30:
                raise ParseError(
                    "E_MRZ_LENGTH",
                    f"line {index + 1} has {length} characters; a 3-line (TD1) MRZ has lines of 30",
                    segment_index=index,
                )
        return "TD1", lines
    raise ParseError("E_MRZ_LINES", f"got {count} lines; an MRZ has 2 or 3 lines")


def _field_at(fmt: str, line: int, position: int) -> str:
    for name, field_line, start, end in _LAYOUTS[fmt]:
        if field_line == line and start <= position < end:
            return name
    raise AssertionError("layouts cover every position")  # pragma: no cover


def _check_charset(fmt: str, lines: list[str]) -> None:
    for line_index, line in enumerate(lines):
        for position, char in enumerate(line):
            if char in _CHARSET:
                continue
            if char.islower():
                kind = "lower-case character"
            elif char.isspace():
                kind = "whitespace character"
            elif not char.isascii():
                kind = "non-ASCII character"
            else:
                kind = "character outside A-Z, 0-9 and '<'"
            field = _field_at(fmt, line_index, position)
            raise ParseError(
                "E_MRZ_CHARSET",
                f"{kind} at line {line_index + 1} position {position + 1} ({fmt} field {field})",
                segment_index=line_index,
            )


def _strip(value: str) -> str | None:
    stripped = value.strip(_FILLER)
    return stripped or None


def _words(value: str) -> str | None:
    words = [word for word in value.split(_FILLER) if word]
    return " ".join(words) if words else None


def _parse_name(field: str) -> tuple[str | None, str | None, bool]:
    truncated = field[-1:] in _LETTERS
    primary, separator, secondary = field.partition("<<")
    family = _words(primary)
    given = _words(secondary) if separator else None
    return family, given, truncated


def _parse_date(raw: str, window: Literal["past", "around"], reference: date) -> date | None:
    try:
        return parse_yymmdd(raw, window=window, reference=reference)
    except ValueError:
        return None


def parse_mrz(text: str, *, reference_date: date | None = None) -> dict[str, Any]:
    """Parse a machine readable zone.

    The input holds the 2 (TD2, TD3, MRV-A, MRV-B) or 3 (TD1) lines separated by line
    breaks (LF, CRLF or CR); whitespace around each line and blank lines before and after
    the zone are ignored. The lines may also come concatenated into one string of 72, 88 or
    90 characters. The format follows from the line count and length; two-line zones whose
    document code starts with ``V`` are visas.

    Check digits are verified, never enforced: a failing one shows up as ``False`` in
    ``checks`` and makes ``valid`` false. An all-filler TD3 optional data field may carry
    ``<`` or ``0`` as its check digit.

    TD1 long document numbers (Doc 9303 Part 5): when position 15 (the check digit) is
    ``<`` and the 9-character number field is full, the number continues at the start of
    the line-1 optional data; the last character of that continuation (up to the first
    ``<``) is the check digit of the whole number.

    Args:
        text: The MRZ text.
        reference_date: The "today" of the century windows: the date of birth takes the
            latest century not after it, the expiry date the century within 50 years of
            it. ``None`` means the current date.

    Returns:
        A dict with the keys ``format`` (``"TD1"``, ``"TD2"``, ``"TD3"``, ``"MRVA"``,
        ``"MRVB"``), ``document_type`` (document code without fillers), ``issuer``,
        ``issuer_special``, ``family_name``, ``given_names`` (components joined by one
        space), ``name_truncated``, ``doc_number``, ``nationality``,
        ``nationality_special``, ``dob``, ``raw_dob``, ``sex`` (``"M"``, ``"F"``, ``"X"`` or
        ``None``), ``raw_sex``, ``expiry``, ``raw_expiry``, ``optional_data``,
        ``optional_data_2`` (TD1 line 2, else ``None``), ``checks`` (field name -> bool for
        ``doc_number``, ``dob``, ``expiry``, plus ``optional`` for TD3 and ``composite`` for
        TD1, TD2 and TD3), ``valid`` and ``lines`` (the normalised lines). Empty fields are
        ``None``; dates are ``None`` when not a valid date. ``*_special`` give the meaning
        of a code in :data:`SPECIAL_CODES`, else ``None``.

    Raises:
        ParseError: ``E_MRZ_LINES`` (not 2 or 3 lines), ``E_MRZ_LENGTH`` (a line length
            that fits no format; ``segment_index`` is the 0-based line) or
            ``E_MRZ_CHARSET`` (a character outside ``A-Z0-9<``; the message names the
            line, the position and the field). ``tag`` stays ``None``: field names are
            not segment tags.
    """
    reference = ParseOptions(reference_date=reference_date).today()
    fmt, lines = _detect(_split_lines(text))
    _check_charset(fmt, lines)
    fields = {name: lines[line][start:end] for name, line, start, end in _LAYOUTS[fmt]}

    checks: dict[str, bool] = {}
    doc_number_field = fields["doc_number"]
    doc_check = fields["doc_number_check"]
    optional = fields["optional_data"]
    if fmt == "TD1" and doc_check == _FILLER and _FILLER not in doc_number_field:
        continuation = optional.split(_FILLER, 1)[0]
        if continuation:
            doc_number_field += continuation[:-1]
            doc_check = continuation[-1]
            optional = optional[len(continuation) :]
    checks["doc_number"] = _verdict(doc_number_field, doc_check)
    checks["dob"] = _verdict(fields["dob"], fields["dob_check"])
    checks["expiry"] = _verdict(fields["expiry"], fields["expiry_check"])
    if fmt == "TD3":
        printed = fields["optional_check"]
        if set(fields["optional_data"]) == {_FILLER}:
            checks["optional"] = printed in ("<", "0")
        else:
            checks["optional"] = _verdict(fields["optional_data"], printed)
    composite = _COMPOSITE.get(fmt)
    if composite is not None:
        data = "".join(lines[line][start:end] for line, start, end in composite)
        checks["composite"] = _verdict(data, fields["composite_check"])

    family, given, truncated = _parse_name(fields["name"])
    issuer = _strip(fields["issuer"])
    nationality = _strip(fields["nationality"])
    raw_sex = fields["sex"]
    return {
        "format": fmt,
        "document_type": _strip(fields["document_code"]),
        "issuer": issuer,
        "issuer_special": SPECIAL_CODES.get(issuer) if issuer else None,
        "family_name": family,
        "given_names": given,
        "name_truncated": truncated,
        "doc_number": _strip(doc_number_field),
        "nationality": nationality,
        "nationality_special": SPECIAL_CODES.get(nationality) if nationality else None,
        "dob": _parse_date(fields["dob"], "past", reference),
        "raw_dob": fields["dob"],
        "sex": raw_sex if raw_sex in ("M", "F", "X") else None,
        "raw_sex": raw_sex,
        "expiry": _parse_date(fields["expiry"], "around", reference),
        "raw_expiry": fields["expiry"],
        "optional_data": _strip(optional),
        "optional_data_2": _strip(fields.get("optional_data_2", "")),
        "checks": checks,
        "valid": all(checks.values()),
        "lines": list(lines),
    }


# --------------------------------------------------------------------------------------------
# Transliteration


def _with_lower_case(*parts: Mapping[str, str]) -> dict[str, str]:
    """Merge tables (later ones win) and add the lower-case form of every key."""
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    for key, value in list(merged.items()):
        lower = key.lower()
        if len(lower) == 1 and lower != key and lower not in merged:
            merged[lower] = value
    return merged


_RECOMMENDED: Final = _with_lower_case(tables.LATIN_RECOMMENDED, tables.CYRILLIC, tables.ARABIC)
_ALTERNATIVE: Final = _with_lower_case(
    tables.LATIN_RECOMMENDED, tables.LATIN_ALTERNATIVE, tables.CYRILLIC, tables.ARABIC
)
_BASE_LETTER: Final = _with_lower_case(
    tables.LATIN_RECOMMENDED, tables.LATIN_BASE_LETTER, tables.CYRILLIC, tables.ARABIC
)
_UKRAINIAN: Final = _with_lower_case(
    tables.LATIN_RECOMMENDED, tables.CYRILLIC, tables.CYRILLIC_UKRAINIAN, tables.ARABIC
)
_TABLES: Final[Mapping[str, dict[str, str]]] = MappingProxyType(
    {"recommended": _RECOMMENDED, "alternative": _ALTERNATIVE}
)
_UKRAINIAN_TRIGGERS: Final = frozenset("ГгИи")
_TEH_MARBUTA: Final = "\u0629"
_SPACES: Final = re.compile(r" +")


def _is_greek(char: str) -> bool:
    code = ord(char)
    return 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF


def _is_arabic_letter(char: str) -> bool:
    return char in tables.ARABIC and char != "\u0640"


def _is_separator(char: str) -> bool:
    return char.isspace() or char == _FILLER or unicodedata.category(char) == "Pd"


def _fallback(char: str, table: Mapping[str, str]) -> str:
    """Letters not in a table: decompose (compatibility) and keep what maps to A-Z."""
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if part in table:
            out.append(table[part])
        elif "A" <= part <= "Z" or "a" <= part <= "z":
            out.append(part.upper())
        else:
            upper = part.upper()
            if len(upper) == 1 and upper in table:
                out.append(table[upper])
    return "".join(out)


def _greek(run: list[str]) -> str:
    """Transliterate a run of Greek letters (one word)."""
    letters: list[tuple[str, bool]] = []
    for char in run:
        decomposed = unicodedata.normalize("NFD", char)
        letters.append((decomposed[0].upper(), "\u0308" in decomposed[1:]))
    out: list[str] = []
    i = 0
    while i < len(letters):
        base = letters[i][0]
        nxt, nxt_diaeresis = letters[i + 1] if i + 1 < len(letters) else ("", False)
        after = letters[i + 2][0] if i + 2 < len(letters) else ""
        if nxt == "Υ" and not nxt_diaeresis and base in ("Ο", "Α", "Ε", "Η"):
            if base == "Ο":
                out.append("OU")
            else:
                voiceless = after == "" or after in tables.GREEK_VOICELESS
                out.append(tables.GREEK_LETTERS[base] + ("F" if voiceless else "V"))
            i += 2
            continue
        if base == "Γ" and nxt in ("Γ", "Ξ", "Χ"):
            out.append("N" + tables.GREEK_LETTERS[nxt])
            i += 2
            continue
        out.append(tables.GREEK_LETTERS.get(base, ""))
        i += 1
    return "".join(out)


def _transliterate(text: str, table: Mapping[str, str]) -> str:
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    greek_run: list[str] = []
    for index, char in enumerate(text):
        if _is_greek(char) and unicodedata.category(char).startswith("L"):
            greek_run.append(char)
            continue
        if greek_run:
            out.append(_greek(greek_run))
            greek_run = []
        if char in table:
            if char == _TEH_MARBUTA and not _next_is_arabic_letter(text, index):
                out.append(tables.ARABIC_TEH_MARBUTA_FINAL)
            else:
                out.append(table[char])
        elif "A" <= char <= "Z":
            out.append(char)
        elif "a" <= char <= "z":
            out.append(char.upper())
        elif _is_separator(char):
            out.append(" ")
        elif unicodedata.category(char).startswith("L"):
            out.append(_fallback(char, table))
        # Anything else (digits, punctuation, marks, symbols) is dropped.
    if greek_run:
        out.append(_greek(greek_run))
    return _SPACES.sub(" ", "".join(out)).strip()


def _next_is_arabic_letter(text: str, index: int) -> bool:
    for char in text[index + 1 :]:
        if unicodedata.category(char) == "Mn" or char == "\u0640":
            continue  # vowel signs and tatweel do not end a name component
        return _is_arabic_letter(char)
    return False


def transliterate_icao(
    text: str, *, variant: Literal["recommended", "alternative"] = "recommended"
) -> str:
    """Transliterate a name into the upper-case A-Z form used in machine readable zones.

    Tables (written for paxscreen from ICAO Doc 9303 Part 3, 8th edition, Section 6; see
    :mod:`paxscreen.formats._translit_tables`):

    * Latin with diacritics (Table A): ``Ä`` -> ``AE``, ``Å`` -> ``AA``, ``Ö``/``Ø`` ->
      ``OE``, ``Ü`` -> ``UE``, ``Æ`` -> ``AE``, ``Œ`` -> ``OE``, ``ß`` -> ``SS``, ``Þ`` ->
      ``TH``, ``Ĳ`` -> ``IJ``, ``Ð``/``Đ`` -> ``D``, ``Ł`` -> ``L``, ``Ħ`` -> ``H``,
      ``ı`` -> ``I``; every other letter becomes its base letter by Unicode decomposition.
      ``variant="alternative"`` writes ``Ñ`` as ``NXX`` and ``Ü`` as ``UXX`` (Part 3's
      reversible forms).
    * Cyrillic (Table B), with the Belarusian, Macedonian, Serbian and Ukrainian letters;
      ``Ь`` is omitted and ``Ъ`` is ``IE``.
    * Arabic (Table C) with the ``X``-prefixed digraphs (``خ`` -> ``XKH``); teh marbuta is
      ``XTA``, or ``XAH`` at the end of a name component. Vowel signs are dropped.
    * Greek: Doc 9303 has no Greek table. A basic ELOT 743-like mapping is used (``Η`` ->
      ``I``, ``Θ`` -> ``TH``, ``Χ`` -> ``CH``, ``ΟΥ`` -> ``OU``, ``ΑΥ`` -> ``AV``/``AF``,
      ``ΓΓ`` -> ``NG``); it is not an ICAO table.

    Whitespace, hyphens (any dash) and ``<`` separate name components and become one
    space. Apostrophes, other punctuation, digits, symbols and letters of scripts without a
    table are dropped (``O'NEIL`` -> ``ONEIL``). The function is pure: the same input always
    gives the same output, and the output is a fixed point (transliterating it again
    changes nothing).

    Args:
        text: The name (any case, any Unicode normalisation form).
        variant: ``"recommended"`` (default) or ``"alternative"``.

    Returns:
        Upper-case ``A-Z`` words separated by single spaces, without leading or trailing
        space; possibly empty. Never contains ``<``.

    Raises:
        ValueError: ``variant`` is not one of the two names.
    """
    table = _TABLES.get(variant)
    if table is None:
        raise ValueError("variant must be 'recommended' or 'alternative'")
    return _transliterate(text, table)


def transliteration_variants(text: str) -> set[str]:
    """All the MRZ spellings a name may legitimately have, for matching.

    The set holds the recommended form, the alternative form (``Ñ`` -> ``NXX``, ``Ü`` ->
    ``UXX``), the plain base-letter form (``Ä`` -> ``A``, ``Ö`` -> ``O``, ``Ø`` -> ``O``,
    ``Ü`` -> ``U``, ``Å`` -> ``A``) and, for Cyrillic text with ``Г`` or ``И``, the
    Ukrainian national form (``Г`` -> ``H``, ``И`` -> ``Y``). Example: ``"Müller"`` gives
    ``{"MUELLER", "MULLER", "MUXXLLER"}``.

    Args:
        text: The name.

    Returns:
        The distinct non-empty spellings (an empty set when nothing transliterates).
    """
    forms = {
        _transliterate(text, _RECOMMENDED),
        _transliterate(text, _ALTERNATIVE),
        _transliterate(text, _BASE_LETTER),
    }
    if any(char in _UKRAINIAN_TRIGGERS for char in text):
        forms.add(_transliterate(text, _UKRAINIAN))
    forms.discard("")
    return forms


# --------------------------------------------------------------------------------------------
# Writing


def _code(value: str, width: int, field: str, *, allow_digits: bool = False) -> str:
    text = value.strip().upper()
    allowed = _CHARSET - {_FILLER} if allow_digits else _LETTERS
    if len(text) > width or any(char not in allowed for char in text):
        kind = "A-Z and 0-9" if allow_digits else "A-Z"
        raise ValueError(f"{field} must be at most {width} characters of {kind}")
    return text.ljust(width, _FILLER)


def _yymmdd(value: date | None) -> str:
    if value is None:
        return _FILLER * 6
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _cut(name: str, width: int) -> str:
    """Cut MRZ name text to ``width``, ending in a letter when that keeps every component
    a prefix of the original component."""
    if len(name) <= width:
        return name
    cut = name[:width]
    if cut.endswith(_FILLER):
        if width >= 3 and cut[-2] != _FILLER and cut[-3] != _FILLER:
            # Shorten the previous component by one letter to show the next one's initial.
            return cut[:-2] + _FILLER + name[width]
        return cut.rstrip(_FILLER)
    return cut


def _name_field(family: str, given: str, width: int) -> str:
    """The name field per Doc 9303 Part 3: ``PRIMARY<<SECONDARY<...`` padded to ``width``.

    A name that does not fit is truncated from the end, secondary identifiers first; the
    ``<<`` separator and at least one character of the secondary identifier are kept, so a
    long primary identifier is cut to ``width - 3``. A truncated field is full and ends in
    a letter whenever possible (the Part 3 signal of possible truncation).
    """
    primary = transliterate_icao(family).replace(" ", _FILLER)
    secondary = transliterate_icao(given).replace(" ", _FILLER)
    if not secondary:
        return _cut(primary, width).ljust(width, _FILLER)
    full = f"{primary}<<{secondary}"
    if len(full) <= width:
        return full.ljust(width, _FILLER)
    if len(primary) > width - 3:
        primary = _cut(primary, width - 3)
    rest = width - len(primary) - 2
    return f"{primary}<<{_cut(secondary, rest)}".ljust(width, _FILLER)


def write_mrz(
    *,
    format: Literal["TD1", "TD2", "TD3"],
    document_type: str,
    issuer: str,
    family_name: str,
    given_names: str,
    doc_number: str,
    nationality: str,
    dob: date | None,
    sex: str | None,
    expiry: date | None,
    optional_data: str = "",
) -> str:
    """Write a machine readable zone (synthetic data for tests and fixtures).

    Names go through :func:`transliterate_icao`; spaces and hyphens become ``<``, other
    punctuation is dropped, and a name too long for the field is truncated per Doc 9303
    Part 3 (secondary identifiers first, keeping ``<<`` and at least one character of the
    secondary identifier). Every check digit is computed. In TD1, a document number longer
    than 9 characters follows the Part 5 rule: 9 characters, ``<`` in the check-digit
    position, the rest plus the check digit and a filler at the start of the optional data.
    An empty TD3 optional data field gets ``<`` as its check digit. A date of ``None`` is
    written as fillers.

    Args:
        format: ``"TD1"``, ``"TD2"`` or ``"TD3"`` (visas are not written).
        document_type: 1 or 2 letters (``"P"``, ``"I"``, ``"ID"``, ``"AC"``); not ``V``.
        issuer: Issuing state or organization code, 1-3 letters (``"D"``, ``"UTO"``).
        family_name: Primary identifier, any script.
        given_names: Secondary identifiers, any script; may be empty.
        doc_number: ``A-Z0-9``; at most 9 characters in TD2/TD3, up to 23 in TD1.
        nationality: Nationality code, 1-3 letters.
        dob: Date of birth or ``None``.
        sex: ``"M"``, ``"F"``, ``"X"`` or ``None`` (written ``<``).
        expiry: Date of expiry or ``None``.
        optional_data: ``A-Z0-9`` and inner ``<``; at most 14 (TD3), 7 (TD2) or 15 (TD1,
            less the room a long document number takes) characters.

    Returns:
        The lines joined by ``"\\n"`` (no trailing newline).

    Raises:
        ValueError: A field does not fit its format. Messages name the field, never the
            value.
    """
    if format not in _NAME_WIDTH:
        raise ValueError("format must be 'TD1', 'TD2' or 'TD3'")
    doc_code = _code(document_type, 2, "document_type")
    if doc_code[0] in (_FILLER, "V"):
        raise ValueError("document_type must start with a letter other than V")
    issuer_code = _code(issuer, 3, "issuer")
    nationality_code = _code(nationality, 3, "nationality")
    number = doc_number.strip().upper()
    if any(char not in _CHARSET or char == _FILLER for char in number):
        raise ValueError("doc_number must hold only A-Z and 0-9")
    sex_code = (sex or _FILLER).strip().upper()
    if sex_code not in ("M", "F", "X", _FILLER):
        raise ValueError("sex must be 'M', 'F', 'X' or None")
    optional = optional_data.strip().upper()
    if any(char not in _CHARSET for char in optional) or optional != optional.strip(_FILLER):
        raise ValueError("optional_data must hold A-Z, 0-9 and inner '<' only")
    birth = _yymmdd(dob)
    until = _yymmdd(expiry)
    birth_part = birth + check_digit(birth)
    expiry_part = until + check_digit(until)
    name = _name_field(family_name, given_names, _NAME_WIDTH[format])

    if format == "TD1":
        if len(number) > 9:
            overflow = number[9:] + check_digit(number)
            if optional:
                overflow += _FILLER + optional
            if len(overflow) > _OPTIONAL_WIDTH["TD1"]:
                raise ValueError("doc_number and optional_data do not fit the TD1 fields")
            number_part = number[:9] + _FILLER
            optional_part = overflow.ljust(15, _FILLER)
        else:
            if len(optional) > _OPTIONAL_WIDTH["TD1"]:
                raise ValueError("optional_data is longer than the TD1 field")
            padded = number.ljust(9, _FILLER)
            number_part = padded + check_digit(padded)
            optional_part = optional.ljust(15, _FILLER)
        line1 = doc_code + issuer_code + number_part + optional_part
        line2 = birth_part + sex_code + expiry_part + nationality_code + _FILLER * 11
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        return "\n".join((line1, line2 + check_digit(composite), name))

    if len(number) > 9:
        raise ValueError(f"doc_number must be at most 9 characters in {format}")
    if len(optional) > _OPTIONAL_WIDTH[format]:
        raise ValueError(f"optional_data is longer than the {format} field")
    padded = number.ljust(9, _FILLER)
    number_part = padded + check_digit(padded)
    optional_field = optional.ljust(_OPTIONAL_WIDTH[format], _FILLER)
    if format == "TD3":
        optional_field += check_digit(optional_field) if optional else _FILLER
    line1 = doc_code + issuer_code + name
    line2 = number_part + nationality_code + birth_part + sex_code + expiry_part + optional_field
    composite = line2[0:10] + line2[13:20] + line2[21:]
    return "\n".join((line1, line2 + check_digit(composite)))
