"""The organiser's pages of a forum: the request matrix, the table plan, the scheduler with its
unplaced requests and placement by hand, statistics and exports. Organisers manage; other
ministry staff read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import exports as forum_exports
from matchmaking.forums import reports, services
from matchmaking.forums.forms import MoveForm
from matchmaking.forums.models import Forum, Meeting, MeetingRequest
from matchmaking.forums.selectors import unplaced_label
from matchmaking.forums.views.common import BADGES, badge, managed_forum, organiser_view
from matchmaking.pages import signed_in


@signed_in
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = organiser_view(request.user, pk)
    grid = reports.request_matrix(forum)
    table = [
        {
            "row": row,
            "cells": [grid.cells.get((row.pk, column.pk)) for column in grid.columns],
        }
        for row in grid.rows
    ]
    for line in table:
        for cell in line["cells"]:
            if cell:
                cell["badge"] = BADGES.get(
                    cell["meeting"].status if cell["meeting"] else cell["status"], ""
                )
    return render(
        request,
        "matchmaking/forums/matrix.html",
        {
            "forum": forum,
            "columns": grid.columns,
            "table": table,
            "manages": manages,
            "tab": "matrix",
        },
    )


@signed_in
def table_plan(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = organiser_view(request.user, pk)
    plan = reports.table_plan(forum)
    rows = [
        {"slot": slot, "cells": [plan.cells.get((slot.pk, table.pk)) for table in plan.tables]}
        for slot in plan.slots
    ]
    for row in rows:
        for meeting in row["cells"]:
            if meeting:
                badge(meeting)
    return render(
        request,
        "matchmaking/forums/table_plan.html",
        {"forum": forum, "tables": plan.tables, "rows": rows, "manages": manages, "tab": "plan"},
    )


def _schedule_page(
    request: HttpRequest,
    forum: Forum,
    manages: bool,
    *,
    status: int = 200,
    place_forms: dict[int, MoveForm] | None = None,
) -> HttpResponse:
    unplaced = list(reports.unplaced_requests(forum))
    place_forms = place_forms or {}
    row: Any
    for row in unplaced:
        row.reason_label = unplaced_label(row.unplaced_reason) if row.unplaced_reason else ""
        row.form = place_forms.get(row.pk) or (MoveForm(forum=forum) if manages else None)
    return render(
        request,
        "matchmaking/forums/schedule.html",
        {
            "forum": forum,
            "manages": manages,
            "unplaced": unplaced,
            "runs": list(forum.schedule_runs.select_related("run_by")[:5]),
            "scheduled": forum.meetings.filter(status=Meeting.Status.SCHEDULED).count(),
            "without_free_slots": reports.without_free_slots(forum),
            "tab": "schedule",
        },
        status=status,
    )


@signed_in
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheduler's report (unplaced requests and why) and, by POST, a new run."""
    if request.method == "POST":
        forum = managed_forum(request.user, pk)
        try:
            report = services.run_scheduler(actor=request.user, forum=forum)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _schedule_page(request, forum, True, status=400)
        messages.success(
            request,
            _(
                "Meetings placed: %(placed)d; confirmed meetings kept: %(kept)d; not placed: %(unplaced)d."
            )
            % {"placed": report.placed, "kept": report.kept, "unplaced": len(report.unplaced)},
        )
        return redirect("forums:schedule", pk=pk)
    forum, manages = organiser_view(request.user, pk)
    return _schedule_page(request, forum, manages)


@signed_in
@require_POST
def schedule_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
    count = services.confirm_meetings(actor=request.user, forum=forum)
    messages.success(
        request,
        ngettext(
            "%(n)d meeting confirmed; both sides are told.",
            "%(n)d meetings confirmed; both sides are told.",
            count,
        )
        % {"n": count},
    )
    return redirect("forums:schedule", pk=pk)


@signed_in
@require_POST
def request_place(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
    meeting_request = get_object_or_404(MeetingRequest, pk=request_pk, forum=forum)
    form = MoveForm(request.POST, forum=forum)
    if form_action(
        form,
        lambda data: services.place_by_hand(actor=request.user, request=meeting_request, **data),
    ):
        messages.success(request, _("The meeting is placed."))
        return redirect("forums:schedule", pk=pk)
    return _schedule_page(request, forum, True, status=400, place_forms={meeting_request.pk: form})


@signed_in
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = organiser_view(request.user, pk)
    return render(
        request,
        "matchmaking/forums/statistics.html",
        {
            "forum": forum,
            "stats": reports.forum_statistics(forum),
            "manages": manages,
            "tab": "stats",
        },
    )


@signed_in
def export(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    forum, _manages = organiser_view(request.user, pk)
    if what not in forum_exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    return forum_exports.response(forum, what, fmt)
