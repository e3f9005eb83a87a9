"""The dashboard's cache of shipment totals: kept until the tallies are counted again, which a
recorded shipment brings about; one reader's totals are never another's."""

from __future__ import annotations

import pytest

from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Shipment
from matchmaking.oversight import shipments, tallies
from matchmaking.oversight.shipments import Period
from tests.matchmaking.deals.conftest import shipment_data

pytestmark = pytest.mark.tallies_as_kept


@pytest.fixture
def crab_deal(world, org_a, ministry):
    deal = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    deal_services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    tallies.refresh_all()
    return deal


def _shipments(user, group="province", region=""):
    return sum(t.shipments for t in shipments.totals(user, Period(), group, "id", region))


def test_totals_are_kept_until_the_tallies_are_counted_again(crab_deal, ministry):
    assert _shipments(ministry) == 1
    copy = Shipment.objects.get(deal=crab_deal)
    copy.pk = None
    copy.save()  # written behind the services' back: no event, nothing counted again
    assert _shipments(ministry) == 1
    tallies.refresh(["74.02"])
    assert _shipments(ministry) == 2


def test_a_shipment_recorded_through_the_deal_shows_at_once(
    crab_deal, ministry, django_capture_on_commit_callbacks
):
    assert _shipments(ministry, "month") == 1
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data())
    assert _shipments(ministry, "month") == 2


def test_an_officer_never_gets_totals_kept_for_another_reader(
    crab_deal, ministry, officer_sulteng, officer_sultra
):
    assert _shipments(ministry) == 1
    assert _shipments(officer_sulteng) == 0
    assert _shipments(officer_sultra) == 1
    assert _shipments(officer_sulteng, region="74") == 0


def _page(client, user, url="/dashboard/", language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_a_page_part_kept_for_one_reader_is_never_shown_to_another(
    crab_deal, client, ministry, officer_sulteng
):
    ministry_page = _page(client, ministry)
    assert 'data-province="74"' in ministry_page and 'data-province="72"' in ministry_page
    officer_page = _page(client, officer_sulteng)
    assert 'data-province="72"' in officer_page
    assert 'data-province="74"' not in officer_page
    assert 'data-region="74.02"' not in officer_page


def test_a_target_set_shows_at_once_though_the_figures_were_kept(crab_deal, client, ministry):
    from bumdes_export.reference.models import Region
    from matchmaking.oversight import services

    assert 'data-province="74" data-meets="yes"' in _page(client, ministry, "/dashboard/?year=2026")
    services.set_target(
        actor=ministry, province=Region.objects.get(code="74"), year=2026, export_ready_bumdes=3
    )
    assert 'data-province="74" data-meets="no"' in _page(client, ministry, "/dashboard/?year=2026")


def test_each_language_gets_its_own_kept_parts(crab_deal, client, ministry):
    assert "Shipments and their value" in _page(client, ministry, language="en")
    indonesian = _page(client, ministry, language="id")
    assert "Pengiriman dan nilainya" in indonesian
    assert "Shipments and their value" not in indonesian


def test_parameters_the_page_does_not_read_make_no_parts_of_their_own(as_role, regions):
    """The kept parts are keyed by the filters as read: junk parameters neither fill the cache
    with copies nor reach the download links."""
    from django.core.cache import cache as process_cache

    client = as_role("ministry")
    client.get("/dashboard/", {"year": 2026, "shipped_from": "2026-01-01"})
    kept = len(process_cache._cache)  # type: ignore[attr-defined]
    page = client.get(
        "/dashboard/", {"shipped_from": "2026-01-01", "year": 2026, "junk": "1"}
    ).content.decode()
    assert len(process_cache._cache) == kept  # type: ignore[attr-defined]
    assert "junk" not in page.split('id="target-summary"')[1]  # (the language form keeps the URL)
    assert "?year=2026&amp;shipped_from=2026-01-01" in page
