"""Buying requests (requests for quotation) and the offers that answer them.

An organisation posts what it wants to buy under an HS heading or subheading; the product side of
verified or export-ready products under the same heading is told, and answers with offers; the
posting organisation accepts or declines them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from bumdes_export.reference.models import HsCode
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors
from matchmaking.dealings.models import BuyingRequest, Offer
from matchmaking.services import (
    currency_code,
    full_clean,
    product_side_people,
    save_new,
    tell,
)
from products.models import Incoterm, Product, Unit

#: How far ahead a buying request may run.
BUYING_REQUEST_MAX_DAYS = 365

#: What the posting organisation writes on a buying request (pages and API send these).
BUYING_REQUEST_FIELDS = (
    "title",
    "hs_code",
    "description",
    "quantity",
    "unit",
    "destination",
    "target_price",
    "currency",
    "incoterm",
    "valid_until",
)
#: What the product side writes on an offer, besides the product.
OFFER_FIELDS = ("price", "currency", "incoterm", "quantity", "unit", "message")


def _buying_request_link(buying_request: BuyingRequest) -> str:
    return reverse("matchmaking:buying_request_detail", args=[buying_request.pk])


def _check_buying_request(buying_request: BuyingRequest, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    hs = buying_request.hs_code if buying_request.hs_code_id else None
    if hs is None:
        errors["hs_code"] = _("Choose an HS heading or subheading.")
    elif hs.level not in (HsCode.Level.HEADING, HsCode.Level.SUBHEADING):
        errors["hs_code"] = _(
            "%(code)s is an HS chapter; choose a heading (4 digits) or subheading (6 digits)."
        ) % {"code": hs.code}
    if buying_request.quantity is None or buying_request.quantity <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if buying_request.target_price is not None and buying_request.target_price < 0:
        errors["target_price"] = _("The target price cannot be negative.")
    if buying_request.valid_until is None:
        errors["valid_until"] = _("Say until when the request is valid.")
    elif buying_request.valid_until <= today:
        errors["valid_until"] = _("The request must be valid until a date after today.")
    elif buying_request.valid_until > today + timedelta(days=BUYING_REQUEST_MAX_DAYS):
        errors["valid_until"] = _("A buying request runs for at most a year.")
    if buying_request.unit not in Unit.values:
        errors["unit"] = _("Choose a unit.")
    if buying_request.incoterm not in Incoterm.values:
        errors["incoterm"] = _("Choose an Incoterm.")
    if errors:
        raise ValidationError(errors)


def _apply(instance: Model, data: Mapping[str, Any], fields: tuple[str, ...]) -> list[str]:
    """Set the given fields from ``data``; return the names of those that changed."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        if name == "currency":
            value = currency_code(value)
        elif isinstance(value, str):
            value = value.strip()
        raw = value.pk if field.is_relation and value is not None else value
        attname = getattr(field, "attname", name)
        if getattr(instance, attname) != raw:
            setattr(instance, attname, raw)
            changed.append(name)
    return changed


@transaction.atomic
def create_buying_request(*, actor: User, data: Mapping[str, Any]) -> BuyingRequest:
    """A verified organisation posts what it wants to buy; matching suppliers are told."""
    organisation = access.acting_organisation(actor)
    buying_request = BuyingRequest(organisation=organisation, created_by=actor)
    _apply(buying_request, data, BUYING_REQUEST_FIELDS)
    if not buying_request.title and buying_request.hs_code_id:
        buying_request.title = _("Buying %(hs)s") % {
            "hs": Truncator(buying_request.hs_code.description).chars(150)
        }
    _check_buying_request(buying_request)
    full_clean(buying_request, exclude=["organisation"])
    buying_request.save()
    tell(
        selectors.responders_for(buying_request),
        actor=actor,
        kind="buying_request.new",
        subject=translated(
            gettext_lazy("New buying request for HS %(hs)s: %(title)s"),
            hs=buying_request.hs_code_id,
            title=buying_request.title,
        ),
        template="matchmaking/email/buying_request_new.txt",
        context={"buying_request": buying_request, "actor": actor},
        link=_buying_request_link(buying_request),
    )
    return buying_request


@transaction.atomic
def update_buying_request(
    *, actor: User, buying_request: BuyingRequest, data: Mapping[str, Any]
) -> BuyingRequest:
    """The posting organisation edits its request; a new date revives an expired one."""
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not dealings_access.may_manage_buying_request(actor, buying_request):
        raise PermissionDenied
    if buying_request.status == BuyingRequest.Status.CLOSED:
        raise ValidationError(_("A closed buying request cannot be changed."))
    changed = _apply(buying_request, data, BUYING_REQUEST_FIELDS)
    if not changed:
        return buying_request
    _check_buying_request(buying_request)
    full_clean(buying_request, exclude=["organisation"])
    if buying_request.status == BuyingRequest.Status.EXPIRED:
        buying_request.status = BuyingRequest.Status.OPEN
    buying_request.save()
    return buying_request


