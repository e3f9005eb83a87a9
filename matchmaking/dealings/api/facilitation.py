"""Facilitation (service) requests over the API: the requests, their notes and documents, the
providers' turnaround."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from exporters.models import Service
from matchmaking.dealings import selectors, services
from matchmaking.dealings.api.common import FILE_RESPONSE, UPLOAD_PARSERS, id_filter
from matchmaking.dealings.models import ServiceRequest, ServiceRequestNote
from matchmaking.dealings.serializers import (
    ServiceNoteCreateSerializer,
    ServiceRequestNoteSerializer,
    ServiceRequestSerializer,
    ServiceTransitionSerializer,
    TurnaroundSerializer,
)
from matchmaking.pages import attachment_response
from products.api import NoopFilterSet


class ServiceRequestFilter(NoopFilterSet):
    status = django_filters.ChoiceFilter(choices=ServiceRequest.Status.choices, method="noop")
    service = django_filters.ChoiceFilter(choices=Service.choices, method="noop")
    product = id_filter("only requests for this product (id)")

    class Meta:
        model = ServiceRequest
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.service_request_list(
            self.request.user,
            status=data.get("status") or "",
            service=data.get("service") or "",
            product=data.get("product"),
        )


# --- Service requests ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Facilitation requests the user may see"),
    retrieve=extend_schema(summary="A facilitation request with its notes"),
    create=extend_schema(
        summary="Ask a service provider for a service for a product or on a deal (the product's "
        "side, or a verified organisation that sources the product)",
        responses={201: ServiceRequestSerializer},
    ),
)
class ServiceRequestViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Facilitation by the programme's partners: documents, quality, payment, logistics."""

    serializer_class = ServiceRequestSerializer
    queryset = ServiceRequest.objects.none()
    filterset_class = ServiceRequestFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.visible_service_requests(self.request.user).select_related(
            *selectors.SERVICE_REQUEST_RELATED
        )

    def _detail(self, service_request: ServiceRequest, code: int = status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=service_request.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service_request = services.request_service(
            actor=request.user,
            provider=data["provider"],
            service=data["service"],
            product=data.get("product"),
            description=data["description"],
            shipment=data.get("shipment", ""),
            deal=data.get("deal"),
        )
        return self._detail(service_request, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=TurnaroundSerializer(many=True),
        summary="Turnaround of the service providers you may follow: your own organisation's "
        "(its members), every provider's (ministry staff)",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def turnaround(self, request):
        rows = [
            {"provider": provider, "figures": selectors.turnaround(provider)}
            for provider in selectors.turnaround_providers(request.user)
        ]
        return Response(TurnaroundSerializer(rows, many=True).data)

    @extend_schema(
        request=ServiceTransitionSerializer,
        responses=ServiceRequestSerializer,
        summary="Move the request on: accept, decline, start, complete (provider); cancel "
        "(requesting side)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transition(self, request, pk=None):
        service_request = self.get_object()
        serializer = ServiceTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service_request = services.transition_service_request(
            actor=request.user,
            service_request=service_request,
            to=serializer.validated_data["status"],
            note=serializer.validated_data["note"],
        )
        return self._detail(service_request)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ServiceRequestNoteSerializer(many=True),
        summary="Notes, documents and status changes, oldest first",
    )
    @extend_schema(
        methods=["POST"],
        request={
            "application/json": ServiceNoteCreateSerializer,
            "multipart/form-data": ServiceNoteCreateSerializer,
        },
        responses={201: ServiceRequestNoteSerializer},
        summary="Add a note or a document (either side)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        parser_classes=UPLOAD_PARSERS,
        pagination_class=None,
    )
    def notes(self, request, pk=None):
        service_request = self.get_object()
        if request.method == "GET":
            notes = selectors.service_request_notes(service_request)
            return Response(
                ServiceRequestNoteSerializer(
                    notes, many=True, context=self.get_serializer_context()
                ).data
            )
        serializer = ServiceNoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.add_service_note(
            actor=request.user,
            service_request=service_request,
            body=serializer.validated_data["body"],
            document=serializer.validated_data.get("document"),
        )
        body = ServiceRequestNoteSerializer(note, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FILE_RESPONSE, summary="Download a note's document")
    @action(
        detail=True,
        methods=["get"],
        url_path="notes/<int:note_id>/document",
        url_name="document",
        filter_backends=[],
    )
    def document(self, request, pk=None, note_id=None):
        note = get_object_or_404(ServiceRequestNote, pk=note_id, service_request=self.get_object())
        return attachment_response(note.document, note.document_name)
