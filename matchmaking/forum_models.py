"""Forums: events where exporters and buyers meet regional governments and BUMDes (issue #6).

Imported by ``matchmaking.models`` so Django registers these models with the app.

- A **forum** has days cut into **slots** (``meeting_minutes`` long) and **tables** (or rooms).
- **Participants** register (a regional officer for the region, a BUMDes through its officer or
  operator with the products it brings, an exporter organisation) and the organiser approves
  them; each says which slots it can attend (**availability**) and who attends (**attendees**).
- A participant sends a **meeting request**; the other side accepts or declines. The scheduler
  places accepted requests as **meetings** in a slot at a table. A meeting holds one
  **booking** row per party and per person for its slot, and ``(slot, key)`` is unique, so the
  database refuses to put a person or a party in two meetings at once, even when two writes
  race; ``(slot, table)`` is unique on the meeting for the same reason.
- After the meeting each side **records** whether it was held, with feedback; **outcomes**
  (interest … first shipment) and **follow-up** tasks keep what it led to.

Who may do what lives in ``matchmaking.forum_access``, reads in ``matchmaking.forum_selectors``
and writes in ``matchmaking.forum_services``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Country, Region
from exporters.models import Organisation
from products.models import Bumdes, Product

__all__ = [
    "Forum",
    "ForumSlot",
    "ForumTable",
    "ForumParticipant",
    "ForumAttendee",
    "ForumAvailability",
    "MeetingRequest",
    "Meeting",
    "MeetingBooking",
    "MeetingRecord",
    "MeetingOutcome",
    "FollowUp",
    "ScheduleRun",
    "ForumTimeZone",
]


def _in(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [value for value, _label in choices]})


class ForumTimeZone(models.TextChoices):
    """Indonesia's three time zones; the value is the IANA name."""

    WIB = "Asia/Jakarta", _("WIB (Western Indonesia, UTC+7)")
    WITA = "Asia/Makassar", _("WITA (Central Indonesia, UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (Eastern Indonesia, UTC+9)")


#: The short names people use, for displays and calendar files.
TIME_ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


# --- Forum -----------------------------------------------------------------------------------


class ForumStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Forum(models.Model):
    Status = ForumStatus
    TimeZone = ForumTimeZone

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices, default=TimeZone.WITA
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_forums",
    )
    co_organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-organisers"),
        related_name="co_organised_forums",
        blank=True,
    )
    invited_regions = models.ManyToManyField(
        Region,
        verbose_name=_("invited regions"),
        related_name="+",
        blank=True,
        help_text=_("Provinces or regencies whose officers and BUMDes may register. None: all."),
    )
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=30)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # When the organiser last ran the scheduler (shown with its report).
    scheduled_at = models.DateTimeField(_("last scheduled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="forum_name_not_empty"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="forum_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__gt=F("registration_opens")),
                name="forum_registration_window",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5, meeting_minutes__lte=240),
                name="forum_meeting_minutes_range",
                violation_error_message=_("A meeting lasts between 5 and 240 minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_url=""),
                name="forum_has_venue_or_link",
                violation_error_message=_("Give a venue, an online link, or both."),
            ),
            models.CheckConstraint(
                condition=_in("time_zone", ForumTimeZone.choices), name="forum_time_zone_valid"
            ),
            models.CheckConstraint(
                condition=_in("status", ForumStatus.choices), name="forum_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def zone_abbreviation(self) -> str:
        return TIME_ZONE_ABBREVIATIONS.get(self.time_zone, self.time_zone)


class ForumSlot(models.Model):
    """A time in which meetings run in parallel at the forum's tables."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "starts_at"],
                name="forum_slot_unique_start",
                violation_error_message=_("This forum already has a slot at that time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="forum_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(self.forum.tzinfo)
        return f"{local:%Y-%m-%d %H:%M} {self.forum.zone_abbreviation}"


class ForumTable(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("table or room"), max_length=60)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "name"],
                name="forum_table_unique_name",
                violation_error_message=_("This forum already has a table with this name."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="forum_table_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


# --- Participants ----------------------------------------------------------------------------


class ParticipantKind(models.TextChoices):
    OFFICER = "officer", _("Regional government")
    BUMDES = "bumdes", _("BUMDes")
    ORGANISATION = "organisation", _("Exporter or buyer")


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ForumParticipant(models.Model):
    """One party at a forum: a regional government (through an officer), a BUMDes, or an
    exporter organisation. Exactly the field of its kind is set (checked by the database)."""

    Kind = ParticipantKind
    Status = ParticipantStatus

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regional officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_participations",
    )
    # The officer's region when registering: the participant stays the region's even if the
    # account's scope changes later.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bumdes = models.ForeignKey(
        Bumdes,
        verbose_name=_("BUMDes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_participations",
    )
    products = models.ManyToManyField(
        Product, verbose_name=_("products brought"), related_name="forum_participations", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    note = models.TextField(_("note to the organiser"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # Empty: the forum's zone. Online participants elsewhere see times in their own zone.
    time_zone = models.CharField(_("your time zone"), max_length=40, blank=True)
    # Null until the participant chooses slots: until then it can attend every slot, and slots
    # the organiser adds later are added to its availability.
    availability_set_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["forum_id", "kind", "id"]
        verbose_name = _("forum participant")
        verbose_name_plural = _("forum participants")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="officer",
                        officer__isnull=False,
                        region__isnull=False,
                        bumdes__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        kind="bumdes",
                        officer__isnull=True,
                        region__isnull=True,
                        bumdes__isnull=False,
                        organisation__isnull=True,
                    )
                    | Q(
                        kind="organisation",
                        officer__isnull=True,
                        region__isnull=True,
                        bumdes__isnull=True,
                        organisation__isnull=False,
                    )
                ),
                name="forum_participant_one_party",
            ),
            models.CheckConstraint(
                condition=_in("status", ParticipantStatus.choices),
                name="forum_participant_status_valid",
            ),
            models.UniqueConstraint(
                fields=["forum", "officer"],
                condition=Q(officer__isnull=False),
                name="forum_participant_unique_officer",
                violation_error_message=_("This officer is already registered for the forum."),
            ),
            models.UniqueConstraint(
                fields=["forum", "bumdes"],
                condition=Q(bumdes__isnull=False),
                name="forum_participant_unique_bumdes",
                violation_error_message=_("This BUMDes is already registered for the forum."),
            ),
            models.UniqueConstraint(
                fields=["forum", "organisation"],
                condition=Q(organisation__isnull=False),
                name="forum_participant_unique_organisation",
                violation_error_message=_("This organisation is already registered for the forum."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == ParticipantKind.BUMDES and self.bumdes_id:
            return self.bumdes.name
        if self.kind == ParticipantKind.ORGANISATION and self.organisation_id:
            return self.organisation.legal_name
        if self.officer_id:
            region = self.region.name if self.region_id else ""
            return f"{region} ({self.officer.get_full_name() or self.officer.username})"
        return "?"

    @property
    def is_approved(self) -> bool:
        return self.status == ParticipantStatus.APPROVED

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or self.forum.time_zone)

    @property
    def region_code(self) -> str | None:
        """Where the participant is, for region scoping (None for organisations)."""
        if self.kind == ParticipantKind.BUMDES and self.bumdes_id:
            return self.bumdes.village_id
        return self.region_id


class ForumAttendee(models.Model):
    """A named person who attends the forum's meetings for a participant. ``user`` when the
    person has an account: a person is never double-booked, even across participants."""

    participant = models.ForeignKey(
        ForumParticipant, on_delete=models.CASCADE, related_name="attendees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_attendances",
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["participant_id", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="forum_attendee_name_not_empty"),
            models.UniqueConstraint(
                fields=["participant", "user"],
                condition=Q(user__isnull=False),
                name="forum_attendee_unique_user",
                violation_error_message=_("This person already attends for this participant."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def booking_key(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"person:{self.pk}"


class ForumAvailability(models.Model):
    """A slot the participant can attend."""

    participant = models.ForeignKey(
        ForumParticipant, on_delete=models.CASCADE, related_name="availability"
    )
    slot = models.ForeignKey(ForumSlot, on_delete=models.CASCADE, related_name="availability")

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="forum_availability_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.slot_id}"


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
                condition=_in("status", RequestStatus.choices), name="forum_request_status_valid"
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
                condition=_in("status", MeetingStatus.choices), name="forum_meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=_in("placed_by", PlacedBy.choices), name="forum_meeting_placed_by_valid"
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
    """A step a meeting led to; one per stage and meeting. A first shipment says what went
    where: volume, value, destination and date (checked by the database)."""

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
                condition=_in("stage", OutcomeStage.choices), name="forum_outcome_stage_valid"
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
    outcome = models.ForeignKey(
        MeetingOutcome,
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
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.at:%Y-%m-%d %H:%M}: {self.placed}+{self.kept}"
