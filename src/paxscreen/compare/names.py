"""Name similarity: tokens aligned regardless of order, tolerant of spelling, script and shape.

``name_similarity(a, b)`` compares two normalised names (:func:`paxscreen.normalize.names.
name_tokens`) and returns a similarity in 0..1, or None when either name is unknown:

- **Tokens are aligned one to one, in any order** (a swapped given and family name costs
  nothing), greedily by similarity. Token similarity is the better of Jaro-Winkler on the
  tokens and a slightly discounted Jaro-Winkler on their consonant skeletons, which absorbs
  transliteration variants (MOHAMMED/MUHAMMAD, HUSSEIN/HOSSEIN, CHAUDHRY/CHOUDHURY); tokens
  whose lengths differ by more than three use Indel instead (no prefix bonus). Jaro's match
  window is one letter wide for a slip of one keystroke (exchanged neighbours ADB/ABD, a
  doubled letter YYU/YU) between strings of two or three letters: its usual width, half the
  longer string less one, is zero there, which would count such a slip as two wrong letters
  while it costs little in a longer token.
- **Names from an abjad** (Arabic, Persian, Hebrew script) are compared on skeletons only,
  since their script does not write short vowels; the article al- may be on one side only.
- **A missing or extra middle name costs little**: when at least two tokens align and tokens
  are left over on one side only, they weigh a quarter of their length. Tokens left over on
  both sides are different names and weigh fully, and so does everything when only one token
  aligns (one shared given name is not a name match).
- **Within a longer name, a weakly similar pair is a different name** (MOHAMED against AHMED):
  pairs below 0.92 lose credit fast. Two one-token names are compared as they are.
- **Compounds**: the side with more tokens is also read with one pair of adjacent tokens
  joined, or all of them for syllable-per-character scripts (ABDUL RAHMAN / ABDULRAHMAN,
  布魯姆 BU LU MU / BROOME); the best reading counts.
- **Initials**: a one-letter token matches a token with the same first letter at 0.8.

Tokens weigh by their length, so long distinctive tokens dominate short ones.

``name_similarity_pairs(left, right, left_index, right_index)`` gives exactly the same results
for many pairs of names from two :class:`~paxscreen.normalize.names.NameBatch` at once (a
candidate generator's output): each distinct pair of tokens is compared once, by rapidfuzz over
arrays, and the greedy alignment runs in numpy over all pairs of names of one shape together.
A few pairs (one traveller's) go through ``name_similarity`` one by one instead, and a few
distinct pairs of tokens through ``token_similarity``'s cache: arrays cost more than they save
there. Either way the results are the same to the bit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cpdist

from paxscreen._jit import kernel
from paxscreen.compare._workers import workers
from paxscreen.normalize._romanization import in_table, same_surname
from paxscreen.normalize.names import NameBatch, NameTokens, skeleton

__all__ = ["name_similarity", "name_similarity_pairs", "token_similarity"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.object_]  # of str

_SKELETON_DISCOUNT: Final = 0.92
_LENGTH_GAP: Final = 3  # tokens whose lengths differ more are not compared by Jaro-Winkler
_INITIAL: Final = 0.8
_ALIGNED: Final = 0.6  # below this, two tokens are not aligned at all
_EXTRA_WEIGHT: Final = 0.25  # share of an unmatched token's weight once two tokens align
_CLOSE: Final = 0.92  # aligned tokens at least this similar count as they are...
#: Two spellings of one Chinese or Korean surname (CHEUNG and ZHANG, LEE and LI; see
#: :mod:`paxscreen.normalize._romanization`): as close as a slip of the pen.
_SAME_SURNAME: Final = 0.95
_STEEP: Final = 1.5  # ...weaker pairs lose this much per point below it
#: Strings up to this long are compared by :func:`_short_jaro_winkler` (a wider match window).
_SHORT: Final = 3
_REPEATS: Final = re.compile(r"(.)\1+")


def token_similarity(a: str, b: str, *, abjad: bool = False) -> float:
    """Similarity of two normalised tokens in 0..1.

    Args:
        a: A token (upper-case ASCII).
        b: Another token.
        abjad: Compare consonant skeletons only (one side came from Arabic or Hebrew script).
    """
    return _token_similarity(a, b, abjad)


@lru_cache(maxsize=1 << 18)
def _token_similarity(a: str, b: str, abjad: bool) -> float:
    """:func:`token_similarity`, cached by position (a keyword makes a cache lookup three
    times dearer, and the scalar comparator looks up every pair of tokens of every reading)."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return _INITIAL if a[0] == b[0] else 0.0
    sa, sb = skeleton(a), skeleton(b)
    if abjad:
        return _abjad_similarity(sa, sb)
    direct = _string_similarity(a, b)
    if len(sa) >= 2 and len(sb) >= 2:
        direct = max(direct, _SKELETON_DISCOUNT * _string_similarity(sa, sb))
    return max(direct, _SAME_SURNAME) if same_surname(a, b) else direct


def _string_similarity(a: str, b: str) -> float:
    """Jaro-Winkler for strings of similar length; Indel otherwise, because Jaro-Winkler's
    prefix bonus would call MOHAMMED a near MOHAMMEDKHAN."""
    if max(len(a), len(b)) <= _SHORT and _slip(a, b):
        return _short_jaro_winkler(a, b)
    if abs(len(a) - len(b)) > _LENGTH_GAP:
        return Indel.normalized_similarity(a, b)
    return JaroWinkler.normalized_similarity(a, b)


def _slip(a: str, b: str) -> bool:
    """Whether two different strings are one keystroke apart in a way Jaro's zero window
    misses: two adjacent letters exchanged, or letters doubled (the same once repeats are
    collapsed)."""
    if len(a) == len(b):
        differing = [i for i in range(len(a)) if a[i] != b[i]]
        return (
            len(differing) == 2
            and differing[1] == differing[0] + 1
            and a[differing[0]] == b[differing[1]]
            and a[differing[1]] == b[differing[0]]
        )
    return _REPEATS.sub(r"\1", a) == _REPEATS.sub(r"\1", b)


@lru_cache(maxsize=1 << 16)
def _short_jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler of strings of at most :data:`_SHORT` letters, with a match window of one
    letter (rapidfuzz's, and the textbook's, is zero for them): a letter matches the same
    letter at most one place away. Otherwise as rapidfuzz: the prefix bonus (0.1 per common
    leading letter, at most four) applies above 0.7."""
    if not a or not b:
        return 0.0
    taken = [False] * len(b)
    matched_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - 1), min(len(b), i + 2)):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matched_a.append(char)
                break
    matches = len(matched_a)
    if matches == 0:
        return 0.0
    matched_b = [char for j, char in enumerate(b) if taken[j]]
    half_transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True))
    jaro = (matches / len(a) + matches / len(b) + (matches - half_transpositions / 2) / matches) / 3
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + 0.1 * prefix * (1.0 - jaro)


def _abjad_similarity(a: str, b: str) -> float:
    """Skeletons where one side came from Arabic or Hebrew script: P is written B there, and
    the article al- may be on one side only (العجان AJAN)."""
    if not a or not b:
        return 0.0
    a, b = a.replace("P", "B"), b.replace("P", "B")
    best = _string_similarity(a, b)
    if a.startswith("L") and len(a) > 2:
        best = max(best, _string_similarity(a[1:], b))
    if b.startswith("L") and len(b) > 2:
        best = max(best, _string_similarity(a, b[1:]))
    return best


def _readings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tokens as they are, with each pair of adjacent tokens joined, and all joined
    (syllable-per-character scripts: 布魯姆 BU LU MU against BROOME)."""
    out = [tokens]
    out += [
        (*tokens[:k], tokens[k] + tokens[k + 1], *tokens[k + 2 :]) for k in range(len(tokens) - 1)
    ]
    if len(tokens) > 2:
        out.append(("".join(tokens),))
    return out


def _aligned(a: Sequence[str], b: Sequence[str], abjad: bool) -> float:
    cells = sorted(
        [(_token_similarity(x, y, abjad), i, j) for i, x in enumerate(a) for j, y in enumerate(b)],
        reverse=True,
    )
    # within a longer name a weak pair is a different name, not a near one; two one-token names
    # are compared as they are
    as_is = len(a) == 1 and len(b) == 1
    used_a = used_b = 0  # bit sets of the aligned tokens
    matched = 0.0
    weight = count = 0
    for sim, i, j in cells:
        if sim < _ALIGNED:
            break
        if used_a >> i & 1 or used_b >> j & 1:
            continue
        used_a |= 1 << i
        used_b |= 1 << j
        w = len(a[i]) + len(b[j])
        matched += (sim if as_is else _credit(sim)) * w
        weight += w
        count += 1
    if not count:
        return 0.0
    left = sum(len(x) for i, x in enumerate(a) if not used_a >> i & 1)
    right = sum(len(y) for j, y in enumerate(b) if not used_b >> j & 1)
    # a token left over on one side only is a missing middle name: cheap once two tokens
    # align; tokens left over on both sides are different names: they count in full
    share = _EXTRA_WEIGHT if count >= 2 and not (count < len(a) and count < len(b)) else 1.0
    return matched / (weight + share * (left + right))


