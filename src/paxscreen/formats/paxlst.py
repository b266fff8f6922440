"""UN/EDIFACT PAXLST (API passenger and crew lists) into the travellers frame, and back.

Reading follows the WCO/IATA/ICAO API guidelines as real airlines send them (D02B, D05B,
D15B), not the stricter UN directory (research/formats.md §2):

* a traveller starts at every ``NAD`` with qualifier FL (passenger), FM (crew), DDU (in-transit
  passenger) or DDT (in-transit crew) and owns every segment until the next such NAD or the
  message trailer (``CNT``/``UNT``), whatever their order;
* a document (SG5) starts at ``DOC``; ``DTM+36`` (expiry) and ``LOC+91`` (issuing state) after
  it belong to that document, ``DTM+329`` (birth) before the first DOC to the person;
* the flight legs come from the header ``TDT`` groups with their ``LOC``/``DTM``; a traveller's
  flight columns describe the leg with ``LOC+125``/``LOC+87`` (the reported border crossing),
  else the first leg, and ``legs`` lists every leg of the message.

The hot path is vectorised: the segments become one polars column, every field is cut out
with string expressions, and one group-by gathers a traveller's fields. Python loops only touch
envelope and header segments.

Value problems (an impossible date, a sex code outside M/F/U/X, a NAD without a family name, a
DOC without a number) never drop a traveller: the value becomes null and the issues frame gets
an ``E_FIELD`` row naming the record and segment, never the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from paxscreen._countries import normalize_country
from paxscreen._dates import parse_edifact_datetime, yymmdd_expr
from paxscreen.config import ParseOptions
from paxscreen.formats._edifact import (
    Interchange,
    Message,
    ServiceChars,
    component,
    count_value,
    escape,
    parse_interchange,
)
from paxscreen.schema import LEG, TRAVELLERS, empty_travellers, with_traveller_columns

__all__ = ["ROLE_BY_QUALIFIER", "parse_paxlst", "paxlst_from_interchange", "write_paxlst"]

#: NAD party qualifier (3035) -> ``role``.
ROLE_BY_QUALIFIER: Mapping[str, str] = {
    "FL": "passenger",
    "FM": "crew",
    "DDU": "in_transit_passenger",
    "DDT": "in_transit_crew",
}
_QUALIFIER_BY_ROLE = {role: q for q, role in ROLE_BY_QUALIFIER.items()} | {"infant": "FL"}
_CREW_ROLES = frozenset({"crew", "in_transit_crew"})
#: BGM document names (1001) that are air API lists.
_LIST_TYPES = frozenset({"745", "250", "336", "266", "655"})
#: Segments that end a traveller group (SG4).
_GROUP_END = ["CNT", "AUT", "UNT", "UNH", "UNE", "UNZ", "UNG", "BGM"]
#: Primary document preference: passports, then identity documents, then anything else.
_DOC_RANK = {"P": 0, "IP": 1, "I": 1, "ID": 1, "A": 1, "C": 1}
#: Record-level problems of the person: (flag column, message, segment column, tag).
_PERSON_PROBLEMS = (
    ("no_name", "traveller without a family name", "nad_i", "NAD"),
    ("bad_dob", "invalid date of birth (DTM+329)", "dob_i", "DTM"),
    ("bad_sex", "sex code outside M/F/U/X (ATT+2)", "sex_i", "ATT"),
)
_VALID_SEX = {"M": "M", "F": "F", "X": "X", "U": None}


def parse_paxlst(
    data: bytes, *, options: ParseOptions | None = None, source: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse a PAXLST interchange.

    Args:
        data: The raw bytes of the interchange (wrappers and trailing text allowed leniently).
        options: Strictness, limits and the century-window reference date.
        source: The file's base name, for error messages.

    Returns:
        The travellers frame (:data:`paxscreen.schema.TRAVELLERS`) and the issues frame.

    Raises:
        ParseError: On structural faults (see :func:`paxscreen.formats._edifact.parse_interchange`)
            and, in strict mode, on a message that is not an air API list.
    """
    options = options or ParseOptions()
    interchange = parse_interchange(data, options, source=source)
    travellers = paxlst_from_interchange(interchange, options)
    return travellers, interchange.issues.frame()


