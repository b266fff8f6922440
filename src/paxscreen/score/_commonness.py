"""How rare a pair's names are: the frequency of their tokens among the other names seen.

A name's **rarity** is ``-log10`` of the joint frequency of its tokens, as if drawn
independently, except that tokens past the two commonest count half (multiplying all of a long
name's tokens would call every three-part name rare); initials play no part. A token's
frequency is counted among all names seen, the listed names and the batch's travellers, plus a
pseudo-population of :data:`PSEUDO_NAMES` names holding none of them (it keeps a small list or
flight from calling every name common).

What matters for a pair is how many *other* people bear its names, so:

- the pair's own two names do not count towards their tokens' frequencies: a traveller and the
  listed person they match hold the same rare surname twice over, which among ten thousand
  names makes it look a hundred times commoner than among a million;
- a token that no other name holds is taken to be as rare as one unseen among
  :data:`REFERENCE_NAMES` names: a small list cannot show that it is any commoner. (On the UN
  screening benchmark, with 10,683 listed names, exact matches of names held nowhere else got
  commonness 0.3 to 0.6 and fell out of review against a date of birth years off; issue 4.)

Against a list of a million names or more both change nothing but the counts of the pair's own
tokens.

The screener turns a rarity into a **commonness** (0..1) by how many listed names are expected
to bear the name: its frequency times the number of listed names, between
``rare_name_bearers`` and ``common_name_bearers`` of :class:`~paxscreen.config.ScreenConfig`.
False alerts come from namesakes on the list, and a list of a million names holds twenty times
the namesakes of a list of fifty thousand: on the benchmark flight against a million
identities, 17 of 727 innocent travellers alerted when commonness was read from the frequency
alone (the thresholds set on lists of 85,000 names), and 5 with it read from the expected
bearers (issue 4). Which band a commonness leads to is :mod:`paxscreen.score`'s business.

A pair with a name from an abjad is compared on consonant skeletons, where many names are one
(DERYA AMINI and أيمن الدوري are both DR MN): its names are at least as common as their
skeletons, counted the same way among the names read as skeletons (:class:`SkeletalCounts`).
On generated flights of 12 seeds this took away one false alert (that pair, with a date one
digit off) and moved one planted alert to review (ABDUL AZIZ AHMED, 0.82 against the Arabic
script, with an exact date).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from paxscreen.compare.names import abjad_reading
from paxscreen.index._name_bounds import concat_ranges
from paxscreen.normalize.names import NameBatch

__all__ = ["PSEUDO_NAMES", "REFERENCE_NAMES", "NameCounts", "SkeletalCounts"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Names added to every population, holding none of its tokens.
PSEUDO_NAMES: Final = 10_000
#: A token no other name holds is as rare as one unseen among this many names.
REFERENCE_NAMES: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class NameCounts:
    """How many of the names seen hold each token: a batch of travellers' and the listed ones.

    Attributes:
        batch: The travellers' names.
        listed: The listed names.
        batch_counts: Per token of ``batch.vocab``: the travellers' names and listed names
            holding it.
        listed_counts: Per token of ``listed.vocab``: the listed names holding it.
        travelling: The listed tokens that travellers' names hold (positions in
            ``listed.vocab``, sorted), and how many of those names hold each.
        listed_id: Per token of ``batch.vocab``: its position in ``listed.vocab``, -1 if no
            listed name holds it.
        batch_lengths: The length of each token of ``batch.vocab``.
        listed_lengths: The length of each token of ``listed.vocab``.
        total: How many names there are to hold a token: all names seen and the
            pseudo-population.
    """

    batch: NameBatch
    listed: NameBatch
    batch_counts: FloatArray
    listed_counts: FloatArray
    travelling: tuple[IntArray, FloatArray]
    listed_id: IntArray
    batch_lengths: IntArray
    listed_lengths: IntArray
    total: float

    @classmethod
    def of(
        cls,
        batch: NameBatch,
        listed: NameBatch,
        *,
        listed_counts: FloatArray,
        listed_lengths: IntArray,
        listed_id: IntArray,
        batch_lengths: IntArray | None = None,
        listed_names: int | None = None,
    ) -> NameCounts:
        """The counts of a batch of travellers' names against the listed names.

        Args:
            batch: The travellers' names.
            listed: The listed names.
            listed_counts: How many listed names hold each listed token.
            listed_lengths: The length of each listed token (1: an initial).
            listed_id: Each token of ``batch.vocab`` in ``listed.vocab``, -1 where not listed.
            batch_lengths: The length of each token of ``batch.vocab``; by default its own.
            listed_names: How many names the list holds, where ``listed`` holds other
                readings of some (:func:`counted_once`); by default ``len(listed)``.
        """
        travelling = np.bincount(batch.tokens, minlength=len(batch.vocab)).astype(np.float64)
        on_list = np.flatnonzero(listed_id >= 0)
        listed_too = np.zeros(len(batch.vocab))
        listed_too[on_list] = listed_counts[listed_id[on_list]]
        # (the travellers' counts of listed tokens are looked up, not added to a copy of the
        # list's counts: one traveller at the counter holds a few tokens of hundreds of
        # thousands)
        order = on_list[np.argsort(listed_id[on_list])]
        return cls(
            batch=batch,
            listed=listed,
            batch_counts=travelling + listed_too,
            listed_counts=listed_counts,
            travelling=(listed_id[order], travelling[order]),
            listed_id=listed_id,
            batch_lengths=_lengths(batch.vocab) if batch_lengths is None else batch_lengths,
            listed_lengths=listed_lengths,
            total=float(
                (len(listed) if listed_names is None else listed_names) + len(batch) + PSEUDO_NAMES
            ),
        )

    def least_rarity(self) -> FloatArray:
        """Of each traveller's name, the most its rarity can be in any pair (the listed name
        of a pair takes one more name from each token it holds, at most)."""
        q = np.arange(len(self.batch), dtype=np.int64)
        owner, tokens = _tokens_of(self.batch, q)
        others = self.batch_counts[tokens] - 1.0 - (self.listed_id[tokens] >= 0)
        return self._rarity(owner, others, self.batch_lengths[tokens] > 1, len(q))

    def pair_rarities(self, query: IntArray, names: IntArray) -> tuple[FloatArray, FloatArray]:
        """The rarity of each pair's traveller's name and listed name, the pair's own names
        not counted (see the module docstring).

        Args:
            query: int64, the traveller's name of each pair (a position in ``batch``).
            names: int64, the listed name of each pair (a position in ``listed``).

        Returns:
            The travellers' names' rarities and the listed names', one per pair.
        """
        query_owner, query_tokens = _tokens_of(self.batch, query)
        listed_owner, listed_tokens = _tokens_of(self.listed, names)
        # one space for the tokens of both sides: a listed token by its id, another after them
        size = len(self.listed.vocab) + len(self.batch.vocab)
        query_keys = np.where(
            self.listed_id[query_tokens] >= 0,
            self.listed_id[query_tokens],
            len(self.listed.vocab) + query_tokens,
        )
        query_keys = query_owner * size + query_keys
        listed_keys = listed_owner * size + listed_tokens
        query_others = self.batch_counts[query_tokens] - 1.0 - _held(query_keys, listed_keys)
        held = self.listed_counts[listed_tokens] + _looked_up(*self.travelling, listed_tokens)
        listed_others = held - 1.0 - _held(listed_keys, query_keys)
        return (
            self._rarity(
                query_owner, query_others, self.batch_lengths[query_tokens] > 1, len(query)
            ),
            self._rarity(
                listed_owner, listed_others, self.listed_lengths[listed_tokens] > 1, len(names)
            ),
        )

    def _rarity(
        self, owner: IntArray, others: FloatArray, full: npt.NDArray[np.bool_], size: int
    ) -> FloatArray:
        """The rarity of ``size`` names from their tokens (owned by ``owner``, in order of
        owner): how many other names hold each, and whether it is more than an initial."""
        unseen = -np.log10(0.5 / max(self.total, REFERENCE_NAMES))
        each = np.where(others > 0, -np.log10((np.maximum(others, 0.0) + 0.5) / self.total), unseen)
        each = np.where(full, each, np.inf)  # initials sort last and weigh nothing
        order = np.lexsort((each, owner))
        owner, each, full = owner[order], each[order], full[order]
        rank = np.arange(len(owner)) - np.searchsorted(owner, owner)
        weight = np.where(rank < 2, 1.0, 0.5) * full
        summed = np.bincount(owner, weights=weight * np.where(full, each, 0.0), minlength=size)
        return summed.astype(np.float64)


@dataclass(frozen=True, slots=True)
class SkeletalCounts:
    """The listed names read as a name from an abjad is compared with them (each token as
    :func:`~paxscreen.compare.names.abjad_reading`, its consonant skeleton), and how many
    listed names hold each such reading (made once per screener, not saved).

    A pair with a name from an abjad is compared on skeletons, where many names are one:
    DERYA AMINI and أيمن الدوري are both DR MN. Such a pair's names are as common as their
    skeletons, which :meth:`of_batch` counts as :class:`NameCounts` counts tokens.

    Attributes:
        listed: The listed names, each token replaced by its reading.
        counts: How many listed names hold each reading (a name holding two tokens of one
            reading counts twice).
        lengths: Of each reading, the length of the longest token read so (1: initials only).
        ids: The position of each reading in ``listed.vocab``.
        names: How many names the list holds (:meth:`NameCounts.of`'s ``listed_names``).
    """

    listed: NameBatch
    counts: FloatArray
    lengths: IntArray
    ids: Mapping[str, int]
    names: int

    @classmethod
    def of(cls, listed: NameBatch, counts: FloatArray, names: int) -> SkeletalCounts:
        """The readings of ``listed`` (``names`` names, :class:`NameCounts`), whose tokens'
        ``counts`` are given."""
        read, reading_of, lengths = _read_as_abjad(listed)
        weights = np.bincount(reading_of, weights=counts, minlength=len(read.vocab))
        ids = {reading: k for k, reading in enumerate(read.vocab)}
        return cls(read, weights.astype(np.float64), lengths, ids, names)

    def of_batch(self, batch: NameBatch) -> NameCounts:
        """:class:`NameCounts` of the readings of a batch of travellers' names against the
        listed names'."""
        names, _, lengths = _read_as_abjad(batch)
        listed_id = (self.ids.get(reading, -1) for reading in names.vocab)
        return NameCounts.of(
            names,
            self.listed,
            listed_counts=self.counts,
            listed_lengths=self.lengths,
            listed_id=np.fromiter(listed_id, np.int64, len(names.vocab)),
            batch_lengths=lengths,
            listed_names=self.names,
        )


def _read_as_abjad(names: NameBatch) -> tuple[NameBatch, IntArray, IntArray]:
    """``names`` with each token replaced by its :func:`abjad_reading` (a sorted vocabulary),
    the reading of each token of ``names.vocab``, and of each reading the length of the
    longest token read so."""
    readings = np.array([abjad_reading(token) for token in names.vocab], dtype=object)
    vocab, reading_of = np.unique(readings, return_inverse=True)
    reading_of = reading_of.astype(np.int64)
    lengths = np.zeros(len(vocab), dtype=np.int64)
    np.maximum.at(lengths, reading_of, _lengths(names.vocab))
    read = NameBatch(
        vocab=tuple(vocab.tolist()),
        offsets=names.offsets,
        tokens=reading_of[names.tokens].astype(np.int32),
        abjad=names.abjad,
        partial=names.partial,
    )
    return read, reading_of, lengths


def _lengths(vocab: tuple[str, ...]) -> IntArray:
    """The length of each token."""
    return np.fromiter(map(len, vocab), np.int64, len(vocab))


def counted_once(listed: NameBatch, counts: IntArray, written: IntArray) -> FloatArray:
    """How many listed names hold each token, where some names are other readings of others
    (a name in Persian script read as Arabic and as Persian): ``counts`` (each reading
    counted as a name) less one for each token that both a name and a reading of it hold.

    Args:
        listed: The listed names, readings among them.
        counts: How many of ``listed`` hold each token of ``listed.vocab``.
        written: Of each listed name, the name it is a reading of (itself for most).

    Returns:
        float64, per token of ``listed.vocab``.
    """
    out = counts.astype(np.float64)
    read = np.flatnonzero(written != np.arange(len(written)))
    if not len(read):
        return out
    size = len(listed.vocab)
    name_of, names = _tokens_of(listed, written[read])
    reading_of, readings = _tokens_of(listed, read)
    # (k, token) of the tokens that both the k-th reading and its name hold, each once
    both = np.intersect1d(
        np.unique(name_of * size + names),
        np.unique(reading_of * size + readings),
        assume_unique=True,
    )
    return out - np.bincount(both % size, minlength=size)


def _tokens_of(names: NameBatch, which: IntArray) -> tuple[IntArray, IntArray]:
    """The tokens of names ``which``, name after name, and the position in ``which`` of the
    name holding each."""
    offsets = names.offsets
    sizes = offsets[which + 1] - offsets[which]
    tokens = names.tokens[concat_ranges(offsets[which], sizes)].astype(np.int64)
    return np.repeat(np.arange(len(which), dtype=np.int64), sizes), tokens


def _looked_up(keys: IntArray, values: FloatArray, wanted: IntArray) -> FloatArray:
    """The value of each of ``wanted`` among sorted, distinct ``keys``; 0 where it is not one."""
    out = np.zeros(len(wanted))
    if len(keys):
        at = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
        found = keys[at] == wanted
        out[found] = values[at[found]]
    return out


def _held(keys: IntArray, among: IntArray) -> FloatArray:
    """1.0 where a key is among ``among``, else 0.0."""
    among = np.unique(among)
    return _looked_up(among, np.ones(len(among)), keys)
