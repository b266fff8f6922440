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
   with one letter deleted (a typo anywhere), and a token of up to three letters meets the
   longer tokens starting with it (YU and YUAN). A key collision is verified with the real
   :func:`~paxscreen.compare.names.token_similarity`; tokens below ``min_token_similarity``
   are not matches.
2. **Names need two matching tokens.** A listed name is a candidate when tokens of it match at
   least two tokens of the traveller's name (a shared MOHAMMED alone is not a name match),
   or one when either name has a single token. Initials neither count nor are required.
   Compounds are found both ways: the traveller's adjacent tokens are also looked up joined
   (ABDUL RAHMAN finds ABDULRAHMAN, alone or with a match of the traveller's other tokens),
   and a traveller's token is also looked up split in two where both halves are listed
   tokens (ABDULRAHMAN finds ABDUL and RAHMAN).
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
   near-exact name). Each candidate's name similarity is bounded from above: every token on
   either side gets the best credit it could have against the other side (the exact
   similarity where the keys matched it, else a bound from the lengths and letters the two
   tokens share, in every reading the comparator tries), and the bound is the best score any
   set of tokens aligned at those credits could give. Names whose bound falls short of what
   their years allow are dropped before any comparison (a property test checks the bound
   against the comparator).

Everything is held in flat numpy arrays (compressed sparse rows), so the index is compact and
saves as plain arrays (:meth:`NameIndex.to_arrays`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from paxscreen.compare.names import (
    _ALIGNED,
    _EXTRA_WEIGHT,
    _INITIAL,
    _SKELETON_DISCOUNT,
    _credits,
    _string_bounds,
    _Strings,
    token_similarity,
)
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
_BOUND_SLACK: Final = 1e-9
_SHORT: Final = 3  # tokens this short are also found from longer ones starting with them
#: Letters a skeleton may gain where two tokens are joined (a digraph across the seam, a soft
#: C, a final H no longer final), as character bits (code modulo 64).
_SEAM_LETTERS: Final = np.bitwise_or.reduce(
    [np.uint64(1) << np.uint64(ord(c) % 64) for c in "CFJSHKGTD"]
)  # the bound is computed in another order than the comparator


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


def _token_keys(token: str, *, asking: bool = False) -> list[str]:
    """The keys a listed token is filed under, or a query token looks up (``asking``): two
    tokens sharing one may be similar. Most are symmetric; a short token and a longer one
    starting with it (YU and YUAN, which Jaro-Winkler's prefix bonus calls similar) meet
    through the short one's whole and the longer one's first two or three letters."""
    skel = _skeleton_key(token)
    keys = ["s" + skel, "r" + token]
    if len(skel) >= 3:
        keys += ["s" + k for k in _deletions(skel)]
    if skel.startswith("L") and len(skel) > 2:  # the article al- on one side only
        keys.append("s" + skel[1:])
    if len(token) >= 3:
        keys += ["r" + k for k in _deletions(token)]
    short = [token] if len(token) <= _SHORT else []
    starts = [token[:n] for n in range(2, _SHORT + 1) if len(token) >= n + 1]
    keys += ["p" + k for k in (starts if asking else short)]
    keys += ["q" + k for k in (short if asking else starts)]
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


@dataclass(frozen=True, slots=True)
class _Matches:
    """Query tokens (positions in the query name) matched with listed tokens, and how
    similar they are."""

    query: IntArray
    listed: IntArray
    similarity: FloatArray


@dataclass(frozen=True, slots=True, eq=False)
class _Shapes:
    """What bounds two tokens' similarity without comparing them: each token's first
    character, and for the token and its skeleton the length, the set of characters (bits of
    the code modulo 64) and how many characters repeat one of that set."""

    first: IntArray
    length: IntArray
    chars: npt.NDArray[np.uint64]
    repeats: IntArray
    skeleton_length: IntArray
    skeleton_chars: npt.NDArray[np.uint64]
    skeleton_repeats: IntArray
    skeleton_slack: IntArray | None = None  # the skeleton may be this much longer

    @classmethod
    def of(cls, tokens: Sequence[str]) -> _Shapes:
        plain = _Strings.of(tokens)
        skeletal = _Strings.of([skeleton(t) for t in tokens])
        return cls(
            np.fromiter((ord(t[0]) if t else -1 for t in tokens), np.int64, len(tokens)),
            plain.length.astype(np.int64),
            plain.chars,
            plain.repeats.astype(np.int64),
            skeletal.length.astype(np.int64),
            skeletal.chars,
            skeletal.repeats.astype(np.int64),
        )

    def joined(self, tokens: IntArray, first: IntArray, last: IntArray) -> _Shapes:
        """Shapes that bound those of ``tokens[first[k]:last[k] + 1]`` joined into one string,
        for each k: exact for the string; for its skeleton, a length that may be shorter and
        letters that may be more (joining can make a digraph or a doubled letter at the seam,
        and keeps a final H), so that a bound from them is still a bound."""
        parts = last - first + 1
        at = concat_ranges(first, parts)
        starts = np.cumsum(parts) - parts
        ids = tokens[at]
        length = np.add.reduceat(self.length[ids], starts)
        chars = np.bitwise_or.reduceat(self.chars[ids], starts)
        skeleton_chars = np.bitwise_or.reduceat(self.skeleton_chars[ids], starts)
        skeleton_length = np.add.reduceat(self.skeleton_length[ids], starts)
        # each seam may shorten the skeleton by two and drop a letter; a final H comes back
        shortest = np.maximum(skeleton_length - 2 * (parts - 1), 2)
        longest = skeleton_length + parts - 1
        return _Shapes(
            first=self.first[tokens[first]],
            length=length,
            chars=chars,
            repeats=length - np.bitwise_count(chars).astype(np.int64),
            skeleton_length=shortest,
            skeleton_chars=skeleton_chars | _SEAM_LETTERS,
            skeleton_repeats=longest
            + 2 * (parts - 1)
            - np.bitwise_count(skeleton_chars).astype(np.int64),
            skeleton_slack=longest - shortest,
        )

    def similarity_bound(self, i: IntArray, other: _Shapes, j: IntArray) -> FloatArray:
        """An upper bound on :func:`~paxscreen.compare.names.token_similarity` (read as Latin)
        of token ``i`` of these and token ``j`` of ``other`` (broadcast together), from their
        lengths and shared characters alone."""
        initial = (self.length[i] == 1) | (other.length[j] == 1)
        plain = _string_bounds(
            (self.length[i], self.chars[i], self.repeats[i]),
            (other.length[j], other.chars[j], other.repeats[j]),
        )
        length = other.skeleton_length[j]
        if other.skeleton_slack is not None:
            # the bound peaks where the length equals the characters that can match
            can_match = np.bitwise_count(self.skeleton_chars[i] & other.skeleton_chars[j])
            can_match = can_match + np.minimum(self.skeleton_repeats[i], other.skeleton_repeats[j])
            fitting = np.minimum(can_match, self.skeleton_length[i])
            length = np.clip(fitting, length, length + other.skeleton_slack[j])
        skeletal = _string_bounds(
            (self.skeleton_length[i], self.skeleton_chars[i], self.skeleton_repeats[i]),
            (length, other.skeleton_chars[j], other.skeleton_repeats[j]),
            exact=other.skeleton_slack is None,
        )
        both = (self.skeleton_length[i] >= 2) & (other.skeleton_length[j] >= 2)
        best = np.maximum(plain, np.where(both, _SKELETON_DISCOUNT * skeletal, 0.0))
        same_initial = np.where(
            (self.length[i] == 1) & (other.length[j] == 1), 1.0, _INITIAL
        )  # one letter against the same letter is the same token
        bound: FloatArray = np.where(
            initial, np.where(self.first[i] == other.first[j], same_initial, 0.0), best
        )
        return bound


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
        self._shapes = _Shapes.of(vocab)
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
        for name in _SHAPES:
            out[f"_shapes.{name}"] = getattr(self._shapes, name)
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
        index._shapes = _Shapes(**{name: arrays[f"_shapes.{name}"] for name in _SHAPES})
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
            keys = _token_keys(token, asking=True)
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

    def _compound_tokens(self, tokens: tuple[str, ...]) -> tuple[_Matches, _Matches, IntArray]:
        """The readings of compounds: the matches of adjacent query tokens joined (by the
        position of the first), of a query token split where both halves are listed tokens
        (each half, similarity 1), and the pair keys (:func:`_pair_keys`) of those halves."""
        joined = [tokens[k] + tokens[k + 1] for k in range(len(tokens) - 1)]
        keys = [key for text in joined for key in _exact_keys(text)]
        pair, listed = self._keys.find(keys, np.arange(len(keys), dtype=np.int64) // 2)
        vocab = self.names.vocab
        if len(pair):
            pair, listed = np.unique(np.stack([pair, listed]), axis=1)
        similarity = np.array(
            [
                token_similarity(joined[k], vocab[v])
                for k, v in zip(pair.tolist(), listed.tolist(), strict=True)
            ]
        )
        close = similarity >= self.min_token_similarity
        pair, listed, similarity = pair[close], listed[close], similarity[close]
        joins = _Matches(pair, listed, similarity)
        halves = [
            (i, part)
            for i, token in enumerate(tokens)
            for cut in range(2, len(token) - 1)
            for part in (token[:cut], token[cut:])
        ]
        asked, found = self._keys.find(
            ["r" + part for _, part in halves], np.arange(len(halves), dtype=np.int64)
        )
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
        splits = _Matches(owner, found[keep], np.ones(int(keep.sum())))
        return joins, splits, split

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
        similar = _Matches(*self._similar_tokens(tokens))
        joins, splits, split = self._compound_tokens(tokens)
        lengths = np.array([len(t) for t in tokens], dtype=np.int64)
        slots = [int(s) for s in np.flatnonzero(lengths > 1)]
        chars = int(lengths.sum())
        by_slot = {s: np.unique(similar.listed[similar.query == s]) for s in slots}
        found: list[IntArray] = []
        # one-token listed names: the one shared token must carry the query's name
        for s in slots:
            found.append(self._carried(self._single, by_slot[s], int(lengths[s]), chars))
        if len(slots) == 1:
            s = slots[0]
            found.append(self._carried(self._postings, by_slot[s], int(lengths[s]), chars))
        # names matching two tokens: every pair of listed tokens similar to two query tokens
        size = len(self.names.vocab)
        pairs = [
            _pair_keys(by_slot[a], by_slot[b], size)
            for i, a in enumerate(slots)
            for b in slots[i + 1 :]
        ]
        # a joined compound is one token of a shorter reading: alone, or with another match
        found.append(self._gather(np.unique(joins.listed), self._single)[0])
        for k, v in zip(joins.query.tolist(), joins.listed.tolist(), strict=True):
            others = [by_slot[s] for s in slots if s not in (k, k + 1)]
            pairs += [_pair_keys(np.array([v]), other, size) for other in others]
        found.append(self._pair_names(np.concatenate([split, *pairs])))
        if year >= 0:
            lo, hi = self._year_range
            for s in slots:
                if self._size(by_slot[s]) <= YEAR_CHANNEL_POSTINGS:
                    names = self._gather(by_slot[s])[0]
                    near = (lo[names] - 1 <= year) & (year <= hi[names] + 1)
                    found.append(names[near & (self._full[names] >= 2)])
        names = _sorted_unique(np.concatenate(found))
        if abjad:  # the comparator reads abjad names by skeleton lengths: no bound
            return names
        bound = self._bound(names, tokens, similar, joins, splits)
        bound[self.names.abjad[names]] = 1.0
        return names[bound >= self._needed(names, year, needs) - _BOUND_SLACK]

    def _bound(
        self,
        names: IntArray,
        tokens: tuple[str, ...],
        similar: _Matches,
        joins: _Matches,
        splits: _Matches,
    ) -> FloatArray:
        """An upper bound on each listed name's similarity to the query ``tokens`` (read as
        Latin).

        Every token on either side is credited with the best credit it could get against the
        other side (:func:`~paxscreen.compare.names._credit`): the exact similarity of the
        matches the index found, else a bound from lengths and shared letters
        (:meth:`_Shapes.similarity_bound`), zero where it cannot align. The query's compound
        readings (adjacent tokens joined, or all of them) count against names with fewer
        tokens, its tokens split in two against names with more, as the comparator reads them.
        The score of any alignment is at most that of the best set of tokens aligned at those
        credits, with the rest left over: weighing a quarter where two tokens or more can
        align and tokens that cannot are not on both sides, else in full.
        """
        if len(names) == 0:
            return np.zeros(0)
        width = len(tokens)
        lengths = np.array([len(t) for t in tokens], dtype=np.float64)
        offsets, flat = self.names.offsets, self.names.tokens
        counts = offsets[names + 1] - offsets[names]
        starts = np.cumsum(counts) - counts
        owner = np.repeat(np.arange(len(names), dtype=np.int64), counts)
        token = flat[concat_ranges(offsets[names], counts)].astype(np.int64)
        distinct, inverse = np.unique(token, return_inverse=True)
        # the query's strings: its tokens, adjacent ones joined, then all of them joined
        covers: list[tuple[int, ...]] = [(k, k + 1) for k in range(width - 1)]
        if width > 2:
            covers.append(tuple(range(width)))
        strings = [*tokens, *("".join(tokens[k] for k in cover) for cover in covers)]
        query = _Shapes.of(strings)
        table = query.similarity_bound(
            np.arange(len(strings))[:, None], self._shapes, distinct[None, :]
        )
        for rows, matches in ((similar.query, similar), (width + joins.query, joins)):
            at = np.searchsorted(distinct, matches.listed).clip(max=len(distinct) - 1)
            known = distinct[at] == matches.listed
            table[rows[known], at[known]] = matches.similarity[known]
        values = np.where(table >= _ALIGNED, _credits(table), 0.0)[:, inverse].T
        values[:, width:] *= (counts < width)[owner, None]  # compounds read on the longer side
        split = np.zeros((width, len(distinct)))
        at = np.searchsorted(distinct, splits.listed).clip(max=len(distinct) - 1)
        known = distinct[at] == splits.listed
        split[splits.query[known], at[known]] = 1.0
        split = split[:, inverse].T * (counts > width)[owner, None]
        per_token = np.maximum(values.max(axis=1), split.max(axis=1))
        per_slot = np.maximum.reduceat(np.maximum(values[:, :width], split), starts, axis=0)
        for j, cover in enumerate(covers):
            joined = np.maximum.reduceat(values[:, width + j], starts)
            for k in cover:
                np.maximum(per_slot[:, k], joined, out=per_slot[:, k])
        # the listed name's readings where it has more tokens: adjacent tokens joined, or all
        longer = counts > width
        adjacent = np.flatnonzero(longer[owner[:-1]] & (owner[1:] == owner[:-1]))
        whole = np.flatnonzero(longer & (counts > 2))
        first = np.concatenate([adjacent, starts[whole]])
        last = np.concatenate([adjacent + 1, starts[whole] + counts[whole] - 1])
        if len(first):
            readings = self._shapes.joined(token, first, last)
            value = query.similarity_bound(
                np.arange(width)[None, :], readings, np.arange(len(first))[:, None]
            )
            parts = last - first + 1
            # one token against one: compared as they are, not credited
            alone = (parts == counts[owner[first]]) & (width == 1)
            value = np.where(
                value >= _ALIGNED, np.where(alone[:, None], value, _credits(value)), 0.0
            )
            np.maximum.at(per_slot, owner[first], value)
            np.maximum.at(
                per_token, concat_ranges(first, parts), np.repeat(value.max(axis=1), parts)
            )
        # the tokens as items: slots first, then the listed name's tokens
        column = np.arange(len(token)) - starts[owner]
        credit = np.zeros((len(names), width + int(counts.max(initial=0))))
        weight = np.zeros_like(credit)
        credit[:, :width], weight[:, :width] = per_slot, lengths
        credit[owner, width + column] = per_token
        weight[owner, width + column] = self._token_length[token]
        total = weight.sum(axis=1)
        everything = (credit * weight).sum(axis=1) / np.maximum(total, 1)
        can_align = np.minimum(
            (per_slot > 0).sum(axis=1), np.bincount(owner, per_token > 0, len(names))
        )
        stuck_both = (per_slot == 0).any(axis=1) & (
            np.bincount(owner, per_token == 0, len(names)) > 0
        )
        cheap = (can_align >= 2) & ~stuck_both
        # leftovers weighing a quarter: the best set aligned is a prefix of the items by credit
        order = np.argsort(-credit, axis=1)
        credit = np.take_along_axis(credit, order, axis=1)
        weight = np.take_along_axis(weight, order, axis=1)
        aligned, weighed = np.cumsum(credit * weight, axis=1), np.cumsum(weight, axis=1)
        share = 1 - _EXTRA_WEIGHT
        prefix = aligned / np.maximum(share * weighed + _EXTRA_WEIGHT * total[:, None], 1e-9)
        best = np.where(credit > 0, prefix, 0.0).max(axis=1, initial=0.0)
        bound: FloatArray = np.where(cheap, np.maximum(best, everything), everything)
        bound[counts == 1] = 1.0  # one-token readings are compared as they are
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
_SHAPES: Final = tuple(f.name for f in fields(_Shapes) if f.name != "skeleton_slack")
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


def _adjacent(open_slot: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Whether each column's left or right neighbour is set, row by row."""
    out = np.zeros_like(open_slot)
    out[:, 1:] |= open_slot[:, :-1]
    out[:, :-1] |= open_slot[:, 1:]
    return out


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