def _accepted(ic: Interchange, options: ParseOptions) -> list[Message]:
    out = []
    for message in ic.messages:
        bgm = next(
            (
                i
                for i in range(message.start, min(message.end, message.start + 4))
                if ic.tag(i) == "BGM"
            ),
            None,
        )
        code = ic.elements(bgm)[1][0] if bgm is not None and len(ic.elements(bgm)) > 1 else None
        if message.type != "PAXLST":
            reason = "is not a PAXLST message"
        elif code == "10" or (code is not None and code not in _LIST_TYPES):
            reason = "is not an air passenger or crew list (BGM document code)"
        else:
            out.append(message)
            continue
        if options.strict:
            raise ic.issues.error(
                "E_UNSUPPORTED_MESSAGE",
                f"message {message.index + 1} {reason}",
                segment_index=message.start,
                tag="UNH",
            )
        ic.issues.add(
            "error",
            "E_UNSUPPORTED_MESSAGE",
            f"message {message.index + 1} {reason}; its segments were skipped",
            segment_index=message.start,
            tag="UNH",
        )
    return out


@dataclass
class _Leg:
    carrier: str | None = None
    flight_number: str | None = None
    dep_airport: str | None = None
    arr_airport: str | None = None
    dep_time: datetime | None = None
    arr_time: datetime | None = None
    reported: bool = False


def _header_legs(ic: Interchange, message: Message, stop: int, reference: date) -> list[_Leg]:
    """The flight legs of a message header (SG2/SG3), read segment by segment."""
    legs: list[_Leg] = []
    pending: str | None = None  # the LOC qualifier a following DTM belongs to
    for i in range(message.start, stop):
        tag = ic.tag(i)
        if tag not in ("TDT", "LOC", "DTM"):
            continue
        els = ic.elements(i)
        if tag == "TDT":
            flight = component(els, 2, 0)
            carrier = component(els, 5, 0) or (flight[:2] if flight else None)
            legs.append(_Leg(carrier=carrier, flight_number=flight))
            pending = None
        elif not legs:
            continue
        elif tag == "LOC":
            leg = legs[-1]
            qualifier, place = component(els, 1, 0), component(els, 2, 0)
            if qualifier in ("125", "87"):
                leg.reported = True
            if qualifier == "125" or (qualifier == "92" and leg.dep_airport is None):
                leg.dep_airport, pending = place, "dep"
            elif qualifier in ("87", "92"):
                leg.arr_airport, pending = place, "arr"
        else:
            leg = legs[-1]
            qualifier, value, fmt = component(els, 1, 0), component(els, 1, 1), component(els, 1, 2)
            if value is None or qualifier not in ("189", "232", "132"):
                continue
            try:
                when = parse_edifact_datetime(value, fmt, window="around", reference=reference)
            except ValueError:
                ic.issues.add(
                    "warning",
                    "E_FIELD",
                    f"message {message.index + 1}: invalid flight time",
                    segment_index=i,
                    tag=tag,
                )
                continue
            if qualifier == "189" or (qualifier != "232" and pending == "dep"):
                leg.dep_time = when
            else:
                leg.arr_time = when
    return legs


def _message_frame(
    ic: Interchange, messages: list[Message], first_nad: dict[int, int], reference: date
) -> pl.DataFrame:
    rows = []
    for message in messages:
        legs = _header_legs(ic, message, first_nad.get(message.index, message.end), reference)
        primary = next((leg for leg in legs if leg.reported), legs[0] if legs else _Leg())
        rows.append(
            {
                "msg": message.index,
                "source_ref": message.ref or None,
                "carrier": primary.carrier,
                "flight_number": primary.flight_number,
                "dep_airport": primary.dep_airport,
                "arr_airport": primary.arr_airport,
                "dep_time": primary.dep_time,
                "arr_time": primary.arr_time,
                "legs": [
                    {
                        "carrier": leg.carrier,
                        "flight_number": leg.flight_number,
                        "dep_airport": leg.dep_airport,
                        "arr_airport": leg.arr_airport,
                        "dep_time": leg.dep_time,
                        "arr_time": leg.arr_time,
                    }
                    for leg in legs
                ],
            }
        )
    schema = {
        name: TRAVELLERS[name]
        for name in (
            "source_ref",
            "carrier",
            "flight_number",
            "dep_airport",
            "arr_airport",
            "dep_time",
            "arr_time",
            "legs",
        )
    }
    return pl.DataFrame(rows, schema={"msg": pl.Int64, **schema})


