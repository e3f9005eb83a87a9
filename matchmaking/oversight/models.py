"""The programme's target per province: what ministry staff expect of each province in a year.

The ministry's stated target is at least one export-ready BUMDes in every province, for the others
to learn from. It is data: ministry staff set it per province and year; a province without a row
for the year is held to ``DEFAULT_EXPORT_READY_BUMDES``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

from bumdes_export.reference.models import Region

#: The target where ministry staff set none: one export-ready BUMDes per province.
DEFAULT_EXPORT_READY_BUMDES = 1


class ProvinceTarget(models.Model):
    province = models.ForeignKey(
        Region,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    export_ready_bumdes = models.PositiveSmallIntegerField(
        _("BUMDes with an export-ready product"), default=DEFAULT_EXPORT_READY_BUMDES
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set on"), auto_now=True)

    class Meta:
        ordering = ["year", "province_id"]
        verbose_name = _("province target")
        verbose_name_plural = _("province targets")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="province_target_one_per_year",
                violation_error_message=_("This province already has a target for this year."),
            ),
            models.CheckConstraint(
                condition=Q(export_ready_bumdes__gte=1),
                name="province_target_at_least_one",
                violation_error_message=_("The target is at least one BUMDes."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2020, year__lte=2100),
                name="province_target_year_sensible",
                violation_error_message=_("Give a year from 2020 to 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.year}: {self.export_ready_bumdes}"


class TargetSnapshot(models.Model):
    """A province's figures at the start of a month, kept so that the monthly report can say what
    changed. Taken once a month by a periodic task (``take_target_snapshots``)."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    province = models.ForeignKey(
        Region, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.PositiveSmallIntegerField(_("target"))
    bumdes_registered = models.PositiveIntegerField(default=0)
    bumdes_verified = models.PositiveIntegerField(default=0)
    bumdes_export_ready = models.PositiveIntegerField(default=0)
    products_export_ready = models.PositiveIntegerField(default=0)
    bumdes_exporting = models.PositiveIntegerField(default=0)
    meets_target = models.BooleanField(default=False)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "province_id"]
        verbose_name = _("target snapshot")
        verbose_name_plural = _("target snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "province"], name="target_snapshot_one_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%Y-%m}"


class RegionTally(models.Model):
    """The dashboard's figures for one region, counted ahead of the reading (``tallies``): a
    regency's from the registry and the deals, a province's as the sum of its regencies, the
    whole country's (``code`` "") as the sum of the provinces. Kept up to date after every change
    of a product, BUMDes, deal or shipment and rebuilt every hour; the dashboard says when."""

    code = models.CharField(_("region"), max_length=5, primary_key=True)
    bumdes_registered = models.PositiveIntegerField(default=0)
    bumdes_verified = models.PositiveIntegerField(default=0)
    bumdes_export_ready = models.PositiveIntegerField(default=0)
    products_export_ready = models.PositiveIntegerField(default=0)
    products_in_review = models.PositiveIntegerField(default=0)
    products_with_gaps = models.PositiveIntegerField(default=0)
    bumdes_exporting = models.PositiveIntegerField(default=0)
    #: Funnel step -> products that reached it.
    funnel = models.JSONField(default=dict)
    #: Funnel step -> {days from the step before: products}.
    funnel_days = models.JSONField(default=dict)
    #: Readiness rule code -> verified products with that gap.
    readiness_gaps = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("region tally")
        verbose_name_plural = _("region tallies")
        constraints = [
            models.CheckConstraint(
                condition=In(Length("code"), [0, 2, 5]),
                name="region_tally_code_is_country_province_or_regency",
            ),
        ]

    def __str__(self) -> str:
        return self.code or "ID"


class ShipmentLedger(models.Model):
    """Every shipment as columns (``matchmaking.oversight.ledger``), written from the shipments
    as they were (``stamp``: how many, and the newest) by whoever counts the tallies; the
    dashboard adds up any period from the newest. Older ones are deleted by the next writer."""

    stamp = models.CharField(_("shipments written from"), max_length=40, unique=True)
    built_at = models.DateTimeField(_("written at"), auto_now_add=True)
    columns = models.BinaryField(_("columns"))

    class Meta:
        verbose_name = _("shipment ledger")
        verbose_name_plural = _("shipment ledgers")

    def __str__(self) -> str:
        return self.stamp
