"""Shapes of the forum API.

Serializers only translate between JSON and the values the services take (ids to rows, codes to
reference rows). Who may do what, and what a valid record is, stay in
``matchmaking.forums.services`` and ``matchmaking.forums.access``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Region
from matchmaking.deals import selectors as deal_selectors
from matchmaking.forums import selectors as selectors
from matchmaking.forums.models import (
    FollowUp,
    Forum,
    ForumAttendee,
    ForumParticipant,
    ForumSlot,
    ForumTable,
    Meeting,
    MeetingRecord,
    MeetingRequest,
)
from matchmaking.forums.selectors import unplaced_label
from products import access as product_access
from products.models import Product


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


class RegionCodeListField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("There is no province or regency with the code {value}.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Region.objects.filter(level__in=[1, 2]))
        super().__init__(**kwargs)


class MinistryUserField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("There is no ministry staff with the id {pk_value}.")
    }

    def get_queryset(self):
        return selectors.co_organiser_candidates()


class ScopedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows the requesting user may see (others: "does not exist")."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(request.user if request else None)


# --- Forums ----------------------------------------------------------------------------------


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForumSlot
        fields = ["id", "starts_at", "ends_at"]
        read_only_fields = fields


class TableSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForumTable
        # The services check uniqueness (with a message); DRF's own validators would make
        # optional fields of conditional unique constraints required.
        validators: list = []
        fields = ["id", "name"]


class ForumSerializer(serializers.ModelSerializer):
    organiser = serializers.PrimaryKeyRelatedField(read_only=True)
    organiser_name = serializers.SerializerMethodField()
    co_organisers = MinistryUserField(many=True, required=False)
    invited_regions = RegionCodeListField(many=True, required=False)
    time_zone_abbreviation = serializers.CharField(source="zone_abbreviation", read_only=True)

    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "description",
            "starts_on",
            "ends_on",
            "venue",
            "online_url",
            "time_zone",
            "time_zone_abbreviation",
            "organiser",
            "organiser_name",
            "co_organisers",
            "invited_regions",
            "registration_opens",
            "registration_closes",
            "meeting_minutes",
            "status",
            "scheduled_at",
            "created_at",
        ]
        read_only_fields = ["status", "scheduled_at", "created_at"]
        extra_kwargs = {
            "description": {"required": False, "allow_blank": True},
            "venue": {"required": False, "allow_blank": True},
            "online_url": {"required": False, "allow_blank": True},
            "meeting_minutes": {"required": False},
        }

    def get_organiser_name(self, forum: Forum) -> str | None:
        return _name(forum.organiser)

    # The services check the rules; the model's validators would duplicate them here.
    def validate(self, attrs):
        return attrs


class ForumStatusSerializer(serializers.Serializer):
    # A plain string (the service says which moves are allowed, with a field error): a second
    # choice field named "status" with the same choices would clash in the schema's enum names.
    status = serializers.CharField(
        max_length=10, help_text="published, finished or cancelled (from draft or published)"
    )


class SlotsCreateSerializer(serializers.Serializer):
    day = serializers.DateField()
    start = serializers.TimeField()
    end = serializers.TimeField()
    break_minutes = serializers.IntegerField(min_value=0, max_value=120, default=0)
    in_the_past = serializers.BooleanField(
        default=False, help_text="Add slots that begin in the past (to record meetings held)."
    )


# --- Participants ----------------------------------------------------------------------------


class AttendeeSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )

    class Meta:
        model = ForumAttendee
        # The services check uniqueness (with a message); DRF's own validators would make
        # optional fields of conditional unique constraints required.
        validators: list = []
        fields = ["id", "name", "position", "email", "user"]
        extra_kwargs = {
            "position": {"required": False, "allow_blank": True},
            "email": {"required": False, "allow_blank": True},
        }


class ParticipantSerializer(serializers.ModelSerializer):
    """A forum participant. Write: ``forum``, ``kind`` and, for a BUMDes, ``bumdes`` and
    ``products``; ``organisation`` only when an organiser registers one."""

    forum = ScopedField(selectors.visible_forums)
    name = serializers.CharField(source="display_name", read_only=True)
    officer = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(read_only=True)
    bumdes = ScopedField(product_access.visible_bumdes, required=False, allow_null=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=ForumParticipant._meta.get_field("organisation").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    products = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), many=True, required=False
    )
    attendees = AttendeeSerializer(many=True, read_only=True)

    class Meta:
        model = ForumParticipant
        # The services check uniqueness (with a message); DRF's own validators would make
        # optional fields of conditional unique constraints required.
        validators: list = []
        fields = [
            "id",
            "forum",
            "kind",
            "name",
            "status",
            "officer",
            "region",
            "bumdes",
            "organisation",
            "products",
            "attendees",
            "note",
            "decision_reason",
            "time_zone",
            "registered_at",
            "decided_at",
        ]
        read_only_fields = ["status", "decision_reason", "registered_at", "decided_at"]
        extra_kwargs = {
            "note": {"required": False, "allow_blank": True},
            "time_zone": {"required": False, "allow_blank": True},
        }

    def validate(self, attrs):
        return attrs


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AvailabilitySerializer(serializers.Serializer):
    slots = serializers.PrimaryKeyRelatedField(queryset=ForumSlot.objects.all(), many=True)


# --- Requests --------------------------------------------------------------------------------


class MeetingRequestSerializer(serializers.ModelSerializer):
    forum = serializers.PrimaryKeyRelatedField(read_only=True)
    from_participant = ScopedField(selectors.own_participants)
    to_participant = ScopedField(selectors.visible_participants)
    from_name = serializers.CharField(source="from_participant.display_name", read_only=True)
    to_name = serializers.CharField(source="to_participant.display_name", read_only=True)
    unplaced_label = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        # The services check uniqueness (with a message); DRF's own validators would make
        # optional fields of conditional unique constraints required.
        validators: list = []
        fields = [
            "id",
            "forum",
            "from_participant",
            "from_name",
            "to_participant",
            "to_name",
            "message",
            "status",
            "answer",
            "created_at",
            "answered_at",
            "unplaced_reason",
            "unplaced_label",
        ]
        read_only_fields = ["status", "answer", "created_at", "answered_at", "unplaced_reason"]
        extra_kwargs = {"message": {"required": False, "allow_blank": True}}

    def get_unplaced_label(self, request: MeetingRequest) -> str:
        return unplaced_label(request.unplaced_reason) if request.unplaced_reason else ""


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- Meetings --------------------------------------------------------------------------------


class MeetingRecordSerializer(serializers.ModelSerializer):
    participant = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MeetingRecord
        fields = ["id", "participant", "held", "notes", "rating", "comment", "recorded_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    party_a_name = serializers.CharField(source="party_a.display_name", read_only=True)
    party_b_name = serializers.CharField(source="party_b.display_name", read_only=True)
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True)
    table_name = serializers.CharField(source="table.name", read_only=True)
    attendees = serializers.SerializerMethodField()
    records = MeetingRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "request",
            "party_a",
            "party_a_name",
            "party_b",
            "party_b_name",
            "slot",
            "starts_at",
            "ends_at",
            "table",
            "table_name",
            "status",
            "placed_by",
            "attendees",
            "records",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_attendees(self, meeting: Meeting) -> list[str]:
        return [a.name for a in meeting.attendees.all()]


class MoveSerializer(serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=ForumSlot.objects.all())
    table = serializers.PrimaryKeyRelatedField(queryset=ForumTable.objects.all())


class RecordSerializer(serializers.Serializer):
    held = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- Outcomes and follow-ups -----------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    meeting = ScopedField(selectors.visible_meetings)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    deal = ScopedField(
        deal_selectors.visible_deals,
        required=False,
        allow_null=True,
        help_text="one of the meeting's deals (the deal it opened, or the organisation's deal of "
        "a product of the meeting)",
    )
    outcome = serializers.PrimaryKeyRelatedField(
        read_only=True,
        help_text="deprecated: the outcome it followed before deals (read only); use deal",
    )
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "meeting",
            "deal",
            "outcome",
            "title",
            "due_on",
            "owner",
            "owner_name",
            "done_at",
            "created_at",
        ]
        read_only_fields = ["done_at", "created_at"]

    def get_owner_name(self, task: FollowUp) -> str | None:
        return _name(task.owner)
