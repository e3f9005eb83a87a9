"""Writes on the registry: BUMDes, products, certificates, photos, workflow and history.

Every write checks who may do it, records who changed what, keeps the stored readiness score up
to date, bumps the product's version and announces the change after commit (``products.events``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import Role, User
from bumdes_export.core.identifiers import clean_nib, clean_npwp
from bumdes_export.core.images import PHOTO_FORMATS, validated_image
from bumdes_export.notifications.services import notify, translated
from bumdes_export.reference.models import Country, HsCode, Region
from products import access, checks, events, selectors
from products.models import (
    Bumdes,
    BumdesOperator,
    Certificate,
    HistoryEntry,
    Product,
    ProductPhoto,
)

BUMDES_FIELDS = [
    "name",
    "kind",
    "village",
    "year_founded",
    "legal_status",
    "legal_certificate_number",
    "nib",
    "npwp",
    "business_units",
    "manager_name",
    "contact_phone",
    "contact_whatsapp",
    "contact_email",
    "address",
    "description",
]
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


BUMDES_TRANSITIONS: dict[tuple[str, str], str] = {
    # (from, to): who may — "submit" (officer in region or ministry) or "curate" (ministry)
    (Bumdes.Status.DRAFT, Bumdes.Status.SUBMITTED): "submit",
    (Bumdes.Status.RETURNED, Bumdes.Status.SUBMITTED): "submit",
    (Bumdes.Status.SUBMITTED, Bumdes.Status.VERIFIED): "curate",
    (Bumdes.Status.SUBMITTED, Bumdes.Status.RETURNED): "curate",
    (Bumdes.Status.VERIFIED, Bumdes.Status.RETURNED): "curate",
}
PRODUCT_TRANSITIONS: dict[tuple[str, str], str] = {
    (Product.Status.DRAFT, Product.Status.SUBMITTED): "submit",
    (Product.Status.RETURNED, Product.Status.SUBMITTED): "submit",
    (Product.Status.SUBMITTED, Product.Status.VERIFIED): "curate",
    (Product.Status.SUBMITTED, Product.Status.RETURNED): "curate",
    (Product.Status.VERIFIED, Product.Status.EXPORT_READY): "curate",
    (Product.Status.VERIFIED, Product.Status.RETURNED): "curate",
    (Product.Status.EXPORT_READY, Product.Status.RETURNED): "curate",
    (Product.Status.EXPORT_READY, Product.Status.VERIFIED): "curate",
}


# --- helpers ---------------------------------------------------------------------------------


def _display(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _apply(instance, data: dict, fields: Iterable[str]) -> dict[str, list]:
    """Set the given fields from ``data``; return ``{field: [old, new]}`` for those that changed."""
    changes: dict[str, list] = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        attname = field.attname
        new = data[name]
        new_raw = new.pk if hasattr(new, "pk") and field.is_relation else new
        old_raw = getattr(instance, attname)
        if old_raw != new_raw:
            changes[name] = [_display(old_raw), _display(new_raw)]
            setattr(instance, attname, new_raw)
    return changes


def _m2m_changes(instance, name: str, countries: Iterable[Country] | None) -> dict[str, list]:
    if countries is None:
        return {}
    manager = getattr(instance, name)
    old = sorted(manager.values_list("code", flat=True))
    new = sorted({c.code for c in countries})
    if old == new:
        return {}
    manager.set(new)
    return {name: [", ".join(old), ", ".join(new)]}


def _record(
    *, bumdes: Bumdes, actor, kind: str, product: Product | None = None, **fields
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        bumdes=bumdes,
        product=product,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        **fields,
    )


def _full_clean(instance, exclude: list[str] | None = None) -> None:
    # Model validation gives field-level messages; database constraints are checked too.
    instance.full_clean(exclude=exclude, validate_constraints=True)


def _check_village(user, village: Region) -> None:
    problem = checks.village_problem(
        village.code,
        exists=True,
        level=village.level,
        kind=village.kind,
        retired=village.is_retired,
    )
    if problem:
        raise ValidationError({"village": problem})
    if not access.can_create_bumdes_in(user, village.code):
        raise ValidationError({"village": checks.scope_problem(village.code, covered=False)})


def _check_members(bumdes: Bumdes, villages: list[Region]) -> None:
    if bumdes.kind != Bumdes.Kind.BERSAMA:
        if villages and {v.code for v in villages} != {bumdes.village_id}:
            raise ValidationError(
                {"member_villages": _("Only a BUM Desa Bersama has several villages.")}
            )
        return
    regency = bumdes.village_id[:5]
    for village in villages:
        problem = checks.village_problem(
            village.code,
            exists=True,
            level=village.level,
            kind=village.kind,
            retired=village.is_retired,
        )
        if problem:
            raise ValidationError({"member_villages": problem})
        if not code_within(village.code, regency):
            raise ValidationError(
                {
                    "member_villages": _(
                        "All villages of a BUM Desa Bersama lie in one regency (%(regency)s)."
                    )
                    % {"regency": regency}
                }
            )


def _clean_bumdes_data(data: dict) -> dict:
    data = dict(data)
    errors = {}
    for name, cleaner in (("nib", clean_nib), ("npwp", clean_npwp)):
        if name in data:
            try:
                data[name] = cleaner(data[name] or "")
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return data


def _check_legal(bumdes: Bumdes) -> None:
    if (
        bumdes.legal_status == Bumdes.LegalStatus.LEGAL_ENTITY
        and not bumdes.legal_certificate_number
    ):
        raise ValidationError(
            {
                "legal_certificate_number": _(
                    "A BUMDes with legal-entity status has a certificate number."
                )
            }
        )


def people_concerned(bumdes: Bumdes) -> list[User]:
    """Ministry staff, the officers whose region covers the BUMDes, and its operators."""
    users = User.objects.filter(is_active=True)
    concerned = [
        u
        for u in users.filter(role__in=[Role.MINISTRY, Role.OFFICER]).select_related("region")
        if u.role == Role.MINISTRY or (u.region_id and code_within(bumdes.village_id, u.region_id))
    ]
    concerned += list(users.filter(bumdes_link__bumdes=bumdes))
    return concerned


def _may_move_to(actor, bumdes: Bumdes, to: str) -> bool:
    """Submitting is for officers in the region and ministry staff; every other step, ministry."""
    if to == "submitted":
        return access.can_submit(actor, bumdes)
    return access.can_curate(actor)


# --- BUMDes ----------------------------------------------------------------------------------


@transaction.atomic
def create_bumdes(*, actor, data: dict, member_villages: list[Region] | None = None) -> Bumdes:
    data = _clean_bumdes_data(data)
    village = data.get("village")
    if village is None:
        raise ValidationError({"village": _("Choose the village that owns the BUMDes.")})
    _check_village(actor, village)
    bumdes = Bumdes(created_by=actor if actor.is_authenticated else None)
    _apply(bumdes, data, BUMDES_FIELDS)
    _check_legal(bumdes)
    _full_clean(bumdes, exclude=["photo"])
    bumdes.save()
    members = list(member_villages or [])
    _check_members(bumdes, members)
    if bumdes.kind == Bumdes.Kind.BERSAMA:
        bumdes.member_villages.set({village.code, *(v.code for v in members)})
    _record(bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.CREATED, to_status=bumdes.status)
    events.announce_bumdes(bumdes.pk)
    return bumdes


@transaction.atomic
def update_bumdes(
    *, actor, bumdes: Bumdes, data: dict, member_villages: list[Region] | None = None
) -> Bumdes:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    data = _clean_bumdes_data(data)
    if "village" in data and data["village"].code != bumdes.village_id:
        if access.operated_bumdes_id(actor) == bumdes.pk:
            raise ValidationError({"village": _("Only a regional officer can move a BUMDes.")})
        _check_village(actor, data["village"])
    changes = _apply(bumdes, data, BUMDES_FIELDS)
    _check_legal(bumdes)
    _full_clean(bumdes, exclude=["photo"])
    if member_villages is not None:
        _check_members(bumdes, member_villages)
    if changes:
        bumdes.save()
    old_members = sorted(bumdes.member_villages.values_list("code", flat=True))
    if bumdes.kind != Bumdes.Kind.BERSAMA:
        new_members = []  # a plain BUM Desa belongs to its one village only
    elif member_villages is not None or "village" in changes:
        chosen = member_villages if member_villages is not None else []
        kept = [] if member_villages is not None else old_members
        new_members = sorted({bumdes.village_id, *kept, *(v.code for v in chosen)})
    else:
        new_members = old_members
    if old_members != new_members:
        bumdes.member_villages.set(new_members)
        changes["member_villages"] = [", ".join(old_members), ", ".join(new_members)]
    if changes:
        _record(bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.UPDATED, changes=changes)
        events.announce_bumdes(bumdes.pk)
        # Readiness of every product depends on the BUMDes' NIB, NPWP and legal status.
        for product in bumdes.products.all():
            refresh_readiness(product)
    return bumdes


@transaction.atomic
def set_bumdes_photo(*, actor, bumdes: Bumdes, upload: UploadedFile) -> Bumdes:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    image, thumb = validated_image(upload, field="photo")
    old = bumdes.photo.name
    if old:
        storage = bumdes.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    bumdes.photo.save(f"{bumdes.pk}.jpg", thumb, save=False)
    bumdes.save(update_fields=["photo", "updated_at"])
    _record(bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.PHOTO, note="photo")
    return bumdes


@transaction.atomic
def transition_bumdes(*, actor, bumdes: Bumdes, to: str, note: str = "") -> Bumdes:
    bumdes = Bumdes.objects.select_for_update().get(pk=bumdes.pk)
    if not _may_move_to(actor, bumdes, to):
        raise PermissionDenied
    who = BUMDES_TRANSITIONS.get((bumdes.status, to))
    if who is None:
        raise ValidationError(
            {
                "status": _("A BUMDes cannot go from %(from)s to %(to)s.")
                % {"from": bumdes.get_status_display(), "to": Bumdes.Status(to).label}
            }
        )
    allowed = access.can_curate(actor) if who == "curate" else access.can_submit(actor, bumdes)
    if not allowed:
        raise PermissionDenied
    note = (note or "").strip()
    if to == Bumdes.Status.RETURNED and not note:
        raise ValidationError({"note": _("Say why the BUMDes is returned.")})
    old = bumdes.status
    bumdes.status = to
    bumdes.return_reason = note if to == Bumdes.Status.RETURNED else ""
    bumdes.save(update_fields=["status", "return_reason", "updated_at"])
    _record(
        bumdes=bumdes,
        actor=actor,
        kind=HistoryEntry.Kind.TRANSITION,
        from_status=old,
        to_status=to,
        note=note,
    )
    events.announce_bumdes(bumdes.pk)
    for product in bumdes.products.all():
        refresh_readiness(product)
    if to in (Bumdes.Status.RETURNED, Bumdes.Status.VERIFIED):
        for user in people_concerned(bumdes):
            if user.pk != getattr(actor, "pk", None):
                notify(
                    user,
                    kind=f"bumdes.{to}",
                    subject=translated(
                        gettext_lazy("BUMDes status changed: %(name)s"), name=bumdes.name
                    ),
                    template="products/email/bumdes_status.txt",
                    context={"bumdes": bumdes, "note": note, "actor": actor},
                    link=f"/registry/bumdes/{bumdes.pk}/",
                )
    return bumdes


@transaction.atomic
def link_operator(*, actor, bumdes: Bumdes, user: User) -> BumdesOperator:
    """Make ``user`` the (or an) operator of ``bumdes``. Officers in region or ministry."""
    if not access.can_submit(actor, bumdes):
        raise PermissionDenied
    if user.role != Role.OPERATOR:
        raise ValidationError({"user": _("Only a BUMDes operator account can be linked.")})
    link, _created = BumdesOperator.objects.update_or_create(user=user, defaults={"bumdes": bumdes})
    _record(
        bumdes=bumdes,
        actor=actor,
        kind=HistoryEntry.Kind.UPDATED,
        changes={"operator": [None, user.username]},
    )
    return link


# --- Products --------------------------------------------------------------------------------


def _check_product(product: Product) -> None:
    errors = {}
    if product.hs_code_id:
        hs = HsCode.objects.filter(code=product.hs_code_id).values_list("level", flat=True).first()
        problem = checks.hs_problem(product.hs_code_id, level=hs)
        if problem:
            errors["hs_code"] = problem
        else:
            problem = checks.national_code_problem(product.national_code, product.hs_code_id)
            if problem:
                errors["national_code"] = problem
    if errors:
        raise ValidationError(errors)
    product.capacity_base, product.base_unit = checks.to_base(
        product.capacity_per_month, product.unit
    )


@transaction.atomic
def create_product(
    *,
    actor,
    bumdes: Bumdes,
    data: dict,
    exported_to: list[Country] | None = None,
    target_markets: list[Country] | None = None,
) -> Product:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    product = Product(bumdes=bumdes, created_by=actor if actor.is_authenticated else None)
    _apply(product, data, PRODUCT_FIELDS)
    _check_product(product)
    _full_clean(product)
    product.save()
    if exported_to:
        product.exported_to.set(exported_to)
    if target_markets:
        product.target_markets.set(target_markets)
    _record(
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
    actor,
    product: Product,
    data: dict,
    exported_to: list[Country] | None = None,
    target_markets: list[Country] | None = None,
) -> Product:
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    product = Product.objects.select_for_update().get(pk=product.pk)
    changes = _apply(product, data, PRODUCT_FIELDS)
    _check_product(product)
    _full_clean(product)
    changes |= _m2m_changes(product, "exported_to", exported_to)
    changes |= _m2m_changes(product, "target_markets", target_markets)
    if not changes:
        return product
    product.save()
    _record(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.UPDATED,
        changes=changes,
    )
    material = sorted(MATERIAL_FIELDS & changes.keys())
    if material:
        labels = [str(Product._meta.get_field(name).verbose_name) for name in material]
        _back_to_review(product, actor=actor, reason=", ".join(labels))
    refresh_readiness(product)
    return product


@transaction.atomic
def transition_product(*, actor, product: Product, to: str, note: str = "") -> Product:
    product = Product.objects.select_for_update().select_related("bumdes").get(pk=product.pk)
    if not _may_move_to(actor, product.bumdes, to):
        raise PermissionDenied
    who = PRODUCT_TRANSITIONS.get((product.status, to))
    if who is None:
        raise ValidationError(
            {
                "status": _("A product cannot go from %(from)s to %(to)s.")
                % {"from": product.get_status_display(), "to": Product.Status(to).label}
            }
        )
    if who == "curate":
        allowed = access.can_curate(actor)
    else:
        allowed = access.can_submit(actor, product.bumdes)
    if not allowed:
        raise PermissionDenied
    note = (note or "").strip()
    if to == Product.Status.RETURNED and not note:
        raise ValidationError({"note": _("Say why the product is returned.")})
    if to == Product.Status.EXPORT_READY:
        readiness = refresh_readiness(product)
        if readiness.blocking:
            raise ValidationError(
                {
                    "status": [
                        _("Not export-ready yet: %(gap)s") % {"gap": gap.message(_lang())}
                        for gap in readiness.blocking
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
    _record(
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
        _notify_product(product, actor=actor, kind=f"product.{to}", note=note)
    return product


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or "id"


def _notify_product(product: Product, *, actor, kind: str, note: str) -> None:
    for user in people_concerned(product.bumdes):
        if user.pk == getattr(actor, "pk", None):
            continue
        notify(
            user,
            kind=kind,
            subject=translated(gettext_lazy("Product status: %(name)s"), name=product.name_id),
            template="products/email/product_status.txt",
            context={"product": product, "note": note, "actor": actor},
            link=f"/registry/products/{product.pk}/",
        )


def _back_to_review(product: Product, *, actor, reason: str) -> None:
    """An export-ready product whose substance changed goes back to the ministry's review."""
    if product.status != Product.Status.EXPORT_READY:
        return
    Product.objects.filter(pk=product.pk).update(
        status=Product.Status.SUBMITTED, export_ready_at=None
    )
    product.status = Product.Status.SUBMITTED
    product.export_ready_at = None
    note = _("Back to review after a material change: %(what)s") % {"what": reason}
    _record(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.TRANSITION,
        from_status=Product.Status.EXPORT_READY,
        to_status=Product.Status.SUBMITTED,
        note=note,
    )
    _notify_product(product, actor=actor, kind="product.back_to_review", note=note)


