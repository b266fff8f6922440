"""Screening: travellers against a watchlist, as hits an officer can review.

::

    screener = Screener(watchlist)            # normalises the list and builds its index once
    screener.save(folder)                     # ... or Screener.load(folder) a built one
    result = screener.screen(travellers)      # a manifest, or one traveller at the counter
    result.hits                               # one row per (traveller, listed identity) hit
    print(result.explain(record_id))          # the evidence of a traveller's hits, in words

The stages, each a table in and a table out:

1. **Names** are normalised once (:func:`~paxscreen.normalize.names.name_batch`): the list's
   at build time, each manifest's per call.
2. **Candidates** come from the list's :class:`~paxscreen.index.names.NameIndex`, and from
   document numbers: a traveller whose document number is on a listed identity is compared
   with it whatever the names.
3. **Comparisons**: name similarity for every candidate (vectorised), then, for the pairs
   that pass ``dated_name_similarity`` (only those with dates of birth that agree are scored
   below ``min_name_similarity``), date of birth, nationality and sex against everything
   the identity lists (all its rows pool together), and its document numbers against the
   traveller's wherever their level can make a hit (a pair is first scored with the best level
   its numbers could have).
4. **Scoring** (:mod:`paxscreen.score`): a score, a band and reasons. At most
   ``max_hits_per_traveller`` hits per traveller, best first, equal scores in list order.

From the travellers frame on, everything runs on numpy arrays and Python lists computed once per
screener (the identities' pooled fields, :class:`_Identities`), not on polars queries: a query
costs a tenth of a millisecond or more however few its rows, and one traveller at the counter
is screened in a few milliseconds. So a traveller alone gets exactly the hits a flight gives it,
as far as the batch does not enter them: a pair's commonness counts the tokens of every other
name seen, the batch's travellers' too (:class:`~paxscreen.score._commonness.NameCounts`).
5. **Document list**, when one is given: every document of every traveller (the primary one
   and each of ``documents``) is looked up in its
   :class:`~paxscreen.index.documents.DocumentIndex` (exact, OCR look-alikes, leading zeros,
   transposition, one edit) and scored by level, issuer and type agreement
   (:func:`~paxscreen.score.score_document_matches`): hits with ``list`` ``"documents"``, the
   record's ``record_ref`` as ``entry_id`` and its ``doc_status``.

Every traveller comes out screened or in ``rejects`` with a reason (a traveller with neither a
usable name nor a document number cannot be screened).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from paxscreen._version import __version__
from paxscreen.compare.dates import DOB_LEVELS, DateParts, dob_level_codes
from paxscreen.compare.documents import AGREEMENT_LEVELS, DOC_LEVELS, doc_number_level_codes
from paxscreen.compare.names import name_similarity_pairs
from paxscreen.config import ScreenConfig
from paxscreen.errors import SchemaError
from paxscreen.formats.lists import read_documents, read_watchlist
from paxscreen.index.documents import DocumentIndex
from paxscreen.index.names import NameIndex, concat_ranges
from paxscreen.normalize.dates import PRECISIONS, partial_date
from paxscreen.normalize.documents import (
    doc_number_key,
    doc_number_key_scalar,
    ocr_folded,
    ocr_folded_scalar,
    strip_leading_zeros,
    strip_leading_zeros_scalar,
)
from paxscreen.normalize.names import READ_OTHERWISE, NameBatch, name_batch, other_readings
from paxscreen.score import (
    BANDS,
    Evidence,
    explain_evidence,
    score_document_matches,
    score_evidence,
)
from paxscreen.score._commonness import NameCounts, SkeletalCounts, counted_once
from paxscreen.score._needs import ListedEvidence, TravellerEvidence, needs_table, row_needs

__all__ = ["HITS", "REJECTS", "ScreenResult", "Screener"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
TextArray = npt.NDArray[np.object_]  # of str
BoolArray = npt.NDArray[np.bool_]

#: The hits frame.
HITS: Final = pl.Schema(
    {
        "record_id": pl.String(),
        "list": pl.String(),
        "entry_id": pl.String(),
        "score": pl.Float64(),
        "band": BANDS,
        "traveller_name": pl.String(),
        "matched_name": pl.String(),
        "name_similarity": pl.Float64(),
        "dob_level": pl.String(),
        "doc_level": pl.String(),
        "nationality_agreement": pl.String(),
        "sex_agreement": pl.String(),
        "name_commonness": pl.Float64(),
        "doc_status": pl.String(),
        "reasons": pl.List(pl.String()),
        "list_sha256": pl.String(),
        "config_hash": pl.String(),
    }
)

#: The rejects frame: travellers that could not be screened, and why.
REJECTS: Final = pl.Schema({"record_id": pl.String(), "reason": pl.String()})

# Empty frames are cloned, not built: building one costs a tenth of a millisecond.
_NO_HITS: Final = pl.DataFrame(schema=HITS)
_NO_REJECTS: Final = pl.DataFrame(schema=REJECTS)

_BAND_NAMES: Final = tuple(BANDS.categories.to_list())  # (a Series is slow to index)
_NO_NAME_OR_DOCUMENT: Final = "no usable name and no document number"
_SAVE_FORMAT: Final = 13  # the layout Screener.save writes (13: abjad names marked in sizes)


#: What manifests write for a name part that is not known: US APIS's FNU and LNU (first, last
#: name unknown), NFN (no first name). Such a part is read as missing.
_UNKNOWN_PARTS: Final = ("FNU", "LNU", "NFN", "UNKNOWN")


def _known(part: pl.Expr) -> pl.Expr:
    """A name part, null where it says it is not known (:data:`_UNKNOWN_PARTS`)."""
    unknown = part.str.strip_chars().str.to_uppercase().is_in(_UNKNOWN_PARTS)
    return pl.when(unknown).then(None).otherwise(part)


def _known_of(part: str | None) -> str | None:
    """:func:`_known` of one value, in plain Python."""
    return None if part is not None and part.strip().upper() in _UNKNOWN_PARTS else part


def _name_text(given: pl.Expr, family: pl.Expr, full: pl.Expr) -> pl.Expr:
    """A row's name as one string: given names then family name (those known), else the full
    name."""
    parts = pl.concat_str([_known(given), _known(family)], separator=" ", ignore_nulls=True)
    return pl.when(parts.str.len_chars() > 0).then(parts).otherwise(full)


def _fingerprint(frame: pl.DataFrame) -> str:
    """SHA-256 of a frame's content (its Arrow IPC bytes), hex."""
    digest = hashlib.sha256()
    for batch in frame.to_arrow().to_batches(max_chunksize=1 << 16):
        for column in batch.columns:
            for buffer in column.buffers():
                if buffer is not None:
                    digest.update(buffer)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """What :meth:`Screener.screen` returns.

    Attributes:
        hits: One row per (traveller, listed identity) at the review band or above (columns:
            :data:`HITS`), by traveller, best first (equal scores: watchlist hits in list
            order, then document list hits).
        rejects: Travellers that could not be screened, with the reason (:data:`REJECTS`).
        summary: Counts (``travellers`` = ``screened`` + ``rejected``, hits per band),
            timings in seconds, the SHA-256 of the watchlist (``list_sha256``) and of the
            document list (``documents_sha256``; None without one, or for an index built
            elsewhere), the config hash and the library version.
    """

    hits: pl.DataFrame
    rejects: pl.DataFrame
    summary: Mapping[str, Any] = field(default_factory=dict)

    def explain(self, record_id: str) -> str:
        """The hits of one traveller and their evidence, as text for an officer.

        Args:
            record_id: The traveller's ``record_id``.
        """
        rows = self.hits.filter(pl.col("record_id") == record_id)
        if rows.is_empty():
            reason = self.rejects.filter(pl.col("record_id") == record_id)
            if not reason.is_empty():
                return f"{record_id}: not screened ({reason['reason'][0]})"
            return f"{record_id}: no hits"
        lines = [f"{record_id}: {rows.height} hit(s)"]
        for hit in rows.iter_rows(named=True):
            matched = hit["matched_name"] if hit["list"] == "watchlist" else "a listed document"
            lines.append(
                f"  {hit['band'].upper():6} {hit['score']:.2f}  {hit['list']} {hit['entry_id']}:"
                f" {hit['traveller_name']!s} ~ {matched!s}"
            )
            lines += [f"      - {reason}" for reason in hit["reasons"]]
        return "\n".join(lines)


