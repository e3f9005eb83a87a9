"""Deals and their shipments: what the programme counts as success.

- A **deal** links a product and an organisation (exporter or buyer) and says how it started
  (its **channel**): a forum meeting, an inquiry or a sample request, an accepted offer on a
  buying request, or a deal made outside the portal and entered by ministry staff or the
  product's regional officer. One open deal per product and organisation: whichever channel
  comes second records into the deal the first one opened.
- It moves through **stages** (interest, sample sent, letter of intent or MoU, contract, first
  shipment, repeat shipments) or closes as **lost** with a reason. Each step is a
  ``DealStep`` with its date and who recorded it, so the history is kept.
- A **shipment** (``Shipment``) is a record of its own under a deal: the first one moves the deal
  to "first shipment", the second to "repeat shipments"; nobody picks those stages by hand.

The origin links (``meeting``, ``inquiry``, ``offer``) name their models by label, so this package
imports neither forums nor dealings: those channels call ``matchmaking.deals.services``.
Who may see and do what lives in ``matchmaking.deals.access``; reads in ``selectors``; writes in
``services``. The database checks below keep each record whole.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.db import Tomorrow, in_choices
from bumdes_export.reference.models import Country, ExportGateway, HsCode, Region
from exporters.models import Organisation
from products.models import Product, Unit


class DealChannel(models.TextChoices):
    FORUM_MEETING = "forum_meeting", _("Forum meeting")
    INQUIRY = "inquiry", _("Inquiry")
    SAMPLE_REQUEST = "sample_request", _("Sample request")
    OFFER = "offer", _("Offer on a buying request")
    OUTSIDE = "outside", _("Made outside the portal")


class DealStage(models.TextChoices):
    INTEREST = "interest", _("Interest")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    LOI_MOU = "loi_mou", _("Letter of intent or MoU")
    CONTRACT = "contract", _("Contract")
    FIRST_SHIPMENT = "first_shipment", _("First shipment")
    REPEAT_SHIPMENTS = "repeat_shipments", _("Repeat shipments")
    LOST = "lost", _("Lost")


#: The stages in the order a deal moves through them (lost closes a deal from any stage).
STAGE_ORDER: tuple[str, ...] = (
    DealStage.INTEREST,
    DealStage.SAMPLE_SENT,
    DealStage.LOI_MOU,
    DealStage.CONTRACT,
    DealStage.FIRST_SHIPMENT,
    DealStage.REPEAT_SHIPMENTS,
)
#: Stages reached by recording shipments, never picked by hand.
SHIPMENT_STAGES: tuple[str, ...] = (DealStage.FIRST_SHIPMENT, DealStage.REPEAT_SHIPMENTS)
#: Stages a person records by hand, with a date.
MANUAL_STAGES: tuple[str, ...] = (
    DealStage.INTEREST,
    DealStage.SAMPLE_SENT,
    DealStage.LOI_MOU,
    DealStage.CONTRACT,
)


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    QUALITY = "quality", _("Quality or specification")
    VOLUME = "volume", _("Volume or continuity of supply")
    DOCUMENTS = "documents", _("Documents, certificates or market rules")
    LOGISTICS = "logistics", _("Logistics, timing or cost of transport")
    BUYER_WITHDREW = "buyer_withdrew", _("The buyer withdrew")
    SUPPLIER_WITHDREW = "supplier_withdrew", _("The supplier withdrew")
    OTHER = "other", _("Other (say what)")


class Deal(models.Model):
    Channel = DealChannel
    Stage = DealStage
    LostReason = LostReason

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="deals"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="deals"
    )
    channel = models.CharField(_("started from"), max_length=16, choices=Channel.choices)
    meeting = models.ForeignKey(
        "matchmaking.Meeting",
        verbose_name=_("forum meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    inquiry = models.ForeignKey(
        "matchmaking.Inquiry",
        verbose_name=_("inquiry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    offer = models.ForeignKey(
        "matchmaking.Offer",
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    # The current stage: the furthest step recorded, or lost.
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.INTEREST, db_index=True
    )
    lost_reason = models.CharField(
        _("why it was lost"), max_length=20, choices=LostReason.choices, blank=True
    )
    lost_note = models.TextField(_("what happened"), blank=True)
    note = models.TextField(_("note"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("channel", DealChannel.choices), name="deal_channel_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("stage", DealStage.choices), name="deal_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(lost_reason="") | in_choices("lost_reason", LostReason.choices),
                name="deal_lost_reason_valid",
            ),
            # Lost, and only lost, has a reason; "other" says what.
            models.CheckConstraint(
                condition=(Q(stage="lost") & ~Q(lost_reason=""))
                | (~Q(stage="lost") & Q(lost_reason="")),
                name="deal_lost_has_reason",
                violation_error_message=_("A lost deal says why."),
            ),
            models.CheckConstraint(
                condition=~Q(lost_reason="other") | ~Q(lost_note=""),
                name="deal_lost_other_explained",
                violation_error_message=_("Say what happened."),
            ),
            # The origin matches the channel.
            models.CheckConstraint(
                condition=(
                    Q(
                        channel="forum_meeting",
                        meeting__isnull=False,
                        inquiry__isnull=True,
                        offer__isnull=True,
                    )
                    | Q(
                        channel__in=["inquiry", "sample_request"],
                        meeting__isnull=True,
                        inquiry__isnull=False,
                        offer__isnull=True,
                    )
                    | Q(
                        channel="offer",
                        meeting__isnull=True,
                        inquiry__isnull=True,
                        offer__isnull=False,
                    )
                    | Q(
                        channel="outside",
                        meeting__isnull=True,
                        inquiry__isnull=True,
                        offer__isnull=True,
                    )
                ),
                name="deal_origin_matches_channel",
            ),
            # One open deal per product and organisation, whichever way it started.
            models.UniqueConstraint(
                fields=["product", "organisation"],
                condition=~Q(stage="lost"),
                name="deal_one_open_per_product_and_organisation",
                violation_error_message=_(
                    "This product and organisation already have an open deal."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "stage"]),
            models.Index(fields=["product", "stage"]),
        ]

    def __str__(self) -> str:
        return f"{self.product} ↔ {self.organisation}"

    @property
    def is_lost(self) -> bool:
        return self.stage == DealStage.LOST

    @property
    def origin(self) -> models.Model | None:
        """The meeting, inquiry or offer the deal started from (none when made outside)."""
        return self.meeting or self.inquiry or self.offer


class DealStep(models.Model):
    """One stage a deal reached, with its date, who recorded it and what was agreed. A lost
    step closes the deal."""

    Stage = DealStage

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    occurred_on = models.DateField(_("date"))
    # What a letter of intent or a contract says, where it says it.
    volume_kg = models.DecimalField(
        _("volume (kg)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    value_usd = models.DecimalField(
        _("value (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    destination = models.ForeignKey(
        Country,
        verbose_name=_("destination country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("deal step")
        verbose_name_plural = _("deal steps")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("stage", DealStage.choices), name="deal_step_stage_valid"
            ),
            models.UniqueConstraint(
                fields=["deal", "stage"],
                name="deal_step_one_per_stage",
                violation_error_message=_("This deal has already reached this stage."),
            ),
            models.CheckConstraint(
                condition=Q(occurred_on__lte=Tomorrow()),
                name="deal_step_not_in_future",
                violation_error_message=_("The date cannot be in the future."),
            ),
            models.CheckConstraint(
                condition=Q(volume_kg__isnull=True) | Q(volume_kg__gt=0),
                name="deal_step_volume_positive",
            ),
            models.CheckConstraint(
                condition=Q(value_usd__isnull=True) | Q(value_usd__gte=0),
                name="deal_step_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.get_stage_display()} {self.occurred_on}"


class MetricUnit(models.TextChoices):
    KG = "kg", _("kg")
    LITRE = "l", _("litres")


class Shipment(models.Model):
    """One export shipment under a deal. The value is kept in USD and in rupiah, with the
    exchange rate used; the volume in the product's unit and in kg or litres."""

    MetricUnit = MetricUnit

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="shipments")
    #: Where it shipped from: the deal's product's BUMDes and that BUMDes' village on the day it
    #: was recorded (kept with the shipment, so that the dashboard groups shipments by origin
    #: without going through the deal and the product).
    bumdes = models.ForeignKey(
        "products.Bumdes", verbose_name=_("BUMDes"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region, verbose_name=_("village of origin"), on_delete=models.PROTECT, related_name="+"
    )
    #: Who bought or exported it: the deal's organisation, kept for the same reason.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    shipped_on = models.DateField(_("shipment date"))  # indexed by shipment_period_figures
    hs_code = models.ForeignKey(
        HsCode, verbose_name=_("HS subheading"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    volume = models.DecimalField(_("volume (kg or litres)"), max_digits=14, decimal_places=3)
    volume_unit = models.CharField(
        _("kg or litres"), max_length=2, choices=MetricUnit.choices, default=MetricUnit.KG
    )
    value_usd = models.DecimalField(_("value (USD)"), max_digits=14, decimal_places=2)
    # Rupiah per US dollar, as used for this shipment; shipments moved over from the forum
    # outcomes recorded before deals existed have none.
    idr_per_usd = models.DecimalField(
        _("exchange rate (IDR per USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    value_idr = models.DecimalField(
        _("value (IDR)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    destination = models.ForeignKey(
        Country, verbose_name=_("destination country"), on_delete=models.PROTECT, related_name="+"
    )
    gateway = models.ForeignKey(
        ExportGateway,
        verbose_name=_("export gateway"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    peb_number = models.CharField(_("PEB number"), max_length=40, blank=True)
    coo_number = models.CharField(_("certificate of origin number"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["shipped_on", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(volume__gt=0),
                name="shipment_volume_positive",
                violation_error_message=_("The volume must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(value_usd__gt=0),
                name="shipment_value_positive",
                violation_error_message=_("The value must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(idr_per_usd__isnull=True, value_idr__isnull=True)
                | Q(
                    idr_per_usd__isnull=False,
                    value_idr__isnull=False,
                    idr_per_usd__gt=0,
                    value_idr__gt=0,
                ),
                name="shipment_rupiah_with_rate",
                violation_error_message=_("Give the exchange rate with the value in rupiah."),
            ),
            models.CheckConstraint(
                condition=Q(shipped_on__lte=Tomorrow()),
                name="shipment_not_in_future",
                violation_error_message=_("The shipment date cannot be in the future."),
            ),
            models.CheckConstraint(
                condition=~Q(destination="ID"),
                name="shipment_destination_abroad",
                violation_error_message=_("An export goes to a country other than Indonesia."),
            ),
            models.CheckConstraint(
                condition=in_choices("unit", Unit.choices), name="shipment_unit_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("volume_unit", MetricUnit.choices),
                name="shipment_volume_unit_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["destination", "shipped_on"]),
            # The dashboard adds up a period's shipments from this index alone (PostgreSQL).
            models.Index(
                fields=["shipped_on"],
                include=[
                    "hs_code",
                    "destination",
                    "village",
                    "bumdes",
                    "organisation",
                    "value_usd",
                    "volume",
                    "volume_unit",
                ],
                name="shipment_period_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.shipped_on} → {self.destination_id}"
