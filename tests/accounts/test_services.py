"""Account services: invitations, role and scope changes, deactivation. Every change is recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bumdes_export.accounts import services
from bumdes_export.accounts.models import AccountChange, Role, User
from bumdes_export.notifications.models import Notification
from bumdes_export.reference.models import Region
from tests.accounts.conftest import link_path_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kopi-Toraja-2025!"


@pytest.fixture
def invite(ministry, django_capture_on_commit_callbacks):
    """Invite someone as the ministry user, running the after-commit email."""

    def make(**kwargs):
        kwargs.setdefault("email", "siti.rahma@sultra.go.id")
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite_user(actor=ministry, **kwargs)

    return make


def region(code: str) -> Region:
    return Region.objects.get(code=code)


# --- Invitations ----------------------------------------------------------------------------


def test_invitation_creates_an_account_named_by_email_without_a_usable_password(invite):
    user = invite(
        email="  Siti.Rahma@Sultra.go.id ",
        first_name=" Siti ",
        last_name="Rahma",
        region=region("74.02"),
        language="en",
    )
    user.refresh_from_db()
    assert user.username == user.email == "siti.rahma@sultra.go.id"
    assert (user.first_name, user.last_name) == ("Siti", "Rahma")
    assert user.role == Role.OFFICER and user.region_id == "74.02"
    assert user.language == "en"
    assert user.is_active
    assert not user.has_usable_password()


def test_invitation_is_recorded_with_the_inviting_actor(invite, ministry):
    user = invite(region=region("74"))
    change = AccountChange.objects.get(target=user)
    assert change.action == AccountChange.Action.INVITED
    assert change.actor == ministry
    assert change.detail == {"role": "officer", "region": "74"}


def test_invitation_email_carries_a_working_set_password_link(invite, client, mailoutbox):
    user = invite(region=region("74.02"), first_name="Siti", language="en")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["siti.rahma@sultra.go.id"]
    assert mail.subject == "You are invited to the BUMDes Export Portal"
    assert "74.02 Kabupaten Konawe" in mail.body
    notification = Notification.objects.get(recipient=user, kind="account.invited")
    assert notification.sent_at is not None

    path = link_path_in(mail.body)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]

    saved = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302

    login = client.post("/login/", {"username": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302 and login.url == "/"
    assert client.get("/accounts/me/").status_code == 200

    # The link works once only.
    client.post("/logout/")
    again = client.get(path, follow=True)
    assert "new_password1" not in again.content.decode()
    assert "invalid" in again.content.decode()


def test_nothing_is_emailed_when_the_invitation_is_not_committed(ministry, mailoutbox):
    # No on-commit capture: the test transaction never commits, so no email may leave.
    services.invite_user(actor=ministry, email="nobody@example.id", region=region("74"))
    assert mailoutbox == []


@pytest.mark.parametrize("email", ["t-sultra@example.id", "T-Sultra@Example.ID"])
def test_invitation_to_an_existing_email_is_rejected_on_the_email_field(
    invite, officer_sultra, mailoutbox, email
):
    before = User.objects.count()
    with pytest.raises(ValidationError) as error:
        invite(email=email, region=region("74"))
    assert "email" in error.value.message_dict
    assert User.objects.count() == before
    assert not AccountChange.objects.exists()
    assert mailoutbox == []


def test_officer_invitation_without_a_region_is_rejected(invite, mailoutbox):
    with pytest.raises(ValidationError) as error:
        invite(role=Role.OFFICER, region=None)
    assert "region" in error.value.message_dict
    assert not User.objects.filter(email="siti.rahma@sultra.go.id").exists()
    assert mailoutbox == []


@pytest.mark.parametrize("level", [Region.Level.DISTRICT, Region.Level.VILLAGE])
def test_officer_scope_below_regency_level_is_rejected(invite, level):
    below = Region.objects.filter(code__startswith="74.02.", level=level).first()
    assert below is not None
    with pytest.raises(ValidationError) as error:
        invite(role=Role.OFFICER, region=below)
    assert "region" in error.value.message_dict
    assert not User.objects.filter(email="siti.rahma@sultra.go.id").exists()


def test_officer_scope_on_a_retired_region_is_rejected(invite):
    retired = region("74.12")
    retired.retired_at = timezone.now()
    retired.save()
    with pytest.raises(ValidationError) as error:
        invite(role=Role.OFFICER, region=retired)
    assert "region" in error.value.message_dict
    assert not User.objects.filter(email="siti.rahma@sultra.go.id").exists()


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.EXPORTER, Role.OPERATOR])
def test_region_is_ignored_for_roles_other_than_officer(invite, role):
    user = invite(role=role, region=region("74.02.05"))
    assert user.role == role
    assert user.region is None
    assert AccountChange.objects.get(target=user).detail == {"role": role, "region": None}


# --- Role and scope changes -----------------------------------------------------------------


def test_changing_role_and_scope_records_both_changes_and_notifies(
    ministry, exporter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_role_and_scope(
            actor=ministry, user=exporter, role=Role.OFFICER, region=region("74.02")
        )
    exporter.refresh_from_db()
    assert exporter.role == Role.OFFICER and exporter.region_id == "74.02"

    changes = {c.action: c for c in AccountChange.objects.filter(target=exporter)}
    assert set(changes) == {AccountChange.Action.ROLE_CHANGED, AccountChange.Action.SCOPE_CHANGED}
    assert changes["role_changed"].detail == {"from": "exporter", "to": "officer"}
    assert changes["scope_changed"].detail == {"from": None, "to": "74.02"}
    assert all(c.actor == ministry for c in changes.values())

    assert Notification.objects.filter(recipient=exporter, kind="account.scope_changed").exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [exporter.email]
    assert "74.02 Kabupaten Konawe" in mailoutbox[0].body


def test_moving_an_officer_records_only_the_scope_change(ministry, officer_konawe):
    services.change_role_and_scope(
        actor=ministry, user=officer_konawe, role=Role.OFFICER, region=region("74.03")
    )
    change = AccountChange.objects.get(target=officer_konawe)
    assert change.action == AccountChange.Action.SCOPE_CHANGED
    assert change.detail == {"from": "74.02", "to": "74.03"}


def test_an_officer_made_exporter_loses_the_region_scope(ministry, officer_sultra):
    services.change_role_and_scope(
        actor=ministry, user=officer_sultra, role=Role.EXPORTER, region=region("74")
    )
    officer_sultra.refresh_from_db()
    assert officer_sultra.role == Role.EXPORTER and officer_sultra.region is None
    scope_change = AccountChange.objects.get(
        target=officer_sultra, action=AccountChange.Action.SCOPE_CHANGED
    )
    assert scope_change.detail == {"from": "74", "to": None}


def test_saving_the_same_role_and_scope_records_and_notifies_nothing(
    ministry, officer_sultra, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_role_and_scope(
            actor=ministry, user=officer_sultra, role=Role.OFFICER, region=region("74")
        )
    assert not AccountChange.objects.exists()
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_changing_to_officer_needs_a_valid_scope(ministry, exporter):
    for bad in [None, region("74.02.05")]:
        with pytest.raises(ValidationError) as error:
            services.change_role_and_scope(
                actor=ministry, user=exporter, role=Role.OFFICER, region=bad
            )
        assert "region" in error.value.message_dict
    exporter.refresh_from_db()
    assert exporter.role == Role.EXPORTER
    assert not AccountChange.objects.exists()


def test_nobody_can_change_their_own_role(ministry):
    with pytest.raises(ValidationError) as error:
        services.change_role_and_scope(
            actor=ministry, user=ministry, role=Role.EXPORTER, region=None
        )
    assert "role" in error.value.message_dict
    ministry.refresh_from_db()
    assert ministry.role == Role.MINISTRY
    assert not AccountChange.objects.exists()


# --- Deactivation ---------------------------------------------------------------------------


def test_deactivation_is_recorded_with_the_reason(ministry, exporter):
    services.set_active(actor=ministry, user=exporter, active=False, reason="left the company")
    exporter.refresh_from_db()
    assert not exporter.is_active
    change = AccountChange.objects.get(target=exporter)
    assert change.action == AccountChange.Action.DEACTIVATED
    assert change.actor == ministry
    assert change.detail == {"reason": "left the company"}


def test_deactivation_revokes_api_access_at_once(ministry, exporter, api_as):
    api = api_as("exporter")
    assert api.get("/api/v1/me/").status_code == 200

    services.set_active(actor=ministry, user=exporter, active=False)

    assert not Token.objects.filter(user=exporter).exists()
    assert api.get("/api/v1/me/").status_code == 401


def test_deactivated_user_cannot_obtain_a_new_token(ministry, exporter):
    services.set_active(actor=ministry, user=exporter, active=False)
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "t-eksportir", "password": "test-password-123"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_nobody_can_deactivate_their_own_account(ministry):
    with pytest.raises(ValidationError):
        services.set_active(actor=ministry, user=ministry, active=False)
    ministry.refresh_from_db()
    assert ministry.is_active
    assert not AccountChange.objects.exists()


def test_reactivation_is_recorded(ministry, exporter):
    services.set_active(actor=ministry, user=exporter, active=False)
    services.set_active(actor=ministry, user=exporter, active=True)
    exporter.refresh_from_db()
    assert exporter.is_active
    actions = list(
        AccountChange.objects.filter(target=exporter)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["deactivated", "reactivated"]


def test_setting_the_current_state_again_records_nothing(ministry, exporter):
    services.set_active(actor=ministry, user=exporter, active=True)
    assert not AccountChange.objects.exists()


def test_an_invitation_can_be_sent_again_until_it_is_accepted(
    ministry, mailoutbox, django_capture_on_commit_callbacks
):
    from bumdes_export.accounts import services as account_services
    from bumdes_export.accounts.models import AccountChange
    from bumdes_export.reference.models import Region

    with django_capture_on_commit_callbacks(execute=True):
        invited = account_services.invite_user(
            actor=ministry,
            email="lagi@example.id",
            role="officer",
            region=Region.objects.get(code="74"),
            language="en",
        )
        account_services.resend_invitation(actor=ministry, user=invited)
    assert len(mailoutbox) == 2
    assert "/reset/" in mailoutbox[1].body
    assert AccountChange.objects.filter(target=invited, detail__resent=True).count() == 1

    invited.set_password("chosen-password-1")
    invited.save()
    with pytest.raises(ValidationError, match="already chosen"):
        account_services.resend_invitation(actor=ministry, user=invited)
