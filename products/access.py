"""Who may see and change which BUMDes and products.

The decision of region scope comes from ``accounts.access``; this module applies it to the
registry: regional officers inside their region, operators to their own BUMDes, ministry staff to
everything. Exporters and anonymous visitors see nothing of the registry (the public catalogue is
a separate, export-ready-only view). Pages, the API, templates (through the views) and the
services ask these functions; none decides on its own.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role, User
from products.models import Bumdes, BumdesOperator, Product

#: Whoever makes a request: a signed-in account, an anonymous visitor, or nobody (a task).
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser | None

#: The roles that work in the registry (``/registry/``); exporters and visitors do not.
REGISTRY_ROLES = frozenset({Role.MINISTRY, Role.OFFICER, Role.OPERATOR})

# The workflow: which status may follow which, and who takes the step: "submit" (regional
# officers in their region and ministry staff) or "curate" (ministry staff only).
SUBMIT = "submit"
CURATE = "curate"
BUMDES_TRANSITIONS: dict[tuple[str, str], str] = {
    (Bumdes.Status.DRAFT, Bumdes.Status.SUBMITTED): SUBMIT,
    (Bumdes.Status.RETURNED, Bumdes.Status.SUBMITTED): SUBMIT,
    (Bumdes.Status.SUBMITTED, Bumdes.Status.VERIFIED): CURATE,
    (Bumdes.Status.SUBMITTED, Bumdes.Status.RETURNED): CURATE,
    (Bumdes.Status.VERIFIED, Bumdes.Status.RETURNED): CURATE,
}
PRODUCT_TRANSITIONS: dict[tuple[str, str], str] = {
    (Product.Status.DRAFT, Product.Status.SUBMITTED): SUBMIT,
    (Product.Status.RETURNED, Product.Status.SUBMITTED): SUBMIT,
    (Product.Status.SUBMITTED, Product.Status.VERIFIED): CURATE,
    (Product.Status.SUBMITTED, Product.Status.RETURNED): CURATE,
    (Product.Status.VERIFIED, Product.Status.EXPORT_READY): CURATE,
    (Product.Status.VERIFIED, Product.Status.RETURNED): CURATE,
    (Product.Status.EXPORT_READY, Product.Status.RETURNED): CURATE,
    (Product.Status.EXPORT_READY, Product.Status.VERIFIED): CURATE,
}


def operated_bumdes_id(user: AnyUser) -> int | None:
    """The BUMDes an operator account maintains; ``None`` for everyone else."""
    if not isinstance(user, User) or user.role != Role.OPERATOR:
        return None
    return BumdesOperator.objects.filter(user=user).values_list("bumdes_id", flat=True).first()


def officer_region(user: AnyUser) -> str:
    """The region a regional officer works in (region pickers and filters start there); empty
    for everyone else (ministry staff: every region)."""
    scope = scope_for(user)
    return (scope.region_code or "") if scope.is_officer else ""


def uses_registry(user: AnyUser) -> bool:
    """Ministry staff, regional officers and BUMDes operators work in the registry."""
    return scope_for(user).role in REGISTRY_ROLES


def works_for_region(user: AnyUser) -> bool:
    """Regional officers: they register the BUMDes and products of their region."""
    return scope_for(user).is_officer


def keeps_own_bumdes(user: AnyUser) -> bool:
    """BUMDes operators: they keep their own BUMDes and its products up to date."""
    return scope_for(user).is_operator


def bumdes_q(user: AnyUser, prefix: str = "") -> Q:
    """Rows (reached through ``prefix``) of the BUMDes this user may read."""
    scope = scope_for(user)
    if scope.is_ministry:
        return Q()
    if scope.is_officer:
        return scope.region_q(f"{prefix}village__code")
    bumdes_id = operated_bumdes_id(user) if scope.authenticated else None
    if bumdes_id is not None:
        return Q(**{f"{prefix}id": bumdes_id})
    return Q(pk__in=[])


def visible_bumdes(user: AnyUser) -> QuerySet[Bumdes]:
    return Bumdes.objects.filter(bumdes_q(user))


def visible_products(user: AnyUser) -> QuerySet[Product]:
    return Product.objects.filter(bumdes_q(user, "bumdes__"))


def can_read_bumdes(user: AnyUser, bumdes: Bumdes) -> bool:
    return visible_bumdes(user).filter(pk=bumdes.pk).exists()


def can_create_bumdes(user: AnyUser) -> bool:
    """Ministry staff and regional officers create BUMDes (an officer inside their region, see
    ``can_create_bumdes_in``); operators and everyone else do not."""
    scope = scope_for(user)
    return scope.is_ministry or scope.is_officer


def can_create_bumdes_in(user: AnyUser, village_code: str) -> bool:
    """Ministry anywhere; officers inside their region. Operators do not create BUMDes."""
    return scope_for(user).covers(village_code)


def can_create_products(user: AnyUser) -> bool:
    """Those who create BUMDes, and operators linked to a BUMDes, create products."""
    return can_create_bumdes(user) or operated_bumdes_id(user) is not None


def can_edit_bumdes(user: AnyUser, bumdes: Bumdes) -> bool:
    scope = scope_for(user)
    if scope.covers(bumdes.village_id):
        return True
    return operated_bumdes_id(user) == bumdes.pk


def can_move_bumdes(user: AnyUser, bumdes: Bumdes) -> bool:
    """Whether the user may change the village (and so the members and kind) of a BUMDes they
    edit: its own operator may not; regional officers and ministry staff may."""
    return operated_bumdes_id(user) != bumdes.pk


def can_edit_product(user: AnyUser, product: Product) -> bool:
    return can_edit_bumdes(user, product.bumdes)


def can_submit(user: AnyUser, bumdes: Bumdes) -> bool:
    """Regional officers (in their region) and ministry staff submit for review."""
    return scope_for(user).covers(bumdes.village_id)


def can_curate(user: AnyUser) -> bool:
    """Only ministry staff verify, return and mark export-ready."""
    return scope_for(user).is_ministry


def can_take_step(user: AnyUser, bumdes: Bumdes, step: str) -> bool:
    """Whether the user may take a workflow step (``SUBMIT`` or ``CURATE``) on the BUMDes or
    one of its products."""
    return can_curate(user) if step == CURATE else can_submit(user, bumdes)


def can_move_to(user: AnyUser, bumdes: Bumdes, to: str) -> bool:
    """Submitting is for officers in the region and ministry staff; every other step, ministry."""
    return can_take_step(user, bumdes, SUBMIT if to == "submitted" else CURATE)


def allowed_transitions(
    user: AnyUser, transitions: dict[tuple[str, str], str], status: str, bumdes: Bumdes
) -> list[str]:
    """The statuses this user may move a record in ``status`` to (a BUMDes, or a product of
    ``bumdes``), in the order of the workflow table."""
    return [
        target
        for (source, target), step in transitions.items()
        if source == status and can_take_step(user, bumdes, step)
    ]


def can_link_operator(user: AnyUser, bumdes: Bumdes) -> bool:
    """Regional officers in the region and ministry staff link operator accounts."""
    return can_submit(user, bumdes)


def can_delete(user: AnyUser, bumdes: Bumdes) -> bool:
    """Regional officers in the region and ministry staff delete a BUMDes or its products
    (entered by mistake)."""
    return can_submit(user, bumdes)
