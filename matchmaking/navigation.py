"""Matchmaking's links (dealings, forums, match scores) in the navigation and on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import is_signed_in
from bumdes_export.core.navigation import HOME_ACTIONS, NAV_ITEMS, NAV_TOOLS, Link, register
from matchmaking.dealings import access as dealings_access
from matchmaking.deals import access as deal_access
from matchmaking.matching import access as matching_access
from matchmaking.oversight import access as oversight_access
from products import access as product_access


def register_links() -> None:
    register(
        NAV_ITEMS,
        Link(5, "oversight:dashboard", _("Dashboard"), oversight_access.opens_dashboard),
        Link(70, "matchmaking:index", _("Inquiries and requests"), is_signed_in),
        Link(75, "deals:deal_list", _("Deals"), deal_access.has_deals),
        Link(80, "forums:forum_list", _("Forums"), is_signed_in),
        Link(
            90,
            "matching:recommendations",
            _("Recommendations"),
            matching_access.has_own_recommendations,
        ),
        Link(100, "matching:region", _("Matches"), product_access.uses_registry),
    )
    register(
        NAV_TOOLS,
        Link(20, "matching:gaps", _("Gaps"), matching_access.may_tune_matching),
        Link(30, "matching:weights", _("Match weights"), matching_access.may_tune_matching),
    )
    register(
        HOME_ACTIONS,
        Link(
            40,
            "matchmaking:index",
            _("Inquiries and requests"),
            dealings_access.has_dealings_to_follow,
        ),
    )
