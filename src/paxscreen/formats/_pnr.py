"""What PNRGOV EDIFACT and PNRGOV XML share: the ingest policy and the travellers frame.

Both readers turn their input into the same intermediate records (:class:`PnrRecord` holding
:class:`PaxRecord` travellers and :class:`Leg` itinerary segments) and hand them to
:func:`build_frame`, so the two formats give the same frame for the same booking.

**The Annex I allow-list** (EU PNR Directive 2016/681, Art. 6(1) and 13(4); requirements L1
and L2 in research/ecosystem.md §4.6). PNR data outside the closed list of Annex I must be
deleted on receipt, and data revealing religion or health must never be processed. Both
readers therefore filter at ingest, before any segment or element is parsed, logged or put
into a table:

* SSR/OSI codes on the deny-list of :class:`PnrPolicy` (special meals, which reveal religion or
  health; medical and assistance codes) are deleted. Only a count per category reaches the
  issues frame: neither the code, nor the traveller, nor the segment is named.
* Free text (OSI and other ``IFT`` remarks, ``LTS`` history lines, the text of non-document
  SSRs, XML ``Remark``/``Text`` of other SSRs) is deleted; a count per tag is kept.
* SSR codes that are not on the allow-list (:data:`ANNEX_I_SSR_CODES`) and segments that are
  not PNRGOV segments are deleted; a count per tag is kept.

What reaches the frame, by Annex I item: record locator (1), names (4), itinerary (7), frequent
flyer number (8), travel agency (9), check-in status (10), ticket numbers (13), seat (14), code
share (15), bag tags (16), number and record ids of co-travellers (17), API data from SSR
DOCS/DOCO/DOCA (18). Booking context that the travellers schema has no column for goes into
``references`` (see :data:`REFERENCE_QUALIFIERS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

import polars as pl

from paxscreen._countries import normalize_country
from paxscreen.errors import ConfigError
from paxscreen.formats._issues import IssueLog
from paxscreen.schema import TRAVELLERS, travellers_frame

__all__ = [
    "ANNEX_I_SSR_CODES",
    "MEAL_CODES",
    "MEDICAL_CODES",
    "REFERENCE_QUALIFIERS",
    "SENSITIVE_CODES",
    "DocEntry",
    "DropCounter",
    "Leg",
    "PaxRecord",
    "PnrPolicy",
    "PnrRecord",
    "PushRecord",
    "assign_documents",
    "build_frame",
    "normalize_ref",
    "record_ids",
    "seat_value",
]

#: Special meal codes (AIRIMP): religious (MOML, KSML, HNML, VJML...), medical (DBML, GFML,
#: LSML...) and preference meals alike reveal religion or health (Art. 13(4)).
MEAL_CODES: Final = frozenset(
    {
        "AVML", "BBML", "BLML", "CHML", "DBML", "FPML", "GFML", "HFML", "HNML", "JNML",
        "JPML", "KSML", "LCML", "LFML", "LPML", "LSML", "MOML", "NBML", "NFML", "NLML",
        "ORML", "PFML", "PRML", "RFML", "RVML", "SFML", "SPML", "VGML", "VJML", "VLML",
        "VOML",
    }
)  # fmt: skip
#: Medical, disability and assistance codes: they reveal health (Art. 13(4)).
MEDICAL_CODES: Final = frozenset(
    {
        "WCHR", "WCHS", "WCHC", "WCBD", "WCBW", "WCMP", "WCOB", "WCLB", "MEDA", "MEQT",
        "BLND", "DEAF", "DPNA", "STCR", "OXYG", "POXY", "PPOC", "MAAS", "ESAN", "SVAN",
        "LEGL", "LEGR",
    }
)  # fmt: skip
#: The default deny-list.
SENSITIVE_CODES: Final = MEAL_CODES | MEDICAL_CODES

#: SSR codes whose content is an Annex I data element (the default allow-list).
ANNEX_I_SSR_CODES: Final = frozenset(
    {
        # 18 API data, 5 address
        "DOCS", "DOCO", "DOCA", "FOID", "PSPT", "VISA",
        # 17 other travellers on the PNR, 12 unaccompanied minors
        "INFT", "CHLD", "UMNR", "GRPS", "GRPF",
        # 13 ticketing
        "TKNE", "TKNM", "TKNA", "TKTL", "ADTK",
        # 14 seats
        "SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW", "SMSB", "EXST",
        # 8 frequent flyer
        "FQTV", "FQTR", "FQTU", "FQTS",
        # 5 contact information
        "CTCE", "CTCM", "CTCH", "CTCB", "CTCP", "CTCT", "CTCR", "PCTC",
        # 16 baggage
        "XBAG", "CBBG", "BULK", "SPEQ", "BIKE",
    }
)  # fmt: skip
#: SSR codes whose component 9 is a free-text remark (dropped as free text, not as "other").
FREE_TEXT_SSR_CODES: Final = frozenset({"OTHS", "CKIN", "OSI", "RMKS", "ASVC", "PETC"})

#: Qualifiers of the ``references`` entries the PNR readers write.
REFERENCE_QUALIFIERS: Final = {
    "RCI": "a record locator of the booking, AIRLINE:LOCATOR (every one the PNR lists)",
    "PARTY": "number of travellers on the PNR",
    "CO_TRAVELLER": "record_id of another traveller on the same PNR (one entry each)",
    "TRAVELLER_REF": "the traveller reference inside the PNR (TIF / RPH)",
    "PAX_TYPE": "passenger type code (A adult, C child, IN infant, G group)",
    "WITH_INFANT": "1 when an infant travels on this traveller's lap",
    "DOCS_NAME": "the name on the primary SSR DOCS, SURNAME/GIVEN NAMES",
    "TKT": "a ticket number",
    "FQTV": "a frequent flyer number, AIRLINE:NUMBER",
    "AGENCY": "the booking agency (IATA number, else the CRS:location of the originator)",
    "CHECKIN": "check-in sequence number on the reported flight",
    "CODESHARE": "the marketing carrier of a code-share leg, MARKETING:OPERATING",
    "SSR": "an SSR code outside the allow-list (only with PnrPolicy(allow_list=False))",
}

_CODE = re.compile(r"[A-Z0-9]{4}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PnrPolicy:
    """Which PNR data elements may enter paxscreen (the ingest filter of both PNR readers).

    Attributes:
        sensitive_codes: SSR/OSI codes deleted on receipt, whatever else is configured
            (special meals, medical and assistance codes by default). Only a count per
            category is kept.
        meal_codes_sensitive: Also treat every other four-letter code ending in ``ML`` as a
            special meal.
        allow_list: Delete SSR codes that are not in ``allowed_ssr_codes`` (on by default).
            With ``False`` such codes are kept as ``references`` entries (qualifier ``SSR``,
            the code only, never its free text); the deny-list still applies.
        allowed_ssr_codes: The SSR codes that carry Annex I data elements.
    """

    sensitive_codes: frozenset[str] = SENSITIVE_CODES
    meal_codes_sensitive: bool = True
    allow_list: bool = True
    allowed_ssr_codes: frozenset[str] = ANNEX_I_SSR_CODES

    def __post_init__(self) -> None:
        for name in ("sensitive_codes", "allowed_ssr_codes"):
            codes = getattr(self, name)
            if isinstance(codes, str) or not all(
                isinstance(c, str) and _CODE.fullmatch(c) for c in codes
            ):
                raise ConfigError(f"{name} must be four-character upper-case codes")
            object.__setattr__(self, name, frozenset(codes))

    def category(self, code: str) -> str | None:
        """Why an SSR/OSI ``code`` must be deleted: a category name, or None to keep it."""
        if code in self.sensitive_codes or (self.meal_codes_sensitive and _is_meal(code)):
            if code in MEDICAL_CODES:
                return "medical"
            return "meal" if _is_meal(code) else "sensitive"
        if code in FREE_TEXT_SSR_CODES:
            return "free_text"
        if code not in self.allowed_ssr_codes:
            return "not_annex_i"
        return None


def _is_meal(code: str) -> bool:
    return len(code) == 4 and code.endswith("ML")


_CATEGORY_TEXT = {
    "meal": "special-meal",
    "medical": "medical or assistance",
    "sensitive": "other deny-listed",
}


@dataclass
class DropCounter:
    """Counts of what the ingest filter deleted; turned into issue rows without any value."""

    sensitive: dict[str, int] = field(default_factory=dict)  #: by category
    free_text: dict[str, int] = field(default_factory=dict)  #: by tag
    other: dict[str, int] = field(default_factory=dict)  #: by tag

    def add(self, kind: str, key: str) -> None:
        """Count one deleted element: ``kind`` sensitive | free_text | other."""
        bucket = getattr(self, kind)
        bucket[key] = bucket.get(key, 0) + 1

    def report(self, log: IssueLog) -> None:
        """Add one ``info`` row per kind to ``log`` (counts only; no segment, no record)."""
        if self.sensitive:
            total = sum(self.sensitive.values())
            parts = ", ".join(
                f"{_CATEGORY_TEXT[k]}: {n}" for k, n in sorted(self.sensitive.items())
            )
            log.add(
                "info",
                "I_PNR_SENSITIVE_DROPPED",
                f"{total} element(s) with a sensitive SSR/OSI code deleted at ingest ({parts})",
                tag="SSR",
            )
        for code, bucket, what in (
            ("I_PNR_FREE_TEXT_DROPPED", self.free_text, "free-text element(s)"),
            ("I_PNR_NOT_ANNEX_I", self.other, "element(s) outside the Annex I allow-list"),
        ):
            if bucket:
                total = sum(bucket.values())
                parts = ", ".join(f"{k}: {n}" for k, n in sorted(bucket.items()))
                log.add("info", code, f"{total} {what} deleted at ingest ({parts})")


@dataclass
class Leg:
    """One air segment of an itinerary."""

    carrier: str | None = None
    number: str | None = None
    dep_airport: str | None = None
    arr_airport: str | None = None
    dep_time: datetime | None = None
    arr_time: datetime | None = None
    marketing: str | None = None  #: marketing carrier of a code-share leg

    @property
    def flight_number(self) -> str | None:
        """Carrier and number, ``DL324`` (the PAXLST convention)."""
        if self.number is None:
            return None
        if self.carrier and not self.number.startswith(self.carrier):
            return self.carrier + self.number
        return self.number

    def same_flight(self, other: Leg) -> bool:
        """Whether two legs are the same flight (number, or else route and day)."""
        if self.flight_number and other.flight_number:
            mine, theirs = self.flight_number, other.flight_number
            if _flight_key(mine) != _flight_key(theirs):
                return False
            return self.dep_airport in (None, other.dep_airport) or other.dep_airport is None
        return (self.dep_airport, self.arr_airport) == (other.dep_airport, other.arr_airport)

    def as_struct(self) -> dict[str, Any]:
        """The leg as a :data:`paxscreen.schema.LEG` value."""
        return {
            "carrier": self.carrier,
            "flight_number": self.flight_number,
            "dep_airport": self.dep_airport,
            "arr_airport": self.arr_airport,
            "dep_time": self.dep_time,
            "arr_time": self.arr_time,
        }


def _flight_key(number: str) -> tuple[str, int | str]:
    """``DL0324`` and ``DL324`` are one flight."""
    match = re.fullmatch(r"([A-Z0-9]{2,3}?)0*(\d{1,4})[A-Z]?", number)
    if match is None:
        return number, ""
    return match.group(1), int(match.group(2))


@dataclass
class PaxRecord:
    """One traveller of a PNR before it becomes a row."""

    index: int | None  #: segment index (EDIFACT) or line (XML) of the traveller
    surname: str | None = None
    given: str | None = None
    pax_type: str | None = None
    ref: str | None = None
    with_infant: bool = False
    docs: list[dict[str, Any]] = field(default_factory=list)  #: parsed DOCS, best first
    docos: list[dict[str, Any]] = field(default_factory=list)
    docas: list[dict[str, Any]] = field(default_factory=list)
    infant_dob: date | None = None
    tickets: list[str] = field(default_factory=list)
    frequent_flyer: list[str] = field(default_factory=list)
    seat: str | None = None
    bag_tags: list[str] = field(default_factory=list)
    checkin: str | None = None
    other_ssr: list[str] = field(default_factory=list)

    @property
    def is_infant(self) -> bool:
        """TIF passenger type IN (or an infant DOCS made into a traveller)."""
        return (self.pax_type or "").upper() in ("IN", "INF", "I")


@dataclass
class PnrRecord:
    """One PNR: locators, agency, itinerary, travellers."""

    locators: list[tuple[str | None, str]] = field(default_factory=list)
    agency: str | None = None
    legs: list[Leg] = field(default_factory=list)
    travellers: list[PaxRecord] = field(default_factory=list)


@dataclass
class PushRecord:
    """One PNRGOV message (or XML document): the reported flight and its PNRs."""

    index: int
    source_ref: str | None
    flight: Leg | None
    pnrs: list[PnrRecord] = field(default_factory=list)


def normalize_ref(ref: str | None) -> str | None:
    """Traveller references compare as strings without leading zeros (``001`` = ``1``)."""
    if ref is None:
        return None
    text = ref.strip()
    if not text:
        return None
    return ".".join(part.lstrip("0") or "0" for part in text.split("."))


def seat_value(text: str | None) -> str | None:
    """A seat as sent (``056F``), or None for placeholders (``XXX``) and junk."""
    if text is None:
        return None
    value = text.strip().upper()
    return value if re.fullmatch(r"\d{1,3}[A-Z]", value) else None


def _locator(pnr: PnrRecord, flight: Leg | None) -> str | None:
    if not pnr.locators:
        return None
    carriers = {
        c for c in (flight.carrier if flight else None, flight.marketing if flight else None) if c
    }
    for airline, locator in pnr.locators:
        if airline in carriers:
            return locator
    return pnr.locators[0][1]


def _documents(p: PaxRecord) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for d in p.docs:
        if d.get("doc_number") is None and d.get("doc_type") is None:
            continue
        doc = {
            "doc_type": d.get("doc_type"),
            "doc_number": d.get("doc_number"),
            "doc_issuer": d.get("doc_issuer"),
            "doc_expiry": d.get("doc_expiry"),
        }
        key = (doc["doc_type"], (doc["doc_number"] or "").replace(" ", ""), doc["doc_issuer"])
        if key not in seen:
            seen.add(key)
            out.append(doc)
    for d in p.docos:
        if d.get("doc_number") is None:
            continue
        doc = {
            "doc_type": d.get("doc_type"),
            "doc_number": d.get("doc_number"),
            "doc_issuer": d.get("valid_for"),
            "doc_expiry": None,
        }
        key = (doc["doc_type"], (doc["doc_number"] or "").replace(" ", ""), doc["doc_issuer"])
        if key not in seen:
            seen.add(key)
            out.append(doc)
    return out


def _first(records: Iterable[dict[str, Any]], key: str) -> Any:
    for record in records:
        value = record.get(key)
        if value is not None:
            return value
    return None


def build_frame(pushes: list[PushRecord], source_format: str) -> pl.DataFrame:
    """The travellers frame of every traveller of every PNR (record ids ``msg.pnr.traveller``).

    Flat columns are built from row dicts; the nested ones (documents, references, legs,
    bag tags) from flat tables grouped per row, which polars builds much faster than lists
    of Python dicts.
    """
    rows: list[dict[str, Any]] = []
    for push in pushes:
        for p_no, pnr in enumerate(push.pnrs, start=1):
            ids = [f"{push.index + 1}.{p_no}.{k}" for k in range(1, len(pnr.travellers) + 1)]
            flight = push.flight or (pnr.legs[0] if pnr.legs else None)
            locator = _locator(pnr, push.flight)
            legs = [leg.as_struct() for leg in pnr.legs]
            for rid, pax in zip(ids, pnr.travellers, strict=True):
                rows.append(_row(rid, ids, pax, pnr, push, flight, locator, legs, source_format))
    if not rows:
        return pl.DataFrame(schema=TRAVELLERS)
    nested = ("documents", "references", "legs", "bag_tags")
    flat = travellers_frame([{k: v for k, v in row.items() if k not in nested} for row in rows])
    n = len(rows)
    for name in nested:
        dtype = TRAVELLERS[name]
        items = [(i, item) for i, row in enumerate(rows) for item in row[name]]
        if name == "bag_tags":
            table = pl.DataFrame(
                {"_i": [i for i, _ in items], "v": [v for _, v in items]},
                schema={"_i": pl.Int64, "v": pl.String},
            ).with_columns(item=pl.col("v"))
        else:
            inner = dtype.inner  # type: ignore[attr-defined]
            fields = [f.name for f in inner.fields]
            columns: dict[str, list[Any]] = {"_i": [i for i, _ in items]}
            for f in fields:
                columns[f] = [item[f] for _, item in items]
            table = pl.DataFrame(
                columns, schema={"_i": pl.Int64, **{f.name: f.dtype for f in inner.fields}}
            ).with_columns(item=pl.struct(fields))
        grouped = table.group_by("_i", maintain_order=True).agg(pl.col("item"))
        column = (
            pl.DataFrame({"_i": pl.arange(0, n, eager=True)})
            .join(grouped, on="_i", how="left")
            .sort("_i")["item"]
            .cast(dtype)
            .fill_null(pl.lit([], dtype=dtype))
        )
        flat = flat.with_columns(column.alias(name))
    return flat.select(list(TRAVELLERS))


def _row(
    rid: str,
    ids: list[str],
    pax: PaxRecord,
    pnr: PnrRecord,
    push: PushRecord,
    flight: Leg | None,
    locator: str | None,
    legs: list[dict[str, Any]],
    source_format: str,
) -> dict[str, Any]:
    documents = _documents(pax)
    primary = next((d for d in documents if d["doc_type"] != "V"), None) or (
        documents[0] if documents else None
    )
    docs = pax.docs
    sex = _first(docs, "sex")
    dob = _first(docs, "dob") or pax.infant_dob
    residence = next(
        (d.get("country") for d in pax.docas if d.get("address_type") == "R" and d.get("country")),
        None,
    )
    refs: list[dict[str, str]] = []

    def ref(qualifier: str, value: str | None) -> None:
        if value:
            entry = {"qualifier": qualifier, "value": value}
            if entry not in refs:
                refs.append(entry)

    for airline, loc in pnr.locators:
        ref("RCI", f"{airline}:{loc}" if airline else loc)
    ref("PARTY", str(len(ids)))
    for other in ids:
        if other != rid:
            ref("CO_TRAVELLER", other)
    ref("TRAVELLER_REF", pax.ref)
    ref("PAX_TYPE", pax.pax_type)
    if pax.with_infant:
        ref("WITH_INFANT", "1")
    if docs and (docs[0].get("family_name") or docs[0].get("given_names")):
        ref("DOCS_NAME", f"{docs[0].get('family_name') or ''}/{docs[0].get('given_names') or ''}")
    for ticket in pax.tickets:
        ref("TKT", ticket)
    for number in pax.frequent_flyer:
        ref("FQTV", number)
    ref("AGENCY", pnr.agency)
    ref("CHECKIN", pax.checkin)
    for leg in pnr.legs:
        if leg.marketing:
            ref("CODESHARE", f"{leg.marketing}:{leg.carrier}")
    for code in pax.other_ssr:
        ref("SSR", code)
    return {
        "record_id": rid,
        "source_format": source_format,
        "source_ref": push.source_ref,
        "role": "infant" if pax.is_infant else "passenger",
        "family_name": _text(pax.surname),
        "given_names": _text(pax.given),
        "dob": dob,
        "sex": sex,
        "nationality": _first(docs, "nationality"),
        "residence": normalize_country(residence) if residence else None,
        "birthplace": _first(pax.docos, "birthplace"),
        "doc_type": primary["doc_type"] if primary else None,
        "doc_number": primary["doc_number"] if primary else None,
        "doc_issuer": primary["doc_issuer"] if primary else None,
        "doc_expiry": primary["doc_expiry"] if primary else None,
        "documents": documents,
        "carrier": flight.carrier if flight else None,
        "flight_number": flight.flight_number if flight else None,
        "dep_airport": flight.dep_airport if flight else None,
        "arr_airport": flight.arr_airport if flight else None,
        "dep_time": flight.dep_time if flight else None,
        "arr_time": flight.arr_time if flight else None,
        "embark": None,
        "debark": None,
        "pnr_locator": locator,
        "seat": pax.seat,
        "bag_tags": pax.bag_tags,
        "references": refs,
        "legs": legs,
    }


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    out = " ".join(value.split())
    return out or None


def _squeeze(text: str | None) -> str:
    return "".join((text or "").split()).upper()


def _name_score(pax: PaxRecord, surname: str | None, given: str | None) -> int:
    score = 0
    if surname and _squeeze(pax.surname) == _squeeze(surname):
        score += 2
    first = (given or "").split()
    if first and _squeeze(pax.given).startswith(_squeeze(first[0])):
        score += 1
    return score


@dataclass
class DocEntry:
    """An SSR DOCS/DOCO/DOCA met while reading a PNR, before it is given to a traveller."""

    kind: str  #: DOCS, DOCO or DOCA
    parsed: dict[str, Any]
    index: int | None  #: segment index / line, for issues
    owner: PaxRecord | None  #: the traveller whose block holds it (EDIFACT Gr.2)
    ref: str | None  #: the traveller reference it names, if any
    issues: list[str] = field(default_factory=list)
    assigned: PaxRecord | None = None


def assign_documents(pnr: PnrRecord, entries: list[DocEntry]) -> list[DocEntry]:
    """Give every document SSR of ``pnr`` to its traveller; return the ones nobody owns.

    Rules, in order: an infant DOCS (sex ``MI``/``FI``) stays with the infant it references
    or sits under, else goes to the PNR's infant whose name fits it best (a DOCS for an infant
    without its own TIF becomes an infant traveller); a
    reference naming a traveller of the PNR wins; then the traveller whose block holds the
    SSR; then the only traveller of a one-person PNR. Documents from the traveller's own
    block come before those from itinerary or PNR-level SSRs.
    """
    by_ref = {normalize_ref(p.ref): p for p in pnr.travellers if p.ref}
    unowned: list[DocEntry] = []
    ordered = sorted(entries, key=lambda e: e.owner is None)  # own block first (stable)
    for entry in ordered:
        target: PaxRecord | None = None
        parsed = entry.parsed
        if entry.kind == "DOCS" and parsed.get("infant"):
            infants = [p for p in pnr.travellers if p.is_infant]
            own = by_ref.get(normalize_ref(entry.ref)) or entry.owner
            if own is not None and own.is_infant:
                target = own  # already where it belongs
            elif infants:
                # the best-fitting name; between equal names, one without a DOCS yet
                target = max(
                    infants,
                    key=lambda p: (
                        _name_score(p, parsed.get("family_name"), parsed.get("given_names")),
                        not p.docs,
                    ),
                )
            else:
                target = PaxRecord(
                    index=entry.index,
                    surname=parsed.get("family_name"),
                    given=parsed.get("given_names"),
                    pax_type="IN",
                )
                pnr.travellers.append(target)
        if target is None:
            named = by_ref.get(normalize_ref(entry.ref))
            target = named if named is not None else entry.owner
        if target is None and len(pnr.travellers) == 1:
            target = pnr.travellers[0]
        if target is None:
            unowned.append(entry)
            continue
        entry.assigned = target
        {"DOCS": target.docs, "DOCO": target.docos, "DOCA": target.docas}[entry.kind].append(parsed)
    return unowned


def record_ids(push: PushRecord, pnr: PnrRecord, pnr_number: int) -> dict[int, str]:
    """``id(PaxRecord)`` -> record_id for the travellers of ``pnr`` (1-based ``pnr_number``),
    as :func:`build_frame` numbers them."""
    return {
        id(pax): f"{push.index + 1}.{pnr_number}.{k}"
        for k, pax in enumerate(pnr.travellers, start=1)
    }


def report_pnr_issues(
    log: IssueLog,
    pnr: PnrRecord,
    entries: list[DocEntry],
    unowned: list[DocEntry],
    ids: dict[int, str],
    *,
    surname_field: str,
    tagged: bool,
) -> None:
    """Log what a parsed PNR leaves wrong: document SSRs that name no traveller, travellers
    without a family name (``surname_field`` names where it was expected), and the value
    issues of the documents that found their traveller (``ids``: :func:`record_ids`).
    ``tagged``: the issues name their EDIFACT segment tag (SSR, TIF)."""
    for entry in unowned:
        log.add(
            "warning",
            "W_PNR_UNLINKED",
            f"SSR {entry.kind} names no traveller of its PNR; ignored",
            segment_index=entry.index,
            tag="SSR" if tagged else None,
        )
    for p in pnr.travellers:
        if not p.surname:
            log.add(
                "error",
                "E_FIELD",
                f"traveller without a family name ({surname_field})",
                segment_index=p.index,
                tag="TIF" if tagged else None,
                record_id=ids.get(id(p)),
            )
    for entry in entries:
        if entry.assigned is None:
            continue
        for code in entry.issues:
            log.add(
                "warning",
                code,
                f"SSR {entry.kind}: {code.removeprefix('W_SSR_').lower().replace('_', ' ')}",
                segment_index=entry.index,
                tag="SSR" if tagged else None,
                record_id=ids.get(id(entry.assigned)),
            )
