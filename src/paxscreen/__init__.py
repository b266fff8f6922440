"""paxscreen: parse passenger data and screen travellers against watchlists."""

from paxscreen._version import __version__
from paxscreen.config import ParseOptions
from paxscreen.errors import ConfigError, PaxscreenError, ParseError, SchemaError

__all__ = [
    "ConfigError",
    "ParseError",
    "ParseOptions",
    "PaxscreenError",
    "SchemaError",
    "__version__",
]
