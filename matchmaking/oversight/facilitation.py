"""Facilitation on the dashboard: the help asked for the products of the reader's region, by
service, with the turnaround (``matchmaking.dealings.selectors.turnaround_of``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from exporters.models import Service
from matchmaking.access import AnyUser
from matchmaking.dealings.models import ServiceRequest
from matchmaking.dealings.selectors import TURNAROUND_TIMES, Turnaround, turnaround_of_times
from matchmaking.oversight.funnel import within_q
from matchmaking.oversight.selectors import village_scope
from matchmaking.oversight.shipments import Period


@dataclass(frozen=True)
class FacilitationRow:
    key: str
    label: str
    turnaround: Turnaround


def facilitation_rows(user: AnyUser, period: Period, within: str = "") -> list[FacilitationRow]:
    """One row per service and one for all, for the requests made in the period about products
    in the reader's region (and in ``within``, a region code, when given)."""
    requests = ServiceRequest.objects.filter(
        village_scope(user, "product__bumdes__village__code"),
        within_q("product__bumdes__village__code", within),
        period.q("created_at__date"),
    )
    times: dict[str, list[Any]] = {value: [] for value in Service.values}
    everything = []
    for service, *when in requests.values_list("service", *TURNAROUND_TIMES):
        times.setdefault(service, []).append(tuple(when))
        everything.append(tuple(when))
    rows = [
        FacilitationRow(value, str(label), turnaround_of_times(times[value]))
        for value, label in Service.choices
    ]
    rows.append(FacilitationRow("all", _("All services"), turnaround_of_times(everything)))
    return rows
