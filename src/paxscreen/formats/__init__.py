"""Reading travel data: one entry point that sniffs the format, and one reader per format.

``parse_manifest`` takes a path, bytes, text or a binary file, recognises the format (UN/EDIFACT
PAXLST, IATA PNRGOV EDIFACT and XML, CSV, Parquet) and returns the travellers frame with the
issues met on the way.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal, get_args

import polars as pl

from paxscreen.config import ParseOptions
from paxscreen.errors import ParseError
from paxscreen.formats._source import Source, read_source
from paxscreen.formats.paxlst import parse_paxlst
from paxscreen.formats.pnrgov import PnrPolicy, parse_pnrgov
from paxscreen.formats.pnrgov_xml import parse_pnrgov_xml
from paxscreen.formats.tabular import parse_tabular, sniff_tabular

__all__ = ["Format", "ParsedManifest", "parse_manifest", "read_manifest", "sniff_format"]

Format = Literal["paxlst", "pnrgov", "pnrgov_xml", "csv", "parquet"]

_UNH_TYPE = re.compile(rb"UNH.{1,40}?(PAXLST|PNRGOV|CUSRES|CONTRL)", re.S)
_SNIFF = 64 * 1024


@dataclass(frozen=True, slots=True)
class ParsedManifest:
    """What a parse gives back.

    Attributes:
        travellers: One row per traveller (:data:`paxscreen.schema.TRAVELLERS`).
        issues: Repairs, warnings and record-level errors (:data:`paxscreen.schema.ISSUES`);
            never personal data.
        format: The format that was read.
    """

    travellers: pl.DataFrame
    issues: pl.DataFrame
    format: Format


def sniff_format(data: bytes) -> Format | None:
    """Recognise the format of ``data`` from its first bytes, or None."""
    head = data[:_SNIFF]
    if head[:4] == b"PAR1":
        return "parquet"
    found = _UNH_TYPE.search(head)
    if found is not None:
        kind = found.group(1)
        return "pnrgov" if kind == b"PNRGOV" else "paxlst"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "pnrgov_xml" if b"PNR" in head else None
    if re.search(rb"UN[AB][^A-Za-z0-9]", head[:4096]):
        return "paxlst"
    return sniff_tabular(data)


def parse_manifest(
    source: Source,
    format: Format | None = None,
    strict: bool = False,
    *,
    options: ParseOptions | None = None,
    pnr_policy: PnrPolicy | None = None,
) -> ParsedManifest:
    """Parse a passenger manifest into the travellers frame.

    Args:
        source: A path, bytes, text (a ``str`` naming an existing file is read as a path) or a
            binary file object.
        format: ``"paxlst"``, ``"pnrgov"``, ``"pnrgov_xml"``, ``"csv"`` or ``"parquet"``;
            ``None`` sniffs it from the content.
        strict: Raise on every structural fault instead of repairing it (shortcut for
            ``options=ParseOptions(strict=True)``).
        options: Full parse options; ``strict=True`` overrides ``options.strict``.
        pnr_policy: The Annex I ingest filter for PNR input
            (:class:`paxscreen.formats.pnrgov.PnrPolicy`; on by default).

    Returns:
        The travellers, the issues and the format read.

    Raises:
        ParseError: The format is unknown or unsupported, or the input is malformed (code,
            segment index, tag and byte offset in the exception, never the data).

    Examples:
        >>> import paxscreen as px
        >>> parsed = px.parse_manifest(b"UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        ...     b"NAD+FL+++DOE:JANE'UNT+4+1'")
        >>> parsed.travellers.select("family_name", "given_names").row(0)
        ('DOE', 'JANE')
    """
    options = options or ParseOptions()
    if strict and not options.strict:
        options = dataclasses.replace(options, strict=True)
    data, name = read_source(source, max_bytes=options.max_bytes)
    if format is not None and format not in get_args(Format):
        raise ParseError("E_FORMAT", f"unknown format {format!r}", source=name)
    kind = format or sniff_format(data)
    if kind is None:
        raise ParseError("E_FORMAT", "cannot recognise the format of the input", source=name)
    if kind == "paxlst":
        travellers, issues = parse_paxlst(data, options=options, source=name)
    elif kind == "pnrgov":
        travellers, issues = parse_pnrgov(data, options=options, source=name, policy=pnr_policy)
    elif kind == "pnrgov_xml":
        travellers, issues = parse_pnrgov_xml(data, options=options, source=name, policy=pnr_policy)
    else:
        travellers, issues = parse_tabular(data, format=kind, options=options, source_name=name)
    return ParsedManifest(travellers=travellers, issues=issues, format=kind)


def read_manifest(
    source: Source,
    format: Format | None = None,
    strict: bool = False,
    *,
    options: ParseOptions | None = None,
    pnr_policy: PnrPolicy | None = None,
) -> pl.DataFrame:
    """The travellers frame of :func:`parse_manifest` (issues dropped)."""
    return parse_manifest(source, format, strict, options=options, pnr_policy=pnr_policy).travellers