class Screener:
    """Screens travellers against a watchlist (see the module docstring).

    Args:
        watchlist: The list: anything :func:`~paxscreen.read_watchlist` reads (a path, a
            frame, an Arrow table), one row per name; rows sharing ``entry_id`` are one
            identity.
        documents: A lost/stolen/revoked document list, checked against every document of
            every traveller (exact, OCR look-alikes, leading zeros, one edit): a
            :class:`~paxscreen.index.documents.DocumentIndex` (built, or opened from disk),
            or anything :func:`~paxscreen.read_documents` reads, indexed here.
        config: Weights and thresholds.

    Raises:
        SchemaError: A list cannot be read.
    """

    def __init__(
        self,
        watchlist: Any,
        documents: Any = None,
        *,
        config: ScreenConfig | None = None,
    ) -> None:
        started = time.perf_counter()
        self._documents, self.documents_sha256 = _document_index(documents)
        self.config = config or ScreenConfig()
        rows = read_watchlist(watchlist).with_row_index("row")
        if rows.is_empty():
            raise SchemaError("the watchlist has no rows")
        self.list_sha256 = _fingerprint(rows.drop("row"))
        self._config_hash = self.config.config_hash()
        full = pl.col("full_name") if "full_name" in rows.columns else pl.lit(None, pl.String)
        rows = rows.with_columns(
            name=_name_text(pl.col("given_names"), pl.col("family_name"), full),
            partial=_partial(pl.col("given_names"), pl.col("family_name")),
        )
        names = _readings(rows.select("name", "partial").unique(maintain_order=True))
        rows = rows.join(
            names.select("name_id", "name", "partial"), on=["name", "partial"], how="left"
        )
        self._names = name_batch(names["reading"].to_list(), partial=names["partial"])
        self._name_text = names["name"]
        # identities: everything their rows list, pooled
        self._entries = (
            rows.group_by("entry_id", maintain_order=True)
            .agg(
                dobs=pl.col("dob").drop_nulls().unique(),
                nationalities=pl.col("nationality").drop_nulls().unique(),
                sexes=pl.col("sex").drop_nulls().unique(),
                docs=pl.col("doc_number").drop_nulls().unique(),
            )
            .with_row_index("entry")
        )
        rows = rows.join(self._entries.select("entry_id", "entry"), on="entry_id")
        links = rows.select("name_id", "entry").unique().sort("name_id", "entry")
        self._name_entries = (
            np.searchsorted(links["name_id"].to_numpy(), np.arange(len(self._names) + 1)).astype(
                np.int64
            ),
            links["entry"].to_numpy().astype(np.int64),
        )
        # the years of birth of the identities bearing each name (-1: an undated identity)
        entry_years = self._entries.select(
            "entry",
            year=pl.col("dobs").list.eval(
                partial_date(pl.element()).struct.field("year").cast(pl.Int64)
            ),
        ).with_columns(pl.when(pl.col("year").list.len() > 0).then("year").otherwise(pl.lit([-1])))
        years = (
            rows.select("name_id", "entry")
            .join(entry_years, on="entry")
            .explode("year")
            .select("name_id", pl.col("year").fill_null(-1))
            .unique()
            .sort("name_id", "year")
        )
        year_offsets = np.searchsorted(
            years["name_id"].to_numpy(), np.arange(len(self._names) + 1)
        ).astype(np.int64)
        self._identities = _Identities.of(self._entries)
        evidence = ListedEvidence.build(
            self._identities.dobs,
            np.diff(self._identities.docs[0]) > 0,
            self._entries["sexes"],
            self._name_entries,
        )
        self._index = NameIndex(
            self._names,
            years=(year_offsets, years["year"].to_numpy().astype(np.int64)),
            rows=(evidence.offsets, evidence.codes),
            min_name_similarity=self.config.min_name_similarity,
            min_dated_similarity=self.config.dated_name_similarity,
        )
        # the identities' document numbers, matched as the document list's are
        numbered = rows.unique("row", keep="first", maintain_order=True).filter(
            doc_number_key("doc_number").is_not_null()
        )
        self._listed_documents = DocumentIndex.build(
            numbered.select("doc_number", "doc_issuer", "doc_type")
        )
        self._listed_document_entries = numbered["entry"].to_numpy().astype(np.int64)
        self._count_names()
        self.build_seconds = time.perf_counter() - started

    def _count_names(self) -> None:
        """How many listed names hold each token, and how many listed names there are: a
        name's other readings (:func:`_readings`) are the name, not more namesakes."""
        written = _written(self._name_text, self._names)
        self._token_counts = counted_once(self._names, self._index.token_counts(), written)
        self._listed_names = int(np.count_nonzero(written == np.arange(len(written))))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the built screener to a new directory, to open with :meth:`load` instead of
        building again (a million identities take tens of seconds to build).

        The directory holds numpy arrays (``index.npz``), Arrow IPC files and a JSON file of
        the settings: nothing is pickled, so loading runs no code from the files.

        Args:
            path: A directory that does not exist yet.

        Raises:
            FileExistsError: ``path`` exists.
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=False)
        arrays = self._index.to_arrays()
        arrays["name_entry_offsets"], arrays["name_entries"] = self._name_entries
        arrays["listed_document_entries"] = self._listed_document_entries
        # numpy's stubs read the keyword arrays as its allow_pickle flag
        np.savez(folder / "index.npz", **arrays)  # type: ignore[arg-type]
        self._entries.write_ipc(folder / "entries.arrow")
        self._listed_documents.save(folder / "listed_documents")
        self._name_text.to_frame().write_ipc(folder / "names.arrow")
        if self._documents is not None:
            self._documents.save(folder / "documents")
        settings = {
            "format": _SAVE_FORMAT,
            "version": __version__,
            "list_sha256": self.list_sha256,
            "documents_sha256": self.documents_sha256,
            "config": {f.name: getattr(self.config, f.name) for f in fields(self.config)},
        }
        (folder / "screener.json").write_text(json.dumps(settings, indent=1))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Screener:
        """Open a screener saved by :meth:`save`, with the configuration it was built with.

        Args:
            path: The directory :meth:`save` wrote.

        Raises:
            SchemaError: The directory was written in another format.
        """
        started = time.perf_counter()
        folder = Path(path)
        settings = json.loads((folder / "screener.json").read_text())
        if settings.get("format") != _SAVE_FORMAT:
            raise SchemaError(f"{folder}: not a saved screener of format {_SAVE_FORMAT}")
        self = cls.__new__(cls)
        self.config = ScreenConfig(**settings["config"])
        self._config_hash = self.config.config_hash()
        self.list_sha256 = settings["list_sha256"]
        self.documents_sha256 = settings["documents_sha256"]
        documents = folder / "documents"
        self._documents = DocumentIndex.open(documents) if documents.is_dir() else None
        with np.load(folder / "index.npz", allow_pickle=False) as stored:
            arrays = dict(stored)
        self._name_entries = (arrays.pop("name_entry_offsets"), arrays.pop("name_entries"))
        self._listed_document_entries = arrays.pop("listed_document_entries")
        self._index = NameIndex.from_arrays(arrays)
        self._names = self._index.names
        self._entries = pl.read_ipc(folder / "entries.arrow")
        self._listed_documents = DocumentIndex.open(folder / "listed_documents")
        self._name_text = pl.read_ipc(folder / "names.arrow").to_series()
        self._count_names()
        self._identities = _Identities.of(self._entries)
        self.build_seconds = time.perf_counter() - started
        return self

    # ----------------------------------------------------------------------------------------

    def screen(self, travellers: pl.DataFrame) -> ScreenResult:
        """Screen a batch of travellers (a manifest, or a frame of one traveller).

        Args:
            travellers: A travellers frame (:func:`~paxscreen.read_manifest`); only
                ``record_id``, the name columns, ``dob``, ``sex``, ``nationality``,
                ``doc_number``, ``doc_issuer``, ``doc_type`` and ``documents`` are read;
                missing ones count as unknown.

        Returns:
            The hits, the rejects and a summary.
        """
        started = time.perf_counter()
        config = self.config
        t = _Travellers.read(travellers)
        batch = name_batch(t.name, partial=t.partial)
        has_doc = np.zeros(len(t), dtype=bool)
        has_doc[t.probe_t] = True
        rejected = (np.diff(batch.offsets) == 0) & ~has_doc
        rejects = (
            pl.DataFrame(
                {
                    "record_id": [t.record_id[i] for i in np.flatnonzero(rejected).tolist()],
                    "reason": _NO_NAME_OR_DOCUMENT,
                },
                schema=REJECTS,
            )
            if rejected.any()
            else _NO_REJECTS.clone()
        )
        timings: dict[str, float] = {}

        counts = NameCounts.of(
            batch,
            self._names,
            listed_counts=self._token_counts,
            listed_lengths=self._index.token_lengths(),
            listed_id=self._index.token_ids(batch.vocab),
            listed_names=self._listed_names,
        )
        # (the least commonness any pair of the traveller's can have: what it needs is a floor)
        table = needs_table(
            config,
            doc_levels_found=_DOC_LEVELS_FOUND,
            commonness=self._commonness(counts.least_rarity()),
        )
        evidence = TravellerEvidence.of(t.dob, t.sex, np.diff(t.numbers[1]) > 0)
        needed = functools.partial(row_needs, table, evidence)
        mark = time.perf_counter()
        q, names, similarity = self._index.candidates(batch, t.year, needed=needed)
        timings["candidates"] = time.perf_counter() - mark
        mark = time.perf_counter()
        unknown = np.flatnonzero(np.isnan(similarity))  # (the index compared the others)
        similarity[unknown] = name_similarity_pairs(batch, self._names, q[unknown], names[unknown])
        timings["names"] = time.perf_counter() - mark
        keep = similarity >= config.dated_name_similarity
        candidate_pairs = len(keep)
        q, names, similarity = q[keep], names[keep], similarity[keep]
        pair_commonness = self._pair_commonness(counts, q, names)
        pairs = self._pairs(q, names, similarity, pair_commonness, t)
        mark = time.perf_counter()
        hits, hit_t = self._score(t, pairs)
        timings["scoring"] = time.perf_counter() - mark
        if self._documents is not None:
            mark = time.perf_counter()
            found, found_t = self._document_hits(t)
            if not found.is_empty():  # by traveller, best first, watchlist hits before ties
                hits = pl.concat([hits, found])
                score = hits.get_column("score").to_numpy()
                hits = hits[np.lexsort((-score, np.concatenate([hit_t, found_t])))]
            timings["documents"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        bands = hits.get_column("band").to_list()
        summary: dict[str, Any] = {
            "travellers": len(t),
            "screened": int(len(t) - rejected.sum()),
            "rejected": int(rejected.sum()),
            "hits": hits.height,
            "alerts": bands.count("alert"),
            "reviews": bands.count("review"),
            "candidate_pairs": candidate_pairs,
            "seconds": timings,
            "build_seconds": self.build_seconds,
            "identities": self._entries.height,
            "list_sha256": self.list_sha256,
            "documents_sha256": self.documents_sha256,
            "config_hash": self._config_hash,
            "version": __version__,
        }
        return ScreenResult(hits=hits, rejects=rejects, summary=summary)

    def _pairs(
        self,
        q: IntArray,
        names: IntArray,
        similarity: FloatArray,
        commonness: FloatArray,
        t: _Travellers,
    ) -> _Pairs:
        """The (traveller, listed identity) pairs to score: the identities bearing each similar
        name (query ``q``, listed name ``names``), and those whose document number a traveller
        holds (:data:`_DOC_LEVELS_FOUND`); each pair once, with its most similar name (the
        first listed of equally similar ones), else as a pair of documents (no name)."""
        offsets, entries = self._name_entries
        counts = offsets[names + 1] - offsets[names]
        holder, held = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        probes = self._identities.may_hold(t.probe_number)
        if len(probes):
            found = self._listed_documents.lookup(
                [t.probe_number[k] for k in probes.tolist()], fuzzy=False
            )
            holder = np.asarray(t.probe_t, dtype=np.int64)[
                probes[found.get_column("probe").to_numpy()]
            ]
            held = self._listed_document_entries[found.get_column("row").to_numpy()]
        named, documents = int(counts.sum()), len(held)
        pairs = _Pairs(
            t=np.concatenate([np.repeat(q, counts), holder]),
            entry=np.concatenate([entries[concat_ranges(offsets[names], counts)], held]),
            name_id=np.concatenate([np.repeat(names, counts), np.full(documents, -1)]),
            similarity=np.concatenate([np.repeat(similarity, counts), np.full(documents, np.nan)]),
            commonness=np.concatenate([np.repeat(commonness, counts), np.zeros(documents)]),
            by_document=np.arange(named + documents) >= named,
        )
        best_first = np.nan_to_num(pairs.similarity, nan=-np.inf)
        order = np.lexsort((pairs.name_id, -best_first, pairs.entry, pairs.t))
        traveller, entry = pairs.t[order], pairs.entry[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (traveller[1:] != traveller[:-1]) | (entry[1:] != entry[:-1])
        kept = pairs.take(order[first])
        found_too = np.bincount(
            np.cumsum(first) - 1, weights=pairs.by_document[order], minlength=len(kept.t)
        )
        return replace(kept, by_document=found_too > 0)

    def _pair_commonness(self, counts: NameCounts, q: IntArray, names: IntArray) -> FloatArray:
        """The commonness of each pair (traveller's name ``q[k]``, listed name ``names[k]``):
        that of the commoner of its names, and where either came from an abjad, at least that
        of the commoner of their skeletons (the pair was compared on them)."""
        commonness = np.maximum(*map(self._commonness, counts.pair_rarities(q, names)))
        abjad = np.flatnonzero(counts.batch.abjad[q] | self._names.abjad[names])
        if len(abjad):
            skeletal = self._skeletal.of_batch(counts.batch)
            read = np.maximum(
                *map(self._commonness, skeletal.pair_rarities(q[abjad], names[abjad]))
            )
            commonness[abjad] = np.maximum(commonness[abjad], read)
        return commonness

    @functools.cached_property
    def _skeletal(self) -> SkeletalCounts:
        """The listed names read as skeletons, and their counts (made at the first screen
        with a name from an abjad)."""
        return SkeletalCounts.of(self._names, self._token_counts, self._listed_names)

    def _commonness(self, rarity: FloatArray) -> FloatArray:
        """Commonness 0..1 from rarity, by how many listed names are expected to bear such a
        name (:class:`~paxscreen.config.ScreenConfig`)."""
        config = self.config
        bearers = np.log10(max(self._listed_names, 1)) - rarity  # (as a logarithm)
        common, rare = np.log10(config.common_name_bearers), np.log10(config.rare_name_bearers)
        commonness: FloatArray = np.clip((bearers - rare) / (common - rare), 0.0, 1.0)
        return commonness

    def _score(self, t: _Travellers, pairs: _Pairs) -> tuple[pl.DataFrame, IntArray]:
        """The hits among ``pairs`` (:data:`HITS`), at most ``max_hits_per_traveller`` per
        traveller, best first (then in list order), and the traveller of each."""
        if not len(pairs.t):
            return _NO_HITS.clone(), np.zeros(0, dtype=np.int64)
        config, identities = self.config, self._identities
        numbered = identities.numbered(t, pairs)
        # Document numbers are compared only where their level can make a hit: the pairs are
        # scored with the best level each could have (one the document channel did not find
        # is at best one of the others), and those that reach review with it again, with the
        # level the numbers give. A score never falls as a document weight rises.
        unfound = max(
            (level for level in DOC_LEVELS if level not in _DOC_LEVELS_FOUND),
            key=config.doc_weights.__getitem__,
        )
        evidence = Evidence(
            name_similarity=pairs.similarity,
            dob_level=identities.dob_levels(t.dob, pairs),
            doc_level=np.where(
                pairs.by_document,
                DOC_LEVELS.index("exact"),
                np.where(numbered, DOC_LEVELS.index(unfound), _UNKNOWN_DOC),
            ),
            nationality_agreement=identities.agreement(
                identities.nationalities, t.nationality, pairs
            ),
            sex_agreement=identities.agreement(identities.sexes, t.sex, pairs, ignore=("X",)),
            name_commonness=pairs.commonness,
        )
        score, band = score_evidence(evidence, config=config)
        compared = np.flatnonzero((numbered | pairs.by_document) & (band >= 0))
        if len(compared):
            evidence.doc_level[compared] = identities.doc_levels(t, pairs.take(compared))
            score[compared], band[compared] = score_evidence(evidence.take(compared), config=config)
        hit = np.flatnonzero(band >= 0)
        hit = hit[np.lexsort((pairs.entry[hit], -score[hit], pairs.t[hit]))]
        traveller = pairs.t[hit]
        rank = np.arange(len(hit)) - np.searchsorted(traveller, traveller)
        rows = hit[rank < config.max_hits_per_traveller]
        if not len(rows):
            return _NO_HITS.clone(), np.zeros(0, dtype=np.int64)
        kept = evidence.take(rows)
        named = pairs.name_id[rows] >= 0
        matched = self._name_text.gather(np.where(named, pairs.name_id[rows], 0)).to_list()
        at = pairs.t[rows].tolist()
        frame = _hits_frame(
            record_id=[t.record_id[i] for i in at],
            list="watchlist",
            entry_id=identities.entry_id.gather(pairs.entry[rows]).to_list(),
            score=score[rows].tolist(),
            band=[_BAND_NAMES[b] for b in band[rows].tolist()],
            traveller_name=[t.name[i] for i in at],
            matched_name=[m if n else None for m, n in zip(matched, named.tolist(), strict=True)],
            name_similarity=[None if math.isnan(x) else x for x in kept.name_similarity.tolist()],
            dob_level=[DOB_LEVELS[c] for c in kept.dob_level.tolist()],
            doc_level=[DOC_LEVELS[c] for c in kept.doc_level.tolist()],
            nationality_agreement=[
                AGREEMENT_LEVELS[c] for c in kept.nationality_agreement.tolist()
            ],
            sex_agreement=[AGREEMENT_LEVELS[c] for c in kept.sex_agreement.tolist()],
            name_commonness=kept.name_commonness.tolist(),
            reasons=explain_evidence(kept, config=config),
            list_sha256=self.list_sha256,
            config_hash=self._config_hash,
        )
        return frame, pairs.t[rows]

    def _document_hits(self, t: _Travellers) -> tuple[pl.DataFrame, IntArray]:
        """Hits of the travellers' documents on the document list (:data:`HITS`), and the
        traveller of each."""
        assert self._documents is not None
        none = _NO_HITS.clone(), np.zeros(0, dtype=np.int64)
        if not len(t.probe_t):
            return none
        matches = self._documents.lookup(t.probe_number, t.probe_issuer, t.probe_type)
        if matches.is_empty():
            return none
        scored = score_document_matches(matches, config=self.config)
        if scored.is_empty():
            return none
        # (in numpy: a few rows, which polars' sorts, groups and joins take milliseconds to plan)
        who = np.asarray(t.probe_t, dtype=np.int64)[scored.get_column("probe").to_numpy()]
        row = scored.get_column("row").to_numpy().astype(np.int64)
        # by traveller, best first; each listed record once per traveller; at most so many
        order = np.lexsort((-scored.get_column("score").to_numpy(), who))
        _, first = np.unique(who[order] * (int(row.max()) + 1) + row[order], return_index=True)
        order = order[np.sort(first)]
        rank = np.arange(len(order)) - np.searchsorted(who[order], who[order])
        order = order[rank < self.config.max_hits_per_traveller]
        hits, who = scored[order], who[order]
        nothing = [None] * len(order)
        frame = _hits_frame(
            record_id=[t.record_id[i] for i in who.tolist()],
            list="documents",
            entry_id=hits.get_column("record_ref").to_list(),
            score=hits.get_column("score").to_list(),
            band=hits.get_column("band").cast(pl.String).to_list(),
            traveller_name=[t.name[i] for i in who.tolist()],
            matched_name=nothing,
            name_similarity=nothing,
            dob_level=nothing,
            doc_level=hits.get_column("level").cast(pl.String).to_list(),
            nationality_agreement=nothing,
            sex_agreement=nothing,
            name_commonness=nothing,
            doc_status=hits.get_column("status").to_list(),
            reasons=hits.get_column("reasons").to_list(),
            list_sha256=[self.documents_sha256] * len(order),
            config_hash=self._config_hash,
        )
        return frame, who.astype(np.int64)


#: The document levels at which the listed identities' numbers are looked up (a lookup without
#: ``fuzzy``), so that their pairs are scored whatever the names: the levels strong enough to
#: keep a pair in review alone. Name candidates are kept wherever a weaker level could still
#: lift them (:func:`~paxscreen.score._needs.needs_table`).
_DOC_LEVELS_FOUND: Final = ("exact", "confusable", "leading_zeros")


def _readings(names: pl.DataFrame) -> pl.DataFrame:
    """The listed names (columns ``name`` and ``partial``, each pair once) with the texts they
    are indexed under (``reading``), numbered (``name_id``): each name as written, and a name
    in an abjad with letters another language reads otherwise, or in Cyrillic, also as other
    languages read or write it (:func:`~paxscreen.normalize.names.other_readings`), under
    the same written name."""
    written = names.with_columns(reading=pl.col("name"))
    other = names.filter(pl.col("name").str.contains(READ_OTHERWISE))
    rows = [
        (text, partial, read)
        for text, partial in other.select("name", "partial").iter_rows()
        for read in other_readings(text)
    ]
    read = pl.DataFrame(rows, schema=written.schema, orient="row")
    return pl.concat([written, read]).with_row_index("name_id")


def _written(text: pl.Series, names: NameBatch) -> IntArray:
    """Of each listed name, the name it is a reading of (:func:`_readings`: the first with
    its written ``text``, known as much), itself for a name as written."""
    frame = pl.DataFrame({"text": text, "partial": names.partial}).with_row_index("name")
    first = frame.select(pl.col("name").first().over("text", "partial")).to_series()
    return first.to_numpy().astype(np.int64)


def _partial(given: pl.Expr, family: pl.Expr) -> pl.Expr:
    """Whether a row's name is known only in part: given names without a family name, or
    the other way round (:func:`_partial_of`)."""
    known = [
        _known(part).str.strip_chars().str.len_chars().fill_null(0) > 0 for part in (given, family)
    ]
    return known[0] != known[1]


def _partial_of(given: str | None, family: str | None) -> bool:
    """:func:`_partial` of one row, in plain Python."""
    known = [bool((_known_of(part) or "").strip()) for part in (given, family)]
    return known[0] != known[1]


def _document_index(documents: Any) -> tuple[DocumentIndex | None, str | None]:
    """The document list's index and its SHA-256 (None where it is not known: an index
    built elsewhere)."""
    if documents is None:
        return None, None
    if isinstance(documents, DocumentIndex):
        return documents, None
    if isinstance(documents, (str, os.PathLike)):
        digest = hashlib.sha256()
        with open(documents, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return DocumentIndex.build(documents), digest.hexdigest()
    frame = read_documents(documents)
    return DocumentIndex.build(frame), _fingerprint(frame)


@dataclass(frozen=True, slots=True)
class _Travellers:
    """What screening reads of a travellers frame, as Python lists and numpy arrays: one
    traveller at the counter is screened without a polars query (each costs a tenth of a
    millisecond or more however small the frame).

    Attributes:
        record_id: One per traveller.
        name: The name as one string (:func:`_name_text`), None when there is none.
        partial: Whether the name is known only in part (:func:`_partial`).
        dob: The dates of birth.
        year: The year of birth, -1 when unknown.
        sex: One per traveller, None when unknown.
        nationality: One per traveller, None when unknown.
        probe_t: Every document of every traveller (the primary one, then each of
            ``documents``) that has a number, once: the traveller's position...
        probe_number: ... the number as given ...
        probe_issuer: ... its issuing state ...
        probe_type: ... and its type.
        numbers: The document numbers of traveller ``i`` are
            ``numbers[0][numbers[1][i]:numbers[1][i + 1]]`` (those of its documents).
    """

    record_id: list[str]
    name: list[str | None]
    partial: list[bool]
    dob: DateParts
    year: IntArray
    sex: list[str | None]
    nationality: list[str | None]
    probe_t: list[int]
    probe_number: list[str]
    probe_issuer: list[str | None]
    probe_type: list[str | None]
    numbers: tuple[TextArray, IntArray]

    def __len__(self) -> int:
        return len(self.record_id)

    @classmethod
    def read(cls, frame: pl.DataFrame) -> _Travellers:
        """The travellers of a frame; missing columns are unknown.

        Raises:
            SchemaError: The frame has no ``record_id`` column.
        """
        present = set(frame.columns)
        if "record_id" not in present:
            raise SchemaError("the travellers frame has no record_id column")
        height = frame.height
        values: dict[str, list[Any]] = {
            name: frame.get_column(name).to_list() if name in present else [None] * height
            for name in _READ
        }
        dob = frame.get_column("dob") if "dob" in present else pl.Series([None] * height)
        if dob.dtype != pl.Date():
            dob = dob.cast(pl.Date, strict=False)
        days = dob.to_numpy().astype("datetime64[D]")
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        probes: dict[tuple[int, str, str | None, str | None], None] = {}
        primary = zip(values["doc_number"], values["doc_issuer"], values["doc_type"], strict=True)
        for i, (number, issuer, doc_type) in enumerate(primary):
            probes[i, number, issuer, doc_type] = None
        for i, documents in enumerate(values["documents"]):
            for document in documents or ():
                if document is not None:
                    key = (document["doc_number"], document["doc_issuer"], document["doc_type"])
                    probes[(i, *key)] = None
        kept = [probe for probe in probes if doc_number_key_scalar(probe[1]) is not None]
        by_traveller = sorted(kept, key=lambda probe: probe[0])  # stable
        return cls(
            record_id=values["record_id"],
            name=[
                _name_of(given, family, full)
                for given, family, full in zip(
                    values["given_names"], values["family_name"], values["full_name"], strict=True
                )
            ],
            partial=[
                _partial_of(given, family)
                for given, family in zip(values["given_names"], values["family_name"], strict=True)
            ],
            dob=DateParts.of_dates(days),
            year=np.where(np.isnat(days), -1, years),
            sex=values["sex"],
            nationality=values["nationality"],
            probe_t=[probe[0] for probe in kept],
            probe_number=[probe[1] for probe in kept],
            probe_issuer=[probe[2] for probe in kept],
            probe_type=[probe[3] for probe in kept],
            numbers=(
                np.array([probe[1] for probe in by_traveller], dtype=object),
                np.searchsorted(
                    np.array([probe[0] for probe in by_traveller], dtype=np.int64),
                    np.arange(height + 1),
                ).astype(np.int64),
            ),
        )


def _name_of(given: str | None, family: str | None, full: str | None) -> str | None:
    """:func:`_name_text` of one row, in plain Python."""
    parts = (_known_of(given), _known_of(family))
    return " ".join(part for part in parts if part is not None) or full


#: The columns :meth:`_Travellers.read` takes as Python values.
_READ: Final = (
    "record_id",
    "given_names",
    "family_name",
    "full_name",
    "sex",
    "nationality",
    "doc_number",
    "doc_issuer",
    "doc_type",
    "documents",
)


@dataclass(frozen=True, slots=True)
class _Pairs:
    """(traveller, listed identity) pairs to score, one element each.

    Attributes:
        t: The traveller's position.
        entry: The identity's row of the entries frame.
        name_id: The listed name compared; -1 for a pair found from a document number alone.
        similarity: The name similarity; NaN without a name.
        commonness: The commonness of the pair's names; 0 without a name.
        by_document: Whether the traveller holds a number of the identity's (at a level of
            :data:`_DOC_LEVELS_FOUND`).
    """

    t: IntArray
    entry: IntArray
    name_id: IntArray
    similarity: FloatArray
    commonness: FloatArray
    by_document: BoolArray

    def take(self, rows: IntArray) -> _Pairs:
        """Pairs ``rows``."""
        return _Pairs(*(getattr(self, f.name)[rows] for f in fields(self)))


#: A listed field of the identities as (offsets, values): the values of identity ``e`` are
#: ``values[offsets[e]:offsets[e + 1]]``.
_Listed = tuple[IntArray, IntArray]

_UNKNOWN_DOB: Final = DOB_LEVELS.index("unknown")
_SAME_YEAR: Final = DOB_LEVELS.index("same_year")
_SAME_MONTH_YEAR: Final = DOB_LEVELS.index("same_month_year")
_MISMATCH: Final = DOB_LEVELS.index("mismatch")
_UNKNOWN_DOC: Final = DOC_LEVELS.index("unknown")
_SAME, _DIFFERENT, _UNKNOWN = (AGREEMENT_LEVELS.index(a) for a in ("same", "different", "unknown"))
_DAY: Final = PRECISIONS.index("day")


@dataclass(frozen=True, slots=True)
class _Identities:
    """What the listed identities pool (the entries frame), as flat arrays: computed once per
    screener (build or load), read pair by pair without polars.

    Attributes:
        entry_id: One per identity.
        dobs: The dates of birth.
        nationalities: As codes of ``codes``.
        sexes: As codes of ``codes``.
        codes: The code of each nationality and sex value listed.
        docs: The document numbers, as listed.
        forms: The OCR-folded and the zero-stripped key of every listed document number,
            sorted.
    """

    entry_id: pl.Series
    dobs: tuple[IntArray, DateParts]
    nationalities: _Listed
    sexes: _Listed
    codes: dict[str, int]
    docs: tuple[IntArray, TextArray]
    forms: npt.NDArray[np.bytes_]

    @classmethod
    def of(cls, entries: pl.DataFrame) -> _Identities:
        """The arrays of an entries frame (one row per identity, its lists pooled)."""

        def listed(name: str) -> tuple[IntArray, pl.Series]:
            lists = entries.get_column(name)
            sizes = lists.list.len().fill_null(0).to_numpy()
            offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
            return offsets, lists.explode(empty_as_null=False, keep_nulls=False)

        nationalities, sexes = listed("nationalities"), listed("sexes")
        vocabulary = pl.concat([nationalities[1], sexes[1]]).unique().sort()
        dobs, docs = listed("dobs"), listed("docs")

        number = pl.col("docs")
        folded = docs[1].to_frame().select(ocr_folded(number), zeros=strip_leading_zeros(number))
        forms = pl.concat([folded.get_column("docs"), folded.get_column("zeros")])

        def coded(field: tuple[IntArray, pl.Series]) -> _Listed:
            return field[0], vocabulary.search_sorted(field[1]).to_numpy().astype(np.int64)

        return cls(
            entry_id=entries.get_column("entry_id"),
            dobs=(
                dobs[0],
                DateParts.of_partial(dobs[1].to_frame().select(partial_date("dobs")).to_series()),
            ),
            nationalities=coded(nationalities),
            sexes=coded(sexes),
            codes={value: code for code, value in enumerate(vocabulary.to_list())},
            docs=(docs[0], docs[1].to_numpy().astype(object)),
            forms=np.unique(np.array(forms.drop_nulls().to_list(), dtype=np.bytes_)),
        )

    def dob_levels(self, dob: DateParts, pairs: _Pairs) -> IntArray:
        """The best DOB level of each pair over the identity's dates (positions in
        :data:`~paxscreen.compare.dates.DOB_LEVELS`; ``unknown`` without one)."""
        offsets, dates = self.dobs
        owner, at = _expand(offsets, pairs.entry)
        traveller, listed = dob.take(pairs.t[owner]), dates.take(at)
        level = dob_level_codes(traveller, listed).astype(np.int64)
        # Two full dates of the same year that no slip of the pen explains (one_digit,
        # day_month_swapped) are different dates: the level table calls them same_year, or
        # same_month_year in the same month, which is evidence only against a date known to
        # its year or month alone (a same day in another month, 1968-03-26 against
        # 1968-11-26, alerted common Chinese names on generated flights as a year that
        # agrees; MARIA GEORGIOU born 1981-08-05 alerted against a listed 1981-08-10 at a
        # million identities as a month that agrees)
        both_full = (traveller.precision == _DAY) & (listed.precision == _DAY)
        level[both_full & ((level == _SAME_YEAR) | (level == _SAME_MONTH_YEAR))] = _MISMATCH
        return _least(level, np.bincount(owner, minlength=len(pairs.t)), _UNKNOWN_DOB)

    def doc_levels(self, t: _Travellers, pairs: _Pairs) -> IntArray:
        """The best document level of each pair: every number of the traveller against every
        number of the identity (positions in
        :data:`~paxscreen.compare.documents.DOC_LEVELS`; ``unknown`` without a number on
        either side)."""
        numbers, traveller_offsets = t.numbers
        listed_offsets, listed = self.docs
        mine = traveller_offsets[pairs.t + 1] - traveller_offsets[pairs.t]
        theirs = listed_offsets[pairs.entry + 1] - listed_offsets[pairs.entry]
        both = mine * theirs
        owner = np.repeat(np.arange(len(both)), both)
        within = np.arange(len(owner)) - (np.cumsum(both) - both)[owner]
        a = numbers[traveller_offsets[pairs.t][owner] + within // theirs[owner]]
        b = listed[listed_offsets[pairs.entry][owner] + within % theirs[owner]]
        level = doc_number_level_codes(a.tolist(), b.tolist()).astype(np.int64)
        return _least(level, both, _UNKNOWN_DOC)

    def may_hold(self, numbers: list[str]) -> IntArray:
        """The positions of the document numbers that may be an identity's up to OCR
        look-alikes or leading zeros (:data:`_DOC_LEVELS_FOUND`): those whose OCR-folded or
        zero-stripped key is one of a listed number's. Only these are looked up: a lookup
        costs a millisecond however few the numbers, and nearly every traveller's number is on
        no listed identity."""
        keys = [doc_number_key_scalar(number) or "" for number in numbers]
        forms = [[ocr_folded_scalar(key), strip_leading_zeros_scalar(key)] for key in keys]
        wanted = np.array(forms, dtype=np.bytes_).reshape(-1, 2)
        at = np.searchsorted(self.forms, wanted).clip(max=max(len(self.forms) - 1, 0))
        listed = (self.forms[at] == wanted) if len(self.forms) else np.zeros_like(at, bool)
        return np.flatnonzero(listed.any(axis=1))

    def numbered(self, t: _Travellers, pairs: _Pairs) -> BoolArray:
        """Whether the traveller and the identity of each pair both hold a document number."""
        traveller, listed = t.numbers[1], self.docs[0]
        mine = traveller[pairs.t + 1] > traveller[pairs.t]
        return mine & (listed[pairs.entry + 1] > listed[pairs.entry])

    def agreement(
        self,
        field: _Listed,
        values: list[str | None],
        pairs: _Pairs,
        ignore: tuple[str, ...] = (),
    ) -> IntArray:
        """``same`` where the traveller's value is among the identity's, ``different`` where
        both are known and it is not, ``unknown`` otherwise (positions in
        :data:`~paxscreen.compare.documents.AGREEMENT_LEVELS`)."""
        unknown = -2  # a value not listed anywhere is -1: known, and equal to nothing
        code = np.array(
            [unknown if v is None or v in ignore else self.codes.get(v, -1) for v in values],
            dtype=np.int64,
        )[pairs.t]
        owner, at = _expand(field[0], pairs.entry)
        same = np.bincount(owner, weights=field[1][at] == code[owner], minlength=len(code)) > 0
        listed = np.bincount(owner, minlength=len(code)) > 0
        return np.where(
            (code == unknown) | ~listed, _UNKNOWN, np.where(same, _SAME, _DIFFERENT)
        ).astype(np.int64)


def _expand(offsets: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """For each value listed on ``rows`` (of a field's ``offsets``): the position of its row in
    ``rows`` and the value's position."""
    counts = offsets[rows + 1] - offsets[rows]
    return np.repeat(np.arange(len(rows)), counts), concat_ranges(offsets[rows], counts)


def _least(values: IntArray, counts: IntArray, empty: int) -> IntArray:
    """The least of each run of ``counts`` consecutive values; ``empty`` for an empty run."""
    out = np.full(len(counts), empty, dtype=np.int64)
    some = counts > 0
    if len(values):
        out[some] = np.minimum.reduceat(values, (np.cumsum(counts) - counts)[some])
    return out


def _hits_frame(**columns: Any) -> pl.DataFrame:
    """A frame of :data:`HITS` from its columns as lists (a constant as one string;
    ``doc_status`` null). Built column by column: a frame from a dict costs twice as much."""
    height = len(columns["score"])
    columns.setdefault("doc_status", [None] * height)

    def values(name: str) -> Any:
        value = columns[name]
        return [value] * height if isinstance(value, str) else value

    # (the lists of reasons through Arrow: polars builds a list column from Python lists
    # row by row, several times slower)
    columns["reasons"] = pa.array(columns["reasons"], type=pa.large_list(pa.large_string()))
    return pl.DataFrame(
        [pl.Series(name, values(name), dtype=dtype) for name, dtype in HITS.items()]
    )
