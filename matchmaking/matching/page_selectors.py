"""Reads the match pages and panels need beyond ``selectors``: region choices, names,
dismissals as kept, conversations already under way, the ministry's organisation search.

Same rule as ``selectors``: every function that returns matches or dismissals checks access
itself, so a page cannot forget to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from bumdes_export.accounts.access import scope_for
from bumdes_export.reference.models import Region
from exporters.models import Organisation
from matchmaking import access
from matchmaking.dealings.models import Inquiry
from matchmaking.matching import selectors, store
from matchmaking.matching.features import MATCHED_KINDS
from matchmaking.matching.models import MatchDismissal, MatchWeights, ProductMatches
from matchmaking.matching.selectors import ProductSummary
from products.models import Bumdes, Product


def is_matched(organisation: Organisation) -> bool:
    """Organisations the engine scores: verified ones that source products."""
    return organisation.is_verified and organisation.kind in MATCHED_KINDS


def region_choices(user) -> list[tuple[str, str]]:
    """The regions a user may narrow the match list to, widest first.

    Ministry staff: every current province. A province officer: the province and its regencies.
    Anyone else (regency officers, operators): none, their list is one area already.
    """
    scope = scope_for(user)
    current = Region.objects.filter(retired_at__isnull=True)
    if scope.is_ministry:
        rows = current.filter(level=Region.Level.PROVINCE)
    elif scope.is_officer:
        rows = current.filter(
            Q(code=scope.region_code) | Q(parent_id=scope.region_code, level=Region.Level.REGENCY)
        )
    else:
        return []
    choices = [
        (code, f"{code} {name}") for code, name in rows.order_by("code").values_list("code", "name")
    ]
    # A regency officer's only choice is their whole area: nothing to choose.
    return choices if len(choices) > 1 else []


def region_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def regency_code(village_code: str) -> str:
    """``74.02.01.2001`` → ``74.02``: the regency a village lies in."""
    return ".".join(village_code.split(".")[:2])


def bumdes_products(user, bumdes: Bumdes) -> list[ProductSummary]:
    """The BUMDes' products (not drafts) on the user's side, each with its best match."""
    if not access.is_on_product_side_role(user):
        raise PermissionDenied
    products = list(
        Product.objects.filter(access.product_side_q(user, prefix=""), bumdes=bumdes)
        .exclude(status=Product.Status.DRAFT)
        .select_related("hs_code")
        .order_by("name_id", "pk")
    )
    lists = {row.pk: row for row in ProductMatches.objects.filter(pk__in=[p.pk for p in products])}
    tops = {}
    for pk, row in lists.items():
        stored = store.unpack(row.entries)
        if stored:
            tops[pk] = stored[0].organisation_id
    organisations = Organisation.objects.in_bulk(set(tops.values()))
    return [
        ProductSummary(
            product,
            lists[product.pk].best_score / 10 if product.pk in lists else None,
            lists[product.pk].size if product.pk in lists else 0,
            organisations.get(tops.get(product.pk)),
        )
        for product in products
    ]


def organisation_dismissals(user, organisation: Organisation) -> list[MatchDismissal]:
    """Suggestions the organisation's side dismissed, newest first (kept until restored)."""
    if not selectors.can_see_organisation_matches(user, organisation):
        raise PermissionDenied
    return list(
        MatchDismissal.objects.filter(
            organisation=organisation, side=MatchDismissal.Side.ORGANISATION
        ).select_related("product__bumdes__village", "product__hs_code", "dismissed_by")
    )


def active_inquiries(organisation: Organisation, product_ids: Iterable[int]) -> dict[int, int]:
    """Product id → the organisation's open conversation about it, so a page offers to continue
    that conversation rather than start a second one."""
    rows = (
        Inquiry.objects.filter(organisation=organisation, product_id__in=list(product_ids))
        .exclude(status=Inquiry.Status.CLOSED)
        .order_by("-last_activity_at")
        .values_list("product_id", "pk")
    )
    result: dict[int, int] = {}
    for product_id, pk in rows:
        result.setdefault(product_id, pk)
    return result


def product_conversations(product: Product, organisation_ids: Iterable[int]) -> dict[int, int]:
    """Organisation id → its latest conversation about the product (any status)."""
    rows = (
        Inquiry.objects.filter(product=product, organisation_id__in=list(organisation_ids))
        .order_by("-last_activity_at")
        .values_list("organisation_id", "pk")
    )
    result: dict[int, int] = {}
    for organisation_id, pk in rows:
        result.setdefault(organisation_id, pk)
    return result


def find_organisations(user, q: str, *, limit: int = 20) -> QuerySet[Organisation]:
    """Matched organisations by name, for ministry staff choosing whose list to look at."""
    if not scope_for(user).is_ministry:
        raise PermissionDenied
    rows = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=MATCHED_KINDS
    ).select_related("country")
    if q:
        rows = rows.filter(legal_name__icontains=q)
    return rows.order_by("legal_name", "pk")[:limit]


def weights_history(user, *, limit: int = 10) -> list[MatchWeights]:
    if not scope_for(user).is_ministry:
        raise PermissionDenied
    return list(MatchWeights.objects.select_related("created_by").order_by("-pk")[:limit])
