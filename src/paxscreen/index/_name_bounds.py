"""Upper bounds on the name similarity of many (query name, listed name) pairs at once.

:func:`pair_bounds` gives, for each pair, a value the comparator's
:func:`~paxscreen.compare.names.name_similarity` can never exceed (a property test checks it).
Every token on either side is credited with the best credit it could get against the other
side: the exact similarity where the index's keys matched the two tokens; else a bound from the
lengths and letters they share (:meth:`_Shapes.similarity_bound`), replaced by the exact
similarity (the comparator's own batch code) wherever that bound leaves a credit; in every
reading the comparator tries (the longer side's adjacent tokens joined, or all of them; the
listed name's joined readings keep the bound from letters). The score of any
alignment is at most that of the best set of tokens aligned at those credits.

The work is grouped by the numbers of tokens of the two names, so that every step is one numpy
call over all pairs of that shape (no loop over travellers); the bounds of each distinct
(query name, listed token) are computed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from paxscreen.compare.names import (
    _ALIGNED,
    _EXTRA_WEIGHT,
    _INITIAL,
    _SKELETON_DISCOUNT,
    _credits,
    _distinct,
    _Side,
    _string_bounds,
    _Strings,
    _token_similarities,
)
from paxscreen.normalize.names import NameBatch, skeleton

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
TextArray = npt.NDArray[np.object_]  # of str

_SLACK: Final = 1e-9  # float rounding: a pair is kept where its bound reaches its need less this

#: Letters a skeleton may gain where two tokens are joined (a digraph across the seam, a soft
#: C, a final H no longer final), as character bits (code modulo 64).
_SEAM_LETTERS: Final = np.bitwise_or.reduce(
    [np.uint64(1) << np.uint64(ord(c) % 64) for c in "CFJSHKGTD"]
)


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


def sorted_unique(values: IntArray) -> IntArray:
    """The distinct values, sorted (by a sort, faster than numpy's hashing ``unique`` here)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


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


@dataclass(frozen=True, slots=True)
class TokenMatches:
    """Listed tokens matched with the queries' tokens (or readings of them) by the index.

    Attributes:
        row: The query token's position in the queries' flat ``tokens`` (for a join of two
            adjacent tokens, the first of them).
        listed: The listed token (an id into the listed names' vocabulary).
        similarity: Their exact :func:`~paxscreen.compare.names.token_similarity`.
    """

    row: IntArray
    listed: IntArray
    similarity: FloatArray

    @classmethod
    def concat(cls, parts: Sequence[TokenMatches]) -> TokenMatches:
        """The matches of all ``parts``, in order."""
        return cls(
            np.concatenate([p.row for p in parts]),
            np.concatenate([p.listed for p in parts]),
            np.concatenate([p.similarity for p in parts]),
        )

    def take(self, which: IntArray) -> TokenMatches:
        """The matches at positions ``which``."""
        return TokenMatches(self.row[which], self.listed[which], self.similarity[which])

    @classmethod
    def empty(cls) -> TokenMatches:
        """No matches."""
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))


@dataclass(frozen=True, slots=True)
class Listed:
    """The listed side: names, the shape of each vocabulary token, each token's length, and
    the vocabulary as an array of strings."""

    names: NameBatch
    shapes: _Shapes
    token_length: IntArray
    text: TextArray


def token_similarities(a: TextArray, b: TextArray, at_a: IntArray, at_b: IntArray) -> FloatArray:
    """:func:`~paxscreen.compare.names.token_similarity` (read as Latin) of strings ``a[at_a[k]]``
    and ``b[at_b[k]]`` for each k, as the comparator's batch computes it: exact wherever it is
    at least ``_ALIGNED``, lower elsewhere. ``a`` and ``b`` should be distinct strings (each is
    analysed once)."""
    sides = [
        _Side(
            text=text,
            length=np.fromiter(map(len, text), np.int64, len(text)),
            abjad=np.zeros(len(text), np.bool_),
            extended=np.zeros((0, 0), np.int64),
            count=np.zeros(0, np.int64),
            row=np.zeros(0, np.int64),
        )
        for text in (a, b)
    ]
    return _token_similarities(sides[0], sides[1], at_a, at_b)


def _query_strings(queries: NameBatch, which: IntArray, width: int) -> list[str]:
    """For each of the queries ``which`` (all of ``width`` tokens): its tokens, each two
    adjacent ones joined, then all of them joined (more than two tokens), query after query."""
    vocab = queries.vocab
    out: list[str] = []
    for start in queries.offsets[which].tolist():
        tokens = [vocab[t] for t in queries.tokens[start : start + width].tolist()]
        out += tokens
        out += [tokens[k] + tokens[k + 1] for k in range(width - 1)]
        if width > 2:
            out.append("".join(tokens))
    return out


