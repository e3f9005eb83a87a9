"""Shipments on the dashboard, counted by hand: crab (HS 030633, Konawe) to Hong Kong twice
(USD 6,250 + 3,000, 500 + 240 kg, in two months) and avocado oil (HS 151590, Konawe, litres) to
Japan once (USD 1,800, 120 l); Donggala crab (Sulawesi Tengah) to Singapore (USD 900, 80 kg)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from matchmaking.deals import services as deal_services
from matchmaking.oversight import shipments as figures
from tests.matchmaking.deals.conftest import shipment_data


def _by_key(totals):
    return {t.key: (t.shipments, t.value_usd, t.volume_kg, t.volume_l) for t in totals}


def test_totals_by_commodity_destination_province_and_month(shipped, ministry):
    qs = figures.shipments_in(ministry, figures.Period())
    assert _by_key(figures.by_chapter(qs)) == {
        "03": (3, Decimal("10150"), Decimal("820"), Decimal(0)),
        "15": (1, Decimal("1800"), Decimal(0), Decimal("120")),
    }
    assert _by_key(figures.by_heading(qs))["0306"][1] == Decimal("10150")
    assert {t.key: t.value_usd for t in figures.by_destination(qs, "en")} == {
        "HK": Decimal("9250"),
        "JP": Decimal("1800"),
        "SG": Decimal("900"),
    }
    assert {t.key: t.value_usd for t in figures.by_province(qs)} == {
        "74": Decimal("11050"),
        "72": Decimal("900"),
    }
    assert [(t.key, t.value_usd) for t in figures.by_month(qs)] == [
        ("2026-10", Decimal("6250")),
        ("2026-11", Decimal("5700")),
    ]
    assert [t.label for t in figures.top_bumdes(qs)] == ["BUMDes Mina Uji", "BUMDes Bakau Uji"]


def test_the_period_and_the_region_narrow_the_shipments(shipped, ministry, officer_sulteng):
    november = figures.Period(date(2026, 11, 1), date(2026, 11, 30))
    assert figures.shipments_in(ministry, november).count() == 3
    assert figures.shipments_in(ministry, figures.Period(), region="72").count() == 1
    assert figures.shipments_in(officer_sulteng, figures.Period()).count() == 1


def test_the_dashboard_shows_each_chart_beside_its_table(shipped, as_role):
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    section = html.split('id="shipments"')[1].split("</section>")[0]
    for chart in ("chapter", "heading", "destination", "province", "month", "top-bumdes"):
        assert f'data-chart="{chart}"' in section
    officer = as_role("officer_sulteng").get(reverse("oversight:dashboard")).content.decode()
    assert "Hong Kong" not in officer.split('id="shipments"')[1].split("</section>")[0]


def test_a_period_filter_that_is_not_a_date_is_ignored_not_a_500(shipped, as_role):
    response = as_role("ministry").get(reverse("oversight:dashboard"), {"shipped_from": "soon"})
    assert response.status_code == 200


def test_every_bar_fits_its_chart_and_the_largest_is_full(shipped, as_role, ministry):
    """In date order a later month may be the largest: bars are scaled to the largest value."""
    import re

    from matchmaking.deals.models import Deal
    from matchmaking.oversight.bars import BAR_WIDTH

    oil = Deal.objects.get(product=shipped.oil)
    deal_services.record_shipment(
        actor=ministry,
        deal=oil,
        data=shipment_data(
            shipped_on=date(2026, 11, 25), quantity=Decimal(60), value_usd=Decimal(1000)
        ),
    )
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    chart = html.split('data-chart="month"')[1].split("</svg>")[0]
    widths = [
        float(w) for w in re.findall(r'<rect x="200" y="4" height="18" width="([^"]+)"', chart)
    ]
    assert widths == [round(BAR_WIDTH * 6250 / 6700, 1), BAR_WIDTH]  # October, November


@pytest.mark.parametrize(
    ("period", "months"),
    [(figures.Period(), 2), (figures.Period(start=date(2026, 11, 1)), 1)],
)
def test_all_groupings_at_once_are_each_grouping_on_its_own(shipped, ministry, period, months):
    qs = figures.shipments_in(ministry, period)
    at_once = figures.all_groupings(qs, "id")
    assert set(at_once) == set(figures.GROUPINGS)
    for group in figures.GROUPINGS:
        assert at_once[group] == figures.grouped(qs, group, "id"), group
    assert [t.key for t in at_once["province"]] == ["74", "72"]
    assert len(at_once["month"]) == months
