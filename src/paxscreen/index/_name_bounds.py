"""Upper bounds on the name similarity of many (query name, listed name) pairs at once.

:func:`pair_bounds` gives, for each pair, a value the comparator's
:func:`~paxscreen.compare.names.name_similarity` can never exceed (a property test checks it).
Every token on either side is credited with the best credit it could get against the other
side: the exact similarity where the index's keys matched the two tokens; else a bound from the
lengths and letters they share (:func:`_letter_bound`), replaced by the exact similarity (the
comparator's own batch code) wherever that bound leaves a credit; in every reading the
comparator tries (the longer side's adjacent tokens joined, or all of them). The score of any
alignment is at most that of the best set of tokens aligned at those credits
(:func:`_alignment_bound`); the reading with all of the longer side's tokens joined, a single
token, aligns one pair at most, and is bounded on its own (:func:`_whole_bound`).

The arithmetic runs in compiled loops (:func:`paxscreen._jit.kernel`), pair by pair, without
the interpreter lock: each distinct (query name, listed token) is a row of credits against the
query's strings, bounded once (:func:`_rows`); each pair reads its tokens' rows and bounds the
listed name's joined readings from their letters (:func:`_pair_bounds`), read from the tokens'
shapes without making the strings (:func:`_reading_shape`: exactly, but where a rule of the
skeleton may read across a seam). Only the exact token similarities are computed in Python
(rapidfuzz, in one batch per step), for the cells the loops report; a listed name's joined
reading is made as a string only then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from paxscreen._jit import kernel
from paxscreen.compare.names import (
    _ALIGNED,
    _EXTRA_WEIGHT,
    _INITIAL,
    _SAME_SURNAME,
    _SKELETON_DISCOUNT,
    _cached_token_similarities,
    _compiled_credit,
    _distinct,
    _popcount,
    _Side,
    _string_bound,
    _Strings,
)
from paxscreen.normalize._romanization import LONGEST_SPELLING, in_table
from paxscreen.normalize.names import NameBatch, skeleton

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
BitArray = npt.NDArray[np.uint64]
TextArray = npt.NDArray[np.object_]  # of str

_SLACK: Final = 1e-9  # float rounding: a pair is kept where its bound reaches its need less this


def _bits(chars: str) -> int:
    """The character bits (code modulo 64) of ``chars``."""
    return sum(1 << (ord(c) % 64) for c in set(chars))


#: Letters a skeleton may gain where two tokens are joined (a digraph across the seam, a soft
#: C, a final H no longer final), as character bits.
_SEAM_LETTERS: Final = np.uint64(_bits("CFJSHKGTD"))

#: Where two tokens are joined, the rules of :func:`~paxscreen.normalize.names.skeleton` that
#: may read across the seam: by the first letter of the second token, the last letters of the
#: first that make a digraph with it (also with what an earlier replacement made: SCH then H,
#: DH then J or ZH, D then ZH) or a soft C. Across any other seam the joined skeleton is the
#: tokens' open skeletons run together (checked with ``skeleton`` of every string of up to
#: three of the letters its rules read joined to every one of up to two, and the other way
#: round; tests/index draw more). ``_ACROSS`` holds them as character bits, by the second
#: letter's code modulo 64.
_READ_ACROSS: Final = {
    "H": "PKGSCTDZH",
    "J": "DH",
    "K": "C",
    "C": "ST",
    "Z": "DH",
    "E": "C",
    "I": "C",
    "Y": "C",
}
_ACROSS: Final = np.zeros(64, np.uint64)
_ACROSS[[ord(second) % 64 for second in _READ_ACROSS]] = [
    _bits(firsts) for firsts in _READ_ACROSS.values()
]
_H: Final = ord("H")

# The columns of :meth:`_Shapes.packed`: sizes, then bits; a :class:`Listed`'s have more.
_FIRST, _LENGTH, _REPEATS, _SKELETON_LENGTH, _SKELETON_REPEATS = range(5)
_CHARS, _SKELETON_CHARS = range(2)
_LAST, _OPEN_LENGTH, _OPEN_FIRST, _OPEN_LAST = range(5, 9)
_OPEN_CHARS, _OPEN_BODY = range(2, 4)

# What :func:`_pair_bounds` does with the listed names' joined readings.
_LETTERS: Final = 0  # bound them from their letters
_REPORT: Final = 1  # and report the cells whose exact similarity could lower a bound
_EXACT: Final = 2  # bound them with the exact similarities given for such cells


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
    chars: BitArray
    repeats: IntArray
    skeleton_length: IntArray
    skeleton_chars: BitArray
    skeleton_repeats: IntArray

    @classmethod
    def of(cls, tokens: Sequence[str]) -> _Shapes:
        """The shapes of ``tokens``."""
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

    def packed(self) -> tuple[IntArray, BitArray]:
        """The shapes as the compiled loops read them: (tokens, 5) sizes (first character,
        length, repeats, skeleton's length and repeats) and (tokens, 2) character bits (of
        the token, of its skeleton)."""
        sizes = np.stack(
            [
                self.first,
                self.length,
                self.repeats,
                self.skeleton_length,
                self.skeleton_repeats,
            ],
            axis=1,
        ).astype(np.int64)
        bits = np.stack([self.chars, self.skeleton_chars], axis=1).astype(np.uint64)
        return sizes, bits


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


def _open_skeletons(tokens: Sequence[str]) -> list[str]:
    """Each token's skeleton as it reads inside a longer string: a final H that
    :func:`~paxscreen.normalize.names.skeleton` drops is kept. All are made by one call of
    it (uncached), on the tokens each closed by a ``#``, which no rule reads (the H before it
    is not final), and set apart by line breaks, which no rule reads across."""
    if not tokens:
        return []
    marked = skeleton.__wrapped__("\n".join(token + "#" for token in tokens))
    return [part[:-1] for part in marked.split("\n")]


@dataclass(frozen=True, slots=True, eq=False)
class Listed:
    """The listed side: names, the vocabulary as an array of strings, and the shapes of its
    tokens as the compiled loops read them: :meth:`_Shapes.packed`, then what a token brings
    to a joined reading (:func:`_reading_shape`): sizes gain its last character and the
    length, first and last character of its open skeleton (:func:`_open_skeletons`), bits the
    open skeleton's characters, and those of all but its last.

    Attributes:
        names: The listed names.
        text: Their vocabulary as an array of strings.
        sizes: (tokens, 9) sizes.
        bits: (tokens, 4) character bits.
    """

    names: NameBatch
    text: TextArray
    sizes: IntArray
    bits: BitArray

    @classmethod
    def of(cls, names: NameBatch, shapes: _Shapes, text: TextArray) -> Listed:
        """The listed side of ``names``, whose tokens have ``shapes`` and ``text``."""
        sizes, bits = shapes.packed()
        tokens = text.tolist()
        opens = _open_skeletons(tokens)
        ends = np.array(
            [
                (
                    ord(t[-1]) if t else -1,
                    len(o),
                    ord(o[0]) if o else -1,
                    ord(o[-1]) if o else -1,
                )
                for t, o in zip(tokens, opens, strict=True)
            ],
            dtype=np.int64,
        ).reshape(len(tokens), 4)
        open_bits = [_Strings.of(opens).chars, _Strings.of([o[:-1] for o in opens]).chars]
        return cls(
            names,
            text,
            np.ascontiguousarray(np.column_stack([sizes, ends])),
            np.ascontiguousarray(np.column_stack([bits, *open_bits])),
        )


def token_similarities(a: TextArray, b: TextArray, at_a: IntArray, at_b: IntArray) -> FloatArray:
    """:func:`~paxscreen.compare.names.token_similarity` (read as Latin) of strings ``a[at_a[k]]``
    and ``b[at_b[k]]`` for each k, as the comparator's batch computes it (or, for a few,
    its cache): exact wherever it is at least ``_ALIGNED``, lower elsewhere. ``a`` and ``b``
    should be distinct strings (each is analysed once)."""
    sides = [
        _Side(
            text=text,
            length=np.fromiter(map(len, text), np.int64, len(text)),
            abjad=np.zeros(len(text), np.bool_),
            extended=np.zeros((0, 0), np.int64),
            count=np.zeros(0, np.int64),
            partial=np.zeros(0, np.bool_),
            row=np.zeros(0, np.int64),
        )
        for text in (a, b)
    ]
    return _cached_token_similarities(sides[0], sides[1], at_a, at_b)


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


@dataclass(frozen=True, slots=True, eq=False)
class _Queries:
    """The strings of the distinct query names of some pairs: each query's tokens, each two
    adjacent ones joined, then all of them joined (more than two tokens).

    Attributes:
        width: (queries,) the number of tokens of each query.
        start: (queries,) the position of each query's first string.
        sizes: (strings, 5) and
        bits: (strings, 2) the strings' shapes (:meth:`_Shapes.packed`).
        text: The distinct strings.
        text_id: (strings,) which of ``text`` each string is.
    """

    width: IntArray
    start: IntArray
    sizes: IntArray
    bits: BitArray
    text: TextArray
    text_id: IntArray

    @classmethod
    def of(cls, queries: NameBatch, which: IntArray) -> _Queries:
        """The strings of queries ``which``."""
        vocab = queries.vocab
        texts: list[str] = []
        starts: list[int] = []
        offsets = queries.offsets.tolist()
        for q in which.tolist():
            starts.append(len(texts))
            tokens = [vocab[t] for t in queries.tokens[offsets[q] : offsets[q + 1]].tolist()]
            texts += tokens
            texts += [tokens[k] + tokens[k + 1] for k in range(len(tokens) - 1)]
            if len(tokens) > 2:
                texts.append("".join(tokens))
        unique, text_id = np.unique(np.array(texts, dtype=object), return_inverse=True)
        return cls(
            queries.lengths()[which],
            np.array(starts, dtype=np.int64),
            *_Shapes.of(texts).packed(),
            unique,
            text_id.ravel().astype(np.int64),
        )


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

    Where ``need`` is given, the bound is first taken with every credit the keys did not
    settle bounded from letters; the exact similarities are computed only for the pairs
    whose bound still reaches their need, and of a listed name's joined readings only where
    the pair's bound with those credits at nothing falls short of it. (The joined readings'
    letters are read from their tokens' shapes, exactly but where a rule of the skeleton may
    read across a seam: :func:`_reading_shape`; no string is made for them until their
    exact similarity is computed.)

    Args:
        queries: The query names.
        query: int64, a query name per pair.
        names: int64, a listed name per pair.
        listed: The listed names and their tokens' shapes.
        similar: Listed tokens matched with query tokens, with their similarities.
        joins: Listed tokens matched with two adjacent query tokens joined.
        splits: Listed tokens that are one half of a query token cut in two (similarity 1).
        need: float64, the similarity each pair needs, or None: where a pair's bound is below
            it less ``_SLACK``, the bound may be looser (the pair is dropped either way).

    Returns:
        float64, one bound per pair, at most 1 (1 for pairs with a one-token listed name).
    """
    out = np.ones(len(query))
    offsets = listed.names.offsets
    counts = offsets[names + 1] - offsets[names]
    chosen = np.flatnonzero((queries.lengths()[query] > 0) & (counts > 1))
    if len(chosen) == 0:
        return out
    chosen = chosen[np.argsort(query[chosen], kind="stable")]  # the pairs of a query together
    distinct = sorted_unique(query[chosen])
    strings = _Queries.of(queries, distinct)
    side = (strings.width, strings.start, strings.sizes, strings.bits)
    spelled = in_table(strings.text.tolist())[strings.text_id]  # surname table spellings
    tokens_side = (listed.sizes, listed.bits)
    pairs = _Pairs(np.searchsorted(distinct, query[chosen]), names[chosen].astype(np.int64))
    entry, count, token = _entries(pairs.name, offsets, listed.names.tokens)
    rows = _Rows(
        *_rows(
            pairs.query,
            (entry, count, token),
            side,
            tokens_side,
            _placed(queries, distinct, (similar, joins, splits)),
        )
    )
    credit = _credits(rows.table)
    table = (pairs.query, entry, count, token, rows.where, rows.cells, credit)
    partial = (queries.partial[distinct], listed.names.partial[pairs.name])
    bound = np.ones(len(chosen))
    every = np.arange(len(chosen), dtype=np.int64)
    if need is None:
        refine = every
        needs = np.zeros(0)
    else:
        needs = need[chosen].astype(np.float64)
        bound = _pair_bounds(
            _LETTERS, every, needs, table, side, tokens_side, _NO_CELLS, spelled, partial
        )[0]
        refine = np.flatnonzero(bound >= needs - _SLACK)
    # the exact similarity wherever the letters leave a credit the keys did not settle, in
    # the rows of the pairs refined
    cell, string, listed_token = _unsettled(
        refine, table, rows.table, rows.known, side, tokens_side
    )
    credit[cell] = _credits(
        _pairwise(strings.text, strings.text_id[string], listed.text, listed_token)
    )
    refined, pair, reading, slot = _pair_bounds(
        _REPORT, refine, needs, table, side, tokens_side, _NO_CELLS, spelled, partial
    )
    bound[refine] = refined
    if len(pair):
        # each listed name's reading joined once, compared with the query's token
        texts, text_of = _reading_texts(listed, pairs.name[pair], reading)
        query_string = strings.start[pairs.query[pair]] + slot
        value = _pairwise(strings.text, strings.text_id[query_string], texts, text_of)
        changed, first = np.unique(pair, return_index=True)
        cells = (np.r_[first, len(pair)].astype(np.int64), reading, slot, value)
        bound[changed] = _pair_bounds(
            _EXACT, changed, needs, table, side, tokens_side, cells, spelled, partial
        )[0]
    out[chosen] = bound
    return out


