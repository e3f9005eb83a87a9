"""Each notification's email leaves once at most: claimed before it is sent, recorded after;
a failing mail server is retried, an interrupted attempt is never repeated, a lost task is
sent again by the sweeper, and the digest follows the same rules."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError

from bumdes_export.notifications import mailing, services, tasks
from bumdes_export.notifications.mailing import Outcome
from bumdes_export.notifications.models import Delivery, EmailStatus, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` messages, then takes them."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise TimeoutError("mail server timed out")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 0
    return FlakyBackend


@pytest.fixture
def reader(regions):
    return UserFactory(username="t-surat", email="surat@example.org", language="en")


def queued(reader, template, kind="deal.shipment"):
    """A notification whose email is due, its task not yet run (as before the commit)."""
    with mock.patch("bumdes_export.notifications.dispatch.email_after_commit"):
        note = services.notify(
            reader, kind=kind, subject=gettext_lazy("Shipment recorded"), template=template
        )
    assert note.email_status == EmailStatus.QUEUED
    return note


def status(note):
    note.refresh_from_db()
    return note.email_status


def test_one_attempt_sends_and_records_it(reader, test_templates):
    note = queued(reader, test_templates)
    assert mailing.send_notification(note.pk, "task-1") is Outcome.SENT
    assert len(mail.outbox) == 1 and status(note) == EmailStatus.SENT
    assert note.sent_at is not None and note.email_claim == "task-1"
    # The same task delivered again, or another one for the same notification: nothing more.
    assert mailing.send_notification(note.pk, "task-1") is Outcome.SKIPPED
    assert mailing.send_notification(note.pk, "task-2") is Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_an_email_claimed_by_another_attempt_is_left_to_it(reader, test_templates):
    note = queued(reader, test_templates)
    assert mailing.claim([note.pk], "task-1") == [note.pk]
    assert mailing.claim([note.pk], "task-2") == []
    assert mailing.send_notification(note.pk, "task-2") is Outcome.SKIPPED
    assert mail.outbox == [] and status(note) == EmailStatus.SENDING


def test_an_attempt_interrupted_between_claim_and_record_is_not_repeated(reader, test_templates):
    note = queued(reader, test_templates)
    # The first run claimed it and stopped (its worker killed) before recording anything.
    mailing.claim([note.pk], "task-1")
    # The broker hands the same task (same id) to another worker.
    assert mailing.send_notification(note.pk, "task-1") is Outcome.UNCONFIRMED
    assert mail.outbox == [] and status(note) == EmailStatus.UNCONFIRMED
    assert note.sent_at is None
    # Whatever comes later leaves it so.
    assert mailing.send_notification(note.pk, "task-2") is Outcome.SKIPPED
    assert tasks.sweep_emails.apply().get() == {"settled": 0, "resent": 0}
    assert mail.outbox == []
    # The notification itself stays in the inbox.
    assert Notification.objects.filter(pk=note.pk, recipient=reader).exists()


def test_a_failing_mail_server_gives_the_claim_back_for_the_retry(
    reader, test_templates, flaky, settings
):
    settings.NOTIFICATION_EMAIL_RETRY_SECONDS = 60
    flaky.failures = 2
    note = queued(reader, test_templates)
    before = timezone.now()
    assert mailing.send_notification(note.pk, "task:0") is Outcome.RETRY
    assert status(note) == EmailStatus.QUEUED and note.email_claim == ""
    # Tried again a minute later, then two, four ...
    assert timedelta(seconds=59) < note.email_next_try_at - before < timedelta(seconds=61)
    assert 58 < mailing.retry_in(note.pk) <= 60
    assert mailing.send_notification(note.pk, "task:1") is Outcome.RETRY
    note.refresh_from_db()
    assert timedelta(seconds=119) < note.email_next_try_at - before < timedelta(seconds=122)
    assert mailing.send_notification(note.pk, "task:2") is Outcome.SENT
    assert len(mail.outbox) == 1
    assert status(note) == EmailStatus.SENT and note.email_attempts == 3


def test_after_the_last_try_the_email_is_failed(reader, test_templates, flaky):
    flaky.failures = mailing.RETRIES + 5
    note = queued(reader, test_templates)
    outcomes = [mailing.send_notification(note.pk, f"task:{n}") for n in range(mailing.RETRIES + 1)]
    assert outcomes == [Outcome.RETRY] * mailing.RETRIES + [Outcome.FAILED]
    assert status(note) == EmailStatus.FAILED and note.sent_at is None
    assert note.email_attempts == mailing.RETRIES + 1
    assert mailing.send_notification(note.pk, "task:99") is Outcome.SKIPPED
    assert tasks.sweep_emails.apply().get()["resent"] == 0  # failed is not lost


class BrokenBackend(LocmemBackend):
    """A mail library that refuses the message itself (no retry mends it)."""

    def send_messages(self, messages):
        raise ValueError("invalid recipient")


def test_an_error_no_retry_mends_fails_at_once_and_never_breaks_the_request(
    reader, test_templates, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(
            reader, kind="deal.shipment", subject=gettext_lazy("One"), template=test_templates
        )
        second = services.notify(
            reader, kind="deal.shipment", subject=gettext_lazy("Two"), template=test_templates
        )
    # Both were tried (one failing does not stop the other) and are failed, not left claimed.
    assert status(first) == status(second) == EmailStatus.FAILED


def test_a_recipient_who_lost_his_address_or_left_is_owed_no_email(reader, test_templates):
    note = queued(reader, test_templates)
    reader.email = ""
    reader.save()
    assert mailing.send_notification(note.pk, "task:0") is Outcome.SKIPPED
    assert status(note) == "" and mail.outbox == []
    reader.email, reader.is_active = "surat@example.org", False
    reader.save()
    other = queued(reader, test_templates)
    assert mailing.send_notification(other.pk, "task:0") is Outcome.SKIPPED
    assert status(other) == "" and mail.outbox == []


def test_in_process_the_task_sends_once_and_a_failure_waits_for_the_sweeper(
    reader, test_templates, flaky, settings
):
    note = queued(reader, test_templates)
    assert tasks.send_notification_email.apply(args=[note.pk]).get() == "sent"
    assert tasks.send_notification_email.apply(args=[note.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    flaky.failures = 1
    other = queued(reader, test_templates)
    assert tasks.send_notification_email.apply(args=[other.pk]).get() == "retry"
    assert status(other) == EmailStatus.QUEUED
    # Not before its next try is overdue ...
    assert tasks.sweep_emails.apply().get()["resent"] == 0
    # ... then the sweeper sends it.
    Notification.objects.filter(pk=other.pk).update(
        email_next_try_at=timezone.now() - mailing.LOST_AFTER - timedelta(seconds=1)
    )
    assert tasks.sweep_emails.apply().get()["resent"] == 1
    assert status(other) == EmailStatus.SENT and len(mail.outbox) == 2


def test_an_email_waiting_for_its_retry_is_not_sent_again_by_the_sweeper(
    reader, test_templates, flaky
):
    flaky.failures = 1
    note = queued(reader, test_templates)
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert mailing.send_notification(note.pk, "task:0") is Outcome.RETRY
    assert tasks.sweep_emails.apply().get()["resent"] == 0  # the task's retry is still to come


def test_the_sweeper_sends_what_the_broker_lost_and_settles_abandoned_claims(
    reader, test_templates, django_capture_on_commit_callbacks
):
    lost = queued(reader, test_templates)
    recent = queued(reader, test_templates)
    abandoned = queued(reader, test_templates)
    working = queued(reader, test_templates)
    mailing.claim([abandoned.pk], "gone")
    mailing.claim([working.pk], "busy")
    old = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk__in=[lost.pk, abandoned.pk, working.pk]).update(created_at=old)
    Notification.objects.filter(pk=abandoned.pk).update(email_claimed_at=old)

    assert tasks.sweep_emails.apply().get() == {"settled": 1, "resent": 1}
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<notification-{lost.pk}@127.0.0.1>"
    ]
    assert status(lost) == EmailStatus.SENT
    assert status(recent) == EmailStatus.QUEUED  # its task may still come
    assert status(abandoned) == EmailStatus.UNCONFIRMED
    assert status(working) == EmailStatus.SENDING  # its attempt is still within its time


def test_a_broker_down_at_commit_loses_nothing(
    reader, test_templates, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            tasks.send_notification_email, "delay", side_effect=OperationalError("no broker")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        note = services.notify(
            reader, kind="deal.shipment", subject=gettext_lazy("Shipment"), template=test_templates
        )
    assert status(note) == EmailStatus.QUEUED and mail.outbox == []
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=1))
    tasks.sweep_emails.apply()
    assert len(mail.outbox) == 1 and status(note) == EmailStatus.SENT


# --- The digest -----------------------------------------------------------------------------


@pytest.fixture
def digest_reader(reader):
    services.set_preferences(reader, {"deal": Delivery.DIGEST})
    return reader


def test_a_digest_interrupted_mid_send_is_not_sent_again_by_the_rerun(
    digest_reader, test_templates
):
    notes = [queued(digest_reader, test_templates) for _ in range(2)]
    # Yesterday's run claimed them and was killed before recording.
    mailing.claim([n.pk for n in notes], "digest-run")
    assert mailing.send_digests("digest-run") == {
        "sent": 0,
        "refused": 0,
        "unsendable": 0,
        "unconfirmed": 1,
    }
    assert mail.outbox == []
    assert {status(n) for n in notes} == {EmailStatus.UNCONFIRMED}
    assert mailing.send_digests("next-day")["sent"] == 0


def test_a_digest_the_mail_server_refused_goes_out_with_the_next_one(
    digest_reader, test_templates, flaky
):
    first = queued(digest_reader, test_templates)
    flaky.failures = 1
    assert mailing.send_digests("day-1") == {
        "sent": 0,
        "refused": 1,
        "unsendable": 0,
        "unconfirmed": 0,
    }
    assert status(first) == EmailStatus.QUEUED
    second = queued(digest_reader, test_templates)
    assert mailing.send_digests("day-2")["sent"] == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("Shipment recorded") == 2
    assert status(first) == status(second) == EmailStatus.SENT


def test_a_digest_of_a_user_without_an_address_owes_no_email(reader, test_templates):
    reader.email = ""
    reader.save()
    services.set_preferences(reader, {"deal": Delivery.DIGEST})
    with mock.patch("bumdes_export.notifications.dispatch.email_after_commit"):
        note = services.notify(
            reader, kind="deal.shipment", subject=gettext_lazy("Shipment"), template=test_templates
        )
    assert note.email_status == ""
    assert mailing.send_digests("day-1")["sent"] == 0


def test_an_account_not_yet_active_still_gets_its_security_messages(reader, test_templates):
    reader.is_active = False
    reader.save()
    note = queued(reader, test_templates, kind="exporter.confirm_email")
    assert mailing.send_notification(note.pk, "task:0") is Outcome.SENT
    assert len(mail.outbox) == 1
