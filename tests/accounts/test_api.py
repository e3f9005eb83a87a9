"""API authentication: exchanging a password for a token, and who the token belongs to."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import ROLES
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


def token_client(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.parametrize("format", ["json", "multipart"])
def test_password_is_exchanged_for_a_token_as_json_or_form_data(officer_konawe, format):
    response = APIClient().post(
        TOKEN_URL, {"username": "t-konawe", "password": PASSWORD}, format=format
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert response.json()["token"]


def test_password_is_exchanged_for_a_token_as_urlencoded_form(client, officer_konawe):
    response = client.post(
        TOKEN_URL,
        "username=t-konawe&password=" + PASSWORD,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json()["token"]


def test_the_same_user_gets_the_same_token_each_time(exporter):
    api = APIClient()
    first = api.post(TOKEN_URL, {"username": "t-eksportir", "password": PASSWORD}).json()
    second = api.post(TOKEN_URL, {"username": "t-eksportir", "password": PASSWORD}).json()
    assert first["token"] == second["token"]


def test_the_token_identifies_the_user_with_role_and_region(officer_konawe):
    key = (
        APIClient()
        .post(TOKEN_URL, {"username": "t-konawe", "password": PASSWORD}, format="json")
        .json()["token"]
    )
    response = token_client(key).get(ME_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "t-konawe"
    assert body["email"] == "t-konawe@example.id"
    assert body["role"] == "officer"
    assert body["region"] == "74.02"
    assert "password" not in body


def test_wrong_password_is_answered_400_without_a_token(exporter):
    response = APIClient().post(
        TOKEN_URL, {"username": "t-eksportir", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"non_field_errors"}
    assert body["non_field_errors"]


def test_unknown_user_is_answered_like_a_wrong_password(regions):
    response = APIClient().post(
        TOKEN_URL, {"username": "nobody", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}


def test_missing_fields_are_reported_per_field(regions):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}

    response = APIClient().post(TOKEN_URL, {"username": "t-eksportir"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"password"}


def test_token_endpoint_is_rate_limited(exporter):
    api = APIClient()
    statuses = [
        api.post(TOKEN_URL, {"username": "t-eksportir", "password": "wrong"}).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_me_without_credentials_is_401_with_a_token_challenge(regions):
    response = APIClient().get(ME_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_with_an_unknown_token_is_401(regions):
    assert token_client("0" * 40).get(ME_URL).status_code == 401


def test_deactivated_users_token_is_refused(api_as, exporter):
    api = api_as("exporter")
    exporter.is_active = False
    exporter.save()
    assert api.get(ME_URL).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_me_reports_the_role_of_each_user(api_as, request, role):
    response = api_as(role).get(ME_URL)
    if role == "anonymous":
        assert response.status_code == 401
        return
    user = request.getfixturevalue(role)
    assert response.status_code == 200
    assert response.json()["role"] == user.role
    assert response.json()["region"] == user.region_id
    assert response.json()["id"] == user.pk


def test_me_works_with_a_browser_session_too(as_role):
    response = as_role("ministry").get(ME_URL)
    assert response.status_code == 200
    assert response.json()["role"] == "ministry"
