"""Names to comparable tokens: Unicode, scripts, case, particles, titles, skeletons.

Every name, listed or travelling, goes through :func:`name_tokens` once (per list at index
build, per manifest batch at screening):

1. Unicode NFKC; characters of other scripts become Latin. Cyrillic and Greek follow ICAO 9303
   (as on passports: ``Щербаков`` -> ``SHCHERBAKOV``). Everything else goes through anyascii
   (offline, ISC licence): Han, Hangul and kana as syllables (``张伟`` -> ``ZHANG WEI``), and
   Arabic, Persian and Hebrew as the consonant skeleton their script writes, letter by
   letter (``محمد`` -> ``MHMD``). Those names are flagged ``abjad`` so that comparators use
   skeletons; :func:`other_reading` gives a listed name's reading in another language, and
   :func:`cyrillic_readings` a Cyrillic name as German, English and French usage write it
   (``Васильев`` -> ``WASSILJEW``, ``VASILYEV``, ``VASSILIEV``); a list indexes its names
   under those too (:func:`other_readings`).
2. Latin diacritics are folded the way airline systems print names (``ÖZTÜRK`` -> ``OZTURK``,
   ``ß`` -> ``SS``); case is folded to upper; apostrophes vanish (``O'BRIEN`` -> ``OBRIEN``);
   other punctuation separates tokens.
3. Titles are dropped (``MR``, ``MRS``, ``DR``..., also glued to the end of a PNR-style given name:
   ``JOHNMR``). Particles are glued to the name they introduce (``AL HASHIMI`` and
   ``AL-HASHIMI`` -> ``ALHASHIMI``; ``DE LA CRUZ`` -> ``DELA CRUZ``; ``BIN SALEH`` ->
   ``BINSALEH``), so the common ways of writing them give the same tokens.

:func:`skeleton` is the transliteration-tolerant form of a token: common digraphs merged,
vowels and semi-vowels dropped, repeats collapsed (``MOHAMMED``, ``MUHAMMAD``, ``MOHAMED`` and
the Arabic ``MHMD`` all give ``MHMD``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
from anyascii import anyascii

from paxscreen.formats._translit_tables import CYRILLIC as _ICAO_CYRILLIC
from paxscreen.formats.mrz import transliterate_icao

__all__ = [
    "NameBatch",
    "NameTokens",
    "ascii_fold",
    "cyrillic_readings",
    "name_batch",
    "name_tokens",
    "other_reading",
    "other_readings",
    "skeleton",
]


@dataclass(frozen=True, slots=True)
class NameTokens:
    """A normalised name.

    Attributes:
        tokens: Upper-case ASCII tokens, particles glued, titles dropped.
        abjad: The name came from a script that does not write short vowels (Arabic, Persian,
            Hebrew); its tokens are consonant skeletons and should be compared as such.
        partial: Only part of the name is known (given names without the family name, or the
            other way round): the tokens of another name that it lacks are not evidence that
            the names differ (see :func:`~paxscreen.compare.names.name_similarity`).
    """

    tokens: tuple[str, ...]
    abjad: bool = False
    partial: bool = False


_FOLD_EXTRA: Final = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Ø": "O",
        "Æ": "AE",
        "Œ": "OE",
        "Đ": "D",
        "Ł": "L",
        "İ": "I",
        "Þ": "TH",
        "Ð": "D",
        "Ə": "A",
        "Ħ": "H",
    }
)


def ascii_fold(text: str) -> str:
    """Upper-case ASCII as airline systems print a Latin name (ÖZTÜRK -> OZTURK, ß -> SS).

    Characters with no ASCII base letter are dropped.
    """
    if text.isascii():
        return text.upper()
    decomposed = unicodedata.normalize("NFKD", text.upper().translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if c.isascii())


_TITLES: Final = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "SIR", "MX", "INF", "CHD", "MME"}
)
_GLUED_TITLES: Final = ("MSTR", "MISS", "MRS", "MR")
#: Particles glued to the name they introduce. Short words that are also East Asian names
#: (LE, DO, AN, VAN as the Vietnamese middle name, DA, DI...) are left alone: the comparator
#: joins adjacent tokens anyway.
_PARTICLES: Final = frozenset(
    {
        "AL", "EL", "UL", "ABU", "ABOU", "BIN", "IBN", "BINT", "VON", "DER", "DEN", "TER", "DE",
        "DEL", "DELLA", "DOS", "DAS", "DES", "MAC", "MC",
    }
)  # fmt: skip
_SPLIT: Final = re.compile(r"[^A-Z0-9]+")
#: Kana, CJK ideographs, Hangul syllables: one syllable per character.
_SYLLABIC: Final = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: Hebrew and Arabic script blocks (Arabic, Persian, Urdu...): short vowels are not written.
_ABJAD: Final = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufeff]")
_ABJAD_WORD: Final = re.compile(f"(?:{_ABJAD.pattern}|['\u05f3])+")  # (with a geresh: ג' J)
_SILENT_FINAL: Final = "ةهה"
_ICAO_SCRIPTS: Final = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")


def _to_latin(text: str) -> tuple[str, bool]:
    """Latin text for any script, and whether it came from an abjad."""
    if _ICAO_SCRIPTS.search(text):
        text = transliterate_icao(text)
    if text.isascii():
        return text, False
    abjad = bool(_ABJAD.search(text))
    # one syllable per Han, Hangul or kana character: keep them apart
    text = _SYLLABIC.sub(lambda m: f" {anyascii(m.group())} ", text)
    if abjad:
        text = _ABJAD_WORD.sub(_abjad_word, text)
    latin = "".join(c if _is_latin(c) or c.isspace() else anyascii(c) for c in text)
    return latin, abjad


def _abjad_word(match: re.Match[str]) -> str:
    """A word of an abjad in Latin letters: each letter as :func:`_abjad_letter` reads it
    (Hebrew's :data:`_HEBREW_SOUNDS` first), a final ة, ه or ה after a consonant dropped (it
    is silent, as a skeleton takes a final H to be, and would otherwise make a digraph with
    the letter before it: פיה PIA is P, not PH read F); where no letter is a consonant (יו
    YO), the word's Latin spelling."""
    word = match.group()
    for letters, sound in _HEBREW_SOUNDS:
        word = letters.sub(sound, word)
    pieces = [c if c.isascii() else _abjad_letter(c) for c in word]
    if word[-1] in _SILENT_FINAL and "".join(pieces[:-1]).strip("'"):
        pieces.pop()
    return "".join(pieces) or anyascii(match.group())


