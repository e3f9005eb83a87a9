"""Directory pages: every page with every role, the directory and its filters, profiles and who
sees contact details, editing, members, verification, registration and email confirmation."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.urls import resolve, reverse
from django.utils.html import format_html
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from bumdes_export.accounts.models import User
from exporters import panels, views
from exporters.models import Membership, Organisation
from tests.conftest import ROLES
from tests.exporters.conftest import EXPORTER_ROLES
from tests.exporters.factories import MembershipFactory, OrganisationFactory
from tests.products.factories import fake_image_upload, png_upload

pytestmark = pytest.mark.django_db

ALL_ROLES = ROLES + EXPORTER_ROLES
LINK = re.compile(r"https?://\S+")


def link_in(body: str) -> str:
    links = LINK.findall(body)
    assert len(links) == 1, body
    return urlparse(links[0]).path


@pytest.fixture
def world(verified_exporter, second_exporter, unverified_exporter, crab_org, hk_org, pending_org):
    """Three organisations, each with its admin (see conftest)."""
    return {"crab": crab_org, "hk": hk_org, "pending": pending_org}


def login_redirect(response, url: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        f"{reverse('login')}?next="
    )


# --- Every page with every role --------------------------------------------------------------

# role -> expected status; "login" is a redirect to the login page, "→name" a redirect there.
PAGES = {
    "directory": (
        lambda w: reverse("exporters:directory"),
        {"anonymous": "login", "*": 200},
    ),
    "verified profile": (
        lambda w: reverse("exporters:detail", args=[w["crab"].pk]),
        {"anonymous": "login", "*": 200},
    ),
    "pending profile": (
        lambda w: reverse("exporters:detail", args=[w["pending"].pk]),
        {"anonymous": "login", "ministry": 200, "unverified_exporter": 200, "*": 404},
    ),
    "edit": (
        lambda w: reverse("exporters:edit", args=[w["crab"].pk]),
        {"anonymous": "login", "ministry": 200, "verified_exporter": 200, "*": 403},
    ),
    "edit pending": (
        lambda w: reverse("exporters:edit", args=[w["pending"].pk]),
        {"anonymous": "login", "ministry": 200, "unverified_exporter": 200, "*": 404},
    ),
    "members": (
        lambda w: reverse("exporters:members", args=[w["crab"].pk]),
        {"anonymous": "login", "ministry": 200, "verified_exporter": 200, "*": 403},
    ),
    "pending queue": (
        lambda w: reverse("exporters:pending"),
        {"anonymous": "login", "ministry": 200, "*": 403},
    ),
    "mine": (
        lambda w: reverse("exporters:mine"),
        {
            "anonymous": "login",
            "exporter": "→exporters:register",
            "verified_exporter": "→crab",
            "second_exporter": "→hk",
            "unverified_exporter": "→pending",
            "*": 403,
        },
    ),
    "register": (lambda w: reverse("exporters:register"), {"*": 200}),
    "register sent": (lambda w: reverse("exporters:register_done"), {"*": 200}),
    "privacy": (lambda w: reverse("exporters:privacy"), {"*": 200}),
    "confirm (bad link)": (
        lambda w: reverse("exporters:confirm_email", args=["MTIz", "bad-token"]),
        {"*": 400},
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_with_every_role(as_role, world, page, role):
    make_url, expected_by_role = PAGES[page]
    url = make_url(world)
    expected = expected_by_role.get(role, expected_by_role["*"])
    response = as_role(role).get(url)
    if expected == "login":
        assert login_redirect(response, url), response
    elif isinstance(expected, str) and expected.startswith("→"):
        target = expected[1:]
        if target in world:
            assertRedirects(
                response,
                reverse("exporters:detail", args=[world[target].pk]),
                fetch_redirect_response=False,
            )
        else:
            assertRedirects(response, reverse(target), fetch_redirect_response=False)
    else:
        assert response.status_code == expected, (role, page, response.status_code)


# role -> status of POST verify / reject on the pending organisation.
ACTIONS = {"anonymous": "login", "ministry": 302, "*": 403}


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_verify_and_reject_with_every_role(as_role, world, action, role):
    pending = world["pending"]
    url = reverse(f"exporters:{action}", args=[pending.pk])
    response = as_role(role).post(url, {"reason": "Company not found in OSS."})
    expected = ACTIONS.get(role, ACTIONS["*"])
    pending.refresh_from_db()
    if expected == "login":
        assert login_redirect(response, url)
    else:
        assert response.status_code == expected
    assert pending.status == (
        {"verify": "verified", "reject": "rejected"}[action] if role == "ministry" else "pending"
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_writes_on_a_verified_organisation_with_every_role(as_role, world, role):
    """Edit, logo, invite and remove: the organisation's admin and ministry staff only."""
    crab = world["crab"]
    client = as_role(role)
    colleague = MembershipFactory(organisation=crab, is_admin=False)
    allowed = role in ("ministry", "verified_exporter")
    responses = [
        client.post(
            reverse("exporters:edit", args=[crab.pk]),
            {"legal_name": "PT Diubah", "kind": "exporter", "country": "ID", "province": "74"},
        ),
        client.post(reverse("exporters:logo", args=[crab.pk]), {"logo": png_upload()}),
        client.post(
            reverse("exporters:members", args=[crab.pk]),
            {"email": f"{role}@new.example.id", "language": "en"},
        ),
        client.post(reverse("exporters:member_remove", args=[crab.pk, colleague.pk])),
    ]
    for response in responses:
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
        elif allowed:
            assert response.status_code == 302, response.content.decode()[:2000]
        else:
            assert response.status_code == 403
    crab.refresh_from_db()
    assert (crab.legal_name == "PT Diubah") is allowed
    assert bool(crab.logo) is allowed
    assert User.objects.filter(email=f"{role}@new.example.id").exists() is allowed
    assert Membership.objects.filter(pk=colleague.pk).exists() is not allowed


