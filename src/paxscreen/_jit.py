"""Compiled loops: :func:`kernel` compiles a function of numbers and numpy arrays with numba.

Where a step is a loop with data-dependent branches over many small items (a range scan per
probe, a best alignment per name pair), one numpy call per step costs more in call overhead
than the work itself. Such loops are written as plain Python over arrays and scalars and
compiled once per machine (``cache=True``: the machine code is kept in ``__pycache__``, so
later processes load it instead of compiling). They release the interpreter lock, so they
run in parallel in threads.

Inside a kernel, :func:`prefetch` asks the CPU to start reading an item it will need soon:
loops over items scattered through large arrays (index entries that miss the caches and the
TLB) first hint a group of items, then read them, so that their misses overlap instead of
waiting for one another.

Set ``NUMBA_DISABLE_JIT=1`` to run them as plain Python (slow; for debugging).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import numba
import numpy.typing as npt
from llvmlite import ir  # type: ignore[import-untyped]
from numba.core import cgutils, types
from numba.extending import intrinsic

__all__ = ["kernel", "prefetch"]

F = TypeVar("F", bound=Callable[..., Any])


def kernel(function: F) -> F:
    """``function`` compiled to machine code (numba ``njit``: no Python objects inside, the
    interpreter lock released, cached on disk), with its signature kept for type checkers."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(function))


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
