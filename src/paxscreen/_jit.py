"""Compiled loops: :func:`kernel` compiles a function of numbers and numpy arrays with numba.

Where a step is a loop with data-dependent branches over many small items (a range scan per
probe, a best alignment per name pair), one numpy call per step costs more in call overhead
than the work itself. Such loops are written as plain Python over arrays and scalars and
compiled once per machine (``cache=True``: the machine code is kept in ``__pycache__``, so
later processes load it instead of compiling). They release the interpreter lock, so they
run in parallel in threads.

Set ``NUMBA_DISABLE_JIT=1`` to run them as plain Python (slow; for debugging).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

__all__ = ["kernel"]

F = TypeVar("F", bound=Callable[..., Any])


def kernel(function: F) -> F:
    """``function`` compiled to machine code (numba ``njit``: no Python objects inside, the
    interpreter lock released, cached on disk), with its signature kept for type checkers."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(function))