# --- The directory ---------------------------------------------------------------------------


def listed(response) -> list[str]:
    return sorted(o.legal_name for o in response.context["page"])


CRAB, HK, JP = (
    "PT Kepiting Sultra",
    "Harbour Fresh Seafood Trading Ltd",
    "Yamato Natural Foods K.K.",
)


@pytest.mark.parametrize(
    "role, expected",
    [
        ("ministry", [CRAB, HK, JP]),
        ("officer_sulteng", [CRAB, HK]),
        ("operator", [CRAB, HK]),
        ("exporter", [CRAB, HK]),
        ("verified_exporter", [CRAB, HK]),
        ("unverified_exporter", [CRAB, HK, JP]),
    ],
)
def test_directory_lists_verified_organisations_and_ones_own(as_role, world, role, expected):
    response = as_role(role).get(reverse("exporters:directory"))
    assert listed(response) == sorted(expected)
    assertContains(response, "Verified")
    if role == "ministry":
        assertContains(response, reverse("exporters:pending"))
    else:
        assertNotContains(response, reverse("exporters:pending"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("hs=03", [CRAB, HK]),
        ("hs=0306.33", [CRAB, HK]),
        ("hs=1106", [JP]),
        ("market=SG", [HK]),
        ("province=74", [CRAB]),
        ("kind=buyer", [HK, JP]),
        ("service=logistics", [HK]),
        ("status=pending", [JP]),
        ("q=kepiting", [CRAB]),
        ("kind=nonsense&market=XX&province=99&hs=abc", [CRAB, HK, JP]),  # invalid: ignored
    ],
)
def test_directory_filters(as_role, world, query, expected):
    response = as_role("ministry").get(f"{reverse('exporters:directory')}?{query}")
    assert response.status_code == 200
    assert listed(response) == sorted(expected)


def test_status_filter_is_for_ministry_staff_only(as_role, world):
    response = as_role("verified_exporter").get(f"{reverse('exporters:directory')}?status=pending")
    assert "status" not in response.context["filters"].fields
    assert listed(response) == sorted([CRAB, HK])


