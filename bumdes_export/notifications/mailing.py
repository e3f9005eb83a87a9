"""Email for notifications: at once, one message a notification, or once a day in a digest.

Once only. An attempt (a task run, named by its task id) first *claims* what it is about to
send, in a committed write that only one attempt can win (``queued`` → ``sending``); then it
hands the message to the mail server; then it records ``sent``. So:

- the mail server failing (an ``OSError``: refused, timed out, SMTP error) gives the claim back
  (``queued``, with the time of the next try) and the task retries then; after the last retry
  the email is ``failed``, as it is at once for an error no retry mends (a broken template);
  a recipient without an address (or who left) is owed no email any more;
- two attempts for the same notification (a message delivered twice, the sweeper re-sending a
  lost one) cannot both send: the loser finds it claimed and leaves it;
- an attempt that stopped between claiming and recording (its worker killed) leaves
  ``sending``. The broker hands the same task (same id) to another worker, which finds its own
  claim, cannot know whether the message left, and records ``unconfirmed`` without sending
  again. A claim left by an attempt that never comes back is settled the same way by the
  sweeper after ``STALE_CLAIM``. At most once, never twice: the notification stays in the
  inbox whatever happened to its email.

Every message carries a ``Message-ID`` made from the notification's id, so that even a copy sent
by hand later is recognised as the same message by mail clients.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from bumdes_export.accounts.models import User
from bumdes_export.notifications import kinds
from bumdes_export.notifications.models import EmailStatus, Notification

log = logging.getLogger(__name__)

#: A claim older than this whose attempt never recorded anything is settled as unconfirmed.
STALE_CLAIM = timedelta(minutes=30)
#: A queued email whose task has not run after this long is sent again by the sweeper (the
#: broker lost the message, or it was down when the change committed).
LOST_AFTER = timedelta(minutes=10)


#: Tries after the first when the mail server fails (1, 2, 4 ... 32 times
#: ``NOTIFICATION_EMAIL_RETRY_SECONDS`` apart); then the email is ``failed``.
RETRIES = 6


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # the mail server failed; queued again for a later try
    FAILED = "failed"  # not sendable (after the last try, or an error no retry mends)
    SKIPPED = "skipped"  # nothing to send: sent already, claimed by another attempt, not due
    UNCONFIRMED = "unconfirmed"  # this attempt's earlier run stopped mid-send; not repeated


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed try an email is tried again."""
    return timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def email_subject(subject: str, language: str) -> str:
    """The subject of an email: the notification's, with a capital first, and the portal's
    name (in the recipient's language) unless it names the portal already."""
    with translation.override(language):
        portal = gettext("BUMDes Export Portal")
    subject = capfirst(subject)
    return subject if portal.lower() in subject.lower() else f"{subject} · {portal}"


def message_id(kind: str, key: object) -> str:
    """A Message-ID stable for one notification or one digest."""
    domain = settings.PORTAL_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<{kind}-{key}@{domain or 'localhost'}>"


# --- Claims ---------------------------------------------------------------------------------


def claim(ids: Sequence[int], attempt: str) -> list[int]:
    """Claim the queued emails of ``ids`` for ``attempt``, in a write of its own that commits
    at once; returns the ids this attempt won (none of them may be sent by anyone else)."""
    with transaction.atomic():
        candidates = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, email_status=EmailStatus.QUEUED)
            .values_list("pk", flat=True)
        )
        # Conditional again: on a database without row locks, whoever writes first wins.
        Notification.objects.filter(pk__in=candidates, email_status=EmailStatus.QUEUED).update(
            email_status=EmailStatus.SENDING,
            email_claim=attempt[:64],
            email_claimed_at=timezone.now(),
            email_attempts=F("email_attempts") + 1,
        )
        return list(
            Notification.objects.filter(
                pk__in=candidates, email_status=EmailStatus.SENDING, email_claim=attempt[:64]
            ).values_list("pk", flat=True)
        )


def settle_interrupted(ids: Sequence[int], attempt: str) -> list[int]:
    """The emails of ``ids`` that ``attempt`` itself had claimed and never recorded: an earlier
    run of the same task stopped in between. Recorded ``unconfirmed``; returns their ids."""
    rows = Notification.objects.filter(
        pk__in=ids, email_status=EmailStatus.SENDING, email_claim=attempt[:64]
    )
    found = list(rows.values_list("pk", flat=True))
    rows.update(email_status=EmailStatus.UNCONFIRMED)
    for pk in found:
        log.warning("email of notification %s: interrupted mid-send, not sent again", pk)
    return found


def record_sent(ids: Sequence[int], attempt: str) -> None:
    Notification.objects.filter(
        pk__in=ids, email_status=EmailStatus.SENDING, email_claim=attempt[:64]
    ).update(email_status=EmailStatus.SENT, sent_at=timezone.now())


def give_back(
    ids: Sequence[int], attempt: str, *, final: bool, next_try: datetime | None = None
) -> None:
    """The send failed: queued again for a try at ``next_try``, or ``failed`` when ``final``."""
    Notification.objects.filter(
        pk__in=ids, email_status=EmailStatus.SENDING, email_claim=attempt[:64]
    ).update(
        email_status=EmailStatus.FAILED if final else EmailStatus.QUEUED,
        email_claim="",
        email_claimed_at=None,
        email_next_try_at=None if final else next_try,
    )


def release(ids: Sequence[int], attempt: str) -> None:
    """No email is owed after all (the recipient has no address any more, or left)."""
    Notification.objects.filter(
        pk__in=ids, email_status=EmailStatus.SENDING, email_claim=attempt[:64]
    ).update(email_status="", email_claim="", email_claimed_at=None, email_next_try_at=None)


