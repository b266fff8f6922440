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
   that pass ``min_name_similarity``, date of birth, document number, nationality and sex
   against everything the identity lists (all its rows pool together).
4. **Scoring** (:mod:`paxscreen.score`): a score, a band and reasons. At most
   ``max_hits_per_traveller`` hits per traveller, best first.
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

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl

from paxscreen._version import __version__
from paxscreen.compare.dates import DobLevel, best_dob_level, dob_level
from paxscreen.compare.documents import AGREEMENT, DOC_LEVEL, doc_number_level
from paxscreen.compare.names import name_similarity_pairs
from paxscreen.config import ScreenConfig
from paxscreen.errors import SchemaError
from paxscreen.formats.lists import read_documents, read_watchlist
from paxscreen.index.documents import DocumentIndex
from paxscreen.index.names import NameIndex, concat_ranges
from paxscreen.normalize.dates import partial_date
from paxscreen.normalize.documents import doc_number_key
from paxscreen.normalize.names import NameBatch, name_batch
from paxscreen.schema import TRAVELLERS
from paxscreen.score import BANDS, name_similarity_needed, score_document_matches, score_pairs

__all__ = ["HITS", "REJECTS", "ScreenResult", "Screener"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

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

_HITS_BY_TRAVELLER: Final = pl.Schema({"t": pl.UInt32(), **HITS})

#: The rejects frame: travellers that could not be screened, and why.
REJECTS: Final = pl.Schema({"record_id": pl.String(), "reason": pl.String()})

_NO_NAME_OR_DOCUMENT: Final = "no usable name and no document number"
_PSEUDO_NAMES: Final = 10_000
_SAVE_FORMAT: Final = 5  # the layout Screener.save writes (5: document index version 2)


def _name_text(frame: pl.DataFrame) -> pl.Expr:
    """A row's name as one string: given names then family name, else the full name."""
    parts = pl.concat_str(
        [pl.col("given_names"), pl.col("family_name")], separator=" ", ignore_nulls=True
    )
    full = pl.col("full_name") if "full_name" in frame.columns else pl.lit(None, pl.String)
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
            :data:`HITS`), best first per traveller.
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
        rows = rows.with_columns(name=_name_text(rows))
        names = rows.select("name").unique(maintain_order=True).with_row_index("name_id")
        rows = rows.join(names, on="name", how="left")
        self._names = name_batch(names["name"].to_list())
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
        self._index = NameIndex(
            self._names,
            years=(year_offsets, years["year"].to_numpy().astype(np.int64)),
            min_name_similarity=self.config.min_name_similarity,
        )
        # the identities' document numbers, matched as the document list's are
        numbered = rows.filter(doc_number_key("doc_number").is_not_null())
        self._listed_documents = DocumentIndex.build(
            numbered.select("doc_number", "doc_issuer", "doc_type")
        )
        self._listed_document_entries = numbered["entry"].to_numpy().astype(np.int64)
        self._token_counts = self._index.token_counts().astype(np.float64)
        self.build_seconds = time.perf_counter() - started

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
        self._token_counts = self._index.token_counts().astype(np.float64)
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
        t = _travellers(travellers)
        t = t.with_columns(name=_name_text(t)).with_row_index("t")
        batch = name_batch(t["name"].to_list())
        has_name = batch.lengths() > 0
        probes = _document_probes(t)
        has_doc = np.zeros(t.height, dtype=bool)
        has_doc[probes["t"].to_numpy()] = True
        rejected = ~has_name & ~has_doc
        rejects = t.filter(pl.Series(rejected)).select(
            "record_id", reason=pl.lit(_NO_NAME_OR_DOCUMENT)
        )
        years = (
            t.select(pl.col("dob").dt.year().fill_null(-1).cast(pl.Int64)).to_series().to_numpy()
        )
        timings: dict[str, float] = {}

        mark = time.perf_counter()
        rarity, listed_rarity = self._rarities(batch)
        commonness = self._commonness(rarity)
        needed = name_similarity_needed(
            config, doc_levels_found=_DOC_LEVELS_FOUND, commonness=commonness
        )
        q, names = self._index.candidates(batch, years, needed=needed)
        timings["candidates"] = time.perf_counter() - mark
        mark = time.perf_counter()
        similarity = name_similarity_pairs(batch, self._names, q, names)
        timings["names"] = time.perf_counter() - mark
        keep = similarity >= config.min_name_similarity
        q, names, similarity = q[keep], names[keep], similarity[keep]
        offsets, entries = self._name_entries
        counts = offsets[names + 1] - offsets[names]
        pairs = pl.DataFrame(
            {
                "t": np.repeat(q, counts).astype(np.uint32),
                "entry": entries[concat_ranges(offsets[names], counts)].astype(np.uint32),
                "name_id": np.repeat(names, counts).astype(np.uint32),
                "name_similarity": np.repeat(similarity, counts),
            }
        )
        found = self._listed_documents.lookup(
            probes["doc_number"], probes["doc_issuer"], probes["doc_type"], fuzzy=False
        )
        by_document = pl.DataFrame(
            {
                "t": probes["t"].gather(found["probe"]).cast(pl.UInt32),
                "entry": self._listed_document_entries[found["row"].to_numpy()].astype(np.uint32),
            }
        ).unique()
        pairs = (
            pl.concat([pairs, by_document], how="diagonal")
            .sort("name_similarity", descending=True, nulls_last=True)
            .unique(["t", "entry"], keep="first", maintain_order=True)
        )
        mark = time.perf_counter()
        hits = self._score(t, pairs, commonness, listed_rarity)
        timings["scoring"] = time.perf_counter() - mark
        if self._documents is not None:
            mark = time.perf_counter()
            found = self._document_hits(t, probes)
            hits = pl.concat([hits, found]).sort(
                ["t", "score"], descending=[False, True], maintain_order=True
            )
            timings["documents"] = time.perf_counter() - mark
        hits = hits.drop("t")
        timings["total"] = time.perf_counter() - started
        bands = hits["band"].value_counts()
        per_band = {str(b): int(n) for b, n in bands.iter_rows()}
        summary: dict[str, Any] = {
            "travellers": t.height,
            "screened": int(t.height - rejected.sum()),
            "rejected": int(rejected.sum()),
            "hits": hits.height,
            "alerts": per_band.get("alert", 0),
            "reviews": per_band.get("review", 0),
            "candidate_pairs": len(keep),
            "seconds": timings,
            "build_seconds": self.build_seconds,
            "identities": self._entries.height,
            "list_sha256": self.list_sha256,
            "documents_sha256": self.documents_sha256,
            "config_hash": self._config_hash,
            "version": __version__,
        }
        return ScreenResult(hits=hits, rejects=rejects, summary=summary)

    def _rarities(self, batch: NameBatch) -> tuple[FloatArray, Callable[[IntArray], FloatArray]]:
        """The rarity of each traveller's name, and a function giving that of listed names.

        A name's rarity is ``-log10`` of the joint frequency of its tokens among all names seen
        (the listed names and this batch's travellers), as if drawn independently, except that
        tokens past the two commonest count half: multiplying all of a long name's tokens would
        call every three-part name rare. A pseudo-population keeps frequencies from a small
        list or flight from calling every name common.
        """
        listed_counts = self._token_counts
        travelling = np.bincount(batch.tokens, minlength=len(batch.vocab)).astype(np.float64)
        ids = self._index.token_ids(batch.vocab)
        on_list = ids >= 0
        total = len(self._names) + len(batch) + _PSEUDO_NAMES
        pooled = travelling + np.where(on_list, listed_counts[ids.clip(min=0)], 0.0)
        lengths = np.fromiter(map(len, batch.vocab), np.int64, len(batch.vocab))
        travellers = _rarity(
            batch, np.arange(len(batch), dtype=np.int64), pooled.__getitem__, lengths, total
        )
        # travellers' counts of listed tokens, by listed token
        order = np.argsort(ids[on_list])
        shared, shared_counts = ids[on_list][order], travelling[on_list][order]

        def listed(names: IntArray) -> FloatArray:
            def counts(tokens: IntArray) -> FloatArray:
                at = np.searchsorted(shared, tokens).clip(max=max(len(shared) - 1, 0))
                extra = np.where(shared[at] == tokens, shared_counts[at], 0.0) if len(shared) else 0
                return listed_counts[tokens] + extra

            return _rarity(self._names, names, counts, self._index.token_lengths(), total)

        return travellers, listed

    def _commonness(self, rarity: FloatArray) -> FloatArray:
        """Commonness 0..1 from rarity (:class:`~paxscreen.config.ScreenConfig`)."""
        common, rare = self.config.common_name_rarity, self.config.rare_name_rarity
        return np.clip((rare - rarity) / (rare - common), 0.0, 1.0)

    def _score(
        self,
        t: pl.DataFrame,
        pairs: pl.DataFrame,
        traveller_commonness: FloatArray,
        listed_rarity: Callable[[IntArray], FloatArray],
    ) -> pl.DataFrame:
        entries = self._entries
        traveller = t.select(
            "t",
            "record_id",
            "dob",
            t_sex=pl.col("sex"),
            t_nationality=pl.col("nationality"),
            t_docs=_doc_numbers().list.drop_nulls(),
            traveller_name=pl.col("name"),
        ).with_columns(pl.col("t").cast(pl.UInt32))
        pairs = (
            pairs.with_columns(pl.col("entry").cast(pl.UInt32))
            .join(traveller, on="t")
            .join(entries.with_columns(pl.col("entry").cast(pl.UInt32)), on="entry")
        )
        if pairs.is_empty():
            return pl.DataFrame(schema=_HITS_BY_TRAVELLER)
        # Two full dates of the same year that differ in both month and day are different
        # dates (no slip of the pen explains them): the level table calls them same_year,
        # which is evidence only against a year-only listed date.
        level = dob_level("dob", "listed")
        listed = pl.col("listed").str.to_date("%Y-%m-%d", strict=False)
        full = pl.col("dob").is_not_null() & listed.is_not_null()
        apart = (pl.col("dob").dt.month() != listed.dt.month()) & (
            pl.col("dob").dt.day() != listed.dt.day()
        )
        dob = best_dob_level(
            pairs.select("t", "entry", "dob", listed=pl.col("dobs")).explode("listed"),
            ["t", "entry"],
            level=pl.when(full & apart & (level == "same_year"))
            .then(pl.lit("mismatch", DobLevel))
            .otherwise(level),
        )
        doc = (
            pairs.select("t", "entry", "t_docs", "docs")
            .explode("t_docs")
            .explode("docs")
            .with_columns(doc_level=doc_number_level("t_docs", "docs"))
            .group_by("t", "entry")
            .agg(pl.col("doc_level").min())
        )
        # pairs without dates or numbers on either side fell out of the explodes: unknown
        pairs = (
            pairs.join(dob, on=["t", "entry"], how="left")
            .join(doc, on=["t", "entry"], how="left")
            .with_columns(
                pl.col("dob_level").fill_null(pl.lit("unknown", DobLevel)),
                pl.col("doc_level").fill_null(pl.lit("unknown", DOC_LEVEL)),
            )
        )
        name_ids = pairs["name_id"].fill_null(0).to_numpy().astype(np.int64)
        # a pair's names are as common as the commoner of them
        commonness = np.where(
            pairs["name_id"].is_null().to_numpy(),
            0.0,
            np.maximum(
                traveller_commonness[pairs["t"].to_numpy().astype(np.int64)],
                self._commonness(listed_rarity(name_ids)),
            ),
        )
        pairs = pairs.with_columns(
            nationality_agreement=_membership("t_nationality", "nationalities"),
            sex_agreement=_membership("t_sex", "sexes", ignore=("X",)),
            name_commonness=pl.Series(commonness),
            matched_name=self._name_text.gather(pairs["name_id"].fill_null(0)).zip_with(
                pairs["name_id"].is_not_null(), pl.Series([None] * pairs.height, dtype=pl.String)
            ),
        )
        scored = score_pairs(pairs, config=self.config)
        return (
            scored.sort(["t", "score"], descending=[False, True])
            .group_by("t", maintain_order=True)
            .head(self.config.max_hits_per_traveller)
            .with_columns(
                list=pl.lit("watchlist"),
                list_sha256=pl.lit(self.list_sha256),
                config_hash=pl.lit(self._config_hash),
            )
            .pipe(_as_hits)
        )

    def _document_hits(self, t: pl.DataFrame, probes: pl.DataFrame) -> pl.DataFrame:
        """Hits of the travellers' documents (``probes``, :func:`_document_probes`) on the
        document list."""
        assert self._documents is not None
        matches = self._documents.lookup(
            probes["doc_number"], probes["doc_issuer"], probes["doc_type"]
        )
        if matches.is_empty():
            return pl.DataFrame(schema=_HITS_BY_TRAVELLER)
        matches = matches.with_columns(t=probes["t"].gather(matches["probe"]))
        scored = score_document_matches(matches, config=self.config)
        return (
            scored.sort(["t", "score"], descending=[False, True])
            .unique(["t", "row"], keep="first", maintain_order=True)
            .group_by("t", maintain_order=True)
            .head(self.config.max_hits_per_traveller)
            .join(t.select("t", "record_id", traveller_name="name"), on="t")
            .with_columns(
                list=pl.lit("documents"),
                entry_id="record_ref",
                doc_level="level",
                doc_status="status",
                list_sha256=pl.lit(self.documents_sha256, pl.String),
                config_hash=pl.lit(self._config_hash),
            )
            .pipe(_as_hits)
        )


