"""Writes of matchmaking: shortlists, inquiries, buying requests and offers, service requests.

Every write checks who may do it (``matchmaking.access``; ``PermissionDenied`` otherwise), what a
valid record is (``ValidationError`` with field messages) and tells the other side through
``bumdes_export.notifications.services.notify`` (email, in the recipient's language, sent after
commit). The author of a message or change is never notified of it.

Inquiry statuses: a new inquiry is *open*; a reply from the product side makes it *answered*; a
follow-up from the exporter on an answered inquiry makes it *open* again (the product side owes
an answer); the product side marks a sample request *sample sent*; either side *closes* it, and a
closed conversation takes no more messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import notify, translated
from bumdes_export.reference.models import HsCode
from exporters.models import Organisation, Service
from matchmaking import access
from matchmaking.dealings import selectors
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)
from products.models import Incoterm, Product, Unit
from products.services import people_concerned

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {b"%PDF-": ".pdf", b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}
#: How far ahead a buying request may run.
BUYING_REQUEST_MAX_DAYS = 365

# (from, to): who moves a service request — the "provider" or the "requester" side.
SERVICE_TRANSITIONS: dict[tuple[str, str], str] = {
    (ServiceRequest.Status.REQUESTED, ServiceRequest.Status.ACCEPTED): "provider",
    (ServiceRequest.Status.REQUESTED, ServiceRequest.Status.DECLINED): "provider",
    (ServiceRequest.Status.ACCEPTED, ServiceRequest.Status.IN_PROGRESS): "provider",
    (ServiceRequest.Status.ACCEPTED, ServiceRequest.Status.COMPLETED): "provider",
    (ServiceRequest.Status.IN_PROGRESS, ServiceRequest.Status.COMPLETED): "provider",
    (ServiceRequest.Status.REQUESTED, ServiceRequest.Status.CANCELLED): "requester",
    (ServiceRequest.Status.ACCEPTED, ServiceRequest.Status.CANCELLED): "requester",
    (ServiceRequest.Status.IN_PROGRESS, ServiceRequest.Status.CANCELLED): "requester",
}
#: A status change to these says why, in a note.
SERVICE_NEEDS_REASON = {ServiceRequest.Status.DECLINED, ServiceRequest.Status.CANCELLED}


# --- Helpers ---------------------------------------------------------------------------------


def _tell(
    users: Iterable[User],
    *,
    actor,
    kind: str,
    subject,
    template: str,
    context: dict,
    link: str,
) -> int:
    """Notify each active user once, except the actor. Returns how many were told."""
    seen = {getattr(actor, "pk", None)}
    told = 0
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(user, kind=kind, subject=subject, template=template, context=context, link=link)
        told += 1
    return told


def members_of(organisation: Organisation) -> list[User]:
    return [
        m.user for m in organisation.memberships.select_related("user").filter(user__is_active=True)
    ]


def validated_attachment(upload: UploadedFile, *, field: str) -> tuple[ContentFile, str]:
    """A PDF, JPEG or PNG file of at most 10 MB, recognised by its first bytes (not its name).

    Returns the file under a server-made name and the original name, for display.
    """
    if upload.size is not None and upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({field: _("The file may be at most 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    for magic, extension in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            content = upload.read()
            if len(content) > ATTACHMENT_MAX_BYTES:
                raise ValidationError({field: _("The file may be at most 10 MB.")})
            original = PurePosixPath((upload.name or "").replace("\\", "/")).name[:200]
            return ContentFile(content, name=f"file{extension}"), original or f"file{extension}"
    raise ValidationError({field: _("Attach a PDF, JPEG or PNG file.")})


def _clean_text(value: str | None, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _full_clean(instance, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude, validate_constraints=True)


def _save_new(instance, message) -> None:
    """Save a new row; a constraint broken by a concurrent write becomes a ValidationError."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(message) from None


def _currency(value: str | None) -> str:
    code = (value or "USD").strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise ValidationError({"currency": _("Give the currency as a three-letter ISO code.")})
    return code


