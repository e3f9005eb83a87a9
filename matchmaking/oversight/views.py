"""The dashboard: where every province stands against the programme's target, and a province's
regencies. Ministry staff see the 38 provinces and set the targets; an officer his region."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from bumdes_export.core.i18n import active_language
from bumdes_export.core.spreadsheets import FORMATS, download
from bumdes_export.reference.access import can_manage_reference_data
from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import designation_in_force
from matchmaking.oversight import (
    access,
    cache,
    exports,
    report,
    selectors,
    services,
    shipments,
    tallies,
)
from matchmaking.oversight.facilitation import facilitation_rows
from matchmaking.oversight.forms import TargetForm, YearForm
from matchmaking.oversight.map import regency_map
from matchmaking.oversight.pipeline import own_pipeline
from matchmaking.pages import signed_in


def _allowed(request: HttpRequest) -> None:
    if not access.may_see_dashboard(request.user):
        raise PermissionDenied(
            _("The province figures are for ministry staff and regional officers.")
        )


def _page(request: HttpRequest, year: int, target_form: TargetForm | None, status: int = 200):
    user = request.user
    filters = YearForm(request.GET or {"year": year})
    period = filters.period()
    language = active_language()
    counted = tallies.counted_at()
    generation = cache.generation(counted)
    # Handed over unevaluated: a part of the page found in the dashboard's cache counts nothing.
    statuses = SimpleLazyObject(lambda: selectors.province_statuses(user, year))
    summary = SimpleLazyObject(lambda: selectors.target_summary(statuses, year))
    return render(
        request,
        "matchmaking/oversight/dashboard.html",
        {
            "year": year,
            "year_form": filters,
            "query": _filters_query(year, period),
            "period": period,
            "period_query": _period_query(period),
            "reader": cache.reader_key(user),
            "generation": generation,
            "targets": selectors.targets_version(year),
            "shipments": SimpleLazyObject(
                lambda: shipments.figures(user, period, language, kept_for=generation)
            ),
            "facilitation": SimpleLazyObject(lambda: facilitation_rows(user, period)),
            "statuses": statuses,
            "summary": summary,
            "common_gaps": SimpleLazyObject(
                lambda: selectors.common_gaps_of([s.code for s in summary.short], language)
            ),
            "target_form": target_form,
            "regency_map": SimpleLazyObject(lambda: regency_map(user)),
            "funnel": SimpleLazyObject(lambda: selectors.funnel_steps(user)),
            "counted_at": counted,
            "in_force": designation_in_force(),
            "may_load_designation": can_manage_reference_data(user),
            "reasons": selectors.REASONS,
        },
        status=status,
    )


def _filters_query(year: int, period: shipments.Period, **more: str) -> str:
    """The page's filters as read (not as typed: unknown parameters and values not understood
    left out), for its downloads and as the key of its kept parts."""
    return urlencode({"year": str(year), **more}) + (
        f"&{_period_query(period)}" if period.start or period.end else ""
    )


def _period_query(period: shipments.Period, **more: str) -> str:
    """The query of the downloads whose figures follow the period only (not the year), as read."""
    kept = {}
    if period.start:
        kept["shipped_from"] = period.start.isoformat()
    if period.end:
        kept["shipped_until"] = period.end.isoformat()
    return urlencode({**more, **kept})


@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    if not access.may_see_dashboard(request.user) and access.has_own_pipeline(request.user):
        return render(
            request,
            "matchmaking/oversight/pipeline.html",
            {"pipeline": own_pipeline(request.user)},
        )
    _allowed(request)
    year = YearForm(request.GET).year_or_current()
    form = TargetForm(initial={"year": year}) if access.may_set_targets(request.user) else None
    return _page(request, year, form)


@signed_in
@require_POST
def set_target(request: HttpRequest) -> HttpResponse:
    if not access.may_set_targets(request.user):
        raise Http404
    form = TargetForm(request.POST)
    result = form_action(
        form,
        lambda data: services.set_target(
            actor=request.user,
            province=data["province"],
            year=data["year"],
            export_ready_bumdes=data["export_ready_bumdes"],
        ),
    )
    if result:
        messages.success(request, _("Target saved."))
        return redirect(f"{reverse('oversight:dashboard')}?year={form.cleaned_data['year']}")
    year = getattr(form, "cleaned_data", {}).get("year")
    return _page(request, year or YearForm().year_or_current(), form, status=400)


@signed_in
def province_pick(request: HttpRequest) -> HttpResponse:
    """The dashboard's province picker: to the province's page, with the filters."""
    _allowed(request)
    code = request.GET.get("province", "")
    if not selectors.visible_provinces(request.user).filter(code=code).exists():
        return redirect("oversight:dashboard")
    query = request.GET.copy()
    query.pop("province", None)
    return redirect(f"{reverse('oversight:province', args=[code])}?{query.urlencode()}")


@signed_in
def province(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request)
    region = get_object_or_404(Region, code=code, level=Region.Level.PROVINCE)
    if not selectors.visible_provinces(request.user).filter(code=region.code).exists():
        raise Http404
    filters = YearForm(request.GET)
    year = filters.year_or_current()
    period = filters.period()
    user = request.user
    language = active_language()
    counted = tallies.counted_at()
    generation = cache.generation(counted)
    statuses = selectors.province_statuses(user, year, code=region.code)
    query = _filters_query(year, period, province=region.code)
    return render(
        request,
        "matchmaking/oversight/province.html",
        {
            "year": year,
            "year_form": YearForm(request.GET or {"year": year}),
            "period": period,
            "province": region,
            "query": query,
            "period_query": _period_query(period, province=region.code),
            "reader": cache.reader_key(user),
            "generation": generation,
            "funnel": SimpleLazyObject(lambda: selectors.funnel_steps(user, within=region.code)),
            "shipments": SimpleLazyObject(
                lambda: shipments.figures(
                    user, period, language, region=region.code, kept_for=generation
                )
            ),
            "facilitation": SimpleLazyObject(
                lambda: facilitation_rows(user, period, within=region.code)
            ),
            "status": statuses[0] if statuses else None,
            "regencies": SimpleLazyObject(lambda: selectors.regency_statuses(user, region, year)),
            "common_gaps": SimpleLazyObject(lambda: selectors.common_gaps(code, language)),
            "counted_at": counted,
            "reasons": selectors.REASONS,
        },
    )


@signed_in
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    """A dashboard table as CSV or XLSX, with the page's filters and access rules."""
    _allowed(request)
    if what not in exports.EXPORTS or fmt not in FORMATS:
        raise Http404
    filters = YearForm(request.GET)
    province = request.GET.get("province", "")
    if province and not selectors.visible_provinces(request.user).filter(code=province).exists():
        raise Http404
    table = exports.EXPORTS[what](
        request.user,
        exports.Filters(filters.year_or_current(), filters.period(), province),
    )
    return download(table, f"dashboard-{what}{'-' + province if province else ''}", fmt)


def _month(raw: str) -> date:
    """``YYYY-MM`` from the query; the month before this one when absent or not understood."""
    try:
        year, month = (int(part) for part in raw.split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError(year)
        return date(year, month, 1)
    except ValueError:
        this_month = timezone.localdate().replace(day=1)
        return (this_month - timedelta(days=1)).replace(day=1)


@signed_in
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The printable monthly report: target status, changes since the month began, top deals,
    the provinces that need help, with the charts."""
    _allowed(request)
    month = _month(request.GET.get("month", ""))
    return render(
        request,
        "matchmaking/oversight/report.html",
        {
            "report": report.monthly_report(request.user, month, active_language()),
            "funnel": selectors.funnel_steps(request.user),
            "reasons": selectors.REASONS,
            "compared": report.COMPARED,
            "query": f"shipped_from={month:%Y-%m-%d}&shipped_until={report.month_end(month):%Y-%m-%d}",
            "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
            "next": (report.month_end(month) + timedelta(days=1)).strftime("%Y-%m"),
            "generated": timezone.now(),
        },
    )