#: The document levels at which the listed identities' numbers are looked up (a lookup without
#: ``fuzzy``), so that their pairs are scored whatever the names: the levels strong enough to
#: keep a pair in review alone. Name candidates are kept wherever a weaker level could still
#: lift them (:func:`~paxscreen.score.name_similarity_needed`).
_DOC_LEVELS_FOUND: Final = ("exact", "confusable", "leading_zeros")


def _document_probes(t: pl.DataFrame) -> pl.DataFrame:
    """Every document of every traveller (``t``): the primary one and each of ``documents``,
    once, with ``doc_number``, ``doc_issuer`` and ``doc_type``; none without a number."""
    columns = ("t", "doc_number", "doc_issuer", "doc_type")
    others = (
        t.select("t", "documents").explode("documents").drop_nulls("documents").unnest("documents")
    )
    return (
        pl.concat([t.select(columns), others.select(columns)])
        .filter(doc_number_key("doc_number").is_not_null())
        .unique(maintain_order=True)
    )


def _rarity(
    batch: NameBatch,
    which: IntArray,
    counts: Callable[[IntArray], FloatArray],
    token_lengths: IntArray,
    total: float,
) -> FloatArray:
    """The rarity of names ``which`` of ``batch`` (see :meth:`Screener._rarities`), from the
    counts of their tokens among ``total`` names; initials play no part."""
    offsets = batch.offsets
    sizes = offsets[which + 1] - offsets[which]
    tokens = batch.tokens[concat_ranges(offsets[which], sizes)].astype(np.int64)
    owner = np.repeat(np.arange(len(which), dtype=np.int64), sizes)
    each = -np.log10((counts(tokens) + 0.5) / total)
    full = token_lengths[tokens] > 1
    each = np.where(full, each, np.inf)  # initials sort last and weigh nothing
    order = np.lexsort((each, owner))
    owner, each, full = owner[order], each[order], full[order]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner)
    weight = np.where(rank < 2, 1.0, 0.5) * full
    summed = np.bincount(owner, weights=weight * np.where(full, each, 0.0), minlength=len(which))
    return summed.astype(np.float64)


