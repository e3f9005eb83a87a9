"""Deals API: the same rules as the pages, for every endpoint and role.

Anonymous requests answer 401; deals outside the reader's scope 404; writes by a reader who may
not record 403 (saying so when the reader's organisation is not verified yet); bad input and
unknown filter values 400 with field errors, never a 500; lists come in DRF's envelope and hold
exactly the deals (and shipments) the reader may see.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from matchmaking.deals import services
from matchmaking.deals.models import Deal, DealStep, Shipment
from tests.matchmaking.conftest import MM_ROLES, only
from tests.matchmaking.deals.conftest import RECORDS, SEES, DealScene, seen_by, shipment_data
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
SIGNED_IN = [role for role in MM_ROLES if role != "anonymous"]
DEAL_KEYS = {
    "id",
    "product",
    "product_name",
    "bumdes",
    "bumdes_name",
    "organisation",
    "organisation_name",
    "channel",
    "stage",
    "meeting",
    "inquiry",
    "offer",
    "lost_reason",
    "lost_note",
    "note",
    "opened_by",
    "opened_at",
    "updated_at",
    "may_record",
    "steps",
    "shipments",
}


def url_of(template: str, ds: DealScene) -> str:
    return API + template.format(
        crab=ds.crab.pk, pending=ds.pending.pk, donggala=ds.donggala.pk, shipment=ds.shipment.pk
    )


def today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def shipment_body(**overrides) -> dict:
    return {
        "shipped_on": today(-2),
        "quantity": "400",
        "value_usd": "5000",
        "idr_per_usd": "15900",
        "destination": "hk",
        "gateway": "kdi",
        "peb_number": "000124",
        **overrides,
    }


# --- Who reads what --------------------------------------------------------------------------

READS = {
    "deal_detail": ("/deals/{crab}/", only(SEES["crab"])),
    "deal_shipments": ("/deals/{crab}/shipments/", only(SEES["crab"])),
    "pending_deal": ("/deals/{pending}/", only(SEES["pending"])),
    "shipment_detail": ("/shipments/{shipment}/", only(SEES["crab"])),
}


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("endpoint", READS)
def test_who_may_read_which_deal(api_as, ds, role, endpoint):
    template, expected = READS[endpoint]
    response = api_as(role).get(url_of(template, ds))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize("role", MM_ROLES)
def test_the_lists_hold_exactly_the_deals_and_shipments_the_reader_sees(api_as, ds, role):
    client = api_as(role)
    deals = client.get(f"{API}/deals/")
    shipments = client.get(f"{API}/shipments/")
    if role == "anonymous":
        assert (deals.status_code, shipments.status_code) == (401, 401)
        return
    body = deals.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert {d["id"] for d in body["results"]} == {getattr(ds, n).pk for n in seen_by(role)}
    assert body["count"] == len(seen_by(role))
    expected = [ds.shipment.pk] if "crab" in seen_by(role) else []
    assert [s["id"] for s in shipments.json()["results"]] == expected


# --- Who writes what -------------------------------------------------------------------------

OUTSIDE_DEAL_ENTERERS = {"ministry", "officer_sultra", "officer_konawe"}

WRITES = {
    # name: (url, body, {role: status})
    "deal_create": (
        "/deals/",
        lambda ds: {"product": ds.world.crab.pk, "organisation": ds.donggala.organisation_id},
        # Sulawesi Tengah's officer may enter deals, but not for a Konawe product.
        {
            **only(OUTSIDE_DEAL_ENTERERS, 201, otherwise=403),
            "officer_sulteng": 400,
        },
    ),
    "step": (
        "/deals/{crab}/steps/",
        lambda ds: {"stage": "sample_sent", "occurred_on": today(-1)},
        only(RECORDS["crab"], 201),
    ),
    "step_on_pending_organisation_deal": (
        "/deals/{pending}/steps/",
        lambda ds: {"stage": "loi_mou"},
        {**only(RECORDS["pending"], 201), "pending_exporter": 403},
    ),
    "lost": (
        "/deals/{crab}/lost/",
        lambda ds: {"reason": "price"},
        only(RECORDS["crab"], 200),
    ),
    "shipment": (
        "/deals/{crab}/shipments/",
        lambda ds: shipment_body(),
        only(RECORDS["crab"], 201),
    ),
    "shipment_on_pending_organisation_deal": (
        "/deals/{pending}/shipments/",
        lambda ds: shipment_body(quantity="50"),
        {**only(RECORDS["pending"], 201), "pending_exporter": 403},
    ),
}


@pytest.mark.parametrize("role", MM_ROLES)
@pytest.mark.parametrize("endpoint", WRITES)
def test_who_may_write_which_endpoint(api_as, ds, role, endpoint):
    template, body, expected = WRITES[endpoint]
    steps, shipments = DealStep.objects.count(), Shipment.objects.count()
    response = api_as(role).post(url_of(template, ds), body(ds), format="json")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[role], response.content[:300]
    if response.status_code >= 400:
        assert (DealStep.objects.count(), Shipment.objects.count()) == (steps, shipments)
    if endpoint.endswith("pending_organisation_deal") and role == "pending_exporter":
        assert "not verified yet" in response.json()["detail"]


# --- Reading a deal --------------------------------------------------------------------------


def test_a_deal_comes_with_its_ids_history_and_shipments(api_as, ds, ministry):
    body = api_as("verified_exporter").get(f"{API}/deals/{ds.crab.pk}/").json()
    assert set(body) == DEAL_KEYS
    assert body["product"] == ds.world.crab.pk and body["organisation"] == ds.crab.organisation_id
    assert body["bumdes"] == ds.world.konawe.pk and body["bumdes_name"] == "BUMDes Mina Uji"
    assert (body["channel"], body["stage"]) == ("outside", "first_shipment")
    assert (body["meeting"], body["inquiry"], body["offer"]) == (None, None, None)
    assert (body["lost_reason"], body["lost_note"]) == ("", "")
    assert body["opened_by"] == ministry.pk and body["may_record"] is True
    # The history in date order: the shipment (three days ago) before the deal was entered.
    assert [(s["stage"], s["occurred_on"]) for s in body["steps"]] == [
        ("first_shipment", today(-3)),
        ("interest", today()),
    ]
    interest = body["steps"][1]
    assert interest["recorded_by"] == ministry.pk and interest["recorded_by_name"]
    assert interest["note"] == "Agreed at a trade fair."
    [shipment] = body["shipments"]
    assert shipment["id"] == ds.shipment.pk and shipment["deal"] == ds.crab.pk
    assert (shipment["destination"], shipment["gateway"], shipment["hs_code"]) == (
        "HK",
        "KDI",
        "030633",
    )
    assert (shipment["quantity"], shipment["unit"], shipment["volume"]) == (
        "500.000",
        "kg",
        "500.000",
    )
    assert shipment["value_idr"] == str(6250 * 15800)
    assert (
        api_as("pending_exporter").get(f"{API}/deals/{ds.pending.pk}/").json()["may_record"]
        is False
    )


def test_the_shipment_list_of_a_deal_and_a_shipment_on_its_own_agree(api_as, ds):
    client = api_as("officer_konawe")
    listed = client.get(f"{API}/deals/{ds.crab.pk}/shipments/").json()
    alone = client.get(f"{API}/shipments/{ds.shipment.pk}/").json()
    assert listed == [alone]
    assert alone["peb_number"] == "000123" and alone["coo_number"] == "AHK-2026-0001"


# --- Writing ---------------------------------------------------------------------------------


def test_an_outside_deal_entered_over_the_api(api_as, ds, officer_konawe):
    response = api_as("officer_konawe").post(
        f"{API}/deals/",
        {
            "product": ds.world.crab.pk,
            "organisation": ds.donggala.organisation_id,
            "stage": "contract",
            "occurred_on": today(-10),
            "note": "Signed in Makassar",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert (body["channel"], body["stage"], body["note"]) == (
        "outside",
        "contract",
        "Signed in Makassar",
    )
    assert [(s["stage"], s["occurred_on"]) for s in body["steps"]] == [
        ("interest", today(-10)),
        ("contract", today(-10)),
    ]
    assert body["opened_by"] == officer_konawe.pk
    assert "occurred_on" not in body
    # Entering it again answers on the organisation: the pair has an open deal.
    again = api_as("ministry").post(
        f"{API}/deals/",
        {"product": ds.world.crab.pk, "organisation": ds.donggala.organisation_id},
        format="json",
    )
    assert again.status_code == 400 and "organisation" in again.json()


def test_a_deal_moves_through_steps_shipments_and_closes_as_lost(api_as, ds):
    client = api_as("verified_exporter")
    url = f"{API}/deals/{ds.crab.pk}/"
    response = client.post(
        url + "steps/",
        {"stage": "contract", "occurred_on": today(-5), "volume_kg": "2000", "value_usd": "25000"},
        format="json",
    )
    assert response.status_code == 201, response.data
    # The first shipment is further than a contract: the stage stays.
    assert response.json()["stage"] == "first_shipment"
    [contract] = [s for s in response.json()["steps"] if s["stage"] == "contract"]
    assert (contract["stage"], contract["volume_kg"], contract["value_usd"]) == (
        "contract",
        "2000.000",
        "25000.00",
    )
    response = client.post(url + "shipments/", shipment_body(), format="json")
    assert response.status_code == 201, response.data
    assert response.json()["value_idr"] == str(5000 * 15900)
    deal = client.get(url).json()
    assert deal["stage"] == "repeat_shipments" and len(deal["shipments"]) == 2
    response = client.post(url + "lost/", {"reason": "other"}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(
        url + "lost/", {"reason": "other", "note": "Buyer went bankrupt"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["lost_reason"], body["lost_note"]) == (
        "lost",
        "other",
        "Buyer went bankrupt",
    )
    assert body["may_record"] is False
    # A lost deal takes no step, shipment or second closing.
    for path, data in [
        ("steps/", {"stage": "sample_sent"}),
        ("shipments/", shipment_body()),
        ("lost/", {"reason": "price"}),
    ]:
        response = client.post(url + path, data, format="json")
        assert response.status_code == 400, path
        assert "lost" in str(response.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "stage"),
        ({"stage": "first_shipment"}, "stage"),
        ({"stage": "repeat_shipments"}, "stage"),
        ({"stage": "lost"}, "stage"),
        ({"stage": "interest"}, "stage"),  # reached when the deal was entered
        ({"stage": "gossip"}, "stage"),
        ({"stage": ["contract"]}, "stage"),
        ({"stage": "contract", "occurred_on": "tomorrow"}, "occurred_on"),
        ({"stage": "contract", "occurred_on": "2025-02-30"}, "occurred_on"),
        ({"stage": "contract", "occurred_on": "FUTURE"}, "occurred_on"),
        ({"stage": "contract", "volume_kg": "lots"}, "volume_kg"),
        ({"stage": "contract", "volume_kg": "0"}, "volume_kg"),
        ({"stage": "contract", "volume_kg": "1e30"}, "volume_kg"),
        ({"stage": "contract", "value_usd": "-1"}, "value_usd"),
        ({"stage": "contract", "value_usd": "NaN"}, "value_usd"),
        ({"stage": "contract", "value_usd": "1.234"}, "value_usd"),
        ({"stage": "contract", "destination": "XX"}, "destination"),
        ({"stage": "contract", "destination": 7}, "destination"),
        ({"stage": "contract", "note": {"a": 1}}, "note"),
    ],
)
def test_step_bad_input_is_a_field_error(api_as, ds, body, field):
    if body.get("occurred_on") == "FUTURE":
        body = {**body, "occurred_on": today(2)}
    response = api_as("officer_sultra").post(
        f"{API}/deals/{ds.crab.pk}/steps/", body, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    assert ds.crab.steps.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shipped_on": None}, "shipped_on"),
        ({"shipped_on": "yesterday"}, "shipped_on"),
        ({"shipped_on": "FUTURE"}, "shipped_on"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-5"}, "quantity"),
        ({"quantity": "Infinity"}, "quantity"),
        ({"quantity": "1.2345"}, "quantity"),
        ({"value_usd": "0"}, "value_usd"),
        ({"value_usd": "1e40"}, "value_usd"),
        # Too many rupiah to keep, at this rate.
        ({"value_usd": "999999999999", "idr_per_usd": "99999999"}, "value_usd"),
        ({"idr_per_usd": None}, "idr_per_usd"),
        ({"idr_per_usd": "-15000"}, "idr_per_usd"),
        ({"destination": "ID"}, "destination"),
        ({"destination": "id"}, "destination"),
        ({"destination": "ZZ"}, "destination"),
        ({"destination": ["HK"]}, "destination"),
        ({"gateway": None}, "gateway"),
        ({"gateway": "NOPE"}, "gateway"),
        ({"hs_code": "0306"}, "hs_code"),
        ({"hs_code": "999999"}, "hs_code"),
        ({"hs_code": True}, "hs_code"),
        ({"volume_unit": "gallon"}, "volume_unit"),
        ({"peb_number": "x" * 41}, "peb_number"),
    ],
)
def test_shipment_bad_input_is_a_field_error(api_as, ds, change, field):
    if change.get("shipped_on") == "FUTURE":
        change = {**change, "shipped_on": today(2)}
    body = {k: v for k, v in shipment_body(**change).items() if v is not None}
    response = api_as("linked_operator").post(
        f"{API}/deals/{ds.crab.pk}/shipments/", body, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    assert Shipment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "product"),
        ({"product": "crab", "organisation": "x"}, "organisation"),
        ({"product": 10**30, "organisation": "b"}, "product"),
        ({"product": "draft", "organisation": "b"}, "product"),
        ({"product": "crab", "organisation": "platform"}, "organisation"),
        ({"product": "crab", "organisation": "pending"}, "organisation"),
        ({"product": "crab", "organisation": "b", "stage": "first_shipment"}, "stage"),
        ({"product": "crab", "organisation": "b", "stage": "lost"}, "stage"),
        ({"product": "crab", "organisation": "b", "stage": "someday"}, "stage"),
        ({"product": "crab", "organisation": "b", "occurred_on": "FUTURE"}, "occurred_on"),
        ({"product": "crab", "organisation": "b", "occurred_on": "31/12/2025"}, "occurred_on"),
        ({"product": "crab", "organisation": "a"}, "organisation"),  # already an open deal
        ({"product": True, "organisation": "b"}, "product"),
    ],
)
def test_outside_deal_bad_input_is_a_field_error(api_as, ds, platform, body, field):
    ids = {
        "crab": ds.world.crab.pk,
        "draft": ds.world.crab_draft.pk,
        "a": ds.crab.organisation_id,
        "b": ds.donggala.organisation_id,
        "pending": ds.pending.organisation_id,
        "platform": platform.pk,
        "FUTURE": today(3),
    }
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api_as("officer_sultra").post(f"{API}/deals/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    assert Deal.objects.count() == 3


def test_a_body_that_is_not_an_object_is_a_400(api_as, ds):
    client = api_as("ministry")
    for path in ("/deals/", f"/deals/{ds.crab.pk}/steps/", f"/deals/{ds.crab.pk}/shipments/"):
        response = client.post(API + path, ["stage"], format="json")
        assert response.status_code == 400, path
    response = client.post(f"{API}/deals/{ds.crab.pk}/lost/", "price", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize(
    "path",
    ["/deals/abc/", "/deals/0/", f"/deals/{2**64}/", "/shipments/x/", f"/shipments/{2**70}/"],
)
def test_malformed_or_unknown_ids_in_the_path_are_404(api_as, ds, path):
    assert api_as("ministry").get(API + path).status_code == 404


# --- Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "deals", "shipments"),
    [
        ("", {"crab", "donggala", "pending"}, 1),
        ("stage=first_shipment", {"crab"}, 1),
        ("stage=interest", {"donggala", "pending"}, 0),
        ("channel=outside", {"crab", "donggala", "pending"}, 1),
        ("channel=offer", set(), 0),
        ("province=74", {"crab", "pending"}, 1),
        ("province=72", {"donggala"}, 0),
        ("province=74&province=72", {"donggala"}, 0),  # the last one counts
        ("hs_chapter=03", {"crab", "donggala"}, 1),
        ("hs_chapter=15", {"pending"}, 0),
        ("destination=HK", {"crab"}, 1),
        ("destination=hk", {"crab"}, 1),
        ("destination=SG", set(), 0),
        ("shipped_from=PAST", {"crab"}, 1),
        ("shipped_from=TODAY", set(), 0),
        ("shipped_until=PAST", set(), 0),
        ("shipped_until=TODAY", {"crab"}, 1),
        ("product=CRAB", {"crab"}, 1),
        ("organisation=ORG_B", {"donggala"}, 0),
        ("q=alpukat", {"pending"}, 0),
        ("q=Harbour", {"crab"}, 1),
        ("q=%00", None, None),
        ("stage=bogus", None, None),
        ("channel=phone", None, None),
        ("province=99", None, None),
        ("province=74.02", None, None),
        ("hs_chapter=3", None, None),
        ("hs_chapter=030", None, None),
        ("destination=XX", None, None),
        ("shipped_from=2025-13-01", None, None),
        ("shipped_until=soon", None, None),
        ("product=abc", None, None),
        ("product=0", None, None),
        ("organisation=-1", None, None),
        (f"organisation={2**64}", None, None),
        ("page=999", None, None),
    ],
)
def test_deal_and_shipment_filters(api_as, ds, query, deals, shipments):
    query = (
        query.replace("PAST", today(-5))
        .replace("TODAY", today())
        .replace("CRAB", str(ds.world.crab.pk))
        .replace("ORG_B", str(ds.donggala.organisation_id))
    )
    client = api_as("ministry")
    for endpoint, expected in (("deals", deals), ("shipments", shipments)):
        response = client.get(f"{API}/{endpoint}/?{query}")
        if expected is None:
            assert response.status_code in (400, 404), response.content[:300]
            if response.status_code == 400:
                assert query.split("=")[0] in response.json()
            continue
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        if endpoint == "deals":
            assert {d["id"] for d in body["results"]} == {getattr(ds, n).pk for n in expected}
        else:
            assert body["count"] == expected


def test_filters_never_widen_the_readers_scope(api_as, ds):
    client = api_as("second_exporter")
    assert client.get(f"{API}/deals/?province=74").json()["count"] == 0
    assert client.get(f"{API}/deals/?product={ds.world.crab.pk}").json()["count"] == 0
    assert client.get(f"{API}/shipments/?destination=HK").json()["count"] == 0


def test_filters_do_not_touch_detail_and_action_urls(api_as, ds):
    client = api_as("ministry")
    assert client.get(f"{API}/deals/{ds.crab.pk}/?stage=bogus").status_code == 200
    assert client.get(f"{API}/deals/{ds.crab.pk}/shipments/?stage=bogus").status_code == 200


# --- Lists: pages and queries ----------------------------------------------------------------


def test_pagination_envelope(api_as, ds):
    body = api_as("ministry").get(f"{API}/deals/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api_as("ministry").get(f"{API}/deals/?page=2&page_size=2").json()["previous"]


@pytest.mark.parametrize("endpoint", ["/deals/", "/shipments/"])
def test_lists_take_a_fixed_number_of_queries(api_as, ds, ministry, org_b, endpoint):
    client = api_as("officer_sultra")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API + endpoint).status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        product = ProductFactory(bumdes=ds.world.konawe, status="export_ready", name_id=f"P{n}")
        deal = services.open_outside_deal(actor=ministry, product=product, organisation=org_b)
        services.record_step(actor=ministry, deal=deal, data={"stage": "sample_sent"})
        services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    assert queries() == before


# --- The schema ------------------------------------------------------------------------------


def test_schema_documents_deals_and_shipments_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    ours = ("deal", "shipment", "lost", "stage", "reason", "step")
    problems = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(word in message.lower() for word in ours)
    ]
    assert problems == []
    paths = schema["paths"]
    assert {
        "/api/v1/deals/",
        "/api/v1/deals/{id}/",
        "/api/v1/deals/{id}/steps/",
        "/api/v1/deals/{id}/lost/",
        "/api/v1/deals/{id}/shipments/",
        "/api/v1/shipments/",
        "/api/v1/shipments/{id}/",
    } <= set(paths)
    assert set(paths["/api/v1/deals/{id}/shipments/"]) == {"get", "post"}
    filters = {p["name"] for p in paths["/api/v1/deals/"]["get"]["parameters"]}
    assert {
        "stage",
        "channel",
        "province",
        "hs_chapter",
        "destination",
        "shipped_from",
        "shipped_until",
        "product",
        "organisation",
        "q",
        "page",
        "page_size",
    } <= filters
    components = schema["components"]["schemas"]
    assert "PaginatedDealList" in components and "PaginatedShipmentList" in components
    assert {"id", "product", "organisation", "channel", "stage", "steps", "shipments"} <= set(
        components["Deal"]["properties"]
    )
    assert components["DealStageEnum"]["enum"] == [
        "interest",
        "sample_sent",
        "loi_mou",
        "contract",
        "first_shipment",
        "repeat_shipments",
        "lost",
    ]
