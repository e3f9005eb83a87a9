"""Fixtures of the directory tests: three exporters in organisations, in every state.

- ``verified_exporter``: admin of PT Kepiting Sultra, a verified exporter in 74 (Sulawesi
  Tenggara) interested in live crab (030633), selling to Hong Kong;
- ``second_exporter``: admin of Harbour Fresh, a verified Hong Kong buyer interested in HS
  heading 0306, selling in Hong Kong and Singapore;
- ``unverified_exporter``: admin of Yamato Foods, a Japanese buyer awaiting verification;
- ``exporter`` (from tests/conftest.py) belongs to no organisation.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.exporters.factories import MembershipFactory, OrganisationFactory
from tests.factories import UserFactory

EXPORTER_ROLES = ["verified_exporter", "unverified_exporter", "second_exporter"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Registration is rate-limited through the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def crab_org(regions):
    return OrganisationFactory(
        legal_name="PT Kepiting Sultra",
        verified=True,
        nib="9120202677410",
        npwp="024567891811000",
        hs=["030633"],
        markets=["HK"],
        contact_email="ekspor@kepiting.example.id",
        contact_phone="+62 401 312 4455",
    )


@pytest.fixture
def hk_org(regions):
    return OrganisationFactory(
        legal_name="Harbour Fresh Seafood Trading Ltd",
        buyer=True,
        verified=True,
        hs=["0306"],
        markets=["HK", "SG"],
        services=["logistics"],
        contact_email="buying@harbourfresh.example.hk",
        contact_phone="+852 2555 0188",
    )


@pytest.fixture
def pending_org(regions):
    return OrganisationFactory(
        legal_name="Yamato Natural Foods K.K.",
        kind="buyer",
        country_id="JP",
        province_id=None,
        hs=["1106"],
        markets=["JP"],
        contact_email="sourcing@yamato.example.jp",
        contact_phone="+81 6 6441 2200",
    )


@pytest.fixture
def verified_exporter(crab_org):
    return MembershipFactory(
        user=UserFactory(username="t-kepiting", first_name="Budi", last_name="Santoso"),
        organisation=crab_org,
    ).user


@pytest.fixture
def second_exporter(hk_org):
    return MembershipFactory(
        user=UserFactory(username="t-harbour", first_name="Wai Ming", last_name="Chan"),
        organisation=hk_org,
    ).user


@pytest.fixture
def unverified_exporter(pending_org):
    return MembershipFactory(
        user=UserFactory(username="t-yamato", first_name="Haruka", last_name="Sato"),
        organisation=pending_org,
    ).user


@pytest.fixture
def crab_colleague(crab_org):
    """A member of the crab exporter who is not its admin."""
    return MembershipFactory(
        user=UserFactory(username="t-kepiting-staf"), organisation=crab_org, is_admin=False
    ).user
