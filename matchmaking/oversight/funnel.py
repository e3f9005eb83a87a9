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

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.access import AnyUser
from matchmaking.dealings.models import Inquiry, Offer
from matchmaking.deals.models import DealStage, DealStep
from matchmaking.forums.models import Meeting, MeetingRequest
from matchmaking.matching.models import ProductMatches
from matchmaking.matching.selectors import weights
from matchmaking.oversight.selectors import village_scope
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


def reached_by_step(user: AnyUser, within: str = "") -> dict[str, Reached]:
    """For each step, the products in the reader's region (and in ``within``, a province or
    regency code, when given) that reached it and when."""
    scope_q = village_scope(user, "bumdes__village__code") & within_q(
        "bumdes__village__code", within
    )
    products = list(Product.objects.filter(scope_q).values_list("pk", "status", "created_at"))
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


def funnel(user: AnyUser, within: str = "") -> list[FunnelStep]:
    reached = reached_by_step(user, within)
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
    result: list[FunnelStep] = []
    previous: Reached | None = None
    for key, label in STEPS:
        now = reached[key]
        conversion = None
        median_days = None
        if previous is not None:
            conversion = (len(now) / len(previous)) if previous else None
            gaps = [
                (day - before).days
                for pk, day in now.items()
                if day is not None and (before := previous.get(pk)) is not None and before <= day
            ]
            median_days = float(statistics.median(gaps)) if gaps else None
        result.append(FunnelStep(key, str(label), len(now), conversion, median_days))
        previous = now
    return result
