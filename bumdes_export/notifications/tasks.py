"""The notifications' tasks: each email once, the daily digest, and the sweeper that sends what
the broker lost and settles what a killed worker left. Tasks take ids and are safe to run twice
(``mailing`` claims before it sends)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from bumdes_export.notifications import mailing

#: Retries of an email after the mail server failed: 1, 2, 4 ... 32 minutes apart (by default).
EMAIL_RETRIES = 6


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_RETRIES)
def send_notification_email(self, notification_id: int) -> str:
    """Email one notification, once. The task's id names the attempt: a redelivery of the same
    message (its worker killed) finds its own claim and does not send again. In the embedded
    mode (no broker, tasks in-process) a failure is final: nothing would run a retry later."""
    final = bool(self.request.is_eager) or self.request.retries >= self.max_retries
    outcome = mailing.send_notification(notification_id, str(self.request.id), final=final)
    if outcome is mailing.Outcome.RETRY and not final:
        raise self.retry(
            countdown=settings.NOTIFICATION_EMAIL_RETRY_SECONDS * 2**self.request.retries
        )
    return outcome.value


@shared_task(bind=True, acks_late=True)
def send_daily_digests(self) -> dict[str, int]:
    """Once a day: each user's notifications waiting for his digest, in one email."""
    return mailing.send_digests(str(self.request.id))


@shared_task(acks_late=True)
def sweep_emails() -> dict[str, int]:
    """Every few minutes: claims left by attempts that never came back become ``unconfirmed``;
    emails whose task never ran are sent again (at most once still: they must be claimed)."""
    settled = mailing.settle_stale_claims()
    lost = mailing.lost_emails()
    for notification_id in lost:
        send_notification_email.delay(notification_id)
    return {"settled": settled, "resent": len(lost)}
