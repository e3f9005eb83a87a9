"""Forum API: forums (with their slots, tables, scheduler and statistics), participants (with
approval, availability and attendees), meeting requests, meetings and follow-ups. Outcomes are
deprecated (what meetings lead to are deals, ``/api/v1/deals/``): ``api_outcomes`` still answers
them from the deals.

The same rules as the pages: lists are scoped by ``matchmaking.forums.selectors`` (participants
see their own requests and meetings, regional officers their region's, organisers and ministry
staff their forums' / all), objects outside the scope answer 404, writes go through
``matchmaking.forums.services`` (``ValidationError`` → 400 with field errors, ``PermissionDenied``
→ 403). Filters with unknown values answer 400; anonymous requests 401.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from bumdes_export.core.filters import SearchFilter
from matchmaking.dealings.api import id_filter
from matchmaking.forums import access as access
from matchmaking.forums import reports
from matchmaking.forums import selectors as selectors
from matchmaking.forums import services as services
from matchmaking.forums.models import (
    FollowUp,
    Forum,
    ForumParticipant,
    Meeting,
    MeetingRequest,
)
from matchmaking.forums.serializers import (
    AnswerSerializer,
    AttendeeSerializer,
    AvailabilitySerializer,
    DecisionSerializer,
    FollowUpSerializer,
    ForumSerializer,
    ForumStatusSerializer,
    MeetingRequestSerializer,
    MeetingSerializer,
    MoveSerializer,
    ParticipantSerializer,
    RecordSerializer,
    SlotsCreateSerializer,
    SlotSerializer,
    TableSerializer,
)
from products.api import NoopFilterSet

REPORT = inline_serializer(
    "ScheduleReport",
    {
        "kept": serializers.IntegerField(),
        "placed": serializers.IntegerField(),
        "unplaced": serializers.DictField(child=serializers.CharField()),
    },
)

#: How the statistics' amounts are written (as strings, like every decimal of the API).
DECIMAL_PLACES = {
    "volume_kg": Decimal("0.001"),
    "volume_l": Decimal("0.001"),
    "value_usd": Decimal("0.01"),
}
_STAGE_ROW = {
    "stage": serializers.CharField(),
    "label": serializers.CharField(),
    "count": serializers.IntegerField(),
}
STATISTICS = inline_serializer(
    "ForumStatistics",
    {
        **{
            name: serializers.IntegerField()
            for name in (
                "participants_approved",
                "participants_pending",
                "requests_sent",
                "requests_pending",
                "requests_accepted",
                "requests_declined",
                "requests_cancelled",
                "meetings_scheduled",
                "meetings_held",
                "no_shows",
                "unplaced",
                "deals_opened",
            )
        },
        "average_rating": serializers.FloatField(allow_null=True),
        "deals": inline_serializer(
            "ForumDealsByStage",
            {
                **_STAGE_ROW,
                "reached": serializers.IntegerField(help_text="deals that reached the stage"),
            },
            many=True,
            help_text="deals opened at the forum's meetings; count: deals at the stage now",
        ),
        "shipments": inline_serializer(
            "ForumShipments",
            {
                "count": serializers.IntegerField(),
                "volume_kg": serializers.DecimalField(max_digits=16, decimal_places=3),
                "volume_l": serializers.DecimalField(max_digits=16, decimal_places=3),
                "value_usd": serializers.DecimalField(max_digits=16, decimal_places=2),
            },
            help_text="shipments of the deals opened at the forum's meetings",
        ),
        "outcomes": inline_serializer(
            "ForumOutcomesByStage",
            {
                **_STAGE_ROW,
                "value_usd": serializers.DecimalField(max_digits=16, decimal_places=2),
                "volume_kg": serializers.DecimalField(max_digits=16, decimal_places=3),
            },
            many=True,
            help_text="deprecated, kept for old clients: per stage up to the first shipment, "
            "the deals that reached it and the value and volume their steps (the first "
            "shipment: each deal's first shipment record) say; use deals and shipments",
        ),
    },
)


# --- Forums ----------------------------------------------------------------------------------


class ForumFilter(NoopFilterSet):
    status = django_filters.ChoiceFilter(choices=Forum.Status.choices, method="noop")
    q = SearchFilter(method="noop", help_text="name or venue")

    class Meta:
        model = Forum
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.forum_list(
            self.request.user, status=data.get("status") or "", q=(data.get("q") or "").strip()
        )


@extend_schema_view(
    list=extend_schema(summary="Forums: published ones for everyone, drafts for ministry staff"),
    create=extend_schema(summary="Create a forum (ministry staff; you become its organiser)"),
    partial_update=extend_schema(summary="Change a forum (its organisers)"),
)
class ForumViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ForumSerializer
    queryset = Forum.objects.none()
    filterset_class = ForumFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.visible_forums(self.request.user).select_related("organiser")

    def _detail(self, forum: Forum, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=forum.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        if not access.may_create_forum(request.user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        forum = services.create_forum(actor=request.user, data=serializer.validated_data)
        return self._detail(forum, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        forum = self.get_object()
        serializer = self.get_serializer(forum, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        forum = services.update_forum(
            actor=request.user, forum=forum, data=serializer.validated_data
        )
        return self._detail(forum)

    def _organiser_view(self) -> Forum:
        forum = self.get_object()
        if not access.reads_organiser_views(self.request.user, forum):
            raise PermissionDenied
        return forum

    @extend_schema(
        request=ForumStatusSerializer,
        responses=ForumSerializer,
        summary="Publish, finish or cancel",
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status", filter_backends=[])
    def set_status(self, request, pk=None):
        forum = self.get_object()
        serializer = ForumStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        forum = services.set_forum_status(
            actor=request.user, forum=forum, to=serializer.validated_data["status"]
        )
        return self._detail(forum)

    @extend_schema(methods=["GET"], responses=SlotSerializer(many=True), summary="The time slots")
    @extend_schema(
        methods=["POST"],
        request=SlotsCreateSerializer,
        responses={201: SlotSerializer(many=True)},
        summary="Cut a day's hours into meeting-length slots (organisers)",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def slots(self, request, pk=None):
        forum = self.get_object()
        if request.method == "GET":
            return Response(SlotSerializer(forum.slots.all(), many=True).data)
        serializer = SlotsCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.add_slots(actor=request.user, forum=forum, **serializer.validated_data)
        return Response(SlotSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=TableSerializer(many=True), summary="The tables")
    @extend_schema(
        methods=["POST"],
        request=TableSerializer,
        responses={201: TableSerializer},
        summary="Add a table or room (organisers)",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def tables(self, request, pk=None):
        forum = self.get_object()
        if request.method == "GET":
            return Response(TableSerializer(forum.tables.all(), many=True).data)
        serializer = TableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        table = services.add_table(
            actor=request.user, forum=forum, name=serializer.validated_data["name"]
        )
        return Response(TableSerializer(table).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=REPORT, summary="Run the scheduler (organisers)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def schedule(self, request, pk=None):
        forum = self.get_object()
        report = services.run_scheduler(actor=request.user, forum=forum)
        return Response({"kept": report.kept, "placed": report.placed, "unplaced": report.unplaced})

    @extend_schema(
        request=None,
        responses=inline_serializer("Confirmed", {"confirmed": serializers.IntegerField()}),
        summary="Confirm the scheduled meetings; both sides are told (organisers)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def confirm(self, request, pk=None):
        count = services.confirm_meetings(actor=request.user, forum=self.get_object())
        return Response({"confirmed": count})

    @extend_schema(
        request=None,
        responses=MeetingRequestSerializer(many=True),
        summary="Accepted requests not placed, with the reason (organisers, ministry)",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def unplaced(self, request, pk=None):
        forum = self._organiser_view()
        rows = reports.unplaced_requests(forum)
        return Response(
            MeetingRequestSerializer(rows, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=None,
        responses=STATISTICS,
        summary="Requests, meetings, no-shows; deals opened at the meetings by stage and their "
        "shipments (organisers, ministry)",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def statistics(self, request, pk=None):
        stats = reports.forum_statistics(self._organiser_view())
        for row in [*stats["deals"], *stats["outcomes"]]:
            row["label"] = str(row["label"])
        for row in [*stats["outcomes"], stats["shipments"]]:
            for key, places in DECIMAL_PLACES.items():
                if key in row:
                    row[key] = str(Decimal(row[key]).quantize(places))
        return Response(stats)


# --- Participants ----------------------------------------------------------------------------


class ParticipantFilter(NoopFilterSet):
    forum = id_filter("only participants of this forum (id)")
    status = django_filters.ChoiceFilter(choices=ForumParticipant.Status.choices, method="noop")
    kind = django_filters.ChoiceFilter(choices=ForumParticipant.Kind.choices, method="noop")
    q = SearchFilter(method="noop", help_text="name")

    class Meta:
        model = ForumParticipant
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.participant_list(
            self.request.user,
            forum=data.get("forum"),
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            q=(data.get("q") or "").strip(),
        ).prefetch_related("products", "attendees")


@extend_schema_view(
    list=extend_schema(summary="Participants you may see (yours, your region's, your forums')"),
    create=extend_schema(summary="Register for a forum (the organiser approves)"),
)
class ParticipantViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ParticipantSerializer
    queryset = ForumParticipant.objects.none()
    filterset_class = ParticipantFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.visible_participants(self.request.user).prefetch_related(
            "products", "attendees"
        )

    def _detail(self, participant, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=participant.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _managed(self) -> ForumParticipant:
        """A participant the user acts for or organises; others may only list it (403)."""
        participant = self.get_object()
        if not access.opens_participant(self.request.user, participant):
            raise PermissionDenied
        return participant

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participant = services.register(
            actor=request.user,
            forum=data["forum"],
            kind=data["kind"],
            bumdes=data.get("bumdes"),
            organisation=data.get("organisation"),
            products=data.get("products") or [],
            note=data.get("note", ""),
            time_zone=data.get("time_zone", ""),
        )
        return self._detail(participant, status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool) -> Response:
        participant = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = services.decide_participant(
            actor=request.user,
            participant=participant,
            approve=approve,
            reason=serializer.validated_data["reason"],
        )
        return self._detail(participant)

    @extend_schema(
        request=DecisionSerializer, responses=ParticipantSerializer, summary="Approve (organisers)"
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(
        request=DecisionSerializer,
        responses=ParticipantSerializer,
        summary="Reject, saying why (organisers)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(methods=["GET"], responses=AvailabilitySerializer, summary="Slots it can attend")
    @extend_schema(
        methods=["PUT"],
        request=AvailabilitySerializer,
        responses=AvailabilitySerializer,
        summary="Set the slots it can attend",
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def availability(self, request, pk=None):
        participant = self._managed()
        if request.method == "PUT":
            serializer = AvailabilitySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.set_availability(
                actor=request.user,
                participant=participant,
                slots=serializer.validated_data["slots"],
            )
        slots = list(participant.availability.values_list("slot_id", flat=True).order_by("slot_id"))
        return Response({"slots": slots})

    @extend_schema(methods=["GET"], responses=AttendeeSerializer(many=True), summary="Who attends")
    @extend_schema(
        methods=["POST"],
        request=AttendeeSerializer,
        responses={201: AttendeeSerializer},
        summary="Add an attendee",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def attendees(self, request, pk=None):
        participant = self._managed()
        if request.method == "GET":
            return Response(AttendeeSerializer(participant.attendees.all(), many=True).data)
        serializer = AttendeeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendee = services.add_attendee(
            actor=request.user,
            participant=participant,
            data=services.AttendeeData(**serializer.validated_data),
        )
        return Response(AttendeeSerializer(attendee).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "Suggestion",
            {
                "participant": serializers.IntegerField(),
                "name": serializers.CharField(),
                "score": serializers.FloatField(allow_null=True),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "request": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
        summary="Suggested counterparts, best match first, with the reasons",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def suggestions(self, request, pk=None):
        participant = self._managed()
        if not participant.is_approved:
            return Response([])
        return Response(
            [
                {
                    "participant": s.participant.pk,
                    "name": s.participant.display_name,
                    "score": s.score,
                    "reasons": [str(r) for r in s.reasons],
                    "request": s.request.pk if s.request else None,
                }
                for s in selectors.suggested_counterparts(participant)
            ]
        )


# --- Meeting requests ------------------------------------------------------------------------


class RequestFilter(NoopFilterSet):
    forum = id_filter("only requests of this forum (id)")
    status = django_filters.ChoiceFilter(choices=MeetingRequest.Status.choices, method="noop")
    participant = id_filter("only requests from or to this participant (id)")

    class Meta:
        model = MeetingRequest
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.request_list(
            self.request.user,
            forum=data.get("forum"),
            status=data.get("status") or "",
            participant=data.get("participant"),
        )


@extend_schema_view(
    list=extend_schema(summary="Meeting requests of your participants (organisers: their forums')"),
    create=extend_schema(summary="Ask another participant for a meeting"),
)
class MeetingRequestViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingRequestSerializer
    queryset = MeetingRequest.objects.none()
    filterset_class = RequestFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.request_list(self.request.user)

    def _detail(self, meeting_request, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=meeting_request.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting_request = services.send_request(
            actor=request.user,
            sender=data["from_participant"],
            receiver=data["to_participant"],
            message=data.get("message", ""),
        )
        return self._detail(meeting_request, status.HTTP_201_CREATED)

    def _answer(self, request, accept: bool) -> Response:
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting_request = services.answer_request(
            actor=request.user,
            request=self.get_object(),
            accept=accept,
            answer=serializer.validated_data["answer"],
        )
        return self._detail(meeting_request)

    @extend_schema(request=AnswerSerializer, responses=MeetingRequestSerializer, summary="Accept")
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, pk=None):
        return self._answer(request, True)

    @extend_schema(request=AnswerSerializer, responses=MeetingRequestSerializer, summary="Decline")
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, pk=None):
        return self._answer(request, False)

    @extend_schema(
        request=None,
        responses=MeetingRequestSerializer,
        summary="Withdraw (sender) or cancel an accepted meeting (either side)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        return self._detail(services.cancel_request(actor=request.user, request=self.get_object()))


# --- Meetings --------------------------------------------------------------------------------


class MeetingFilter(NoopFilterSet):
    forum = id_filter("only meetings of this forum (id)")
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, method="noop")
    participant = id_filter("only meetings of this participant (id)")

    class Meta:
        model = Meeting
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.meeting_list(
            self.request.user,
            forum=data.get("forum"),
            status=data.get("status") or "",
            participant=data.get("participant"),
        ).prefetch_related("attendees", "records")


@extend_schema_view(list=extend_schema(summary="Meetings of your participants, in time order"))
class MeetingViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    filterset_class = MeetingFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.meeting_list(self.request.user).prefetch_related("attendees", "records")

    def _detail(self, meeting) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=MoveSerializer, responses=MeetingSerializer, summary="Move (organisers)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, pk=None):
        meeting = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = services.move_meeting(
            actor=request.user, meeting=meeting, **serializer.validated_data
        )
        return self._detail(moved)

    @extend_schema(
        request=RecordSerializer,
        responses=MeetingSerializer,
        summary="Record whether it took place, notes and feedback (either side)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def record(self, request, pk=None):
        meeting = self.get_object()
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_meeting(actor=request.user, meeting=meeting, **serializer.validated_data)
        return self._detail(meeting)


# --- Outcomes and follow-ups -----------------------------------------------------------------


class FollowUpFilter(NoopFilterSet):
    meeting = id_filter("only follow-ups of this meeting (id)")
    open = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="noop",
        help_text="only open (true) or done (false)",
    )

    class Meta:
        model = FollowUp
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if data.get("meeting"):
            queryset = queryset.filter(meeting_id=data["meeting"])
        if data.get("open"):
            queryset = queryset.filter(done_at__isnull=data["open"] == "true")
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Follow-up tasks of meetings you may see, and yours"),
    create=extend_schema(summary="Add a follow-up task with an owner and due date"),
)
class FollowUpViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()
    filterset_class = FollowUpFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.visible_follow_ups(self.request.user).order_by("done_at", "due_on", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task = services.add_follow_up(
            actor=request.user,
            meeting=data["meeting"],
            title=data["title"],
            due_on=data["due_on"],
            owner=data["owner"],
            deal=data.get("deal"),
        )
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FollowUpSerializer, summary="Mark done")
    @action(detail=True, methods=["post"], filter_backends=[])
    def done(self, request, pk=None):
        task = services.complete_follow_up(actor=request.user, follow_up=self.get_object())
        return Response(self.get_serializer(task).data)
