"""The dashboard's tests build their worlds with factories and ORM updates, which announce no
change: the tallies are counted again before every read here, so that each test reads what its
data makes. ``test_tallies`` shows that the portal's own writes keep them counted."""

from __future__ import annotations

from typing import Any

import pytest

from matchmaking.oversight import tallies

READERS = ("figures_of", "counts_by_region", "gaps_of", "counted_at")


@pytest.fixture(autouse=True)
def counted_before_reading(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    if request.node.get_closest_marker("tallies_as_kept"):
        return
    for name in READERS:
        original = getattr(tallies, name)

        def counted(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            tallies.refresh_all()
            return _original(*args, **kwargs)

        monkeypatch.setattr(tallies, name, counted)
