"""Reads of matchmaking: every list scoped to what the reader may see.

- Exporters see their own organisation's shortlist, inquiries and buying requests (with every
  offer on them), the service requests it made and, for a service provider, those addressed to
  it.
- Regional officers see what concerns products in their region (of the service requests: those
  the product's side made); operators what concerns their BUMDes' products; ministry staff
  everything.
- Buying requests reach the product side by HS heading: officers and operators see the open,
  unexpired requests whose heading (first four digits) matches a verified or export-ready product
  on their side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from bumdes_export.accounts.access import code_within, scope_for
from bumdes_export.accounts.models import Role, User
from exporters import selectors as exporter_selectors
from exporters.models import Organisation
from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal
from products import access as product_access
from products.models import Bumdes, Product

M = TypeVar("M", bound=Model)

#: Products that may answer a buying request.
OFFERABLE_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)


def _none(model: type[M]) -> QuerySet[M]:
    return model._default_manager.none()


# --- People ----------------------------------------------------------------------------------


#: The active members of an organisation (the people told about its dealings).
members_of = exporter_selectors.members_of


def responders_for(buying_request: BuyingRequest) -> list[User]:
    """Officers and operators with a verified or export-ready product under the request's
    heading on their side (ministry staff see every request in their lists, without email)."""
    bumdes_ids = set(
        Product.objects.filter(
            status__in=OFFERABLE_STATUSES,
            hs_code__code__startswith=buying_request.heading,
        ).values_list("bumdes_id", flat=True)
    )
    if not bumdes_ids:
        return []
    people: dict[int, User] = {}
    villages = list(Bumdes.objects.filter(pk__in=bumdes_ids).values_list("village_id", flat=True))
    for officer in User.objects.filter(role=Role.OFFICER, is_active=True, region__isnull=False):
        region = officer.region_id
        if region and any(code_within(village, region) for village in villages):
            people[officer.pk] = officer
    for operator in User.objects.filter(
        role=Role.OPERATOR, is_active=True, bumdes_link__bumdes_id__in=bumdes_ids
    ):
        people[operator.pk] = operator
    return list(people.values())


# --- Shortlist -------------------------------------------------------------------------------


def shortlist(user: AnyUser) -> QuerySet[ShortlistEntry]:
    organisation = access.organisation_of(user)
    if organisation is None:
        return _none(ShortlistEntry)
    return ShortlistEntry.objects.filter(organisation=organisation).select_related(
        "product__bumdes__village__parent__parent", "product__hs_code", "added_by"
    )


def shortlisted_product_ids(user: AnyUser) -> set[int]:
    return set(shortlist(user).values_list("product_id", flat=True))


def is_shortlisted(organisation: Organisation, product_id: int) -> bool:
    return ShortlistEntry.objects.filter(organisation=organisation, product_id=product_id).exists()


# --- Inquiries -------------------------------------------------------------------------------


def inquiries_q(user: AnyUser) -> Q:
    """The inquiries a user may read."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return Q(organisation=organisation) if organisation else Q(pk__in=[])
    return access.product_side_q(user)


def visible_inquiries(user: AnyUser) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(inquiries_q(user))


