"""Emails sent by real Celery workers on Redis and PostgreSQL (``REQUIRE_SERVICES=1`` makes these
mandatory): a failing mail server is retried until the message is taken, and a worker killed
between sending and recording does not make the next worker send it again.

The mail server is ``tests.mailspool`` (a file per message), faults set through the workers'
environment."""

from __future__ import annotations

import time

import pytest
from django.utils.translation import gettext_lazy

from bumdes_export.notifications.models import EmailStatus, Notification
from bumdes_export.notifications.services import notify
from tests.conftest import ROOT
from tests.factories import UserFactory
from tests.mailspool import spooled
from tests.workers import Worker, wait_for

pytestmark = pytest.mark.services

VISIBILITY_TIMEOUT = 5  # seconds, for the worker that takes over


@pytest.fixture
def spool(tmp_path):
    path = tmp_path / "spool"
    path.mkdir()
    return path


@pytest.fixture
def reader(transactional_db, regions):
    return UserFactory(username="t-kotak", email="kotak@example.org", language="id")


def mail_env(spool, **faults: str) -> dict[str, str]:
    return {
        "EMAIL_BACKEND": "tests.mailspool.SpoolBackend",
        "TEST_MAIL_SPOOL": str(spool),
        "NOTIFICATION_EMAIL_RETRY_SECONDS": "1",
        **faults,
    }


def tell(reader, test_templates) -> Notification:
    note = notify(
        reader,
        kind="deal.shipment",
        subject=gettext_lazy("Shipment recorded"),
        template=test_templates,
    )
    assert note is not None and note.email_status == EmailStatus.QUEUED
    return note


def email_status(note: Notification) -> str:
    note.refresh_from_db()
    return note.email_status


def test_a_refusing_mail_server_is_retried_and_the_email_sent_once(
    reader, test_templates, private_queue, spool, tmp_path
):
    refusals = tmp_path / "refuse"
    refusals.write_text("2")
    worker = Worker(
        private_queue,
        f"{private_queue}-mail",
        ROOT / "var" / "test-worker-mail.log",
        **mail_env(spool, TEST_MAIL_REFUSE=str(refusals)),
    )
    try:
        worker.wait_ready()
        note = tell(reader, test_templates)
        wait_for(lambda: email_status(note) == EmailStatus.SENT, 60, "the email to be sent")
    finally:
        worker.stop()
    assert refusals.read_text() == "0"
    assert spooled(spool) == [f"<notification-{note.pk}@127.0.0.1>"]
    assert note.email_attempts == 3 and note.sent_at is not None


def test_a_worker_killed_between_sending_and_recording_is_not_followed_by_a_second_email(
    reader, test_templates, private_queue, spool, tmp_path
):
    stalled = tmp_path / "stalled"
    log_dir = ROOT / "var"
    worker_a = Worker(
        private_queue,
        f"{private_queue}-a",
        log_dir / "test-worker-mail-a.log",
        **mail_env(spool, TEST_MAIL_STALL=str(stalled)),
    )
    worker_b = None
    try:
        worker_a.wait_ready()
        note = tell(reader, test_templates)
        # A hands the message to the mail server and hangs before recording it: kill it there.
        wait_for(stalled.exists, 60, "worker A to send the email")
        assert spooled(spool) == [f"<notification-{note.pk}@127.0.0.1>"]
        assert email_status(note) == EmailStatus.SENDING
        worker_a.kill()

        # Its message was never acknowledged: after the visibility timeout worker B gets it.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        worker_b = Worker(
            private_queue,
            f"{private_queue}-b",
            log_dir / "test-worker-mail-b.log",
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            **mail_env(spool),
        )
        worker_b.wait_ready()
        wait_for(
            lambda: email_status(note) == EmailStatus.UNCONFIRMED,
            60,
            "worker B to take the task over (see var/test-worker-mail-b.log)",
        )
        # B sends what is new as usual.
        later = tell(reader, test_templates)
        wait_for(lambda: email_status(later) == EmailStatus.SENT, 60, "worker B to send")
    finally:
        worker_a.stop()
        if worker_b is not None:
            worker_b.stop()
    assert sorted(spooled(spool)) == sorted(
        [f"<notification-{note.pk}@127.0.0.1>", f"<notification-{later.pk}@127.0.0.1>"]
    )
    assert note.sent_at is None and note.email_attempts == 1