def _string_count(width: int) -> int:
    return 2 * width - 1 + (width > 2)


def pair_bounds(
    queries: NameBatch,
    query: IntArray,
    names: IntArray,
    listed: Listed,
    similar: TokenMatches,
    joins: TokenMatches,
    splits: TokenMatches,
    need: FloatArray | None = None,
) -> FloatArray:
    """An upper bound on each pair's name similarity, query name ``query[k]`` against listed
    name ``names[k]`` (both read as Latin).

    Args:
        queries: The query names.
        query: int64, a query name per pair (pairs sorted by it).
        names: int64, a listed name per pair.
        listed: The listed names and their token shapes.
        similar: Listed tokens matched with query tokens, with their similarities.
        joins: Listed tokens matched with two adjacent query tokens joined.
        splits: Listed tokens that are one half of a query token cut in two (similarity 1).
        need: float64, the similarity each pair needs, or None: where a pair's bound is below
            it less ``_SLACK``, the bound may be looser (the pair is dropped either way).

    Returns:
        float64, one bound per pair, at most 1.
    """
    out = np.ones(len(query))
    if len(query) == 0:
        return out
    offsets = listed.names.offsets
    counts = offsets[names + 1] - offsets[names]
    widths = queries.lengths()[query]
    for width in np.unique(widths).tolist():
        chosen = np.flatnonzero((widths == width) & (counts > 1))
        if width == 0 or len(chosen) == 0:
            continue
        out[chosen] = _bounds_of_width(
            queries,
            query[chosen],
            names[chosen],
            width,
            listed,
            similar,
            joins,
            splits,
            None if need is None else need[chosen],
        )
    return out


def _bounds_of_width(
    queries: NameBatch,
    query: IntArray,
    names: IntArray,
    width: int,
    listed: Listed,
    similar: TokenMatches,
    joins: TokenMatches,
    splits: TokenMatches,
    need: FloatArray | None,
) -> FloatArray:
    """:func:`pair_bounds` of pairs whose query names all have ``width`` tokens."""
    vocab_size = len(listed.names.vocab)
    offsets, flat = listed.names.offsets, listed.names.tokens
    counts = offsets[names + 1] - offsets[names]
    distinct_queries = sorted_unique(query)
    query_row = np.searchsorted(distinct_queries, query)
    strings = _string_count(width)
    texts = _query_strings(queries, distinct_queries, width)
    shapes = _Shapes.of(texts)
    unique_texts, text_id = np.unique(np.array(texts, dtype=object), return_inverse=True)
    text_id = text_id.ravel()
    # the listed tokens of every pair, and each distinct (query, listed token) once
    tokens = flat[concat_ranges(offsets[names], counts)].astype(np.int64)
    keys = np.repeat(query_row, counts) * vocab_size + tokens
    distinct, where = _distinct(keys, len(distinct_queries) * vocab_size)
    at_query, at_token = np.divmod(distinct, vocab_size)
    table = shapes.similarity_bound(
        at_query[:, None] * strings + np.arange(strings), listed.shapes, at_token[:, None]
    )
    split = np.zeros((len(distinct), width))
    known = np.zeros(table.shape, np.bool_)
    for matches, column, target in ((similar, 0, table), (joins, width, table), (splits, 0, split)):
        at, slot, similarity = _placed(queries, distinct_queries, distinct, vocab_size, matches)
        target[at, column + slot] = similarity
        if target is table:
            known[at, column + slot] = True
    # the exact similarity wherever the shapes leave a credit the keys did not settle (the
    # letters' bound is exact for an initial): given ``need``, only for the pairs whose bound
    # from the letters reaches it
    initial = (shapes.length[at_query[:, None] * strings + np.arange(strings)] == 1) | (
        listed.token_length[at_token][:, None] == 1
    )
    unsettled = (table >= _ALIGNED) & ~known & ~initial
    starts = np.cumsum(counts) - counts
    query_lengths = shapes.length[query_row[:, None] * strings + np.arange(width)]

    def bounds_of(pairs: IntArray, exact: bool) -> FloatArray:
        """The bound of ``pairs`` from the table as it is (``exact``: with the listed names'
        readings compared exactly too)."""
        credits = _Credits.of(np.where(table >= _ALIGNED, _credits(table), 0.0), split, width)
        out = np.empty(len(pairs))
        for count in np.unique(counts[pairs]).tolist():
            at = np.flatnonzero(counts[pairs] == count)
            chosen = pairs[at]
            rows = starts[chosen, None] + np.arange(count)
            out[at] = _aligned_bound(
                credits,
                where[rows],
                tokens[rows],
                query_lengths[chosen],
                query_row[chosen] * strings,
                shapes,
                listed,
                (unique_texts, text_id),
                names[chosen],
                None if need is None else need[chosen],
                exact=exact,
            )
        return out

    every = np.arange(len(query))
    out = np.ones(len(query))
    if need is None:
        refine = every
    else:
        out = bounds_of(every, exact=False)
        refine = np.flatnonzero(out >= need - _SLACK)
        used = np.zeros(len(distinct), np.bool_)
        used[where[concat_ranges(starts[refine], counts[refine])]] = True
        unsettled &= used[:, None]
    cells = np.flatnonzero(unsettled)
    cell_row, cell_string = np.divmod(cells, strings)
    table.flat[cells] = _pairwise(
        unique_texts,
        text_id[at_query[cell_row] * strings + cell_string],
        listed.text,
        at_token[cell_row],
    )
    out[refine] = bounds_of(refine, exact=True)
    return out


