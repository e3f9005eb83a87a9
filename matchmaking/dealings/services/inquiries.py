"""Inquiries, sample requests and expressions of interest: conversations between an exporter
organisation and the side of an export-ready product.

Statuses: a new inquiry is *open*; a reply from the product side makes it *answered*; a follow-up
from the exporter on an answered inquiry makes it *open* again (the product side owes an answer);
the product side marks a sample request *sample sent*; either side *closes* it, and a closed
conversation takes no more messages.
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
from matchmaking import access
from matchmaking.dealings import access as dealings_access
from matchmaking.dealings import selectors
from matchmaking.dealings.models import Inquiry, InquiryMessage
from matchmaking.services import (
    Attachment,
    check_choice,
    clean_text,
    full_clean,
    lower_label,
    optional_attachment,
    product_side_people,
    require_export_ready,
    save_new,
    stored_name,
    tell,
)
from products.models import Product


def _inquiry_link(inquiry: Inquiry) -> str:
    return reverse("matchmaking:inquiry_detail", args=[inquiry.pk])


def _other_side(inquiry: Inquiry, side: str) -> list[User]:
    """Who hears of what ``side`` did: the product side, or the exporter organisation."""
    if side == InquiryMessage.Side.EXPORTER:
        return product_side_people(inquiry.product)
    return selectors.members_of(inquiry.organisation)


def default_subject(kind: str, product: Product) -> str:
    name = product.name_en or product.name_id
    labels: dict[str, str] = {
        Inquiry.Kind.INQUIRY: _("Inquiry about %(product)s"),
        Inquiry.Kind.SAMPLE_REQUEST: _("Sample request: %(product)s"),
        Inquiry.Kind.INTEREST: _("Interest in %(product)s"),
    }
    return (labels.get(kind) or labels[Inquiry.Kind.INQUIRY]) % {"product": name}


def _add_message(
    inquiry: Inquiry, actor: User, side: str, body: str, file: Attachment | None
) -> InquiryMessage:
    message = InquiryMessage(inquiry=inquiry, author=actor, side=side, body=body)
    if file:
        content, original = file
        message.attachment.save(stored_name(content), content, save=False)
        message.attachment_name = original
    message.save()
    return message


@transaction.atomic
def start_inquiry(
    *,
    actor: User,
    product: Product,
    kind: str = Inquiry.Kind.INQUIRY,
    subject: str = "",
    body: str = "",
    attachment: UploadedFile | None = None,
) -> Inquiry:
    """A verified exporter asks about an export-ready product; the product side is told."""
    organisation = access.acting_organisation(actor)
    check_choice(kind, Inquiry.Kind, "kind")
    require_export_ready(product)
    body = clean_text(body, "body", _("Write a message."))
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
    file = optional_attachment(attachment, "attachment")
    inquiry = Inquiry(
        kind=kind, product=product, organisation=organisation, created_by=actor, subject=subject
    )
    full_clean(inquiry, exclude=["product", "organisation"])
    save_new(
        inquiry,
        {"kind": _("Your organisation already has an active conversation of this kind.")},
    )
    message = _add_message(inquiry, actor, InquiryMessage.Side.EXPORTER, body, file)
    tell(
        product_side_people(product),
        actor=actor,
        kind=f"inquiry.new.{kind}",
        subject=translated(
            gettext_lazy("New %(kind)s from %(organisation)s: %(product)s"),
            kind=lower_label(inquiry.get_kind_display),
            organisation=organisation.legal_name,
            product=product.name_id,
        ),
        template="matchmaking/email/inquiry_new.txt",
        context={"inquiry": inquiry, "message": message, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return inquiry


@transaction.atomic
def post_message(
    *, actor: User, inquiry: Inquiry, body: str, attachment: UploadedFile | None = None
) -> InquiryMessage:
    """A message in the conversation, from either side; the other side is told."""
    inquiry = (
        Inquiry.objects.select_for_update().select_related("product__bumdes").get(pk=inquiry.pk)
    )
    side = dealings_access.inquiry_side(actor, inquiry)
    if side is None:
        raise access.refusal(actor, inquiry.organisation)
    if inquiry.is_closed:
        raise ValidationError({"body": _("This conversation is closed.")})
    body = clean_text(body, "body", _("Write a message."))
    file = optional_attachment(attachment, "attachment")
    message = _add_message(inquiry, actor, side, body, file)
    old = inquiry.status
    if side == InquiryMessage.Side.PRODUCT and old == Inquiry.Status.OPEN:
        inquiry.status = Inquiry.Status.ANSWERED
    elif side == InquiryMessage.Side.EXPORTER and old == Inquiry.Status.ANSWERED:
        inquiry.status = Inquiry.Status.OPEN
    inquiry.last_activity_at = timezone.now()
    inquiry.save(update_fields=["status", "last_activity_at"])
    tell(
        _other_side(inquiry, side),
        actor=actor,
        kind="inquiry.message",
        subject=translated(gettext_lazy("New message: %(subject)s"), subject=inquiry.subject),
        template="matchmaking/email/inquiry_message.txt",
        context={"inquiry": inquiry, "message": message, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return message


@transaction.atomic
def set_inquiry_status(*, actor: User, inquiry: Inquiry, to: str) -> Inquiry:
    """The product side marks a sample sent; either side closes the conversation."""
    inquiry = (
        Inquiry.objects.select_for_update().select_related("product__bumdes").get(pk=inquiry.pk)
    )
    check_choice(to, Inquiry.Status, "status")
    side = dealings_access.inquiry_side(actor, inquiry)
    if side is None:
        raise PermissionDenied
    if to not in dealings_access.allowed_inquiry_statuses(actor, inquiry):
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
    tell(
        _other_side(inquiry, side),
        actor=actor,
        kind=f"inquiry.{to}",
        subject=_status_subject(inquiry),
        template="matchmaking/email/inquiry_status.txt",
        context={"inquiry": inquiry, "old": old, "actor": actor},
        link=_inquiry_link(inquiry),
    )
    return inquiry


def _status_subject(inquiry: Inquiry) -> str:
    status = Inquiry.Status(inquiry.status)
    return lazy(
        lambda: (
            _("%(subject)s: %(status)s")
            % {"subject": inquiry.subject, "status": str(status.label).lower()}
        ),
        str,
    )()
