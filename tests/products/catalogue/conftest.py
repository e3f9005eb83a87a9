"""Fixtures of the catalogue tests: a fresh cache, English pages, a small catalogue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from products.catalogue import services as catalogue
from products.models import ALL_MONTHS
from tests.factories import UserFactory
from tests.products.catalogue.helpers import (
    CONTACTS,
    THIS_MONTH,
    Catalogue,
    certificate,
    ready,
)
from tests.products.factories import (
    BumdesFactory,
    ProductFactory,
    first_desa,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def verified_exporter(regions):
    return UserFactory(username="t-eksportir-terverifikasi", organisation_verified=True)


@pytest.fixture
def cat(regions) -> Catalogue:
    konawe = BumdesFactory(
        name="BUMDes Mina Sejahtera", village_id=first_desa("74.02."), **CONTACTS
    )
    donggala = BumdesFactory(name="BUMDes Kopi Lembah", village_id=first_desa("72.03."))
    konsel = BumdesFactory(name="BUMDes Laut Biru", village_id=first_desa("74.05."))
    tojo = BumdesFactory(name="BUMDes Pisang Emas", village_id=first_desa("72.09."))
    now = timezone.now()
    crab = ready(
        bumdes=konawe,
        name_id="Kepiting bakau hidup",
        name_en="Live mud crab",
        description_id="Kepiting bakau dari tambak mangrove Konawe.",
        description_en="Mud crab from the mangrove ponds of Konawe.",
        hs_code_id="030633",
        form="live",
        capacity_per_month=Decimal("2"),
        unit="ton",
        capacity_base=Decimal("2000"),
        base_unit="kg",
        export_ready_at=now - timedelta(days=3),
    )
    certificate(crab, "health-fish")
    coffee = ready(
        bumdes=donggala,
        name_id="Kopi robusta",
        name_en="Robusta coffee",
        description_en="Green beans, sun dried.",
        hs_code_id="090111",
        form="dried",
        unit="kg",
        capacity_per_month=Decimal("800"),
        capacity_base=Decimal("800"),
        base_unit="kg",
        available_months=ALL_MONTHS & ~THIS_MONTH,
        export_ready_at=now - timedelta(days=1),
    )
    certificate(coffee, "halal")
    seaweed = ready(
        bumdes=konsel,
        name_id="Rumput laut kering",
        name_en="Dried seaweed",
        hs_code_id="121221",
        form="dried",
        unit="ton",
        capacity_per_month=Decimal("12"),
        capacity_base=Decimal("12000"),
        base_unit="kg",
        export_ready_at=now - timedelta(days=2),
    )
    certificate(seaweed, "sni")
    flour = ready(
        bumdes=tojo,
        name_id="Tepung pisang",
        name_en="Banana flour",
        description_id="Tepung pisang kepok, tanpa gluten.",
        hs_code_id="110630",
        form="processed",
        unit="kg",
        capacity_per_month=Decimal("500"),
        capacity_base=Decimal("500"),
        base_unit="kg",
        available_months=THIS_MONTH,
        export_ready_at=now - timedelta(days=4),
    )
    certificate(flour, "halal")
    certificate(flour, "bpom-md")
    certificate(
        flour,
        "sni",
        valid_from=date.today() - timedelta(days=400),
        valid_until=date.today() - timedelta(days=1),
    )
    hidden = []
    for status in ("draft", "submitted", "verified", "returned"):
        for bumdes, name in ((konawe, "Kepiting merah"), (donggala, "Kopi arabika")):
            product = ProductFactory(
                bumdes=bumdes,
                name_id=f"{name} {status}",
                name_en="Crab coffee hidden",
                hs_code_id="030633",
                form="frozen",
                status=status,
                return_reason="Kurang foto" if status == "returned" else "",
            )
            certificate(product, "organic")
            hidden.append(product)
    catalogue.refresh_all()
    return Catalogue(crab=crab, coffee=coffee, seaweed=seaweed, flour=flour, hidden=hidden)
