"""``/api/v1/outcomes/`` keeps answering old clients (deprecated): the steps of deals opened at
forum meetings in the shape outcomes had, a first shipment with its shipment's volume, value and
destination; what they post is recorded into the deal through the new service; every answer
points to ``/api/v1/deals/``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from matchmaking.deals import services as deal_services
from matchmaking.deals.models import DealStep
from matchmaking.forums import services as services
from tests.matchmaking.deals.conftest import shipment_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/outcomes/"


@pytest.fixture
def shipped(held, verified_exporter, linked_operator, ministry, world, org_b):
    """The held meeting's crab deal went on to a contract, a first and a repeat shipment; org B
    has a crab deal made outside the portal (not a forum's)."""
    for stage in ("sample_sent", "contract"):
        services.record_outcome(
            actor=linked_operator,
            meeting=held.meeting,
            data={"stage": stage, "product": world.crab, "value_usd": "75000"},
        )
    deal_services.record_shipment(actor=linked_operator, deal=held.deal, data=shipment_data())
    deal_services.record_shipment(
        actor=linked_operator,
        deal=held.deal,
        data=shipment_data(quantity=Decimal("800"), value_usd=Decimal("10000")),
    )
    deal_services.open_outside_deal(actor=ministry, product=world.crab, organisation=org_b)
    return held


def test_the_steps_of_forum_deals_in_the_old_shape(api_as, shipped):
    response = api_as("verified_exporter").get(URL)
    assert response.status_code == 200
    assert response["Deprecation"] == "true"
    assert response["Link"] == '</api/v1/deals/>; rel="successor-version"'
    rows = {row["stage"]: row for row in response.json()["results"]}
    # The repeat shipment has no outcome stage; the outside deal is not a forum's.
    assert set(rows) == {"interest", "sample_sent", "contract", "first_shipment"}
    first = rows["first_shipment"]
    assert {key: first[key] for key in ("volume_kg", "value_usd", "destination")} == {
        "volume_kg": "500.000",
        "value_usd": "6250.00",
        "destination": "HK",
    }
    assert set(first) == {
        "id",
        "meeting",
        "forum",
        "deal",
        "stage",
        "occurred_on",
        "volume_kg",
        "value_usd",
        "destination",
        "products",
        "note",
        "recorded_at",
    }
    contract = rows["contract"]
    assert contract["value_usd"] == "75000.00" and contract["volume_kg"] is None
    for row in rows.values():
        assert row["meeting"] == shipped.meeting.pk and row["forum"] == shipped.forum.pk
        assert row["deal"] == shipped.deal.pk and row["products"] == [shipped.world.crab.pk]
    detail = api_as("officer_konawe").get(f"{URL}{first['id']}/")
    assert detail.status_code == 200 and detail.json() == first
    assert detail["Deprecation"] == "true"
    assert api_as("second_exporter").get(f"{URL}{first['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("stage=contract", 1),
        ("stage=first_shipment", 1),
        ("meeting={meeting}", 4),
        ("forum=999999", 0),
    ],
)
def test_filters_forum_stage_and_meeting_are_kept(api_as, shipped, query, count):
    query = query.format(meeting=shipped.meeting.pk)
    response = api_as("ministry").get(f"{URL}?{query}")
    assert response.status_code == 200 and response.json()["count"] == count
    assert api_as("ministry").get(f"{URL}?forum={shipped.forum.pk}").json()["count"] == 4


def test_old_clients_record_into_the_deal(api_as, held):
    api = api_as("linked_operator")
    body = {"meeting": held.meeting.pk, "stage": "loi_mou", "note": "LoI signed"}
    response = api.post(URL, {**body, "products": [held.world.crab.pk]}, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    step = DealStep.objects.get(pk=row["id"])
    assert step.deal == held.deal and step.stage == "loi_mou" and step.note == "LoI signed"
    assert row["products"] == [held.world.crab.pk] and row["deal"] == held.deal.pk
    assert response["Deprecation"] == "true"
    held.deal.refresh_from_db()
    assert held.deal.stage == "loi_mou"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "contract"}, "products"),  # the meeting has three products: name one
        ({"stage": "contract", "products": ["{crab}", "{oil}"]}, "products"),
        ({"stage": "contract", "products": ["{donggala}"]}, "products"),
        ({"stage": "interest", "products": ["{crab}"]}, "stage"),  # the deal has it already
        (
            {
                "stage": "first_shipment",
                "products": ["{crab}"],
                "volume_kg": "500",
                "value_usd": "6250",
                "destination": "HK",
                "occurred_on": "2020-01-01",
            },
            "stage",
        ),
        ({"stage": "contract", "products": ["{crab}"], "destination": "XX"}, "destination"),
        ({"stage": "contract", "products": ["{crab}"], "value_usd": "-1"}, "value_usd"),
    ],
)
def test_what_the_new_service_refuses_is_a_field_error(api_as, held, body, field):
    ids = {
        "crab": held.world.crab.pk,
        "oil": held.world.oil.pk,
        "donggala": held.world.donggala_crab.pk,
    }
    if "products" in body:
        body = {**body, "products": [int(p.format(**ids)) for p in body["products"]]}
    response = api_as("verified_exporter").post(
        URL, {"meeting": held.meeting.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert DealStep.objects.count() == 1  # the interest the meeting opened the deal with


def test_the_schema_says_outcomes_are_deprecated(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/outcomes/"]
    assert operations["get"]["deprecated"] is True
    assert operations["post"]["deprecated"] is True
    assert schema["paths"]["/api/v1/outcomes/{id}/"]["get"]["deprecated"] is True
    assert "/api/v1/deals/" in operations["get"]["description"]


def test_the_statistics_keep_outcomes_and_add_deals_and_shipments(api_as, shipped):
    stats = api_as("organiser").get(f"/api/v1/forums/{shipped.forum.pk}/statistics/").json()
    assert stats["deals_opened"] == 1
    deals = {row["stage"]: row for row in stats["deals"]}
    assert deals["repeat_shipments"] == {
        "stage": "repeat_shipments",
        "label": "Repeat shipments",
        "count": 1,
        "reached": 1,
    }
    assert stats["shipments"] == {
        "count": 2,
        "volume_kg": "1300.000",
        "volume_l": "0.000",
        "value_usd": "16250.00",
    }
    outcomes = {row["stage"]: row for row in stats["outcomes"]}
    assert list(outcomes) == ["interest", "sample_sent", "loi_mou", "contract", "first_shipment"]
    assert outcomes["first_shipment"] == {
        "stage": "first_shipment",
        "label": "First shipment",
        "count": 1,
        "value_usd": "6250.00",
        "volume_kg": "500.000",
    }
