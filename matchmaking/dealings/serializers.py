"""Shapes of the matchmaking API.

Serializers only translate between JSON and the values the services take (ids to rows, codes to
reference rows); they check the shape of input only. Who may do what is decided in
``matchmaking.access`` and ``matchmaking.dealings.access``, what a valid record is in
``matchmaking.dealings.services`` (whose messages reach the fields through the API's exception
handler).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exporters.models import Service
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal, DealChannel, DealStage
from products.models import Incoterm, Product, Unit
from products.serializers import CountryCodeField, HsCodeField

ATTACHMENT_HELP = "PDF, JPEG or PNG, at most 10 MB (checked by content)."


def _viewer(context: dict) -> access.Viewer | None:
    """The requesting user's standing, looked up once per response."""
    request = context.get("request")
    if request is None:
        return None
    if "matchmaking_viewer" not in context:
        context["matchmaking_viewer"] = access.Viewer(request.user)
    return context["matchmaking_viewer"]


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class ProductIdField(serializers.PrimaryKeyRelatedField):
    """The id of a product an organisation can see: an export-ready one (the catalogue's).
    Ids of other products are answered as unknown, so drafts stay invisible; whether the caller
    may act on the product is the service's rule."""

    default_error_messages = {
        "does_not_exist": _("There is no export-ready product with the id {pk_value}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", selectors.catalogue_products())
        super().__init__(**kwargs)


class SideProductIdField(serializers.PrimaryKeyRelatedField):
    """The id of a product on the caller's side (region or BUMDes); the service checks it."""

    default_error_messages = {"does_not_exist": _("There is no product with the id {pk_value}.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Product.objects.select_related("bumdes"))
        super().__init__(**kwargs)


class DealIdField(serializers.PrimaryKeyRelatedField):
    """The id of a deal the caller may see; ids of other deals are answered as unknown (their
    existence is not told). Whether the caller may act on it is the service's rule."""

    default_error_messages = {"does_not_exist": _("There is no deal with the id {pk_value}.")}

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Deal.objects.none()
        return deal_selectors.visible_deals(request.user).select_related("product")


class ProviderIdField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("There is no verified service provider with the id {pk_value}."),
    }

    def get_queryset(self):
        return selectors.providers()


# --- Shortlist -------------------------------------------------------------------------------


class ShortlistEntrySerializer(serializers.ModelSerializer):
    product = ProductIdField(help_text="An export-ready product.")
    product_name = serializers.CharField(source="product.name_id", read_only=True)
    product_name_en = serializers.CharField(source="product.name_en", read_only=True)
    product_status = serializers.CharField(source="product.status", read_only=True)
    hs_code = serializers.CharField(source="product.hs_code_id", read_only=True)
    bumdes_name = serializers.CharField(source="product.bumdes.name", read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    added_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ShortlistEntry
        fields = [
            "id",
            "organisation",
            "product",
            "product_name",
            "product_name_en",
            "product_status",
            "hs_code",
            "bumdes_name",
            "note",
            "added_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]


# --- Inquiries -------------------------------------------------------------------------------


class InquiryMessageSerializer(serializers.ModelSerializer):
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = InquiryMessage
        fields = [
            "id",
            "author",
            "author_name",
            "side",
            "body",
            "attachment_name",
            "attachment_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, message: InquiryMessage) -> str | None:
        return _user_name(message.author)

    def get_attachment_url(self, message: InquiryMessage) -> str | None:
        if not message.attachment:
            return None
        url = reverse(
            "inquiry-attachment", kwargs={"pk": message.inquiry_id, "message_id": message.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class InquirySerializer(serializers.ModelSerializer):
    """A conversation; its messages are at ``/inquiries/{id}/messages/``."""

    product = ProductIdField(help_text="An export-ready product (write once, on creation).")
    kind = serializers.ChoiceField(choices=Inquiry.Kind.choices, default=Inquiry.Kind.INQUIRY)
    subject = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty: made from the kind and the product name.",
    )
    body = serializers.CharField(write_only=True, help_text="The first message.")
    attachment = serializers.FileField(
        write_only=True, required=False, allow_null=True, help_text=ATTACHMENT_HELP
    )
    product_name = serializers.CharField(source="product.name_id", read_only=True)
    bumdes_name = serializers.CharField(source="product.bumdes.name", read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    message_count = serializers.SerializerMethodField()
    allowed_statuses = serializers.SerializerMethodField(
        help_text="Statuses the requesting user may set now (sample_sent, closed)."
    )

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "kind",
            "status",
            "subject",
            "product",
            "product_name",
            "bumdes_name",
            "organisation",
            "organisation_name",
            "created_by",
            "created_at",
            "last_activity_at",
            "closed_at",
            "message_count",
            "allowed_statuses",
            "body",
            "attachment",
        ]
        read_only_fields = ["status", "created_at", "last_activity_at", "closed_at"]

    def get_message_count(self, inquiry: Inquiry) -> int:
        count = getattr(inquiry, "message_count", None)
        return count if count is not None else inquiry.messages.count()

    def get_allowed_statuses(self, inquiry: Inquiry) -> list[str]:
        viewer = _viewer(self.context)
        if viewer is None:
            return []
        return [
            str(s) for s in dealings_access.allowed_inquiry_statuses(viewer.user, inquiry, viewer)
        ]


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField()
    attachment = serializers.FileField(required=False, allow_null=True, help_text=ATTACHMENT_HELP)


class InquiryStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Inquiry.Status.choices,
        help_text="sample_sent (product side, sample requests) or closed (either side); "
        "allowed_statuses says which the user may set now.",
    )


# --- Buying requests and offers --------------------------------------------------------------


class OfferSerializer(serializers.ModelSerializer):
    buying_request = serializers.PrimaryKeyRelatedField(read_only=True)
    product = SideProductIdField(help_text="A product on your side under the request's heading.")
    product_name = serializers.CharField(source="product.name_id", read_only=True)
    bumdes_name = serializers.CharField(source="product.bumdes.name", read_only=True)
    currency = serializers.CharField(max_length=3, required=False)
    incoterm = serializers.ChoiceField(choices=Incoterm.choices, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "buying_request",
            "product",
            "product_name",
            "bumdes_name",
            "price",
            "currency",
            "incoterm",
            "quantity",
            "unit",
            "message",
            "status",
            "created_by",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "created_at", "decided_at"]
        extra_kwargs = {"message": {"required": False, "allow_blank": True}}


class BuyingRequestSerializer(serializers.ModelSerializer):
    """A buying request; the offers on it are at ``/buying-requests/{id}/offers/``."""

    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    hs_code = HsCodeField(help_text="An HS heading (0306) or subheading (030633 or 0306.33).")
    hs_description = serializers.CharField(source="hs_code.description", read_only=True)
    destination = CountryCodeField(help_text="ISO 3166 alpha-2 code of the destination country.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.SerializerMethodField()
    offer_count = serializers.SerializerMethodField(help_text="Offers you may see.")
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = BuyingRequest
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "title",
            "hs_code",
            "hs_description",
            "description",
            "quantity",
            "unit",
            "destination",
            "target_price",
            "currency",
            "incoterm",
            "valid_until",
            "status",
            "offer_count",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "description": {"required": False, "allow_blank": True},
            "currency": {"required": False},
            "incoterm": {"required": False},
            "unit": {"required": False},
        }

    @extend_schema_field(
        serializers.ChoiceField(
            choices=BuyingRequest.Status.choices,
            help_text="expired also for an open request past valid_until",
        )
    )
    def get_status(self, buying_request: BuyingRequest) -> str:
        return selectors.effective_status(buying_request)

    def get_offer_count(self, buying_request: BuyingRequest) -> int:
        count = getattr(buying_request, "offer_count", None)
        if count is not None:
            return count
        request = self.context.get("request")
        if request is None:
            return 0
        return selectors.offers_on(request.user, buying_request).count()


# --- Deals opened from a dealing ------------------------------------------------------------


class DealOpeningSerializer(serializers.Serializer):
    """The deal an inquiry or an accepted offer opened, or the open deal of the same product and
    organisation it records into; the deal itself is at ``/api/v1/deals/{id}/``."""

    id = serializers.IntegerField(source="deal.pk", read_only=True, help_text="The deal's id.")
    product = serializers.IntegerField(source="deal.product_id", read_only=True)
    organisation = serializers.IntegerField(source="deal.organisation_id", read_only=True)
    channel = serializers.ChoiceField(
        source="deal.channel", choices=DealChannel.choices, read_only=True
    )
    stage = serializers.ChoiceField(source="deal.stage", choices=DealStage.choices, read_only=True)
    created = serializers.BooleanField(
        read_only=True,
        help_text="True when this call opened the deal; false when it was already open.",
    )
    url = serializers.SerializerMethodField(help_text="The deal's page.")

    def get_url(self, opening) -> str:
        return reverse("deals:deal_detail", args=[opening.deal.pk])


# --- Service requests ------------------------------------------------------------------------


class ServiceRequestNoteSerializer(serializers.ModelSerializer):
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequestNote
        fields = [
            "id",
            "author",
            "author_name",
            "body",
            "document_name",
            "document_url",
            "from_status",
            "to_status",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, note: ServiceRequestNote) -> str | None:
        return _user_name(note.author)

    def get_document_url(self, note: ServiceRequestNote) -> str | None:
        if not note.document:
            return None
        url = reverse(
            "service-request-document",
            kwargs={"pk": note.service_request_id, "note_id": note.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ServiceRequestSerializer(serializers.ModelSerializer):
    provider = ProviderIdField(help_text="A verified service provider or platform.")
    provider_name = serializers.CharField(source="provider.legal_name", read_only=True)
    service = serializers.ChoiceField(choices=Service.choices)
    product = SideProductIdField(
        required=False,
        help_text="A product on your side (region or BUMDes), or one your organisation sources "
        "(has an open deal with, an inquiry about, a shortlist entry for or an accepted offer "
        "for). May be left out when a deal is given: the deal's product.",
    )
    product_name = serializers.CharField(source="product.name_id", read_only=True)
    bumdes_name = serializers.CharField(source="product.bumdes.name", read_only=True)
    deal = DealIdField(
        required=False,
        allow_null=True,
        help_text="Optional: an open deal you may record into; the request is for its product.",
    )
    requesting_organisation = serializers.PrimaryKeyRelatedField(
        read_only=True,
        help_text="The organisation that asked; null when the product's side asked.",
    )
    requesting_organisation_name = serializers.CharField(
        source="requesting_organisation.legal_name", read_only=True, default=None
    )
    requested_by = serializers.PrimaryKeyRelatedField(read_only=True)
    allowed_statuses = serializers.SerializerMethodField(
        help_text="Statuses the requesting user may move the request to now."
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "provider",
            "provider_name",
            "service",
            "product",
            "product_name",
            "bumdes_name",
            "deal",
            "requesting_organisation",
            "requesting_organisation_name",
            "shipment",
            "description",
            "status",
            "requested_by",
            "created_at",
            "updated_at",
            "answered_at",
            "completed_at",
            "allowed_statuses",
        ]
        read_only_fields = ["status", "created_at", "updated_at", "answered_at", "completed_at"]
        extra_kwargs = {"shipment": {"required": False, "allow_blank": True}}

    def get_allowed_statuses(self, service_request: ServiceRequest) -> list[str]:
        viewer = _viewer(self.context)
        if viewer is None:
            return []
        return [
            str(s)
            for s in dealings_access.allowed_service_statuses(viewer.user, service_request, viewer)
        ]


class TurnaroundSerializer(serializers.Serializer):
    """How fast a provider answers and completes the requests addressed to it."""

    provider = serializers.IntegerField(source="provider.pk")
    provider_name = serializers.CharField(source="provider.legal_name")
    requests = serializers.IntegerField(source="figures.requests")
    answered = serializers.IntegerField(
        source="figures.answered", help_text="Requests accepted or declined."
    )
    median_hours_to_answer = serializers.FloatField(
        source="figures.median_hours_to_answer",
        allow_null=True,
        help_text="Median hours from a request to its answer; null before any answer.",
    )
    completed = serializers.IntegerField(source="figures.completed")
    median_days_to_complete = serializers.FloatField(
        source="figures.median_days_to_complete",
        allow_null=True,
        help_text="Median days from a request to its completion; null before any completion.",
    )


class ServiceTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ServiceRequest.Status.choices,
        help_text="allowed_statuses says which the user may move the request to now.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when declining or cancelling.",
    )


class ServiceNoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, default="")
    document = serializers.FileField(required=False, allow_null=True, help_text=ATTACHMENT_HELP)
