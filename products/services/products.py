"""Writes on village products: create, edit, workflow, photos, deletion.

Every write checks who may do it, records who changed what, keeps the stored readiness score up
to date, bumps the product's version and announces the change after commit (``products.events``).
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, ProtectedError
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from bumdes_export.accounts.models import User
from bumdes_export.core.i18n import active_language
from bumdes_export.core.images import PHOTO_FORMATS, validated_image
from bumdes_export.reference.models import Country, HsCode
from products import access, checks, events
from products.access import AnyUser
from products.models import Bumdes, HistoryEntry, Product, ProductPhoto
from products.readiness import selectors as readiness_selectors
from products.services.bumdes import DELETABLE_STATUSES
from products.services.editing import (
    Changes,
    apply_changes,
    delete_files_on_commit,
    full_clean,
    m2m_changes,
    record_history,
)
from products.services.readiness import clean_specification, refresh_readiness
from products.services.review import notify_product_status, send_back_to_review

#: The fields of a product its editors set (pages, API); the forms, serializers and benchmarks
#: derive theirs from this list. The countries (``exported_to``, ``target_markets``) are passed
#: on their own.
PRODUCT_FIELDS = [
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "hs_code",
    "national_code",
    "form",
    "unit",
    "capacity_per_month",
    "available_months",
    "min_order",
    "price",
    "currency",
    "incoterm",
    "packaging",
    "shelf_life_days",
]
# A change to one of these sends an export-ready product back to review.
MATERIAL_FIELDS = {"hs_code", "national_code", "capacity_per_month", "unit", "form"}


def _apply_specification(product: Product, data: dict[str, Any]) -> Changes:
    """The commodity specification from ``data``, if given, checked against the template of
    the product's HS code (values stored for another template stay: the rules read only the
    fields of the product's own). Its errors name each field: "Smallest carapace width: Enter
    a number."."""
    if "specification" not in data:
        return {}
    old = dict(product.specification or {})
    try:
        new = clean_specification(product.hs_code_id, data["specification"])
    except ValidationError as error:
        template = readiness_selectors.template_for(product.hs_code_id)
        labels = {f.key: f.label_in(active_language()) for f in template.fields} if template else {}
        raise ValidationError(
            {
                "specification": [
                    message if key == "specification" else f"{labels.get(key, key)}: {message}"
                    for key, messages in error.message_dict.items()
                    for message in messages
                ]
            }
        ) from error
    if new == old:
        return {}
    product.specification = new
    return {"specification": [old or None, new or None]}


def _check_product(product: Product) -> None:
    errors = {}
    if product.hs_code_id:
        hs = HsCode.objects.filter(code=product.hs_code_id).values_list("level", flat=True).first()
        problem = checks.hs_problem(product.hs_code_id, level=hs)
        if problem:
            note = checks.hs_suggestion_note(product.name_id or product.name_en)
            errors["hs_code"] = [problem, note] if note else problem
        else:
            problem = checks.national_code_problem(product.national_code, product.hs_code_id)
            if problem:
                errors["national_code"] = problem
    if errors:
        raise ValidationError(errors)
    product.capacity_base, product.base_unit = checks.to_base(
        product.capacity_per_month, product.unit
    )


def _field_label(name: str) -> str:
    return str(getattr(Product._meta.get_field(name), "verbose_name", name))


@transaction.atomic
def create_product(
    *,
    actor: AnyUser,
    bumdes: Bumdes,
    data: dict[str, Any],
    exported_to: list[Country] | None = None,
    target_markets: list[Country] | None = None,
) -> Product:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    product = Product(bumdes=bumdes, created_by=actor if isinstance(actor, User) else None)
    apply_changes(product, data, PRODUCT_FIELDS)
    _check_product(product)
    _apply_specification(product, data)
    full_clean(product)
    product.save()
    if exported_to:
        product.exported_to.set(exported_to)
    if target_markets:
        product.target_markets.set(target_markets)
    record_history(
        bumdes=bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.CREATED,
        to_status=product.status,
    )
    refresh_readiness(product)
    return product


@transaction.atomic
def update_product(
    *,
    actor: AnyUser,
    product: Product,
    data: dict[str, Any],
    exported_to: list[Country] | None = None,
    target_markets: list[Country] | None = None,
    bumdes: Bumdes | None = None,
) -> Product:
    """Change a product. ``bumdes``, where given, must be its own: a product never moves to
    another BUMDes."""
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    if bumdes is not None and bumdes.pk != product.bumdes_id:
        raise ValidationError({"bumdes": _("A product cannot move to another BUMDes.")})
    product = Product.objects.select_for_update().get(pk=product.pk)
    changes = apply_changes(product, data, PRODUCT_FIELDS)
    _check_product(product)
    changes |= _apply_specification(product, data)
    full_clean(product)
    changes |= m2m_changes(product, "exported_to", exported_to)
    changes |= m2m_changes(product, "target_markets", target_markets)
    # A suggested value the person changed is theirs now; the others wait for the explicit
    # confirmation on the product page (saving a price confirms no HS code).
    confirmed = [name for name in product.unconfirmed if name in changes]
    if confirmed:
        remaining = [name for name in product.unconfirmed if name not in confirmed]
        changes["unconfirmed"] = [list(product.unconfirmed), remaining]
        product.unconfirmed = remaining
    if not changes:
        return product
    product.save()
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.UPDATED,
        changes=changes,
    )
    material = sorted(MATERIAL_FIELDS & changes.keys())
    if material:
        reason = ", ".join(_field_label(name) for name in material)
        send_back_to_review(product, actor=actor, reason=reason)
    readiness = refresh_readiness(product)
    # A specification recorded or changed is material only where it breaks a rule that
    # blocks export (recording one for the first time must not take a product off the
    # catalogue).
    if (
        "specification" in changes
        and product.status == Product.Status.EXPORT_READY
        and any(gap.check == "specification" for gap in readiness.blocking_everywhere)
    ):
        send_back_to_review(product, actor=actor, reason=_field_label("specification"))
        refresh_readiness(product)  # announces the new status (the catalogue drops it)
    return product


