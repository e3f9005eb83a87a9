"""The shipments' ledger: columns written with the tallies, read once per count time by each
process, adding up exactly what the database's grouping adds up, for every reader, region and
period (the shipments of the ``shipped`` fixture)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from matchmaking.oversight import cache, ledger, tallies
from matchmaking.oversight import shipments as figures
from matchmaking.oversight.models import ShipmentLedger
from tests.matchmaking.deals.conftest import shipment_data

PERIODS = [
    figures.Period(),
    figures.Period(start=date(2026, 11, 1)),
    figures.Period(end=date(2026, 11, 2)),
    figures.Period(date(2026, 11, 2), date(2026, 11, 3)),
    figures.Period(date(2027, 1, 1), date(2027, 1, 31)),  # nothing shipped
]


@pytest.fixture(autouse=True)
def _fresh_process():
    ledger.forget()
    yield
    ledger.forget()


@pytest.mark.parametrize(
    ("reader", "region"),
    [
        ("ministry", ""),
        ("ministry", "74"),
        ("ministry", "72.03"),
        ("ministry", "7x"),
        ("officer_sultra", ""),
        ("officer_konawe", ""),
        ("officer_sulteng", "74"),
    ],
)
@pytest.mark.parametrize("period", PERIODS)
def test_the_ledger_adds_up_what_the_database_adds_up(shipped, request, reader, region, period):
    tallies.refresh_all()
    user = request.getfixturevalue(reader)
    held = figures._ledger_rows(user, period, region, cache.generation())
    qs = figures.shipments_in(user, period, region=region)
    if held is None:  # another province than the officer's: nothing to see, either way
        assert (reader, region) == ("officer_sulteng", "74")
        assert not qs.exists()
        return
    for language in ("id", "en"):
        assert figures._ledger_groupings(*held, language) == figures.all_groupings(qs, language)


def test_the_page_figures_come_from_the_ledger_and_equal_the_hand_counted(shipped, ministry):
    tallies.refresh_all()
    totals = figures.totals(ministry, figures.Period(), "destination", "en")
    assert {t.key: t.value_usd for t in totals} == {
        "HK": Decimal("9250.00"),
        "JP": Decimal("1800.00"),
        "SG": Decimal("900.00"),
    }
    assert ledger._held is not None  # counted from the ledger, not the database


def test_counting_the_tallies_writes_the_ledger_of_the_shipments_first(shipped, monkeypatch):
    tallies.refresh_all()
    assert list(ShipmentLedger.objects.values_list("stamp", flat=True)) == [ledger.stamp()]

    def no_building():
        raise AssertionError("the shipments were read again")

    monkeypatch.setattr(ledger, "build", no_building)
    held = ledger.ledger()
    assert len(held.day) == 4
    assert ledger.ledger() is held  # read once while no newer one is written
    tallies.refresh_all()  # the shipments did not change: nothing written, nothing read
    assert ShipmentLedger.objects.count() == 1 and ledger.ledger() is held


def test_with_no_ledger_written_the_first_reader_writes_it_once(shipped):
    ShipmentLedger.objects.all().delete()
    assert len(ledger.ledger().day) == 4
    assert list(ShipmentLedger.objects.values_list("stamp", flat=True)) == [ledger.stamp()]
    ledger.store(ledger.stamp())  # a second writer for the same shipments leaves it
    assert ShipmentLedger.objects.count() == 1


def test_a_reader_takes_the_newest_ledger_and_never_deletes_one(shipped):
    tallies.refresh_all()
    old = ledger.ledger()
    newer = ledger.build()
    newer.usd_cents = newer.usd_cents * 2
    ledger.store("a later state", newer)
    assert ShipmentLedger.objects.count() == 1  # the writer deleted the older one
    held = ledger.ledger()
    assert held is not old and int(held.usd_cents.sum()) == 2 * int(old.usd_cents.sum())
    ShipmentLedger.objects.create(stamp="written meanwhile", columns=newer.to_bytes())
    ledger.ledger()
    assert ShipmentLedger.objects.count() == 2  # readers delete nothing


def test_a_shipment_recorded_shows_once_its_regency_is_counted_again(
    shipped, ministry, as_role, django_capture_on_commit_callbacks
):
    tallies.refresh_all()
    before = figures.totals(ministry, figures.Period(), "destination", "en")
    crab_deal = Deal.objects.filter(product=shipped.crab).get()
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.record_shipment(
            actor=ministry,
            deal=crab_deal,
            data=shipment_data(shipped_on=date(2026, 11, 25), value_usd=Decimal(100)),
        )
    after = figures.totals(ministry, figures.Period(), "destination", "en")
    hk = {t.key: t.value_usd for t in before}["HK"]
    assert {t.key: t.value_usd for t in after}["HK"] == hk + 100
    page = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    assert "9350" in page.replace(".", "").replace(",", "")


def test_sums_beyond_floating_point_stay_exact():
    huge = 2**53 + 1  # cents that a float would round
    held = ledger.Ledger(
        day=np.array([1, 1, 1], dtype=np.int32),
        month=np.zeros(3, dtype=np.int32),
        province=np.zeros(3, dtype=np.int32),
        regency=np.zeros(3, dtype=np.int32),
        heading=np.array([0, 0, 1], dtype=np.int32),
        destination=np.zeros(3, dtype=np.int32),
        bumdes=np.array([7, 7, 8], dtype=np.int64),
        organisation=np.array([1, 1, 1], dtype=np.int64),
        usd_cents=np.array([huge, 2, 5], dtype=np.int64),
        kg_thousandths=np.array([1, 1, 0], dtype=np.int64),
        l_thousandths=np.array([0, 0, 3], dtype=np.int64),
        months=np.array(["2026-11"]),
        provinces=np.array(["74"]),
        regencies=np.array(["74.02"]),
        headings=np.array(["0306", "1515"]),
        destinations=np.array(["HK"]),
    )
    keep = held.mask(None, None, "")
    assert ledger.sums_by(held, keep, held.bumdes) == [(7, 2, huge + 2, 2, 0), (8, 1, 5, 0, 3)]
    again = ledger.Ledger.from_bytes(held.to_bytes())
    assert ledger.sums_by(again, keep, again.heading) == [(0, 2, huge + 2, 2, 0), (1, 1, 5, 0, 3)]
    assert again.mask(None, None, "72").sum() == 0  # a province it does not hold


def test_a_region_smaller_than_a_regency_or_nothing_counted_goes_to_the_database(
    shipped, ministry, operator
):
    assert figures._ledger_rows(ministry, figures.Period(), "74.02.01", "a count time") is None
    assert figures._ledger_rows(ministry, figures.Period(), "", cache.NEVER) is None
    assert figures._ledger_rows(operator, figures.Period(), "", "a count time") is None
