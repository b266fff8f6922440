"""SSR DOCS, DOCO and DOCA free text (AIRIMP): parse it into fields and write it back.

The three special service requests carry a traveller's document data in reservations:

* ``DOCS`` (travel document): ``/type/issuer/number/nationality/DOB/sex/expiry/surname/
  first given name/second given name/holder flag``;
* ``DOCO`` (other document, e.g. a visa): ``/birthplace/type/number/place of issue/
  issue date/country of validity/infant flag``;
* ``DOCA`` (address): ``/type R|D/country/street/city/state/postcode/infant flag``.

They arrive in three shapes, all accepted by :func:`parse_ssr_docs`:

* the teletype line ``SSR DOCS YY HK1/P/GBR/123456789/GBR/12JUL82/M/23OCT25/SMITH/JOHN/MR``;
* the bare free text starting with ``/``;
* the PNRGOV SSR component 9, the same free text, which for DOCO may start with the
  birthplace instead of a ``/`` (`` HERE VA/V/…``).

Real data is dirty (see ``research/formats.md`` sections 3.4 and 7): an extra or missing slash
shifts the fields, countries come as alpha-2 codes or junk (``0``), spaces are inserted into
names by line folding, trailing slashes and a ``-1SURNAME/GIVEN`` name association are
appended. The parser never raises on a bad field value: the field becomes ``None`` and a short
issue code is added to the ``issues`` list of the result. It raises :class:`ParseError`
(``E_SSR``) only when the text is no DOCS/DOCO/DOCA at all. Neither the issue codes nor the
error messages contain anything from the input.

Issue codes:

* ``W_SSR_OFFSET``: the DOCS fields were shifted by one position and have been realigned on
  the date of birth and sex;
* ``W_SSR_BAD_DATE``: a date is not a valid ``DDMMMYY``;
* ``W_SSR_BAD_COUNTRY``: a country field holds no country code (``0``, ``12``);
* ``W_SSR_UNKNOWN_COUNTRY``: three letters that are neither ISO 3166-1 nor ICAO (kept as sent);
* ``W_SSR_BAD_SEX``: a DOCS sex other than M, F, X, U, MI, FI;
* ``W_SSR_BAD_DOC_TYPE``: a document type that is not 1–3 letters or digits;
* ``W_SSR_BAD_ADDRESS_TYPE``: a DOCA address type other than R or D;
* ``W_SSR_BAD_FLAG``: the holder (DOCS) or infant (DOCO/DOCA) flag holds something other
  than ``H`` / ``I``;
* ``W_SSR_EXTRA_FIELDS``: non-empty fields after the last one of the layout (ignored);
* ``W_SSR_KIND_MISMATCH``: the ``kind`` argument disagrees with the ``SSR XXXX`` prefix (the
  prefix wins).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from paxscreen._countries import is_known_country, normalize_country
from paxscreen._dates import MONTHS, Window, parse_ddmmmyy
from paxscreen.errors import ParseError

__all__ = [
    "SSR_ISSUE_CODES",
    "SsrKind",
    "format_ssr_doca",
    "format_ssr_doco",
    "format_ssr_docs",
    "parse_ssr_docs",
]

SsrKind = Literal["DOCS", "DOCO", "DOCA"]

_KINDS: dict[str, SsrKind] = {"DOCS": "DOCS", "DOCO": "DOCO", "DOCA": "DOCA"}

W_SSR_OFFSET = "W_SSR_OFFSET"
W_SSR_BAD_DATE = "W_SSR_BAD_DATE"
W_SSR_BAD_COUNTRY = "W_SSR_BAD_COUNTRY"
W_SSR_UNKNOWN_COUNTRY = "W_SSR_UNKNOWN_COUNTRY"
W_SSR_BAD_SEX = "W_SSR_BAD_SEX"
W_SSR_BAD_DOC_TYPE = "W_SSR_BAD_DOC_TYPE"
W_SSR_BAD_ADDRESS_TYPE = "W_SSR_BAD_ADDRESS_TYPE"
W_SSR_BAD_FLAG = "W_SSR_BAD_FLAG"
W_SSR_EXTRA_FIELDS = "W_SSR_EXTRA_FIELDS"
W_SSR_KIND_MISMATCH = "W_SSR_KIND_MISMATCH"

#: Every issue code :func:`parse_ssr_docs` can report.
SSR_ISSUE_CODES: frozenset[str] = frozenset(
    {
        W_SSR_OFFSET,
        W_SSR_BAD_DATE,
        W_SSR_BAD_COUNTRY,
        W_SSR_UNKNOWN_COUNTRY,
        W_SSR_BAD_SEX,
        W_SSR_BAD_DOC_TYPE,
        W_SSR_BAD_ADDRESS_TYPE,
        W_SSR_BAD_FLAG,
        W_SSR_EXTRA_FIELDS,
        W_SSR_KIND_MISMATCH,
    }
)

# "SSR" as a word at the start: the text claims to be a whole SSR element.
_SSR_WORD = re.compile(r"SSR(?![A-Z0-9])", re.IGNORECASE | re.ASCII)
# Teletype prefix: SSR CODE [carrier] [status[quantity]] then the free text.
_TELETYPE = re.compile(
    r"SSR\s+([A-Z0-9]{4})(?![A-Z0-9])\s*"
    r"(?:([A-Z0-9]{2})\s+)?"
    r"(?:([A-Z]{2})(\d{1,3})?(?![A-Z]))?\s*",
    re.IGNORECASE | re.ASCII,
)
# Name association at the end: -1SMITH/JOHNMR (the count may be written 1.1).
_ASSOCIATION = re.compile(
    r"-(\d{1,3}(?:\.\d{1,3})?[A-Za-z][A-Za-z '.\-]*/[A-Za-z][A-Za-z '.\-]*)$", re.ASCII
)
_DATE_SHAPE = re.compile(r"\d{2}(?:" + "|".join(MONTHS) + r")\d{2}", re.ASCII)
_DOC_TYPE = re.compile(r"[A-Z0-9]{1,3}")
_SPACES = re.compile(r"\s+")
# Sex as sent -> (sex, infant).
_SEXES: dict[str, tuple[str | None, bool]] = {
    "M": ("M", False),
    "F": ("F", False),
    "X": ("X", False),
    "U": (None, False),
    "MI": ("M", True),
    "FI": ("F", True),
}
# Field index from which a name association may start (the surname, the last data field).
_ASSOCIATION_FROM = {"DOCS": 6, "DOCO": 5, "DOCA": 5}


class _Issues:
    """Ordered, de-duplicated issue codes."""

    def __init__(self) -> None:
        self.codes: list[str] = []

    def add(self, code: str) -> None:
        if code not in self.codes:
            self.codes.append(code)


def _clean(text: str | None) -> str | None:
    """Collapse whitespace and strip; empty becomes ``None``."""
    if text is None:
        return None
    out = _SPACES.sub(" ", text).strip()
    return out or None


def _squeeze(text: str) -> str:
    """Upper-case and drop all whitespace (codes and dates broken by line folding)."""
    return _SPACES.sub("", text).upper()


def _at(fields: Sequence[str | None], index: int) -> str | None:
    return fields[index] if index < len(fields) else None


def _is_date_shape(value: str | None) -> bool:
    return value is not None and _DATE_SHAPE.fullmatch(_squeeze(value)) is not None


def _is_sex(value: str | None) -> bool:
    return value is not None and _squeeze(value) in _SEXES


def _country_like(value: str | None) -> bool:
    return is_known_country(normalize_country(value))


def _date(value: str | None, window: Window, reference: date, issues: _Issues) -> date | None:
    if value is None:
        return None
    try:
        return parse_ddmmmyy(_squeeze(value), window=window, reference=reference)
    except ValueError:
        issues.add(W_SSR_BAD_DATE)
        return None


def _country(value: str | None, issues: _Issues) -> str | None:
    if value is None:
        return None
    code = normalize_country(value)
    if code is None:
        issues.add(W_SSR_BAD_COUNTRY)
    elif not is_known_country(code):
        issues.add(W_SSR_UNKNOWN_COUNTRY)
    return code


def _doc_type(value: str | None, issues: _Issues) -> str | None:
    if value is None:
        return None
    code = _squeeze(value)
    if _DOC_TYPE.fullmatch(code):
        return code
    issues.add(W_SSR_BAD_DOC_TYPE)
    return None


def _flag(value: str | None, letter: str, issues: _Issues) -> bool:
    if value is None:
        return False
    if _squeeze(value) == letter:
        return True
    issues.add(W_SSR_BAD_FLAG)
    return False


def _extras(fields: Sequence[str | None], start: int, issues: _Issues) -> None:
    if any(f is not None for f in fields[start:]):
        issues.add(W_SSR_EXTRA_FIELDS)


def _short_head(head: Sequence[str | None]) -> list[str | None]:
    """Spread three leading fields over type/issuer/number/nationality."""
    a, b, c = head
    if a is None and b is not None and _DOC_TYPE.fullmatch(_squeeze(b)) and not _country_like(b):
        # //P/P00266142/14JUL71/…: a spurious empty field, then type and number.
        return [b, None, c, None]
    if a is None:
        return [None, b, c, None]
    if _country_like(c) and not _country_like(b):
        return [a, None, b, c]
    return [a, b, c, None]


def _long_head(head: Sequence[str | None]) -> list[str | None]:
    """Fold five leading fields into type/issuer/number/nationality."""
    items = list(head)
    if None in items:
        items.remove(None)  # the first empty field is the extra slash
        return items
    a, b, c, d, e = items
    return [a, b, c, d if _country_like(d) and not _country_like(e) else e]


def _align_docs(fields: list[str | None], issues: _Issues) -> list[str | None]:
    """Return the DOCS fields in the standard layout, repairing a shift by one position."""
    dob = _at(fields, 4)
    if dob is None or _is_date_shape(dob):
        return fields
    for anchor in (3, 5):
        if _is_date_shape(_at(fields, anchor)) and _is_sex(_at(fields, anchor + 1)):
            issues.add(W_SSR_OFFSET)
            if anchor == 3:
                head = _short_head([_at(fields, i) for i in range(3)])
            else:
                head = _long_head(fields[0:5])
            return head + fields[anchor:]
    return fields


def _sex(value: str | None, issues: _Issues) -> tuple[str | None, bool]:
    """Return (sex, infant) for a DOCS sex field."""
    if value is None:
        return None, False
    known = _SEXES.get(_squeeze(value))
    if known is None:
        issues.add(W_SSR_BAD_SEX)
        return None, False
    return known


def _parse_docs(fields: list[str | None], reference: date, issues: _Issues) -> dict[str, Any]:
    f = _align_docs(fields, issues)
    issuer_raw, nationality_raw = _at(f, 1), _at(f, 3)
    # Built in field order, so that issues come in the order of the fields.
    out: dict[str, Any] = {"doc_type": _doc_type(_at(f, 0), issues)}
    out["doc_issuer"] = _country(issuer_raw, issues)
    out["doc_issuer_raw"] = issuer_raw
    out["doc_number"] = _at(f, 2)
    out["nationality"] = _country(nationality_raw, issues)
    out["nationality_raw"] = nationality_raw
    out["dob"] = _date(_at(f, 4), "past", reference, issues)
    out["sex"], out["infant"] = _sex(_at(f, 5), issues)
    out["doc_expiry"] = _date(_at(f, 6), "around", reference, issues)
    out["family_name"] = _at(f, 7)
    given = [g for g in (_at(f, 8), _at(f, 9)) if g is not None]
    out["given_names"] = " ".join(given) if given else None
    out["holder"] = _flag(_at(f, 10), "H", issues)
    _extras(f, 11, issues)
    return out


def _parse_doco(f: list[str | None], reference: date, issues: _Issues) -> dict[str, Any]:
    valid_raw = _at(f, 5)
    out: dict[str, Any] = {
        "birthplace": _at(f, 0),
        "doc_type": _doc_type(_at(f, 1), issues),
        "doc_number": _at(f, 2),
        "issue_place": _at(f, 3),
        "issue_date": _date(_at(f, 4), "around", reference, issues),
        "valid_for": _country(valid_raw, issues),
        "valid_for_raw": valid_raw,
        "infant": _flag(_at(f, 6), "I", issues),
    }
    _extras(f, 7, issues)
    return out


def _parse_doca(f: list[str | None], issues: _Issues) -> dict[str, Any]:
    kind_raw = _at(f, 0)
    address_type: str | None = None
    if kind_raw is not None:
        if _squeeze(kind_raw) in ("R", "D"):
            address_type = _squeeze(kind_raw)
        else:
            issues.add(W_SSR_BAD_ADDRESS_TYPE)
    country_raw = _at(f, 1)
    out: dict[str, Any] = {
        "address_type": address_type,
        "country": _country(country_raw, issues),
        "country_raw": country_raw,
        "street": _at(f, 2),
        "city": _at(f, 3),
        "state": _at(f, 4),
        "postcode": _at(f, 5),
        "infant": _flag(_at(f, 6), "I", issues),
    }
    _extras(f, 7, issues)
    return out


def _split_association(body: str, kind: SsrKind) -> tuple[str, str | None]:
    """Cut a trailing ``-1SURNAME/GIVEN`` name association off ``body`` (no leading slash)."""
    # Only the last two fields can hold it; searching from there keeps this linear.
    start = body.rfind("/", 0, max(body.rfind("/"), 0)) + 1
    match = _ASSOCIATION.search(body, start)
    if match is None or body.count("/", 0, match.start()) < _ASSOCIATION_FROM[kind]:
        return body, None
    if kind != "DOCS" and _squeeze(match.group(1).rsplit("/", 1)[1]) == "I":
        return body, None  # "…/AB-1CD/I" in DOCO/DOCA: a value and the infant flag
    return body[: match.start()], _clean(match.group(1))


def parse_ssr_docs(
    line: str,
    *,
    kind: SsrKind | None = None,
    reference_date: date | None = None,
) -> dict[str, Any]:
    """Parse an SSR DOCS, DOCO or DOCA element.

    Args:
        line: The teletype line (``SSR DOCS YY HK1/P/GBR/…``), the bare free text (``/P/GBR/…``)
            or the PNRGOV SSR component 9 text.
        kind: ``"DOCS"``, ``"DOCO"`` or ``"DOCA"`` for bare text. Without it the kind comes
            from the ``SSR XXXX`` prefix, else DOCS is assumed. When both are present and
            disagree, the prefix wins and ``W_SSR_KIND_MISMATCH`` is reported.
        reference_date: The date that resolves two-digit years (today by default): the date
            of birth takes the latest century not after it, issue and expiry dates the century
            that puts them within 50 years of it.

    Returns:
        A dict with ``ssr`` (the kind), ``carrier``, ``status``, ``quantity`` (``None`` without
        a teletype prefix), ``name_association`` (``1SMITH/JOHNMR`` without the hyphen, or
        ``None``), ``infant`` (bool) and ``issues`` (list of issue codes, see the module
        docstring), plus

        * DOCS: ``doc_type``, ``doc_issuer``, ``doc_issuer_raw``, ``doc_number``,
          ``nationality``, ``nationality_raw``, ``dob``, ``sex`` (``M``/``F``/``X`` or
          ``None``; ``MI``/``FI`` give ``M``/``F`` and ``infant=True``), ``doc_expiry``,
          ``family_name``, ``given_names`` (first and second given name joined by a space,
          glued titles kept) and ``holder`` (the ``H`` flag: this traveller's passport also
          carries others; not an infant marker);
        * DOCO: ``birthplace``, ``doc_type``, ``doc_number``, ``issue_place``, ``issue_date``,
          ``valid_for``, ``valid_for_raw``;
        * DOCA: ``address_type`` (``R``/``D``), ``country``, ``country_raw``, ``street``,
          ``city``, ``state``, ``postcode``.

        Country fields are normalised to three letters by
        :func:`paxscreen._countries.normalize_country`; the ``*_raw`` keys keep the value as
        sent. Text fields have their whitespace collapsed but are otherwise kept as sent,
        including spaces that line folding inserted into names. Empty fields are ``None``.

    Raises:
        ParseError: ``E_SSR`` when the text is empty, has no ``/``-separated fields, is an SSR
            of another kind (``SSR VGML …``) or starts with ``SSR`` but is not in teletype
            form. The message names no input content.
        TypeError: ``line`` is not a string.
        ValueError: ``kind`` is not one of DOCS, DOCO, DOCA.
    """
    if not isinstance(line, str):
        raise TypeError("line must be a str")
    if kind is not None and kind not in _KINDS:
        raise ValueError("kind must be 'DOCS', 'DOCO' or 'DOCA'")
    reference = reference_date if reference_date is not None else date.today()
    issues = _Issues()
    text = line.strip()
    if not text:
        raise ParseError("E_SSR", "empty SSR text", tag=kind)

    carrier: str | None = None
    status: str | None = None
    quantity: int | None = None
    ssr: SsrKind = kind or "DOCS"
    if _SSR_WORD.match(text):
        head = _TELETYPE.match(text)
        if head is None:
            raise ParseError("E_SSR", "text starts with SSR but is not an SSR teletype line")
        found = _KINDS.get(head.group(1).upper())
        if found is None:
            raise ParseError("E_SSR", "SSR element is not DOCS, DOCO or DOCA")
        ssr = found
        if kind is not None and kind != ssr:
            issues.add(W_SSR_KIND_MISMATCH)
        carrier = head.group(2).upper() if head.group(2) else None
        status = head.group(3).upper() if head.group(3) else None
        quantity = int(head.group(4)) if head.group(4) else None
        text = text[head.end() :]

    if "/" not in text:
        raise ParseError("E_SSR", "no '/'-separated fields in SSR text", tag=ssr)
    body = text[1:] if text.startswith("/") else text
    body, association = _split_association(body, ssr)
    fields = [_clean(part) for part in body.split("/")]

    result: dict[str, Any] = {
        "ssr": ssr,
        "carrier": carrier,
        "status": status,
        "quantity": quantity,
    }
    if ssr == "DOCS":
        result.update(_parse_docs(fields, reference, issues))
    elif ssr == "DOCO":
        result.update(_parse_doco(fields, reference, issues))
    else:
        result.update(_parse_doca(fields, issues))
    result["name_association"] = association
    result["issues"] = issues.codes
    return result


# --------------------------------------------------------------------------------------------
# Writers

_CARRIER = re.compile(r"[A-Z0-9]{2}")
_STATUS = re.compile(r"[A-Z]{2}")
_FORBIDDEN = re.compile(r"[/\x00-\x1f\x7f]")


def _format_date(value: date | None) -> str | None:
    if value is None:
        return None
    return f"{value.day:02d}{MONTHS[value.month - 1]}{value.year % 100:02d}"


def _assemble(
    kind: SsrKind,
    fields: Sequence[tuple[str, str | None]],
    *,
    carrier: str,
    status: str,
    quantity: int | None,
    prefix: bool,
) -> str:
    values: list[str] = []
    for name, value in fields:
        if value is not None and _FORBIDDEN.search(value):
            raise ValueError(f"field {name!r} contains '/' or a control character")
        values.append(value or "")
    while values and not values[-1]:
        values.pop()
    body = "/".join(values)
    if _split_association(body, kind)[1] is not None:
        raise ValueError("the last fields would read as a name association (-<digits>NAME/…)")
    text = "/" + body
    if not prefix:
        return text
    if not _CARRIER.fullmatch(carrier):
        raise ValueError("carrier must be two upper-case letters or digits")
    if not _STATUS.fullmatch(status):
        raise ValueError("status must be two upper-case letters")
    if quantity is not None and not 0 <= quantity <= 999:
        raise ValueError("quantity must be between 0 and 999")
    count = "" if quantity is None else str(quantity)
    return f"SSR {kind} {carrier} {status}{count}{text}"


def format_ssr_docs(
    *,
    doc_type: str | None,
    doc_issuer: str | None,
    doc_number: str | None,
    nationality: str | None,
    dob: date | None,
    sex: str | None,
    doc_expiry: date | None,
    family_name: str | None,
    given_names: str | None,
    infant: bool = False,
    holder: bool = False,
    carrier: str = "YY",
    status: str = "HK",
    quantity: int | None = 1,
    prefix: bool = True,
) -> str:
    """Write an SSR DOCS teletype line (or, with ``prefix=False``, its free text).

    All given names go into the first given-name field. Dates are written ``DDMMMYY``.
    Trailing empty fields are left out.

    Args:
        doc_type: Document type (``P``, ``I`` …) or ``None``.
        doc_issuer: Issuing state code, written as given.
        doc_number: Document number.
        nationality: Nationality code, written as given.
        dob: Date of birth.
        sex: ``M``, ``F``, ``X`` or ``None``.
        doc_expiry: Expiry date.
        family_name: Surname.
        given_names: Given names, space-separated.
        infant: Write the sex as ``MI``/``FI`` (needs ``sex`` M or F).
        holder: Add the ``H`` flag (multi-passenger passport holder).
        carrier: Two-character airline designator (``YY`` = all).
        status: Two-letter status code.
        quantity: Number of passengers (``None`` leaves it out).
        prefix: Write ``SSR DOCS <carrier> <status><quantity>`` before the free text.

    Returns:
        The line, e.g. ``SSR DOCS YY HK1/P/GBR/123456789/GBR/12JUL82/M/23OCT25/SMITH/JOHN``.

    Raises:
        ValueError: A value contains ``/`` or a control character, the sex is not M/F/X/None
            (or not M/F for an infant), or the prefix pieces are malformed. Messages name the
            field, never its value.
    """
    if sex not in (None, "M", "F", "X"):
        raise ValueError("sex must be 'M', 'F', 'X' or None")
    if infant and sex not in ("M", "F"):
        raise ValueError("an infant DOCS needs sex 'M' or 'F'")
    sex_text = f"{sex}I" if infant else sex
    fields = [
        ("doc_type", doc_type),
        ("doc_issuer", doc_issuer),
        ("doc_number", doc_number),
        ("nationality", nationality),
        ("dob", _format_date(dob)),
        ("sex", sex_text),
        ("doc_expiry", _format_date(doc_expiry)),
        ("family_name", family_name),
        ("given_names", given_names),
        ("second_given_name", None),
        ("holder", "H" if holder else None),
    ]
    return _assemble(
        "DOCS", fields, carrier=carrier, status=status, quantity=quantity, prefix=prefix
    )


def format_ssr_doco(
    *,
    birthplace: str | None,
    doc_type: str | None,
    doc_number: str | None,
    issue_place: str | None,
    issue_date: date | None,
    valid_for: str | None,
    infant: bool = False,
    carrier: str = "YY",
    status: str = "HK",
    quantity: int | None = 1,
    prefix: bool = True,
) -> str:
    """Write an SSR DOCO teletype line (or its free text with ``prefix=False``).

    Args:
        birthplace: Place of birth.
        doc_type: Document type (``V`` visa …).
        doc_number: Document number.
        issue_place: Place of issue.
        issue_date: Date of issue.
        valid_for: Country for which the document is valid, written as given.
        infant: Add the trailing ``I`` (infant) flag.
        carrier: Two-character airline designator.
        status: Two-letter status code.
        quantity: Number of passengers (``None`` leaves it out).
        prefix: Write ``SSR DOCO <carrier> <status><quantity>`` first.

    Returns:
        The line, e.g. ``SSR DOCO YY HK1/LONDON/V/12345/PARIS/22DEC06/USA``.

    Raises:
        ValueError: A value contains ``/`` or a control character, or the prefix pieces are
            malformed.
    """
    fields = [
        ("birthplace", birthplace),
        ("doc_type", doc_type),
        ("doc_number", doc_number),
        ("issue_place", issue_place),
        ("issue_date", _format_date(issue_date)),
        ("valid_for", valid_for),
        ("infant", "I" if infant else None),
    ]
    return _assemble(
        "DOCO", fields, carrier=carrier, status=status, quantity=quantity, prefix=prefix
    )


def format_ssr_doca(
    *,
    address_type: str | None,
    country: str | None,
    street: str | None,
    city: str | None,
    state: str | None,
    postcode: str | None,
    infant: bool = False,
    carrier: str = "YY",
    status: str = "HK",
    quantity: int | None = 1,
    prefix: bool = True,
) -> str:
    """Write an SSR DOCA teletype line (or its free text with ``prefix=False``).

    Args:
        address_type: ``R`` (residence) or ``D`` (destination) or ``None``.
        country: Country code, written as given.
        street: Street and number.
        city: City.
        state: State, province or county.
        postcode: Postal code.
        infant: Add the trailing ``I`` (infant) flag.
        carrier: Two-character airline designator.
        status: Two-letter status code.
        quantity: Number of passengers (``None`` leaves it out).
        prefix: Write ``SSR DOCA <carrier> <status><quantity>`` first.

    Returns:
        The line, e.g. ``SSR DOCA YY HK1/R/GBR/1 HIGH STREET/LONDON//SW1A 1AA``.

    Raises:
        ValueError: ``address_type`` is not R/D/None, a value contains ``/`` or a control
            character, or the prefix pieces are malformed.
    """
    if address_type not in (None, "R", "D"):
        raise ValueError("address_type must be 'R', 'D' or None")
    fields = [
        ("address_type", address_type),
        ("country", country),
        ("street", street),
        ("city", city),
        ("state", state),
        ("postcode", postcode),
        ("infant", "I" if infant else None),
    ]
    return _assemble(
        "DOCA", fields, carrier=carrier, status=status, quantity=quantity, prefix=prefix
    )
