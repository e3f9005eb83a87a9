"""Inquiries (with the deal one opens) and the shortlist over the API."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from matchmaking.dealings import selectors, services
from matchmaking.dealings.api.common import (
    DEAL_OPENING_RESPONSES,
    FILE_RESPONSE,
    UPLOAD_PARSERS,
    deal_opened,
    id_filter,
)
from matchmaking.dealings.models import Inquiry, InquiryMessage, ShortlistEntry
from matchmaking.dealings.serializers import (
    InquiryMessageSerializer,
    InquirySerializer,
    InquiryStatusSerializer,
    MessageCreateSerializer,
    ShortlistEntrySerializer,
)
from matchmaking.pages import attachment_response
from products.api import NoopFilterSet

# --- Filters ---------------------------------------------------------------------------------


class InquiryFilter(NoopFilterSet):
    status = django_filters.ChoiceFilter(choices=Inquiry.Status.choices, method="noop")
    kind = django_filters.ChoiceFilter(choices=Inquiry.Kind.choices, method="noop")
    product = id_filter("only inquiries about this product (id)")

    class Meta:
        model = Inquiry
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.inquiry_list(
            self.request.user,
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            product=data.get("product"),
        )


class ShortlistFilter(NoopFilterSet):
    product = id_filter("only this product (id): is it on the shortlist?")

    class Meta:
        model = ShortlistEntry
        fields: list[str] = []

    def filter_queryset(self, queryset):
        product = self.form.cleaned_data.get("product")
        return queryset.filter(product_id=product) if product else queryset


# --- Inquiries -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Conversations the user may see, latest activity first"),
    retrieve=extend_schema(summary="A conversation (its messages: /inquiries/{id}/messages/)"),
    create=extend_schema(
        summary="Start an inquiry, sample request or expression of interest (verified exporters)",
        request={
            "application/json": InquirySerializer,
            "multipart/form-data": InquirySerializer,
        },
        responses={201: InquirySerializer},
    ),
)
class InquiryViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inquiries about export-ready products between exporters and the products' side."""

    serializer_class = InquirySerializer
    queryset = Inquiry.objects.none()
    filterset_class = InquiryFilter
    lookup_value_converter = "int"
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return selectors.visible_inquiries(self.request.user).select_related(
            "product__bumdes", "organisation"
        )

    def _respond(self, inquiry: Inquiry, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=inquiry.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inquiry = services.start_inquiry(
            actor=request.user,
            product=data["product"],
            kind=data["kind"],
            subject=data["subject"],
            body=data["body"],
            attachment=data.get("attachment"),
        )
        return self._respond(inquiry, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=InquiryMessageSerializer(many=True),
        summary="The messages of a conversation, oldest first",
    )
    @extend_schema(
        methods=["POST"],
        request={
            "application/json": MessageCreateSerializer,
            "multipart/form-data": MessageCreateSerializer,
        },
        responses={201: InquiryMessageSerializer},
        summary="Post a message (either side); the other side is emailed",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def messages(self, request, pk=None):
        inquiry = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            thread = selectors.inquiry_messages(inquiry)
            return Response(InquiryMessageSerializer(thread, many=True, context=context).data)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.post_message(
            actor=request.user,
            inquiry=inquiry,
            body=serializer.validated_data["body"],
            attachment=serializer.validated_data.get("attachment"),
        )
        body = InquiryMessageSerializer(message, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=InquiryStatusSerializer,
        responses=InquirySerializer,
        summary="Mark a sample sent (product side) or close the conversation (either side)",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="status",
        url_name="status",
        filter_backends=[],
    )
    def set_status(self, request, pk=None):
        inquiry = self.get_object()
        serializer = InquiryStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inquiry = services.set_inquiry_status(
            actor=request.user, inquiry=inquiry, to=serializer.validated_data["status"]
        )
        return self._respond(inquiry)

    @extend_schema(
        request=None,
        responses=DEAL_OPENING_RESPONSES,
        summary="Open the deal this conversation led to (either side); a sample request opens "
        "it as such. The open deal of the same product and organisation, if any, is returned "
        "instead (200).",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def deal(self, request, pk=None):
        opening = services.open_deal_from_inquiry(actor=request.user, inquiry=self.get_object())
        return deal_opened(opening)

    @extend_schema(request=None, responses=FILE_RESPONSE, summary="Download a message attachment")
    @action(
        detail=True,
        methods=["get"],
        url_path="messages/<int:message_id>/attachment",
        url_name="attachment",
        filter_backends=[],
    )
    def attachment(self, request, pk=None, message_id=None):
        message = get_object_or_404(InquiryMessage, pk=message_id, inquiry=self.get_object())
        return attachment_response(message.attachment, message.attachment_name)


# --- Shortlist -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Your organisation's shortlist"),
    create=extend_schema(summary="Shortlist an export-ready product (verified exporters)"),
    destroy=extend_schema(summary="Remove a product from the shortlist"),
)
class ShortlistViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Export-ready products an exporter organisation keeps an eye on."""

    serializer_class = ShortlistEntrySerializer
    queryset = ShortlistEntry.objects.none()
    filterset_class = ShortlistFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.shortlist(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.add_to_shortlist(
            actor=request.user,
            product=serializer.validated_data["product"],
            note=serializer.validated_data.get("note", ""),
        )
        fresh = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.remove_from_shortlist(actor=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
