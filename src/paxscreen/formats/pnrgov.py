"""IATA PNRGOV (EDIFACT) PNR pushes into the travellers frame, and back.

A PNRGOV message reports one flight (the level-0 ``TVL``) and every booking (PNR) on it
(research/formats.md §3). The reader follows the group structure of the IATA guide as real
systems send it:

* level 0: ``MSG``, ``ORG``, ``TVL`` (the reported flight), ``EQN`` (number of PNRs);
* Gr.1 starts at every ``SRC``: ``RCI`` (record locators), ``ORG`` (booking agency), PNR-level
  ``SSR``;
* Gr.2 starts at each ``TIF`` before the PNR's first itinerary ``TVL``: one traveller, with
  ``FTI`` (frequent flyer), ``SSR`` DOCS/DOCO/DOCA/INFT/TKNE, ``TKT`` (ticket, Gr.3);
* Gr.5 starts at each air ``TVL``: the itinerary leg, its ``SSR`` SEAT/DOCS (linked to
  travellers by reference), Gr.6/7 check-in (``DAT+2``, ``TRI``, ``TIF``, ``SSD`` seat,
  ``TBD`` bags);
* Gr.8 ``EQN`` (split PNR), Gr.9 ``MSG``+``TVL`` (hotel, car: not a flight), Gr.10-12 ``ABI``
  / ``SAC`` (history) and ``LTS`` (unstructured history) are not travellers' data.

One row per Gr.2 ``TIF`` per PNR: ``record_id`` is ``message.pnr.traveller`` (``1.2.1``). The
flight columns describe the reported flight; ``legs`` the PNR's whole itinerary;
``pnr_locator`` the locator of the reporting carrier (else the first); the booking context
(every locator, party size, co-travellers' record ids, tickets, agency...) is in
``references`` (qualifiers in :data:`paxscreen.formats._pnr.REFERENCE_QUALIFIERS`).

Before anything is parsed, the Annex I filter of :class:`~paxscreen.formats._pnr.PnrPolicy`
deletes sensitive codes, free text and non-Annex-I elements (see :mod:`paxscreen.formats._pnr`).

Faults follow the PAXLST reader: structural faults raise :class:`~paxscreen.errors.ParseError`
in strict mode and are repaired with a warning otherwise; value problems null the value and
add an issue row naming the record and segment, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl

from paxscreen._dates import parse_ddmmmyy, parse_ddmmyy
from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError
from paxscreen.formats._edifact import (
    Interchange,
    Message,
    component,
    count_value,
    escape,
    parse_interchange,
    split_segment,
)
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
from paxscreen.formats.ssr import format_ssr_docs, parse_ssr_docs
from paxscreen.schema import with_traveller_columns

__all__ = ["PnrPolicy", "parse_pnrgov", "pnrgov_from_interchange", "write_pnrgov"]

#: Segments of the PNRGOV message (10.1-14.1) and the envelope. Anything else is not an
#: Annex I element and is deleted on receipt.
PNRGOV_TAGS = frozenset(
    {
        "UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ",
        "MSG", "ORG", "TVL", "EQN", "SRC", "RCI", "SSR", "DAT", "IFT", "ADD", "EBD", "TIF",
        "FTI", "REF", "FAR", "TKT", "MON", "PTK", "TXD", "FOP", "RPI", "APD", "TRI", "SSD",
        "TBD", "ABI", "SAC", "LTS", "CNT",
    }
)  # fmt: skip
#: Segments that are nothing but free text (OSI and remarks, unstructured history).
FREE_TEXT_TAGS = frozenset({"IFT", "LTS"})
_SEAT_SSR = frozenset({"SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW"})
_DOC_SSR = frozenset({"DOCS", "DOCO", "DOCA"})
#: Tags that may have been merged into the previous segment by a missing terminator
#: (``ORG+…+9TIF+KIM…`` in the guide's page-75 example).
_MERGE_TAGS = "SRC|TIF|TVL|RCI|TKT|FTI|REF|DAT|ORG|TRI|SSD|TBD|RPI|APD|EQN|MSG|ABI|SAC"
_TICKET = re.compile(r"(?<!\d)(\d{13,15})(?!\d)")
_INFT_DOB = re.compile(r"(\d{2}[A-Z]{3}\d{2})\s*$")
_MAX_BAG_RUN = 20
_PLACEHOLDER = re.compile("[\x11-\x15]")


def parse_pnrgov(
    data: bytes,
    *,
    options: ParseOptions | None = None,
    source: str | None = None,
    policy: PnrPolicy | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse a PNRGOV EDIFACT interchange.

    Args:
        data: The raw bytes (wrappers and trailing text allowed leniently).
        options: Strictness, limits and the century-window reference date.
        source: The file's base name, for error messages.
        policy: The Annex I ingest filter (:class:`PnrPolicy`; on by default).

    Returns:
        The travellers frame (:data:`paxscreen.schema.TRAVELLERS`) and the issues frame.

    Raises:
        ParseError: On structural faults (see :func:`paxscreen.formats._edifact.parse_interchange`)
            and, in strict mode, on a message that is not PNRGOV or a PNR structure fault.
    """
    options = options or ParseOptions()
    interchange = parse_interchange(data, options, source=source)
    travellers = pnrgov_from_interchange(interchange, options, policy=policy)
    return travellers, interchange.issues.frame()


