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
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.models import Notification

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
) -> Notification:
    """Tell ``recipient`` something. ``subject`` is a (lazy) translatable string.

    ``template`` is rendered with ``context`` plus ``recipient``, ``link`` (made absolute) and
    ``portal_url``, in the recipient's language.
    """
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
        recipient=recipient, kind=kind, subject=subject_text, body=body, link=absolute_link
    )
    if recipient.email:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


def _send_email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
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
