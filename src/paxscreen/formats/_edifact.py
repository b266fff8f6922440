"""UN/EDIFACT syntax: service characters, tokenizer, envelopes (ISO 9735 as used by PAXLST/PNRGOV).

The tokenizer works on the input decoded as latin-1, so one character is one byte and every
offset it reports is a byte offset. Segments that hold bytes above 0x7F are decoded again with
the declared character set (or, leniently, UTF-8 or the fallback codec) one by one; separators
are ASCII, so multi-byte characters never straddle a segment boundary.

Release sequences (``?'`` ``?+`` ``?:`` ``??``) are replaced by one-byte control placeholder
characters before the text is split, so splitting is plain ``str.split``; :func:`restore` (or
``ServiceChars.placeholders`` with a vectorised replace) turns them back into the literal characters
once values have been cut out.

Real files are dirty (research/formats.md §0, §7): telex and e-mail wrappers, UNA headers that
cannot be taken literally, CR-only line ends, lines hard-wrapped inside tags and numbers, wrong
counts, trailing text. In lenient mode each repair is one row of the issue log; in strict mode
the same fault raises :class:`~paxscreen.errors.ParseError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from paxscreen.config import ParseOptions
from paxscreen.formats._issues import IssueLog

__all__ = [
    "DEFAULT_CHARS",
    "Interchange",
    "Message",
    "ServiceChars",
    "component",
    "count_value",
    "escape",
    "parse_interchange",
    "restore",
    "split_segment",
]

#: Placeholders standing for released service characters inside values. They are C0 controls
#: (DC1-DC4, NAK), which no interchange may carry as data (any in the input are removed or
#: rejected first), so the text stays one byte per character.
_PH_TERM, _PH_ELEM, _PH_COMP, _PH_REL, _PH_REP = "\x11", "\x12", "\x13", "\x14", "\x15"

_START = re.compile(r"UN[ABH](?![A-Za-z0-9])")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x10\x16-\x1f\x7f]")
_PLACEHOLDER_BYTES = re.compile(r"[\x11-\x15]")
#: Byte tables for ``bytes.translate(None, table)``: what is left are the control bytes, or
#: the lower-case letters, of the raw input (a fast pre-check before any per-segment search).
_NOT_CONTROL = bytes(
    b
    for b in range(256)
    if not (_CONTROL.match(chr(b)) or _PLACEHOLDER_BYTES.match(chr(b))) or b in (9, 10, 13)
)
_NOT_LOWER = bytes(b for b in range(256) if not 97 <= b <= 122)
#: Bytes above 0x7F in the latin-1 view: the segment needs decoding with the declared set.
_HIGH = re.compile("[\x80-\xff]")
#: How far into the input the start of the interchange (UNA/UNB/UNH) may be.
_SEARCH_WINDOW = 64 * 1024

#: Character sets by UNB syntax identifier (S001/0001). Unlisted identifiers (IATA, SIRE...)
#: are treated as ASCII, as level A.
_CODECS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six UNA service characters."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    def placeholders(self) -> tuple[tuple[str, str], ...]:
        """(placeholder, literal) pairs for the released service characters."""
        pairs = [
            (_PH_TERM, self.terminator),
            (_PH_ELEM, self.element),
            (_PH_COMP, self.component),
            (_PH_REL, self.release),
        ]
        if self.repetition.strip():
            pairs.append((_PH_REP, self.repetition))
        return tuple(pairs)


DEFAULT_CHARS = ServiceChars()


def escape(value: object, chars: ServiceChars = DEFAULT_CHARS) -> str:
    """A value as writers put it in an element: its service characters released (None is
    empty)."""
    text = "" if value is None else str(value)
    rel = chars.release
    for special in (rel, chars.terminator, chars.element, chars.component):
        text = text.replace(special, rel + special)
    return text


def restore(value: str, chars: ServiceChars) -> str:
    """Turn release placeholders in ``value`` back into the literal service characters."""
    for placeholder, literal in chars.placeholders():
        if placeholder in value:
            value = value.replace(placeholder, literal)
    return value


def split_segment(segment: str, chars: ServiceChars) -> list[list[str]]:
    """Split one segment into elements and components, placeholders restored.

    ``split_segment("NAD+FL+++SMITH:JOHN", DEFAULT_CHARS)`` gives
    ``[["NAD"], ["FL"], [""], [""], ["SMITH", "JOHN"]]``.
    """
    return [
        [restore(component, chars) for component in element.split(chars.component)]
        for element in segment.split(chars.element)
    ]


@dataclass(frozen=True, slots=True)
class Message:
    """One UNH...UNT message: its segment range and its header."""

    index: int
    start: int  #: segment index of UNH
    end: int  #: segment index one past UNT (or past the last segment of the message)
    ref: str
    type: str
    version: str
    release: str
    agency: str
    association: str
    common_ref: str | None
    part_number: str | None
    part_flag: str | None  #: "C" first part, "F" final part, None otherwise


@dataclass
class Interchange:
    """A tokenized interchange: segments, messages and what was repaired on the way.

    ``series`` holds one string per segment (leading white space removed, release
    placeholders in place); Python lists are only made for the few segments a caller reads
    one by one, or when a repair has to edit segments.
    """

    chars: ServiceChars
    series: pl.Series
    issues: IssueLog
    messages: list[Message] = field(default_factory=list)
    syntax_id: str | None = None
    syntax_version: str | None = None
    sender: str | None = None
    recipient: str | None = None
    control_ref: str | None = None
    released: bool = False  #: whether any value holds a release placeholder
    base_offset: int = 0
    ignored: list[int] = field(default_factory=list)  #: segments whose tag is unusable
    text: str = field(default="", repr=False)  #: the input as latin-1, for byte offsets
    _starts: list[int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.series)

    @property
    def segments(self) -> list[str]:
        """Every segment as a Python list (a copy: edit through :meth:`replace_segments`)."""
        return self.series.to_list()

    def replace_segments(self, segments: list[str]) -> None:
        """Swap in repaired segments."""
        self.series = pl.Series(segments, dtype=pl.String)

    def segment(self, index: int) -> str:
        """Segment ``index`` as a string."""
        value = self.series[index]
        return value if isinstance(value, str) else ""

    def offset(self, index: int) -> int | None:
        """Byte offset in the input where segment ``index`` starts (computed on first use).

        Offsets come from a scan of the original input, so they stay exact whatever line ends,
        indentation or release sequences precede the segment.
        """
        if self._starts is None:
            self._starts = _segment_starts(self.text, self.base_offset, self.chars)
        if 0 <= index < len(self._starts):
            return self._starts[index]
        return None

    def elements(self, index: int) -> list[list[str]]:
        """Segment ``index`` split into elements and components, placeholders restored."""
        return split_segment(self.segment(index), self.chars)

    def tag(self, index: int) -> str:
        """The tag of segment ``index``."""
        return self.segment(index)[:3]


def _segment_starts(text: str, base: int, chars: ServiceChars) -> list[int]:
    """Where each segment starts in ``text`` (after the white space that may precede a tag)."""
    term = re.escape(chars.terminator)
    pattern = term if chars.release == " " else f"{re.escape(chars.release)}.|{term}"

    def skip(position: int) -> int:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        return position

    starts = [skip(base)]
    starts.extend(
        skip(m.end())
        for m in re.compile(pattern, re.S).finditer(text, base)
        if m.group() == chars.terminator
    )
    return starts


def _read_una(text: str, at: int) -> ServiceChars | None:
    """The service characters declared at ``text[at:at+9]`` (``UNA`` + 6), or None if unusable.

    Usable means: six ASCII punctuation characters (or space where ISO 9735 allows it), the
    component, element, release and terminator characters distinct, and ``UNB`` following
    after optional whitespace (formats.md §7.1).
    """
    six = text[at + 3 : at + 9]
    if len(six) != 6:
        return None
    component, element, decimal, release, repetition, terminator = list(six)
    for ch in (component, element, terminator):
        if not ch.isascii() or ch.isalnum() or ch.isspace() or not ch.isprintable():
            return None
    for ch in (decimal, release, repetition):
        if not ch.isascii() or ch.isalnum() or not (ch.isprintable() or ch == " "):
            return None
    distinct = [component, element, terminator] + ([release] if release != " " else [])
    if len(set(distinct)) != len(distinct):
        return None
    if repetition != " " and repetition in distinct:
        return None
    if not text[at + 9 : at + 9 + 64].lstrip().startswith("UNB"):
        return None
    return ServiceChars(component, element, decimal, release, repetition, terminator)


def _apply_release(body: str, chars: ServiceChars, log: IssueLog, base: int) -> tuple[str, bool]:
    """Replace release sequences by placeholders; repair or reject stray release characters.

    Returns the text and whether any placeholder was put in.
    """
    rel = chars.release
    if rel == " " or rel not in body:
        return body, False
    mapping = {
        chars.terminator: _PH_TERM,
        chars.element: _PH_ELEM,
        chars.component: _PH_COMP,
    }
    if chars.repetition.strip():
        mapping[chars.repetition] = _PH_REP
    parts = body.split(rel)
    out = [parts[0]]
    stray = 0
    placed = False
    first_stray: int | None = None
    position = len(parts[0])
    i = 1
    while i < len(parts):
        part = parts[i]
        if not part:
            if i + 1 == len(parts):
                log.fault(
                    "E_RELEASE",
                    "dangling release character at the end of the input",
                    offset=base + position,
                )
                break
            out.append(_PH_REL)  # a released release character; the next part is plain
            placed = True
            out.append(parts[i + 1])
            position += 2 + len(parts[i + 1])
            i += 2
            continue
        placeholder = mapping.get(part[0])
        if placeholder is None:
            stray += 1
            first_stray = position if first_stray is None else first_stray
            out.append(part)
        else:
            out.append(placeholder + part[1:])
            placed = True
        position += 1 + len(part)
        i += 1
    if stray:
        log.fault(
            "E_RELEASE",
            f"release character before a non-service character ({stray} times; the release "
            "was dropped)",
            offset=base + (first_stray or 0),
        )
    return "".join(out), placed


def _decode_segments(ic: Interchange, options: ParseOptions) -> None:
    """Re-decode segments holding bytes above 0x7F; enforce the declared character set."""
    syntax_id = ic.syntax_id
    segments = ic.segments
    codec = _CODECS.get(syntax_id or "", "ascii")
    declared = syntax_id or "the declared set"
    first: int | None = None
    repaired = 0
    used = ""
    for i, seg in enumerate(segments):
        if not _HIGH.search(seg):
            continue
        raw = seg.encode("latin-1")
        try:
            segments[i] = raw.decode(codec)
            continue
        except UnicodeDecodeError as exc:
            bad = exc.start
        try:
            text, how = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = raw.decode(options.fallback_encoding, errors="replace")
            how = options.fallback_encoding
        if options.strict:
            where = ic.offset(i)
            raise ic.issues.error(
                "E_CHARSET",
                f"byte 0x{raw[bad]:02X} not allowed in {declared}",
                segment_index=i,
                tag=seg[:3],
                offset=None if where is None else where + bad,
            )
        first = i if first is None else first
        repaired += 1
        used = how
        segments[i] = text
    ic.replace_segments(segments)
    if first is not None:
        ic.issues.add(
            "warning",
            "W_CHARSET",
            f"{repaired} segment(s) hold bytes outside {declared}; decoded as {used}",
            segment_index=first,
            tag=segments[first][:3],
            offset=ic.offset(first),
        )


def parse_interchange(
    data: bytes, options: ParseOptions, *, source: str | None = None
) -> Interchange:
    """Tokenize an EDIFACT interchange and check its envelopes.

    Args:
        data: The raw bytes.
        options: Strictness, limits, fallback codec.
        source: The file's base name, for error messages.

    Returns:
        The interchange with its segments (release placeholders left in place) and messages.

    Raises:
        ParseError: On every structural fault in strict mode, and in any mode when no
            interchange can be found, the input ends inside the interchange header, or a
            size limit is exceeded.
    """
    log = IssueLog(strict=options.strict, source=source)
    text = data.decode("latin-1")
    found = _START.search(text, 0, _SEARCH_WINDOW + 3)
    if found is None:
        raise log.error(
            "E_NOT_EDIFACT", f"no UNA/UNB/UNH found in the first {_SEARCH_WINDOW} bytes"
        )
    start = found.start()
    lead = text[:start]
    if lead.strip(" \t\r\n\ufeff\xef\xbb\xbf"):
        log.fault(
            "E_WRAPPER",
            f"{start} bytes of non-EDIFACT text (telex or e-mail wrapper) before the interchange "
            "were skipped",
            offset=0,
        )

    chars = DEFAULT_CHARS
    body_start = start
    if text.startswith("UNA", start):
        una = _read_una(text, start)
        if una is None:
            log.fault(
                "E_BAD_UNA",
                "UNA service characters invalid; default separators used",
                segment_index=0,
                tag="UNA",
                offset=start,
            )
            nxt = text.find("UNB", start + 3)
            body_start = nxt if nxt >= 0 else start + 9
        else:
            chars = una
            body_start = start + 9
            while body_start < len(text) and text[body_start] in " \t\r\n":
                body_start += 1
    elif not text.startswith("UNB", start):
        log.fault(
            "E_ENVELOPE", "no UNB interchange header", segment_index=0, tag="UNH", offset=start
        )

    body = text[body_start:]
    if _PLACEHOLDER_BYTES.search(body):
        found_ph = _PLACEHOLDER_BYTES.search(body)
        log.fault(
            "E_CHARSET",
            "control characters (DC1-DC4, NAK) in the input were removed",
            offset=body_start + (found_ph.start() if found_ph else 0),
        )
        body = _PLACEHOLDER_BYTES.sub("", body)
    body, released = _apply_release(body, chars, log, body_start)
    term = chars.terminator
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    count = body.count(term)
    if count > options.max_segments:
        raise log.error("E_TOO_LARGE", f"more than max_segments={options.max_segments} segments")
    last = body.rfind(term)
    tail = body[last + 1 :]
    series = pl.Series([body[: last + 1]], dtype=pl.String).str.split(term).explode()
    series = series.slice(0, len(series) - 1).str.strip_chars_start(" \t\n")
    ic = Interchange(
        chars=chars,
        series=series,
        issues=log,
        released=released,
        base_offset=body_start,
        text=text,
    )
    _trim_after_unz(ic, tail)
    _unfold(ic)
    _check_tags(ic)
    _check_characters(ic, options, data)
    _walk_envelopes(ic, options)
    return ic


def _trim_after_unz(ic: Interchange, tail: str) -> None:
    """Cut trailing text after UNZ; accept an unterminated final segment leniently."""
    log = ic.issues
    term = ic.chars.terminator
    unz_at = ic.series.str.starts_with("UNZ").arg_true()
    if len(unz_at):
        unz = int(unz_at[-1])
        extra = ic.series.slice(unz + 1).to_list()
        junk = term.join(extra) + (term if extra else "") + tail
        ic.series = ic.series.slice(0, unz + 1)
        if junk.strip(" \t\r\n\x03\x0c\x1a"):
            log.fault(
                "E_TRAILING",
                f"{len(junk)} bytes of text after UNZ were skipped",
                segment_index=unz + 1,
                offset=ic.offset(unz),
            )
        return
    rest = tail.strip()
    if not rest:
        return
    if _TAG.match(rest[:3]) and (len(rest) == 3 or rest[3] == ic.chars.element):
        first_line, _, after = rest.partition("\n")
        log.fault(
            "E_TRUNCATED",
            "the final segment has no terminator",
            segment_index=len(ic),
            tag=rest[:3],
        )
        ic.replace_segments([*ic.segments, first_line.strip()])
        if after.strip():
            log.fault(
                "E_TRAILING", "text after the final segment was skipped", segment_index=len(ic)
            )
    else:
        log.fault(
            "E_TRAILING",
            f"{len(tail)} bytes after the last terminator were skipped",
            segment_index=len(ic),
        )


def _unfold(ic: Interchange) -> None:
    """Remove line breaks inside segments (hard-wrapped telex files)."""
    folded = ic.series.str.contains("\n", literal=True).arg_true().to_list()
    if not folded:
        return
    ic.issues.fault(
        "E_FOLDED",
        f"line breaks inside {len(folded)} segment(s) (hard-wrapped lines) were removed",
        segment_index=folded[0],
        tag=ic.segment(folded[0]).replace("\n", "")[:3],
        offset=ic.offset(folded[0]),
    )
    ic.series = ic.series.str.replace_all("\n", "", literal=True)


def _check_tags(ic: Interchange) -> None:
    """Every segment must start with a 3-character upper-case tag followed by a separator."""
    heads = ic.series.str.slice(0, 4)
    elem = ic.chars.element
    bad_heads = [
        head
        for head in heads.unique().to_list()
        if not (_TAG.fullmatch(head[:3]) and (len(head) == 3 or head[3] == elem))
    ]
    bad = heads.is_in(bad_heads).arg_true().to_list() if bad_heads else []
    if not bad:
        return
    segs = ic.segments
    log = ic.issues
    for i in bad:
        seg = segs[i]
        head, sep, rest = seg.partition(ic.chars.element)
        fixed = head.replace(" ", "").upper()
        if _TAG.fullmatch(fixed):
            log.fault(
                "E_BAD_TAG",
                "segment tag repaired (space inside or lower case)",
                segment_index=i,
                tag=fixed,
                offset=ic.offset(i),
            )
            segs[i] = fixed + sep + rest
        elif seg.strip():
            log.fault(
                "E_BAD_TAG",
                "invalid segment tag; segment ignored",
                segment_index=i,
                tag=head[:3],
                offset=ic.offset(i),
            )
            ic.ignored.append(i)
    ic.replace_segments(segs)


def _fault_at_first(ic: Interchange, matches: pl.Series, code: str, message: str) -> bool:
    """Record ``code`` at the first segment where ``matches`` holds; False when none does."""
    if not matches.any():
        return False
    first = int(matches.arg_true()[0])
    ic.issues.fault(code, message, segment_index=first, tag=ic.tag(first), offset=ic.offset(first))
    return True


def _split_typographic_terminators(ic: Interchange) -> None:
    """Split segments merged by a typographic quote (U+2018/U+2019) used as the terminator.

    Guide examples copied out of PDFs carry ``’`` where ``'`` belongs; a naive tokenizer then
    merges the next segment into a value (formats.md §7.14). A quote directly followed by a
    tag and an element separator is taken as a terminator. Segments after the split point are
    numbered as split, so their indexes differ from a count of the input's terminators.
    """
    elem = re.escape(ic.chars.element)
    tail = f"[A-Z][A-Z0-9]{{2}}(?:{elem}|$)"
    if not _fault_at_first(
        ic,
        ic.series.str.contains(f"[\u2018\u2019]\\s*{tail}"),
        "E_BAD_TAG",
        "a typographic quote used as segment terminator merged segments; split there",
    ):
        return
    splitter = re.compile(f"[\u2018\u2019]\\s*(?={tail})")
    ic.replace_segments([part for seg in ic.segments for part in splitter.split(seg)])


def _check_characters(ic: Interchange, options: ParseOptions, data: bytes) -> None:
    """Decode non-ASCII segments, reject or drop control characters, flag lower case in UNOA."""
    if not len(ic):
        return
    if ic.tag(0) == "UNB":
        header = ic.elements(0)
        if len(header) > 1:
            ic.syntax_id = header[1][0] or None
            ic.syntax_version = header[1][1] if len(header[1]) > 1 else None
    if not data.isascii():
        _decode_segments(ic, options)
        _split_typographic_terminators(ic)
    if data.translate(None, _NOT_CONTROL) and _fault_at_first(
        ic,
        ic.series.str.contains(_CONTROL.pattern),
        "E_CHARSET",
        "control characters inside segments were removed",
    ):
        ic.series = ic.series.str.replace_all(_CONTROL.pattern, "")
    if ic.syntax_id == "UNOA" and data.translate(None, _NOT_LOWER):
        _fault_at_first(
            ic,
            ic.series.str.contains("[a-z]"),
            "E_CHARSET",
            "lower-case letters in a UNOA (upper-case only) interchange",
        )


def component(elements: list[list[str]], e: int, c: int = 0) -> str | None:
    """Component ``c`` of element ``e`` of a split segment, stripped; None if absent or empty."""
    if e < len(elements) and c < len(elements[e]):
        value = elements[e][c].strip()
        return value or None
    return None


def count_value(text: str | None) -> int | None:
    """The number a numeric element holds (ASCII digits only: ``²`` is a digit to
    :meth:`str.isdigit`, not to :func:`int`); None if absent or not a number."""
    if text is None or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _walk_envelopes(ic: Interchange, options: ParseOptions) -> None:
    """Check UNB/UNG/UNH/UNT/UNE/UNZ nesting, references and counts; record the messages."""
    log = ic.issues
    n = len(ic)
    fatal = options.strict and options.counts_fatal
    heads = ic.series.str.slice(0, 3)
    positions = heads.is_in(["UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"]).arg_true().to_list()
    unb: list[list[str]] | None = None
    group: tuple[int, str | None] | None = None  # (UNG index, ref)
    group_messages = 0
    groups = 0
    open_msg: tuple[int, list[list[str]]] | None = None
    messages_total = 0

    def close_message(end: int) -> None:
        nonlocal open_msg, messages_total, group_messages
        assert open_msg is not None
        start, unh = open_msg
        ic.messages.append(_message(len(ic.messages), start, end, unh))
        messages_total += 1
        group_messages += 1
        open_msg = None

    if n and ic.tag(0) not in ("UNB", "UNH"):
        log.fault(
            "E_ENVELOPE",
            "the interchange does not start with UNB",
            segment_index=0,
            tag=ic.tag(0),
        )
    for i in positions:
        tag = ic.tag(i)
        els = ic.elements(i)
        if tag == "UNB":
            if unb is not None:
                log.fault(
                    "E_ENVELOPE", "a second UNB inside the interchange", segment_index=i, tag=tag
                )
                continue
            unb = els
            ic.sender = component(els, 2)
            ic.recipient = component(els, 3)
            ic.control_ref = component(els, 5)
        elif tag == "UNG":
            if open_msg is not None:
                log.fault("E_ENVELOPE", "UNG inside a message", segment_index=i, tag=tag)
                close_message(i)
            group = (i, component(els, 5))
            group_messages = 0
            groups += 1
        elif tag == "UNE":
            if open_msg is not None:
                log.fault(
                    "E_ENVELOPE", "UNE inside a message (UNT missing)", segment_index=i, tag=tag
                )
                close_message(i)
            if group is None:
                log.fault("E_ENVELOPE", "UNE without UNG", segment_index=i, tag=tag)
                continue
            _check_ref(log, i, tag, component(els, 2), group[1], "UNG")
            _check_count(log, fatal, i, tag, component(els, 1), group_messages, "messages")
            group = None
        elif tag == "UNH":
            if open_msg is not None:
                log.fault(
                    "E_ENVELOPE", "UNH inside a message (UNT missing)", segment_index=i, tag=tag
                )
                close_message(i)
            open_msg = (i, els)
        elif tag == "UNT":
            if open_msg is None:
                log.fault("E_ENVELOPE", "UNT without UNH", segment_index=i, tag=tag)
                continue
            _check_ref(log, i, tag, component(els, 2), component(open_msg[1], 1), "UNH")
            _check_count(log, fatal, i, tag, component(els, 1), i - open_msg[0] + 1, "segments")
            close_message(i + 1)
        elif tag == "UNZ":
            if open_msg is not None:
                log.fault(
                    "E_ENVELOPE", "UNZ inside a message (UNT missing)", segment_index=i, tag=tag
                )
                close_message(i)
            if group is not None:
                log.fault(
                    "E_ENVELOPE", "UNZ inside a group (UNE missing)", segment_index=i, tag=tag
                )
                group = None
            if unb is not None:
                _check_ref(log, i, tag, component(els, 2), ic.control_ref, "UNB")
            expected = groups if groups else messages_total
            _check_count(
                log, fatal, i, tag, component(els, 1), expected, "groups" if groups else "messages"
            )
    if open_msg is not None:
        log.fault("E_TRUNCATED", "the input ends inside a message (no UNT)", segment_index=n)
        close_message(n)
    if n and ic.tag(n - 1) != "UNZ":
        log.fault("E_TRUNCATED", "the interchange has no UNZ trailer", segment_index=n)


def _check_ref(
    log: IssueLog, i: int, tag: str, got: str | None, want: str | None, header: str
) -> None:
    if got != want:
        what = (
            "has no reference" if got is None else f"reference differs from the {header} reference"
        )
        log.fault("E_ENVELOPE", f"{tag} {what}", segment_index=i, tag=tag)


def _check_count(
    log: IssueLog, fatal: bool, i: int, tag: str, declared: str | None, actual: int, what: str
) -> None:
    if declared is None or count_value(declared) == actual:
        return
    message = f"{tag} declares a count of {what} that differs from the {actual} found"
    if fatal:
        log.fault("E_COUNT", message, segment_index=i, tag=tag)
    else:
        log.add("warning", "W_COUNT", message, segment_index=i, tag=tag)


def _message(index: int, start: int, end: int, unh: list[list[str]]) -> Message:
    s009 = unh[2] if len(unh) > 2 else []

    def part(k: int) -> str:
        return s009[k].strip() if k < len(s009) else ""

    return Message(
        index=index,
        start=start,
        end=end,
        ref=component(unh, 1) or "",
        type=part(0),
        version=part(1),
        release=part(2),
        agency=part(3),
        association=part(4),
        common_ref=component(unh, 3),
        part_number=component(unh, 4, 0),
        part_flag=component(unh, 4, 1),
    )