@dataclass(frozen=True, slots=True)
class _Pairs:
    """The pairs of :func:`pair_bounds` that are bounded, grouped by query.

    Attributes:
        query: Each pair's query (a position among the distinct queries, :class:`_Queries`).
        name: Its listed name.
    """

    query: IntArray
    name: IntArray


@dataclass(frozen=True, slots=True)
class _Rows:
    """Each distinct (query, listed token) of some pairs, with its credits' cells (see
    :func:`_rows`).

    Attributes:
        where: The row of each listed token of each pair (:func:`_entries`).
        cells: The position of each row's first cell in ``table``, and one past the last.
        table: Each row's similarity bounds against the query's strings, then whether the
            listed token is one half of each query token cut in two (1 or 0).
        known: Whether a cell of ``table`` holds an exact similarity found by the keys.
    """

    where: IntArray
    cells: IntArray
    table: FloatArray
    known: BoolArray


_NO_CELLS: Final = (
    np.zeros(1, np.int64),
    np.zeros(0, np.int64),
    np.zeros(0, np.int64),
    np.zeros(0),
)


def _placed(
    queries: NameBatch, distinct: IntArray, kinds: Sequence[TokenMatches]
) -> tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]:
    """The matches of ``kinds`` (similar tokens, joins, halves of a cut) of the ``distinct``
    queries, sorted by query: (query among ``distinct``, kind, token slot in its query,
    listed token, similarity)."""
    position = np.full(len(queries), -1, np.int64)
    position[distinct] = np.arange(len(distinct))
    parts = []
    for kind, matches in enumerate(kinds):
        owner = np.searchsorted(queries.offsets, matches.row, side="right") - 1
        found = np.flatnonzero(position[owner] >= 0)
        owner = owner[found]
        parts.append(
            (
                position[owner],
                np.full(len(found), kind, np.int64),
                matches.row[found] - queries.offsets[owner],
                matches.listed[found].astype(np.int64),
                matches.similarity[found],
            )
        )
    query, kind_of, slot, token, similarity = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.argsort(query, kind="stable")
    return query[order], kind_of[order], slot[order], token[order], similarity[order]