def _clean(expr: pl.Expr) -> pl.Expr:
    """Strip white space; empty means unknown."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def paxlst_from_interchange(ic: Interchange, options: ParseOptions) -> pl.DataFrame:
    """Build the travellers frame from a tokenized PAXLST interchange.

    Issues found on the way are added to ``ic.issues``.
    """
    messages = _accepted(ic, options)
    if not messages:
        return empty_travellers()
    reference = options.today()
    chars = ic.chars
    e, c = chars.element, chars.component
    frame = (
        pl.DataFrame({"seg": ic.series})
        .with_row_index("i")
        .with_columns(pl.col("i").cast(pl.Int64), tag=pl.col("seg").str.slice(0, 3))
    )
    # Travellers start at NAD FL/FM/DDU/DDT inside an accepted message.
    nad = frame.filter(pl.col("tag") == "NAD").with_columns(
        q=pl.col("seg").str.split(e).list.get(1, null_on_oob=True).str.split(c).list.first()
    )
    bounds = pl.DataFrame(
        {
            "start": [m.start for m in messages],
            "end": [m.end for m in messages],
            "msg": [m.index for m in messages],
        },
        schema={"start": pl.Int64, "end": pl.Int64, "msg": pl.Int64},
    )
    nad = nad.join_asof(bounds, left_on="i", right_on="start").filter(pl.col("i") < pl.col("end"))
    is_start = pl.col("q").is_in(list(ROLE_BY_QUALIFIER))
    heads = nad.filter(is_start).select("i", "msg", "q", "seg")
    if heads.is_empty():
        return empty_travellers()
    # A group ends at the message trailer, the next header, a NAD of another party, or a
    # segment with an unreadable tag but a traveller qualifier (it may have been a NAD: better
    # to lose its fields than to give the next traveller's data to the previous one).
    maybe_nad = [i for i in ic.ignored if component(ic.elements(i), 1, 0) in ROLE_BY_QUALIFIER]
    ends = pl.concat(
        [
            frame.filter(pl.col("tag").is_in(_GROUP_END))["i"],
            nad.filter(~is_start)["i"],
            pl.Series(maybe_nad, dtype=pl.Int64),
        ]
    ).sort()
    start_at = heads["i"]
    index = frame["i"]
    k = start_at.search_sorted(index, side="right").cast(pl.Int64)  # starts at or before i
    m = ends.search_sorted(index, side="right").cast(pl.Int64)  # group ends at or before i
    frame = frame.with_columns(
        trav=k,
        last_start=start_at.gather((k - 1).clip(lower_bound=0)),
        last_end=ends.gather((m - 1).clip(lower_bound=0)) if len(ends) else pl.lit(-1, pl.Int64),
        doc_total=(pl.col("tag") == "DOC").cast(pl.Int64).cum_sum(),
    )
    owned = (k > 0).to_frame("k")["k"] & ((m == 0) | (frame["last_start"] > frame["last_end"]))
    frame = frame.with_columns(
        start=pl.col("i") == pl.col("last_start"),
        doc=pl.col("doc_total") - pl.col("doc_total").gather(pl.col("last_start")),
    )
    body = frame.filter(owned)
    heads = heads.with_columns(trav=pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
    first_nad = dict(heads.group_by("msg").agg(pl.col("i").min()).iter_rows())
    messages_frame = _message_frame(ic, messages, first_nad, reference)
    person = _person_fields(body, heads, chars)
    documents = _documents(body, chars, reference)
    bags = _bag_tags(body, chars)
    travellers = (
        person.join(documents, on="trav", how="left")
        .join(bags, on="trav", how="left")
        .join(messages_frame, on="msg", how="left")
        .sort("trav")
    )
    return _finish(travellers, ic, reference)


def _split(
    frame: pl.DataFrame, chars: ServiceChars, wanted: dict[str, tuple[int, int]]
) -> pl.DataFrame:
    """Cut components out of the segments of ``frame``: ``{name: (element, component)}``."""
    frame = frame.with_columns(_els=pl.col("seg").str.split(chars.element))
    elements = sorted({e for e, _ in wanted.values()})
    frame = frame.with_columns(
        pl.col("_els").list.get(e, null_on_oob=True).str.split(chars.component).alias(f"_e{e}")
        for e in elements
    )
    return frame.with_columns(
        pl.col(f"_e{e}").list.get(c, null_on_oob=True).alias(name)
        for name, (e, c) in wanted.items()
    ).drop("_els", *[f"_e{e}" for e in elements])


def _first(frame: pl.DataFrame, by: list[str], columns: list[str]) -> pl.DataFrame:
    return frame.unique(subset=by, keep="first", maintain_order=True).select(*by, *columns)


def _person_fields(body: pl.DataFrame, heads: pl.DataFrame, chars: ServiceChars) -> pl.DataFrame:
    """One row per traveller with the fields of the person (not of a document)."""
    nad = heads.select(
        "trav",
        "msg",
        nad_i="i",
        qualifier="q",
        name=pl.col("seg").str.split(chars.element).list.get(4, null_on_oob=True),
    )
    tags = pl.col("tag")
    pieces = body.filter(
        tags.is_in(["ATT", "DTM", "NAT", "LOC", "RFF"]) & (pl.col("doc") == 0)
        | tags.is_in(["ATT", "NAT", "RFF"])
    )
    pieces = _split(
        pieces, chars, {"q": (1, 0), "v1": (1, 1), "v2": (2, 0), "v3": (3, 0), "place": (2, 3)}
    )
    q = pl.col("q")

    def first(value: str, condition: pl.Expr) -> pl.Expr:
        return pl.col(value).filter(condition).first()

    att, dtm = (tags == "ATT") & (q == "2"), (tags == "DTM") & (q == "329")
    loc, rff = tags == "LOC", tags == "RFF"
    fields = pieces.group_by("trav").agg(
        sex=first("v3", att),
        sex_i=first("i", att),
        dob_raw=first("v1", dtm),
        dob_i=first("i", dtm),
        nationality=first("v2", (tags == "NAT") & (q == "2")),
        residence=first("v2", loc & (q == "174")),
        embark=first("v2", loc & (q == "178")),
        debark=first("v2", loc & (q == "179")),
        birth_place=first("place", loc & (q == "180")),
        birth_country=first("v2", loc & (q == "180")),
        pnr_locator=first("v1", rff & (q == "AVF")),
        seat=first("v1", rff & (q == "SEA")),
        references=pl.struct(qualifier=_clean(pl.col("q")), value=_clean(pl.col("v1"))).filter(rff),
    )
    return nad.join(fields, on="trav", how="left")


def _documents(body: pl.DataFrame, chars: ServiceChars, reference: date) -> pl.DataFrame:
    """Per traveller: every document (SG5) as a list, the primary one's position, problems."""
    tags = pl.col("tag")
    docs = body.filter((pl.col("doc") > 0) & tags.is_in(["DOC", "DTM", "LOC"]))
    docs = _split(docs, chars, {"q": (1, 0), "v1": (1, 1), "v2": (2, 0)})
    q = pl.col("q")
    head = docs.filter(tags == "DOC").select(
        "trav", "doc", doc_i="i", doc_type="q", doc_number="v2"
    )
    expiry = _first(docs.filter((tags == "DTM") & (q == "36")), ["trav", "doc"], ["v1", "i"])
    issuer = _first(docs.filter((tags == "LOC") & (q == "91")), ["trav", "doc"], ["v2"])
    per_doc = (
        head.join(
            expiry.rename({"v1": "expiry_raw", "i": "expiry_i"}), on=["trav", "doc"], how="left"
        )
        .join(issuer.rename({"v2": "doc_issuer"}), on=["trav", "doc"], how="left")
        .with_columns(
            doc_type=_clean(pl.col("doc_type")),
            doc_number=_clean(pl.col("doc_number")),
            doc_issuer=_clean(pl.col("doc_issuer")),
            doc_expiry=yymmdd_expr(pl.col("expiry_raw"), window="around", reference=reference),
        )
        .with_columns(
            rank=pl.col("doc_type").replace_strict(_DOC_RANK, default=3, return_dtype=pl.Int32)
        )
        .sort("trav", "doc")
    )
    problem = pl.col("doc_number").is_null() | (
        pl.col("expiry_raw").is_not_null() & pl.col("doc_expiry").is_null()
    )
    return per_doc.group_by("trav", maintain_order=True).agg(
        documents=pl.struct("doc_type", "doc_number", "doc_issuer", "doc_expiry"),
        primary=pl.col("doc").sort_by("rank", "doc").first() - 1,
        doc_problems=pl.struct(
            "doc_i", "expiry_i", "expiry_raw", "doc_expiry", "doc_number"
        ).filter(problem),
    )


