"""Shapes of the registry API: how BUMDes, products and certificates look on the wire.

Serializers only translate between JSON and the values the services take (codes to reference
rows, month lists to the bitmask). Who may do what, and what a valid record is, stay in
``products.services`` and ``products.access``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Country, HsCode, Region
from bumdes_export.reference.selectors import normalize_hs_code, normalize_region_code
from products import access, checks, services
from products.models import (
    Bumdes,
    Certificate,
    CertificateType,
    HistoryEntry,
    Product,
    ProductPhoto,
)
from products.readiness.serializers import MarketSerializer, ReadinessGapSerializer

# --- Reference codes -------------------------------------------------------------------------


class RegionCodeField(serializers.SlugRelatedField):
    """A Kemendagri region code, written with or without dots (``7402012006``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        code = normalize_region_code(str(data))
        region = self.get_queryset().filter(code=code).first()
        if region is None:
            raise serializers.ValidationError(
                checks.village_problem(code, exists=False, level=None, kind=None, retired=False)
            )
        return region


class HsCodeField(serializers.SlugRelatedField):
    """An HS 2022 subheading, ``030633`` or ``0306.33``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", HsCode.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        code = normalize_hs_code(str(data))
        hs = self.get_queryset().filter(code=code).first()
        if hs is None:
            raise serializers.ValidationError(
                checks.hs_problem(code, level=None, typed=str(data).strip())
            )
        return hs


class CountryCodeField(serializers.SlugRelatedField):
    """An ISO 3166 alpha-2 country code, in either case."""

    default_error_messages = {"does_not_exist": _("There is no country with the code {value}.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


class VisibleBumdesField(serializers.PrimaryKeyRelatedField):
    """The id of a BUMDes the requesting user may see (and so maintain)."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.visible_bumdes(getattr(request, "user", None))


class MonthsField(serializers.ListField):
    """Harvest calendar as month numbers (1 = January); stored as a bitmask."""

    child = serializers.IntegerField(min_value=1, max_value=12)

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, product: Product) -> list[int]:
        return product.months

    def to_internal_value(self, data):
        months = super().to_internal_value(data)
        return {"available_months": checks.months_to_mask(months)}


# --- BUMDes ----------------------------------------------------------------------------------


class BumdesSerializer(serializers.ModelSerializer):
    village = RegionCodeField(help_text="Kemendagri code of the (lead) desa, dots optional.")
    village_name = serializers.CharField(source="village.name", read_only=True)
    district = serializers.CharField(source="village.parent_id", read_only=True)
    district_name = serializers.CharField(source="village.parent.name", read_only=True)
    regency = serializers.CharField(source="village.parent.parent_id", read_only=True)
    regency_name = serializers.CharField(source="village.parent.parent.name", read_only=True)
    province = serializers.CharField(source="village.parent.parent.parent_id", read_only=True)
    province_name = serializers.CharField(
        source="village.parent.parent.parent.name", read_only=True
    )
    member_villages = RegionCodeField(
        many=True,
        required=False,
        help_text="BUM Desa Bersama: codes of every owning desa (one regency).",
    )
    # Formatted numbers are accepted; the service keeps the digits and checks them.
    nib = serializers.CharField(required=False, allow_blank=True, max_length=40)
    npwp = serializers.CharField(required=False, allow_blank=True, max_length=40)
    products_count = serializers.SerializerMethodField()

    class Meta:
        model = Bumdes
        fields = [
            "id",
            *services.BUMDES_FIELDS,
            "village_name",
            "district",
            "district_name",
            "regency",
            "regency_name",
            "province",
            "province_name",
            "member_villages",
            "photo",
            "status",
            "return_reason",
            "created_at",
            "updated_at",
            "products_count",
        ]
        read_only_fields = ["photo", "status", "return_reason", "created_at", "updated_at"]
        # Uniqueness and every other rule is checked by products.services.
        validators: list = []

    def get_products_count(self, bumdes: Bumdes) -> int:
        count = getattr(bumdes, "products_count", None)
        return bumdes.products.count() if count is None else count


class BumdesPhotoSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB.")


# --- Certificates and photos -----------------------------------------------------------------


class CertificateTypeSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = CertificateType
        fields = ["code", "name", "name_id", "name_en", "issuer", "description"]

    def get_name(self, certificate_type: CertificateType) -> str:
        return certificate_type.localized_name(active_language())


class CertificateSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CertificateType.objects.all(),
        help_text="Certificate type code, see /api/v1/certificate-types/.",
    )
    type_name = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()
    document = serializers.FileField(
        required=False, help_text="Optional scan: PDF, JPEG or PNG, at most 10 MB."
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            *services.CERTIFICATE_FIELDS,
            "type_name",
            "valid",
            "document",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators: list = []

    def get_type_name(self, certificate: Certificate) -> str:
        return certificate.type.localized_name(active_language())

    def get_valid(self, certificate: Certificate) -> bool:
        return certificate.is_valid()


class ProductPhotoSerializer(serializers.ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", read_only=True)

    class Meta:
        model = ProductPhoto
        fields = ["id", "url", "thumbnail_url", "caption"]


class ProductPhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB.")
    caption = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


# --- Products --------------------------------------------------------------------------------


class ProductSerializer(serializers.ModelSerializer):
    bumdes = VisibleBumdesField(help_text="Id of the BUMDes; cannot change after creation.")
    bumdes_name = serializers.CharField(source="bumdes.name", read_only=True)
    village = serializers.CharField(source="bumdes.village_id", read_only=True)
    village_name = serializers.CharField(source="bumdes.village.name", read_only=True)
    regency = serializers.CharField(source="bumdes.village.parent.parent_id", read_only=True)
    regency_name = serializers.CharField(source="bumdes.village.parent.parent.name", read_only=True)
    province = serializers.CharField(
        source="bumdes.village.parent.parent.parent_id", read_only=True
    )
    province_name = serializers.CharField(
        source="bumdes.village.parent.parent.parent.name", read_only=True
    )
    hs_code = HsCodeField(help_text="HS 2022 subheading, 030633 or 0306.33.")
    hs_description = serializers.CharField(source="hs_code.description", read_only=True)
    national_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Optional 8-digit BTKI code starting with the HS subheading; dots optional.",
    )
    available_months = MonthsField(required=False)
    exported_to = CountryCodeField(many=True, required=False)
    target_markets = CountryCodeField(many=True, required=False)
    photos = ProductPhotoSerializer(many=True, read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)
    specification = serializers.JSONField(
        required=False,
        help_text="The commodity specification, by the fields of the HS code's template "
        "(GET /api/v1/products/{id}/specification/ lists them): for crab "
        '{"species": "scylla", "carapace_width_cm": 13, "weight_g": 180, '
        '"egg_bearing_excluded": true}.',
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "bumdes",
            "bumdes_name",
            "village",
            "village_name",
            "regency",
            "regency_name",
            "province",
            "province_name",
            *services.PRODUCT_FIELDS,
            "specification",
            "hs_description",
            "capacity_base",
            "base_unit",
            "exported_to",
            "target_markets",
            "status",
            "return_reason",
            "readiness_score",
            "version",
            "photos",
            "certificates",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "capacity_base",
            "base_unit",
            "status",
            "return_reason",
            "readiness_score",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "capacity_per_month": {"min_value": 0},
            "min_order": {"min_value": 0},
            "price": {"min_value": 0},
        }
        validators: list = []

    def validate_national_code(self, value: str) -> str:
        return normalize_hs_code(value)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and "hs_code" in detail and hasattr(data, "get"):
                name = str(data.get("name_id") or data.get("name_en") or "")
                note = checks.hs_suggestion_note(name, str(data.get("description_id") or ""))
                if note:
                    detail["hs_code"] = [*detail["hs_code"], note]
            raise


# --- Workflow, readiness, history ------------------------------------------------------------


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the record is returned (required for return).",
    )


class ReadinessSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    version = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    export_ready = serializers.BooleanField(help_text="Marked export-ready by the ministry.")
    gaps = ReadinessGapSerializer(many=True)
    markets = MarketSerializer(
        many=True,
        help_text="Readiness for each target market, market shipped to and market matching "
        "organisations ask for.",
    )


class HistoryEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    product = serializers.IntegerField(source="product_id", allow_null=True, read_only=True)
    changes = serializers.JSONField(read_only=True, help_text="{field: [old, new]}")

    class Meta:
        model = HistoryEntry
        fields = [
            "id",
            "at",
            "kind",
            "from_status",
            "to_status",
            "changes",
            "note",
            "actor",
            "product",
        ]
        read_only_fields = fields

    def get_actor(self, entry: HistoryEntry) -> str | None:
        return entry.actor.get_username() if entry.actor else None
