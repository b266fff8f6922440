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
   with one letter deleted (a typo anywhere), the token without its first two letters (NGUYEN
   finds UYEN: Jaro forgives a shifted start), its first four letters (JIANG finds JIANPING:
   Jaro-Winkler's bonus for a shared start), and a token of up to three letters meets the
   longer tokens starting with it (YU and YUAN). A key collision is verified with the real
   :func:`~paxscreen.compare.names.token_similarity` (after a bound from lengths and letters
   has ruled out the hopeless; a flight's new tokens all in one rapidfuzz batch); tokens below
   ``min_token_similarity`` (less float rounding: WEI and WAI are 0.7999999999999999) are not
   matches.
2. **Names need two matching tokens.** A listed name is a candidate when tokens of it match at
   least two tokens of the traveller's name (a shared MOHAMMED alone is not a name match),
   or one when either name has a single token. Initials neither count nor are required.
   Compounds are found both ways: the traveller's adjacent tokens are also looked up joined,
   through the same keys (ABDUL RAHMAN finds ABDULRAHMAN, MINH AN finds NHAN, alone or with a
   match of the traveller's other tokens),
   and a traveller's token is also looked up split in two where both halves are listed
   tokens (ABDULRAHMAN finds ABDUL and RAHMAN).
3. **Pairs of tokens are indexed.** Every pair of a listed name's tokens is a key (the two
   token ids packed in one integer), so the names matching two tokens of the traveller are
   read directly: for each two query tokens, every pair of listed tokens similar to them is
   looked up (sieved first through hashed bits of the pairs each listed token is in, since
   most such pairs are held by no listed name). Frequent tokens (NGUYEN, MOHAMMED, WANG) are never
   enumerated on their own.
4. **A single shared token must carry the name, or the year of birth must agree.** Against a
   one-token name the other side's leftover tokens weigh fully (see
   :mod:`paxscreen.compare.names`), so such a pair is kept only if the bound on its similarity
   reaches ``min_name_similarity``. Between longer names, one shared token with a different
   other name (HAITAM against HANIN ALOTAIBI) scores about 0.8, which only a date of birth can
   lift into review; so a pair sharing one token is also kept when one of the listed name's
   years of birth is within one year of the traveller's (for tokens held by at most
   ``YEAR_CHANNEL_POSTINGS`` listed names: a name sharing only a surname that common cannot
   reach review). Those names are read directly from postings filed by token and year of
   birth, three years of one token being one contiguous range. Where the caller's needs ask
   for less (a full date of birth that agrees makes a weaker name worth a look), these pairs
   are gathered from ``min_dated_similarity`` on.
5. **A pair no evidence can lift is dropped.** The caller says what name similarity a
   traveller needs to reach review against each identity bearing a listed name
   (:func:`paxscreen.score._needs.row_needs`, from their dates of birth, documents and sexes:
   two people born decades apart need a near-identical name, and only a document number
   could still speak for them); the index holds each identity's evidence as an opaque code
   (a row), and a pair needs the least of its name's rows. The pair channel files each
   posting once per row of its name, so that it reads the rows' codes in order with the
   names and leaves out at once the pairs whose rows all need more than its bound (most of
   what it finds: namesakes of a common name, or born years apart). Each pair's name
   similarity is bounded from above twice:

   - first, cheaply, from the tokens that found it: in the pair channel, the weighted mean of
     the credits of the two matches (the two best aligned tokens of a name bound all others;
     a join of two query tokens is one of them only against a listed name of fewer tokens,
     the only one the comparator reads the query joined against);
     in the year channel, the shared token with every other token credited less than a match
     the keys would have found. Two matches that cannot reach ``min_name_similarity``
     together are not even looked up. These bounds assume the keys find every two tokens at
     least ``min_token_similarity`` similar (they miss a few: ABDULANNA and ABDULRAHMAN share
     no key, nor DIMITRIDIS and DMITRY, 0.86). The comparator also reads a listed name of
     more tokens than the query with two adjacent tokens joined (or all of them), strings
     the keys never look up but where a query token is two listed tokens exactly (the cuts
     find those): the first bounds take such a reading for a token the keys did not find,
     less than ``min_token_similarity`` similar to every query token, and so miss the few
     that are more (MARINA against MAR ANNA, 0.92: both are MRN as skeletons). A name from
     an abjad joins its tokens' skeletons, and many of them are a letter or two (عبد الله is
     BD L): a pair where a query token reads as two adjacent tokens of such a longer name
     exactly (ABDULLAH, BDL; :meth:`NameIndex._abjad_cuts`) gets 1 here, as do pairs with
     initials on both sides (the keys never look initials up), a query known only in part
     against a listed name of fewer tokens (the query read with all its tokens joined, a
     string the keys never look up, may carry the name: MARIA ANNA ANNA against MARIA
     MARINA, 0.86) and queries from an abjad (against a listed name from an abjad, the
     means are taken on skeletons too); a query of one token against a longer listed name
     gets ``min_token_similarity`` at least, its similarity to the name read with all its
     tokens joined being the name's (PHAN against VAN HANNA, 0.797). (Letters cannot do
     better for the joined readings: against seven in ten of the longer names a flight
     gathers, some query token could be 0.8 similar to some reading by its letters alone);
   - then, for the pairs whose first bound reaches their need, in full: every token on
     either side gets the best credit it could have against the other side (the exact
     similarity where the keys matched it; elsewhere a bound from the lengths and letters
     the two tokens share, and, wherever that bound leaves a credit, the exact similarity,
     computed in one rapidfuzz batch per flight for each distinct pair of strings; in every
     reading the comparator tries, a listed name's joined readings read from its tokens'
     shapes), and the bound is the best score any set of tokens aligned at those credits
     could give (names of as many tokens: every credit at full weight; the reading with all
     tokens joined, one token, on its own). A pair with a name from an abjad on either side
     is compared on skeletons (other token similarities and weights): its bound is its
     similarity itself, by the comparator's batch code.

   Property tests check both bounds against the comparator; the recall test against brute
   force measures what the keys' misses cost.

A whole batch of travellers is served at once: each channel above is a few numpy calls over
all travellers' tokens together (products of match lists, sieved in a compiled loop), the
postings are read in compiled loops (ranges of sorted keys, searched from the previous one),
and the bound is computed for all pairs together, pair by pair in compiled loops
(:mod:`paxscreen.index._name_bounds`). A
big batch is cut into parts of consecutive travellers served by one thread per core (numpy
and the compiled loops let go of the interpreter lock); what each part finds is what the
whole batch would, and what a traveller alone would. What the keys find for a
traveller's token or joined tokens is remembered per index, since the same tokens recur from
flight to flight.

Everything is held in flat numpy arrays (compressed sparse rows), so the index is compact and
saves as plain arrays (:meth:`NameIndex.to_arrays`).
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from paxscreen._jit import grown, kernel, prefetch
from paxscreen.compare.names import (
    _EXTRA_WEIGHT,
    _abjad_skeleton,
    _credit,
    _credits,
    abjad_reading,
    name_similarity_pairs,
    token_similarity,
)
from paxscreen.index._name_bounds import Listed as _Listed
from paxscreen.index._name_bounds import (
    TokenMatches,
    _letter_bounds,
    _Shapes,
    concat_ranges,
    pair_bounds,
    sorted_unique,
    token_similarities,
)
from paxscreen.normalize._romanization import in_table, pinyin_forms, same_surname
from paxscreen.normalize.names import NameBatch, skeleton

__all__ = ["NameIndex", "concat_ranges"]

_KEY_BYTES: Final = 24  # keys are hashed from at most this many bytes (longer ones share more)
_FNV_PRIME: Final = np.uint64(0x100000001B3)
_FNV_OFFSET: Final = np.uint64(0xCBF29CE484222325)
_MIX: Final = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9))  # odd multipliers

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
Int16Array = npt.NDArray[np.int16]
Int8Array = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]

_MEMO_TOKENS: Final = 200_000  # query strings whose listed matches are remembered
#: Tokens held by more listed names than this do not open the year-of-birth channel.
YEAR_CHANNEL_POSTINGS: Final = 20_000
_YEAR_CODES: Final = 1 << 14  # years of birth are filed as token * _YEAR_CODES + year
_BOUND_SLACK: Final = 1e-9
#: What a lookup of a query string found: listed tokens, and their similarities or pair keys.
_Remembered = tuple[npt.NDArray[Any], npt.NDArray[Any]]
_SHORT: Final = 3  # tokens this short are also found from longer ones starting with them
_TAIL: Final = 2  # tokens also meet the tokens they end with, this many letters shorter
_PREFIX: Final = 4  # tokens also meet the tokens starting with the same this many letters
_AHEAD: Final = 16  # compiled loops over scattered entries hint this many items ahead
_BOUND_STEPS: Final = 1 << 10  # first bounds are kept to this many steps, rounded up
_ROWS_AT_ONCE: Final = 1 << 14  # pair postings read at once (their rows stay in the caches)
_INITIAL_BIT: Final = 1 << 14  # a listed name's size (_sizes) has this bit where it has an initial
_ABJAD_BIT: Final = 1 << 13  # ... and this one where it is from an abjad
#: A query's shape flags (:func:`_query_flags`): it has an initial; it is known only in part and
#: has more than two tokens, so the comparator also reads it with all of them joined, and what
#: the listed name has besides the token that reading aligns with weighs a quarter.
_HAS_INITIAL: Final = 1
_WHOLE_IN_PART: Final = 2
#: Batches of travellers are served in parts by up to this many threads (the cores), each
#: thread getting at least ``_PER_THREAD`` travellers (fewer are served on the caller's).
_THREADS: Final = min(os.cpu_count() or 1, 8)
_PER_THREAD: Final = 128


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
    """The token's skeleton as keys use it: as compared against Arabic script, which writes
    P as B (:func:`~paxscreen.compare.names._abjad_skeleton`, not through its cache: the
    index reads each listed token once)."""
    return _abjad_skeleton.__wrapped__(token) or token


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
    if len(token) >= _TAIL + 3:  # NGUYEN and UYEN: Jaro forgives a shifted start
        keys.append("r" + token[_TAIL:])
    short = [token] if len(token) <= _SHORT else []
    starts = [token[:n] for n in range(2, _SHORT + 1) if len(token) >= n + 1]
    keys += ["p" + k for k in (starts if asking else short)]
    keys += ["q" + k for k in (short if asking else starts)]
    keys += ["h" + form for form in pinyin_forms(token)]  # CHEUNG and ZHANG: one surname
    if len(token) >= _PREFIX:  # JIANG and JIANPING: Jaro-Winkler's bonus for a shared start
        keys.append("f" + token[:_PREFIX])
    return keys


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
        if not keys or len(self.hashes) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        hashes = _hash(keys)
        slot = np.searchsorted(self.hashes, hashes).clip(max=len(self.hashes) - 1)
        hit = self.hashes[slot] == hashes
        slot, owners = slot[hit], owners[hit]
        starts, counts = self.offsets[slot], self.offsets[slot + 1] - self.offsets[slot]
        return np.repeat(owners, counts), self.ids[concat_ranges(starts, counts)]


