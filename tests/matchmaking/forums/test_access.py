"""Who may do what at forums (``matchmaking.forums.access``): every named decision the services,
pages, API and templates share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from matchmaking.forums import access
from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, Meeting, MeetingRequest

pytestmark = pytest.mark.django_db


# --- Forums ----------------------------------------------------------------------------------


def test_ministry_staff_create_forums_and_read_the_organiser_views(
    forum, organiser, ministry, officer_sultra, verified_exporter
):
    assert access.may_create_forum(ministry) and access.may_create_forum(organiser)
    assert not access.may_create_forum(officer_sultra)
    assert not access.may_create_forum(AnonymousUser())
    assert access.organises(organiser, forum) and not access.organises(ministry, forum)
    assert access.reads_organiser_views(organiser, forum)
    assert access.reads_organiser_views(ministry, forum)
    assert not access.reads_organiser_views(verified_exporter, forum)
    assert not access.reads_organiser_views(AnonymousUser(), forum)


# --- Registration ----------------------------------------------------------------------------


def test_registration_kinds_follow_the_role(
    forum, world, ministry, officer_sultra, linked_operator, verified_exporter, pending_exporter
):
    forum.status = Forum.Status.PUBLISHED
    forum.save()
    assert access.registration_kinds(officer_sultra, forum) == ["officer", "bumdes"]
    assert access.registration_kinds(linked_operator, forum) == ["bumdes"]
    assert access.registration_kinds(verified_exporter, forum) == ["organisation"]
    assert access.registration_kinds(pending_exporter, forum) == []
    assert access.registration_kinds(ministry, forum) == []


def test_an_officer_registers_their_government_once(fs, officer_konawe, officer_sultra):
    forum = Forum.objects.get(pk=fs.forum.pk)
    assert access.registration_kinds(officer_konawe, forum) == ["bumdes"]
    assert access.registration_kinds(officer_sultra, forum) == ["officer", "bumdes"]


def test_an_organisation_or_bumdes_already_registered_is_not_offered_to_register_again(
    fs, verified_exporter, linked_operator
):
    forum = Forum.objects.get(pk=fs.forum.pk)
    assert access.registration_kinds(verified_exporter, forum) == []
    assert access.registration_kinds(linked_operator, forum) == []


def test_a_forum_that_is_not_published_takes_no_registrations(forum, officer_sultra):
    forum.status = Forum.Status.DRAFT
    forum.save()
    assert access.registration_kinds(officer_sultra, forum) == []


def test_nothing_to_register_says_why(forum, ministry, pending_exporter, verified_exporter):
    forum.status = Forum.Status.PUBLISHED
    forum.save()
    assert access.require_registration_kinds(verified_exporter, forum) == ["organisation"]
    with pytest.raises(PermissionDenied, match="not verified yet"):
        access.require_registration_kinds(pending_exporter, forum)
    with pytest.raises(PermissionDenied, match="nothing you can register"):
        access.require_registration_kinds(ministry, forum)


def test_who_registers_a_government_or_a_bumdes(
    world, officer_sultra, officer_sulteng, linked_operator, verified_exporter
):
    assert access.may_register_government(officer_sultra)
    assert not access.may_register_government(verified_exporter)
    assert not access.may_register_government(linked_operator)
    assert access.may_register_bumdes(officer_sultra, world.konawe)
    assert not access.may_register_bumdes(officer_sulteng, world.konawe)
    assert access.may_register_bumdes(linked_operator, world.konawe)
    assert not access.may_register_bumdes(linked_operator, world.donggala)
    assert not access.may_register_bumdes(verified_exporter, world.konawe)


def test_who_attends_and_manages_a_participant(
    fs, organiser, ministry, colleague_a, second_exporter, linked_operator, officer_sulteng
):
    assert access.may_attend_for(colleague_a, fs.org_a)
    assert not access.may_attend_for(second_exporter, fs.org_a)
    assert access.may_attend_for(linked_operator, fs.konawe)
    assert not access.may_attend_for(officer_sulteng, fs.konawe)
    assert access.manages_participant(linked_operator, fs.konawe)
    assert access.manages_participant(organiser, fs.konawe)
    assert not access.manages_participant(ministry, fs.konawe)
    assert not access.manages_participant(officer_sulteng, fs.konawe)


def test_who_opens_a_participants_records(
    fs, organiser, ministry, verified_exporter, second_exporter, pending_exporter
):
    assert access.opens_participant(verified_exporter, fs.org_a)
    assert access.opens_participant(ministry, fs.org_a)
    assert access.opens_participant(organiser, fs.org_a)
    assert not access.opens_participant(second_exporter, fs.org_a)
    assert not access.opens_participant(pending_exporter, fs.org_a)


def test_who_sends_requests_for_a_participant(fs, organiser, verified_exporter):
    viewer = access.ForumViewer(verified_exporter)
    assert viewer.may_send_requests(fs.org_a)
    assert not viewer.may_send_requests(fs.org_b)
    assert not access.ForumViewer(organiser).may_send_requests(fs.org_a)
    services.set_forum_status(actor=organiser, forum=fs.forum, to=Forum.Status.FINISHED)
    fs.org_a.forum.refresh_from_db()
    assert not access.ForumViewer(verified_exporter).may_send_requests(fs.org_a)


# --- Meeting requests ------------------------------------------------------------------------


def test_the_invited_side_or_an_organiser_answers(
    fs, organiser, ministry, linked_operator, verified_exporter, officer_sulteng
):
    assert access.ForumViewer(linked_operator).is_invited_side(fs.request)
    assert not access.ForumViewer(verified_exporter).is_invited_side(fs.request)
    assert access.may_answer_request(linked_operator, fs.request)
    assert access.may_answer_request(organiser, fs.request)
    assert not access.may_answer_request(verified_exporter, fs.request)
    assert not access.may_answer_request(ministry, fs.request)
    assert not access.may_answer_request(officer_sulteng, fs.request)


def test_a_participants_page_shows_answer_buttons_to_the_invited_side_only(
    fs, organiser, linked_operator, verified_exporter
):
    invited, sender = fs.request.to_participant, fs.request.from_participant
    assert access.ForumViewer(linked_operator).answers_on_page(fs.request, invited)
    assert not access.ForumViewer(linked_operator).answers_on_page(fs.request, sender)
    assert not access.ForumViewer(verified_exporter).answers_on_page(fs.request, invited)
    # Organisers answer from the organiser's pages, not from the participant's.
    assert not access.ForumViewer(organiser).answers_on_page(fs.request, invited)
    accepted = services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    assert not access.ForumViewer(linked_operator).answers_on_page(accepted, invited)


def test_who_cancels_a_request(fs, organiser, linked_operator, verified_exporter, second_exporter):
    # Pending: its sender withdraws it, or an organiser; not the invited side.
    assert access.may_cancel_request(verified_exporter, fs.request)
    assert access.may_cancel_request(organiser, fs.request)
    assert not access.may_cancel_request(linked_operator, fs.request)
    assert not access.may_cancel_request(second_exporter, fs.request)
    # Accepted: either side (or an organiser) cancels the meeting.
    accepted = services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    assert access.may_cancel_request(linked_operator, accepted)
    assert access.may_cancel_request(verified_exporter, accepted)
    assert access.may_cancel_request(organiser, accepted)
    assert not access.may_cancel_request(second_exporter, accepted)
    # Closed: nobody.
    accepted.status = MeetingRequest.Status.DECLINED
    assert not access.may_cancel_request(organiser, accepted)
    assert not access.may_cancel_request(verified_exporter, accepted)


# --- Meetings --------------------------------------------------------------------------------


def test_meeting_sides_record_outcomes_and_follow_ups(
    held, organiser, ministry, verified_exporter, linked_operator, second_exporter
):
    meeting, task = held.meeting, held.task
    assert access.meeting_side(verified_exporter, meeting) == held.org_a
    assert access.meeting_side(linked_operator, meeting) == held.konawe
    assert access.meeting_side(organiser, meeting) is None
    assert access.speaks_for_side(verified_exporter, meeting, held.org_a)
    assert not access.speaks_for_side(verified_exporter, meeting, held.konawe)
    assert not access.speaks_for_side(verified_exporter, meeting, None)
    assert not access.speaks_for_side(second_exporter, meeting, held.org_b)
    assert access.records_outcomes(verified_exporter, meeting)
    assert access.records_outcomes(organiser, meeting)
    assert not access.records_outcomes(ministry, meeting)
    assert not access.records_outcomes(second_exporter, meeting)
    assert access.may_complete_follow_up(linked_operator, task)  # its owner
    assert access.may_complete_follow_up(verified_exporter, task)  # a side
    assert access.may_complete_follow_up(organiser, task)
    assert not access.may_complete_follow_up(second_exporter, task)


def test_organisers_move_meetings_still_to_be_held(held, organiser, verified_exporter):
    meeting = held.meeting
    meeting.status = Meeting.Status.HELD
    assert not access.ForumViewer(organiser).may_move_meeting(meeting)
    meeting.status = Meeting.Status.CONFIRMED
    assert access.ForumViewer(organiser).may_move_meeting(meeting)
    assert not access.ForumViewer(verified_exporter).may_move_meeting(meeting)
