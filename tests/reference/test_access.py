"""Who may change the reference data (``bumdes_export.reference.access``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from bumdes_export.reference.access import can_manage_reference_data
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_ministry_staff_manage_the_reference_data(request, role):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert can_manage_reference_data(user) == (role == "ministry")


@pytest.mark.parametrize("role", ROLES)
def test_the_retired_references_page_follows_the_rule(as_role, role):
    response = as_role(role).get(reverse("reference:retired"))
    expected = {"ministry": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected
