"""Village product registry: BUMDes, their products, certificates, readiness rules and history.

Terms used here:
- **BUMDes** (Badan Usaha Milik Desa): an enterprise owned by one village (a *desa*, never a
  *kelurahan*). A **BUM Desa Bersama** is owned jointly by several desa of one regency.
- **NIB** (Nomor Induk Berusaha): business identity number from the OSS system, 13 digits.
- **NPWP**: tax number, 15 digits (16 since the NIK-based numbers of 2024).
- **HS code**: Harmonized System subheading (6 digits); Indonesia's customs tariff (BTKI) adds two
  national digits, stored as ``national_code``.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.validators import validate_phone
from bumdes_export.reference.models import CertificateType, Country, HsCode, Region

# CertificateType is reference data; it is imported here so the registry can name it.


class Bumdes(models.Model):
    class Kind(models.TextChoices):
        BUMDES = "bumdes", _("BUM Desa")
        BERSAMA = "bersama", _("BUM Desa Bersama")

    class LegalStatus(models.TextChoices):
        NOT_YET = "not_yet", _("Not yet registered")
        NAME_REGISTERED = "name_registered", _("Name registered")
        LEGAL_ENTITY = "legal_entity", _("Legal entity (badan hukum)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.BUMDES)
    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="bumdes",
        help_text=_("For a BUM Desa Bersama: the lead village."),
    )
    member_villages = models.ManyToManyField(
        Region,
        verbose_name=_("member villages"),
        related_name="bumdes_memberships",
        blank=True,
        help_text=_("BUM Desa Bersama only: every village that owns it, in one regency."),
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal-entity status"),
        max_length=20,
        choices=LegalStatus.choices,
        default=LegalStatus.NOT_YET,
    )
    legal_certificate_number = models.CharField(
        _("legal-entity certificate number"), max_length=100, blank=True
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    business_units = models.TextField(
        _("business units"), blank=True, help_text=_("One unit usaha per line.")
    )
    manager_name = models.CharField(_("manager"), max_length=150, blank=True)
    contact_phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    contact_whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="bumdes/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("BUMDes")
        verbose_name_plural = _("BUMDes")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "village",
                name="bumdes_unique_name_per_village",
                violation_error_message=_(
                    "A BUMDes with this name already exists in this village."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="bumdes_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(nib="") | Q(nib__regex=r"^[0-9]{13}$"), name="bumdes_nib_13_digits"
            ),
            models.CheckConstraint(
                condition=Q(npwp="") | Q(npwp__regex=r"^[0-9]{15,16}$"),
                name="bumdes_npwp_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:
        return self.village_id


class BumdesOperator(models.Model):
    """Links a BUMDes operator account to the one BUMDes it maintains."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bumdes_link"
    )
    bumdes = models.ForeignKey(Bumdes, on_delete=models.CASCADE, related_name="operators")

    class Meta:
        verbose_name = _("BUMDes operator")
        verbose_name_plural = _("BUMDes operators")

    def __str__(self) -> str:
        return f"{self.user} → {self.bumdes}"


class Unit(models.TextChoices):
    KG = "kg", _("kilogram")
    GRAM = "g", _("gram")
    QUINTAL = "quintal", _("quintal (100 kg)")
    TON = "ton", _("tonne")
    LITRE = "l", _("litre")
    MILLILITRE = "ml", _("millilitre")
    PIECE = "piece", _("piece")
    DOZEN = "dozen", _("dozen")
    PACK = "pack", _("pack")
    BOX = "box", _("box")
    BOTTLE = "bottle", _("bottle")
    SACK = "sack", _("sack")


# Conversion to a base unit wherever it is meaningful: mass to kg, volume to litres.
UNIT_BASE: dict[str, tuple[str, Decimal]] = {
    Unit.KG: ("kg", Decimal(1)),
    Unit.GRAM: ("kg", Decimal("0.001")),
    Unit.QUINTAL: ("kg", Decimal(100)),
    Unit.TON: ("kg", Decimal(1000)),
    Unit.LITRE: ("l", Decimal(1)),
    Unit.MILLILITRE: ("l", Decimal("0.001")),
}


class CommodityForm(models.TextChoices):
    LIVE = "live", _("Live")
    FRESH = "fresh", _("Fresh or chilled")
    FROZEN = "frozen", _("Frozen")
    DRIED = "dried", _("Dried")
    PROCESSED = "processed", _("Processed")


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"
    FAS = "FAS", "FAS"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"


