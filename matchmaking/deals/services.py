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
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import DecimalValidator
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import translated
from bumdes_export.reference.models import Country, ExportGateway, HsCode
from exporters.models import Organisation
from matchmaking import access
from matchmaking.deals import access as deal_access
from matchmaking.deals import events, selectors
from matchmaking.deals.models import (
    MANUAL_STAGES,
    SHIPMENT_STAGES,
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
    """A date given as a date or ISO text, not in the future; today when left empty."""
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({field: _("Enter a valid date.")}) from None
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def _text(data: Mapping[str, Any], field: str) -> str:
    value = data.get(field)
    return str(value).strip() if value is not None else ""


def _collect(errors: dict[str, str], error: ValidationError) -> None:
    """Add a field-keyed ``ValidationError`` to ``errors`` (first message of each field)."""
    errors.update({name: messages[0] for name, messages in error.message_dict.items()})


def _number(
    data: Mapping[str, Any],
    field: str,
    errors: dict[str, str],
    *,
    model: type[Model],
    zero: bool = False,
) -> Decimal | None:
    """The number given for ``field`` (None when left empty): more than zero (or zero too, with
    ``zero``) and within the digits of the model's field of that name, or a field error."""
    try:
        number = decimal_or_none(data.get(field), field)
    except ValidationError:
        errors[field] = _("Enter a number.")
        return None
    if number is None:
        return None
    if number < 0 or (number == 0 and not zero):
        errors[field] = (
            _("The value cannot be negative.") if zero else _("Give a number more than zero.")
        )
        return None
    if not _fits(number, model, field, errors, field):
        return None
    return number


def _fits(number: Decimal, model: type[Model], name: str, errors: dict[str, str], key: str) -> bool:
    """Whether ``number`` fits the digits of ``model``'s decimal field ``name``; an error on
    ``key`` otherwise."""
    column = model._meta.get_field(name)
    assert isinstance(column, DecimalField)
    try:
        DecimalValidator(column.max_digits, column.decimal_places)(number)
    except ValidationError as error:
        errors[key] = error.messages[0]
        return False
    return True


def _check_records(actor: User, deal: Deal) -> None:
    """The actor may record into the deal: a 403 for whoever does not see it or only reads it
    (an unverified organisation's members are told why); a 400 once it is closed as lost."""
    viewer = access.Viewer(actor)
    if deal_access.deal_side(actor, deal, viewer) is None:
        raise PermissionDenied
    if not deal_access.acts_on_deal(actor, deal, viewer):
        raise access.refusal(actor, deal.organisation)
    if deal.is_lost:
        raise ValidationError(_("This deal is closed as lost."))


def _locked(deal: Deal) -> Deal:
    return (
        Deal.objects.select_for_update()
        .select_related("product__bumdes", "product__hs_code", "organisation")
        .get(pk=deal.pk)
    )


def _refresh_stage(deal: Deal) -> Deal:
    """The deal's stage is the furthest step recorded (or lost, which closes it)."""
    reached = set(deal.steps.values_list("stage", flat=True))
    if DealStage.LOST in reached:
        deal.stage = DealStage.LOST
    else:
        deal.stage = max(reached, key=STAGE_ORDER.index) if reached else DealStage.INTEREST
    deal.save(update_fields=["stage", "updated_at"])
    return deal


def _add_step(deal: Deal, *, actor: User, stage: str, occurred_on: date, **values: Any) -> DealStep:
    """A step of ``stage`` (``values``: its note, volume_kg, value_usd, destination)."""
    step = DealStep(deal=deal, stage=stage, occurred_on=occurred_on, recorded_by=actor, **values)
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError:
        raise ValidationError({"stage": _("This deal has already reached this stage.")}) from None
    events.announce_deal(deal.pk, deal.product_id)
    return step


#: The origin field and model each channel names (a deal made outside the portal names none).
ORIGINS: dict[str, tuple[str, str]] = {
    DealChannel.FORUM_MEETING: ("meeting", "matchmaking.meeting"),
    DealChannel.INQUIRY: ("inquiry", "matchmaking.inquiry"),
    DealChannel.SAMPLE_REQUEST: ("inquiry", "matchmaking.inquiry"),
    DealChannel.OFFER: ("offer", "matchmaking.offer"),
}


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
    origin_field, origin_label = ORIGINS.get(channel, (None, None))
    if (origin_field is None) != (origin is None) or (
        origin is not None and origin._meta.label_lower != origin_label
    ):
        raise ValidationError(_("A deal names the record it started from."))
    if origin_field is not None:
        links[origin_field] = origin
    day = _occurred_on(occurred_on)
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
    _add_step(deal, actor=actor, stage=DealStage.INTEREST, occurred_on=day, note=deal.note)
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
    at the stage it has reached (up to a contract; shipments are recorded as such). A product
    and organisation with an open deal already record into that one (a field error here)."""
    if not deal_access.may_record_outside_deal(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if product is None:
        errors["product"] = _("Choose the product.")
    if organisation is None:
        errors["organisation"] = _("Choose the organisation.")
    if stage not in MANUAL_STAGES:
        errors["stage"] = _("Choose a stage up to the contract; record shipments as shipments.")
    try:
        day = _occurred_on(occurred_on)
    except ValidationError as error:
        _collect(errors, error)
    if errors or product is None or organisation is None:
        raise ValidationError(errors)
    if not deal_access.may_record_outside_deal(actor, product):
        raise PermissionDenied
    if not selectors.outside_deal_products(actor).filter(pk=product.pk).exists():
        errors["product"] = _("Only a verified or export-ready product can have a deal.")
    if not selectors.deal_organisations().filter(pk=organisation.pk).exists():
        errors["organisation"] = _(
            "Choose a verified exporter, aggregator or buyer (not a service provider)."
        )
    if errors:
        raise ValidationError(errors)
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
    if not opening.created:  # opened by someone else a moment ago
        raise ValidationError(
            {"organisation": _("This product and organisation already have an open deal.")}
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
    after the contract); each stage once. Shipment stages come from shipment records.

    ``data``: ``stage``, ``occurred_on`` (today when left out; not in the future), optional
    ``volume_kg``, ``value_usd``, ``destination`` (a Country) and ``note``."""
    deal = _locked(deal)
    _check_records(actor, deal)
    stage = data.get("stage") or ""
    if stage in SHIPMENT_STAGES:
        raise ValidationError(
            {"stage": _("A deal reaches this stage when its shipments are recorded.")}
        )
    if stage == DealStage.LOST:
        raise ValidationError({"stage": _("Close the deal as lost, with the reason.")})
    if stage not in MANUAL_STAGES:
        raise ValidationError({"stage": _("Choose the stage.")})
    errors: dict[str, str] = {}
    volume_kg = _number(data, "volume_kg", errors, model=DealStep)
    value_usd = _number(data, "value_usd", errors, model=DealStep, zero=True)
    destination = data.get("destination")
    if destination is not None and not isinstance(destination, Country):
        errors["destination"] = _("Choose a country.")
    try:
        occurred_on = _occurred_on(data.get("occurred_on"))
    except ValidationError as error:
        _collect(errors, error)
    if deal.steps.filter(stage=stage).exists():
        errors["stage"] = _("This deal has already reached this stage.")
    if errors:
        raise ValidationError(errors)
    step = _add_step(
        deal,
        actor=actor,
        stage=stage,
        occurred_on=occurred_on,
        note=_text(data, "note"),
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
    deal = _locked(deal)
    _check_records(actor, deal)
    note = str(note or "").strip()
    errors: dict[str, str] = {}
    if reason not in LostReason.values:
        errors["reason"] = _("Choose why the deal was lost.")
    elif reason == LostReason.OTHER and not note:
        errors["note"] = _("Say what happened.")
    try:
        day = _occurred_on(occurred_on)
    except ValidationError as error:
        _collect(errors, error)
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


def _required(value: object, field: str, errors: dict[str, str], message: str) -> None:
    if value is None and field not in errors:
        errors[field] = message


@transaction.atomic
def record_shipment(*, actor: User, deal: Deal, data: Mapping[str, Any]) -> Shipment:
    """Either side records a shipment. ``data``: ``shipped_on``, ``quantity`` (in the product's
    unit), ``volume`` (kg or litres; worked out from the quantity where the unit converts),
    ``value_usd``, ``idr_per_usd``, ``destination`` (a Country) and ``gateway`` (an export
    gateway), optional ``hs_code`` (the product's subheading by default), ``peb_number``,
    ``coo_number``, ``note``. The first shipment moves the deal to "first shipment", the second
    to "repeat shipments"."""
    deal = _locked(deal)
    _check_records(actor, deal)
    product = deal.product
    errors: dict[str, str] = {}
    shipped_on: date | None = None
    if data.get("shipped_on") in (None, ""):
        errors["shipped_on"] = _("Give the shipment date.")
    else:
        try:
            shipped_on = _occurred_on(data.get("shipped_on"), "shipped_on")
        except ValidationError as error:
            _collect(errors, error)
    quantity = _number(data, "quantity", errors, model=Shipment)
    _required(quantity, "quantity", errors, _("Give the quantity shipped."))
    base = UNIT_BASE.get(product.unit)
    volume: Decimal | None = None
    if base is not None:
        # The product's unit converts: the volume follows from the quantity.
        volume_unit = base[0]
        if quantity is not None:
            volume = (quantity * base[1]).quantize(Decimal("0.001"))
            if not _fits(volume, Shipment, "volume", errors, "quantity"):
                volume = None
    else:
        volume = _number(data, "volume", errors, model=Shipment)
        _required(volume, "volume", errors, _("Give the weight (kg) or volume (litres) shipped."))
        volume_unit = _text(data, "volume_unit") or Shipment.MetricUnit.KG
        if volume_unit not in Shipment.MetricUnit.values:
            errors["volume_unit"] = _("Choose kg or litres.")
    value_usd = _number(data, "value_usd", errors, model=Shipment)
    _required(value_usd, "value_usd", errors, _("Give the value in USD."))
    idr_per_usd = _number(data, "idr_per_usd", errors, model=Shipment)
    _required(
        idr_per_usd, "idr_per_usd", errors, _("Give the exchange rate used (rupiah per US dollar).")
    )
    value_idr: Decimal | None = None
    if value_usd is not None and idr_per_usd is not None:
        value_idr = (value_usd * idr_per_usd).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if not _fits(value_idr, Shipment, "value_idr", errors, "value_usd"):
            value_idr = None
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
    texts = {name: _text(data, name) for name in ("peb_number", "coo_number", "note")}
    for name in ("peb_number", "coo_number"):
        if len(texts[name]) > 40:
            errors[name] = _("At most 40 characters.")
    if errors:
        raise ValidationError(errors)
    # Checked above (for the type checker).
    assert shipped_on and quantity and volume and value_usd and isinstance(destination, Country)
    shipment = Shipment(
        deal=deal,
        bumdes_id=product.bumdes_id,
        village_id=product.bumdes.village_id,
        organisation_id=deal.organisation_id,
        shipped_on=shipped_on,
        hs_code=hs_code,
        quantity=quantity,
        unit=product.unit,
        volume=volume,
        volume_unit=volume_unit,
        value_usd=value_usd,
        idr_per_usd=idr_per_usd,
        value_idr=value_idr,
        destination=destination,
        gateway=gateway,
        recorded_by=actor,
        **texts,
    )
    shipment.full_clean(
        exclude=[
            "deal",
            "bumdes",
            "village",
            "organisation",
            "hs_code",
            "destination",
            "gateway",
            "recorded_by",
        ]
    )
    shipment.save()
    events.announce_deal(deal.pk, deal.product_id)
    _after_shipment(deal, actor=actor)
    _tell(
        deal,
        actor=actor,
        kind="deal.shipment",
        subject=translated(
            gettext_lazy("Shipment recorded: %(product)s to %(country)s"),
            product=product.name_id,
            country=lambda: destination.localized_name(get_language() or "id"),
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
