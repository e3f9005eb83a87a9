"""Every matching test starts with the engine's caches empty."""

from __future__ import annotations

import pytest

from matchmaking.matching import engine


@pytest.fixture(autouse=True)
def _fresh_engine_context():
    """The engine caches organisations per process, keyed on their versions; factories write
    rows without bumping versions, and ids repeat between tests on SQLite."""
    engine.forget_context()
    yield
    engine.forget_context()
