"""Who may do what in the directory: every access decision of the ``exporters`` app, once.

Views, serializers, the API, templates (through the view's context) and the admin ask these
functions; the services ask them before they write. Which organisations a user may see at all
(row visibility) is a read, in ``exporters.selectors.visible_organisations``.

The rules, in the portal's words:

- ministry staff (Kemendes PDTT) verify and reject organisations, list partner organisations
  themselves, see everything of every organisation and edit any of them;
- an organisation's *admins* (``Membership.is_admin``) edit its profile and manage its members;
  every member sees the members and the organisation's identifiers (NIB, *Nomor Induk Berusaha*,
  the business number; NPWP, *Nomor Pokok Wajib Pajak*, the tax number);
- contact details are shown to ministry staff, the organisation's members and verified exporters;
- only anonymous visitors register a new organisation; exporter accounts are the ones that belong
  to an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bumdes_export.accounts.access import AnyUser, scope_for
from exporters.models import Organisation
from exporters.selectors import membership_of


@dataclass(frozen=True)
class Viewer:
    """What one user may see and do in the directory; made once per request (a page or an API
    response shows many organisations), so that each rule costs no query per organisation."""

    is_ministry: bool
    verified_exporter: bool
    organisation_id: int | None
    is_admin: bool

    def is_member(self, organisation: Organisation) -> bool:
        return self.organisation_id is not None and organisation.pk == self.organisation_id

    def sees_contact(self, organisation: Organisation) -> bool:
        """Contact details: ministry staff, the organisation's members and verified exporters."""
        return self.is_ministry or self.verified_exporter or self.is_member(organisation)

    def sees_identifiers(self, organisation: Organisation) -> bool:
        """NIB and NPWP: ministry staff and the organisation's members."""
        return self.is_ministry or self.is_member(organisation)

    def sees_members(self, organisation: Organisation) -> bool:
        """The member list: ministry staff and the organisation's members."""
        return self.is_ministry or self.is_member(organisation)

    def edits(self, organisation: Organisation) -> bool:
        """Profile, logo, sourcing preferences: ministry staff or the organisation's admins."""
        return self.is_ministry or (self.is_admin and self.is_member(organisation))

    def manages_members(self, organisation: Organisation) -> bool:
        """Invite and remove colleagues: whoever edits the organisation."""
        return self.edits(organisation)

    def sees_history(self, organisation: Organisation) -> bool:
        """Who changed what: whoever edits the organisation."""
        return self.edits(organisation)

    @property
    def verifies(self) -> bool:
        """Verify or reject organisations, see the queue of pending ones: ministry staff."""
        return self.is_ministry

    @property
    def sees_verifier(self) -> bool:
        """The name of the staff member who verified an organisation: ministry staff."""
        return self.is_ministry

    @property
    def filters_by_status(self) -> bool:
        """Only ministry staff see organisations in every state, so only they filter by it."""
        return self.is_ministry


def viewer(user: AnyUser) -> Viewer:
    scope = scope_for(user)
    membership = membership_of(user) if scope.authenticated else None
    return Viewer(
        is_ministry=scope.is_ministry,
        verified_exporter=scope.is_verified_exporter,
        organisation_id=membership.organisation_id if membership else None,
        is_admin=bool(membership and membership.is_admin),
    )


def can_see_contact(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).sees_contact(organisation)


def can_see_identifiers(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).sees_identifiers(organisation)


def can_see_members(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).sees_members(organisation)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).edits(organisation)


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).manages_members(organisation)


def can_see_history(user: AnyUser, organisation: Organisation) -> bool:
    return viewer(user).sees_history(organisation)


def has_own_organisation(user: AnyUser) -> bool:
    """Organisation accounts (exporters, buyers ...) have their organisation's page."""
    return scope_for(user).is_exporter


def can_verify(user: AnyUser) -> bool:
    """Verify, reject, and see the organisations awaiting verification."""
    return viewer(user).verifies


def can_see_verifier(user: AnyUser) -> bool:
    return viewer(user).sees_verifier


def can_filter_by_status(user: AnyUser) -> bool:
    return viewer(user).filters_by_status


def can_create_organisation(user: AnyUser) -> bool:
    """List a partner organisation without self-registration (and in the admin): ministry staff."""
    return scope_for(user).is_ministry


def can_delete_organisation(user: AnyUser) -> bool:
    """Delete organisations (the admin's delete actions): ministry staff."""
    return scope_for(user).is_ministry


def can_register_organisation(user: AnyUser) -> bool:
    """Self-registration is for anonymous visitors: a signed-in person already has an account."""
    return not getattr(user, "is_authenticated", False)


def may_belong_to_organisation(user: AnyUser) -> bool:
    """Exporter accounts (exporters, buyers, platforms, service providers) are the ones that
    belong to an organisation; one without is pointed to the registration."""
    return scope_for(user).is_exporter
