"""The one way the portal tells a user something.

Every feature calls :func:`notify`. The message is rendered in the recipient's language and
stored; its email is sent by a task once the surrounding transaction commits (so a rolled-back
change never sends mail), once only (``mailing``), by the console in the embedded mode and SMTP
from ``EMAIL_URL`` in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications import dispatch, kinds, selectors
from bumdes_export.notifications.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationPreference,
)

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
    emailed = delivery in (Delivery.EMAIL, Delivery.DIGEST) and bool(recipient.email)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=subject_text,
        body=body,
        link=absolute_link,
        channel=CHANNEL_OF[delivery],
        email_status=EmailStatus.QUEUED if emailed else "",
    )
    if delivery == Delivery.EMAIL and emailed:
        dispatch.email_after_commit(notification.pk)
    return notification


#: The channel a notification goes out on, by the recipient's choice of delivery.
CHANNEL_OF: dict[str, str] = {
    Delivery.EMAIL: Notification.Channel.EMAIL,
    Delivery.PORTAL: Notification.Channel.PORTAL,
    Delivery.DIGEST: Notification.Channel.DIGEST,
}


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


def unsubscribe_from_digest(user: User) -> int:
    """Every family the user takes in the digest comes in the portal only from now on; the
    notifications waiting for a digest are not emailed. Returns the families changed."""
    changed = NotificationPreference.objects.filter(user=user, delivery=Delivery.DIGEST).update(
        delivery=Delivery.PORTAL
    )
    Notification.objects.filter(
        recipient=user, channel=Notification.Channel.DIGEST, email_status=EmailStatus.QUEUED
    ).update(channel=Notification.Channel.PORTAL, email_status="")
    return changed
