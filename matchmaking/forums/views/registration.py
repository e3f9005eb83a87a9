"""Registration pages: registering for a forum, and the organiser's list of participants with
approval or rejection."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import access, reports, selectors, services
from matchmaking.forums.forms import DecisionForm, RegisterForm
from matchmaking.forums.models import Forum, ForumParticipant
from matchmaking.forums.views.common import (
    badge,
    error_status,
    forum_or_404,
    managed_forum,
    organiser_view,
)
from matchmaking.pages import signed_in


@signed_in
def register(request: HttpRequest, pk: int) -> HttpResponse:
    forum = forum_or_404(request.user, pk)
    if not access.registration_kinds(request.user, forum):
        mine = selectors.own_registration(request.user, forum)
        if mine is not None:
            messages.info(request, _("You are already registered at this forum."))
            return redirect("forums:participant_detail", pk=mine.pk)
    kinds = access.require_registration_kinds(request.user, forum)
    bumdes = selectors.registrable_bumdes(request.user, forum)
    form = RegisterForm(
        request.POST or None,
        kinds=kinds,
        bumdes=bumdes,
        products=selectors.registrable_products(bumdes),
        initial={"kind": kinds[0]},
    )
    if request.method == "POST" and (
        result := form_action(
            form,
            lambda data: services.register(
                actor=request.user,
                forum=forum,
                kind=data["kind"],
                bumdes=data.get("bumdes"),
                products=list(data.get("products") or []),
                note=data["note"],
                time_zone=data["time_zone"],
            ),
        )
    ):
        messages.success(request, _("Registered. The organiser will approve it."))
        return redirect("forums:participant_detail", pk=result.value.pk)
    return render(
        request,
        "matchmaking/forums/register.html",
        {"form": form, "forum": forum},
        status=error_status(request) if form.errors else 200,
    )


def _participants_page(
    request: HttpRequest, forum: Forum, manages: bool, *, status: int = 200
) -> HttpResponse:
    rows = list(
        forum.participants.select_related("bumdes__village", "organisation", "officer", "region")
        .prefetch_related("products", "attendees")
        .order_by("status", "kind", "id")
    )
    free = reports.free_slot_counts(forum)
    for row in rows:
        badge(row)
        row.free_slots = free.get(row.pk, 0)
    return render(
        request,
        "matchmaking/forums/participants.html",
        {
            "forum": forum,
            "rows": rows,
            "manages": manages,
            "has_slots": forum.slots.exists(),
            "tab": "participants",
        },
        status=status,
    )


@signed_in
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    forum, manages = organiser_view(request.user, pk)
    return _participants_page(request, forum, manages)


@signed_in
@require_POST
def participant_decide(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
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
