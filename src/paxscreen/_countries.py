"""Country codes as they appear in travel documents: ISO 3166-1 plus the ICAO 9303 specials.

Where the data comes from:

* :data:`ALPHA2_TO_ALPHA3` holds the 249 officially assigned ISO 3166-1 codes (alpha-2 to
  alpha-3), typed in by hand from the public ISO 3166-1 list (ISO 3166 Maintenance Agency
  Online Browsing Platform; the same data is in the Debian ``iso-codes`` package). Exceptionally
  or transitionally reserved codes (``UK``, ``EU``, ``XK`` …) are not included.
* :data:`ICAO_SPECIAL` holds the codes that ICAO Doc 9303 Part 3 (section 5, "Codes for
  nationality, place of birth, location of issuing state/authority and other purposes") allows
  in the issuing-state and nationality fields of machine readable travel documents although they
  are not ISO 3166-1 codes: Germany's one-letter ``D``, the British nationality categories,
  the specimen state ``UTO``, stateless persons and refugees, and international organisations.
  ``RKS`` (Kosovo) is not ICAO-assigned but is printed on Kosovan documents. See also
  ``research/formats.md`` section 4.5.

Screening must not treat the specials as countries in ISO lookups; ``XXA``/``XXB``/``XXC``/``XXX``
(stateless, refugee, unspecified) are meaningful attributes of a traveller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ALPHA2_TO_ALPHA3",
    "ICAO_SPECIAL",
    "ISO_ALPHA3",
    "VALID_ALPHA3",
    "is_known_country",
    "normalize_country",
]

# Compact source of the ISO table: "AA:AAA" pairs, alphabetical by alpha-2.
_ISO_PAIRS = """
AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS
AW:ABW AX:ALA AZ:AZE
BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM BM:BMU BN:BRN BO:BOL
BQ:BES BR:BRA BS:BHS BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ
CA:CAN CC:CCK CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN CO:COL CR:CRI
CU:CUB CV:CPV CW:CUW CX:CXR CY:CYP CZ:CZE
DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA
EC:ECU EE:EST EG:EGY EH:ESH ER:ERI ES:ESP ET:ETH
FI:FIN FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA
GA:GAB GB:GBR GD:GRD GE:GEO GF:GUF GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN GP:GLP GQ:GNQ
GR:GRC GS:SGS GT:GTM GU:GUM GW:GNB GY:GUY
HK:HKG HM:HMD HN:HND HR:HRV HT:HTI HU:HUN
ID:IDN IE:IRL IL:ISR IM:IMN IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA
JE:JEY JM:JAM JO:JOR JP:JPN
KE:KEN KG:KGZ KH:KHM KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ
LA:LAO LB:LBN LC:LCA LI:LIE LK:LKA LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY
MA:MAR MC:MCO MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL MK:MKD ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP
MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI MX:MEX MY:MYS MZ:MOZ
NA:NAM NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU NU:NIU NZ:NZL
OM:OMN
PA:PAN PE:PER PF:PYF PG:PNG PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI PS:PSE PT:PRT PW:PLW
PY:PRY
QA:QAT
RE:REU RO:ROU RS:SRB RU:RUS RW:RWA
SA:SAU SB:SLB SC:SYC SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN
SO:SOM SR:SUR SS:SSD ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ
TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS TM:TKM TN:TUN TO:TON TR:TUR TT:TTO
TV:TUV TW:TWN TZ:TZA
UA:UKR UG:UGA UM:UMI US:USA UY:URY UZ:UZB
VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR VN:VNM VU:VUT
WF:WLF WS:WSM
YE:YEM YT:MYT
ZA:ZAF ZM:ZMB ZW:ZWE
"""

#: ISO 3166-1 alpha-2 -> alpha-3 for the 249 officially assigned codes.
ALPHA2_TO_ALPHA3: Mapping[str, str] = MappingProxyType(
    {pair[:2]: pair[3:] for pair in _ISO_PAIRS.split()}
)

#: The ISO 3166-1 alpha-3 codes.
ISO_ALPHA3: frozenset[str] = frozenset(ALPHA2_TO_ALPHA3.values())

#: ICAO Doc 9303 codes that are not ISO 3166-1 alpha-3, with their meaning.
ICAO_SPECIAL: Mapping[str, str] = MappingProxyType(
    {
        "D": "Germany (one-letter code, padded D<< in the MRZ; normalised to DEU)",
        "GBD": "British Overseas Territories Citizen",
        "GBN": "British National (Overseas)",
        "GBO": "British Overseas Citizen",
        "GBP": "British Protected Person",
        "GBS": "British Subject",
        "UTO": "Utopia (fictitious state of the ICAO specimens)",
        "XXA": "Stateless person (1954 Convention)",
        "XXB": "Refugee (1951 Convention)",
        "XXC": "Refugee (other than the 1951 Convention)",
        "XXX": "Unspecified nationality",
        "EUE": "European Union (laissez-passer)",
        "UNO": "United Nations Organization",
        "UNA": "Specialized agency of the United Nations",
        "UNK": "Resident of Kosovo, UNMIK travel document (discontinued)",
        "XOM": "Sovereign Military Order of Malta",
        "XPO": "International Criminal Police Organization (INTERPOL)",
        "XBA": "African Development Bank",
        "XIM": "African Export-Import Bank",
        "XCC": "Caribbean Community (CARICOM)",
        "XCO": "Common Market for Eastern and Southern Africa (COMESA)",
        "XEC": "Economic Community of West African States (ECOWAS)",
        "XES": "Organisation of Eastern Caribbean States (OECS)",
        "XMP": "International organization (ICAO-reserved code; meaning not verified)",
        "XCE": "Council of Europe",
        "XDC": "Southern African Development Community (SADC)",
        "RKS": "Kosovo (not ICAO-assigned; printed on Kosovan documents)",
    }
)

#: Every valid three-letter code: ISO alpha-3 plus the three-letter ICAO specials.
VALID_ALPHA3: frozenset[str] = ISO_ALPHA3 | frozenset(c for c in ICAO_SPECIAL if len(c) == 3)

_FILLERS = re.compile(r"[<\s]+")
_THREE_LETTERS = re.compile(r"[A-Z]{3}")


def _clean(code: str) -> str:
    return _FILLERS.sub("", code).upper()


def normalize_country(code: str | None) -> str | None:
    """Normalise a country code from a travel document or message to three letters.

    Fillers (``<``) and whitespace are removed and the code is upper-cased. Then:

    * empty or ``None`` -> ``None``;
    * ``D`` (Germany in the MRZ) -> ``DEU``;
    * a known ISO alpha-2 code -> its alpha-3 code (``KR`` -> ``KOR``);
    * any three ASCII letters -> unchanged, known or not: obfuscated test data such as ``ABC``
      must survive (use :func:`is_known_country` to validate);
    * anything else (``0``, ``12``, ``A1``, unassigned alpha-2) -> ``None``.

    Args:
        code: The code as sent, or ``None``.

    Returns:
        A three-letter code, or ``None``.
    """
    if code is None:
        return None
    text = _clean(code)
    if not text:
        return None
    if text == "D":
        return "DEU"
    if len(text) == 2:
        return ALPHA2_TO_ALPHA3.get(text)
    if _THREE_LETTERS.fullmatch(text):
        return text
    return None


def is_known_country(code: str | None) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code or an ICAO 9303 special code.

    The code is compared after removing fillers and whitespace and upper-casing. ISO alpha-2
    codes are not accepted here; pass them through :func:`normalize_country` first.

    Args:
        code: The code to check, or ``None``.

    Returns:
        ``True`` for ``GBR``, ``XXA``, ``D``, ``D<<``; ``False`` for ``GB``, ``ABC``, ``0``.
    """
    if code is None:
        return False
    text = _clean(code)
    return text in VALID_ALPHA3 or text in ICAO_SPECIAL
