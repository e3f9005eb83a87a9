"""Who may open which forum page and post which form (every page and form, every role), and
the pages in Indonesian."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from matchmaking.forums import services as services
from tests.matchmaking.forums.conftest import (
    FORUM_ROLES,
    KONAWE_SIDE,
    READERS,
    SIGNED_IN,
    forum_data,
    only,
)
from tests.matchmaking.forums.views.conftest import page_url, status_of

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
    # Already registered (org A, org B, the Konawe BUMDes): taken to their participation.
    "register": (
        "/forums/{forum}/register/",
        only(REGISTRANTS, otherwise=403)
        | {"verified_exporter": 302, "second_exporter": 302, "linked_operator": 302},
    ),
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
        {"stage": "contract", "product": "{crab}"},
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
        "crab": held.world.crab.pk,
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
