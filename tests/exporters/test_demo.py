"""The directory's demo data: verified and pending organisations, idempotent, working logins."""

from __future__ import annotations

import pytest

from bumdes_export.accounts.models import User
from exporters import demo
from exporters.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foundation_accounts(regions):
    """What the foundation's demo makes before the exporters demo runs."""
    UserFactory(username="kemendes", ministry=True, first_name="Siti", last_name="Rahmawati")
    UserFactory(username="eksportir", first_name="Budi", last_name="Santoso")


def test_demo_organisations_accounts_and_idempotence(client, foundation_accounts):
    logins = demo.load()
    assert [username for username, _ in logins] == ["pembeli", "baru"]
    demo.load()  # idempotent
    assert Organisation.objects.count() == 5
    by_name = {o.legal_name: o for o in Organisation.objects.all()}

    crab = by_name["PT Samudra Kepiting Sultra"]
    assert crab.status == "verified" and crab.province_id == "74"
    assert len(crab.nib) == 13 and len(crab.npwp) == 15
    assert sorted(crab.hs_interests.values_list("code", flat=True)) == ["030633", "160510"]
    assert sorted(crab.destination_markets.values_list("code", flat=True)) == ["CN", "HK", "SG"]
    eksportir = User.objects.get(username="eksportir")
    assert eksportir.membership.organisation == crab and eksportir.membership.is_admin
    assert eksportir.organisation_verified

    hk = by_name["Harbour Fresh Seafood Trading Ltd"]
    assert (hk.kind, hk.country_id, hk.status) == ("buyer", "HK", "verified")
    assert list(hk.hs_interests.values_list("code", flat=True)) == ["0306"]
    assert list(hk.destination_markets.values_list("code", flat=True)) == ["HK"]
    assert hk.required_certificates == ["coo-form-ahk", "health-fish"]
    assert sorted(hk.preferred_gateways.values_list("code", flat=True)) == ["KDI", "UPG"]
    assert hk.verified_by.username == "kemendes"
    assert hk.logo

    platform = by_name["PT Gerbang Niaga Global"]
    assert (platform.kind, platform.country_id, platform.province_id) == ("platform", "ID", "31")
    assert sorted(platform.services) == ["documents", "logistics", "payment", "quality"]

    oil = by_name["CV Atsiri Priangan"]
    assert oil.status == "verified"
    assert sorted(oil.hs_interests.values_list("code", flat=True)) == ["151590", "33", "3301"]
    assert sorted(oil.destination_markets.values_list("code", flat=True)) == ["AE", "FR", "NL"]

    flour = by_name["Yamato Natural Foods K.K."]
    assert (flour.country_id, flour.status) == ("JP", "pending")
    assert list(flour.hs_interests.values_list("code", flat=True)) == ["1106"]
    baru = User.objects.get(username="baru")
    assert baru.membership.organisation == flour and baru.membership.is_admin
    assert not baru.organisation_verified

    for username in ("pembeli", "baru"):
        assert client.login(username=username, password=demo.DEMO_PASSWORD)
    assert User.objects.get(username="pembeli").membership.organisation == hk
