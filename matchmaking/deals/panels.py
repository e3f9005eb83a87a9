"""Deals on the product, BUMDes and organisation pages, through their panel slots; and the
facilitation requests on the deal page, read through dealings' selector.

Like ``matchmaking.dealings.panels``: ``products.panels.PRODUCT_PAGE_PANELS`` /
``BUMDES_PAGE_PANELS`` and ``exporters.panels.EXPORTER_PAGE_PANELS`` are lists of callables
``(request, obj) -> HTML``; ``register()`` appends to them (called from
``MatchmakingConfig.ready()``). Each panel shows only the deals the viewer may see
(``selectors.deals_for_*``): a few rows with their stage and last shipment, the count and a link
to the list filtered to them. Nothing is shown when there is none, except, on a product's page,
the way to enter a deal made outside the portal for those who may.

This package never imports ``matchmaking.dealings`` (dealings opens deals); so the deal page reads
the facilitation requests a user may see with the function ``register(service_requests=...)``
receives from ``MatchmakingConfig.ready()`` (``dealings.selectors.visible_service_requests``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from exporters import panels as exporter_panels
from exporters.models import Organisation
from matchmaking.access import AnyUser
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors
from matchmaking.deals.badges import stage_badge
from matchmaking.deals.models import Deal
from products import panels as product_panels
from products.models import Bumdes, Product

PANEL_ROWS = 5
TEMPLATE = "matchmaking/deals/panels/deals.html"

#: The facilitation requests a user may read, as a queryset (set by ``register``).
ServiceRequestReader = Callable[[AnyUser], QuerySet[Any]]
_service_request_readers: list[ServiceRequestReader] = []


def service_requests_on(user: AnyUser, deal: Deal) -> list[Any]:
    """The facilitation requests on ``deal`` that ``user`` may read (none when no reader was
    registered)."""
    if not _service_request_readers:
        return []
    rows = _service_request_readers[-1](user).filter(deal=deal)
    return list(rows.select_related("provider", "requested_by").order_by("-updated_at", "-id"))


def _list_url(**params: int) -> str:
    return f"{reverse('deals:deal_list')}?{urlencode(params)}"


def _render(
    request: HttpRequest,
    deals: QuerySet[Deal],
    *,
    kind: str,
    list_url: str,
    new_url: str = "",
) -> str:
    if not getattr(request.user, "is_authenticated", False):
        return ""
    rows = list(selectors.with_shipment_totals(deals)[:PANEL_ROWS])
    if not rows and not new_url:
        return ""
    counts = selectors.stage_counts(deals) if rows else {}
    for deal in rows:
        deal.badge = stage_badge(deal.stage)  # type: ignore[attr-defined]
    return mark_safe(
        render_to_string(
            TEMPLATE,
            {
                "deals": rows,
                "count": sum(counts.values()),
                "stages": [
                    {"label": label, "count": counts[stage], "badge": stage_badge(stage)}
                    for stage, label in Deal.Stage.choices
                    if counts.get(stage)
                ],
                "kind": kind,
                "list_url": list_url,
                "new_url": new_url,
            },
            request=request,
        )
    )


def product_deals_panel(request: HttpRequest, product: Product) -> str:
    user = request.user
    new_url = ""
    if selectors.outside_deal_products(user).filter(pk=product.pk).exists():
        new_url = f"{reverse('deals:deal_new')}?{urlencode({'product': product.pk})}"
    return _render(
        request,
        selectors.deals_for_product(user, product),
        kind="product",
        list_url=_list_url(product=product.pk),
        new_url=new_url,
    )


def bumdes_deals_panel(request: HttpRequest, bumdes: Bumdes) -> str:
    return _render(
        request,
        selectors.deals_for_bumdes(request.user, bumdes),
        kind="bumdes",
        list_url=_list_url(bumdes=bumdes.pk),
    )


def organisation_deals_panel(request: HttpRequest, organisation: Organisation) -> str:
    user = request.user
    new_url = ""
    if (
        deal_access.may_record_outside_deal(user)
        and selectors.deal_organisations().filter(pk=organisation.pk).exists()
    ):
        new_url = f"{reverse('deals:deal_new')}?{urlencode({'organisation': organisation.pk})}"
    return _render(
        request,
        selectors.deals_for_organisation(user, organisation),
        kind="organisation",
        list_url=_list_url(organisation=organisation.pk),
        new_url=new_url,
    )


def register(service_requests: ServiceRequestReader | None = None) -> list[str]:
    """Fill the page slots of products and exporters; keep ``service_requests`` (the reader of
    the facilitation requests a user may see) for the deal page. Returns the slots filled."""
    if service_requests is not None and service_requests not in _service_request_readers:
        _service_request_readers.append(service_requests)
    for slot, panel in (
        (product_panels.PRODUCT_PAGE_PANELS, product_deals_panel),
        (product_panels.BUMDES_PAGE_PANELS, bumdes_deals_panel),
        (exporter_panels.EXPORTER_PAGE_PANELS, organisation_deals_panel),
    ):
        if panel not in slot:
            slot.append(panel)
    return ["PRODUCT_PAGE_PANELS", "BUMDES_PAGE_PANELS", "EXPORTER_PAGE_PANELS"]
