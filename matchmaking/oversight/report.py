"""The ministry's monthly report: where the target stands at the end of a month, what changed
since its start (against the snapshot of every province taken when the month began), the top
deals and the provinces that need help."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from matchmaking.access import AnyUser
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal
from matchmaking.oversight import selectors, shipments
from matchmaking.oversight.models import TargetSnapshot
from matchmaking.oversight.selectors import ProvinceStatus

#: The figures compared between a month's start and its end.
COMPARED = (
    "bumdes_registered",
    "bumdes_verified",
    "bumdes_export_ready",
    "products_export_ready",
    "bumdes_exporting",
)


@dataclass(frozen=True)
class ProvinceChange:
    code: str
    name: str
    deltas: dict[str, int]


@dataclass(frozen=True)
class TopDeal:
    deal: Deal
    shipments: int
    value_usd: Decimal


@dataclass
class MonthlyReport:
    month: date
    end: date
    statuses: list[ProvinceStatus]
    has_start: bool
    meeting: int = 0
    meeting_at_start: int | None = None
    newly_meeting: list[str] = field(default_factory=list)
    newly_short: list[str] = field(default_factory=list)
    changes: list[ProvinceChange] = field(default_factory=list)
    deals_opened: int = 0
    shipments: int = 0
    value_usd: Decimal = Decimal(0)
    top_deals: list[TopDeal] = field(default_factory=list)
    destinations: list[shipments.Total] = field(default_factory=list)

    @property
    def short(self) -> list[ProvinceStatus]:
        return [s for s in self.statuses if not s.meets_target]


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _figures_at_end(user: AnyUser, month: date) -> list[ProvinceStatus]:
    """The figures at the end of a past month (the next month's snapshot), or today's."""
    following = month_end(month) + timedelta(days=1)
    snapshots = {s.province_id: s for s in TargetSnapshot.objects.filter(month=following)}
    live = selectors.province_statuses(user, month.year)
    if following > timezone.localdate() or not snapshots:
        return live
    for status in live:
        snap = snapshots.get(status.code)
        if snap is None:
            continue
        for name in COMPARED:
            setattr(status, name, getattr(snap, name))
        status.target = snap.target
        status.missing = selectors.missing_for(status)
    return live


def monthly_report(user: AnyUser, month: date, language: str = "id") -> MonthlyReport:
    month = month.replace(day=1)
    end = month_end(month)
    statuses = _figures_at_end(user, month)
    start = {s.province_id: s for s in TargetSnapshot.objects.filter(month=month)}
    report = MonthlyReport(month=month, end=end, statuses=statuses, has_start=bool(start))
    report.meeting = sum(1 for s in statuses if s.meets_target)
    if start:
        seen = [s for s in statuses if s.code in start]
        report.meeting_at_start = sum(1 for s in seen if start[s.code].meets_target)
        for status in seen:
            before = start[status.code]
            if status.meets_target and not before.meets_target:
                report.newly_meeting.append(status.name)
            if before.meets_target and not status.meets_target:
                report.newly_short.append(status.name)
            deltas = {
                name: getattr(status, name) - getattr(before, name)
                for name in COMPARED
                if getattr(status, name) != getattr(before, name)
            }
            if deltas:
                report.changes.append(ProvinceChange(status.code, status.name, deltas))
    visible = deal_selectors.visible_deals(user) if user is not None else Deal.objects.all()
    report.deals_opened = visible.filter(
        opened_at__date__gte=month, opened_at__date__lte=end
    ).count()
    period = shipments.Period(month, end)
    in_month = shipments.shipments_in(user, period)
    totals = in_month.aggregate(n=Count("pk"), usd=Sum("value_usd"))
    report.shipments = totals["n"] or 0
    report.value_usd = totals["usd"] or Decimal(0)
    top = (
        in_month.values("deal_id")
        .annotate(n=Count("pk"), usd=Sum("value_usd"))
        .order_by("-usd", "deal_id")[:5]
    )
    deals = Deal.objects.select_related("product__bumdes", "organisation").in_bulk(
        [row["deal_id"] for row in top]
    )
    report.top_deals = [TopDeal(deals[row["deal_id"]], row["n"], row["usd"]) for row in top]
    report.destinations = shipments.by_destination(in_month, language)
    return report
