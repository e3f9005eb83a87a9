"""Account pages: who may open them, the invitation and account forms, login and passwords."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from bumdes_export.accounts.models import AccountChange, Role, User
from bumdes_export.core.models import BackgroundJob
from tests.accounts.conftest import link_path_in
from tests.conftest import ROLES
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kopi-Toraja-2025!"


@pytest.fixture(autouse=True)
def english(client):
    """Read the pages in English (the language switcher's cookie), whatever users prefer."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def target(regions):
    """An account for ministry staff to look at and change."""
    return UserFactory(username="t-target", first_name="Rina", last_name="Wati")


# --- Ministry-only pages ----------------------------------------------------------------------

MINISTRY_PAGES = [
    ("get", "/accounts/"),
    ("get", "/accounts/invite/"),
    ("get", "/accounts/{pk}/"),
    ("post", "/accounts/{pk}/active/"),
    ("post", "/accounts/{pk}/resend/"),
    ("get", "/reference/retired/"),
    ("post", "/reference/reload/"),
]


@pytest.mark.parametrize("method, url", MINISTRY_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_ministry_pages_are_for_ministry_staff_only(as_role, target, role, method, url):
    url = url.format(pk=target.pk)
    client = as_role(role)
    response = getattr(client, method)(url, {"active": "0"} if method == "post" else {})

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == f"/login/?next={url}"
    elif role == "ministry":
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403

    target.refresh_from_db()
    if role != "ministry":
        # A refused request changes nothing.
        assert target.is_active
        assert not AccountChange.objects.exists()
        assert not BackgroundJob.objects.exists()


def test_ministry_pages_answer_404_for_unknown_accounts(as_role):
    client = as_role("ministry")
    assert client.get("/accounts/999999/").status_code == 404
    assert client.post("/accounts/999999/active/", {"active": "0"}).status_code == 404


def test_non_ministry_users_get_403_even_for_unknown_accounts(as_role):
    # The answer must not reveal which account numbers exist.
    assert as_role("officer_sultra").get("/accounts/999999/").status_code == 403


def test_activation_endpoint_accepts_only_post(as_role, target):
    assert as_role("ministry").get(f"/accounts/{target.pk}/active/").status_code == 405


def test_account_list_searches_and_filters_by_role(as_role, officer_sultra, officer_konawe):
    client = as_role("ministry")
    page = client.get("/accounts/", {"q": "konawe"})
    assertContains(page, "t-konawe")
    assertNotContains(page, "t-sultra")

    page = client.get("/accounts/", {"role": "officer"})
    assertContains(page, "t-konawe")
    assertContains(page, "t-sultra")
    assertNotContains(page, "t-kemendes")

    page = client.get("/accounts/", {"role": "wizard"})  # unknown roles are ignored
    assertContains(page, "t-kemendes")


def test_ministry_home_links_to_account_management_and_others_do_not(as_role):
    assertContains(as_role("ministry").get("/"), 'href="/accounts/"')


@pytest.mark.parametrize("role", [r for r in ROLES if r != "ministry"])
def test_home_hides_account_management_from_non_ministry_roles(as_role, role):
    assertNotContains(as_role(role).get("/"), 'href="/accounts/"')


# --- Invitation form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"email": "not-an-email", "role": "exporter", "language": "id"},
            "email",
            "Enter a valid email address.",
        ),
        (
            {"email": "new@example.id", "role": "officer", "language": "id"},
            "region",
            "A regional officer needs a region scope.",
        ),
        (
            {"email": "new@example.id", "role": "officer", "region": "74.02.05", "language": "id"},
            "region",
            "Select a valid choice.",
        ),
        (
            {"email": "t-sultra@example.id", "role": "exporter", "language": "id"},
            "email",
            "An account with this email already exists.",
        ),
        (
            {"email": "new@example.id", "role": "wizard", "language": "id"},
            "role",
            "Select a valid choice.",
        ),
    ],
    ids=["invalid-email", "officer-without-region", "district-region", "duplicate", "bad-role"],
)
def test_invite_form_shows_field_errors_and_creates_nothing(
    as_role, officer_sultra, mailoutbox, django_capture_on_commit_callbacks, data, field, message
):
    client = as_role("ministry")
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/invite/", data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assertContains(response, message, status_code=400)
    assertContains(response, 'class="field has-error"', status_code=400)
    assert User.objects.count() == users_before
    assert not AccountChange.objects.exists()
    assert mailoutbox == []