def refresh_all_readiness(on_progress=None) -> int:
    """Recompute every product's stored score, e.g. after ministry staff changed the rules."""
    ids = list(Product.objects.values_list("pk", flat=True))
    for done, pk in enumerate(ids, start=1):
        with transaction.atomic():
            refresh_readiness(Product.objects.select_related("bumdes").get(pk=pk))
        if on_progress and done % 100 == 0:
            on_progress(done, len(ids))
    return len(ids)


def refresh_readiness(product: Product):
    """Recompute and store the readiness score; bump the version so listeners see the change."""
    readiness = selectors.readiness_of(product)
    Product.objects.filter(pk=product.pk).update(
        readiness_score=readiness.score, version=F("version") + 1
    )
    product.readiness_score = readiness.score
    product.refresh_from_db(fields=["version"])
    events.announce_product(product.pk, product.version)
    return readiness


# --- Certificates ----------------------------------------------------------------------------


CERTIFICATE_FIELDS = ["type", "number", "issuer", "valid_from", "valid_until"]


@transaction.atomic
def add_certificate(*, actor, product: Product, data: dict, document=None) -> Certificate:
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    certificate = Certificate(product=product)
    _apply(certificate, data, CERTIFICATE_FIELDS)
    if document is not None:
        certificate.document = _validated_document(document)
    _full_clean(certificate)
    certificate.save()
    _certificate_changed(
        product,
        actor,
        {"certificate": [None, f"{certificate.type.code} {certificate.number}"]},
    )
    return certificate


