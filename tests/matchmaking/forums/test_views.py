"""Forum pages: who may open which page (every page, every role), the forms and flows with field
errors and 400 on bad input, the organiser's views and the agenda."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.forums import services as services
from matchmaking.forums.models import Forum, ForumParticipant, Meeting, MeetingRequest
from tests.matchmaking.forums.conftest import (
    FORUM_ROLES,
    KONAWE_SIDE,
    READERS,
    SIGNED_IN,
    forum_data,
    only,
)

pytestmark = pytest.mark.django_db

ORGANISER_VIEWS = only({"ministry", "organiser"}, otherwise=403)
REGISTRANTS = {
    "officer_sultra",
    "officer_sulteng",
    "officer_konawe",
    "linked_operator",
    "verified_exporter",
    "second_exporter",
    "provider",
}

PAGES = {
    "forum_list": ("/forums/", only(set(SIGNED_IN))),
    "forum_create": ("/forums/new/", ORGANISER_VIEWS),
    "forum_detail": ("/forums/{forum}/", only(set(SIGNED_IN))),
    "forum_edit": ("/forums/{forum}/edit/", only({"organiser"}, otherwise=403)),
    "forum_setup": ("/forums/{forum}/setup/", only({"organiser"}, otherwise=403)),
    "register": ("/forums/{forum}/register/", only(REGISTRANTS, otherwise=403)),
    "participants": ("/forums/{forum}/participants/", ORGANISER_VIEWS),
    "matrix": ("/forums/{forum}/matrix/", ORGANISER_VIEWS),
    "table_plan": ("/forums/{forum}/table-plan/", ORGANISER_VIEWS),
    "schedule": ("/forums/{forum}/schedule/", ORGANISER_VIEWS),
    "statistics": ("/forums/{forum}/statistics/", ORGANISER_VIEWS),
    "export_csv": ("/forums/{forum}/export/participants.csv", ORGANISER_VIEWS),
    "export_xlsx": ("/forums/{forum}/export/table-plan.xlsx", ORGANISER_VIEWS),
    "participant_detail": ("/forums/participants/{konawe}/", only(KONAWE_SIDE)),
    "org_participant_detail": (
        "/forums/participants/{org_a}/",
        only({"ministry", "organiser", "verified_exporter"}),
    ),
    "agenda": ("/forums/participants/{konawe}/agenda/", only(KONAWE_SIDE)),
    "agenda_print": ("/forums/participants/{konawe}/agenda/print/", only(KONAWE_SIDE)),
    "agenda_ics": ("/forums/participants/{konawe}/agenda.ics", only(KONAWE_SIDE)),
    "meeting_detail": ("/forums/meetings/{meeting}/", only(READERS)),
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page_url(template: str, scene) -> str:
    return template.format(
        forum=scene.forum.pk,
        konawe=scene.konawe.pk,
        org_a=scene.org_a.pk,
        meeting=scene.meeting.pk,
    )


def status_of(response):
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", FORUM_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_which_page(as_role, held, role, page):
    template, expected = PAGES[page]
    response = as_role(role).get(page_url(template, held))
    assert status_of(response) == ("login" if role == "anonymous" else expected[role])


def test_unverified_exporters_are_told_why(as_role, forum, pending_exporter):
    response = as_role("pending_exporter").get(f"/forums/{forum.pk}/register/")
    assertContains(response, "not verified yet", status_code=403)


def test_drafts_are_for_ministry_staff(as_role, organiser, exporter):
    draft = services.create_forum(actor=organiser, data=forum_data(name="Draft forum"))
    assert as_role("exporter").get(f"/forums/{draft.pk}/").status_code == 404
    assert as_role("organiser").get(f"/forums/{draft.pk}/").status_code == 200
    assertNotContains(as_role("exporter").get("/forums/"), "Draft forum")


# --- Flows -----------------------------------------------------------------------------------


def test_ministry_staff_create_and_set_up_a_forum(as_role, organiser):
    client = as_role("organiser")
    data = forum_data()
    post = {
        **data,
        "registration_opens": data["registration_opens"].strftime("%Y-%m-%dT%H:%M"),
        "registration_closes": data["registration_closes"].strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post("/forums/new/", {**post, "venue": "", "online_url": "", "name": "X"})
    assertContains(bad, "Give a venue, an online link, or both.", status_code=400)
    response = client.post("/forums/new/", post)
    forum = Forum.objects.get()
    assert response.status_code == 302 and forum.organiser == organiser
    response = client.post(
        f"/forums/{forum.pk}/setup/",
        {"day": forum.starts_on.isoformat(), "start": "09:00", "end": "10:00", "break_minutes": 0},
    )
    assert response.status_code == 302 and forum.slots.count() == 2
    response = client.post(
        f"/forums/{forum.pk}/setup/",
        {"day": "2001-01-01", "start": "09:00", "end": "10:00", "break_minutes": 0},
    )
    assertContains(response, "Choose a day of the forum.", status_code=400)
    assert client.post(f"/forums/{forum.pk}/setup/", {"name": "Meja 1"}).status_code == 302
    assertContains(
        client.post(f"/forums/{forum.pk}/setup/", {"name": "Meja 1"}),
        "already has a table",
        status_code=400,
    )
    client.post(f"/forums/{forum.pk}/status/", {"to": "published"})
    forum.refresh_from_db()
    assert forum.status == "published"
    assertContains(
        client.post(f"/forums/{forum.pk}/status/", {"to": "draft"}), "cannot go", status_code=400
    )


def test_registration_and_approval_pages(as_role, forum, organiser, verified_exporter, org_a):
    response = as_role("verified_exporter").post(
        f"/forums/{forum.pk}/register/", {"kind": "organisation", "note": "Crab buyers"}
    )
    participant = ForumParticipant.objects.get()
    assert response.status_code == 302 and participant.organisation == org_a
    again = as_role("verified_exporter").post(
        f"/forums/{forum.pk}/register/", {"kind": "organisation"}
    )
    assertContains(again, "already registered", status_code=400)
    client = as_role("organiser")
    assertContains(client.get(f"/forums/{forum.pk}/participants/"), "Harbour Test Seafood Ltd")
    bad = client.post(
        f"/forums/{forum.pk}/participants/{participant.pk}/decide/", {"approve": "0", "reason": ""}
    )
    assertContains(bad, "Say why.", status_code=400)
    client.post(f"/forums/{forum.pk}/participants/{participant.pk}/decide/", {"approve": "1"})
    participant.refresh_from_db()
    assert participant.status == "approved"


def test_participant_page_requests_and_answers(as_role, fs, linked_operator):
    page = as_role("verified_exporter").get(f"/forums/participants/{fs.org_a.pk}/")
    assertContains(page, "Suggested counterparts")
    assertContains(page, "BUMDes Bakau Uji")
    response = as_role("verified_exporter").post(
        f"/forums/participants/{fs.org_a.pk}/requests/",
        {"to_participant": fs.donggala.pk, "message": "Crab from Donggala?"},
    )
    assert response.status_code == 302
    again = as_role("verified_exporter").post(
        f"/forums/participants/{fs.org_a.pk}/requests/", {"to_participant": fs.donggala.pk}
    )
    assertContains(again, "already an open meeting request", status_code=400)
    assert (
        as_role("second_exporter")
        .post(f"/forums/participants/{fs.org_a.pk}/requests/", {"to_participant": fs.konawe.pk})
        .status_code
        == 404
    )
    konawe_page = as_role("linked_operator").get(f"/forums/participants/{fs.konawe.pk}/")
    assertContains(konawe_page, "Crab talk?")
    response = as_role("linked_operator").post(
        f"/forums/requests/{fs.request.pk}/answer/", {"accept": "1", "answer": "Sure"}
    )
    assert response.status_code == 302
    assert MeetingRequest.objects.get(pk=fs.request.pk).status == "accepted"
    response = as_role("linked_operator").post(
        f"/forums/requests/{fs.request.pk}/answer/", {"accept": "0"}
    )
    assertContains(response, "already answered", status_code=400)


def test_availability_page(as_role, fs):
    slots = list(fs.forum.slots.values_list("pk", flat=True))
    client = as_role("verified_exporter")
    response = client.post(
        f"/forums/participants/{fs.org_a.pk}/availability/",
        {"slots": slots[:2], "time_zone": "Asia/Hong_Kong"},
    )
    assert response.status_code == 302
    fs.org_a.refresh_from_db()
    assert fs.org_a.time_zone == "Asia/Hong_Kong" and fs.org_a.availability.count() == 2
    bad = client.post(
        f"/forums/participants/{fs.org_a.pk}/availability/",
        {"slots": ["x"], "time_zone": "Mars/Base"},
    )
    assert bad.status_code == 400


def test_scheduler_page_runs_and_places_by_hand(as_role, fs, linked_operator, verified_exporter):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    slots = list(fs.forum.slots.all())
    services.set_availability(actor=verified_exporter, participant=fs.org_a, slots=slots[:1])
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[1:2])
    assert as_role("ministry").post(f"/forums/{fs.forum.pk}/schedule/").status_code == 403
    client = as_role("organiser")
    assert client.post(f"/forums/{fs.forum.pk}/schedule/").status_code == 302
    page = client.get(f"/forums/{fs.forum.pk}/schedule/")
    assertContains(page, "The participants have no available time slot in common.")
    response = client.post(
        f"/forums/{fs.forum.pk}/requests/{fs.request.pk}/place/",
        {"slot": slots[0].pk, "table": fs.forum.tables.first().pk},
    )
    assertContains(response, "Not available in this slot", status_code=400)
    services.set_availability(actor=linked_operator, participant=fs.konawe, slots=slots[:2])
    response = client.post(
        f"/forums/{fs.forum.pk}/requests/{fs.request.pk}/place/",
        {"slot": slots[0].pk, "table": fs.forum.tables.first().pk},
    )
    assert response.status_code == 302 and Meeting.objects.get().slot == slots[0]
    assertContains(client.get(f"/forums/{fs.forum.pk}/table-plan/"), "BUMDes Mina Uji")
    assertContains(client.get(f"/forums/{fs.forum.pk}/matrix/"), "Scheduled")
    client.post(f"/forums/{fs.forum.pk}/schedule/confirm/")
    assert Meeting.objects.get().status == "confirmed"


def test_meeting_page_move_record_outcome_follow_up(as_role, held, linked_operator):
    meeting = held.meeting
    client = as_role("organiser")
    bad = client.post(f"/forums/meetings/{meeting.pk}/move/", {"slot": "", "table": ""})
    assert bad.status_code == 400
    assert (
        as_role("verified_exporter")
        .post(
            f"/forums/meetings/{meeting.pk}/move/",
            {"slot": meeting.slot_id, "table": meeting.table_id},
        )
        .status_code
        == 403
    )
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/record/", {"held": "1", "rating": "5", "comment": "Good"}
    )
    assert response.status_code == 302
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/outcomes/", {"stage": "first_shipment"}
    )
    assertContains(response, "Give the volume shipped.", status_code=400)
    response = as_role("linked_operator").post(
        f"/forums/meetings/{meeting.pk}/outcomes/",
        {
            "stage": "first_shipment",
            "volume_kg": "1.500",
            "value_usd": "18750",
            "destination": "HK",
            "occurred_on": timezone.localdate().isoformat(),
            "products": [held.world.crab.pk],
        },
    )
    assert response.status_code == 302
    page = as_role("verified_exporter").get(f"/forums/meetings/{meeting.pk}/")
    assertContains(page, "First shipment")
    assertContains(page, "1,500 kg")
    response = as_role("verified_exporter").post(
        f"/forums/meetings/{meeting.pk}/follow-ups/",
        {
            "title": "Book cargo",
            "due_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "owner": linked_operator.pk,
        },
    )
    assert response.status_code == 302
    task = meeting.follow_ups.get(title="Book cargo")
    assert as_role("second_exporter").post(f"/forums/follow-ups/{task.pk}/done/").status_code == 404
    as_role("linked_operator").post(f"/forums/follow-ups/{task.pk}/done/")
    task.refresh_from_db()
    assert task.done_at is not None


def test_agenda_shows_times_in_the_participants_zone(as_role, held, verified_exporter):
    local = held.meeting.slot.starts_at.astimezone(held.forum.tzinfo)
    page = as_role("verified_exporter").get(f"/forums/participants/{held.org_a.pk}/agenda/")
    assertContains(page, local.strftime("%H:%M"))
    services.set_time_zone(
        actor=verified_exporter, participant=held.org_a, time_zone="Asia/Hong_Kong"
    )
    page = as_role("verified_exporter").get(f"/forums/participants/{held.org_a.pk}/agenda/")
    assertContains(page, "Asia/Hong_Kong")
    assertContains(page, local.strftime("%H:%M"))  # Hong Kong is UTC+8 like WITA
    printable = as_role("verified_exporter").get(
        f"/forums/participants/{held.org_a.pk}/agenda/print/"
    )
    assertContains(printable, "@media print")
    assertContains(printable, "BUMDes Mina Uji")


# --- Every form with every role --------------------------------------------------------------

SIDES = {"officer_sultra", "officer_konawe", "linked_operator", "verified_exporter"}


def codes(rest: int, **groups) -> dict[str, int]:
    expected = {role: rest for role in SIGNED_IN}
    for code, members in groups.items():
        for role in members:
            expected[role] = int(code.lstrip("s"))
    return expected


POSTS = {
    "answer": (
        "/forums/requests/{request}/answer/",
        {"accept": "1"},
        codes(404, s400=KONAWE_SIDE - {"ministry"}, s403={"ministry", "verified_exporter"}),
    ),
    "schedule": ("/forums/{forum}/schedule/", {}, codes(403, s302={"organiser"})),
    "decide": (
        "/forums/{forum}/participants/{konawe}/decide/",
        {"approve": "1"},
        codes(403, s400={"organiser"}),
    ),
    "availability": (
        "/forums/participants/{konawe}/availability/",
        {"slots": "{slots}"},
        codes(404, s302=KONAWE_SIDE - {"ministry"}, s403={"ministry"}),
    ),
    "send_request": (
        "/forums/participants/{org_a}/requests/",
        {"to_participant": "{donggala}"},
        codes(404, s302={"verified_exporter"}, s403={"ministry", "organiser"}),
    ),
    "record": (
        "/forums/meetings/{meeting}/record/",
        {"held": "1", "rating": "4"},
        codes(404, s302=SIDES, s403={"ministry", "organiser"}),
    ),
    "outcome": (
        "/forums/meetings/{meeting}/outcomes/",
        {"stage": "contract"},
        codes(404, s302=SIDES | {"organiser"}, s403={"ministry"}),
    ),
    "move": (
        "/forums/meetings/{meeting}/move/",
        {"slot": "{slot}", "table": "{table}"},
        codes(404, s400={"organiser"}, s403=READERS - {"organiser"}),
    ),
}


@pytest.mark.parametrize("role", FORUM_ROLES)
@pytest.mark.parametrize("form", POSTS)
def test_who_may_post_which_form(as_role, held, role, form):
    template, body, expected = POSTS[form]
    values = {
        "slots": [s.pk for s in held.forum.slots.all()],
        "donggala": held.donggala.pk,
        "slot": held.forum.slots.exclude(pk=held.meeting.slot_id).first().pk,
        "table": held.meeting.table_id,
    }
    data = {
        key: (
            values[value.strip("{}")] if isinstance(value, str) and value.startswith("{") else value
        )
        for key, value in body.items()
    }
    url = template.format(
        forum=held.forum.pk,
        konawe=held.konawe.pk,
        org_a=held.org_a.pk,
        meeting=held.meeting.pk,
        request=held.request.pk,
    )
    response = as_role(role).post(url, data)
    assert status_of(response) == ("login" if role == "anonymous" else expected[role])


def test_pages_render_in_indonesian(client, held, organiser):
    client.cookies["django_language"] = "id"
    client.force_login(organiser)
    for url in (
        "/forums/",
        f"/forums/{held.forum.pk}/",
        f"/forums/{held.forum.pk}/statistics/",
        f"/forums/{held.forum.pk}/schedule/",
        f"/forums/participants/{held.konawe.pk}/",
        f"/forums/participants/{held.konawe.pk}/agenda/",
        f"/forums/meetings/{held.meeting.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "id"
