"""Reads of the dashboard: where each province stands against the programme's target.

Every figure is counted in the database, grouped by the first two digits of the BUMDes village's
Kemendagri code (the province), and limited to the reader's region: ministry staff see the 38
provinces, a regional officer only the part of his province he covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import code_within, scope_for
from bumdes_export.reference.models import Region
from matchmaking.access import AnyUser
from matchmaking.oversight import tallies
from matchmaking.oversight.funnel import FunnelStep, steps_of
from matchmaking.oversight.models import DEFAULT_EXPORT_READY_BUMDES, ProvinceTarget
from products import selectors as product_selectors
from products.readiness import Gap

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


def reading_region(user: Reader, within: str = "") -> str | None:
    """The region whose figures the reader gets when he asks for ``within`` ("" everything he
    may see): ``within`` itself inside his region, his region when he asks for a larger one that
    holds it, None when he may see nothing of it."""
    if user is None:
        return within
    scope = scope_for(user)
    if scope.is_ministry:
        return within
    if not (scope.is_officer and scope.region_code):
        return None
    own = scope.region_code
    if within and code_within(within, own):
        return within
    if not within or code_within(own, within):
        return own
    return None


def targets_version(year: int) -> str:
    """When the targets of the year were last set (what a kept page of them is valid for)."""
    latest = ProvinceTarget.objects.filter(year=year).aggregate(latest=Max("set_at"))["latest"]
    return latest.isoformat() if latest else ""


def region_figures(user: Reader, length: int, within: str = "") -> dict[str, dict[str, int]]:
    """The counts per region code of ``length`` characters (2: provinces, 5: regencies), of the
    rows inside the reader's region (and inside ``within``, a region code, when given)."""
    region = reading_region(user, within)
    if region is None:
        return {}
    if len(region) < length:
        by_region = tallies.counts_by_region(length, within=region)
    else:  # the reader's region lies inside one region of that length
        by_region = {region[:length]: tallies.figures_of(region, tallies=())}
    return {code: _counts(figures) for code, figures in by_region.items()}


def _counts(figures: tallies.Figures) -> dict[str, int]:
    return {
        "registered": figures.bumdes_registered,
        "verified": figures.bumdes_verified,
        "ready": figures.products_export_ready,
        "ready_bumdes": figures.bumdes_export_ready,
        "in_review": figures.products_in_review,
        "with_gaps": figures.products_with_gaps,
        "exporting": figures.bumdes_exporting,
    }


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


def province_statuses(user: Reader, year: int, code: str = "") -> list[ProvinceStatus]:
    """Every province the reader sees (or the one of ``code``), with its figures, its target for
    ``year`` and, where it falls short, what it is missing."""
    provinces = visible_provinces(user)
    if code:
        provinces = provinces.filter(code=code)
    named = list(provinces.values_list("code", "name"))
    if not named:
        return []
    figures = region_figures(user, 2, within=code)
    targets = targets_for(year, [code for code, _name in named])
    return [_status(code, name, targets[code], figures.get(code, {})) for code, name in named]


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


@dataclass(frozen=True)
class CommonGap:
    code: str
    message: str
    products: int


def common_gaps(province_code: str, language: str, limit: int = 3) -> list[CommonGap]:
    """The readiness gaps most verified (not yet export-ready) products of a province share, in
    the reader's language."""
    return common_gaps_of([province_code], language, limit)


def common_gaps_of(province_codes: list[str], language: str, limit: int = 3) -> list[CommonGap]:
    """The most common readiness gaps of the verified products in these provinces, counted
    over all of them."""
    if not province_codes:
        return []
    counts = tallies.gaps_of(province_codes)
    messages = {
        rule.code: Gap(rule.code, rule.required, rule.weight, rule.gap, rule.next_step).message(
            language
        )
        for rule in product_selectors.active_rules()
    }
    ranked = sorted(
        ((code, n) for code, n in counts.items() if n and code in messages),
        key=lambda item: (-item[1], item[0]),
    )[:limit]
    return [CommonGap(code, messages[code], n) for code, n in ranked]


def funnel_steps(user: Reader, within: str = "") -> list[FunnelStep]:
    """The funnel of the products in the reader's region (and in ``within`` when given)."""
    region = reading_region(user, within)
    if region is None:
        return steps_of({}, {})
    figures = tallies.figures_of(region, tallies=("funnel", "funnel_days"))
    return steps_of(figures.funnel, figures.funnel_days)


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
