"""Everything that links a product to an exporter: shortlists, inquiries, buying requests and
offers, facilitation (service) requests.

- **Shortlist**: a verified exporter organisation keeps export-ready products it is watching.
- **Inquiry**: a conversation between an exporter organisation and a product's side (the regional
  officers whose region covers the product's village, the BUMDes' operators, ministry staff). It
  is a plain inquiry, a sample request or an expression of interest.
- **Buying request** (RFQ): an organisation says what it wants to buy; the product side answers
  with an **offer** tied to one of its products under the same HS heading.
- **Service request**: either side of a trade asks a partner organisation (service provider or
  trading platform) for a facilitation service (documents, quality, payment, logistics): the
  product's side (a regional officer, a BUMDes operator, ministry staff) for one of its products,
  or an exporter or buyer (``requesting_organisation``) for a product it sources; either on a
  deal. Both sides follow it with notes; when it was answered and completed is kept, so the
  providers' turnaround can be counted.

Who may do what lives in ``matchmaking.access``, reads in ``matchmaking.dealings.selectors`` and writes
in ``matchmaking.dealings.services``. The constraints below keep the invariants in the database too.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bumdes_export.core.db import in_choices
from bumdes_export.reference.models import Country, HsCode
from exporters.models import Organisation, Service
from matchmaking.deals.models import Deal
from products.models import Incoterm, Product, Unit


def _attachment_path(instance, filename: str) -> str:
    # Never trust the uploaded name: a server-made one, keeping only the checked extension.
    return f"matchmaking/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


# --- Shortlist -------------------------------------------------------------------------------


class ShortlistEntry(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="shortlist",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shortlisted product")
        verbose_name_plural = _("shortlisted products")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"],
                name="shortlist_unique_product_per_organisation",
                violation_error_message=_("This product is already on your shortlist."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ☆ {self.product}"


# --- Inquiries -------------------------------------------------------------------------------


class InquiryKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    SAMPLE_REQUEST = "sample_request", _("Sample request")
    INTEREST = "interest", _("Expression of interest")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    Kind = InquiryKind
    Status = InquiryStatus

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INQUIRY)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The time of the last message or status change: inboxes sort by it.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("kind", InquiryKind.choices), name="inquiry_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("status", InquiryStatus.choices), name="inquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="sample_sent") | Q(kind="sample_request"),
                name="inquiry_sample_sent_only_for_samples",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="inquiry_closed_has_date",
            ),
            models.CheckConstraint(condition=~Q(subject=""), name="inquiry_subject_not_empty"),
            # One conversation of each kind per organisation and product at a time.
            models.UniqueConstraint(
                fields=["organisation", "product", "kind"],
                condition=~Q(status="closed"),
                name="inquiry_one_active_per_kind",
                violation_error_message=_(
                    "Your organisation already has an active conversation of this kind about "
                    "this product."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["product", "status"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class MessageSide(models.TextChoices):
    EXPORTER = "exporter", _("Exporter")
    PRODUCT = "product", _("Product side")


class InquiryMessage(models.Model):
    Side = MessageSide

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    body = models.TextField(_("message"))
    attachment = models.FileField(_("attachment"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="inquiry_message_not_empty"),
            models.CheckConstraint(
                condition=in_choices("side", MessageSide.choices), name="inquiry_message_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.body[:40]}"


# --- Buying requests and offers --------------------------------------------------------------


class BuyingRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class BuyingRequest(models.Model):
    Status = BuyingRequestStatus

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="buying_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    hs_code = models.ForeignKey(
        HsCode,
        verbose_name=_("HS code"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("An HS heading (4 digits) or subheading (6 digits)."),
    )
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    destination = models.ForeignKey(
        Country, verbose_name=_("destination"), on_delete=models.PROTECT, related_name="+"
    )
    target_price = models.DecimalField(
        _("target price per unit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(
        _("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB
    )
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("buying request")
        verbose_name_plural = _("buying requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="buying_request_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(target_price__isnull=True) | Q(target_price__gte=0),
                name="buying_request_price_not_negative",
            ),
            models.CheckConstraint(
                condition=in_choices("status", BuyingRequestStatus.choices),
                name="buying_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="buying_request_currency_iso"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="buying_request_title_not_empty"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        return self.hs_code_id[:4]


class OfferStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Offer(models.Model):
    Status = OfferStatus

    buying_request = models.ForeignKey(
        BuyingRequest,
        verbose_name=_("buying request"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(_("price per unit"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(
        _("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB
    )
    quantity = models.DecimalField(_("quantity available"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="offer_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="offer_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=in_choices("status", OfferStatus.choices), name="offer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="offer_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", decided_at__isnull=True)
                | (~Q(status="submitted") & Q(decided_at__isnull=False)),
                name="offer_decided_has_date",
            ),
            # One pending offer per product and request: a new price replaces a declined one.
            models.UniqueConstraint(
                fields=["buying_request", "product"],
                condition=Q(status="submitted"),
                name="offer_one_pending_per_product",
                violation_error_message=_(
                    "This product already has an offer waiting for an answer on this request."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} → {self.buying_request}"


# --- Facilitation (service) requests ---------------------------------------------------------


class ServiceRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceRequest(models.Model):
    Status = ServiceRequestStatus

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    service = models.CharField(_("service"), max_length=10, choices=Service.choices)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty when the product's side asks; the exporter or buyer that asks otherwise.
    requesting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("requested by organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests_made",
    )
    deal = models.ForeignKey(
        Deal,
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    shipment = models.CharField(
        _("shipment"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the shipment this is for (destination, date, volume)."),
    )
    description = models.TextField(_("what is needed"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True, db_index=True)
    # The provider's first answer (accepted or declined) and the completion: the turnaround.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("status", ServiceRequestStatus.choices),
                name="service_request_status_valid",
            ),
            models.CheckConstraint(
                condition=in_choices("service", Service.choices),
                name="service_request_service_valid",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="service_request_description_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(status="requested", answered_at__isnull=True)
                | Q(status="cancelled")
                | (~Q(status__in=["requested", "cancelled"]) & Q(answered_at__isnull=False)),
                name="service_request_answered_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="service_request_completed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(requesting_organisation=F("provider")),
                name="service_request_not_to_itself",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.product}"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            self.Status.DECLINED,
            self.Status.COMPLETED,
            self.Status.CANCELLED,
        )


class ServiceRequestNote(models.Model):
    """A note, a document, or a status change of a service request, seen by both sides."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("note"), blank=True)
    document = models.FileField(_("document"), upload_to=_attachment_path, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("service request note")
        verbose_name_plural = _("service request notes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(document="") | ~Q(to_status=""),
                name="service_note_has_content",
            ),
            models.CheckConstraint(
                condition=Q(to_status="") | ~Q(to_status=F("from_status")),
                name="service_note_transition_changes_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.body[:40] or self.to_status}"
