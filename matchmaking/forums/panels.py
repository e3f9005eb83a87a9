"""Forum outcomes on the product, BUMDes and exporter pages, through their panel slots.

Like ``matchmaking.dealings.panels``: ``products.views.PRODUCT_PAGE_PANELS`` / ``BUMDES_PAGE_PANELS`` and
``exporters.views.EXPORTER_PAGE_PANELS`` are lists of callables ``(request, obj) -> HTML``;
``register()`` appends to them (called from ``MatchmakingConfig.ready()``). Each panel shows
only the outcomes the viewer may see (``forum_selectors.outcome_list``), and nothing when there
are none.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from matchmaking.forums import selectors as selectors

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
    """Fill the page slots of products and exporters. Returns the slots that were filled."""
    filled = []
    from products import views as product_views

    for slot, panel in (
        (product_views.PRODUCT_PAGE_PANELS, product_outcomes_panel),
        (product_views.BUMDES_PAGE_PANELS, bumdes_outcomes_panel),
    ):
        if panel not in slot:
            slot.append(panel)
    filled += ["PRODUCT_PAGE_PANELS", "BUMDES_PAGE_PANELS"]
    try:
        from exporters.views import EXPORTER_PAGE_PANELS
    except ImportError:  # the directory pages are not there: nothing to fill
        return filled
    if organisation_outcomes_panel not in EXPORTER_PAGE_PANELS:
        EXPORTER_PAGE_PANELS.append(organisation_outcomes_panel)
    filled.append("EXPORTER_PAGE_PANELS")
    return filled
