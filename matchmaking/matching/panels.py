"""Match panels on the pages of other apps, through their panel slots.

- the product page (``products.panels.PRODUCT_PAGE_PANELS``): its best exporters and buyers, for
  the product's side only;
- the organisation page (``exporters.panels.EXPORTER_PAGE_PANELS``): its top recommended
  products, for its members and ministry staff;
- the BUMDes page (``products.panels.BUMDES_PAGE_PANELS``): each product's best score and top
  organisation.

``register()`` appends them; ``matchmaking.apps`` calls it after the app's other panels, so the
match panels come below the inquiries and offers. A panel returns ``""`` when the viewer may see
nothing of it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from exporters.panels import EXPORTER_PAGE_PANELS
from matchmaking import access
from matchmaking.matching import access as matching_access
from matchmaking.matching import selectors
from matchmaking.matching.features import MATCHED_KINDS
from matchmaking.matching.selectors import Match
from products import access as product_access
from products import panels as product_panels

#: Query parameter of the product page that also lists the dismissed suggestions.
SHOW_DISMISSED = "dismissed_matches"
#: Matches shown open on the product page; the rest fold under "more".
PRODUCT_OPEN = 5
ORGANISATION_PANEL_ROWS = 5


def _render(template: str, context: dict, request: HttpRequest) -> SafeString:
    return mark_safe(render_to_string(template, context, request=request))


def tone(score: float | None, good: int) -> str:
    """The score bar's colour class: green from the good score on, amber below."""
    if score is None or score <= 0:
        return "low"
    return "high" if score >= good else "mid"


def decorate(match: Match, good: int) -> Match:
    """Add what templates draw: the bar colour and each component's bar width."""
    match.tone = tone(match.score, good)
    match.bars = [
        {
            **component,
            "pct": round(component["points"] * 100 / component["max"]) if component["max"] else 0,
        }
        for component in match.components.values()
    ]
    return match


def product_panel(request: HttpRequest, product) -> str:
    """A product's best exporters and buyers, with why, for the product's side only."""
    user = request.user
    if not product_access.uses_registry(user) or not selectors.can_see_product_matches(
        user, product
    ):
        return ""
    good = selectors.weights().good_score
    result = selectors.product_matches(user, product, include_dismissed=True)
    for match in result.matches:
        decorate(match, good)
    shown = [m for m in result.matches if not m.dismissed]
    dismissed = [m for m in result.matches if m.dismissed]
    show_dismissed = request.GET.get(SHOW_DISMISSED) == "1"
    conversations = selectors.product_conversations(
        product, [m.organisation.pk for m in result.matches]
    )
    for match in result.matches:
        match.conversation = conversations.get(match.organisation.pk)
    return _render(
        "matchmaking/matching/panels/product.html",
        {
            "product": product,
            "result": result,
            "open_matches": shown[:PRODUCT_OPEN],
            "more_matches": shown[PRODUCT_OPEN:],
            "dismissed": dismissed,
            "show_dismissed": show_dismissed,
            "show_param": SHOW_DISMISSED,
            "next": request.path + ("?" + SHOW_DISMISSED + "=1" if show_dismissed else ""),
            "good": good,
        },
        request,
    )


def organisation_panel(request: HttpRequest, organisation) -> str:
    """The organisation's top recommended products: for its members and ministry staff."""
    user = request.user
    if not matching_access.may_see_organisation_matches(user, organisation):
        return ""
    if organisation.kind not in MATCHED_KINDS:
        return ""  # service providers source no products
    good = selectors.weights().good_score
    matches = []
    if organisation.is_verified:
        matches = [
            decorate(m, good)
            for m in selectors.organisation_matches(
                user, organisation, limit=ORGANISATION_PANEL_ROWS
            )
        ]
    return _render(
        "matchmaking/matching/panels/organisation.html",
        {
            "organisation": organisation,
            "matches": matches,
            "verified": organisation.is_verified,
            "is_member": access.is_member(user, organisation),
        },
        request,
    )


def bumdes_panel(request: HttpRequest, bumdes) -> str:
    """Each product of the BUMDes with its best score and top organisation."""
    user = request.user
    if not product_access.uses_registry(user):
        return ""
    rows = selectors.bumdes_products(user, bumdes)
    if not rows:
        return ""
    good = selectors.weights().good_score
    for row in rows:
        row.tone = tone(row.best_score, good)
    return _render(
        "matchmaking/matching/panels/bumdes.html",
        {"bumdes": bumdes, "rows": rows, "good": good},
        request,
    )


def register() -> list[str]:
    """Fill the page slots of products and exporters. Returns the slots that were filled."""
    filled = []
    for slot, panel, name in (
        (product_panels.PRODUCT_PAGE_PANELS, product_panel, "PRODUCT_PAGE_PANELS"),
        (product_panels.BUMDES_PAGE_PANELS, bumdes_panel, "BUMDES_PAGE_PANELS"),
    ):
        if panel not in slot:
            slot.append(panel)
        filled.append(name)
    if organisation_panel not in EXPORTER_PAGE_PANELS:
        EXPORTER_PAGE_PANELS.append(organisation_panel)
    filled.append("EXPORTER_PAGE_PANELS")
    return filled
