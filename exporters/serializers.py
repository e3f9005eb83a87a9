"""Shapes of the directory API: organisations, members, registration, verification.

Serializers only translate between JSON and the values the services take (ISO and Kemendagri
codes to reference rows; sourcing preferences as lists of codes). Who may do what, and what a
valid organisation is, stay in ``exporters.access`` and ``exporters.services``: an unknown HS
code, certificate type or Incoterm is reported by the services, on the field it belongs to.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bumdes_export.core.i18n import active_language
from bumdes_export.reference.models import Country, Region
from bumdes_export.reference.selectors import normalize_hs_code, normalize_region_code
from exporters import access
from exporters.models import Kind, Membership, Organisation, Service
from exporters.services import PREFERENCE_M2M

CONTACT_FIELDS = ["address", "contact_name", "contact_email", "contact_phone"]
IDENTIFIER_FIELDS = ["nib", "npwp"]


# --- Codes -----------------------------------------------------------------------------------


class CountryCodeField(serializers.SlugRelatedField):
    """An ISO 3166 alpha-2 country code, in either case."""

    default_error_messages = {"does_not_exist": _("There is no country with the code {value}.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


class ProvinceCodeField(serializers.SlugRelatedField):
    """A province's two-digit Kemendagri code (``74``)."""

    default_error_messages = {"does_not_exist": _("There is no province with the code {value}.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Region.objects.filter(level=Region.Level.PROVINCE))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(normalize_region_code(str(data)))


class _CodeField(serializers.CharField):
    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return self.normalize(super().to_internal_value(data))


class CodeListField(serializers.ListField):
    """Reference rows of a many-to-many field as a list of their codes, normalised here and
    checked by the services (an unknown code is an error on this field)."""

    def __init__(self, *, normalize, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        super().__init__(child=_CodeField(normalize=normalize, max_length=13), **kwargs)

    def to_representation(self, data) -> list[str]:
        rows = data.all() if hasattr(data, "all") else data
        return sorted(row.pk if hasattr(row, "pk") else str(row) for row in rows)


def _upper(code: str) -> str:
    return code.strip().upper()


def own_choices(choices, enum_id: str):
    """A choice field whose enum the schema keeps apart from other choice sets that share its
    field name elsewhere in the portal's API (``kind``, ``status``, ``service``)."""

    @extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices], "x-spec-enum-id": enum_id}
    )
    class OwnChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return OwnChoiceField


KindField = own_choices(Kind.choices, "exporters-organisation-kind")
StatusField = own_choices(Organisation.Status.choices, "exporters-organisation-status")
ServiceField = own_choices(Service.choices, "exporters-organisation-service")


