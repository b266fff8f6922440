"""Name similarity: tokens aligned regardless of order, tolerant of spelling, script and shape.

``name_similarity(a, b)`` compares two normalised names (:func:`paxscreen.normalize.names.
name_tokens`) and returns a similarity in 0..1, or None when either name is unknown:

- **Tokens are aligned one to one, in any order** (a swapped given and family name costs
  nothing), greedily by similarity. Token similarity is the better of Jaro-Winkler on the
  tokens and a slightly discounted Jaro-Winkler on their consonant skeletons, which absorbs
  transliteration variants (MOHAMMED/MUHAMMAD, HUSSEIN/HOSSEIN, CHAUDHRY/CHOUDHURY). Two
  skeletons of two letters say little: they count only for tokens about as long (OMAR/UMAR,
  FAN/PHAN) or already close, not TUAN against THI UYEN joined (both TN), which made common
  Vietnamese names alert against each other on generated flights. Tokens whose lengths differ
  by more than three use Indel instead (no prefix bonus). Jaro's match window is one letter
  wide for a slip of one keystroke (exchanged neighbours ADB/ABD, a doubled letter YYU/YU)
  between strings of two or three letters: its usual width, half the longer string less one,
  is zero there, which would count such a slip as two wrong letters while it costs little in
  a longer token.
- **Names from an abjad** (Arabic, Persian, Hebrew script) are compared on skeletons only,
  since their script does not write short vowels; the article al- may be on one side only.
- **A missing or extra middle name costs little**: when at least two tokens align and tokens
  are left over on one side only, they weigh a quarter of their length. Tokens left over on
  both sides are different names and weigh fully, and so does everything when only one token
  aligns (one shared given name is not a name match), unless the name of that token is known
  only in part (``partial``: a family name alone): what it lacks is unknown, not different.
- **Within a longer name, a weakly similar pair is a different name** (MOHAMED against AHMED):
  pairs below 0.92 lose credit fast. Two one-token names are compared as they are.
- **Compounds**: the side with more tokens is also read with one pair of adjacent tokens
  joined, or all of them for syllable-per-character scripts (ABDUL RAHMAN / ABDULRAHMAN,
  布魯姆 BU LU MU / BROOME); the best reading counts.
- **Initials**: a one-letter token matches a token with the same first letter at 0.8.

Tokens weigh by their length, so long distinctive tokens dominate short ones.

``name_similarity_pairs(left, right, left_index, right_index)`` gives exactly the same results
for many pairs of names from two :class:`~paxscreen.normalize.names.NameBatch` at once (a
candidate generator's output, or one traveller's pairs): each distinct pair of tokens is
compared once, by rapidfuzz over arrays (a few through ``token_similarity``'s cache instead:
arrays cost more than they save there), and the greedy alignment of every reading of every pair
runs in compiled code (:mod:`paxscreen._jit`). The results are the same to the bit.
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

__all__ = ["abjad_reading", "name_similarity", "name_similarity_pairs", "token_similarity"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.object_]  # of str
BitArray = npt.NDArray[np.uint64]
_Count = int | npt.NDArray[np.int32] | IntArray
_Similarity = float | FloatArray

_SKELETON_DISCOUNT: Final = 0.92
#: Two skeletons of two letters say little (TUAN and THIUYEN are both TN, YUCHEN and CHIN both
#: CN): they stand for their tokens only where the tokens are about as long (FAN and PHAN) or
#: at least this similar as they are (YUSUF and YOUSSEF, both SF).
_SHORT_SKELETON_PLAIN: Final = 0.8
#: In tokens of at most this many letters (a syllable) with skeletons of two letters, the
#: vowels are half the token: VIEN and PHAN (both FN), KUEN and QIAN (both KN) are different
#: names. Such tokens stand for each other on skeletons only where they align as they are.
_SYLLABLE: Final = 4
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
    if abjad:
        return _abjad_similarity(_abjad_skeleton(a), _abjad_skeleton(b))
    sa, sb = skeleton(a), skeleton(b)
    direct = _string_similarity(a, b)
    lengths = sorted((len(sa), len(sb)))
    if _skeletal(lengths[0], lengths[1], direct, abs(len(a) - len(b)), max(len(a), len(b))):
        direct = max(direct, _SKELETON_DISCOUNT * _string_similarity(sa, sb))
    return max(direct, _SAME_SURNAME) if same_surname(a, b) else direct


def _skeletal(
    shorter: _Count, longer: _Count, direct: _Similarity, gap: _Count, longest: _Count
) -> bool | BoolArray:
    """Whether two tokens are compared on their skeletons too, of the lengths of the shorter
    and the longer skeleton, their similarity as they are (``direct``), the difference of
    their lengths (``gap``) and the longer one's length (``longest``): both skeletons of two
    letters at least, and either longer, or the tokens already ``_SHORT_SKELETON_PLAIN``
    similar, or about as long and, where both are of a syllable's size, aligned as they are.
    (Of numbers or of arrays of them.)"""
    about_as_long = (gap <= 1) & ((longest > _SYLLABLE) | (direct >= _ALIGNED))
    return (shorter >= 2) & ((longer >= 3) | (direct >= _SHORT_SKELETON_PLAIN) | about_as_long)


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


@lru_cache(maxsize=1 << 20)  # the batch comparator asks for every string of a flight's pairs
def _abjad_skeleton(token: str) -> str:
    """A token's skeleton as compared where one side came from Arabic or Hebrew script: P is
    written B there."""
    return skeleton(token).replace("P", "B")


def abjad_reading(token: str) -> str:
    """The string a normalised token is compared as where either name came from an abjad (its
    skeleton, P written B), or the token itself where that is empty (it then matches
    nothing)."""
    return _abjad_skeleton(skeleton(token) or token) or token


def _abjad_similarity(a: str, b: str) -> float:
    """Similarity of two :func:`_abjad_skeleton`: the article al- may be on one side only
    (العجان AJAN)."""
    if not a or not b:
        return 0.0
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


def _aligned(
    a: Sequence[str], b: Sequence[str], abjad: bool, partial: tuple[bool, bool] = (False, False)
) -> float:
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
    # align, or every token of a name known in part (``partial``); tokens left over on both
    # sides are different names: they count in full
    share = _EXTRA_WEIGHT if _cheap(count, len(a), len(b), partial) else 1.0
    return matched / (weight + share * (left + right))


@kernel
def _cheap(count: int, size_a: int, size_b: int, partial: tuple[bool, bool]) -> bool:
    """Whether tokens left over weigh :data:`_EXTRA_WEIGHT` only, ``count`` tokens of names
    (or readings) of ``size_a`` and ``size_b`` tokens aligned: left over on one side only,
    once two align or all of a name known only in part (``partial``, of each side)."""
    whole = count >= 2 or (partial[0] and count == size_a) or (partial[1] and count == size_b)
    return whole and not (count < size_a and count < size_b)


def _credit(similarity: float) -> float:
    """What an aligned pair of tokens contributes: near matches count as they are, weaker ones
    lose fast (MOHAMED against AHMED is a different name, not 80% of the same one)."""
    if similarity >= _CLOSE:
        return similarity
    return max(0.0, similarity - _STEEP * (_CLOSE - similarity))


_compiled_credit: Final = kernel(_credit)


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
    partial = (a.partial, b.partial)
    best = _aligned(left, right, abjad, partial)
    for more, fewer, flipped in ((left, right, False), (right, left, True)):
        if len(more) > len(fewer):
            for reading in _readings(more)[1:]:
                pair = (fewer, reading) if flipped else (reading, fewer)
                best = max(best, _aligned(*pair, abjad, partial))
    return best


# Many pairs at once. The functions below work on arrays; those named after a scalar function
# give exactly its results (tests/compare/test_names.py compares them on random names).


def name_similarity_pairs(
    left: NameBatch,
    right: NameBatch,
    left_index: IntArray,
    right_index: IntArray,
) -> FloatArray:
    """:func:`name_similarity` of ``left`` name ``left_index[k]`` and ``right`` name
    ``right_index[k]`` for every k, computed for all pairs at once.

    Each distinct pair of tokens (with the joined tokens of the readings, and in abjad form
    where either name is abjad) is compared once; each pair of names is then aligned in every
    reading from those token similarities, in compiled code.

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
    abjad = left.abjad[left_index] | right.abjad[right_index]
    count_a = left.offsets[left_index + 1] - left.offsets[left_index]
    count_b = right.offsets[right_index + 1] - right.offsets[right_index]
    a = _side(left, left_index, abjad, count_a > count_b)
    b = _side(right, right_index, abjad, count_b > count_a)
    # the cells of a pair: its names' tokens, with the joined tokens of the longer one
    cells, starts = _cells((a.extended, a.count, a.row), (b.extended, b.count, b.row), len(b.text))
    distinct, where = _distinct(cells, len(a.text) * len(b.text))
    token_a, token_b = np.divmod(distinct, len(b.text))
    similarity = _cached_token_similarities(a, b, token_a, token_b)
    return _best_readings(
        (similarity, where),
        starts,
        (a.extended, a.count, a.row, a.length, a.partial),
        (b.extended, b.count, b.row, b.length, b.partial),
    )


