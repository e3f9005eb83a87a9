"""Reads of forums, every list scoped to what the reader may see.

- Ministry staff see everything; organisers manage their forums.
- Regional officers see their region's participants (BUMDes in the region, the region's
  governments) with their requests and meetings; operators their BUMDes'; exporters their
  organisation's.
- What meetings led to are deals (``matchmaking.deals``), read through its selectors and access
  rules: both sides of a deal, the officers of the product's region and ministry staff.
- Approved participants of a forum see each other's listing (a directory for requesting
  meetings), not each other's requests or meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import Role, User
from exporters.models import Organisation
from matchmaking import access as mm_access
from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal, DealChannel, DealStep, Shipment
from matchmaking.forums import access as forum_access
from matchmaking.forums.access import Reader
from matchmaking.forums.models import (
    ACTIVE_MEETING_STATUSES,
    FollowUp,
    Forum,
    ForumParticipant,
    ForumStatus,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    ParticipantKind,
    ParticipantStatus,
)
from matchmaking.forums.scheduling import UNPLACED_LABELS, Unplaced
from matchmaking.matching.selectors import PairScore, pair_scores
from products import access as product_access
from products.models import Bumdes, Product

#: Products a BUMDes may bring to a forum (organisers may add submitted ones at the venue).
FORUM_PRODUCT_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)


def unplaced_label(reason: str) -> str:
    """The scheduler's reason for not placing a request, in the reader's language."""
    try:
        return str(UNPLACED_LABELS[Unplaced(reason)])
    except (ValueError, KeyError):
        return reason


def organised_forums(user: Reader) -> QuerySet[Forum]:
    return Forum.objects.filter(forum_access.organiser_q(user)).distinct()


def visible_forums(user: Reader) -> QuerySet[Forum]:
    return Forum.objects.filter(forum_access.forums_q(user))


def forum_list(user: Reader, *, status: str = "", q: str = "") -> QuerySet[Forum]:
    qs = visible_forums(user).select_related("organiser")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(venue__icontains=q))
    return qs.annotate(
        participant_count=Count(
            "participants", filter=Q(participants__status=ForumParticipant.Status.APPROVED)
        )
    ).order_by("-starts_on", "-id")


def forum_detail(user: Reader, pk: int) -> Forum:
    return visible_forums(user).select_related("organiser").get(pk=pk)


def co_organiser_candidates() -> QuerySet[User]:
    """Who may be named a co-organiser: active ministry staff."""
    return User.objects.filter(role=Role.MINISTRY, is_active=True)


# --- Participants ----------------------------------------------------------------------------


def registrable_bumdes(user: Reader, forum: Forum) -> QuerySet[Bumdes]:
    """The verified BUMDes the user sees that are not registered at this forum yet."""
    return (
        Bumdes.objects.filter(product_access.bumdes_q(user), status=Bumdes.Status.VERIFIED)
        .exclude(forum_participations__forum=forum)
        .order_by("name")
    )


def registrable_products(bumdes: QuerySet[Bumdes]) -> QuerySet[Product]:
    """The products these BUMDes may bring to a forum."""
    return Product.objects.filter(
        bumdes__in=bumdes, status__in=FORUM_PRODUCT_STATUSES
    ).select_related("bumdes")


def own_participants(user: Reader) -> QuerySet[ForumParticipant]:
    """Participants the user reads in full (its own, its region's; ministry: all)."""
    return ForumParticipant.objects.filter(forum_access.own_participants_q(user))


def participants_q(user: Reader) -> Q:
    """Participants a user sees at all: its own and its region's, those of forums it organises,
    and the approved participants of forums where it has an approved participant."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    in_forums = own_participants(user).filter(status=ForumParticipant.Status.APPROVED)
    return (
        forum_access.own_participants_q(user)
        | Q(forum__in=organised_forums(user).values("pk"))
        | Q(status=ForumParticipant.Status.APPROVED, forum__in=in_forums.values("forum_id"))
    ) & Q(forum__in=visible_forums(user).values("pk"))


def visible_participants(user: Reader) -> QuerySet[ForumParticipant]:
    return ForumParticipant.objects.filter(participants_q(user)).select_related(
        "forum", "officer", "region", "bumdes__village", "organisation"
    )


def participant_list(
    user: Reader, *, forum: int | None = None, status: str = "", kind: str = "", q: str = ""
) -> QuerySet[ForumParticipant]:
    qs = visible_participants(user)
    if forum:
        qs = qs.filter(forum_id=forum)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(
            Q(bumdes__name__icontains=q)
            | Q(organisation__legal_name__icontains=q)
            | Q(region__name__icontains=q)
        )
    return qs.order_by("forum_id", "kind", "id")


def participant_detail(user: Reader, pk: int) -> ForumParticipant:
    """A participant the user reads in full (its page), or an organiser's forum's."""
    qs = ForumParticipant.objects.all()
    if not scope_for(user).is_ministry:  # (``Q() | x`` would be just ``x``)
        qs = qs.filter(
            forum_access.own_participants_q(user) | Q(forum__in=organised_forums(user).values("pk"))
        )
    qs = qs.filter(forum__in=visible_forums(user).values("pk"))
    return qs.select_related("forum", "officer", "region", "bumdes__village", "organisation").get(
        pk=pk
    )


def my_participants(user: Reader, forum: Forum) -> list[ForumParticipant]:
    """The participants of ``forum`` the user acts for (or reads as a member)."""
    viewer = forum_access.ForumViewer(user)
    rows = (
        ForumParticipant.objects.filter(forum=forum)
        .filter(forum_access.own_participants_q(user))
        .select_related("forum", "officer", "region", "bumdes__village", "organisation")
    )
    if viewer.is_ministry:
        return []  # ministry staff manage, they do not take part
    return [p for p in rows if viewer.reads(p)]


def request_counterparts(participant: ForumParticipant) -> QuerySet[ForumParticipant]:
    """Whom a participant may ask for a meeting: the approved participants of its forum on the
    other side (organisations meet BUMDes and regional governments)."""
    qs = participant.forum.participants.filter(
        status=ForumParticipant.Status.APPROVED
    ).select_related("bumdes", "organisation", "officer", "region")
    if participant.kind == ParticipantKind.ORGANISATION:
        return qs.exclude(kind=ParticipantKind.ORGANISATION)
    return qs.filter(kind=ParticipantKind.ORGANISATION)


def available_slot_ids(participant: ForumParticipant) -> set[int]:
    return set(participant.availability.values_list("slot_id", flat=True))


# --- Suggested counterparts ------------------------------------------------------------------


@dataclass
class Suggestion:
    participant: ForumParticipant
    score: float | None
    reasons: list[str] = field(default_factory=list)
    request: MeetingRequest | None = None
    overlap: int = 0  # products under the organisation's HS interests (the fallback rank)


def _pair_scores(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], PairScore]:
    """Match scores of (product id, organisation id) pairs from the matching engine: the one
    place that knows where they come from (pairs without a score rank by HS overlap)."""
    return pair_scores(list(pairs))


def _product_ids(
    participant: ForumParticipant, forum_bumdes: list[ForumParticipant]
) -> list[tuple[int, str]]:
    """Products a village-side participant brings; for a regional government, those of the
    approved BUMDes of its region at the forum."""
    if participant.kind == ParticipantKind.BUMDES:
        return list(participant.products.values_list("pk", "hs_code_id"))
    rows: list[tuple[int, str]] = []
    for bumdes in forum_bumdes:
        village_id = bumdes.bumdes.village_id if bumdes.bumdes else ""
        if participant.region_id and village_id.startswith(f"{participant.region_id}."):
            rows += list(bumdes.products.values_list("pk", "hs_code_id"))
    return rows


def _hs_overlap(hs_codes: set[str], interests: set[str]) -> int:
    """How many of the products' HS codes fall under the organisation's interests."""
    return sum(1 for code in hs_codes if any(code.startswith(i) for i in interests))


def suggested_counterparts(participant: ForumParticipant, limit: int = 20) -> list[Suggestion]:
    """The approved participants this one may meet, best match first, with the reasons.

    The score of a BUMDes (or a regional government) and an organisation is the best match
    score over the products brought; without a score, HS-code overlap with the organisation's
    interests ranks, then the name."""
    forum = participant.forum
    approved = list(
        forum.participants.filter(status=ForumParticipant.Status.APPROVED)
        .exclude(pk=participant.pk)
        .select_related("bumdes__village", "organisation", "officer", "region")
        .prefetch_related("products", "organisation__hs_interests")
    )
    forum_bumdes = [p for p in approved if p.kind == ParticipantKind.BUMDES]
    if participant.kind == ParticipantKind.ORGANISATION:
        candidates = [p for p in approved if p.kind != ParticipantKind.ORGANISATION]
        organisations = {participant.pk: participant}
        village_side = {c.pk: c for c in candidates}
    else:
        candidates = [p for p in approved if p.kind == ParticipantKind.ORGANISATION]
        organisations = {c.pk: c for c in candidates}
        village_side = {participant.pk: participant}
    if participant.kind == ParticipantKind.BUMDES:
        forum_bumdes = [participant, *forum_bumdes]
    products = {pk: _product_ids(p, forum_bumdes) for pk, p in village_side.items()}
    pairs = {
        (product_id, org.organisation_id)
        for rows in products.values()
        for product_id, _hs in rows
        for org in organisations.values()
        if org.organisation_id is not None
    }
    scores = _pair_scores(pairs)
    open_requests: dict[int, MeetingRequest] = {}
    for request in MeetingRequest.objects.filter(
        Q(from_participant=participant) | Q(to_participant=participant),
        status__in=["pending", "accepted"],
    ):
        other = (
            request.to_participant_id
            if request.from_participant_id == participant.pk
            else request.from_participant_id
        )
        open_requests[other] = request
    suggestions = []
    for candidate in candidates:
        org = organisations[
            candidate.pk if participant.kind != ParticipantKind.ORGANISATION else participant.pk
        ]
        village = village_side[
            participant.pk if participant.kind != ParticipantKind.ORGANISATION else candidate.pk
        ]
        best: PairScore | None = None
        organisation_id = org.organisation_id or 0
        for product_id, _hs in products[village.pk]:
            found = scores.get((product_id, organisation_id))
            if found is not None and (best is None or found.score > best.score):
                best = found
        overlap = _hs_overlap(
            {hs for _pk, hs in products[village.pk]},
            {h.code for h in org.organisation.hs_interests.all()} if org.organisation else set(),
        )
        if best is not None:
            suggestion = Suggestion(candidate, round(float(best.score), 1), list(best.reasons))
        else:
            reasons = (
                [
                    ngettext(
                        "%(n)d product under the organisation's HS interests.",
                        "%(n)d products under the organisation's HS interests.",
                        overlap,
                    )
                    % {"n": overlap}
                ]
                if overlap
                else []
            )
            suggestion = Suggestion(candidate, None, reasons)
        suggestion.overlap = overlap
        suggestion.request = open_requests.get(candidate.pk)
        suggestions.append(suggestion)
    suggestions.sort(
        key=lambda s: (
            -(s.score if s.score is not None else -1),
            -s.overlap,
            s.participant.display_name.lower(),
        )
    )
    return suggestions[:limit]


# --- Requests, meetings and their deals ---------------------------------------------------


def _participant_rows_q(user: Reader, *prefixes: str) -> Q:
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= forum_access.own_participants_q(user, prefix=prefix)
    return q


def requests_q(user: Reader) -> Q:
    """Requests a user reads: those of its (region's) participants; organisers their forum's."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    return _participant_rows_q(user, "from_participant__", "to_participant__")


def visible_requests(user: Reader) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(requests_q(user))


def request_list(
    user: Reader, *, forum: int | None = None, status: str = "", participant: int | None = None
) -> QuerySet[MeetingRequest]:
    qs = visible_requests(user).select_related(
        "forum",
        "from_participant__bumdes",
        "from_participant__organisation",
        "from_participant__region",
        "from_participant__officer",
        "to_participant__bumdes",
        "to_participant__organisation",
        "to_participant__region",
        "to_participant__officer",
    )
    if forum:
        qs = qs.filter(forum_id=forum)
    if status:
        qs = qs.filter(status=status)
    if participant:
        qs = qs.filter(Q(from_participant_id=participant) | Q(to_participant_id=participant))
    return qs.order_by("-created_at", "-id")


def meetings_q(user: Reader) -> Q:
    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.is_ministry:
        return Q()
    return _participant_rows_q(user, "party_a__", "party_b__") | Q(attendees__user=user)


def visible_meetings(user: Reader) -> QuerySet[Meeting]:
    ids = Meeting.objects.filter(meetings_q(user)).values("pk")
    return Meeting.objects.filter(pk__in=ids)


MEETING_RELATED = (
    "forum",
    "slot",
    "table",
    "party_a__bumdes",
    "party_a__organisation",
    "party_a__region",
    "party_a__officer",
    "party_b__bumdes",
    "party_b__organisation",
    "party_b__region",
    "party_b__officer",
)


def meeting_list(
    user: Reader, *, forum: int | None = None, status: str = "", participant: int | None = None
) -> QuerySet[Meeting]:
    qs = visible_meetings(user).select_related(*MEETING_RELATED)
    if forum:
        qs = qs.filter(forum_id=forum)
    if status:
        qs = qs.filter(status=status)
    if participant:
        qs = qs.filter(Q(party_a_id=participant) | Q(party_b_id=participant))
    return qs.order_by("slot__starts_at", "table__name", "id")


def meeting_detail(user: Reader, pk: int) -> Meeting:
    return visible_meetings(user).select_related(*MEETING_RELATED, "request").get(pk=pk)


def meeting_organisation(meeting: Meeting) -> Organisation | None:
    """The exporter or buyer organisation that sat at the meeting (None when neither party is
    one: such a meeting cannot lead to a deal)."""
    for party in (meeting.party_a, meeting.party_b):
        if party.kind == ParticipantKind.ORGANISATION and party.organisation is not None:
            return party.organisation
    return None


def meeting_deals_q(meeting: Meeting, prefix: str = "") -> Q:
    """Deals (reached through ``prefix``) of a meeting: those it opened, and the deals of its
    organisation with the meeting's products, which its outcome form records into (whichever
    channel opened them)."""
    q = Q(**{f"{prefix}meeting": meeting})
    organisation = meeting_organisation(meeting)
    if organisation is not None:
        q |= Q(
            **{
                f"{prefix}organisation": organisation,
                f"{prefix}product__in": meeting_products(meeting).values("pk"),
            }
        )
    return q


def meeting_deals(meeting: Meeting) -> QuerySet[Deal]:
    """Every deal of the meeting (not scoped: what a follow-up may name)."""
    return Deal.objects.filter(meeting_deals_q(meeting))


def visible_meeting_deals(user: Reader, meeting: Meeting) -> QuerySet[Deal]:
    """The meeting's deals the user may see (``matchmaking.deals.access``), with their stage."""
    return deal_selectors.deal_list(user).filter(meeting_deals_q(meeting))


def legacy_outcomes(meeting: Meeting) -> list[MeetingOutcome]:
    """The meeting's outcomes recorded before deals existed that no deal holds (migration
    ``0006`` moved the others into deals): those of a meeting without an organisation, or that
    named no product when the meeting had several. Shown read-only on the meeting page."""
    outcomes = list(
        meeting.outcomes.select_related("destination", "recorded_by")
        .prefetch_related("products")
        .order_by("occurred_on", "id")
    )
    organisation = meeting_organisation(meeting)
    if not outcomes or organisation is None:
        return outcomes
    dealt = set(Deal.objects.filter(organisation=organisation).values_list("product_id", flat=True))
    candidates = set(meeting_products(meeting).values_list("pk", flat=True))
    kept = []
    for outcome in outcomes:
        named = {p.pk for p in outcome.products.all()}
        products = named or (candidates if len(candidates) == 1 else set())
        if not products & dealt:
            kept.append(outcome)
    return kept


def visible_follow_ups(user: Reader) -> QuerySet[FollowUp]:
    if not scope_for(user).authenticated:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        Q(meeting__in=visible_meetings(user).values("pk")) | Q(owner=user)
    ).select_related("meeting__forum", "owner", "deal")


def meeting_products(meeting: Meeting) -> QuerySet[Product]:
    """Products a meeting's deals may be about: those of a BUMDes side, or of BUMDes in a
    regional government's region."""
    q = Q(pk__in=[])
    for party in (meeting.party_a, meeting.party_b):
        if party.kind == ParticipantKind.BUMDES:
            q |= Q(bumdes_id=party.bumdes_id)
        elif party.kind == ParticipantKind.OFFICER and party.region_id:
            q |= Q(bumdes__village__code__startswith=f"{party.region_id}.")
    return Product.objects.filter(q)


def agenda(participant: ForumParticipant) -> list[Meeting]:
    """The participant's active meetings, in time order."""
    return list(
        Meeting.objects.filter(
            Q(party_a=participant) | Q(party_b=participant), status__in=ACTIVE_MEETING_STATUSES
        )
        .select_related(*MEETING_RELATED)
        .prefetch_related("attendees")
        .order_by("slot__starts_at", "id")
    )


# --- The deprecated outcomes API -------------------------------------------------------------

#: The stages forum outcomes had before deals: the rows ``/api/v1/outcomes/`` still lists.
OUTCOME_STAGES: tuple[str, ...] = tuple(MeetingOutcome.Stage.values)


def outcome_steps(
    user: Reader, *, forum: int | None = None, stage: str = "", meeting: int | None = None
) -> QuerySet[DealStep]:
    """What ``/api/v1/outcomes/`` (deprecated) lists: the steps, up to the first shipment, of
    deals opened at forum meetings that the user may see (``matchmaking.deals.access``), with
    each deal's shipments (a first shipment step carries its shipment's volume and value)."""
    qs = DealStep.objects.filter(
        deal__in=deal_selectors.visible_deals(user).values("pk"),
        deal__channel=DealChannel.FORUM_MEETING,
        stage__in=OUTCOME_STAGES,
    )
    if forum:
        qs = qs.filter(deal__meeting__forum_id=forum)
    if stage:
        qs = qs.filter(stage=stage)
    if meeting:
        qs = qs.filter(deal__meeting_id=meeting)
    return (
        qs.select_related("deal__meeting", "destination")
        .prefetch_related(
            Prefetch(
                "deal__shipments",
                queryset=Shipment.objects.order_by("shipped_on", "id"),
                to_attr="shipments_in_order",
            )
        )
        .order_by("-recorded_at", "-id")
    )


# --- Matching actions ------------------------------------------------------------------------


def meeting_openings(
    organisation: Organisation, product_ids: Iterable[int]
) -> dict[int, ForumParticipant]:
    """Where an organisation can ask for a meeting about each of these products: for a product
    whose BUMDes takes part in an open (published) forum where the organisation takes part too,
    both approved, the organisation's participation (its page holds the request form)."""
    product_ids = list(product_ids)
    if not product_ids:
        return {}
    own = {
        p.forum_id: p
        for p in ForumParticipant.objects.filter(
            organisation=organisation,
            status=ParticipantStatus.APPROVED,
            forum__status=ForumStatus.PUBLISHED,
        ).select_related("forum")
    }
    if not own:
        return {}
    bumdes_of = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "bumdes_id"))
    forums_of_bumdes: dict[int, int] = {}
    for bumdes_id, forum_id in ForumParticipant.objects.filter(
        forum_id__in=list(own),
        bumdes_id__in=set(bumdes_of.values()),
        status=ParticipantStatus.APPROVED,
    ).values_list("bumdes_id", "forum_id"):
        forums_of_bumdes.setdefault(bumdes_id, forum_id)
    return {
        product_id: own[forums_of_bumdes[bumdes_id]]
        for product_id, bumdes_id in bumdes_of.items()
        if bumdes_id in forums_of_bumdes
    }


