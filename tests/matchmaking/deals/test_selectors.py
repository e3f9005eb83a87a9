"""Reads of deals and shipments (``matchmaking.deals.selectors``): always within what the reader
may see, then narrowed by the list filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bumdes_export.reference.models import Country
from matchmaking.deals import selectors, services
from matchmaking.deals.models import Deal
from matchmaking.deals.selectors import DealFilters
from tests.matchmaking.deals.conftest import DealScene, shipment_data
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db


def names(ds: DealScene, deals) -> set[str]:
    by_pk = {ds.crab.pk: "crab", ds.donggala.pk: "donggala", ds.pending.pk: "pending"}
    return {by_pk[deal.pk] for deal in deals}


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


# --- The deal list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (DealFilters(), {"crab", "donggala", "pending"}),
        (DealFilters(stage="first_shipment"), {"crab"}),
        (DealFilters(stage="interest"), {"donggala", "pending"}),
        (DealFilters(channel="outside"), {"crab", "donggala", "pending"}),
        (DealFilters(channel="inquiry"), set()),
        (DealFilters(province="74"), {"crab", "pending"}),
        (DealFilters(province="72"), {"donggala"}),
        (DealFilters(hs_chapter="03"), {"crab", "donggala"}),
        (DealFilters(hs_chapter="15"), {"pending"}),
        (DealFilters(destination="HK"), {"crab"}),
        (DealFilters(destination="SG"), set()),
        (lambda: DealFilters(shipped_from=days_ago(3)), {"crab"}),
        (lambda: DealFilters(shipped_from=days_ago(2)), set()),
        (lambda: DealFilters(shipped_until=days_ago(3)), {"crab"}),
        (lambda: DealFilters(shipped_until=days_ago(4)), set()),
        (DealFilters(q="MUD CRAB"), {"crab"}),
        (DealFilters(q="bakau uji"), {"donggala"}),
        (DealFilters(q="pending foods"), {"pending"}),
        (DealFilters(q="kepiting"), {"crab", "donggala"}),
        (DealFilters(q="kepiting", province="72"), {"donggala"}),
    ],
)
def test_the_deal_list_filters(ds: DealScene, ministry, filters, expected):
    # Dates relative to today are worked out when the test runs (not when it is collected,
    # which may be on the other side of midnight in Jakarta).
    filters = filters() if callable(filters) else filters
    assert names(ds, selectors.deal_list(ministry, filters)) == expected


def test_product_and_organisation_filters(ds: DealScene, ministry):
    by_product = selectors.deal_list(ministry, DealFilters(product=ds.world.oil.pk))
    assert names(ds, by_product) == {"pending"}
    by_organisation = selectors.deal_list(
        ministry, DealFilters(organisation=ds.donggala.organisation_id)
    )
    assert names(ds, by_organisation) == {"donggala"}


def test_destination_and_period_are_those_of_one_and_the_same_shipment(ds: DealScene, ministry):
    services.record_shipment(
        actor=ministry,
        deal=ds.crab,
        data=shipment_data(shipped_on=days_ago(30), destination=Country.objects.get(code="SG")),
    )
    # Hong Kong three days ago, Singapore a month ago: nothing went to Hong Kong a month ago.
    assert not selectors.deal_list(
        ministry, DealFilters(destination="HK", shipped_until=days_ago(10))
    )
    assert names(
        ds, selectors.deal_list(ministry, DealFilters(destination="SG", shipped_until=days_ago(10)))
    ) == {"crab"}
    # A deal with two matching shipments is listed once.
    assert selectors.deal_list(ministry, DealFilters(shipped_from=days_ago(60))).count() == 1


def test_the_filters_narrow_but_never_widen_what_the_reader_sees(ds: DealScene, second_exporter):
    assert names(ds, selectors.deal_list(second_exporter)) == {"donggala"}
    assert not selectors.deal_list(second_exporter, DealFilters(province="74"))
    assert not selectors.shipment_list(second_exporter, DealFilters(destination="HK"))


def test_the_latest_change_comes_first(ds: DealScene, ministry):
    assert list(selectors.deal_list(ministry))[-1] == ds.crab
    services.record_step(actor=ministry, deal=ds.crab, data={"stage": "sample_sent"})
    assert list(selectors.deal_list(ministry))[0] == ds.crab


# --- The shipment list -----------------------------------------------------------------------


def test_the_shipment_list_filters_on_the_shipment_and_its_deal(ds: DealScene, ministry):
    older = services.record_shipment(
        actor=ministry,
        deal=ds.crab,
        data=shipment_data(shipped_on=days_ago(30), destination=Country.objects.get(code="SG")),
    )
    assert list(selectors.shipment_list(ministry)) == [ds.shipment, older]  # latest first
    assert list(selectors.shipment_list(ministry, DealFilters(destination="SG"))) == [older]
    period = DealFilters(shipped_from=days_ago(40), shipped_until=days_ago(20))
    assert list(selectors.shipment_list(ministry, period)) == [older]
    assert list(selectors.shipment_list(ministry, DealFilters(province="74"))) == [
        ds.shipment,
        older,
    ]
    assert not selectors.shipment_list(ministry, DealFilters(province="72"))
    assert not selectors.shipment_list(ministry, DealFilters(stage="interest"))


def test_shipments_are_seen_by_whoever_sees_their_deal(
    ds: DealScene, officer_konawe, officer_sulteng, pending_exporter
):
    assert list(selectors.shipment_list(officer_konawe)) == [ds.shipment]
    assert not selectors.shipment_list(officer_sulteng)
    assert not selectors.shipment_list(pending_exporter)


# --- One deal --------------------------------------------------------------------------------


def test_a_deal_is_found_only_within_the_readers_scope(
    ds: DealScene, verified_exporter, second_exporter, provider
):
    assert selectors.deal_detail(verified_exporter, ds.crab.pk) == ds.crab
    for user in (second_exporter, provider):
        with pytest.raises(Http404):
            selectors.deal_detail(user, ds.crab.pk)
    with pytest.raises(Http404):
        selectors.deal_detail(verified_exporter, 10**9)


def test_the_history_in_date_order_and_the_shipments(ds: DealScene, ministry):
    services.record_step(
        actor=ministry, deal=ds.crab, data={"stage": "contract", "occurred_on": days_ago(10)}
    )
    steps = [(s.stage, s.occurred_on) for s in selectors.steps_of(ds.crab)]
    assert steps == [
        ("contract", days_ago(10)),
        ("first_shipment", days_ago(3)),
        ("interest", timezone.localdate()),
    ]
    assert list(selectors.shipments_of(ds.crab)) == [ds.shipment]


def test_the_open_deal_of_a_pair_is_never_a_lost_one(ds: DealScene, ministry):
    crab, org_a = ds.world.crab, ds.crab.organisation
    assert selectors.open_deal_for(crab, org_a) == ds.crab
    services.close_as_lost(actor=ministry, deal=ds.crab, reason="quality")
    assert selectors.open_deal_for(crab, org_a) is None
    assert selectors.open_deal_for(ds.world.oil, org_a) is None


def test_deals_of_a_product_a_bumdes_and_an_organisation(
    ds: DealScene, ministry, officer_sulteng, linked_operator
):
    world = ds.world
    assert names(ds, selectors.deals_for_product(ministry, world.crab)) == {"crab"}
    assert names(ds, selectors.deals_for_bumdes(ministry, world.konawe)) == {"crab", "pending"}
    assert names(ds, selectors.deals_for_bumdes(linked_operator, world.konawe)) == {
        "crab",
        "pending",
    }
    assert not selectors.deals_for_bumdes(officer_sulteng, world.konawe)
    assert names(ds, selectors.deals_for_organisation(ministry, ds.crab.organisation)) == {"crab"}
    assert not selectors.deals_for_organisation(officer_sulteng, ds.crab.organisation)


def test_the_people_of_a_deal_are_both_its_sides(
    ds: DealScene,
    ministry,
    officer_sultra,
    officer_konawe,
    officer_sulteng,
    linked_operator,
    verified_exporter,
    second_exporter,
    pending_exporter,
    provider,
):
    people = set(selectors.people_of(ds.crab))
    assert {ministry, officer_sultra, officer_konawe, linked_operator, verified_exporter} <= people
    assert not {officer_sulteng, second_exporter, pending_exporter, provider} & people
    # Members of an unverified organisation are told about their deals too.
    assert pending_exporter in selectors.people_of(ds.pending)


def test_stage_counts_name_every_stage(ds: DealScene, ministry):
    services.close_as_lost(actor=ministry, deal=ds.donggala, reason="price")
    counts = selectors.stage_counts(selectors.deal_list(ministry))
    assert set(counts) == set(Deal.Stage.values)
    assert counts["first_shipment"] == counts["interest"] == counts["lost"] == 1
    assert sum(counts.values()) == 3


def test_a_page_of_deals_with_their_history_takes_a_fixed_number_of_queries(
    ds: DealScene, ministry, org_b
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for deal in selectors.with_history(selectors.deal_list(ministry)):
                [step.recorded_by for step in deal.steps.all()]
                [(s.destination.code, s.gateway, s.hs_code.code) for s in deal.shipments.all()]
        return len(captured)

    before = queries()
    for n in range(3):
        product = ProductFactory(bumdes=ds.world.konawe, status="export_ready", name_id=f"P{n}")
        deal = services.open_outside_deal(actor=ministry, product=product, organisation=org_b)
        services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    assert queries() == before
