"""Directory API: every endpoint with every role, filters, contact visibility, editing through
the services, verification, members, registration and the schema."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import resolve

from bumdes_export.accounts.models import User
from exporters.models import Membership, Organisation
from tests.conftest import ROLES
from tests.exporters.conftest import EXPORTER_ROLES
from tests.exporters.factories import MembershipFactory
from tests.products.factories import png_upload

pytestmark = pytest.mark.django_db

ALL_ROLES = ROLES + EXPORTER_ROLES
API = "/api/v1/exporters/"
CRAB, HK, JP = (
    "PT Kepiting Sultra",
    "Harbour Fresh Seafood Trading Ltd",
    "Yamato Natural Foods K.K.",
)
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def world(verified_exporter, second_exporter, unverified_exporter, crab_org, hk_org, pending_org):
    return {"crab": crab_org, "hk": hk_org, "pending": pending_org}


def names(response) -> list[str]:
    return sorted(o["legal_name"] for o in response.json()["results"])


def expected(table: dict, role: str):
    return table.get(role, table["*"])


# --- Every endpoint with every role ----------------------------------------------------------

LISTS = {
    "anonymous": 401,
    "ministry": [CRAB, HK, JP],
    "unverified_exporter": [CRAB, HK, JP],
    "*": [CRAB, HK],
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_with_every_role(api_as, world, role):
    response = api_as(role).get(API)
    want = expected(LISTS, role)
    if want == 401:
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
    else:
        assert response.status_code == 200
        assert names(response) == sorted(want)


READS = {
    # endpoint -> {role: status}
    "crab": ({"anonymous": 401, "*": 200}, lambda w: f"{API}{w['crab'].pk}/"),
    "pending": (
        {"anonymous": 401, "ministry": 200, "unverified_exporter": 200, "*": 404},
        lambda w: f"{API}{w['pending'].pk}/",
    ),
    "members": (
        {"anonymous": 401, "ministry": 200, "verified_exporter": 200, "*": 403},
        lambda w: f"{API}{w['crab'].pk}/members/",
    ),
    "pending members": (
        {"anonymous": 401, "ministry": 200, "unverified_exporter": 200, "*": 404},
        lambda w: f"{API}{w['pending'].pk}/members/",
    ),
    "history": (
        {"anonymous": 401, "ministry": 200, "verified_exporter": 200, "*": 403},
        lambda w: f"{API}{w['crab'].pk}/history/",
    ),
    "mine": (
        {
            "anonymous": 401,
            "verified_exporter": 200,
            "second_exporter": 200,
            "unverified_exporter": 200,
            "*": 404,
        },
        lambda w: f"{API}mine/",
    ),
    "unknown id": ({"anonymous": 401, "*": 404}, lambda w: f"{API}999999/"),
}


@pytest.mark.parametrize("endpoint", READS)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_reads_with_every_role(api_as, world, endpoint, role):
    table, make_url = READS[endpoint]
    response = api_as(role).get(make_url(world))
    assert response.status_code == expected(table, role), response.content


def test_mine_is_the_users_own_organisation(api_as, world):
    assert api_as("second_exporter").get(f"{API}mine/").json()["legal_name"] == HK
    assert api_as("unverified_exporter").get(f"{API}mine/").json()["status"] == "pending"


WRITES = {
    # the organisation's admin and ministry staff; others see it (403) or not (404)
    "verified": {"anonymous": 401, "ministry": 200, "verified_exporter": 200, "*": 403},
    "pending": {"anonymous": 401, "ministry": 200, "unverified_exporter": 200, "*": 404},
}


@pytest.mark.parametrize("target", WRITES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_patch_with_every_role(api_as, world, target, role):
    organisation = world["crab" if target == "verified" else "pending"]
    response = api_as(role).patch(
        f"{API}{organisation.pk}/", {"description": f"Changed by {role}"}, format="json"
    )
    assert response.status_code == expected(WRITES[target], role), response.content
    organisation.refresh_from_db()
    assert (organisation.description == f"Changed by {role}") is (response.status_code == 200)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_invite_logo_and_remove_with_every_role(api_as, world, role):
    crab = world["crab"]
    client = api_as(role)
    colleague = MembershipFactory(organisation=crab, is_admin=False)
    allowed = role in ("ministry", "verified_exporter")
    invite = client.post(
        f"{API}{crab.pk}/members/", {"email": f"{role}@new.example.id"}, format="json"
    )
    logo = client.post(f"{API}{crab.pk}/logo/", {"logo": png_upload()}, format="multipart")
    remove = client.delete(f"{API}{crab.pk}/members/{colleague.pk}/")
    for response, ok in ((invite, 201), (logo, 200), (remove, 204)):
        if role == "anonymous":
            assert response.status_code == 401
        else:
            assert response.status_code == (ok if allowed else 403), response.content
    assert User.objects.filter(email=f"{role}@new.example.id").exists() is allowed
    assert Membership.objects.filter(pk=colleague.pk).exists() is not allowed


VERIFY = {"anonymous": 401, "ministry": 200, "unverified_exporter": 403, "*": 404}


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_verify_and_reject_with_every_role(api_as, world, action, role):
    pending = world["pending"]
    response = api_as(role).post(
        f"{API}{pending.pk}/{action}/", {"reason": "Not in OSS."}, format="json"
    )
    assert response.status_code == expected(VERIFY, role), response.content
    pending.refresh_from_db()
    if role == "ministry":
        assert response.json()["status"] == pending.status
        assert pending.status == {"verify": "verified", "reject": "rejected"}[action]
    else:
        assert pending.status == "pending"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_register_with_every_role(api_as, regions, role):
    response = api_as(role).post(f"{API}register/", registration(), format="json")
    assert response.status_code == (201 if role == "anonymous" else 403), response.content


# --- Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, want",
    [
        ("hs=03", [CRAB, HK]),
        ("hs=030633", [CRAB, HK]),  # the HK buyer's interest is the heading 0306
        ("hs=0306.33", [CRAB, HK]),
        ("hs=11", [JP]),
        ("kind=buyer", [HK, JP]),
        ("market=sg", [HK]),
        ("province=74", [CRAB]),
        ("service=logistics", [HK]),
        ("status=pending", [JP]),
        ("q=harbour", [HK]),
    ],
)
def test_filters(api_as, world, query, want):
    response = api_as("ministry").get(f"{API}?{query}")
    assert response.status_code == 200
    assert names(response) == sorted(want)


def test_status_filter_does_not_widen_an_exporters_view(api_as, world):
    assert names(api_as("verified_exporter").get(f"{API}?status=pending")) == []
    assert names(api_as("unverified_exporter").get(f"{API}?status=pending")) == [JP]


@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=farmer", "kind"),
        ("market=XX", "market"),
        ("province=99", "province"),
        ("province=74.02", "province"),
        ("status=archived", "status"),
        ("service=banking", "service"),
        ("hs=0399", "hs"),
        ("hs=abc", "hs"),
    ],
)
def test_unknown_filter_values_are_400(api_as, world, query, field):
    response = api_as("verified_exporter").get(f"{API}?{query}")
    assert response.status_code == 400
    assert field in response.json()


# --- What each reader sees -------------------------------------------------------------------

CONTACT = ["address", "contact_name", "contact_email", "contact_phone"]


@pytest.mark.parametrize(
    "role, contact, identifiers",
    [
        ("ministry", True, True),
        ("verified_exporter", True, True),  # its own organisation
        ("second_exporter", True, False),  # another verified exporter
        ("unverified_exporter", False, False),
        ("exporter", False, False),
        ("officer_sultra", False, False),
        ("operator", False, False),
    ],
)
def test_contact_details_and_identifiers_by_reader(api_as, world, role, contact, identifiers):
    crab = world["crab"]
    body = api_as(role).get(f"{API}{crab.pk}/").json()
    assert body["contact_visible"] is contact
    if contact:
        assert body["contact_email"] == "ekspor@kepiting.example.id"
        assert body["contact_phone"] == "+62 401 312 4455"
    else:
        assert all(body[name] is None for name in CONTACT)
    assert (body["nib"] == "9120202677410") is identifiers
    if not identifiers:
        assert body["nib"] is None and body["npwp"] is None
    listed = {o["id"]: o for o in api_as(role).get(API).json()["results"]}
    assert listed[crab.pk]["contact_visible"] is contact
    assert ("ekspor@kepiting.example.id" in str(listed)) is contact


def test_unverified_exporter_sees_no_contacts_in_the_list(api_as, world):
    body = api_as("unverified_exporter").get(API).json()
    text = str(body)
    assert "buying@harbourfresh.example.hk" not in text
    assert "ekspor@kepiting.example.id" not in text
    assert "sourcing@yamato.example.jp" in text  # its own


def test_verifier_name_for_ministry_only(api_as, world, ministry):
    pending = world["pending"]
    verified = api_as("ministry").post(f"{API}{pending.pk}/verify/").json()
    assert verified["verified"] is True and verified["verified_at"]
    assert verified["verified_by"] == ministry.get_full_name()
    assert api_as("second_exporter").get(f"{API}{pending.pk}/").json()["verified_by"] is None


def test_representation(api_as, world, ministry):
    from exporters import services

    crab = world["crab"]
    services.update_organisation(
        actor=ministry,
        organisation=crab,
        data={"languages": ["id", "en"], "incoterms": ["FOB"], "min_order_kg": 500},
        preferences={"preferred_provinces": ["74"], "preferred_gateways": ["KDI", "UPG"]},
    )
    body = api_as("second_exporter").get(f"{API}{crab.pk}/").json()
    assert body["country"] == "ID" and body["country_name"] == "Indonesia"
    assert body["province"] == "74" and body["province_name"] == "Sulawesi Tenggara"
    assert body["hs_interests"] == ["030633"]
    assert body["destination_markets"] == ["HK"]
    assert body["preferred_gateways"] == ["KDI", "UPG"]
    assert body["preferred_provinces"] == ["74"]
    assert body["min_order_kg"] == "500.000"
    assert body["version"] == 2
    assert body["status"] == "verified" and body["verified"] is True


# --- Editing ---------------------------------------------------------------------------------


def test_admin_patches_profile_and_preferences(api_as, world, django_capture_on_commit_callbacks):
    from exporters import events

    crab = world["crab"]
    sent = []
    events.organisation_changed.connect(handler := lambda sender, **kw: sent.append(kw))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as("verified_exporter").patch(
                f"{API}{crab.pk}/",
                {
                    "nib": "9120-2026-7741-0",
                    "hs_interests": ["0306.33", "1605.10"],
                    "destination_markets": ["hk", "SG"],
                    "preferred_provinces": ["74"],
                    "preferred_gateways": ["kdi"],
                    "required_certificates": ["health-fish"],
                    "incoterms": ["fob"],
                    "services": ["logistics"],
                    "languages": ["id"],
                    "contact_phone": None,
                },
                format="json",
            )
    finally:
        events.organisation_changed.disconnect(handler)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["hs_interests"] == ["030633", "160510"]
    assert body["destination_markets"] == ["HK", "SG"]
    assert body["preferred_gateways"] == ["KDI"]
    assert body["incoterms"] == ["FOB"]
    assert body["contact_phone"] == ""
    assert body["version"] == 2
    assert sent == [
        {"organisation_id": crab.pk, "version": 2, "signal": events.organisation_changed}
    ]


def test_put_needs_the_required_fields(api_as, world):
    crab = world["crab"]
    response = api_as("verified_exporter").put(f"{API}{crab.pk}/", {}, format="json")
    assert response.status_code == 400
    assert {"legal_name", "kind", "country"} <= set(response.json())
    full = api_as("verified_exporter").put(
        f"{API}{crab.pk}/",
        {"legal_name": "PT Kepiting Sultra", "kind": "exporter", "country": "ID", "province": "74"},
        format="json",
    )
    assert full.status_code == 200


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"nib": "123"}, "nib"),
        ({"npwp": "1234"}, "npwp"),
        ({"required_certificates": ["iso-xyz"]}, "required_certificates"),
        ({"incoterms": ["DAT"]}, "incoterms"),
        ({"services": ["banking"]}, "services"),
        ({"languages": ["xx"]}, "languages"),
        ({"hs_interests": ["0399"]}, "hs_interests"),
        ({"destination_markets": ["XX"]}, "destination_markets"),
        ({"preferred_gateways": ["NOPE"]}, "preferred_gateways"),
        ({"country": "XX"}, "country"),
        ({"province": "99"}, "province"),
        ({"province": None}, "province"),
        ({"kind": "farmer"}, "kind"),
        ({"min_order_kg": "-1"}, "min_order_kg"),
    ],
)
def test_invalid_patches_are_field_errors(api_as, world, payload, field):
    crab = world["crab"]
    response = api_as("verified_exporter").patch(f"{API}{crab.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    crab.refresh_from_db()
    assert crab.version == 1


def test_an_admin_cannot_verify_its_own_organisation_by_patching(api_as, world):
    response = api_as("unverified_exporter").patch(
        f"{API}{world['pending'].pk}/",
        {"status": "verified", "verified_at": "2026-01-01T00:00:00Z", "version": 9},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    world["pending"].refresh_from_db()
    assert world["pending"].status == "pending" and world["pending"].verified_at is None


def test_non_admin_member_cannot_patch(client, world, crab_colleague):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(crab_colleague)
    response = api.patch(f"{API}{world['crab'].pk}/", {"description": "x"}, format="json")
    assert response.status_code == 403
    assert api.get(f"{API}{world['crab'].pk}/members/").status_code == 200
    assert api.get(f"{API}{world['crab'].pk}/history/").status_code == 403


# --- Verification, members -------------------------------------------------------------------


def test_reject_needs_a_reason(api_as, world):
    response = api_as("ministry").post(f"{API}{world['pending'].pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the organisation is rejected."]}


def test_members_list_invite_and_last_admin(
    api_as, world, verified_exporter, mailoutbox, django_capture_on_commit_callbacks
):
    crab = world["crab"]
    client = api_as("verified_exporter")
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            f"{API}{crab.pk}/members/",
            {"email": "staf@kepiting.example.id", "is_admin": True, "language": "en"},
            format="json",
        )
    assert invited.status_code == 201
    assert invited.json()["is_admin"] and invited.json()["invitation_pending"]
    assert [m.to for m in mailoutbox] == [["staf@kepiting.example.id"]]
    path = urlparse(LINK.findall(mailoutbox[0].body)[0]).path
    assert resolve(path).view_name == "password_reset_confirm"
    members = client.get(f"{API}{crab.pk}/members/").json()
    assert [m["username"] for m in members] == ["staf@kepiting.example.id", "t-kepiting"]
    duplicate = client.post(
        f"{API}{crab.pk}/members/", {"email": "STAF@kepiting.example.id"}, format="json"
    )
    assert duplicate.status_code == 400 and "email" in duplicate.json()
    # two admins: one may go; then the last one stays
    other = Membership.objects.get(user__username="staf@kepiting.example.id")
    assert client.delete(f"{API}{crab.pk}/members/{other.pk}/").status_code == 204
    last = client.delete(f"{API}{crab.pk}/members/{verified_exporter.membership.pk}/")
    assert last.status_code == 400
    assert last.json() == {"non_field_errors": ["An organisation keeps at least one admin."]}


def test_a_member_of_another_organisation_is_not_found(api_as, world, second_exporter):
    response = api_as("ministry").delete(
        f"{API}{world['crab'].pk}/members/{second_exporter.membership.pk}/"
    )
    assert response.status_code == 404


def test_history(api_as, world, ministry):
    from exporters import services

    services.verify(actor=ministry, organisation=world["pending"])
    body = api_as("unverified_exporter").get(f"{API}{world['pending'].pk}/history/").json()
    assert [(e["action"], e["actor"]) for e in body["results"]] == [("verified", "t-kemendes")]


# --- Registration ----------------------------------------------------------------------------


def registration(**overrides) -> dict:
    body = {
        "username": "harbour2",
        "email": "Buyer2@Harbour.example.hk",
        "password": "kepiting-hidup-2026",
        "first_name": "Mei",
        "language": "en",
        "privacy_consent": True,
        "organisation": {
            "legal_name": "Harbour Two Ltd",
            "kind": "buyer",
            "country": "hk",
            "contact_email": "buyer2@harbour.example.hk",
            "hs_interests": ["0306"],
            "destination_markets": ["HK"],
            "required_certificates": ["health-fish"],
        },
    }
    body.update(overrides)
    return body


def test_register_then_confirm(
    api_as, client, ministry, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("anonymous").post(f"{API}register/", registration(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    organisation = Organisation.objects.get(pk=body["organisation"])
    assert body["status"] == "pending" and body["username"] == "harbour2"
    assert "buyer2@harbour.example.hk" in body["detail"]
    assert list(organisation.hs_interests.values_list("code", flat=True)) == ["0306"]
    user = User.objects.get(username="harbour2")
    assert not user.is_active and user.membership.is_admin
    (mail,) = mailoutbox
    path = urlparse(LINK.findall(mail.body)[0]).path
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(path).status_code == 200
    user.refresh_from_db()
    assert user.is_active
    assert mailoutbox[-1].to == [ministry.email]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"privacy_consent": False}, "privacy_consent"),
        ({"username": "T-EKSPORTIR"}, "username"),
        ({"email": "t-eksportir@example.id"}, "email"),
        ({"password": "123"}, "password"),
        ({"organisation": {"legal_name": "X", "kind": "buyer", "country": "ID"}}, "province"),
        ({"organisation": {"legal_name": "X", "kind": "farmer", "country": "HK"}}, "kind"),
        (
            {"organisation": {"legal_name": "X", "kind": "buyer", "country": "HK", "nib": "1"}},
            "nib",
        ),
        (
            {
                "organisation": {
                    "legal_name": "X",
                    "kind": "buyer",
                    "country": "HK",
                    "required_certificates": ["iso-xyz"],
                }
            },
            "required_certificates",
        ),
    ],
)
def test_register_errors(api_as, exporter, overrides, field):
    response = api_as("anonymous").post(f"{API}register/", registration(**overrides), format="json")
    assert response.status_code == 400
    body = response.json()
    if field in ("privacy_consent", "username", "email", "password"):
        assert field in body, body
    else:
        assert field in body["organisation"], body
    assert not Organisation.objects.exists()


def test_register_is_rate_limited(api_as, regions, settings):
    client = api_as("anonymous")
    codes = [
        client.post(f"{API}register/", {"privacy_consent": False}, format="json").status_code
        for _ in range(25)
    ]
    assert codes[0] == 400 and codes[-1] == 429


# --- Schema ----------------------------------------------------------------------------------


def test_the_schema_of_the_directory_has_no_warnings(tmp_path):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yml"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.exporters.schema_urls",
        "--file",
        str(out),
    )
    text = out.read_text()
    for path in ("/api/v1/exporters/register/", "/api/v1/exporters/{id}/members/{member_id}/"):
        assert path in text