#: Hebrew letters that a letter alone does not read: with a geresh, ג and ז are J and ZH and
#: צ is CH (ג'וני JONI, צ'ין CHIN); at the start of a word ב and פ are B and P (elsewhere V
#: and F: אברהם AVRAHAM, יוסף YOSEF); ו is V at the start of a word and doubled (ואלרי
#: VALERY, אורוורסון ORVARSSON), elsewhere a vowel (:data:`_ABJAD_LETTERS`).
_HEBREW_SOUNDS: Final = (
    (re.compile("[גז]['\u05f3]"), "J"),
    (re.compile("[צץ]['\u05f3]"), "CH"),
    (re.compile("^ב"), "B"),
    (re.compile("^פ"), "P"),
    (re.compile("^ו|וו"), "V"),
)
#: Letters of an abjad read otherwise than their Latin spelling: Hebrew ו, which anyascii
#: spells V, is in most names a vowel (O, U) or W, as Arabic و is read (אוריאול AURIOL).
_ABJAD_LETTERS: Final = {"ו": ""}


@lru_cache(maxsize=1 << 10)
def _abjad_letter(char: str) -> str:
    """The consonant a letter of an abjad stands for in a skeleton, read on its own (empty for
    a long vowel, a semi-vowel, a hamza or a vowel mark): ``ز`` Z is S, ``ه`` H is H, ``ش`` SH
    is S. Letters are read one by one because their Latin spellings, run together as the
    script writes them without vowels, would make digraphs that are not there: ``زهرا`` ZAHRA
    is not ZHR (read J R) but S H R, as ZAHRA is."""
    if char in _ABJAD_LETTERS:
        return _ABJAD_LETTERS[char]
    return skeleton(re.sub("[^A-Z]", "", anyascii(char).upper()))