def _credit(similarity: float) -> float:
    """What an aligned pair of tokens contributes: near matches count as they are, weaker ones
    lose fast (MOHAMED against AHMED is a different name, not 80% of the same one)."""
    if similarity >= _CLOSE:
        return similarity
    return max(0.0, similarity - _STEEP * (_CLOSE - similarity))


def name_similarity(a: NameTokens, b: NameTokens) -> float | None:
    """Similarity of two normalised names in 0..1; None when either has no tokens (unknown).

    Symmetric: ``name_similarity(a, b) == name_similarity(b, a)``.
    """
    if not a.tokens or not b.tokens:
        return None
    abjad = a.abjad or b.abjad
    left, right = a.tokens, b.tokens
    if abjad:
        left = tuple(skeleton(t) or t for t in left)
        right = tuple(skeleton(t) or t for t in right)
    # a compound can only be written as one token on the other side: join on one side at a
    # time, and only on the side with more tokens
    best = _aligned(left, right, abjad)
    for more, fewer, flipped in ((left, right, False), (right, left, True)):
        if len(more) > len(fewer):
            for reading in _readings(more)[1:]:
                pair = (fewer, reading) if flipped else (reading, fewer)
                best = max(best, _aligned(*pair, abjad))
    return best


# Many pairs at once. The functions below work on arrays; those named after a scalar function
# give exactly its results (tests/compare/test_names.py compares them on random names).

#: Pairs of names with more tokens by tokens go to the scalar: the alignment's keys, a
#: similarity's bits above ``_ALIGNED`` (52) then the cell's index, would overflow int64.
#: Only names of some fifty tokens have that many.
_MAX_CELLS: Final = 1 << 11

#: Up to this many pairs, :func:`name_similarity_pairs` asks :func:`name_similarity` pair by
#: pair: grouping the pairs by shape and comparing tokens over arrays costs about a millisecond
#: however few they are (one traveller at the counter), the scalar some tens of microseconds a
#: pair (ten once the pair's token similarities are cached).
_SMALL_BATCH: Final = 48


def name_similarity_pairs(
    left: NameBatch,
    right: NameBatch,
    left_index: IntArray,
    right_index: IntArray,
) -> FloatArray:
    """:func:`name_similarity` of ``left`` name ``left_index[k]`` and ``right`` name
    ``right_index[k]`` for every k, computed for all pairs at once.

    Each distinct pair of tokens (with the joined tokens of the readings, and in abjad form
    where either name is abjad) is compared once; the pairs of names are then aligned together,
    grouped by their numbers of tokens.

    Args:
        left: The names on one side (travellers).
        right: The names on the other side (listed names).
        left_index: int64, a name of ``left`` per pair.
        right_index: int64, a name of ``right`` per pair, as long as ``left_index``.

    Returns:
        float64, one similarity per pair; NaN where either name is unknown (no tokens).

    Raises:
        ValueError: The index arrays differ in shape.
    """
    left_index = np.asarray(left_index, dtype=np.int64)
    right_index = np.asarray(right_index, dtype=np.int64)
    if left_index.shape != right_index.shape:
        raise ValueError(f"{left_index.shape} left against {right_index.shape} right indexes")
    if len(left_index) <= _SMALL_BATCH:
        lefts = {i: left.name(i) for i in set(left_index.tolist())}  # one traveller, usually
        return np.array(
            [
                _or_nan(name_similarity(lefts[i], right.name(j)))
                for i, j in zip(left_index.tolist(), right_index.tolist(), strict=True)
            ],
            dtype=np.float64,
        )
    abjad = left.abjad[left_index] | right.abjad[right_index]
    a, b = _side(left, left_index, abjad), _side(right, right_index, abjad)
    count_a, count_b = a.count[a.row], b.count[b.row]
    known = np.flatnonzero((count_a > 0) & (count_b > 0))
    # the cells of a pair: its names' tokens, with the joined tokens of the longer one
    groups: list[tuple[IntArray, IntArray, IntArray]] = []
    for group in _groups(count_a[known] * (count_b.max(initial=0) + 1) + count_b[known]):
        pairs = known[group]
        n, m = int(count_a[pairs[0]]), int(count_b[pairs[0]])
        width_a = _extended_size(n) if n > m else n
        width_b = _extended_size(m) if m > n else m
        groups.append(
            (pairs, a.extended[a.row[pairs], :width_a], b.extended[b.row[pairs], :width_b])
        )
    cells = [
        (ids_a[:, :, None] * len(b.text) + ids_b[:, None, :]).ravel() for _, ids_a, ids_b in groups
    ]
    distinct, where = _distinct(
        np.concatenate(cells) if cells else np.zeros(0, np.int64), len(a.text) * len(b.text)
    )
    token_a, token_b = np.divmod(distinct, len(b.text))
    similarity = _cached_token_similarities(a, b, token_a, token_b)[where]
    out = np.full(len(left_index), np.nan)
    start = 0
    for pairs, ids_a, ids_b in groups:
        shape = (len(pairs), ids_a.shape[1], ids_b.shape[1])
        cube = similarity[start : start + np.prod(shape)].reshape(shape)
        start += cube.size
        n, m = int(count_a[pairs[0]]), int(count_b[pairs[0]])
        if n * m <= _MAX_CELLS:
            out[pairs] = _best_reading(cube, a.length[ids_a], b.length[ids_b], n, m)
        else:
            out[pairs] = [
                name_similarity(left.name(i), right.name(j))
                for i, j in zip(left_index[pairs], right_index[pairs], strict=True)
            ]
    return out


