"""Demo matchmaking, loaded after the products and exporters demos (``load_demo_data``):
the dealings (conversations, a buying request, facilitation), then the forum of the story, then
a full rescore so the demo shows match scores at once."""

from __future__ import annotations

from django.db import transaction

from matchmaking.dealings import demo as dealings_demo
from matchmaking.forums import demo as forums_demo
from matchmaking.matching import tasks


def load() -> list[tuple[str, str]]:
    accounts = dealings_demo.load()
    if not accounts:
        return []  # the products or exporters demo is not there (yet)
    accounts += forums_demo.load()
    # Every demo product scored as soon as the demo is committed (tasks run in-process in the
    # embedded mode).
    transaction.on_commit(lambda: tasks.start_full_run())
    return accounts