def reachable(user: User, kind: str = "") -> bool:
    """Whether the user is still owed email: an address, and an active account (an account not
    yet active still gets its security messages: the link that confirms it)."""
    return bool(user.email) and (user.is_active or kinds.is_security(kind))


# --- One notification, at once --------------------------------------------------------------


def send_notification(notification_id: int, attempt: str) -> Outcome:
    """Email one notification once (see the module's docstring). ``attempt`` names this try
    (the task's id and retry number: the same when the broker delivers the task again). A mail
    server that fails is tried again (``RETRY``, after ``backoff``) up to ``RETRIES`` times; an
    error no retry mends (a broken template, an address the library refuses) is ``FAILED`` at
    once. Never raises: the notification is in the inbox whatever happens to its email."""
    if settle_interrupted([notification_id], attempt):
        return Outcome.UNCONFIRMED
    if not claim([notification_id], attempt):
        return Outcome.SKIPPED
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not reachable(notification.recipient, notification.kind):
        release([notification_id], attempt)
        return Outcome.SKIPPED
    try:
        _message_for(notification).send()
    except OSError:
        log.exception("email for notification %s: the mail server failed", notification_id)
        final = notification.email_attempts > RETRIES
        next_try = timezone.now() + backoff(notification.email_attempts)
        give_back([notification_id], attempt, final=final, next_try=next_try)
        return Outcome.FAILED if final else Outcome.RETRY
    except Exception:
        log.exception("email for notification %s cannot be sent", notification_id)
        give_back([notification_id], attempt, final=True)
        return Outcome.FAILED
    record_sent([notification_id], attempt)
    return Outcome.SENT


def retry_in(notification_id: int) -> float:
    """Seconds until the email's next try (0 when it is due)."""
    due = (
        Notification.objects.filter(pk=notification_id)
        .values_list("email_next_try_at", flat=True)
        .first()
    )
    return max((due - timezone.now()).total_seconds(), 0.0) if due else 0.0


def _message_for(notification: Notification) -> EmailMultiAlternatives:
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
        headers={"Message-ID": message_id("notification", notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message


def lost_emails() -> list[int]:
    """Queued emails whose task should have run ``LOST_AFTER`` ago (its message was lost or
    never reached the broker; in the embedded mode, the retry the sweeper itself runs), oldest
    first, to be sent again."""
    late = timezone.now() - LOST_AFTER
    return list(
        Notification.objects.filter(
            Q(email_next_try_at__isnull=True, created_at__lt=late) | Q(email_next_try_at__lt=late),
            channel=Notification.Channel.EMAIL,
            email_status=EmailStatus.QUEUED,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def settle_stale_claims() -> int:
    """Claims no attempt came back for within ``STALE_CLAIM``: ``unconfirmed``, never resent."""
    return Notification.objects.filter(
        email_status=EmailStatus.SENDING, email_claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(email_status=EmailStatus.UNCONFIRMED)


# --- The daily digest -----------------------------------------------------------------------

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


def send_digests(attempt: str) -> dict[str, int]:
    """One email per user with the notifications waiting for his digest (the task runs daily:
    at most one digest a day). Each user's notes are claimed before his digest is sent and
    recorded after, so a rerun of the same task sends nobody a second digest. Returns the
    digests sent, refused by the mail server (left queued for tomorrow), not sendable at all and
    settled as interrupted."""
    waiting = Notification.objects.filter(
        channel=Notification.Channel.DIGEST,
        email_status__in=[EmailStatus.QUEUED, EmailStatus.SENDING],
    )
    by_user: dict[int, list[int]] = {}
    for pk, user_id in waiting.order_by("recipient_id", "created_at", "id").values_list(
        "pk", "recipient_id"
    ):
        by_user.setdefault(user_id, []).append(pk)
    counts = {"sent": 0, "refused": 0, "unsendable": 0, "unconfirmed": 0}
    recipients = User.objects.in_bulk(list(by_user))
    for user_id, ids in by_user.items():
        recipient = recipients[user_id]
        if settle_interrupted(ids, attempt):
            counts["unconfirmed"] += 1
            continue
        won = claim(ids, attempt)
        if not won:
            continue
        if not reachable(recipient):
            release(won, attempt)
            continue
        notes = list(Notification.objects.filter(pk__in=won).order_by("created_at", "id"))
        try:
            _digest_for(recipient, notes).send()
        except OSError:  # the mail server: tomorrow's digest takes them
            log.exception("digest for user %s: the mail server failed", recipient.pk)
            give_back(won, attempt, final=False)
            counts["refused"] += 1
            continue
        except Exception:  # no retry mends it; the others still get theirs
            log.exception("digest for user %s cannot be sent", recipient.pk)
            give_back(won, attempt, final=True)
            counts["unsendable"] += 1
            continue
        record_sent(won, attempt)
        counts["sent"] += 1
    return counts


def _digest_for(recipient: User, notes: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(portal)s: %(n)s notification of the day",
            "%(portal)s: %(n)s notifications of the day",
            len(notes),
        ) % {"portal": gettext("BUMDes Export Portal"), "n": len(notes)}
        context = {
            "recipient": recipient,
            "notes": notes,
            "subject": subject,
            "inbox": settings.PORTAL_BASE_URL + reverse("notifications:inbox"),
            "unsubscribe": unsubscribe_link(recipient),
        }
        body = render_to_string("notifications/email/digest.txt", context).strip()
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        headers={"Message-ID": message_id("digest", f"{recipient.pk}-{notes[-1].pk}")},
    )
    message.attach_alternative(html, "text/html")
    return message