@dataclass(frozen=True, slots=True, eq=False)
class _PairFilter:
    """Which unordered pairs of token ids may be among a set's: for each token, a region of
    :data:`_BITS_PER_PAIR` bits per pair it is in, where each of its pairs sets one hashed bit
    (so about 3% of other pairs pass); a pair of tokens x and y is set in x's region and in
    y's, at the place the sum of their signs (:meth:`signs`) gives. The sum needs no ordering
    of the two, and a token's pairs with many others are all looked up in its region, which
    stays in the CPU's caches while they are (in one map hashed over all pairs, nearly every
    look-up missed them: 7.6 ns a look-up on a flight against a million identities, 5 in
    regions). A flight's millions of pairs of similar tokens are sieved in a compiled loop
    before any pair key is made, and only the few that pass are searched in the sorted keys.

    Attributes:
        bits: The regions, packed in bytes.
        start: Where each token's region starts (a bit position), and where the last ends.
    """

    bits: npt.NDArray[np.uint8]
    start: IntArray

    @classmethod
    def of(cls, keys: IntArray, size: int) -> _PairFilter:
        """The filter of pair keys ``keys`` (:func:`_pair_keys`, of a vocabulary of ``size``;
        made at build and at load: it is not saved)."""
        low, high = np.divmod(keys, size)
        pairs = np.bincount(low, minlength=size) + np.bincount(high, minlength=size)
        start = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(-(-pairs * _BITS_PER_PAIR // 64) * 64, out=start[1:])  # (whole words)
        bits = np.zeros(start[-1] // 8 + 1, dtype=np.uint8)
        for a, b in ((low, high), (high, low)):
            at = start[a] + _places(cls.signs(a) + cls.signs(b), start[a + 1] - start[a])
            np.bitwise_or.at(bits, at >> 3, np.left_shift(1, at & 7).astype(np.uint8))
        return cls(bits, start)

    @staticmethod
    def signs(tokens: IntArray) -> npt.NDArray[np.uint64]:
        """A pseudo-random 64-bit value of each token id (a few multiply-xorshift rounds)."""
        x = tokens.astype(np.uint64) * _MIX[0]
        x ^= x >> np.uint64(31)
        x *= _MIX[1]
        x ^= x >> np.uint64(29)
        return x


#: The bits of a :class:`_PairFilter` token's region per pair it is in.
_BITS_PER_PAIR: Final = 32


@kernel
def _place(sum_of_signs: np.uint64, size: np.uint64) -> np.int64:
    """The place, in a region of ``size`` bits, of the bit of the pair whose signs sum to
    ``sum_of_signs``: the sum's top 32 bits scaled to the size."""
    return np.int64(((sum_of_signs >> np.uint64(32)) * size) >> np.uint64(32))


@kernel
def _places(sums: npt.NDArray[np.uint64], sizes: IntArray) -> IntArray:
    """:func:`_place` of each sum of signs in a region of its size."""
    out = np.empty(len(sums), np.int64)
    for k in range(len(sums)):
        out[k] = _place(sums[k], np.uint64(sizes[k]))
    return out


@kernel
def _held(
    bits: npt.NDArray[np.uint8],
    a: tuple[npt.NDArray[np.uint64], IntArray, IntArray, IntArray, IntArray],
    b: tuple[npt.NDArray[np.uint64], IntArray, IntArray],
) -> tuple[IntArray, IntArray, IntArray]:
    """:func:`_held_products` of the filter of ``bits`` (``a``: signs, regions' starts and
    sizes, firsts and counts; ``b``: signs, firsts and counts)."""
    signs_a, region_a, size_a, first_a, count_a = a
    signs_b, first_b, count_b = b
    at_a = np.empty(1024, np.int64)
    at_b = np.empty(1024, np.int64)
    pair = np.empty(1024, np.int64)
    found = np.int64(0)
    for k in range(len(first_a)):
        for i in range(first_a[k], first_a[k] + count_a[k]):
            sign, region, size = signs_a[i], region_a[i], np.uint64(size_a[i])
            if found + count_b[k] > len(at_a):  # (few pass: grown by doubling)
                at_a = grown(at_a, found + count_b[k])
                at_b = grown(at_b, found + count_b[k])
                pair = grown(pair, found + count_b[k])
            for j in range(first_b[k], first_b[k] + count_b[k]):
                # (the reads, all in the token's region, hit the caches; few pass, so the
                # branch is well predicted)
                at = region + _place(sign + signs_b[j], size)
                if (bits[at >> 3] >> (at & 7)) & 1:
                    at_a[found], at_b[found], pair[found] = i, j, k
                    found += 1
    return at_a[:found], at_b[:found], pair[:found]


@kernel
def _paired(
    i: IntArray,
    j: IntArray,
    listed: IntArray,
    terms: tuple[FloatArray, IntArray, IntArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    size: int,
    floor: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    """:meth:`_Terms.paired` of ``terms`` (its credit, latin, skeletal, abjad and unbounded)."""
    credit, latin, skeletal, abjad, unbounded = terms
    keys = np.empty(len(i), np.int64)
    which = np.empty(len(i), np.int64)
    bounds = np.empty(len(i))
    kept = 0
    for k in range(len(i)):
        a, b = i[k], j[k]
        bound = (credit[a] * latin[a] + credit[b] * latin[b]) / (latin[a] + latin[b])
        if unbounded[a]:
            bound = 1.0
        if abjad[a] or abjad[b]:
            read = (credit[a] * skeletal[a] + credit[b] * skeletal[b]) / (skeletal[a] + skeletal[b])
            bound = max(bound, read)
        if bound >= floor:
            low, high = min(listed[a], listed[b]), max(listed[a], listed[b])
            keys[kept], which[kept], bounds[kept] = low * size + high, k, bound
            kept += 1
    return keys[:kept], which[:kept], bounds[:kept]


@kernel
def _one_token(
    terms: tuple[FloatArray, IntArray, IntArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    total: FloatArray,
    skeletal_total: FloatArray,
    other: float,
) -> FloatArray:
    """:meth:`_Terms.one_token_bound` of ``terms`` (its credit, latin, skeletal, abjad and
    unbounded), ``other`` being the credit of a similarity of ``unmatched``."""
    credit, latin, skeletal, abjad, unbounded = terms
    out = np.empty(len(credit))
    for k in range(len(credit)):
        out[k] = _alone(latin[k], total[k] - latin[k], credit[k], other)
        if abjad[k]:
            read = _alone(skeletal[k], skeletal_total[k] - skeletal[k], credit[k], other)
            out[k] = max(out[k], read)
        if unbounded[k]:
            out[k] = 1.0
    return out


@kernel
def _alone(weight: int, rest: float, credit: float, other: float) -> float:
    """The best score of a match of ``weight`` credited ``credit`` with tokens of length
    ``rest`` beside it, each credited less than ``other`` where aligned: the better of all of
    them left over (at ``_EXTRA_WEIGHT`` of their length) and all of them aligned."""
    credited = weight * credit
    return max(
        credited / (weight + _EXTRA_WEIGHT * rest),
        (credited + other * rest) / (weight + rest),
    )


@dataclass(frozen=True, slots=True)
class _Found:
    """What the keys found for a batch of query names (rows are positions in the batch's
    flat ``tokens``).

    Attributes:
        similar: Listed tokens similar to each query token.
        joins: Listed tokens similar to two adjacent query tokens joined (by the first's row).
        splits: Listed tokens that are one half of a query token cut in two.
        split_rows: The query token of each of ``split_keys``.
        split_keys: The pair keys (:func:`_pair_keys`) of the two halves of each cut.
        cut_starts: Where each query's ``cut_keys`` start, and where the last ones end.
        cut_keys: The readings of two adjacent tokens of a name from an abjad that a token of
            each query may be (:meth:`NameIndex._abjad_cuts`), sorted per query.
    """

    similar: TokenMatches
    joins: TokenMatches
    splits: TokenMatches
    split_rows: IntArray
    split_keys: IntArray
    cut_starts: IntArray
    cut_keys: IntArray


@dataclass(frozen=True, slots=True, eq=False)
class _Terms:
    """What bounds the name similarity of a pair from the matched tokens it shares: for each
    match (a query token and a listed token), its credit (:func:`~paxscreen.compare.names.
    _credit` of the similarity the keys found) and its weight in an alignment: the two
    tokens' lengths, and where the listed token is held by a name from an abjad, also their
    skeletons' lengths (such names are compared on skeletons; either reading may apply).

    Attributes:
        credit: The credit of each match.
        latin: Its weight read as Latin.
        skeletal: Its weight read on skeletons.
        abjad: The listed token is held by a name from an abjad.
        unbounded: Nothing is bounded: the query is from an abjad, and the keys' similarities
            are those of its Latin reading (or the match is a join against a token from an
            abjad, whose similarity is the Latin reading's too).
    """

    credit: FloatArray
    latin: IntArray
    skeletal: IntArray
    abjad: npt.NDArray[np.bool_]
    unbounded: npt.NDArray[np.bool_]

    @classmethod
    def of(
        cls,
        index: NameIndex,
        queries: NameBatch,
        owner: IntArray,
        lengths: tuple[IntArray, IntArray],
        matches: TokenMatches,
        joined: npt.NDArray[np.bool_] | bool = False,
    ) -> _Terms:
        """The terms of ``matches``, whose query sides are ``lengths`` long (as Latin, on
        skeletons), those ``joined`` being joins of two query tokens (the keys compare a join
        as Latin: against a token from an abjad, whose reading joins the two tokens'
        skeletons, its similarity bounds nothing)."""
        latin, skeletal = lengths
        abjad = index._abjad_token[matches.listed]
        return cls(
            credit=_credits(matches.similarity),
            latin=latin + index.token_lengths()[matches.listed],
            skeletal=skeletal + index._skeletal_lengths()[0][matches.listed],
            abjad=abjad,
            unbounded=queries.abjad[owner[matches.row]] | (abjad & joined),
        )

    def concat(self, other: _Terms) -> _Terms:
        """These terms, then ``other``'s."""
        return _Terms(
            *(np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self))
        )

    def take(self, order: IntArray) -> _Terms:
        return _Terms(
            self.credit[order],
            self.latin[order],
            self.skeletal[order],
            self.abjad[order],
            self.unbounded[order],
        )

    def paired(
        self, i: IntArray, j: IntArray, listed: IntArray, size: int, floor: float
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Of each two matches ``i[k]`` and ``j[k]`` (of listed tokens ``listed``, of a
        vocabulary of ``size``), those whose bound (the weighted mean of their credits, in the
        reading that gives more; 1 where ``unbounded``) reaches ``floor``: the pair key of
        their listed tokens (:func:`_pair_keys`), the k and the bound of each (in a compiled
        loop: for one traveller, the same in numpy calls costs more than the work)."""
        return _paired(
            i,
            j,
            listed,
            (self.credit, self.latin, self.skeletal, self.abjad, self.unbounded),
            size,
            floor,
        )

    def one_token_bound(
        self, total: FloatArray, skeletal_total: FloatArray, unmatched: float
    ) -> FloatArray:
        """A bound on the similarity of two names sharing each match when no other two tokens
        of the names are at least ``unmatched`` similar: ``total`` (``skeletal_total``) is the
        length of all the tokens of both names, read as Latin (on skeletons). Every other
        aligned token is credited less than such a match, and a token left over weighs at
        least a quarter of its length (in a compiled loop: for one traveller, the same in
        numpy calls costs more than the work)."""
        other = _credit(unmatched)
        return _one_token(
            (self.credit, self.latin, self.skeletal, self.abjad, self.unbounded),
            total,
            skeletal_total,
            other,
        )


def _lengths_of(
    matches: TokenMatches, row_lengths: tuple[IntArray, IntArray], joined: bool = False
) -> tuple[IntArray, IntArray]:
    """The length of the query side of each match (as Latin, on skeletons): its token's, or
    for a join, its token's and the next one's."""
    latin, skeletal = row_lengths
    rows = matches.row
    if joined:
        return latin[rows] + latin[rows + 1], skeletal[rows] + skeletal[rows + 1]
    return latin[rows], skeletal[rows]


def _row_lengths(queries: NameBatch) -> tuple[IntArray, IntArray]:
    """The length of each token of ``queries`` (by row of its flat ``tokens``), and that of
    its skeleton (of the token itself where it has no consonant: compared as it is)."""
    vocab = queries.vocab
    # (the lengths alone: the full shapes, read nowhere here, cost a tenth of a traveller's
    # whole gathering)
    length = np.fromiter(map(len, vocab), np.int64, len(vocab))
    skeletal = np.fromiter((len(skeleton(t)) or len(t) for t in vocab), np.int64, len(vocab))
    return length[queries.tokens], skeletal[queries.tokens]


def _query_flags(queries: NameBatch, row_length: IntArray, owner: IntArray) -> Int8Array:
    """The shape flags of each query (``_HAS_INITIAL``, ``_WHOLE_IN_PART``), from the length of
    each token and its query (``owner``)."""
    initials = np.bincount(owner, weights=row_length == 1, minlength=len(queries)) > 0
    whole = queries.partial & (queries.lengths() > 2)
    out: Int8Array = (_HAS_INITIAL * initials + _WHOLE_IN_PART * whole).astype(np.int8)
    return out


class NameIndex:
    """Candidate listed names for travellers' names (see the module docstring).

    Args:
        names: The listed names, normalised (one entry per watchlist row).
        years: The years of birth of the identities bearing each listed name, as compressed
            rows: ``values[offsets[i]:offsets[i + 1]]`` for name ``i``, -1 for an identity
            with no date of birth. None: no dates known.
        rows: What the caller's ``needed`` (:meth:`candidates`) reads of the identities
            bearing each listed name: non-negative codes, as compressed rows like ``years``
            (at least one per name). None: one row per name, coded by its position.
        min_token_similarity: Two tokens below this similarity are not a match.
        min_name_similarity: The lowest name similarity the caller will score; pairs that
            cannot reach it may be dropped.
        min_dated_similarity: The same for pairs whose years of birth are within one of each
            other, where the caller's ``needed`` (:meth:`candidates`) asks for less (a full date
            that agrees makes a weaker name worth a look): the year channel gathers pairs from
            it on. At most ``min_name_similarity`` (its default).
    """

    def __init__(
        self,
        names: NameBatch,
        *,
        years: tuple[IntArray, IntArray] | None = None,
        rows: tuple[IntArray, Int32Array] | None = None,
        min_token_similarity: float = 0.8,
        min_name_similarity: float = 0.75,
        min_dated_similarity: float | None = None,
    ) -> None:
        if rows is None:
            rows = (
                np.arange(len(names) + 1, dtype=np.int64),
                np.arange(len(names), dtype=np.int32),
            )
        if len(rows[0]) != len(names) + 1 or (np.diff(rows[0]) < 1).any():
            raise ValueError("every listed name needs at least one row")
        self.names = names
        self.min_token_similarity = min_token_similarity
        self.min_name_similarity = min_name_similarity
        self.min_dated_similarity = (
            min_name_similarity
            if min_dated_similarity is None
            else min(min_dated_similarity, min_name_similarity)
        )
        vocab = names.vocab
        token_length = self._token_length = np.array([len(t) for t in vocab], dtype=np.int64)
        name_of = np.repeat(np.arange(len(names), dtype=np.int64), names.lengths())
        tokens = names.tokens.astype(np.int64)
        # a one-letter token is an initial, except in a name from an abjad, where it is the
        # skeleton of a word (عائشة AISHA: S)
        initial = (token_length[tokens] == 1) & ~names.abjad[name_of]
        self._full = np.bincount(name_of[~initial], minlength=len(names))  # non-initial tokens
        self._chars = np.bincount(name_of, weights=token_length[tokens], minlength=len(names))
        self._abjad_token = np.zeros(len(vocab), dtype=bool)
        self._abjad_token[tokens[names.abjad[name_of]]] = True
        if years is None:
            years = (np.arange(len(names) + 1, dtype=np.int64), np.full(len(names), -1))
        self._postings = _csr(tokens, name_of, len(vocab))
        single = self._full[name_of] == 1
        self._single = _csr(tokens[single], name_of[single], len(vocab))
        self._rows = (rows[0].astype(np.int64), rows[1].astype(np.int32))
        self._sizes = _sizes(names.offsets, self._full, names.abjad)
        self._pairs = _pair_postings(
            name_of[~initial], tokens[~initial], len(vocab), self._rows, self._sizes
        )
        self._pair_filter = _PairFilter.of(self._pairs[0], len(vocab))
        wide = self._full[name_of] >= 2
        self._year_postings = _year_postings(
            name_of[~initial & wide], tokens[~initial & wide], years
        )
        keys: list[str] = []
        owners: list[int] = []
        for i, token in enumerate(vocab):
            if len(token) > 1 or self._abjad_token[i]:
                token_keys = _token_keys(token)
                keys += token_keys
                owners += [i] * len(token_keys)
        self._keys = _Lookup.build(keys, np.array(owners, dtype=np.int64))
        self._shapes = _Shapes.of(vocab)
        self._memo: dict[tuple[str, str], _Remembered] = {}
        self._text: npt.NDArray[np.object_] | None = None
        self._listed_side: _Listed | None = None
        self._skeletal: tuple[IntArray, FloatArray] | None = None

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Everything the index holds as named numpy arrays (for :meth:`from_arrays`; the
        remembered token matches are not kept)."""
        out: dict[str, npt.NDArray[Any]] = {
            "names.vocab": np.array(self.names.vocab, dtype=np.str_),
            "names.offsets": self.names.offsets,
            "names.tokens": self.names.tokens,
            "names.abjad": self.names.abjad,
            "names.partial": self.names.partial,
            "settings": np.array(
                [self.min_token_similarity, self.min_name_similarity, self.min_dated_similarity]
            ),
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
            partial=arrays["names.partial"],
        )
        (
            index.min_token_similarity,
            index.min_name_similarity,
            index.min_dated_similarity,
        ) = arrays["settings"].tolist()
        index._keys = _Lookup(arrays["_keys.hashes"], arrays["_keys.offsets"], arrays["_keys.ids"])
        for attribute in _ARRAYS:
            setattr(index, attribute, arrays[attribute])
        index._shapes = _Shapes(**{name: arrays[f"_shapes.{name}"] for name in _SHAPES})
        for attribute, size in _ARRAY_TUPLES.items():
            setattr(index, attribute, tuple(arrays[f"{attribute}.{i}"] for i in range(size)))
        index._pair_filter = _PairFilter.of(index._pairs[0], len(index.names.vocab))
        index._sizes = _sizes(index.names.offsets, index._full, index.names.abjad)
        index._memo = {}
        index._text = None
        index._listed_side = None
        index._skeletal = None
        return index

    # ----------------------------------------------------------------------------------------

    def candidates(
        self,
        queries: NameBatch,
        years: IntArray | None = None,
        *,
        needed: Callable[[IntArray, Int32Array], FloatArray] | None = None,
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Candidate pairs for a batch of travellers' names.

        Args:
            queries: The travellers' names, normalised.
            years: The travellers' years of birth, -1 where unknown.
            needed: The least name similarity worth returning for a query against a listed
                identity, given as (query name positions, row codes: the index's ``rows``),
                element by element: what the other evidence leaves the name to reach
                (:func:`paxscreen.score._needs.row_needs`). A pair needs the least of its
                listed name's rows; a pair whose name similarity cannot reach that (by
                bounds from the matched tokens) is dropped. By default
                ``min_name_similarity`` for every pair; a need below it counts down to
                ``min_dated_similarity``, for the pairs the year channel gathers (and any
                other channel's, which gather from ``min_name_similarity`` on).

        Returns:
            Two int64 arrays of equal length: query name positions and listed name positions
            (into the index's ``names``), each pair once, sorted by query; and each pair's
            name similarity where the index compared the names in full (a pair with a name
            from an abjad: :meth:`_bounds`), NaN elsewhere.
        """
        born = (
            np.full(len(queries), -1, dtype=np.int64)
            if years is None
            else np.asarray(years, dtype=np.int64)
        )
        threads = min(_THREADS, len(queries) // _PER_THREAD)
        if threads <= 1:
            return self._candidates(queries, born, needed)
        # big batches in parts, side by side: the work is numpy calls on large arrays and
        # compiled loops, which let go of the interpreter lock (the parts are of consecutive
        # travellers, so their pairs come out in order of query as one batch's would)
        cuts = np.linspace(0, len(queries), 2 * threads + 1).astype(np.int64).tolist()
        with ThreadPoolExecutor(threads) as pool:
            parts = list(
                pool.map(
                    lambda start, stop: self._candidates(
                        queries.slice(start, stop),
                        born[start:stop],
                        None if needed is None else _shifted(needed, start),
                        start,
                    ),
                    cuts[:-1],
                    cuts[1:],
                )
            )
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
        )

    def _candidates(
        self,
        queries: NameBatch,
        born: IntArray,
        needed: Callable[[IntArray, Int32Array], FloatArray] | None,
        first: int = 0,
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """:meth:`candidates` of a batch whose first query is query ``first`` of the
        caller's (the positions returned are the caller's)."""
        found = self._found(queries)
        query, names, first_bound = self._gathered(queries, born, found, needed)
        # (only pairs that may reach the floor are asked what they need)
        floor = self.min_name_similarity if needed is None else self.min_dated_similarity
        some = np.flatnonzero(first_bound >= floor - _BOUND_SLACK)
        query, names, first_bound = query[some], names[some], first_bound[some]
        need = np.full(len(query), floor)
        if needed is not None:
            np.maximum(need, self._needs(query, names, needed), out=need)
        some = np.flatnonzero(need <= first_bound + _BOUND_SLACK)
        bound, similarity = self._bounds(queries, query[some], names[some], found, need[some])
        kept = np.flatnonzero(bound >= need[some] - _BOUND_SLACK)
        keep = some[kept]
        return query[keep] + first, names[keep], similarity[kept]

    def _needs(
        self,
        query: IntArray,
        names: IntArray,
        needed: Callable[[IntArray, Int32Array], FloatArray],
    ) -> FloatArray:
        """What each pair (``query[k]``, listed ``names[k]``) needs: the least ``needed``
        gives against the rows of its name."""
        row_query, codes, count = _name_rows(*self._rows, query, names)
        return _least(needed(row_query, codes), count)

    def _bounds(
        self,
        queries: NameBatch,
        query: IntArray,
        names: IntArray,
        found: _Found | None = None,
        need: FloatArray | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """An upper bound on the name similarity of each pair (query name ``query[k]``, listed
        name ``names[k]``, sorted by query), and the similarity itself where it is known (NaN
        elsewhere); where ``need`` is given, pairs whose bound falls short of it may get a
        looser one (see :func:`~paxscreen.index._name_bounds.pair_bounds`).

        A pair with a name from an abjad on either side is compared on skeletons, with other
        token similarities and weights than the letters' bounds assume: its bound is its
        similarity itself, by the comparator's batch code (it would compare every pair the
        index keeps anyway, and few of these reach what they need)."""
        bound = np.ones(len(query))
        similarity = np.full(len(query), np.nan)
        abjad = self.names.abjad[names] | queries.abjad[query]
        latin = np.flatnonzero(~abjad)
        if len(latin):
            found = found or self._found(queries)
            bound[latin] = pair_bounds(
                queries,
                query[latin],
                names[latin],
                self._listed(),
                found.similar,
                found.joins,
                found.splits,
                None if need is None else need[latin],
            )
        skeletal = np.flatnonzero(abjad)
        if len(skeletal):
            similarity[skeletal] = name_similarity_pairs(
                queries, self.names, query[skeletal], names[skeletal]
            )
            bound[skeletal] = np.nan_to_num(similarity[skeletal], nan=1.0)
        return bound, similarity

    def _vocab_text(self) -> npt.NDArray[np.object_]:
        """The listed vocabulary as an array of strings (made once, not saved)."""
        if self._text is None:
            self._text = np.array(self.names.vocab, dtype=object)
        return self._text

    def _listed(self) -> _Listed:
        """The listed side as the bounds read it (made once, not saved)."""
        if self._listed_side is None:
            self._listed_side = _Listed.of(self.names, self._shapes, self._vocab_text())
        return self._listed_side

    # ----------------------------------------------------------------------------------------

    def _found(self, queries: NameBatch) -> _Found:
        """The listed tokens the keys find for every token of ``queries``, and for their
        compound readings."""
        vocab = queries.vocab
        ids = queries.tokens.tolist()  # the vocabulary id of each row
        rows = np.arange(len(ids), dtype=np.int64)
        found = self._lookup("similar", list(vocab))
        similar = [found[token] for token in vocab]
        splits = [self._split_listed(token) for token in vocab]
        # joins: each two adjacent tokens of a name
        owner = np.repeat(np.arange(len(queries)), queries.lengths())
        join_rows = np.flatnonzero(owner[:-1] == owner[1:])
        texts = [vocab[ids[r]] + vocab[ids[r + 1]] for r in join_rows.tolist()]
        found = self._lookup("joined", texts)
        joined = [found[text] for text in texts]
        cuts = [self._abjad_cuts(token) for token in vocab]
        cut_owner = np.repeat(owner, [len(cuts[v]) for v in ids])
        cut_keys = _concat([cuts[v] for v in ids])
        order = np.lexsort((cut_keys, cut_owner))
        return _Found(
            similar=_per_row(rows, [similar[v][0] for v in ids], [similar[v][1] for v in ids]),
            joins=_per_row(join_rows, [j[0] for j in joined], [j[1] for j in joined]),
            splits=_per_row(
                rows, [splits[v][0] for v in ids], [np.ones(len(splits[v][0])) for v in ids]
            ),
            split_rows=np.repeat(rows, [len(splits[v][1]) for v in ids]),
            split_keys=_concat([splits[v][1] for v in ids]),
            cut_starts=np.searchsorted(cut_owner[order], np.arange(len(queries) + 1)),
            cut_keys=cut_keys[order],
        )

    def _remember(self, kind: str, text: str, found: _Remembered) -> _Remembered:
        """Remember what was found for ``text`` (of a ``kind`` of lookup), and return it."""
        if len(self._memo) >= _MEMO_TOKENS:
            self._memo.clear()
        self._memo[(kind, text)] = found
        return found

    def _similar_listed(self, token: str) -> _Remembered:
        """The listed tokens similar enough to ``token`` and their similarities, remembered per
        index (the same tokens recur from flight to flight)."""
        return self._lookup("similar", [token])[token]

    def _lookup(self, kind: str, texts: list[str]) -> dict[str, _Remembered]:
        """What the keys find for each of ``texts`` (``kind`` "similar": query tokens;
        "joined": two query tokens joined; both read in both scripts against abjad tokens):
        the listed tokens similar enough, and their similarities. Those not remembered are
        looked up together: their keys in one search, the candidates a bound from lengths
        and letters leaves compared in one rapidfuzz batch."""
        out: dict[str, _Remembered] = {}
        todo: list[str] = []
        for text in dict.fromkeys(texts):
            found = self._memo.get((kind, text))
            if found is None:
                todo.append(text)
            else:
                out[text] = found
        if not todo:
            return out
        keys: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(todo):
            if len(text) > 1:
                text_keys = _token_keys(text, asking=True)
                keys += text_keys
                owners += [i] * len(text_keys)
        owner, listed = self._keys.find(keys, np.array(owners, dtype=np.int64))
        size = len(self.names.vocab)
        packed = sorted_unique(owner * size + listed)
        owner, listed = packed // size, packed % size
        # only those a bound from lengths and letters leaves are compared (an abjad token may
        # also be read by its skeleton: kept)
        side = self._listed()
        bound = _letter_bounds(*_Shapes.of(todo).packed(), owner, side.sizes, side.bits, listed)
        floor = self.min_token_similarity - _BOUND_SLACK
        possible = bound >= floor
        abjad = self._abjad_token[listed]
        possible |= abjad
        # spellings of one surname (CHEUNG, ZHANG) share no letters to bound them by
        known = in_table(todo)
        vocab = self.names.vocab
        for k in np.flatnonzero(~possible & known[owner]).tolist():
            possible[k] = same_surname(todo[int(owner[k])], vocab[int(listed[k])])
        owner, listed, abjad = owner[possible], listed[possible], abjad[possible]
        used, at = np.unique(listed, return_inverse=True)
        similarity = token_similarities(
            np.array(todo, dtype=object), self._vocab_text()[used], owner, at.ravel()
        )
        for k in np.flatnonzero(abjad).tolist():
            query, other = todo[int(owner[k])], vocab[int(listed[k])]
            similarity[k] = _token_bound(query, other, True)
        close = similarity >= floor
        owner, listed, similarity = owner[close], listed[close], similarity[close]
        starts = np.searchsorted(owner, np.arange(len(todo) + 1))
        for i, text in enumerate(todo):
            found = (listed[starts[i] : starts[i + 1]], similarity[starts[i] : starts[i + 1]])
            out[text] = self._remember(kind, text, found)
        return out

    def _split_listed(self, token: str) -> _Remembered:
        """Where ``token`` cuts in two listed tokens (ABDULRAHMAN: ABDUL and RAHMAN): the
        halves (both of each cut), and the pair key (:func:`_pair_keys`) of each cut."""
        found = self._memo.get(("split", token))
        if found is not None:
            return found
        left, right = self._listed_halves(
            [(token[:cut], token[cut:]) for cut in range(2, len(token) - 1)]
        )
        halves = np.stack([left, right], axis=1).ravel()
        keys = _pair_keys(left, right, len(self.names.vocab), every=False)
        return self._remember("split", token, (halves, keys))

    def _abjad_cuts(self, token: str) -> IntArray:
        """The readings of two adjacent tokens of a name from an abjad that ``token`` reads as
        on skeletons (ABDULLAH, BDL: عبد الله, BD and L; where two run together, a letter
        doubled at the seam is read once and an H after the first may be lost: S and HM
        read SM), as keys: the first token's id times the vocabulary's size, plus the
        second's."""
        found = self._memo.get(("cuts", token))
        if found is None:
            form = abjad_reading(token)
            cuts = [
                (form[:cut], rest)
                for cut in range(1, len(form))
                for rest in (form[cut:], form[cut - 1 :], "H" + form[cut:])
            ]
            left, right = self._listed_halves(cuts)
            abjad = self._abjad_token[left] & self._abjad_token[right]
            keys = np.unique(left[abjad] * len(self.names.vocab) + right[abjad])
            found = self._remember("cuts", token, (keys, keys))
        return found[0]

    def _listed_halves(self, cuts: list[tuple[str, str]]) -> tuple[IntArray, IntArray]:
        """The vocabulary ids of the two halves of each of ``cuts`` whose halves are both
        listed tokens."""
        ids = self.token_ids([half for cut in cuts for half in cut])
        left, right = ids[0::2], ids[1::2]
        both = (left >= 0) & (right >= 0)
        return left[both], right[both]

    def _gathered(
        self,
        queries: NameBatch,
        born: IntArray,
        found: _Found,
        needed: Callable[[IntArray, Int32Array], FloatArray] | None = None,
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Every (query, listed name) pair some channel of the module docstring finds, each
        once, sorted by query, with a first bound on its name similarity: the best the
        channels that found it give (the pair channel, :meth:`_pair_names`, and the year
        channel, :meth:`_year_names`; the others give 1), and 1 where :func:`_unbound_longer`
        tells (both have initials, a query known in part is read with all its tokens joined,
        or a query token reads as two adjacent tokens of a longer listed name from an abjad).
        The year channel's pairs that cannot reach ``min_name_similarity`` (given ``needed``,
        ``min_dated_similarity``) are left out, and given ``needed`` (as :meth:`candidates`),
        so are the pair channel's whose need its bound cannot reach."""
        lengths = queries.lengths()
        owner = np.repeat(np.arange(len(queries), dtype=np.int64), lengths)
        row_lengths = _row_lengths(queries)
        row_length = row_lengths[0]
        chars = np.bincount(owner, weights=row_length, minlength=len(queries))
        slots = np.bincount(owner, weights=row_length > 1, minlength=len(queries))
        similar = found.similar
        match_query = owner[similar.row]
        parts: list[tuple[IntArray, IntArray]] = []
        # one-token listed names, where the one shared token carries the query's name; every
        # name sharing it where the query has a single token
        for csr, which in (
            (self._single, np.arange(len(similar.row))),
            (self._postings, np.flatnonzero(slots[match_query] == 1)),
        ):
            if not len(which):  # (a traveller of two tokens or more: nothing to gather)
                continue
            names, at = _gather(*csr, similar.listed[which])
            at = which[at]
            matched = row_length[similar.row[at]] + self._token_length[similar.listed[at]]
            total = self._chars[names] + chars[match_query[at]]
            fits = matched >= self.min_name_similarity * total
            parts.append((match_query[at[fits]], names[fits]))
        # a joined compound is one token of a shorter reading, alone
        names, at = _gather(*self._single, found.joins.listed)
        parts.append((owner[found.joins.row[at]], names))
        bounds = [np.ones(len(p[0])) for p in parts]
        flags = _query_flags(queries, row_length, owner)
        query, names, bound, same_year = self._year_names(queries, owner, row_lengths, born, found)
        # (most pairs of the year channel cannot reach the floor: they are left out here,
        # where they are in order, rather than sorted with the others first; given needs,
        # born the same year, a date of birth may agree, and the floor is the dated one)
        floor = np.where(
            same_year & (needed is not None), self.min_dated_similarity, self.min_name_similarity
        )
        some = _reachable(query, self._sizes[names], bound, floor, lengths, flags)
        parts.append((query[some], names[some]))
        bounds.append(bound[some])
        query, names, bound = self._pair_names(queries, owner, row_lengths, flags, found, needed)
        parts.append((query, names))
        bounds.append(bound)
        size = len(self.names)
        query, names, bound = _best_of_each(
            np.concatenate([p[0] for p in parts]) * size + np.concatenate([p[1] for p in parts]),
            np.concatenate(bounds),
            size,
        )
        # the comparator aligns two initials (which the keys never look up), reads a query
        # known in part with all its tokens joined, and a longer listed name from an abjad
        # with two adjacent tokens joined on skeletons, which may be a query token: such
        # pairs are bounded in full
        _unbound_longer(
            (query, names, bound),
            (self._sizes, self.names.offsets, self.names.tokens, len(self.names.vocab)),
            (lengths, flags, found.cut_starts, found.cut_keys),
            self.min_token_similarity,
        )
        return query, names, bound

    def _pair_names(
        self,
        queries: NameBatch,
        owner: IntArray,
        row_lengths: tuple[IntArray, IntArray],
        flags: Int8Array,
        found: _Found,
        needed: Callable[[IntArray, Int32Array], FloatArray] | None = None,
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """(query, listed name) where the listed name holds two tokens similar to two tokens
        of the query (of shape ``flags``, :func:`_query_flags`): to two of its tokens, to a
        join of two and another, or to the halves of one cut in two; with a bound on the
        pair's name similarity.

        The bound holds for a pair whose two best aligned tokens (by credit) are both among
        the matches the keys found: every other aligned token is credited at most as much as
        the weaker of them, so the pair scores at most the weighted mean of those two
        credits. The pair is found through those two, at that bound, and two matches whose
        mean falls short of ``min_name_similarity`` are not looked up at all. (Against a
        name from an abjad the mean is taken in both readings, :meth:`_Terms.paired`;
        cuts, queries from an abjad and joins against a token from an abjad are bounded by
        1.) A join and a match of another token bound the query's reading with those two
        tokens joined the same way, so they find only listed names of fewer tokens than the
        query: the comparator reads no join of the query against others."""
        # each row's matches, those credited enough to reach min_name_similarity with
        # another first (two matches credited less cannot, and are not paired)
        terms = _Terms.of(
            self, queries, owner, _lengths_of(found.similar, row_lengths), found.similar
        )
        strong = terms.unbounded | (terms.credit >= self.min_name_similarity - _BOUND_SLACK)
        order = np.lexsort((~strong, found.similar.row))
        similar, terms = found.similar.take(order), terms.take(order)
        per_row = np.bincount(similar.row, minlength=len(owner))
        first = np.cumsum(per_row) - per_row  # of each row's matches (rows in order)
        strong_per_row = np.bincount(similar.row[strong[order]], minlength=len(owner))
        lengths = queries.lengths()
        left: list[IntArray] = []
        right: list[IntArray] = []
        # each two token rows of a name
        for width in np.unique(lengths[lengths > 1]).tolist():
            i, j = _two_of(width)
            starts = queries.offsets[:-1][lengths == width, None]
            left.append((starts + i).ravel())
            right.append((starts + j).ravel())
        joins = found.joins
        size = len(self.names.vocab)
        keys = [found.split_keys]
        key_rows = [found.split_rows]
        bounds = [np.ones(len(found.split_keys))]
        a = _concat(left)
        b = _concat(right)
        # every strong match of row a with every match of row b, every weak one with every
        # strong one of row b
        weak = per_row[a] - strong_per_row[a]
        # (most such pairs of tokens are held by no listed name: the filter drops them
        # before anything else is computed of them)
        sieve = self._pair_filter
        at_a, at_b, pair = _held_products(
            sieve,
            similar.listed,
            np.concatenate([first[a], first[a] + strong_per_row[a]]),
            np.concatenate([strong_per_row[a], weak]),
            similar.listed,
            np.concatenate([first[b], first[b]]),
            np.concatenate([per_row[b], strong_per_row[b]]),
        )
        key, worth, bound = terms.paired(
            at_a, at_b, similar.listed, size, self.min_name_similarity - _BOUND_SLACK
        )
        keys.append(key)
        key_rows.append(np.concatenate([a, a])[pair[worth]])
        bounds.append(bound)
        shape = (lengths, flags)
        read = [
            self._read_pairs(
                queries,
                np.concatenate(keys),
                owner[np.concatenate(key_rows)],
                np.concatenate(bounds),
                shape,
                needed,
                False,
            )
        ]
        # every join with every match of another row (where the queries have joins at all),
        # at the weighted mean of their credits: they bound the query's reading with those
        # two tokens joined, which the comparator reads only against a listed name of fewer
        # tokens (the reading as it is, or the listed name's joined, are bounded by the
        # other keys and in full)
        if len(joins.row):
            join_query = owner[joins.row]
            span = lengths[join_query]
            other = concat_ranges(queries.offsets[join_query], span)
            which = np.repeat(np.arange(len(joins.row)), span)
            apart = (other != joins.row[which]) & (other != joins.row[which] + 1)
            other, which = other[apart], which[apart]
            join, at, pair = _held_products(
                sieve,
                joins.listed,
                which,
                np.ones(len(which), np.int64),
                similar.listed,
                first[other],
                per_row[other],
            )
            joined = _Terms.of(
                self, queries, owner, _lengths_of(joins, row_lengths, True), joins, True
            )
            key, worth, bound = joined.concat(terms).paired(
                join,
                len(joins.listed) + at,
                np.concatenate([joins.listed, similar.listed]),
                size,
                self.min_name_similarity - _BOUND_SLACK,
            )
            read.append(
                self._read_pairs(
                    queries, key, owner[other[pair[worth]]], bound, shape, needed, True
                )
            )
        return (
            np.concatenate([r[0] for r in read]),
            np.concatenate([r[1] for r in read]),
            np.concatenate([r[2] for r in read]),
        )

    def _read_pairs(
        self,
        queries: NameBatch,
        keys: IntArray,
        key_query: IntArray,
        key_bound: FloatArray,
        shape: tuple[IntArray, Int8Array],
        needed: Callable[[IntArray, Int32Array], FloatArray] | None,
        joined: bool,
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """The (query, listed name) pairs filed under pair keys ``keys`` found for queries
        ``key_query`` at ``key_bound``, with the bound of each (the best of its keys'), but
        for those whose rows all need more than it reaches (:func:`_pair_rows`; ``joined``:
        the keys bound a reading of the query with two tokens joined)."""
        # each pair key once per query, at its best bound (searching sorted keys is many times
        # faster than searching them in any order)
        key, query, bound = _best_of_each(keys * len(queries) + key_query, key_bound, len(queries))
        pair_keys, offsets, held, codes, sizes = self._pairs
        postings = (offsets, held, codes, sizes)
        first, last = _ranges(pair_keys, key, key)
        if needed is None:
            _, names, reach, _, at = _pair_rows(postings, first, last, query, bound, shape, joined)
            some = np.flatnonzero(reach > 0)
            return query[at[some]], names[some], bound[at[some]]
        # most of these pairs are namesakes that no other evidence could lift to review (born
        # years apart, or of a common name): each posting is of one row of its name (the name
        # once per row), so the need is read in order, not looked up; in parts that stay in
        # the CPU's caches
        filed = np.cumsum(offsets[last] - offsets[first])
        steps = np.arange(1, (int(filed[-1]) if len(filed) else 0) // _ROWS_AT_ONCE + 1)
        cuts = np.searchsorted(filed, steps * _ROWS_AT_ONCE).tolist()
        out_query: list[IntArray] = []
        out_names: list[IntArray] = []
        out_bound: list[FloatArray] = []
        for start, stop in itertools.pairwise([0, *cuts, len(key)]):
            part = slice(start, stop)
            q, n, reach, code, at = _pair_rows(
                postings, first[part], last[part], query[part], bound[part], shape, joined
            )
            some = np.flatnonzero(needed(q, code) <= reach + _BOUND_SLACK)
            out_query.append(q[some])
            out_names.append(n[some])
            out_bound.append(bound[part][at[some]])
        return np.concatenate(out_query), np.concatenate(out_names), np.concatenate(out_bound)

    def _year_names(
        self,
        queries: NameBatch,
        owner: IntArray,
        row_lengths: tuple[IntArray, IntArray],
        born: IntArray,
        found: _Found,
    ) -> tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.bool_]]:
        """(query, listed name of two tokens or more) sharing a token with the query (one not
        too common; or two adjacent tokens of the query joined) and born within one year of
        it, with a bound on the pair's name similarity (:meth:`_Terms.one_token_bound`: a
        pair with two matched tokens is the pair channel's), and whether they were born the
        same year."""
        parts: list[
            tuple[
                IntArray,
                IntArray,
                TokenMatches,
                tuple[IntArray, IntArray],
                npt.NDArray[np.bool_],
                npt.NDArray[np.bool_],
            ]
        ] = []
        for matches, joined in ((found.similar, False), (found.joins, True)):
            year = born[owner[matches.row]]
            if not (year >= 0).any():  # (a traveller may have no joins, or no year: no search)
                continue
            postings = self._postings[0]
            held = postings[matches.listed + 1] - postings[matches.listed]
            size = np.bincount(matches.row, weights=held, minlength=len(owner))
            use = np.flatnonzero((year >= 0) & (size[matches.row] <= YEAR_CHANNEL_POSTINGS))
            base = matches.listed[use] * _YEAR_CODES
            order = np.argsort(base + year[use])  # sorted, the keys are found much faster
            use, base = use[order], base[order]
            # the years filed (as np.clip, whose checks cost more than the work for one
            # traveller; the years used are known, not negative)
            born_code = base + np.minimum(year[use], _YEAR_CODES - 1)
            low = np.maximum(born_code - 1, base)
            high = np.minimum(born_code + 1, base + _YEAR_CODES - 1)
            names, which, key = _filed(*self._year_postings, low, high)
            matched = matches.take(use[which])
            parts.append(
                (
                    owner[matched.row],
                    names,
                    matched,
                    _lengths_of(matched, row_lengths, joined),
                    np.full(len(names), joined),
                    key == born_code[which],
                )
            )
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0), np.zeros(0, dtype=bool)
        query = np.concatenate([p[0] for p in parts])
        names = np.concatenate([p[1] for p in parts])
        matched = TokenMatches.concat([p[2] for p in parts])
        lengths = (
            np.concatenate([p[3][0] for p in parts]),
            np.concatenate([p[3][1] for p in parts]),
        )
        terms = _Terms.of(
            self, queries, owner, lengths, matched, np.concatenate([p[4] for p in parts])
        )
        rest, skeletal_rest = (
            _summed(query, names, np.bincount(owner, weights=length, minlength=len(queries)), of)
            for length, of in zip(
                row_lengths, (self._chars, self._skeletal_lengths()[1]), strict=True
            )
        )
        bound = terms.one_token_bound(rest, skeletal_rest, self.min_token_similarity)
        return query, names, bound, np.concatenate([p[5] for p in parts])

    def _skeletal_lengths(self) -> tuple[IntArray, FloatArray]:
        """The length of each listed token's skeleton (of the token where it has none), and
        their sum over each listed name (made once, not saved)."""
        if self._skeletal is None:
            shapes = self._shapes
            tokens: IntArray = np.where(
                shapes.skeleton_length > 0, shapes.skeleton_length, shapes.length
            ).astype(np.int64)
            name_of = np.repeat(np.arange(len(self.names)), self.names.lengths())
            names = np.bincount(
                name_of, weights=tokens[self.names.tokens], minlength=len(self.names)
            ).astype(np.float64)
            self._skeletal = (tokens, names)
        return self._skeletal

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


#: The attributes of :class:`NameIndex` that are arrays, and those that are tuples of arrays
#: (with their sizes), as :meth:`NameIndex.to_arrays` names them.
_ARRAYS: Final = ("_token_length", "_full", "_chars", "_abjad_token")
_SHAPES: Final = tuple(f.name for f in fields(_Shapes))
_ARRAY_TUPLES: Final = {
    "_rows": 2,
    "_postings": 2,
    "_single": 2,
    "_pairs": 5,
    "_year_postings": 3,
}


def _shifted(
    needed: Callable[[IntArray, Int32Array], FloatArray], first: int
) -> Callable[[IntArray, Int32Array], FloatArray]:
    """``needed`` for a part of a batch starting at query ``first``."""
    return lambda query, codes: needed(query + first, codes)


def _concat(arrays: list[IntArray]) -> IntArray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)


#: How many low bits of :func:`_coded` hold how far a bound is short of 1.
_SHORT_BITS: Final = _BOUND_STEPS.bit_length()
#: The least value :func:`_coded` cannot shift up within an int64.
_TOO_WIDE: Final = (2**63 - 1) >> _SHORT_BITS


def _best_of_each(
    packed: IntArray, bound: FloatArray, size: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each distinct value of ``packed`` (``major * size + minor``) once, sorted, unpacked,
    with the largest of its bounds, rounded up to a multiple of ``1 / _BOUND_STEPS``.

    The bound rides in the low bits of one sorted integer (a plain sort is several times
    faster than sorting by two keys)."""
    if len(packed) and int(packed.max()) >= _TOO_WIDE:
        order = np.lexsort((-bound, packed))  # too wide to pack: two keys
        packed, bound = packed[order], bound[order]
        first = np.r_[True, packed[1:] != packed[:-1]]
        major, minor = np.divmod(packed[first], size)
        return major, minor, bound[first]
    codes = _coded(packed, bound)
    codes.sort()
    return _decoded(codes, size)


@kernel
def _coded(packed: IntArray, bound: FloatArray) -> IntArray:
    """Each of ``packed`` shifted up, with how many steps of ``1 / _BOUND_STEPS`` its bound
    falls short of 1 (rounded down: the bound rounded up) in the low bits."""
    out = np.empty(len(packed), np.int64)
    for k in range(len(packed)):
        short = np.floor((1.0 - min(max(bound[k], 0.0), 1.0)) * _BOUND_STEPS)
        out[k] = (packed[k] << _SHORT_BITS) | np.int64(short)
    return out


@kernel
def _decoded(codes: IntArray, size: int) -> tuple[IntArray, IntArray, FloatArray]:
    """The first of each value of sorted :func:`_coded` ``codes``: its major, its minor and
    its bound."""
    distinct = 0
    for k in range(len(codes)):
        if k == 0 or codes[k] >> _SHORT_BITS != codes[k - 1] >> _SHORT_BITS:
            distinct += 1
    major = np.empty(distinct, np.int64)
    minor = np.empty(distinct, np.int64)
    bound = np.empty(distinct)
    at = 0
    for k in range(len(codes)):
        packed = codes[k] >> _SHORT_BITS
        if k == 0 or packed != codes[k - 1] >> _SHORT_BITS:
            major[at], minor[at] = packed // size, packed % size
            bound[at] = 1.0 - (codes[k] & ((1 << _SHORT_BITS) - 1)) / _BOUND_STEPS
            at += 1
    return major, minor, bound


@kernel
def _unbound_longer(
    pairs: tuple[IntArray, IntArray, FloatArray],
    listed: tuple[Int16Array, IntArray, npt.NDArray[np.int32], int],
    queries: tuple[IntArray, Int8Array, IntArray, IntArray],
    unmatched: float,
) -> None:
    """Raise, in place, the first bound of each pair (query, listed name, bound) that
    :func:`_longer` tells: to 1 where both have initials, where the query is known in part and
    read with all its tokens joined (a string the keys do not look up; against a listed name of
    fewer tokens, the rest of which weighs a quarter), or where the listed name is from an
    abjad and a query token reads as two of its adjacent tokens (the query's cut keys,
    :meth:`NameIndex._abjad_cuts`); to ``unmatched`` at least for a query of one token, whose
    similarity to the listed name read with all its tokens joined (a string the keys did not
    find) is the name's. ``listed``: the names' sizes, offsets, tokens and vocabulary size;
    ``queries``: their numbers of tokens, their shape flags (:func:`_query_flags`), and their
    cut keys by query."""
    query, names, bound = pairs
    sizes, offsets, tokens, size = listed
    query_lengths, flags, cut_starts, cut_keys = queries
    for k in range(len(query)):
        q, n = query[k], names[k]
        if not _longer(sizes[n], query_lengths[q], flags[q]):
            continue
        if _read_whole(sizes[n], query_lengths[q], flags[q]):
            bound[k] = 1.0
            continue
        if query_lengths[q] == 1:
            bound[k] = max(bound[k], unmatched)
        if sizes[n] & _ABJAD_BIT == 0:
            continue
        cuts = cut_keys[cut_starts[q] : cut_starts[q + 1]]
        for t in range(offsets[n], offsets[n + 1] - 1):
            key = tokens[t] * size + tokens[t + 1]
            at = np.searchsorted(cuts, key)
            if at < len(cuts) and cuts[at] == key:
                bound[k] = 1.0
                break


@kernel
def _longer(size: int, query_length: int, flags: int) -> bool:
    """Whether the channels cannot drop a pair of a listed name of ``size`` (:func:`_sizes`)
    and a query of ``query_length`` tokens of shape ``flags`` (:func:`_query_flags`) on the
    keys' bound (:func:`_unbound_longer` tells what bounds it): :func:`_read_whole`, or the
    listed name has more tokens and is from an abjad (a reading of two of them on skeletons
    may be a token of the query) or the query has one token (the listed name read with all
    its tokens joined is compared with it as it is)."""
    longer = _token_count(size) > query_length
    abjad = size & _ABJAD_BIT != 0
    return (longer and (abjad or query_length == 1)) or _read_whole(size, query_length, flags)


@kernel
def _read_whole(size: int, query_length: int, flags: int) -> bool:
    """Whether a pair of a listed name of ``size`` and a query of ``query_length`` tokens of
    shape ``flags`` is bounded in full: both have initials (the keys never look one up), or
    the query is known in part and has more tokens than the listed name (read with all of
    them joined, a string the keys never look up, it may align with one listed token and
    leave the rest at a quarter of its weight: MARIA ANNA ANNA against MARIA MARINA is 0.86
    through MARIAANNAANNA and MARINA, both MRN)."""
    if flags & _HAS_INITIAL and size >= _INITIAL_BIT:
        return True
    return flags & _WHOLE_IN_PART != 0 and _token_count(size) < query_length


@kernel
def _token_count(size: int) -> int:
    """The number of tokens of a listed name of ``size`` (:func:`_sizes`)."""
    return size % _ABJAD_BIT


def _sizes(offsets: IntArray, full: IntArray, abjad: npt.NDArray[np.bool_]) -> Int16Array:
    """Each listed name's number of tokens (at most ``_ABJAD_BIT - 1``: names of more count
    as that many), plus ``_ABJAD_BIT`` where it is from an ``abjad`` and ``_INITIAL_BIT``
    where it has an initial (fewer ``full`` tokens); small, so that reading it for scattered
    names mostly hits the CPU's caches."""
    count = np.diff(offsets)
    out: Int16Array = (
        np.minimum(count, _ABJAD_BIT - 1) + _ABJAD_BIT * abjad + _INITIAL_BIT * (count > full)
    ).astype(np.int16)
    return out


@kernel
def _reach(size: int, query_length: int, flags: int, bound: float) -> float:
    """The most a pair's similarity may be, from its first ``bound``: the bound rounded up as
    :func:`_best_of_each` rounds it, or 1 where :func:`_longer` tells (of a listed name of
    ``size`` and a query of ``query_length`` tokens of shape ``flags``)."""
    return 1.0 if _longer(size, query_length, flags) else bound + 1.0 / _BOUND_STEPS


@kernel
def _joined_reach(size: int, query_length: int, flags: int, bound: float) -> float:
    """:func:`_reach` of a first ``bound`` on a query's reading with two adjacent tokens
    joined: 0 where the comparator does not read it (a listed name of ``size`` with as many
    tokens as the query's ``query_length`` or more)."""
    if _token_count(size) >= query_length:
        return 0.0
    return _reach(size, query_length, flags, bound)


@kernel
def _reachable(
    query: IntArray,
    sizes: Int16Array,
    bound: FloatArray,
    need: FloatArray,
    query_lengths: IntArray,
    flags: Int8Array,
) -> IntArray:
    """The k whose pair of ``query[k]`` and a listed name of ``sizes[k]`` (:func:`_sizes`), at
    first bound ``bound[k]``, may reach ``need[k]`` (:func:`_reach`)."""
    out = np.empty(len(query), np.int64)
    kept = 0
    for k in range(len(query)):
        q = query[k]
        if need[k] <= _reach(sizes[k], query_lengths[q], flags[q], bound[k]) + _BOUND_SLACK:
            out[kept] = k
            kept += 1
    return out[:kept]


@kernel
def _name_rows(
    offsets: IntArray, codes: Int32Array, query: IntArray, names: IntArray
) -> tuple[IntArray, Int32Array, IntArray]:
    """The rows of each pair's listed name (``offsets`` into ``codes`` by name): each row's
    query and code, and how many rows each pair has (the names' offsets, scattered, are
    hinted to the CPU ``_AHEAD`` pairs before they are read)."""
    first = np.empty(len(names), np.int64)
    count = np.empty(len(names), np.int64)
    total = 0
    for k in range(len(names)):
        if k + _AHEAD < len(names):
            prefetch(offsets, names[k + _AHEAD])
        first[k] = offsets[names[k]]
        count[k] = offsets[names[k] + 1] - first[k]
        total += count[k]
    row_query = np.empty(total, np.int64)
    row_code = np.empty(total, np.int32)
    at = 0
    for k in range(len(names)):
        if k + _AHEAD < len(names):
            prefetch(codes, first[k + _AHEAD])
        for r in range(first[k], first[k] + count[k]):
            row_query[at] = query[k]
            row_code[at] = codes[r]
            at += 1
    return row_query, row_code, count


@kernel
def _least(values: FloatArray, count: IntArray) -> FloatArray:
    """The least of each group of ``count`` consecutive ``values`` (inf for an empty one)."""
    out = np.empty(len(count))
    at = 0
    for k in range(len(count)):
        least = np.inf
        for v in range(at, at + count[k]):
            least = min(least, values[v])
        out[k] = least
        at += count[k]
    return out


@kernel
def _summed(
    query: IntArray, names: IntArray, of_query: npt.NDArray[Any], of_name: npt.NDArray[Any]
) -> FloatArray:
    """``of_query[query[k]] + of_name[names[k]]`` for each k (the entries of the scattered
    names hinted to the CPU ``_AHEAD`` pairs before they are read)."""
    out = np.empty(len(query))
    for k in range(len(query)):
        if k + _AHEAD < len(query):
            prefetch(of_name, names[k + _AHEAD])
        out[k] = of_query[query[k]] + of_name[names[k]]
    return out


@kernel
def _first_above(keys: IntArray, value: int, start: int) -> int:
    """The first position from ``start`` on of sorted ``keys`` whose key exceeds ``value``
    (``len(keys)`` if none): steps doubling from ``start`` bracket it, a binary search finds
    it (reading few keys, all near ``start``, when it is near)."""
    end, step = start, 1
    while end < len(keys) and keys[end] <= value:
        start, end, step = end + 1, end + step, step * 2
    end = min(end, len(keys))
    while start < end:
        middle = (start + end) >> 1
        if keys[middle] <= value:
            start = middle + 1
        else:
            end = middle
    return start


@kernel
def _ranges(keys: IntArray, low: IntArray, high: IntArray) -> tuple[IntArray, IntArray]:
    """Where the keys from ``low[k]`` to ``high[k]`` (both included) of sorted ``keys`` begin
    and end, for each k. Each range is searched for from where the previous one began (from
    the start where ``low`` decreases: sorted ``low`` is found much faster)."""
    first = np.empty(len(low), np.int64)
    last = np.empty(len(low), np.int64)
    start = 0
    for k in range(len(low)):
        if k > 0 and low[k] < low[k - 1]:
            start = 0
        start = first[k] = _first_above(keys, low[k] - 1, start)
        last[k] = _first_above(keys, high[k], start)
    return first, last


@kernel
def _filed(
    keys: IntArray, offsets: IntArray, values: IntArray, low: IntArray, high: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Every value a CSR of sorted ``keys`` (their ``offsets`` into ``values``) files under
    keys from ``low[k]`` to ``high[k]`` (both included), for each k, in that order: the value,
    its k and its key (:func:`_ranges`)."""
    first, last = _ranges(keys, low, high)
    total = 0
    for k in range(len(low)):
        total += offsets[last[k]] - offsets[first[k]]
    out = np.empty(total, np.int64)
    which = np.empty(total, np.int64)
    key = np.empty(total, np.int64)
    filled = 0
    for k in range(len(low)):
        for j in range(first[k], last[k]):
            for v in range(offsets[j], offsets[j + 1]):
                out[filled], which[filled], key[filled] = values[v], k, keys[j]
                filled += 1
    return out, which, key


@kernel
def _pair_rows(
    postings: tuple[IntArray, IntArray, Int32Array, Int16Array],
    first: IntArray,
    last: IntArray,
    query: IntArray,
    bound: FloatArray,
    query_shape: tuple[IntArray, Int8Array],
    joined: bool,
) -> tuple[IntArray, IntArray, FloatArray, Int32Array, IntArray]:
    """The pair postings (:func:`_pair_postings`: offsets, names, codes, sizes) of the keys
    from ``first[k]`` to ``last[k]`` (excluded), filed for query ``query[k]`` at bound
    ``bound[k]``, in that order: each posting's query, name, reach (:func:`_reach`, or
    :func:`_joined_reach` where the bounds are ``joined`` readings', from ``query_shape``:
    each query's number of tokens and shape flags, :func:`_query_flags`), code and k."""
    offsets, names, codes, sizes = postings
    query_lengths, flags = query_shape
    total = 0
    for k in range(len(first)):
        total += offsets[last[k]] - offsets[first[k]]
    out_query = np.empty(total, np.int64)
    out_name = np.empty(total, np.int64)
    out_reach = np.empty(total)
    out_code = np.empty(total, np.int32)
    out_key = np.empty(total, np.int64)
    filled = 0
    for k in range(len(first)):
        q = query[k]
        for v in range(offsets[first[k]], offsets[last[k]]):
            out_query[filled], out_key[filled] = q, k
            out_name[filled], out_code[filled] = names[v], codes[v]
            out_reach[filled] = (
                _joined_reach(sizes[v], query_lengths[q], flags[q], bound[k])
                if joined
                else _reach(sizes[v], query_lengths[q], flags[q], bound[k])
            )
            filled += 1
    return out_query, out_name, out_reach, out_code, out_key


@functools.cache
def _two_of(width: int) -> tuple[IntArray, IntArray]:
    """Every two positions ``i < j`` of ``width``, as :func:`numpy.triu_indices` gives them
    (remembered per width: making them costs some 15 µs, much of one traveller's pairing)."""
    i, j = (np.array(k, dtype=np.int64) for k in np.triu_indices(width, 1))
    i.flags.writeable = j.flags.writeable = False  # (shared by every call)
    return i, j


def _held_products(
    sieve: _PairFilter,
    tokens_a: IntArray,
    first_a: IntArray,
    count_a: IntArray,
    tokens_b: IntArray,
    first_b: IntArray,
    count_b: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Every (i, j) with i in ``range(first_a[k], first_a[k] + count_a[k])`` and j in the
    same range of b, for each k, whose two tokens (``tokens_a[i]`` and ``tokens_b[j]``)
    ``sieve`` may hold: the i, the j and the k of each, in that order (a compiled loop: few
    pass, and nothing is made of the others)."""
    region = sieve.start[tokens_a]
    signs_a = sieve.signs(tokens_a)
    signs_b = signs_a if tokens_b is tokens_a else sieve.signs(tokens_b)  # (one array, twice)
    return _held(
        sieve.bits,
        (
            signs_a,
            region,
            sieve.start[tokens_a + 1] - region,
            first_a.astype(np.int64),
            count_a.astype(np.int64),
        ),
        (signs_b, first_b.astype(np.int64), count_b.astype(np.int64)),
    )


def _per_row(rows: IntArray, listed: list[IntArray], similarity: list[FloatArray]) -> TokenMatches:
    """Matches of each of ``rows``: the ``listed`` tokens and ``similarity`` at position k
    belong to ``rows[k]``."""
    counts = [len(found) for found in listed]
    return TokenMatches(
        np.repeat(rows, counts).astype(np.int64),
        _concat(listed).astype(np.int64),
        np.concatenate(similarity) if similarity else np.zeros(0),
    )


@kernel
def _gather(offsets: IntArray, values: IntArray, tokens: IntArray) -> tuple[IntArray, IntArray]:
    """The names a CSR (``offsets`` into ``values`` by token) files under each of ``tokens``,
    and which of ``tokens`` found each."""
    total = 0
    for token in tokens:
        total += offsets[token + 1] - offsets[token]
    names = np.empty(total, np.int64)
    which = np.empty(total, np.int64)
    filled = 0
    for k in range(len(tokens)):
        for v in range(offsets[tokens[k]], offsets[tokens[k] + 1]):
            names[filled] = values[v]
            which[filled] = k
            filled += 1
    return names, which


def _year_postings(
    name_of: IntArray, tokens: IntArray, years: tuple[IntArray, IntArray]
) -> tuple[IntArray, IntArray, IntArray]:
    """The names holding each token, by year of birth: (sorted codes ``token *
    _YEAR_CODES + year``, offsets, names), from each name's tokens and the years of its
    identities (undated ones are not filed)."""
    offsets, values = years
    held = np.bincount(name_of, minlength=len(offsets) - 1)
    first = np.cumsum(held) - held  # name_of is in order of names
    year_of = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    dated = values >= 0
    year_of, year = year_of[dated], np.clip(values[dated], 0, _YEAR_CODES - 1)
    counts = held[year_of]
    token = tokens[concat_ranges(first[year_of], counts)]
    codes = token * _YEAR_CODES + np.repeat(year, counts)
    unique, groups = np.unique(codes, return_inverse=True)
    start, names = _csr(groups.astype(np.int64), np.repeat(year_of, counts), len(unique))
    return unique.astype(np.int64), start, names


def _pair_keys(a: IntArray, b: IntArray, size: int, *, every: bool = True) -> IntArray:
    """One int64 per unordered pair of token ids: every pair of ``a`` and ``b`` (a product),
    or, with ``every=False``, ``a[i]`` with ``b[i]``. ``size`` is the vocabulary's."""
    if every:
        a, b = np.repeat(a, len(b)), np.tile(b, len(a))
    return np.minimum(a, b) * size + np.maximum(a, b)


def _pair_postings(
    name_of: IntArray,
    tokens: IntArray,
    size: int,
    rows: tuple[IntArray, Int32Array],
    sizes: Int16Array,
) -> tuple[IntArray, IntArray, IntArray, Int32Array, Int16Array]:
    """The listed names holding each pair of tokens, once per distinct row code of each:
    (sorted pair keys, offsets, names, codes, the names' :func:`_sizes`), from each name's
    tokens (``tokens[k]`` is of name ``name_of[k]``, names in order), ``rows`` (the codes of
    each name, compressed) and ``sizes`` (by name)."""
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
        return (
            empty,
            np.zeros(1, dtype=np.int64),
            empty,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int16),
        )
    key, owner = np.concatenate(keys), np.concatenate(owners)
    # each posting once per distinct code of its name
    offsets, codes = rows
    per_name = offsets[owner + 1] - offsets[owner]
    code = codes[concat_ranges(offsets[owner], per_name)].astype(np.int64)
    key, owner = np.repeat(key, per_name), np.repeat(owner, per_name)
    order = np.lexsort((code, owner, key))
    key, owner, code = key[order], owner[order], code[order]
    distinct = np.r_[
        True, (key[1:] != key[:-1]) | (owner[1:] != owner[:-1]) | (code[1:] != code[:-1])
    ]
    key, owner, code = key[distinct], owner[distinct], code[distinct]
    unique, groups = np.unique(key, return_inverse=True)
    start = np.searchsorted(groups, np.arange(len(unique) + 1)).astype(np.int64)
    return unique, start, owner, code.astype(np.int32), sizes[owner]


def _token_bound(query: str, listed: str, abjad: bool) -> float:
    """The token similarity, in whichever reading (Latin or abjad) could apply to the pair."""
    best = token_similarity(query, listed)
    if abjad:
        best = max(best, token_similarity(skeleton(query) or query, listed, abjad=True))
    return best
