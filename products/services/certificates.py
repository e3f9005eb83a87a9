"""Writes on the certificates and permits of a product, reminders before they expire and their
lapse (daily tasks)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bumdes_export.notifications.services import notify, translated
from products import access
from products.access import AnyUser
from products.models import Certificate, CertificateReminder, HistoryEntry, Product
from products.services.editing import Changes, apply_changes, full_clean, record_history
from products.services.readiness import refresh_readiness
from products.services.review import people_concerned, send_back_to_review

#: The fields of a certificate its editors set; the document is passed on its own.
CERTIFICATE_FIELDS = ["type", "number", "issuer", "valid_from", "valid_until"]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}


@transaction.atomic
def add_certificate(
    *,
    actor: AnyUser,
    product: Product,
    data: dict[str, Any],
    document: UploadedFile | None = None,
) -> Certificate:
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    certificate = Certificate(product=product)
    apply_changes(certificate, data, CERTIFICATE_FIELDS)
    if document is not None:
        certificate.document = _validated_document(document)
    full_clean(certificate)
    certificate.save()
    _certificate_changed(
        product,
        actor,
        {"certificate": [None, f"{certificate.type.code} {certificate.number}"]},
    )
    return certificate


@transaction.atomic
def update_certificate(
    *,
    actor: AnyUser,
    certificate: Certificate,
    data: dict[str, Any],
    document: UploadedFile | None = None,
) -> Certificate:
    product = certificate.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    changes = apply_changes(certificate, data, CERTIFICATE_FIELDS)
    if document is not None:
        certificate.document = _validated_document(document)
        changes["document"] = [None, "new file"]
    full_clean(certificate)
    if changes:
        certificate.lapse_handled_at = None
        certificate.save()
        _certificate_changed(product, actor, {f"certificate.{k}": v for k, v in changes.items()})
    return certificate


@transaction.atomic
def delete_certificate(*, actor: AnyUser, certificate: Certificate) -> None:
    product = certificate.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    label = f"{certificate.type.code} {certificate.number}"
    certificate.delete()
    _certificate_changed(product, actor, {"certificate": [label, None]})


def _certificate_changed(product: Product, actor: AnyUser, changes: Changes) -> None:
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.CERTIFICATE,
        changes=changes,
    )
    send_back_to_review(product, actor=actor, reason=_("certificates"))
    refresh_readiness(product)


def _validated_document(upload: UploadedFile) -> ContentFile[bytes]:
    if (upload.size or 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError({"document": _("The document may be at most 10 MB.")})
    head = upload.read(8)
    upload.seek(0)
    for magic, extension in DOCUMENT_TYPES.items():
        if head.startswith(magic):
            return ContentFile(upload.read(), name=f"document{extension}")
    raise ValidationError({"document": _("Upload the document as PDF, JPEG or PNG.")})


@transaction.atomic
def handle_lapsed_certificates(today: date | None = None) -> int:
    """Send export-ready products whose certificate lapsed back to review (daily, idempotent)."""
    today = today or timezone.localdate()
    lapsed = Certificate.objects.select_related("product__bumdes").filter(
        valid_until__lt=today, lapse_handled_at__isnull=True
    )
    handled = 0
    for certificate in lapsed:
        product = certificate.product
        # The officers and operators are told in any case; an export-ready product's people
        # hear of it also as its return to review.
        _tell_about(certificate, kind="certificate.lapsed", days=None)
        if product.status == Product.Status.EXPORT_READY:
            lapsed_on = certificate.valid_until.isoformat() if certificate.valid_until else ""
            send_back_to_review(
                product,
                actor=None,
                reason=_("%(type)s %(number)s expired on %(date)s")
                % {
                    "type": certificate.type.name_en,
                    "number": certificate.number,
                    "date": lapsed_on,
                },
            )
            handled += 1
        refresh_readiness(product)
        Certificate.objects.filter(pk=certificate.pk).update(lapse_handled_at=timezone.now())
    return handled


def _tell_about(certificate: Certificate, *, kind: str, days: int | None) -> None:
    """Tell the officers covering the certificate's BUMDes and its operators."""
    product = certificate.product
    if days is None:
        subject = translated(
            gettext_lazy("Certificate expired: %(type)s for %(product)s"),
            type=lambda: certificate.type.localized_name(get_language() or "id"),
            product=product.name_id,
        )
    else:
        subject = translated(
            gettext_lazy("Certificate expires in %(days)s days: %(type)s for %(product)s"),
            days=days,
            type=lambda: certificate.type.localized_name(get_language() or "id"),
            product=product.name_id,
        )
    for user in people_concerned(product.bumdes, ministry=False):
        notify(
            user,
            kind=kind,
            subject=subject,
            template="products/email/certificate_expiry.txt",
            context={"certificate": certificate, "product": product, "days": days},
            link=f"/registry/products/{product.pk}/",
        )


def remind_expiring_certificates(today: date | None = None) -> int:
    """Remind the people of a product that its certificate expires within 60, 30 or 7 days:
    once per certificate, expiry date and threshold, the most urgent threshold reached (a day
    missed never sends two at once). Daily and idempotent; returns the reminders sent."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(CertificateReminder.THRESHOLDS))
    expiring = Certificate.objects.select_related("product__bumdes", "type").filter(
        valid_until__gte=today, valid_until__lte=horizon
    )
    sent = 0
    for certificate in expiring:
        if certificate.valid_until is None:  # not by the filter above; for the type checker
            continue
        days = (certificate.valid_until - today).days
        threshold = min(t for t in CertificateReminder.THRESHOLDS if days <= t)
        with transaction.atomic():
            _reminder, created = CertificateReminder.objects.get_or_create(
                certificate=certificate, valid_until=certificate.valid_until, threshold=threshold
            )
            if created:
                _tell_about(certificate, kind="certificate.expiring", days=days)
                sent += 1
    return sent
