"""Who may see and do what with a deal and its shipments.

A deal has two sides: the **product's side** (ministry staff, the regional officers whose region
covers the product's village, the operators of its BUMDes) and the **organisation's side** (the
members of the exporter or buyer organisation). Both sides see the deal, its history and its
shipments; nobody else does. Recording steps and shipments takes a member of a *verified*
organisation on the organisation's side (the party-level rules of ``matchmaking.access``).
Deals made outside the portal are entered by ministry staff or the product's regional officer.

Rows a user may read are ``deals_q`` here, used by ``matchmaking.deals.selectors``.
"""

from __future__ import annotations

from django.db.models import Q

from bumdes_export.accounts.access import scope_for
from matchmaking import access
from matchmaking.access import AnyUser, Viewer
from matchmaking.deals.models import Deal
from products.models import Product

#: The two sides of a deal.
PRODUCT_SIDE = "product"
ORGANISATION_SIDE = "organisation"


def deals_q(user: AnyUser, prefix: str = "") -> Q:
    """Rows (reached through ``prefix``, a path to a deal) of deals the user may see."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    q = access.product_side_q(user, prefix=f"{prefix}product__")
    organisation = access.organisation_of(user)
    if organisation is not None:
        q |= Q(**{f"{prefix}organisation": organisation})
    return q


def has_deals(user: AnyUser) -> bool:
    """Everyone who may have a side in deals opens the deal list: ministry staff, officers,
    operators and the members of any organisation (a trading platform that inquired may have
    deals; a service provider sees the deals it helps with only through its requests)."""
    scope = scope_for(user)
    return scope.authenticated and (
        scope.is_ministry
        or scope.is_officer
        or scope.is_operator
        or access.organisation_of(user) is not None
    )


def deal_side(user: AnyUser, deal: Deal, viewer: Viewer | None = None) -> str | None:
    """``product`` or ``organisation`` when the user may see the deal; None otherwise. Ministry
    staff count as the product's side."""
    viewer = viewer or Viewer(user)
    if not viewer.scope.authenticated:
        return None
    if viewer.is_product_side(deal.product):
        return PRODUCT_SIDE
    if access.is_member(user, deal.organisation_id):
        return ORGANISATION_SIDE
    return None


def may_see_deal(user: AnyUser, deal: Deal) -> bool:
    return deal_side(user, deal) is not None


def acts_on_deal(user: AnyUser, deal: Deal, viewer: Viewer | None = None) -> bool:
    """Acts for one side of the deal: the product's side, or a member of the *verified*
    organisation (its unverified members only read). Says nothing of the deal's stage."""
    viewer = viewer or Viewer(user)
    return viewer.is_product_side(deal.product) or viewer.acts_for(deal.organisation)


def may_record(user: AnyUser, deal: Deal, viewer: Viewer | None = None) -> bool:
    """Records steps and shipments, or closes the deal as lost: the product's side, or a member
    of the verified organisation. A lost deal takes no more records."""
    return not deal.is_lost and acts_on_deal(user, deal, viewer)


def may_record_outside_deal(user: AnyUser, product: Product | None = None) -> bool:
    """Ministry staff, or a regional officer covering the product (any product of the region
    when none is named yet), enter a deal made outside the portal."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    if not scope.is_officer:
        return False
    return product is None or scope.covers(product.bumdes.village_id)


def may_export_deals(user: AnyUser) -> bool:
    """Anyone with deals downloads the lists they see, as CSV or XLSX."""
    return has_deals(user)
