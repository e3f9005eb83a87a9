"""The dashboard: every province against the programme's target, counted by hand here.

The world: in Sulawesi Tenggara (74) a verified Konawe BUMDes with an export-ready crab (which
has shipped) and a returned avocado oil, plus a draft BUMDes; in Sulawesi Tengah (72) a verified
BUMDes whose only product was returned, and a submitted product in review. Every other province
has nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from bumdes_export.reference.models import Region
from matchmaking.deals import services as deal_services
from matchmaking.oversight import selectors
from matchmaking.oversight.models import ProvinceTarget
from products.models import Bumdes, Product
from tests.matchmaking.conftest import MM_ROLES
from tests.matchmaking.deals.conftest import shipment_data
from tests.products.factories import BumdesFactory, ProductFactory, first_desa

THIS_YEAR = 2026


@pytest.fixture
def figures(world, org_a, ministry):
    verified = Bumdes.Status.VERIFIED
    Bumdes.objects.filter(pk__in=[world.konawe.pk, world.donggala.pk]).update(status=verified)
    BumdesFactory(name="BUMDes Draf", village_id=first_desa("74.02."))
    # Donggala: its only export-ready product returned; another product waits for review.
    Product.objects.filter(pk=world.donggala_crab.pk).update(
        status=Product.Status.RETURNED, return_reason="Photo missing"
    )
    ProductFactory(bumdes=world.donggala, status=Product.Status.SUBMITTED)
    Product.objects.filter(pk=world.oil.pk).update(status=Product.Status.VERIFIED)
    deal = deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_a)
    deal_services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    return world


def _row(statuses, code):
    return next(s for s in statuses if s.code == code)


def test_ministry_sees_all_38_provinces_with_hand_counted_figures(figures, ministry):
    statuses = selectors.province_statuses(ministry, THIS_YEAR)
    assert len(statuses) == 38
    sultra = _row(statuses, "74")
    assert (sultra.bumdes_registered, sultra.bumdes_verified, sultra.bumdes_export_ready) == (
        2,
        1,
        1,
    )
    assert (sultra.products_export_ready, sultra.bumdes_exporting) == (1, 1)
    assert sultra.meets_target and sultra.missing == []
    sulteng = _row(statuses, "72")
    assert (sulteng.bumdes_registered, sulteng.bumdes_verified, sulteng.bumdes_export_ready) == (
        1,
        1,
        0,
    )
    assert not sulteng.meets_target
    assert sulteng.missing == [selectors.IN_REVIEW]
    aceh = _row(statuses, "11")
    assert aceh.name == Region.objects.get(code="11").name
    assert aceh.missing == [selectors.NO_BUMDES]
    summary = selectors.target_summary(statuses, THIS_YEAR)
    assert (summary.provinces, summary.meeting) == (38, 1)


def test_a_verified_bumdes_whose_only_product_was_returned_does_not_meet_the_target(
    figures, ministry
):
    Product.objects.filter(bumdes=figures.donggala).delete()
    ProductFactory(
        bumdes=figures.donggala, status=Product.Status.RETURNED, return_reason="No photo"
    )
    sulteng = _row(selectors.province_statuses(ministry, THIS_YEAR), "72")
    assert not sulteng.meets_target
    assert sulteng.missing == [selectors.TOO_FEW]


def test_the_target_is_data_per_province_and_year(figures, ministry):
    ProvinceTarget.objects.create(province_id="74", year=THIS_YEAR, export_ready_bumdes=2)
    sultra = _row(selectors.province_statuses(ministry, THIS_YEAR), "74")
    assert sultra.target == 2 and not sultra.meets_target
    assert _row(selectors.province_statuses(ministry, THIS_YEAR + 1), "74").meets_target


def test_an_officer_sees_only_his_region(figures, officer_konawe, officer_sulteng):
    (only,) = selectors.province_statuses(officer_konawe, THIS_YEAR)
    assert only.code == "74" and only.bumdes_registered == 2
    (sulteng,) = selectors.province_statuses(officer_sulteng, THIS_YEAR)
    assert sulteng.code == "72"
    regencies = selectors.regency_statuses(officer_konawe, Region.objects.get(code="74"), THIS_YEAR)
    assert [r.code for r in regencies] == ["74.02"]


SEES_PROVINCES = {"ministry", "officer_sultra", "officer_konawe", "officer_sulteng"}


@pytest.mark.parametrize("role", MM_ROLES)
def test_who_opens_the_dashboard(figures, as_role, role):
    """Ministry staff and officers see the provinces; everyone else signed in their own pipeline;
    anonymous visitors go to the login page."""
    response = as_role(role).get(reverse("oversight:dashboard"))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert ('id="provinces"' in html) == (role in SEES_PROVINCES)
    assert ("Your pipeline" in html) == (role not in SEES_PROVINCES)


def test_the_officers_page_names_no_other_province(figures, as_role):
    html = as_role("officer_sulteng").get(reverse("oversight:dashboard")).content.decode()
    assert Region.objects.get(code="72").name in html
    assert Region.objects.get(code="74").name not in html
    assert 'data-province="74"' not in html


def test_a_province_drill_down_lists_its_regencies(figures, as_role):
    client = as_role("ministry")
    html = client.get(reverse("oversight:province", args=["74"])).content.decode()
    assert 'data-region="74.02"' in html
    assert (
        as_role("officer_sulteng").get(reverse("oversight:province", args=["74"])).status_code
        == 404
    )


def test_ministry_sets_a_target_and_bad_input_is_a_field_error(figures, as_role):
    client = as_role("ministry")
    response = client.post(
        reverse("oversight:set_target"),
        {"province": "74", "year": THIS_YEAR, "export_ready_bumdes": "0"},
    )
    assert response.status_code == 400
    assert not ProvinceTarget.objects.exists()
    response = client.post(
        reverse("oversight:set_target"),
        {"province": "74", "year": THIS_YEAR, "export_ready_bumdes": "3"},
    )
    assert response.status_code == 302
    assert ProvinceTarget.objects.get(province_id="74", year=THIS_YEAR).export_ready_bumdes == 3


def test_an_officer_cannot_set_targets(figures, as_role):
    response = as_role("officer_sultra").post(
        reverse("oversight:set_target"),
        {"province": "74", "year": THIS_YEAR, "export_ready_bumdes": "3"},
    )
    assert response.status_code == 404
    assert not ProvinceTarget.objects.exists()


def test_each_number_leads_to_the_bumdes_and_products_behind_it(figures, as_role):
    client = as_role("ministry")
    html = client.get(reverse("oversight:province", args=["74"])).content.decode()
    bumdes_link = f"{reverse('products:bumdes_list')}?regency=74.02&amp;status=verified"
    assert bumdes_link in html
    listed = client.get(f"{reverse('products:bumdes_list')}?regency=74.02&status=verified")
    assert figures.konawe.name in listed.content.decode()
    dashboard = client.get(reverse("oversight:dashboard")).content.decode()
    assert f"{reverse('products:product_list')}?province=74&amp;status=export_ready" in dashboard


def test_a_province_page_has_its_own_funnel_shipments_and_facilitation(figures, as_role):
    client = as_role("ministry")
    html = client.get(reverse("oversight:province", args=["72"])).content.decode()
    for section in ('id="funnel"', 'id="shipments"', 'id="facilitation"'):
        assert section in html
    shipments = html.split('id="shipments"')[1].split("</section>")[0]
    assert "Hong Kong" not in shipments  # the crab shipped from Sulawesi Tenggara
    picked = client.get(reverse("oversight:province_pick"), {"province": "72", "year": "2026"})
    assert picked.status_code == 302 and picked["Location"].startswith("/dashboard/provinces/72/")
    stranger = as_role("officer_sulteng").get(
        reverse("oversight:province_pick"), {"province": "74"}
    )
    assert stranger["Location"] == reverse("oversight:dashboard")