def inquiry_list(
    user: AnyUser, *, status: str = "", kind: str = "", product: int | None = None, q: str = ""
) -> QuerySet[Inquiry]:
    qs = visible_inquiries(user).select_related(
        "product__bumdes__village", "organisation", "created_by"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if product:
        qs = qs.filter(product_id=product)
    if q:
        qs = qs.filter(
            Q(subject__icontains=q)
            | Q(product__name_id__icontains=q)
            | Q(product__name_en__icontains=q)
            | Q(organisation__legal_name__icontains=q)
        )
    return qs.annotate(message_count=Count("messages")).order_by("-last_activity_at", "-id")


def inquiry_detail(user: AnyUser, pk: int) -> Inquiry:
    return (
        visible_inquiries(user)
        .select_related("product__bumdes__village", "product__hs_code", "organisation")
        .get(pk=pk)
    )


def inquiry_messages(inquiry: Inquiry) -> QuerySet[InquiryMessage]:
    return inquiry.messages.select_related("author")


def inquiry_counts(user: AnyUser) -> dict[str, int]:
    """How many visible inquiries are in each status."""
    rows = visible_inquiries(user).values_list("status").annotate(n=Count("id"))
    counts = {status: 0 for status in Inquiry.Status.values}
    counts.update(dict(rows))
    return counts


def active_inquiry(organisation: Organisation, product: Product, kind: str) -> Inquiry | None:
    return (
        Inquiry.objects.filter(organisation=organisation, product=product, kind=kind)
        .exclude(status=Inquiry.Status.CLOSED)
        .first()
    )


def conversations_about(organisation: Organisation, product_id: int) -> QuerySet[Inquiry]:
    """An organisation's conversations about one product, latest activity first."""
    return Inquiry.objects.filter(organisation=organisation, product_id=product_id).order_by(
        "-last_activity_at"
    )


def active_inquiries_by_product(organisation: Organisation | None) -> dict[int, Inquiry]:
    """An organisation's conversations that are not closed, one per product."""
    active: dict[int, Inquiry] = {}
    if organisation is None:
        return active
    for inquiry in Inquiry.objects.filter(organisation=organisation).exclude(
        status=Inquiry.Status.CLOSED
    ):
        active.setdefault(inquiry.product_id, inquiry)
    return active


# --- Buying requests and offers --------------------------------------------------------------


def responder_headings(user: AnyUser) -> set[str]:
    """HS headings of the verified or export-ready products on the user's side."""
    codes = (
        Product.objects.filter(access.product_side_q(user, prefix=""))
        .filter(status__in=OFFERABLE_STATUSES)
        .values_list("hs_code_id", flat=True)
        .distinct()
    )
    return {code[:4] for code in codes}


def catalogue_products() -> QuerySet[Product]:
    """The products organisations can see and act on: the export-ready ones (the catalogue's)."""
    return Product.objects.filter(status=Product.Status.EXPORT_READY).select_related("bumdes")


def live_q(prefix: str = "") -> Q:
    """Open buying requests that have not passed their ``valid_until`` date."""
    return Q(**{f"{prefix}status": BuyingRequest.Status.OPEN}) & Q(
        **{f"{prefix}valid_until__gte": timezone.localdate()}
    )


def visible_buying_requests(user: AnyUser) -> QuerySet[BuyingRequest]:
    scope = scope_for(user)
    qs = BuyingRequest.objects.all()
    if not scope.authenticated:
        return qs.none()
    if scope.is_ministry:
        return qs
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return qs.filter(organisation=organisation) if organisation else qs.none()
    if not product_access.uses_registry(user):
        return qs.none()
    headings = responder_headings(user)
    if not headings:
        return qs.none()
    return (
        qs.filter(live_q())
        .annotate(heading_code=Substr("hs_code_id", 1, 4))
        .filter(heading_code__in=sorted(headings))
    )


def buying_request_list(user: AnyUser, *, status: str = "", q: str = "") -> QuerySet[BuyingRequest]:
    qs = visible_buying_requests(user).select_related("organisation", "hs_code", "destination")
    if status == BuyingRequest.Status.EXPIRED:
        qs = qs.filter(
            Q(status=BuyingRequest.Status.EXPIRED)
            | Q(status=BuyingRequest.Status.OPEN, valid_until__lt=timezone.localdate())
        )
    elif status == BuyingRequest.Status.OPEN:
        qs = qs.filter(live_q())
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.annotate(offer_count=Count("offers")).order_by("-created_at", "-id")


def buying_request_detail(user: AnyUser, pk: int) -> BuyingRequest:
    return (
        visible_buying_requests(user)
        .select_related("organisation", "hs_code", "destination", "created_by")
        .get(pk=pk)
    )


def effective_status(buying_request: BuyingRequest) -> str:
    """``expired`` for an open request past its date, even before the daily job marks it."""
    if (
        buying_request.status == BuyingRequest.Status.OPEN
        and buying_request.valid_until < timezone.localdate()
    ):
        return BuyingRequest.Status.EXPIRED
    return buying_request.status


def offers_q(user: AnyUser) -> Q:
    """Offers a user may read: on their organisation's requests, or from their side's products."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return Q(buying_request__organisation=organisation) if organisation else Q(pk__in=[])
    return access.product_side_q(user)


def visible_offers(user: AnyUser) -> QuerySet[Offer]:
    return Offer.objects.filter(offers_q(user)).select_related(
        "product__bumdes__village", "buying_request__organisation", "created_by"
    )


def offers_on(user: AnyUser, buying_request: BuyingRequest) -> QuerySet[Offer]:
    return visible_offers(user).filter(buying_request=buying_request)


def offerable_products(user: AnyUser, buying_request: BuyingRequest) -> QuerySet[Product]:
    """The user's side's products that may answer this request: same heading, verified or
    export-ready."""
    return (
        Product.objects.filter(access.product_side_q(user, prefix=""))
        .filter(status__in=OFFERABLE_STATUSES, hs_code__code__startswith=buying_request.heading)
        .select_related("bumdes")
        .order_by("name_id", "id")
    )


def matching_buying_requests(product: Product) -> QuerySet[BuyingRequest]:
    """Live buying requests under the product's HS heading."""
    return (
        BuyingRequest.objects.filter(live_q())
        .annotate(heading_code=Substr("hs_code_id", 1, 4))
        .filter(heading_code=product.hs_code_id[:4])
    )


# --- Service requests ------------------------------------------------------------------------


def service_requests_q(user: AnyUser) -> Q:
    """The service requests a user may read: those addressed to the user's organisation or made
    by it; the product side's requests about products on the user's side; requests on a deal the
    user may see (both sides of a deal follow the help asked on it); every one for ministry
    staff."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    on_visible_deal = Q(deal__isnull=False) & deal_access.deals_q(user, prefix="deal__")
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        if organisation is None:
            return Q(pk__in=[])
        return Q(provider=organisation) | Q(requesting_organisation=organisation) | on_visible_deal
    return (access.product_side_q(user) & Q(requesting_organisation__isnull=True)) | on_visible_deal


#: What a service request is shown with: the provider, the product, who asked, the deal.
SERVICE_REQUEST_RELATED = (
    "provider",
    "product__bumdes__village",
    "requested_by",
    "requesting_organisation",
    "deal__product__bumdes",
)


def visible_service_requests(user: AnyUser) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(service_requests_q(user))


def service_request_list(
    user: AnyUser, *, status: str = "", service: str = "", product: int | None = None
) -> QuerySet[ServiceRequest]:
    qs = visible_service_requests(user).select_related(*SERVICE_REQUEST_RELATED)
    if status:
        qs = qs.filter(status=status)
    if service:
        qs = qs.filter(service=service)
    if product:
        qs = qs.filter(product_id=product)
    return qs.order_by("-updated_at", "-id")


def service_request_detail(user: AnyUser, pk: int) -> ServiceRequest:
    return visible_service_requests(user).select_related(*SERVICE_REQUEST_RELATED).get(pk=pk)


def service_request_notes(service_request: ServiceRequest) -> QuerySet[ServiceRequestNote]:
    return service_request.notes.select_related("author")


def providers(service: str = "") -> QuerySet[Organisation]:
    """Verified service providers and platforms offering a service (``service``, or any)."""
    rows = Organisation.objects.filter(
        kind__in=access.PROVIDER_KINDS, status=Organisation.Status.VERIFIED
    ).order_by("legal_name", "id")
    # ``services`` is a JSON list; SQLite has no JSON containment lookup, so filter here.
    ids = [o.pk for o in rows if (service in (o.services or []) if service else o.services)]
    return rows.filter(pk__in=ids)


def sourced_products(organisation: Organisation) -> QuerySet[Product]:
    """The products an organisation sources: those it has an open deal with, an inquiry about
    (of any kind, closed or not), a shortlist entry for, or an accepted offer for."""
    return Product.objects.filter(
        Q(
            pk__in=Deal.objects.filter(organisation=organisation)
            .exclude(stage=Deal.Stage.LOST)
            .values("product_id")
        )
        | Q(pk__in=Inquiry.objects.filter(organisation=organisation).values("product_id"))
        | Q(pk__in=ShortlistEntry.objects.filter(organisation=organisation).values("product_id"))
        | Q(
            pk__in=Offer.objects.filter(
                buying_request__organisation=organisation, status=Offer.Status.ACCEPTED
            ).values("product_id")
        )
    )


def sources(organisation: Organisation, product: Product) -> bool:
    return sourced_products(organisation).filter(pk=product.pk).exists()


def requestable_products(user: AnyUser) -> QuerySet[Product]:
    """The products a user may ask a service for: those on the user's side (officers,
    operators, ministry staff), or those the user's verified organisation sources."""
    if product_access.uses_registry(user):
        qs = Product.objects.filter(access.product_side_q(user, prefix=""))
    else:
        organisation = access.verified_organisation(user)
        qs = sourced_products(organisation) if organisation else _none(Product)
    return qs.select_related("bumdes__village")