#: The letters of a name in an abjad that another language reads otherwise, each mapped to
#: the letter that writes that sound. Persian reads ض ذ ظ as Z, as Urdu does (REZA رضا,
#: MORTEZA مرتضی, ZAKI ذکی, ZIA ضیا; Arabic reads them D, DH), ث as S (SORAYA ثریا; Arabic
#: TH), ق as GH (GHASEMI قاسمی; Arabic and Urdu Q), and و, W or a long O or U in Arabic, also
#: as V (VAHID وحید, JAVAD جواد). Hebrew's ו, a vowel in most names, is V in others (DAVID
#: דוד, LEVI לוי).
_OTHER_SOUNDS: Final = {"ض": "ز", "ذ": "ز", "ظ": "ز", "ث": "س", "ق": "غ", "و": "ف", "ו": "ב"}
_OTHER_LETTERS: Final = str.maketrans(_OTHER_SOUNDS)
#: A regular expression for a name :func:`other_reading` reads otherwise.
OTHER_LETTERS: Final = f"[{''.join(_OTHER_SOUNDS)}]"


def other_reading(text: str) -> str | None:
    """A name in an abjad as another language reads its letters (:data:`_OTHER_SOUNDS`:
    Arabic script as Persian reads it, Hebrew with ו as V), each written as the
    letter of its sound there; None where the name has none of them. A skeleton holds one
    reading (رضا is RD read as Arabic, RZ as Persian), and the script does not say which
    language a name is in: a list indexes such a name under both."""
    read = text.translate(_OTHER_LETTERS)
    return None if read == text else read


@dataclass(frozen=True, slots=True)
class _Romanisation:
    """How one language writes Cyrillic letters in Latin ones (:func:`cyrillic_readings`).

    Attributes:
        letters: Each letter as written after a consonant (a letter not listed is written as
            ICAO 9303 writes it).
        iotated: Е Ё Ю Я as written at the start of a word, after a vowel or after a soft or
            hard sign (where they begin with a Y sound).
        soft: Ь or Ъ before И or О (ИЛЬИЧ ILJITSCH); before Е Ё Ю Я the vowel's ``iotated``
            form carries the sound, and elsewhere the sign is not written.
        between_vowels: С between two vowels (written SS where S alone would read Z).
        before_front: Г before Е, И or Ы (written GU where G alone would read J).
        after_i: Й after И (an ending such as -ИЙ: French IOURI).
    """

    letters: Mapping[str, str]
    iotated: Mapping[str, str]
    soft: str = ""
    between_vowels: str = "S"
    before_front: str = "G"
    after_i: str | None = None


#: German (Duden), English (BGN/PCGN) and French usage: the spellings passports and lists of
#: other countries carry for one Cyrillic name (СЕРГЕЙ ВАСИЛЬЕВ: SERGEJ WASSILJEW, SERGEY
#: VASILYEV, SERGUEI VASSILIEV; ICAO 9303 writes SERGEI VASILEV).
_ROMANISATIONS: Final = (
    _Romanisation(
        letters={
            "В": "W", "Ж": "SCH", "З": "S", "Й": "J", "Х": "CH", "Ц": "Z", "Ч": "TSCH",
            "Ш": "SCH", "Щ": "SCHTSCH", "Ю": "JU", "Я": "JA", "Ё": "JO", "Ъ": "", "Є": "JE",
            "Ї": "JI",
        },
        iotated={"Е": "JE", "Ё": "JO", "Ю": "JU", "Я": "JA"},
        soft="J",
        between_vowels="SS",
    ),
    _Romanisation(
        letters={
            "Й": "Y", "Ю": "YU", "Я": "YA", "Ё": "YO", "Ъ": "", "Є": "YE", "Ї": "YI",
        },
        iotated={"Е": "YE", "Ё": "YO", "Ю": "YU", "Я": "YA"},
        soft="Y",
    ),
    _Romanisation(
        letters={
            "Ж": "J", "Й": "I", "Ш": "CH", "Щ": "CHTCH", "Ч": "TCH", "У": "OU", "Ю": "IOU",
            "Я": "IA", "Ё": "IO", "Ъ": "",
        },
        iotated={"Е": "IE", "Ё": "IO", "Ю": "IOU", "Я": "IA"},
        between_vowels="SS",
        before_front="GU",
        after_i="",
    ),
)  # fmt: skip
_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")
_CYRILLIC_VOWELS: Final = frozenset("АЕЁИОУЫЭЮЯІЇЄ")
_SIGNS: Final = frozenset("ЬЪ")
_SIBILANTS: Final = frozenset("ЖЧШЩ")