def test_directory_pages(as_role, world):
    for n in range(30):
        OrganisationFactory(legal_name=f"PT Halaman {n:02d}", verified=True)
    client = as_role("ministry")
    first = client.get(f"{reverse('exporters:directory')}?kind=exporter")
    assert len(first.context["page"]) == views.PAGE_SIZE
    assertContains(first, "?kind=exporter&amp;page=2")
    second = client.get(f"{reverse('exporters:directory')}?kind=exporter&page=2")
    assert len(second.context["page"]) == 31 - views.PAGE_SIZE


# --- Profiles --------------------------------------------------------------------------------

CONTACT = "buying@harbourfresh.example.hk"


@pytest.mark.parametrize(
    "role, sees",
    [
        ("ministry", True),
        ("second_exporter", True),  # a member
        ("verified_exporter", True),  # a verified exporter
        ("unverified_exporter", False),
        ("exporter", False),  # in no organisation
        ("officer_sultra", False),
        ("operator", False),
    ],
)
def test_contact_details_only_for_ministry_members_and_verified_exporters(
    as_role, world, role, sees
):
    response = as_role(role).get(reverse("exporters:detail", args=[world["hk"].pk]))
    assert response.status_code == 200
    for detail in (CONTACT, "+852 2555 0188", "Jl. Pelabuhan No. 1"):
        assert (detail in response.content.decode()) is sees, detail
    assertContains(response, "Harbour Fresh Seafood Trading Ltd")
    assertContains(response, "0306")  # sourcing preferences are public


def test_profile_shows_sourcing_preferences_and_verification(as_role, world, ministry):
    from exporters import services

    crab = world["crab"]
    services.update_organisation(
        actor=ministry,
        organisation=crab,
        data={
            "languages": ["id", "zh"],
            "required_certificates": ["health-fish"],
            "incoterms": ["FOB"],
            "min_order_kg": 1500,
        },
        preferences={"preferred_gateways": ["KDI"], "preferred_provinces": ["72"]},
    )
    Organisation.objects.filter(pk=crab.pk).update(verified_by=ministry)
    response = as_role("second_exporter").get(reverse("exporters:detail", args=[crab.pk]))
    for text in (
        "0306.33",
        "Hong Kong",
        "Fish health certificate (KI-1)",
        "Haluoleo Airport (Kendari)",
        "Sulawesi Tengah",
        "FOB",
        "1,500 kg",
        "Chinese",
        "Verified by ministry staff on",
    ):
        assertContains(response, text)
    assertNotContains(response, ministry.get_full_name())  # the verifier: ministry staff only
    assertNotContains(response, "9120202677410")  # NIB: ministry staff and members only
    assertNotContains(response, 'id="history"')
    ministry_view = as_role("ministry").get(reverse("exporters:detail", args=[crab.pk]))
    assertContains(ministry_view, f"Verified by {ministry.get_full_name()}")
    assertContains(ministry_view, "9120202677410")
    assertContains(ministry_view, "02.456.789.1-811.000")
    assertContains(ministry_view, 'id="history"')
    assertContains(ministry_view, "Profile changed")


def test_members_see_history_and_pending_notice(as_role, world, crab_colleague):
    admin = as_role("unverified_exporter").get(
        reverse("exporters:detail", args=[world["pending"].pk])
    )
    assertContains(admin, "awaits verification by ministry staff")
    assertContains(admin, 'id="history"')
    assertContains(admin, reverse("exporters:edit", args=[world["pending"].pk]))


def test_a_non_admin_member_sees_members_but_no_edit_or_history(client, world, crab_colleague):
    client.force_login(crab_colleague)
    response = client.get(reverse("exporters:detail", args=[world["crab"].pk]))
    assertNotContains(response, reverse("exporters:edit", args=[world["crab"].pk]))
    assertNotContains(response, 'id="history"')
    members = client.get(reverse("exporters:members", args=[world["crab"].pk]))
    assert members.status_code == 200
    assertNotContains(members, 'id="invite"')
    assert client.get(reverse("exporters:edit", args=[world["crab"].pk])).status_code == 403


