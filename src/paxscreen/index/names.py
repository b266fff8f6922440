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
3. **Frequent tokens are intersected, not enumerated.** A name matching two tokens matches
   one of the rarer ones, so only the postings of the rarer tokens are read and the most
   frequent token (NGUYEN, MOHAMMED, WANG) is checked by binary search.
4. **A single shared token must carry the name, or the year of birth must agree.** Against a
   one-token name the other side's leftover tokens weigh fully (see
   :mod:`paxscreen.compare.names`), so such a pair is kept only if the bound on its similarity
   reaches ``min_name_similarity``. Between longer names, one shared token with a different
   other name (HAITAM against HANIN ALOTAIBI) scores about 0.8, which only a date of birth can
   lift into review; so a pair sharing one token is also kept when the listed name's years of
   birth are within one year of the traveller's (for tokens held by at most
   ``YEAR_CHANNEL_POSTINGS`` listed names: a name sharing only a surname that common cannot
   reach review).

Everything is held in flat numpy arrays (compressed sparse rows), so the index is compact and
picklable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from paxscreen.compare.names import token_similarity
from paxscreen.normalize.names import NameBatch, skeleton

__all__ = ["NameIndex", "concat_ranges"]

_KEY_BYTES: Final = 24  # keys are hashed from at most this many bytes (longer ones share more)
_FNV_PRIME: Final = np.uint64(0x100000001B3)
_FNV_OFFSET: Final = np.uint64(0xCBF29CE484222325)

IntArray = npt.NDArray[np.int64]

