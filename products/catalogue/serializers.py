"""Shapes of the catalogue API: the query parameters it takes and the JSON it answers.

The answers are built as plain data by ``presenters`` (the pages use the same); the response
serializers below describe them for the OpenAPI schema and pass them through unchanged.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from products.catalogue import selectors
from products.catalogue.selectors import CatalogueQuery
from products.models import CommodityForm

BOOLEAN_CHOICES = ["true", "false"]


class CatalogueParams(serializers.Serializer):
    """Filters of the catalogue list. An unknown value answers 400."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in Indonesian or English (names, descriptions, commodity terms, places).",
    )
    hs_chapter = serializers.CharField(
        required=False, allow_blank=True, help_text="HS chapter, two digits (03, 09 …)."
    )
    province = serializers.CharField(
        required=False, allow_blank=True, help_text="Province code (Kemendagri), e.g. 74."
    )
    form = serializers.ChoiceField(choices=CommodityForm.choices, required=False, allow_blank=True)
    certificate = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Certificate type code (halal, bpom-md, health-fish …) held and valid.",
    )
    disadvantaged = serializers.ChoiceField(
        choices=BOOLEAN_CHOICES,
        required=False,
        allow_blank=True,
        help_text="In a regency designated disadvantaged (daerah tertinggal).",
    )
    available_this_month = serializers.ChoiceField(
        choices=BOOLEAN_CHOICES,
        required=False,
        allow_blank=True,
        help_text="Available in the current month by its harvest calendar.",
    )
    ordering = serializers.ChoiceField(
        choices=selectors.ORDERINGS,
        required=False,
        allow_blank=True,
        help_text="relevance (default; best match first for q), newest, capacity (largest first).",
    )
    page = serializers.IntegerField(required=False, min_value=1, help_text="Page number.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.MAX_PAGE_SIZE, help_text="Up to 100."
    )

    def validate_hs_chapter(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            return ""
        if value.isdigit() and len(value) == 1:
            value = f"0{value}"
        if value not in selectors.hs_chapters():
            raise serializers.ValidationError(_("Unknown HS chapter."))
        return value

    def validate_province(self, value: str) -> str:
        value = (value or "").strip()
        if value and value not in selectors.provinces():
            raise serializers.ValidationError(_("Unknown province code."))
        return value

    def validate_certificate(self, value: str) -> str:
        value = (value or "").strip()
        if value and value not in selectors.certificate_types():
            raise serializers.ValidationError(_("Unknown certificate type."))
        return value

    def query(self) -> CatalogueQuery:
        data = self.validated_data

        def flag(name):
            value = data.get(name) or ""
            return None if not value else value == "true"

        return CatalogueQuery(
            q=(data.get("q") or "").strip(),
            hs_chapter=data.get("hs_chapter") or "",
            province=data.get("province") or "",
            form=data.get("form") or "",
            certificate=data.get("certificate") or "",
            disadvantaged=flag("disadvantaged"),
            available_this_month=flag("available_this_month"),
            ordering=data.get("ordering") or "relevance",
        )


# --- Responses (documentation of the presenters' data) -----------------------------------------


class PassThrough(serializers.Serializer):
    def to_representation(self, instance):
        return instance


class PlaceSerializer(PassThrough):
    code = serializers.CharField()
    name = serializers.CharField()


class BumdesRefSerializer(PassThrough):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CertificateRefSerializer(PassThrough):
    code = serializers.CharField()
    name = serializers.CharField()


class CatalogueItemSerializer(PassThrough):
    id = serializers.IntegerField(help_text="The product's id.")
    name = serializers.CharField(help_text="In the reader's language.")
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    bumdes = BumdesRefSerializer()
    village = PlaceSerializer()
    regency = PlaceSerializer()
    province = PlaceSerializer()
    hs_code = serializers.CharField()
    hs_chapter = serializers.CharField()
    form = serializers.ChoiceField(choices=CommodityForm.choices)
    form_label = serializers.CharField()
    capacity_per_month = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, coerce_to_string=True
    )
    unit = serializers.CharField()
    unit_label = serializers.CharField()
    capacity_base = serializers.DecimalField(
        max_digits=18, decimal_places=3, allow_null=True, coerce_to_string=True
    )
    base_unit = serializers.CharField()
    available_months = serializers.ListField(child=serializers.IntegerField(min_value=1))
    available_this_month = serializers.BooleanField()
    certificates = CertificateRefSerializer(many=True, help_text="Valid certificates.")
    disadvantaged = serializers.BooleanField()
    readiness_score = serializers.IntegerField()
    export_ready_at = serializers.DateTimeField()
    thumbnail = serializers.URLField(allow_null=True)
    url = serializers.URLField()
    page_url = serializers.URLField()


