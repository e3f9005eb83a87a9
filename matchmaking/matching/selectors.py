"""What pages and the API read about matches. Access checks live here too (one place).

Every function that returns matches or dismissals checks access itself, so a page cannot forget
to. Besides the matches: what the match pages and panels read around them (region choices and
names, dismissals as kept, conversations already under way, the ministry's organisation search).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from bumdes_export.accounts.access import scope_for
from bumdes_export.reference.models import Region
from exporters.models import Organisation
from matchmaking import access
from matchmaking.access import AnyUser
from matchmaking.dealings.models import Inquiry
from matchmaking.matching import access as matching_access
from matchmaking.matching import documents, reasons, store
from matchmaking.matching.features import MATCHED_KINDS, weights_from
from matchmaking.matching.models import (
    MatchDismissal,
    MatchRun,
    MatchWeights,
    OrganisationMatch,
    OrganisationMatchState,
    ProductMatches,
)
from matchmaking.matching.scoring import COMPONENTS, ORGANISATION_TOP, Weights
from products import access as product_access
from products.models import Bumdes, Product


@dataclass
class Match:
    """One suggestion, ready to show: the other side, the score and why."""

    score: float
    components: dict[str, dict]
    reasons: list[str]
    organisation: Organisation | None = None
    product: Product | None = None
    product_version: int | None = None
    dismissed: bool = False

    @property
    def percent(self) -> int:
        return round(self.score)


@dataclass
class ProductMatchList:
    product: Product
    computed: bool
    product_version: int | None
    computed_at: datetime | None
    matches: list[Match] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return self.computed and self.product_version == self.product.version


_weights_cache: dict[int, Weights] = {}


def weights(version: int | None = None) -> Weights:
    """The weights of a version (the current ones by default)."""
    if version is None:
        current = MatchWeights.objects.order_by("-pk").first()
        return weights_from(current) if current else Weights()
    if version not in _weights_cache:
        row = MatchWeights.objects.filter(pk=version).first()
        _weights_cache[version] = weights_from(row) if row else Weights()
    return _weights_cache[version]


def current_weights_row() -> MatchWeights | None:
    """The weights row in force, or ``None`` before the first is saved (a read: the engine's
    ``get_or_create_current_weights`` saves the defaults)."""
    return MatchWeights.objects.order_by("-pk").first()


def dismissed_pairs(
    side: str, *, products: Iterable[int] | None = None, organisations: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """The (product, organisation) pairs one side dismissed, of these products or
    organisations."""
    queryset = MatchDismissal.objects.filter(side=side)
    if products is not None:
        queryset = queryset.filter(product_id__in=list(products))
    if organisations is not None:
        queryset = queryset.filter(organisation_id__in=list(organisations))
    return set(queryset.values_list("product_id", "organisation_id"))


def can_see_product_matches(user: AnyUser, product: Product) -> bool:
    """The product's side: ministry staff, officers covering it, its BUMDes' operators."""
    return access.is_product_side(user, product)


def product_matches(
    user: AnyUser, product: Product, *, include_dismissed: bool = False
) -> ProductMatchList:
    """A product's best organisations, as computed for one of its versions."""
    if not can_see_product_matches(user, product):
        raise PermissionDenied
    row = ProductMatches.objects.filter(pk=product.pk).first()
    if row is None:
        return ProductMatchList(product, False, None, None)
    w = weights(row.weights_version)
    stored = store.unpack(row.entries)
    organisations = (
        Organisation.objects.select_related("country")
        .prefetch_related("destination_markets")
        .in_bulk([m.organisation_id for m in stored])
    )
    hidden = dismissed_pairs("product", products=[product.pk])
    matches = []
    for m in stored:
        organisation = organisations.get(m.organisation_id)
        if organisation is None:
            continue
        dismissed = (product.pk, m.organisation_id) in hidden
        if dismissed and not include_dismissed:
            continue
        matches.append(
            Match(
                score=m.score / 10,
                components=reasons.components_view(m.components, w),
                reasons=reasons.reasons(m.components, w),
                organisation=organisation,
                product_version=row.product_version,
                dismissed=dismissed,
            )
        )
    held = documents.held_certificates([product.pk]).get(product.pk, set())
    _name_documents(
        [(match, held, match.organisation) for match in matches if match.organisation],
        readers_own=False,
    )
    return ProductMatchList(product, True, row.product_version, row.computed_at, matches)