_MEMO_TOKENS: Final = 200_000  # query tokens whose similar listed tokens are remembered
#: Tokens held by more listed names than this do not open the year-of-birth channel.
YEAR_CHANNEL_POSTINGS: Final = 20_000


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
        min_token_similarity: Two tokens below this similarity are not a match.
        min_name_similarity: The lowest name similarity the caller will score; pairs that
            cannot reach it may be dropped.
        years: The earliest and latest year of birth known for each listed name (over the
            identities that bear it), -1 where none is known.
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
        unknown = np.full(len(names), -1, dtype=np.int64)
        self._years = years if years is not None else (unknown, unknown)
        self._postings = _csr(tokens, name_of, len(vocab))
        single = self._full[name_of] == 1
        self._single = _csr(tokens[single], name_of[single], len(vocab))
        keys: list[str] = []
        owners: list[int] = []
        for i, token in enumerate(vocab):
            if len(token) > 1:
                token_keys = _token_keys(token)
                keys += token_keys
                owners += [i] * len(token_keys)
        self._keys = _Lookup.build(keys, np.array(owners, dtype=np.int64))
        self._memo: dict[str, IntArray] = {}

    # ----------------------------------------------------------------------------------------

    def _similar_tokens(self, tokens: tuple[str, ...]) -> tuple[IntArray, IntArray]:
        """(query token position, listed token) for each listed token similar enough."""
        found = [self._similar_listed(token) for token in tokens]
        query = np.repeat(np.arange(len(tokens), dtype=np.int64), [len(f) for f in found])
        return query, np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def _similar_listed(self, token: str) -> IntArray:
        """The listed tokens similar enough to ``token``, remembered per index (the same
        tokens recur from flight to flight)."""
        found = self._memo.get(token)
        if found is not None:
            return found
        if len(token) > 1:
            keys = _token_keys(token)
            _, listed = self._keys.find(keys, np.zeros(len(keys), dtype=np.int64))
            listed = np.unique(listed)
            vocab, abjad = self.names.vocab, self._abjad_token
            similar = [
                _token_bound(token, vocab[v], bool(abjad[v])) >= self.min_token_similarity
                for v in listed.tolist()
            ]
            found = listed[np.array(similar, dtype=bool)] if len(listed) else listed
        else:
            found = np.zeros(0, dtype=np.int64)
        if len(self._memo) >= _MEMO_TOKENS:
            self._memo.clear()
        self._memo[token] = found
        return found

    def _compound_tokens(self, tokens: tuple[str, ...]) -> tuple[IntArray, IntArray]:
        """(query token, listed token) for the readings of compounds: adjacent query tokens
        joined (the match counts for both) and a query token split where both halves are
        listed tokens (the match counts for it)."""
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
        if not halves:
            return query, listed
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
        present = np.zeros(len(halves), dtype=bool)
        present[asked] = True
        whole_cut = present[0::2] & present[1::2]
        keep = whole_cut[asked // 2]
        owner = np.array([i for i, _ in halves], dtype=np.int64)[asked[keep]]
        return np.concatenate([query, owner]), np.concatenate([listed, found[keep]])

    def candidates(
        self, queries: NameBatch, years: IntArray | None = None
    ) -> tuple[IntArray, IntArray]:
        """Candidate pairs for a batch of travellers' names.

        Args:
            queries: The travellers' names, normalised.
            years: The travellers' years of birth, -1 where unknown.

        Returns:
            Two int64 arrays of equal length: query name positions and listed name positions
            (into the index's ``names``), each pair once, sorted by query.
        """
        out_q: list[IntArray] = []
        out_l: list[IntArray] = []
        cache: dict[tuple[tuple[str, ...], int], IntArray] = {}
        for q in range(len(queries)):
            tokens = queries.name(q).tokens
            if not tokens:
                continue
            year = -1 if years is None else int(years[q])
            found = cache.get((tokens, year))
            if found is None:
                found = cache[tokens, year] = self._candidates_of(tokens, year)
            out_q.append(np.full(len(found), q, dtype=np.int64))
            out_l.append(found)
        if not out_q:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(out_q), np.concatenate(out_l)

    def _candidates_of(self, tokens: tuple[str, ...], year: int) -> IntArray:
        """The candidate listed names of one query name (``year`` of birth, -1 if unknown)."""
        query, listed = self._similar_tokens(tokens)
        compound_q, compound_v = self._compound_tokens(tokens)
        query = np.concatenate([query, compound_q])
        listed = np.concatenate([listed, compound_v])
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
        elif len(slots) >= 2:
            sizes = {s: self._size(by_slot[s]) for s in slots}
            frequent = max(slots, key=lambda s: sizes[s])
            rare = [self._gather(by_slot[s])[0] for s in slots if s != frequent]
            names, counts = np.unique(np.concatenate(rare), return_counts=True)
            counts += self._member(names, by_slot[frequent])
            found.append(names[(counts >= 2) & (self._full[names] >= 2)])
        if year >= 0:
            lo, hi = self._years
            for s in slots:
                if self._size(by_slot[s]) <= YEAR_CHANNEL_POSTINGS:
                    names = self._gather(by_slot[s])[0]
                    near = (lo[names] >= 0) & (lo[names] - 1 <= year) & (year <= hi[names] + 1)
                    found.append(names[near & (self._full[names] >= 2)])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def _gather(
        self, tokens: IntArray, csr: tuple[IntArray, IntArray] | None = None
    ) -> tuple[IntArray, IntArray]:
        """The listed names holding each of ``tokens``: (name, token) pairs."""
        offsets, values = csr or self._postings
        starts, counts = offsets[tokens], offsets[tokens + 1] - offsets[tokens]
        return values[concat_ranges(starts, counts)], np.repeat(tokens, counts)

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

    def token_counts(self) -> IntArray:
        """How many listed names hold each token of ``names.vocab``."""
        return np.diff(self._postings[0])

    def _size(self, tokens: IntArray) -> int:
        offsets = self._postings[0]
        return int((offsets[tokens + 1] - offsets[tokens]).sum())

    def _member(self, names: IntArray, tokens: IntArray) -> IntArray:
        """1 where a listed name holds one of ``tokens`` (by binary search in each posting)."""
        offsets, values = self._postings
        hit = np.zeros(len(names), dtype=bool)
        for t in tokens.tolist():
            posting = values[offsets[t] : offsets[t + 1]]
            at = np.searchsorted(posting, names).clip(max=len(posting) - 1)
            hit |= posting[at] == names
        return hit.astype(np.int64)


def _token_bound(query: str, listed: str, abjad: bool) -> float:
    """The token similarity, in whichever reading (Latin or abjad) could apply to the pair."""
    best = token_similarity(query, listed)
    if abjad:
        best = max(best, token_similarity(skeleton(query) or query, listed, abjad=True))
    return best