def _doc_numbers() -> pl.Expr:
    """Every document number of a traveller: the primary one and those in ``documents``."""
    others = pl.col("documents").list.eval(pl.element().struct.field("doc_number"))
    return pl.concat_list(pl.col("doc_number"), others.fill_null(pl.lit([], pl.List(pl.String))))


def _membership(value: str, listed: str, ignore: tuple[str, ...] = ()) -> pl.Expr:
    """``same`` when the traveller's value is among the identity's, ``different`` when both
    are known and it is not, ``unknown`` otherwise."""
    known = (
        pl.col(value).is_not_null()
        & ~pl.col(value).is_in(list(ignore))
        & (pl.col(listed).list.len() > 0)
    )
    return (
        pl.when(~known)
        .then(pl.lit("unknown", AGREEMENT))
        .when(pl.col(listed).list.contains(pl.col(value)))
        .then(pl.lit("same", AGREEMENT))
        .otherwise(pl.lit("different", AGREEMENT))
    )


def _as_hits(frame: pl.DataFrame) -> pl.DataFrame:
    """The hit columns (and ``t``) of a frame, of their types; null where it has none."""
    return frame.select(
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in _HITS_BY_TRAVELLER.items()
    )


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


def _travellers(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns screening reads, nulls for those missing."""
    if "record_id" not in frame.columns:
        raise SchemaError("the travellers frame has no record_id column")
    wanted = [
        "record_id",
        "family_name",
        "given_names",
        "full_name",
        "dob",
        "sex",
        "nationality",
        "doc_number",
        "doc_issuer",
        "doc_type",
        "documents",
    ]
    schema = dict(TRAVELLERS)
    schema.setdefault("full_name", pl.String())

    def column(name: str) -> pl.Expr:
        if name not in frame.columns:
            return pl.lit(None, schema[name]).alias(name)
        if frame.schema[name] == pl.Null():  # nothing but nulls: no type of its own
            return pl.col(name).cast(schema[name])
        return pl.col(name)

    return frame.select(column(c) for c in wanted).with_columns(
        pl.col("dob").cast(pl.Date, strict=False)
    )
