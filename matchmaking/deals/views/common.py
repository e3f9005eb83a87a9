"""What the deal pages share: paging, stage badges, the filters, links to products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from matchmaking.access import AnyUser
from matchmaking.deals import access as deal_access
from matchmaking.deals.badges import stage_badge
from matchmaking.deals.models import Deal

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows: Iterable[Any]) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def badge_deals(deals: Iterable[Deal]) -> None:
    for deal in deals:
        deal.badge = stage_badge(deal.stage)  # type: ignore[attr-defined]


def require_deals(user: AnyUser) -> None:
    """The lists and their downloads are for those with a side in deals."""
    if not deal_access.has_deals(user):
        raise PermissionDenied(
            _(
                "Deals are followed by ministry staff, regional officers, BUMDes operators and "
                "the members of exporter and buyer organisations."
            )
        )


def require_export(user: AnyUser) -> None:
    if not deal_access.may_export_deals(user):
        raise PermissionDenied


def list_context(request: HttpRequest, tab: str) -> dict[str, Any]:
    user = request.user
    return {
        "tab": tab,
        "may_record_outside": deal_access.may_record_outside_deal(user),
        "may_export": deal_access.may_export_deals(user),
    }