def save_specification(*, actor: AnyUser, product: Product, values: Any) -> Product:
    """Record the product's commodity specification, all of it (a field left out is cleared),
    as ``update_product`` does; errors keyed by the template's fields, for the page's form."""
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    cleaned = clean_specification(product.hs_code_id, values)
    return update_product(actor=actor, product=product, data={"specification": cleaned})


@transaction.atomic
def transition_product(*, actor: AnyUser, product: Product, to: str, note: str = "") -> Product:
    product = Product.objects.select_for_update().select_related("bumdes").get(pk=product.pk)
    if not access.can_move_to(actor, product.bumdes, to):
        raise PermissionDenied
    step = access.PRODUCT_TRANSITIONS.get((product.status, to))
    if step is None:
        raise ValidationError(
            {
                "status": _("A product cannot go from %(from)s to %(to)s.")
                % {"from": product.get_status_display(), "to": Product.Status(to).label}
            }
        )
    if not access.can_take_step(actor, product.bumdes, step):
        raise PermissionDenied
    note = (note or "").strip()
    if to == Product.Status.RETURNED and not note:
        raise ValidationError({"note": _("Say why the product is returned.")})
    if product.unconfirmed and to != Product.Status.RETURNED:
        raise ValidationError({"status": unconfirmed_message(product)})
    if to == Product.Status.EXPORT_READY:
        readiness = refresh_readiness(product)
        if readiness.blocking_everywhere:
            language = active_language()
            raise ValidationError(
                {
                    "status": [
                        _("Not export-ready yet: %(gap)s") % {"gap": gap.message(language)}
                        for gap in readiness.blocking_everywhere
                    ]
                }
            )
    old = product.status
    product.status = to
    product.return_reason = note if to == Product.Status.RETURNED else ""
    product.export_ready_at = timezone.now() if to == Product.Status.EXPORT_READY else None
    product.save(update_fields=["status", "return_reason", "export_ready_at", "updated_at"])
    Product.objects.filter(pk=product.pk).update(version=F("version") + 1)
    product.refresh_from_db(fields=["version"])
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.TRANSITION,
        from_status=old,
        to_status=to,
        note=note,
    )
    events.announce_product(product.pk, product.version)
    if to in (Product.Status.RETURNED, Product.Status.EXPORT_READY, Product.Status.VERIFIED):
        notify_product_status(product, actor=actor, kind=f"product.{to}", note=note)
    return product


def unconfirmed_message(product: Product) -> str:
    labels = ", ".join(_field_label(name) for name in product.unconfirmed)
    return _(
        "First confirm the values the portal suggested on import (%(fields)s): check them on "
        "the product page and confirm or change them."
    ) % {"fields": labels}


@transaction.atomic
def confirm_suggestions(*, actor: AnyUser, product: Product) -> Product:
    """The person confirms the HS code, form and unit the portal suggested on import."""
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    product = Product.objects.select_for_update().select_related("bumdes").get(pk=product.pk)
    if not product.unconfirmed:
        return product
    before = list(product.unconfirmed)
    product.unconfirmed = []
    product.save(update_fields=["unconfirmed", "updated_at"])
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.UPDATED,
        changes={"unconfirmed": [before, []]},
        note=_("Suggested values confirmed"),
    )
    refresh_readiness(product)
    return product


@transaction.atomic
def delete_product(*, actor: AnyUser, product: Product) -> None:
    """Remove a draft or returned product, with its photos and certificates.

    Regional officers in the BUMDes' region and ministry staff only.
    """
    if not access.can_delete(actor, product.bumdes):
        raise PermissionDenied
    if product.status not in DELETABLE_STATUSES:
        raise ValidationError({"status": _("Only a draft or returned product can be deleted.")})
    pk, version = product.pk, product.version
    photos = list(product.photos.all())
    files: list[FieldFile] = [p.image for p in photos]
    files += [p.thumbnail for p in photos]
    files += [c.document for c in product.certificates.all()]
    try:
        product.delete()
    except ProtectedError:
        raise ValidationError(
            {"status": _("This product is still referred to and cannot be deleted.")}
        ) from None
    delete_files_on_commit(*files)
    events.announce_product(pk, version + 1)


# --- Photos ----------------------------------------------------------------------------------


@transaction.atomic
def add_photo(
    *, actor: AnyUser, product: Product, upload: UploadedFile, caption: str = ""
) -> ProductPhoto:
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    raw, thumb = validated_image(upload)
    extension = PHOTO_FORMATS[Image.open(io.BytesIO(raw)).format or ""]
    photo = ProductPhoto(product=product, caption=caption[:200], position=product.photos.count())
    photo.image.save(f"photo{extension}", ContentFile(raw), save=False)
    photo.thumbnail.save("thumb.jpg", thumb, save=False)
    photo.save()
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.PHOTO,
        changes={"photo": [None, photo.image.name]},
    )
    refresh_readiness(product)
    return photo


@transaction.atomic
def delete_photo(*, actor: AnyUser, photo: ProductPhoto) -> None:
    product = photo.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    name = photo.image.name
    files = [photo.image, photo.thumbnail]
    photo.delete()
    # Files go only once the row is surely gone; a rollback keeps both.
    delete_files_on_commit(*files)
    record_history(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.PHOTO,
        changes={"photo": [name, None]},
    )
    refresh_readiness(product)
