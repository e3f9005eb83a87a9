"""Reads of matchmaking: every list scoped to what the reader may see.

- Exporters see their own organisation's shortlist, inquiries and buying requests (with every
  offer on them), and, for a service provider, the service requests addressed to it.
- Regional officers see what concerns products in their region; operators what concerns their
  BUMDes' products; ministry staff everything.
- Buying requests reach the product side by HS heading: officers and operators see the open,
  unexpired requests whose heading (first four digits) matches a verified or export-ready product
  on their side.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from bumdes_export.accounts.access import scope_for
from exporters.models import Organisation
from matchmaking import access
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from products.models import Product

#: Products that may answer a buying request.
OFFERABLE_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)


def _none(model):
    return model.objects.none()


# --- Shortlist -------------------------------------------------------------------------------


def shortlist(user) -> QuerySet[ShortlistEntry]:
    organisation = access.organisation_of(user)
    if organisation is None:
        return _none(ShortlistEntry)
    return ShortlistEntry.objects.filter(organisation=organisation).select_related(
        "product__bumdes__village__parent__parent", "product__hs_code", "added_by"
    )


def shortlisted_product_ids(user) -> set[int]:
    return set(shortlist(user).values_list("product_id", flat=True))


# --- Inquiries -------------------------------------------------------------------------------


def inquiries_q(user) -> Q:
    """The inquiries a user may read."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return Q(organisation=organisation) if organisation else Q(pk__in=[])
    return access.product_side_q(user)


def visible_inquiries(user) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(inquiries_q(user))


def inquiry_list(
    user, *, status: str = "", kind: str = "", product: int | None = None, q: str = ""
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


def inquiry_detail(user, pk: int) -> Inquiry:
    return (
        visible_inquiries(user)
        .select_related("product__bumdes__village", "product__hs_code", "organisation")
        .get(pk=pk)
    )


def inquiry_messages(inquiry: Inquiry):
    return inquiry.messages.select_related("author")


def inquiry_counts(user) -> dict[str, int]:
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


# --- Buying requests and offers --------------------------------------------------------------


def responder_headings(user) -> set[str]:
    """HS headings of the verified or export-ready products on the user's side."""
    codes = (
        Product.objects.filter(access.product_side_q(user, prefix=""))
        .filter(status__in=OFFERABLE_STATUSES)
        .values_list("hs_code_id", flat=True)
        .distinct()
    )
    return {code[:4] for code in codes}


def live_q(prefix: str = "") -> Q:
    """Open buying requests that have not passed their ``valid_until`` date."""
    return Q(**{f"{prefix}status": BuyingRequest.Status.OPEN}) & Q(
        **{f"{prefix}valid_until__gte": timezone.localdate()}
    )


def visible_buying_requests(user) -> QuerySet[BuyingRequest]:
    scope = scope_for(user)
    qs = BuyingRequest.objects.all()
    if not scope.authenticated:
        return qs.none()
    if scope.is_ministry:
        return qs
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return qs.filter(organisation=organisation) if organisation else qs.none()
    if not access.is_on_product_side_role(user):
        return qs.none()
    headings = responder_headings(user)
    if not headings:
        return qs.none()
    return (
        qs.filter(live_q())
        .annotate(heading_code=Substr("hs_code_id", 1, 4))
        .filter(heading_code__in=sorted(headings))
    )


def buying_request_list(user, *, status: str = "", q: str = "") -> QuerySet[BuyingRequest]:
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


def buying_request_detail(user, pk: int) -> BuyingRequest:
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


def offers_q(user) -> Q:
    """Offers a user may read: on their organisation's requests, or from their side's products."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return Q(buying_request__organisation=organisation) if organisation else Q(pk__in=[])
    return access.product_side_q(user)


def visible_offers(user) -> QuerySet[Offer]:
    return Offer.objects.filter(offers_q(user)).select_related(
        "product__bumdes__village", "buying_request__organisation", "created_by"
    )


def offers_on(user, buying_request: BuyingRequest) -> QuerySet[Offer]:
    return visible_offers(user).filter(buying_request=buying_request)


def offerable_products(user, buying_request: BuyingRequest) -> QuerySet[Product]:
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


def service_requests_q(user) -> Q:
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_exporter:
        organisation = access.organisation_of(user)
        return Q(provider=organisation) if organisation else Q(pk__in=[])
    return access.product_side_q(user)


def visible_service_requests(user) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(service_requests_q(user))


def service_request_list(
    user, *, status: str = "", service: str = "", product: int | None = None
) -> QuerySet[ServiceRequest]:
    qs = visible_service_requests(user).select_related(
        "provider", "product__bumdes__village", "requested_by"
    )
    if status:
        qs = qs.filter(status=status)
    if service:
        qs = qs.filter(service=service)
    if product:
        qs = qs.filter(product_id=product)
    return qs.order_by("-updated_at", "-id")


def service_request_detail(user, pk: int) -> ServiceRequest:
    return (
        visible_service_requests(user)
        .select_related("provider", "product__bumdes__village", "requested_by")
        .get(pk=pk)
    )


def service_request_notes(service_request: ServiceRequest):
    return service_request.notes.select_related("author")


def providers(service: str = "") -> QuerySet[Organisation]:
    """Verified service providers and platforms offering a service (``service``, or any)."""
    rows = Organisation.objects.filter(
        kind__in=access.PROVIDER_KINDS, status=Organisation.Status.VERIFIED
    ).order_by("legal_name", "id")
    # ``services`` is a JSON list; SQLite has no JSON containment lookup, so filter here.
    ids = [o.pk for o in rows if (service in (o.services or []) if service else o.services)]
    return rows.filter(pk__in=ids)


# --- Panels ----------------------------------------------------------------------------------


def product_activity(user, product: Product) -> dict:
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


def bumdes_summary(user, bumdes) -> dict:
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


def organisation_summary(organisation: Organisation) -> dict:
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