def _romanised(text: str, way: _Romanisation) -> str:
    """``text`` (upper case) with its Cyrillic letters written ``way``."""
    out: list[str] = []
    for k, char in enumerate(text):
        before = text[k - 1] if k else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        starts = not before.isalpha() or before in _CYRILLIC_VOWELS or before in _SIGNS
        if char == "Ё" and before in _SIBILANTS:
            out.append("O")  # (ХРУЩЁВ: CHRUSCHTSCHOW, KHRUSHCHOV)
        elif char in way.iotated and starts:
            out.append(way.iotated[char])
        elif char in _SIGNS:
            out.append(way.soft if after in "ИО" else "")
        elif char == "С" and before in _CYRILLIC_VOWELS and after in _CYRILLIC_VOWELS:
            out.append(way.between_vowels)
        elif char == "Г" and after in "ЕИЫ":
            out.append(way.before_front)
        elif char == "Й" and before == "И" and way.after_i is not None:
            out.append(way.after_i)
        elif char in way.letters:
            out.append(way.letters[char])
        else:
            out.append(_ICAO_CYRILLIC.get(char, char))
    return "".join(out)


def cyrillic_readings(text: str) -> tuple[str, ...]:
    """A name in Cyrillic as German, English and French usage write it in Latin letters,
    each reading that gives other tokens than ICAO 9303's (:func:`name_tokens`) once; empty
    where the name has no Cyrillic letter. A passport, a visa or a list of another country
    may carry any of them for one person (ЕВГЕНИЙ: ICAO EVGENII, JEWGENIJ, YEVGENIY,
    IEVGUENI), and string similarity does not bridge them (SERGEI VASILEV against SERGEJ
    WASSILJEW is 0.69): a list indexes such a name under each."""
    if not _CYRILLIC.search(text):
        return ()
    upper = unicodedata.normalize("NFC", text).upper()
    seen = {name_tokens(text).tokens}
    out: list[str] = []
    for way in _ROMANISATIONS:
        read = _romanised(upper, way)
        tokens = name_tokens(read).tokens
        if tokens not in seen:
            seen.add(tokens)
            out.append(read)
    return tuple(out)


#: A regular expression for a name :func:`other_readings` reads otherwise.
READ_OTHERWISE: Final = f"{OTHER_LETTERS}|{_CYRILLIC.pattern}"


def other_readings(text: str) -> tuple[str, ...]:
    """The other texts a listed name is indexed under: a name in an abjad as another language
    reads its letters (:func:`other_reading`), a name in Cyrillic as other languages write it
    (:func:`cyrillic_readings`)."""
    read = other_reading(text)
    return ((read,) if read is not None else ()) + cyrillic_readings(text)


def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def _drop_glued_title(token: str) -> str:
    for title in _GLUED_TITLES:
        if token.endswith(title) and len(token) - len(title) >= 3:
            return token[: -len(title)]
    return token


@lru_cache(maxsize=1 << 16)
def name_tokens(text: str | None) -> NameTokens:
    """The normalised tokens of a name (any script, any case, any punctuation).

    Args:
        text: The name as written, or None.

    Returns:
        The tokens (empty for None or a name with no letters) and the abjad flag.
    """
    if not text:
        return NameTokens(())
    latin, abjad = _to_latin(unicodedata.normalize("NFKC", text))
    if abjad:  # (one space between words)
        latin = re.sub(r"\s+", " ", latin)
    folded = ascii_fold(latin).replace("'", "").replace("`", "").replace("’", "")
    # (titles are Latin words: an abjad name's skeletons may spell one, MS for موسوی)
    raw = [t for t in _SPLIT.split(folded) if t and (abjad or t not in _TITLES)]
    if raw and not abjad:
        raw[-1] = _drop_glued_title(raw[-1])
    tokens: list[str] = []
    pending = ""
    for token in raw:
        if token in _PARTICLES and not abjad:
            pending += token
            continue
        tokens.append(pending + token)
        pending = ""
    if pending:
        tokens.append(pending)
    if abjad:
        tokens = [skeleton(t) or t for t in tokens]
    return NameTokens(tuple(tokens), abjad)


