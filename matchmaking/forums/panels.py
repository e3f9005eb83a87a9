"""Forum outcomes on the product, BUMDes and exporter pages, through their panel slots.

Like ``matchmaking.dealings.panels``: ``products.panels.PRODUCT_PAGE_PANELS`` /
``BUMDES_PAGE_PANELS`` and ``exporters.panels.EXPORTER_PAGE_PANELS`` are lists of callables ``(request, obj) -> HTML``;
``register()`` appends to them (called from ``MatchmakingConfig.ready()``). Each panel shows
only the outcomes the viewer may see (``forum_selectors.outcome_list``), and nothing when there
are none. ``register()`` also offers meeting requests on an organisation's recommended products
(``matching.actions.register_opening``), since matching never imports forums.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from exporters import panels as exporter_panels
from matchmaking.forums import selectors
from matchmaking.matching import actions as matching_actions
from products import panels as product_panels

PANEL_ROWS = 5
TEMPLATE = "matchmaking/forums/panels/outcomes.html"


def _render(request, outcomes, title_kind: str) -> SafeString | str:
    if not getattr(request.user, "is_authenticated", False):
        return ""
    rows = list(outcomes.select_related("meeting__forum", "destination")[:PANEL_ROWS])
    if not rows:
        return ""
    return mark_safe(
        render_to_string(
            TEMPLATE,
            {
                "outcomes": rows,
                "count": outcomes.count(),
                "stages": selectors.stage_counts(outcomes),
                "title_kind": title_kind,
            },
            request=request,
        )
    )


def product_outcomes_panel(request, product) -> str:
    return _render(request, selectors.outcomes_for_product(request.user, product), "product")


def bumdes_outcomes_panel(request, bumdes) -> str:
    return _render(request, selectors.outcomes_for_bumdes(request.user, bumdes), "bumdes")


def organisation_outcomes_panel(request, organisation) -> str:
    return _render(
        request, selectors.outcomes_for_organisation(request.user, organisation), "organisation"
    )


def register() -> list[str]:
    """Fill the page slots of products and exporters, and offer meeting requests on the
    organisation's recommended products (``matching.actions``). Returns the slots filled."""
    matching_actions.register_opening(selectors.meeting_openings)
    filled = []
    for slot, panel in (
        (product_panels.PRODUCT_PAGE_PANELS, product_outcomes_panel),
        (product_panels.BUMDES_PAGE_PANELS, bumdes_outcomes_panel),
    ):
        if panel not in slot:
            slot.append(panel)
    filled += ["PRODUCT_PAGE_PANELS", "BUMDES_PAGE_PANELS"]
    if organisation_outcomes_panel not in exporter_panels.EXPORTER_PAGE_PANELS:
        exporter_panels.EXPORTER_PAGE_PANELS.append(organisation_outcomes_panel)
    filled.append("EXPORTER_PAGE_PANELS")
    return filled
