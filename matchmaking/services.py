"""What the writes of every matchmaking package share: telling people, attachments, clean input."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Choices, Model
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import notify
from products.models import Product
from products.services import people_concerned

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {b"%PDF-": ".pdf", b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}

#: A checked upload: the file under a server-made name, and the name the uploader gave it.
Attachment = tuple[ContentFile, str]
#: What a ``ValidationError`` is built from: a message, or messages by field.
ErrorMessage = str | dict[str, str]


def tell(
    users: Iterable[User],
    *,
    actor: User,
    kind: str,
    subject: str | Promise,
    template: str,
    context: dict[str, Any],
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


def product_side_people(product: Product) -> list[User]:
    """Everyone on the product's side: ministry staff, the officers covering it, its operators."""
    return list(people_concerned(product.bumdes))


def validated_attachment(upload: UploadedFile, *, field: str) -> Attachment:
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


def optional_attachment(upload: UploadedFile | None, field: str) -> Attachment | None:
    """``validated_attachment`` of an upload, when there is one."""
    if not upload:
        return None
    return validated_attachment(upload, field=field)


def stored_name(content: ContentFile) -> str:
    """The server-made name of a checked upload."""
    return content.name or "file"


def clean_text(value: str | None, field: str, message: str) -> str:
    """The text without surrounding blanks; ``message`` on ``field`` when nothing is left."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def decimal_or_none(value: object, field: str) -> Decimal | None:
    """A number given as text or a number; None when left empty; a field error otherwise."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def full_clean(instance: Model, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude, validate_constraints=True)


def save_new(instance: Model, message: ErrorMessage) -> None:
    """Save a new row; a constraint broken by a concurrent write becomes a ValidationError."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(message) from None


def currency_code(value: str | None) -> str:
    """A three-letter ISO currency code, upper case (USD when none is given)."""
    code = (value or "USD").strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise ValidationError({"currency": _("Give the currency as a three-letter ISO code.")})
    return code


def check_choice(value: str, choices: type[Choices], field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("“%(value)s” is not a valid choice.") % {"value": value}})
    return value


def require_export_ready(product: Product, field: str = "product") -> None:
    if product.status != Product.Status.EXPORT_READY:
        raise ValidationError({field: _("Only export-ready products are open to exporters.")})


def lower_label(getter: Callable[[], object]) -> str:
    """A choice label in lower case, translated only when rendered."""
    return lazy(lambda: str(getter()).lower(), str)()
