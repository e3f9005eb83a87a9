"""Fragments matchmaking puts on the pages of other apps, through their panel slots.

``products.views.PRODUCT_PAGE_PANELS`` / ``BUMDES_PAGE_PANELS`` and
``exporters.views.EXPORTER_PAGE_PANELS`` are lists of callables ``(request, obj) -> HTML``; this
app appends to them in ``MatchmakingConfig.ready()``, so products and exporters never import
matchmaking. Each panel shows only what the viewer may see, and nothing (``""``) when there is
nothing for them.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from bumdes_export.accounts.access import scope_for
from matchmaking import access
from matchmaking.dealings import selectors

PANEL_ROWS = 5


def _render(template: str, context: dict, request) -> SafeString:
    return mark_safe(render_to_string(template, context, request=request))


def product_panel(request, product) -> str:
    """Inquiries, offers and service requests about a product, on its registry page."""
    user = request.user
    if not access.is_on_product_side_role(user):
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
            "can_request": access.may_request_service(user, product),
        },
        request,
    )


def bumdes_panel(request, bumdes) -> str:
    """How the BUMDes' products fare with exporters, on the BUMDes page."""
    if not access.is_on_product_side_role(request.user):
        return ""
    return _render(
        "matchmaking/panels/bumdes.html",
        {"bumdes": bumdes, "summary": selectors.bumdes_summary(request.user, bumdes)},
        request,
    )


def organisation_panel(request, organisation) -> str:
    """An organisation's shortlist, inquiries and requests: for its members and ministry."""
    user = request.user
    if not (scope_for(user).is_ministry or access.is_member(user, organisation)):
        return ""
    return _render(
        "matchmaking/panels/organisation.html",
        {
            "organisation": organisation,
            "summary": selectors.organisation_summary(organisation),
            "is_provider": organisation.kind in access.PROVIDER_KINDS,
            "is_member": access.is_member(user, organisation),
        },
        request,
    )


def catalogue_panel(request, product) -> str:
    """On a catalogue item: shortlist it, ask about it, request a sample, express interest."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return _render("matchmaking/panels/catalogue_anonymous.html", {"product": product}, request)
    if not scope_for(user).is_exporter:
        return ""
    organisation = access.verified_organisation(user)
    context = {
        "product": product,
        "organisation": organisation,
        "verified": organisation is not None,
    }
    if organisation is not None:
        from matchmaking.dealings.models import Inquiry, ShortlistEntry

        # ``product`` may be the catalogue's entry for the product: match on its id.
        context["shortlisted"] = ShortlistEntry.objects.filter(
            organisation=organisation, product_id=product.pk
        ).exists()
        context["conversations"] = Inquiry.objects.filter(
            organisation=organisation, product_id=product.pk
        ).order_by("-last_activity_at")[:PANEL_ROWS]
    return _render("matchmaking/panels/catalogue.html", context, request)


def register() -> list[str]:
    """Fill the page slots of products and exporters. Returns the slots that were filled."""
    filled = []
    from products import views as product_views

    for slot, panel in (
        (product_views.PRODUCT_PAGE_PANELS, product_panel),
        (product_views.BUMDES_PAGE_PANELS, bumdes_panel),
    ):
        if panel not in slot:
            slot.append(panel)
    filled += ["PRODUCT_PAGE_PANELS", "BUMDES_PAGE_PANELS"]
    from products.catalogue import views as catalogue_views

    if catalogue_panel not in catalogue_views.CATALOGUE_PAGE_PANELS:
        catalogue_views.CATALOGUE_PAGE_PANELS.append(catalogue_panel)
    filled.append("CATALOGUE_PAGE_PANELS")
    try:
        from exporters.views import EXPORTER_PAGE_PANELS
    except ImportError:  # the directory pages are not there (yet): nothing to fill
        return filled
    if organisation_panel not in EXPORTER_PAGE_PANELS:
        EXPORTER_PAGE_PANELS.append(organisation_panel)
    filled.append("EXPORTER_PAGE_PANELS")
    return filled
