"""The matchmaking demo: every state the issue asks for (the deals from an inquiry, an offer and
a lost sample request among them), idempotent, tolerant of missing data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matchmaking import demo as matchmaking_demo
from matchmaking.dealings import demo
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from matchmaking.deals.models import Deal, DealStep
from products.models import Product

pytestmark = pytest.mark.django_db


def test_without_the_exporters_demo_it_does_nothing(world, verified_exporter):
    assert demo.load() == []
    assert not Inquiry.objects.exists() and not ServiceRequest.objects.exists()


@pytest.fixture
def full_reference(db):
    from bumdes_export.reference.services import load_all

    load_all()  # the products demo has BUMDes in six provinces


def test_the_demo_tells_the_story_in_every_state(full_reference, client):
    call_command("load_demo_data")
    models = (ShortlistEntry, Inquiry, BuyingRequest, Offer, ServiceRequest, Deal, DealStep)
    counts = [m.objects.count() for m in models]
    call_command("load_demo_data")  # idempotent
    assert [m.objects.count() for m in models] == counts

    buyer = ShortlistEntry.objects.get().organisation
    assert buyer.country_id == "HK"
    assert {(i.organisation == buyer, i.kind, i.status) for i in Inquiry.objects.all()} == {
        (True, "inquiry", "answered"),
        (True, "sample_request", "sample_sent"),
        (False, "interest", "open"),
    }
    answered = Inquiry.objects.get(status="answered")
    assert answered.messages.last().author.username == "konawe"
    interest = Inquiry.objects.get(kind="interest")
    assert interest.organisation.memberships.filter(user__username="eksportir").exists()
    assert interest.product.name_id == "Minyak alpukat murni"

    rfq = BuyingRequest.objects.get(organisation=buyer)
    assert rfq.hs_code_id == "0306" and rfq.status == "open"
    offer = Offer.objects.get(buying_request=rfq)
    assert offer.created_by.username == "bumdes" and offer.status == "submitted"

    states = {
        (r.requested_by.username, r.service, r.status, r.provider.kind)
        for r in ServiceRequest.objects.select_related("requested_by", "provider")
    }
    assert states == {
        ("konawe", "documents", "in_progress", "platform"),
        ("konawe", "logistics", "completed", "platform"),
        ("sulteng", "quality", "requested", "platform"),
    }
    documents = ServiceRequest.objects.get(service="documents")
    assert documents.notes.exclude(body="").filter(to_status="").exists()

    # The deals the dealings led to (the forum's crab deal: tests/matchmaking/forums/test_demo.py).
    avocado = Deal.objects.get(channel="inquiry")
    assert avocado.inquiry == interest and avocado.stage == "loi_mou"
    loi = avocado.steps.get(stage="loi_mou")
    assert loi.destination_id == "SG" and loi.value_usd and loi.recorded_by.username == "eksportir"
    flour = Deal.objects.get(channel="offer")
    assert flour.product.name_id == "Tepung pisang kepok" and flour.product.status == "verified"
    assert flour.offer.status == "accepted" and flour.offer.created_by.username == "sulteng"
    assert flour.organisation == interest.organisation
    assert flour.offer.buying_request.destination_id == "MY"
    lost = Deal.objects.get(stage="lost")
    assert lost.channel == "sample_request" and lost.inquiry.product.name_id == "Rajungan hidup"
    assert lost.lost_reason == "logistics" and lost.lost_note
    assert set(lost.steps.values_list("stage", flat=True)) == {"interest", "sample_sent", "lost"}
    # The registry still has a product waiting for review.
    assert Product.objects.filter(status="submitted").exists()
    # The summary printed at the end names every deal.
    summary = [text for username, text in matchmaking_demo.deal_summary() if not username]
    assert len(summary) == 1 + Deal.objects.count()
    assert any("Live mud crab" in line and "2 shipments" in line for line in summary)

    # The partner's demo account logs in and sees its requests.
    assert client.login(username="mitra", password=demo.DEMO_PASSWORD)
    page = client.get("/matchmaking/service-requests/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.content.count(b"/matchmaking/service-requests/") >= 3
