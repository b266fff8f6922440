"""Collecting parse issues (repairs, warnings, record-level errors) without personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from paxscreen.errors import ParseError, safe_tag
from paxscreen.schema import issues_frame

__all__ = ["IssueLog", "Severity"]

Severity = Literal["error", "warning", "info"]


@dataclass
class IssueLog:
    """Accumulates issue rows for one parse; in strict mode, structural faults raise instead.

    Messages must be written by the caller without any value from the input: codes, counts,
    segment indexes, tags and offsets only.
    """

    strict: bool = False
    source: str | None = None
    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        segment_index: int | None = None,
        tag: str | None = None,
        offset: int | None = None,
        record_id: str | None = None,
    ) -> None:
        """Record an issue."""
        self.rows.append(
            {
                "severity": severity,
                "code": code,
                "message": message,
                "segment_index": segment_index,
                "tag": safe_tag(tag),
                "offset": offset,
                "record_id": record_id,
            }
        )

    def fault(
        self,
        code: str,
        message: str,
        *,
        segment_index: int | None = None,
        tag: str | None = None,
        offset: int | None = None,
    ) -> None:
        """A structural fault: raise in strict mode, else record a warning that it was repaired."""
        if self.strict:
            raise ParseError(
                code,
                message,
                source=self.source,
                segment_index=segment_index,
                tag=tag,
                offset=offset,
            )
        self.add("warning", code, message, segment_index=segment_index, tag=tag, offset=offset)

    def error(
        self,
        code: str,
        message: str,
        *,
        segment_index: int | None = None,
        tag: str | None = None,
        offset: int | None = None,
    ) -> ParseError:
        """A fault that cannot be repaired in any mode: build the exception to raise."""
        return ParseError(
            code, message, source=self.source, segment_index=segment_index, tag=tag, offset=offset
        )

    def frame(self) -> pl.DataFrame:
        """The issues as a frame (see :data:`paxscreen.schema.ISSUES`)."""
        return issues_frame(self.rows)
