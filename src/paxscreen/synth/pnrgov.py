"""Synthetic PNRGOV pushes: a flight's passengers as bookings, with the noise real PNRs carry.

:func:`pnr_push` turns a travellers frame (a scenario's flight) into a PNRGOV EDIFACT push
written by :func:`paxscreen.formats.pnrgov.write_pnrgov`, and :func:`pnr_push_xml` into the
XML variant. Crew are left out (PNRs hold passengers only). With ``sensitive_share`` > 0 some
travellers also get what the ingest filter must delete: special-meal and medical SSRs, OSI
remarks and free-text SSRs, all carrying :data:`CANARY` in their text so tests can check that
none of it survives into any output.
"""

from __future__ import annotations

import random
from datetime import datetime

import polars as pl

from paxscreen.formats._pnr import MEAL_CODES, MEDICAL_CODES
from paxscreen.formats.pnrgov import write_pnrgov
from paxscreen.formats.pnrgov_xml import write_pnrgov_xml

__all__ = ["CANARY", "SENSITIVE_SAMPLE", "pnr_push", "pnr_push_xml", "sensitive_segments"]

#: A word planted in every free-text remark; it must never reach any output.
CANARY = "QZREMARKCANARY"
#: The deny-listed codes the generator plants.
SENSITIVE_SAMPLE = ("MOML", "KSML", "HNML", "VGML", "DBML", "WCHR", "MEDA", "BLND", "DEAF")


def sensitive_segments(rng: random.Random, ref: int, carrier: str = "ZZ") -> list[str]:
    """One to three segments that the Annex I filter must delete (for traveller ``ref``)."""
    kinds = rng.sample(["meal", "medical", "osi", "oths"], k=rng.randint(1, 3))
    out = []
    for kind in kinds:
        if kind == "meal":
            code = rng.choice(sorted(MEAL_CODES & set(SENSITIVE_SAMPLE)))
            out.append(f"SSR+{code}:HK:1:{carrier}:::::{CANARY} MEAL+::{ref}")
        elif kind == "medical":
            code = rng.choice(sorted(MEDICAL_CODES & set(SENSITIVE_SAMPLE)))
            out.append(f"SSR+{code}:HK:1:{carrier}:::::{CANARY} ASSIST+::{ref}")
        elif kind == "osi":
            out.append(f"IFT+4:28::{carrier}+{CANARY} PAX REQUESTS PRAYER ROOM")
        else:
            out.append(f"SSR+OTHS:::::::: {CANARY} MEDICAL CERTIFICATE SEEN")
    return out


def _passengers(travellers: pl.DataFrame) -> pl.DataFrame:
    return travellers.filter(~pl.col("role").is_in(["crew", "in_transit_crew"]).fill_null(False))


def pnr_push(
    travellers: pl.DataFrame,
    *,
    seed: int = 0,
    sensitive_share: float = 0.0,
    prepared: datetime | None = None,
) -> str:
    """The passengers of ``travellers`` as one PNRGOV 13.1 push (PNRs by ``pnr_locator``).

    Args:
        travellers: A travellers frame (for example ``make_scenario(...).travellers``).
        seed: Seed for the planted sensitive elements.
        sensitive_share: Share of passengers who get sensitive SSRs and remarks.
        prepared: UNB date and time.

    Returns:
        The interchange text.
    """
    passengers = _passengers(travellers)
    rng = random.Random(seed)
    extra: dict[str, list[str]] = {}
    if sensitive_share > 0:
        refs: dict[str | None, int] = {}
        for row in passengers.select("record_id", "pnr_locator").iter_rows():
            refs[row[1]] = refs.get(row[1], 0) + 1
            if rng.random() < sensitive_share:
                extra[row[0]] = sensitive_segments(rng, refs[row[1]])
    return write_pnrgov(
        passengers,
        sender="ZZAIRLINE",
        recipient="PAXSCREEN",
        control_ref=str(seed),
        prepared=prepared,
        extra_segments=extra,
    )


def pnr_push_xml(travellers: pl.DataFrame) -> str:
    """The passengers of ``travellers`` as an ``IATA_PNRGOV_NotifRQ`` document."""
    return write_pnrgov_xml(_passengers(travellers))
