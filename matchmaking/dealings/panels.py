"""Fragments matchmaking puts on the pages of other apps, through their panel slots.

``products.panels.PRODUCT_PAGE_PANELS`` / ``BUMDES_PAGE_PANELS``,
``products.catalogue.panels.CATALOGUE_PAGE_PANELS`` and ``exporters.panels.EXPORTER_PAGE_PANELS`` are lists of callables ``(request, obj) -> HTML``; this
app appends to them in ``MatchmakingConfig.ready()``, so products and exporters never import
matchmaking. Each panel shows only what the viewer may see, and nothing (``""``) when there is
nothing for them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from exporters import panels as exporter_panels
from exporters.models import Organisation
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors
from products import access as product_access
from products import panels as product_panels
from products.catalogue import panels as catalogue_panels
from products.models import Bumdes, Product

PANEL_ROWS = 5


def _render(template: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    return mark_safe(render_to_string(template, context, request=request))


def product_panel(request: HttpRequest, product: Product) -> str:
    """Inquiries, offers and service requests about a product, on its registry page."""
    user = request.user
    if not product_access.uses_registry(user):
        return ""
    activity = selectors.product_activity(user, product)
    inquiries = activity["inquiries"]
    offers = activity["offers"]
    services = activity["service_requests"]
    matching = activity["matching_requests"]
    return _render(
        "matchmaking/panels/product.html",
        {
            "product": product,
            "inquiries": list(inquiries[:PANEL_ROWS]),
            "inquiry_count": inquiries.count(),
            "offers": list(offers[:PANEL_ROWS]),
            "offer_count": offers.count(),
            "service_requests": list(services[:PANEL_ROWS]),
            "service_request_count": services.count(),
            "matching_count": matching.count(),
            "can_request": dealings_access.may_request_service(user, product),
        },
        request,
    )


def bumdes_panel(request: HttpRequest, bumdes: Bumdes) -> str:
    """How the BUMDes' products fare with exporters, on the BUMDes page."""
    if not product_access.uses_registry(request.user):
        return ""
    return _render(
        "matchmaking/panels/bumdes.html",
        {"bumdes": bumdes, "summary": selectors.bumdes_summary(request.user, bumdes)},
        request,
    )


def organisation_panel(request: HttpRequest, organisation: Organisation) -> str:
    """An organisation's shortlist, inquiries and requests: for its members and ministry."""
    user = request.user
    if not dealings_access.may_see_organisation_dealings(user, organisation):
        return ""
    return _render(
        "matchmaking/panels/organisation.html",
        {
            "organisation": organisation,
            "summary": selectors.organisation_summary(organisation),
            "is_provider": access.is_service_provider(organisation),
            "is_member": access.is_member(user, organisation),
        },
        request,
    )


def catalogue_panel(request: HttpRequest, product: Any) -> str:
    """On a catalogue item: shortlist it, ask about it, request a sample, express interest.

    ``product`` may be the catalogue's entry for the product: only its id (``pk``) is used."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return _render("matchmaking/panels/catalogue_anonymous.html", {"product": product}, request)
    if not access.is_exporter_account(user):
        return ""
    organisation = access.verified_organisation(user)
    context = {
        "product": product,
        "organisation": organisation,
        "verified": organisation is not None,
    }
    if organisation is not None:
        context["shortlisted"] = selectors.is_shortlisted(organisation, product.pk)
        context["conversations"] = selectors.conversations_about(organisation, product.pk)[
            :PANEL_ROWS
        ]
    return _render("matchmaking/panels/catalogue.html", context, request)


def register() -> list[str]:
    """Fill the page slots of products and exporters. Returns the slots that were filled."""
    filled = []
    for slot, panel in (
        (product_panels.PRODUCT_PAGE_PANELS, product_panel),
        (product_panels.BUMDES_PAGE_PANELS, bumdes_panel),
    ):
        if panel not in slot:
            slot.append(panel)
    filled += ["PRODUCT_PAGE_PANELS", "BUMDES_PAGE_PANELS"]
    if catalogue_panel not in catalogue_panels.CATALOGUE_PAGE_PANELS:
        catalogue_panels.CATALOGUE_PAGE_PANELS.append(catalogue_panel)
    filled.append("CATALOGUE_PAGE_PANELS")
    if organisation_panel not in exporter_panels.EXPORTER_PAGE_PANELS:
        exporter_panels.EXPORTER_PAGE_PANELS.append(organisation_panel)
    filled.append("EXPORTER_PAGE_PANELS")
    return filled
