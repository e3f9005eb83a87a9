"""What the dealings pages share: paging, status badges, the tabs, links to products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from exporters.models import Organisation
from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings.services import DealOpening
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal
from matchmaking.pages import signed_in
from products.models import Product

PAGE_SIZE = 25

BADGES = {
    # inquiries
    "open": "warn",
    "answered": "ok",
    "sample_sent": "ok",
    "closed": "",
    # buying requests
    "expired": "",
    # offers
    "submitted": "warn",
    "accepted": "ok strong",
    "declined": "danger",
    # service requests
    "requested": "warn",
    "in_progress": "ok",
    "completed": "ok strong",
    "cancelled": "",
}


def paginate(request: HttpRequest, rows: Iterable[Any]) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def set_badge(obj: Any, status: str | None = None) -> None:
    """Give a row the badge class of its status (or of ``status``)."""
    obj.badge = BADGES.get(status or obj.status, "")


def tab_context(request: HttpRequest, current: str) -> dict[str, Any]:
    return {
        "current_tab": current,
        "is_exporter": access.is_exporter_account(request.user),
        "may_see_shortlist": dealings_access.may_see_shortlist(request.user),
        "pending": access.is_pending_exporter(request.user),
    }


def open_deal(user: AnyUser, product: Product, organisation: Organisation) -> Deal | None:
    """The open deal of a product and organisation, when there is one the user may see (a page
    then links it instead of offering to open one)."""
    deal = deal_selectors.open_deal_for(product, organisation)
    return deal if deal is not None and deal_access.may_see_deal(user, deal) else None


def deal_opened(request: HttpRequest, opening: DealOpening) -> HttpResponse:
    """After opening a deal from a dealing: to the deal's page, saying whether it is new."""
    if opening.created:
        messages.success(request, _("The deal is opened. Record its next steps here."))
    else:
        messages.info(
            request, _("This product and organisation already had an open deal; this is it.")
        )
    return redirect("deals:deal_detail", pk=opening.deal.pk)


def error_messages(form: BaseForm) -> list[str]:
    """Every message on a form (its fields' and its own), for pages that list them."""
    return [str(message) for errors in form.errors.values() for message in errors]


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    return redirect("matchmaking:inbox")
