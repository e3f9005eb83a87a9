"""Who may see and do what in matchmaking, from role, region scope and organisation membership.

Two sides meet here:

- the **exporter side**: the members of an exporter (or buyer, aggregator, platform) organisation.
  Only members of a *verified* organisation act (shortlist, inquire, post buying requests); all
  members read their organisation's records.
- the **product side** of a product: the regional officers whose region covers the product's
  village, the operators of its BUMDes and ministry staff (who see everything).

Service providers are organisations of kind ``service`` or ``platform`` offering a service; their
members see and answer the service requests addressed to their organisation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role
from exporters.models import Kind, Organisation
from exporters.selectors import membership_of
from products import access as product_access
from products.models import Product

PROVIDER_KINDS = (Kind.SERVICE_PROVIDER, Kind.PLATFORM)

VERIFICATION_PENDING = _(
    "Your organisation is not verified yet. Ministry staff check every organisation before it "
    "can shortlist products, send inquiries or post buying requests; you will receive an email "
    "as soon as yours is verified."
)
EXPORTERS_ONLY = _("Only members of a verified exporter or buyer organisation can do this.")


def organisation_of(user) -> Organisation | None:
    """The organisation a user belongs to (whatever its status), for exporter accounts only."""
    scope = scope_for(user)
    if not scope.is_exporter:
        return None
    membership = membership_of(user)
    return membership.organisation if membership else None


def verified_organisation(user) -> Organisation | None:
    """The user's organisation if both the account and the organisation are verified."""
    if not scope_for(user).is_verified_exporter:
        return None
    organisation = organisation_of(user)
    if organisation is None or not organisation.is_verified:
        return None
    return organisation


def acting_organisation(user) -> Organisation:
    """The verified organisation the user acts for, or ``PermissionDenied`` saying why not."""
    organisation = verified_organisation(user)
    if organisation is not None:
        return organisation
    if scope_for(user).is_exporter:
        raise PermissionDenied(str(VERIFICATION_PENDING))
    raise PermissionDenied(str(EXPORTERS_ONLY))


def is_pending_exporter(user) -> bool:
    """An exporter account whose organisation (if any) is not verified."""
    return scope_for(user).is_exporter and verified_organisation(user) is None


def is_operator(user) -> bool:
    return scope_for(user).role == Role.OPERATOR


def product_side_q(user, prefix: str = "product__") -> Q:
    """Rows (reached through ``prefix``, a path to a product) of products on the user's side.

    Ministry staff: everything; officers: products whose village lies in their region;
    operators: their BUMDes' products; anyone else: nothing.
    """
    scope = scope_for(user)
    if scope.is_ministry:
        return Q()
    if scope.is_officer:
        return scope.region_q(f"{prefix}bumdes__village__code")
    bumdes_id = product_access.operated_bumdes_id(user)
    if bumdes_id is not None:
        return Q(**{f"{prefix}bumdes_id": bumdes_id})
    return Q(pk__in=[])


def is_product_side(user, product: Product) -> bool:
    """Ministry staff, an officer covering the product's village or an operator of its BUMDes."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    if scope.is_officer:
        return scope.covers(product.bumdes.village_id)
    return product_access.operated_bumdes_id(user) == product.bumdes_id


def is_on_product_side_role(user) -> bool:
    """Roles that may ever be on a product's side."""
    scope = scope_for(user)
    return scope.is_ministry or scope.is_officer or scope.role == Role.OPERATOR


def is_member(user, organisation: Organisation) -> bool:
    organisation_id = getattr(organisation, "pk", organisation)
    own = organisation_of(user)
    return own is not None and own.pk == organisation_id


def acts_for(user, organisation: Organisation) -> bool:
    """A member of ``organisation`` who may act: account and organisation verified."""
    own = verified_organisation(user)
    return own is not None and own.pk == organisation.pk


def may_request_service(user, product: Product) -> bool:
    """Regional officers covering the product, its BUMDes' operators and ministry staff."""
    return is_product_side(user, product)


def offers_service(organisation: Organisation, service: str) -> bool:
    return (
        organisation.kind in PROVIDER_KINDS
        and organisation.is_verified
        and service in (organisation.services or [])
    )


class Viewer:
    """One user's standing, looked up once: for deciding about many rows (API lists)."""

    def __init__(self, user):
        self.user = user
        self.scope = scope_for(user)
        self.organisation = verified_organisation(user)
        self.bumdes_id = product_access.operated_bumdes_id(user)

    def acts_for(self, organisation: Organisation) -> bool:
        return self.organisation is not None and self.organisation.pk == organisation.pk

    def is_product_side(self, product: Product) -> bool:
        if self.scope.is_ministry:
            return True
        if self.scope.is_officer:
            return self.scope.covers(product.bumdes.village_id)
        return self.bumdes_id is not None and self.bumdes_id == product.bumdes_id