def test_invite_form_creates_the_account_and_sends_the_invitation(
    as_role, ministry, mailoutbox, django_capture_on_commit_callbacks
):
    client = as_role("ministry")
    data = {
        "email": "andi@kendarikota.go.id",
        "first_name": "Andi",
        "last_name": "Saputra",
        "role": "officer",
        "region": "74.71",
        "language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/invite/", data)

    user = User.objects.get(email="andi@kendarikota.go.id")
    assert response.status_code == 302
    assert response.url == f"/accounts/{user.pk}/"
    assert user.role == Role.OFFICER and user.region_id == "74.71" and user.language == "en"
    assert AccountChange.objects.get(target=user).actor == ministry
    assert [m.to for m in mailoutbox] == [["andi@kendarikota.go.id"]]

    detail = client.get(response.url)
    assertContains(detail, "Invitation sent to andi@kendarikota.go.id.")
    assertContains(detail, "Invited")


def test_invite_form_offers_only_current_provinces_and_regencies(as_role):
    response = as_role("ministry").get("/accounts/invite/")
    choices = {str(value) for value, _ in response.context["form"].fields["region"].choices}
    assert {"72", "74", "74.02", "74.71"} <= choices
    assert "74.02.05" not in choices


# --- Account detail -------------------------------------------------------------------------


def test_ministry_changes_role_and_scope_on_the_account_page_and_sees_the_history(
    as_role, ministry, target
):
    client = as_role("ministry")
    response = client.post(f"/accounts/{target.pk}/", {"role": "officer", "region": "74.02"})
    assert response.status_code == 302
    assert response.url == f"/accounts/{target.pk}/"

    target.refresh_from_db()
    assert target.role == Role.OFFICER and target.region_id == "74.02"

    page = client.get(response.url)
    assertContains(page, "Account updated.")
    assertContains(page, "Role changed")
    assertContains(page, "Region scope changed")
    assertContains(page, "to: 74.02")
    assertContains(page, "t-kemendes")  # the actor


def test_account_page_rejects_an_officer_without_region(as_role, target):
    response = as_role("ministry").post(f"/accounts/{target.pk}/", {"role": "officer"})
    assertContains(response, "A regional officer needs a region scope.", status_code=400)
    target.refresh_from_db()
    assert target.role == Role.EXPORTER


def test_ministry_cannot_change_their_own_role_on_the_account_page(as_role, ministry):
    response = as_role("ministry").post(f"/accounts/{ministry.pk}/", {"role": "exporter"})
    assertContains(response, "You cannot change your own role.", status_code=400)
    ministry.refresh_from_db()
    assert ministry.role == Role.MINISTRY


def test_account_page_without_history_says_so(as_role, target):
    assertContains(as_role("ministry").get(f"/accounts/{target.pk}/"), "No changes recorded.")