@transaction.atomic
def update_certificate(
    *, actor, certificate: Certificate, data: dict, document=None
) -> Certificate:
    product = certificate.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    changes = _apply(certificate, data, CERTIFICATE_FIELDS)
    if document is not None:
        certificate.document = _validated_document(document)
        changes["document"] = [None, "new file"]
    _full_clean(certificate)
    if changes:
        certificate.lapse_handled_at = None
        certificate.save()
        _certificate_changed(product, actor, {f"certificate.{k}": v for k, v in changes.items()})
    return certificate


@transaction.atomic
def delete_certificate(*, actor, certificate: Certificate) -> None:
    product = certificate.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    label = f"{certificate.type.code} {certificate.number}"
    certificate.delete()
    _certificate_changed(product, actor, {"certificate": [label, None]})


def _certificate_changed(product: Product, actor, changes: dict) -> None:
    _record(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.CERTIFICATE,
        changes=changes,
    )
    _back_to_review(product, actor=actor, reason=_("certificates"))
    refresh_readiness(product)


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}


def _validated_document(upload: UploadedFile) -> ContentFile:
    if upload.size > DOCUMENT_MAX_BYTES:
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
        if product.status == Product.Status.EXPORT_READY:
            _back_to_review(
                product,
                actor=None,
                reason=_("%(type)s %(number)s expired on %(date)s")
                % {
                    "type": certificate.type.name_en,
                    "number": certificate.number,
                    "date": certificate.valid_until.isoformat(),
                },
            )
            handled += 1
        refresh_readiness(product)
        Certificate.objects.filter(pk=certificate.pk).update(lapse_handled_at=timezone.now())
    return handled


