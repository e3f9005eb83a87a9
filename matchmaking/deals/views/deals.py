"""The deal page: its history and shipments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matchmaking.deals import selectors
from matchmaking.pages import signed_in


@signed_in
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = selectors.deal_detail(request.user, pk)
    return render(
        request,
        "matchmaking/deals/deal_detail.html",
        {
            "deal": deal,
            "steps": selectors.steps_of(deal),
            "shipments": selectors.shipments_of(deal),
        },
    )