def _check_choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})
    return value


# --- Shortlist -------------------------------------------------------------------------------


def _require_export_ready(product: Product, field: str = "product") -> None:
    if product.status != Product.Status.EXPORT_READY:
        raise ValidationError({field: _("Only export-ready products are open to exporters.")})


@transaction.atomic
def add_to_shortlist(*, actor, product: Product, note: str = "") -> ShortlistEntry:
    organisation = access.acting_organisation(actor)
    _require_export_ready(product)
    if ShortlistEntry.objects.filter(organisation=organisation, product=product).exists():
        raise ValidationError({"product": _("This product is already on your shortlist.")})
    entry = ShortlistEntry(
        organisation=organisation, product=product, added_by=actor, note=(note or "").strip()
    )
    _full_clean(entry, exclude=["organisation", "product"])
    _save_new(entry, {"product": _("This product is already on your shortlist.")})
    return entry


@transaction.atomic
def remove_from_shortlist(*, actor, entry: ShortlistEntry) -> None:
    if not access.is_member(actor, entry.organisation):
        raise PermissionDenied
    entry.delete()


# --- Inquiries -------------------------------------------------------------------------------


def _inquiry_link(inquiry: Inquiry) -> str:
    return reverse("matchmaking:inquiry_detail", args=[inquiry.pk])


def _exporter_side(inquiry: Inquiry) -> list[User]:
    return members_of(inquiry.organisation)


def _product_side(product: Product) -> list[User]:
    return people_concerned(product.bumdes)


def inquiry_side(user, inquiry: Inquiry, viewer: access.Viewer | None = None) -> str | None:
    """``exporter`` or ``product`` when the user may write in this conversation, else None."""
    viewer = viewer or access.Viewer(user)
    if viewer.acts_for(inquiry.organisation):
        return InquiryMessage.Side.EXPORTER
    if viewer.is_product_side(inquiry.product):
        return InquiryMessage.Side.PRODUCT
    return None


def default_subject(kind: str, product: Product) -> str:
    name = product.name_en or product.name_id
    labels = {
        Inquiry.Kind.INQUIRY: _("Inquiry about %(product)s"),
        Inquiry.Kind.SAMPLE_REQUEST: _("Sample request: %(product)s"),
        Inquiry.Kind.INTEREST: _("Interest in %(product)s"),
    }
    return (labels.get(kind) or labels[Inquiry.Kind.INQUIRY]) % {"product": name}


