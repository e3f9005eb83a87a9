"""Forum pages: the list, a forum's page and status, creating and editing a forum, and its
set-up (time slots and tables)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import access, selectors, services
from matchmaking.forums.forms import (
    ForumFilterForm,
    ForumForm,
    ForumStatusForm,
    SlotsForm,
    TableForm,
)
from matchmaking.forums.models import Forum, ForumSlot, ForumTable
from matchmaking.forums.views.common import (
    PAGE_SIZE,
    badge,
    error_status,
    forum_or_404,
    managed_forum,
)
from matchmaking.pages import signed_in

STATUS_ACTIONS = {
    Forum.Status.PUBLISHED: gettext_lazy("Publish"),
    Forum.Status.FINISHED: gettext_lazy("Mark finished"),
    Forum.Status.CANCELLED: gettext_lazy("Cancel the forum"),
}


@signed_in
def forum_list(request: HttpRequest) -> HttpResponse:
    filters = ForumFilterForm(request.GET)
    rows = selectors.forum_list(request.user, status=filters.value("status"), q=filters.value("q"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for forum in page:
        badge(forum)
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
    if request.method == "POST" and (
        result := form_action(
            form, lambda data: services.create_forum(actor=request.user, data=dict(data))
        )
    ):
        messages.success(request, _("The forum is created as a draft. Add slots and tables."))
        return redirect("forums:forum_setup", pk=result.value.pk)
    return render(
        request,
        "matchmaking/forums/forum_form.html",
        {"form": form, "forum": None},
        status=error_status(request) if form.errors else 200,
    )


@signed_in
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
    form = ForumForm(request.POST or None, initial=ForumForm.initial_for(forum))
    if request.method == "POST" and form_action(
        form,
        lambda data: services.update_forum(actor=request.user, forum=forum, data=dict(data)),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("forums:forum_detail", pk=pk)
    return render(
        request,
        "matchmaking/forums/forum_form.html",
        {"form": form, "forum": forum},
        status=error_status(request) if form.errors else 200,
    )


def _forum_page(request: HttpRequest, forum: Forum, *, status: int = 200) -> HttpResponse:
    user = request.user
    mine = selectors.my_participants(user, forum)
    for participant in mine:
        badge(participant)
    viewer = access.ForumViewer(user)
    manages = viewer.organises(forum)
    badge(forum)
    return render(
        request,
        "matchmaking/forums/forum_detail.html",
        {
            "forum": forum,
            "mine": mine,
            "manages": manages,
            "reads_organiser_views": viewer.reads_organiser_views(forum),
            "can_register": bool(access.registration_kinds(user, forum)),
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
    return _forum_page(request, forum_or_404(request.user, pk))


@signed_in
@require_POST
def forum_status(request: HttpRequest, pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
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


def _setup_page(
    request: HttpRequest,
    forum: Forum,
    *,
    slots_form: SlotsForm | None = None,
    table_form: TableForm | None = None,
    status: int = 200,
) -> HttpResponse:
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
    forum = managed_forum(request.user, pk)
    if request.method != "POST":
        return _setup_page(request, forum)
    if "name" in request.POST:
        table_form = TableForm(request.POST)
        if form_action(
            table_form,
            lambda data: services.add_table(actor=request.user, forum=forum, name=data["name"]),
        ):
            messages.success(request, _("Table added."))
            return redirect("forums:forum_setup", pk=pk)
        return _setup_page(request, forum, table_form=table_form, status=400)
    slots_form = SlotsForm(request.POST)
    if result := form_action(
        slots_form, lambda data: services.add_slots(actor=request.user, forum=forum, **data)
    ):
        created = result.value or []
        messages.success(
            request,
            ngettext("%(n)d slot added.", "%(n)d slots added.", len(created)) % {"n": len(created)},
        )
        return redirect("forums:forum_setup", pk=pk)
    return _setup_page(request, forum, slots_form=slots_form, status=400)


@signed_in
@require_POST
def slot_remove(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    forum = managed_forum(request.user, pk)
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
    forum = managed_forum(request.user, pk)
    table = get_object_or_404(ForumTable, pk=table_pk, forum=forum)
    try:
        services.remove_table(actor=request.user, table=table)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _setup_page(request, forum, status=400)
    return redirect("forums:forum_setup", pk=pk)
