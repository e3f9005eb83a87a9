"""Reads of deals and shipments, always scoped to what the reader may see
(``matchmaking.deals.access.deals_q``): both sides of a deal, the officers of the product's
region and ministry staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from bumdes_export.accounts.models import User
from exporters.models import Organisation
from exporters.selectors import members_of
from matchmaking.access import AnyUser
from matchmaking.deals import access as deal_access
from matchmaking.deals.models import Deal, DealStep, Shipment
from products.models import Bumdes, Product
from products.services import people_concerned

DEAL_RELATED = (
    "product__bumdes__village__parent__parent__parent",
    "product__hs_code",
    "organisation__country",
    "opened_by",
)
SHIPMENT_RELATED = (
    "deal__product__bumdes__village",
    "deal__organisation",
    "destination",
    "gateway",
    "hs_code",
    "recorded_by",
)


@dataclass
class DealFilters:
    """The filters of the deal and shipment lists (pages, exports and the API share them)."""

    stage: str = ""
    channel: str = ""
    province: str = ""
    hs_chapter: str = ""
    destination: str = ""
    shipped_from: date | None = None
    shipped_until: date | None = None
    product: int | None = None
    organisation: int | None = None
    q: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def visible_deals(user: AnyUser) -> QuerySet[Deal]:
    return Deal.objects.filter(deal_access.deals_q(user))


def visible_shipments(user: AnyUser) -> QuerySet[Shipment]:
    return Shipment.objects.filter(deal_access.deals_q(user, prefix="deal__"))


def _deal_filter_q(filters: DealFilters, prefix: str = "") -> Q:
    q = Q()
    if filters.stage:
        q &= Q(**{f"{prefix}stage": filters.stage})
    if filters.channel:
        q &= Q(**{f"{prefix}channel": filters.channel})
    if filters.province:
        q &= Q(**{f"{prefix}product__bumdes__village__code__startswith": f"{filters.province}."})
    if filters.hs_chapter:
        q &= Q(**{f"{prefix}product__hs_code__code__startswith": filters.hs_chapter[:2]})
    if filters.product:
        q &= Q(**{f"{prefix}product_id": filters.product})
    if filters.organisation:
        q &= Q(**{f"{prefix}organisation_id": filters.organisation})
    if filters.q:
        q &= (
            Q(**{f"{prefix}product__name_id__icontains": filters.q})
            | Q(**{f"{prefix}product__name_en__icontains": filters.q})
            | Q(**{f"{prefix}product__bumdes__name__icontains": filters.q})
            | Q(**{f"{prefix}organisation__legal_name__icontains": filters.q})
        )
    return q


def deal_list(user: AnyUser, filters: DealFilters | None = None) -> QuerySet[Deal]:
    """The deals the user may see, filtered. The destination and period filters keep deals with
    a shipment there and then."""
    filters = filters or DealFilters()
    qs = visible_deals(user).filter(_deal_filter_q(filters))
    shipped = _shipment_filter_q(filters, prefix="shipments__")
    if shipped:
        qs = qs.filter(pk__in=Deal.objects.filter(shipped).values("pk"))
    return qs.select_related(*DEAL_RELATED).order_by("-updated_at", "-id")


def _shipment_filter_q(filters: DealFilters, prefix: str = "") -> Q:
    q = Q()
    if filters.destination:
        q &= Q(**{f"{prefix}destination_id": filters.destination})
    if filters.shipped_from:
        q &= Q(**{f"{prefix}shipped_on__gte": filters.shipped_from})
    if filters.shipped_until:
        q &= Q(**{f"{prefix}shipped_on__lte": filters.shipped_until})
    return q


def shipment_list(user: AnyUser, filters: DealFilters | None = None) -> QuerySet[Shipment]:
    filters = filters or DealFilters()
    return (
        visible_shipments(user)
        .filter(_deal_filter_q(filters, prefix="deal__"), _shipment_filter_q(filters))
        .select_related(*SHIPMENT_RELATED)
        .order_by("-shipped_on", "-id")
    )


def deal_detail(user: AnyUser, pk: int) -> Deal:
    """A deal the user may see, or 404 (its existence is not told to others)."""
    try:
        return visible_deals(user).select_related(*DEAL_RELATED).get(pk=pk)
    except Deal.DoesNotExist:
        raise Http404 from None


def steps_of(deal: Deal) -> QuerySet[DealStep]:
    return deal.steps.select_related("recorded_by", "destination").order_by("occurred_on", "id")


def shipments_of(deal: Deal) -> QuerySet[Shipment]:
    return deal.shipments.select_related("destination", "gateway", "hs_code", "recorded_by")


def open_deal_for(product: Product, organisation: Organisation) -> Deal | None:
    """The open deal of this product and organisation, whichever channel opened it."""
    return (
        Deal.objects.filter(product=product, organisation=organisation)
        .exclude(stage=Deal.Stage.LOST)
        .first()
    )


def deals_for_product(user: AnyUser, product: Product) -> QuerySet[Deal]:
    return deal_list(user, DealFilters(product=product.pk))


def deals_for_bumdes(user: AnyUser, bumdes: Bumdes) -> QuerySet[Deal]:
    return deal_list(user).filter(product__bumdes=bumdes)


def deals_for_organisation(user: AnyUser, organisation: Organisation) -> QuerySet[Deal]:
    return deal_list(user, DealFilters(organisation=organisation.pk))


def people_of(deal: Deal) -> list[User]:
    """Everyone told about a deal: its product's side and the organisation's members."""
    return [*people_concerned(deal.product.bumdes), *members_of(deal.organisation)]


def stage_counts(deals: QuerySet[Deal]) -> dict[str, int]:
    counts = dict.fromkeys(Deal.Stage.values, 0)
    for stage in deals.values_list("stage", flat=True):
        counts[stage] += 1
    return counts