ALL_MONTHS = (1 << 12) - 1


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        EXPORT_READY = "export_ready", _("Export-ready")
        RETURNED = "returned", _("Returned")

    bumdes = models.ForeignKey(
        Bumdes, verbose_name=_("BUMDes"), on_delete=models.PROTECT, related_name="products"
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    hs_code = models.ForeignKey(
        HsCode,
        verbose_name=_("HS code"),
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"level": 6},
    )
    national_code = models.CharField(
        _("national tariff code (BTKI)"),
        max_length=8,
        blank=True,
        help_text=_("Optional 8-digit code that starts with the HS subheading."),
    )
    form = models.CharField(_("commodity form"), max_length=10, choices=CommodityForm.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    capacity_per_month = models.DecimalField(
        _("production capacity per month"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Capacity in kg or litres where the unit converts, so capacities and orders compare.
    capacity_base = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    base_unit = models.CharField(max_length=2, blank=True)
    available_months = models.PositiveSmallIntegerField(
        _("months available"),
        default=ALL_MONTHS,
        help_text=_("Harvest calendar: a bit for each month, January first."),
    )
    min_order = models.DecimalField(
        _("minimum order"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price = models.DecimalField(
        _("indicative price per unit"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(
        _("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB
    )
    packaging = models.CharField(_("packaging"), max_length=200, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    exported_to = models.ManyToManyField(
        Country, verbose_name=_("already exported to"), related_name="+", blank=True
    )
    target_markets = models.ManyToManyField(
        Country, verbose_name=_("target markets"), related_name="+", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    #: Values the portal suggested on import (``hs_code``, ``form``, ``unit``) that nobody has
    #: confirmed yet: a blocking readiness gap until an officer does.
    unconfirmed = models.JSONField(
        _("suggested values to confirm"), default=list, db_default=[], blank=True
    )
    #: The commodity specification the readiness rules read (carapace width, moisture ...),
    #: keyed by the fields of the product's ``SpecificationTemplate``.
    specification = models.JSONField(
        _("commodity specification"), default=dict, db_default={}, blank=True
    )
    readiness_score = models.PositiveSmallIntegerField(_("export readiness"), default=0)
    #: The codes of the rules that blocked export of the product everywhere when its score was
    #: last stored (null: not evaluated since it was written in bulk): a rule change that
    #: blocks or clears a product is told even when the score stays.
    blocking_rules = models.JSONField(null=True, blank=True, default=None)
    # Bumped on every change that a score or a catalogue entry could depend on.
    version = models.PositiveIntegerField(default=1)
    export_ready_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_id", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                "bumdes",
                Lower("name_id"),
                "hs_code",
                name="product_unique_name_hs_per_bumdes",
                violation_error_message=_(
                    "This BUMDes already has a product with this name and HS code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(available_months__lte=ALL_MONTHS), name="product_months_bitmask"
            ),
            models.CheckConstraint(
                condition=Q(readiness_score__lte=100), name="product_readiness_0_100"
            ),
            models.CheckConstraint(
                condition=Q(capacity_per_month__isnull=True) | Q(capacity_per_month__gte=0),
                name="product_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(min_order__isnull=True) | Q(min_order__gte=0),
                name="product_min_order_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="product_price_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="product_returned_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "hs_code"])]

    def __str__(self) -> str:
        return self.name_id

    @property
    def months(self) -> list[int]:
        return [m for m in range(1, 13) if self.available_months & (1 << (m - 1))]

    def available_in(self, month: int) -> bool:
        return bool(self.available_months & (1 << (month - 1)))


def _photo_path(instance: ProductPhoto, filename: str) -> str:
    # Never trust the uploaded name: a server-generated one, keeping only a known extension.
    return f"products/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


def _thumbnail_path(instance: ProductPhoto, filename: str) -> str:
    return f"products/thumbs/{uuid.uuid4().hex}.jpg"


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=_photo_path)
    thumbnail = models.ImageField(upload_to=_thumbnail_path, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


def _document_path(instance: Certificate, filename: str) -> str:
    return f"certificates/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Certificate(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certificates")
    type = models.ForeignKey(
        CertificateType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=_document_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the lapse of this certificate has sent its product back to review.
    lapse_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["type__name_en", "-valid_until"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="certificate_validity_ordered",
                violation_error_message=_("“Valid until” cannot be before “valid from”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.number}"

    def is_valid(self, on: date | None = None) -> bool:
        """An expired certificate counts as missing."""
        on = on or date.today()
        if self.valid_from and self.valid_from > on:
            return False
        return self.valid_until is None or self.valid_until >= on


class CertificateReminder(models.Model):
    """A reminder that a certificate expires soon, sent once per certificate, expiry date and
    threshold (days before expiry): a renewed certificate is reminded of again."""

    THRESHOLDS = (60, 30, 7)

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="+")
    valid_until = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate reminder")
        verbose_name_plural = _("certificate reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "valid_until", "threshold"],
                name="certificate_reminder_once",
            ),
            models.CheckConstraint(
                condition=Q(threshold__in=[60, 30, 7]), name="certificate_reminder_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.valid_until} -{self.threshold}d"


class ReadinessRule(models.Model):
    """One requirement of export readiness, as data that ministry staff edit in the admin.

    A rule applies to products whose HS code starts with ``hs_prefix`` (empty: every product),
    of the given ``forms`` (empty: any), and, when ``destinations`` are set, only if the product
    targets or has shipped to one of them. It is met when the product (or its BUMDes) has the
    named field, or holds a valid certificate of ``certificate_type``.
    """

    class Requirement(models.TextChoices):
        CERTIFICATE = "certificate", _("holds a valid certificate")
        BUMDES_NIB = "bumdes_nib", _("BUMDes has an NIB")
        BUMDES_NPWP = "bumdes_npwp", _("BUMDes has an NPWP")
        BUMDES_LEGAL_ENTITY = "bumdes_legal_entity", _("BUMDes is a legal entity")
        BUMDES_VERIFIED = "bumdes_verified", _("BUMDes is verified")
        PHOTO = "photo", _("product has a photo")
        PRICE = "price", _("product has an indicative price")
        CAPACITY = "capacity", _("product has a monthly capacity")
        HARVEST_CALENDAR = "harvest_calendar", _("product has a harvest calendar")
        PACKAGING = "packaging", _("product has packaging described")
        ENGLISH_NAME = "english_name", _("product has an English name and description")
        SPECIFICATION = "specification", _("product meets the commodity specification")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    requirement = models.CharField(_("requirement"), max_length=30, choices=Requirement.choices)
    certificate_type = models.ForeignKey(
        CertificateType,
        verbose_name=_("certificate type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
    )
    hs_prefix = models.CharField(_("HS prefix"), max_length=6, blank=True)
    forms = models.JSONField(_("commodity forms"), default=list, blank=True)
    destinations = models.ManyToManyField(
        Country,
        verbose_name=_("destinations"),
        related_name="+",
        blank=True,
        help_text=_("None: every market. Otherwise only shipments to these markets."),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=10)
    required = models.BooleanField(
        _("required for export"),
        default=True,
        help_text=_("A required rule blocks export; otherwise it is advice."),
    )
    gap_id = models.CharField(_("gap (Indonesian)"), max_length=200)
    gap_en = models.CharField(_("gap (English)"), max_length=200)
    next_step_id = models.TextField(_("next step (Indonesian)"), blank=True)
    next_step_en = models.TextField(_("next step (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_("The regulation and article the rule comes from."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed by the ministry"),
        default=True,
        help_text=_(
            "A rule whose figures the ministry has not confirmed only advises, even if it is "
            "required for export."
        ),
    )
    #: Which products of the HS prefix the rule is about, by their specification:
    #: ``{"species": "scylla"}``. A product that has not recorded the field is included.
    applies_when = models.JSONField(
        _("applies when"),
        default=dict,
        blank=True,
        help_text=_(
            'For example {"species": "scylla"}: only products whose specification says so (or '
            "does not say). Empty: every product of the HS prefix."
        ),
    )
    #: What a specification rule asks: ``[{"field": "carapace_width_cm", "op": ">=",
    #: "value": 12}, ...]``, all of them, or any one where ``any_condition``.
    conditions = models.JSONField(
        _("specification conditions"),
        default=list,
        blank=True,
        help_text=_(
            'For example [{"field": "carapace_width_cm", "op": ">", "value": 12}]. The fields '
            "are the keys of the specification template; op is one of > >= < <= = != set. Keep "
            "the gap's wording in step with the figures."
        ),
    )
    any_condition = models.BooleanField(_("any one condition suffices"), default=False)

    class Meta:
        ordering = ["-required", "-weight", "code"]
        verbose_name = _("readiness rule")
        verbose_name_plural = _("readiness rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requirement="certificate") | Q(certificate_type__isnull=False),
                name="rule_certificate_has_type",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="rule_weight_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="rule_validity_ordered",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from products.readiness import specification

        # The shape here; that the fields exist in a template covering the rule's HS prefix is
        # checked where templates are read (``readiness.selectors.rule_fields_problem``, used by
        # the admin's form).
        try:
            specification.check_conditions(self.conditions, self.applies_when)
        except specification.TemplateError as error:
            raise ValidationError({"conditions": str(error)}) from error
        if self.requirement == self.Requirement.SPECIFICATION and not self.conditions:
            raise ValidationError(
                {"conditions": _("A specification rule needs at least one condition.")}
            )


class HistoryEntry(models.Model):
    """Who changed what, when: workflow transitions and field changes of BUMDes and products."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")
        TRANSITION = "transition", _("Status changed")
        CERTIFICATE = "certificate", _("Certificate")
        PHOTO = "photo", _("Photo")
        IMPORTED = "imported", _("Imported")

    bumdes = models.ForeignKey(Bumdes, on_delete=models.CASCADE, related_name="history")
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
