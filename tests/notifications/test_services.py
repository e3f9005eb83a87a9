"""notify(): the one way the portal tells a user something."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from bumdes_export.notifications.models import Notification
from bumdes_export.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Django ships an Indonesian translation of this string, so it shows which language was active.
REQUIRED = gettext_lazy("This field is required.")
REQUIRED_ID = "Bidang ini harus diisi."
REQUIRED_EN = "This field is required."


class FailingBackend(BaseEmailBackend):
    """An SMTP server that cannot be reached."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def recipient(regions):
    return UserFactory(username="t-penerima", language="id")


def send(recipient, template, **kwargs):
    kwargs.setdefault("kind", "test.message")
    kwargs.setdefault("subject", REQUIRED)
    kwargs.setdefault("context", {"thing": "kopi"})
    return notify(recipient, template=template, **kwargs)


def lines(body: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in body.splitlines())


def test_notification_is_stored_with_the_rendered_message(recipient, test_templates):
    notification = send(recipient, test_templates, kind="test.hello")
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.recipient == recipient
    assert stored.kind == "test.hello"
    assert stored.read_at is None
    body = lines(stored.body)
    assert body["recipient"] == "t-penerima"
    assert body["thing"] == "kopi"


@pytest.mark.parametrize("language, required", [("id", REQUIRED_ID), ("en", REQUIRED_EN)])
def test_message_is_written_in_the_recipients_language(
    recipient, test_templates, language, required
):
    recipient.language = language
    recipient.save()
    with translation.override("en" if language == "id" else "id"):
        notification = send(recipient, test_templates)
        active_afterwards = translation.get_language()

    assert lines(notification.body)["language"] == language
    assert lines(notification.body)["required"] == required
    assert notification.subject == required  # the lazy subject is translated, then stored
    # The sender's own language is left as it was.
    assert active_afterwards == ("en" if language == "id" else "id")


def test_recipient_without_a_language_gets_the_portal_default(recipient, test_templates, settings):
    settings.LANGUAGE_CODE = "id"
    recipient.language = ""
    recipient.save()
    notification = send(recipient, test_templates)
    assert lines(notification.body)["language"] == "id"
    assert notification.subject == REQUIRED_ID


def test_email_leaves_only_after_commit_and_marks_the_notification_sent(
    recipient, test_templates, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient, test_templates)
        assert mailoutbox == []  # not yet committed
        stored = Notification.objects.get(pk=notification.pk)
        assert stored.sent_at is None and stored.email_status == "queued"

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [recipient.email]
    # A capital first and the portal's name, in the recipient's language.
    assert mail.subject == f"{REQUIRED_ID} · Portal Ekspor BUMDes"
    assert mail.body == notification.body
    html, kind = mail.alternatives[0]
    assert kind == "text/html" and "Portal Ekspor BUMDes" in html
    assert notification.link in html and "/notifications/preferences/" in html
    assert mail.extra_headers["Message-ID"] == f"<notification-{notification.pk}@127.0.0.1>"
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.sent_at is not None and stored.email_status == "sent"
    assert stored.email_attempts == 1


def test_rolled_back_change_sends_no_email_and_leaves_no_notification(
    recipient, test_templates, mailoutbox, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        send(recipient, test_templates)
        raise Abort

    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_recipient_without_email_is_notified_in_the_portal_only(
    recipient, test_templates, mailoutbox, django_capture_on_commit_callbacks
):
    recipient.email = ""
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient, test_templates)
    assert mailoutbox == []
    assert Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).exists()
    assert Notification.objects.get(pk=notification.pk).email_status == ""


def test_unreachable_mail_server_keeps_the_notification_unsent(
    recipient, test_templates, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient, test_templates)
    stored = Notification.objects.get(pk=notification.pk)
    # Kept in the inbox, and queued for another try (the scheduler's sweeper runs it).
    assert stored.sent_at is None and stored.email_status == "queued"
    assert stored.email_next_try_at is not None
    assert stored.body


def test_relative_link_is_made_absolute_with_the_portal_address(
    recipient, test_templates, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://ekspor.kemendesa.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(recipient, test_templates, link="/accounts/me/")

    assert notification.link == "https://ekspor.kemendesa.go.id/accounts/me/"
    body = lines(notification.body)
    assert body["link"] == "https://ekspor.kemendesa.go.id/accounts/me/"
    assert body["portal"] == "https://ekspor.kemendesa.go.id"
    assert "https://ekspor.kemendesa.go.id/accounts/me/" in mailoutbox[0].body


@pytest.mark.parametrize("link", ["https://example.org/elsewhere", "http://127.0.0.1:8000/x/", ""])
def test_absolute_or_empty_links_are_kept_as_given(recipient, test_templates, settings, link):
    settings.PORTAL_BASE_URL = "https://ekspor.kemendesa.go.id"
    notification = send(recipient, test_templates, link=link)
    assert notification.link == link
    assert lines(notification.body)["link"] == link


@pytest.mark.parametrize(
    ("subject", "language", "expected"),
    [
        ("shipment recorded", "en", "Shipment recorded · BUMDes Export Portal"),
        ("pengiriman dicatat", "id", "Pengiriman dicatat · Portal Ekspor BUMDes"),
        ("Welcome to the BUMDes Export Portal", "en", "Welcome to the BUMDes Export Portal"),
    ],
)
def test_an_email_subject_starts_with_a_capital_and_names_the_portal(subject, language, expected):
    from bumdes_export.notifications.mailing import email_subject

    assert email_subject(subject, language) == expected
