"""Who may see and do what at forums, from role, region scope and organisation membership.

- **Organisers** (the forum's organiser and co-organisers, ministry staff) manage their forum:
  slots, tables, approvals, the scheduler, moves, exports. Other ministry staff read everything.
- A participant is **acted for** by: the verified members of its organisation; the operators of
  its BUMDes and the officers whose region covers the BUMDes; for a regional government, the
  officer who registered it and officers whose region covers that region.
- **Regional officers** read everything of their region's participants (BUMDes in the region,
  the region's governments); **participants** their own requests and meetings. Approved
  participants of a forum see each other (a directory, so that they can ask for meetings).
"""

from __future__ import annotations

from django.db.models import Q

from bumdes_export.accounts.access import code_within, scope_for
from bumdes_export.accounts.models import Role
from matchmaking import access as mm_access
from matchmaking.forums.models import Forum, ForumParticipant, ParticipantKind
from products import access as product_access


class ForumViewer:
    """One user's standing, looked up once (for deciding about many rows)."""

    def __init__(self, user):
        self.user = user
        self.scope = scope_for(user)
        self.organisation = mm_access.verified_organisation(user)
        self.member_of = mm_access.organisation_of(user)
        self.bumdes_id = (
            product_access.operated_bumdes_id(user) if self.scope.authenticated else None
        )

    @property
    def authenticated(self) -> bool:
        return self.scope.authenticated

    @property
    def is_ministry(self) -> bool:
        return self.scope.is_ministry

    def organises(self, forum: Forum) -> bool:
        if not self.is_ministry:
            return False
        if forum.organiser_id == self.user.pk:
            return True
        return forum.co_organisers.filter(pk=self.user.pk).exists()

    def acts_for(self, participant: ForumParticipant) -> bool:
        """May send and answer requests, change availability and record outcomes for it."""
        if not self.authenticated:
            return False
        kind = participant.kind
        if kind == ParticipantKind.ORGANISATION:
            return (
                self.organisation is not None
                and self.organisation.pk == participant.organisation_id
            )
        if kind == ParticipantKind.BUMDES:
            if self.bumdes_id is not None and self.bumdes_id == participant.bumdes_id:
                return True
            return self.scope.is_officer and self.scope.covers(participant.bumdes.village_id)
        if kind == ParticipantKind.OFFICER:
            if participant.officer_id == self.user.pk:
                return True
            return self.scope.is_officer and self.scope.covers(participant.region_id)
        return False

    def reads(self, participant: ForumParticipant) -> bool:
        """Sees the participant's requests, meetings and outcomes (not only its listing)."""
        if self.is_ministry:
            return True
        if self.acts_for(participant):
            return True
        # Members of an organisation that is not verified yet still read its records.
        return (
            participant.kind == ParticipantKind.ORGANISATION
            and self.member_of is not None
            and self.member_of.pk == participant.organisation_id
        )


def organiser_q(user, prefix: str = "") -> Q:
    """Rows (reached through ``prefix``, a path to a forum) of forums the user organises."""
    if not scope_for(user).is_ministry:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organiser": user}) | Q(**{f"{prefix}co_organisers": user})


def forums_q(user) -> Q:
    """Forums a signed-in user sees: published and finished ones; drafts only ministry staff."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    return Q(status__in=[Forum.Status.PUBLISHED, Forum.Status.FINISHED])


def own_participants_q(user, prefix: str = "") -> Q:
    """Participants (reached through ``prefix``) the user reads in full: those it acts for,
    its region's, its (possibly unverified) organisation's; ministry staff all."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    if scope.is_officer:
        return (
            Q(**{f"{prefix}officer": user})
            | scope.region_q(f"{prefix}bumdes__village__code")
            | scope.region_q(f"{prefix}region__code")
        )
    if scope.role == Role.OPERATOR:
        bumdes_id = product_access.operated_bumdes_id(user)
        return Q(**{f"{prefix}bumdes_id": bumdes_id}) if bumdes_id else Q(pk__in=[])
    if scope.is_exporter:
        organisation = mm_access.organisation_of(user)
        return Q(**{f"{prefix}organisation": organisation}) if organisation else Q(pk__in=[])
    return Q(pk__in=[])


def region_invited(forum: Forum, region_code: str | None) -> bool:
    """Is a place (a village, regency or province code) invited? No invited regions: all are.

    An officer of a province is invited when one of its regencies is, and the reverse."""
    codes = list(forum.invited_regions.values_list("code", flat=True))
    if not codes:
        return True
    if not region_code:
        return False
    return any(code_within(region_code, code) or code_within(code, region_code) for code in codes)


def may_create_forum(user) -> bool:
    return scope_for(user).is_ministry


def organises(user, forum: Forum) -> bool:
    return ForumViewer(user).organises(forum)


def acts_for(user, participant: ForumParticipant) -> bool:
    return ForumViewer(user).acts_for(participant)