def _bag_tags(body: pl.DataFrame, chars: ServiceChars) -> pl.DataFrame:
    """Per traveller: the bag tags of ``FTX+BAG`` with ranges (tag:count) expanded."""
    bags = body.filter(
        (pl.col("tag") == "FTX") & pl.col("seg").str.starts_with(f"FTX{chars.element}BAG")
    )
    schema = pl.Schema({"trav": pl.Int64(), "bag_tags": pl.List(pl.String())})
    if bags.is_empty():
        return pl.DataFrame(schema=schema)
    bags = (
        _split(bags, chars, {"first": (4, 0), "count": (4, 1)})
        .with_columns(first=_clean(pl.col("first")), count=_clean(pl.col("count")))
        .filter(pl.col("first").is_not_null() & (pl.col("first").str.to_uppercase() != "NULL"))
    )
    ranged = pl.col("count").is_not_null() & (pl.col("count") != "1")
    if bags.select(ranged.any()).item():
        expanded = [
            _expand_bag_range(first, count) if count not in (None, "1") else [first]
            for first, count in bags.select("first", "count").iter_rows()
        ]
        bags = bags.with_columns(first=pl.Series(expanded, dtype=pl.List(pl.String))).explode(
            "first"
        )
    return bags.group_by("trav", maintain_order=True).agg(bag_tags=pl.col("first")).cast(schema)


