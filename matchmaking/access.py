"""Who may see and do what in matchmaking, from role, region scope and organisation membership.

Two sides meet here:

- the **exporter side**: the members of an exporter (or buyer, aggregator, platform) organisation.
  Only members of a *verified* organisation act (shortlist, inquire, post buying requests); all
  members read their organisation's records.
- the **product side** of a product: the regional officers whose region covers the product's
  village, the operators of its BUMDes (village-owned enterprise) and ministry staff (who see
  everything).

Service providers are organisations of kind ``service`` or ``platform`` offering a service; their
members see and answer the service requests addressed to their organisation.

These are the party-level decisions shared by every matchmaking package; decisions about one kind
of dealing (an inquiry, a buying request, a service request) live in
``matchmaking.dealings.access``.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role
from exporters.models import Kind, Organisation
from exporters.selectors import membership_of
from products import access as product_access
from products.models import Product

#: Whoever makes a request: a signed-in account or an anonymous visitor.
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser

PROVIDER_KINDS = (Kind.SERVICE_PROVIDER, Kind.PLATFORM)

VERIFICATION_PENDING = _(
    "Your organisation is not verified yet. Ministry staff check every organisation before it "
    "can shortlist products, send inquiries or post buying requests; you will receive an email "
    "as soon as yours is verified."
)
EXPORTERS_ONLY = _("Only members of a verified exporter or buyer organisation can do this.")


def is_exporter_account(user: AnyUser) -> bool:
    """An account on the exporter side (verified or not): it reads its organisation's records."""
    return scope_for(user).is_exporter


def organisation_of(user: AnyUser) -> Organisation | None:
    """The organisation a user belongs to (whatever its status), for exporter accounts only."""
    if not is_exporter_account(user):
        return None
    membership = membership_of(user)
    return membership.organisation if membership else None


def verified_organisation(user: AnyUser) -> Organisation | None:
    """The user's organisation if both the account and the organisation are verified."""
    if not scope_for(user).is_verified_exporter:
        return None
    organisation = organisation_of(user)
    if organisation is None or not organisation.is_verified:
        return None
    return organisation


def may_act(user: AnyUser) -> bool:
    """A member of a verified organisation, with a verified account: shortlists, inquires and
    posts buying requests."""
    return verified_organisation(user) is not None


def acting_organisation(user: AnyUser) -> Organisation:
    """The verified organisation the user acts for, or ``PermissionDenied`` saying why not."""
    organisation = verified_organisation(user)
    if organisation is not None:
        return organisation
    if is_exporter_account(user):
        raise PermissionDenied(str(VERIFICATION_PENDING))
    raise PermissionDenied(str(EXPORTERS_ONLY))


def is_pending_exporter(user: AnyUser) -> bool:
    """An exporter account whose organisation (if any) is not verified."""
    return is_exporter_account(user) and verified_organisation(user) is None


def refusal(user: AnyUser, organisation: Organisation) -> PermissionDenied:
    """The refusal for a user who may not act for ``organisation``: it says the organisation is
    not verified yet when the user is one of its members; a plain 403 otherwise."""
    if is_pending_exporter(user) and is_member(user, organisation):
        return PermissionDenied(str(VERIFICATION_PENDING))
    return PermissionDenied()


def is_operator(user: AnyUser) -> bool:
    return scope_for(user).role == Role.OPERATOR


def product_side_q(user: AnyUser, prefix: str = "product__") -> Q:
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


def is_product_side(user: AnyUser, product: Product) -> bool:
    """Ministry staff, an officer covering the product's village or an operator of its BUMDes."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    if scope.is_officer:
        return scope.covers(product.bumdes.village_id)
    return bool(product_access.operated_bumdes_id(user) == product.bumdes_id)


def may_open_registry_page(user: AnyUser, product: Product) -> bool:
    """The product side opens a product's registry page; everyone else its catalogue entry."""
    return product_access.uses_registry(user) and is_product_side(user, product)


def is_member(user: AnyUser, organisation: Organisation | int) -> bool:
    """A member of ``organisation`` (an organisation or its id), verified or not."""
    organisation_id = getattr(organisation, "pk", organisation)
    own = organisation_of(user)
    return own is not None and own.pk == organisation_id


def acts_for(user: AnyUser, organisation: Organisation) -> bool:
    """A member of ``organisation`` who may act: account and organisation verified."""
    own = verified_organisation(user)
    return own is not None and own.pk == organisation.pk


def is_service_provider(organisation: Organisation) -> bool:
    """An organisation of a kind that offers services (service providers, trading platforms)."""
    return organisation.kind in PROVIDER_KINDS


def offers_service(organisation: Organisation, service: str) -> bool:
    return (
        is_service_provider(organisation)
        and organisation.is_verified
        and service in (organisation.services or [])
    )


class Viewer:
    """One user's standing, looked up once: for deciding about many rows (API lists)."""

    def __init__(self, user: AnyUser) -> None:
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
