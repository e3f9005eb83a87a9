"""The dashboard's cache of what it counts from the shipments for a period.

A period's totals (by commodity, destination, province, month, top BUMDes and organisations)
are counted from up to 100,000 shipments; the dashboard, a province's page, their exports and the
API ask for the same ones, so each is kept (in the process and in the cache all processes share,
``products.catalogue.selectors.shared_cache``) under the tallies' count time: when a deal changes,
its regency is counted again, the time moves and every entry kept before is left to expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache

from matchmaking.access import AnyUser
from matchmaking.oversight import selectors, tallies
from products.catalogue.selectors import shared_cache

T = TypeVar("T")
NEVER = tallies.NEVER
#: How long an entry is kept at most (the hourly count moves the generation anyway).
SECONDS = 3600


def generation(counted: datetime | None = None) -> str:
    """What the entries kept now are valid for: the time the country's tallies were added up
    (``counted``, when the caller has read it already)."""
    return tallies.count_time(counted or tallies.counted_at())


def reader_key(user: AnyUser) -> str:
    """Who reads, as far as the figures go: all of them (ministry staff), a region's (an
    officer), none (anyone else)."""
    region = selectors.reading_region(user)
    if region is None:
        return "-"
    return region or "all"


def remembered(
    name: str,
    parts: tuple[object, ...],
    compute: Callable[[], T],
    *,
    seconds: int = SECONDS,
    kept_for: str | None = None,
) -> T:
    """``compute()``, kept under ``name``, ``parts`` and the generation (``kept_for``: the
    generation already read for this request) for at most ``seconds``."""
    digest = hashlib.sha1(repr((kept_for or generation(), parts)).encode(), usedforsecurity=False)
    key = f"oversight:{name}:{digest.hexdigest()}"
    value = cache.get(key)
    if value is not None:
        return value  # type: ignore[no-any-return]
    shared = shared_cache()
    value = shared.get(key)
    if value is None:
        value = compute()
        shared.set(key, value, seconds)
    cache.set(key, value, seconds)
    return value  # type: ignore[no-any-return]