def test_ministry_deactivates_and_reactivates_an_account(as_role, target):
    client = as_role("ministry")
    response = client.post(f"/accounts/{target.pk}/active/", {"active": "0", "reason": "left"})
    assert response.status_code == 302 and response.url == f"/accounts/{target.pk}/"
    target.refresh_from_db()
    assert not target.is_active
    page = client.get(response.url)
    assertContains(page, "Account deactivated.")
    assertContains(page, "reason: left")

    client.post(f"/accounts/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    assertContains(client.get(f"/accounts/{target.pk}/"), "Reactivated")


def test_ministry_cannot_deactivate_their_own_account_on_the_page(as_role, ministry):
    client = as_role("ministry")
    response = client.post(f"/accounts/{ministry.pk}/active/", {"active": "0"}, follow=True)
    assertContains(response, "You cannot deactivate your own account.")
    ministry.refresh_from_db()
    assert ministry.is_active


def test_account_page_offers_deactivation_for_others_but_not_for_oneself(as_role, ministry, target):
    client = as_role("ministry")
    assertContains(client.get(f"/accounts/{target.pk}/"), "Deactivate account")
    assertNotContains(client.get(f"/accounts/{ministry.pk}/"), "Deactivate account")


# --- Home page, profile ---------------------------------------------------------------------

HOME_TEXT = {
    "anonymous": "Exporters and buyers",
    "ministry": "You curate the village product lists",
    "officer_sultra": "You register BUMDes and their products for Sulawesi Tenggara (74).",
    "officer_sulteng": "You register BUMDes and their products for Sulawesi Tengah (72).",
    "officer_konawe": "You register BUMDes and their products for Kabupaten Konawe (74.02).",
    "exporter": "You browse export-ready village products",
    "operator": "You keep your BUMDes and its products up to date.",
}


@pytest.mark.parametrize("role", ROLES)
def test_home_page_speaks_to_each_role(as_role, role):
    response = as_role(role).get("/")
    assert response.status_code == 200
    assertContains(response, HOME_TEXT[role])
    for other, text in HOME_TEXT.items():
        if other != role and not (role.startswith("officer") and other.startswith("officer")):
            assertNotContains(response, text)
    if role == "anonymous":
        assertContains(response, 'href="/login/"')
    else:
        assertContains(response, "Welcome, Test Person")


@pytest.mark.parametrize("role", ROLES)
def test_my_account_page_requires_login_and_shows_role(as_role, request, role):
    response = as_role(role).get("/accounts/me/")
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == "/login/?next=/accounts/me/"
        return
    user = request.getfixturevalue(role)
    assert response.status_code == 200
    assertContains(response, user.get_role_display())
    assertContains(response, user.email)
    if user.region_id:
        assertContains(response, f"{user.region_id} {user.region.name}")


# --- Login and logout -----------------------------------------------------------------------


def test_login_page_logs_in_and_goes_home(client, exporter):
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "t-eksportir", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/accounts/me/").status_code == 200


def test_login_returns_to_the_page_asked_for(client, ministry):
    response = client.post(
        "/login/?next=/accounts/",
        {"username": "t-kemendes", "password": PASSWORD, "next": "/accounts/"},
    )
    assert response.status_code == 302 and response.url == "/accounts/"


def test_login_does_not_redirect_to_other_sites(client, ministry):
    response = client.post(
        "/login/", {"username": "t-kemendes", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


def test_login_with_a_wrong_password_shows_an_error(client, exporter):
    response = client.post("/login/", {"username": "t-eksportir", "password": "wrong"})
    assertContains(response, "Please enter a correct username and password")
    assert client.get("/accounts/me/").status_code == 302


def test_deactivated_users_cannot_log_in(client, exporter):
    exporter.is_active = False
    exporter.save()
    response = client.post("/login/", {"username": "t-eksportir", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/accounts/me/").status_code == 302


def test_a_logged_in_user_visiting_the_login_page_goes_home(as_role):
    response = as_role("exporter").get("/login/")
    assert response.status_code == 302 and response.url == "/"


def test_logout_by_post_ends_the_session(as_role):
    client = as_role("exporter")
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/accounts/me/").status_code == 302


def test_logout_by_get_is_refused(as_role):
    client = as_role("exporter")
    assert client.get("/logout/").status_code == 405
    assert client.get("/accounts/me/").status_code == 200


# --- Passwords ------------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get("/password_change/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/password_change/"


def test_password_change_with_the_old_password(as_role, exporter):
    client = as_role("exporter")
    assert client.get("/password_change/").status_code == 200
    response = client.post(
        "/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/password_change/done/"
    exporter.refresh_from_db()
    assert exporter.check_password(NEW_PASSWORD)
    assert client.get("/accounts/me/").status_code == 200  # still logged in


def test_password_change_with_a_wrong_old_password_is_refused(as_role, exporter):
    response = as_role("exporter").post(
        "/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    exporter.refresh_from_db()
    assert exporter.check_password(PASSWORD)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, exporter, mailoutbox):
    assert client.get("/password_reset/").status_code == 200
    response = client.post("/password_reset/", {"email": "t-eksportir@example.id"})
    assert response.status_code == 302 and response.url == "/password_reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["t-eksportir@example.id"]
    assert "t-eksportir" in mailoutbox[0].body

    form_page = client.get(link_path_in(mailoutbox[0].body), follow=True)
    assert "new_password1" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.login(username="t-eksportir", password=NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_looks_the_same_but_sends_nothing(client, mailoutbox):
    response = client.post("/password_reset/", {"email": "nobody@example.id"})
    assert response.status_code == 302 and response.url == "/password_reset/done/"
    assert mailoutbox == []


# --- Language ----------------------------------------------------------------------------


@pytest.fixture
def no_language_cookie(client, settings):
    settings.LANGUAGE_CODE = "id"
    del client.cookies["django_language"]
    return client


def test_pages_are_in_indonesian_by_default(no_language_cookie):
    response = no_language_cookie.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assertContains(response, '<html lang="id">')


def test_language_cookie_switches_pages_to_english(no_language_cookie):
    no_language_cookie.cookies["django_language"] = "en"
    assertContains(no_language_cookie.get("/"), '<html lang="en">')


def test_language_switcher_sets_the_language_for_later_pages(no_language_cookie):
    response = no_language_cookie.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assertContains(no_language_cookie.get("/"), '<html lang="en">')


def test_signed_in_user_reads_pages_in_their_preferred_language(no_language_cookie, exporter):
    exporter.language = "en"
    exporter.save()
    no_language_cookie.force_login(exporter)
    assertContains(no_language_cookie.get("/"), '<html lang="en">')


def test_language_switcher_beats_the_users_preference(no_language_cookie, exporter):
    exporter.language = "en"
    exporter.save()
    no_language_cookie.force_login(exporter)
    no_language_cookie.cookies["django_language"] = "id"
    assertContains(no_language_cookie.get("/"), '<html lang="id">')


def test_an_unconfirmed_account_is_told_to_confirm_its_email(client, exporter):
    exporter.is_active = False
    exporter.save()
    response = client.post("/login/", {"username": exporter.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "confirm your email" in response.content.decode()
    wrong = client.post("/login/", {"username": exporter.username, "password": "nope-nope"})
    assert "confirm your email" not in wrong.content.decode()
