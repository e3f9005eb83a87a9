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
MAX_FACET_VALUES = 40


class CatalogueParams(serializers.Serializer):
    """Filters of the catalogue list. An unknown value answers 400."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in Indonesian or English (names, descriptions, commodity terms, places).",
    )
    hs_chapter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="HS chapters, two digits, comma-separated for any of several (03 or 03,09).",
    )
    province = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Province codes (Kemendagri), comma-separated for any of several (74 or 74,72).",
    )
    form = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Commodity forms, comma-separated for any of several: "
        + ", ".join(CommodityForm.values)
        + ".",
    )
    certificate = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Certificate type codes (halal, bpom-md, health-fish …) held and valid; "
        "comma-separated for any of several.",
    )
    ready_for = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Markets (ISO 3166-1 alpha-2: HK, CN, SG …) the product is ready for: nothing "
        "blocks export there and the market's own documents are in hand; comma-separated for "
        "any of several.",
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

    @staticmethod
    def _values(value: str, known, message: str, normal=lambda v: v) -> str:
        """Comma-separated values, each known (``message`` names the first that is not),
        returned normalised, sorted and without repeats."""
        values = selectors.values_of(normal(v.strip()) for v in (value or "").split(","))
        if len(values) > MAX_FACET_VALUES:
            raise serializers.ValidationError(
                _("Choose at most %(n)d values.") % {"n": MAX_FACET_VALUES}
            )
        unknown = [v for v in values if v not in known]
        if unknown:
            raise serializers.ValidationError(f"{message} ({unknown[0][:20]})")
        return ",".join(values)

    def validate_hs_chapter(self, value: str) -> str:
        def two_digits(v: str) -> str:
            return f"0{v}" if v.isdigit() and len(v) == 1 else v

        return self._values(value, selectors.hs_chapters(), _("Unknown HS chapter."), two_digits)

    def validate_province(self, value: str) -> str:
        return self._values(value, selectors.provinces(), _("Unknown province code."))

    def validate_form(self, value: str) -> str:
        return self._values(value, selectors.forms(), _("Unknown commodity form."))

    def validate_certificate(self, value: str) -> str:
        return self._values(value, selectors.certificate_types(), _("Unknown certificate type."))

    def validate_ready_for(self, value: str) -> str:
        return self._values(
            value, selectors.countries(), _("Unknown country code."), lambda v: v.upper()
        )

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
            ready_for=data.get("ready_for") or "",
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
    ready_for = CertificateRefSerializer(
        many=True, help_text="Markets it is ready for (ISO code and name), as the facet counts."
    )
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
    ready_for = FacetValueSerializer(many=True)
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


class CatalogueMarketSerializer(PassThrough):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["ready", "documents", "blocked"])
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What blocks it or the market's own documents."
    )


class ReadinessSummarySerializer(PassThrough):
    score = serializers.IntegerField()
    ready = serializers.ListField(child=serializers.CharField(), help_text="Requirements met.")
    advice = serializers.ListField(child=serializers.CharField(), help_text="Optional gaps.")
    markets = CatalogueMarketSerializer(
        many=True,
        help_text="Readiness for each market some rule names and the product's own markets, "
        "ready ones first.",
    )


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
    only_in_indonesian = serializers.ListField(
        child=serializers.ChoiceField(choices=["name", "description", "packaging"]),
        help_text="Texts shown in Indonesian because the reader's language has no version "
        "of them (packaging is recorded in Indonesian only).",
    )
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
