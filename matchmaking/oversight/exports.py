"""Every dashboard table as a CSV or XLSX download, with the page's access rules and filters:
the provinces against the target, a province's regencies, the funnel and the shipment totals.
Cells that look like formulas are neutralised by ``bumdes_export.core.spreadsheets``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.core.i18n import active_language
from bumdes_export.core.spreadsheets import Table
from bumdes_export.reference.models import Region
from matchmaking.access import AnyUser
from matchmaking.oversight import selectors, shipments
from matchmaking.oversight.facilitation import facilitation_rows
from matchmaking.oversight.selectors import ProvinceStatus


@dataclass(frozen=True)
class Filters:
    year: int
    period: shipments.Period
    province: str = ""


def _reasons(status: ProvinceStatus) -> str:
    return "; ".join(str(selectors.REASONS[code]) for code in status.missing)


def _status_rows(statuses: list[ProvinceStatus]) -> list[list[object]]:
    return [
        [
            s.code,
            s.name,
            s.bumdes_registered,
            s.bumdes_verified,
            s.bumdes_export_ready,
            s.products_export_ready,
            s.products_in_review,
            s.products_with_gaps,
            s.bumdes_exporting,
            s.target,
            _("yes") if s.meets_target else _("no"),
            _reasons(s),
        ]
        for s in statuses
    ]


def _status_header(first: str) -> list[str]:
    return [
        _("Code"),
        first,
        _("BUMDes registered"),
        _("BUMDes verified"),
        _("BUMDes with an export-ready product"),
        _("Export-ready products"),
        _("Products in review"),
        _("Verified products with readiness gaps"),
        _("Exporting BUMDes"),
        _("Target"),
        _("Meets the target"),
        _("Missing"),
    ]


def provinces_table(user: AnyUser, filters: Filters) -> Table:
    statuses = selectors.province_statuses(user, filters.year)
    return Table(
        _("Provinces %(year)d") % {"year": filters.year},
        _status_header(_("Province")),
        _status_rows(statuses),
    )


def regencies_table(user: AnyUser, filters: Filters) -> Table:
    province = Region.objects.filter(code=filters.province, level=Region.Level.PROVINCE).first()
    if province is None or not selectors.visible_provinces(user).filter(pk=province.pk).exists():
        raise Http404
    return Table(
        province.name,
        _status_header(_("Regency or city")),
        _status_rows(selectors.regency_statuses(user, province, filters.year)),
    )


def funnel_table(user: AnyUser, filters: Filters) -> Table:
    return Table(
        _("Funnel"),
        [_("Step"), _("Products"), _("Share of the step before"), _("Median days")],
        [
            [
                step.label,
                step.products,
                "" if step.conversion is None else round(step.conversion, 4),
                "" if step.median_days is None else step.median_days,
            ]
            for step in selectors.funnel_steps(user, within=filters.province)
        ],
    )


def _shipments_table(
    title: Promise, key: Promise, group: str
) -> Callable[[AnyUser, Filters], Table]:
    def build(user: AnyUser, filters: Filters) -> Table:
        totals = shipments.totals(
            user, filters.period, group, active_language(), region=filters.province
        )
        return Table(
            str(title),
            [str(key), _("Shipments"), _("Volume (kg)"), _("Volume (litres)"), _("Value (USD)")],
            [[t.label, t.shipments, t.volume_kg, t.volume_l, t.value_usd] for t in totals],
        )

    return build


def facilitation_table(user: AnyUser, filters: Filters) -> Table:
    return Table(
        _("Facilitation"),
        [
            _("Service"),
            _("Requests"),
            _("Answered"),
            _("Median hours to answer"),
            _("Completed"),
            _("Median days to complete"),
        ],
        [
            [
                row.label,
                row.turnaround.requests,
                row.turnaround.answered,
                row.turnaround.median_hours_to_answer,
                row.turnaround.completed,
                row.turnaround.median_days_to_complete,
            ]
            for row in facilitation_rows(user, filters.period, within=filters.province)
        ],
    )


#: The downloads, by the name used in their address.
EXPORTS: dict[str, Callable[[AnyUser, Filters], Table]] = {
    "provinces": provinces_table,
    "regencies": regencies_table,
    "funnel": funnel_table,
    "facilitation": facilitation_table,
    "shipments-by-chapter": _shipments_table(
        gettext_lazy("Shipments by HS chapter"), gettext_lazy("HS chapter"), "chapter"
    ),
    "shipments-by-heading": _shipments_table(
        gettext_lazy("Shipments by HS heading"), gettext_lazy("HS heading"), "heading"
    ),
    "shipments-by-destination": _shipments_table(
        gettext_lazy("Shipments by destination"), gettext_lazy("Country"), "destination"
    ),
    "shipments-by-province": _shipments_table(
        gettext_lazy("Shipments by province"), gettext_lazy("Province"), "province"
    ),
    "shipments-by-month": _shipments_table(
        gettext_lazy("Shipments by month"), gettext_lazy("Month"), "month"
    ),
    "top-bumdes": _shipments_table(gettext_lazy("Top BUMDes"), gettext_lazy("BUMDes"), "bumdes"),
    "top-organisations": _shipments_table(
        gettext_lazy("Top exporters and buyers"),
        gettext_lazy("Organisation"),
        "organisation",
    ),
}
