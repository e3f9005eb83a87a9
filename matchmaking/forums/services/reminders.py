"""Meeting reminders the day before: which meetings are due, and reminding one meeting's two
sides exactly once (``matchmaking.forums.tasks`` runs both from the beat schedule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from matchmaking.forums.models import OPEN_MEETING_STATUSES, Meeting
from matchmaking.forums.services.common import tell_meeting


def due_reminders(now: datetime | None = None) -> list[int]:
    """Ids of meetings starting within the next day that have not been reminded of."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            status__in=OPEN_MEETING_STATUSES,
            reminder_sent_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + timedelta(days=1),
        )
        .order_by("slot__starts_at", "id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def send_reminder(meeting_id: int) -> int:
    """Remind both sides of one meeting, once: the sent-at marker is set under a row lock, so a
    second run (or a second worker) finds it set and does nothing. Returns how many were told."""
    meeting = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting_id, reminder_sent_at__isnull=True, status__in=OPEN_MEETING_STATUSES)
        .first()
    )
    if meeting is None:
        return 0
    meeting.reminder_sent_at = timezone.now()
    meeting.save(update_fields=["reminder_sent_at"])
    return tell_meeting(
        meeting, None, "forum.meeting.reminder", gettext_lazy("%(forum)s: your meeting tomorrow")
    )
