"""The dashboard's tallies: counted per regency, added up per province and for the country, kept
counted by the registry's and the deals' events, and read instead of the records.

These tests read the tallies as the portal keeps them (``tallies_as_kept``): nothing counts them
again before a read unless the test says so.
"""

from __future__ import annotations

import pytest

from matchmaking.deals import services as deal_services
from matchmaking.oversight import selectors, tallies, tasks
from matchmaking.oversight.funnel import median_of
from matchmaking.oversight.models import RegionTally
from products import events
from products.models import Bumdes, Product
from tests.matchmaking.deals.conftest import shipment_data
from tests.products.factories import BumdesFactory, ProductFactory, first_desa

pytestmark = pytest.mark.tallies_as_kept


def _tally(code: str) -> RegionTally:
    return RegionTally.objects.get(code=code)


def test_a_province_adds_up_its_regencies_and_the_country_its_provinces(world):
    BumdesFactory(village_id=first_desa("74.01."), status=Bumdes.Status.VERIFIED)
    tallies.refresh_all()
    konawe, kolaka, sultra = _tally("74.02"), _tally("74.01"), _tally("74")
    assert (konawe.bumdes_registered, kolaka.bumdes_registered, sultra.bumdes_registered) == (
        1,
        1,
        2,
    )
    assert (kolaka.bumdes_verified, sultra.bumdes_verified) == (1, 1)
    country = _tally("")
    assert country.bumdes_registered == sultra.bumdes_registered + _tally("72").bumdes_registered
    assert country.funnel["registered"] == Product.objects.count()
    ready = Product.objects.filter(status=Product.Status.EXPORT_READY)
    assert country.products_export_ready == ready.count() == 3  # two in Konawe, one in Donggala
    assert konawe.products_export_ready == 2


def test_what_is_read_is_what_was_counted_not_the_records_since(world, ministry):
    tallies.refresh_all()
    Product.objects.filter(pk=world.crab.pk).update(
        status=Product.Status.RETURNED, return_reason="No photo"
    )
    sultra = next(s for s in selectors.province_statuses(ministry, 2026) if s.code == "74")
    assert sultra.products_export_ready == 2  # counted before the change, which announced nothing
    tallies.refresh(["74.02"])
    sultra = next(s for s in selectors.province_statuses(ministry, 2026) if s.code == "74")
    assert sultra.products_export_ready == 1


def test_a_product_change_announced_by_the_registry_recounts_its_regency(
    world, django_capture_on_commit_callbacks
):
    tallies.refresh_all()
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=world.crab.pk).update(
            status=Product.Status.RETURNED, return_reason="No photo"
        )
        events.announce_product(world.crab.pk, 2)
    assert _tally("74").products_export_ready == 1
    assert _tally("74.02").products_export_ready == 1  # the avocado oil is left
    assert _tally("").products_export_ready == 2
    assert _tally("72.03").products_export_ready == 1


def test_an_import_and_a_bumdes_change_recount_their_regencies(
    world, django_capture_on_commit_callbacks
):
    tallies.refresh_all()
    with django_capture_on_commit_callbacks(execute=True):
        made = [
            ProductFactory(bumdes=world.donggala, status=Product.Status.SUBMITTED) for _ in "ab"
        ]
        events.announce_import([p.pk for p in made])
    assert _tally("72.03").products_in_review == 2
    with django_capture_on_commit_callbacks(execute=True):
        Bumdes.objects.filter(pk=world.donggala.pk).update(status=Bumdes.Status.VERIFIED)
        events.announce_bumdes(world.donggala.pk)
    assert _tally("72").bumdes_verified == 1


def test_a_shipment_recorded_on_a_deal_recounts_the_products_regency(
    world, org_a, ministry, django_capture_on_commit_callbacks
):
    tallies.refresh_all()
    assert _tally("74.02").bumdes_exporting == 0
    with django_capture_on_commit_callbacks(execute=True):
        deal = deal_services.open_outside_deal(
            actor=ministry, product=world.crab, organisation=org_a
        )
        deal_services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    assert _tally("74.02").bumdes_exporting == 1
    assert _tally("").bumdes_exporting == 1
    assert _tally("").funnel["first_shipment"] == 1


def test_counting_again_changes_nothing_and_drops_regencies_left_empty(world):
    tallies.refresh_all()
    before = {row.code: (row.bumdes_registered, row.funnel) for row in RegionTally.objects.all()}
    tasks.refresh_regencies.apply((["74.02", "72.03"],))
    after = {row.code: (row.bumdes_registered, row.funnel) for row in RegionTally.objects.all()}
    assert after == before
    Product.objects.filter(bumdes=world.donggala).delete()
    Bumdes.objects.filter(pk=world.donggala.pk).delete()
    tallies.refresh_all()
    assert not RegionTally.objects.filter(code__in=["72", "72.03"]).exists()
    assert _tally("").bumdes_registered == 1


def test_a_region_smaller_than_a_regency_is_counted_when_read(world):
    village = world.konawe.village_id
    district = village.rsplit(".", 1)[0]
    figures = tallies.figures_of(district)  # nothing tallied: counted from the records
    assert figures.bumdes_registered == 1
    assert figures.funnel["registered"] == Product.objects.filter(bumdes=world.konawe).count()


def test_nothing_counted_yet_reads_as_zeros_and_the_page_says_so(world, client, ministry):
    assert tallies.counted_at() is None
    assert tallies.figures_of("74").bumdes_registered == 0
    client.force_login(ministry)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert 'id="counted-at"' in page.content.decode()
    tallies.refresh_all()
    assert tallies.counted_at() is not None


def test_the_database_refuses_a_tally_for_a_code_that_is_no_region_level_kept(db):
    from django.db import IntegrityError
    from django.utils import timezone

    with pytest.raises(IntegrityError):
        RegionTally.objects.create(code="74.0", refreshed_at=timezone.now())


@pytest.mark.parametrize(
    ("tally", "median"),
    [
        ({}, None),
        ({"5": 1}, 5.0),
        ({"3": 1, "10": 1}, 6.5),
        ({"1": 2, "2": 1, "9": 1}, 1.5),
        ({"0": 3, "7": 1, "30": 1}, 0.0),
    ],
)
def test_the_median_of_tallied_days(tally, median):
    assert median_of(tally) == median


def test_medians_of_added_regions_are_the_median_of_all_their_products():
    north, south = (
        tallies.Figures(funnel_days={"verified": {"2": 1, "4": 1}}),
        tallies.Figures(funnel_days={"verified": {"9": 1}}),
    )
    north.add(south)
    assert median_of(north.funnel_days["verified"]) == 4.0  # of 2, 4 and 9


def test_the_command_counts_everything_again(world):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("refresh_dashboard", stdout=out)
    assert "Counted 2 regencies" in out.getvalue()
    assert _tally("").bumdes_registered == Bumdes.objects.count()
