"""Matchmaking pages: who may open which page, scoping, the forms and flows, the page panels.

Anonymous visitors are sent to the login page; a record outside the reader's scope answers 404;
a page for another role answers 403 (with the reason when an exporter's organisation is not
verified yet); bad input answers 400 with the message on the field.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from exporters.panels import EXPORTER_PAGE_PANELS
from matchmaking.dealings import panels, services
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from products.panels import BUMDES_PAGE_PANELS, PRODUCT_PAGE_PANELS
from tests.matchmaking.conftest import (
    EVERYONE,
    EXPORTERS,
    KONAWE_SIDE,
    MM_ROLES,
    VERIFIED,
    Scene,
    only,
)
from tests.products.factories import fake_image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def status_of(response) -> int:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return "login"
    return response.status_code


PAGES = {
    "index": ("/matchmaking/", {role: 302 for role in EVERYONE}),
    "inbox": ("/matchmaking/inbox/", EVERYONE),
    "inquiry_new": (
        "/matchmaking/inquiries/new/?product={crab}&kind=interest",
        only(VERIFIED, otherwise=403),
    ),
    "inquiry_detail": (
        "/matchmaking/inquiries/{inquiry}/",
        only(KONAWE_SIDE | {"verified_exporter"}),
    ),
    "inquiry_attachment": (
        "/matchmaking/inquiries/{inquiry}/messages/{message}/attachment/",
        only(KONAWE_SIDE | {"verified_exporter"}),
    ),
    "shortlist": ("/matchmaking/shortlist/", only(EXPORTERS, otherwise=403)),
    "buying_request_list": ("/matchmaking/buying-requests/", EVERYONE),
    "buying_request_create": ("/matchmaking/buying-requests/new/", only(VERIFIED, otherwise=403)),
    "buying_request_detail": (
        "/matchmaking/buying-requests/{rfq}/",
        # Sulawesi Tengah has export-ready crab under heading 0306 too.
        only(KONAWE_SIDE | {"verified_exporter", "officer_sulteng"}),
    ),
    "buying_request_edit": (
        "/matchmaking/buying-requests/{rfq}/edit/",
        {
            **only({"verified_exporter"}),
            **{role: 403 for role in KONAWE_SIDE | {"officer_sulteng"}},
        },
    ),
    "service_request_list": ("/matchmaking/service-requests/", EVERYONE),
    "service_request_create": (
        "/matchmaking/service-requests/new/?product={crab}",
        # The product's side, and the verified exporter whose organisation sources the crab (it
        # asked about it and shortlisted it); other organisations do not source it (404).
        {
            **only(KONAWE_SIDE | {"verified_exporter"}),
            **{role: 403 for role in EXPORTERS - VERIFIED},
        },
    ),
    "service_request_detail": (
        "/matchmaking/service-requests/{service_request}/",
        only(KONAWE_SIDE | {"provider"}),
    ),
    "service_note_document": (
        "/matchmaking/service-requests/{service_request}/notes/{note}/document/",
        only(KONAWE_SIDE | {"provider"}),
    ),
}


def page_url(template: str, scene: Scene) -> str:
    return template.format(
        crab=scene.world.crab.pk,
        inquiry=scene.inquiry.pk,
        message=scene.inquiry.messages.get().pk,
        rfq=scene.rfq.pk,
        service_request=scene.service_request.pk,
        note=scene.service_request.notes.get().pk,
    )


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_which_page(as_role, scene, role, page):
    template, expected = PAGES[page]
    response = as_role(role).get(page_url(template, scene))
    assert status_of(response) == ("login" if role == "anonymous" else expected[role])


@pytest.mark.parametrize("role", ["exporter", "pending_exporter"])
def test_unverified_exporters_are_told_why(as_role, scene, role):
    for url in (
        f"/matchmaking/inquiries/new/?product={scene.world.crab.pk}",
        "/matchmaking/buying-requests/new/",
    ):
        response = as_role(role).get(url)
        assertContains(response, "Verification pending", status_code=403)
        assertContains(response, "not verified yet", status_code=403)
    response = as_role(role).post("/matchmaking/shortlist/add/", {"product": scene.world.crab.pk})
    assertContains(response, "not verified yet", status_code=403)


# --- Inbox and inquiries ---------------------------------------------------------------------


def test_inboxes_are_scoped(as_role, scene, second_exporter):
    other = services.start_inquiry(
        actor=second_exporter,
        product=scene.world.donggala_crab,
        subject="Donggala crab talk",
        body="Hello",
    )
    seen = {
        "ministry": {"Crab for Hong Kong", "Donggala crab talk"},
        "officer_sultra": {"Crab for Hong Kong"},
        "officer_sulteng": {"Donggala crab talk"},
        "linked_operator": {"Crab for Hong Kong"},
        "verified_exporter": {"Crab for Hong Kong"},
        "second_exporter": {"Donggala crab talk"},
        "pending_exporter": set(),
        "operator": set(),
    }
    for role, subjects in seen.items():
        response = as_role(role).get("/matchmaking/inbox/")
        for subject in {"Crab for Hong Kong", other.subject}:
            if subject in subjects:
                assertContains(response, subject)
            else:
                assertNotContains(response, subject)


def test_inbox_filters(as_role, scene):
    client = as_role("officer_konawe")
    assertContains(client.get("/matchmaking/inbox/?status=open"), "Crab for Hong Kong")
    assertNotContains(client.get("/matchmaking/inbox/?status=closed"), "Crab for Hong Kong")
    assertNotContains(client.get("/matchmaking/inbox/?kind=interest"), "Crab for Hong Kong")
    # An unknown value is ignored, not an error.
    assertContains(client.get("/matchmaking/inbox/?status=bogus&kind=x"), "Crab for Hong Kong")
    assertContains(client.get("/matchmaking/inbox/?q=hong"), "Crab for Hong Kong")


def test_new_inquiry_from_the_catalogue(as_role, scene, officer_konawe, second_exporter):
    client = as_role("second_exporter")
    url = f"/matchmaking/inquiries/new/?product={scene.world.crab.pk}&kind=sample_request"
    response = client.get(url)
    assertContains(response, "Mud crab")
    assertContains(response, 'value="sample_request" selected')
    response = client.post(url, {"kind": "sample_request", "subject": "", "body": "One box"})
    inquiry = Inquiry.objects.get(organisation__legal_name="Second Buyer Pte Ltd")
    assert response.status_code == 302
    assert response["Location"] == f"/matchmaking/inquiries/{inquiry.pk}/"
    assert inquiry.kind == "sample_request" and inquiry.subject == "Sample request: Mud crab"
    # Asking again goes to the conversation under way.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/matchmaking/inquiries/{inquiry.pk}/"


@pytest.mark.parametrize(
    "product", ["crab_draft", "missing", "none"], ids=["draft", "missing", "no-param"]
)
def test_new_inquiry_needs_an_export_ready_product(as_role, scene, product):
    pk = {"crab_draft": scene.world.crab_draft.pk, "missing": 999999, "none": ""}[product]
    response = as_role("verified_exporter").get(f"/matchmaking/inquiries/new/?product={pk}")
    assert response.status_code == 404


def test_new_inquiry_bad_input(as_role, scene):
    url = f"/matchmaking/inquiries/new/?product={scene.world.crab.pk}"
    client = as_role("second_exporter")
    response = client.post(url, {"kind": "inquiry", "body": "   "})
    assertContains(response, "This field is required", status_code=400)
    response = client.post(
        url, {"kind": "inquiry", "body": "Hi", "attachment": fake_image_upload("x.jpg")}
    )
    assertContains(response, "Attach a PDF, JPEG or PNG file.", status_code=400)
    response = client.post(url, {"kind": "gossip", "body": "Hi"})
    assert response.status_code == 400
    assert not Inquiry.objects.filter(organisation__legal_name="Second Buyer Pte Ltd").exists()


def test_reply_status_and_thread_on_the_page(
    as_role, scene, verified_exporter, django_capture_on_commit_callbacks
):
    url = f"/matchmaking/inquiries/{scene.inquiry.pk}/"
    client = as_role("linked_operator")
    page = client.get(url)
    assertContains(page, "Price please")
    assertContains(page, "spec.pdf")
    assertContains(page, "Close the conversation")
    assertNotContains(page, "Mark the sample as sent")  # a plain inquiry
    response = client.post(url + "reply/", {"body": ""})
    assertContains(response, "This field is required", status_code=400)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "reply/", {"body": "USD 12 FOB"})
    assert response.status_code == 302
    scene.inquiry.refresh_from_db()
    assert scene.inquiry.status == "answered"
    assert mail.outbox and mail.outbox[0].to == [verified_exporter.email]
    response = client.post(url + "status/", {"to": "sample_sent"})
    assert response.status_code == 400
    response = client.post(url + "status/", {"to": "bogus"})
    assert response.status_code == 400
    response = as_role("verified_exporter").post(url + "status/", {"to": "closed"})
    assert response.status_code == 302
    client = as_role("linked_operator")
    page = client.get(url)
    assertContains(page, "This conversation is closed.")
    assertNotContains(page, 'action="' + url + 'reply/"')
    response = client.post(url + "reply/", {"body": "One more thing"})
    assertContains(response, "This conversation is closed.", status_code=400)


@pytest.mark.parametrize("role", ["second_exporter", "officer_sulteng", "operator"])
def test_strangers_cannot_post_in_a_conversation(as_role, scene, role):
    url = f"/matchmaking/inquiries/{scene.inquiry.pk}/"
    assert as_role(role).post(url + "reply/", {"body": "Hi"}).status_code == 404
    assert as_role(role).post(url + "status/", {"to": "closed"}).status_code == 404


def test_the_attachment_is_downloaded_with_its_name(as_role, scene):
    message = scene.inquiry.messages.get()
    response = as_role("officer_konawe").get(
        f"/matchmaking/inquiries/{scene.inquiry.pk}/messages/{message.pk}/attachment/"
    )
    assert response.status_code == 200
    assert 'filename="spec.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    # The type comes from the checked content, not from the name the uploader chose.
    trick = services.post_message(
        actor=scene.inquiry.created_by,
        inquiry=scene.inquiry,
        body="Photo",
        attachment=SimpleUploadedFile("page.html", b"\x89PNG\r\n\x1a\n...", "text/html"),
    )
    response = as_role("officer_konawe").get(
        f"/matchmaking/inquiries/{scene.inquiry.pk}/messages/{trick.pk}/attachment/"
    )
    assert response["Content-Type"] == "image/png"
    assert 'filename="page.html.png"' in response["Content-Disposition"]
    other = as_role("officer_konawe").get(
        f"/matchmaking/inquiries/{scene.inquiry.pk}/messages/999999/attachment/"
    )
    assert other.status_code == 404


# --- Shortlist -------------------------------------------------------------------------------


def test_shortlist_page_add_and_remove(as_role, scene):
    client = as_role("second_exporter")
    assertContains(client.get("/matchmaking/shortlist/"), "Your shortlist is empty.")
    response = client.post(
        "/matchmaking/shortlist/add/",
        {"product": scene.world.crab.pk, "next": f"/catalogue/{scene.world.crab.pk}/"},
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/catalogue/{scene.world.crab.pk}/"
    )
    response = client.post(
        "/matchmaking/shortlist/add/",
        {"product": scene.world.crab.pk, "next": "https://evil.test/"},
    )
    assertContains(response, "already on your shortlist", status_code=400)
    response = client.post("/matchmaking/shortlist/add/", {"product": scene.world.crab_draft.pk})
    assertContains(response, "export-ready", status_code=400)
    assert client.post("/matchmaking/shortlist/add/", {"product": "x"}).status_code == 400
    assert client.post("/matchmaking/shortlist/add/", {"product": 999999}).status_code == 404
    page = client.get("/matchmaking/shortlist/")
    assertContains(page, "Mud crab")
    assertContains(page, "Send an inquiry")
    entry = ShortlistEntry.objects.get(organisation__legal_name="Second Buyer Pte Ltd")
    # Another organisation's entry is not found; the own one is removed.
    assert client.post(f"/matchmaking/shortlist/{scene.entry.pk}/remove/").status_code == 404
    assert client.post(f"/matchmaking/shortlist/{entry.pk}/remove/").status_code == 302
    assert ShortlistEntry.objects.count() == 1
    assert (
        as_role("ministry").post("/matchmaking/shortlist/add/", {"product": 1}).status_code == 403
    )


def test_shortlist_links_to_the_conversation(as_role, scene):
    page = as_role("verified_exporter").get("/matchmaking/shortlist/")
    assertContains(page, f"/matchmaking/inquiries/{scene.inquiry.pk}/")


# --- Buying requests -------------------------------------------------------------------------


def rfq_form(**overrides) -> dict:
    return {
        "title": "Blue swimming crab",
        "hs_code": "0306.33",
        "description": "",
        "quantity": "1.500,5",
        "unit": "kg",
        "destination": "SG",
        "target_price": "",
        "currency": "usd",
        "incoterm": "CIF",
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        **overrides,
    }


def test_post_a_buying_request(as_role, scene):
    client = as_role("second_exporter")
    response = client.post("/matchmaking/buying-requests/new/", rfq_form())
    assert response.status_code == 302
    created = BuyingRequest.objects.get(title="Blue swimming crab")
    assert str(created.quantity) == "1500.500" and created.hs_code_id == "030633"
    assert created.currency == "USD" and created.destination_id == "SG"
    assert created.organisation.legal_name == "Second Buyer Pte Ltd"
    assertContains(client.get(response["Location"]), "Blue swimming crab")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "more than zero"),
        ("quantity", "-3", "Ensure this value is greater than or equal to 0"),
        ("valid_until", "2020-01-01", "after today"),
        ("hs_code", "03", "HS chapter"),
        ("hs_code", "9999", "no HS 2022 code"),
        ("destination", "XX", "Select a valid choice"),
        ("currency", "dollar", "Ensure this value has at most 3 characters"),
    ],
)
def test_buying_request_bad_input(as_role, scene, field, value, message):
    response = as_role("verified_exporter").post(
        "/matchmaking/buying-requests/new/", rfq_form(**{field: value})
    )
    assertContains(response, message, status_code=400)
    assert BuyingRequest.objects.count() == 1


def test_edit_and_close_a_buying_request(as_role, scene):
    url = f"/matchmaking/buying-requests/{scene.rfq.pk}/"
    client = as_role("verified_exporter")
    response = client.post(url + "edit/", rfq_form(title="Live crab, revised", hs_code="0306"))
    assert response.status_code == 302
    scene.rfq.refresh_from_db()
    assert scene.rfq.title == "Live crab, revised"
    response = client.post(url + "edit/", rfq_form(quantity="0"))
    assertContains(response, "more than zero", status_code=400)
    assert as_role("officer_konawe").post(url + "close/").status_code == 403
    assert as_role("second_exporter").post(url + "close/").status_code == 404
    assert as_role("verified_exporter").post(url + "close/").status_code == 302
    scene.rfq.refresh_from_db()
    assert scene.rfq.status == "closed"
    # Closed: responders no longer see it.
    assert as_role("officer_konawe").get(url).status_code == 404


def test_offer_on_the_page(as_role, scene, verified_exporter, django_capture_on_commit_callbacks):
    url = f"/matchmaking/buying-requests/{scene.rfq.pk}/"
    page = as_role("officer_sulteng").get(url)
    assertContains(page, "Make an offer")
    assertContains(page, "Kepiting Donggala")
    assertNotContains(page, "BUMDes Mina Uji")  # the other province's offer is not shown
    response = as_role("officer_sulteng").post(
        url + "offers/",
        {
            "product": scene.world.donggala_crab.pk,
            "price": "11,50",
            "currency": "USD",
            "incoterm": "FOB",
            "quantity": "0",
            "unit": "kg",
        },
    )
    assertContains(response, "more than zero", status_code=400)
    response = as_role("officer_sulteng").post(
        url + "offers/",
        {
            "product": scene.world.crab.pk,  # not on their side: not a choice
            "price": "11",
            "currency": "USD",
            "incoterm": "FOB",
            "quantity": "5",
            "unit": "kg",
        },
    )
    assertContains(response, "Select a valid choice", status_code=400)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("officer_sulteng").post(
            url + "offers/",
            {
                "product": scene.world.donggala_crab.pk,
                "price": "11,50",
                "currency": "usd",
                "incoterm": "FOB",
                "quantity": "500",
                "unit": "kg",
                "message": "Weekly",
            },
        )
    assert response.status_code == 302
    offer = Offer.objects.get(product=scene.world.donggala_crab)
    assert str(offer.price) == "11.50"
    assert mail.outbox[-1].to == [verified_exporter.email]
    # Exporters do not make offers.
    response = as_role("verified_exporter").post(url + "offers/", {"product": 1})
    assert response.status_code == 403


def test_accept_and_decline_offers_on_the_page(
    as_role, scene, linked_operator, django_capture_on_commit_callbacks
):
    url = f"/matchmaking/buying-requests/{scene.rfq.pk}/offers/{scene.offer.pk}/"
    assert as_role("linked_operator").post(url + "accept/").status_code == 403
    assert as_role("second_exporter").post(url + "accept/").status_code == 404
    page = as_role("verified_exporter").get(f"/matchmaking/buying-requests/{scene.rfq.pk}/")
    assertContains(page, url + "accept/")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("verified_exporter").post(url + "accept/")
    assert response.status_code == 302
    scene.offer.refresh_from_db()
    assert scene.offer.status == "accepted"
    assert linked_operator.email in {a for m in mail.outbox for a in m.to}
    response = as_role("verified_exporter").post(url + "decline/")
    assertContains(response, "already", status_code=400)
    missing = f"/matchmaking/buying-requests/{scene.rfq.pk}/offers/999999/accept/"
    assert as_role("verified_exporter").post(missing).status_code == 404


# --- Service requests ------------------------------------------------------------------------


def test_request_facilitation_from_a_product_page(
    as_role, scene, platform, provider, django_capture_on_commit_callbacks
):
    url = f"/matchmaking/service-requests/new/?product={scene.world.crab.pk}&service=quality"
    client = as_role("linked_operator")
    page = client.get(url)
    assertContains(page, "PT Mitra Niaga Uji")
    assertContains(page, 'value="quality" selected')
    response = client.post(
        url, {"service": "quality", "provider": platform.pk, "description": "   "}
    )
    assertContains(response, "This field is required", status_code=400)
    response = client.post(
        url, {"service": "quality", "provider": 999999, "description": "Grading"}
    )
    assertContains(response, "Select a valid choice", status_code=400)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"service": "quality", "provider": platform.pk, "description": "Grading"},
        )
    assert response.status_code == 302
    created = ServiceRequest.objects.get(service="quality")
    assert created.requested_by.username == "t-bumdes-linked"
    assert provider.email in {a for m in mail.outbox for a in m.to}
    assert (
        as_role("linked_operator")
        .get(f"/matchmaking/service-requests/new/?product={scene.world.donggala_crab.pk}")
        .status_code
        == 404
    )


def test_service_request_page_flow(as_role, scene):
    url = f"/matchmaking/service-requests/{scene.service_request.pk}/"
    provider_page = as_role("provider").get(url)
    assertContains(provider_page, "Accept")
    assertContains(provider_page, "Decline")
    assertContains(provider_page, "invoice.pdf")
    requester_page = as_role("officer_konawe").get(url)
    assertContains(requester_page, "Cancel the request")
    assertNotContains(requester_page, "Start work")
    response = as_role("provider").post(url + "transition/", {"to": "declined", "note": ""})
    assertContains(response, "Say why.", status_code=400)
    response = as_role("officer_konawe").post(url + "transition/", {"to": "accepted"})
    assert response.status_code == 403
    response = as_role("provider").post(url + "transition/", {"to": "completed"})
    assertContains(response, "cannot go from", status_code=400)
    assert as_role("provider").post(url + "transition/", {"to": "accepted"}).status_code == 302
    response = as_role("provider").post(url + "notes/", {"body": ""})
    assertContains(response, "Write a note or attach a document.", status_code=400)
    response = as_role("provider").post(
        url + "notes/", {"body": "", "document": SimpleUploadedFile("a.pdf", b"nope")}
    )
    assertContains(response, "PDF, JPEG or PNG", status_code=400)
    assert as_role("officer_konawe").post(url + "notes/", {"body": "Thanks"}).status_code == 302
    scene.service_request.refresh_from_db()
    assert scene.service_request.status == "accepted"
    assert scene.service_request.notes.count() == 3
    assert as_role("officer_sulteng").post(url + "notes/", {"body": "Hi"}).status_code == 404


def test_a_provider_gets_no_catalogue_link_to_a_product_not_in_the_catalogue(as_role, scene):
    url = f"/matchmaking/service-requests/{scene.service_request.pk}/"
    product = scene.service_request.product
    catalogue_url = f'href="/catalogue/{product.pk}/"'
    assert product.status == "export_ready"
    assertContains(as_role("provider").get(url), catalogue_url)
    product.status = "verified"  # sent back to review: it left the catalogue
    product.save(update_fields=["status"])
    page = as_role("provider").get(url)
    assertNotContains(page, catalogue_url)
    assertContains(page, product.name_id)
    registry_url = f'href="/registry/products/{product.pk}/"'
    assertContains(as_role("officer_konawe").get(url), registry_url)


# --- Panels ----------------------------------------------------------------------------------


def test_product_page_panel_shows_what_the_viewer_may_see(as_role, scene):
    url = f"/registry/products/{scene.world.crab.pk}/"
    page = as_role("linked_operator").get(url)
    assertContains(page, "Exporters and partners")
    assertContains(page, "Crab for Hong Kong")
    assertContains(page, "Live mud crab to Hong Kong")  # the offer
    assertContains(page, "Export documents")
    assertContains(page, f"/matchmaking/service-requests/new/?product={scene.world.crab.pk}")
    assertContains(page, "1 open buying request matches")
    donggala = as_role("officer_sulteng").get(f"/registry/products/{scene.world.donggala_crab.pk}/")
    assertContains(donggala, "Exporters and partners")
    assertContains(donggala, "No inquiries about this product yet.")
    assertNotContains(donggala, "Crab for Hong Kong")


def test_bumdes_page_panel(as_role, scene):
    page = as_role("officer_konawe").get(f"/registry/bumdes/{scene.world.konawe.pk}/")
    assertContains(page, "Inquiries about its products")
    assertContains(page, "1 awaiting an answer")


def test_exporter_page_panel_for_members_and_ministry_only(as_role, scene, org_a):
    url = f"/exporters/{org_a.pk}/"
    for role in ("verified_exporter", "ministry"):
        page = as_role(role).get(url)
        assertContains(page, "Shortlisted products")
        assertContains(page, "Crab for Hong Kong")
    for role in ("second_exporter", "officer_konawe"):
        page = as_role(role).get(url)
        assert page.status_code == 200
        assertNotContains(page, "Shortlisted products")


def test_panels_are_registered_once():
    panels.register()
    assert PRODUCT_PAGE_PANELS.count(panels.product_panel) == 1
    assert BUMDES_PAGE_PANELS.count(panels.bumdes_panel) == 1
    assert EXPORTER_PAGE_PANELS.count(panels.organisation_panel) == 1
