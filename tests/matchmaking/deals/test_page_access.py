"""Who may open which deal page, with every role.

Anonymous visitors are sent to the login page. The lists and their downloads are for everyone
with a side in deals (403 for an exporter account without organisation); a deal answers 404 to
whoever may not see it (its existence is not told); its forms answer 403 to those who see it but
may not record (the unverified organisation's members, told why) and 400 to an empty form from
those who may. Deals made outside the portal are entered by ministry staff and officers only.
"""

from __future__ import annotations

import pytest

from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.deals.page_scene import HAS_DEALS, OUTSIDE, RECORDS, SEES, build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, crab_deal, org_b, org_pending, ministry):
    return build_scene(world, crab_deal, org_b, org_pending, ministry)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def status_of(response) -> int | str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


def expect(allowed: set[str], otherwise: int) -> dict[str, int]:
    return {role: 200 if role in allowed else otherwise for role in MM_ROLES}


PAGES = {
    "deal_list": ("/deals/", expect(HAS_DEALS, 403)),
    "deal_list_filtered": ("/deals/?stage=contract&province=74", expect(HAS_DEALS, 403)),
    "deal_csv": ("/deals/export.csv", expect(HAS_DEALS, 403)),
    "deal_xlsx": ("/deals/export.xlsx?channel=outside", expect(HAS_DEALS, 403)),
    "shipment_list": ("/deals/shipments/", expect(HAS_DEALS, 403)),
    "shipment_csv": ("/deals/shipments/export.csv", expect(HAS_DEALS, 403)),
    "shipment_xlsx": ("/deals/shipments/export.xlsx", expect(HAS_DEALS, 403)),
    "crab_detail": ("/deals/{crab}/", expect(SEES["crab"], 404)),
    "oil_detail": ("/deals/{oil}/", expect(SEES["oil"], 404)),
    "donggala_detail": ("/deals/{donggala}/", expect(SEES["donggala"], 404)),
    "missing_detail": ("/deals/999999/", expect(set(), 404)),
    "deal_new": ("/deals/new/", expect(OUTSIDE, 403)),
    "deal_new_for_product": ("/deals/new/?product={crab_product}", expect(OUTSIDE, 403)),
}


def url_of(template: str, scene) -> str:
    return template.format(
        crab=scene.crab.pk,
        oil=scene.oil.pk,
        donggala=scene.donggala.pk,
        crab_product=scene.world.crab.pk,
    )


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_which_page(as_role, scene, role, page):
    template, expected = PAGES[page]
    response = as_role(role).get(url_of(template, scene))
    assert status_of(response) == ("login" if role == "anonymous" else expected[role])


FORMS = [
    ("crab", "steps"),
    ("donggala", "steps"),
    # The oil deal has all three answers: recorders, a reader (pending_exporter), the others.
    ("oil", "steps"),
    ("oil", "shipments"),
    ("oil", "lost"),
]


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize(("deal", "form"), FORMS)
def test_who_may_post_the_deal_forms(as_role, scene, role, deal, form):
    """An empty form: 400 (field errors) for those who may record, 403 for those who only read,
    404 for everyone else; nothing is written."""
    steps_before = scene.deal(deal).steps.count()
    response = as_role(role).post(f"/deals/{scene.deal(deal).pk}/{form}/", {})
    if role == "anonymous":
        expected = "login"
    elif role in RECORDS[deal]:
        expected = 400
    elif role in SEES[deal]:
        expected = 403
    else:
        expected = 404
    assert status_of(response) == expected
    assert scene.deal(deal).steps.count() == steps_before


def test_a_reader_of_an_unverified_organisation_is_told_why(as_role, scene):
    response = as_role("pending_exporter").post(f"/deals/{scene.oil.pk}/steps/", {})
    assert response.status_code == 403
    assert "not verified yet" in response.content.decode()


@pytest.mark.parametrize("form", ["steps", "shipments", "lost"])
def test_the_forms_take_posts_only(as_role, scene, form):
    assert as_role("ministry").get(f"/deals/{scene.crab.pk}/{form}/").status_code == 405


@pytest.mark.parametrize("url", ["/deals/export.pdf", "/deals/shipments/export.json"])
def test_an_unknown_download_format_is_not_found(as_role, scene, url):
    assert as_role("ministry").get(url).status_code == 404


def test_an_exporter_without_organisation_is_told_who_follows_deals(as_role, scene):
    response = as_role("exporter").get("/deals/")
    assert response.status_code == 403
    assert "members of exporter and buyer organisations" in response.content.decode()
