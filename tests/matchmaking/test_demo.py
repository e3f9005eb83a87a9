"""The matchmaking demo: every state the issue asks for, idempotent, tolerant of missing data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from matchmaking.dealings import demo
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)

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
    counts = [
        m.objects.count() for m in (ShortlistEntry, Inquiry, BuyingRequest, Offer, ServiceRequest)
    ]
    call_command("load_demo_data")  # idempotent
    assert [
        m.objects.count() for m in (ShortlistEntry, Inquiry, BuyingRequest, Offer, ServiceRequest)
    ] == counts

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

    rfq = BuyingRequest.objects.get()
    assert rfq.organisation == buyer and rfq.hs_code_id == "0306" and rfq.status == "open"
    offer = Offer.objects.get()
    assert offer.created_by.username == "bumdes" and offer.buying_request == rfq

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

    # The partner's demo account logs in and sees its requests.
    assert client.login(username="mitra", password=demo.DEMO_PASSWORD)
    page = client.get("/matchmaking/service-requests/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.content.count(b"/matchmaking/service-requests/") >= 3
