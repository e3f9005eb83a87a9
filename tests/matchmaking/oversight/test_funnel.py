"""The funnel, counted by hand: four products in the world (one a draft), a crab inquiry, and a
crab deal at letter of intent 30 days ago, contract 20 days ago, shipments 10 and 3 days ago."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.dealings import services as dealing_services
from matchmaking.deals import services as deal_services
from matchmaking.oversight.selectors import funnel_steps as funnel
from tests.matchmaking.deals.conftest import shipment_data


@pytest.fixture
def pipeline(world, org_a, ministry, verified_exporter):
    today = timezone.localdate()
    dealing_services.start_inquiry(
        actor=verified_exporter, product=world.crab, subject="Crab", body="Price please"
    )
    deal = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    for stage, days in (("loi_mou", 30), ("contract", 20)):
        deal_services.record_step(
            actor=ministry,
            deal=deal,
            data={"stage": stage, "occurred_on": today - timedelta(days=days)},
        )
    for days in (10, 3):
        deal_services.record_shipment(
            actor=ministry,
            deal=deal,
            data=shipment_data(shipped_on=today - timedelta(days=days)),
        )
    return world


def _steps(user):
    return {step.key: step for step in funnel(user)}


def test_each_step_counts_the_products_that_reached_it_or_a_later_one(pipeline, ministry):
    steps = _steps(ministry)
    counts = {key: step.products for key, step in steps.items()}
    assert counts == {
        "registered": 4,
        "verified": 3,
        "export_ready": 3,
        "matched": 1,  # no score stored, but the crab went further
        "contacted": 1,
        "met": 1,
        "loi_mou": 1,
        "contract": 1,
        "first_shipment": 1,
        "repeat_shipments": 1,
    }
    assert steps["verified"].conversion == pytest.approx(0.75)
    assert steps["registered"].conversion is None


def test_median_days_between_steps_with_known_days(pipeline, ministry):
    steps = _steps(ministry)
    assert steps["contract"].median_days == 10
    assert steps["first_shipment"].median_days == 10
    assert steps["repeat_shipments"].median_days == 7
    assert steps["loi_mou"].median_days is None  # the crab never met at a forum: no day there


def test_an_officer_funnel_counts_only_his_region(pipeline, officer_sulteng, officer_sultra):
    assert _steps(officer_sulteng)["registered"].products == 1  # the Donggala crab
    assert _steps(officer_sulteng)["contacted"].products == 0
    assert _steps(officer_sultra)["registered"].products == 3


def test_the_dashboard_shows_the_funnel_with_its_table(pipeline, as_role):
    from django.urls import reverse

    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    section = html.split('id="funnel"')[1].split("</section>")[0]
    assert section.count('<g data-step="') == 10
    assert '<tr data-step="repeat_shipments"><td>' in section


def test_the_bars_have_plain_numbers_in_every_language(pipeline, as_role):
    import re

    from django.urls import reverse

    client = as_role("ministry")
    client.cookies["django_language"] = "id"
    html = client.get(reverse("oversight:dashboard")).content.decode()
    html = html.split('id="funnel"')[1].split("</section>")[0]
    widths = re.findall(r'<rect x="200" y="4" height="18" width="([^"]+)"', html)
    assert len(widths) == 10
    assert all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths), widths


def test_a_verified_product_with_a_good_match_is_not_counted_as_export_ready(pipeline, ministry):
    from matchmaking.matching.models import ProductMatches
    from products.models import Product

    Product.objects.filter(pk=pipeline.oil.pk).update(status=Product.Status.VERIFIED)
    ProductMatches.objects.create(
        product=pipeline.oil,
        product_version=1,
        weights_version=1,
        best_score=950,
        size=1,
        computed_at=timezone.now(),
    )
    steps = _steps(ministry)
    assert steps["export_ready"].products == 2  # the two crabs
    assert steps["matched"].products == 1  # the Konawe crab, which went further
    assert all(s.conversion is None or s.conversion <= 1 for s in steps.values())


def test_the_funnel_of_one_region(pipeline, ministry):
    from matchmaking.oversight.selectors import funnel_steps as region_funnel

    sulteng = {step.key: step.products for step in region_funnel(ministry, within="72")}
    assert sulteng["registered"] == 1 and sulteng["contacted"] == 0
    konawe = {step.key: step.products for step in region_funnel(ministry, within="74.02")}
    assert konawe["registered"] == 3 and konawe["repeat_shipments"] == 1
