"""Writes of deals: opening one (from any channel), recording its steps, closing it as lost, and
recording shipments, which alone move a deal to "first shipment" and "repeat shipments".

Each channel checks who may open a deal from its own record (an inquiry's sides, an offer's
sides, a meeting's sides) and calls ``open_deal``; deals made outside the portal go through
``open_outside_deal``. Whoever opens second records into the deal the first opened: one open deal
per product and organisation (a database constraint too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import translated
from bumdes_export.reference.models import Country, ExportGateway, HsCode
from exporters.models import Organisation
from matchmaking.deals import access as deal_access
from matchmaking.deals import selectors
from matchmaking.deals.models import (
    MANUAL_STAGES,
    STAGE_ORDER,
    Deal,
    DealChannel,
    DealStage,
    DealStep,
    LostReason,
    Shipment,
)
from matchmaking.services import check_choice, decimal_or_none, tell
from products.models import UNIT_BASE, Product

INDONESIA = "ID"


@dataclass(frozen=True)
class DealOpening:
    """The deal a channel opened, or the open deal of the same product and organisation that
    it now records into (``created`` is False)."""

    deal: Deal
    created: bool


def deal_link(deal: Deal) -> str:
    return reverse("deals:deal_detail", args=[deal.pk])


def _tell(deal: Deal, *, actor: User, kind: str, subject: Any, context: dict[str, Any]) -> None:
    # The deal's two sides; ministry staff follow deals from their lists, without an email each.
    people = [u for u in selectors.people_of(deal) if u.role != Role.MINISTRY]
    tell(
        people,
        actor=actor,
        kind=kind,
        subject=subject,
        template="matchmaking/deals/email/deal_changed.txt",
        context={"deal": deal, "actor": actor, **context},
        link=deal_link(deal),
    )


def _occurred_on(value: object, field: str = "occurred_on") -> date:
    if value in (None, ""):
        return timezone.localdate()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({field: _("Enter a valid date.")}) from None
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def _refresh_stage(deal: Deal) -> Deal:
    """The deal's stage is the furthest step recorded (or lost, which closes it)."""
    reached = set(deal.steps.values_list("stage", flat=True))
    if DealStage.LOST in reached:
        stage = DealStage.LOST
    else:
        stage = max(reached, key=STAGE_ORDER.index) if reached else DealStage.INTEREST
    if deal.stage != stage:
        deal.stage = stage
    deal.save(update_fields=["stage", "updated_at"])
    return deal


