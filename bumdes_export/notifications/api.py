"""The inbox through the API: the caller's own notifications (``?kind=`` a family, ``?unread=1``)
and ``POST mark-read/`` with ``{"ids": [...]}`` or ``{"all": true}``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bumdes_export.notifications import kinds, selectors, services
from bumdes_export.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    family = serializers.SerializerMethodField()
    family_label = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "family",
            "family_label",
            "subject",
            "body",
            "link",
            "created_at",
            "read_at",
            "unread",
        ]

    def get_family(self, note: Notification) -> str:
        return kinds.family_of(note.kind)

    def get_family_label(self, note: Notification) -> str:
        return kinds.label_of(note.kind)

    def get_unread(self, note: Notification) -> bool:
        return note.read_at is None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data: dict) -> dict:
        if not data.get("all") and not data.get("ids"):
            raise serializers.ValidationError({"ids": ["Give the ids to mark, or all: true."]})
        return data


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        params = self.request.query_params
        unread = params.get("unread", "")
        if unread not in ("", "0", "1"):
            raise serializers.ValidationError({"unread": ["Give 1 or 0."]})
        return selectors.inbox(
            self.request.user, family=params.get("kind", "").strip(), unread=unread == "1"
        )

    @extend_schema(
        summary="The caller's notifications, newest first",
        parameters=[
            OpenApiParameter("kind", str, description="A family of kinds (deal, product ...)"),
            OpenApiParameter("unread", str, enum=["0", "1"], description="1: unread only"),
        ],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Mark the caller's notifications read",
        request=MarkReadSerializer,
        responses=inline_serializer(
            "MarkedRead",
            {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()},
        ),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        given = MarkReadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        ids = None if given.validated_data["all"] else given.validated_data["ids"]
        marked = services.mark_read(request.user, ids)
        return Response({"marked": marked, "unread": selectors.unread_count(request.user)})
