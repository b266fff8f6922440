"""The watchlist name index: which listed names are worth comparing with a traveller's name.

Comparing every traveller with every listed name is exact but slow (850 travellers against 3
million names is 2.5 billion comparisons). :class:`NameIndex` is built once per list and returns
the candidate pairs that can reach a name similarity worth scoring, keeping (measured in the
tests) at least 99.5% of the pairs that brute force would score above the review threshold.

How a listed name becomes a candidate
-------------------------------------
1. **Tokens find similar tokens through keys.** Each distinct token of the list is filed under
   several keys: its consonant skeleton (:func:`~paxscreen.normalize.names.skeleton`, so
   MOHAMMED finds MUHAMMAD), the skeleton with one consonant deleted (one consonant changed,
   added or dropped: ZHANG finds CHANG, a typo in a consonant), the token itself and the token
   with one letter deleted (a typo anywhere). A key collision is verified with the real
   :func:`~paxscreen.compare.names.token_similarity`; tokens below ``min_token_similarity``
   are not matches.
2. **Names need two matching tokens.** A listed name is a candidate when tokens of it match at
   least two tokens of the traveller's name (a shared MOHAMMED alone is not a name match),
   or one when either name has a single token. Initials neither count nor are required.
   Compounds are found both ways: the traveller's adjacent tokens are also looked up joined
   (ABDUL RAHMAN finds ABDULRAHMAN), and a traveller's token is also looked up split in two
   where both halves are listed tokens (ABDULRAHMAN finds ABDUL and RAHMAN).
3. **Pairs of tokens are indexed.** Every pair of a listed name's tokens is a key (the two
   token ids packed in one integer), so the names matching two tokens of the traveller are
   read directly: for each two query tokens, every pair of listed tokens similar to them is
   looked up. Frequent tokens (NGUYEN, MOHAMMED, WANG) are never enumerated on their own.
4. **A single shared token must carry the name, or the year of birth must agree.** Against a
   one-token name the other side's leftover tokens weigh fully (see
   :mod:`paxscreen.compare.names`), so such a pair is kept only if the bound on its similarity
   reaches ``min_name_similarity``. Between longer names, one shared token with a different
   other name (HAITAM against HANIN ALOTAIBI) scores about 0.8, which only a date of birth can
   lift into review; so a pair sharing one token is also kept when the listed name's years of
   birth are within one year of the traveller's (for tokens held by at most
   ``YEAR_CHANNEL_POSTINGS`` listed names: a name sharing only a surname that common cannot
   reach review).
5. **A pair no evidence can lift is dropped.** The caller says what name similarity each
   class of years of birth needs to reach review (:func:`paxscreen.score.
   name_similarity_needed`: two people born decades apart cannot; an undated pair needs a
   near-exact name). Each candidate's name similarity is bounded from above by its matched
   tokens (each credited as the comparator would, everything else either weakly aligned or
   left over, whichever is better), and names whose bound falls short of what their years
   allow are dropped before any comparison.

Everything is held in flat numpy arrays (compressed sparse rows), so the index is compact and
saves as plain arrays (:meth:`NameIndex.to_arrays`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from paxscreen.compare.names import _EXTRA_WEIGHT, _credit, _credits, token_similarity
from paxscreen.normalize.names import NameBatch, skeleton
from paxscreen.score import YEAR_CLASSES

__all__ = ["NameIndex", "concat_ranges"]

_KEY_BYTES: Final = 24  # keys are hashed from at most this many bytes (longer ones share more)
_FNV_PRIME: Final = np.uint64(0x100000001B3)
_FNV_OFFSET: Final = np.uint64(0xCBF29CE484222325)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_MEMO_TOKENS: Final = 200_000  # query tokens whose similar listed tokens are remembered
#: Tokens held by more listed names than this do not open the year-of-birth channel.
YEAR_CHANNEL_POSTINGS: Final = 20_000
_BOUND_SLACK: Final = 1e-9  # the bound is computed in another order than the comparator


def _hash(keys: list[str]) -> npt.NDArray[np.uint64]:
    """64-bit FNV-1a of each key's first bytes, vectorised (stable across runs and machines)."""
    raw = np.array(keys, dtype=f"S{_KEY_BYTES}").view(np.uint8).reshape(len(keys), _KEY_BYTES)
    out = np.full(len(keys), _FNV_OFFSET, dtype=np.uint64)
    for column in raw.T:
        out ^= column.astype(np.uint64)
        out *= _FNV_PRIME
    return out


