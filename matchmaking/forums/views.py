"""Forum pages: the list and a forum's page, registration, a participant's page (suggested
counterparts, requests, availability, attendees), the organiser's views (participants, request
matrix, table plan, scheduler and unplaced requests, statistics, exports), meetings with their
records, outcomes and follow-ups, and each participant's agenda (page, print, iCalendar).

Thin: reads go through ``matchmaking.forums.selectors`` (a record outside the reader's scope
answers 404), writes through ``matchmaking.forums.services`` (their ``ValidationError`` is shown on
the form with a 400, their ``PermissionDenied`` answers 403). Anonymous visitors are sent to the
login page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bumdes_export.accounts.access import scope_for
from bumdes_export.core.forms import apply_errors
from matchmaking import access as mm_access
from matchmaking.forums import access as access
from matchmaking.forums import exports as forum_exports
from matchmaking.forums import ics as forum_ics
from matchmaking.forums import selectors as selectors
from matchmaking.forums import services as services
from matchmaking.forums.forms import (
    AnswerForm,
    AttendeeForm,
    AvailabilityForm,
    DecisionForm,
    FollowUpForm,
    ForumFilterForm,
    ForumForm,
    ForumStatusForm,
    MoveForm,
    OutcomeForm,
    RecordForm,
    RegisterForm,
    RequestForm,
    SlotsForm,
    TableForm,
)
from matchmaking.forums.models import (
    FollowUp,
    Forum,
    ForumAttendee,
    ForumParticipant,
    ForumSlot,
    ForumTable,
    Meeting,
    MeetingRequest,
    ParticipantKind,
)
from matchmaking.forums.selectors import unplaced_label
from matchmaking.pages import signed_in
from products import access as product_access
from products.models import Bumdes, Product

PAGE_SIZE = 25
BADGES = {
    "draft": "",
    "published": "ok",
    "finished": "",
    "cancelled": "",
    "pending": "warn",
    "approved": "ok",
    "rejected": "danger",
    "withdrawn": "",
    "accepted": "ok",
    "declined": "danger",
    "scheduled": "warn",
    "confirmed": "ok",
    "held": "ok strong",
    "no_show": "danger",
}
STATUS_ACTIONS = {
    Forum.Status.PUBLISHED: gettext_lazy("Publish"),
    Forum.Status.FINISHED: gettext_lazy("Mark finished"),
    Forum.Status.CANCELLED: gettext_lazy("Cancel the forum"),
}


def _badge(obj, status: str | None = None):
    obj.badge = BADGES.get(status or obj.status, "")
    return obj


def _bad(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- Lookups ---------------------------------------------------------------------------------


def _forum(user, pk: int) -> Forum:
    try:
        return selectors.forum_detail(user, pk)
    except Forum.DoesNotExist:
        raise Http404 from None


def _organiser_view(user, pk: int) -> tuple[Forum, bool]:
    """Organiser pages: organisers manage, other ministry staff read; anyone else 403."""
    forum = _forum(user, pk)
    manages = access.organises(user, forum)
    if not (manages or scope_for(user).is_ministry):
        raise PermissionDenied
    return forum, manages


def _managed(user, pk: int) -> Forum:
    forum, manages = _organiser_view(user, pk)
    if not manages:
        raise PermissionDenied(_("Only the forum's organisers do this."))
    return forum


def _participant(user, pk: int) -> ForumParticipant:
    try:
        return selectors.participant_detail(user, pk)
    except ForumParticipant.DoesNotExist:
        raise Http404 from None


def _meeting(user, pk: int) -> Meeting:
    try:
        return selectors.meeting_detail(user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _request(user, pk: int) -> MeetingRequest:
    return get_object_or_404(selectors.visible_requests(user), pk=pk)


# --- Forums ----------------------------------------------------------------------------------


@signed_in
def forum_list(request: HttpRequest) -> HttpResponse:
    filters = ForumFilterForm(request.GET)
    rows = selectors.forum_list(request.user, status=filters.value("status"), q=filters.value("q"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for forum in page:
        _badge(forum)
    return render(
        request,
        "matchmaking/forums/forum_list.html",
        {
            "page": page,
            "filters": filters,
            "can_create": access.may_create_forum(request.user),
        },
    )


@signed_in
def forum_create(request: HttpRequest) -> HttpResponse:
    if not access.may_create_forum(request.user):
        raise PermissionDenied
    form = ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.create_forum(actor=request.user, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The forum is created as a draft. Add slots and tables."))
            return redirect("forums:forum_setup", pk=forum.pk)
    return render(
        request,
        "matchmaking/forums/forum_form.html",
        {"form": form, "forum": None},
        status=_bad(request) if form.errors else 200,
    )


@signed_in
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
    form = ForumForm(request.POST or None, initial=ForumForm.initial_for(forum))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_forum(actor=request.user, forum=forum, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("forums:forum_detail", pk=pk)
    return render(
        request,
        "matchmaking/forums/forum_form.html",
        {"form": form, "forum": forum},
        status=_bad(request) if form.errors else 200,
    )


def _forum_page(request: HttpRequest, forum: Forum, *, status: int = 200) -> HttpResponse:
    user = request.user
    mine = selectors.my_participants(user, forum)
    for participant in mine:
        _badge(participant)
    manages = access.organises(user, forum)
    _badge(forum)
    return render(
        request,
        "matchmaking/forums/forum_detail.html",
        {
            "forum": forum,
            "mine": mine,
            "manages": manages,
            "reads_organiser_views": manages or scope_for(user).is_ministry,
            "can_register": bool(_register_kinds(user, forum)),
            "slots": list(forum.slots.all()),
            "tables": list(forum.tables.all()),
            "invited": list(forum.invited_regions.all()),
            "actions": [
                {"to": to, "label": label}
                for to, label in STATUS_ACTIONS.items()
                if (forum.status, to) in services.FORUM_TRANSITIONS
            ]
            if manages
            else [],
        },
        status=status,
    )


@signed_in
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _forum_page(request, _forum(request.user, pk))


@signed_in
@require_POST
def forum_status(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
    form = ForumStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return _forum_page(request, forum, status=400)
    try:
        forum = services.set_forum_status(
            actor=request.user, forum=forum, to=form.cleaned_data["to"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _forum_page(request, forum, status=400)
    messages.success(
        request, _("The forum is now: %(status)s.") % {"status": forum.get_status_display()}
    )
    return redirect("forums:forum_detail", pk=pk)


def _setup_page(request, forum, *, slots_form=None, table_form=None, status=200):
    return render(
        request,
        "matchmaking/forums/forum_setup.html",
        {
            "forum": forum,
            "slots": list(forum.slots.all()),
            "tables": list(forum.tables.all()),
            "slots_form": slots_form or SlotsForm(initial={"day": forum.starts_on}),
            "table_form": table_form or TableForm(),
        },
        status=status,
    )


@signed_in
def forum_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Slots and tables of a forum (organisers)."""
    forum = _managed(request.user, pk)
    if request.method != "POST":
        return _setup_page(request, forum)
    if "name" in request.POST:
        form = TableForm(request.POST)
        if form.is_valid():
            try:
                services.add_table(actor=request.user, forum=forum, name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Table added."))
                return redirect("forums:forum_setup", pk=pk)
        return _setup_page(request, forum, table_form=form, status=400)
    form = SlotsForm(request.POST)
    if form.is_valid():
        try:
            created = services.add_slots(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)d slot added.", "%(n)d slots added.", len(created))
                % {"n": len(created)},
            )
            return redirect("forums:forum_setup", pk=pk)
    return _setup_page(request, forum, slots_form=form, status=400)