# --- Photos ----------------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, actor, product: Product, upload: UploadedFile, caption: str = "") -> ProductPhoto:
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    raw, thumb = validated_image(upload)
    from PIL import Image

    extension = PHOTO_FORMATS[Image.open(io.BytesIO(raw)).format]
    photo = ProductPhoto(product=product, caption=caption[:200], position=product.photos.count())
    photo.image.save(f"photo{extension}", ContentFile(raw), save=False)
    photo.thumbnail.save("thumb.jpg", thumb, save=False)
    photo.save()
    _record(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.PHOTO,
        changes={"photo": [None, photo.image.name]},
    )
    refresh_readiness(product)
    return photo


@transaction.atomic
def delete_photo(*, actor, photo: ProductPhoto) -> None:
    product = photo.product
    if not access.can_edit_product(actor, product):
        raise PermissionDenied
    name = photo.image.name
    storage, files = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    photo.delete()
    # Files go only once the row is surely gone; a rollback keeps both.
    transaction.on_commit(lambda: [storage.delete(f) for f in files if f])
    _record(
        bumdes=product.bumdes,
        product=product,
        actor=actor,
        kind=HistoryEntry.Kind.PHOTO,
        changes={"photo": [name, None]},
    )
    refresh_readiness(product)


# --- Deletion --------------------------------------------------------------------------------