def _reading_texts(
    listed: Listed, names: IntArray, reading: IntArray
) -> tuple[TextArray, IntArray]:
    """The text of each listed name's reading (:func:`_reading`), each distinct one made
    once: the texts, and which of them each (name, reading) is."""
    offsets, flat, text = listed.names.offsets, listed.names.tokens, listed.text
    counts = offsets[names + 1] - offsets[names]
    keys, at = _distinct(
        names * int(counts.max()) + reading, (len(offsets) + 1) * int(counts.max())
    )
    key_name, key_reading = np.divmod(keys, int(counts.max()))
    key_count = offsets[key_name + 1] - offsets[key_name]
    whole = key_reading == key_count - 1  # all tokens joined
    first = np.where(whole, 0, key_reading)
    parts = np.where(whole, key_count, 2)
    joined = np.empty(len(keys), dtype=object)
    for size in np.unique(parts).tolist():
        chosen = np.flatnonzero(parts == size)
        tokens = flat[(offsets[key_name[chosen]] + first[chosen])[:, None] + np.arange(size)]
        joined[chosen] = np.add.reduce(text[tokens], axis=1)
    return joined, at


# ---------------------------------------------------------------------------------------------
# Compiled loops. Their arguments are numbers and arrays, grouped in tuples:
#   side: the queries' strings (:class:`_Queries`): width, start, sizes, bits;
#   tokens_side: the listed vocabulary's shapes: sizes, bits (:meth:`_Shapes.packed`);
#   table: the pairs and their rows: each pair's query (:class:`_Pairs`), its entries
#       (:func:`_entries`: entry, count, token), the rows (:class:`_Rows`: where, cells) and
#       the credits of their cells (:func:`_credits` of the table).


#: A string's shape as loops read it: (first character, length, repeats, skeleton's length,
#: skeleton's repeats, character bits, skeleton's character bits).
Shape = tuple[int, int, int, int, int, np.uint64, np.uint64]


