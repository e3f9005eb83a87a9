"""Reminder services: due the day before, sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bumdes_export.notifications.models import Notification
from matchmaking.forums import services as services
from matchmaking.forums.models import (
    Meeting,
)
from tests.matchmaking.forums.services.conftest import told

pytestmark = pytest.mark.django_db


def test_reminders_go_once_the_day_before(fs, organiser, linked_operator, verified_exporter):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    services.run_scheduler(actor=organiser, forum=fs.forum)
    meeting = Meeting.objects.get()
    assert services.due_reminders() == []
    later = meeting.slot.starts_at - timedelta(hours=20)
    assert services.due_reminders(now=later) == [meeting.pk]
    Notification.objects.all().delete()
    assert services.send_reminder(meeting.pk) >= 2
    reminded = {user for user, kind in told() if kind == "forum.meeting.reminder"}
    assert {verified_exporter.username, linked_operator.username} <= reminded
    assert services.send_reminder(meeting.pk) == 0
    assert services.due_reminders(now=later) == []
