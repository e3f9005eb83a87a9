"""The readiness facts of many products, read from their columns, equal those of one."""

from datetime import date, timedelta

import pytest

from products import selectors
from products.models import Bumdes
from tests.products.factories import BumdesFactory, CertificateFactory, ProductFactory, first_desa

pytestmark = pytest.mark.django_db


def test_many_at_once_equal_one_by_one(regions):
    verified = BumdesFactory(
        village_id=first_desa("74.02."),
        status=Bumdes.Status.VERIFIED,
        nib="1234567890123",
        legal_status=Bumdes.LegalStatus.LEGAL_ENTITY,
    )
    plain = BumdesFactory(village_id=first_desa("74.02.", 1))
    crab = ProductFactory(
        bumdes=verified,
        price=5,
        capacity_per_month=3,
        packaging="Kotak",
        name_en="Crab",
        description_en="Live crab",
        unconfirmed=["form"],
    )
    crab.exported_to.set(["HK"])
    crab.target_markets.set(["CN", "HK"])
    CertificateFactory(product=crab)
    CertificateFactory(  # expired
        product=crab,
        valid_from=date.today() - timedelta(days=400),
        valid_until=date.today() - timedelta(days=1),
        type=crab.certificates.first().type.__class__.objects.get(code="halal"),
    )
    flour = ProductFactory(bumdes=plain, hs_code_id="110630", form="processed", available_months=0)
    one_by_one = {p.pk: selectors.facts_of(p) for p in (crab, flour)}
    many = selectors.facts_of_many(crab.__class__.objects.filter(pk__in=[crab.pk, flour.pk]))
    assert many == one_by_one
    assert many[crab.pk].valid_certificates == frozenset({"health-fish"})
    assert many[crab.pk].destinations == frozenset({"CN", "HK"})
    assert many[crab.pk].template_fields and not many[flour.pk].template_fields
