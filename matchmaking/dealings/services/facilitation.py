"""Facilitation (service) requests: either side of a trade asks a verified partner (a service
provider or trading platform) for help with documents, quality, payment or logistics: the
product's side for one of its products, or a member of a verified organisation (an exporter or a
buyer) for a product it sources; either optionally on a deal. The provider accepts or declines,
works on it and completes it (the answer and completion times are kept: the provider's
turnaround); the requesting side may cancel it. Both sides add notes and documents; every change
is written down as a note.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from exporters.models import Organisation, Service
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors
from matchmaking.dealings.models import ServiceRequest, ServiceRequestNote
from matchmaking.deals.models import Deal
from matchmaking.services import (
    check_choice,
    clean_text,
    full_clean,
    optional_attachment,
    product_side_people,
    stored_name,
    tell,
)
from products.models import Product

#: A status change to these says why, in a note.
SERVICE_NEEDS_REASON = {ServiceRequest.Status.DECLINED, ServiceRequest.Status.CANCELLED}


def _service_request_link(service_request: ServiceRequest) -> str:
    return reverse("matchmaking:service_request_detail", args=[service_request.pk])


def _service_people(service_request: ServiceRequest) -> list[User]:
    """The provider's members and the requesting side: the organisation's members when an
    organisation asked, the product's side otherwise."""
    requester = service_request.requesting_organisation
    side = (
        selectors.members_of(requester)
        if requester is not None
        else product_side_people(service_request.product)
    )
    return selectors.members_of(service_request.provider) + side


def _product_and_deal(product: Product | None, deal: Deal | None) -> Product:
    """The product the service is for: the deal's, when the request is on a deal."""
    if deal is not None:
        if product is not None and product.pk != deal.product_id:
            raise ValidationError({"deal": _("This deal is about another product.")})
        if deal.is_lost:
            raise ValidationError({"deal": _("This deal is closed as lost.")})
        return deal.product
    if product is None:
        raise ValidationError({"product": _("Choose the product the service is for.")})
    return product


@transaction.atomic
def request_service(
    *,
    actor: User,
    provider: Organisation | None,
    service: str,
    product: Product | None,
    description: str,
    shipment: str = "",
    deal: Deal | None = None,
) -> ServiceRequest:
    """The product's side, or a member of a verified organisation that sources the product, asks
    a partner for a service; on ``deal`` (then the product is the deal's) when given."""
    product = _product_and_deal(product, deal)
    if not dealings_access.may_request_service(actor, product, deal):
        raise PermissionDenied
    requester = dealings_access.requesting_organisation(actor)
    check_choice(service, Service, "service")
    if provider is None:
        raise ValidationError({"provider": _("Choose a service provider.")})
    if requester is not None and provider.pk == requester.pk:
        raise ValidationError({"provider": _("Your organisation cannot ask itself.")})
    if not access.offers_service(provider, service):
        raise ValidationError(
            {
                "provider": _("%(provider)s does not offer %(service)s.")
                % {"provider": provider.legal_name, "service": Service(service).label.lower()}
            }
        )
    description = clean_text(description, "description", _("Say what is needed."))
    service_request = ServiceRequest(
        provider=provider,
        service=service,
        product=product,
        requesting_organisation=requester,
        deal=deal,
        shipment=(shipment or "").strip(),
        description=description,
        requested_by=actor,
    )
    full_clean(service_request, exclude=["provider", "product", "requesting_organisation", "deal"])
    service_request.save()
    tell(
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


@transaction.atomic
def transition_service_request(
    *, actor: User, service_request: ServiceRequest, to: str, note: str = ""
) -> ServiceRequest:
    """Move the request on (``matchmaking.dealings.access.SERVICE_TRANSITIONS`` says who moves
    it where); declining and cancelling say why."""
    service_request = (
        # Only this row is locked (PostgreSQL locks no nullable side of an outer join).
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("provider", "product__bumdes", "requesting_organisation")
        .get(pk=service_request.pk)
    )
    check_choice(to, ServiceRequest.Status, "status")
    side = dealings_access.service_side(actor, service_request)
    if side is None:
        raise PermissionDenied
    who = dealings_access.SERVICE_TRANSITIONS.get((service_request.status, to))
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
            if who == dealings_access.PROVIDER
            else _("Only the requesting side does this.")
        )
    note = (note or "").strip()
    if to in SERVICE_NEEDS_REASON and not note:
        raise ValidationError({"note": _("Say why.")})
    old = service_request.status
    service_request.status = to
    now = timezone.now()
    if to in (ServiceRequest.Status.ACCEPTED, ServiceRequest.Status.DECLINED):
        service_request.answered_at = now
    if to == ServiceRequest.Status.COMPLETED:
        service_request.completed_at = now
    service_request.save(update_fields=["status", "answered_at", "completed_at", "updated_at"])
    entry = ServiceRequestNote.objects.create(
        service_request=service_request, author=actor, body=note, from_status=old, to_status=to
    )
    status = ServiceRequest.Status(to)
    tell(
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
    actor: User,
    service_request: ServiceRequest,
    body: str = "",
    document: UploadedFile | None = None,
) -> ServiceRequestNote:
    """A note or a document from either side; everyone concerned is told."""
    service_request = ServiceRequest.objects.select_related(
        "provider", "product__bumdes", "requesting_organisation"
    ).get(pk=service_request.pk)
    if not dealings_access.may_add_service_note(actor, service_request):
        raise PermissionDenied
    body = (body or "").strip()
    file = optional_attachment(document, "document")
    if not body and not file:
        raise ValidationError({"body": _("Write a note or attach a document.")})
    entry = ServiceRequestNote(service_request=service_request, author=actor, body=body)
    if file:
        content, original = file
        entry.document.save(stored_name(content), content, save=False)
        entry.document_name = original
    entry.save()
    ServiceRequest.objects.filter(pk=service_request.pk).update(updated_at=timezone.now())
    tell(
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