def requestable_deals(user: AnyUser, product: Product | None = None) -> QuerySet[Deal]:
    """The deals a user may ask a service on (``access.may_request_service``): the open deals the
    user may record into, of ``product`` when one is named."""
    if product_access.uses_registry(user):
        qs = deal_selectors.visible_deals(user)
    else:
        organisation = access.verified_organisation(user)
        qs = Deal.objects.filter(organisation=organisation) if organisation else _none(Deal)
    if product is not None:
        qs = qs.filter(product=product)
    return qs.exclude(stage=Deal.Stage.LOST).select_related("product", "organisation")


@dataclass(frozen=True)
class Turnaround:
    """How fast a provider answers and completes the requests addressed to it: how many it
    received, answered (accepted or declined) and completed; the median hours from a request to
    its answer and the median days from a request to its completion."""

    requests: int
    answered: int
    median_hours_to_answer: float | None
    completed: int
    median_days_to_complete: float | None


def turnaround(provider: Organisation) -> Turnaround:
    """A provider's turnaround, from the answer and completion times of its requests."""
    return turnaround_of(ServiceRequest.objects.filter(provider=provider))


def turnaround_of(requests: QuerySet[ServiceRequest]) -> Turnaround:
    """The turnaround of any set of requests (a provider's, a region's, one service's)."""
    return turnaround_of_times(list(requests.values_list(*TURNAROUND_TIMES)))


