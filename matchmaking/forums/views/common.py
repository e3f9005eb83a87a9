"""What the forum pages share: status badges and the lookups that answer 404 for a record
outside the reader's scope and 403 for a page the reader may not use."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from matchmaking.forums import access, selectors
from matchmaking.forums.access import Reader
from matchmaking.forums.models import Forum, ForumParticipant, Meeting, MeetingRequest

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

T = TypeVar("T")


def badge(obj: T, status: str | None = None) -> T:
    """Give a row the CSS class of its status badge."""
    row: Any = obj
    row.badge = BADGES.get(status or row.status, "")
    return obj


def error_status(request: HttpRequest) -> int:
    """A form page shown again with errors: 400 after a POST."""
    return 400 if request.method == "POST" else 200


def forum_or_404(user: Reader, pk: int) -> Forum:
    try:
        return selectors.forum_detail(user, pk)
    except Forum.DoesNotExist:
        raise Http404 from None


def organiser_view(user: Reader, pk: int) -> tuple[Forum, bool]:
    """Organiser pages: organisers manage, other ministry staff read; anyone else 403."""
    forum = forum_or_404(user, pk)
    viewer = access.ForumViewer(user)
    if not viewer.reads_organiser_views(forum):
        raise PermissionDenied
    return forum, viewer.organises(forum)


def managed_forum(user: Reader, pk: int) -> Forum:
    forum, manages = organiser_view(user, pk)
    if not manages:
        raise PermissionDenied(_("Only the forum's organisers do this."))
    return forum


def participant_or_404(user: Reader, pk: int) -> ForumParticipant:
    try:
        return selectors.participant_detail(user, pk)
    except ForumParticipant.DoesNotExist:
        raise Http404 from None


def meeting_or_404(user: Reader, pk: int) -> Meeting:
    try:
        return selectors.meeting_detail(user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def request_or_404(user: Reader, pk: int) -> MeetingRequest:
    return get_object_or_404(selectors.visible_requests(user), pk=pk)
