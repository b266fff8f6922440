"""Travel document fields as comparable keys: numbers, issuing states and document types.

Every function here returns a polars expression, so a million numbers normalise in one pass
(the ``*_scalar`` functions are the same for one number in plain Python, for a traveller or
two); null in means null out, and a value that normalises to nothing is null (unknown), never
``""``.

Document numbers come in three forms, each coarser than the one before:

* :func:`doc_number_key`: the number as printed, upper case, letters and digits only. Spaces,
  dashes, dots, slashes and MRZ fillers (``<``) are dropped; full-width characters and the
  Cyrillic and Greek capitals that look like Latin ones (a number keyed with a Cyrillic or Greek
  keyboard layout) become their Latin counterparts (:data:`LOOKALIKE_CHARACTERS`); any other
  character is dropped.
* :func:`ocr_folded`: the key with every OCR/keying-confusable character replaced by one
  representative (:data:`OCR_FOLDING`: ``O``/``D``/``Q`` -> ``0``, ``I``/``L`` -> ``1``,
  ``Z`` -> ``2``, ``S`` -> ``5``, ``G`` -> ``6``, ``B`` -> ``8``). Two numbers that differ only
  by such confusions have the same folded form.
* :func:`strip_leading_zeros`: the key without its leading zeros, **only when the key is all
  digits**; other keys are unchanged. Leading zeros are lost when a number passes through a
  numeric field (a spreadsheet, an integer column), and only numbers made of digits can pass
  through one. Letters are never folded into zeros first: ``D12345678`` and ``12345678`` are two
  documents of different series, not one number with a lost zero. An all-zero key keeps one
  ``0``. This is a separate form (and a separate comparison level in
  :mod:`paxscreen.compare.documents`), not part of the OCR folding, so the evidence of each can
  be weighed on its own.

Issuing states (:func:`doc_issuer_code`) are normalised like
:func:`paxscreen._countries.normalize_country`, and document types (:func:`doc_type_code`) are
reduced to the document family of ICAO Doc 9303 (``P`` passport, ``I`` identity card ...); see
:data:`DOC_TYPE_WORDS` for the mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import polars as pl

from paxscreen._countries import ALPHA2_TO_ALPHA3, normalize_country

__all__ = [
    "DOC_TYPE_WORDS",
    "LOOKALIKE_CHARACTERS",
    "OCR_FOLDING",
    "doc_issuer_code",
    "doc_number_key",
    "doc_number_key_scalar",
    "doc_type_code",
    "ocr_folded",
    "ocr_folded_scalar",
    "strip_leading_zeros",
    "strip_leading_zeros_scalar",
]

#: OCR and keying confusions of document numbers: each confusable character -> the
#: representative of its group. The groups are ``0 O D Q``, ``1 I L``, ``2 Z``, ``5 S``,
#: ``6 G`` and ``8 B``; the representative is the digit. Characters not listed fold to
#: themselves.
OCR_FOLDING: Final[Mapping[str, str]] = MappingProxyType(
    {
        "O": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "L": "1",
        "Z": "2",
        "S": "5",
        "G": "6",
        "B": "8",
    }
)


def _lookalikes() -> dict[str, str]:
    table = {chr(0xFF10 + i): str(i) for i in range(10)}  # full-width digits
    table |= {chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)}  # full-width capitals
    cyrillic = "АAВBЕEЅSІIЈJКKМMНHОOРPСCТTУYХX"
    greek = "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX"
    for pairs in (cyrillic, greek):
        table |= {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}
    return table


#: Upper-case characters that stand for a Latin letter or digit in a document number: full-width
#: digits and capitals, and the Cyrillic and Greek capitals that look like Latin ones
#: (``А В Е Ѕ І Ј К М Н О Р С Т У Х`` and ``Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ``). Applied after
#: upper-casing, so lower-case forms are covered too.
LOOKALIKE_CHARACTERS: Final[Mapping[str, str]] = MappingProxyType(_lookalikes())

#: Document type words and abbreviations -> document family. Other codes of one or two
#: characters starting with a letter reduce to their first letter, which ICAO Doc 9303 uses for
#: the family (the second character is at the issuer's discretion): ``P``, ``PP``, ``PD``
#: (diplomatic), ``PO`` -> ``P``; ``I``, ``ID``, ``IP`` (passport card) -> ``I``; ``AC`` (crew
#: member certificate) -> ``A``; ``V`` -> ``V``; ``C`` -> ``C``. Anything else is kept as its
#: upper-case letters and digits.
DOC_TYPE_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "PASSPORT": "P",
        "PASSEPORT": "P",
        "PASAPORTE": "P",
        "PASSAPORTO": "P",
        "REISEPASS": "P",
        "PPT": "P",
        "PSPT": "P",
        "IDCARD": "I",
        "IDENTITYCARD": "I",
        "IDENTITY": "I",
        "NATIONALID": "I",
        "NATIONALIDCARD": "I",
        "VISA": "V",
    }
)

# Two-letter ISO codes and Germany's MRZ "D", normalised by the scalar helper once.
_ISSUER_CODES: Final[Mapping[str, str | None]] = MappingProxyType(
    {code: normalize_country(code) for code in (*ALPHA2_TO_ALPHA3, "D")}
)


def _expr(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


def doc_number_key(column: str | pl.Expr) -> pl.Expr:
    """The strict key of a document number: upper-case ``A``-``Z`` and ``0``-``9`` only.

    Upper-cases, maps :data:`LOOKALIKE_CHARACTERS` to Latin, then drops every other character
    (spaces, dashes, dots, slashes, ``<`` ...). ``"ab 12-34<<"`` -> ``"AB1234"``.

    Args:
        column: Document numbers as given: a column name or a string expression.

    Returns:
        A string expression; null where the input is null or nothing is left.
    """
    upper = _expr(column).str.to_uppercase().str.replace_many(dict(LOOKALIKE_CHARACTERS))
    return upper.str.replace_all(r"[^A-Z0-9]+", "").replace("", None)


_LOOKALIKES: Final = str.maketrans(dict(LOOKALIKE_CHARACTERS))
_KEY_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def doc_number_key_scalar(number: str | None) -> str | None:
    """:func:`doc_number_key` of one number, in plain Python.

    Args:
        number: A document number as given, or None.

    Returns:
        The key; None where ``number`` is None or nothing is left.
    """
    if number is None:
        return None
    text = number.upper().translate(_LOOKALIKES)
    key = "".join(char for char in text if char in _KEY_CHARACTERS)
    return key or None


def ocr_folded(column: str | pl.Expr, *, is_key: bool = False) -> pl.Expr:
    """The key with every confusable character folded to its group's digit (:data:`OCR_FOLDING`).

    ``"AB0O1I"`` -> ``"A80011"``; two numbers that differ only by OCR/keying confusions have
    the same folded form.

    Args:
        column: Document numbers as given, or keys from :func:`doc_number_key`.
        is_key: ``column`` already holds keys; skips computing them again.

    Returns:
        A string expression; null where the key is null.
    """
    key = _expr(column) if is_key else doc_number_key(column)
    return key.str.replace_many(dict(OCR_FOLDING))


_FOLD: Final = str.maketrans(dict(OCR_FOLDING))


def ocr_folded_scalar(key: str) -> str:
    """:func:`ocr_folded` of one key (from :func:`doc_number_key_scalar`), in plain Python."""
    return key.translate(_FOLD)


def strip_leading_zeros_scalar(key: str) -> str:
    """:func:`strip_leading_zeros` of one key (from :func:`doc_number_key_scalar`), in plain
    Python."""
    if not key.isascii() or not key.isdigit():
        return key
    return key.lstrip("0") or "0"


def strip_leading_zeros(column: str | pl.Expr, *, is_key: bool = False) -> pl.Expr:
    """The key without leading zeros when it is all digits; other keys unchanged.

    ``"000123"`` -> ``"123"``, ``"000"`` -> ``"0"``, ``"0A12"`` -> ``"0A12"``. See the module
    docstring for why keys with letters keep their zeros.

    Args:
        column: Document numbers as given, or keys from :func:`doc_number_key`.
        is_key: ``column`` already holds keys; skips computing them again.

    Returns:
        A string expression; null where the key is null.
    """
    key = _expr(column) if is_key else doc_number_key(column)
    # The greedy 0+ leaves the last zero to [0-9]+ when the key is all zeros.
    return key.str.replace(r"^0+([0-9]+)$", "${1}")


def doc_issuer_code(column: str | pl.Expr) -> pl.Expr:
    """Issuing states as three-letter codes, as :func:`paxscreen._countries.normalize_country`.

    Fillers (``<``) and whitespace are dropped and the code upper-cased; three letters are kept
    as they are (known or not), ISO alpha-2 codes and Germany's ``D`` become alpha-3, anything
    else is null.

    Args:
        column: Issuer codes as given: a column name or a string expression.

    Returns:
        A string expression of three-letter codes or null.
    """
    text = _expr(column).str.replace_all(r"[<\s]+", "").str.to_uppercase()
    return text.replace(dict(_ISSUER_CODES)).str.extract(r"^([A-Z]{3})$", 1)


def doc_type_code(column: str | pl.Expr) -> pl.Expr:
    """Document types reduced to their family (``P``, ``I``, ``V`` ...); see :data:`DOC_TYPE_WORDS`.

    ``"Passport"``, ``"PP"``, ``"PD"`` -> ``"P"``; ``"ID card"``, ``"ID"``, ``"IP"`` -> ``"I"``.

    Args:
        column: Document types as given: a column name or a string expression.

    Returns:
        A string expression; null where the input is null or has no letter or digit.
    """
    text = _expr(column).str.to_uppercase().str.replace_all(r"[^A-Z0-9]+", "")
    family = text.replace(dict(DOC_TYPE_WORDS)).str.replace(r"^([A-Z])[A-Z0-9]?$", "${1}")
    return family.replace("", None)