def _pairwise(a: TextArray, at_a: IntArray, b: TextArray, at_b: IntArray) -> FloatArray:
    """:func:`token_similarities` of ``a[at_a[k]]`` and ``b[at_b[k]]`` for each k (``a`` of
    distinct strings), each distinct pair computed once."""
    if len(at_a) == 0:
        return np.zeros(0)
    keys, where = _distinct(at_a * len(b) + at_b, len(a) * len(b))
    first, second = np.divmod(keys, len(b))
    used_a, at_a = np.unique(first, return_inverse=True)
    used_b, at_b = np.unique(second, return_inverse=True)
    return token_similarities(a[used_a], b[used_b], at_a.ravel(), at_b.ravel())[where]


@dataclass(frozen=True, slots=True)
class _Credits:
    """The credits of each distinct (query, listed token) of pairs whose queries have
    ``width`` tokens, as :func:`_aligned_bound` reads them.

    Attributes:
        slot: (distinct, width) against each query token.
        slot_split: (distinct, width) the same, or 1 where the listed token is half of it.
        joined: (distinct, strings - width) against the query's joined readings.
        token: (distinct,) the best against a query token.
        token_joined: (distinct,) the best against a query token or reading.
        token_split: (distinct,) the best against a query token or as half of one.
    """

    slot: FloatArray
    slot_split: FloatArray
    joined: FloatArray
    token: FloatArray
    token_joined: FloatArray
    token_split: FloatArray

    @classmethod
    def of(cls, values: FloatArray, split: FloatArray, width: int) -> _Credits:
        """From the credits against every string (``values``) and the halves (``split``)."""
        slot = np.ascontiguousarray(values[:, :width])
        joined = np.ascontiguousarray(values[:, width:])
        token = slot.max(axis=1)
        return cls(
            slot=slot,
            slot_split=np.maximum(slot, split),
            joined=joined,
            token=token,
            token_joined=np.maximum(token, joined.max(axis=1, initial=0.0)),
            token_split=np.maximum(token, split.max(axis=1)),
        )


