"""The dashboard's figures, counted ahead of the reading.

Counting 300,000 products, their status changes, matches, contacts, meetings and deals for
every view took seconds; the dashboard reads instead one ``RegionTally`` row per region: each
regency's figures counted from the records (``compute``), each province's the sum of its
regencies', the whole country's (code "") the sum of the provinces'. Every figure adds up
across regions (a BUMDes lies in one regency), so the sums are exact.

A regency is counted again (``refresh``) after a change of one of its products or BUMDes (the
registry's events), of a deal or a shipment; everything is counted again every hour
(``refresh_all``, which also catches contacts, meetings and match scores). Regions smaller than
a regency (an officer of a district) are counted when read: they are small. A deleted product or
BUMDes, or one moved to another regency, leaves its old regency counted until the hourly count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils import timezone

from matchmaking.deals.models import Shipment
from matchmaking.oversight import funnel, ledger
from matchmaking.oversight.funnel import within_q
from matchmaking.oversight.models import RegionTally
from products import selectors as product_selectors
from products.models import Bumdes, Product
from products.readiness import evaluate

#: The whole country's code.
COUNTRY = ""
#: The lengths of the codes a tally is kept for: the country, provinces, regencies.
TALLIED = (0, 2, 5)
#: Verified products evaluated at a time for their readiness gaps.
GAP_BATCH = 500


@dataclass
class Figures:
    """A region's figures; adding two regions' figures gives their union's."""

    bumdes_registered: int = 0
    bumdes_verified: int = 0
    bumdes_export_ready: int = 0
    products_export_ready: int = 0
    products_in_review: int = 0
    products_with_gaps: int = 0
    bumdes_exporting: int = 0
    funnel: dict[str, int] = field(default_factory=dict)
    funnel_days: dict[str, dict[str, int]] = field(default_factory=dict)
    readiness_gaps: dict[str, int] = field(default_factory=dict)
    refreshed_at: datetime | None = None

    def add(self, other: Figures) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        _add(self.funnel, other.funnel)
        _add(self.readiness_gaps, other.readiness_gaps)
        for step, days in other.funnel_days.items():
            _add(self.funnel_days.setdefault(step, {}), days)
        if other.refreshed_at and (
            self.refreshed_at is None or other.refreshed_at < self.refreshed_at
        ):
            self.refreshed_at = other.refreshed_at


#: The counts of ``Figures`` (and the integer columns of ``RegionTally``).
COUNTS = tuple(f.name for f in fields(Figures) if f.type == "int")
#: The tallies of ``Figures`` kept as JSON.
TALLIES = ("funnel", "funnel_days", "readiness_gaps")


def _add(into: dict[str, int], other: dict[str, int]) -> None:
    for key, n in other.items():
        into[key] = into.get(key, 0) + n


# --- counting ---------------------------------------------------------------------------------


def compute(code: str) -> Figures:
    """Count a region's figures from the records (``code``: any region code, "" the country)."""
    figures = Figures(refreshed_at=timezone.now())
    bumdes = Bumdes.objects.filter(within_q("village__code", code)).aggregate(
        registered=Count("pk"), verified=Count("pk", filter=Q(status=Bumdes.Status.VERIFIED))
    )
    ready = Q(status=Product.Status.EXPORT_READY)
    products = Product.objects.filter(within_q("bumdes__village__code", code)).aggregate(
        ready=Count("pk", filter=ready),
        ready_bumdes=Count("bumdes", filter=ready, distinct=True),
        in_review=Count("pk", filter=Q(status=Product.Status.SUBMITTED)),
        with_gaps=Count("pk", filter=Q(status=Product.Status.VERIFIED)),
    )
    exporting = Shipment.objects.filter(
        within_q("deal__product__bumdes__village__code", code)
    ).aggregate(n=Count("deal__product__bumdes", distinct=True))
    figures.bumdes_registered = bumdes["registered"]
    figures.bumdes_verified = bumdes["verified"]
    figures.products_export_ready = products["ready"]
    figures.bumdes_export_ready = products["ready_bumdes"]
    figures.products_in_review = products["in_review"]
    figures.products_with_gaps = products["with_gaps"]
    figures.bumdes_exporting = exporting["n"]
    figures.funnel, figures.funnel_days = funnel.progress(code)
    figures.readiness_gaps = readiness_gaps(code)
    return figures


def readiness_gaps(code: str) -> dict[str, int]:
    """Readiness rule code -> the verified (not yet export-ready) products of the region that
    miss it."""
    rules = product_selectors.active_rules()
    verified = Product.objects.filter(
        within_q("bumdes__village__code", code), status=Product.Status.VERIFIED
    ).order_by("pk")
    ids = list(verified.values_list("pk", flat=True))
    counts: dict[str, int] = {}
    for start in range(0, len(ids), GAP_BATCH):
        batch = product_selectors.facts_of_many(
            Product.objects.filter(pk__in=ids[start : start + GAP_BATCH])
        )
        for facts in batch.values():
            for gap in evaluate(facts, rules).gaps:
                counts[gap.code] = counts.get(gap.code, 0) + 1
    return counts


# --- keeping the tallies --------------------------------------------------------------------


