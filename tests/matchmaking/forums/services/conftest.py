"""Helpers and fixtures of the forum service tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bumdes_export.notifications.models import Notification
from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, ForumSlot, Meeting, MeetingRequest


def told() -> list[tuple[str, str]]:
    """(username, kind) of every notification so far (emails go after commit)."""
    return list(Notification.objects.values_list("recipient__username", "kind").order_by("id"))


def slots_of(forum: Forum) -> list[ForumSlot]:
    return list(forum.slots.order_by("starts_at"))


def accepted(fs, sender, receiver, actor_from, actor_to) -> MeetingRequest:
    request = services.send_request(actor=actor_from, sender=sender, receiver=receiver)
    return services.answer_request(actor=actor_to, request=request, accept=True)


@pytest.fixture
def past_meeting(fs, organiser, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    # The forum took place: move its slots into the past.
    for slot in fs.forum.slots.all():
        slot.starts_at -= timedelta(days=30)
        slot.ends_at -= timedelta(days=30)
        slot.save()
    meeting.refresh_from_db()
    return meeting