@kernel
def _shape(sizes: IntArray, bits: BitArray, k: int) -> Shape:
    """The shape of string ``k`` of packed shapes (:meth:`_Shapes.packed`)."""
    return (
        sizes[k, _FIRST],
        sizes[k, _LENGTH],
        sizes[k, _REPEATS],
        sizes[k, _SKELETON_LENGTH],
        sizes[k, _SKELETON_REPEATS],
        bits[k, _CHARS],
        bits[k, _SKELETON_CHARS],
    )


@kernel
def _reading_shape(
    sizes: IntArray, bits: BitArray, tokens: npt.NDArray[np.integer], first: int, a: int, b: int
) -> tuple[Shape, int, bool]:
    """The shape of listed tokens ``tokens[first + a]`` to ``tokens[first + b]`` joined (their
    rows of a :class:`Listed`'s sizes and bits), whether it is exact, and if not, how much
    longer than the shape says its skeleton may be.

    The string's shape is exact. Its skeleton is the tokens' open skeletons run together (a
    letter that ends one and starts the next read once, a final H dropped), exactly, unless a
    rule of the skeleton may read across a seam (:data:`_ACROSS`, about one seam in 300):
    then each seam may make the skeleton two letters shorter (a digraph, then a repeat) or
    one longer (a final H no longer final) than the tokens' skeletons, and add letters of
    ``_SEAM_LETTERS``."""
    length = skeleton_length = open_length = 0
    chars = skeleton_chars = np.uint64(0)
    last = -1  # the open skeleton's last character so far
    exact = True
    for k in range(a, b + 1):
        token = tokens[first + k]
        length += sizes[token, _LENGTH]
        chars |= bits[token, _CHARS]
        skeleton_length += sizes[token, _SKELETON_LENGTH]
        skeleton_chars |= bits[token, _SKELETON_CHARS]
        if k > a:
            before = np.uint64(sizes[tokens[first + k - 1], _LAST] % 64)
            if (_ACROSS[sizes[token, _FIRST] % 64] >> before) & np.uint64(1):
                exact = False
        if sizes[token, _OPEN_LENGTH] > 0:
            open_length += sizes[token, _OPEN_LENGTH]
            open_length -= 1 if sizes[token, _OPEN_FIRST] == last else 0
            last = sizes[token, _OPEN_LAST]
    first_character = sizes[tokens[first + a], _FIRST]
    if not exact:
        seams = b - a
        shortest = max(skeleton_length - 2 * seams, 2)
        longest = skeleton_length + seams
        loose = (
            first_character,
            length,
            length - _popcount(chars),
            shortest,
            longest + 2 * seams - _popcount(skeleton_chars),
            chars,
            skeleton_chars | _SEAM_LETTERS,
        )
        return loose, longest - shortest, False
    # a final H is dropped: the tokens whose last H it was (one, or with those that are that
    # H alone before it) bring the characters of the rest of their open skeletons only
    dropped = last == _H and open_length > 1
    running = dropped
    skeleton_chars = np.uint64(0)
    for k in range(b, a - 1, -1):
        token = tokens[first + k]
        if sizes[token, _OPEN_LENGTH] == 0:
            continue
        if running and sizes[token, _OPEN_LAST] == _H:
            skeleton_chars |= bits[token, _OPEN_BODY]
            running = sizes[token, _OPEN_LENGTH] == 1
        else:
            skeleton_chars |= bits[token, _OPEN_CHARS]
            running = False
    skeleton_length = open_length - (1 if dropped else 0)
    shape = (
        first_character,
        length,
        length - _popcount(chars),
        skeleton_length,
        skeleton_length - _popcount(skeleton_chars),
        chars,
        skeleton_chars,
    )
    return shape, 0, True


@kernel
def _letter_bound(a: Shape, b: Shape, slack: int, joined: bool) -> float:
    """An upper bound on :func:`~paxscreen.compare.names.token_similarity` (read as Latin) of
    strings of shapes ``a`` and ``b``, from their lengths and shared characters alone. With
    ``joined`` (``b`` is tokens joined), ``b``'s skeleton may be up to ``slack`` longer than
    its shape says: the bound takes the worst length in that range (clipped to it as numpy's
    ``clip`` would)."""
    first_a, length_a, repeats_a, skeleton_a, skeleton_repeats_a, chars_a, skeleton_chars_a = a
    first_b, length_b, repeats_b, skeleton_b, skeleton_repeats_b, chars_b, skeleton_chars_b = b
    if length_a == 1 or length_b == 1:  # an initial: the bound is exact
        if first_a != first_b:
            return 0.0
        return 1.0 if length_a == 1 and length_b == 1 else _INITIAL
    plain = _string_bound(length_a, chars_a, repeats_a, length_b, chars_b, repeats_b, True)
    if skeleton_a < 2 or skeleton_b < 2:
        return plain
    length = skeleton_b
    if joined:
        # the bound peaks where the length equals the characters that can match
        can_match = _popcount(skeleton_chars_a & skeleton_chars_b)
        fitting = min(can_match + min(skeleton_repeats_a, skeleton_repeats_b), skeleton_a)
        length = min(max(fitting, length), length + slack)
    skeletal = _string_bound(
        skeleton_a,
        skeleton_chars_a,
        skeleton_repeats_a,
        length,
        skeleton_chars_b,
        skeleton_repeats_b,
        not joined,
    )
    return max(plain, _SKELETON_DISCOUNT * skeletal)


@kernel
def _letter_bounds(
    sizes_a: IntArray,
    bits_a: BitArray,
    a: IntArray,
    sizes_b: IntArray,
    bits_b: BitArray,
    b: IntArray,
) -> FloatArray:
    """:func:`_letter_bound` of strings ``a[k]`` and ``b[k]`` for each k."""
    out = np.empty(len(a))
    for k in range(len(a)):
        out[k] = _letter_bound(
            _shape(sizes_a, bits_a, a[k]), _shape(sizes_b, bits_b, b[k]), 0, False
        )
    return out


