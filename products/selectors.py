"""Reads of the registry: scoped lists with filters, readiness, curation queue, history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext

from bumdes_export.reference.selectors import disadvantaged_regency_codes
from products import access
from products.access import AnyUser
from products.models import (
    Bumdes,
    Certificate,
    HistoryEntry,
    Product,
    ProductPhoto,
)
from products.readiness import ProductFacts, Readiness, RuleSpec, evaluate
from products.readiness import selectors as readiness_selectors

PRODUCT_ORDERINGS: dict[str, list[str | OrderBy]] = {
    "name": ["name_id", "id"],
    "-name": ["-name_id", "-id"],
    "newest": ["-created_at", "-id"],
    "oldest": ["created_at", "id"],
    "capacity": [F("capacity_base").desc(nulls_last=True), "id"],
    "readiness": ["-readiness_score", "id"],
    "updated": ["-updated_at", "-id"],
}


def active_rules(on: date | None = None) -> list[RuleSpec]:
    """The rules in force (``products.readiness.selectors.rules_in_force``)."""
    return readiness_selectors.rules_in_force(on)


def facts_of(product: Product, on: date | None = None) -> ProductFacts:
    on = on or timezone.localdate()
    return _facts(
        product,
        product.certificates.select_related("type"),
        set(product.exported_to.values_list("code", flat=True))
        | set(product.target_markets.values_list("code", flat=True)),
        product.photos.exists(),
        on,
        readiness_selectors.templates(),
    )


#: The product columns the readiness facts read (``facts_of_many``).
FACT_COLUMNS = (
    "pk",
    "hs_code_id",
    "form",
    "price",
    "capacity_per_month",
    "available_months",
    "packaging",
    "name_en",
    "description_en",
    "unconfirmed",
    "specification",
    "bumdes__nib",
    "bumdes__npwp",
    "bumdes__legal_status",
    "bumdes__status",
)


def facts_of_many(products: QuerySet[Product], on: date | None = None) -> dict[int, ProductFacts]:
    """The readiness facts of many products (``facts_of`` for each) in five plain queries
    over their columns: no model objects, so a catalogue rebuild of 100,000 stays quick."""
    on = on or timezone.localdate()
    templates = readiness_selectors.templates()
    rows = list(products.order_by().values_list(*FACT_COLUMNS))
    ids = [row[0] for row in rows]
    certificates: dict[int, set[str]] = {}
    destinations: dict[int, set[str]] = {}
    photos: set[int] = set()
    for start in range(0, len(ids), FACTS_BATCH):
        chunk = ids[start : start + FACTS_BATCH]
        for pk, code, valid_from, valid_until in Certificate.objects.filter(
            product_id__in=chunk
        ).values_list("product_id", "type__code", "valid_from", "valid_until"):
            if (valid_from is None or valid_from <= on) and (
                valid_until is None or valid_until >= on
            ):
                certificates.setdefault(pk, set()).add(code)
        for through in (Product.exported_to.through, Product.target_markets.through):
            for pk, country in through.objects.filter(product_id__in=chunk).values_list(
                "product_id", "country_id"
            ):
                destinations.setdefault(pk, set()).add(country)
        photos.update(
            ProductPhoto.objects.filter(product_id__in=chunk).values_list("product_id", flat=True)
        )
    found = {}
    for (
        pk,
        hs,
        form,
        price,
        capacity,
        months,
        packaging,
        name_en,
        description_en,
        unconfirmed,
        specification,
        nib,
        npwp,
        legal_status,
        bumdes_status,
    ) in rows:
        template = readiness_selectors.template_among(templates, hs)
        found[pk] = ProductFacts(
            hs_code=hs,
            form=form,
            destinations=frozenset(destinations.get(pk, ())),
            valid_certificates=frozenset(certificates.get(pk, ())),
            bumdes_nib=bool(nib),
            bumdes_npwp=bool(npwp),
            bumdes_legal_entity=legal_status == Bumdes.LegalStatus.LEGAL_ENTITY,
            bumdes_verified=bumdes_status == Bumdes.Status.VERIFIED,
            has_photo=pk in photos,
            has_price=price is not None,
            has_capacity=bool(capacity),
            has_harvest_calendar=months not in (0,),
            has_packaging=bool(packaging),
            has_english=bool(name_en and description_en),
            unconfirmed=frozenset(unconfirmed or ()),
            specification=dict(specification or {}),
            template_fields=template.keys if template else frozenset(),
        )
    return found


#: Products per query of ``facts_of_many``'s certificates, markets and photos.
FACTS_BATCH = 5000


def _facts(
    product: Product,
    certificates: Iterable[Certificate],
    destinations: set[str],
    has_photo: bool,
    on: date,
    templates: list[readiness_selectors.Template],
) -> ProductFacts:
    bumdes = product.bumdes
    template = readiness_selectors.template_among(templates, product.hs_code_id)
    return ProductFacts(
        hs_code=product.hs_code_id,
        form=product.form,
        destinations=frozenset(destinations),
        valid_certificates=frozenset(c.type.code for c in certificates if c.is_valid(on)),
        bumdes_nib=bool(bumdes.nib),
        bumdes_npwp=bool(bumdes.npwp),
        bumdes_legal_entity=bumdes.legal_status == Bumdes.LegalStatus.LEGAL_ENTITY,
        bumdes_verified=bumdes.status == Bumdes.Status.VERIFIED,
        has_photo=has_photo,
        has_price=product.price is not None,
        has_capacity=bool(product.capacity_per_month),
        has_harvest_calendar=product.available_months not in (0,),
        has_packaging=bool(product.packaging),
        has_english=bool(product.name_en and product.description_en),
        unconfirmed=frozenset(product.unconfirmed or ()),
        specification=dict(product.specification or {}),
        template_fields=template.keys if template else frozenset(),
    )


def readiness_of(product: Product) -> Readiness:
    return evaluate(facts_of(product), active_rules())


def market_matrix(product: Product) -> list[readiness_selectors.MarketRow]:
    """The product's readiness per destination (see ``products.readiness.markets``)."""
    return readiness_selectors.market_matrix(product, facts_of(product), active_rules())