def _placed(
    queries: NameBatch,
    distinct_queries: IntArray,
    distinct: IntArray,
    vocab_size: int,
    matches: TokenMatches,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Where each match of one of ``distinct_queries`` is among the ``distinct`` (query row,
    listed token) keys: (position, token slot in its query, similarity), for the matches
    found there."""
    owner = np.searchsorted(queries.offsets, matches.row, side="right") - 1
    row = np.searchsorted(distinct_queries, owner).clip(max=len(distinct_queries) - 1)
    key = row * vocab_size + matches.listed
    at = np.searchsorted(distinct, key).clip(max=len(distinct) - 1)
    found = (distinct_queries[row] == owner) & (distinct[at] == key)
    slot = matches.row - queries.offsets[owner]
    return at[found], slot[found], matches.similarity[found]


def _aligned_bound(
    credits: _Credits,
    at: IntArray,
    tokens: IntArray,
    query_lengths: IntArray,
    first_string: IntArray,
    shapes: _Shapes,
    listed: Listed,
    texts: tuple[TextArray, IntArray],
    names: IntArray,
    need: FloatArray | None,
    *,
    exact: bool,
) -> FloatArray:
    """The bound of pairs of one shape: query names of ``width`` tokens against listed names
    of ``count`` tokens.

    Args:
        credits: The credits of the distinct (query, listed token) of the pairs.
        at: (pairs, count) where each listed token of each pair is in ``credits``.
        tokens: (pairs, count) the listed tokens.
        query_lengths: (pairs, width) the lengths of the query's tokens.
        first_string: (pairs,) the position of each pair's query's first string in ``shapes``.
        shapes: The shapes of the queries' strings.
        listed: The listed side.
        texts: The queries' distinct strings, and which of them each string of ``shapes`` is.
        names: (pairs,) the listed names.
        need: (pairs,) the similarity each pair needs (see :func:`pair_bounds`), or None.
        exact: Whether the listed names' readings are also compared exactly (else bounded by
            their letters only).
    """
    count = tokens.shape[1]
    width = query_lengths.shape[1]
    # compounds are read on the longer side only: the query's joined tokens against a
    # shorter listed name, a query token cut in two against a longer one
    if count < width:
        per_token = credits.token_joined[at]
        per_slot = credits.slot[at].max(axis=1)
        joined = credits.joined[at].max(axis=1)
        covers: list[tuple[int, ...]] = [(k, k + 1) for k in range(width - 1)]
        if width > 2:
            covers.append(tuple(range(width)))
        for j, cover in enumerate(covers):
            for k in cover:
                np.maximum(per_slot[:, k], joined[:, j], out=per_slot[:, k])
    elif count == width:
        per_token = credits.token[at]
        per_slot = credits.slot[at].max(axis=1)
    else:
        per_token = credits.token_split[at]
        per_slot = credits.slot_split[at].max(axis=1)
        return _split_bound(
            per_slot,
            per_token,
            tokens,
            query_lengths,
            first_string,
            shapes,
            listed,
            texts,
            names,
            need,
            exact=exact,
        )
    return _alignment_bound(per_slot, per_token, query_lengths, listed.token_length[tokens])


def _split_bound(
    per_slot: FloatArray,
    per_token: FloatArray,
    tokens: IntArray,
    query_lengths: IntArray,
    first_string: IntArray,
    shapes: _Shapes,
    listed: Listed,
    texts: tuple[TextArray, IntArray],
    names: IntArray,
    need: FloatArray | None,
    *,
    exact: bool,
) -> FloatArray:
    """:func:`_aligned_bound` of pairs whose listed names have more tokens than the queries:
    the listed names are also read with adjacent tokens joined, or all of them. Their credits
    are bounded from letters first; where the bound still reaches ``need`` (everywhere if
    None; nowhere unless ``exact``), by the exact similarity wherever the letters leave a
    credit above what the query's token or the reading's tokens already have."""
    pairs, count = tokens.shape
    width = query_lengths.shape[1]
    firsts = list(range(count - 1)) + ([0] if count > 2 else [])
    lasts = list(range(1, count)) + ([count - 1] if count > 2 else [])
    base = (np.arange(pairs) * count)[:, None]
    readings = listed.shapes.joined(tokens.ravel(), (base + firsts).ravel(), (base + lasts).ravel())
    value = shapes.similarity_bound(
        first_string[:, None, None] + np.arange(width),
        readings,
        np.arange(pairs * len(firsts)).reshape(pairs, len(firsts))[:, :, None],
    )  # (pairs, readings, width)
    parts = np.array(lasts) - np.array(firsts) + 1
    alone = ((parts == count) & (width == 1))[None, :, None]  # one token against one
    listed_lengths = listed.token_length[tokens]

    def bound_of(chosen: IntArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The bound of pairs ``chosen`` from their readings' ``values``, and its credits."""
        credit = np.where(values >= _ALIGNED, np.where(alone, values, _credits(values)), 0.0)
        slot = np.maximum(per_slot[chosen], credit.max(axis=1))
        token = per_token[chosen].copy()
        best = credit.max(axis=2)
        for r, (a, b) in enumerate(zip(firsts, lasts, strict=True)):
            np.maximum(token[:, a : b + 1], best[:, r, None], out=token[:, a : b + 1])
        bound = _alignment_bound(slot, token, query_lengths[chosen], listed_lengths[chosen])
        return bound, credit

    every = np.arange(pairs)
    bound, shaped = bound_of(every, value)
    if not exact:
        return bound
    refine = every if need is None else np.flatnonzero(bound >= need - _SLACK)
    # the credits the exact similarity could lower: above what the query's token or the
    # reading's tokens already have (not for initials: their bound is exact)
    covered = np.stack(
        [per_token[refine, a : b + 1].min(axis=1) for a, b in zip(firsts, lasts, strict=True)],
        axis=1,
    )
    cells = np.flatnonzero(
        (shaped[refine] > 0)
        & (query_lengths[refine, None, :] > 1)
        & ((shaped[refine] > per_slot[refine, None, :]) | (shaped[refine] > covered[:, :, None]))
    )  # (refined pairs, readings, width) flat
    readings_count = len(firsts)
    at, cell = np.divmod(cells, readings_count * width)
    if need is not None and len(cells):
        # pairs that reach their need with those credits at nothing are kept whatever they are
        lowest = value[refine]
        lowest.flat[cells] = 0.0
        floor = bound_of(refine, lowest)[0]
        open_ = floor < need[refine] - _SLACK
        cells, at, cell = cells[open_[at]], at[open_[at]], cell[open_[at]]
    if len(cells) == 0:
        return bound
    pair = refine[at]
    reading, slot = np.divmod(cell, width)
    # each listed name's reading joined once
    keys, joined_id = _distinct(
        names[pair] * readings_count + reading, (int(names.max()) + 1) * readings_count
    )
    key_pair = np.empty(len(keys), np.int64)
    key_pair[joined_id] = pair
    key_reading = keys % readings_count
    joined = np.empty(len(keys), dtype=object)
    for r, (a, b) in enumerate(zip(firsts, lasts, strict=True)):
        chosen = np.flatnonzero(key_reading == r)
        if len(chosen):
            joined[chosen] = np.add.reduce(listed.text[tokens[key_pair[chosen], a : b + 1]], axis=1)
    unique_texts, text_id = texts
    flat = (pair * readings_count + reading) * width + slot
    value.flat[flat] = _pairwise(
        unique_texts, text_id[first_string[pair] + slot], joined, joined_id
    )
    changed = sorted_unique(pair)
    bound[changed] = bound_of(changed, value[changed])[0]
    return bound


