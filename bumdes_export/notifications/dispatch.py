"""The one place notifications' emails are handed to the workers: after commit, and never
failing the change that caused them (a broker that is down leaves the email queued; the
sweeper sends it when the broker is back)."""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from bumdes_export.notifications import tasks

log = logging.getLogger(__name__)


def email_after_commit(notification_id: int) -> None:
    # robust: whatever goes wrong is logged, never raised into the request that committed.
    transaction.on_commit(lambda: send_email(notification_id), robust=True)


def send_email(notification_id: int) -> None:
    try:
        tasks.send_notification_email.delay(notification_id)
    except OperationalError:
        log.exception("broker unreachable: email of notification %s left queued", notification_id)
