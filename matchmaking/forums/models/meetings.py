"""Meetings at a forum: requests, placed meetings with their bookings, records, outcomes,
follow-ups and scheduler runs."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.db import in_choices
from bumdes_export.reference.models import Country
from matchmaking.deals.models import Deal
from matchmaking.forums.models.events import (
    Forum,
    ForumAttendee,
    ForumParticipant,
    ForumSlot,
    ForumTable,
)
from products.models import Product

# --- Meeting requests ------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


#: Requests that still count: a pair of participants has at most one of these.
OPEN_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class MeetingRequest(models.Model):
    Status = RequestStatus

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meeting_requests")
    from_participant = models.ForeignKey(
        ForumParticipant,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="requests_sent",
    )
    to_participant = models.ForeignKey(
        ForumParticipant,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="requests_received",
    )
    # "<lower id>-<higher id>": one open request per pair, whichever side sent it.
    pair = models.CharField(max_length=41, editable=False)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Why the last scheduler run could not place this accepted request (an ``Unplaced`` value).
    unplaced_reason = models.CharField(_("not placed because"), max_length=30, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_participant=F("to_participant")),
                name="forum_request_not_to_self",
            ),
            models.CheckConstraint(
                condition=in_choices("status", RequestStatus.choices),
                name="forum_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="forum_request_answered_has_date",
            ),
            models.UniqueConstraint(
                fields=["forum", "pair"],
                condition=Q(status__in=["pending", "accepted"]),
                name="forum_request_one_open_per_pair",
                violation_error_message=_(
                    "There is already an open meeting request between these participants."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_participant} → {self.to_participant}"

    @staticmethod
    def pair_of(a: int, b: int) -> str:
        low, high = sorted((a, b))
        return f"{low}-{high}"


# --- Meetings --------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("Did not take place")
    CANCELLED = "cancelled", _("Cancelled")


#: Meetings that occupy their slot and table.
ACTIVE_MEETING_STATUSES = ("scheduled", "confirmed", "held", "no_show")
#: Meetings still to be held: they may be moved, and their parties are reminded.
OPEN_MEETING_STATUSES = ("scheduled", "confirmed")


class PlacedBy(models.TextChoices):
    SCHEDULER = "scheduler", _("Scheduler")
    HAND = "hand", _("Organiser, by hand")


class Meeting(models.Model):
    Status = MeetingStatus

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    # The two parties: the request's sender and receiver.
    party_a = models.ForeignKey(
        ForumParticipant, on_delete=models.CASCADE, related_name="meetings_as_a"
    )
    party_b = models.ForeignKey(
        ForumParticipant, on_delete=models.CASCADE, related_name="meetings_as_b"
    )
    slot = models.ForeignKey(
        ForumSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.ForeignKey(
        ForumTable, verbose_name=_("table"), on_delete=models.PROTECT, related_name="meetings"
    )
    attendees = models.ManyToManyField(
        ForumAttendee, verbose_name=_("attendees"), related_name="meetings", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    placed_by = models.CharField(max_length=10, choices=PlacedBy.choices)
    placed_at = models.DateTimeField(_("placed"), auto_now=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "table__name", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(party_a=F("party_b")), name="forum_meeting_two_parties"
            ),
            models.CheckConstraint(
                condition=in_choices("status", MeetingStatus.choices),
                name="forum_meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("placed_by", PlacedBy.choices),
                name="forum_meeting_placed_by_valid",
            ),
            # A table holds one meeting per slot.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(status__in=ACTIVE_MEETING_STATUSES),
                name="forum_meeting_unique_table_per_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_a} × {self.party_b} @ {self.slot}"

    def has_started(self, now: datetime | None = None) -> bool:
        """Whether it can be recorded as held (or not): its slot has begun."""
        return self.slot.starts_at <= (now or timezone.now())

    def other_party(self, participant: ForumParticipant) -> ForumParticipant:
        return self.party_b if participant.pk == self.party_a_id else self.party_a


class MeetingBooking(models.Model):
    """One party or person busy in one slot because of a meeting. ``key`` is
    ``party:<participant id>``, ``user:<user id>`` or ``person:<attendee id>``; the unique
    ``(slot, key)`` is what makes double booking impossible, whatever the code does."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(ForumSlot, on_delete=models.CASCADE, related_name="bookings")
    key = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "key"],
                name="forum_booking_unique_per_slot",
                violation_error_message=_("Someone in this meeting is already busy in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id}:{self.key}"


# --- After the meeting -----------------------------------------------------------------------


class MeetingRecord(models.Model):
    """One side's account of a meeting: held or not, notes and feedback."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="records")
    participant = models.ForeignKey(
        ForumParticipant, on_delete=models.CASCADE, related_name="meeting_records"
    )
    held = models.BooleanField(_("the meeting took place"))
    notes = models.TextField(_("notes"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"), null=True, blank=True)
    comment = models.TextField(_("feedback"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="forum_record_one_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="forum_record_rating_1_5",
                violation_error_message=_("Rate from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.participant_id}: {self.held}"


class OutcomeStage(models.TextChoices):
    INTEREST = "interest", _("Interest")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    LOI_MOU = "loi_mou", _("Letter of intent or MoU")
    CONTRACT = "contract", _("Contract")
    FIRST_SHIPMENT = "first_shipment", _("First shipment")


class MeetingOutcome(models.Model):
    """A step a meeting led to, as recorded before deals existed; one per stage and meeting.

    Kept as it was recorded: migration ``0006_forum_outcomes_to_deals`` copied each into a deal
    of the forum-meeting channel (``matchmaking.deals``), which is where meetings record what
    they led to now. Nothing writes here any more."""

    Stage = OutcomeStage

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    volume_kg = models.DecimalField(
        _("volume (kg)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    value_usd = models.DecimalField(
        _("value (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    destination = models.ForeignKey(
        Country,
        verbose_name=_("destination country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), related_name="forum_outcomes", blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("stage", OutcomeStage.choices),
                name="forum_outcome_stage_valid",
            ),
            models.UniqueConstraint(
                fields=["meeting", "stage"],
                name="forum_outcome_one_per_stage",
                violation_error_message=_("This meeting already has an outcome at this stage."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="first_shipment")
                | Q(
                    volume_kg__isnull=False,
                    value_usd__isnull=False,
                    destination__isnull=False,
                    occurred_on__isnull=False,
                ),
                name="forum_outcome_shipment_complete",
                violation_error_message=_(
                    "A first shipment needs its volume, value, destination and date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(volume_kg__isnull=True) | Q(volume_kg__gt=0),
                name="forum_outcome_volume_positive",
            ),
            models.CheckConstraint(
                condition=Q(value_usd__isnull=True) | Q(value_usd__gte=0),
                name="forum_outcome_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.get_stage_display()}"


class FollowUp(models.Model):
    """A task a meeting left: who does what by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    # Before deals: the outcome it followed; now the deal it moves on.
    outcome = models.ForeignKey(
        MeetingOutcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    deal = models.ForeignKey(
        Deal,
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="forum_follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="forum_follow_up_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ScheduleRun(models.Model):
    """A run of the scheduler: who ran it and what came out."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="schedule_runs")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    kept = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    unplaced = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.at:%Y-%m-%d %H:%M}: {self.placed}+{self.kept}"
