"""The deal and shipment lists with their filters, and the same lists as CSV or XLSX files."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from matchmaking.access import AnyUser
from matchmaking.deals import exports, selectors
from matchmaking.deals.badges import stage_badge
from matchmaking.deals.forms import DealFilterForm
from matchmaking.deals.models import Deal, Shipment
from matchmaking.deals.views.common import (
    badge_deals,
    list_context,
    paginate,
    require_deals,
    require_export,
)
from matchmaking.pages import signed_in


def _deals(user: AnyUser, filters: DealFilterForm) -> QuerySet[Deal]:
    rows = selectors.deal_list(user, filters.filters())
    return selectors.with_shipment_totals(selectors.deals_in_bumdes(rows, filters.bumdes_id()))


def _shipments(user: AnyUser, filters: DealFilterForm) -> QuerySet[Shipment]:
    rows = selectors.shipment_list(user, filters.filters())
    return selectors.shipments_in_bumdes(rows, filters.bumdes_id())


@signed_in
def deal_list(request: HttpRequest) -> HttpResponse:
    require_deals(request.user)
    filters = DealFilterForm(request.GET)
    rows = _deals(request.user, filters)
    page = paginate(request, rows)
    badge_deals(page)
    counts = selectors.stage_counts(rows)
    return render(
        request,
        "matchmaking/deals/deal_list.html",
        {
            "page": page,
            "filters": filters,
            "stages": [
                {"label": label, "count": counts[stage], "badge": stage_badge(stage)}
                for stage, label in Deal.Stage.choices
                if counts[stage]
            ],
            **list_context(request, "deals"),
        },
    )


@signed_in
def shipment_list(request: HttpRequest) -> HttpResponse:
    require_deals(request.user)
    filters = DealFilterForm(request.GET)
    page = paginate(request, _shipments(request.user, filters))
    return render(
        request,
        "matchmaking/deals/shipment_list.html",
        {"page": page, "filters": filters, **list_context(request, "shipments")},
    )


@signed_in
def deal_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    require_export(request.user)
    rows = _deals(request.user, DealFilterForm(request.GET))
    return exports.response(exports.deals_table(rows), "deals", fmt)


@signed_in
def shipment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    require_export(request.user)
    rows = _shipments(request.user, DealFilterForm(request.GET))
    return exports.response(exports.shipments_table(rows), "shipments", fmt)
