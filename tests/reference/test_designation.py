"""The designation of disadvantaged regencies in force, its ended-period warning, and loading a
newer one from a CSV file in the shipped format (a made-up 2025-2029 list here)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bumdes_export.reference import selectors
from bumdes_export.reference.models import DisadvantagedDesignation
from tests.conftest import ROLES

MADE_UP = "kode,nama,provinsi\n74.02,Kabupaten Konawe,Sulawesi Tenggara\n72.03,Kabupaten Donggala,Sulawesi Tengah\n"


def _post(client, content: str, **overrides):
    data = {
        "file": SimpleUploadedFile("dt.csv", content.encode(), content_type="text/csv"),
        "period_start": 2025,
        "period_end": 2029,
        "legal_basis": "Perpres 99/2025 (made up)",
        **overrides,
    }
    return client.post(reverse("reference:disadvantaged"), data)


def test_the_shipped_2020_2024_list_is_in_force_in_2026_but_said_to_have_ended(regions):
    in_force = selectors.designation_in_force(date(2026, 12, 7))
    assert (in_force.period_start, in_force.period_end, in_force.ended) == (2020, 2024, True)
    assert in_force.regencies == DisadvantagedDesignation.objects.count() > 0
    assert not selectors.designation_in_force(date(2023, 1, 1)).ended


def test_the_dashboard_says_the_period_has_ended(regions, as_role):
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    assert 'id="designation-in-force"' in html
    assert "2020–2024" in html and reverse("reference:disadvantaged") in html


def test_a_newer_designation_loads_and_takes_over(regions, as_role):
    response = _post(as_role("ministry"), MADE_UP)
    assert response.status_code == 302
    in_force = selectors.designation_in_force(date(2026, 12, 7))
    assert (in_force.period_start, in_force.period_end, in_force.ended) == (2025, 2029, False)
    assert selectors.disadvantaged_regency_codes(date(2026, 12, 7)) == {"74.02", "72.03"}


def test_a_file_with_a_wrong_row_loads_nothing_and_lists_every_wrong_row(regions, as_role):
    before = DisadvantagedDesignation.objects.count()
    bad = MADE_UP + "99.99,Nowhere,Nowhere\n74.02,Kabupaten Konawe,Sulawesi Tenggara\n"
    response = _post(as_role("ministry"), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "99.99" in html and '<td class="num">4</td>' in html and '<td class="num">5</td>' in html
    assert DisadvantagedDesignation.objects.count() == before


@pytest.mark.parametrize(
    ("content", "overrides"),
    [
        ("code,name\n74.02,x\n", {}),  # wrong columns
        ("kode,nama,provinsi\n", {}),  # no rows
        (MADE_UP, {"period_end": 2020}),  # ends before it starts
        (MADE_UP, {"legal_basis": ""}),
    ],
)
def test_bad_input_is_a_field_error_not_a_500(regions, as_role, content, overrides):
    response = _post(as_role("ministry"), content, **overrides)
    assert response.status_code == 400
    assert not DisadvantagedDesignation.objects.filter(period_start=2025).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_ministry_staff_load_a_designation(regions, as_role, role):
    response = _post(as_role(role), MADE_UP)
    if role == "ministry":
        assert response.status_code == 302
    elif role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
    if role != "ministry":
        assert not DisadvantagedDesignation.objects.filter(period_start=2025).exists()
