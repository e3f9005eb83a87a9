"""The notifications' tasks: each email once, the daily digest, and the sweeper that sends what
the broker lost and settles what a killed worker left. Tasks take ids and are safe to run twice
(``mailing`` claims before it sends)."""

from __future__ import annotations

from celery import shared_task

from bumdes_export.notifications import mailing


# mailing decides when to stop (after mailing.RETRIES failed tries): no limit of Celery's own.
@shared_task(bind=True, acks_late=True, max_retries=None)
def send_notification_email(self, notification_id: int) -> str:
    """Email one notification, once. The attempt is named by the task's id and retry number: a
    redelivery of the same message (its worker killed) finds its own claim and does not send
    again. When the mail server fails, the task retries at the time ``mailing`` set; in the
    embedded mode (no broker, tasks in-process) the scheduler's sweeper runs that retry."""
    attempt = f"{self.request.id}:{self.request.retries}"
    outcome = mailing.send_notification(notification_id, attempt)
    if outcome is mailing.Outcome.RETRY and not self.request.is_eager:
        raise self.retry(countdown=mailing.retry_in(notification_id))
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
