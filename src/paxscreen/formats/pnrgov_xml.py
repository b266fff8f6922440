"""IATA PNRGOV XML (``IATA_PNRGOV_NotifRQ``) into the travellers frame, and back.

The XML push carries the same bookings as the EDIFACT one (research/formats.md §3.6): the
reported flight (``FlightLeg``) and ``PNRs/PNR`` elements with ``BookingRefID`` (locator),
``POS/Source`` (agency), ``Passenger`` (``@RPH``, ``GivenName``, ``Surname``, ``CustLoyalty``,
``TicketDocument``, ``DOC_SSR`` with structured ``DOCS``/``DOCO``/``DOCA`` attributes) and
``Flight`` itinerary segments with their SSRs (``DOCS`` free text in ``Text``, ``SEAT``),
linked to passengers by ``@RPH``. Element names are matched without their namespace; attributes
of the structured DOCS win over the free text, which fills what they leave out. The frame is
built by the same code as the EDIFACT reader's (:mod:`paxscreen.formats._pnr`).

**Hardened parsing** (research/ecosystem.md §4.7, S1/S2). The standard library's expat parser is
driven directly, with handlers that refuse every document type declaration (so no DTD, no
entity declarations and no entity expansion), every external entity reference and every
unknown entity; there is no network access and nothing is resolved. Explicit limits (input
size, nesting depth, number of elements, attribute and text length; :class:`XmlLimits`) are
checked while the input streams in, so a bomb is refused before it grows. Every refusal is a
:class:`~paxscreen.errors.ParseError` with a code, the line and the byte offset, never a value.

The Annex I filter (:class:`~paxscreen.formats._pnr.PnrPolicy`) runs inside the parser: an SSR
element with a deny-listed or non-allowed code, and free-text elements (``Remark``, ``OSI``...),
are skipped with their whole subtree before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

import polars as pl

from paxscreen._countries import normalize_country
from paxscreen.config import ParseOptions
from paxscreen.errors import ConfigError, ParseError
from paxscreen.formats._issues import IssueLog
from paxscreen.formats._pnr import (
    DocEntry,
    DropCounter,
    Leg,
    PaxRecord,
    PnrPolicy,
    PnrRecord,
    PushRecord,
    assign_documents,
    build_frame,
    normalize_ref,
    record_ids,
    report_pnr_issues,
    seat_value,
)
from paxscreen.formats.ssr import parse_ssr_docs
from paxscreen.schema import with_traveller_columns

__all__ = ["XmlLimits", "parse_pnrgov_xml", "write_pnrgov_xml"]

ROOT: Final = "IATA_PNRGOV_NotifRQ"
NAMESPACE: Final = "http://www.iata.org/IATA/2007/00"
#: Elements whose whole content is free text: deleted with their subtree.
FREE_TEXT_ELEMENTS: Final = frozenset(
    {"Remark", "Remarks", "OSI", "OtherServiceInfo", "SpecialRemark", "GeneralRemark",
     "Comment", "FreeText", "History", "HistoryItem"}
)  # fmt: skip
_SSR_ELEMENTS: Final = frozenset({"SSR", "DOC_SSR", "SpecialServiceRequest"})
#: SSR codes whose ``Text`` is read; any other SSR's text is free text.
_TEXT_SSR: Final = frozenset({"DOCS", "DOCO", "DOCA", "SEAT", "RQST", "INFT", "TKNE"})
_CHUNK = 64 * 1024
#: Element names that may be named in an error message (nothing from the input otherwise).
_KNOWN = frozenset(
    {ROOT, "PNRs", "PNR", "Passenger", "Flight", "FlightLeg", "DOC_SSR", "SSR", "DOCS", "DOCO",
     "DOCA", "BookingRefID", "GivenName", "Surname", "Text"}
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class XmlLimits:
    """Resource limits of the hardened XML parser (safe defaults; all in force at once).

    Attributes:
        max_bytes: Largest accepted document (the smaller of this and ``ParseOptions.max_bytes``
            applies).
        max_depth: Deepest element nesting (PNRGOV needs about 10).
        max_elements: Most elements in one document.
        max_attribute_length: Longest attribute value, in characters.
        max_text_length: Longest text content of one element, in characters.
    """

    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 64
    max_elements: int = 2_000_000
    max_attribute_length: int = 4096
    max_text_length: int = 65_536

    def __post_init__(self) -> None:
        if (
            min(
                self.max_bytes,
                self.max_depth,
                self.max_elements,
                self.max_attribute_length,
                self.max_text_length,
            )
            <= 0
        ):
            raise ConfigError("XmlLimits must all be positive")


@dataclass
class _Node:
    name: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def find(self, name: str) -> _Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.name == name]

    def iter(self, name: str) -> list[_Node]:
        out: list[_Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.name == name:
                out.append(node)
            else:
                stack.extend(reversed(node.children))
        return out

    @property
    def content(self) -> str | None:
        text = "".join(self.text).strip()
        return text or None


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


class _TreeBuilder:
    """Expat handlers building a small tree under limits, with the Annex I filter applied."""

    def __init__(self, limits: XmlLimits, policy: PnrPolicy, counter: DropCounter) -> None:
        self.limits = limits
        self.policy = policy
        self.counter = counter
        self.parser = expat.ParserCreate(namespace_separator="}")
        p = self.parser
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.UnparsedEntityDeclHandler = self._entity
        p.NotationDeclHandler = self._entity
        p.ExternalEntityRefHandler = self._external
        p.SkippedEntityHandler = self._skipped
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._chars
        self.root: _Node | None = None
        self.stack: list[_Node] = []
        self.skip = 0  # depth inside a deleted subtree
        self.depth = 0
        self.elements = 0
        self.ssr_code: list[str | None] = []
        self.text_length = 0

    # refusals
    def _doctype(self, *_: Any) -> None:
        raise _Refused("E_XML_DTD", "document type declarations (DTD) are not accepted")

    def _entity(self, *_: Any) -> None:
        raise _Refused("E_XML_ENTITY", "entity declarations are not accepted")

    def _external(self, *_: Any) -> int:
        raise _Refused("E_XML_ENTITY", "external entity references are not accepted")

    def _skipped(self, *_: Any) -> None:
        raise _Refused("E_XML_ENTITY", "entity references are not accepted")

    # content
    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > self.limits.max_depth:
            raise _Refused("E_XML_LIMIT", f"elements nested deeper than {self.limits.max_depth}")
        if self.elements > self.limits.max_elements:
            raise _Refused("E_XML_LIMIT", f"more than {self.limits.max_elements} elements")
        for value in attrs.values():
            if len(value) > self.limits.max_attribute_length:
                raise _Refused(
                    "E_XML_LIMIT",
                    f"attribute longer than {self.limits.max_attribute_length} characters",
                )
        if self.skip:
            self.skip += 1
            return
        local = _local(name)
        if local in FREE_TEXT_ELEMENTS:
            self.counter.add("free_text", "XML")
            self.skip = 1
            return
        code: str | None = None
        if local in _SSR_ELEMENTS:
            code = "".join(attrs.get("SSRCode", attrs.get("SSR_Code", "")).split()).upper()
            category = self.policy.category(code)
            if category in ("meal", "medical", "sensitive"):
                self.counter.add("sensitive", category or "sensitive")
                self.skip = 1
                return
            if category == "free_text" or (category == "not_annex_i" and self.policy.allow_list):
                self.counter.add("free_text" if category == "free_text" else "other", "SSR")
                self.skip = 1
                return
        node = _Node(
            local,
            {_local(k): v for k, v in attrs.items()},
            self.parser.CurrentLineNumber - 1,
        )
        if self.stack:
            self.stack[-1].children.append(node)
        elif self.root is None:
            self.root = node
        self.stack.append(node)
        self.ssr_code.append(code if local in _SSR_ELEMENTS else None)
        self.text_length = 0

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.skip:
            self.skip -= 1
            return
        self.stack.pop()
        self.ssr_code.pop()

    def _chars(self, data: str) -> None:
        if self.skip or not self.stack:
            return
        node = self.stack[-1]
        if node.name in ("GivenName", "Surname", "NamePrefix"):
            pass
        elif node.name == "Text":
            code = next((c for c in reversed(self.ssr_code) if c is not None), None)
            if code not in _TEXT_SSR:
                if data.strip():
                    self.counter.add("free_text", "XML")
                return
        else:
            return  # other character data is never read
        self.text_length += len(data)
        if self.text_length > self.limits.max_text_length:
            raise _Refused(
                "E_XML_LIMIT", f"text longer than {self.limits.max_text_length} characters"
            )
        node.text.append(data)


def _parse_tree(
    data: bytes, limits: XmlLimits, policy: PnrPolicy, counter: DropCounter, source: str | None
) -> _Node:
    builder = _TreeBuilder(limits, policy, counter)
    parser = builder.parser

    def error(code: str, message: str) -> ParseError:
        line = parser.CurrentLineNumber
        return ParseError(
            code,
            message,
            source=source,
            segment_index=line - 1 if line else None,
            offset=parser.CurrentByteIndex if parser.CurrentByteIndex >= 0 else None,
        )

    try:
        for start in range(0, max(len(data), 1), _CHUNK):
            chunk = data[start : start + _CHUNK]
            parser.Parse(chunk, start + _CHUNK >= len(data))
    except _Refused as exc:
        raise error(exc.code, exc.message) from None
    except expat.ExpatError as exc:
        text = expat.ErrorString(exc.code) or "syntax error"
        raise error("E_XML_SYNTAX", f"XML is not well-formed: {text}") from None
    except (ValueError, RecursionError, MemoryError):
        raise error("E_XML_SYNTAX", "XML cannot be read") from None
    if builder.root is None:
        raise ParseError("E_XML_SYNTAX", "no root element", source=source)
    return builder.root


def parse_pnrgov_xml(
    data: bytes,
    *,
    options: ParseOptions | None = None,
    source: str | None = None,
    policy: PnrPolicy | None = None,
    limits: XmlLimits | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse a PNRGOV XML push (``IATA_PNRGOV_NotifRQ``) with the hardened parser.

    Args:
        data: The raw bytes of the document.
        options: Strictness, size limit and the century-window reference date.
        source: The file's base name, for error messages.
        policy: The Annex I ingest filter (on by default).
        limits: Parser resource limits (:class:`XmlLimits`).

    Returns:
        The travellers frame (:data:`paxscreen.schema.TRAVELLERS`) and the issues frame.

    Raises:
        ParseError: ``E_TOO_LARGE`` over the size limit; ``E_XML_DTD`` for any document type
            declaration; ``E_XML_ENTITY`` for entity declarations or references;
            ``E_XML_LIMIT`` when depth, element count, attribute or text length exceed
            ``limits``; ``E_XML_SYNTAX`` when it is not well-formed XML; in strict mode
            ``E_XML_ROOT`` when the root is not ``IATA_PNRGOV_NotifRQ``.
    """
    options = options or ParseOptions()
    policy = policy or PnrPolicy()
    limits = limits or XmlLimits()
    cap = min(limits.max_bytes, options.max_bytes)
    if len(data) > cap:
        raise ParseError("E_TOO_LARGE", f"XML input exceeds {cap} bytes", source=source)
    log = IssueLog(strict=options.strict, source=source)
    counter = DropCounter()
    root = _parse_tree(data, limits, policy, counter, source)
    if root.name != ROOT:
        log.fault(
            "E_XML_ROOT",
            f"the root element is not {ROOT}; PNR elements were read wherever they are",
            segment_index=root.line,
        )
    push = _Reader(root, options, log).read()
    counter.report(log)
    return build_frame([push], "pnrgov_xml"), log.frame()


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def _date(value: str | None) -> date | None:
    moment = _datetime(value)
    return moment.date() if moment else None