def test_rejected_organisation_shows_its_reason_to_members(as_role, world, ministry):
    from exporters import services

    services.reject(actor=ministry, organisation=world["pending"], reason="Unknown company.")
    response = as_role("unverified_exporter").get(
        reverse("exporters:detail", args=[world["pending"].pk])
    )
    assertContains(response, "Unknown company.")


def test_page_panels_are_shown_and_a_failing_one_is_left_out(as_role, world, monkeypatch):
    def buyers(request, organisation):
        return format_html(
            '<section class="panel" id="matches">{}</section>', organisation.legal_name
        )

    def broken(request, organisation):
        raise RuntimeError("boom")

    monkeypatch.setattr(panels, "EXPORTER_PAGE_PANELS", [broken, buyers, lambda r, o: "<b>x</b>"])
    response = as_role("verified_exporter").get(reverse("exporters:detail", args=[world["hk"].pk]))
    assertContains(response, '<section class="panel" id="matches">Harbour Fresh')
    assertContains(response, "&lt;b&gt;x&lt;/b&gt;")


# --- Editing ---------------------------------------------------------------------------------


def edit_data(**overrides) -> dict:
    data = {
        "legal_name": "PT Kepiting Sultra",
        "kind": "exporter",
        "country": "ID",
        "province": "74",
        "nib": "9120 2026 7741 0",
        "npwp": "02.456.789.1-811.000",
        "contact_email": "ekspor@kepiting.example.id",
        "languages": ["id", "en"],
        "hs_interests": "0306.33, 1605.10",
        "destination_markets": ["HK", "SG", "CN"],
        "min_order_kg": "1.500,5",
        "required_certificates": ["health-fish", "coo-form-ahk"],
        "preferred_provinces": ["74"],
        "preferred_gateways": ["KDI", "UPG"],
        "incoterms": ["FOB", "CIF"],
    }
    data.update(overrides)
    return data


def test_the_edit_form_shows_the_current_values(as_role, world):
    response = as_role("verified_exporter").get(reverse("exporters:edit", args=[world["crab"].pk]))
    assertContains(response, 'value="0306.33"')
    assertContains(response, "data-hs-multi")
    assertContains(response, 'value="health-fish"')  # certificate checkboxes from reference
    assertContains(response, 'value="DDP"')  # Incoterm checkboxes


