"""Compiled loops: :func:`kernel` compiles a function of numbers and numpy arrays with numba.

Where a step is a loop with data-dependent branches over many small items (a range scan per
probe, a best alignment per name pair), one numpy call per step costs more in call overhead
than the work itself. Such loops are written as plain Python over arrays and scalars and
compiled once per machine (``cache=True``: the machine code is kept in ``__pycache__``, so
later processes load it instead of compiling). They release the interpreter lock, so they
run in parallel in threads.

numba's cache notices a change to the file that defines a kernel, not to a compiled function
of another file that the kernel calls (``compare.dates._level_code`` in ``score._needs``, for
example). So the cached code is dropped whenever any source file of the package changes: at
import, a digest of the package's sources is compared with the one the cache was made from
(:func:`_drop_stale_cache`).

Inside a kernel, :func:`prefetch` asks the CPU to start reading an item it will need soon:
loops over items scattered through large arrays (index entries that miss the caches and the
TLB) first hint a group of items, then read them, so that their misses overlap instead of
waiting for one another.

Set ``NUMBA_DISABLE_JIT=1`` to run them as plain Python (slow; for debugging).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt
from llvmlite import ir  # type: ignore[import-untyped]
from numba.core import cgutils, types
from numba.extending import intrinsic

__all__ = ["grown", "kernel", "prefetch"]

F = TypeVar("F", bound=Callable[..., Any])

_PACKAGE: Final = Path(__file__).resolve().parent


def _drop_stale_cache(package: Path = _PACKAGE) -> None:
    """Delete the package's cached kernels unless they were compiled from these sources (the
    digest of every ``.py`` file of the package, kept beside them); quietly nothing where the
    package cannot be written (an installed copy, whose sources do not change)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    stamp, kept = digest.hexdigest(), package / "__pycache__" / "kernels.sha256"
    try:
        if kept.read_text() == stamp:
            return
    except OSError:
        pass
    try:
        for cached in [*package.rglob("__pycache__/*.nbi"), *package.rglob("__pycache__/*.nbc")]:
            cached.unlink()
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(stamp)
    except OSError:
        pass


_drop_stale_cache()


def kernel(function: F) -> F:
    """``function`` compiled to machine code (numba ``njit``: no Python objects inside, the
    interpreter lock released, cached on disk), with its signature kept for type checkers."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(function))


@kernel
def grown(values: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    """``values`` if it has room for ``size`` items (along its first axis), else a copy in a
    larger array (twice as long, or ``size``), inside a kernel.

    Call it before a group of items is written, not per item: a buffer that may be reassigned
    at every step of a loop is counted (two atomic operations) at every step.
    """
    if size <= values.shape[0]:
        return values
    out = np.empty((max(2 * values.shape[0], size), *values.shape[1:]), values.dtype)
    out[: values.shape[0]] = values
    return out


_I32: Final = ir.IntType(32)
# llvm.prefetch(address, read 0 / write 1, locality 0..3, data 1 / instructions 0); the name
# without its pointer-type suffix is completed by LLVM for the pointers of its version.
_HINT: Final = ir.FunctionType(ir.VoidType(), [ir.IntType(8).as_pointer(), _I32, _I32, _I32])


@intrinsic
def _prefetch(typingctx: Any, values: Any, index: Any) -> Any:
    if not (
        isinstance(values, types.Array)
        and values.layout == "C"
        and isinstance(index, types.Integer)
    ):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        address = builder.bitcast(builder.gep(data, [args[1]]), ir.IntType(8).as_pointer())
        hint = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
            builder.module, _HINT, "llvm.prefetch"
        )
        builder.call(hint, [address, _I32(0), _I32(3), _I32(1)])  # read, keep in all caches
        return context.get_dummy_value()

    return types.void(values, index), codegen


def _no_prefetch(values: npt.NDArray[Any], index: int) -> None:
    """Plain Python (``NUMBA_DISABLE_JIT=1``): nothing to hint."""


#: ``prefetch(values, index)``, inside a kernel: start reading item ``index`` of the
#: C-contiguous array ``values`` (counted through all its dimensions, as in ``values.flat``;
#: it must lie in the array) into the CPU caches, without waiting for it. A hint: it changes
#: no value.
prefetch: Callable[[npt.NDArray[Any], int], None] = (
    _no_prefetch if getattr(numba.config, "DISABLE_JIT", False) else cast(Any, _prefetch)
)
