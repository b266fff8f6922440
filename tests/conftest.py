"""Shared fixtures.

Conformance samples live in ``../shared/conformance`` beside the checkout (CI has it; a fresh
clone of the project alone does not). Tests that read them take the ``conformance_dir`` fixture
and skip with a clear reason when it is absent; the golden files under ``tests/data`` cover the
same features inside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = Path(os.environ.get("PAXSCREEN_SHARED", ROOT.parent / "shared"))

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    """``../shared/conformance``, or skip: the samples are not part of the repository."""
    path = SHARED / "conformance"
    if not path.is_dir():
        pytest.skip(f"conformance samples not found at {path} (they sit beside the checkout in CI)")
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's own golden files, ``tests/data``."""
    return DATA
