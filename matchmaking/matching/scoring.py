"""The score of one product for one organisation: the specification, in plain Python.

Everything is an integer so that the compiled kernel (``kernel``) gives exactly the same numbers
and a test can compare them pair by pair. Each component is first a fraction in per-mille
(0 to 1000), then points in tenths: ``weight * fraction // 100``. The score is their sum, 0 to
1000 tenths (0 to 100 points) because the weights add up to 100.

Product fit is also a gate: an organisation with no interest in the product's HS chapter is no
match at all (score 0). That is what makes candidate generation by chapter complete: every pair
outside it scores 0, below any minimum worth showing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Component order, everywhere: in the stored records, the kernel and the API.
COMPONENTS = ("fit", "volume", "certificates", "markets", "logistics", "readiness")
PRODUCT_TOP = 20  # organisations kept per product
ORGANISATION_TOP = 50  # export-ready products kept per organisation

FIT_NONE, FIT_CHAPTER, FIT_HEADING, FIT_SUBHEADING = 0, 1, 2, 3


@dataclass(frozen=True)
class Weights:
    """The data that steers the score (a ``MatchWeights`` row) plus the month it is scored in."""

    fit: int = 30
    volume: int = 15
    certificates: int = 15
    markets: int = 10
    logistics: int = 15
    readiness: int = 15
    fit_heading_pct: int = 70
    fit_chapter_pct: int = 40
    volume_share_pct: int = 10
    volume_unknown_pct: int = 50
    distance_full_km: int = 100
    distance_zero_km: int = 1500
    preference_share_pct: int = 40
    season_share_pct: int = 30
    season_months: int = 3
    min_score: int = 40
    good_score: int = 60
    month: int = 1  # 1-12, the month "the coming months" start from
    version: int = 0

    def as_points(self) -> tuple[int, ...]:
        return (
            self.fit,
            self.volume,
            self.certificates,
            self.markets,
            self.logistics,
            self.readiness,
        )


@dataclass(frozen=True)
class ProductFeatures:
    """What the score needs to know about a product, as plain numbers.

    ``hs_code`` is 6 digits (a subheading) or 4 (a heading). ``capacity_kg`` is the monthly
    capacity in kg (litres count as kg), -1 when the unit is not a mass or volume.
    ``certificates`` is a bit set of the certificate types it holds and are valid today;
    ``ready_markets`` a bit set of countries it has the documents for or already exports to.
    ``distance_km`` is to the nearest suitable export gateway (an airport for live products),
    -1 when unknown; ``gateway`` is that gateway's index, ``province`` the province's index.
    """

    id: int
    version: int
    hs_code: str
    export_ready: bool = False
    capacity_kg: int = -1
    certificates: int = 0
    ready_markets: int = 0
    province: int = -1
    gateway: int = -1
    distance_km: int = -1
    readiness: int = 0
    available_months: int = (1 << 12) - 1


@dataclass(frozen=True)
class OrganisationFeatures:
    """What the score needs to know about an organisation's sourcing preferences.

    ``interests`` are HS codes of any level (2, 4 or 6 digits). ``required_certificates`` and
    the preferred provinces and gateways are bit sets over the same indexes as the products';
    ``markets`` the indexes of its destination countries.
    """

    id: int
    version: int
    interests: tuple[str, ...] = ()
    min_order_kg: int = 0
    max_volume_kg: int = 0
    required_certificates: int = 0
    markets: tuple[int, ...] = ()
    preferred_provinces: int = 0
    preferred_gateways: int = 0


@dataclass(frozen=True)
class PairScore:
    score: int  # tenths of a point, 0 to 1000
    components: tuple[int, ...] = field(default=(0, 0, 0, 0, 0, 0))
    fit_level: int = FIT_NONE


def fit_level(hs_code: str, interests: tuple[str, ...]) -> int:
    """How finely the product's HS code meets the organisation's interests (the finest wins)."""
    level = FIT_NONE
    for interest in interests:
        if len(hs_code) == 6 and interest == hs_code:
            return FIT_SUBHEADING
        if len(interest) >= 4 and interest[:4] == hs_code[:4]:
            level = FIT_HEADING
        elif interest[:2] == hs_code[:2] and level < FIT_CHAPTER:
            level = FIT_CHAPTER
    return level


def fit_fraction(level: int, w: Weights) -> int:
    return {
        FIT_SUBHEADING: 1000,
        FIT_HEADING: w.fit_heading_pct * 10,
        FIT_CHAPTER: w.fit_chapter_pct * 10,
    }.get(level, 0)


def volume_need_kg(exporter: OrganisationFeatures, w: Weights) -> int:
    """What a product should supply a month: the minimum order, or a share of the volume."""
    return max(exporter.min_order_kg, exporter.max_volume_kg * w.volume_share_pct // 100)


# Volume credit in steps: the capacity covers the need, half of it, a quarter, a tenth.
VOLUME_STEPS = ((1, 1000), (2, 750), (4, 500), (10, 250))


def volume_fraction(capacity_kg: int, need_kg: int, w: Weights) -> int:
    """Per-mille credit for volume. Steps rather than a ratio: as easy to explain, and compares
    are what the compiled kernel does fastest (a division per pair would cost more than the
    rest of the score)."""
    if need_kg <= 0:
        return 1000
    if capacity_kg < 0:
        return w.volume_unknown_pct * 10
    for divisor, fraction in VOLUME_STEPS:
        if capacity_kg * divisor >= need_kg:
            return fraction
    return 0


def share_fraction(held: int, wanted: int) -> int:
    """Per-mille of ``wanted`` things that are ``held``; nothing wanted is full credit."""
    return 1000 if wanted == 0 else held * 1000 // wanted


def distance_fraction(distance_km: int, w: Weights) -> int:
    if distance_km < 0:
        return 500
    if distance_km <= w.distance_full_km:
        return 1000
    if distance_km >= w.distance_zero_km:
        return 0
    return (w.distance_zero_km - distance_km) * 1000 // (w.distance_zero_km - w.distance_full_km)


def preference_fraction(product: ProductFeatures, exporter: OrganisationFeatures) -> int:
    if not exporter.preferred_provinces and not exporter.preferred_gateways:
        return 1000
    in_province = product.province >= 0 and exporter.preferred_provinces >> product.province & 1
    via_gateway = product.gateway >= 0 and exporter.preferred_gateways >> product.gateway & 1
    return 1000 if in_province or via_gateway else 0


def logistics_fraction(product: ProductFeatures, exporter: OrganisationFeatures, w: Weights) -> int:
    share = w.preference_share_pct
    distance = distance_fraction(product.distance_km, w)
    return (distance * (100 - share) + preference_fraction(product, exporter) * share) // 100


def season_months_available(available_months: int, w: Weights) -> int:
    """How many of the coming ``season_months`` months (from ``w.month``) the product is in."""
    return sum(
        1
        for ahead in range(w.season_months)
        if available_months >> ((w.month - 1 + ahead) % 12) & 1
    )


def readiness_fraction(product: ProductFeatures, w: Weights) -> int:
    share = w.season_share_pct
    season = season_months_available(product.available_months, w) * 1000 // w.season_months
    return (product.readiness * 10 * (100 - share) + season * share) // 100


def score_pair(product: ProductFeatures, exporter: OrganisationFeatures, w: Weights) -> PairScore:
    """The score of one pair, in tenths of a point, with its six components."""
    level = fit_level(product.hs_code, exporter.interests)
    if level == FIT_NONE:
        return PairScore(0)
    fractions = (
        fit_fraction(level, w),
        volume_fraction(product.capacity_kg, volume_need_kg(exporter, w), w),
        share_fraction(
            (exporter.required_certificates & product.certificates).bit_count(),
            exporter.required_certificates.bit_count(),
        ),
        share_fraction(
            sum(1 for m in exporter.markets if product.ready_markets >> m & 1),
            len(exporter.markets),
        ),
        logistics_fraction(product, exporter, w),
        readiness_fraction(product, w),
    )
    components = tuple(
        points * fraction // 100 for points, fraction in zip(w.as_points(), fractions, strict=True)
    )
    return PairScore(sum(components), components, level)


def reference_lists(
    products: list[ProductFeatures], exporters: list[OrganisationFeatures], w: Weights
) -> tuple[dict[int, list[tuple[int, PairScore]]], dict[int, list[tuple[int, PairScore]]]]:
    """Every pair, one by one: each product's best organisations and each organisation's best
    export-ready products, at or above the minimum worth showing.

    The plain implementation the kernel is checked against (tests and ``bench_matching``).
    Ties go to the lower id, as in the kernel.
    """
    floor = w.min_score * 10
    by_product: dict[int, list[tuple[int, PairScore]]] = {}
    by_exporter: dict[int, list[tuple[int, PairScore]]] = {e.id: [] for e in exporters}
    for product in products:
        row = []
        for exporter in exporters:
            pair = score_pair(product, exporter, w)
            if pair.score and pair.score >= floor:
                row.append((exporter.id, pair))
                if product.export_ready:
                    by_exporter[exporter.id].append((product.id, pair))
        row.sort(key=lambda item: (-item[1].score, item[0]))
        by_product[product.id] = row[:PRODUCT_TOP]
    for exporter_id, row in by_exporter.items():
        row.sort(key=lambda item: (-item[1].score, item[0]))
        by_exporter[exporter_id] = row[:ORGANISATION_TOP]
    return by_product, by_exporter
