"""The one way the portal tells a user something.

Every feature calls :func:`notify`. The message is rendered in the recipient's language, stored,
and emailed once the surrounding transaction commits (console in the embedded mode, SMTP from
``EMAIL_URL`` in production), so a rolled-back change never sends mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from bumdes_export.accounts.models import User
from bumdes_export.notifications import kinds, selectors
from bumdes_export.notifications.models import Delivery, Notification, NotificationPreference

log = logging.getLogger(__name__)


def translated(message: str | Promise, **params: object | Callable[[], object]) -> Promise:
    """``message % params``, translated only when rendered, so in the recipient's language.

    ``gettext_lazy(...) % {...}`` would translate at once, in the language of the request.
    ``message`` is a lazy translatable string; a callable param is called when rendered.
    """

    def render() -> str:
        return str(message) % {
            key: str(value() if callable(value) else value) for key, value in params.items()
        }

    return cast(Promise, lazy(render, str)())  # the stubs call a lazy string a str


def notify(
    recipient: User,
    *,
    kind: str,
    subject: str | Promise,
    template: str,
    context: dict[str, Any] | None = None,
    link: str = "",
) -> Notification | None:
    """Tell ``recipient`` something. ``subject`` is a (lazy) translatable string.

    ``template`` is rendered with ``context`` plus ``recipient``, ``link`` (made absolute) and
    ``portal_url``, in the recipient's language. Delivered as the recipient chose for the
    kind's family (``selectors.delivery_for``): in the portal only, by email at once, in the
    daily digest, or not at all (then nothing is stored and None returned).
    """
    delivery = selectors.delivery_for(recipient, kind)
    if delivery == Delivery.NONE:
        return None
    absolute_link = link if link.startswith("http") or not link else settings.PORTAL_BASE_URL + link
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject_text = str(subject)
        body = render_to_string(
            template,
            {
                **(context or {}),
                "recipient": recipient,
                "link": absolute_link,
                "portal_url": settings.PORTAL_BASE_URL,
            },
        ).strip()
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=subject_text,
        body=body,
        link=absolute_link,
        channel=CHANNEL_OF[delivery],
    )
    if delivery == Delivery.EMAIL and recipient.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


#: The channel a notification goes out on, by the recipient's choice of delivery.
CHANNEL_OF: dict[str, str] = {
    Delivery.EMAIL: Notification.Channel.EMAIL,
    Delivery.PORTAL: Notification.Channel.PORTAL,
    Delivery.DIGEST: Notification.Channel.DIGEST,
}


def email_subject(subject: str, language: str) -> str:
    """The subject of an email: the notification's, with a capital first, and the portal's
    name (in the recipient's language) unless it names the portal already."""
    with translation.override(language):
        portal = gettext("BUMDes Export Portal")
    subject = capfirst(subject)
    return subject if portal.lower() in subject.lower() else f"{subject} · {portal}"


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "notifications/email/message.html",
            {
                "notification": notification,
                "portal_url": settings.PORTAL_BASE_URL,
                "preferences": settings.PORTAL_BASE_URL + reverse("notifications:preferences"),
            },
        )
    message = EmailMultiAlternatives(
        email_subject(notification.subject, language),
        notification.body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:
        # The stored notification stays unsent; the user still sees it in the portal.
        log.exception("email for notification %s could not be sent", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now())


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read: those of ``ids`` (others' ids are ignored), or all
    when ``ids`` is None. Returns how many were unread."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def set_preferences(user: User, chosen: dict[str, str]) -> None:
    """Keep the user's choice of delivery per family (security families stay by email)."""
    choosable = {family.key for family in kinds.choosable()}
    for family, delivery in chosen.items():
        if family not in choosable:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, family=family, defaults={"delivery": delivery}
        )


# --- The daily digest ---------------------------------------------------------------------

UNSUBSCRIBE_SALT = "notifications.unsubscribe-digest"


def unsubscribe_token(user: User) -> str:
    """A signed token that turns the user's digest off without a login."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user: User) -> str:
    return settings.PORTAL_BASE_URL + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user)]
    )


def user_of_token(token: str) -> User | None:
    """The user a token was made for; None for a forged or mangled one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("user"), is_active=True).first()


def unsubscribe_from_digest(user: User) -> int:
    """Every family the user takes in the digest comes in the portal only from now on; the
    notifications waiting for a digest are not emailed. Returns the families changed."""
    changed = NotificationPreference.objects.filter(user=user, delivery=Delivery.DIGEST).update(
        delivery=Delivery.PORTAL
    )
    Notification.objects.filter(
        recipient=user, channel=Notification.Channel.DIGEST, sent_at__isnull=True
    ).update(channel=Notification.Channel.PORTAL)
    return changed


def send_digests() -> int:
    """One email per user with the notifications waiting for his digest (at most one digest a
    day: the task runs daily); returns the digests sent. A notification is marked sent only
    once its digest went out."""
    waiting = Notification.objects.filter(
        channel=Notification.Channel.DIGEST, sent_at__isnull=True
    ).select_related("recipient")
    by_user: dict[int, list[Notification]] = {}
    for note in waiting.order_by("recipient_id", "created_at", "id"):
        by_user.setdefault(note.recipient_id, []).append(note)
    sent = 0
    for notes in by_user.values():
        recipient = notes[0].recipient
        if not recipient.email:
            continue
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject = ngettext(
                "%(portal)s: %(n)s notification of the day",
                "%(portal)s: %(n)s notifications of the day",
                len(notes),
            ) % {"portal": gettext("BUMDes Export Portal"), "n": len(notes)}
            body = render_to_string(
                "notifications/email/digest.txt",
                {
                    "recipient": recipient,
                    "notes": notes,
                    "inbox": settings.PORTAL_BASE_URL + reverse("notifications:inbox"),
                    "unsubscribe": unsubscribe_link(recipient),
                },
            ).strip()
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        except OSError:
            log.exception("digest for user %s could not be sent", recipient.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=timezone.now())
        sent += 1
    return sent