@transaction.atomic
def start_inquiry(
    *,
    actor,
    product: Product,
    kind: str = Inquiry.Kind.INQUIRY,
    subject: str = "",
    body: str = "",
    attachment: UploadedFile | None = None,
) -> Inquiry:
    """A verified exporter asks about an export-ready product; the product side is told."""
    organisation = access.acting_organisation(actor)
    _check_choice(kind, Inquiry.Kind, "kind")
    _require_export_ready(product)
    body = _clean_text(body, "body", _("Write a message."))
    subject = (subject or "").strip()[:200] or default_subject(kind, product)
    if selectors.active_inquiry(organisation, product, kind):
        raise ValidationError(
            {
                "kind": _(
                    "Your organisation already has an active %(kind)s about this product; "
                    "continue that conversation."
                )
                % {"kind": Inquiry.Kind(kind).label.lower()}
            }
        )
    file = _attachment(attachment, "attachment")
    inquiry = Inquiry(
        kind=kind, product=product, organisation=organisation, created_by=actor, subject=subject
    )
    _full_clean(inquiry, exclude=["product", "organisation"])
    _save_new(
        inquiry,
        {"kind": _("Your organisation already has an active conversation of this kind.")},
    )
    message = _add_message(inquiry, actor, InquiryMessage.Side.EXPORTER, body, file)
    _tell(
        _product_side(product),
        actor=actor,
        kind=f"inquiry.new.{kind}",
        subject=translated(
            gettext_lazy("New %(kind)s from %(organisation)s: %(product)s"),
            kind=_lower_label(inquiry.get_kind_display),
            organisation=organisation.legal_name,
            product=product.name_id,
        ),
        template="matchmaking/email/inquiry_new.txt",
        context={"inquiry": inquiry, "message": message, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return inquiry


def _lower_label(getter):
    return lazy(lambda: str(getter()).lower(), str)()


def _attachment(upload: UploadedFile | None, field: str) -> tuple[ContentFile, str] | None:
    if not upload:
        return None
    return validated_attachment(upload, field=field)


def _add_message(
    inquiry: Inquiry, actor, side: str, body: str, file: tuple[ContentFile, str] | None
) -> InquiryMessage:
    message = InquiryMessage(inquiry=inquiry, author=actor, side=side, body=body)
    if file:
        content, original = file
        message.attachment.save(content.name, content, save=False)
        message.attachment_name = original
    message.save()
    return message


@transaction.atomic
def post_message(
    *, actor, inquiry: Inquiry, body: str, attachment: UploadedFile | None = None
) -> InquiryMessage:
    """A message in the conversation, from either side; the other side is told."""
    inquiry = (
        Inquiry.objects.select_for_update().select_related("product__bumdes").get(pk=inquiry.pk)
    )
    side = inquiry_side(actor, inquiry)
    if side is None:
        if access.is_pending_exporter(actor) and access.is_member(actor, inquiry.organisation):
            raise PermissionDenied(str(access.VERIFICATION_PENDING))
        raise PermissionDenied
    if inquiry.is_closed:
        raise ValidationError({"body": _("This conversation is closed.")})
    body = _clean_text(body, "body", _("Write a message."))
    file = _attachment(attachment, "attachment")
    message = _add_message(inquiry, actor, side, body, file)
    old = inquiry.status
    if side == InquiryMessage.Side.PRODUCT and old == Inquiry.Status.OPEN:
        inquiry.status = Inquiry.Status.ANSWERED
    elif side == InquiryMessage.Side.EXPORTER and old == Inquiry.Status.ANSWERED:
        inquiry.status = Inquiry.Status.OPEN
    inquiry.last_activity_at = timezone.now()
    inquiry.save(update_fields=["status", "last_activity_at"])
    others = (
        _product_side(inquiry.product)
        if side == InquiryMessage.Side.EXPORTER
        else _exporter_side(inquiry)
    )
    _tell(
        others,
        actor=actor,
        kind="inquiry.message",
        subject=translated(gettext_lazy("New message: %(subject)s"), subject=inquiry.subject),
        template="matchmaking/email/inquiry_message.txt",
        context={"inquiry": inquiry, "message": message, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return message


def inquiry_transitions(user, inquiry: Inquiry, viewer: access.Viewer | None = None) -> list[str]:
    """The statuses this user may set on the inquiry now."""
    side = inquiry_side(user, inquiry, viewer)
    if side is None or inquiry.is_closed:
        return []
    targets = []
    if (
        side == InquiryMessage.Side.PRODUCT
        and inquiry.kind == Inquiry.Kind.SAMPLE_REQUEST
        and inquiry.status in (Inquiry.Status.OPEN, Inquiry.Status.ANSWERED)
    ):
        targets.append(Inquiry.Status.SAMPLE_SENT)
    targets.append(Inquiry.Status.CLOSED)
    return targets


@transaction.atomic
def set_inquiry_status(*, actor, inquiry: Inquiry, to: str) -> Inquiry:
    """The product side marks a sample sent; either side closes the conversation."""
    inquiry = (
        Inquiry.objects.select_for_update().select_related("product__bumdes").get(pk=inquiry.pk)
    )
    _check_choice(to, Inquiry.Status, "status")
    side = inquiry_side(actor, inquiry)
    if side is None:
        raise PermissionDenied
    if to not in inquiry_transitions(actor, inquiry):
        if to == Inquiry.Status.SAMPLE_SENT and side == InquiryMessage.Side.EXPORTER:
            raise PermissionDenied(_("Only the product side marks a sample as sent."))
        raise ValidationError(
            {
                "status": _("This conversation cannot go from %(from)s to %(to)s.")
                % {"from": inquiry.get_status_display(), "to": Inquiry.Status(to).label}
            }
        )
    old = inquiry.status
    inquiry.status = to
    now = timezone.now()
    inquiry.closed_at = now if to == Inquiry.Status.CLOSED else None
    inquiry.last_activity_at = now
    inquiry.save(update_fields=["status", "closed_at", "last_activity_at"])
    others = (
        _product_side(inquiry.product)
        if side == InquiryMessage.Side.EXPORTER
        else _exporter_side(inquiry)
    )
    _tell(
        others,
        actor=actor,
        kind=f"inquiry.{to}",
        subject=_status_subject(inquiry),
        template="matchmaking/email/inquiry_status.txt",
        context={"inquiry": inquiry, "old": old, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return inquiry


def _status_subject(inquiry: Inquiry):
    status = Inquiry.Status(inquiry.status)
    return lazy(
        lambda: (
            _("%(subject)s: %(status)s")
            % {"subject": inquiry.subject, "status": str(status.label).lower()}
        ),
        str,
    )()


# --- Buying requests -------------------------------------------------------------------------

BUYING_REQUEST_FIELDS = [
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
]


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


def _apply(instance, data: dict, fields: list[str]) -> list[str]:
    """Set the given fields from ``data``; return the names of those that changed."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        if name == "currency":
            value = _currency(value)
        elif isinstance(value, str):
            value = value.strip()
        raw = value.pk if field.is_relation and value is not None else value
        if getattr(instance, field.attname) != raw:
            setattr(instance, field.attname, raw)
            changed.append(name)
    return changed


def responders_for(buying_request: BuyingRequest) -> list[User]:
    """Officers and operators with a verified or export-ready product under the request's
    heading on their side (ministry staff see every request in their lists, without email)."""
    bumdes_ids = set(
        Product.objects.filter(
            status__in=selectors.OFFERABLE_STATUSES,
            hs_code__code__startswith=buying_request.heading,
        ).values_list("bumdes_id", flat=True)
    )
    if not bumdes_ids:
        return []
    from products.models import Bumdes

    people: dict[int, User] = {}
    villages = list(Bumdes.objects.filter(pk__in=bumdes_ids).values_list("village_id", flat=True))
    for officer in User.objects.filter(role=Role.OFFICER, is_active=True, region__isnull=False):
        if any(code_within(village, officer.region_id) for village in villages):
            people[officer.pk] = officer
    for operator in User.objects.filter(
        role=Role.OPERATOR, is_active=True, bumdes_link__bumdes_id__in=bumdes_ids
    ):
        people[operator.pk] = operator
    return list(people.values())


@transaction.atomic
def create_buying_request(*, actor, data: dict) -> BuyingRequest:
    """A verified organisation posts what it wants to buy; matching suppliers are told."""
    organisation = access.acting_organisation(actor)
    buying_request = BuyingRequest(organisation=organisation, created_by=actor)
    _apply(buying_request, data, BUYING_REQUEST_FIELDS)
    if not buying_request.title and buying_request.hs_code_id:
        buying_request.title = _("Buying %(hs)s") % {"hs": buying_request.hs_code.description[:150]}
    _check_buying_request(buying_request)
    _full_clean(buying_request, exclude=["organisation"])
    buying_request.save()
    _tell(
        responders_for(buying_request),
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
def update_buying_request(*, actor, buying_request: BuyingRequest, data: dict) -> BuyingRequest:
    """The posting organisation edits its request; a new date revives an expired one."""
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not access.acts_for(actor, buying_request.organisation):
        raise PermissionDenied
    if buying_request.status == BuyingRequest.Status.CLOSED:
        raise ValidationError(_("A closed buying request cannot be changed."))
    changed = _apply(buying_request, data, BUYING_REQUEST_FIELDS)
    if not changed:
        return buying_request
    _check_buying_request(buying_request)
    _full_clean(buying_request, exclude=["organisation"])
    if buying_request.status == BuyingRequest.Status.EXPIRED:
        buying_request.status = BuyingRequest.Status.OPEN
    buying_request.save()
    return buying_request


@transaction.atomic
def close_buying_request(*, actor, buying_request: BuyingRequest) -> BuyingRequest:
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not access.acts_for(actor, buying_request.organisation):
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


def may_offer(user, buying_request: BuyingRequest) -> bool:
    return (
        access.is_on_product_side_role(user)
        and selectors.effective_status(buying_request) == BuyingRequest.Status.OPEN
        and selectors.offerable_products(user, buying_request).exists()
    )


@transaction.atomic
def make_offer(*, actor, buying_request: BuyingRequest, product: Product, data: dict) -> Offer:
    """The product side answers a buying request with one of its products."""
    buying_request = BuyingRequest.objects.select_for_update().get(pk=buying_request.pk)
    if not access.is_on_product_side_role(actor):
        raise PermissionDenied
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
    errors = {}
    price = data.get("price")
    quantity = data.get("quantity")
    if price is None:
        errors["price"] = _("Give a price per unit.")
    elif Decimal(price) < 0:
        errors["price"] = _("The price cannot be negative.")
    if quantity is None or Decimal(quantity) <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if errors:
        raise ValidationError(errors)
    offer = Offer(
        buying_request=buying_request,
        product=product,
        price=price,
        currency=_currency(data.get("currency") or product.currency or buying_request.currency),
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
    _full_clean(offer, exclude=["buying_request", "product"])
    _save_new(offer, {"product": _("This product already has an offer on this request.")})
    _tell(
        members_of(buying_request.organisation),
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
def decide_offer(*, actor, offer: Offer, accept: bool) -> Offer:
    """The requesting organisation accepts or declines an offer; the product side is told."""
    offer = (
        Offer.objects.select_for_update()
        .select_related("buying_request__organisation", "product__bumdes")
        .get(pk=offer.pk)
    )
    if not access.acts_for(actor, offer.buying_request.organisation):
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
    _tell(
        _product_side(offer.product),
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


# --- Service requests ------------------------------------------------------------------------


def _service_request_link(service_request: ServiceRequest) -> str:
    return reverse("matchmaking:service_request_detail", args=[service_request.pk])


def service_side(
    user, service_request: ServiceRequest, viewer: access.Viewer | None = None
) -> str | None:
    """``provider`` or ``requester`` when the user may act on the request, else None."""
    viewer = viewer or access.Viewer(user)
    if viewer.acts_for(service_request.provider):
        return "provider"
    if viewer.is_product_side(service_request.product):
        return "requester"
    return None


def _service_people(service_request: ServiceRequest) -> list[User]:
    return members_of(service_request.provider) + _product_side(service_request.product)


@transaction.atomic
def request_service(
    *,
    actor,
    provider: Organisation | None,
    service: str,
    product: Product | None,
    description: str,
    shipment: str = "",
) -> ServiceRequest:
    """A regional officer, operator or ministry staff asks a partner for a service."""
    if product is None:
        raise ValidationError({"product": _("Choose the product the service is for.")})
    if not access.may_request_service(actor, product):
        raise PermissionDenied
    _check_choice(service, Service, "service")
    if provider is None:
        raise ValidationError({"provider": _("Choose a service provider.")})
    if not access.offers_service(provider, service):
        raise ValidationError(
            {
                "provider": _("%(provider)s does not offer %(service)s.")
                % {"provider": provider.legal_name, "service": Service(service).label.lower()}
            }
        )
    description = _clean_text(description, "description", _("Say what is needed."))
    service_request = ServiceRequest(
        provider=provider,
        service=service,
        product=product,
        shipment=(shipment or "").strip(),
        description=description,
        requested_by=actor,
    )
    _full_clean(service_request, exclude=["provider", "product"])
    service_request.save()
    _tell(
        _service_people(service_request),
        actor=actor,
        kind="service_request.new",
        subject=translated(
            gettext_lazy("Facilitation request: %(service)s for %(product)s"),
            service=service_request.get_service_display,
            product=product.name_id,
        ),
        template="matchmaking/email/service_request_new.txt",
        context={"service_request": service_request, "actor": actor},
        link=_service_request_link(service_request),
    )
    return service_request


def service_transitions(
    user, service_request: ServiceRequest, viewer: access.Viewer | None = None
) -> list[str]:
    side = service_side(user, service_request, viewer)
    if side is None:
        return []
    return [
        target
        for (source, target), who in SERVICE_TRANSITIONS.items()
        if source == service_request.status and who == side
    ]


@transaction.atomic
def transition_service_request(
    *, actor, service_request: ServiceRequest, to: str, note: str = ""
) -> ServiceRequest:
    service_request = (
        ServiceRequest.objects.select_for_update()
        .select_related("provider", "product__bumdes")
        .get(pk=service_request.pk)
    )
    _check_choice(to, ServiceRequest.Status, "status")
    side = service_side(actor, service_request)
    if side is None:
        raise PermissionDenied
    who = SERVICE_TRANSITIONS.get((service_request.status, to))
    if who is None:
        raise ValidationError(
            {
                "status": _("A service request cannot go from %(from)s to %(to)s.")
                % {
                    "from": service_request.get_status_display(),
                    "to": ServiceRequest.Status(to).label,
                }
            }
        )
    if who != side:
        raise PermissionDenied(
            _("Only the service provider does this.")
            if who == "provider"
            else _("Only the requesting side does this.")
        )
    note = (note or "").strip()
    if to in SERVICE_NEEDS_REASON and not note:
        raise ValidationError({"note": _("Say why.")})
    old = service_request.status
    service_request.status = to
    service_request.save(update_fields=["status", "updated_at"])
    entry = ServiceRequestNote.objects.create(
        service_request=service_request, author=actor, body=note, from_status=old, to_status=to
    )
    status = ServiceRequest.Status(to)
    _tell(
        _service_people(service_request),
        actor=actor,
        kind=f"service_request.{to}",
        subject=lazy(
            lambda: (
                _("Facilitation request %(service)s for %(product)s: %(status)s")
                % {
                    "service": str(service_request.get_service_display()).lower(),
                    "product": service_request.product.name_id,
                    "status": str(status.label).lower(),
                }
            ),
            str,
        )(),
        template="matchmaking/email/service_request_status.txt",
        context={"service_request": service_request, "note": entry, "old": old, "actor": actor},
        link=_service_request_link(service_request),
    )
    return service_request


@transaction.atomic
def add_service_note(
    *,
    actor,
    service_request: ServiceRequest,
    body: str = "",
    document: UploadedFile | None = None,
) -> ServiceRequestNote:
    service_request = ServiceRequest.objects.select_related("provider", "product__bumdes").get(
        pk=service_request.pk
    )
    if service_side(actor, service_request) is None:
        raise PermissionDenied
    body = (body or "").strip()
    file = _attachment(document, "document")
    if not body and not file:
        raise ValidationError({"body": _("Write a note or attach a document.")})
    entry = ServiceRequestNote(service_request=service_request, author=actor, body=body)
    if file:
        content, original = file
        entry.document.save(content.name, content, save=False)
        entry.document_name = original
    entry.save()
    ServiceRequest.objects.filter(pk=service_request.pk).update(updated_at=timezone.now())
    _tell(
        _service_people(service_request),
        actor=actor,
        kind="service_request.note",
        subject=translated(
            gettext_lazy("New note on the facilitation request for %(product)s"),
            product=service_request.product.name_id,
        ),
        template="matchmaking/email/service_request_note.txt",
        context={"service_request": service_request, "note": entry, "actor": actor},
        link=_service_request_link(service_request),
    )
    return entry