def _alignment_bound(
    per_slot: FloatArray, per_token: FloatArray, query_lengths: IntArray, listed_lengths: IntArray
) -> FloatArray:
    """The best score any set of tokens aligned at most at these credits could give: each
    query token's (``per_slot``) and each listed token's (``per_token``), (pairs, tokens)."""
    width, count = per_slot.shape[1], per_token.shape[1]
    credit = np.concatenate([per_slot, per_token], axis=1)
    weight = np.concatenate([query_lengths, listed_lengths], axis=1, dtype=np.float64)
    total = weight.sum(axis=1)
    everything: FloatArray = (credit * weight).sum(axis=1) / np.maximum(total, 1)
    if count == width:
        # names of as many tokens are read as they are: every token aligned, or tokens left
        # over on both sides (weighing fully); either way at most every credit at full weight
        return everything
    # leftovers weigh a quarter only where every token of the shorter side is aligned (tokens
    # left over on the shorter side leave some on the longer one too, and then all weigh fully)
    query_weight, listed_weight = weight[:, :width], weight[:, width:]
    if count < width:
        fixed, fixed_weight, free, free_weight = per_token, listed_weight, per_slot, query_weight
    else:
        fixed, fixed_weight, free, free_weight = per_slot, query_weight, per_token, listed_weight
    if fixed.shape[1] < 2:
        return everything  # one token aligned at most: everything weighs fully
    share = 1 - _EXTRA_WEIGHT
    held = (fixed * fixed_weight).sum(axis=1)[:, None]
    base = (share * fixed_weight.sum(axis=1) + _EXTRA_WEIGHT * total)[:, None]
    # the best set of the longer side's tokens to align is a prefix of them by credit (in any
    # order of equal credits: all of them are in the best set, or none) ...
    items = -free + 1j * free_weight
    items.sort(axis=1)
    credit, weighed = -items.real, items.imag
    prefix = (held + np.cumsum(credit * weighed, axis=1)) / (base + share * np.cumsum(weighed, 1))
    best_prefix = np.maximum(prefix.max(axis=1), held[:, 0] / base[:, 0])
    # ... and at least as many of them as the shorter side has are aligned (joined readings
    # cover more): at most the largest credits over the lightest tokens
    gained = np.cumsum(-np.sort(-(free * free_weight), axis=1), axis=1)
    lightest = np.cumsum(np.sort(free_weight, axis=1), axis=1)
    enough = fixed.shape[1] - 1
    sized = ((held + gained[:, enough:]) / (base + share * lightest[:, enough:])).max(axis=1)
    bound: FloatArray = np.maximum(everything, np.minimum(best_prefix, sized))
    return bound
