"""Forum API: every endpoint with every role, the lists scoped, writes through the services with
field errors (never a 500), unknown filter values answered 400, anonymous requests 401."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from matchmaking.deals import services as deal_services
from matchmaking.forums import services as services
from matchmaking.forums.models import FollowUp, Meeting
from tests.matchmaking.forums.conftest import (
    AT_THE_FORUM,
    FORUM_ROLES,
    KONAWE_SIDE,
    READERS,
    SIGNED_IN,
    forum_data,
    only,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
READS = {
    "forum_list": ("/forums/", only(set(SIGNED_IN))),
    "forum_detail": ("/forums/{forum}/", only(set(SIGNED_IN))),
    "forum_slots": ("/forums/{forum}/slots/", only(set(SIGNED_IN))),
    "forum_tables": ("/forums/{forum}/tables/", only(set(SIGNED_IN))),
    "forum_unplaced": ("/forums/{forum}/unplaced/", only({"ministry", "organiser"}, otherwise=403)),
    "forum_statistics": (
        "/forums/{forum}/statistics/",
        only({"ministry", "organiser"}, otherwise=403),
    ),
    "participant_list": ("/forum-participants/", only(set(SIGNED_IN))),
    "participant_detail": ("/forum-participants/{konawe}/", only(AT_THE_FORUM)),
    "participant_availability": (
        "/forum-participants/{konawe}/availability/",
        {
            **only(KONAWE_SIDE, otherwise=403),
            **{r: 404 for r in SIGNED_IN if r not in AT_THE_FORUM},
        },
    ),
    "participant_attendees": (
        "/forum-participants/{konawe}/attendees/",
        {
            **only(KONAWE_SIDE, otherwise=403),
            **{r: 404 for r in SIGNED_IN if r not in AT_THE_FORUM},
        },
    ),
    "participant_suggestions": (
        "/forum-participants/{konawe}/suggestions/",
        {
            **only(KONAWE_SIDE, otherwise=403),
            **{r: 404 for r in SIGNED_IN if r not in AT_THE_FORUM},
        },
    ),
    "request_list": ("/meeting-requests/", only(set(SIGNED_IN))),
    "request_detail": ("/meeting-requests/{request}/", only(READERS)),
    "meeting_list": ("/meetings/", only(set(SIGNED_IN))),
    "meeting_detail": ("/meetings/{meeting}/", only(READERS)),
    "outcome_list": ("/outcomes/", only(set(SIGNED_IN))),
    "outcome_detail": ("/outcomes/{outcome}/", only(READERS)),
    "follow_up_list": ("/follow-ups/", only(set(SIGNED_IN))),
    "follow_up_detail": ("/follow-ups/{task}/", only(READERS)),
}

LIST_COUNTS = {
    "forum_list": {r: 1 for r in SIGNED_IN},
    "participant_list": {r: 5 if r in AT_THE_FORUM else 0 for r in SIGNED_IN},
    "request_list": {r: int(r in READERS) for r in SIGNED_IN},
    "meeting_list": {r: int(r in READERS) for r in SIGNED_IN},
    "outcome_list": {r: int(r in READERS) for r in SIGNED_IN},
    "follow_up_list": {r: int(r in READERS) for r in SIGNED_IN},
}


def url_of(template: str, scene) -> str:
    return API + template.format(
        forum=scene.forum.pk,
        konawe=scene.konawe.pk,
        request=scene.request.pk,
        meeting=scene.meeting.pk,
        outcome=scene.step.pk,
        task=scene.task.pk,
    )


@pytest.mark.parametrize("role", FORUM_ROLES)
@pytest.mark.parametrize("endpoint", READS)
def test_who_may_read_which_endpoint(api_as, held, role, endpoint):
    template, expected = READS[endpoint]
    response = api_as(role).get(url_of(template, held))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]
    if endpoint in LIST_COUNTS:
        assert response.json()["count"] == LIST_COUNTS[endpoint][role]


@pytest.mark.parametrize(
    "endpoint",
    [
        "/forums/?status=someday",
        "/forum-participants/?kind=alien",
        "/forum-participants/?forum=abc",
        "/meeting-requests/?status=maybe",
        "/meetings/?participant=-1",
        "/outcomes/?stage=rich",
        "/follow-ups/?open=perhaps",
    ],
)
def test_unknown_filter_values_answer_400(api_as, fs, endpoint):
    response = api_as("organiser").get(API + endpoint)
    assert response.status_code == 400
    assert response.json()


def test_filters_narrow_the_lists(api_as, held):
    api = api_as("organiser")
    assert api.get(f"{API}/forum-participants/?kind=organisation").json()["count"] == 2
    assert api.get(f"{API}/meeting-requests/?status=accepted").json()["count"] == 1
    assert api.get(f"{API}/meeting-requests/?status=declined").json()["count"] == 0
    assert api.get(f"{API}/outcomes/?stage=interest").json()["count"] == 1
    assert api.get(f"{API}/follow-ups/?open=false").json()["count"] == 0


# --- Writes ----------------------------------------------------------------------------------


def _json_forum(**overrides):
    data = forum_data(**overrides)
    for key in ("starts_on", "ends_on", "registration_opens", "registration_closes"):
        data[key] = data[key].isoformat()
    return data


@pytest.mark.parametrize("role", FORUM_ROLES)
def test_who_may_create_a_forum(api_as, regions, role):
    response = api_as(role).post(f"{API}/forums/", _json_forum(), format="json")
    expected = {"anonymous": 401, "ministry": 201, "organiser": 201}.get(role, 403)
    assert response.status_code == expected, response.content[:300]


def test_forum_creation_with_bad_input_gets_field_errors(api_as, regions):
    response = api_as("ministry").post(
        f"{API}/forums/",
        _json_forum(meeting_minutes=1, venue="", online_url="", invited_regions=["99"]),
        format="json",
    )
    assert response.status_code == 400
    assert "invited_regions" in response.json()
    response = api_as("ministry").post(
        f"{API}/forums/", _json_forum(meeting_minutes=1, venue="", online_url=""), format="json"
    )
    assert response.status_code == 400
    assert {"meeting_minutes", "venue"} <= set(response.json())


def test_forum_set_up_by_the_api(api_as, organiser):
    api = api_as("organiser")
    forum = api.post(f"{API}/forums/", _json_forum(), format="json").json()
    day = forum["starts_on"]
    response = api.post(
        f"{API}/forums/{forum['id']}/slots/",
        {"day": day, "start": "09:00", "end": "10:00"},
        format="json",
    )
    assert response.status_code == 201 and len(response.json()) == 2
    first = datetime.fromisoformat(response.json()[0]["starts_at"])
    assert first.astimezone(ZoneInfo("Asia/Makassar")).strftime("%H:%M") == "09:00"
    assert (
        api.post(f"{API}/forums/{forum['id']}/tables/", {"name": "A"}, format="json").status_code
        == 201
    )
    assert (
        api.post(f"{API}/forums/{forum['id']}/tables/", {"name": "A"}, format="json").status_code
        == 400
    )
    response = api.post(
        f"{API}/forums/{forum['id']}/status/", {"status": "finished"}, format="json"
    )
    assert response.status_code == 400 and "status" in response.json()
    response = api.post(
        f"{API}/forums/{forum['id']}/status/", {"status": "published"}, format="json"
    )
    assert response.json()["status"] == "published"
    response = api_as("ministry").patch(
        f"{API}/forums/{forum['id']}/", {"name": "Other"}, format="json"
    )
    assert response.status_code == 403


def test_registration_and_approval_by_the_api(api_as, forum, org_a, verified_exporter, world):
    response = api_as("verified_exporter").post(
        f"{API}/forum-participants/", {"forum": forum.pk, "kind": "organisation"}, format="json"
    )
    assert response.status_code == 201, response.content
    participant = response.json()
    assert participant["status"] == "pending" and participant["organisation"] == org_a.pk
    again = api_as("verified_exporter").post(
        f"{API}/forum-participants/", {"forum": forum.pk, "kind": "organisation"}, format="json"
    )
    assert again.status_code == 400 and "kind" in again.json()
    for role, code in (("ministry", 403), ("verified_exporter", 403), ("second_exporter", 404)):
        url = f"{API}/forum-participants/{participant['id']}/approve/"
        assert api_as(role).post(url, {}, format="json").status_code == code
    rejected = api_as("organiser").post(
        f"{API}/forum-participants/{participant['id']}/reject/", {}, format="json"
    )
    assert rejected.status_code == 400 and "reason" in rejected.json()
    approved = api_as("organiser").post(
        f"{API}/forum-participants/{participant['id']}/approve/", {}, format="json"
    )
    assert approved.json()["status"] == "approved"
    response = api_as("pending_exporter").post(
        f"{API}/forum-participants/", {"forum": forum.pk, "kind": "organisation"}, format="json"
    )
    assert response.status_code == 403 and "not verified" in response.json()["detail"]
    response = api_as("linked_operator").post(
        f"{API}/forum-participants/",
        {"forum": forum.pk, "kind": "bumdes", "bumdes": world.konawe.pk, "products": []},
        format="json",
    )
    assert response.status_code == 400


def test_requests_and_answers_by_the_api(api_as, fs):
    response = api_as("second_exporter").post(
        f"{API}/meeting-requests/",
        {"from_participant": fs.org_b.pk, "to_participant": fs.donggala.pk, "message": "Hi"},
        format="json",
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    # the Sulawesi Tengah officer answers for the Donggala BUMDes; Konawe's cannot see it
    assert (
        api_as("officer_konawe").post(f"{API}/meeting-requests/{request_id}/accept/").status_code
        == 404
    )
    assert (
        api_as("second_exporter").post(f"{API}/meeting-requests/{request_id}/accept/").status_code
        == 403
    )
    response = api_as("officer_sulteng").post(
        f"{API}/meeting-requests/{request_id}/decline/", {"answer": "Not now"}, format="json"
    )
    assert response.json()["status"] == "declined"
    # someone else's participant as sender: not among yours
    response = api_as("second_exporter").post(
        f"{API}/meeting-requests/",
        {"from_participant": fs.org_a.pk, "to_participant": fs.donggala.pk},
        format="json",
    )
    assert response.status_code == 400 and "from_participant" in response.json()
    response = api_as("verified_exporter").post(
        f"{API}/meeting-requests/",
        {"from_participant": fs.org_a.pk, "to_participant": fs.org_b.pk},
        format="json",
    )
    assert response.status_code == 400 and "to_participant" in response.json()


def test_scheduling_moving_and_recording_by_the_api(api_as, fs, linked_operator):
    services.answer_request(actor=linked_operator, request=fs.request, accept=True)
    assert api_as("ministry").post(f"{API}/forums/{fs.forum.pk}/schedule/").status_code == 403
    report = api_as("organiser").post(f"{API}/forums/{fs.forum.pk}/schedule/").json()
    assert report == {"kept": 0, "placed": 1, "unplaced": {}}
    meeting = Meeting.objects.get()
    other_slot = fs.forum.slots.exclude(pk=meeting.slot_id).first()
    body = {"slot": other_slot.pk, "table": meeting.table_id}
    assert (
        api_as("verified_exporter")
        .post(f"{API}/meetings/{meeting.pk}/move/", body, format="json")
        .status_code
        == 403
    )
    moved = api_as("organiser").post(f"{API}/meetings/{meeting.pk}/move/", body, format="json")
    assert moved.status_code == 200 and moved.json()["slot"] == other_slot.pk
    bad = api_as("organiser").post(
        f"{API}/meetings/{meeting.pk}/move/", {"slot": 0, "table": "x"}, format="json"
    )
    assert bad.status_code == 400 and {"slot", "table"} <= set(bad.json())
    assert api_as("organiser").post(f"{API}/forums/{fs.forum.pk}/confirm/").json() == {
        "confirmed": 1
    }
    early = api_as("verified_exporter").post(
        f"{API}/meetings/{meeting.pk}/record/", {"held": True}, format="json"
    )
    assert early.status_code == 400 and "held" in early.json()


def test_follow_ups_by_the_api(api_as, held, linked_operator, ministry, world, org_a):
    meeting = held.meeting
    body = {
        "meeting": meeting.pk,
        "title": "Ship",
        "due_on": "2030-01-01",
        "owner": linked_operator.pk,
    }
    response = api_as("verified_exporter").post(
        f"{API}/follow-ups/", {**body, "deal": held.deal.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["deal"] == held.deal.pk and response.json()["outcome"] is None
    task = FollowUp.objects.get(pk=response.json()["id"])
    assert task.deal == held.deal
    # A deal the user sees, but not one of this meeting's.
    elsewhere = deal_services.open_outside_deal(
        actor=ministry, product=world.donggala_crab, organisation=org_a
    )
    response = api_as("verified_exporter").post(
        f"{API}/follow-ups/", {**body, "deal": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400 and "deal" in response.json()
    assert api_as("second_exporter").post(f"{API}/follow-ups/{task.pk}/done/").status_code == 404
    done = api_as("linked_operator").post(f"{API}/follow-ups/{task.pk}/done/")
    assert done.status_code == 200 and done.json()["done_at"]


def test_suggestions_by_the_api(api_as, fs):
    response = api_as("verified_exporter").get(
        f"{API}/forum-participants/{fs.org_a.pk}/suggestions/"
    )
    assert response.status_code == 200
    names = [row["name"] for row in response.json()]
    assert set(names) == {"BUMDes Mina Uji", "BUMDes Bakau Uji", fs.government.display_name}
    konawe = next(row for row in response.json() if row["name"] == "BUMDes Mina Uji")
    assert konawe["request"] == fs.request.pk


def test_availability_by_the_api(api_as, fs):
    slots = list(fs.forum.slots.values_list("pk", flat=True))
    url = f"{API}/forum-participants/{fs.org_a.pk}/availability/"
    response = api_as("verified_exporter").put(url, {"slots": slots[:2]}, format="json")
    assert response.status_code == 200 and response.json() == {"slots": slots[:2]}
    assert api_as("second_exporter").put(url, {"slots": []}, format="json").status_code == 403
    assert (
        api_as("verified_exporter").put(url, {"slots": [999999]}, format="json").status_code == 400
    )


# --- Every write endpoint with every role ----------------------------------------------------

SIDES = {"officer_sultra", "officer_konawe", "linked_operator", "verified_exporter"}


def roles(**groups) -> dict[str, int]:
    """Expected status per role: groups of roles by code, the rest ``rest``."""
    rest = groups.pop("rest")
    expected = {role: rest for role in SIGNED_IN}
    for code, members in groups.items():
        for role in members:
            expected[role] = int(code.lstrip("s"))
    return expected


WRITES = {
    "forum_table": (
        "/forums/{forum}/tables/",
        {"name": "Meja 9"},
        roles(s201={"organiser"}, rest=403),
    ),
    "forum_schedule": ("/forums/{forum}/schedule/", {}, roles(s200={"organiser"}, rest=403)),
    "forum_confirm": ("/forums/{forum}/confirm/", {}, roles(s200={"organiser"}, rest=403)),
    "participant_approve": (
        "/forum-participants/{konawe}/approve/",
        {},
        roles(s400={"organiser"}, s403=AT_THE_FORUM - {"organiser"}, rest=404),
    ),
    "participant_attendee": (
        "/forum-participants/{konawe}/attendees/",
        {"name": "Wa Ode Sitti"},
        roles(
            s201=KONAWE_SIDE - {"ministry"},
            s403=AT_THE_FORUM - KONAWE_SIDE | {"ministry"},
            rest=404,
        ),
    ),
    "request_accept": (
        "/meeting-requests/{request}/accept/",
        {},
        # already accepted: those who may answer hear so (400)
        roles(s400=KONAWE_SIDE - {"ministry"}, s403={"ministry", "verified_exporter"}, rest=404),
    ),
    "request_cancel": (
        "/meeting-requests/{request}/cancel/",
        {},
        # the meeting took place: it cannot be cancelled any more (400)
        roles(s400=SIDES | {"organiser"}, s403={"ministry"}, rest=404),
    ),
    "meeting_record": (
        "/meetings/{meeting}/record/",
        {"held": True, "rating": 4},
        roles(s200=SIDES, s403={"ministry", "organiser"}, rest=404),
    ),
    "meeting_move": (
        "/meetings/{meeting}/move/",
        {"slot": "{slot}", "table": "{table}"},
        roles(s400={"organiser"}, s403=READERS - {"organiser"}, rest=404),
    ),
    "outcome_create": (
        "/outcomes/",
        {"meeting": "{meeting}", "stage": "contract", "products": ["{crab}"]},
        roles(s201=SIDES | {"organiser"}, s403={"ministry"}, rest=400),
    ),
    "follow_up_create": (
        "/follow-ups/",
        {
            "meeting": "{meeting}",
            "title": "Call",
            "due_on": "2030-01-01",
            "owner": "{owner}",
            "deal": "{deal}",
        },
        # who may not see the deal: "no such deal" (400)
        roles(s201=SIDES | {"organiser"}, s403={"ministry"}, rest=400),
    ),
    "follow_up_done": (
        "/follow-ups/{task}/done/",
        {},
        roles(s200=SIDES | {"organiser"}, s403={"ministry"}, rest=404),
    ),
}


@pytest.mark.parametrize("role", FORUM_ROLES)
@pytest.mark.parametrize("endpoint", WRITES)
def test_who_may_write_which_endpoint(api_as, held, linked_operator, role, endpoint):
    template, body, expected = WRITES[endpoint]
    values = {
        "meeting": held.meeting.pk,
        "slot": held.forum.slots.exclude(pk=held.meeting.slot_id).first().pk,
        "table": held.meeting.table_id,
        "owner": linked_operator.pk,
        "crab": held.world.crab.pk,
        "deal": held.deal.pk,
    }

    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return int(value.format(**values)) if isinstance(value, str) and "{" in value else value

    data = {key: fill(value) for key, value in body.items()}
    response = api_as(role).post(url_of(template, held), data, format="json")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]
    assert response.status_code != 500