def _attr(node: _Node | None, *names: str) -> str | None:
    if node is None:
        return None
    for name in names:
        value = node.attrs.get(name)
        if value is not None and value.strip():
            return " ".join(value.split())
    return None


_SEX = {"M": "M", "F": "F", "X": "X", "MALE": "M", "FEMALE": "F", "MI": "M", "FI": "F"}


class _Reader:
    def __init__(self, root: _Node, options: ParseOptions, log: IssueLog) -> None:
        self.root = root
        self.reference = options.today()
        self.log = log

    def _leg(self, node: _Node) -> Leg:
        marketing = _attr(node.find("MarketingAirline"), "Code")
        operating = _attr(node.find("OperatingAirline"), "Code")
        carrier = operating or marketing or _attr(node, "CarrierCode", "AirlineCode")
        return Leg(
            carrier=carrier,
            marketing=marketing if operating and marketing and marketing != operating else None,
            number=_attr(node, "FlightNumber"),
            dep_airport=_attr(node.find("DepartureAirport"), "LocationCode"),
            arr_airport=_attr(node.find("ArrivalAirport"), "LocationCode"),
            dep_time=_datetime(_attr(node, "DepartureDateTime")),
            arr_time=_datetime(_attr(node, "ArrivalDateTime")),
        )

    def read(self) -> PushRecord:
        root = self.root
        legs = root.iter("FlightLeg")
        push = PushRecord(
            index=0,
            source_ref=_attr(root, "EchoToken", "TransactionIdentifier"),
            flight=self._leg(legs[0]) if legs else None,
        )
        for node in root.iter("PNR"):
            push.pnrs.append(self._pnr(node, push))
        return push

    def _structured(self, node: _Node, kind: str) -> dict[str, Any]:
        a = node.attrs.get
        if kind == "DOCS":
            given = [
                g for g in (_attr(node, "FirstGivenName"), _attr(node, "SecondGivenName")) if g
            ]
            sex = _SEX.get((a("Gender") or "").strip().upper())
            return {
                "doc_type": _attr(node, "DocType", "TravelDocType"),
                "doc_number": _attr(node, "DocID", "DocNumber", "TravelDocNbr"),
                "doc_issuer": normalize_country(_attr(node, "IssuingLoc", "DocIssueCountry")),
                "nationality": normalize_country(_attr(node, "PaxNationality")),
                "dob": _date(a("DateOfBirth")),
                "sex": sex,
                "infant": (a("Gender") or "").strip().upper() in ("MI", "FI"),
                "doc_expiry": _date(a("ExpiryDate")),
                "family_name": _attr(node, "Surname"),
                "given_names": " ".join(given) or None,
            }
        if kind == "DOCO":
            return {
                "birthplace": _attr(node, "BirthLocation"),
                "doc_type": _attr(node, "TravelDocType"),
                "doc_number": _attr(node, "TravelDocNbr"),
                "issue_place": _attr(node, "PlaceOfIssue"),
                "issue_date": _date(a("DateOfIssue")),
                "valid_for": normalize_country(_attr(node, "CountryState")),
                "infant": False,
            }
        return {
            "address_type": _attr(node, "AddressType"),
            "country": normalize_country(_attr(node, "Country")),
            "street": _attr(node, "Address"),
            "city": _attr(node, "CityName"),
            "state": _attr(node, "StateProvCounty"),
            "postcode": _attr(node, "PostalCode"),
            "infant": False,
        }

    def _text_doc(self, ssr: _Node, kind: str) -> tuple[dict[str, Any] | None, list[str]]:
        text_node = ssr.find("Text")
        text = text_node.content if text_node is not None else None
        if not text:
            return None, []
        try:
            parsed = parse_ssr_docs(text, kind=kind, reference_date=self.reference)  # type: ignore[arg-type]
        except ParseError:
            self.log.add(
                "warning", "E_FIELD", f"unreadable SSR {kind} text", segment_index=ssr.line
            )
            return None, []
        return parsed, list(parsed.pop("issues", []))

    def _pnr(self, node: _Node, push: PushRecord) -> PnrRecord:
        pnr = PnrRecord()
        for ref in node.all("BookingRefID"):
            locator = _attr(ref, "ID")
            if locator:
                pnr.locators.append((_attr(ref.find("CompanyName"), "Code"), locator))
        source = next(iter(node.iter("Source")), None)
        pnr.agency = _attr(source, "AgencyID", "IATA_Number", "PseudoCityCode")
        entries: list[DocEntry] = []
        seats: list[tuple[str, str | None]] = []
        for pax_node in node.all("Passenger"):
            surname, given = pax_node.find("Surname"), pax_node.find("GivenName")
            pax = PaxRecord(
                index=pax_node.line,
                surname=surname.content if surname is not None else None,
                given=given.content if given is not None else None,
                pax_type=_attr(pax_node, "PassengerTypeCode", "PTC"),
                ref=_attr(pax_node, "RPH"),
                with_infant=(_attr(pax_node, "AccompaniedByInfantInd") or "").lower() == "true",
            )
            pnr.travellers.append(pax)
            for loyalty in pax_node.all("CustLoyalty"):
                number = _attr(loyalty, "MembershipID")
                program = _attr(loyalty, "ProgramID")
                if number:
                    pax.frequent_flyer.append(f"{program}:{number}" if program else number)
            for ticket in pax_node.iter("TicketDocument"):
                number = _attr(ticket, "TicketDocumentNbr")
                if number and number not in pax.tickets:
                    pax.tickets.append(number)
            for ssr in pax_node.all("DOC_SSR") + pax_node.all("SSR"):
                kind = (_attr(ssr, "SSRCode") or "").upper()
                if kind not in ("DOCS", "DOCO", "DOCA"):
                    continue
                structured = ssr.find(kind)
                text_doc, issues = self._text_doc(ssr, kind)
                parsed = self._merge(
                    self._structured(structured, kind) if structured is not None else None,
                    text_doc,
                )
                if parsed is not None:
                    entries.append(DocEntry(kind, parsed, ssr.line, pax, _attr(ssr, "RPH"), issues))
        for flight in node.all("Flight"):
            leg = self._leg(flight)
            pnr.legs.append(leg)
            reported = push.flight.same_flight(leg) if push.flight else len(pnr.legs) == 1
            for ssr in flight.all("SSR"):
                kind = (_attr(ssr, "SSRCode") or "").upper()
                if kind in ("DOCS", "DOCO", "DOCA"):
                    parsed, issues = self._text_doc(ssr, kind)
                    if parsed is not None:
                        entries.append(
                            DocEntry(kind, parsed, ssr.line, None, _attr(ssr, "RPH"), issues)
                        )
                elif kind in ("SEAT", "RQST") and reported:
                    text = ssr.find("Text")
                    seat = seat_value(_attr(ssr, "SeatNumber") or (text.content if text else None))
                    if seat:
                        seats.append((seat, _attr(ssr, "RPH")))
        self._merge_same_ref(entries)
        unowned = assign_documents(pnr, entries)
        by_ref = {normalize_ref(p.ref): p for p in pnr.travellers if p.ref}
        for seat, seat_ref in seats:
            holder = by_ref.get(normalize_ref(seat_ref))
            if holder is not None and holder.seat is None:
                holder.seat = seat
        ids = record_ids(push, pnr, len(push.pnrs) + 1)
        report_pnr_issues(
            self.log, pnr, entries, unowned, ids, surname_field="Surname", tagged=False
        )
        return pnr

    @staticmethod
    def _merge(
        structured: dict[str, Any] | None, text: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        if structured is None or text is None:
            return structured or text
        out = dict(text)
        for key, value in structured.items():
            if value is not None and value is not False:
                out[key] = value
        return out

    @staticmethod
    def _merge_same_ref(entries: list[DocEntry]) -> None:
        """A passenger's structured DOCS and a segment's DOCS text with its RPH are one SSR."""
        owned = {
            (normalize_ref(e.ref or (e.owner.ref if e.owner else None)), e.kind): e
            for e in entries
            if e.owner is not None
        }
        for entry in list(entries):
            if entry.owner is not None:
                continue
            twin = owned.get((normalize_ref(entry.ref), entry.kind))
            if twin is None:
                continue
            same = twin.parsed.get("doc_number") in (None, entry.parsed.get("doc_number"))
            if not same:
                continue
            merged = dict(entry.parsed)
            for key, value in twin.parsed.items():
                if value is not None and value is not False:
                    merged[key] = value
            twin.parsed = merged
            twin.issues = sorted(set(twin.issues) | set(entry.issues))
            entries.remove(entry)


# --------------------------------------------------------------------------------------------
# Writer


def _xml_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def write_pnrgov_xml(travellers: pl.DataFrame) -> str:
    """Write a travellers frame as an ``IATA_PNRGOV_NotifRQ`` document (synthetic data, tests).

    PNRs are grouped by ``pnr_locator`` as :func:`paxscreen.formats.pnrgov.write_pnrgov` does;
    each passenger carries a structured ``DOCS`` (and ``DOCO`` for visas); the reported flight
    is the first row's.
    """
    frame = with_traveller_columns(travellers)
    rows = list(frame.iter_rows(named=True))

    def attrs(**values: Any) -> str:
        return "".join(
            f" {k}={quoteattr(str(v))}" for k, v in values.items() if v is not None and v != ""
        )

    def when(value: datetime | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    def flight_xml(tag: str, leg: dict[str, Any], inner: str = "") -> str:
        carrier = leg.get("carrier") or ""
        number = leg.get("flight_number") or ""
        if carrier and number.startswith(carrier):
            number = number[len(carrier) :]
        times = attrs(
            FlightNumber=number,
            DepartureDateTime=when(leg.get("dep_time")),
            ArrivalDateTime=when(leg.get("arr_time")),
        )
        return (
            f"<{tag}{times}>"
            f"<DepartureAirport{attrs(LocationCode=leg.get('dep_airport'))}/>"
            f"<ArrivalAirport{attrs(LocationCode=leg.get('arr_airport'))}/>"
            f"<OperatingAirline{attrs(Code=carrier)}/>{inner}</{tag}>"
        )

    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{ROOT} xmlns="{NAMESPACE}" Version="13.1">']
    if rows:
        out.append(flight_xml("FlightLeg", rows[0]))
    pnrs: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(rows):
        pnrs.setdefault(row["pnr_locator"] or f"\x00{n}", []).append(row)
    out.append("<PNRs>")
    for key, members in pnrs.items():
        out.append(f"<PNR{attrs(NumberOfPassengers=len(members))}>")
        if not key.startswith("\x00"):
            out.append(f"<BookingRefID{attrs(ID=key)}/>")
        for k, row in enumerate(members, start=1):
            docs = row["documents"] or []
            passport = next((d for d in docs if d["doc_type"] != "V"), None) or {}
            sex = row["sex"]
            if row["role"] == "infant" and sex in ("M", "F"):
                sex += "I"
            given = row["given_names"]
            ptc = "IN" if row["role"] == "infant" else "A"
            out.append(
                f"<Passenger{attrs(RPH=k, PassengerTypeCode=ptc)}>"
                f"<GivenName>{escape(given or '')}</GivenName>"
                f"<Surname>{escape(row['family_name'] or '')}</Surname>"
                f"<DOC_SSR{attrs(SSRCode='DOCS', RPH=k)}><DOCS"
                + attrs(
                    DocType=passport.get("doc_type"),
                    DocID=passport.get("doc_number"),
                    IssuingLoc=passport.get("doc_issuer"),
                    PaxNationality=row["nationality"],
                    DateOfBirth=_xml_date(row["dob"]),
                    Gender=sex,
                    ExpiryDate=_xml_date(passport.get("doc_expiry")),
                    Surname=row["family_name"],
                    FirstGivenName=given,
                )
                + "/></DOC_SSR>"
            )
            for doc in docs:
                if doc["doc_type"] == "V" and doc is not passport:
                    out.append(
                        f"<DOC_SSR{attrs(SSRCode='DOCO', RPH=k)}><DOCO"
                        + attrs(
                            BirthLocation=row["birthplace"],
                            TravelDocType="V",
                            TravelDocNbr=doc["doc_number"],
                            CountryState=doc["doc_issuer"],
                        )
                        + "/></DOC_SSR>"
                    )
            out.append("</Passenger>")
        itinerary = members[0]["legs"] or ([rows[0]] if rows else [])
        for leg in itinerary:
            inner = ""
            same = (leg.get("flight_number"), leg.get("dep_airport")) == (
                rows[0]["flight_number"],
                rows[0]["dep_airport"],
            )
            if same:
                for k, row in enumerate(members, start=1):
                    if row["seat"]:
                        inner += (
                            f"<SSR{attrs(SSRCode='SEAT', RPH=k)}>"
                            f"<Text>{escape(row['seat'])}</Text></SSR>"
                        )
            out.append(flight_xml("Flight", leg, inner))
        out.append("</PNR>")
    out.append(f"</PNRs></{ROOT}>")
    return "\n".join(out) + "\n"
