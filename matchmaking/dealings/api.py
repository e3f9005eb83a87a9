"""Matchmaking API: inquiries, shortlist, buying requests and offers, service requests.

The same rules as the pages: every list is scoped by ``matchmaking.dealings.selectors`` (exporters see
their organisation's records, officers their region's products, operators their BUMDes', ministry
staff everything), objects outside the scope answer 404, and every write goes through
``matchmaking.dealings.services``, whose ``ValidationError`` becomes a 400 with field errors and whose
``PermissionDenied`` a 403 with its message (for instance: the organisation is not verified yet).
Filters with unknown values answer 400; anonymous requests 401.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from bumdes_export.core.api import ListFiltersOnlyMixin
from exporters.models import Service
from matchmaking.dealings import selectors, services
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)
from matchmaking.dealings.serializers import (
    BuyingRequestSerializer,
    InquiryMessageSerializer,
    InquirySerializer,
    InquiryStatusSerializer,
    MessageCreateSerializer,
    OfferSerializer,
    ServiceNoteCreateSerializer,
    ServiceRequestNoteSerializer,
    ServiceRequestSerializer,
    ServiceTransitionSerializer,
    ShortlistEntrySerializer,
)
from matchmaking.pages import attachment_response
from products.api import IntegerFilter, NoopFilterSet

UPLOAD_PARSERS = [JSONParser, MultiPartParser, FormParser]
FILE_RESPONSE = {
    (200, "application/octet-stream"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description="The file, as an attachment."
    )
}


def id_filter(help_text: str) -> IntegerFilter:
    return IntegerFilter(method="noop", min_value=1, max_value=2**63 - 1, help_text=help_text)


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


class BuyingRequestFilter(NoopFilterSet):
    status = django_filters.ChoiceFilter(
        choices=BuyingRequest.Status.choices,
        method="noop",
        help_text="open: open and not past valid_until; expired: marked or past the date",
    )

    class Meta:
        model = BuyingRequest
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return selectors.buying_request_list(
            self.request.user, status=self.form.cleaned_data.get("status") or ""
        )


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


# --- Buying requests -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Buying requests: your organisation's, or those matching your products' headings"
    ),
    retrieve=extend_schema(summary="A buying request with the offers you may see"),
    create=extend_schema(
        summary="Post a buying request (verified exporters)",
        responses={201: BuyingRequestSerializer},
    ),
    update=extend_schema(
        summary="Change a buying request (its organisation)",
        responses=BuyingRequestSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a buying request (its organisation)",
        responses=BuyingRequestSerializer,
    ),
)
class BuyingRequestViewSet(
    ListFiltersOnlyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for quotation (RFQ) and the offers that answer them."""

    serializer_class = BuyingRequestSerializer
    queryset = BuyingRequest.objects.none()
    filterset_class = BuyingRequestFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.visible_buying_requests(self.request.user).select_related(
            "organisation", "hs_code", "destination"
        )

    def _detail(self, buying_request: BuyingRequest, code: int = status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=buying_request.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buying_request = services.create_buying_request(
            actor=request.user, data=dict(serializer.validated_data)
        )
        return self._detail(buying_request, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        buying_request = self.get_object()
        serializer = self.get_serializer(
            buying_request, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        services.update_buying_request(
            actor=request.user,
            buying_request=buying_request,
            data=dict(serializer.validated_data),
        )
        return self._detail(buying_request)

    @extend_schema(
        request=None,
        responses=BuyingRequestSerializer,
        summary="Close the request (its organisation)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        buying_request = services.close_buying_request(
            actor=request.user, buying_request=self.get_object()
        )
        return self._detail(buying_request)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=OfferSerializer(many=True),
        summary="The offers on a request you may see, newest first",
    )
    @extend_schema(
        methods=["POST"],
        request=OfferSerializer,
        responses={201: OfferSerializer},
        summary="Answer with an offer of one of your products under the same HS heading",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def offers(self, request, pk=None):
        buying_request = self.get_object()
        if request.method == "GET":
            offers = selectors.offers_on(request.user, buying_request)
            return Response(
                OfferSerializer(offers, many=True, context=self.get_serializer_context()).data
            )
        serializer = OfferSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        product = data.pop("product")
        offer = services.make_offer(
            actor=request.user, buying_request=buying_request, product=product, data=data
        )
        body = OfferSerializer(offer, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _decide(self, offer_id: int, accept: bool) -> Response:
        buying_request = self.get_object()
        offer = get_object_or_404(
            selectors.offers_on(self.request.user, buying_request), pk=offer_id
        )
        offer = services.decide_offer(actor=self.request.user, offer=offer, accept=accept)
        return Response(OfferSerializer(offer, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=OfferSerializer, summary="Accept an offer")
    @action(
        detail=True,
        methods=["post"],
        url_path="offers/<int:offer_id>/accept",
        url_name="offer-accept",
        filter_backends=[],
    )
    def accept_offer(self, request, pk=None, offer_id=None):
        return self._decide(offer_id, accept=True)

    @extend_schema(request=None, responses=OfferSerializer, summary="Decline an offer")
    @action(
        detail=True,
        methods=["post"],
        url_path="offers/<int:offer_id>/decline",
        url_name="offer-decline",
        filter_backends=[],
    )
    def decline_offer(self, request, pk=None, offer_id=None):
        return self._decide(offer_id, accept=False)


# --- Service requests ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Facilitation requests the user may see"),
    retrieve=extend_schema(summary="A facilitation request with its notes"),
    create=extend_schema(
        summary="Ask a service provider for a service for a product (officers, operators)",
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
            "provider", "product__bumdes", "requested_by"
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
            product=data["product"],
            description=data["description"],
            shipment=data.get("shipment", ""),
        )
        return self._detail(service_request, status.HTTP_201_CREATED)

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
