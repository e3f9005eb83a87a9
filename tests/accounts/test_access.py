"""Who may see what: the region scope that follows from a user's role and region."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bumdes_export.accounts import services
from bumdes_export.accounts.access import (
    can_manage_accounts,
    code_within,
    is_ministry,
    scope_for,
    signed_in,
)
from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import Region
from tests.conftest import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Real Kemendagri codes: Sulawesi Tenggara (74), Kabupaten Konawe (74.02), Kecamatan Sampara
# (74.02.05), Kabupaten Muna (74.03), Kabupaten Konawe Kepulauan (74.12), Sulawesi Tengah (72).
ANYWHERE = ["11", "72", "72.01", "74", "74.02", "74.02.05", "74.02.05.2001", "74.12", "94.71"]


def test_ministry_covers_every_region_and_records_without_one(ministry):
    scope = scope_for(ministry)
    assert scope.is_ministry
    for code in ANYWHERE:
        assert scope.covers(code), code
    assert scope.covers(None)
    assert scope.covers("")


def test_superuser_counts_as_ministry_whatever_the_role_field_says(regions):
    admin = UserFactory(username="t-root", role=Role.EXPORTER, is_superuser=True)
    scope = scope_for(admin)
    assert scope.is_ministry
    assert scope.covers("72.01")
    assert is_ministry(admin)


@pytest.mark.parametrize("code", ["74", "74.02", "74.03", "74.12", "74.02.05", "74.02.05.2001"])
def test_province_officer_covers_the_province_and_everything_inside_it(officer_sultra, code):
    assert scope_for(officer_sultra).covers(code)


@pytest.mark.parametrize("code", ["72", "72.01", "7", "740", "741", "74x", "", None])
def test_province_officer_covers_nothing_outside_the_province(officer_sultra, code):
    assert not scope_for(officer_sultra).covers(code)


@pytest.mark.parametrize("code", ["74.02", "74.02.05", "74.02.05.2001"])
def test_regency_officer_covers_the_regency_and_its_districts_and_villages(officer_konawe, code):
    assert scope_for(officer_konawe).covers(code)


@pytest.mark.parametrize("code", ["74", "74.03", "74.12", "74.20", "74.021", "72.02", None])
def test_regency_officer_covers_neither_the_province_nor_neighbouring_regencies(
    officer_konawe, code
):
    assert not scope_for(officer_konawe).covers(code)


@pytest.mark.parametrize(
    "code, scope_code, inside",
    [
        ("74", "74", True),
        ("74.02", "74", True),
        ("74.02.05.2001", "74.02", True),
        ("74.02.05.2001", "74.02.05", True),
        ("740", "74", False),
        ("74.021", "74.02", False),
        ("74.12", "74.1", False),
        ("74.12", "74.02", False),
        ("74", "74.02", False),
        ("7", "74", False),
    ],
)
def test_code_within_compares_whole_code_segments_not_string_prefixes(code, scope_code, inside):
    assert code_within(code, scope_code) is inside


@pytest.mark.parametrize("role", ["exporter", "operator"])
def test_exporters_and_operators_have_no_region_scope(request, role):
    scope = scope_for(request.getfixturevalue(role))
    assert scope.authenticated
    assert not scope.is_ministry and not scope.is_officer
    for code in ANYWHERE:
        assert not scope.covers(code), code


@pytest.mark.parametrize("user", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_anonymous_visitors_cover_nothing(user):
    scope = scope_for(user)
    assert not scope.authenticated
    for code in ANYWHERE:
        assert not scope.covers(code), code
    assert not Region.objects.filter(scope.region_q("code")).exists()


@pytest.mark.parametrize("role", ["ministry", "officer_sultra", "officer_konawe"])
def test_deactivated_users_lose_their_scope(request, role):
    user = request.getfixturevalue(role)
    user.is_active = False
    user.save()
    scope = scope_for(user)
    assert not scope.authenticated
    assert not scope.is_ministry
    assert not scope.covers("74.02")
    assert not is_ministry(user)


def test_officer_without_a_region_covers_nothing():
    # The database forbids saving such an officer; an unsaved one must still be harmless.
    officer = User(username="t-nowhere", role=Role.OFFICER, region=None)
    scope = scope_for(officer)
    assert not scope.is_officer
    assert not scope.covers("74")
    assert not Region.objects.filter(scope.region_q("code")).exists()


def test_region_q_for_ministry_keeps_every_region(ministry):
    scope = scope_for(ministry)
    assert Region.objects.filter(scope.region_q("code")).count() == Region.objects.count()


def test_region_q_for_regency_officer_keeps_exactly_the_regency_and_its_descendants(
    officer_konawe,
):
    scope = scope_for(officer_konawe)
    codes = set(Region.objects.filter(scope.region_q("code")).values_list("code", flat=True))

    districts = set(Region.objects.filter(parent_id="74.02").values_list("code", flat=True))
    villages = set(Region.objects.filter(parent_id__in=districts).values_list("code", flat=True))
    assert districts and villages
    assert codes == {"74.02"} | districts | villages
    assert "74" not in codes
    assert "74.12" not in codes  # Konawe Kepulauan: a string prefix would wrongly match "74.1"
    assert not any(code.startswith("74.12") for code in codes)


def test_region_q_for_province_officer_matches_covers(officer_sultra):
    scope = scope_for(officer_sultra)
    inside = Region.objects.filter(scope.region_q("code"))
    outside = Region.objects.exclude(scope.region_q("code"))
    assert inside.filter(code="74.12").exists()
    assert not inside.filter(code__startswith="72").exists()
    assert all(scope.covers(code) for code in inside.values_list("code", flat=True))
    assert not any(scope.covers(code) for code in outside.values_list("code", flat=True))


@pytest.mark.parametrize("role", ["exporter", "operator"])
def test_region_q_for_roles_without_scope_keeps_nothing(request, role):
    scope = scope_for(request.getfixturevalue(role))
    assert not Region.objects.filter(scope.region_q("code")).exists()


def test_region_q_filters_other_models_through_a_region_foreign_key(
    officer_sultra, officer_sulteng, officer_konawe
):
    visible = User.objects.filter(scope_for(officer_sultra).region_q("region__code"))
    assert set(visible.values_list("username", flat=True)) == {"t-sultra", "t-konawe"}

    visible = User.objects.filter(scope_for(officer_konawe).region_q("region__code"))
    assert set(visible.values_list("username", flat=True)) == {"t-konawe"}


def test_region_q_matches_whole_code_segments_not_string_prefixes(officer_sultra, officer_konawe):
    # Codes that share a string prefix with a scope without being inside it.
    Region.objects.create(code="740", name="Not Sulawesi Tenggara", level=Region.Level.PROVINCE)
    Region.objects.create(
        code="74.021", name="Not Konawe", level=Region.Level.REGENCY, parent_id="74"
    )
    sultra = Region.objects.filter(scope_for(officer_sultra).region_q("code"))
    konawe = Region.objects.filter(scope_for(officer_konawe).region_q("code"))
    assert not sultra.filter(code="740").exists()
    assert sultra.filter(code="74.021").exists()
    assert not konawe.filter(code="74.021").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_ministry_staff_manage_accounts(request, role):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert can_manage_accounts(user) == (role == "ministry")


def test_signed_in_is_the_portal_user_or_none(exporter):
    assert signed_in(exporter) is exporter
    assert signed_in(AnonymousUser()) is None
    assert signed_in(None) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, user: services.invite_user(actor=actor, email="new@example.id"),
        lambda actor, user: services.resend_invitation(actor=actor, user=user),
        lambda actor, user: services.change_role_and_scope(
            actor=actor, user=user, role=Role.EXPORTER, region=None
        ),
        lambda actor, user: services.set_active(actor=actor, user=user, active=False),
    ],
)
def test_the_account_services_refuse_those_who_do_not_manage_accounts(
    officer_sultra, exporter, call
):
    with pytest.raises(PermissionDenied):
        call(officer_sultra, exporter)
    exporter.refresh_from_db()
    assert exporter.is_active and exporter.role == Role.EXPORTER
    assert not User.objects.filter(email="new@example.id").exists()


@pytest.mark.parametrize("role", ROLES)
def test_account_pages_follow_the_rule(as_role, role):
    response = as_role(role).get(reverse("accounts:user_list"))
    assert response.status_code == {"ministry": 200, "anonymous": 302}.get(role, 403)
