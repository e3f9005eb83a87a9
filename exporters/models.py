"""Exporter directory: the organisations on the buying side of every match.

Kinds: Indonesian exporters, aggregators or trading companies, foreign buyers, trading platforms
(such as Alibaba Indonesia's partner) and service providers (documents, quality supervision,
payment, logistics). An organisation registers itself and stays *pending* until ministry staff
verify it; several users belong to one organisation, its admins invite colleagues.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.validators import validate_phone
from bumdes_export.reference.models import Country, ExportGateway, HsCode, Region


class Kind(models.TextChoices):
    EXPORTER = "exporter", _("Exporter")
    AGGREGATOR = "aggregator", _("Aggregator or trading company")
    BUYER = "buyer", _("Foreign buyer")
    PLATFORM = "platform", _("Trading platform")
    SERVICE_PROVIDER = "service", _("Service provider")


class Service(models.TextChoices):
    """The facilitation services the programme's partners offer."""

    DOCUMENTS = "documents", _("Export documents")
    QUALITY = "quality", _("Product supervision and quality control")
    PAYMENT = "payment", _("Payment")
    LOGISTICS = "logistics", _("Logistics")


def _logo_path(instance: Organisation, filename: str) -> str:
    return f"logos/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    legal_name = models.CharField(_("legal name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    province = models.ForeignKey(
        Region,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 1},
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=_logo_path, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)

    # Sourcing preferences: what the organisation buys, where it sells, how.
    hs_interests = models.ManyToManyField(
        HsCode,
        verbose_name=_("HS interests"),
        related_name="+",
        blank=True,
        help_text=_("Chapters, headings or subheadings."),
    )
    destination_markets = models.ManyToManyField(
        Country, verbose_name=_("destination markets"), related_name="+", blank=True
    )
    min_order_kg = models.DecimalField(
        _("minimum order per shipment (kg)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    max_volume_kg_per_month = models.DecimalField(
        _("maximum volume per month (kg)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    required_certificates = models.JSONField(
        _("required certificates"),
        default=list,
        blank=True,
        help_text=_("Codes of certificate types the products must hold."),
    )
    preferred_provinces = models.ManyToManyField(
        Region,
        verbose_name=_("preferred origin provinces"),
        related_name="+",
        blank=True,
        limit_choices_to={"level": 1},
    )
    preferred_gateways = models.ManyToManyField(
        ExportGateway, verbose_name=_("preferred export gateways"), related_name="+", blank=True
    )
    incoterms = models.JSONField(_("accepted Incoterms"), default=list, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name = _("exporter organisation")
        verbose_name_plural = _("exporter organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="organisation_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="organisation_verified_has_date",
            ),
            models.CheckConstraint(
                condition=Q(nib="") | Q(nib__regex=r"^[0-9]{13}$"), name="organisation_nib_digits"
            ),
            models.CheckConstraint(
                condition=Q(npwp="") | Q(npwp__regex=r"^[0-9]{15,16}$"),
                name="organisation_npwp_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class Membership(models.Model):
    """A user's place in one organisation. Admins edit the profile and invite colleagues."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation_id", "-is_admin", "user_id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class OrganisationChange(models.Model):
    """Who changed an organisation, when and how (verification included)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=30)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("organisation change")
        verbose_name_plural = _("organisation changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"