def _expand_bag_range(first: str, count: str | None) -> list[str]:
    """``2660009`` with count ``2`` is 2660009 and 2660010 (formats.md §7.21)."""
    n = count_value(count.strip() if count else None) or 1
    if n <= 1:
        return [first]
    digits = len(first) - len(first.rstrip("0123456789"))
    if digits == 0:
        return [first]
    prefix, number = first[: len(first) - digits], int(first[len(first) - digits :])
    return [f"{prefix}{number + k:0{digits}d}" for k in range(min(n, 999))]


def _finish(t: pl.DataFrame, ic: Interchange, reference: date) -> pl.DataFrame:
    """Clean values, derive columns, record value issues, conform to the travellers schema."""
    chars = ic.chars
    parts = pl.col("name").str.splitn(chars.component, 2)
    given = parts.struct.field("field_1").str.replace_all(chars.component, " ", literal=True)
    given = given.str.replace_all(r"\s+", " ").str.strip_chars()
    seq = pl.col("trav") - pl.col("trav").min().over("msg") + 1
    primary = pl.col("documents").list.get(pl.col("primary").fill_null(0), null_on_oob=True)
    t = t.with_columns(
        record_id=pl.format("{}.{}", pl.col("msg") + 1, seq),
        role=pl.col("qualifier").replace_strict(ROLE_BY_QUALIFIER, default=None),
        family_name=_clean(parts.struct.field("field_0")),
        given_names=_clean(given),
        dob=yymmdd_expr(pl.col("dob_raw"), window="past", reference=reference),
        sex_code=_clean(pl.col("sex")).str.to_uppercase(),
        birthplace=pl.concat_str(
            [_clean(pl.col("birth_place")), _clean(pl.col("birth_country"))],
            separator=", ",
            ignore_nulls=True,
        ),
        documents=pl.col("documents").fill_null(pl.lit([], dtype=TRAVELLERS["documents"])),
        bag_tags=pl.col("bag_tags").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        references=pl.col("references").fill_null(pl.lit([], dtype=TRAVELLERS["references"])),
        legs=pl.col("legs").fill_null(pl.lit([], dtype=pl.List(LEG))),
    ).with_columns(
        sex=pl.col("sex_code").replace_strict(_VALID_SEX, default=None),
        doc_type=primary.struct.field("doc_type"),
        doc_number=primary.struct.field("doc_number"),
        doc_issuer=primary.struct.field("doc_issuer"),
        doc_expiry=primary.struct.field("doc_expiry"),
        birthplace=pl.when(pl.col("birthplace") != "").then(pl.col("birthplace")),
    )
    t = t.with_columns(
        _clean(pl.col(column)).alias(column)
        for column in ("nationality", "residence", "embark", "debark", "pnr_locator", "seat")
    )
    _report_value_problems(t, ic)
    t = _normalize_countries(t)
    t = t.with_columns(source_format=pl.lit("paxlst"))
    t = t.select([pl.col(name).cast(dtype) for name, dtype in TRAVELLERS.items()])
    return _restore_released(t, chars) if ic.released else t