DELETABLE_STATUSES = {"draft", "returned"}


def _delete_files_on_commit(*files) -> None:
    for file in files:
        if file:
            storage, name = file.storage, file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@transaction.atomic
def delete_bumdes(*, actor, bumdes: Bumdes) -> None:
    """Remove a BUMDes entered by mistake: draft or returned, without products.

    Regional officers in their region and ministry staff only. Nothing is recorded (the history
    goes with the row); listeners hear of it through ``events``.
    """
    from django.db.models import ProtectedError

    if not access.can_submit(actor, bumdes):
        raise PermissionDenied
    if bumdes.status not in DELETABLE_STATUSES:
        raise ValidationError({"status": _("Only a draft or returned BUMDes can be deleted.")})
    if bumdes.products.exists():
        raise ValidationError({"products": _("Delete or move the BUMDes' products first.")})
    pk = bumdes.pk
    photo = bumdes.photo
    try:
        bumdes.delete()
    except ProtectedError:
        raise ValidationError(
            {"status": _("This BUMDes is still referred to and cannot be deleted.")}
        ) from None
    _delete_files_on_commit(photo)
    events.announce_bumdes(pk)


@transaction.atomic
def delete_product(*, actor, product: Product) -> None:
    """Remove a draft or returned product, with its photos and certificates.

    Regional officers in the BUMDes' region and ministry staff only.
    """
    from django.db.models import ProtectedError

    if not access.can_submit(actor, product.bumdes):
        raise PermissionDenied
    if product.status not in DELETABLE_STATUSES:
        raise ValidationError({"status": _("Only a draft or returned product can be deleted.")})
    pk, version = product.pk, product.version
    photos = list(product.photos.all())
    files = [p.image for p in photos] + [p.thumbnail for p in photos]
    files += [c.document for c in product.certificates.all()]
    try:
        product.delete()
    except ProtectedError:
        raise ValidationError(
            {"status": _("This product is still referred to and cannot be deleted.")}
        ) from None
    _delete_files_on_commit(*files)
    events.announce_product(pk, version + 1)