@kernel
def _credit(similarity: float) -> float:
    """:func:`~paxscreen.compare.names._credit` of a similarity (the comparator's own,
    compiled), 0 below ``_ALIGNED`` (not aligned)."""
    return _compiled_credit(similarity) if similarity >= _ALIGNED else 0.0


@kernel
def _credits(similarity: FloatArray) -> FloatArray:
    """:func:`_credit` of each similarity (the cells of :class:`_Rows`: a half of a cut, 1,
    is credited 1)."""
    out = np.empty(len(similarity))
    for k in range(len(similarity)):
        out[k] = _credit(similarity[k])
    return out


@kernel
def _string_count(width: int) -> int:
    """How many strings a query of ``width`` tokens has (:class:`_Queries`)."""
    return 2 * width - 1 + (1 if width > 2 else 0)


@kernel
def _entries(
    names: IntArray, offsets: IntArray, flat: npt.NDArray[np.int32]
) -> tuple[IntArray, IntArray, IntArray]:
    """The listed tokens of ``names``, name after name: where each name's tokens start, how
    many it has, and the tokens."""
    entry = np.empty(len(names), np.int64)
    count = np.empty(len(names), np.int64)
    total = 0
    for p in range(len(names)):
        entry[p] = total
        count[p] = offsets[names[p] + 1] - offsets[names[p]]
        total += count[p]
    token = np.empty(total, np.int64)
    for p in range(len(names)):
        first = offsets[names[p]]
        for k in range(count[p]):
            token[entry[p] + k] = flat[first + k]
    return entry, count, token


@kernel
def _rows(
    query: IntArray,
    entries: tuple[IntArray, IntArray, IntArray],
    side: tuple[IntArray, IntArray, IntArray, BitArray],
    tokens_side: tuple[IntArray, BitArray],
    matches: tuple[IntArray, IntArray, IntArray, IntArray, FloatArray],
) -> tuple[IntArray, IntArray, FloatArray, BoolArray]:
    """The rows of pairs of ``query[p]`` and the listed tokens ``entries`` gives them, pairs
    grouped by query (:class:`_Rows`): each distinct (query, listed token) once, its cells
    bounded from letters (the query's strings against the token, :func:`_letter_bound`; its
    joined strings only where a pair reads them, else 0), those of ``matches``
    (:func:`_placed`) set to their exact similarity and marked known, or, for the halves of
    a cut, to 1."""
    entry, count, token = entries
    width, start, sizes, bits = side
    token_sizes, token_bits = tokens_side
    match_query, match_kind, match_slot, match_token, match_value = matches
    seen = np.full(len(token_sizes), -1, np.int64)  # the last query that met each token...
    row_of = np.empty(len(token_sizes), np.int64)  # ... and its row there
    where = np.empty(len(token), np.int64)
    row_query = np.empty(len(token), np.int64)
    row_token = np.empty(len(token), np.int64)
    match_row = np.full(len(match_query), -1, np.int64)
    # whether a pair reads the row's joined strings (its listed name has fewer tokens)
    joined_read = np.zeros(len(token), np.bool_)
    rows = m = p = 0
    while p < len(query):
        q = query[p]
        while p < len(query) and query[p] == q:
            for e in range(entry[p], entry[p] + count[p]):
                if seen[token[e]] != q:
                    seen[token[e]] = q
                    row_of[token[e]] = rows
                    row_query[rows] = q
                    row_token[rows] = token[e]
                    rows += 1
                where[e] = row_of[token[e]]
                if count[p] < width[q]:
                    joined_read[where[e]] = True
            p += 1
        while m < len(match_query) and match_query[m] < q:
            m += 1
        while m < len(match_query) and match_query[m] == q:
            if seen[match_token[m]] == q:
                match_row[m] = row_of[match_token[m]]
            m += 1
    cells = np.empty(rows + 1, np.int64)
    cells[0] = 0
    for r in range(rows):
        w = width[row_query[r]]
        cells[r + 1] = cells[r] + _string_count(w) + w
    table = np.zeros(cells[rows])
    known = np.zeros(cells[rows], np.bool_)
    for r in range(rows):
        q, listed = row_query[r], _shape(token_sizes, token_bits, row_token[r])
        for s in range(_string_count(width[q]) if joined_read[r] else width[q]):
            table[cells[r] + s] = _letter_bound(_shape(sizes, bits, start[q] + s), listed, 0, False)
    for m in range(len(match_query)):
        r = match_row[m]
        if r < 0:
            continue
        w = width[match_query[m]]
        if match_kind[m] == 2:  # a half of a cut
            table[cells[r] + _string_count(w) + match_slot[m]] = 1.0
        else:
            cell = cells[r] + match_slot[m] + (w if match_kind[m] == 1 else 0)
            table[cell] = match_value[m]
            known[cell] = True
    return where, cells, table, known


