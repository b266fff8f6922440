"""Frozen option objects, passed keyword-only (``options=``, ``config=``).

Use :func:`dataclasses.replace` to derive a variant::

    opts = ParseOptions(strict=True)
    lenient = dataclasses.replace(opts, strict=False)
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date

from paxscreen.errors import ConfigError

__all__ = ["ParseOptions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseOptions:
    """How raw travel data is read.

    Attributes:
        strict: Raise :class:`~paxscreen.errors.ParseError` on every structural fault
            (wrappers, folded lines, bad service characters, characters outside the declared
            set, trailing text, mismatched references). The default lenient mode repairs what
            has a clear intent and records each repair as a row of ``issues``.
        counts_fatal: Also treat wrong UNT/UNE/UNZ counts as fatal in strict mode. Most real
            files carry wrong counts, so they are warnings by default.
        max_bytes: Refuse inputs larger than this (bytes).
        max_segments: Refuse EDIFACT interchanges with more segments than this.
        reference_date: The "today" of the two-digit-year century windows: dates of birth
            take the latest century that is not after it, expiry and flight dates the
            century that puts them within 50 years of it. ``None`` means the current date.
        fallback_encoding: Codec for bytes that the declared character set does not allow
            (lenient mode). ``cp1252`` is the usual culprit; old Mac files need
            ``mac_roman``.
    """

    strict: bool = False
    counts_fatal: bool = False
    max_bytes: int = 64 * 1024 * 1024
    max_segments: int = 5_000_000
    reference_date: date | None = None
    fallback_encoding: str = "cp1252"

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError("max_bytes must be positive")
        if self.max_segments <= 0:
            raise ConfigError("max_segments must be positive")
        try:
            codecs.lookup(self.fallback_encoding)
        except LookupError:
            raise ConfigError(f"unknown fallback_encoding {self.fallback_encoding!r}") from None

    def today(self) -> date:
        """The reference date of the century windows."""
        return self.reference_date if self.reference_date is not None else date.today()
