"""Reads of deals and shipments, always scoped to what the reader may see
(``matchmaking.deals.access.deals_q``): both sides of a deal, the officers of the product's
region and ministry staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from bumdes_export.accounts.models import User
from exporters.models import Organisation
from exporters.selectors import members_of
from matchmaking import access
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


def with_history(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """The deals with their steps and shipments fetched alongside (a fixed number of queries
    for a page of deals)."""
    return deals.prefetch_related(
        Prefetch("steps", queryset=DealStep.objects.select_related("recorded_by")),
        Prefetch(
            "shipments",
            queryset=Shipment.objects.select_related("destination", "gateway", "hs_code"),
        ),
    )


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


def lost_deals_of(user: AnyUser, product: Product, organisation: Organisation) -> QuerySet[Deal]:
    """The deals of this product and organisation that were lost, as far as the user may see
    them (a page shows them before a new deal is opened)."""
    return visible_deals(user).filter(
        product=product, organisation=organisation, stage=Deal.Stage.LOST
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


# --- For the deal pages: list totals, narrowing to a BUMDes, the outside-deal form -----------


def with_shipment_totals(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """Each deal with ``shipment_count``, ``shipped_value_usd`` (the sum of its shipments'
    values) and ``last_shipped_on``."""
    return deals.annotate(
        shipment_count=Count("shipments"),
        shipped_value_usd=Sum("shipments__value_usd"),
        last_shipped_on=Max("shipments__shipped_on"),
    )


def deals_in_bumdes(deals: QuerySet[Deal], bumdes_id: int | None) -> QuerySet[Deal]:
    """The deals of one BUMDes' products (all of them when ``bumdes_id`` is None)."""
    return deals.filter(product__bumdes_id=bumdes_id) if bumdes_id else deals


def shipments_in_bumdes(shipments: QuerySet[Shipment], bumdes_id: int | None) -> QuerySet[Shipment]:
    """The shipments of one BUMDes' products (all of them when ``bumdes_id`` is None)."""
    return shipments.filter(deal__product__bumdes_id=bumdes_id) if bumdes_id else shipments


def outside_deal_products(user: AnyUser) -> QuerySet[Product]:
    """The products a deal made outside the portal may be entered for: verified or export-ready
    products on the user's side (every one for ministry staff, an officer's region's), for those
    who may enter such deals at all."""
    if not deal_access.may_record_outside_deal(user):
        return Product.objects.none()
    return (
        Product.objects.filter(
            access.product_side_q(user, prefix=""),
            status__in=[Product.Status.VERIFIED, Product.Status.EXPORT_READY],
        )
        .select_related("bumdes", "hs_code")
        .order_by("name_id", "pk")
    )


def deal_organisations() -> QuerySet[Organisation]:
    """The organisations on the other side of a deal: verified exporters, aggregators and buyers
    (not service providers or platforms)."""
    return (
        Organisation.objects.filter(status=Organisation.Status.VERIFIED)
        .exclude(kind__in=access.PROVIDER_KINDS)
        .select_related("country")
        .order_by("legal_name", "pk")
    )


def shipment_totals(shipments: list[Shipment]) -> dict[str, Any]:
    """A deal's shipments added up: USD, rupiah (partial when a shipment has no rate), and the
    volume per unit (kg and litres kept apart)."""
    volumes: dict[str, Decimal] = {}
    for shipment in shipments:
        label = str(shipment.get_volume_unit_display())
        volumes[label] = volumes.get(label, Decimal(0)) + shipment.volume
    known_idr = [s.value_idr for s in shipments if s.value_idr is not None]
    return {
        "value_usd": sum((s.value_usd for s in shipments), Decimal(0)),
        "value_idr": sum(known_idr, Decimal(0)),
        "idr_partial": len(known_idr) < len(shipments),
        "volumes": sorted(volumes.items()),
    }
