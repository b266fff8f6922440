"""paxscreen: parse passenger data and screen travellers against watchlists.

The public surface::

    import paxscreen as px

    parsed = px.parse_manifest("flight.edi")      # ParsedManifest(travellers, issues, format)
    travellers = px.read_manifest("flight.csv")   # the travellers frame only
    px.parse_mrz(text)                            # ICAO 9303 MRZ fields and check digits
    px.parse_ssr_docs(line)                       # SSR DOCS / DOCO / DOCA fields
    watchlist = px.read_watchlist("list.csv")     # canonical watchlist rows
    documents = px.read_documents("sltd.parquet") # lost / stolen documents
    px.write_paxlst(travellers)                   # PAXLST D05B text (synthetic data, tests)

    screener = px.Screener(watchlist, config=px.ScreenConfig())  # builds the name index once
    result = screener.screen(travellers)          # ScreenResult(hits, rejects, summary)
    print(result.explain(record_id))              # a traveller's hits and their evidence
"""

from paxscreen._version import __version__
from paxscreen.config import ParseOptions, ScreenConfig
from paxscreen.errors import ConfigError, ParseError, PaxscreenError, SchemaError
from paxscreen.formats import ParsedManifest, parse_manifest, read_manifest
from paxscreen.formats.lists import read_documents, read_watchlist
from paxscreen.formats.mrz import parse_mrz, transliterate_icao, write_mrz
from paxscreen.formats.paxlst import write_paxlst
from paxscreen.formats.ssr import parse_ssr_docs
from paxscreen.screen import Screener, ScreenResult

__all__ = [
    "ConfigError",
    "ParseError",
    "ParseOptions",
    "ParsedManifest",
    "PaxscreenError",
    "SchemaError",
    "ScreenConfig",
    "ScreenResult",
    "Screener",
    "__version__",
    "parse_manifest",
    "parse_mrz",
    "parse_ssr_docs",
    "read_documents",
    "read_manifest",
    "read_watchlist",
    "transliterate_icao",
    "write_mrz",
    "write_paxlst",
]
