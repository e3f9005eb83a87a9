from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.db import in_choices


class Delivery(models.TextChoices):
    """How a user wants a family of notifications."""

    PORTAL = "portal", _("in the portal only")
    EMAIL = "email", _("by email at once")
    DIGEST = "digest", _("in a daily email digest")
    NONE = "none", _("not at all")


class Channel(models.TextChoices):
    """How a notification went out."""

    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal only")
    DIGEST = "digest", _("Daily digest")


class EmailStatus(models.TextChoices):
    """Where a notification's email stands (blank: no email is due, portal only).

    Sending is once only: an attempt claims the notification (``sending``, committed) before it
    hands the message to the mail server and records ``sent`` after. An attempt that stopped in
    between (a worker killed) leaves ``sending``; whatever runs next for it records
    ``unconfirmed`` and never sends it again (it may have gone out; the inbox has it anyway).
    """

    QUEUED = "queued", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    UNCONFIRMED = "unconfirmed", _("sending interrupted, not repeated")
    FAILED = "failed", _("could not be sent")


class Notification(models.Model):
    """Something the portal told a user: read in the inbox, and emailed at once or in the
    daily digest as the user chose (``channel`` records which, ``email_status`` how far the
    email got)."""

    Channel = Channel
    EmailStatus = EmailStatus

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=12, choices=EmailStatus.choices, blank=True, default=""
    )
    # The sending attempt (its task id) that claimed the email, and when; attempts so far.
    email_claim = models.CharField(max_length=64, blank=True, default="")
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # When a queued email that failed is tried again.
    email_next_try_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["channel", "sent_at"],
                name="notification_digest_due",
                condition=Q(channel="digest", sent_at__isnull=True),
            ),
            models.Index(
                fields=["email_status", "created_at"],
                name="notification_email_open",
                condition=Q(email_status__in=["queued", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("channel", Channel.choices), name="notification_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(email_status="") | in_choices("email_status", EmailStatus.choices),
                name="notification_email_status_known",
            ),
            # Sent exactly when recorded as sent; a claim only while being sent.
            models.CheckConstraint(
                condition=Q(email_status="sent", sent_at__isnull=False)
                | (~Q(email_status="sent") & Q(sent_at__isnull=True)),
                name="notification_sent_when_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a user wants one family of notifications (``kinds``); without a row, by email at
    once. Security messages are always emailed, whatever is set here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    family = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification choice")
        verbose_name_plural = _("notification choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "family"], name="one_preference_per_family"),
            models.CheckConstraint(
                condition=in_choices("delivery", Delivery.choices), name="preference_delivery_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.family}: {self.delivery}"
