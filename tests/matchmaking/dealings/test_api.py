"""Matchmaking API: the same rules as the pages, for every endpoint and role.

Anonymous requests answer 401; records outside the reader's scope 404; writes for another role
403 (with the reason when an exporter's organisation is not verified yet); bad input and
unknown filter values 400 with field errors; lists come in DRF's envelope.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from matchmaking.dealings import services
from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    Offer,
    ServiceRequest,
    ShortlistEntry,
)
from tests.matchmaking.conftest import (
    EVERYONE,
    KONAWE_SIDE,
    MM_ROLES,
    VERIFIED,
    Scene,
    only,
    rfq_data,
)
from tests.matchmaking.factories import OrganisationFactory
from tests.products.factories import ProductFactory, pdf_upload

pytestmark = pytest.mark.django_db

API = "/api/v1"


def url_of(template: str, scene: Scene) -> str:
    return API + template.format(
        inquiry=scene.inquiry.pk,
        message=scene.inquiry.messages.get().pk,
        rfq=scene.rfq.pk,
        offer=scene.offer.pk,
        service_request=scene.service_request.pk,
        note=scene.service_request.notes.get().pk,
        entry=scene.entry.pk,
    )


INQUIRY_READERS = only(KONAWE_SIDE | {"verified_exporter"})
RFQ_READERS = only(KONAWE_SIDE | {"verified_exporter", "officer_sulteng"})
SERVICE_READERS = only(KONAWE_SIDE | {"provider"})

READS = {
    "inquiry_list": ("/inquiries/", EVERYONE),
    "inquiry_detail": ("/inquiries/{inquiry}/", INQUIRY_READERS),
    "inquiry_messages": ("/inquiries/{inquiry}/messages/", INQUIRY_READERS),
    "inquiry_attachment": ("/inquiries/{inquiry}/messages/{message}/attachment/", INQUIRY_READERS),
    "shortlist": ("/shortlist/", EVERYONE),
    "rfq_list": ("/buying-requests/", EVERYONE),
    "rfq_detail": ("/buying-requests/{rfq}/", RFQ_READERS),
    "rfq_offers": ("/buying-requests/{rfq}/offers/", RFQ_READERS),
    "service_list": ("/service-requests/", EVERYONE),
    "service_detail": ("/service-requests/{service_request}/", SERVICE_READERS),
    "service_notes": ("/service-requests/{service_request}/notes/", SERVICE_READERS),
    "service_document": (
        "/service-requests/{service_request}/notes/{note}/document/",
        SERVICE_READERS,
    ),
}

# What each role sees in the lists (count of rows).
LIST_COUNTS = {
    "inquiry_list": {r: int(r in KONAWE_SIDE | {"verified_exporter"}) for r in EVERYONE},
    "shortlist": {r: int(r == "verified_exporter") for r in EVERYONE},
    "rfq_list": {
        r: int(r in KONAWE_SIDE | {"verified_exporter", "officer_sulteng"}) for r in EVERYONE
    },
    "service_list": {r: int(r in KONAWE_SIDE | {"provider"}) for r in EVERYONE},
}


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("endpoint", READS)
def test_who_may_read_which_endpoint(api_as, scene, role, endpoint):
    template, expected = READS[endpoint]
    response = api_as(role).get(url_of(template, scene))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]
    if endpoint in LIST_COUNTS:
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert body["count"] == LIST_COUNTS[endpoint][role]


WRITES = {
    # name: (method, url, body, {role: status})
    "inquiry_create": (
        "post",
        "/inquiries/",
        lambda s: {"product": s.world.oil.pk, "kind": "interest", "body": "Interested"},
        only(VERIFIED, 201, otherwise=403),
    ),
    "inquiry_message": (
        "post",
        "/inquiries/{inquiry}/messages/",
        lambda s: {"body": "Any news?"},
        only(KONAWE_SIDE | {"verified_exporter"}, 201),
    ),
    "inquiry_close": (
        "post",
        "/inquiries/{inquiry}/status/",
        lambda s: {"status": "closed"},
        only(KONAWE_SIDE | {"verified_exporter"}),
    ),
    "shortlist_create": (
        "post",
        "/shortlist/",
        lambda s: {"product": s.world.oil.pk},
        only(VERIFIED, 201, otherwise=403),
    ),
    "shortlist_delete": (
        "delete",
        "/shortlist/{entry}/",
        lambda s: None,
        only({"verified_exporter"}, 204),
    ),
    "rfq_create": (
        "post",
        "/buying-requests/",
        lambda s: {
            "title": "Oil",
            "hs_code": "1515",
            "quantity": "600",
            "unit": "l",
            "destination": "sg",
            "valid_until": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
        only(VERIFIED, 201, otherwise=403),
    ),
    "rfq_update": (
        "patch",
        "/buying-requests/{rfq}/",
        lambda s: {"quantity": "4"},
        {**RFQ_READERS, **dict.fromkeys(KONAWE_SIDE | {"officer_sulteng"}, 403)},
    ),
    "rfq_close": (
        "post",
        "/buying-requests/{rfq}/close/",
        lambda s: None,
        {**RFQ_READERS, **dict.fromkeys(KONAWE_SIDE | {"officer_sulteng"}, 403)},
    ),
    "offer_create": (
        "post",
        "/buying-requests/{rfq}/offers/",
        lambda s: {"product": s.world.donggala_crab.pk, "price": "11", "quantity": "1"},
        # Only Sulawesi Tengah's side may offer the Donggala crab; the Konawe side gets a
        # field error, the requester 403.
        {
            **RFQ_READERS,
            "officer_sulteng": 201,
            "ministry": 201,
            "officer_sultra": 400,
            "officer_konawe": 400,
            "linked_operator": 400,
            "verified_exporter": 403,
        },
    ),
    "offer_accept": (
        "post",
        "/buying-requests/{rfq}/offers/{offer}/accept/",
        lambda s: None,
        # Sulawesi Tengah sees the request but not the Konawe offer on it.
        {**RFQ_READERS, **dict.fromkeys(KONAWE_SIDE, 403), "officer_sulteng": 404},
    ),
    "offer_decline": (
        "post",
        "/buying-requests/{rfq}/offers/{offer}/decline/",
        lambda s: None,
        # Sulawesi Tengah sees the request but not the Konawe offer on it.
        {**RFQ_READERS, **dict.fromkeys(KONAWE_SIDE, 403), "officer_sulteng": 404},
    ),
    "service_create": (
        "post",
        "/service-requests/",
        lambda s: {
            "provider": s.service_request.provider_id,
            "service": "logistics",
            "product": s.world.crab.pk,
            "description": "Cargo space",
        },
        # The product's side, and the verified exporter whose organisation sources the crab.
        only(KONAWE_SIDE | {"verified_exporter"}, 201, otherwise=403),
    ),
    "service_accept": (
        "post",
        "/service-requests/{service_request}/transition/",
        lambda s: {"status": "accepted"},
        {**SERVICE_READERS, **dict.fromkeys(KONAWE_SIDE, 403)},
    ),
    "service_cancel": (
        "post",
        "/service-requests/{service_request}/transition/",
        lambda s: {"status": "cancelled", "note": "Not needed"},
        {**SERVICE_READERS, "provider": 403},
    ),
    "service_note": (
        "post",
        "/service-requests/{service_request}/notes/",
        lambda s: {"body": "Update"},
        only(KONAWE_SIDE | {"provider"}, 201),
    ),
}


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("endpoint", WRITES)
def test_who_may_write_which_endpoint(api_as, scene, role, endpoint):
    method, template, body, expected = WRITES[endpoint]
    response = getattr(api_as(role), method)(url_of(template, scene), body(scene), format="json")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]
    if endpoint in {"inquiry_create", "shortlist_create", "rfq_create"} and role in {
        "exporter",
        "pending_exporter",
    }:
        assert "not verified yet" in response.json()["detail"]


# --- Inquiries -------------------------------------------------------------------------------


def test_inquiry_flow_over_the_api(
    api_as, scene, verified_exporter, officer_konawe, django_capture_on_commit_callbacks
):
    exporter = api_as("second_exporter")
    with django_capture_on_commit_callbacks(execute=True):
        response = exporter.post(
            f"{API}/inquiries/",
            {"product": scene.world.crab.pk, "kind": "sample_request", "body": "One box"},
            format="json",
        )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "open" and body["kind"] == "sample_request"
    assert body["subject"] == "Sample request: Mud crab"
    assert body["organisation_name"] == "Second Buyer Pte Ltd"
    assert body["message_count"] == 1 and body["allowed_statuses"] == ["closed"]
    assert "body" not in body
    assert officer_konawe.email in {a for m in mail.outbox for a in m.to}
    pk = body["id"]

    operator = api_as("linked_operator")
    detail = operator.get(f"{API}/inquiries/{pk}/").json()
    assert detail["allowed_statuses"] == ["sample_sent", "closed"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            f"{API}/inquiries/{pk}/messages/",
            {"body": "Sent by air", "attachment": pdf_upload("awb.pdf")},
            format="multipart",
        )
    assert response.status_code == 201, response.data
    message = response.json()
    assert message["side"] == "product" and message["attachment_name"] == "awb.pdf"
    assert message["attachment_url"].endswith(
        f"/inquiries/{pk}/messages/{message['id']}/attachment/"
    )
    assert [m.to for m in mail.outbox] == [["t-buyer-b@example.id"]]
    response = operator.post(f"{API}/inquiries/{pk}/status/", {"status": "sample_sent"})
    assert response.status_code == 200 and response.json()["status"] == "sample_sent"
    thread = exporter.get(f"{API}/inquiries/{pk}/messages/").json()
    assert [m["body"] for m in thread] == ["One box", "Sent by air"]
    download = exporter.get(message["attachment_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    response = exporter.post(f"{API}/inquiries/{pk}/status/", {"status": "sample_sent"})
    assert response.status_code == 403
    assert exporter.post(f"{API}/inquiries/{pk}/status/", {"status": "closed"}).status_code == 200
    response = exporter.post(f"{API}/inquiries/{pk}/messages/", {"body": "Hi"}, format="json")
    assert response.status_code == 400 and "closed" in str(response.json()["body"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "inquiry", "body": "Hi"}, "product"),
        ({"product": 999999, "body": "Hi"}, "product"),
        ({"product": "crab", "body": ""}, "body"),
        ({"product": "crab", "body": "Hi", "kind": "gossip"}, "kind"),
        ({"product": "draft", "body": "Hi"}, "product"),
        ({"product": "crab", "body": "Hi", "subject": "x" * 201}, "subject"),
    ],
)
def test_inquiry_bad_input(api_as, scene, body, field):
    products = {"crab": scene.world.oil.pk, "draft": scene.world.crab_draft.pk}
    body = {**body}
    if body.get("product") in products:
        body["product"] = products[body["product"]]
    response = api_as("verified_exporter").post(f"{API}/inquiries/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_inquiry_duplicate_and_attachment_errors(api_as, scene):
    client = api_as("verified_exporter")
    response = client.post(
        f"{API}/inquiries/", {"product": scene.world.crab.pk, "body": "Again"}, format="json"
    )
    assert response.status_code == 400 and "active inquiry" in str(response.json()["kind"])
    fake = SimpleUploadedFile("x.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(
        f"{API}/inquiries/{scene.inquiry.pk}/messages/",
        {"body": "See file", "attachment": fake},
        format="multipart",
    )
    assert response.status_code == 400 and "attachment" in response.json()
    response = client.post(
        f"{API}/inquiries/{scene.inquiry.pk}/messages/", {"body": "  "}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()
    response = client.post(f"{API}/inquiries/{scene.inquiry.pk}/status/", {"status": "open"})
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize(
    ("query", "code", "count"),
    [
        ("status=open", 200, 1),
        ("status=closed", 200, 0),
        ("kind=inquiry", 200, 1),
        ("kind=interest", 200, 0),
        ("product={crab}", 200, 1),
        ("product={oil}", 200, 0),
        ("status=bogus", 400, None),
        ("kind=gossip", 400, None),
        ("product=abc", 400, None),
        ("product=0", 400, None),
    ],
)
def test_inquiry_filters(api_as, scene, query, code, count):
    query = query.format(crab=scene.world.crab.pk, oil=scene.world.oil.pk)
    response = api_as("ministry").get(f"{API}/inquiries/?{query}")
    assert response.status_code == code
    if count is not None:
        assert response.json()["count"] == count
    else:
        assert query.split("=")[0] in response.json()


def test_second_exporter_never_sees_the_first_ones_records(api_as, scene):
    client = api_as("second_exporter")
    assert client.get(f"{API}/inquiries/").json()["count"] == 0
    assert client.get(f"{API}/inquiries/{scene.inquiry.pk}/").status_code == 404
    assert client.get(f"{API}/shortlist/").json()["count"] == 0
    assert client.delete(f"{API}/shortlist/{scene.entry.pk}/").status_code == 404
    assert client.get(f"{API}/buying-requests/").json()["count"] == 0
    assert client.patch(f"{API}/buying-requests/{scene.rfq.pk}/", {}).status_code == 404


def test_officer_sulteng_never_sees_sultra_conversations(api_as, scene):
    client = api_as("officer_sulteng")
    assert client.get(f"{API}/inquiries/").json()["count"] == 0
    assert client.get(f"{API}/inquiries/{scene.inquiry.pk}/").status_code == 404
    assert client.get(f"{API}/service-requests/").json()["count"] == 0
    # The buying request reaches Sulawesi Tengah (crab), but not the Konawe offer on it.
    assert client.get(f"{API}/buying-requests/{scene.rfq.pk}/offers/").json() == []


# --- Shortlist -------------------------------------------------------------------------------


def test_shortlist_over_the_api(api_as, scene):
    client = api_as("verified_exporter")
    body = client.get(f"{API}/shortlist/").json()["results"][0]
    assert body["product"] == scene.world.crab.pk and body["product_name_en"] == "Mud crab"
    assert body["hs_code"] == "030633" and body["bumdes_name"] == "BUMDes Mina Uji"
    response = client.post(f"{API}/shortlist/", {"product": scene.world.crab.pk})
    assert response.status_code == 400 and "already" in str(response.json()["product"])
    response = client.post(f"{API}/shortlist/", {"product": scene.world.crab_draft.pk})
    assert response.status_code == 400 and "export-ready" in str(response.json()["product"])
    # A draft's id is answered as an unknown id: organisations never learn that drafts exist.
    unknown = client.post(f"{API}/shortlist/", {"product": 10**9})
    assert response.json()["product"] == [
        m.replace(str(10**9), str(scene.world.crab_draft.pk)) for m in unknown.json()["product"]
    ]
    response = client.post(f"{API}/shortlist/", {"product": scene.world.oil.pk, "note": "Gulf"})
    assert response.status_code == 201 and response.json()["note"] == "Gulf"
    assert client.get(f"{API}/shortlist/?product={scene.world.oil.pk}").json()["count"] == 1
    assert client.get(f"{API}/shortlist/?product=x").status_code == 400
    assert client.delete(f"{API}/shortlist/{scene.entry.pk}/").status_code == 204
    assert ShortlistEntry.objects.count() == 1


# --- Buying requests -------------------------------------------------------------------------


def test_buying_request_over_the_api(
    api_as, scene, second_exporter, officer_sulteng, django_capture_on_commit_callbacks
):
    client = api_as("second_exporter")
    valid_until = (timezone.localdate() + timedelta(days=9)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/buying-requests/",
            {
                "hs_code": "0306.33",
                "quantity": "500",
                "destination": "sg",
                "target_price": "10.5",
                "valid_until": valid_until,
            },
            format="json",
        )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["title"].startswith("Buying ")
    assert body["hs_code"] == "030633" and body["destination"] == "SG"
    assert (body["unit"], body["currency"], body["incoterm"]) == ("kg", "USD", "FOB")
    assert body["status"] == "open" and body["offer_count"] == 0
    assert officer_sulteng.email in {a for m in mail.outbox for a in m.to}
    pk = body["id"]
    response = client.patch(f"{API}/buying-requests/{pk}/", {"quantity": "0"}, format="json")
    assert response.status_code == 400 and "quantity" in response.json()
    response = client.patch(f"{API}/buying-requests/{pk}/", {"title": "Crab"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "Crab"
    response = client.post(f"{API}/buying-requests/{pk}/close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    response = client.patch(f"{API}/buying-requests/{pk}/", {"title": "Again"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"valid_until": "tomorrow"}, "valid_until"),
        ({"hs_code": "03"}, "hs_code"),
        ({"hs_code": "9999"}, "hs_code"),
        ({"destination": "XX"}, "destination"),
        ({"unit": "bucket"}, "unit"),
        ({"incoterm": "XYZ"}, "incoterm"),
        ({"currency": "EURO"}, "currency"),
        ({"target_price": "-5"}, "target_price"),
    ],
)
def test_buying_request_bad_input(api_as, scene, change, field):
    body = {
        "hs_code": "0306",
        "quantity": "1",
        "destination": "HK",
        "valid_until": (timezone.localdate() + timedelta(days=9)).isoformat(),
        **change,
    }
    response = api_as("verified_exporter").post(f"{API}/buying-requests/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()
    assert BuyingRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "code", "count"),
    [("status=open", 200, 1), ("status=expired", 200, 0), ("status=x", 400, None)],
)
def test_buying_request_filters(api_as, scene, query, code, count):
    response = api_as("verified_exporter").get(f"{API}/buying-requests/?{query}")
    assert response.status_code == code
    if count is not None:
        assert response.json()["count"] == count


def test_an_expired_request_reports_expired_to_its_owner_and_hides_from_responders(api_as, scene):
    BuyingRequest.objects.filter(pk=scene.rfq.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    owner = api_as("verified_exporter")
    assert owner.get(f"{API}/buying-requests/{scene.rfq.pk}/").json()["status"] == "expired"
    assert owner.get(f"{API}/buying-requests/?status=expired").json()["count"] == 1
    assert api_as("officer_konawe").get(f"{API}/buying-requests/").json()["count"] == 0


def test_offers_over_the_api(api_as, scene, linked_operator, django_capture_on_commit_callbacks):
    url = f"{API}/buying-requests/{scene.rfq.pk}/offers/"
    response = api_as("officer_sulteng").post(
        url,
        {"product": scene.world.donggala_crab.pk, "price": "11", "quantity": "0"},
        format="json",
    )
    assert response.status_code == 400 and "quantity" in response.json()
    response = api_as("officer_sulteng").post(
        url, {"product": 999999, "price": "11", "quantity": "1"}, format="json"
    )
    assert response.status_code == 400 and "product" in response.json()
    response = api_as("officer_sulteng").post(
        url,
        {"product": scene.world.donggala_crab.pk, "price": "11", "quantity": "1", "unit": "kgs"},
        format="json",
    )
    assert response.status_code == 400 and "unit" in response.json()
    owner = api_as("verified_exporter")
    offers = owner.get(url).json()
    assert [o["id"] for o in offers] == [scene.offer.pk]
    assert offers[0]["bumdes_name"] == "BUMDes Mina Uji" and offers[0]["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"{url}{scene.offer.pk}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert linked_operator.email in {a for m in mail.outbox for a in m.to}
    response = owner.post(f"{url}{scene.offer.pk}/accept/")
    assert response.status_code == 400
    assert owner.post(f"{url}999999/accept/").status_code == 404
    # After a decline, the BUMDes may offer again.
    response = api_as("linked_operator").post(
        url, {"product": scene.world.crab.pk, "price": "11.9", "quantity": "2"}, format="json"
    )
    assert response.status_code == 201
    assert Offer.objects.filter(status="submitted").count() == 1


# --- Service requests ------------------------------------------------------------------------


def test_service_request_over_the_api(api_as, scene, provider, django_capture_on_commit_callbacks):
    url = f"{API}/service-requests/{scene.service_request.pk}/"
    body = api_as("provider").get(url).json()
    assert body["allowed_statuses"] == ["accepted", "declined"]
    assert (
        body["provider_name"] == "PT Mitra Niaga Uji" and body["product_name"] == "Kepiting bakau"
    )
    assert api_as("officer_konawe").get(url).json()["allowed_statuses"] == ["cancelled"]
    response = api_as("provider").post(url + "transition/", {"status": "declined"})
    assert response.status_code == 400 and "note" in response.json()
    response = api_as("provider").post(url + "transition/", {"status": "requested"})
    assert response.status_code == 400 and "status" in response.json()
    response = api_as("provider").post(url + "transition/", {"status": "completed"})
    assert response.status_code == 400 and "status" in response.json()
    for step in ("accepted", "in_progress"):
        response = api_as("provider").post(url + "transition/", {"status": step})
        assert response.status_code == 200 and response.json()["status"] == step
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("officer_konawe").post(
            url + "notes/", {"body": "", "document": pdf_upload("coa.pdf")}, format="multipart"
        )
    assert response.status_code == 201, response.data
    note = response.json()
    assert note["document_name"] == "coa.pdf"
    assert provider.email in {a for m in mail.outbox for a in m.to}
    download = api_as("provider").get(note["document_url"])
    assert download.status_code == 200
    response = api_as("officer_konawe").post(url + "notes/", {"body": " "}, format="json")
    assert response.status_code == 400 and "body" in response.json()
    notes = api_as("ministry").get(url + "notes/").json()
    assert [(n["from_status"], n["to_status"]) for n in notes][-3:] == [
        ("requested", "accepted"),
        ("accepted", "in_progress"),
        ("", ""),
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"provider": 999999}, "provider"),
        ({"provider": "org_a"}, "provider"),
        ({"service": "massage"}, "service"),
        ({"product": 999999}, "product"),
        ({"description": ""}, "description"),
        ({"service": "payment", "provider": "logistics_only"}, "provider"),
    ],
)
def test_service_request_bad_input(api_as, scene, org_a, change, field):
    logistics_only = OrganisationFactory(provider=True, services=["logistics"])
    ids = {"org_a": org_a.pk, "logistics_only": logistics_only.pk}
    body = {
        "provider": scene.service_request.provider_id,
        "service": "quality",
        "product": scene.world.crab.pk,
        "description": "Grading",
        **{k: ids.get(v, v) for k, v in change.items()},
    }
    response = api_as("officer_konawe").post(f"{API}/service-requests/", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.json()
    assert ServiceRequest.objects.count() == 1


def test_service_request_for_a_product_outside_the_region_is_refused(api_as, scene):
    response = api_as("officer_sulteng").post(
        f"{API}/service-requests/",
        {
            "provider": scene.service_request.provider_id,
            "service": "quality",
            "product": scene.world.crab.pk,
            "description": "Grading",
        },
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "code", "count"),
    [
        ("status=requested", 200, 1),
        ("status=completed", 200, 0),
        ("service=documents", 200, 1),
        ("service=payment", 200, 0),
        ("product={crab}", 200, 1),
        ("status=x", 400, None),
        ("service=x", 400, None),
        ("product=x", 400, None),
    ],
)
def test_service_request_filters(api_as, scene, query, code, count):
    query = query.format(crab=scene.world.crab.pk)
    response = api_as("officer_sultra").get(f"{API}/service-requests/?{query}")
    assert response.status_code == code
    if count is not None:
        assert response.json()["count"] == count


def test_pagination_envelope(api_as, scene, verified_exporter):
    for kind in ("interest", "sample_request"):
        services.start_inquiry(
            actor=verified_exporter, product=scene.world.crab, kind=kind, body="Hi"
        )
    body = api_as("verified_exporter").get(f"{API}/inquiries/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert Inquiry.objects.count() == 3


def test_schema_has_no_warnings_or_errors_from_matchmaking():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    ours = ("inquir", "shortlist", "buying", "offer", "service", "matchmaking")
    problems = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(word in message.lower() for word in ours)
    ]
    assert problems == []
    paths = set(schema["paths"])
    assert {
        "/api/v1/inquiries/",
        "/api/v1/inquiries/{id}/messages/",
        "/api/v1/inquiries/{id}/status/",
        "/api/v1/shortlist/{id}/",
        "/api/v1/buying-requests/{id}/offers/{offer_id}/accept/",
        "/api/v1/service-requests/{id}/transition/",
        "/api/v1/service-requests/{id}/notes/",
    } <= paths


@pytest.mark.parametrize(
    "endpoint", ["/inquiries/", "/buying-requests/", "/service-requests/", "/shortlist/"]
)
def test_lists_take_a_fixed_number_of_queries(
    api_as, scene, endpoint, second_exporter, officer_konawe, platform, verified_exporter
):
    role = "verified_exporter" if endpoint == "/shortlist/" else "ministry"
    client = api_as(role)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API + endpoint).status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        product = ProductFactory(bumdes=scene.world.konawe, status="export_ready", name_id=f"P{n}")
        services.start_inquiry(actor=second_exporter, product=product, body="Hi")
        services.add_to_shortlist(actor=verified_exporter, product=product)
        services.create_buying_request(actor=second_exporter, data=rfq_data(title=f"R{n}"))
        services.request_service(
            actor=officer_konawe,
            provider=platform,
            service="quality",
            product=product,
            description="Grading",
        )
    assert queries() == before