@transaction.atomic
def close_buying_request(*, actor: User, buying_request: BuyingRequest) -> BuyingRequest:
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not dealings_access.may_manage_buying_request(actor, buying_request):
        raise PermissionDenied
    if buying_request.status == BuyingRequest.Status.CLOSED:
        return buying_request
    buying_request.status = BuyingRequest.Status.CLOSED
    buying_request.save(update_fields=["status", "updated_at"])
    return buying_request


def expire_buying_requests(today: date | None = None) -> int:
    """Mark open requests past their date as expired (daily; idempotent)."""
    today = today or timezone.localdate()
    return BuyingRequest.objects.filter(
        status=BuyingRequest.Status.OPEN, valid_until__lt=today
    ).update(status=BuyingRequest.Status.EXPIRED, updated_at=timezone.now())


# --- Offers ----------------------------------------------------------------------------------


def _check_offered_product(
    actor: User, buying_request: BuyingRequest, product: Product | None
) -> Product:
    if product is None:
        raise ValidationError({"product": _("Choose the product you offer.")})
    if not access.is_product_side(actor, product):
        raise ValidationError({"product": _("You can only offer products of your own side.")})
    if selectors.effective_status(buying_request) != BuyingRequest.Status.OPEN:
        raise ValidationError(_("This buying request no longer takes offers."))
    if product.status not in selectors.OFFERABLE_STATUSES:
        raise ValidationError(
            {"product": _("Only verified or export-ready products can be offered.")}
        )
    if not product.hs_code_id.startswith(buying_request.heading):
        raise ValidationError(
            {
                "product": _("The product's HS code %(code)s is not under heading %(heading)s.")
                % {"code": product.hs_code_id, "heading": buying_request.heading}
            }
        )
    return product


def _price_and_quantity(data: Mapping[str, Any]) -> tuple[Decimal | int | str, Decimal | int | str]:
    """The offer's price and quantity as given (numbers or numeric strings), once checked."""
    errors = {}
    price = data.get("price")
    quantity = data.get("quantity")
    if price is None:
        errors["price"] = _("Give a price per unit.")
    elif Decimal(price) < 0:
        errors["price"] = _("The price cannot be negative.")
    if quantity is None or Decimal(quantity) <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if errors or price is None or quantity is None:
        raise ValidationError(errors)
    return price, quantity


@transaction.atomic
def make_offer(
    *,
    actor: User,
    buying_request: BuyingRequest,
    product: Product | None,
    data: Mapping[str, Any],
) -> Offer:
    """The product side answers a buying request with one of its products."""
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not dealings_access.may_make_offers(actor):
        raise PermissionDenied
    product = _check_offered_product(actor, buying_request, product)
    price, quantity = _price_and_quantity(data)
    offer = Offer(
        buying_request=buying_request,
        product=product,
        price=price,
        currency=currency_code(data.get("currency") or product.currency or buying_request.currency),
        incoterm=data.get("incoterm") or buying_request.incoterm,
        quantity=quantity,
        unit=data.get("unit") or buying_request.unit,
        message=(data.get("message") or "").strip(),
        created_by=actor,
    )
    if Offer.objects.filter(
        buying_request=buying_request, product=product, status=Offer.Status.SUBMITTED
    ).exists():
        raise ValidationError(
            {
                "product": _(
                    "This product already has an offer waiting for an answer on this request."
                )
            }
        )
    full_clean(offer, exclude=["buying_request", "product"])
    save_new(offer, {"product": _("This product already has an offer on this request.")})
    tell(
        selectors.members_of(buying_request.organisation),
        actor=actor,
        kind="offer.new",
        subject=translated(
            gettext_lazy("New offer on your buying request: %(title)s"),
            title=buying_request.title,
        ),
        template="matchmaking/email/offer_new.txt",
        context={"offer": offer, "buying_request": buying_request, "actor": actor},
        link=_buying_request_link(buying_request),
    )
    return offer


@transaction.atomic
def decide_offer(*, actor: User, offer: Offer, accept: bool) -> Offer:
    """The requesting organisation accepts or declines an offer; the product side is told."""
    offer = (
        Offer.objects.select_for_update()
        .select_related("buying_request__organisation", "product__bumdes")
        .get(pk=offer.pk)
    )
    if not dealings_access.may_manage_buying_request(actor, offer.buying_request):
        raise PermissionDenied
    if offer.status != Offer.Status.SUBMITTED:
        raise ValidationError(
            {
                "status": _("This offer was already %(status)s.")
                % {"status": offer.get_status_display().lower()}
            }
        )
    if offer.buying_request.status == BuyingRequest.Status.CLOSED:
        raise ValidationError(_("This buying request is closed."))
    offer.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    offer.decided_at = timezone.now()
    offer.decided_by = actor
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    status = Offer.Status(offer.status)
    tell(
        product_side_people(offer.product),
        actor=actor,
        kind=f"offer.{offer.status}",
        subject=lazy(
            lambda: (
                _("Your offer of %(product)s was %(status)s")
                % {"product": offer.product.name_id, "status": str(status.label).lower()}
            ),
            str,
        )(),
        template="matchmaking/email/offer_decided.txt",
        context={"offer": offer, "buying_request": offer.buying_request, "actor": actor},
        link=_buying_request_link(offer.buying_request),
    )
    return offer
