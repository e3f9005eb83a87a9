"""Reads of the directory: which organisations a user sees (row visibility), and whose they are.

Who may do what with an organisation once seen is decided in ``exporters.access``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from bumdes_export.accounts.access import AnyUser, scope_for, signed_in
from bumdes_export.accounts.models import User
from exporters.models import Membership, Organisation


def membership_of(user: AnyUser) -> Membership | None:
    """The user's place in an organisation (an exporter account has at most one)."""
    member = signed_in(user)
    if member is None:
        return None
    return Membership.objects.select_related("organisation").filter(user=member).first()


def organisation_of(user: AnyUser) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def members_of(organisation: Organisation) -> list[User]:
    """The active members of an organisation (the people told about what it does)."""
    return [
        m.user for m in organisation.memberships.select_related("user").filter(user__is_active=True)
    ]


def visible_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Signed-in users see verified organisations; ministry staff all; members their own too."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Organisation.objects.none()
    if scope.is_ministry:
        return Organisation.objects.all()
    own = Q(memberships__user=signed_in(user))
    return Organisation.objects.filter(Q(status=Organisation.Status.VERIFIED) | own).distinct()


def directory(
    user: AnyUser,
    *,
    q: str = "",
    kind: str = "",
    hs: str = "",
    market: str = "",
    province: str = "",
    status: str = "",
    service: str = "",
) -> QuerySet[Organisation]:
    qs = visible_organisations(user).select_related("country", "province")
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(description__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    hs = hs.replace(".", "").strip()
    if hs:
        # An interest in a chapter or heading covers the codes below it, and the reverse.
        prefixes = {hs[:2], hs[:4], hs[:6]}
        qs = qs.filter(
            Q(hs_interests__code__in=prefixes) | Q(hs_interests__code__startswith=hs)
        ).distinct()
    if market:
        qs = qs.filter(destination_markets__code=market).distinct()
    if province:
        qs = qs.filter(province__code=province)
    if status:
        qs = qs.filter(status=status)
    if service:
        qs = (
            qs.filter(services__contains=[service])
            if _json_contains()
            else qs.filter(services__icontains=f'"{service}"')
        )
    return qs.prefetch_related("hs_interests", "destination_markets")


def _json_contains() -> bool:
    return connection.vendor == "postgresql"


def pending_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.PENDING).order_by("created_at")


def can_read_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return visible_organisations(user).filter(pk=organisation.pk).exists()
