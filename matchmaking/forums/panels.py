"""What forums add to other packages' pages.

What meetings led to are deals now: the deals package's panels show them on the product, BUMDes
and organisation pages (``matchmaking.deals``), so forums fill no page slot of their own any more.
``register()`` (called from ``MatchmakingConfig.ready()``) offers meeting requests on an
organisation's recommended products (``matching.actions.register_opening``), since matching never
imports forums.
"""

from __future__ import annotations

from matchmaking.forums import selectors
from matchmaking.matching import actions as matching_actions


def register() -> list[str]:
    """Offer meeting requests on the organisation's recommended products (``matching.actions``).
    Returns the page slots filled (none)."""
    matching_actions.register_opening(selectors.meeting_openings)
    return []