def pnrgov_from_interchange(
    ic: Interchange, options: ParseOptions, *, policy: PnrPolicy | None = None
) -> pl.DataFrame:
    """Build the travellers frame from a tokenized PNRGOV interchange.

    Deletes what the policy does not allow from ``ic`` first; issues go to ``ic.issues``.
    """
    policy = policy or PnrPolicy()
    _split_merged_segments(ic)
    kept_ssr = _apply_policy(ic, policy)
    segments = ic.segments
    pushes = [
        _MessageReader(ic, segments, message, n, options, kept_ssr).read()
        for n, message in enumerate(_accepted(ic, options))
    ]
    return build_frame(pushes, "pnrgov")


def _accepted(ic: Interchange, options: ParseOptions) -> list[Message]:
    out = []
    for message in ic.messages:
        if message.type == "PNRGOV":
            out.append(message)
            continue
        reason = f"message {message.index + 1} is not a PNRGOV message"
        if options.strict:
            raise ic.issues.error(
                "E_UNSUPPORTED_MESSAGE", reason, segment_index=message.start, tag="UNH"
            )
        ic.issues.add(
            "error",
            "E_UNSUPPORTED_MESSAGE",
            f"{reason}; its segments were skipped",
            segment_index=message.start,
            tag="UNH",
        )
    return out


def _split_merged_segments(ic: Interchange) -> None:
    """Split segments where a missing terminator merged the next segment into a value.

    Only a digit directly followed by a PNRGOV group tag and an
    element separator counts (``+9TIF+``): names hold no digits, and free text cannot hold
    an unreleased separator.
    """
    e = re.escape(ic.chars.element)
    pattern = f"{e}[0-9](?:{_MERGE_TAGS}){e}"
    hits = ic.series.str.contains(pattern) & ~ic.series.str.slice(0, 3).is_in(
        ["TIF", "IFT", "LTS", "SSR"]
    )
    if not hits.any():
        return
    splitter = re.compile(f"(?<={e}[0-9])(?=(?:{_MERGE_TAGS}){e})")
    first = int(hits.arg_true()[0])
    ic.issues.fault(
        "E_BAD_TAG",
        "a segment tag inside element data (missing terminator); the segment was split there",
        segment_index=first,
        tag=ic.tag(first),
        offset=ic.offset(first),
    )
    out: list[str] = []
    for seg, hit in zip(ic.segments, hits.to_list(), strict=True):
        out.extend(splitter.split(seg) if hit else [seg])
    ic.replace_segments(out)
    _renumber_messages(ic)


