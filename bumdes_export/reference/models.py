"""National reference data: Kemendagri regions, HS 2022 codes, countries, export gateways.

Regions are keyed by their Kemendagri code (``74.02.05.2001``). Codes change between editions
of the decree (Papua split in 2022), so a code that vanishes is *retired*, never deleted: records
that point at it keep working and ministry staff move them to a current code.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")
        DISTRICT = 3, _("District")
        VILLAGE = 4, _("Village")

    class Kind(models.TextChoices):
        NONE = "", "-"
        KABUPATEN = "kabupaten", _("Kabupaten (regency)")
        KOTA = "kota", _("Kota (city)")
        # A desa may own a BUMDes; a kelurahan is an urban ward run by the regency and may not.
        DESA = "desa", _("Desa (village)")
        KELURAHAN = "kelurahan", _("Kelurahan (urban ward)")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def province_code(self) -> str:
        return self.code[:2]


class ReferenceLoad(models.Model):
    """One run of ``load_reference_data`` for one data set: what edition, what changed."""

    #: The data sets as people name them (``dataset`` holds the key the loader uses).
    DATASET_LABELS = {
        "regions": _("Regions (Kemendagri codes)"),
        "disadvantaged": _("Disadvantaged regencies"),
        "hs": _("HS 2022 codes"),
        "countries": _("Countries"),
        "gateways": _("Export gateways"),
    }

    dataset = models.CharField(max_length=40)
    edition = models.CharField(max_length=80)
    loaded_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference data load")
        verbose_name_plural = _("reference data loads")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.dataset} {self.edition} {self.loaded_at:%Y-%m-%d %H:%M}"

    @property
    def dataset_label(self) -> str:
        return str(self.DATASET_LABELS.get(self.dataset, self.dataset))


class DisadvantagedDesignation(models.Model):
    """A regency designated *daerah tertinggal* (disadvantaged region) for a period.

    It is a designation by presidential regulation, not a property of the region forever.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="disadvantaged_designations"
    )
    period_start = models.PositiveSmallIntegerField(_("from year"))
    period_end = models.PositiveSmallIntegerField(_("until year"))
    legal_basis = models.CharField(_("legal basis"), max_length=80)

    class Meta:
        verbose_name = _("disadvantaged region designation")
        verbose_name_plural = _("disadvantaged region designations")
        ordering = ["region_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_start"], name="designation_unique_region_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="designation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period_start}-{self.period_end}"


class HsSection(models.Model):
    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("HS section")
        verbose_name_plural = _("HS sections")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class HsCode(models.Model):
    """A code of the Harmonized System 2022: chapter (2 digits), heading (4), subheading (6)."""

    class Level(models.IntegerChoices):
        CHAPTER = 2, _("Chapter")
        HEADING = 4, _("Heading")
        SUBHEADING = 6, _("Subheading")

    code = models.CharField(_("HS code"), max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    section = models.ForeignKey(HsSection, on_delete=models.PROTECT, related_name="codes")

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=2, parent__isnull=True) | Q(level__gt=2, parent__isnull=False),
                name="hscode_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dotted} {self.description}"

    @property
    def dotted(self) -> str:
        if self.level == 6:
            return f"{self.code[:4]}.{self.code[4:]}"
        return self.code


class HsAlias(models.Model):
    """A commodity term people use (``kepiting``, ``crab``) that points at an HS code."""

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    term = models.CharField(_("term"), max_length=120)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    hs_code = models.ForeignKey(HsCode, on_delete=models.CASCADE, related_name="aliases")
    note = models.CharField(_("note"), max_length=255, blank=True)
    from_reference = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["term"]
        verbose_name = _("HS search term")
        verbose_name_plural = _("HS search terms")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "language", "hs_code"], name="hsalias_unique_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.hs_code_id}"


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name_en

    def localized_name(self, language: str) -> str:
        return self.name_id if language.startswith("id") else self.name_en


class ExportGateway(models.Model):
    class Kind(models.TextChoices):
        SEAPORT = "seaport", _("Seaport")
        AIRPORT = "airport", _("Airport")

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="gateways")
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["code"]
        verbose_name = _("export gateway")
        verbose_name_plural = _("export gateways")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CertificateType(models.Model):
    """The editable catalogue of certificates and permits (halal, BPOM, KI-1, Form AHK ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    issuer = models.CharField(_("usual issuer"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name_en"]
        db_table = "reference_certificatetype"
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name_en

    def localized_name(self, language: str) -> str:
        return self.name_id if language.startswith("id") else self.name_en


class ExportDocument(models.Model):
    """A document or licence an export shipment needs (PEB, invoice, air waybill, SKA Form
    AHK, KI-1 ...), with a stable ``code`` the checklist API answers with. Some are needed for
    every shipment, some by the mode of transport; the rest because a readiness rule asks for
    their certificate type (the KI-1 for live crab, Form E for China). Seeded from the domain
    notes' table; ministry staff edit them in the admin.

    Terms: **PEB** (Pemberitahuan Ekspor Barang), the export declaration filed with customs;
    **NPE** (Nota Pelayanan Ekspor), customs' approval of it; **SKA** (Surat Keterangan Asal),
    the certificate of origin."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence of the exporter")
        DECLARATION = "declaration", _("Customs declaration")
        COMMERCIAL = "commercial", _("Commercial document")
        TRANSPORT = "transport", _("Transport document")
        ORIGIN = "origin", _("Certificate of origin")
        HEALTH = "health", _("Health and quarantine")
        QUALITY = "quality", _("Quality, safety and halal")

    class Needed(models.TextChoices):
        EVERY_SHIPMENT = "every_shipment", _("Every shipment")
        SEA = "sea", _("Shipments by sea")
        AIR = "air", _("Shipments by air")
        BY_RULE = "by_rule", _("Where a readiness rule asks for it")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Capital letters, digits and _."))],
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    needed = models.CharField(_("needed for"), max_length=16, choices=Needed.choices)
    certificate_type = models.OneToOneField(
        CertificateType,
        verbose_name=_("certificate type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_document",
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    issuer_id = models.CharField(_("issued by (Indonesian)"), max_length=150)
    issuer_en = models.CharField(_("issued by (English)"), max_length=150)
    apply_at_id = models.CharField(_("where to apply (Indonesian)"), max_length=200, blank=True)
    apply_at_en = models.CharField(_("where to apply (English)"), max_length=200, blank=True)
    lead_time_id = models.CharField(_("how long it takes (Indonesian)"), max_length=150, blank=True)
    lead_time_en = models.CharField(_("how long it takes (English)"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    opens_any_market = models.BooleanField(
        _("accepted by any market"),
        default=False,
        help_text=_(
            "A certificate of origin that serves a market asking for no form of its own (the "
            "non-preferential SKA)."
        ),
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("export document")
        verbose_name_plural = _("export documents")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(needed="by_rule") | models.Q(certificate_type__isnull=False),
                name="export_document_rule_has_certificate",
                violation_error_message=_(
                    "A document needed where a rule asks for it names its certificate type."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def text(self, name: str, language: str) -> str:
        """``text("issuer", "id")``: a field in the reader's language (English for other
        languages than Indonesian)."""
        indonesian, english = getattr(self, f"{name}_id"), getattr(self, f"{name}_en")
        return indonesian if language.startswith("id") else (english or indonesian)
