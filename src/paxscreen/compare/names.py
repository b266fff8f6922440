"""Name similarity: tokens aligned regardless of order, tolerant of spelling, script and shape.

``name_similarity(a, b)`` compares two normalised names (:func:`paxscreen.normalize.names.
name_tokens`) and returns a similarity in 0..1, or None when either name is unknown:

- **Tokens are aligned one to one, in any order** (a swapped given and family name costs
  nothing), greedily by similarity. Token similarity is the better of Jaro-Winkler on the
  tokens and a slightly discounted Jaro-Winkler on their consonant skeletons, which absorbs
  transliteration variants (MOHAMMED/MUHAMMAD, HUSSEIN/HOSSEIN, CHAUDHRY/CHOUDHURY); tokens
  whose lengths differ by more than three use Indel instead (no prefix bonus).
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
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import product
from typing import Final

from rapidfuzz.distance import Indel, JaroWinkler

from paxscreen.normalize.names import NameTokens, skeleton

__all__ = ["name_similarity", "token_similarity"]

_SKELETON_DISCOUNT: Final = 0.92
_LENGTH_GAP: Final = 3  # tokens whose lengths differ more are not compared by Jaro-Winkler
_INITIAL: Final = 0.8
_ALIGNED: Final = 0.6  # below this, two tokens are not aligned at all
_EXTRA_WEIGHT: Final = 0.25  # share of an unmatched token's weight once two tokens align
_CLOSE: Final = 0.92  # aligned tokens at least this similar count as they are...
_STEEP: Final = 1.5  # ...weaker pairs lose this much per point below it


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str, *, abjad: bool = False) -> float:
    """Similarity of two normalised tokens in 0..1.

    Args:
        a: A token (upper-case ASCII).
        b: Another token.
        abjad: Compare consonant skeletons only (one side came from Arabic or Hebrew script).
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return _INITIAL if a[0] == b[0] else 0.0
    sa, sb = skeleton(a), skeleton(b)
    if abjad:
        return _abjad_similarity(sa, sb)
    direct = _string_similarity(a, b)
    if len(sa) >= 2 and len(sb) >= 2:
        return max(direct, _SKELETON_DISCOUNT * _string_similarity(sa, sb))
    return direct


def _string_similarity(a: str, b: str) -> float:
    """Jaro-Winkler for strings of similar length; Indel otherwise, because Jaro-Winkler's
    prefix bonus would call MOHAMMED a near MOHAMMEDKHAN."""
    if abs(len(a) - len(b)) > _LENGTH_GAP:
        return Indel.normalized_similarity(a, b)
    return JaroWinkler.normalized_similarity(a, b)


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
    pairs = sorted(
        (
            (token_similarity(x, y, abjad=abjad), i, j)
            for (i, x), (j, y) in product(enumerate(a), enumerate(b))
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    aligned: list[tuple[float, int]] = []
    for sim, i, j in pairs:
        if sim < _ALIGNED:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        aligned.append((sim, len(a[i]) + len(b[j])))
    if not aligned:
        return 0.0
    # within a longer name a weak pair is a different name, not a near one; two one-token names
    # are compared as they are
    credit = float if len(a) == 1 and len(b) == 1 else _credit
    matched = sum(credit(sim) * w for sim, w in aligned)
    weight = sum(w for _, w in aligned)
    left = [len(a[i]) for i in range(len(a)) if i not in used_a]
    right = [len(b[j]) for j in range(len(b)) if j not in used_b]
    # a token left over on one side only is a missing middle name: cheap once two tokens
    # align; tokens left over on both sides are different names: they count in full
    share = _EXTRA_WEIGHT if len(used_a) >= 2 and not (left and right) else 1.0
    return matched / (weight + share * (sum(left) + sum(right)))


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