@signed_in
@require_POST
def slot_remove(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
    slot = get_object_or_404(ForumSlot, pk=slot_pk, forum=forum)
    try:
        services.remove_slot(actor=request.user, slot=slot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _setup_page(request, forum, status=400)
    return redirect("forums:forum_setup", pk=pk)


@signed_in
@require_POST
def table_remove(request: HttpRequest, pk: int, table_pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
    table = get_object_or_404(ForumTable, pk=table_pk, forum=forum)
    try:
        services.remove_table(actor=request.user, table=table)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _setup_page(request, forum, status=400)
    return redirect("forums:forum_setup", pk=pk)


# --- Registration ----------------------------------------------------------------------------


def _register_kinds(user, forum: Forum) -> list[str]:
    """What this user could register at this forum (not yet registered)."""
    if forum.status != Forum.Status.PUBLISHED:
        return []
    scope = scope_for(user)
    kinds = []
    if scope.is_officer:
        if not forum.participants.filter(officer=user).exists():
            kinds.append(ParticipantKind.OFFICER)
        kinds.append(ParticipantKind.BUMDES)
    elif product_access.operated_bumdes_id(user):
        kinds.append(ParticipantKind.BUMDES)
    elif scope.is_exporter and mm_access.verified_organisation(user) is not None:
        kinds.append(ParticipantKind.ORGANISATION)
    return kinds


def _registrable_bumdes(user, forum: Forum):
    return (
        Bumdes.objects.filter(product_access.bumdes_q(user), status=Bumdes.Status.VERIFIED)
        .exclude(forum_participations__forum=forum)
        .order_by("name")
    )


@signed_in
def register(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request.user, pk)
    kinds = _register_kinds(request.user, forum)
    if not kinds and scope_for(request.user).is_exporter:
        mm_access.acting_organisation(request.user)  # says why: no verified organisation
    if not kinds:
        raise PermissionDenied(_("There is nothing you can register for this forum."))
    bumdes = _registrable_bumdes(request.user, forum)
    products = Product.objects.filter(
        bumdes__in=bumdes, status__in=services.FORUM_PRODUCT_STATUSES
    ).select_related("bumdes")
    form = RegisterForm(
        request.POST or None,
        kinds=kinds,
        bumdes=bumdes,
        products=products,
        initial={"kind": kinds[0]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participant = services.register(
                actor=request.user,
                forum=forum,
                kind=data["kind"],
                bumdes=data.get("bumdes"),
                products=list(data.get("products") or []),
                note=data["note"],
                time_zone=data["time_zone"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Registered. The organiser will approve it."))
            return redirect("forums:participant_detail", pk=participant.pk)
    return render(
        request,
        "matchmaking/forums/register.html",
        {"form": form, "forum": forum},
        status=_bad(request) if form.errors else 200,
    )


# --- Organiser: participants -----------------------------------------------------------------


def _participants_page(request, forum, manages, *, status=200):
    rows = list(
        forum.participants.select_related("bumdes__village", "organisation", "officer", "region")
        .prefetch_related("products", "attendees")
        .order_by("status", "kind", "id")
    )
    for row in rows:
        _badge(row)
    return render(
        request,
        "matchmaking/forums/participants.html",
        {"forum": forum, "rows": rows, "manages": manages, "tab": "participants"},
        status=status,
    )


@signed_in
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = _organiser_view(request.user, pk)
    return _participants_page(request, forum, manages)


@signed_in
@require_POST
def participant_decide(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
    participant = get_object_or_404(ForumParticipant, pk=participant_pk, forum=forum)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return _participants_page(request, forum, True, status=400)
    try:
        services.decide_participant(
            actor=request.user,
            participant=participant,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _participants_page(request, forum, True, status=400)
    messages.success(request, _("Decision saved."))
    return redirect("forums:participants", pk=pk)


# --- A participant's page --------------------------------------------------------------------


def _counterparts(participant: ForumParticipant):
    qs = participant.forum.participants.filter(
        status=ForumParticipant.Status.APPROVED
    ).select_related("bumdes", "organisation", "officer", "region")
    if participant.kind == ParticipantKind.ORGANISATION:
        return qs.exclude(kind=ParticipantKind.ORGANISATION)
    return qs.filter(kind=ParticipantKind.ORGANISATION)


def _participant_page(
    request,
    participant,
    *,
    status=200,
    request_form=None,
    availability_form=None,
    attendee_form=None,
):
    user = request.user
    viewer = access.ForumViewer(user)
    acts = viewer.acts_for(participant)
    manages = viewer.organises(participant.forum)
    zone = participant.zone
    requests = list(selectors.request_list(user, participant=participant.pk))
    for row in requests:
        _badge(row)
        row.incoming = row.to_participant_id == participant.pk
        row.other = row.from_participant if row.incoming else row.to_participant
        row.may_answer = acts and row.incoming and row.status == MeetingRequest.Status.PENDING
        row.may_cancel = (
            (acts or manages)
            and row.status in ("pending", "accepted")
            and (not row.incoming or row.status == "accepted" or manages)
        )
        row.unplaced_label = unplaced_label(row.unplaced_reason) if row.unplaced_reason else ""
    meetings = selectors.agenda(participant)
    for meeting in meetings:
        _badge(meeting)
        meeting.other = meeting.other_party(participant)
    suggestions = (
        selectors.suggested_counterparts(participant)
        if participant.is_approved and (acts or manages)
        else []
    )
    _badge(participant)
    return render(
        request,
        "matchmaking/forums/participant_detail.html",
        {
            "participant": participant,
            "forum": participant.forum,
            "zone": zone,
            "acts": acts,
            "manages": manages,
            "requests": requests,
            "meetings": meetings,
            "suggestions": suggestions,
            "products": list(participant.products.all()),
            "attendees": list(participant.attendees.select_related("user")),
            "request_form": request_form
            or (RequestForm(counterparts=_counterparts(participant)) if acts else None),
            "availability_form": availability_form
            or AvailabilityForm(
                forum=participant.forum,
                zone=zone,
                initial={
                    "slots": list(participant.availability.values_list("slot_id", flat=True)),
                    "time_zone": participant.time_zone,
                },
            ),
            "attendee_form": attendee_form or AttendeeForm(),
            "may_request": acts
            and participant.is_approved
            and participant.forum.status == Forum.Status.PUBLISHED,
        },
        status=status,
    )


@signed_in
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _participant_page(request, _participant(request.user, pk))


@signed_in
@require_POST
def participant_availability(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    form = AvailabilityForm(request.POST, forum=participant.forum, zone=participant.zone)
    if form.is_valid():
        try:
            services.set_availability(
                actor=request.user, participant=participant, slots=form.cleaned_data["slots"]
            )
            services.set_time_zone(
                actor=request.user,
                participant=participant,
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("forums:participant_detail", pk=pk)
    return _participant_page(request, participant, status=400, availability_form=form)


@signed_in
@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    form = AttendeeForm(request.POST)
    if form.is_valid():
        try:
            services.add_attendee(
                actor=request.user,
                participant=participant,
                data=services.AttendeeData(**form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendee added."))
            return redirect("forums:participant_detail", pk=pk)
    return _participant_page(request, participant, status=400, attendee_form=form)


@signed_in
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    attendee = get_object_or_404(ForumAttendee, pk=attendee_pk, participant=participant)
    try:
        services.remove_attendee(actor=request.user, attendee=attendee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _participant_page(request, participant, status=400)
    messages.success(request, _("Attendee removed."))
    return redirect("forums:participant_detail", pk=pk)


@signed_in
@require_POST
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    if not access.acts_for(request.user, participant):
        raise PermissionDenied
    form = RequestForm(request.POST, counterparts=_counterparts(participant))
    if form.is_valid():
        try:
            services.send_request(
                actor=request.user,
                sender=participant,
                receiver=form.cleaned_data["to_participant"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your meeting request was sent."))
            return redirect("forums:participant_detail", pk=pk)
    return _participant_page(request, participant, status=400, request_form=form)


def _back_to(request: HttpRequest, meeting_request: MeetingRequest) -> HttpResponse:
    viewer = access.ForumViewer(request.user)
    for participant in (meeting_request.to_participant, meeting_request.from_participant):
        if viewer.acts_for(participant):
            return redirect("forums:participant_detail", pk=participant.pk)
    return redirect("forums:matrix", pk=meeting_request.forum_id)


@signed_in
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = _request(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return _participant_page(request, meeting_request.to_participant, status=400)
    try:
        services.answer_request(
            actor=request.user,
            request=meeting_request,
            accept=form.cleaned_data["accept"],
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _participant_page(request, meeting_request.to_participant, status=400)
    messages.success(request, _("Your answer was sent."))
    return _back_to(request, meeting_request)


@signed_in
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = _request(request.user, pk)
    try:
        services.cancel_request(actor=request.user, request=meeting_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _participant_page(request, meeting_request.from_participant, status=400)
    messages.success(request, _("The request is cancelled."))
    return _back_to(request, meeting_request)


# --- Organiser: matrix, table plan, scheduler, statistics, exports ---------------------------


@signed_in
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = _organiser_view(request.user, pk)
    grid = selectors.request_matrix(forum)
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
    forum, manages = _organiser_view(request.user, pk)
    plan = selectors.table_plan(forum)
    rows = [
        {"slot": slot, "cells": [plan.cells.get((slot.pk, table.pk)) for table in plan.tables]}
        for slot in plan.slots
    ]
    for row in rows:
        for meeting in row["cells"]:
            if meeting:
                _badge(meeting)
    return render(
        request,
        "matchmaking/forums/table_plan.html",
        {"forum": forum, "tables": plan.tables, "rows": rows, "manages": manages, "tab": "plan"},
    )


def _schedule_page(request, forum, manages, *, status=200, place_forms=None):
    unplaced = list(selectors.unplaced_requests(forum))
    place_forms = place_forms or {}
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
            "tab": "schedule",
        },
        status=status,
    )


@signed_in
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheduler's report (unplaced requests and why) and, by POST, a new run."""
    if request.method == "POST":
        forum = _managed(request.user, pk)
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
    forum, manages = _organiser_view(request.user, pk)
    return _schedule_page(request, forum, manages)


@signed_in
@require_POST
def schedule_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _managed(request.user, pk)
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
    forum = _managed(request.user, pk)
    meeting_request = get_object_or_404(MeetingRequest, pk=request_pk, forum=forum)
    form = MoveForm(request.POST, forum=forum)
    if form.is_valid():
        try:
            services.place_by_hand(actor=request.user, request=meeting_request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting is placed."))
            return redirect("forums:schedule", pk=pk)
    return _schedule_page(request, forum, True, status=400, place_forms={meeting_request.pk: form})


@signed_in
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = _organiser_view(request.user, pk)
    return render(
        request,
        "matchmaking/forums/statistics.html",
        {
            "forum": forum,
            "stats": selectors.forum_statistics(forum),
            "manages": manages,
            "tab": "stats",
        },
    )


@signed_in
def export(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    forum, _manages = _organiser_view(request.user, pk)
    if what not in forum_exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    return forum_exports.response(forum, what, fmt)


# --- Meetings --------------------------------------------------------------------------------


def _meeting_page(
    request,
    meeting,
    *,
    status=200,
    move_form=None,
    record_form=None,
    outcome_form=None,
    follow_up_form=None,
):
    user = request.user
    viewer = access.ForumViewer(user)
    manages = viewer.organises(meeting.forum)
    side = services.meeting_side(user, meeting)
    _badge(meeting)
    records = list(meeting.records.select_related("participant", "recorded_by"))
    own_record = next((r for r in records if side and r.participant_id == side.pk), None)
    products = services.meeting_products(meeting).select_related("bumdes")
    may_add = side is not None or manages
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
            "outcomes": list(
                meeting.outcomes.select_related("destination", "recorded_by").prefetch_related(
                    "products"
                )
            ),
            "follow_ups": list(meeting.follow_ups.select_related("owner")),
            "attendees": list(meeting.attendees.all()),
            "move_form": move_form
            or (
                MoveForm(
                    forum=meeting.forum, initial={"slot": meeting.slot, "table": meeting.table}
                )
                if manages and meeting.status in services.OPEN_MEETING_STATUSES
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
                if side is not None
                else None
            ),
            "outcome_form": outcome_form or (OutcomeForm(products=products) if may_add else None),
            "follow_up_form": follow_up_form
            or (FollowUpForm(owners=services.follow_up_owners(meeting)) if may_add else None),
        },
        status=status,
    )


@signed_in
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request.user, pk))


@signed_in
@require_POST
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request.user, pk)
    if not access.organises(request.user, meeting.forum):
        raise PermissionDenied
    form = MoveForm(request.POST, forum=meeting.forum)
    if form.is_valid():
        try:
            services.move_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting is moved."))
            return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, move_form=form)


@signed_in
@require_POST
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request.user, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.record_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you, your record is saved."))
            return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, record_form=form)


@signed_in
@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request.user, pk)
    form = OutcomeForm(request.POST, products=services.meeting_products(meeting))
    if form.is_valid():
        try:
            services.add_outcome(actor=request.user, meeting=meeting, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("forums:meeting_detail", pk=pk)
    return _meeting_page(request, meeting, status=400, outcome_form=form)


@signed_in
@require_POST
def meeting_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request.user, pk)
    form = FollowUpForm(request.POST, owners=services.follow_up_owners(meeting))
    if form.is_valid():
        try:
            services.add_follow_up(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
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


# --- Agenda ----------------------------------------------------------------------------------


def _agenda_context(participant: ForumParticipant) -> dict:
    meetings = selectors.agenda(participant)
    for meeting in meetings:
        _badge(meeting)
        meeting.other = meeting.other_party(participant)
    follow_ups = list(
        FollowUp.objects.filter(
            meeting__in=[m.pk for m in meetings], done_at__isnull=True
        ).select_related("owner", "meeting")
    )
    return {
        "participant": participant,
        "forum": participant.forum,
        "zone": participant.zone,
        "zone_name": participant.time_zone or participant.forum.time_zone,
        "meetings": meetings,
        "follow_ups": follow_ups,
    }


@signed_in
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    return render(request, "matchmaking/forums/agenda.html", _agenda_context(participant))


@signed_in
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    return render(request, "matchmaking/forums/agenda_print.html", _agenda_context(participant))


@signed_in
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request.user, pk)
    body = forum_ics.agenda_calendar(participant, selectors.agenda(participant), request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="forum-{participant.forum_id}-agenda.ics"'
    )
    return response
