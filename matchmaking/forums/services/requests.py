"""Writes of meeting requests: a participant asks another for a meeting, the invited side
accepts or declines, either side withdraws or cancels."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from matchmaking import access as mm_access
from matchmaking.forums import access as forum_access
from matchmaking.forums.models import (
    Forum,
    ForumParticipant,
    Meeting,
    MeetingRequest,
    ParticipantKind,
)
from matchmaking.forums.services.common import (
    forum_link,
    participant_link,
    people_of,
    save_or_refuse,
    tell,
)


def may_meet(a: ForumParticipant, b: ForumParticipant) -> bool:
    """A meeting joins the exporter side with the village side: exactly one organisation."""
    organisations = [p.kind == ParticipantKind.ORGANISATION for p in (a, b)]
    return organisations.count(True) == 1


@transaction.atomic
def send_request(
    *,
    actor: User,
    sender: ForumParticipant,
    receiver: ForumParticipant | None,
    message: str = "",
) -> MeetingRequest:
    if not forum_access.acts_for(actor, sender):
        organisation = sender.organisation
        if (
            sender.kind == ParticipantKind.ORGANISATION
            and organisation is not None
            and mm_access.is_member(actor, organisation)
        ):
            mm_access.acting_organisation(actor)  # says why: not verified yet
        raise PermissionDenied
    forum = sender.forum
    if receiver is None or receiver.forum_id != forum.pk:
        raise ValidationError({"to_participant": _("Choose a participant of this forum.")})
    if receiver.pk == sender.pk:
        raise ValidationError({"to_participant": _("Choose another participant.")})
    if forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum takes no more meeting requests."))
    if not sender.is_approved:
        raise ValidationError(_("Your registration is not approved yet."))
    if not receiver.is_approved:
        raise ValidationError({"to_participant": _("This participant is not approved.")})
    if not may_meet(sender, receiver):
        raise ValidationError(
            {
                "to_participant": _(
                    "Meetings are between an exporter or buyer and a BUMDes or regional government."
                )
            }
        )
    pair = MeetingRequest.pair_of(sender.pk, receiver.pk)
    open_message = _("There is already an open meeting request between you.")
    if MeetingRequest.objects.filter(
        forum=forum, pair=pair, status__in=["pending", "accepted"]
    ).exists():
        raise ValidationError({"to_participant": open_message})
    request = MeetingRequest(
        forum=forum,
        from_participant=sender,
        to_participant=receiver,
        pair=pair,
        message=(message or "").strip()[:2000],
        created_by=actor,
    )
    save_or_refuse(request, {"to_participant": open_message})
    tell(
        people_of(receiver),
        actor=actor,
        kind="forum.request.new",
        subject=translated(
            gettext_lazy("%(forum)s: %(sender)s asks to meet you"),
            forum=forum.name,
            sender=sender.display_name,
        ),
        template="matchmaking/forums/email/request_new.txt",
        context={"request": request, "actor": actor},
        link=participant_link(receiver),
    )
    return request


@transaction.atomic
def answer_request(
    *, actor: User, request: MeetingRequest, accept: bool, answer: str = ""
) -> MeetingRequest:
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant", "to_participant", "forum")
        .get(pk=request.pk)
    )
    if not forum_access.may_answer_request(actor, request):
        raise PermissionDenied(_("Only the invited side answers a meeting request."))
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(
            {
                "status": _("This request was already answered: %(status)s.")
                % {"status": request.get_status_display()}
            }
        )
    if request.forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum takes no more meeting requests."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answer = (answer or "").strip()[:2000]
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    status = MeetingRequest.Status(request.status)
    tell(
        people_of(request.from_participant),
        actor=actor,
        kind=f"forum.request.{request.status}",
        subject=translated(
            gettext_lazy("%(forum)s: %(receiver)s %(status)s your meeting request"),
            forum=request.forum.name,
            receiver=request.to_participant.display_name,
            status=lambda: str(status.label).lower(),
        ),
        template="matchmaking/forums/email/request_answered.txt",
        context={"request": request, "actor": actor},
        link=participant_link(request.from_participant),
    )
    return request


@transaction.atomic
def cancel_request(*, actor: User, request: MeetingRequest) -> MeetingRequest:
    """Either side withdraws (a pending request: its sender; an accepted one: either side, which
    also cancels the meeting and frees its slot and table)."""
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant", "to_participant", "forum")
        .get(pk=request.pk)
    )
    if request.status not in forum_access.OPEN_REQUEST_STATUSES:
        raise ValidationError({"status": _("This request is no longer open.")})
    if not forum_access.may_cancel_request(actor, request):
        raise PermissionDenied
    meeting = Meeting.objects.filter(request=request).first()
    if meeting is not None and meeting.status in (Meeting.Status.HELD, Meeting.Status.NO_SHOW):
        raise ValidationError({"status": _("The meeting is over; it cannot be cancelled.")})
    if request.answered_at is None:
        request.answered_at = timezone.now()
        request.answered_by = actor
    request.status = MeetingRequest.Status.CANCELLED
    request.unplaced_reason = ""
    request.save(update_fields=["status", "answered_at", "answered_by", "unplaced_reason"])
    if meeting is not None:
        meeting.bookings.all().delete()
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status", "placed_at"])
    others = [request.from_participant, request.to_participant]
    tell(
        [u for p in others for u in people_of(p)],
        actor=actor,
        kind="forum.request.cancelled",
        subject=translated(
            gettext_lazy("%(forum)s: meeting %(a)s × %(b)s cancelled"),
            forum=request.forum.name,
            a=request.from_participant.display_name,
            b=request.to_participant.display_name,
        ),
        template="matchmaking/forums/email/request_cancelled.txt",
        context={"request": request, "actor": actor},
        link=forum_link(request.forum),
    )
    return request