@kernel
def _pair_credits(
    p: int,
    table: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray],
    side: tuple[IntArray, IntArray, IntArray, BitArray],
    tokens_side: tuple[IntArray, BitArray],
    credits: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    joined: FloatArray,
    partial: bool,
) -> float:
    """Fill ``credits`` (per query token, per listed token, and the lengths of both) with the
    best credit each token of pair ``p`` has from its rows: against a query token or, on the
    longer side only, a reading of the query with two adjacent tokens joined or a half of a
    cut. ``joined`` is scratch space.

    Returns:
        A bound on the reading of a query of more tokens than the listed name, and more than
        two, with all of them joined (one token, aligned with one listed token at most,
        everything else weighing fully, or a quarter where the query is known only in part,
        ``partial``); 0 for other pairs.
    """
    query, entry, counts, token_of, where, cells, credit_of = table
    width, start, sizes, _ = side
    token_sizes, _ = tokens_side
    per_slot, per_token, query_lengths, listed_lengths = credits
    q, first = query[p], entry[p]
    w, count = width[q], counts[p]
    strings = _string_count(w)
    query_length = listed_length = 0.0
    for s in range(w):
        per_slot[s] = 0.0
        query_lengths[s] = sizes[start[q] + s, _LENGTH]
        query_length += query_lengths[s]
    for k in range(count):
        listed_lengths[k] = token_sizes[token_of[first + k], _LENGTH]
        listed_length += listed_lengths[k]
    adjacent = w - 1 if count < w else 0  # the query's readings with two tokens joined
    for j in range(adjacent):
        joined[j] = 0.0
    whole = 0.0
    total = query_length + listed_length
    share = _EXTRA_WEIGHT if partial else 1.0
    for k in range(count):
        row = cells[where[first + k]]
        best = 0.0
        for s in range(w):
            credit = credit_of[row + s]
            best = max(best, credit)
            if count > w:
                credit = max(credit, credit_of[row + strings + s])  # half of a cut
                best = max(best, credit)
            per_slot[s] = max(per_slot[s], credit)
        for j in range(adjacent):
            credit = credit_of[row + w + j]
            joined[j] = max(joined[j], credit)
            best = max(best, credit)
        if adjacent and w > 2:
            aligned = query_length + listed_lengths[k]
            whole = max(
                whole,
                credit_of[row + strings - 1] * aligned / (aligned + share * (total - aligned)),
            )
        per_token[k] = best
    for j in range(adjacent):
        per_slot[j] = max(per_slot[j], joined[j])
        per_slot[j + 1] = max(per_slot[j + 1], joined[j])
    return whole


@kernel
def _unsettled(
    pairs: IntArray,
    table: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray],
    similarity: FloatArray,
    known: BoolArray,
    side: tuple[IntArray, IntArray, IntArray, BitArray],
    tokens_side: tuple[IntArray, BitArray],
) -> tuple[IntArray, IntArray, IntArray]:
    """The cells of the rows of ``pairs`` whose bound from letters leaves a credit (at least
    ``_ALIGNED``) the keys did not settle, but for initials (their bound is exact): each
    cell, its query string and its listed token."""
    query, entry, count, token, where, cells, _ = table
    width, start, sizes, _ = side
    token_sizes, _ = tokens_side
    rows = len(cells) - 1
    used = np.zeros(rows, np.bool_)
    query_of = np.empty(rows, np.int64)
    token_of = np.empty(rows, np.int64)
    capacity = 0
    for p in pairs:
        for e in range(entry[p], entry[p] + count[p]):
            r = where[e]
            if not used[r]:
                used[r] = True
                query_of[r] = query[p]
                token_of[r] = token[e]
                capacity += _string_count(width[query[p]])
    out = np.empty(capacity, np.int64)
    out_string = np.empty(capacity, np.int64)
    out_token = np.empty(capacity, np.int64)
    found = 0
    for r in range(rows):
        if not used[r] or token_sizes[token_of[r], _LENGTH] == 1:
            continue
        q = query_of[r]
        for s in range(_string_count(width[q])):
            cell = cells[r] + s
            if (
                similarity[cell] >= _ALIGNED
                and not known[cell]
                and sizes[start[q] + s, _LENGTH] != 1
            ):
                out[found] = cell
                out_string[found] = start[q] + s
                out_token[found] = token_of[r]
                found += 1
    return out[:found], out_string[:found], out_token[:found]


@kernel
def _sum(values: FloatArray, start: int, n: int) -> float:
    """The sum of ``values[start:start + n]`` as numpy adds a row (pairwise: eight running
    sums from eight values on), so that bounds are the same to the bit as summed over
    arrays."""
    total: float = 0.0
    if n < 8:
        for k in range(start, start + n):
            total += values[k]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    k = 8
    while k < n - n % 8:
        r0 += values[start + k]
        r1 += values[start + k + 1]
        r2 += values[start + k + 2]
        r3 += values[start + k + 3]
        r4 += values[start + k + 4]
        r5 += values[start + k + 5]
        r6 += values[start + k + 6]
        r7 += values[start + k + 7]
        k += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while k < n:
        total += values[start + k]
        k += 1
    return total


@kernel
def _sort(values: FloatArray, start: int, n: int) -> None:
    """Sort ``values[start:start + n]`` in place (by insertion: there are a few)."""
    for k in range(start + 1, start + n):
        value = values[k]
        at = k
        while at > start and values[at - 1] > value:
            values[at] = values[at - 1]
            at -= 1
        values[at] = value


