"""Who may see and change which BUMDes and products.

The decision of region scope comes from ``accounts.access``; this module applies it to the
registry: regional officers inside their region, operators to their own BUMDes, ministry staff to
everything. Exporters and anonymous visitors see nothing of the registry (the public catalogue is
a separate, export-ready-only view).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role
from products.models import Bumdes, BumdesOperator, Product


def operated_bumdes_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False) or user.role != Role.OPERATOR:
        return None
    link = BumdesOperator.objects.filter(user=user).values_list("bumdes_id", flat=True).first()
    return link


def bumdes_q(user, prefix: str = "") -> Q:
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


def visible_bumdes(user) -> QuerySet[Bumdes]:
    return Bumdes.objects.filter(bumdes_q(user))


def visible_products(user) -> QuerySet[Product]:
    return Product.objects.filter(bumdes_q(user, "bumdes__"))


def can_read_bumdes(user, bumdes: Bumdes) -> bool:
    return visible_bumdes(user).filter(pk=bumdes.pk).exists()


def can_create_bumdes_in(user, village_code: str) -> bool:
    """Ministry anywhere; officers inside their region. Operators do not create BUMDes."""
    return scope_for(user).covers(village_code)


def can_edit_bumdes(user, bumdes: Bumdes) -> bool:
    scope = scope_for(user)
    if scope.covers(bumdes.village_id):
        return True
    return operated_bumdes_id(user) == bumdes.pk


def can_edit_product(user, product: Product) -> bool:
    return can_edit_bumdes(user, product.bumdes)


def can_submit(user, bumdes: Bumdes) -> bool:
    """Regional officers (in their region) and ministry staff submit for review."""
    return scope_for(user).covers(bumdes.village_id)


def can_curate(user) -> bool:
    """Only ministry staff verify, return and mark export-ready."""
    return scope_for(user).is_ministry


def can_import_into(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    return scope.is_officer and (region_code is None or scope.covers(region_code))