def _store(code: str, figures: Figures) -> None:
    values = {name: getattr(figures, name) for name in (*COUNTS, *TALLIES)}
    RegionTally.objects.update_or_create(
        code=code, defaults={**values, "refreshed_at": figures.refreshed_at or timezone.now()}
    )


def _sum(codes: Iterable[str]) -> Figures:
    total = Figures()
    for row in RegionTally.objects.filter(code__in=list(codes)):
        total.add(from_row(row))
    total.refreshed_at = timezone.now()
    return total


def _children(code: str, length: int) -> list[str]:
    rows = RegionTally.objects.all()
    if code:
        rows = rows.filter(code__startswith=f"{code}.")
    return [c for c in rows.values_list("code", flat=True) if len(c) == length]


def regency_of(village_code: str) -> str:
    return village_code[:5]


def refresh(regency_codes: Iterable[str]) -> list[str]:
    """Count these regencies again, then their provinces and the country; returns the regency
    codes counted (idempotent: counting twice gives the same rows)."""
    regencies = sorted({code[:5] for code in regency_codes if len(code) >= 5})
    if not regencies:
        return []
    ledger.refresh()  # before the new count time: its pages find the shipments' columns
    for code in regencies:
        _store(code, compute(code))
    _roll_up(sorted({code[:2] for code in regencies}))
    return regencies


def _roll_up(provinces: list[str]) -> None:
    with transaction.atomic():
        # One roll-up at a time: two workers summing at once could each miss the other's regency.
        RegionTally.objects.select_for_update().filter(code=COUNTRY).first()
        for province in provinces:
            _store(province, _sum(_children(province, 5)))
        _store(COUNTRY, _sum(_children(COUNTRY, 2)))


def refresh_all() -> int:
    """Count every regency that holds a BUMDes again (a regency without one counts nothing and
    keeps no tally), drop the other tallies, and return the regencies counted."""
    regencies = {
        regency_of(code)
        for code in Bumdes.objects.order_by().values_list("village_id", flat=True).distinct()
    }
    ledger.refresh()  # before the new count time: its pages find the shipments' columns
    for code in sorted(regencies):
        _store(code, compute(code))
    provinces = sorted({code[:2] for code in regencies})
    RegionTally.objects.exclude(code__in=[COUNTRY, *regencies, *provinces]).delete()
    _roll_up(provinces)
    return len(regencies)


def regencies_of_products(product_ids: Iterable[int]) -> set[str]:
    villages = Product.objects.filter(pk__in=list(product_ids)).values_list(
        "bumdes__village_id", flat=True
    )
    return {regency_of(code) for code in villages.distinct()}


def regencies_of_bumdes(bumdes_ids: Iterable[int]) -> set[str]:
    villages = Bumdes.objects.filter(pk__in=list(bumdes_ids)).values_list("village_id", flat=True)
    return {regency_of(code) for code in villages.distinct()}


# --- reading ----------------------------------------------------------------------------------


def from_row(row: RegionTally) -> Figures:
    return Figures(
        **{name: getattr(row, name) for name in (*COUNTS, *TALLIES)},
        refreshed_at=row.refreshed_at,
    )


def figures_of(code: str, *, tallies: tuple[str, ...] = TALLIES) -> Figures:
    """A region's figures: its tally for the country, a province or a regency (zeros where
    nothing was counted), counted now for a smaller region. ``tallies`` names the JSON tallies
    wanted (the others are left empty)."""
    if len(code) not in TALLIED:
        return compute(code)
    row = RegionTally.objects.filter(code=code).only(*COUNTS, *tallies, "refreshed_at").first()
    if row is None:
        return Figures()
    return Figures(
        **{name: getattr(row, name) for name in (*COUNTS, *tallies)},
        refreshed_at=row.refreshed_at,
    )


def counts_by_region(length: int, within: str = COUNTRY) -> dict[str, Figures]:
    """The counts (no JSON tallies) of every tallied region of code length ``length`` (2 or 5)
    inside ``within`` (a region code of a shorter length, "" the country)."""
    rows = (
        RegionTally.objects.annotate(code_length=Length("code"))
        .filter(code_length=length)
        .only(*COUNTS, "refreshed_at")
    )
    if within:
        rows = rows.filter(code__startswith=f"{within}.")
    return {
        row.code: Figures(**{n: getattr(row, n) for n in COUNTS}, refreshed_at=row.refreshed_at)
        for row in rows
    }


def gaps_of(codes: Iterable[str]) -> dict[str, int]:
    """The readiness gaps of the verified products of these tallied regions, added up."""
    total: dict[str, int] = {}
    for gaps in RegionTally.objects.filter(code__in=list(codes)).values_list(
        "readiness_gaps", flat=True
    ):
        _add(total, gaps)
    return total


#: The count time before the tallies were ever counted.
NEVER = "never"


def count_time(counted: datetime | None) -> str:
    """The count time as the dashboard's kept figures and the ledger name it."""
    return counted.isoformat() if counted else NEVER


def counted_at() -> datetime | None:
    """When the whole country's figures were last added up (None: never)."""
    return RegionTally.objects.filter(code=COUNTRY).values_list("refreshed_at", flat=True).first()
