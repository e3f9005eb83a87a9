"""Choosing how notifications come: for each family of kinds, in the portal only, by email at
once, in a daily digest, or not at all; security messages always by email; the digest's
unsubscribe link works without a login."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy

from bumdes_export.notifications import kinds, mailing, services
from bumdes_export.notifications.models import Delivery, Notification, NotificationPreference
from bumdes_export.notifications.services import notify
from tests.factories import UserFactory


@pytest.fixture
def reader(regions):
    return UserFactory(username="t-pembaca", email="pembaca@example.org", language="id")


def _tell(user, kind, template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(user, kind=kind, subject=gettext_lazy("Shipment recorded"), template=template)


@pytest.mark.parametrize(
    ("delivery", "stored", "emailed", "channel"),
    [
        (Delivery.EMAIL, True, True, Notification.Channel.EMAIL),
        (Delivery.PORTAL, True, False, Notification.Channel.PORTAL),
        (Delivery.DIGEST, True, False, Notification.Channel.DIGEST),
        (Delivery.NONE, False, False, None),
    ],
)
def test_each_delivery(
    reader, test_templates, django_capture_on_commit_callbacks, delivery, stored, emailed, channel
):
    services.set_preferences(reader, {"deal": delivery})
    note = _tell(reader, "deal.shipment", test_templates, django_capture_on_commit_callbacks)
    assert (note is not None) == stored
    assert Notification.objects.filter(recipient=reader).exists() == stored
    assert len(mail.outbox) == (1 if emailed else 0)
    if stored:
        assert note.channel == channel
    # Another family keeps the default: by email at once.
    _tell(reader, "offer.new", test_templates, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == (2 if emailed else 1)


def test_security_messages_cannot_be_turned_off(
    reader, test_templates, django_capture_on_commit_callbacks
):
    assert kinds.is_security("account.invited") and kinds.is_security("exporter.invited")
    assert not kinds.is_security("exporter.status")
    NotificationPreference.objects.create(user=reader, family="account", delivery=Delivery.NONE)
    services.set_preferences(reader, {"exporter": Delivery.NONE})
    _tell(reader, "account.scope_changed", test_templates, django_capture_on_commit_callbacks)
    _tell(reader, "exporter.invited", test_templates, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert (
        _tell(reader, "exporter.status", test_templates, django_capture_on_commit_callbacks) is None
    )


def test_the_digest_sends_one_email_a_day_with_everything_waiting(
    reader, test_templates, django_capture_on_commit_callbacks
):
    services.set_preferences(reader, {"deal": Delivery.DIGEST, "offer": Delivery.DIGEST})
    for kind in ("deal.shipment", "deal.step", "offer.new"):
        _tell(reader, kind, test_templates, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert mailing.send_digests("day-1")["sent"] == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject.startswith("Portal Ekspor BUMDes") and "3" in digest.subject
    assert digest.body.count("- ") >= 3
    assert "/notifications/unsubscribe/" in digest.body
    html, kind = digest.alternatives[0]  # an HTML part beside the plain text
    assert kind == "text/html" and html.count("<li") == 3
    assert "/notifications/unsubscribe/" in html and "Portal Ekspor BUMDes" in html
    # Sent once: the next day's run has nothing to send.
    assert mailing.send_digests("day-2")["sent"] == 0 and len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient=reader, sent_at__isnull=True).exists()


def test_the_unsubscribe_link_works_without_a_login(
    reader, test_templates, client, django_capture_on_commit_callbacks
):
    services.set_preferences(reader, {"deal": Delivery.DIGEST})
    _tell(reader, "deal.shipment", test_templates, django_capture_on_commit_callbacks)
    link = mailing.unsubscribe_link(reader)
    path = link[link.index("/notifications/") :]
    page = client.get(path)
    assert page.status_code == 200  # a question with a button: a mail scanner changes nothing
    assert NotificationPreference.objects.get(user=reader, family="deal").delivery == "digest"
    done = client.post(path)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert NotificationPreference.objects.get(user=reader, family="deal").delivery == "portal"
    assert (
        mailing.send_digests("day-1")["sent"] == 0
    )  # the waiting one stays in the inbox, not emailed
    assert client.get(path[:-3] + "xyz/").status_code == 400


def test_the_preferences_page(reader, client):
    assert client.get("/notifications/preferences/").status_code == 302  # log in first
    client.force_login(reader)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="deal"' in page and 'name="account"' not in page
    assert 'id="always-emailed"' in page
    every = {f.key: "email" for f in kinds.families() if not f.security}
    saved = client.post(
        "/notifications/preferences/", {**every, "deal": "digest", "account": "none"}
    )
    assert saved.status_code == 302
    assert NotificationPreference.objects.get(user=reader, family="deal").delivery == "digest"
    assert not NotificationPreference.objects.filter(user=reader, family="account").exists()
    refused = client.post("/notifications/preferences/", {**every, "deal": "pigeon"})
    assert refused.status_code == 400 and "deal" in refused.context["form"].errors
