"""What the dealings pages share: paging, status badges, the tabs, links to products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings import access as dealings_access
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


def product_link(user: AnyUser, product: Product) -> str:
    """The registry page for the product side, the catalogue entry for everyone else; no link
    ("") when the product is not in the catalogue (a service provider helping with a product
    that is not export-ready yet)."""
    if access.may_open_registry_page(user, product):
        return reverse("products:product_detail", args=[product.pk])
    if product.status != Product.Status.EXPORT_READY:
        return ""
    return f"/catalogue/{product.pk}/"


def error_messages(form: BaseForm) -> list[str]:
    """Every message on a form (its fields' and its own), for pages that list them."""
    return [str(message) for errors in form.errors.values() for message in errors]


@signed_in
def index(request: HttpRequest) -> HttpResponse:
    return redirect("matchmaking:inbox")