def _renumber_messages(ic: Interchange) -> None:
    """Recompute message ranges after segments were split (UNH/UNT positions moved)."""
    heads = ic.series.str.slice(0, 3)
    unh = heads.eq("UNH").arg_true().to_list()
    unt = heads.eq("UNT").arg_true().to_list()
    messages = []
    for k, message in enumerate(ic.messages):
        if k >= len(unh):
            break
        start = unh[k]
        end = next((t + 1 for t in unt if t > start), len(ic))
        if k + 1 < len(unh):
            end = min(end, unh[k + 1])
        messages.append(
            Message(
                index=message.index,
                start=start,
                end=end,
                ref=message.ref,
                type=message.type,
                version=message.version,
                release=message.release,
                agency=message.agency,
                association=message.association,
                common_ref=message.common_ref,
                part_number=message.part_number,
                part_flag=message.part_flag,
            )
        )
    ic.messages = messages


def _apply_policy(ic: Interchange, policy: PnrPolicy) -> dict[int, str]:
    """Delete what Annex I does not allow; return ``{segment: code}`` of SSRs kept as codes only.

    Deleted segments are replaced by their bare tag, so segment indexes stay valid and no
    value survives anywhere.
    """
    chars = ic.chars
    e, c = re.escape(chars.element), re.escape(chars.component)
    frame = pl.DataFrame({"seg": ic.series}).with_columns(
        tag=pl.col("seg").str.slice(0, 3),
        code=pl.col("seg")
        .str.extract(f"^SSR{e}([^{e}{c}]*)", 1)
        .str.replace_all(r"\s", "")
        .str.to_uppercase(),
    )
    tags = frame["tag"]
    counter = DropCounter()
    drop = tags.is_in(list(FREE_TEXT_TAGS)).to_list()
    for tag, n in (
        frame.filter(pl.col("tag").is_in(list(FREE_TEXT_TAGS)))["tag"].value_counts().iter_rows()
    ):
        counter.free_text[tag] = int(n)
    unknown = ~tags.is_in(list(PNRGOV_TAGS))
    if unknown.any():
        for i in unknown.arg_true().to_list():
            if i in ic.ignored:
                continue
            drop[i] = True
            counter.add("other", tags[i] if re.fullmatch(r"[A-Z0-9]{3}", tags[i]) else "?")
    kept_codes: dict[int, str] = {}
    ssr = frame.with_row_index("i").filter(pl.col("tag") == "SSR").select("i", "code")
    categories = {code: policy.category(code or "") for code in ssr["code"].unique().to_list()}
    for i, code in ssr.iter_rows():
        category = categories.get(code)
        if category is None:
            continue
        if category in ("meal", "medical", "sensitive"):
            counter.add("sensitive", category)
        elif category == "free_text":
            counter.add("free_text", "SSR")
        elif policy.allow_list or not code:
            counter.add("other", "SSR")
        else:
            kept_codes[int(i)] = code
            continue
        drop[int(i)] = True
    if any(drop):
        mask = pl.Series(drop, dtype=pl.Boolean)
        ic.series = (
            pl.DataFrame({"seg": ic.series, "tag": tags, "drop": mask})
            .select(pl.when(pl.col("drop")).then(pl.col("tag")).otherwise(pl.col("seg")))
            .to_series()
        )
        for i in kept_codes:  # keep the code only
            ic.series[i] = "SSR"
    counter.report(ic.issues)
    return kept_codes


def _time(value: str | None) -> time | None:
    if value is None or not re.fullmatch(r"\d{4}(\d{2})?", value):
        raise ValueError("not a time")
    hour, minute = int(value[:2]), int(value[2:4])
    return time(hour % 24, minute) if hour <= 24 else time(hour, minute)


