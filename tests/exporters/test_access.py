"""Who may do what in the directory (``exporters.access``), role by role.

The organisation in question is PT Kepiting Sultra (``crab_org``, verified): ``verified_exporter``
is its admin, ``crab_colleague`` a member who is not; the others belong elsewhere or nowhere.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bumdes_export.accounts.models import User
from exporters import access
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "ministry",
    "officer_sultra",
    "operator",
    "exporter",
    "verified_exporter",
    "crab_colleague",
    "second_exporter",
    "unverified_exporter",
]


@pytest.fixture
def user_of(request, verified_exporter, crab_colleague, second_exporter, unverified_exporter):
    def get(role: str):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return get


def allowed(user_of, rule, roles_allowed, *args):
    return {role: rule(user_of(role), *args) for role in ROLES} == {
        role: role in roles_allowed for role in ROLES
    }


def test_contact_details_ministry_members_and_verified_exporters(user_of, crab_org):
    assert allowed(
        user_of,
        access.can_see_contact,
        {"ministry", "verified_exporter", "crab_colleague", "second_exporter"},
        crab_org,
    )


def test_a_pending_organisation_s_members_see_its_own_contact_details(
    unverified_exporter, pending_org
):
    organisation = unverified_exporter.membership.organisation
    assert access.can_see_contact(unverified_exporter, organisation)


def test_identifiers_ministry_and_the_organisation_s_members(user_of, crab_org):
    assert allowed(
        user_of,
        access.can_see_identifiers,
        {"ministry", "verified_exporter", "crab_colleague"},
        crab_org,
    )


def test_members_ministry_and_the_organisation_s_members(user_of, crab_org):
    assert allowed(
        user_of,
        access.can_see_members,
        {"ministry", "verified_exporter", "crab_colleague"},
        crab_org,
    )


@pytest.mark.parametrize(
    "rule", [access.can_edit_organisation, access.can_manage_members, access.can_see_history]
)
def test_editing_members_and_history_ministry_and_the_organisation_s_admins(
    user_of, crab_org, rule
):
    assert allowed(user_of, rule, {"ministry", "verified_exporter"}, crab_org)


@pytest.mark.parametrize(
    "rule",
    [
        access.can_verify,
        access.can_see_verifier,
        access.can_filter_by_status,
        access.can_create_organisation,
        access.can_delete_organisation,
    ],
)
def test_ministry_staff_only(user_of, rule):
    assert allowed(user_of, rule, {"ministry"})


def test_only_anonymous_visitors_register(user_of):
    assert allowed(user_of, access.can_register_organisation, {"anonymous"})


def test_exporter_accounts_belong_to_organisations(user_of):
    assert allowed(
        user_of,
        access.may_belong_to_organisation,
        {
            "exporter",
            "verified_exporter",
            "crab_colleague",
            "second_exporter",
            "unverified_exporter",
        },
    )


def test_a_deactivated_admin_may_do_nothing(verified_exporter, crab_org):
    User.objects.filter(pk=verified_exporter.pk).update(is_active=False)
    verified_exporter.refresh_from_db()
    assert not access.can_edit_organisation(verified_exporter, crab_org)
    assert not access.can_see_identifiers(verified_exporter, crab_org)


def test_the_viewer_answers_like_the_functions(user_of, crab_org, hk_org):
    for role in ROLES:
        user = user_of(role)
        viewer = access.viewer(user)
        for organisation in (crab_org, hk_org):
            assert viewer.sees_contact(organisation) == access.can_see_contact(user, organisation)
            assert viewer.sees_identifiers(organisation) == access.can_see_identifiers(
                user, organisation
            )
            assert viewer.edits(organisation) == access.can_edit_organisation(user, organisation)
        assert viewer.verifies == access.can_verify(user)


def test_a_superuser_counts_as_ministry_staff(crab_org, regions):
    root = UserFactory(username="t-root", is_superuser=True)
    assert access.can_verify(root) and access.can_see_identifiers(root, crab_org)
