"""Reads of the dashboard: where each province stands against the programme's target.

Every figure is counted in the database, grouped by the first two digits of the BUMDes village's
Kemendagri code (the province), and limited to the reader's region: ministry staff see the 38
provinces, a regional officer only the part of his province he covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for
from bumdes_export.reference.models import Region
from matchmaking.access import AnyUser
from matchmaking.deals.models import Shipment
from matchmaking.oversight.models import DEFAULT_EXPORT_READY_BUMDES, ProvinceTarget
from products import selectors as product_selectors
from products.models import Bumdes, Product
from products.readiness import evaluate

#: Why a province does not meet its target, in the order a province gets there.
NO_BUMDES = "no_bumdes"
NONE_VERIFIED = "none_verified"
IN_REVIEW = "in_review"
READINESS_GAPS = "readiness_gaps"
TOO_FEW = "too_few"
#: The reasons in words, for pages and exports.
REASONS = {
    NO_BUMDES: _("no BUMDes registered"),
    NONE_VERIFIED: _("no BUMDes verified yet"),
    IN_REVIEW: _("products waiting for review"),
    READINESS_GAPS: _("verified products with readiness gaps"),
    TOO_FEW: _("fewer BUMDes with an export-ready product than the target"),
}


@dataclass
class ProvinceStatus:
    """One province's figures and whether it meets its target for the year."""

    code: str
    name: str
    target: int = DEFAULT_EXPORT_READY_BUMDES
    bumdes_registered: int = 0
    bumdes_verified: int = 0
    bumdes_export_ready: int = 0
    products_export_ready: int = 0
    products_in_review: int = 0
    products_with_gaps: int = 0
    bumdes_exporting: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def meets_target(self) -> bool:
        return self.bumdes_export_ready >= self.target


#: The reader of figures for the whole country, with no user behind it (the monthly snapshot).
Reader = AnyUser | None


def village_scope(user: Reader, field: str) -> Q:
    """Rows (by their village code ``field``) inside the reader's region (everything for
    ``None``, the whole country)."""
    if user is None:
        return Q()
    scope = scope_for(user)
    if scope.is_ministry:
        return Q()
    if scope.is_officer:
        return scope.region_q(field)
    return Q(pk__in=[])


def visible_provinces(user: Reader) -> QuerySet[Region]:
    """The provinces the reader's dashboard names: all 38 for ministry staff (and the whole
    country, ``None``), his own for an officer, none for anyone else."""
    provinces = Region.objects.filter(level=Region.Level.PROVINCE, retired_at__isnull=True)
    if user is None:
        return provinces.order_by("code")
    scope = scope_for(user)
    if scope.is_ministry:
        return provinces.order_by("code")
    if scope.is_officer and scope.region_code:
        return provinces.filter(code=scope.region_code[:2]).order_by("code")
    return provinces.none()


def targets_for(year: int, codes: Iterable[str]) -> dict[str, int]:
    """Each province's target for the year (the default where ministry staff set none)."""
    codes = list(codes)
    set_targets = dict(
        ProvinceTarget.objects.filter(year=year, province_id__in=codes).values_list(
            "province_id", "export_ready_bumdes"
        )
    )
    return {code: set_targets.get(code, DEFAULT_EXPORT_READY_BUMDES) for code in codes}


def region_figures(user: Reader, length: int, within: str = "") -> dict[str, dict[str, int]]:
    """The counts per region code of ``length`` characters (2: provinces, 5: regencies), of the
    rows inside the reader's region (and inside ``within``, a region code, when given)."""

    def scoped(field: str) -> Q:
        q = village_scope(user, field)
        if within:
            q &= Q(**{f"{field}__startswith": f"{within}."})
        return q

    figures: dict[str, dict[str, int]] = {}

    def add(rows: Iterable[Any]) -> None:
        for row in rows:
            code = str(row.pop("region"))
            figures.setdefault(code, {}).update({k: int(v or 0) for k, v in row.items()})

    add(
        Bumdes.objects.filter(scoped("village__code"))
        .annotate(region=Substr("village_id", 1, length))
        .values("region")
        .annotate(
            registered=Count("pk"),
            verified=Count("pk", filter=Q(status=Bumdes.Status.VERIFIED)),
        )
    )
    add(
        Product.objects.filter(scoped("bumdes__village__code"))
        .annotate(region=Substr("bumdes__village_id", 1, length))
        .values("region")
        .annotate(
            ready=Count("pk", filter=Q(status=Product.Status.EXPORT_READY)),
            ready_bumdes=Count(
                "bumdes", filter=Q(status=Product.Status.EXPORT_READY), distinct=True
            ),
            in_review=Count("pk", filter=Q(status=Product.Status.SUBMITTED)),
            with_gaps=Count("pk", filter=Q(status=Product.Status.VERIFIED)),
        )
    )
    add(
        Shipment.objects.filter(scoped("deal__product__bumdes__village__code"))
        .annotate(region=Substr("deal__product__bumdes__village_id", 1, length))
        .values("region")
        .annotate(exporting=Count("deal__product__bumdes", distinct=True))
    )
    return figures