class _MessageReader:
    """Reads one PNRGOV message into a :class:`PushRecord` (one pass over its segments)."""

    def __init__(
        self,
        ic: Interchange,
        segments: list[str],
        message: Message,
        number: int,
        options: ParseOptions,
        kept_ssr: Mapping[int, str],
    ) -> None:
        self.ic = ic
        self.segments = segments
        self.message = message
        self.number = number
        self.declared: tuple[int, str | None] | None = None
        self.kept_ssr = kept_ssr
        self.reference = options.today()
        self.log = ic.issues
        self.push = PushRecord(index=number, source_ref=message.ref or None, flight=None)

    # -- helpers -------------------------------------------------------------------------------

    def elements(self, i: int) -> list[list[str]]:
        """Segment ``i`` split into elements and components (release placeholders restored)."""
        seg = self.segments[i]
        if self.ic.released and _PLACEHOLDER.search(seg):
            return split_segment(seg, self.ic.chars)
        comp = self.ic.chars.component
        return [element.split(comp) for element in seg.split(self.ic.chars.element)]

    def _leg(self, i: int) -> Leg | None:
        """A ``TVL`` as a leg, or None when it names no airports (a check-in detail)."""
        els = self.elements(i)
        dep, arr = component(els, 2, 0), component(els, 3, 0)
        if dep is None and arr is None:
            return None
        c0, c1 = component(els, 4, 0), component(els, 4, 1)
        leg = Leg(
            carrier=c1 or c0,
            marketing=c0 if c1 and c0 != c1 else None,
            number=component(els, 5, 0),
            dep_airport=dep,
            arr_airport=arr,
        )
        dep_date, dep_time = component(els, 1, 0), component(els, 1, 1)
        arr_date, arr_time = component(els, 1, 2), component(els, 1, 3)
        if arr_time is None and arr_date is not None and len(arr_date) == 4:
            arr_date, arr_time = None, arr_date  # TVL+230220:1010:1422: no arrival date
        if dep_date is None:
            return leg
        try:
            day = parse_ddmmyy(dep_date, window="around", reference=self.reference)
            if dep_time is not None:
                leg.dep_time = datetime.combine(day, _time(dep_time) or time())
            if arr_time is not None:
                arr_day = (
                    parse_ddmmyy(arr_date, window="around", reference=self.reference)
                    if arr_date is not None
                    else day
                )
                leg.arr_time = datetime.combine(arr_day, _time(arr_time) or time())
                if arr_date is None and leg.dep_time and leg.arr_time < leg.dep_time:
                    leg.arr_time += timedelta(days=1)
        except ValueError:
            self.log.add(
                "warning",
                "E_FIELD",
                f"message {self.message.index + 1}: invalid flight date or time",
                segment_index=i,
                tag="TVL",
            )
        return leg

    def _ssr_text(self, els: list[list[str]]) -> str | None:
        comps = els[1] if len(els) > 1 else []
        if len(comps) > 8:
            text = ":".join(comps[8:])
        else:
            text = next((p for p in comps[1:] if "/" in p), "")
        return text if text.strip() else None

    def _doc_entry(
        self, i: int, code: str, els: list[list[str]], owner: PaxRecord | None
    ) -> DocEntry | None:
        text = self._ssr_text(els)
        if text is None:
            return None
        try:
            parsed = parse_ssr_docs(text, kind=code, reference_date=self.reference)  # type: ignore[arg-type]
        except ParseError:
            self.log.add(
                "warning",
                "E_FIELD",
                f"unreadable SSR {code} text",
                segment_index=i,
                tag="SSR",
            )
            return None
        issues = list(parsed.pop("issues", []))
        return DocEntry(code, parsed, i, owner, component(els, 2, 2), issues)

    # -- the walk ------------------------------------------------------------------------------

    def read(self) -> PushRecord:
        message = self.message
        pnr: PnrRecord | None = None
        phase = "header"
        pax: PaxRecord | None = None
        air_leg = False  # the current Gr.5 leg is the reported flight
        checkin: dict[str, Any] | None = None
        prev = ""
        docs: list[DocEntry] = []
        inft: list[tuple[str | None, date | None]] = []
        seats: list[tuple[str, str | None]] = []
        tickets: list[tuple[PaxRecord | None, str | None, str, bool]] = []
        checkins: list[dict[str, Any]] = []
        pnr_count = 0

        def close() -> None:
            if pnr is not None:
                self._finish_pnr(pnr, docs, inft, seats, tickets, checkins)

        for i in range(message.start + 1, message.end):
            tag = self.segments[i][:3]
            if tag in ("UNT", "UNH", "UNE", "UNZ", "UNG"):
                break
            if tag == "SRC":
                close()
                pnr = PnrRecord()
                self.push.pnrs.append(pnr)
                pnr_count += 1
                phase, pax, checkin = "gr1", None, None
                docs, inft, seats, tickets, checkins = [], [], [], [], []
                prev = tag
                continue
            if pnr is None:
                if tag == "TVL" and self.push.flight is None:
                    self.push.flight = self._leg(i)
                elif tag == "EQN":
                    self.declared = (i, component(self.elements(i), 1, 0))
                elif tag in ("TIF", "RCI"):
                    self.log.fault(
                        "E_STRUCTURE",
                        "PNR data before the first SRC; read as one PNR",
                        segment_index=i,
                        tag=tag,
                    )
                    pnr = PnrRecord()
                    self.push.pnrs.append(pnr)
                    pnr_count += 1
                    phase = "gr1"
                if pnr is None:
                    prev = tag
                    continue
            if tag in ("ABI", "SAC", "LTS"):
                phase = "history"
            elif tag == "MSG" or tag == "EQN":
                phase = "other"
            if phase in ("history", "other"):
                prev = tag
                continue
            if tag == "TIF":
                els = self.elements(i)
                if phase in ("gr1", "gr2"):
                    pax = PaxRecord(
                        index=i,
                        surname=component(els, 1, 0),
                        given=component(els, 2, 0),
                        pax_type=component(els, 2, 1),
                        ref=component(els, 2, 2),
                        with_infant=component(els, 2, 3) == "1",
                    )
                    pnr.travellers.append(pax)
                    phase = "gr2"
                elif checkin is not None and checkin.get("ref") is None:
                    checkin["ref"] = component(els, 2, 2)
                    checkin["name"] = (component(els, 1, 0), component(els, 2, 0))
            elif tag == "TVL":
                if prev == "MSG":
                    phase = "other"
                    continue
                new = self._leg(i)
                if new is None:
                    prev = tag
                    continue
                pnr.legs.append(new)
                checkin, phase = None, "gr5"
                air_leg = self.push.flight is None and len(pnr.legs) == 1
                if self.push.flight is not None:
                    air_leg = self.push.flight.same_flight(new)
            elif tag == "RCI" and phase == "gr1":
                els = self.elements(i)
                for element in els[1:]:
                    airline = element[0].strip() if element else ""
                    locator = element[1].strip() if len(element) > 1 else ""
                    if locator:
                        pnr.locators.append((airline or None, locator))
            elif tag == "ORG" and phase == "gr1" and pnr.agency is None:
                els = self.elements(i)
                pnr.agency = component(els, 2, 0) or (
                    ":".join(p for p in (component(els, 1, 0), component(els, 1, 1)) if p) or None
                )
            elif tag == "FTI" and phase == "gr2" and pax is not None:
                els = self.elements(i)
                program, member = component(els, 1, 0), component(els, 1, 1)
                if member:
                    pax.frequent_flyer.append(f"{program}:{member}" if program else member)
            elif tag == "TKT" and phase == "gr2" and pax is not None:
                number = component(self.elements(i), 1, 0)
                if number:
                    pax.tickets.append(number)
            elif tag == "SSR":
                self._ssr(i, phase, pax, air_leg, docs, inft, seats, tickets)
            elif phase == "gr5" and air_leg:
                if tag == "TRI":
                    els = self.elements(i)
                    checkin = {"seq": component(els, 2, 0), "ref": component(els, 2, 3)}
                    checkins.append(checkin)
                elif tag == "SSD" and checkin is not None:
                    checkin["seat"] = seat_value(component(self.elements(i), 1, 0))
                elif tag == "TBD" and checkin is not None:
                    checkin.setdefault("bags", []).extend(self._bags(i))
            prev = tag
        close()
        single = message.part_flag in (None, "F") and message.part_number in (None, "1", "01")
        if self.declared is not None and single and self.declared[1] != str(pnr_count):
            self.log.add(
                "warning",
                "W_COUNT",
                f"EQN declares a number of PNRs that differs from the {pnr_count} found",
                segment_index=self.declared[0],
                tag="EQN",
            )
        return self.push

    def _ssr(
        self,
        i: int,
        phase: str,
        pax: PaxRecord | None,
        air_leg: bool,
        docs: list[DocEntry],
        inft: list[tuple[str | None, date | None]],
        seats: list[tuple[str, str | None]],
        tickets: list[tuple[PaxRecord | None, str | None, str, bool]],
    ) -> None:
        if i in self.kept_ssr:
            if pax is not None and phase == "gr2":
                pax.other_ssr.append(self.kept_ssr[i])
            return
        els = self.elements(i)
        code = (component(els, 1, 0) or "").replace(" ", "").upper()
        owner = pax if phase == "gr2" else None
        if code in _DOC_SSR:
            entry = self._doc_entry(i, code, els, owner)
            if entry is not None:
                docs.append(entry)
        elif code == "INFT":
            text = self._ssr_text(els) or ""
            dob = None
            found = _INFT_DOB.search(text.upper())
            if found:
                try:
                    dob = parse_ddmmmyy(found.group(1), window="past", reference=self.reference)
                except ValueError:
                    dob = None
            surname = (text[: found.start()] if found else text).strip().strip("/").split("/")[0]
            inft.append((surname or None, dob))
        elif code in _SEAT_SSR and air_leg:
            for element in els[2:]:
                seat = seat_value(element[0] if element else None)
                if seat is not None:
                    seats.append((seat, element[2].strip() if len(element) > 2 else None))
        elif code in ("TKNE", "TKNM"):
            text = (self._ssr_text(els) or "").strip()
            found = _TICKET.search(text)
            if found:
                infant = text.upper().startswith("INF")
                tickets.append((owner, component(els, 2, 2), found.group(1), infant))

    def _bags(self, i: int) -> list[str]:
        out: list[str] = []
        for element in self.elements(i)[5:]:
            tag = "".join(element[1].split()) if len(element) > 1 else ""
            if not tag:
                continue
            count = element[2].strip() if len(element) > 2 else ""
            n = count_value(count) or 1
            if not 1 <= n <= _MAX_BAG_RUN:
                n = 1
            out.extend(_bag_run(tag, n))
        return out

    def _finish_pnr(
        self,
        pnr: PnrRecord,
        docs: list[DocEntry],
        inft: list[tuple[str | None, date | None]],
        seats: list[tuple[str, str | None]],
        tickets: list[tuple[PaxRecord | None, str | None, str, bool]],
        checkins: list[dict[str, Any]],
    ) -> None:
        unowned = assign_documents(pnr, docs)
        by_ref = {normalize_ref(p.ref): p for p in pnr.travellers if p.ref}
        only = pnr.travellers[0] if len(pnr.travellers) == 1 else None
        infants = [p for p in pnr.travellers if p.is_infant]
        for surname, dob in inft:
            if dob is None or not infants:
                continue
            squeezed = "".join((surname or "").split())
            infant = next(
                (p for p in infants if "".join((p.surname or "").split()) == squeezed),
                infants[0],
            )
            if infant.infant_dob is None:
                infant.infant_dob = dob
        target: PaxRecord | None
        for seat, ref in seats:
            target = by_ref.get(normalize_ref(ref)) or only
            if target is not None and target.seat is None:
                target.seat = seat
        for owner, ref, number, for_infant in tickets:
            target = (
                (infants[0] if for_infant and infants else None)
                or by_ref.get(normalize_ref(ref))
                or owner
                or only
            )
            if target is not None and number not in target.tickets:
                target.tickets.append(number)
        for record in checkins:
            target = by_ref.get(normalize_ref(record.get("ref"))) or only
            if target is None:
                continue
            if record.get("seat"):
                target.seat = record["seat"]
            target.bag_tags.extend(t for t in record.get("bags", []) if t not in target.bag_tags)
            if record.get("seq") and target.checkin is None:
                target.checkin = record["seq"]
        ids = record_ids(self.push, pnr, len(self.push.pnrs))
        report_pnr_issues(self.log, pnr, docs, unowned, ids, surname_field="TIF", tagged=True)