_DIGRAPHS: Final = (
    ("SCH", "S"),
    ("TCH", "c"),
    ("PH", "F"),
    ("KH", "K"),
    ("GH", "G"),
    ("SH", "S"),
    ("CH", "c"),
    ("TH", "T"),
    ("DH", "D"),
    ("ZH", "J"),
    ("DJ", "J"),
    ("CK", "K"),
    ("Q", "K"),
    ("X", "KS"),
    ("Z", "S"),
    ("V", "F"),
)
_VOWELS: Final = re.compile(r"[AEIOUYW]")
_SOFT_C: Final = re.compile(r"C(?=[EIY])")
_REPEATS: Final = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 20)  # comparators also ask for the joined tokens of compounds
def skeleton(token: str) -> str:
    """A token's consonant skeleton: tolerant of transliteration, vowel and doubling variants.

    ``MOHAMMED``, ``MUHAMMAD``, ``MOHAMED`` -> ``MHMD``; ``HUSSEIN``, ``HOSSEIN``, ``HUSAIN``
    -> ``HSN``; ``CHAUDHRY``, ``CHOUDHURY`` -> ``CDR``; ``FATIMA`` and the Arabic ``FTMH`` ->
    ``FTM`` (a final H after a consonant is the silent ta marbuta).
    """
    out = token.upper()
    for digraph, single in _DIGRAPHS:
        out = out.replace(digraph, single)
    out = _SOFT_C.sub("S", out).replace("C", "K").replace("c", "C")  # CE/CI sound S, else K
    out = _REPEATS.sub(r"\1", _VOWELS.sub("", out))
    if len(out) > 1 and out.endswith("H"):
        out = out[:-1]
    return out


@dataclass(frozen=True, slots=True, eq=False)
class NameBatch:
    """Many normalised names in flat arrays: the tokens of name ``i`` are
    ``vocab[tokens[offsets[i]:offsets[i + 1]]]``.

    Attributes:
        vocab: The distinct tokens of the batch.
        offsets: int64, one more than there are names.
        tokens: int32 indexes into ``vocab``, name after name, in the name's order.
        abjad: bool, one per name (see :class:`NameTokens`).
        partial: bool, one per name (see :class:`NameTokens`).
    """

    vocab: tuple[str, ...]
    offsets: npt.NDArray[np.int64]
    tokens: npt.NDArray[np.int32]
    abjad: npt.NDArray[np.bool_]
    partial: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.abjad)

    def lengths(self) -> npt.NDArray[np.int64]:
        """The number of tokens of each name (0 for an unknown name)."""
        return np.diff(self.offsets)

    def slice(self, start: int, stop: int) -> NameBatch:
        """Names ``start:stop`` as a batch of their own (with the tokens they use only)."""
        tokens = self.tokens[self.offsets[start] : self.offsets[stop]]
        used, inverse = np.unique(tokens, return_inverse=True)
        return NameBatch(
            vocab=tuple([self.vocab[t] for t in used.tolist()]),
            offsets=self.offsets[start : stop + 1] - self.offsets[start],
            tokens=inverse.astype(np.int32).ravel(),
            abjad=self.abjad[start:stop],
            partial=self.partial[start:stop],
        )

    def name(self, i: int) -> NameTokens:
        """Name ``i`` as :class:`NameTokens`."""
        start, end = self.offsets[i : i + 2].tolist()
        vocab = self.vocab
        return NameTokens(
            tuple([vocab[t] for t in self.tokens[start:end].tolist()]),
            bool(self.abjad[i]),
            bool(self.partial[i]),
        )


def name_batch(
    names: Iterable[str | NameTokens | None], partial: Iterable[bool] | None = None
) -> NameBatch:
    """Normalise many names (:func:`name_tokens`) into one :class:`NameBatch`.

    Args:
        names: Names as written (None for unknown), or already normalised.
        partial: Whether each name is known only in part (:class:`NameTokens`); by default,
            as each :class:`NameTokens` says (a name as written is whole).
    """
    ids: dict[str, int] = {}
    offsets = [0]
    tokens: list[int] = []
    abjad: list[bool] = []
    part: list[bool] = []
    for name in names:
        normal = name if isinstance(name, NameTokens) else name_tokens(name)
        tokens.extend(ids.setdefault(t, len(ids)) for t in normal.tokens)
        offsets.append(len(tokens))
        abjad.append(normal.abjad)
        part.append(normal.partial)
    return NameBatch(
        vocab=tuple(ids),
        offsets=np.array(offsets, dtype=np.int64),
        tokens=np.array(tokens, dtype=np.int32),
        abjad=np.array(abjad, dtype=np.bool_),
        partial=np.array(part if partial is None else list(partial), dtype=np.bool_),
    )
