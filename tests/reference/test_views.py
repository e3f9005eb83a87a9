"""The page where ministry staff move records off retired region codes: the form reads the
codes, ``services.move_region_references`` decides, and its refusals land on the fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bumdes_export.accounts.models import Role
from bumdes_export.reference.models import Region
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/reference/retired/"


@pytest.fixture
def konawe_officer(regions):
    officer = UserFactory(role=Role.OFFICER, region=Region.objects.get(code="74.02"))
    Region.objects.filter(code="74.02").update(retired_at="2025-01-01T00:00Z")
    return officer


def test_the_loads_name_their_data_sets_as_people_do(as_role, konawe_officer):
    from bumdes_export.reference.models import ReferenceLoad

    ReferenceLoad.objects.create(dataset="hs", edition="HS 2022")
    page = as_role("ministry").get(URL).content.decode()
    assert "<td>HS 2022 codes</td>" in page and "<td>hs</td>" not in page


def test_references_are_moved_to_a_current_code(as_role, konawe_officer):
    response = as_role("ministry").post(URL, {"old": "74.02", "new": "7403"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reference:retired")
    konawe_officer.refresh_from_db()
    assert konawe_officer.region_id == "74.03"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"old": "74.03", "new": "74.12"}, "old", "This is not a retired region code."),
        ({"old": "74.02", "new": "74"}, "new", "same level as the retired one"),
        ({"old": "74.02", "new": "74.02"}, "new", "There is no current region with the code"),
        ({"old": "74.02", "new": "99.99"}, "new", "There is no current region with the code"),
        ({"old": "00.00", "new": "74.03"}, "old", "This is not a retired region code."),
    ],
)
def test_a_refused_move_answers_400_with_the_message_on_the_field(
    as_role, konawe_officer, data, field, message
):
    response = as_role("ministry").post(URL, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    konawe_officer.refresh_from_db()
    assert konawe_officer.region_id == "74.02"
