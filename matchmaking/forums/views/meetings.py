"""Meeting pages: a meeting with its records, the deals it led to and its follow-ups; the
organiser's move; each side's record; what it led to (recorded into a deal) and follow-up
tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import access, selectors, services
from matchmaking.forums.forms import FollowUpForm, MoveForm, OutcomeForm, RecordForm
from matchmaking.forums.models import Meeting
from matchmaking.forums.views.common import badge, meeting_or_404
from matchmaking.pages import signed_in


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    move_form: MoveForm | None = None,
    record_form: RecordForm | None = None,
    outcome_form: OutcomeForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    viewer = access.ForumViewer(request.user)
    manages = viewer.organises(meeting.forum)
    side = viewer.meeting_side(meeting)
    badge(meeting)
    records = list(meeting.records.select_related("participant", "recorded_by"))
    own_record = next((r for r in records if side and r.participant_id == side.pk), None)
    products = selectors.meeting_products(meeting).select_related("bumdes")
    may_add = viewer.records_outcomes(meeting)
    deal_rows = list(selectors.visible_meeting_deals(request.user, meeting))
    organisation = selectors.meeting_organisation(meeting)
    return render(
        request,
        "matchmaking/forums/meeting_detail.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "zone": side.zone if side else meeting.forum.tzinfo,
            "side": side,
            "manages": manages,
            "records": records,
            "deals": deal_rows,
            "deal_ids": {d.pk for d in deal_rows},
            "leads_to_deals": organisation is not None,
            "legacy_outcomes": selectors.legacy_outcomes(meeting),
            "follow_ups": list(meeting.follow_ups.select_related("owner")),
            "attendees": list(meeting.attendees.all()),
            "move_form": move_form
            or (
                MoveForm(
                    forum=meeting.forum, initial={"slot": meeting.slot, "table": meeting.table}
                )
                if access.ForumViewer(request.user).may_move_meeting(meeting)
                else None
            ),
            "record_form": record_form
            or (
                RecordForm(
                    initial={
                        "held": "1" if own_record is None or own_record.held else "0",
                        "notes": own_record.notes if own_record else "",
                        "rating": own_record.rating if own_record else None,
                        "comment": own_record.comment if own_record else "",
                    }
                )
                if side is not None and meeting.has_started()
                else None
            ),
            "not_started": side is not None and not meeting.has_started(),
            "outcome_form": outcome_form
            or (
                OutcomeForm(products=products)
                if may_add and organisation is not None and meeting.status == Meeting.Status.HELD
                else None
            ),
            "follow_up_form": follow_up_form
            or (_follow_up_form(request, meeting) if may_add else None),
        },
        status=status,
    )


def _follow_up_form(request: HttpRequest, meeting: Meeting, data=None) -> FollowUpForm:
    return FollowUpForm(
        data,
        owners=services.follow_up_owners(meeting),
        deals=selectors.visible_meeting_deals(request.user, meeting),
    )


@signed_in
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, meeting_or_404(request.user, pk))


@signed_in
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    if not access.organises(request.user, meeting.forum):
        raise PermissionDenied
    form = MoveForm(request.POST, forum=meeting.forum)
    if form_action(
        form, lambda data: services.move_meeting(actor=request.user, meeting=meeting, **data)
    ):
        messages.success(request, _("The meeting is moved."))
        return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, move_form=form)


@signed_in
@require_POST
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    form = RecordForm(request.POST)
    if form_action(
        form, lambda data: services.record_meeting(actor=request.user, meeting=meeting, **data)
    ):
        messages.success(request, _("Thank you, your record is saved."))
        return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, record_form=form)


@signed_in
@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    if not access.records_outcomes(request.user, meeting):
        raise PermissionDenied
    form = OutcomeForm(request.POST, products=selectors.meeting_products(meeting))
    if result := form_action(
        form, lambda data: services.record_outcome(actor=request.user, meeting=meeting, data=data)
    ):
        assert result.value is not None
        messages.success(
            request,
            _("Recorded on the deal: %(stage)s.") % {"stage": result.value.get_stage_display()},
        )
        return redirect(reverse("forums:meeting_detail", args=[pk]) + "#deals")
    return _meeting_page(request, meeting, status=400, outcome_form=form)


@signed_in
@require_POST
def meeting_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    if not access.records_outcomes(request.user, meeting):
        raise PermissionDenied
    form = _follow_up_form(request, meeting, request.POST)
    if form_action(
        form, lambda data: services.add_follow_up(actor=request.user, meeting=meeting, **data)
    ):
        messages.success(request, _("Follow-up added."))
        return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, follow_up_form=form)


@signed_in
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.visible_follow_ups(request.user), pk=pk)
    services.complete_follow_up(
        actor=request.user, follow_up=task, done=request.POST.get("done", "1") != "0"
    )
    return redirect(reverse("forums:meeting_detail", args=[task.meeting_id]) + "#follow-ups")