@kernel
def _alignment_bound(
    per_slot: FloatArray,
    per_token: FloatArray,
    query_lengths: FloatArray,
    listed_lengths: FloatArray,
    width: int,
    count: int,
    partial: tuple[bool, bool],
    scratch: FloatArray,
    order: IntArray,
) -> float:
    """The best score any set of tokens aligned at most at these credits could give: each of
    the ``width`` query tokens' (``per_slot``) and the ``count`` listed tokens'
    (``per_token``), tokens weighing their lengths; ``partial``: whether the query and the
    listed name are known only in part. ``scratch`` holds at least five times
    ``width + count`` values, ``order`` at least ``width + count``."""
    n = width + count
    # scratch: the credits, the credited weights and the weights of the query's tokens then
    # the listed ones'; then the longer side's credited weights and weights, each sorted
    credits, products, weights, ranked, lightest = 0, n, 2 * n, 3 * n, 4 * n
    for k in range(width):
        scratch[credits + k] = per_slot[k]
        scratch[products + k] = per_slot[k] * query_lengths[k]
        scratch[weights + k] = query_lengths[k]
    for k in range(count):
        scratch[credits + width + k] = per_token[k]
        scratch[products + width + k] = per_token[k] * listed_lengths[k]
        scratch[weights + width + k] = listed_lengths[k]
    total = _sum(scratch, weights, n)
    everything = _sum(scratch, products, n) / max(total, 1.0)
    if count == width:
        # names of as many tokens are read as they are: every token aligned, or tokens left
        # over on both sides (weighing fully); either way at most every credit at full weight
        return everything
    # leftovers weigh a quarter only where every token of the shorter side is aligned (tokens
    # left over on the shorter side leave some on the longer one too, and then all weigh fully)
    if count < width:
        fixed, fixed_count, free, free_count = width, count, 0, width
    else:
        fixed, fixed_count, free, free_count = 0, width, width, count
    if fixed_count < 2 and not partial[1 if count < width else 0]:
        return everything  # one token aligned at most: everything weighs fully
    share = 1 - _EXTRA_WEIGHT
    held = _sum(scratch, products + fixed, fixed_count)
    base = share * _sum(scratch, weights + fixed, fixed_count) + _EXTRA_WEIGHT * total
    # the best set of the longer side's tokens to align is a prefix of them by credit, the
    # lighter first among equal credits (all of them are in the best set, or none) ...
    for k in range(free, free + free_count):
        credit, weight = scratch[credits + k], scratch[weights + k]
        at = k - free
        while at > 0:
            before = order[at - 1]
            if scratch[credits + before] > credit or (
                scratch[credits + before] == credit and scratch[weights + before] <= weight
            ):
                break
            order[at] = before
            at -= 1
        order[at] = k
    best_prefix = held / base
    credited = weighed = 0.0
    for k in range(free_count):
        credited += scratch[products + order[k]]
        weighed += scratch[weights + order[k]]
        best_prefix = max(best_prefix, (held + credited) / (base + share * weighed))
    # ... and at least as many of them as the shorter side has are aligned (joined readings
    # cover more): at most the largest credits over the lightest tokens
    for k in range(free_count):
        scratch[ranked + k] = scratch[products + free + k]
        scratch[lightest + k] = scratch[weights + free + k]
    _sort(scratch, ranked, free_count)
    _sort(scratch, lightest, free_count)
    gained = weighed = 0.0
    sized = -np.inf
    for k in range(free_count):
        gained += scratch[ranked + free_count - 1 - k]
        weighed += scratch[lightest + k]
        if k >= fixed_count - 1:
            sized = max(sized, (held + gained) / (base + share * weighed))
    return max(everything, min(best_prefix, sized))


@kernel
def _reading(r: int, count: int) -> tuple[int, int]:
    """The first and last token joined in reading ``r`` of a listed name of ``count`` tokens:
    each two adjacent ones, then (more than two tokens) all of them."""
    return (r, r + 1) if r < count - 1 else (0, count - 1)


@kernel
def _whole_bound(
    v: float,
    s: int,
    width: int,
    count: int,
    query_lengths: FloatArray,
    listed_lengths: FloatArray,
    partial: bool,
) -> float:
    """The score of the reading of a listed name of ``count`` tokens with all of them joined
    when its one token is aligned with query token ``s`` (of ``width``) at similarity ``v``:
    one token against one is compared as it is; against more, it is the only pair aligned,
    and everything else weighs fully, or a quarter where the listed name is known only in
    part (``partial``: all of its reading is aligned)."""
    if width == 1:
        return v if v >= _ALIGNED else 0.0
    listed = 0.0
    for k in range(count):
        listed += listed_lengths[k]
    total = listed
    for j in range(width):
        total += query_lengths[j]
    aligned = query_lengths[s] + listed
    share = _EXTRA_WEIGHT if partial else 1.0
    return float(_credit(v) * aligned / (aligned + share * (total - aligned)))


@kernel
def _readings_bound(
    value: FloatArray,
    width: int,
    count: int,
    credits: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    buffers: tuple[FloatArray, FloatArray, FloatArray, IntArray],
    partial: tuple[bool, bool],
) -> float:
    """The bound of a pair whose listed name has more tokens than the query, given the
    similarities of its joined readings to the query tokens (``value``, reading after
    reading): each query token's and listed token's credit (``credits``: per slot, per
    token, and the lengths of both) raised to what the readings with two tokens joined could
    give; the reading with all tokens joined, a single token, is bounded on its own
    (:func:`_whole_bound`). ``buffers`` are scratch space."""
    per_slot, per_token, query_lengths, listed_lengths = credits
    slot, token, scratch, order = buffers
    for s in range(width):
        slot[s] = per_slot[s]
    for k in range(count):
        token[k] = per_token[k]
    whole = 0.0
    for r in range(count - 1 + (1 if count > 2 else 0)):
        first, last = _reading(r, count)
        if last - first + 1 == count:
            for s in range(width):
                v = value[r * width + s]
                whole = max(
                    whole,
                    _whole_bound(v, s, width, count, query_lengths, listed_lengths, partial[1]),
                )
            continue
        best = 0.0
        for s in range(width):
            credit = _credit(value[r * width + s])
            slot[s] = max(slot[s], credit)
            best = max(best, credit)
        for k in range(first, last + 1):
            token[k] = max(token[k], best)
    together = _alignment_bound(
        slot, token, query_lengths, listed_lengths, width, count, partial, scratch, order
    )
    return max(together, whole)