def _bag_run(first: str, n: int) -> list[str]:
    """``0123456789`` with count 2 is 0123456789 and 0123456790 (leading zeros kept)."""
    if n <= 1:
        return [first]
    digits = len(first) - len(first.rstrip("0123456789"))
    if digits == 0:
        return [first]
    prefix, number = first[: len(first) - digits], int(first[len(first) - digits :])
    return [f"{prefix}{number + k:0{digits}d}" for k in range(n)]


# --------------------------------------------------------------------------------------------
# Writer


def _ddmmyy(value: date | datetime | None) -> str:
    return value.strftime("%d%m%y") if value is not None else ""


def _hhmm(value: datetime | None) -> str:
    return value.strftime("%H%M") if value is not None else ""


def _tvl(leg: Mapping[str, Any]) -> str:
    carrier = leg.get("carrier") or ""
    number = leg.get("flight_number") or ""
    if carrier and number.startswith(carrier):
        number = number[len(carrier) :]
    dep, arr = leg.get("dep_time"), leg.get("arr_time")
    when = f"{_ddmmyy(dep)}:{_hhmm(dep)}:{_ddmmyy(arr)}:{_hhmm(arr)}".rstrip(":")
    return (
        f"TVL+{when}+{escape(leg.get('dep_airport'))}+{escape(leg.get('arr_airport'))}"
        f"+{escape(carrier)}+{escape(number)}"
    )