def _deletions(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


def _skeleton_key(token: str) -> str:
    """The token's skeleton as keys use it: Arabic script writes P as B."""
    return skeleton(token).replace("P", "B") or token


def _token_keys(token: str) -> list[str]:
    """The keys a token is filed under: two tokens sharing one may be similar."""
    skel = _skeleton_key(token)
    keys = ["s" + skel, "r" + token]
    if len(skel) >= 3:
        keys += ["s" + k for k in _deletions(skel)]
    if skel.startswith("L") and len(skel) > 2:  # the article al- on one side only
        keys.append("s" + skel[1:])
    if len(token) >= 3:
        keys += ["r" + k for k in _deletions(token)]
    return keys


def _exact_keys(token: str) -> list[str]:
    """Keys for an exact (or skeleton-exact) lookup of a compound's reading."""
    return ["r" + token, "s" + _skeleton_key(token)]


def _csr(groups: IntArray, values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Offsets and values of ``values`` grouped by ``groups`` (0..size-1), sorted and unique."""
    order = np.lexsort((values, groups))
    groups, values = groups[order], values[order]
    keep = np.ones(len(groups), dtype=bool)
    keep[1:] = (groups[1:] != groups[:-1]) | (values[1:] != values[:-1])
    groups, values = groups[keep], values[keep]
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(groups, minlength=size), out=offsets[1:])
    return offsets, values


@dataclass(frozen=True, slots=True, eq=False)
class _Lookup:
    """Hashed keys to ids: ``ids[offsets[k]:offsets[k + 1]]`` are filed under ``hashes[k]``."""

    hashes: npt.NDArray[np.uint64]
    offsets: IntArray
    ids: IntArray

    @classmethod
    def build(cls, keys: list[str], ids: IntArray) -> _Lookup:
        hashes = _hash(keys)
        unique, groups = np.unique(hashes, return_inverse=True)
        offsets, values = _csr(groups.astype(np.int64), ids, len(unique))
        return cls(unique, offsets, values)

    def find(self, keys: list[str], owners: IntArray) -> tuple[IntArray, IntArray]:
        """(owner, id) for every id filed under one of ``keys`` (``owners[i]`` asked key i)."""
        if not keys:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        hashes = _hash(keys)
        slot = np.searchsorted(self.hashes, hashes).clip(max=len(self.hashes) - 1)
        hit = self.hashes[slot] == hashes
        slot, owners = slot[hit], owners[hit]
        starts, counts = self.offsets[slot], self.offsets[slot + 1] - self.offsets[slot]
        return np.repeat(owners, counts), self.ids[concat_ranges(starts, counts)]


def concat_ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """The concatenation of ``range(s, s + c)`` for each start and count, vectorised."""
    nonzero = counts > 0
    starts, counts = starts[nonzero], counts[nonzero]
    if len(counts) == 0:
        return np.zeros(0, dtype=np.int64)
    steps = np.ones(int(counts.sum()), dtype=np.int64)
    firsts = np.cumsum(counts)[:-1]
    steps[0] = starts[0]
    # at each range's first element, jump from the previous range's last value to its start
    steps[firsts] = starts[1:] - (starts[:-1] + counts[:-1] - 1)
    return np.cumsum(steps)


class NameIndex:
    """Candidate listed names for travellers' names (see the module docstring).

    Args:
        names: The listed names, normalised (one entry per watchlist row).
        years: The years of birth of the identities bearing each listed name, as compressed
            rows: ``values[offsets[i]:offsets[i + 1]]`` for name ``i``, -1 for an identity
            with no date of birth. None: no dates known.
        min_token_similarity: Two tokens below this similarity are not a match.
        min_name_similarity: The lowest name similarity the caller will score; pairs that
            cannot reach it may be dropped.
    """

    def __init__(
        self,
        names: NameBatch,
        *,
        years: tuple[IntArray, IntArray] | None = None,
        min_token_similarity: float = 0.8,
        min_name_similarity: float = 0.75,
    ) -> None:
        self.names = names
        self.min_token_similarity = min_token_similarity
        self.min_name_similarity = min_name_similarity
        vocab = names.vocab
        token_length = self._token_length = np.array([len(t) for t in vocab], dtype=np.int64)
        name_of = np.repeat(np.arange(len(names), dtype=np.int64), names.lengths())
        tokens = names.tokens.astype(np.int64)
        initial = token_length[tokens] == 1
        self._full = np.bincount(name_of[~initial], minlength=len(names))  # non-initial tokens
        self._chars = np.bincount(name_of, weights=token_length[tokens], minlength=len(names))
        self._abjad_token = np.zeros(len(vocab), dtype=bool)
        self._abjad_token[tokens[names.abjad[name_of]]] = True
        if years is None:
            years = (np.arange(len(names) + 1, dtype=np.int64), np.full(len(names), -1))
        self._years = years
        year_owner = np.repeat(np.arange(len(names), dtype=np.int64), np.diff(years[0]))
        dated = years[1] >= 0
        self._undated = np.ones(len(names), dtype=bool)
        self._undated[year_owner[dated]] = False
        self._undated[year_owner[~dated]] = True
        lo = np.full(len(names), np.iinfo(np.int64).max)
        hi = np.full(len(names), -1, dtype=np.int64)
        np.minimum.at(lo, year_owner[dated], years[1][dated])
        np.maximum.at(hi, year_owner[dated], years[1][dated])
        self._year_range = (lo, hi)
        self._postings = _csr(tokens, name_of, len(vocab))
        single = self._full[name_of] == 1
        self._single = _csr(tokens[single], name_of[single], len(vocab))
        self._pairs = _pair_postings(name_of[~initial], tokens[~initial], len(vocab))
        keys: list[str] = []
        owners: list[int] = []
        for i, token in enumerate(vocab):
            if len(token) > 1:
                token_keys = _token_keys(token)
                keys += token_keys
                owners += [i] * len(token_keys)
        self._keys = _Lookup.build(keys, np.array(owners, dtype=np.int64))
        self._memo: dict[str, tuple[IntArray, FloatArray]] = {}

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Everything the index holds as named numpy arrays (for :meth:`from_arrays`; the
        remembered token matches are not kept)."""
        out: dict[str, npt.NDArray[Any]] = {
            "names.vocab": np.array(self.names.vocab, dtype=np.str_),
            "names.offsets": self.names.offsets,
            "names.tokens": self.names.tokens,
            "names.abjad": self.names.abjad,
            "settings": np.array([self.min_token_similarity, self.min_name_similarity]),
            "_keys.hashes": self._keys.hashes,
            "_keys.offsets": self._keys.offsets,
            "_keys.ids": self._keys.ids,
        }
        for attribute in _ARRAYS:
            out[attribute] = getattr(self, attribute)
        for attribute in _ARRAY_TUPLES:
            for i, array in enumerate(getattr(self, attribute)):
                out[f"{attribute}.{i}"] = array
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> NameIndex:
        """The index :meth:`to_arrays` gave these arrays of."""
        index = cls.__new__(cls)
        index.names = NameBatch(
            vocab=tuple(arrays["names.vocab"].tolist()),
            offsets=arrays["names.offsets"],
            tokens=arrays["names.tokens"],
            abjad=arrays["names.abjad"],
        )
        index.min_token_similarity, index.min_name_similarity = arrays["settings"].tolist()
        index._keys = _Lookup(arrays["_keys.hashes"], arrays["_keys.offsets"], arrays["_keys.ids"])
        for attribute in _ARRAYS:
            setattr(index, attribute, arrays[attribute])
        for attribute, size in _ARRAY_TUPLES.items():
            setattr(index, attribute, tuple(arrays[f"{attribute}.{i}"] for i in range(size)))
        index._memo = {}
        return index

    # ----------------------------------------------------------------------------------------

    def _similar_tokens(self, tokens: tuple[str, ...]) -> tuple[IntArray, IntArray, FloatArray]:
        """(query token position, listed token, similarity) for each listed token similar
        enough."""
        found = [self._similar_listed(token) for token in tokens]
        query = np.repeat(np.arange(len(tokens), dtype=np.int64), [len(f[0]) for f in found])
        if not found:
            return query, np.zeros(0, dtype=np.int64), np.zeros(0)
        return query, np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])

    def _similar_listed(self, token: str) -> tuple[IntArray, FloatArray]:
        """The listed tokens similar enough to ``token`` and their similarities, remembered per
        index (the same tokens recur from flight to flight)."""
        found = self._memo.get(token)
        if found is not None:
            return found
        listed = np.zeros(0, dtype=np.int64)
        similarity = np.zeros(0)
        if len(token) > 1:
            keys = _token_keys(token)
            _, listed = self._keys.find(keys, np.zeros(len(keys), dtype=np.int64))
            listed = np.unique(listed)
            vocab, abjad = self.names.vocab, self._abjad_token
            similarity = np.array(
                [_token_bound(token, vocab[v], bool(abjad[v])) for v in listed.tolist()],
                dtype=np.float64,
            )
            similar = similarity >= self.min_token_similarity
            listed, similarity = listed[similar], similarity[similar]
        if len(self._memo) >= _MEMO_TOKENS:
            self._memo.clear()
        found = self._memo[token] = (listed, similarity)
        return found

    def _compound_tokens(
        self, tokens: tuple[str, ...]
    ) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """(query token, listed token) for the readings of compounds: adjacent query tokens
        joined (the match counts for both) and a query token split where both halves are
        listed tokens (the match counts for it); then the listed tokens that joined query
        tokens read as, and the pair keys (:func:`_pair_keys`) of the split halves."""
        keys: list[str] = []
        owners: list[int] = []
        for i in range(len(tokens) - 1):
            for key in _exact_keys(tokens[i] + tokens[i + 1]):
                keys += [key, key]
                owners += [i, i + 1]
        query, listed = self._keys.find(keys, np.array(owners, dtype=np.int64))
        halves = [
            (i, part)
            for i, token in enumerate(tokens)
            for cut in range(2, len(token) - 1)
            for part in (token[:cut], token[cut:])
        ]
        no_pairs = np.zeros(0, dtype=np.int64)
        if not halves:
            return query, listed, listed, no_pairs
        asked, found = self._keys.find(
            ["r" + part for _, part in halves], np.arange(len(halves), dtype=np.int64)
        )
        vocab = self.names.vocab
        exact = np.array(
            [vocab[v] == halves[a][1] for a, v in zip(asked.tolist(), found.tolist(), strict=True)],
            dtype=bool,
        )
        asked, found = asked[exact], found[exact]
        # a cut counts when both its halves are listed tokens
        token_of = np.full(len(halves), -1, dtype=np.int64)
        token_of[asked] = found
        left, right = token_of[0::2], token_of[1::2]
        whole = (left >= 0) & (right >= 0)
        keep = whole[asked // 2]
        owner = np.array([i for i, _ in halves], dtype=np.int64)[asked[keep]]
        split = _pair_keys(left[whole], right[whole], len(vocab), every=False)
        matches = np.concatenate([query, owner]), np.concatenate([listed, found[keep]])
        return *matches, listed, split

    def candidates(
        self,
        queries: NameBatch,
        years: IntArray | None = None,
        *,
        needed: Mapping[str, float | FloatArray] | None = None,
    ) -> tuple[IntArray, IntArray]:
        """Candidate pairs for a batch of travellers' names.

        Args:
            queries: The travellers' names, normalised.
            years: The travellers' years of birth, -1 where unknown.
            needed: The least name similarity worth returning for each class of years of
                birth (:func:`paxscreen.score.name_similarity_needed`), for all queries or
                per query: a pair whose name similarity cannot reach it (by a bound from the
                matched tokens) is dropped. By default ``min_name_similarity`` for every
                class.

        Returns:
            Two int64 arrays of equal length: query name positions and listed name positions
            (into the index's ``names``), each pair once, sorted by query.
        """
        floor = self.min_name_similarity
        per_query = {
            c: np.maximum(
                floor, np.broadcast_to(np.asarray((needed or {}).get(c, floor)), len(queries))
            )
            for c in YEAR_CLASSES
        }
        out_q: list[IntArray] = []
        out_l: list[IntArray] = []
        cache: dict[tuple[tuple[str, ...], int, tuple[float, ...]], IntArray] = {}
        for q in range(len(queries)):
            name = queries.name(q)
            if not name.tokens:
                continue
            year = -1 if years is None else int(years[q])
            needs = {c: float(per_query[c][q]) for c in YEAR_CLASSES}
            key = (name.tokens, year, tuple(needs.values()))
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._candidates_of(name.tokens, year, needs, abjad=name.abjad)
            out_q.append(np.full(len(found), q, dtype=np.int64))
            out_l.append(found)
        if not out_q:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(out_q), np.concatenate(out_l)

    def _candidates_of(
        self, tokens: tuple[str, ...], year: int, needs: Mapping[str, float], *, abjad: bool
    ) -> IntArray:
        """The candidate listed names of one query name (``year`` of birth, -1 if unknown)."""
        query, listed, similarity = self._similar_tokens(tokens)
        compound_q, compound_v, joined, split = self._compound_tokens(tokens)
        query = np.concatenate([query, compound_q])
        listed = np.concatenate([listed, compound_v])
        similarity = np.concatenate([similarity, np.ones(len(compound_v))])
        lengths = np.array([len(t) for t in tokens], dtype=np.int64)
        slots = [int(s) for s in np.flatnonzero(lengths > 1)]
        chars = int(lengths.sum())
        by_slot = {s: np.unique(listed[query == s]) for s in slots}
        found: list[IntArray] = []
        # one-token listed names: the one shared token must carry the query's name
        for s in slots:
            found.append(self._carried(self._single, by_slot[s], int(lengths[s]), chars))
        if len(slots) == 1:
            s = slots[0]
            found.append(self._carried(self._postings, by_slot[s], int(lengths[s]), chars))
        # names matching two tokens: every pair of listed tokens similar to two query tokens
        pairs = [
            _pair_keys(by_slot[a], by_slot[b], len(self.names.vocab))
            for i, a in enumerate(slots)
            for b in slots[i + 1 :]
        ]
        # a compound counts for the two query tokens it joins or splits
        found.append(self._gather(np.unique(joined))[0])
        found.append(self._pair_names(np.concatenate([split, *pairs])))
        if year >= 0:
            lo, hi = self._year_range
            for s in slots:
                if self._size(by_slot[s]) <= YEAR_CHANNEL_POSTINGS:
                    names = self._gather(by_slot[s])[0]
                    near = (lo[names] - 1 <= year) & (year <= hi[names] + 1)
                    found.append(names[near & (self._full[names] >= 2)])
        names = _sorted_unique(np.concatenate(found))
        bound = self._bound(names, lengths, query, listed, similarity, single=len(slots) == 1)
        if abjad:  # the comparator reads abjad names by skeleton lengths: no bound
            bound[:] = 1.0
        else:
            bound[self.names.abjad[names]] = 1.0
        return names[bound >= self._needed(names, year, needs) - _BOUND_SLACK]

    def _bound(
        self,
        names: IntArray,
        lengths: IntArray,
        query: IntArray,
        listed: IntArray,
        similarity: FloatArray,
        *,
        single: bool,
    ) -> FloatArray:
        """An upper bound on each listed name's similarity to the query.

        A matched token is credited with its best similarity (as the comparator credits it)
        and everything unmatched on either side either aligns weakly (at most the credit of a
        token pair below ``min_token_similarity``) or is left over (weighing at least
        ``_EXTRA_WEIGHT``); the bound is the better of the two extremes, since the score is
        monotone between them.
        """
        offsets, flat = self.names.offsets, self.names.tokens
        counts = offsets[names + 1] - offsets[names]
        position = concat_ranges(offsets[names], counts)
        owner = np.repeat(np.arange(len(names), dtype=np.int64), counts)
        token = flat[position].astype(np.int64)
        # every (name token, query slot) match, by the listed token
        order = np.argsort(listed, kind="stable")
        by_token, slot, credit = listed[order], query[order], _credits(similarity[order])
        first = np.searchsorted(by_token, token, side="left")
        last = np.searchsorted(by_token, token, side="right")
        at = concat_ranges(first, last - first)
        where = np.repeat(np.arange(len(token), dtype=np.int64), last - first)
        per_slot = np.zeros((len(names), len(lengths)))
        np.maximum.at(per_slot, (owner[where], slot[at]), credit[at])
        per_token = np.zeros(len(token))
        np.maximum.at(per_token, where, credit[at])
        token_length = self._token_length[token]
        matched_query = (per_slot > 0) @ lengths
        matched_listed = np.bincount(
            owner, weights=token_length * (per_token > 0), minlength=len(names)
        )
        credited = per_slot @ lengths + np.bincount(
            owner, weights=token_length * per_token, minlength=len(names)
        )
        weight = matched_query + matched_listed
        unmatched_query = lengths.sum() - matched_query
        unmatched_listed = self._chars[names] - matched_listed
        rest = unmatched_query + unmatched_listed
        # all the rest aligned weakly, or as little aligned as leaves one side without leftovers
        weak = _credit(self.min_token_similarity)  # at most, for tokens not matched
        aligned = (credited + weak * rest) / np.maximum(weight + rest, 1)
        least = np.minimum(unmatched_query, unmatched_listed)
        left = (credited + weak * least) / np.maximum(
            weight + least + _EXTRA_WEIGHT * (rest - least), 1
        )
        bound: FloatArray = np.maximum(aligned, left)
        if single:  # two one-token names are compared as they are
            bound[self._full[names] <= 1] = 1.0
        return bound

    def _needed(self, names: IntArray, year: int, needs: Mapping[str, float]) -> FloatArray:
        """The name similarity each listed name needs, by what its identities' years of birth
        allow against ``year`` (the most favourable of them)."""
        out = np.full(len(names), needs["unknown"])
        if year < 0:
            return out
        offsets, values = self._years
        counts = offsets[names + 1] - offsets[names]
        listed = values[concat_ranges(offsets[names], counts)]
        owner = np.repeat(np.arange(len(names), dtype=np.int64), counts)
        dated = listed >= 0
        same = dated & (listed == year)
        close = dated & ~same & ((np.abs(listed - year) == 1) | _one_digit_apart(listed, year))
        need = np.select(
            [same, close, dated], [needs["same"], needs["close"], needs["far"]], needs["unknown"]
        )
        out[:] = np.inf
        np.minimum.at(out, owner, need)
        return out

    def _gather(
        self, tokens: IntArray, csr: tuple[IntArray, IntArray] | None = None
    ) -> tuple[IntArray, IntArray]:
        """The listed names holding each of ``tokens``: (name, token) pairs."""
        offsets, values = csr or self._postings
        starts, counts = offsets[tokens], offsets[tokens + 1] - offsets[tokens]
        return values[concat_ranges(starts, counts)], np.repeat(tokens, counts)

    def _pair_names(self, keys: IntArray) -> IntArray:
        """The listed names holding a pair of tokens with each of ``keys``."""
        known, offsets, values = self._pairs
        keys = _sorted_unique(keys)
        at = np.searchsorted(known, keys).clip(max=max(len(known) - 1, 0))
        at = at[known[at] == keys] if len(known) else at[:0]
        return values[concat_ranges(offsets[at], offsets[at + 1] - offsets[at])]

    def _carried(
        self, csr: tuple[IntArray, IntArray], tokens: IntArray, length: int, query_chars: int
    ) -> IntArray:
        """Listed names (from ``csr``) sharing one of ``tokens`` with a query token of
        ``length`` characters, where that token alone can carry the name similarity to
        ``min_name_similarity``: everything else of both names weighs fully against it."""
        names, token = self._gather(tokens, csr)
        matched = length + self._token_length[token]
        fits = matched >= self.min_name_similarity * (self._chars[names] + query_chars)
        return names[fits]

    def token_ids(self, tokens: Sequence[str]) -> IntArray:
        """The position of each of ``tokens`` in ``names.vocab``; -1 where it is not listed."""
        out = np.full(len(tokens), -1, dtype=np.int64)
        asked, found = self._keys.find(
            ["r" + t for t in tokens], np.arange(len(tokens), dtype=np.int64)
        )
        vocab = self.names.vocab
        same = [vocab[v] == tokens[a] for a, v in zip(asked.tolist(), found.tolist(), strict=True)]
        out[asked[same]] = found[same]
        return out

    def token_lengths(self) -> IntArray:
        """The length of each token of ``names.vocab``."""
        return self._token_length

    def token_counts(self) -> IntArray:
        """How many listed names hold each token of ``names.vocab``."""
        return np.diff(self._postings[0])

    def _size(self, tokens: IntArray) -> int:
        offsets = self._postings[0]
        return int((offsets[tokens + 1] - offsets[tokens]).sum())


#: The attributes of :class:`NameIndex` that are arrays, and those that are tuples of arrays
#: (with their sizes), as :meth:`NameIndex.to_arrays` names them.
_ARRAYS: Final = ("_token_length", "_full", "_chars", "_abjad_token", "_undated")
_ARRAY_TUPLES: Final = {"_years": 2, "_year_range": 2, "_postings": 2, "_single": 2, "_pairs": 3}


def _pair_keys(a: IntArray, b: IntArray, size: int, *, every: bool = True) -> IntArray:
    """One int64 per unordered pair of token ids: every pair of ``a`` and ``b`` (a product),
    or, with ``every=False``, ``a[i]`` with ``b[i]``. ``size`` is the vocabulary's."""
    if every:
        a, b = np.repeat(a, len(b)), np.tile(b, len(a))
    return np.minimum(a, b) * size + np.maximum(a, b)


def _pair_postings(
    name_of: IntArray, tokens: IntArray, size: int
) -> tuple[IntArray, IntArray, IntArray]:
    """The listed names holding each pair of tokens: (sorted pair keys, offsets, names), from
    each name's tokens (``tokens[k]`` is of name ``name_of[k]``, names in order)."""
    counts = np.bincount(name_of)
    starts = np.cumsum(counts) - counts
    keys: list[IntArray] = []
    owners: list[IntArray] = []
    for n in range(2, int(counts.max(initial=0)) + 1):
        names = np.flatnonzero(counts == n)
        if len(names) == 0:
            continue
        i, j = np.triu_indices(n, 1)
        held = tokens[starts[names, None] + np.arange(n)]
        keys.append(_pair_keys(held[:, i].ravel(), held[:, j].ravel(), size, every=False))
        owners.append(np.repeat(names, len(i)))
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(1, dtype=np.int64), empty
    unique, groups = np.unique(np.concatenate(keys), return_inverse=True)
    offsets, values = _csr(groups.astype(np.int64), np.concatenate(owners), len(unique))
    return unique, offsets, values


def _sorted_unique(values: IntArray) -> IntArray:
    """The distinct values, sorted (by a sort, faster than numpy's hashing ``unique`` here)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _one_digit_apart(years: IntArray, year: int) -> npt.NDArray[np.bool_]:
    """Whether each of ``years`` differs from ``year`` in exactly one decimal digit."""
    differing = np.zeros(len(years), dtype=np.int64)
    for power in (1, 10, 100, 1000):
        differing += (years // power % 10) != (year // power % 10)
    same_rest = years // 10_000 == year // 10_000
    return np.asarray((differing == 1) & same_rest, dtype=bool)


def _token_bound(query: str, listed: str, abjad: bool) -> float:
    """The token similarity, in whichever reading (Latin or abjad) could apply to the pair."""
    best = token_similarity(query, listed)
    if abjad:
        best = max(best, token_similarity(skeleton(query) or query, listed, abjad=True))
    return best