@kernel
def _pair_bounds(
    stage: int,
    pairs: IntArray,
    need: FloatArray,
    table: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray, FloatArray],
    side: tuple[IntArray, IntArray, IntArray, BitArray],
    tokens_side: tuple[IntArray, BitArray],
    given: tuple[IntArray, IntArray, IntArray, FloatArray],
    spelled: npt.NDArray[np.bool_],
    partial: tuple[BoolArray, BoolArray],
) -> tuple[FloatArray, IntArray, IntArray, IntArray]:
    """The bound of each of ``pairs`` from its rows' cells, and with the listed name's joined
    readings (where it has more tokens than the query) bounded from their letters, and at
    least by the surname table's credit against a query string it knows (``spelled``): a
    reading may be another spelling of it, which letters cannot bound (CH OW for ZHOU).

    Args:
        stage: ``_LETTERS``: that bound. ``_REPORT``: also report, for each pair whose bound
            reaches its need (every pair if ``need`` is empty), the (reading, query token)
            cells whose exact similarity could lower it: those whose credit from letters
            exceeds what the query token or every token of the reading already has (of the
            reading with all tokens joined: that score more than the pair without readings;
            not for an initial: its bound is exact), unless the bound reaches the need even
            with all of them at nothing. ``_EXACT``: with ``given`` similarities for such
            cells.
        pairs: The pairs bounded (positions in ``table``).
        need: The similarity each pair of ``table`` needs, or empty.
        table: The pairs, their listed tokens and their rows.
        side: The queries' strings (:class:`_Queries`).
        tokens_side: The listed tokens' shapes.
        given: ``_EXACT``: (starts, readings, query tokens, similarities) of the cells whose
            exact similarity is known, those of the k-th of ``pairs`` from ``starts[k]`` up
            to ``starts[k + 1]``.
        spelled: Per query string, whether the surname table knows it.
        partial: Whether each query (of ``side``) and the listed name of each pair of
            ``table`` are known only in part.

    Returns:
        The bounds, and the cells reported: (pair, reading, query token).
    """
    query, entry, counts, token_of, _, _, _ = table
    width, start, sizes, bits = side
    token_sizes, token_bits = tokens_side
    given_start, given_reading, given_slot, given_value = given
    query_partial, listed_partial = partial
    widest = longest = capacity = 0
    for p in pairs:
        w, count = width[query[p]], counts[p]
        widest, longest = max(widest, w), max(longest, count)
        if count > w:
            capacity += count * w
    per_slot, joined, slot = np.empty(widest), np.empty(widest), np.empty(widest)
    per_token, token = np.empty(longest), np.empty(longest)
    query_lengths, listed_lengths = np.empty(widest), np.empty(longest)
    scratch = np.empty(5 * (widest + longest))
    order = np.empty(widest + longest, np.int64)
    value = np.empty(longest * widest)
    lowest = np.empty(longest * widest)
    covered = np.empty(longest)
    credits = (per_slot, per_token, query_lengths, listed_lengths)
    buffers = (slot, token, scratch, order)
    out = np.empty(len(pairs))
    if stage != _REPORT:
        capacity = 0
    report_pair = np.empty(capacity, np.int64)
    report_reading = np.empty(capacity, np.int64)
    report_slot = np.empty(capacity, np.int64)
    reported = 0
    for i in range(len(pairs)):
        p = pairs[i]
        q, first = query[p], entry[p]
        w, count = width[q], counts[p]
        pair_partial = (query_partial[q], listed_partial[p])
        whole = _pair_credits(p, table, side, tokens_side, credits, joined, pair_partial[0])
        if count <= w:
            out[i] = max(whole, _alignment_bound(*credits, w, count, pair_partial, scratch, order))
            continue
        # the listed name's joined readings, bounded from their letters
        readings = count - 1 + (1 if count > 2 else 0)
        # the reading with all tokens joined cannot reach the need if the query token it is
        # aligned with, and it, weigh too little: it is bounded as if they were the same
        # (similarity 1), without reading its letters
        listed_length = query_length = 0.0
        for k in range(count):
            listed_length += listed_lengths[k]
        heaviest = 0.0
        for s in range(w):
            query_length += query_lengths[s]
            heaviest = max(heaviest, query_lengths[s])
        aligned = heaviest + listed_length
        rest = (_EXTRA_WEIGHT if pair_partial[1] else 1.0) * (query_length - heaviest)
        too_light = w > 1 and len(need) > 0 and aligned / (aligned + rest) < need[p] - _SLACK
        for r in range(readings):
            a, b = _reading(r, count)
            if too_light and b - a + 1 == count:
                for s in range(w):
                    value[r * w + s] = 1.0
                continue
            reading, slack, exact = _reading_shape(token_sizes, token_bits, token_of, first, a, b)
            spellable = reading[1] <= LONGEST_SPELLING  # (its length)
            for s in range(w):
                value[r * w + s] = _letter_bound(
                    _shape(sizes, bits, start[q] + s), reading, slack, not exact
                )
                if spelled[start[q] + s] and spellable:
                    value[r * w + s] = max(value[r * w + s], _SAME_SURNAME)
        if stage == _EXACT:
            for c in range(given_start[i], given_start[i + 1]):
                value[given_reading[c] * w + given_slot[c]] = given_value[c]
        bound = _readings_bound(value, w, count, credits, buffers, pair_partial)
        out[i] = bound
        if stage != _REPORT or (len(need) and bound < need[p] - _SLACK):
            continue
        # the cells whose exact similarity could lower the bound: of a reading with two
        # tokens joined, those crediting the query token or the joined ones more than they
        # have; of the reading with all joined, those scoring more than the pair without
        # readings
        base = _alignment_bound(*credits, w, count, pair_partial, scratch, order)
        for r in range(readings):
            a, b = _reading(r, count)
            covered[r] = per_token[a]
            for k in range(a + 1, b + 1):
                covered[r] = min(covered[r], per_token[k])
        found = reported
        for r in range(readings):
            a, b = _reading(r, count)
            whole = b - a + 1 == count
            if whole and too_light:
                continue  # (it scores less than the need: it is not what reaches it)
            for s in range(w):
                v = value[r * w + s]
                if whole:
                    lowers = (
                        _whole_bound(v, s, w, count, query_lengths, listed_lengths, pair_partial[1])
                        > base
                    )
                else:
                    credit = _credit(v)
                    lowers = credit > 0 and (credit > per_slot[s] or credit > covered[r])
                if lowers and query_lengths[s] > 1:
                    report_pair[reported] = p
                    report_reading[reported] = r
                    report_slot[reported] = s
                    reported += 1
        if len(need) and reported > found:
            # a pair that reaches its need with those credits at nothing is kept whatever
            # they are
            for c in range(readings * w):
                lowest[c] = value[c]
            for c in range(found, reported):
                lowest[report_reading[c] * w + report_slot[c]] = 0.0
            if (
                _readings_bound(lowest, w, count, credits, buffers, pair_partial)
                >= need[p] - _SLACK
            ):
                reported = found
    return out, report_pair[:reported], report_reading[:reported], report_slot[:reported]
