"""Scored data for the match page and panel tests, on the matchmaking ``world``.

``org_a`` (a Hong Kong buyer) wants mud crab exactly (HS 0306.33), ``org_b`` anything of heading
0306; the pending organisation wants crab too but is not scored until verified. The engine is
run directly (the events would run it only after a commit).
"""

from __future__ import annotations

from matchmaking.matching import engine, incremental
from matchmaking.matching.models import ProductMatches


def score_world(world, org_a, org_b, org_pending) -> None:
    org_a.hs_interests.set(["030633"])
    org_b.hs_interests.set(["0306"])
    org_pending.hs_interests.set(["030633"])
    engine.forget_context()  # the cached organisations' table may be another test's
    incremental.rescore_products(
        [world.crab.pk, world.crab_draft.pk, world.oil.pk, world.donggala_crab.pk]
    )
    assert ProductMatches.objects.filter(pk=world.crab.pk, size=2).exists()