def _report_value_problems(t: pl.DataFrame, ic: Interchange) -> None:
    log = ic.issues
    checks = t.select(
        "record_id",
        "nad_i",
        "dob_i",
        "sex_i",
        no_name=pl.col("family_name").is_null(),
        bad_dob=pl.col("dob_raw").str.strip_chars().str.len_bytes().fill_null(0).gt(0)
        & pl.col("dob").is_null(),
        bad_sex=pl.col("sex_code").is_not_null() & ~pl.col("sex_code").is_in(list(_VALID_SEX)),
        doc_problems=pl.col("doc_problems"),
    ).filter(
        pl.col("no_name")
        | pl.col("bad_dob")
        | pl.col("bad_sex")
        | (pl.col("doc_problems").list.len().fill_null(0) > 0)
    )
    for row in checks.iter_rows(named=True):
        rid = row["record_id"]
        for flag, message, index, tag in _PERSON_PROBLEMS:
            if row[flag]:
                log.add(
                    "error", "E_FIELD", message, segment_index=row[index], tag=tag, record_id=rid
                )
        for doc in row["doc_problems"] or []:
            if doc["doc_number"] is None:
                log.add(
                    "error",
                    "E_FIELD",
                    "document without a number (DOC)",
                    segment_index=doc["doc_i"],
                    tag="DOC",
                    record_id=rid,
                )
            else:
                log.add(
                    "error",
                    "E_FIELD",
                    "invalid document expiry date (DTM+36)",
                    segment_index=doc["expiry_i"],
                    tag="DTM",
                    record_id=rid,
                )


def _normalize_countries(t: pl.DataFrame) -> pl.DataFrame:
    """Two-letter and ICAO country codes to alpha-3 (``D`` -> ``DEU``, ``KR`` -> ``KOR``)."""

    def codes(expr: pl.Expr) -> pl.Expr:
        return expr.map_elements(normalize_country, return_dtype=pl.String, skip_nulls=True)

    needs = pl.col("nationality").str.len_bytes() != 3
    return t.with_columns(
        nationality=pl.when(needs)
        .then(codes(pl.col("nationality")))
        .otherwise(pl.col("nationality")),
        residence=pl.when(pl.col("residence").str.len_bytes() != 3)
        .then(codes(pl.col("residence")))
        .otherwise(pl.col("residence")),
    )


def _restore_released(t: pl.DataFrame, chars: ServiceChars) -> pl.DataFrame:
    pairs = chars.placeholders()
    patterns = [p for p, _ in pairs]
    literals = [lit for _, lit in pairs]

    def fix(expr: pl.Expr) -> pl.Expr:
        return expr.str.replace_many(patterns, literals)

    strings = [name for name, dtype in TRAVELLERS.items() if dtype == pl.String]
    t = t.with_columns(fix(pl.col(name)) for name in strings)
    doc_fields = ("doc_type", "doc_number", "doc_issuer")
    return t.with_columns(
        documents=pl.col("documents").list.eval(
            pl.struct(
                *[fix(pl.element().struct.field(f)).alias(f) for f in doc_fields],
                pl.element().struct.field("doc_expiry"),
            )
        ),
        bag_tags=pl.col("bag_tags").list.eval(fix(pl.element())),
        references=pl.col("references")
        .fill_null(pl.lit([], dtype=TRAVELLERS["references"]))
        .list.eval(
            pl.struct(
                qualifier=fix(pl.element().struct.field("qualifier")),
                value=fix(pl.element().struct.field("value")),
            )
        ),
    )


# --------------------------------------------------------------------------------------------
# Writer


def _yymmdd(value: date | None) -> str:
    return value.strftime("%y%m%d") if value is not None else ""


def _stamp(value: datetime | None) -> str:
    return value.strftime("%y%m%d%H%M") if value is not None else ""