def _or_nan(similarity: float | None) -> float:
    return np.nan if similarity is None else similarity


@dataclass(frozen=True, slots=True)
class _Side:
    """The names of one side of the pairs, as ids of token strings.

    Attributes:
        text: The token strings: each distinct token of the names (in abjad form for a name in
            an abjad pair), then the joined tokens of their readings.
        length: The length of each string.
        abjad: Whether each string is compared as in an abjad pair.
        extended: One row per distinct (name, abjad) of the pairs: the ids of its tokens, then of
            its joined tokens (see :func:`_reading_positions`); -1 after.
        count: The number of tokens of each row's name.
        row: The row of each pair's name.
    """

    text: TextArray
    length: IntArray
    abjad: BoolArray
    extended: IntArray
    count: IntArray
    row: IntArray


def _side(batch: NameBatch, index: IntArray, abjad: BoolArray) -> _Side:
    """Names ``index`` of ``batch``, each compared in abjad form where ``abjad``."""
    rows, row = _distinct(index * 2 + abjad, 2 * len(batch))
    names, in_abjad = rows // 2, rows % 2 == 1
    count = batch.offsets[names + 1] - batch.offsets[names]  # not lengths(): the list is big
    groups = []  # names of n tokens: their rows and the vocabulary ids of their tokens
    for n in np.flatnonzero(np.bincount(count, minlength=1)[1:]) + 1:
        rows_n = np.flatnonzero(count == n)
        groups.append((rows_n, batch.tokens[batch.offsets[names[rows_n], None] + np.arange(n)]))
    # each distinct (token, abjad) once: a name's tokens are ids into these
    keys = [(tokens * 2 + in_abjad[rows_n, None]).ravel() for rows_n, tokens in groups]
    distinct, where = _distinct(
        np.concatenate(keys) if keys else np.zeros(0, np.int64), 2 * len(batch.vocab)
    )
    vocab = batch.vocab  # only the tokens used: the list's vocabulary is big
    text = np.array([vocab[token] for token in (distinct // 2).tolist()], dtype=object)
    forms = distinct % 2 == 1
    text[forms] = [skeleton(t) or t for t in text[forms]]
    texts, flags = [text], [forms]
    extended = np.full((len(rows), _extended_size(int(count.max(initial=1)))), -1)
    size, start = len(text), 0
    for rows_n, tokens in groups:
        n = tokens.shape[1]
        ids = where[start : start + tokens.size].reshape(tokens.shape)
        start += tokens.size
        extended[rows_n, :n] = ids
        if n == 1:
            continue
        strings = text[ids]
        joined = strings[:, :-1] + strings[:, 1:]
        if n > 2:
            joined = np.hstack([joined, np.add.reduce(strings, axis=1)[:, None]])
        extended[rows_n, n : _extended_size(n)] = size + np.arange(joined.size).reshape(
            joined.shape
        )
        size += joined.size
        texts.append(joined.ravel())
        flags.append(np.repeat(in_abjad[rows_n], joined.shape[1]))
    strings = np.concatenate(texts)
    return _Side(
        text=strings,
        length=np.fromiter(map(len, strings), np.int64, len(strings)),
        abjad=np.concatenate(flags),
        extended=extended,
        count=count,
        row=row,
    )


def _extended_size(n: int) -> int:
    """How many tokens a name of ``n`` tokens has with the joined tokens of its readings."""
    return 2 * n - 1 + (n > 2)


def _reading_positions(n: int) -> list[IntArray]:
    """The joined readings of a name of ``n`` > 1 tokens (:func:`_readings` without the first),
    as positions in its tokens followed by its joined tokens (each adjacent pair joined, then all
    joined when n > 2), one (readings, tokens) array per number of tokens."""
    adjacent = np.array([[*range(k), n + k, *range(k + 2, n)] for k in range(n - 1)])
    return [adjacent, np.array([[2 * n - 1]])] if n > 2 else [adjacent]


def _best_reading(
    cube: FloatArray, length_a: IntArray, length_b: IntArray, n: int, m: int
) -> FloatArray:
    """The best :func:`_aligned` over the readings of pairs of names of ``n`` and ``m`` tokens.

    Args:
        cube: (pairs, a, b) token similarities, tokens then joined tokens on the longer side.
        length_a: (pairs, a) token lengths.
        length_b: (pairs, b) token lengths.
        n: Tokens of the left names.
        m: Tokens of the right names.
    """
    best = _aligned_many(cube[:, :n, :m], length_a[:, :n], length_b[:, :m])
    if n == m:
        return best
    pairs = len(cube)
    for positions in _reading_positions(max(n, m)):
        readings = len(positions)
        if n > m:
            sims = cube[:, positions, :]
            lengths_a = length_a[:, positions]
            lengths_b = np.broadcast_to(length_b[:, None, :], (pairs, readings, m))
        else:
            sims = cube[:, :, positions].transpose(0, 2, 1, 3)
            lengths_a = np.broadcast_to(length_a[:, None, :], (pairs, readings, n))
            lengths_b = length_b[:, positions]
        values = _aligned_many(
            sims.reshape(pairs * readings, *sims.shape[2:]),
            lengths_a.reshape(pairs * readings, -1),
            lengths_b.reshape(pairs * readings, -1),
        )
        best = np.maximum(best, values.reshape(pairs, readings).max(axis=1))
    return best


def _aligned_many(sims: FloatArray, length_a: IntArray, length_b: IntArray) -> FloatArray:
    """:func:`_aligned` of many pairs of token lists of one shape.

    Args:
        sims: (pairs, a, b) token similarities.
        length_a: (pairs, a) token lengths.
        length_b: (pairs, b) token lengths.
    """
    pairs, size_a, size_b = sims.shape
    cells = size_a * size_b
    flat = np.ascontiguousarray(sims.reshape(pairs, cells).T)  # cell after cell
    # keys in the order of the scalar's sorted(reverse=True): by similarity (the bits of
    # non-negative floats order as the floats do), then i, then j; -1 where not aligned
    shift = max(cells - 1, 1).bit_length()
    keys = flat.view(np.int64) - np.float64(_ALIGNED).view(np.int64)
    keys <<= shift
    keys |= np.arange(cells)[:, None]
    keys[flat < _ALIGNED] = -1
    grid = keys.reshape(size_a, size_b, pairs)
    every = np.arange(pairs)
    matched = np.zeros(pairs)
    weight = np.zeros(pairs, np.int64)
    count = np.zeros(pairs, np.int64)
    for step in range(min(size_a, size_b)):
        top = keys.max(axis=0)
        aligned = top >= 0
        if not aligned.any():
            break
        cell = np.where(aligned, top & ((1 << shift) - 1), 0)
        i, j = np.divmod(cell, size_b)
        sim = flat[cell, every]
        w = np.where(aligned, length_a[every, i] + length_b[every, j], 0)
        matched += (sim if cells == 1 else _credits(sim)) * w
        weight += w
        count += aligned
        if step < min(size_a, size_b) - 1:
            for k in range(size_a):
                np.copyto(grid[k], -1, where=i == k)
            for k in range(size_b):
                np.copyto(grid[:, k], -1, where=j == k)
    rest = length_a.sum(axis=1) + length_b.sum(axis=1) - weight
    left_on_both_sides = (count < size_a) & (count < size_b)
    share = np.where((count >= 2) & ~left_on_both_sides, _EXTRA_WEIGHT, 1.0)
    return np.where(count > 0, matched / (weight + share * rest), 0.0)


def _credits(similarity: FloatArray) -> FloatArray:
    """:func:`_credit` of each similarity."""
    weak = np.maximum(0.0, similarity - _STEEP * (_CLOSE - similarity))
    return np.where(similarity >= _CLOSE, similarity, weak)


def _token_similarities(a: _Side, b: _Side, ids_a: IntArray, ids_b: IntArray) -> FloatArray:
    """:func:`token_similarity` of strings ``ids_a`` of ``a`` and ``ids_b`` of ``b``, pair by
    pair (both in abjad form or neither), wherever it is at least ``_ALIGNED``; some lower value
    elsewhere (all are the same to the alignment)."""
    tokens_a, skeletons_a, at_a = _strings(a.text, ids_a)
    tokens_b, skeletons_b, at_b = _strings(b.text, ids_b)
    length_a, length_b = tokens_a.length[at_a], tokens_b.length[at_b]
    out = np.zeros(len(ids_a))
    same = (length_a == length_b) & (tokens_a.chars[at_a] == tokens_b.chars[at_b])
    same[same] = tokens_a.text[at_a[same]] == tokens_b.text[at_b[same]]
    out[same] = 1.0
    initial = ~same & ((length_a == 1) | (length_b == 1))
    out[initial] = [
        _INITIAL if x[0] == y[0] else 0.0
        for x, y in zip(tokens_a.text[at_a[initial]], tokens_b.text[at_b[initial]], strict=True)
    ]
    rest = np.flatnonzero(~same & ~initial)
    abjad = a.abjad[ids_a[rest]]
    at_a, at_b = at_a[rest], at_b[rest]
    sims = np.zeros(len(rest))
    plain = plain_all = np.flatnonzero(~abjad)
    sims[plain] = _string_similarities(tokens_a, at_a[plain], tokens_b, at_b[plain], _ALIGNED)
    plain = plain[(skeletons_a.length[at_a[plain]] >= 2) & (skeletons_b.length[at_b[plain]] >= 2)]
    skeleton_sims = _string_similarities(
        skeletons_a, at_a[plain], skeletons_b, at_b[plain], _ALIGNED / _SKELETON_DISCOUNT
    )
    sims[plain] = np.maximum(sims[plain], _SKELETON_DISCOUNT * skeleton_sims)
    in_abjad = np.flatnonzero(abjad)
    sims[in_abjad] = _abjad_similarities(
        skeletons_a.text, at_a[in_abjad], skeletons_b.text, at_b[in_abjad]
    )
    # spellings of one surname (few tokens are in the table: test those pairs one by one)
    known_a, known_b = (in_table(side.text.tolist()) for side in (tokens_a, tokens_b))
    for k in plain_all[known_a[at_a[plain_all]] & known_b[at_b[plain_all]]].tolist():
        if same_surname(tokens_a.text[at_a[k]], tokens_b.text[at_b[k]]):
            sims[k] = max(sims[k], _SAME_SURNAME)
    out[rest] = sims
    return out


#: Up to this many distinct pairs of tokens, :func:`name_similarity_pairs` looks each up in
#: :func:`token_similarity`'s cache instead of comparing them over arrays.
_SMALL_TOKEN_BATCH: Final = 256


def _cached_token_similarities(a: _Side, b: _Side, ids_a: IntArray, ids_b: IntArray) -> FloatArray:
    """:func:`_token_similarities`, from :func:`token_similarity` (cached) for few pairs."""
    if len(ids_a) > _SMALL_TOKEN_BATCH:
        return _token_similarities(a, b, ids_a, ids_b)
    return np.array(
        [
            _token_similarity(x, y, abjad)
            for x, y, abjad in zip(
                a.text[ids_a].tolist(), b.text[ids_b].tolist(), a.abjad[ids_a].tolist(), strict=True
            )
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True, slots=True)
class _Strings:
    """Distinct strings, with what bounds their similarities cheaply.

    Attributes:
        text: The strings.
        length: Their lengths.
        chars: The characters of each string as a set of bits (character code modulo 64).
        repeats: How many characters of each string repeat an earlier one (by those bits).
        head: (strings, ``_SHORT``) the codes of each string's first characters, 0 past its
            end.
    """

    text: TextArray
    length: npt.NDArray[np.int32]
    chars: npt.NDArray[np.uint64]
    repeats: npt.NDArray[np.int32]
    head: npt.NDArray[np.uint32]

    @classmethod
    def of(cls, strings: Sequence[str] | TextArray) -> _Strings:
        """Analyse strings."""
        text = np.asarray(strings, dtype=object)
        length = np.fromiter(map(len, text), np.int64, len(text))
        codes = np.frombuffer("".join(text).encode("utf-32-le", "surrogatepass"), np.uint32)
        bits = np.left_shift(np.uint64(1), (codes % 64).astype(np.uint64))
        chars = np.zeros(len(text), np.uint64)
        some = length > 0
        if some.any():
            chars[some] = np.bitwise_or.reduceat(bits, (np.cumsum(length) - length)[some])
        repeats = length - np.bitwise_count(chars)
        head = np.zeros((len(text), _SHORT), np.uint32)
        starts = np.cumsum(length) - length
        for k in range(_SHORT):
            long_enough = length > k
            head[long_enough, k] = codes[starts[long_enough] + k]
        return cls(text, length.astype(np.int32), chars, repeats.astype(np.int32), head)


def _strings(text: TextArray, ids: IntArray) -> tuple[_Strings, _Strings, IntArray]:
    """The distinct strings among ``ids`` of ``text``, their skeletons, and where each id is
    among them."""
    distinct, at = _used(text, ids)
    skeletons = _Strings.of([skeleton(t) for t in distinct])
    return _Strings.of(distinct), skeletons, at


def _used(text: TextArray, ids: IntArray) -> tuple[TextArray, IntArray]:
    """The strings ``ids`` of ``text`` each once (in the order of ``text``), and where each id
    is among them."""
    used = np.zeros(len(text), np.bool_)
    used[ids] = True
    return text[used], (np.cumsum(used) - 1)[ids]


def _abjad_similarities(a: TextArray, at_a: IntArray, b: TextArray, at_b: IntArray) -> FloatArray:
    """:func:`_abjad_similarity` of skeletons ``a[at_a[k]]`` and ``b[at_b[k]]`` for each k,
    wherever it is at least ``_ALIGNED`` (as :func:`_string_similarities`: an empty skeleton
    is bounded at 0); each distinct skeleton is read once."""
    (x, at_a), (y, at_b) = (
        (_Strings.of([s.replace("P", "B") for s in distinct.tolist()]), at)
        for distinct, at in (_used(a, at_a), _used(b, at_b))
    )
    best = _string_similarities(x, at_a, y, at_b, _ALIGNED)
    # the article al- on one side: a leading L dropped from it
    for strip_a in (True, False):
        side, at = (x, at_a) if strip_a else (y, at_b)
        lead = np.flatnonzero((side.head[:, 0] == ord("L")) & (side.length > 2))
        stripped = _Strings.of([s[1:] for s in side.text[lead].tolist()])
        position = np.full(len(side.text), -1)
        position[lead] = np.arange(len(lead))
        pairs = np.flatnonzero(position[at] >= 0)
        sims = (
            _string_similarities(stripped, position[at_a[pairs]], y, at_b[pairs], _ALIGNED)
            if strip_a
            else _string_similarities(x, at_a[pairs], stripped, position[at_b[pairs]], _ALIGNED)
        )
        best[pairs] = np.maximum(best[pairs], sims)
    return best


def _string_similarities(
    a: _Strings, at_a: IntArray, b: _Strings, at_b: IntArray, floor: float
) -> FloatArray:
    """:func:`_string_similarity` of strings ``at_a`` of ``a`` and ``at_b`` of ``b``, pair by
    pair, where it can reach ``floor``; 0 for the others (an upper bound from their lengths and
    shared characters rules them out).

    rapidfuzz's ``cpdist`` can differ from the scalar ``normalized_similarity`` in the last bit
    below 0.5 (it does not go through the normalised distance): such similarities are below
    ``_ALIGNED``, and do not change any name's similarity.
    """
    length_a, length_b = a.length[at_a], b.length[at_b]
    near = np.abs(length_a - length_b) <= _LENGTH_GAP
    bound = _string_bounds(
        (length_a, a.chars[at_a], a.repeats[at_a]), (length_b, b.chars[at_b], b.repeats[at_b])
    )
    possible = bound >= floor - 1e-9
    out = np.zeros(len(at_a))
    short = np.maximum(length_a, length_b) <= _SHORT
    tried = np.flatnonzero(possible & short)
    short[tried] = _slips(a, at_a[tried], b, at_b[tried])
    for k in tried[short[tried]].tolist():
        out[k] = _short_jaro_winkler(a.text[at_a[k]], b.text[at_b[k]])
    for pairs, scorer in (
        (np.flatnonzero(possible & near & ~short), JaroWinkler.normalized_similarity),
        (np.flatnonzero(possible & ~near & ~short), Indel.normalized_similarity),
    ):
        if len(pairs):
            out[pairs] = cpdist(
                a.text[at_a[pairs]],
                b.text[at_b[pairs]],
                scorer=scorer,
                dtype=np.float64,
                workers=workers(len(pairs)),
            )
    return out


def _slips(a: _Strings, at_a: IntArray, b: _Strings, at_b: IntArray) -> BoolArray:
    """:func:`_slip` of strings ``at_a`` of ``a`` and ``at_b`` of ``b`` (of at most
    ``_SHORT`` characters), pair by pair."""
    x, y = a.head[at_a].astype(np.int64), b.head[at_b].astype(np.int64)
    differ = x != y  # (past both ends, both are 0)
    two = differ.sum(axis=1) == 2
    exchanged = np.zeros(len(at_a), np.bool_)
    for k in range(_SHORT - 1):  # exactly characters k and k + 1 differ, exchanged
        exchanged |= (
            two
            & differ[:, k]
            & differ[:, k + 1]
            & (x[:, k] == y[:, k + 1])
            & (x[:, k + 1] == y[:, k])
        )
    same_length = a.length[at_a] == b.length[at_b]
    collapsed_a = _collapsed(x, a.length[at_a])
    return np.where(same_length, exchanged, collapsed_a == _collapsed(y, b.length[at_b]))


def _collapsed(head: IntArray, length: npt.NDArray[np.int32]) -> IntArray:
    """Strings of at most ``_SHORT`` characters (their :attr:`_Strings.head` and lengths) with
    each run of a repeated character collapsed into one, as a number (21 bits a character)."""
    out = np.zeros(len(head), np.int64)
    for k in range(_SHORT):
        kept = (length > k) & ((head[:, k] != head[:, k - 1]) if k else True)
        out = np.where(kept, (out << 21) | (head[:, k] + 1), out)
    return out


_M1: Final = np.uint64(0x5555555555555555)
_M2: Final = np.uint64(0x3333333333333333)
_M4: Final = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01: Final = np.uint64(0x0101010101010101)


@kernel
def _popcount(bits: np.uint64) -> int:
    """The number of bits set in ``bits``."""
    bits = bits - ((bits >> np.uint64(1)) & _M1)
    bits = (bits & _M2) + ((bits >> np.uint64(2)) & _M2)
    bits = (bits + (bits >> np.uint64(4))) & _M4
    return int((bits * _H01) >> np.uint64(56))


@kernel
def _string_bound(
    length_a: int,
    chars_a: np.uint64,
    repeats_a: int,
    length_b: int,
    chars_b: np.uint64,
    repeats_b: int,
    exact: bool,
) -> float:
    """An upper bound on the comparator's string similarity of two strings given as (length,
    character bits, repeats): at most ``shared`` characters match (those of both sets and the
    fewer repeats), Jaro is at most ``(shared / a + shared / b + 1) / 3``, Jaro-Winkler's
    prefix adds at most 0.4 of what Jaro leaves and only above 0.7, and Indel (lengths further
    apart) is at most ``2 * shared / (a + b)``, never more than the Jaro-Winkler bound: where
    the lengths are not ``exact``, the latter is used whatever they are.

    The name index's bounds (:mod:`paxscreen.index._name_bounds`) compile it into their own
    loops (:mod:`paxscreen._jit` drops their cached code when this file changes)."""
    shared = min(_popcount(chars_a & chars_b) + min(repeats_a, repeats_b), length_a, length_b)
    jaro = (shared / length_a + shared / length_b + 1) / 3 if shared > 0 else 0.0
    winkler = jaro + 0.4 * (1 - jaro) if jaro > 0.7 else jaro
    if not exact or abs(length_a - length_b) <= _LENGTH_GAP:
        return winkler
    return 2 * shared / max(length_a + length_b, 1)


@kernel
def _string_bounds(
    a: tuple[npt.NDArray[np.int32], npt.NDArray[np.uint64], npt.NDArray[np.int32]],
    b: tuple[npt.NDArray[np.int32], npt.NDArray[np.uint64], npt.NDArray[np.int32]],
) -> FloatArray:
    """:func:`_string_bound` of strings ``a`` and ``b`` (length, character bits, repeats),
    pair by pair."""
    (length_a, chars_a, repeats_a), (length_b, chars_b, repeats_b) = a, b
    out = np.empty(len(length_a))
    for k in range(len(out)):
        out[k] = _string_bound(
            length_a[k], chars_a[k], repeats_a[k], length_b[k], chars_b[k], repeats_b[k], True
        )
    return out


def _groups(keys: IntArray) -> list[IntArray]:
    """The positions of each distinct key, key after key."""
    order = np.argsort(keys, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(keys[order])) + 1) if len(keys) else []


def _distinct(values: IntArray, bound: int) -> tuple[IntArray, IntArray]:
    """The distinct values (all in 0..bound-1) in order, and where each value is among them.

    Values and positions packed into one int64 sort several times faster than an argsort (and
    numpy's hash-based ``unique`` is slower still).
    """
    values = values.astype(np.int64, copy=False)
    shift = max(len(values) - 1, 1).bit_length()
    if bound <= 1 << (62 - shift):
        packed = values << shift
        packed |= np.arange(len(values))
        packed.sort()
        ordered, order = packed >> shift, packed & ((1 << shift) - 1)
    else:
        order = np.argsort(values)
        ordered = values[order]
    first = np.ones(len(values), np.bool_)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    group = np.cumsum(first, dtype=np.int64)
    group -= 1
    where = np.empty(len(values), np.int64)
    where[order] = group
    return ordered[first], where
