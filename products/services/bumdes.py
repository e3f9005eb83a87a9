"""Writes on BUMDes (village-owned enterprises, *Badan Usaha Milik Desa*): create, edit, photo,
workflow, operators, deletion. A BUM Desa Bersama is owned by several villages of one regency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import Role, User
from bumdes_export.core.identifiers import clean_nib, clean_npwp
from bumdes_export.core.images import validated_image
from bumdes_export.reference.models import Region
from products import access, checks, events
from products.access import AnyUser
from products.models import Bumdes, BumdesOperator, HistoryEntry
from products.services.editing import (
    apply_changes,
    delete_files_on_commit,
    full_clean,
    record_history,
)
from products.services.readiness import refresh_readiness
from products.services.review import notify_bumdes_status

#: The fields of a BUMDes its editors set (pages, API); the forms, serializers and benchmarks
#: derive theirs from this list.
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
#: Statuses in which a record entered by mistake may still be deleted.
DELETABLE_STATUSES = {"draft", "returned"}


def _check_village(user: AnyUser, village: Region) -> None:
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


def _clean_bumdes_data(data: dict[str, Any]) -> dict[str, Any]:
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


@transaction.atomic
def create_bumdes(
    *, actor: AnyUser, data: dict[str, Any], member_villages: list[Region] | None = None
) -> Bumdes:
    data = _clean_bumdes_data(data)
    village = data.get("village")
    if village is None:
        raise ValidationError({"village": _("Choose the village that owns the BUMDes.")})
    _check_village(actor, village)
    bumdes = Bumdes(created_by=actor if isinstance(actor, User) else None)
    apply_changes(bumdes, data, BUMDES_FIELDS)
    _check_legal(bumdes)
    full_clean(bumdes, exclude=["photo"])
    bumdes.save()
    members = list(member_villages or [])
    _check_members(bumdes, members)
    if bumdes.kind == Bumdes.Kind.BERSAMA:
        bumdes.member_villages.set({village, *members})
    record_history(
        bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.CREATED, to_status=bumdes.status
    )
    events.announce_bumdes(bumdes.pk)
    return bumdes


@transaction.atomic
def update_bumdes(
    *,
    actor: AnyUser,
    bumdes: Bumdes,
    data: dict[str, Any],
    member_villages: list[Region] | None = None,
) -> Bumdes:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    data = _clean_bumdes_data(data)
    if "village" in data and data["village"].code != bumdes.village_id:
        if not access.can_move_bumdes(actor, bumdes):
            raise ValidationError({"village": _("Only a regional officer can move a BUMDes.")})
        _check_village(actor, data["village"])
    changes = apply_changes(bumdes, data, BUMDES_FIELDS)
    _check_legal(bumdes)
    full_clean(bumdes, exclude=["photo"])
    if member_villages is not None:
        _check_members(bumdes, member_villages)
    if changes:
        bumdes.save()
    old_members = sorted(bumdes.member_villages.values_list("code", flat=True))
    new_members: list[str]
    if bumdes.kind != Bumdes.Kind.BERSAMA:
        new_members = []  # a plain BUM Desa belongs to its one village only
    elif member_villages is not None or "village" in changes:
        chosen = member_villages if member_villages is not None else []
        kept = [] if member_villages is not None else old_members
        new_members = sorted({bumdes.village_id, *kept, *(v.code for v in chosen)})
    else:
        new_members = old_members
    if old_members != new_members:
        bumdes.member_villages.set(new_members)  # type: ignore[arg-type]  # codes are the keys
        changes["member_villages"] = [", ".join(old_members), ", ".join(new_members)]
    if changes:
        record_history(bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.UPDATED, changes=changes)
        events.announce_bumdes(bumdes.pk)
        # Readiness of every product depends on the BUMDes' NIB, NPWP and legal status.
        for product in bumdes.products.all():
            refresh_readiness(product)
    return bumdes


@transaction.atomic
def set_bumdes_photo(*, actor: AnyUser, bumdes: Bumdes, upload: UploadedFile) -> Bumdes:
    if not access.can_edit_bumdes(actor, bumdes):
        raise PermissionDenied
    _image, thumb = validated_image(upload, field="photo")
    delete_files_on_commit(bumdes.photo)
    bumdes.photo.save(f"{bumdes.pk}.jpg", thumb, save=False)
    bumdes.save(update_fields=["photo", "updated_at"])
    record_history(bumdes=bumdes, actor=actor, kind=HistoryEntry.Kind.PHOTO, note="photo")
    return bumdes


@transaction.atomic
def transition_bumdes(*, actor: AnyUser, bumdes: Bumdes, to: str, note: str = "") -> Bumdes:
    bumdes = Bumdes.objects.select_for_update().get(pk=bumdes.pk)
    if not access.can_move_to(actor, bumdes, to):
        raise PermissionDenied
    step = access.BUMDES_TRANSITIONS.get((bumdes.status, to))
    if step is None:
        raise ValidationError(
            {
                "status": _("A BUMDes cannot go from %(from)s to %(to)s.")
                % {"from": bumdes.get_status_display(), "to": Bumdes.Status(to).label}
            }
        )
    if not access.can_take_step(actor, bumdes, step):
        raise PermissionDenied
    note = (note or "").strip()
    if to == Bumdes.Status.RETURNED and not note:
        raise ValidationError({"note": _("Say why the BUMDes is returned.")})
    old = bumdes.status
    bumdes.status = to
    bumdes.return_reason = note if to == Bumdes.Status.RETURNED else ""
    bumdes.save(update_fields=["status", "return_reason", "updated_at"])
    record_history(
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
        notify_bumdes_status(bumdes, actor=actor, to=to, note=note)
    return bumdes


@transaction.atomic
def link_operator(*, actor: AnyUser, bumdes: Bumdes, user: User) -> BumdesOperator:
    """Make ``user`` the (or an) operator of ``bumdes``. Officers in region or ministry."""
    if not access.can_link_operator(actor, bumdes):
        raise PermissionDenied
    if user.role != Role.OPERATOR:
        raise ValidationError({"user": _("Only a BUMDes operator account can be linked.")})
    link, _created = BumdesOperator.objects.update_or_create(user=user, defaults={"bumdes": bumdes})
    record_history(
        bumdes=bumdes,
        actor=actor,
        kind=HistoryEntry.Kind.UPDATED,
        changes={"operator": [None, user.username]},
    )
    return link


@transaction.atomic
def delete_bumdes(*, actor: AnyUser, bumdes: Bumdes) -> None:
    """Remove a BUMDes entered by mistake: draft or returned, without products.

    Regional officers in their region and ministry staff only. Nothing is recorded (the history
    goes with the row); listeners hear of it through ``events``.
    """
    if not access.can_delete(actor, bumdes):
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
    delete_files_on_commit(photo)
    events.announce_bumdes(pk)