def _status(code: str, name: str, target: int, row: dict[str, int]) -> ProvinceStatus:
    status = ProvinceStatus(
        code=code,
        name=name,
        target=target,
        bumdes_registered=row.get("registered", 0),
        bumdes_verified=row.get("verified", 0),
        bumdes_export_ready=row.get("ready_bumdes", 0),
        products_export_ready=row.get("ready", 0),
        products_in_review=row.get("in_review", 0),
        products_with_gaps=row.get("with_gaps", 0),
        bumdes_exporting=row.get("exporting", 0),
    )
    status.missing = missing_for(status)
    return status


def province_statuses(user: Reader, year: int) -> list[ProvinceStatus]:
    """Every province the reader sees, with its figures, its target for ``year`` and, where it
    falls short, what it is missing."""
    provinces = list(visible_provinces(user).values_list("code", "name"))
    if not provinces:
        return []
    figures = region_figures(user, 2)
    targets = targets_for(year, [code for code, _name in provinces])
    return [_status(code, name, targets[code], figures.get(code, {})) for code, name in provinces]


def regency_statuses(user: AnyUser, province: Region, year: int) -> list[ProvinceStatus]:
    """The regencies of a province the reader sees, with the same figures (a regency has no
    target of its own: ``target`` is the province's)."""
    scope = scope_for(user)
    regencies = Region.objects.filter(
        parent=province, level=Region.Level.REGENCY, retired_at__isnull=True
    )
    if not scope.is_ministry:
        regencies = (
            regencies.filter(scope.region_q("code")) if scope.is_officer else regencies.none()
        )
        if scope.is_officer and scope.region_code and len(scope.region_code) > 5:
            regencies = Region.objects.filter(code=scope.region_code[:5])
    figures = region_figures(user, 5, within=province.code)
    target = targets_for(year, [province.code])[province.code]
    return [
        _status(code, name, target, figures.get(code, {}))
        for code, name in regencies.order_by("code").values_list("code", "name")
    ]


def missing_for(status: ProvinceStatus) -> list[str]:
    """What keeps a province from its target, most basic first; empty when it meets it."""
    if status.meets_target:
        return []
    if status.bumdes_registered == 0:
        return [NO_BUMDES]
    missing = []
    if status.bumdes_verified == 0:
        missing.append(NONE_VERIFIED)
    if status.products_in_review:
        missing.append(IN_REVIEW)
    if status.products_with_gaps:
        missing.append(READINESS_GAPS)
    return missing or [TOO_FEW]


#: How many products of a province are read to find its most common readiness gaps.
GAP_SAMPLE = 300


@dataclass(frozen=True)
class CommonGap:
    code: str
    message: str
    products: int


def common_gaps(province_code: str, language: str, limit: int = 3) -> list[CommonGap]:
    """The readiness gaps most verified (not yet export-ready) products of a province share, in
    the reader's language; read from at most ``GAP_SAMPLE`` products."""
    return common_gaps_of([province_code], language, limit)


def common_gaps_of(province_codes: list[str], language: str, limit: int = 3) -> list[CommonGap]:
    """The most common readiness gaps of verified products in these provinces (at most
    ``GAP_SAMPLE`` products read)."""
    if not province_codes:
        return []
    rules = product_selectors.active_rules()
    in_provinces = Q(pk__in=[])
    for code in province_codes:
        in_provinces |= Q(bumdes__village__code__startswith=f"{code}.")
    products = (
        Product.objects.filter(in_provinces, status=Product.Status.VERIFIED)
        .select_related("bumdes")
        .order_by("pk")[:GAP_SAMPLE]
    )
    counts: dict[str, int] = {}
    messages: dict[str, str] = {}
    for product in products:
        for gap in evaluate(product_selectors.facts_of(product), rules).gaps:
            counts[gap.code] = counts.get(gap.code, 0) + 1
            messages.setdefault(gap.code, gap.message(language))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [CommonGap(code, messages[code], n) for code, n in ranked]


@dataclass(frozen=True)
class TargetSummary:
    year: int
    provinces: int
    meeting: int
    short: list[ProvinceStatus]


def target_summary(statuses: list[ProvinceStatus], year: int) -> TargetSummary:
    short = [s for s in statuses if not s.meets_target]
    return TargetSummary(
        year=year, provinces=len(statuses), meeting=len(statuses) - len(short), short=short
    )
