"""Exceptions raised by paxscreen.

The tree::

    PaxscreenError                  base of everything paxscreen raises on purpose
    ├── ParseError (ValueError)     input that cannot be read: code + location, never a value
    ├── SchemaError (ValueError)    a table (watchlist, document list, manifest) lacks columns
    │                               or has columns of the wrong type
    └── ConfigError (ValueError)    an option object holds an impossible combination

Error messages never contain personal data (names, dates, document numbers). They name the
place instead: the source, the segment index, the segment tag and the byte offset. Callers can
log them as they are.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ConfigError", "ParseError", "PaxscreenError", "SchemaError", "safe_tag"]

_TAG_OK = re.compile(r"[A-Z0-9 ]{1,4}")


def safe_tag(text: str | None) -> str | None:
    """Return ``text`` if it looks like a segment tag, else a neutral placeholder.

    Tags are the only piece of input echoed in messages; anything that is not upper-case
    letters, digits or a space (at most four characters: EDIFACT tags, SSR codes) could be
    personal data and is
    replaced.
    """
    if text is None:
        return None
    return text if _TAG_OK.fullmatch(text) else "<non-tag>"


class PaxscreenError(Exception):
    """Base class of every exception that paxscreen raises on purpose."""


class ParseError(PaxscreenError, ValueError):
    """Input that cannot be parsed.

    Attributes:
        code: A stable error code such as ``E_NOT_EDIFACT`` or ``E_MRZ_LENGTH``.
        source: The file name (base name only) or ``None`` for in-memory input.
        segment_index: 0-based index of the segment (EDIFACT) or line (MRZ, CSV), if known.
        tag: The segment tag or field name where the fault sits, if known.
        offset: The byte offset in the input, if known.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        source: str | None = None,
        segment_index: int | None = None,
        tag: str | None = None,
        offset: int | None = None,
    ) -> None:
        self.code = code
        self.detail = message
        self.source = source
        self.segment_index = segment_index
        self.tag = safe_tag(tag)
        self.offset = offset
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source is not None:
            where.append(f"source {self.source}")
        if self.segment_index is not None:
            where.append(f"segment {self.segment_index}")
        if self.tag is not None:
            where.append(f"tag {self.tag!r}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        suffix = f" ({', '.join(where)})" if where else ""
        return f"{self.code}: {self.detail}{suffix}"

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "source": self.source,
            "segment_index": self.segment_index,
            "tag": self.tag,
            "offset": self.offset,
        }
        return (_rebuild_parse_error, (self.code, self.detail, kwargs))


def _rebuild_parse_error(code: str, detail: str, kwargs: dict[str, Any]) -> ParseError:
    return ParseError(code, detail, **kwargs)


class SchemaError(PaxscreenError, ValueError):
    """A table lacks required columns or carries columns of an unusable type."""


class ConfigError(PaxscreenError, ValueError):
    """An option object holds an impossible value or combination."""
