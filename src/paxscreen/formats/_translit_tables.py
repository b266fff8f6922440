"""Transliteration tables for machine readable zone names.

Written for paxscreen after ICAO Doc 9303 *Machine Readable Travel Documents*, Part 3
(8th edition, 2021), Section 6 "Transliterations": Table A (multinational Latin-based
characters), Table B (Cyrillic) and Table C (Arabic). The entries were typed by hand for this
project (not copied from any software project) and cross-checked against public
reproductions of the tables and the ICAO working papers on Arabic transliteration. Deviations
and additions made by paxscreen are marked "project choice" next to the entry; entries whose
sources disagree are marked "sources differ".

The tables map single upper-case characters (Latin, Cyrillic) or letters (Arabic, which has
no case) to upper-case A-Z strings. The functions in :mod:`paxscreen.formats.mrz` derive the
lower-case keys, apply Unicode decomposition for letters that are not listed (``É`` -> ``E``)
and treat Greek separately (Doc 9303 has no Greek table; see ``GREEK_LETTERS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ARABIC",
    "ARABIC_TEH_MARBUTA_FINAL",
    "CYRILLIC",
    "CYRILLIC_UKRAINIAN",
    "GREEK_LETTERS",
    "GREEK_VOICELESS",
    "LATIN_ALTERNATIVE",
    "LATIN_BASE_LETTER",
    "LATIN_RECOMMENDED",
]

#: Table A, the entries that Unicode decomposition does not already give: letters with an
#: expansion (``Ä`` -> ``AE``) and letters that do not decompose into a base letter plus
#: marks (``Ł``, ``Đ``, ``Ħ`` ...). Every other Latin letter with diacritics maps to its
#: base letter through canonical decomposition (``Ç`` -> ``C``, ``Ș`` -> ``S``).
LATIN_RECOMMENDED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Ä": "AE",
        "Å": "AA",
        "Æ": "AE",
        "Ö": "OE",
        "Ø": "OE",  # sources differ: some copies of Table A give O (kept as a variant)
        "Ü": "UE",
        "Œ": "OE",
        "ß": "SS",
        "ẞ": "SS",
        "Þ": "TH",
        "Ĳ": "IJ",
        "Ð": "D",  # eth
        "Đ": "D",  # D with stroke (looks like eth, different code point)
        "Ħ": "H",
        "ı": "I",  # dotless i
        "Ł": "L",
        "Ŀ": "L",
        "Ŋ": "N",
        "Ŧ": "T",
        "ĸ": "K",  # kra; project choice
        "Ə": "A",  # schwa (Azerbaijani); project choice following Azerbaijani passports
    }
)

#: Table A's optional forms that keep the original recoverable: ``Ñ`` -> ``NXX`` and
#: ``Ü`` -> ``UXX``. Applied on top of :data:`LATIN_RECOMMENDED`.
LATIN_ALTERNATIVE: Final[Mapping[str, str]] = MappingProxyType({"Ñ": "NXX", "Ü": "UXX"})

#: Plain base letters for the letters that Table A expands; used only to generate matching
#: variants (``MÜLLER`` is printed ``MULLER`` by some issuers). Project choice.
LATIN_BASE_LETTER: Final[Mapping[str, str]] = MappingProxyType(
    {"Ä": "A", "Å": "A", "Ö": "O", "Ø": "O", "Ü": "U"}
)

#: Table B (Cyrillic), including the Belarusian, Macedonian, Serbian and Ukrainian letters.
#: ``Ь`` is omitted (maps to the empty string); ``Ъ`` is ``IE``.
CYRILLIC: Final[Mapping[str, str]] = MappingProxyType(
    {
        "А": "A",
        "Б": "B",
        "В": "V",
        "Г": "G",
        "Ґ": "G",
        "Д": "D",
        "Ђ": "D",
        "Ѓ": "G",
        "Е": "E",
        "Ё": "E",
        "Є": "IE",
        "Ж": "ZH",
        "З": "Z",
        "Ѕ": "DZ",
        "И": "I",
        "І": "I",
        "Ї": "I",
        "Й": "I",
        "Ј": "J",
        "К": "K",
        "Л": "L",
        "Љ": "LJ",
        "М": "M",
        "Н": "N",
        "Њ": "NJ",
        "О": "O",
        "П": "P",
        "Р": "R",
        "С": "S",
        "Т": "T",
        "Ћ": "C",
        "Ќ": "K",
        "У": "U",
        "Ў": "U",
        "Ф": "F",
        "Х": "KH",
        "Ц": "TS",
        "Ч": "CH",
        "Џ": "DZ",
        "Ш": "SH",
        "Щ": "SHCH",
        "Ъ": "IE",
        "Ы": "Y",
        "Ь": "",
        "Э": "E",
        "Ю": "IU",
        "Я": "IA",
        # Letters of other Cyrillic alphabets that Table B does not list: project choice,
        # the nearest A-Z letter, so that names are not silently emptied.
        "Ә": "A",
        "Ғ": "G",
        "Қ": "K",
        "Ң": "N",
        "Ө": "O",
        "Ұ": "U",
        "Ү": "U",
        "Һ": "H",
    }
)

#: Ukrainian national practice noted in Part 3 (``Г`` -> ``H``, ``И`` -> ``Y``); used only to
#: generate matching variants.
CYRILLIC_UKRAINIAN: Final[Mapping[str, str]] = MappingProxyType({"Г": "H", "И": "Y"})

#: Table C (Arabic). Letters without a close Latin equivalent get an ``X``-prefixed digraph so
#: that the original can be recovered. Includes the Persian, Pashto and Urdu letters of the
#: table. Vowel signs (harakat), shadda, sukun and tatweel are not letters and are dropped.
ARABIC: Final[Mapping[str, str]] = MappingProxyType(
    {
        "\u0621": "XE",  # hamza
        "\u0622": "XAA",  # alef with madda above
        "\u0623": "XAE",  # alef with hamza above
        "\u0624": "U",  # waw with hamza above (sources differ: a 2011 working paper gives XW)
        "\u0625": "I",  # alef with hamza below
        "\u0626": "XI",  # yeh with hamza above
        "\u0627": "A",  # alef
        "\u0628": "B",  # beh
        "\u0629": "XTA",  # teh marbuta (XAH at the end of a name component)
        "\u062a": "T",  # teh
        "\u062b": "XTH",  # theh
        "\u062c": "J",  # jeem
        "\u062d": "XH",  # hah
        "\u062e": "XKH",  # khah
        "\u062f": "D",  # dal
        "\u0630": "XDH",  # thal
        "\u0631": "R",  # reh
        "\u0632": "Z",  # zain
        "\u0633": "S",  # seen
        "\u0634": "XSH",  # sheen
        "\u0635": "XSS",  # sad
        "\u0636": "XDZ",  # dad
        "\u0637": "XTT",  # tah
        "\u0638": "XZZ",  # zah
        "\u0639": "E",  # ain
        "\u063a": "G",  # ghain
        "\u0640": "",  # tatweel (elongation, not a letter)
        "\u0641": "F",  # feh
        "\u0642": "Q",  # qaf
        "\u0643": "K",  # kaf
        "\u0644": "L",  # lam
        "\u0645": "M",  # meem
        "\u0646": "N",  # noon
        "\u0647": "H",  # heh
        "\u0648": "W",  # waw
        "\u0649": "XAY",  # alef maksura
        "\u064a": "Y",  # yeh
        "\u0671": "XXA",  # alef wasla
        "\u0679": "XXT",  # tteh
        "\u067c": "XRT",  # teh with ring
        "\u067e": "P",  # peh
        "\u0681": "XKE",  # hah with hamza above
        "\u0685": "XXH",  # hah with three dots above
        "\u0686": "XC",  # tcheh
        "\u0688": "XXD",  # ddal
        "\u0689": "XDR",  # dal with ring
        "\u0691": "XXR",  # rreh
        "\u0693": "XRR",  # reh with ring
        "\u0696": "XRX",  # reh with dot below and dot above
        "\u0698": "XJ",  # jeh
        "\u069a": "XXS",  # seen with dot below and dot above
        "\u06a9": "XKK",  # keheh
        "\u06ab": "XXK",  # kaf with ring
        "\u06ad": "XNG",  # ng
        "\u06af": "XGG",  # gaf
        "\u06ba": "XNN",  # noon ghunna
        "\u06bc": "XXN",  # noon with ring
        "\u06be": "XDO",  # heh doachashmee
        "\u06c0": "XYH",  # heh with yeh above
        "\u06c1": "XXG",  # heh goal
        "\u06c2": "XGE",  # heh goal with hamza above
        "\u06c3": "XTG",  # teh marbuta goal
        "\u06cc": "XYA",  # farsi yeh
        "\u06cd": "XXY",  # yeh with tail
        "\u06d0": "Y",  # e
        "\u06d2": "XYB",  # yeh barree
        "\u06d3": "XBE",  # yeh barree with hamza above
    }
)

#: Table C: teh marbuta at the end of a name component.
ARABIC_TEH_MARBUTA_FINAL: Final = "XAH"

#: Greek (not in Doc 9303): a basic mapping in the style of ELOT 743, the Greek standard used
#: for Greek passports. Digraph rules (``ΟΥ`` -> ``OU``, ``ΑΥ``/``ΕΥ``/``ΗΥ`` -> ``AV``/``EV``/
#: ``IV`` or ``AF``/``EF``/``IF``, ``ΓΓ`` -> ``NG``, ``ΓΞ`` -> ``NX``, ``ΓΧ`` -> ``NCH``) live in
#: the transliteration function. Project choice.
GREEK_LETTERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Α": "A",
        "Β": "V",
        "Γ": "G",
        "Δ": "D",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "I",
        "Θ": "TH",
        "Ι": "I",
        "Κ": "K",
        "Λ": "L",
        "Μ": "M",
        "Ν": "N",
        "Ξ": "X",
        "Ο": "O",
        "Π": "P",
        "Ρ": "R",
        "Σ": "S",
        "Τ": "T",
        "Υ": "Y",
        "Φ": "F",
        "Χ": "CH",
        "Ψ": "PS",
        "Ω": "O",
    }
)

#: Greek letters before which ``ΑΥ``/``ΕΥ``/``ΗΥ`` are written with F instead of V (ELOT 743).
GREEK_VOICELESS: Final = frozenset("ΘΚΞΠΣΤΦΧΨ")