def product_list(
    user: AnyUser,
    *,
    q: str = "",
    province: str = "",
    regency: str = "",
    hs_chapter: str = "",
    status: str = "",
    disadvantaged: bool | None = None,
    certificate: str = "",
    bumdes: int | None = None,
    ordering: str = "name",
) -> QuerySet[Product]:
    qs = access.visible_products(user).select_related(
        "bumdes", "bumdes__village", "bumdes__village__parent__parent", "hs_code"
    )
    if q:
        qs = qs.filter(
            Q(name_id__icontains=q) | Q(name_en__icontains=q) | Q(bumdes__name__icontains=q)
        )
    qs = narrow_products(
        qs, province=province, regency=regency, hs_chapter=hs_chapter, disadvantaged=disadvantaged
    )
    if status:
        qs = qs.filter(status=status)
    if bumdes:
        qs = qs.filter(bumdes_id=bumdes)
    if certificate:
        today = timezone.localdate()
        valid = Certificate.objects.filter(product=OuterRef("pk"), type__code=certificate).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        qs = qs.filter(Exists(valid))
    return qs.order_by(*PRODUCT_ORDERINGS.get(ordering, PRODUCT_ORDERINGS["name"]))


def bumdes_list(
    user: AnyUser, *, q: str = "", province: str = "", regency: str = "", status: str = ""
) -> QuerySet[Bumdes]:
    qs = access.visible_bumdes(user).select_related("village", "village__parent__parent")
    if q:
        qs = qs.filter(name__icontains=q)
    qs = narrow_bumdes(qs, province=province, regency=regency)
    if status:
        qs = qs.filter(status=status)
    return qs


def editable_bumdes(user: AnyUser) -> QuerySet[Bumdes]:
    """The BUMDes this user may add products to, by name: whoever reads a BUMDes in the
    registry may also edit it (``access.can_edit_bumdes``)."""
    return access.visible_bumdes(user).select_related("village").order_by("name", "id")


def curation_queue(user: AnyUser) -> dict[str, QuerySet[Bumdes] | QuerySet[Product]]:
    """What waits for ministry staff: submitted BUMDes and products, verified products."""
    products = access.visible_products(user).select_related("bumdes", "hs_code")
    return {
        "bumdes": access.visible_bumdes(user)
        .filter(status=Bumdes.Status.SUBMITTED)
        .select_related("village")
        .order_by("updated_at"),
        "submitted": products.filter(status=Product.Status.SUBMITTED).order_by("updated_at"),
        "verified": products.filter(status=Product.Status.VERIFIED).order_by("updated_at"),
    }


