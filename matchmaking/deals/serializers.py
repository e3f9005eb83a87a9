"""Shapes of the deals API: deals with their history (steps) and shipments nested, and the input
of the writes.

Serializers only translate between JSON and the values ``matchmaking.deals.services`` takes (ids
to rows, codes to reference rows) and check the shape of input; who may do what is decided in
``matchmaking.deals.access``, what a valid record is in the services (whose messages reach the
fields through the API's exception handler). Reference rows are named by their codes: a country
by its ISO code, a gateway by its code, an HS subheading by its six digits.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bumdes_export.reference.models import ExportGateway
from exporters.models import Organisation
from matchmaking import access
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors
from matchmaking.deals.models import Deal, DealStage, DealStep, LostReason, Shipment
from products.models import Product
from products.serializers import CountryCodeField, HsCodeField


def _viewer(context: dict[str, Any]) -> access.Viewer | None:
    """The requesting user's standing, looked up once per response."""
    request = context.get("request")
    if request is None:
        return None
    if "deals_viewer" not in context:
        context["deals_viewer"] = access.Viewer(request.user)
    return context["deals_viewer"]


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class GatewayCodeField(serializers.SlugRelatedField):
    """An export gateway (port or airport) by its code (``KDI``, ``IDKDI``), in either case."""

    default_error_messages = {
        "does_not_exist": _("There is no export gateway with the code {value}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", ExportGateway.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


class OutsideDealProductField(serializers.PrimaryKeyRelatedField):
    """The id of a product a deal made outside the portal may be entered for
    (``selectors.outside_deal_products``: verified or export-ready, on the caller's side);
    other ids are answered as unknown."""

    default_error_messages = {
        "does_not_exist": _("There is no product with the id {pk_value} on your side."),
    }

    def get_queryset(self) -> QuerySet[Product]:
        request = self.context.get("request")
        if request is None:
            return Product.objects.none()
        return selectors.outside_deal_products(request.user)


class DealOrganisationField(serializers.PrimaryKeyRelatedField):
    """The id of an organisation on the other side of a deal (``selectors.deal_organisations``:
    a verified exporter, aggregator or buyer)."""

    default_error_messages = {
        "does_not_exist": _("There is no verified exporter or buyer with the id {pk_value}."),
    }

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.deal_organisations()


# --- Steps and shipments ---------------------------------------------------------------------


class DealStepSerializer(serializers.ModelSerializer):
    """One stage the deal reached: its date, what was agreed, who recorded it."""

    destination = serializers.CharField(
        source="destination_id", read_only=True, allow_null=True, help_text="ISO 3166 alpha-2 code."
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = DealStep
        fields = [
            "id",
            "stage",
            "occurred_on",
            "volume_kg",
            "value_usd",
            "destination",
            "note",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_recorded_by_name(self, step: DealStep) -> str | None:
        return _user_name(step.recorded_by)


class StepCreateSerializer(serializers.Serializer):
    """A stage reached by hand: interest, sample sent, letter of intent or MoU, contract. The
    shipment stages come from shipment records, lost from ``/lost/``."""

    stage = serializers.ChoiceField(
        choices=DealStage.choices,
        help_text="interest, sample_sent, loi_mou or contract (the others are refused).",
    )
    occurred_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not in the future; today when left out."
    )
    volume_kg = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    value_usd = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    destination = CountryCodeField(
        required=False, allow_null=True, help_text="ISO 3166 alpha-2 code of the destination."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LostSerializer(serializers.Serializer):
    """Why the deal was lost; "other" needs the note."""

    reason = serializers.ChoiceField(choices=LostReason.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required with reason other."
    )
    occurred_on = serializers.DateField(
        required=False, allow_null=True, help_text="Not in the future; today when left out."
    )


class ShipmentSerializer(serializers.ModelSerializer):
    """A shipment under a deal. The volume follows from the quantity when the product's unit
    converts to kg or litres (give ``volume`` and ``volume_unit`` otherwise); the value in
    rupiah is worked out from the value in USD and the exchange rate."""

    deal = serializers.PrimaryKeyRelatedField(read_only=True)
    hs_code = HsCodeField(
        required=False, help_text="HS subheading (030633 or 0306.33); the product's by default."
    )
    destination = CountryCodeField(
        help_text="ISO 3166 alpha-2 code of the destination country (not ID)."
    )
    gateway = GatewayCodeField(
        allow_null=True,
        help_text="Code of the export gateway (port or airport, /api/v1/gateways/); required "
        "for new shipments (shipments moved over from forum outcomes may have none).",
    )
    volume = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text="kg or litres; worked out from the quantity where the product's unit converts.",
    )
    volume_unit = serializers.ChoiceField(
        choices=Shipment.MetricUnit.choices, required=False, help_text="kg (default) or l."
    )
    idr_per_usd = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        help_text="Rupiah per US dollar used for this shipment; required for new shipments "
        "(shipments moved over from forum outcomes may have none).",
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Shipment
        fields = [
            "id",
            "deal",
            "shipped_on",
            "hs_code",
            "quantity",
            "unit",
            "volume",
            "volume_unit",
            "value_usd",
            "idr_per_usd",
            "value_idr",
            "destination",
            "gateway",
            "peb_number",
            "coo_number",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["unit", "value_idr", "recorded_at"]
        extra_kwargs = {
            "quantity": {"help_text": "In the product's unit (unit)."},
            "peb_number": {"required": False, "allow_blank": True},
            "coo_number": {"required": False, "allow_blank": True},
            "note": {"required": False, "allow_blank": True},
        }


# --- Deals -----------------------------------------------------------------------------------


class DealSerializer(serializers.ModelSerializer):
    """A deal with its history (``steps``, oldest first) and its shipments. Creating one enters a
    deal made outside the portal (ministry staff, the product's regional officers)."""

    product = OutsideDealProductField(
        help_text="A verified or export-ready product on your side (write once, on creation)."
    )
    product_name = serializers.CharField(source="product.name_id", read_only=True)
    bumdes = serializers.IntegerField(source="product.bumdes_id", read_only=True)
    bumdes_name = serializers.CharField(source="product.bumdes.name", read_only=True)
    organisation = DealOrganisationField(
        help_text="A verified exporter, aggregator or buyer (write once, on creation)."
    )
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    stage = serializers.ChoiceField(
        choices=DealStage.choices,
        required=False,
        default=DealStage.INTEREST,
        help_text="On creation: the stage reached, up to contract (interest by default).",
    )
    occurred_on = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="On creation: the date the stage was reached (today when left out).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    opened_by = serializers.PrimaryKeyRelatedField(read_only=True)
    steps = DealStepSerializer(many=True, read_only=True)
    shipments = ShipmentSerializer(many=True, read_only=True)
    may_record = serializers.SerializerMethodField(
        help_text="Whether you may record steps and shipments or close the deal now."
    )

    class Meta:
        model = Deal
        fields = [
            "id",
            "product",
            "product_name",
            "bumdes",
            "bumdes_name",
            "organisation",
            "organisation_name",
            "channel",
            "stage",
            "meeting",
            "inquiry",
            "offer",
            "lost_reason",
            "lost_note",
            "note",
            "occurred_on",
            "opened_by",
            "opened_at",
            "updated_at",
            "may_record",
            "steps",
            "shipments",
        ]
        read_only_fields = [
            "channel",
            "meeting",
            "inquiry",
            "offer",
            "lost_reason",
            "lost_note",
            "opened_at",
            "updated_at",
        ]
        # One open deal per product and organisation: the service says so on the organisation.
        validators: list = []

    def get_may_record(self, deal: Deal) -> bool:
        viewer = _viewer(self.context)
        return viewer is not None and deal_access.may_record(viewer.user, deal, viewer)
