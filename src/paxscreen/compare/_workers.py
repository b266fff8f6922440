"""How many threads rapidfuzz's batch functions (``cpdist``, ``cdist``) get."""

from __future__ import annotations

from typing import Final

#: Below this many pairs a call runs on the calling thread: starting rapidfuzz's thread pool
#: costs about a millisecond and a half a call, which is what one traveller at the counter
#: can spend on all of screening.
PARALLEL_PAIRS: Final = 50_000


def workers(pairs: int) -> int:
    """The ``workers`` argument for a batch of ``pairs`` pairs: all cores for big batches."""
    return -1 if pairs >= PARALLEL_PAIRS else 1
