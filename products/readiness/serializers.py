"""Shapes of the readiness API: gaps with issuer and legal basis, the market matrix, the
specification, the checklist."""

from __future__ import annotations

from rest_framework import serializers

from bumdes_export.reference.models import ExportDocument
from products.models import CommodityForm
from products.readiness import markets


class ReadinessGapSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule's code.")
    required = serializers.BooleanField(help_text="Blocks export (required and confirmed).")
    awaiting_confirmation = serializers.BooleanField(
        help_text="Required by the rule, but advises until the ministry confirms its figures."
    )
    message = serializers.CharField()
    next_step = serializers.CharField()
    issuer = serializers.CharField(help_text="Who issues the certificate asked for, if any.")
    document = serializers.CharField(help_text="The checklist's document code, if any (KI_1).")
    legal_basis = serializers.CharField()
    unrecorded = serializers.ListField(
        child=serializers.CharField(), help_text="Specification fields not recorded yet."
    )


class MarketSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField()
    state = serializers.ChoiceField(
        choices=[markets.READY, markets.DOCUMENTS, markets.BLOCKED],
        help_text="ready; documents (the market's own documents missing); blocked.",
    )
    targeted = serializers.BooleanField()
    exported = serializers.BooleanField()
    asked = serializers.BooleanField(help_text="A matching organisation ships there.")
    blocking = ReadinessGapSerializer(many=True)
    missing = ReadinessGapSerializer(many=True, help_text="The market's own documents missing.")


class ChecklistParams(serializers.Serializer):
    hs = serializers.RegexField(
        r"^\d{6}$", help_text="HS 2022 subheading, six digits (030633).", max_length=6
    )
    destination = serializers.RegexField(
        r"^[A-Za-z]{2}$", help_text="ISO 3166-1 alpha-2 country code (HK).", max_length=2
    )
    form = serializers.ChoiceField(
        choices=CommodityForm.choices, required=False, help_text="The product's form, if known."
    )
    transport = serializers.ChoiceField(
        choices=[("sea", "sea"), ("air", "air")],
        required=False,
        help_text="Sea or air; live products travel by air when not given.",
    )


class ChecklistDocumentSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable document code: PEB, NPE, INVOICE, KI_1 ...")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ExportDocument.Kind.choices)
    issuer = serializers.CharField()
    where = serializers.CharField(help_text="Where to apply.")
    lead_time = serializers.CharField(help_text="How long it takes, where known.")
    required = serializers.BooleanField()
    needed = serializers.ChoiceField(
        choices=ExportDocument.Needed.choices,
        help_text="every_shipment, sea, air (the transport document of that mode) or by_rule.",
    )
    forms = serializers.ListField(
        child=serializers.CharField(), help_text="Only for these forms (empty: any form)."
    )
    legal_basis = serializers.CharField()
    reasons = ReadinessGapSerializer(many=True, help_text="The rules that ask for it.")


class SpecificationFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    hs = serializers.CharField()
    hs_description = serializers.CharField()
    destination = serializers.CharField()
    destination_name = serializers.CharField()
    form = serializers.CharField()
    transport = serializers.CharField()
    documents = ChecklistDocumentSerializer(many=True)
    rules = ReadinessGapSerializer(
        many=True, help_text="Commodity rules on the product itself (size, moisture ...)."
    )
    specification = SpecificationFieldSerializer(
        many=True, help_text="The specification fields products of this code record."
    )


class SpecificationSerializer(serializers.Serializer):
    template = serializers.CharField(help_text="The template's code; empty when none applies.")
    fields = SpecificationFieldSerializer(many=True)
    values = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Recorded values by field key: numbers, true/false, or a choice's value.",
    )