def write_pnrgov(
    travellers: pl.DataFrame,
    *,
    sender: str = "PAXSCREEN",
    recipient: str = "RECEIVER",
    control_ref: str = "1",
    prepared: datetime | None = None,
    extra_segments: Mapping[str, list[str]] | None = None,
) -> str:
    """Write a travellers frame as a PNRGOV 13.1 push (for synthetic data and tests).

    One message reports the flight of the first row; travellers are grouped into PNRs by
    ``pnr_locator`` (in order of first appearance; travellers without one get a PNR each).
    Each traveller gets a ``TIF`` and an ``SSR DOCS`` from the primary document, name, sex
    and date of birth, plus ``SSR DOCO`` for visas (``V`` documents); the PNR's itinerary is
    the first traveller's ``legs`` (or the flight). Seats go into ``SSR SEAT`` on the
    reported flight, bag tags into a check-in ``TBD``.

    Args:
        travellers: A travellers frame (missing columns are null).
        sender: UNB sender.
        recipient: UNB recipient.
        control_ref: Interchange control reference.
        prepared: UNB date and time.
        extra_segments: ``{record_id: [segment, ...]}``: raw segments (without terminator,
            already escaped) appended to that traveller's Gr.2 block, e.g. meal SSRs or
            remarks to exercise the ingest filter.

    Returns:
        The interchange text (one segment per line).

    ``parse_pnrgov(write_pnrgov(frame))`` gives back the names, documents, dates, flight,
    locator, seat and bag tags of every frame whose values DOCS can carry (see the
    round-trip property test).
    """
    frame = with_traveller_columns(travellers)
    rows = list(frame.iter_rows(named=True))
    stamp = (prepared or datetime(2000, 1, 1)).strftime("%y%m%d:%H%M")
    extra = extra_segments or {}
    seg = [f"UNH+1+PNRGOV:13:1:IA+{escape(control_ref)}", "MSG+:22", f"ORG+{escape(sender)}"]
    first = rows[0] if rows else {}
    flight = {
        k: first.get(k)
        for k in ("carrier", "flight_number", "dep_airport", "arr_airport", "dep_time", "arr_time")
    }
    if rows:
        seg.append(_tvl(flight))
    pnrs: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(rows):
        key = row["pnr_locator"] if row["pnr_locator"] is not None else f"\x00{n}"
        pnrs.setdefault(key, []).append(row)
    seg.append(f"EQN+{len(pnrs)}")
    carrier = flight.get("carrier") or "YY"
    for key, members in pnrs.items():
        seg.append("SRC")
        if not key.startswith("\x00"):
            seg.append(f"RCI+{escape(carrier)}:{escape(key)}")
        for k, row in enumerate(members, start=1):
            seg.extend(_traveller_segments(row, k, carrier))
            seg.extend(extra.get(row["record_id"], []))
        itinerary = members[0]["legs"] or ([flight] if rows else [])
        for leg in itinerary:
            seg.append(_tvl(leg))
            if not _same(leg, flight):
                continue
            for k, row in enumerate(members, start=1):
                if row["seat"]:
                    seg.append(f"SSR+SEAT:HK:1:{escape(carrier)}+{escape(row['seat'])}::{k}")
            for k, row in enumerate(members, start=1):
                if row["bag_tags"]:
                    seg.append(f"TRI++{k}:::{k}")
                    seg.append(f"TIF+{escape(row['family_name'])}+::{k}")
                    bags = "+".join(f"{escape(carrier)}:{escape(t)}:1" for t in row["bag_tags"])
                    seg.append(f"TBD++{len(row['bag_tags'])}++++{bags}")
    seg.append(f"UNT+{len(seg) + 1}+1")
    out = [f"UNB+IATA:1+{escape(sender)}+{escape(recipient)}+{stamp}+{escape(control_ref)}"]
    out.extend(seg)
    out.append(f"UNZ+1+{escape(control_ref)}")
    return "UNA:+.? '" + "\n".join(s + "'" for s in out) + "\n"


