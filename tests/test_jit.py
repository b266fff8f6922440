"""The compiled loops' disk cache is dropped when any source of the package changes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from paxscreen._jit import _drop_stale_cache, kernel


def _package(root: Path) -> tuple[Path, Path]:
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.py").write_text("y = 2\n")
    return root / "sub" / "__pycache__" / "b.f-1.py311.nbi", root / "sub" / "__pycache__" / "b.pyc"


def test_cached_kernels_outlive_unchanged_sources_only(tmp_path: Path) -> None:
    cached, compiled = _package(tmp_path)
    cached.write_bytes(b"index")
    compiled.write_bytes(b"bytecode")
    _drop_stale_cache(tmp_path)  # no stamp yet: whatever is cached may be stale
    assert not cached.exists()
    assert compiled.exists()  # Python's own cache is not numba's to drop
    cached.write_bytes(b"index")
    _drop_stale_cache(tmp_path)
    assert cached.exists()
    (tmp_path / "a.py").write_text("x = 3\n")  # another file than the kernel's own
    _drop_stale_cache(tmp_path)
    assert not cached.exists()


def test_a_stamp_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    cached, _ = _package(tmp_path)
    cached.write_bytes(b"index")
    (tmp_path / "__pycache__").write_text("a file where the stamp's folder would be")
    _drop_stale_cache(tmp_path)
    assert not cached.exists()
    cached.write_bytes(b"index")
    _drop_stale_cache(tmp_path)  # no stamp kept: dropped again
    assert not cached.exists()


def test_a_kernel_computes_what_the_plain_function_does() -> None:
    def total(values: np.ndarray) -> float:  # type: ignore[type-arg]
        out = 0.0
        for v in values:
            out += v * v
        return out

    values = np.arange(10, dtype=np.float64)
    assert kernel(total)(values) == total(values) == 285.0