def organisation_matches(
    user: AnyUser,
    organisation: Organisation,
    *,
    include_dismissed: bool = False,
    limit: int = ORGANISATION_TOP,
) -> list[Match]:
    """An organisation's recommended products: export-ready ones only, best first."""
    if not matching_access.may_see_organisation_matches(user, organisation):
        raise PermissionDenied
    rows = list(
        OrganisationMatch.objects.filter(
            organisation=organisation, product__status=Product.Status.EXPORT_READY
        )
        .select_related("product__bumdes__village", "product__hs_code")
        .order_by("-score", "product_id")
    )
    hidden = dismissed_pairs("organisation", organisations=[organisation.pk])
    # Reasons read with the weights the list was computed with.
    state = OrganisationMatchState.objects.filter(pk=organisation.pk).first()
    w = weights(state.weights_version if state and state.weights_version else None)
    result = []
    for row in rows:
        dismissed = (row.product_id, organisation.pk) in hidden
        if dismissed and not include_dismissed:
            continue
        components = tuple(getattr(row, name) for name in COMPONENTS)
        result.append(
            Match(
                score=row.score / 10,
                components=reasons.components_view(components, w),
                reasons=reasons.reasons(components, w),
                product=row.product,
                product_version=row.product_version,
                dismissed=dismissed,
            )
        )
        if len(result) >= limit:
            break
    held = documents.held_certificates(match.product.pk for match in result if match.product)
    _name_documents(
        [
            (match, held.get(match.product.pk, set()), organisation)
            for match in result
            if match.product
        ],
        readers_own=access.is_member(user, organisation),
    )
    return result


def _name_documents(
    matches: list[tuple[Match, set[str], Organisation]], *, readers_own: bool
) -> None:
    """The certificates and markets reasons of each match made concrete: which certificates
    the product holds and lacks, for which markets its certificate of origin is ready."""
    language = get_language() or "id"
    names = documents.certificate_names(language)
    opened = documents.market_documents()
    position = {name: i for i, name in enumerate(COMPONENTS)}
    for match, held, organisation in matches:
        markets = list(organisation.destination_markets.all())
        named = {
            "certificates": documents.certificates_sentence(
                held,
                organisation.required_certificates or [],
                names,
                readers_own=readers_own,
            ),
            "markets": documents.markets_sentence(held, markets, language, opened, names),
        }
        for component, sentence in named.items():
            if sentence:
                match.reasons[position[component]] = sentence


@dataclass
class ProductSummary:
    product: Product
    best_score: float | None
    matches: int
    top_organisation: Organisation | None


def region_products(
    user: AnyUser, *, province: str = "", below: int | None = None, limit: int = 200
) -> list[ProductSummary]:
    """Products on the user's side with their best match (officers: their region only)."""
    if not product_access.uses_registry(user):
        raise PermissionDenied
    side = (
        Product.objects.filter(access.product_side_q(user, prefix=""))
        .exclude(status=Product.Status.DRAFT)
        .select_related("bumdes__village", "hs_code")
        .order_by("bumdes__village__code", "name_id")
    )
    if province:
        side = side.filter(bumdes__village__code__startswith=f"{province}.")
    products = list(side[: limit * 4 if below is not None else limit])
    lists = {row.pk: row for row in ProductMatches.objects.filter(pk__in=[p.pk for p in products])}
    tops: dict[int, int] = {}
    for pk, row in lists.items():
        stored = store.unpack(row.entries)
        if stored:
            tops[pk] = stored[0].organisation_id
    organisations = Organisation.objects.in_bulk(set(tops.values()))
    result = []
    for product in products:
        listed = lists.get(product.pk)
        best = listed.best_score / 10 if listed else None
        if below is not None and best is not None and best >= below:
            continue
        result.append(
            ProductSummary(
                product,
                best,
                listed.size if listed else 0,
                organisations.get(tops.get(product.pk)),
            )
        )
        if len(result) >= limit:
            break
    return result


@dataclass
class ProvinceGap:
    code: str
    name: str
    products: int
    without_good_match: int
    without_any_match: int


def gaps_by_province(user: AnyUser) -> list[ProvinceGap]:
    """Verified and export-ready products with no good match, counted by province."""
    if not matching_access.may_tune_matching(user):
        raise PermissionDenied
    good = weights().good_score * 10
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    products = Product.objects.filter(
        status__in=[Product.Status.VERIFIED, Product.Status.EXPORT_READY]
    ).values_list("pk", "bumdes__village_id")
    best = dict(ProductMatches.objects.values_list("pk", "best_score"))
    for pk, village in products.iterator(chunk_size=5000):
        province = village.split(".")[0]
        score = best.get(pk, 0)
        entry = counts[province]
        entry[0] += 1
        if score < good:
            entry[1] += 1
        if score == 0:
            entry[2] += 1
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return sorted(
        (ProvinceGap(code, names.get(code, code), *values) for code, values in counts.items()),
        key=lambda gap: (-gap.without_good_match, gap.code),
    )