#: The times of a request a turnaround is counted from.
TURNAROUND_TIMES = ("created_at", "answered_at", "completed_at")


def turnaround_of_times(
    rows: list[tuple[datetime, datetime | None, datetime | None]],
) -> Turnaround:
    """The turnaround of requests given by their ``TURNAROUND_TIMES`` (made, answered,
    completed)."""
    to_answer = [(a - c).total_seconds() / 3600 for c, a, _done in rows if a is not None]
    to_complete = [(d - c).total_seconds() / 86400 for c, _a, d in rows if d is not None]
    return Turnaround(
        requests=len(rows),
        answered=len(to_answer),
        median_hours_to_answer=round(median(to_answer), 1) if to_answer else None,
        completed=len(to_complete),
        median_days_to_complete=round(median(to_complete), 1) if to_complete else None,
    )


def turnaround_providers(user: AnyUser) -> QuerySet[Organisation]:
    """The service providers whose turnaround a user follows: every one for ministry staff, the
    user's own organisation for its members."""
    rows = Organisation.objects.filter(kind__in=access.PROVIDER_KINDS).order_by("legal_name", "id")
    if scope_for(user).is_ministry:
        return rows
    organisation = access.organisation_of(user)
    return rows.filter(pk=organisation.pk) if organisation else rows.none()


# --- Panels ----------------------------------------------------------------------------------


def product_activity(user: AnyUser, product: Product) -> dict[str, QuerySet[Any]]:
    """What matchmaking holds about one product, as far as the user may see it."""
    inquiries = inquiry_list(user, product=product.pk)
    offers = visible_offers(user).filter(product=product).select_related("buying_request")
    services = service_request_list(user, product=product.pk)
    return {
        "inquiries": inquiries,
        "offers": offers,
        "service_requests": services,
        "matching_requests": (
            matching_buying_requests(product).filter(
                pk__in=visible_buying_requests(user).values("pk")
            )
            if product.status in OFFERABLE_STATUSES
            else BuyingRequest.objects.none()
        ),
    }


def bumdes_summary(user: AnyUser, bumdes: Bumdes) -> dict[str, int]:
    products = Q(product__bumdes=bumdes)
    inquiries = visible_inquiries(user).filter(products)
    return {
        "inquiries_open": inquiries.filter(status=Inquiry.Status.OPEN).count(),
        "inquiries_total": inquiries.count(),
        "offers": visible_offers(user).filter(products).count(),
        "offers_accepted": visible_offers(user)
        .filter(products, status=Offer.Status.ACCEPTED)
        .count(),
        "service_requests_active": visible_service_requests(user)
        .filter(products)
        .exclude(
            status__in=[
                ServiceRequest.Status.DECLINED,
                ServiceRequest.Status.COMPLETED,
                ServiceRequest.Status.CANCELLED,
            ]
        )
        .count(),
        "shortlisted_by": ShortlistEntry.objects.filter(products)
        .values("organisation")
        .distinct()
        .count(),
    }


def organisation_summary(organisation: Organisation) -> dict[str, Any]:
    inquiries = Inquiry.objects.filter(organisation=organisation)
    return {
        "shortlist": ShortlistEntry.objects.filter(organisation=organisation).count(),
        "inquiries": inquiries.count(),
        "inquiries_open": inquiries.exclude(status=Inquiry.Status.CLOSED).count(),
        "recent_inquiries": inquiries.select_related("product")[:5],
        "buying_requests": BuyingRequest.objects.filter(organisation=organisation).count(),
        "buying_requests_live": BuyingRequest.objects.filter(organisation=organisation)
        .filter(live_q())
        .count(),
        "service_requests": ServiceRequest.objects.filter(provider=organisation).count(),
        "offers_pending": Offer.objects.filter(
            buying_request__organisation=organisation, status=Offer.Status.SUBMITTED
        ).count(),
    }
