"""Operators and organisations see their own pipeline on the dashboard, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.deals import services as deal_services
from tests.matchmaking.deals.conftest import shipment_data


@pytest.fixture
def crab_shipped(world, org_a, org_b, ministry):
    deal = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    deal_services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    other = deal_services.open_outside_deal(
        actor=ministry, product=world.donggala_crab, organisation=org_b
    )
    return deal, other


def _page(as_role, role):
    return as_role(role).get(reverse("oversight:dashboard"))


def test_the_operator_sees_his_bumdes_deals_and_products(crab_shipped, as_role, world):
    deal, other = crab_shipped
    html = _page(as_role, "linked_operator").content.decode()
    assert 'id="pipeline-products"' in html
    assert f'data-deal="{deal.pk}"' in html and f'data-deal="{other.pk}"' not in html
    assert f'data-product="{world.crab.pk}"' in html
    assert f'data-product="{world.donggala_crab.pk}"' not in html
    assert '<td class="num" id="shipment-count">1</td>' in html
    # The columns say which count deals and which shipments.
    assert "Shipments recorded" in html and "Deals at “First shipment”" in html


def test_an_organisation_sees_its_deals_only(crab_shipped, as_role):
    deal, other = crab_shipped
    mine = _page(as_role, "verified_exporter").content.decode()
    assert f'data-deal="{deal.pk}"' in mine and f'data-deal="{other.pk}"' not in mine
    theirs = _page(as_role, "second_exporter").content.decode()
    assert f'data-deal="{other.pk}"' in theirs and f'data-deal="{deal.pk}"' not in theirs
    assert 'id="pipeline-recommended"' in mine


def test_an_account_without_bumdes_or_organisation_is_told_why(crab_shipped, as_role):
    html = _page(as_role, "exporter").content.decode()
    assert "not linked to a BUMDes or an organisation" in html