class FacetValueSerializer(PassThrough):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(PassThrough):
    hs_chapter = FacetValueSerializer(many=True)
    province = FacetValueSerializer(many=True)
    form = FacetValueSerializer(many=True)
    certificate = FacetValueSerializer(many=True)
    disadvantaged = FacetValueSerializer(many=True)
    available_this_month = FacetValueSerializer(many=True)


class CatalogueListSerializer(PassThrough):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    approximate = serializers.BooleanField(
        help_text="True when nothing matched q exactly and names similar to it are shown."
    )
    results = CatalogueItemSerializer(many=True)
    facets = FacetsSerializer()


class CatalogueCertificateSerializer(PassThrough):
    code = serializers.CharField()
    name = serializers.CharField()
    number = serializers.CharField()
    issuer = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    valid = serializers.BooleanField()
    expired = serializers.BooleanField()
    document_on_file = serializers.BooleanField()


class PhotoSerializer(PassThrough):
    image = serializers.URLField()
    thumbnail = serializers.URLField()
    caption = serializers.CharField()


class CountryRefSerializer(PassThrough):
    code = serializers.CharField()
    name = serializers.CharField()


class ReadinessSummarySerializer(PassThrough):
    score = serializers.IntegerField()
    ready = serializers.ListField(child=serializers.CharField(), help_text="Requirements met.")
    advice = serializers.ListField(child=serializers.CharField(), help_text="Optional gaps.")


class BumdesPublicSerializer(PassThrough):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    legal_status = serializers.CharField()
    legal_status_label = serializers.CharField()
    year_founded = serializers.IntegerField(allow_null=True)
    verified = serializers.BooleanField()


class ContactSerializer(PassThrough):
    manager_name = serializers.CharField()
    phone = serializers.CharField()
    whatsapp = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


class CatalogueProductSerializer(PassThrough):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    description_id = serializers.CharField()
    description_en = serializers.CharField()
    bumdes = BumdesPublicSerializer()
    village = PlaceSerializer()
    district = PlaceSerializer(allow_null=True)
    regency = PlaceSerializer(allow_null=True)
    province = PlaceSerializer(allow_null=True)
    disadvantaged = serializers.BooleanField()
    hs_code = serializers.CharField()
    hs_dotted = serializers.CharField()
    hs_description = serializers.CharField()
    hs_chapter = serializers.CharField()
    national_code = serializers.CharField()
    form = serializers.ChoiceField(choices=CommodityForm.choices)
    form_label = serializers.CharField()
    unit = serializers.CharField()
    unit_label = serializers.CharField()
    capacity_per_month = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, coerce_to_string=True
    )
    capacity_base = serializers.DecimalField(
        max_digits=18, decimal_places=3, allow_null=True, coerce_to_string=True
    )
    base_unit = serializers.CharField()
    available_months = serializers.ListField(child=serializers.IntegerField(min_value=1))
    available_this_month = serializers.BooleanField()
    min_order = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, coerce_to_string=True
    )
    price = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    currency = serializers.CharField()
    incoterm = serializers.CharField()
    packaging = serializers.CharField()
    shelf_life_days = serializers.IntegerField(allow_null=True)
    exported_to = CountryRefSerializer(many=True)
    target_markets = CountryRefSerializer(many=True)
    photos = PhotoSerializer(many=True)
    certificates = CatalogueCertificateSerializer(many=True)
    readiness = ReadinessSummarySerializer()
    export_ready_at = serializers.DateTimeField(allow_null=True)
    contact_visible = serializers.BooleanField(
        help_text="Contact details are shown to verified exporters and ministry staff only."
    )
    contact = ContactSerializer(
        allow_null=True,
        help_text="Null unless contact_visible (and the BUMDes recorded any); each answer that "
        "carries it is recorded.",
    )
    page_url = serializers.URLField()
