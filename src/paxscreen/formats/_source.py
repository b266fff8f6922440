"""The one place where paxscreen opens files: path | bytes | str | binary file -> bytes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, TypeAlias

from paxscreen.errors import ParseError

__all__ = ["Source", "read_source"]

#: What every reader accepts: a path, raw bytes, text, or an open binary file.
Source: TypeAlias = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


def _looks_like_path(text: str) -> bool:
    if not text or len(text) > 4096 or "\n" in text or "\r" in text or "'" in text:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def read_source(source: Source, *, max_bytes: int) -> tuple[bytes, str | None]:
    """Read ``source`` into bytes.

    A ``str`` is taken as a path when it names an existing file and as the content otherwise
    (encoded as UTF-8). Returns the bytes and the base name of the file (``None`` for
    in-memory input), which is the only part of a path that error messages show.

    Raises:
        ParseError: ``E_TOO_LARGE`` when the input exceeds ``max_bytes``; ``E_SOURCE`` when
            the source is of an unusable type or cannot be read.
    """
    name: str | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        name = path.name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ParseError(
                    "E_TOO_LARGE",
                    f"input of {size} bytes exceeds max_bytes={max_bytes}",
                    source=name,
                )
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(
                "E_SOURCE", f"cannot read file ({exc.strerror})", source=name
            ) from None
    elif isinstance(source, str):
        data = source.encode("utf-8")
    elif hasattr(source, "read"):
        chunk = source.read(max_bytes + 1)
        if not isinstance(chunk, (bytes, bytearray)):
            raise ParseError("E_SOURCE", "file object must be opened in binary mode")
        data = bytes(chunk)
        raw_name = getattr(source, "name", None)
        name = os.path.basename(raw_name) if isinstance(raw_name, str) else None
    else:
        raise ParseError("E_SOURCE", f"unsupported source type {type(source).__name__}")
    if len(data) > max_bytes:
        raise ParseError("E_TOO_LARGE", f"input exceeds max_bytes={max_bytes}", source=name)
    return data, name