def _same(leg: Mapping[str, Any], flight: Mapping[str, Any]) -> bool:
    return (leg.get("flight_number"), leg.get("dep_airport")) == (
        flight.get("flight_number"),
        flight.get("dep_airport"),
    )


def _ssr_safe(value: str | None) -> str | None:
    """DOCS fields cannot hold ``/``; spaces stand in for it."""
    return None if value is None else value.replace("/", " ")


def _traveller_segments(row: Mapping[str, Any], k: int, carrier: str) -> list[str]:
    pax_type = "IN" if row["role"] == "infant" else "A"
    seg = [f"TIF+{escape(row['family_name'])}+{escape(row['given_names'])}:{pax_type}:{k}"]
    documents = row["documents"] or (
        [{key: row[key] for key in ("doc_type", "doc_number", "doc_issuer", "doc_expiry")}]
        if row["doc_number"] is not None
        else []
    )
    passport = next((d for d in documents if d["doc_type"] != "V"), None)
    sex = row["sex"] if row["sex"] in ("M", "F", "X") else None
    infant = row["role"] == "infant" and sex in ("M", "F")
    docs = format_ssr_docs(
        doc_type=_ssr_safe(passport["doc_type"]) if passport else None,
        doc_issuer=_ssr_safe(passport["doc_issuer"]) if passport else None,
        doc_number=_ssr_safe(passport["doc_number"]) if passport else None,
        nationality=_ssr_safe(row["nationality"]),
        dob=row["dob"],
        sex=sex,
        doc_expiry=passport["doc_expiry"] if passport else None,
        family_name=_ssr_safe(row["family_name"]),
        given_names=_ssr_safe(row["given_names"]),
        infant=infant,
        prefix=False,
    )
    seg.append(f"SSR+DOCS:HK:1:{escape(carrier)}:::::{escape(docs)}+::{k}")
    for doc in documents:
        if doc["doc_type"] != "V" or doc is passport:
            continue
        text = f"/{_ssr_safe(row['birthplace']) or ''}/V/{_ssr_safe(doc['doc_number'])}//"
        text += f"/{_ssr_safe(doc['doc_issuer']) or ''}"
        seg.append(f"SSR+DOCO:HK:1:{escape(carrier)}:::::{escape(text)}+::{k}")
    return seg
