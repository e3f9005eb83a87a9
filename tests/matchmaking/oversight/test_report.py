"""The monthly report: the snapshot taken when a month begins, and what the report says changed
since then; the page for each role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bumdes_export.reference.models import Region
from matchmaking.oversight import report, services
from matchmaking.oversight.models import TargetSnapshot
from products.models import Product
from tests.matchmaking.oversight.test_dashboard import (
    SEES_PROVINCES,
    figures,  # noqa: F401 (fixture)
)


@pytest.fixture
def month():
    """The month of the fixture's shipment (shipped three days ago)."""
    return (timezone.localdate() - timedelta(days=3)).replace(day=1)


def test_a_snapshot_is_taken_once_a_month(figures, month):  # noqa: F811
    assert services.take_target_snapshots(month + timedelta(days=5)) == 38
    assert services.take_target_snapshots(month + timedelta(days=9)) == 0
    sultra = TargetSnapshot.objects.get(month=month, province_id="74")
    assert (sultra.bumdes_registered, sultra.bumdes_export_ready, sultra.meets_target) == (
        2,
        1,
        True,
    )


def test_the_report_says_what_changed_since_the_month_began(figures, ministry, month):  # noqa: F811
    services.take_target_snapshots(month)
    Product.objects.filter(pk=figures.donggala_crab.pk).update(
        status=Product.Status.EXPORT_READY, return_reason=""
    )
    made = report.monthly_report(ministry, month)
    sulteng = Region.objects.get(code="72").name
    assert made.has_start and made.meeting_at_start == 1 and made.meeting == 2
    assert made.newly_meeting == [sulteng]
    change = next(c for c in made.changes if c.code == "72")
    assert change.deltas == {"bumdes_export_ready": 1, "products_export_ready": 1}
    assert made.shipments == 1 and made.value_usd == 6250
    assert [t.deal.product_id for t in made.top_deals] == [figures.crab.pk]


def test_without_a_snapshot_the_report_says_so(figures, ministry, month):  # noqa: F811
    made = report.monthly_report(ministry, month)
    assert not made.has_start and made.changes == []


@pytest.mark.parametrize(
    "role", ["anonymous", "ministry", "officer_sulteng", "verified_exporter", "linked_operator"]
)
def test_who_reads_the_report(figures, as_role, role, month):  # noqa: F811
    response = as_role(role).get(reverse("oversight:report"), {"month": f"{month:%Y-%m}"})
    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_PROVINCES:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="report-help"' in html and "<svg" in html
        if role == "officer_sulteng":
            assert Region.objects.get(code="74").name not in html
    else:
        assert response.status_code == 403


def test_a_month_not_understood_falls_back_to_last_month(figures, as_role):  # noqa: F811
    assert (
        as_role("ministry").get(reverse("oversight:report"), {"month": "soon"}).status_code == 200
    )
