"""Reminders the day before: enqueued per meeting after commit, each sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bumdes_export.notifications.models import Notification
from matchmaking.forums import services as services
from matchmaking.forums import tasks as forum_tasks
from matchmaking.forums.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow(fs, organiser, linked_operator):
    """The org A × Konawe meeting starts in 20 hours."""
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    shift = timezone.now() + timedelta(hours=20) - meeting.slot.starts_at
    for slot in fs.forum.slots.all():
        slot.starts_at += shift
        slot.ends_at += shift
        slot.save()
    return meeting


def reminders():
    return Notification.objects.filter(kind="forum.meeting.reminder")


def test_the_beat_task_reminds_each_meeting_once(
    tomorrow, django_capture_on_commit_callbacks, verified_exporter, linked_operator
):
    with django_capture_on_commit_callbacks(execute=True):
        assert forum_tasks.send_meeting_reminders.delay().get() == 1
    people = set(reminders().values_list("recipient__username", flat=True))
    assert {verified_exporter.username, linked_operator.username} <= people
    count = reminders().count()
    with django_capture_on_commit_callbacks(execute=True):
        assert forum_tasks.send_meeting_reminders.delay().get() == 0
    assert forum_tasks.send_meeting_reminder.delay(tomorrow.pk).get() == 0
    assert reminders().count() == count
    tomorrow.refresh_from_db()
    assert tomorrow.reminder_sent_at is not None


def test_cancelled_and_far_meetings_get_no_reminder(tomorrow, fs, linked_operator):
    services.cancel_request(actor=linked_operator, request=fs.request)
    assert forum_tasks.send_meeting_reminder.delay(tomorrow.pk).get() == 0
    assert services.due_reminders(now=timezone.now() - timedelta(days=3)) == []
    assert not reminders().exists()


def test_the_reminder_says_when_and_where(tomorrow, verified_exporter):
    forum_tasks.send_meeting_reminder.delay(tomorrow.pk).get()
    note = reminders().get(recipient=verified_exporter)
    tomorrow.refresh_from_db()
    local = tomorrow.slot.starts_at.astimezone(tomorrow.forum.tzinfo)
    assert local.strftime("%H:%M") in note.body and "WITA" in note.body
    assert tomorrow.table.name in note.body
    assert f"/forums/meetings/{tomorrow.pk}/" in note.link