def product_detail(user: AnyUser, pk: int) -> Product:
    return (
        access.visible_products(user)
        .select_related("bumdes", "bumdes__village__parent__parent__parent", "hs_code")
        .prefetch_related(
            "photos",
            "exported_to",
            "target_markets",
            Prefetch("certificates", queryset=Certificate.objects.select_related("type")),
        )
        .get(pk=pk)
    )


def product_history(product: Product) -> QuerySet[HistoryEntry]:
    return product.history.select_related("actor")


def bumdes_history(bumdes: Bumdes) -> QuerySet[HistoryEntry]:
    return bumdes.history.filter(product__isnull=True).select_related("actor")


def _code_prefix_q(field: str, code: str) -> Q:
    return Q(**{f"{field}__startswith": f"{code}."})


def narrow_products(
    qs: QuerySet[Product],
    *,
    province: str = "",
    regency: str = "",
    hs_chapter: str = "",
    disadvantaged: bool | None = None,
) -> QuerySet[Product]:
    """Place and HS filters on the region and HS *codes* (a foreign key's ``_id`` column takes
    no ``startswith`` lookup)."""
    village = "bumdes__village__code"
    if province:
        qs = qs.filter(_code_prefix_q(village, province))
    if regency:
        qs = qs.filter(_code_prefix_q(village, regency))
    if hs_chapter:
        qs = qs.filter(hs_code__code__startswith=hs_chapter)
    if disadvantaged is not None:
        regency_q = Q(pk__in=[])
        for code in disadvantaged_regency_codes():
            regency_q |= _code_prefix_q(village, code)
        qs = qs.filter(regency_q) if disadvantaged else qs.exclude(regency_q)
    return qs


def narrow_bumdes(
    qs: QuerySet[Bumdes], *, province: str = "", regency: str = ""
) -> QuerySet[Bumdes]:
    """Place filters of ``bumdes_list`` on the village *code* (see ``narrow_products``)."""
    if province:
        qs = qs.filter(_code_prefix_q("village__code", province))
    if regency:
        qs = qs.filter(_code_prefix_q("village__code", regency))
    return qs


def verification_step(user: AnyUser, bumdes: Bumdes) -> str:
    """The next step towards a verified BUMDes, worded for who reads it: the one who takes it
    is told to, the others who takes it."""
    if bumdes.status == Bumdes.Status.VERIFIED:
        return ""
    if bumdes.status == Bumdes.Status.SUBMITTED:
        if access.can_take_step(user, bumdes, access.CURATE):
            return gettext("The BUMDes waits for your review: verify or return it under Review.")
        return gettext("The BUMDes waits for ministry staff to verify it.")
    if access.can_take_step(user, bumdes, access.SUBMIT):
        if bumdes.status == Bumdes.Status.RETURNED:
            return gettext(
                "The BUMDes was returned: mend what the ministry asked, then submit it again "
                "under Review."
            )
        return gettext("Submit the BUMDes for verification under Review.")
    return gettext("The regional officer submits the BUMDes for verification by ministry staff.")


# --- What verified products teach the HS suggestions ------------------------------------------

#: The most recently changed verified products whose names teach the HS suggestions.
CURATED_NAMES = 5000
CURATED_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)


def curated_names_version() -> str:
    """Changes whenever a product is verified, changed or leaves the verified states."""
    found = Product.objects.filter(status__in=CURATED_STATUSES).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    return f"{found['n']}:{found['last']}"


def curated_names() -> Iterable[tuple[str, str]]:
    """(name, HS subheading) of products ministry staff have verified, newest first: the
    officer's pick of code, confirmed by the ministry."""
    rows = (
        Product.objects.filter(status__in=CURATED_STATUSES)
        .order_by("-updated_at")
        .values_list("name_id", "name_en", "hs_code_id")[:CURATED_NAMES]
    )
    for name_id, name_en, code in rows:
        for name in (name_id, name_en):
            if name:
                yield name, code