@dataclass(frozen=True)
class PairScore:
    score: float
    reasons: list[str]
    components: dict[str, dict]


def pair_scores(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], PairScore]:
    """Stored scores of (product id, organisation id) pairs; pairs never listed are missing.

    For pages that rank counterparts (forums): no access check, callers show only pairs
    between parties the viewer already sees.
    """
    pairs = set(pairs)
    if not pairs:
        return {}
    result: dict[tuple[int, int], PairScore] = {}
    products = {p for p, _o in pairs}
    for row in ProductMatches.objects.filter(pk__in=products):
        w = weights(row.weights_version)
        for m in store.unpack(row.entries):
            key = (row.pk, m.organisation_id)
            if key in pairs:
                result[key] = PairScore(
                    m.score / 10,
                    reasons.reasons(m.components, w),
                    reasons.components_view(m.components, w),
                )
    missing = pairs - set(result)
    if missing:
        w = weights()
        query = Q()
        for product_id, organisation_id in missing:
            query |= Q(product_id=product_id, organisation_id=organisation_id)
        for pair in OrganisationMatch.objects.filter(query):
            components = tuple(getattr(pair, name) for name in COMPONENTS)
            result[(pair.product_id, pair.organisation_id)] = PairScore(
                pair.score / 10,
                reasons.reasons(components, w),
                reasons.components_view(components, w),
            )
    return result


#: How many of a product's best-matching organisations name the markets its readiness per
#: market is shown for.
MARKETS_FROM_MATCHES = 10


def markets_asked_for(product: Product) -> set[str]:
    """The destination markets of the organisations whose lists hold the product (its best
    matches): the registry's readiness per market shows them beside the product's own
    (registered as a market source in ``matchmaking.apps``)."""
    best = (
        OrganisationMatch.objects.filter(product=product)
        .order_by("-score", "organisation_id")
        .values_list("organisation_id", flat=True)[:MARKETS_FROM_MATCHES]
    )
    return set(
        Organisation.destination_markets.through.objects.filter(
            organisation_id__in=list(best)
        ).values_list("country_id", flat=True)
    )


def last_run() -> MatchRun | None:
    return MatchRun.objects.select_related("job").order_by("-pk").first()


def matched_counts() -> dict[str, int]:
    return ProductMatches.objects.aggregate(
        products=Count("pk"), with_matches=Count("pk", filter=Q(size__gt=0))
    )


# --- Around the matches: what the match pages and panels read -------------------------------


def is_matched(organisation: Organisation) -> bool:
    """Organisations the engine scores: verified ones that source products."""
    return organisation.is_verified and organisation.kind in MATCHED_KINDS


def region_choices(user: AnyUser) -> list[tuple[str, str]]:
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
    """Region code → name."""
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def regency_code(village_code: str) -> str:
    """``74.02.01.2001`` → ``74.02``: the regency a village lies in."""
    return ".".join(village_code.split(".")[:2])


def bumdes_products(user: AnyUser, bumdes: Bumdes) -> list[ProductSummary]:
    """The BUMDes' products (not drafts) on the user's side, each with its best match."""
    if not product_access.uses_registry(user):
        raise PermissionDenied
    products = list(
        Product.objects.filter(access.product_side_q(user, prefix=""), bumdes=bumdes)
        .exclude(status=Product.Status.DRAFT)
        .select_related("hs_code")
        .order_by("name_id", "pk")
    )
    lists = {row.pk: row for row in ProductMatches.objects.filter(pk__in=[p.pk for p in products])}
    tops: dict[int, int] = {}
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


def organisation_dismissals(user: AnyUser, organisation: Organisation) -> list[MatchDismissal]:
    """Suggestions the organisation's side dismissed, newest first (kept until restored)."""
    if not matching_access.may_see_organisation_matches(user, organisation):
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


def find_organisations(user: AnyUser, q: str, *, limit: int = 20) -> QuerySet[Organisation]:
    """Matched organisations by name, for ministry staff choosing whose list to look at."""
    if not matching_access.may_tune_matching(user):
        raise PermissionDenied
    rows = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=MATCHED_KINDS
    ).select_related("country")
    if q:
        rows = rows.filter(legal_name__icontains=q)
    return rows.order_by("legal_name", "pk")[:limit]


def weights_history(user: AnyUser, *, limit: int = 10) -> list[MatchWeights]:
    """The weights put in force, newest first (ministry staff)."""
    if not matching_access.may_tune_matching(user):
        raise PermissionDenied
    return list(MatchWeights.objects.select_related("created_by").order_by("-pk")[:limit])
