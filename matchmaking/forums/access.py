"""Who may see and do what at forums, from role, region scope and organisation membership.

- **Organisers** (the forum's organiser and co-organisers, ministry staff) manage their forum:
  slots, tables, approvals, the scheduler, moves, exports. Other ministry staff read everything.
- A participant is **acted for** by: the verified members of its organisation; the operators of
  its BUMDes and the officers whose region covers the BUMDes; for a regional government, the
  officer who registered it and officers whose region covers that region.
- **Regional officers** read everything of their region's participants (BUMDes in the region,
  the region's governments); **participants** their own requests and meetings. Approved
  participants of a forum see each other (a directory, so that they can ask for meetings).

Every decision is a named function here (or a method of ``ForumViewer``, which looks the
user's standing up once for pages deciding about many rows); services, views, the API and
templates (through the view's context) all ask these.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from bumdes_export.accounts.access import code_within, scope_for
from bumdes_export.accounts.models import Role
from matchmaking import access as mm_access
from matchmaking.forums.models import (
    OPEN_MEETING_STATUSES,
    FollowUp,
    Forum,
    ForumParticipant,
    Meeting,
    MeetingRequest,
    ParticipantKind,
)
from products import access as product_access
from products.models import Bumdes

#: A request's user: signed in or not.
Reader = AbstractBaseUser | AnonymousUser

#: Requests that can still be withdrawn or cancelled.
OPEN_REQUEST_STATUSES = (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED)


class ForumViewer:
    """One user's standing, looked up once (for deciding about many rows)."""

    def __init__(self, user: Reader) -> None:
        self.user = user
        self.scope = scope_for(user)
        self.organisation = mm_access.verified_organisation(user)
        self.member_of = mm_access.organisation_of(user)
        self.bumdes_id = (
            product_access.operated_bumdes_id(user) if self.scope.authenticated else None
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.scope.authenticated)

    @property
    def is_ministry(self) -> bool:
        return bool(self.scope.is_ministry)

    def organises(self, forum: Forum) -> bool:
        if not self.is_ministry:
            return False
        pk = self.user.pk
        if pk is None:
            return False
        if forum.organiser_id == pk:
            return True
        return forum.co_organisers.filter(pk=pk).exists()

    def reads_organiser_views(self, forum: Forum) -> bool:
        """The organiser's pages of a forum (participants, matrix, plan, schedule, statistics,
        exports): its organisers manage them, other ministry staff read them."""
        return self.organises(forum) or self.is_ministry

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
            bumdes = participant.bumdes
            return bool(
                self.scope.is_officer
                and bumdes is not None
                and self.scope.covers(bumdes.village_id)
            )
        if kind == ParticipantKind.OFFICER:
            if participant.officer_id == self.user.pk:
                return True
            return bool(self.scope.is_officer and self.scope.covers(participant.region_id))
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

    def manages_participant(self, participant: ForumParticipant) -> bool:
        """Changes its availability, time zone and attendees: who acts for it, and the forum's
        organisers (for participants without an account)."""
        return self.acts_for(participant) or self.organises(participant.forum)

    def opens_participant(self, participant: ForumParticipant) -> bool:
        """Reads its availability, attendees and suggested counterparts: who reads it in full,
        and the forum's organisers."""
        return self.reads(participant) or self.organises(participant.forum)

    def may_send_requests(self, participant: ForumParticipant) -> bool:
        """Asks for meetings in its name now: acts for it, it is approved and the forum is
        open (published)."""
        return (
            self.acts_for(participant)
            and participant.is_approved
            and participant.forum.status == Forum.Status.PUBLISHED
        )

    def is_invited_side(self, request: MeetingRequest) -> bool:
        """Acts for the participant a request asks to meet."""
        return self.acts_for(request.to_participant)

    def may_answer_request(self, request: MeetingRequest) -> bool:
        """The invited side answers; an organiser answers for a participant without an account
        (the venue's help desk)."""
        return self.is_invited_side(request) or self.organises(request.forum)

    def answers_on_page(self, request: MeetingRequest, participant: ForumParticipant) -> bool:
        """On a participant's page, the answer buttons of a request: a pending request to that
        participant, shown to its own side (organisers answer from the organiser's pages)."""
        return (
            request.to_participant_id == participant.pk
            and request.status == MeetingRequest.Status.PENDING
            and self.is_invited_side(request)
        )

    def may_move_meeting(self, meeting: Meeting) -> bool:
        """Organisers move a meeting to another slot or table while it is still to be held."""
        return self.organises(meeting.forum) and meeting.status in OPEN_MEETING_STATUSES

    def may_cancel_request(self, request: MeetingRequest) -> bool:
        """A pending request: its sender withdraws it; an accepted one: either side cancels it
        (with its meeting); an organiser does both. Closed requests: nobody."""
        if request.status not in OPEN_REQUEST_STATUSES:
            return False
        if self.acts_for(request.from_participant) or self.organises(request.forum):
            return True
        return request.status == MeetingRequest.Status.ACCEPTED and self.acts_for(
            request.to_participant
        )

    def meeting_side(self, meeting: Meeting) -> ForumParticipant | None:
        """The party the user speaks for in this meeting (the first, if both)."""
        for party in (meeting.party_a, meeting.party_b):
            if self.acts_for(party):
                return party
        return None

    def records_outcomes(self, meeting: Meeting) -> bool:
        """Records what a meeting led to and adds follow-ups: either side, or an organiser."""
        return self.meeting_side(meeting) is not None or self.organises(meeting.forum)