def _add_step(
    deal: Deal,
    *,
    actor: User,
    stage: str,
    occurred_on: date,
    note: str = "",
    volume_kg: Decimal | None = None,
    value_usd: Decimal | None = None,
    destination: Country | None = None,
) -> DealStep:
    step = DealStep(
        deal=deal,
        stage=stage,
        occurred_on=occurred_on,
        note=note,
        volume_kg=volume_kg,
        value_usd=value_usd,
        destination=destination,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError:
        raise ValidationError({"stage": _("This deal has already reached this stage.")}) from None
    return step


@transaction.atomic
def open_deal(
    *,
    actor: User,
    product: Product,
    organisation: Organisation,
    channel: str,
    origin: Model | None = None,
    occurred_on: date | None = None,
    note: str = "",
) -> DealOpening:
    """Open a deal at "interest" from a channel's record (``origin``: the meeting, inquiry or
    offer), or return the open deal of this product and organisation. The channel has checked
    that the actor may open it; this checks the record is consistent."""
    check_choice(channel, DealChannel, "channel")
    existing = selectors.open_deal_for(product, organisation)
    if existing is not None:
        return DealOpening(existing, created=False)
    links: dict[str, Model | None] = {"meeting": None, "inquiry": None, "offer": None}
    origin_field = {
        DealChannel.FORUM_MEETING: "meeting",
        DealChannel.INQUIRY: "inquiry",
        DealChannel.SAMPLE_REQUEST: "inquiry",
        DealChannel.OFFER: "offer",
    }.get(DealChannel(channel))
    if (origin_field is None) != (origin is None):
        raise ValidationError(_("A deal names the record it started from."))
    if origin_field is not None:
        links[origin_field] = origin
    deal = Deal(
        product=product,
        organisation=organisation,
        channel=channel,
        stage=DealStage.INTEREST,
        note=(note or "").strip(),
        opened_by=actor,
        **links,
    )
    try:
        with transaction.atomic():
            deal.save()
    except IntegrityError:
        # Someone opened the same deal a moment ago: record into theirs.
        concurrent = selectors.open_deal_for(product, organisation)
        if concurrent is None:
            raise
        return DealOpening(concurrent, created=False)
    _add_step(
        deal,
        actor=actor,
        stage=DealStage.INTEREST,
        occurred_on=_occurred_on(occurred_on),
        note=deal.note,
    )
    _tell(
        deal,
        actor=actor,
        kind="deal.opened",
        subject=translated(
            gettext_lazy("New deal: %(product)s with %(organisation)s"),
            product=product.name_id,
            organisation=organisation.legal_name,
        ),
        context={"what": "opened"},
    )
    return DealOpening(deal, created=True)


@transaction.atomic
def open_outside_deal(
    *,
    actor: User,
    product: Product | None,
    organisation: Organisation | None,
    stage: str = DealStage.INTEREST,
    occurred_on: date | None = None,
    note: str = "",
) -> Deal:
    """Ministry staff or the product's regional officer enter a deal made outside the portal,
    at the stage it has reached (up to a contract; shipments are recorded as such)."""
    errors: dict[str, str] = {}
    if product is None:
        errors["product"] = _("Choose the product.")
    if organisation is None:
        errors["organisation"] = _("Choose the organisation.")
    if stage not in MANUAL_STAGES:
        errors["stage"] = _("Choose a stage up to the contract; record shipments as shipments.")
    if errors or product is None or organisation is None:
        raise ValidationError(errors)
    if not deal_access.may_record_outside_deal(actor, product):
        raise PermissionDenied
    day = _occurred_on(occurred_on)
    if selectors.open_deal_for(product, organisation) is not None:
        raise ValidationError(
            {"organisation": _("This product and organisation already have an open deal.")}
        )
    opening = open_deal(
        actor=actor,
        product=product,
        organisation=organisation,
        channel=DealChannel.OUTSIDE,
        occurred_on=day,
        note=note,
    )
    deal = opening.deal
    if stage != DealStage.INTEREST:
        _add_step(deal, actor=actor, stage=stage, occurred_on=day)
        _refresh_stage(deal)
    return deal


@transaction.atomic
def record_step(*, actor: User, deal: Deal, data: Mapping[str, Any]) -> DealStep:
    """Either side records a stage the deal reached, with its date: interest, sample sent,
    letter of intent or MoU, contract. Steps may be filled in out of order (a sample recorded
    after the contract); each stage once. Shipment stages come from shipment records."""
    deal = (
        Deal.objects.select_for_update()
        .select_related("product__bumdes", "organisation")
        .get(pk=deal.pk)
    )
    if not deal_access.may_see_deal(actor, deal):
        raise PermissionDenied
    if deal.is_lost:
        raise ValidationError(_("This deal is closed as lost."))
    if not deal_access.may_record(actor, deal):
        raise PermissionDenied
    stage = data.get("stage") or ""
    if stage in (DealStage.FIRST_SHIPMENT, DealStage.REPEAT_SHIPMENTS):
        raise ValidationError(
            {"stage": _("A deal reaches this stage when its shipments are recorded.")}
        )
    if stage == DealStage.LOST:
        raise ValidationError({"stage": _("Close the deal as lost, with the reason.")})
    if stage not in MANUAL_STAGES:
        raise ValidationError({"stage": _("Choose the stage.")})
    errors: dict[str, str] = {}
    volume_kg = value_usd = None
    try:
        volume_kg = decimal_or_none(data.get("volume_kg"), "volume_kg")
        if volume_kg is not None and volume_kg <= 0:
            errors["volume_kg"] = _("The volume must be more than zero.")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        value_usd = decimal_or_none(data.get("value_usd"), "value_usd")
        if value_usd is not None and value_usd < 0:
            errors["value_usd"] = _("The value cannot be negative.")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    destination = data.get("destination")
    if destination is not None and not isinstance(destination, Country):
        errors["destination"] = _("Choose a country.")
    try:
        occurred_on = _occurred_on(data.get("occurred_on"))
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if deal.steps.filter(stage=stage).exists():
        errors["stage"] = _("This deal has already reached this stage.")
    if errors:
        raise ValidationError(errors)
    step = _add_step(
        deal,
        actor=actor,
        stage=stage,
        occurred_on=occurred_on,
        note=(data.get("note") or "").strip(),
        volume_kg=volume_kg,
        value_usd=value_usd,
        destination=destination,
    )
    _refresh_stage(deal)
    _tell(
        deal,
        actor=actor,
        kind="deal.step",
        subject=translated(
            gettext_lazy("Deal %(product)s with %(organisation)s: %(stage)s"),
            product=deal.product.name_id,
            organisation=deal.organisation.legal_name,
            stage=step.get_stage_display,
        ),
        context={"what": "step", "step": step},
    )
    return step


@transaction.atomic
def close_as_lost(
    *,
    actor: User,
    deal: Deal,
    reason: str,
    note: str = "",
    occurred_on: date | None = None,
) -> Deal:
    """Either side closes the deal as lost, saying why (a reason from the list; "other" with
    words). The steps and shipments so far stay in its history."""
    deal = (
        Deal.objects.select_for_update()
        .select_related("product__bumdes", "organisation")
        .get(pk=deal.pk)
    )
    if not deal_access.may_see_deal(actor, deal):
        raise PermissionDenied
    if deal.is_lost:
        raise ValidationError(_("This deal is already closed as lost."))
    if not deal_access.may_record(actor, deal):
        raise PermissionDenied
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if reason not in LostReason.values:
        errors["reason"] = _("Choose why the deal was lost.")
    elif reason == LostReason.OTHER and not note:
        errors["note"] = _("Say what happened.")
    try:
        day = _occurred_on(occurred_on)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _add_step(deal, actor=actor, stage=DealStage.LOST, occurred_on=day, note=note)
    deal.lost_reason = reason
    deal.lost_note = note
    deal.stage = DealStage.LOST
    deal.save(update_fields=["stage", "lost_reason", "lost_note", "updated_at"])
    _tell(
        deal,
        actor=actor,
        kind="deal.lost",
        subject=translated(
            gettext_lazy("Deal %(product)s with %(organisation)s closed as lost"),
            product=deal.product.name_id,
            organisation=deal.organisation.legal_name,
        ),
        context={"what": "lost"},
    )
    return deal


def _positive(data: Mapping[str, Any], field: str, errors: dict[str, str]) -> Decimal | None:
    try:
        number = decimal_or_none(data.get(field), field)
    except ValidationError:
        errors[field] = _("Enter a number.")
        return None
    if number is not None and number <= 0:
        errors[field] = _("Give a number more than zero.")
        return None
    return number


def shipment_defaults(deal: Deal) -> dict[str, Any]:
    """What a new shipment form starts from: the product's subheading and unit, the last
    shipment's destination, gateway and exchange rate."""
    last = deal.shipments.order_by("-shipped_on", "-id").first()
    return {
        "hs_code": deal.product.hs_code_id,
        "unit": deal.product.unit,
        "destination": last.destination_id if last else None,
        "gateway": last.gateway_id if last else None,
        "idr_per_usd": last.idr_per_usd if last else None,
    }


@transaction.atomic
def record_shipment(*, actor: User, deal: Deal, data: Mapping[str, Any]) -> Shipment:
    """Either side records a shipment. ``data``: ``shipped_on``, ``quantity`` (in the product's
    unit), ``volume`` (kg or litres; worked out from the quantity where the unit converts),
    ``value_usd``, ``idr_per_usd``, ``destination`` (a Country), ``gateway`` (an export gateway),
    optional ``hs_code`` (the product's subheading by default), ``peb_number``, ``coo_number``,
    ``note``. The first shipment moves the deal to "first shipment", the second to "repeat
    shipments"."""
    deal = (
        Deal.objects.select_for_update()
        .select_related("product__bumdes", "product__hs_code", "organisation")
        .get(pk=deal.pk)
    )
    if not deal_access.may_see_deal(actor, deal):
        raise PermissionDenied
    if deal.is_lost:
        raise ValidationError(_("This deal is closed as lost."))
    if not deal_access.may_record(actor, deal):
        raise PermissionDenied
    product = deal.product
    errors: dict[str, str] = {}
    try:
        shipped_on = (
            _occurred_on(data.get("shipped_on"), "shipped_on") if data.get("shipped_on") else None
        )
        if shipped_on is None:
            errors["shipped_on"] = _("Give the shipment date.")
    except ValidationError as error:
        shipped_on = None
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    quantity = _positive(data, "quantity", errors)
    if quantity is None and "quantity" not in errors:
        errors["quantity"] = _("Give the quantity shipped.")
    base = UNIT_BASE.get(product.unit)
    volume = _positive(data, "volume", errors)
    volume_unit = "kg"
    if base is not None:
        volume_unit = base[0]
        if quantity is not None:
            volume = (quantity * base[1]).quantize(Decimal("0.001"))
    else:
        volume_unit = data.get("volume_unit") or "kg"
        if volume_unit not in Shipment.MetricUnit.values:
            errors["volume_unit"] = _("Choose kg or litres.")
        if volume is None and "volume" not in errors:
            errors["volume"] = _("Give the weight (kg) or volume (litres) shipped.")
    value_usd = _positive(data, "value_usd", errors)
    if value_usd is None and "value_usd" not in errors:
        errors["value_usd"] = _("Give the value in USD.")
    idr_per_usd = _positive(data, "idr_per_usd", errors)
    if idr_per_usd is None and "idr_per_usd" not in errors:
        errors["idr_per_usd"] = _("Give the exchange rate used (rupiah per US dollar).")
    destination = data.get("destination")
    if not isinstance(destination, Country):
        errors["destination"] = _("Choose the destination country.")
    elif destination.pk == INDONESIA:
        errors["destination"] = _("An export goes to a country other than Indonesia.")
    gateway = data.get("gateway")
    if not isinstance(gateway, ExportGateway):
        errors["gateway"] = _("Choose the export gateway (port or airport).")
    hs_code = data.get("hs_code") or product.hs_code
    if isinstance(hs_code, str):
        hs_code = HsCode.objects.filter(pk=hs_code.strip()).first()
    if not isinstance(hs_code, HsCode) or hs_code.level != HsCode.Level.SUBHEADING:
        errors["hs_code"] = _("Give a six-digit HS subheading.")
    texts = {
        name: (str(data.get(name) or "")).strip() for name in ("peb_number", "coo_number", "note")
    }
    for name in ("peb_number", "coo_number"):
        if len(texts[name]) > 40:
            errors[name] = _("At most 40 characters.")
    if errors:
        raise ValidationError(errors)
    assert value_usd is not None and idr_per_usd is not None  # checked above
    shipment = Shipment(
        deal=deal,
        shipped_on=shipped_on,
        hs_code=hs_code,
        quantity=quantity,
        unit=product.unit,
        volume=volume,
        volume_unit=volume_unit,
        value_usd=value_usd,
        idr_per_usd=idr_per_usd,
        value_idr=(value_usd * idr_per_usd).quantize(Decimal(1), rounding=ROUND_HALF_UP),
        destination=destination,
        gateway=gateway,
        recorded_by=actor,
        **texts,
    )
    shipment.full_clean(exclude=["deal", "hs_code", "destination", "gateway", "recorded_by"])
    shipment.save()
    _after_shipment(deal, actor=actor)
    _tell(
        deal,
        actor=actor,
        kind="deal.shipment",
        subject=translated(
            gettext_lazy("Shipment recorded: %(product)s to %(country)s"),
            product=product.name_id,
            country=destination.name_en if isinstance(destination, Country) else "",
        ),
        context={"what": "shipment", "shipment": shipment},
    )
    return shipment


def _after_shipment(deal: Deal, *, actor: User) -> None:
    """The first shipment record moves the deal to "first shipment", the second to "repeat
    shipments" (each step dated by its shipment)."""
    dates = list(deal.shipments.order_by("shipped_on", "id").values_list("shipped_on", flat=True))
    reached = set(deal.steps.values_list("stage", flat=True))
    if dates and DealStage.FIRST_SHIPMENT not in reached:
        _add_step(deal, actor=actor, stage=DealStage.FIRST_SHIPMENT, occurred_on=dates[0])
    if len(dates) >= 2 and DealStage.REPEAT_SHIPMENTS not in reached:
        _add_step(deal, actor=actor, stage=DealStage.REPEAT_SHIPMENTS, occurred_on=dates[1])
    _refresh_stage(deal)
