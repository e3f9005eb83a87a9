"""``GET /api/v1/hs-codes/suggest/``: public, documented, six-digit codes best first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
URL = "/api/v1/hs-codes/suggest/"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_anonymous_get_the_same_suggestions(api_as, role):
    anonymous = api_as("anonymous").get(URL, {"q": "kepiting beku"})
    signed_in = api_as(role).get(URL, {"q": "kepiting beku"})
    assert anonymous.status_code == signed_in.status_code == 200
    assert [r["code"] for r in anonymous.json()["results"]] == [
        r["code"] for r in signed_in.json()["results"]
    ]


def test_the_answer_has_codes_confidences_and_reasons_best_first(client):
    body = client.get(URL, {"q": "udang beku", "limit": 5}).json()
    results = body["results"]
    assert len(results) == 5 and results[0]["code"] == "030617"
    assert all(len(r["code"]) == 6 and r["code"].isdigit() for r in results)
    assert results[0]["dotted"] == "0306.17" and results[0]["description"]
    confidences = [r["confidence"] for r in results]
    assert confidences == sorted(confidences, reverse=True)
    assert "udang" in results[0]["reason"]
    assert (body["form"], body["unit"], body["unread"]) == ("frozen", "kg", [])


def test_a_description_may_be_given_and_the_limit_is_bounded(client):
    assert client.get(URL, {"q": "olahan", "description": "keripik nangka"}).status_code == 200
    assert client.get(URL, {"q": "kopi", "limit": 11}).status_code == 400


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}])
def test_a_missing_or_overlong_name_is_a_400_naming_the_field(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400 and "q" in response.json()


def test_nothing_readable_is_an_empty_answer_not_an_error(client):
    body = client.get(URL, {"q": "zzqx"}).json()
    assert body == {"results": [], "form": "", "unit": "", "unread": ["zzqx"]}


def test_a_code_named_suggest_is_not_confused_with_the_route(client):
    assert reverse("api-hs-suggest") == URL
    assert client.get("/api/v1/hs-codes/030633/").status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/hs-codes/suggest/"]["get"]
    assert operation["operationId"] == "hs_codes_suggest"
    assert {} in operation["security"]  # no login needed
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "description", "limit"} <= names


@pytest.mark.parametrize(("typed", "first"), [("0306.14", "030614"), ("030614", "030614")])
def test_a_code_typed_instead_of_a_name_answers_that_code(client, typed, first):
    body = client.get(URL, {"q": typed}).json()
    assert [r["code"] for r in body["results"]] == [first]
    assert body["results"][0]["confidence"] == 1.0


def test_a_heading_typed_lists_its_first_subheadings(client):
    codes = [r["code"] for r in client.get(URL, {"q": "0306"}).json()["results"]]
    assert len(codes) == 3 and all(c.startswith("0306") for c in codes)
