"""The inbox: every signed-in user reads his own notifications (never anyone else's), newest
first, by kind and unread, marks them read one by one or all at once, on the page and through
the API; the header of every page counts the unread ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from bumdes_export.notifications import kinds
from bumdes_export.notifications.models import Notification
from tests.conftest import ROLES

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _note(user, kind="deal.shipment", subject="Shipment recorded", days_ago=0, read=False, link=""):
    note = Notification.objects.create(
        recipient=user,
        kind=kind,
        subject=subject,
        body=f"{subject}\n\nSee the portal.",
        link=link or f"{settings.PORTAL_BASE_URL}/deals/",
        read_at=timezone.now() if read else None,
    )
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return note


@pytest.fixture
def mailbox(request):
    """Three notifications for each signed-in role (one read), named after their owner."""
    notes = {}
    for role in SIGNED_IN:
        user = request.getfixturevalue(role)
        notes[role] = [
            _note(user, "deal.shipment", f"{role}: shipment", days_ago=2),
            _note(user, "product.returned", f"{role}: product returned", days_ago=1),
            _note(user, "account.invited", f"{role}: welcome", days_ago=400, read=True),
        ]
    return notes


def _ids(html):
    import re

    return [int(i) for i in re.findall(r'data-notification="(\d+)"', html)]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_each_role_reads_only_his_own_newest_first(mailbox, as_role, role):
    html = as_role(role).get("/notifications/").content.decode()
    expected = [mailbox[role][1].pk, mailbox[role][0].pk, mailbox[role][2].pk]
    assert _ids(html) == expected  # newest first; the year-old one is still kept
    for other, notes in mailbox.items():
        if other != role:
            assert not set(_ids(html)) & {n.pk for n in notes}
            assert f"{other}: shipment" not in html


def test_anonymous_visitors_are_sent_to_log_in(as_role):
    response = as_role("anonymous").get("/notifications/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_filters_by_kind_and_unread(mailbox, as_role):
    client = as_role("exporter")
    deals = _ids(client.get("/notifications/", {"kind": "deal"}).content.decode())
    assert deals == [mailbox["exporter"][0].pk]
    unread = _ids(client.get("/notifications/", {"unread": "1"}).content.decode())
    assert set(unread) == {mailbox["exporter"][0].pk, mailbox["exporter"][1].pk}
    page = client.get("/notifications/").content.decode()
    assert str(kinds.label_of("deal.shipment")) in page  # the kind filter names the families


def test_marking_one_and_all_read(mailbox, as_role):
    client = as_role("operator")
    first, second, _old = mailbox["operator"]
    client.post("/notifications/read/", {"id": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    # Someone else's id is ignored.
    other = mailbox["exporter"][0]
    client.post("/notifications/read/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post("/notifications/read/", {"all": "1", "unread": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?unread=1")
    assert not Notification.objects.filter(
        recipient=mailbox["operator"][0].recipient, read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(recipient=other.recipient, read_at__isnull=True).count() == 2


def test_opening_one_marks_it_read_and_leads_to_the_thing(mailbox, as_role):
    client = as_role("ministry")
    note = mailbox["ministry"][0]
    response = client.get(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/deals/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get(f"/notifications/{mailbox['exporter'][0].pk}/open/").status_code == 404


def test_a_link_outside_the_portal_is_not_followed(as_role, exporter):
    note = _note(exporter, link="https://elsewhere.example/phish")
    response = as_role("exporter").get(f"/notifications/{note.pk}/open/")
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_page_header_counts_the_unread(mailbox, as_role, role):
    html = as_role(role).get("/catalogue/").content.decode()
    header = html.split('id="inbox-link"')[1].split("</a>")[0]
    assert '<span class="badge"' in header and ">2</span>" in header


def test_the_header_has_no_count_once_all_is_read(as_role, exporter):
    _note(exporter, read=True)
    header = as_role("exporter").get("/catalogue/").content.decode().split('id="inbox-link"')[1]
    assert "badge" not in header.split("</a>")[0]


def test_the_page_speaks_indonesian(mailbox, as_role):
    client = as_role("exporter")
    client.cookies["django_language"] = "id"
    html = client.get("/notifications/").content.decode()
    assert "Kotak masuk" in html and "Tandai semua sudah dibaca" in html


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lists_only_the_callers_own(mailbox, api_as, role):
    response = api_as(role).get("/api/v1/notifications/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [
        mailbox[role][1].pk,
        mailbox[role][0].pk,
        mailbox[role][2].pk,
    ]
    assert body["results"][0]["family"] == "product" and body["results"][0]["unread"] is True


def test_the_api_filters_and_marks_read(mailbox, api_as):
    client = api_as("officer_sultra")
    rows = client.get("/api/v1/notifications/", {"kind": "deal", "unread": "1"}).json()["results"]
    assert [row["id"] for row in rows] == [mailbox["officer_sultra"][0].pk]
    assert client.get("/api/v1/notifications/", {"unread": "yes"}).status_code == 400
    marked = client.post(
        "/api/v1/notifications/mark-read/",
        {"ids": [mailbox["officer_sultra"][0].pk, mailbox["exporter"][0].pk]},
        format="json",
    )
    assert marked.status_code == 200 and marked.json() == {"marked": 1, "unread": 1}
    assert client.post("/api/v1/notifications/mark-read/", {}, format="json").status_code == 400
    assert client.post("/api/v1/notifications/mark-read/", {"all": True}, format="json").json() == {
        "marked": 1,
        "unread": 0,
    }
    assert Notification.objects.get(pk=mailbox["exporter"][0].pk).read_at is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/notifications/"),
        ("get", "/notifications/preferences/"),
        ("post", "/notifications/read/"),
    ],
)
def test_who_reaches_the_inbox_pages(mailbox, as_role, role, method, url):
    response = getattr(as_role(role), method)(url, {"all": "1"} if method == "post" else {})
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (200 if method == "get" else 302)


def test_marking_read_ignores_ids_that_are_not_numbers_and_refuses_get(mailbox, as_role):
    client = as_role("exporter")
    response = client.post("/notifications/read/", {"id": ["abc", "", "-1"]})
    assert response.status_code == 302
    assert (
        Notification.objects.filter(
            recipient=mailbox["exporter"][0].recipient, read_at__isnull=True
        ).count()
        == 2
    )
    assert client.get("/notifications/read/").status_code == 405
    assert client.get("/notifications/999999/open/").status_code == 404


def test_a_kind_filter_that_matches_nothing_shows_an_empty_inbox_not_an_error(mailbox, as_role):
    response = as_role("exporter").get("/notifications/", {"kind": "<script>", "page": "x"})
    assert response.status_code == 200 and _ids(response.content.decode()) == []
