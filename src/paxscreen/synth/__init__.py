"""Synthetic scenarios with ground truth: names, watchlists, document lists, flights.

Nobody can publish real watchlists or passenger data, so every claim about matching quality and
speed rests on scenarios like these. The name model (:mod:`paxscreen.synth.names`) covers ten
name-origin groups with realistic frequency skew, variant spellings and original scripts; the
corruptions (:mod:`paxscreen.synth.noise`) are the ways a listed person shows up on a manifest;
:mod:`paxscreen.synth.scenario` puts them together, deterministic per seed::

    from paxscreen.synth import ScenarioConfig, make_scenario, write_scenario

    scenario = make_scenario(ScenarioConfig(seed=7, travellers=300, identities=5_000))
    scenario.truth        # one row per traveller: planted / hard_negative / innocent
    write_scenario("out/", ScenarioConfig(seed=7, identities=1_000_000, documents=100_000_000))
    pnr_push(scenario.travellers)   # the same flight as a PNRGOV push (paxscreen.synth.pnrgov)

This package is not imported by ``import paxscreen``; the core never depends on it.
"""

from paxscreen.synth.pnrgov import pnr_push, pnr_push_xml
from paxscreen.synth.scenario import (
    CORRUPTIONS,
    DOCUMENT_CORRUPTIONS,
    FILES,
    WATCHLIST_CORRUPTIONS,
    Scenario,
    ScenarioConfig,
    make_scenario,
    write_scenario,
)

__all__ = [
    "CORRUPTIONS",
    "DOCUMENT_CORRUPTIONS",
    "FILES",
    "WATCHLIST_CORRUPTIONS",
    "Scenario",
    "ScenarioConfig",
    "make_scenario",
    "pnr_push",
    "pnr_push_xml",
    "write_scenario",
]
