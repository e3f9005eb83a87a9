"""Matchmaking fixtures: two BUMDes in two provinces, exporter organisations in every state, a
service provider, and the roles of the shared conftest plus the exporter-side ones.

- ``world.crab``: export-ready live mud crab (HS 0306.33) of a Konawe BUMDes (74.02), which the
  ``linked_operator`` maintains; ``world.crab_draft`` a draft product of the same BUMDes.
- ``world.donggala_crab``: export-ready crab of a Donggala BUMDes (72.03), Sulawesi Tengah.
- ``world.oil``: export-ready avocado oil (HS 1515.90) of the Konawe BUMDes.
- ``verified_exporter`` (org A), ``second_exporter`` (org B): members of verified organisations;
  ``pending_exporter``: member of an organisation awaiting verification; ``exporter`` (shared
  conftest): an exporter account without organisation; ``provider``: member of a verified
  trading platform offering every service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from bumdes_export.reference.models import Country, HsCode
from exporters.models import Organisation
from matchmaking.dealings import services
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from products.models import Bumdes, BumdesOperator, Product
from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.matchmaking.factories import OrganisationFactory, member
from tests.products.factories import BumdesFactory, ProductFactory, first_desa, pdf_upload

#: Every role the matchmaking pages and endpoints are checked with.
MM_ROLES = [
    *ROLES,
    "verified_exporter",
    "second_exporter",
    "pending_exporter",
    "linked_operator",
    "provider",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def org_a(regions) -> Organisation:
    return OrganisationFactory(legal_name="Harbour Test Seafood Ltd")


@pytest.fixture
def org_b(regions) -> Organisation:
    return OrganisationFactory(legal_name="Second Buyer Pte Ltd", country_id="SG")


@pytest.fixture
def org_pending(regions) -> Organisation:
    return OrganisationFactory(legal_name="Pending Foods K.K.", country_id="JP", pending=True)


@pytest.fixture
def platform(regions) -> Organisation:
    return OrganisationFactory(legal_name="PT Mitra Niaga Uji", provider=True)


@pytest.fixture
def verified_exporter(org_a):
    return member("t-buyer-a", org_a)


@pytest.fixture
def colleague_a(org_a):
    """A second member of org A."""
    return member("t-buyer-a2", org_a)


@pytest.fixture
def second_exporter(org_b):
    return member("t-buyer-b", org_b)


@pytest.fixture
def pending_exporter(org_pending):
    return member("t-buyer-pending", org_pending)


@pytest.fixture
def provider(platform):
    return member("t-mitra", platform)


@pytest.fixture
def linked_operator(regions):
    return UserFactory(username="t-bumdes-linked", operator=True)


@dataclass
class World:
    konawe: Bumdes
    donggala: Bumdes
    crab: Product
    crab_draft: Product
    oil: Product
    donggala_crab: Product


@pytest.fixture
def world(linked_operator) -> World:
    konawe = BumdesFactory(name="BUMDes Mina Uji", village_id=first_desa("74.02."))
    donggala = BumdesFactory(name="BUMDes Bakau Uji", village_id=first_desa("72.03."))
    BumdesOperator.objects.create(user=linked_operator, bumdes=konawe)
    ready = Product.Status.EXPORT_READY
    return World(
        konawe=konawe,
        donggala=donggala,
        crab=ProductFactory(
            bumdes=konawe, name_id="Kepiting bakau", name_en="Mud crab", status=ready
        ),
        crab_draft=ProductFactory(bumdes=konawe, name_id="Daging rajungan", hs_code_id="160510"),
        oil=ProductFactory(
            bumdes=konawe,
            name_id="Minyak alpukat",
            hs_code_id="151590",
            form="processed",
            unit="l",
            status=ready,
        ),
        donggala_crab=ProductFactory(bumdes=donggala, name_id="Kepiting Donggala", status=ready),
    )


def rfq_data(**overrides) -> dict:
    """What a buying request for live crab (heading 0306) to Hong Kong says."""
    return {
        "title": "Live mud crab to Hong Kong",
        "hs_code": HsCode.objects.get(code="0306"),
        "description": "300-500 g, tied.",
        "quantity": Decimal("2"),
        "unit": "ton",
        "destination": Country.objects.get(code="HK"),
        "target_price": Decimal("11.80"),
        "currency": "USD",
        "incoterm": "FOB",
        "valid_until": timezone.localdate() + timedelta(days=30),
        **overrides,
    }


@pytest.fixture
def rfq(world, verified_exporter) -> BuyingRequest:
    return services.create_buying_request(actor=verified_exporter, data=rfq_data())


EVERYONE = {role: 200 for role in MM_ROLES if role != "anonymous"}
VERIFIED = {"verified_exporter", "second_exporter", "provider"}
EXPORTERS = VERIFIED | {"exporter", "pending_exporter"}
KONAWE_SIDE = {"ministry", "officer_sultra", "officer_konawe", "linked_operator"}


def only(allowed: set[str], code: int = 200, otherwise: int = 404) -> dict[str, int]:
    return {
        role: code if role in allowed else otherwise for role in MM_ROLES if role != "anonymous"
    }


@dataclass
class Scene:
    world: object
    inquiry: Inquiry
    rfq: BuyingRequest
    offer: Offer
    service_request: ServiceRequest
    entry: ShortlistEntry


@pytest.fixture
def scene(world, rfq, verified_exporter, linked_operator, officer_konawe, platform, provider):
    inquiry = services.start_inquiry(
        actor=verified_exporter,
        product=world.crab,
        subject="Crab for Hong Kong",
        body="Price please",
        attachment=pdf_upload("spec.pdf"),
    )
    offer = services.make_offer(
        actor=linked_operator,
        buying_request=rfq,
        product=world.crab,
        data={"price": 12, "quantity": 3},
    )
    service_request = services.request_service(
        actor=officer_konawe,
        provider=platform,
        service="documents",
        product=world.crab,
        description="Form AHK please",
    )
    services.add_service_note(
        actor=provider, service_request=service_request, document=pdf_upload("invoice.pdf")
    )
    entry = services.add_to_shortlist(actor=verified_exporter, product=world.crab)
    mail.outbox.clear()
    return Scene(world, inquiry, rfq, offer, service_request, entry)