def organiser_q(user: Reader, prefix: str = "") -> Q:
    """Rows (reached through ``prefix``, a path to a forum) of forums the user organises."""
    if not scope_for(user).is_ministry:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organiser": user}) | Q(**{f"{prefix}co_organisers": user})


def forums_q(user: Reader) -> Q:
    """Forums a signed-in user sees: published and finished ones; drafts only ministry staff."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    return Q(status__in=[Forum.Status.PUBLISHED, Forum.Status.FINISHED])


def own_participants_q(user: Reader, prefix: str = "") -> Q:
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


# --- Forums ----------------------------------------------------------------------------------


def may_create_forum(user: Reader) -> bool:
    return bool(scope_for(user).is_ministry)


def organises(user: Reader, forum: Forum) -> bool:
    return ForumViewer(user).organises(forum)


def reads_organiser_views(user: Reader, forum: Forum) -> bool:
    return ForumViewer(user).reads_organiser_views(forum)


def acts_for(user: Reader, participant: ForumParticipant) -> bool:
    return ForumViewer(user).acts_for(participant)


# --- Registration ----------------------------------------------------------------------------


def may_register_government(user: Reader) -> bool:
    """Regional officers register the regional government (pemerintah daerah) of their region."""
    return bool(scope_for(user).is_officer)


def may_register_bumdes(user: Reader, bumdes: Bumdes) -> bool:
    """A BUMDes (village-owned enterprise) is registered by an officer whose region covers it,
    or by its operator."""
    scope = scope_for(user)
    if scope.is_officer and scope.covers(bumdes.village_id):
        return True
    return ForumViewer(user).bumdes_id == bumdes.pk


def registration_kinds(user: Reader, forum: Forum) -> list[str]:
    """The kinds of participant the user could register at this forum now (not yet
    registered): an officer its regional government and BUMDes of its region, an operator its
    BUMDes, a member of a verified organisation the organisation. A forum that is not
    published takes none."""
    if forum.status != Forum.Status.PUBLISHED:
        return []
    scope = scope_for(user)
    kinds: list[str] = []
    if may_register_government(user):
        if not forum.participants.filter(officer_id=user.pk).exists():
            kinds.append(ParticipantKind.OFFICER)
        kinds.append(ParticipantKind.BUMDES)
    elif bumdes_id := product_access.operated_bumdes_id(user):
        if not forum.participants.filter(bumdes_id=bumdes_id).exists():
            kinds.append(ParticipantKind.BUMDES)
    elif (
        scope.is_exporter
        and (organisation := mm_access.verified_organisation(user))
        and not forum.participants.filter(organisation=organisation).exists()
    ):
        kinds.append(ParticipantKind.ORGANISATION)
    return kinds


def require_registration_kinds(user: Reader, forum: Forum) -> list[str]:
    """``registration_kinds``, or ``PermissionDenied`` saying why there is none (a member of an
    organisation that is not verified hears that)."""
    kinds = registration_kinds(user, forum)
    if not kinds and scope_for(user).is_exporter:
        organisation = mm_access.acting_organisation(user)  # says why: none verified
        if forum.participants.filter(organisation=organisation).exists():
            raise PermissionDenied(_("Your organisation is already registered at this forum."))
    bumdes_id = product_access.operated_bumdes_id(user) if not kinds else None
    if bumdes_id and forum.participants.filter(bumdes_id=bumdes_id).exists():
        raise PermissionDenied(_("Your BUMDes is already registered at this forum."))
    if not kinds:
        raise PermissionDenied(_("There is nothing you can register for this forum."))
    return kinds


def may_attend_for(user: Reader, participant: ForumParticipant) -> bool:
    """An account attends only for a participant it belongs to (attending shows the meetings):
    a member of its organisation (verified or not), or someone who acts for it."""
    if participant.kind == ParticipantKind.ORGANISATION:
        organisation = participant.organisation
        return organisation is not None and bool(mm_access.is_member(user, organisation))
    return acts_for(user, participant)


def manages_participant(user: Reader, participant: ForumParticipant) -> bool:
    return ForumViewer(user).manages_participant(participant)


def opens_participant(user: Reader, participant: ForumParticipant) -> bool:
    return ForumViewer(user).opens_participant(participant)


# --- Meeting requests ------------------------------------------------------------------------


def may_answer_request(user: Reader, request: MeetingRequest) -> bool:
    return ForumViewer(user).may_answer_request(request)


def may_cancel_request(user: Reader, request: MeetingRequest) -> bool:
    return ForumViewer(user).may_cancel_request(request)


# --- Meetings --------------------------------------------------------------------------------


def meeting_side(user: Reader, meeting: Meeting) -> ForumParticipant | None:
    return ForumViewer(user).meeting_side(meeting)


def speaks_for_side(user: Reader, meeting: Meeting, side: ForumParticipant | None) -> bool:
    """Records the meeting for ``side``: one of its two parties, which the user acts for."""
    return (
        side is not None
        and side.pk in (meeting.party_a_id, meeting.party_b_id)
        and acts_for(user, side)
    )


def records_outcomes(user: Reader, meeting: Meeting) -> bool:
    return ForumViewer(user).records_outcomes(meeting)


def may_complete_follow_up(user: Reader, follow_up: FollowUp) -> bool:
    """Its owner, either side of the meeting, or an organiser ticks a follow-up off."""
    viewer = ForumViewer(user)
    meeting = follow_up.meeting
    return (
        follow_up.owner_id == user.pk
        or viewer.meeting_side(meeting) is not None
        or viewer.organises(meeting.forum)
    )