def test_an_admin_saves_profile_and_preferences(as_role, world, django_capture_on_commit_callbacks):
    crab = world["crab"]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("verified_exporter").post(
            reverse("exporters:edit", args=[crab.pk]), edit_data()
        )
    assertRedirects(response, reverse("exporters:detail", args=[crab.pk]))
    crab.refresh_from_db()
    assert sorted(crab.hs_interests.values_list("code", flat=True)) == ["030633", "160510"]
    assert sorted(crab.destination_markets.values_list("code", flat=True)) == ["CN", "HK", "SG"]
    assert str(crab.min_order_kg) == "1500.500"
    assert crab.required_certificates == ["coo-form-ahk", "health-fish"]
    assert crab.incoterms == ["CIF", "FOB"]
    assert crab.version == 2


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nib": "12345"}, "nib", "An NIB has 13 digits."),
        ({"npwp": "0124"}, "npwp", "An NPWP has 15 digits"),
        ({"province": ""}, "province", "An Indonesian company names its province."),
        ({"hs_interests": "0306, 0399"}, "hs_interests", "There is no HS code 0399."),
        ({"hs_interests": "030"}, "hs_interests", "An HS code has 2, 4 or 6 digits"),
        ({"required_certificates": ["iso-xyz"]}, "required_certificates", "Select a valid choice"),
        ({"incoterms": ["DAT"]}, "incoterms", "Select a valid choice"),
        ({"min_order_kg": "-5"}, "min_order_kg", "greater than or equal to 0"),
        ({"website": "not a url"}, "website", "Enter a valid URL."),
    ],
)
def test_invalid_edits_answer_400_with_the_message_on_the_field(
    as_role, world, overrides, field, message
):
    crab = world["crab"]
    response = as_role("verified_exporter").post(
        reverse("exporters:edit", args=[crab.pk]), edit_data(**overrides)
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assertContains(response, message[:20], status_code=400)
    crab.refresh_from_db()
    assert crab.version == 1


def test_a_service_error_lands_on_its_field(as_role, world, monkeypatch):
    from django.core.exceptions import ValidationError

    from exporters import services

    def refuse(**kwargs):
        raise ValidationError({"required_certificates": "Unknown certificate type: x"})

    monkeypatch.setattr(services, "update_organisation", refuse)
    response = as_role("ministry").post(
        reverse("exporters:edit", args=[world["crab"].pk]), edit_data()
    )
    assert response.status_code == 400
    assert response.context["form"].errors["required_certificates"] == [
        "Unknown certificate type: x"
    ]


def test_logo_upload(as_role, world):
    crab = world["crab"]
    client = as_role("verified_exporter")
    bad = client.post(reverse("exporters:logo", args=[crab.pk]), {"logo": fake_image_upload()})
    assertContains(bad, "This file is not a JPEG, PNG or WebP image.", status_code=400)
    good = client.post(reverse("exporters:logo", args=[crab.pk]), {"logo": png_upload()})
    assertRedirects(good, reverse("exporters:detail", args=[crab.pk]))
    crab.refresh_from_db()
    assertContains(client.get(reverse("exporters:detail", args=[crab.pk])), crab.logo.url)


# --- Members ---------------------------------------------------------------------------------


def test_invite_a_colleague_by_email(
    as_role, world, mailoutbox, django_capture_on_commit_callbacks
):
    crab = world["crab"]
    client = as_role("verified_exporter")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exporters:members", args=[crab.pk]),
            {"email": "staf@kepiting.example.id", "first_name": "Wa Ode", "language": "en"},
        )
    assertRedirects(response, reverse("exporters:members", args=[crab.pk]))
    assert [m.to for m in mailoutbox] == [["staf@kepiting.example.id"]]
    assert resolve(link_in(mailoutbox[0].body)).view_name == "password_reset_confirm"
    page = client.get(reverse("exporters:members", args=[crab.pk]))
    assertContains(page, "staf@kepiting.example.id")
    assertContains(page, "Invitation sent")
    again = client.post(
        reverse("exporters:members", args=[crab.pk]),
        {"email": "STAF@kepiting.example.id", "language": "en"},
    )
    assertContains(again, "An account with this email already exists.", status_code=400)


def test_the_last_admin_cannot_be_removed(as_role, world, verified_exporter):
    crab = world["crab"]
    response = as_role("verified_exporter").post(
        reverse("exporters:member_remove", args=[crab.pk, verified_exporter.membership.pk])
    )
    assertContains(response, "An organisation keeps at least one admin.", status_code=400)
    assert Membership.objects.filter(user=verified_exporter).exists()


