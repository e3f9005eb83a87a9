"""Forums, their days (slots and tables) and who takes part (participants, attendees,
availability)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.db import in_choices
from bumdes_export.reference.models import Region
from exporters.models import Organisation
from products.models import Bumdes, Product


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
                condition=in_choices("time_zone", ForumTimeZone.choices),
                name="forum_time_zone_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("status", ForumStatus.choices), name="forum_status_valid"
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
                condition=in_choices("status", ParticipantStatus.choices),
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