def write_paxlst(
    travellers: pl.DataFrame,
    *,
    sender: str = "PAXSCREEN",
    recipient: str = "RECEIVER",
    control_ref: str = "1",
    prepared: datetime | None = None,
) -> str:
    """Write a travellers frame as a PAXLST D05B interchange (for synthetic data and tests).

    Rows are grouped into one message per distinct ``source_ref`` (in order of first
    appearance; the ref becomes the UNH message reference). A message whose travellers are
    all crew is a crew list (BGM 250), otherwise a passenger list (BGM 745). The flight header
    comes from the first row's ``legs`` (or its flight columns when it has none). Values are
    escaped with the release character; dates are written as YYMMDD, so they read back through
    the same century windows.

    ``parse_paxlst(write_paxlst(frame))`` gives back ``frame`` for every frame whose values
    PAXLST can carry (see the round-trip property test).
    """
    stamp = (prepared or datetime(2000, 1, 1)).strftime("%y%m%d:%H%M")
    out = [
        "UNA:+.? '",
        f"UNB+UNOC:4+{escape(sender)}+{escape(recipient)}+{stamp}+{escape(control_ref)}'",
    ]
    frame = with_traveller_columns(travellers)
    groups: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(frame.iter_rows(named=True)):
        key = row["source_ref"] if row["source_ref"] is not None else f"M{n // 100_000 + 1}"
        groups.setdefault(key, []).append(row)
    for ref, rows in groups.items():
        out.extend(_message_segments(ref, rows))
    out.append(f"UNZ+{len(groups)}+{escape(control_ref)}'")
    return "\n".join(out) + "\n"


def _message_segments(ref: str, rows: list[dict[str, Any]]) -> list[str]:
    crew = all(row["role"] in _CREW_ROLES for row in rows)
    seg = [
        f"UNH+{escape(ref)}+PAXLST:D:05B:UN:IATA",
        f"BGM+{'250' if crew else '745'}",
        "NAD+MS+++PAXSCREEN",
    ]
    first = rows[0]
    legs = first["legs"] or [
        {
            k: first[k]
            for k in (
                "carrier",
                "flight_number",
                "dep_airport",
                "arr_airport",
                "dep_time",
                "arr_time",
            )
        }
    ]
    for leg in legs:
        seg.append(f"TDT+20+{escape(leg['flight_number'])}+++{escape(leg['carrier'])}".rstrip("+"))
        seg.append(f"LOC+125+{escape(leg['dep_airport'])}")
        if leg["dep_time"] is not None:
            seg.append(f"DTM+189:{_stamp(leg['dep_time'])}:201")
        seg.append(f"LOC+87+{escape(leg['arr_airport'])}")
        if leg["arr_time"] is not None:
            seg.append(f"DTM+232:{_stamp(leg['arr_time'])}:201")
    for row in rows:
        seg.extend(_traveller_segments(row))
    seg.append(f"CNT+{'41' if crew else '42'}:{len(rows)}")
    seg.append(f"UNT+{len(seg) + 1}+{escape(ref)}")
    return [s + "'" for s in seg]


def _traveller_segments(row: Mapping[str, Any]) -> list[str]:
    qualifier = _QUALIFIER_BY_ROLE.get(row["role"] or "passenger", "FL")
    name = escape(row["family_name"])
    if row["given_names"]:
        name += ":" + escape(row["given_names"])
    seg = [f"NAD+{qualifier}+++{name}"]
    if row["sex"]:
        seg.append(f"ATT+2++{escape(row['sex'])}")
    if row["dob"] is not None:
        seg.append(f"DTM+329:{_yymmdd(row['dob'])}")
    for bag in row["bag_tags"] or []:
        seg.append(f"FTX+BAG+++{escape(bag)}")
    for qualifier_, value in (
        ("174", row["residence"]),
        ("178", row["embark"]),
        ("179", row["debark"]),
    ):
        if value:
            seg.append(f"LOC+{qualifier_}+{escape(value)}")
    if row["birthplace"]:
        seg.append(f"LOC+180+:::{escape(row['birthplace'])}")
    if row["nationality"]:
        seg.append(f"NAT+2+{escape(row['nationality'])}")
    references: Iterable[Mapping[str, Any]] = row["references"] or [
        {"qualifier": q, "value": v}
        for q, v in (("AVF", row["pnr_locator"]), ("SEA", row["seat"]))
        if v is not None
    ]
    for ref in references:
        seg.append(f"RFF+{escape(ref['qualifier'])}:{escape(ref['value'])}")
    documents = row["documents"] or (
        [{k: row[k] for k in ("doc_type", "doc_number", "doc_issuer", "doc_expiry")}]
        if row["doc_number"] is not None
        else []
    )
    for doc in documents:
        seg.append(f"DOC+{escape(doc['doc_type'])}+{escape(doc['doc_number'])}")
        if doc["doc_expiry"] is not None:
            seg.append(f"DTM+36:{_yymmdd(doc['doc_expiry'])}")
        if doc["doc_issuer"]:
            seg.append(f"LOC+91+{escape(doc['doc_issuer'])}")
    return seg