def test_a_member_of_another_organisation_is_not_found(as_role, world, second_exporter):
    crab = world["crab"]
    response = as_role("verified_exporter").post(
        reverse("exporters:member_remove", args=[crab.pk, second_exporter.membership.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(user=second_exporter).exists()


# --- Verification ----------------------------------------------------------------------------


def test_verification_queue_and_verify(
    as_role, world, unverified_exporter, mailoutbox, django_capture_on_commit_callbacks
):
    client = as_role("ministry")
    queue = client.get(reverse("exporters:pending"))
    assertContains(queue, JP)
    assertNotContains(queue, CRAB)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exporters:verify", args=[world["pending"].pk]))
    assertRedirects(response, reverse("exporters:detail", args=[world["pending"].pk]))
    unverified_exporter.refresh_from_db()
    assert unverified_exporter.organisation_verified
    assert [m.to for m in mailoutbox] == [[unverified_exporter.email]]
    assertNotContains(client.get(reverse("exporters:pending")), JP)


def test_rejection_needs_a_reason(as_role, world):
    pending = world["pending"]
    response = as_role("ministry").post(
        reverse("exporters:reject", args=[pending.pk]), {"reason": " "}
    )
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"] == [
        "Say why the organisation is rejected."
    ]
    assertContains(response, "Say why the organisation is rejected.", status_code=400)
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_verify_needs_post(as_role, world):
    response = as_role("ministry").get(reverse("exporters:verify", args=[world["pending"].pk]))
    assert response.status_code == 405


# --- Registration ----------------------------------------------------------------------------


def registration_data(**overrides) -> dict:
    data = {
        "username": "yamato",
        "email": "Sourcing@Yamato.example.jp",
        "password1": "tepung-pisang-2026",
        "password2": "tepung-pisang-2026",
        "name": "Haruka Sato",
        "language": "en",
        "legal_name": "Yamato Natural Foods K.K.",
        "kind": "buyer",
        "country": "JP",
        "website": "yamato.example.jp",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def test_registration_confirmation_and_verification_flow(
    client, ministry, mailoutbox, django_capture_on_commit_callbacks
):
    form = client.get(reverse("exporters:register"))
    assertContains(form, reverse("exporters:privacy"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exporters:register"), registration_data())
    assertRedirects(response, reverse("exporters:register_done"))
    assertContains(client.get(response["Location"]), "sourcing@yamato.example.jp")
    user = User.objects.get(username="yamato")
    assert not user.is_active
    assert user.first_name == "Haruka Sato"
    organisation = user.membership.organisation
    assert organisation.status == "pending"
    assert organisation.contact_email == "sourcing@yamato.example.jp"
    assert organisation.contact_name == "Haruka Sato"
    assert organisation.website == "https://yamato.example.jp"
    assert not client.login(username="yamato", password="tepung-pisang-2026")

    (mail,) = mailoutbox
    assert mail.to == ["sourcing@yamato.example.jp"]
    link = link_in(mail.body)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(link)
    assertContains(confirmed, "Email confirmed")
    assertContains(confirmed, "awaiting verification")
    user.refresh_from_db()
    assert user.is_active
    assert [m.to for m in mailoutbox[1:]] == [[ministry.email]]
    assert client.login(username="yamato", password="tepung-pisang-2026")

    again = client.get(link)
    assertContains(again, "This link does not work", status_code=400)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"privacy_consent": ""}, "privacy_consent", "Please accept the privacy notice."),
        ({"password2": "something-else-1"}, "password2", "The two passwords differ."),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        (
            {"password1": "yamato-1", "password2": "yamato-1"},
            "password1",
            "too similar",
        ),
        ({"username": "T-EKSPORTIR"}, "username", "This username is taken."),
        (
            {"email": "t-eksportir@example.id"},
            "email",
            "An account with this email already exists.",
        ),
        ({"username": "bad name!"}, "username", "Enter a valid username."),
        ({"country": "ID"}, "province", "An Indonesian company names its province."),
        ({"country": "ID", "province": "74", "nib": "123"}, "nib", "An NIB has 13 digits."),
    ],
)
def test_registration_errors(client, exporter, overrides, field, message):
    response = client.post(reverse("exporters:register"), registration_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field]), response.context[
        "form"
    ].errors
    assert not Organisation.objects.exists()


def test_signed_in_users_do_not_register(as_role, world):
    client = as_role("exporter")
    page = client.get(reverse("exporters:register"))
    assertContains(page, "belongs to no organisation")
    assert client.post(reverse("exporters:register"), registration_data()).status_code == 403


def test_a_member_signed_in_is_pointed_to_its_organisation(as_role, world):
    page = as_role("second_exporter").get(reverse("exporters:register"))
    assertContains(page, "a member of Harbour Fresh Seafood Trading Ltd")
    assertContains(page, reverse("exporters:detail", args=[world["hk"].pk]))
