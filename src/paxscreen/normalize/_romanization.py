"""Chinese and Korean surnames spelt in other romanisations, tied to their Hanyu Pinyin form.

One character surname is written many ways in Latin letters: 張 is ZHANG in Pinyin, CHANG in
Wade-Giles (Taiwan), CHEUNG in Cantonese (Hong Kong), TEO in Teochew and JANG in Korean; 陳
is CHEN, CHAN, TAN (Hokkien) and TRAN (Vietnamese Trần). String similarity sees CHEUNG and
ZHANG as different names (0.72), while a passport and a list entry for one person can carry
exactly those two spellings. :func:`pinyin_forms` gives the Pinyin forms a token may stand
for, so that two tokens sharing one are the same surname written two ways.

It is a relation, not a partition: Cantonese WONG is both 黃 HUANG and 王 WANG, which are
different surnames, so WONG meets both while HUANG and WANG do not meet each other. The table
holds common surnames only (given names are syllables too many and too ambiguous for a table),
in the spellings official documents use.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

#: Pinyin surname -> other spellings of it (Wade-Giles, Cantonese, Hokkien/Teochew/Hakka,
#: Vietnamese, Korean). A spelling may stand for several Pinyin forms.
_SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "AN": ("AHN",),
    "CAI": ("TSAI", "CHOI", "CHOY", "TSOI", "CHUA", "CHUAH"),
    "CAO": ("TSAO", "TSO", "CHO"),
    "CHEN": ("CHAN", "TAN", "CHIN", "TRAN", "TCHEN"),
    "CUI": ("TSUI", "CHOI", "CHOE"),
    "DENG": ("TENG", "TANG"),
    "DU": ("TU", "TO"),
    "FENG": ("FUNG", "FONG", "PHUNG"),
    "GAO": ("KAO", "KO", "KOH", "GO"),
    "GUAN": ("KUAN", "KWAN"),
    "GUO": ("KUO", "KWOK", "KOK", "QUEK"),
    "HE": ("HO", "HOH"),
    "HONG": ("HUNG", "ANG"),
    "HU": ("WU", "WOO", "HOO"),
    "HUANG": ("HWANG", "WONG", "NG", "OOI", "WEE", "UY", "HOANG"),
    "JIANG": ("CHIANG", "KONG", "CHEUNG", "KANG", "GANG", "KEONG"),
    "JIN": ("CHIN", "KAM", "KIM", "GIM"),
    "KONG": ("KUNG",),
    "LI": ("LEE", "LY", "YI", "RHEE", "RI", "LIE"),
    "LIANG": ("LEUNG", "LEONG", "NEO"),
    "LIN": ("LAM", "LIM", "IM", "LING"),
    "LIU": ("LAU", "LOW", "LIEW", "YOO", "RYU"),
    "LUO": ("LO", "LAW", "LOH", "LOKE"),
    "MA": ("MAH",),
    "MAI": ("MAK",),
    "PAN": ("POON", "PHUA", "PUAN"),
    "PENG": ("PANG", "PHANG"),
    "PIAO": ("PARK", "PAK", "BAK"),
    "QIN": ("CHIN", "CHUN", "TSUN"),
    "QIU": ("CHIU", "YAU", "KHOO", "HIEW"),
    "QUAN": ("CHUAN", "KWON", "GWON", "JEON", "CHUN"),
    "SHEN": ("SHIN", "SIN", "SHUM", "SHAM"),
    "SONG": ("SUNG", "SOONG"),
    "SUN": ("SUEN", "SOON"),
    "TANG": ("TONG",),
    "WANG": ("WONG", "ONG", "VUONG"),
    "WEI": ("NGAI", "WAI"),
    "WU": ("NG", "GOH", "WOO", "OH", "NGO"),
    "XIAO": ("HSIAO", "SIU", "SIEW"),
    "XIE": ("HSIEH", "TSE", "CHIA", "SEAH"),
    "XU": ("HSU", "HUI", "TSUI", "KOH", "SEO", "SUH"),
    "YANG": ("YEUNG", "YEOH", "YONG"),
    "YE": ("YEH", "YIP", "YAP", "IP"),
    "YIN": ("YOON", "YUN", "WAN"),
    "YUAN": ("YUEN", "WON"),
    "ZENG": ("TSENG", "TSANG"),
    "ZHANG": ("CHANG", "CHEUNG", "CHEONG", "TEO", "TEOH", "JANG"),
    "ZHAO": ("CHAO", "CHIU", "CHEW", "CHO", "JO"),
    "ZHENG": ("CHENG", "TAY", "TEH", "JUNG", "JEONG", "CHUNG"),
    "ZHONG": ("CHUNG", "CHONG"),
    "ZHOU": ("CHOU", "CHOW", "CHAU", "JOO", "JU"),
    "ZHU": ("CHU", "CHOO", "JOO"),
}


def _forms() -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = {}
    for pinyin, spellings in _SPELLINGS.items():
        for spelling in (pinyin, *spellings):
            forms.setdefault(spelling, set()).add(pinyin)
    return {spelling: frozenset(targets) for spelling, targets in forms.items()}


_FORMS: Final = _forms()
#: The length of the longest spelling the table knows (a longer token is none).
LONGEST_SPELLING: Final = max(map(len, _FORMS))


def pinyin_forms(token: str) -> frozenset[str]:
    """The Pinyin surnames a normalised (upper-case ASCII) token may be a spelling of: empty
    for a token the table does not know.

    >>> sorted(pinyin_forms("WONG"))
    ['HUANG', 'WANG']
    >>> pinyin_forms("CHEUNG") & pinyin_forms("ZHANG")
    frozenset({'ZHANG'})
    """
    return _FORMS.get(token, frozenset())


def in_table(tokens: list[str]) -> npt.NDArray[np.bool_]:
    """Whether each token is a spelling the table knows (:func:`pinyin_forms` not empty).

    >>> in_table(["WONG", "SMITH"]).tolist()
    [True, False]
    """
    return np.fromiter(map(_FORMS.__contains__, tokens), np.bool_, len(tokens))


def same_surname(a: str, b: str) -> bool:
    """Whether two different tokens are spellings of one surname in the table."""
    return a != b and not pinyin_forms(a).isdisjoint(pinyin_forms(b))