def forums_to_join_for(organisation: Organisation, product_id: int) -> list[Forum]:
    """Published forums whose registration is open now, where the product's BUMDes takes part
    (approved) and the organisation has not registered yet: a meeting about the product is a
    registration away."""
    now = timezone.now()
    bumdes_id = Product.objects.filter(pk=product_id).values_list("bumdes_id", flat=True).first()
    if bumdes_id is None:
        return []
    return list(
        Forum.objects.filter(
            status=ForumStatus.PUBLISHED,
            registration_opens__lte=now,
            registration_closes__gt=now,
            participants__bumdes_id=bumdes_id,
            participants__status=ParticipantStatus.APPROVED,
        )
        .exclude(participants__organisation=organisation)
        .distinct()
        .order_by("starts_on")
    )


def own_registration(user: Reader, forum: Forum) -> ForumParticipant | None:
    """The participant the user's organisation (or the BUMDes they operate) already has at the
    forum, if any."""
    organisation = mm_access.verified_organisation(user)
    if organisation is not None:
        found = forum.participants.filter(organisation=organisation).first()
        if found is not None:
            return found
    bumdes_id = product_access.operated_bumdes_id(user)
    if bumdes_id:
        return forum.participants.filter(bumdes_id=bumdes_id).first()
    return None
