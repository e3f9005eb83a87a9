"""The programme's funnel: how far the products in the reader's region have come, from registered
to repeat shipments, with the conversion between steps and the median days between them.

The steps from "matched" on count only products that reached export-ready (the ones the
catalogue offers). Each step counts the products that reached it or any later step (a product with a contract was
contacted, whichever way; a product returned after it shipped still shipped), so every step
holds at most the products of the step before. Where the day is known it is the first time the
product reached the step itself:

- registered: the product record's creation;
- verified, export-ready: the first status change to that status (products imported or created
  in that status count from their creation);
- matched: a good match exists now (the match scores keep no date, so no days are given);
- contacted: the first inquiry or sample request, offer on a buying request, or forum meeting
  request from or to a participant that brought the product;
- met: the first held forum meeting of a participant that brought the product;
- letter of intent, contract, first shipment, repeat shipment: the deal steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.dealings.models import Inquiry, Offer
from matchmaking.deals.models import DealStage, DealStep
from matchmaking.forums.models import Meeting, MeetingRequest
from matchmaking.matching.models import ProductMatches
from matchmaking.matching.selectors import weights
from products.models import HistoryEntry, Product

STEPS = (
    ("registered", _("Registered")),
    ("verified", _("Verified")),
    ("export_ready", _("Export-ready")),
    ("matched", _("Matched (a good match)")),
    ("contacted", _("Contacted")),
    ("met", _("Met at a forum")),
    ("loi_mou", _("Letter of intent or MoU")),
    ("contract", _("Contract")),
    ("first_shipment", _("First shipment")),
    ("repeat_shipments", _("Repeat shipment")),
)

#: The steps after export-ready, counted among the products that reached export-ready.
COMMERCIAL_STEPS = tuple(key for key, _label in STEPS[3:])

#: Product -> the day it reached a step (None: reached, day unknown).
Reached = dict[int, date | None]


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    products: int
    conversion: float | None  # share of the previous step's products, 0..1
    median_days: float | None  # from the previous step, over products with both days in order


def _day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date()
    return moment


def _earliest(pairs: Iterable[tuple[int, datetime | date | None]]) -> Reached:
    reached: Reached = {}
    for product_id, moment in pairs:
        day = _day(moment)
        if product_id not in reached or (
            day is not None and (reached[product_id] is None or day < reached[product_id])  # type: ignore[operator]
        ):
            reached[product_id] = day
    return reached


def _status_reached(
    products: Iterable[tuple[int, str, datetime]], status: str, later: tuple[str, ...]
) -> Reached:
    """Products that reached ``status`` (now at it or at a later status), dated by their first
    change to it, or by their creation when they never changed into it (imported so)."""
    holders = {pk: created for pk, current, created in products if current in (status, *later)}
    changed = dict(
        HistoryEntry.objects.filter(
            product_id__in=list(holders), kind=HistoryEntry.Kind.TRANSITION, to_status=status
        )
        .values("product_id")
        .annotate(first=Min("at"))
        .values_list("product_id", "first")
    )
    return {pk: _day(changed.get(pk, created)) for pk, created in holders.items()}


def within_q(field: str, within: str) -> Q:
    """Rows whose village code ``field`` lies in the region ``within`` (everything for "")."""
    if not within:
        return Q()
    return Q(**{field: within}) | Q(**{f"{field}__startswith": f"{within}."})


def reached_by_step(within: str = "") -> dict[str, Reached]:
    """For each step, the products in the region ``within`` (a province, regency or smaller
    region code; "" the whole country) that reached it and when."""
    products = list(
        Product.objects.filter(within_q("bumdes__village__code", within)).values_list(
            "pk", "status", "created_at"
        )
    )
    ids = [pk for pk, _status, _created in products]
    in_scope = set(ids)
    steps: dict[str, Reached] = {"registered": {pk: _day(c) for pk, _s, c in products}}
    steps["verified"] = _status_reached(
        products, Product.Status.VERIFIED, (Product.Status.EXPORT_READY,)
    )
    steps["export_ready"] = _status_reached(products, Product.Status.EXPORT_READY, ())
    good = weights().good_score * 10  # stored in tenths of a point
    steps["matched"] = dict.fromkeys(
        ProductMatches.objects.filter(product_id__in=ids, best_score__gte=good).values_list(
            "product_id", flat=True
        ),
        None,
    )
    contacted = list(
        Inquiry.objects.filter(product_id__in=ids).values_list("product_id", "created_at")
    )
    contacted += list(
        Offer.objects.filter(product_id__in=ids).values_list("product_id", "created_at")
    )
    for field in ("from_participant__products", "to_participant__products"):
        contacted += [
            (pk, at)
            for pk, at in MeetingRequest.objects.filter(**{f"{field}__in": ids}).values_list(
                field, "created_at"
            )
            if pk in in_scope
        ]
    steps["contacted"] = _earliest(contacted)
    met: list[tuple[int, datetime]] = []
    for field in ("party_a__products", "party_b__products"):
        met += [
            (pk, at)
            for pk, at in Meeting.objects.filter(
                Q(**{f"{field}__in": ids}), status=Meeting.Status.HELD
            ).values_list(field, "slot__starts_at")
            if pk in in_scope
        ]
    steps["met"] = _earliest(met)
    for stage in (
        DealStage.LOI_MOU,
        DealStage.CONTRACT,
        DealStage.FIRST_SHIPMENT,
        DealStage.REPEAT_SHIPMENTS,
    ):
        steps[str(stage)] = _earliest(
            DealStep.objects.filter(deal__product_id__in=ids, stage=stage).values_list(
                "deal__product_id", "occurred_on"
            )
        )
    return steps


#: Step -> products that reached it; step -> {days from the step before: products}.
Counts = dict[str, int]
Days = dict[str, dict[str, int]]


def progress(within: str = "") -> tuple[Counts, Days]:
    """How far the products of the region came: the products at each step and, for each step
    after the first, how many took how many days from the step before (products with both days
    known and in order). Counts and day tallies add up across regions."""
    reached = reached_by_step(within)
    # The commercial steps follow the export-ready products: a verified product with a good
    # score or an offer is not counted there (nor made export-ready by it).
    ready = reached["export_ready"].keys()
    for key in COMMERCIAL_STEPS:
        reached[key] = {pk: day for pk, day in reached[key].items() if pk in ready}
    # A product at a later step passed every earlier one (its day there may be unknown).
    later: set[int] = set()
    for key, _label in reversed(STEPS):
        for pk in later - reached[key].keys():
            reached[key][pk] = None
        later |= reached[key].keys()
    counts: Counts = {}
    days: Days = {}
    previous: Reached | None = None
    for key, _label in STEPS:
        now = reached[key]
        counts[key] = len(now)
        if previous is not None:
            tally: dict[str, int] = {}
            for pk, day in now.items():
                before = previous.get(pk)
                if day is not None and before is not None and before <= day:
                    gap = str((day - before).days)
                    tally[gap] = tally.get(gap, 0) + 1
            days[key] = tally
        previous = now
    return counts, days


def median_of(tally: dict[str, int]) -> float | None:
    """The median of values given as {value: how often} (the mean of the two middle ones for an
    even count), None for none."""
    total = sum(tally.values())
    if not total:
        return None
    ordered = sorted((int(value), n) for value, n in tally.items() if n)

    def nth(index: int) -> int:
        for value, n in ordered:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def steps_of(counts: Counts, days: Days) -> list[FunnelStep]:
    """The funnel's steps from the tallied counts and days."""
    result: list[FunnelStep] = []
    previous: int | None = None
    for key, label in STEPS:
        now = counts.get(key, 0)
        conversion = None
        median_days = None
        if previous is not None:
            conversion = (now / previous) if previous else None
            median_days = median_of(days.get(key, {}))
        result.append(FunnelStep(key, str(label), now, conversion, median_days))
        previous = now
    return result