# --- Organisations ---------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation's public profile and sourcing preferences.

    ``address``, ``contact_name``, ``contact_email`` and ``contact_phone`` are ``null`` (and
    ``contact_visible`` false) for readers who may not see them: only ministry staff, the
    organisation's members and verified exporters do. ``nib`` and ``npwp`` are ``null`` for
    everyone but ministry staff and the organisation's members; ``verified_by`` is given to
    ministry staff only.
    """

    country = CountryCodeField(help_text="ISO 3166 alpha-2 code, e.g. ID, HK.")
    country_name = serializers.SerializerMethodField()
    province = ProvinceCodeField(
        required=False,
        allow_null=True,
        help_text="Two-digit province code (Indonesian companies), e.g. 74.",
    )
    province_name = serializers.SerializerMethodField()
    # Formatted numbers are accepted; the service keeps the digits and checks them.
    nib = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        help_text="13 digits (Indonesian companies). Null for readers other than ministry staff "
        "and the organisation's members.",
    )
    npwp = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        help_text="15 or 16 digits (Indonesian companies). Null like nib.",
    )
    address = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=300
    )
    contact_name = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=150
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=30
    )
    contact_visible = serializers.SerializerMethodField()
    languages = serializers.ListField(
        child=serializers.CharField(max_length=2, min_length=2),
        required=False,
        max_length=30,
        help_text="ISO 639-1 codes, e.g. id, en, zh.",
    )
    kind = KindField()
    status = StatusField(read_only=True)
    services = serializers.ListField(
        child=ServiceField(),
        required=False,
        help_text="documents, quality, payment, logistics (service providers, platforms)",
    )
    hs_interests = CodeListField(
        normalize=normalize_hs_code,
        help_text="HS 2022 chapters, headings or subheadings; dots optional (0306.33).",
    )
    destination_markets = CodeListField(
        normalize=_upper, help_text="ISO 3166 alpha-2 country codes."
    )
    required_certificates = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        help_text="Certificate type codes, see /api/v1/certificate-types/.",
    )
    preferred_provinces = CodeListField(
        normalize=normalize_region_code, help_text="Two-digit province codes."
    )
    preferred_gateways = CodeListField(
        normalize=_upper, help_text="Export gateway codes, see /api/v1/gateways/."
    )
    incoterms = serializers.ListField(
        child=serializers.CharField(max_length=3),
        required=False,
        help_text="Incoterms 2020: EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF.",
    )
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    verified_by = serializers.SerializerMethodField()
    logo = serializers.ImageField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "legal_name",
            "kind",
            "country",
            "country_name",
            "nib",
            "npwp",
            "province",
            "province_name",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_visible",
            "website",
            "logo",
            "description",
            "languages",
            "services",
            "hs_interests",
            "destination_markets",
            "min_order_kg",
            "max_volume_kg_per_month",
            "required_certificates",
            "preferred_provinces",
            "preferred_gateways",
            "incoterms",
            "status",
            "verified",
            "verified_at",
            "verified_by",
            "rejection_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "verified_at",
            "rejection_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "min_order_kg": {"min_value": 0},
            "max_volume_kg_per_month": {"min_value": 0},
        }
        # Every rule is checked by exporters.services.
        validators: list = []

    def _viewer(self) -> access.Viewer:
        if "viewer" not in self.context:
            request = self.context.get("request")
            self.context["viewer"] = access.viewer(getattr(request, "user", None))
        return self.context["viewer"]

    def get_country_name(self, organisation: Organisation) -> str:
        return organisation.country.localized_name(active_language())

    def get_province_name(self, organisation: Organisation) -> str | None:
        return organisation.province.name if organisation.province_id else None

    def get_contact_visible(self, organisation: Organisation) -> bool:
        return self._viewer().sees_contact(organisation)

    def get_verified_by(self, organisation: Organisation) -> str | None:
        """The verifier's name, for ministry staff only."""
        user = organisation.verified_by
        if user is None or not self._viewer().sees_verifier:
            return None
        return user.get_full_name() or user.get_username()

    def to_representation(self, organisation: Organisation) -> dict:
        body = super().to_representation(organisation)
        if not body["contact_visible"]:
            for name in CONTACT_FIELDS:
                body[name] = None
        if not self._viewer().sees_identifiers(organisation):
            for name in IDENTIFIER_FIELDS:
                body[name] = None
        return body

    def validate(self, attrs: dict) -> dict:
        for name in CONTACT_FIELDS + IDENTIFIER_FIELDS:
            if name in attrs and attrs[name] is None:
                attrs[name] = ""
        return attrs

    def service_arguments(self) -> tuple[dict, dict]:
        return split_preferences(self.validated_data)


def split_preferences(validated: dict) -> tuple[dict, dict]:
    """``data`` (the profile) and ``preferences`` (lists of codes), as the services take them."""
    data = dict(validated)
    preferences = {name: data.pop(name) for name in PREFERENCE_M2M if name in data}
    return data, preferences


# --- Registration ----------------------------------------------------------------------------


class RegistrationSerializer(serializers.Serializer):
    """A new account (inactive until its email is confirmed) and a pending organisation whose
    first admin it is."""

    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(help_text="A confirmation link is sent here.")
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, default="id", help_text="Of the portal's emails."
    )
    privacy_consent = serializers.BooleanField(
        help_text="Must be true: the privacy notice is at /exporters/privacy/."
    )
    organisation = OrganisationSerializer(
        help_text="The organisation's profile and sourcing preferences."
    )

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        organisation, preferences = split_preferences(data.pop("organisation"))
        organisation.setdefault("province", None)
        return {**data, "organisation": organisation, "preferences": preferences}


class RegisteredSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="Id of the new, pending organisation.")
    username = serializers.CharField()
    status = serializers.CharField()
    detail = serializers.CharField()


# --- Members, verification, history ----------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="user.email", read_only=True)
    active = serializers.BooleanField(source="user.is_active", read_only=True)
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "username",
            "name",
            "email",
            "is_admin",
            "active",
            "invitation_pending",
            "joined_at",
        ]
        read_only_fields = fields

    def get_name(self, membership: Membership) -> str:
        return membership.user.get_full_name()

    def get_invitation_pending(self, membership: Membership) -> bool:
        """Invited, but no password chosen yet."""
        return not membership.user.has_usable_password()


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    is_admin = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="id")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required: why it is rejected."
    )


class LogoSerializer(serializers.Serializer):
    logo = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB.")


class OrganisationChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.SerializerMethodField()
    changes = serializers.JSONField(help_text="{field: [old, new]}")
    note = serializers.CharField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, entry) -> str | None:
        return entry.actor.get_username() if entry.actor else None
