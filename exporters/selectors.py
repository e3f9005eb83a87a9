"""Reads of the directory: who sees which organisations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from bumdes_export.accounts.access import scope_for
from exporters.models import Membership, Organisation


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.select_related("organisation").filter(user=user).first()


def organisation_of(user) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def visible_organisations(user) -> QuerySet[Organisation]:
    """Signed-in users see verified organisations; ministry staff all; members their own too."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Organisation.objects.none()
    if scope.is_ministry:
        return Organisation.objects.all()
    own = Q(memberships__user=user)
    return Organisation.objects.filter(Q(status=Organisation.Status.VERIFIED) | own).distinct()


def directory(
    user,
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
    from django.db import connection

    return connection.vendor == "postgresql"


def pending_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.PENDING).order_by("created_at")


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Ministry staff, or an admin of the organisation."""
    scope = scope_for(user)
    if scope.is_ministry:
        return True
    if not scope.authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, is_admin=True).exists()


@dataclass(frozen=True)
class Viewer:
    """What one signed-in (or anonymous) user may see of directory entries; made once per request."""

    is_ministry: bool
    verified_exporter: bool
    organisation_id: int | None
    is_admin: bool

    def is_member(self, organisation: Organisation) -> bool:
        return self.organisation_id is not None and organisation.pk == self.organisation_id

    def sees_contact(self, organisation: Organisation) -> bool:
        """Contact details: ministry staff, the organisation's members and verified exporters."""
        return self.is_ministry or self.verified_exporter or self.is_member(organisation)

    def sees_members(self, organisation: Organisation) -> bool:
        return self.is_ministry or self.is_member(organisation)

    def edits(self, organisation: Organisation) -> bool:
        """The rule of ``can_edit_organisation``: ministry staff or the organisation's admins."""
        return self.is_ministry or (self.is_admin and self.is_member(organisation))


def viewer(user) -> Viewer:
    scope = scope_for(user)
    membership = membership_of(user) if scope.authenticated else None
    return Viewer(
        is_ministry=scope.is_ministry,
        verified_exporter=scope.is_verified_exporter,
        organisation_id=membership.organisation_id if membership else None,
        is_admin=bool(membership and membership.is_admin),
    )


def can_see_contact(user, organisation: Organisation) -> bool:
    return viewer(user).sees_contact(organisation)


def can_see_members(user, organisation: Organisation) -> bool:
    return viewer(user).sees_members(organisation)


def can_read_organisation(user, organisation: Organisation) -> bool:
    return visible_organisations(user).filter(pk=organisation.pk).exists()