@dataclass(frozen=True, slots=True)
class _Side:
    """The names of one side of the pairs, as ids of token strings.

    Attributes:
        text: The token strings: each distinct token of the names (in abjad form for a name in
            an abjad pair), then the joined tokens of their readings.
        length: The length of each string.
        abjad: Whether each string is compared as in an abjad pair.
        extended: One row per distinct (name, abjad) of the pairs: the ids of its tokens, then,
            where its name has more tokens than the other of a pair, of its joined tokens (each
            two adjacent ones, then all of them if more than two, as :func:`_readings` orders
            them); -1 after.
        count: The number of tokens of each row's name.
        partial: Whether each row's name is known only in part.
        row: The row of each pair's name.
    """

    text: TextArray
    length: IntArray
    abjad: BoolArray
    extended: IntArray
    count: IntArray
    partial: BoolArray
    row: IntArray


def _side(batch: NameBatch, index: IntArray, abjad: BoolArray, joined: BoolArray) -> _Side:
    """Names ``index`` of ``batch``, each compared in abjad form where ``abjad``, and with the
    joined tokens of its readings where ``joined`` (it has more tokens than the other name)."""
    rows, row = _distinct(index * 2 + abjad, 2 * len(batch))
    names, in_abjad = rows // 2, rows % 2 == 1
    count = batch.offsets[names + 1] - batch.offsets[names]  # not lengths(): the list is big
    read_joined = np.zeros(len(rows), np.bool_)
    read_joined[row[joined]] = True
    # each distinct (token, abjad) once: a name's tokens are ids into these
    distinct, where = _distinct(
        _token_keys(batch.tokens, batch.offsets[names], count, in_abjad), 2 * len(batch.vocab)
    )
    vocab = batch.vocab  # only the tokens used: the list's vocabulary is big
    text = np.array([vocab[token] for token in (distinct // 2).tolist()], dtype=object)
    forms = distinct % 2 == 1
    text[forms] = [skeleton(t) or t for t in text[forms]]
    length = np.fromiter(map(len, text), np.int64, len(text))
    extended, parts, starts, owners = _extended(where, count, read_joined, len(text))
    if len(starts):
        text = np.concatenate([text, np.add.reduceat(text[parts], starts)])
        length = np.concatenate([length, np.add.reduceat(length[parts], starts)])
        forms = np.concatenate([forms, in_abjad[owners]])
    return _Side(
        text=text,
        length=length,
        abjad=forms,
        extended=extended,
        count=count,
        partial=batch.partial[names],
        row=row,
    )


@kernel
def _token_keys(
    tokens: npt.NDArray[np.int32], starts: IntArray, count: IntArray, in_abjad: BoolArray
) -> IntArray:
    """The tokens of names of ``count`` tokens from ``starts`` in ``tokens`` (a
    :class:`NameBatch`'s), name after name, each as its vocabulary id * 2 + whether its name is
    ``in_abjad`` form."""
    out = np.empty(count.sum(), np.int64)
    k = 0
    for r in range(len(starts)):
        for t in range(starts[r], starts[r] + count[r]):
            out[k] = tokens[t] * 2 + in_abjad[r]
            k += 1
    return out


@kernel
def _extended(
    where: IntArray, count: IntArray, read_joined: BoolArray, size: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """:attr:`_Side.extended` of names of ``count`` tokens (``where``: their string ids, name
    after name), numbering the joined tokens of the names that are ``read_joined`` from
    ``size`` on; and those joined tokens, as the string ids of their parts (those of each
    joined token follow one another), where each one's parts start, and its name.
    """
    most = joined = parts = 0
    for r in range(len(count)):
        n = count[r]
        most = max(most, n)
        if read_joined[r] and n > 1:
            joined += n - 1 + (n > 2)
            parts += 2 * (n - 1) + (n if n > 2 else 0)
    extended = np.full((len(count), _extended_size(max(most, 1))), -1)
    part, starts, owners = (
        np.empty(parts, np.int64),
        np.empty(joined, np.int64),
        np.empty(joined, np.int64),
    )
    t = p = j = 0
    for r in range(len(count)):
        n = count[r]
        extended[r, :n] = where[t : t + n]
        if read_joined[r] and n > 1:
            # adjacent tokens joined, then all of them (_readings)
            for k in range(n - 1 + (n > 2)):
                extended[r, n + k] = size + j
                starts[j], owners[j] = p, r
                j += 1
                first, last = (k, k + 2) if k < n - 1 else (0, n)
                part[p : p + last - first] = where[t + first : t + last]
                p += last - first
        t += n
    return extended, part, starts, owners


@kernel
def _extended_size(n: int) -> int:
    """How many tokens a name of ``n`` tokens has with the joined tokens of its readings."""
    return 2 * n - 1 + (n > 2)


@kernel
def _widths(n: int, m: int) -> tuple[int, int]:
    """How many of their extended tokens (:attr:`_Side.extended`) a pair of names of ``n`` and
    ``m`` tokens compares: all of their tokens, with the joined ones of the name with more;
    none where either is unknown."""
    if n == 0 or m == 0:
        return 0, 0
    return (_extended_size(n) if n > m else n), (_extended_size(m) if m > n else m)


@kernel
def _cells(
    a: tuple[IntArray, IntArray, IntArray], b: tuple[IntArray, IntArray, IntArray], size_b: int
) -> tuple[IntArray, IntArray]:
    """The pairs of strings each pair of names compares: its compared tokens (:func:`_widths`)
    of ``a``, each against those of ``b``, as ``a`` string id * ``size_b`` + ``b`` string id;
    and where each pair's cells start (one more than there are pairs).

    Args:
        a: One side's :attr:`_Side.extended`, :attr:`_Side.count` and :attr:`_Side.row`.
        b: The other side's.
        size_b: How many strings ``b`` has.
    """
    (extended_a, count_a, row_a), (extended_b, count_b, row_b) = a, b
    starts = np.zeros(len(row_a) + 1, np.int64)
    for p in range(len(row_a)):
        width_a, width_b = _widths(count_a[row_a[p]], count_b[row_b[p]])
        starts[p + 1] = starts[p] + width_a * width_b
    cells = np.empty(starts[-1], np.int64)
    for p in range(len(row_a)):
        width_a, width_b = _widths(count_a[row_a[p]], count_b[row_b[p]])
        ids_a, ids_b = extended_a[row_a[p]], extended_b[row_b[p]]
        for i in range(width_a):
            for j in range(width_b):
                cells[starts[p] + i * width_b + j] = ids_a[i] * size_b + ids_b[j]
    return cells, starts


@kernel
def _best_readings(
    similarity: tuple[FloatArray, IntArray],
    starts: IntArray,
    a: tuple[IntArray, IntArray, IntArray, IntArray, BoolArray],
    b: tuple[IntArray, IntArray, IntArray, IntArray, BoolArray],
) -> FloatArray:
    """:func:`name_similarity` of each pair of names, from the token similarities of its cells.

    Args:
        similarity: The similarities of distinct pairs of tokens, and which is each cell's
            (:func:`_cells`: pair after pair).
        starts: Where each pair's cells start, one more than there are pairs.
        a: One side's :attr:`_Side.extended`, :attr:`_Side.count`, :attr:`_Side.row`,
            :attr:`_Side.length` and :attr:`_Side.partial`.
        b: The other side's.

    Returns:
        One similarity per pair; NaN where either name is unknown.
    """
    (extended_a, count_a, row_a, length_a, partial_a) = a
    (extended_b, count_b, row_b, length_b, partial_b) = b
    distinct, where = similarity
    out = np.full(len(row_a), np.nan)
    # the pair's cells that can be aligned (most cannot), most similar first: their
    # similarity, tokens (positions in the extended tokens) and weight
    room = extended_a.shape[1] * extended_b.shape[1]
    cells = (np.empty(room), np.empty(room, np.int64), np.empty(room, np.int64))
    weights = np.empty(room, np.int64)
    used = (np.empty(extended_a.shape[1], np.bool_), np.empty(extended_b.shape[1], np.bool_))
    for p in range(len(row_a)):
        n, m = count_a[row_a[p]], count_b[row_b[p]]
        if n == 0 or m == 0:
            continue
        width_a, width_b = _widths(n, m)
        ids_a, ids_b = extended_a[row_a[p]], extended_b[row_b[p]]
        size = 0
        for i in range(width_a):
            for j in range(width_b):
                value = distinct[where[starts[p] + i * width_b + j]]
                if value < _ALIGNED:
                    continue
                w = length_a[ids_a[i]] + length_b[ids_b[j]]
                at = size
                while at > 0 and cells[0][at - 1] < value:  # insertion sort, a few cells
                    cells[0][at], cells[1][at] = cells[0][at - 1], cells[1][at - 1]
                    cells[2][at], weights[at] = cells[2][at - 1], weights[at - 1]
                    at -= 1
                cells[0][at], cells[1][at], cells[2][at], weights[at] = value, i, j, w
                size += 1
        # every reading of a name is as long as the name (joined tokens are as long as theirs)
        total = 0
        for i in range(n):
            total += length_a[ids_a[i]]
        for j in range(m):
            total += length_b[ids_b[j]]
        # the name with more tokens is also read joined (_readings)
        best = 0.0
        for reading_a in range(n + (n > 2) if n > m else 1):
            for reading_b in range(m + (m > 2) if m > n else 1):
                value = _aligned_cells(
                    cells,
                    weights[:size],
                    (n, reading_a, m, reading_b),
                    (partial_a[row_a[p]], partial_b[row_b[p]]),
                    total,
                    used,
                )
                if value > best:
                    best = value
        out[p] = best
    return out


@kernel
def _position(token: int, n: int, reading: int) -> int:
    """The position of a name's extended token (:attr:`_Side.extended`; the name has ``n``
    tokens) in its ``reading`` (as :func:`_readings` orders them: 0 as it is, then tokens
    ``reading - 1`` and ``reading`` joined, then all joined); -1 where it is not in it."""
    if reading == 0:
        return token if token < n else -1
    if reading == n:
        return 0 if token == 2 * n - 1 else -1
    if token < reading - 1:
        return token
    if token == n + reading - 1:
        return reading - 1
    return token - 1 if reading < token < n else -1


@kernel
def _aligned_cells(
    cells: tuple[FloatArray, IntArray, IntArray],
    weights: IntArray,
    readings: tuple[int, int, int, int],
    partial: tuple[bool, bool],
    total: int,
    used: tuple[BoolArray, BoolArray],
) -> float:
    """:func:`_aligned` of a reading of each name of a pair.

    Args:
        cells: The pair's cells that can be aligned (at least ``_ALIGNED``), most similar
            first: their similarity and their extended tokens (see :func:`_position`) of ``a``
            and of ``b``.
        weights: As many: the lengths of their two tokens.
        readings: ``a``'s number of tokens and reading, then ``b``'s.
        partial: Whether ``a``'s name and ``b``'s are known only in part.
        total: The length of the tokens of both names.
        used: Room for a flag per token of each reading.
    """
    similarity, token_a, token_b = cells
    n, reading_a, m, reading_b = readings
    used_a, used_b = used
    size_a = n if reading_a == 0 else (1 if reading_a == n else n - 1)
    size_b = m if reading_b == 0 else (1 if reading_b == m else m - 1)
    used_a[:size_a] = False
    used_b[:size_b] = False
    # within a longer name a weak pair is a different name (see _aligned)
    as_is = size_a == 1 and size_b == 1
    matched = 0.0
    weight = count = c = 0
    while c < len(weights) and count < min(size_a, size_b):
        i, j = _position(token_a[c], n, reading_a), _position(token_b[c], m, reading_b)
        if i < 0 or j < 0 or used_a[i] or used_b[j]:
            c += 1
            continue
        # of equally similar cells, the scalar's sorted(reverse=True) takes the last i first,
        # then the last j
        top, e = c, c + 1
        while e < len(weights) and similarity[e] == similarity[c]:
            x, y = _position(token_a[e], n, reading_a), _position(token_b[e], m, reading_b)
            if x >= 0 and y >= 0 and not (used_a[x] or used_b[y]) and (x, y) > (i, j):
                top, i, j = e, x, y
            e += 1
        used_a[i] = used_b[j] = True
        matched += (similarity[top] if as_is else _compiled_credit(similarity[top])) * weights[top]
        weight += weights[top]
        count += 1
        if top == c:  # (else cell c may be the next one taken)
            c += 1
    if not count:
        return 0.0
    # a token left over on one side only is a missing middle name (see _aligned)
    share = _EXTRA_WEIGHT if _cheap(count, size_a, size_b, partial) else 1.0
    return matched / (weight + share * (total - weight))


def _credits(similarity: FloatArray) -> FloatArray:
    """:func:`_credit` of each similarity."""
    weak = np.maximum(0.0, similarity - _STEEP * (_CLOSE - similarity))
    return np.where(similarity >= _CLOSE, similarity, weak)


def _token_similarities(a: _Side, b: _Side, ids_a: IntArray, ids_b: IntArray) -> FloatArray:
    """:func:`token_similarity` of strings ``ids_a`` of ``a`` and ``ids_b`` of ``b``, pair by
    pair (both in abjad form or neither), wherever it is at least ``_ALIGNED``; some lower value
    elsewhere (all are the same to the alignment)."""
    (tokens_a, at_a), (tokens_b, at_b) = _strings(a.text, ids_a), _strings(b.text, ids_b)
    length_a, length_b = tokens_a.length[at_a], tokens_b.length[at_b]
    out = np.zeros(len(ids_a))
    same = (length_a == length_b) & (tokens_a.chars[at_a] == tokens_b.chars[at_b])
    same[same] = tokens_a.text[at_a[same]] == tokens_b.text[at_b[same]]
    out[same] = 1.0
    initial = ~same & ((length_a == 1) | (length_b == 1))
    first_a, first_b = tokens_a.head[at_a[initial], 0], tokens_b.head[at_b[initial], 0]
    out[initial] = np.where(first_a == first_b, _INITIAL, 0.0)
    rest = np.flatnonzero(~same & ~initial)
    abjad = a.abjad[ids_a[rest]]
    plain, in_abjad = rest[~abjad], rest[abjad]
    out[plain] = _plain_similarities(tokens_a, at_a[plain], tokens_b, at_b[plain])
    out[in_abjad] = _abjad_similarities(
        tokens_a.text, at_a[in_abjad], tokens_b.text, at_b[in_abjad]
    )
    return out


def _plain_similarities(a: _Strings, at_a: IntArray, b: _Strings, at_b: IntArray) -> FloatArray:
    """:func:`token_similarity` (read as Latin) of tokens ``at_a`` of ``a`` and ``at_b`` of
    ``b``, pair by pair, neither equal nor of one letter, wherever it is at least
    ``_ALIGNED``."""
    out = _string_similarities(a, at_a, b, at_b, _ALIGNED)
    (used_a, at_used_a), (used_b, at_used_b) = _used(a.text, at_a), _used(b.text, at_b)
    skeletons_a, skeletons_b = (
        _Strings.of([skeleton(t) for t in used.tolist()]) for used in (used_a, used_b)
    )
    length_a, length_b = skeletons_a.length[at_used_a], skeletons_b.length[at_used_b]
    long = np.flatnonzero(
        _skeletal(
            np.minimum(length_a, length_b),
            np.maximum(length_a, length_b),
            out,
            np.abs(a.length[at_a] - b.length[at_b]),
            np.maximum(a.length[at_a], b.length[at_b]),
        )
    )
    skeleton_sims = _string_similarities(
        skeletons_a, at_used_a[long], skeletons_b, at_used_b[long], _ALIGNED / _SKELETON_DISCOUNT
    )
    out[long] = np.maximum(out[long], _SKELETON_DISCOUNT * skeleton_sims)
    # spellings of one surname (few tokens are in the table: test those pairs one by one)
    known_a, known_b = in_table(used_a.tolist()), in_table(used_b.tolist())
    for k in np.flatnonzero(known_a[at_used_a] & known_b[at_used_b]).tolist():
        if same_surname(a.text[at_a[k]], b.text[at_b[k]]):
            out[k] = max(out[k], _SAME_SURNAME)
    return out


#: Up to this many distinct pairs of tokens (one traveller's, mostly), :func:`name_similarity_pairs`
#: looks each up in :func:`token_similarity`'s cache instead of comparing them over arrays: their
#: fixed cost, about 0.2 ms, is that of some hundreds of lookups (a cold cache computes each
#: pair in a few microseconds; one traveller's p99 is the same from 128 to 512).
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
        """Analyse strings (without NUL characters: NUL separates them in one buffer).

        Raises:
            ValueError: A string has a NUL character.
        """
        text = np.asarray(strings, dtype=object)
        joined = "\0".join(strings)
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        return cls(text, *_analysed(codes, len(text)))

    def packed(
        self,
    ) -> tuple[npt.NDArray[np.int32], BitArray, npt.NDArray[np.int32], npt.NDArray[np.uint32]]:
        """Length, chars, repeats and head, for kernels."""
        return self.length, self.chars, self.repeats, self.head


@kernel
def _analysed(
    codes: npt.NDArray[np.uint32], size: int
) -> tuple[
    npt.NDArray[np.int32], npt.NDArray[np.uint64], npt.NDArray[np.int32], npt.NDArray[np.uint32]
]:
    """:attr:`_Strings.length`, :attr:`_Strings.chars`, :attr:`_Strings.repeats` and
    :attr:`_Strings.head` of ``size`` strings whose ``codes`` follow one another, separated by
    0."""
    length = np.zeros(size, np.int32)
    chars = np.zeros(size, np.uint64)
    head = np.zeros((size, _SHORT), np.uint32)
    k = 0
    for code in codes:
        if code == 0:
            k += 1
            if k == size:
                raise ValueError("a string to compare has a NUL character")
            continue
        if length[k] < _SHORT:
            head[k, length[k]] = code
        length[k] += 1
        chars[k] |= np.uint64(1) << np.uint64(code % 64)
    repeats = np.empty(size, np.int32)
    for k in range(size):
        repeats[k] = length[k] - _popcount(chars[k])
    return length, chars, repeats, head


def _strings(text: TextArray, ids: IntArray) -> tuple[_Strings, IntArray]:
    """The distinct strings among ``ids`` of ``text``, analysed, and where each id is among
    them."""
    distinct, at = _used(text, ids)
    return _Strings.of(distinct), at


def _used(text: TextArray, ids: IntArray) -> tuple[TextArray, IntArray]:
    """The strings ``ids`` of ``text`` each once (in the order of ``text``), and where each id
    is among them."""
    used = np.zeros(len(text), np.bool_)
    used[ids] = True
    return text[used], (np.cumsum(used) - 1)[ids]


def _abjad_similarities(a: TextArray, at_a: IntArray, b: TextArray, at_b: IntArray) -> FloatArray:
    """:func:`_abjad_similarity` of the :func:`_abjad_skeleton` of tokens ``a[at_a[k]]`` and
    ``b[at_b[k]]`` for each k, wherever it is at least ``_ALIGNED`` (as
    :func:`_string_similarities`: an empty skeleton is bounded at 0); each distinct token is
    read once."""
    (x, at_a), (y, at_b) = (
        (_Strings.of(list(map(_abjad_skeleton, distinct.tolist()))), at)
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
    out = np.zeros(len(at_a))
    if not len(at_a):
        return out
    scorer = _scorers(a.packed(), at_a, b.packed(), at_b, floor)
    for k in np.flatnonzero(scorer == _SLIPPED).tolist():
        out[k] = _short_jaro_winkler(a.text[at_a[k]], b.text[at_b[k]])
    for pairs, function in (
        (np.flatnonzero(scorer == _WINKLER), JaroWinkler.normalized_similarity),
        (np.flatnonzero(scorer == _INDEL), Indel.normalized_similarity),
    ):
        if len(pairs):
            out[pairs] = cpdist(
                a.text[at_a[pairs]],
                b.text[at_b[pairs]],
                scorer=function,
                dtype=np.float64,
                workers=workers(len(pairs)),
            )
    return out


# How :func:`_string_similarities` compares two strings (:func:`_scorers`): not at all (they
# cannot reach the floor), by :func:`_short_jaro_winkler`, Jaro-Winkler or Indel.
_UNREACHABLE: Final = 0
_SLIPPED: Final = 1
_WINKLER: Final = 2
_INDEL: Final = 3


@kernel
def _scorers(
    a: tuple[npt.NDArray[np.int32], BitArray, npt.NDArray[np.int32], npt.NDArray[np.uint32]],
    at_a: IntArray,
    b: tuple[npt.NDArray[np.int32], BitArray, npt.NDArray[np.int32], npt.NDArray[np.uint32]],
    at_b: IntArray,
    floor: float,
) -> npt.NDArray[np.int8]:
    """How :func:`_string_similarity` compares strings ``at_a`` of ``a`` and ``at_b`` of ``b``
    (:meth:`_Strings.packed`), pair by pair: ``_UNREACHABLE`` where :func:`_string_bound` is
    below ``floor``, else as the scalar chooses."""
    (length_a, chars_a, repeats_a, head_a), (length_b, chars_b, repeats_b, head_b) = a, b
    out = np.empty(len(at_a), np.int8)
    for k in range(len(at_a)):
        i, j = at_a[k], at_b[k]
        n, m = length_a[i], length_b[j]
        bound = _string_bound(n, chars_a[i], repeats_a[i], m, chars_b[j], repeats_b[j], True)
        if bound < floor - 1e-9:
            out[k] = _UNREACHABLE
        elif max(n, m) <= _SHORT and _slipped(head_a, i, n, head_b, j, m):
            out[k] = _SLIPPED
        else:
            out[k] = _WINKLER if abs(n - m) <= _LENGTH_GAP else _INDEL
    return out


@kernel
def _slipped(
    head_a: npt.NDArray[np.uint32], i: int, n: int, head_b: npt.NDArray[np.uint32], j: int, m: int
) -> bool:
    """:func:`_slip` of string ``i`` of ``n`` characters and string ``j`` of ``m`` characters
    (at most ``_SHORT``), given by their :attr:`_Strings.head`."""
    if n == m:
        differing, first = 0, -1
        for k in range(n):
            if head_a[i, k] != head_b[j, k]:
                differing += 1
                first = k if first < 0 else first
        return (
            differing == 2
            and head_a[i, first + 1] != head_b[j, first + 1]
            and head_a[i, first] == head_b[j, first + 1]
            and head_a[i, first + 1] == head_b[j, first]
        )
    return _collapsed(head_a, i, n) == _collapsed(head_b, j, m)


@kernel
def _collapsed(head: npt.NDArray[np.uint32], i: int, n: int) -> int:
    """String ``i`` of ``n`` characters (at most ``_SHORT``, given by its
    :attr:`_Strings.head`) with each run of a repeated character collapsed into one, as a
    number (21 bits a character)."""
    out = 0
    for k in range(n):
        if k == 0 or head[i, k] != head[i, k - 1]:
            out = out << 21 | (int(head[i, k]) + 1)
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


def _distinct(values: IntArray, bound: int) -> tuple[IntArray, IntArray]:
    """The distinct values (all in 0..bound-1) in order, and where each value is among them.

    Values and positions packed into one int64 sort several times faster than an argsort (and
    numpy's hash-based ``unique`` is slower still); where they do not fit, ``unique`` it is.
    """
    values = values.astype(np.int64, copy=False)
    shift = max(len(values) - 1, 1).bit_length()
    if bound > 1 << (62 - shift):
        distinct, where = np.unique(values, return_inverse=True)
        return distinct, where.reshape(-1).astype(np.int64, copy=False)
    packed = _packed(values, shift)
    packed.sort()
    return _numbered(packed, shift)


@kernel
def _packed(values: IntArray, shift: int) -> IntArray:
    """Each value shifted left by ``shift`` bits, with its position in the bits freed."""
    out = np.empty(len(values), np.int64)
    for k in range(len(values)):
        out[k] = values[k] << shift | k
    return out


@kernel
def _numbered(packed: IntArray, shift: int) -> tuple[IntArray, IntArray]:
    """:func:`_distinct` of the values :func:`_packed` by ``shift`` bits, then sorted; the
    distinct values are collected in ``packed`` itself (a fresh array of that size costs more
    than filling it)."""
    where = np.empty(len(packed), np.int64)
    count, last = 0, -1
    for k in range(len(packed)):
        value, position = packed[k] >> shift, packed[k] & ((1 << shift) - 1)
        if value != last:
            packed[count] = last = value
            count += 1
        where[position] = count - 1
    return packed[:count].copy(), where
