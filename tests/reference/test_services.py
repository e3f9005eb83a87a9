"""Loading the national reference data: counts, idempotence, newer editions over older ones."""

from __future__ import annotations

import time

import pytest

from bumdes_export.accounts.models import Role
from bumdes_export.reference import selectors, services
from bumdes_export.reference.models import (
    Country,
    DisadvantagedDesignation,
    ExportGateway,
    HsAlias,
    HsCode,
    HsSection,
    Region,
)
from tests.factories import UserFactory

PREVIOUS = services.data_path("wilayah_previous_kepmendagri_100.1.1-6117_2022.csv.gz")
PREVIOUS_EDITION = "Kepmendagri 100.1.1-6117/2022"


def current_counts() -> dict[int, int]:
    return {
        level: Region.objects.filter(level=level, retired_at__isnull=True).count()
        for level in (1, 2, 3, 4)
    }


def clear_regions() -> None:
    """Start from an empty region table (the suite's fixture loads a subset)."""
    ExportGateway.objects.all().delete()
    DisadvantagedDesignation.objects.all().delete()
    for level in (4, 3, 2, 1):
        Region.objects.filter(level=level).delete()


@pytest.mark.django_db
def test_full_load_gives_the_national_counts_quickly():
    started = time.perf_counter()
    services.load_all()
    elapsed = time.perf_counter() - started

    assert current_counts() == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert elapsed < 60
    assert HsSection.objects.count() == 21
    assert HsCode.objects.filter(level=2).count() == 96
    assert HsCode.objects.filter(level=4).count() == 1228
    assert HsCode.objects.filter(level=6).count() == 5612
    assert not HsCode.objects.filter(code__startswith="99").exists()
    assert DisadvantagedDesignation.objects.filter(period_start=2020, period_end=2024).count() == 62
    assert ExportGateway.objects.count() == 31
    assert Country.objects.count() >= 249


@pytest.mark.django_db
def test_village_kind_and_regency_details_come_from_the_codes():
    services.load_all()
    desa = Region.objects.filter(level=4, kind="desa").count()
    assert desa == 75266 or desa > 75000  # the domain notes give 75,266 desa
    assert Region.objects.get(code="11.01.01.2001").kind == Region.Kind.DESA
    kelurahan = Region.objects.filter(level=4, code__regex=r"\.1\d{3}$").first()
    assert kelurahan.kind == Region.Kind.KELURAHAN
    konawe = Region.objects.get(code="74.02")
    assert konawe.name == "Kabupaten Konawe"
    assert konawe.kind == Region.Kind.KABUPATEN
    assert konawe.latitude is not None and konawe.longitude is not None
    assert Region.objects.get(code="74.71").kind == Region.Kind.KOTA


@pytest.mark.django_db
def test_a_second_load_changes_nothing():
    services.load_all()
    again = {r.dataset: r for r in services.load_all()}

    for result in again.values():
        assert (result.created, result.updated, result.retired) == (0, 0, 0), result
    assert again["regions"].unchanged == 91599
    assert again["hs"].details["aliases_created"] == 0


@pytest.mark.django_db
def test_a_newer_edition_over_an_older_one_updates_adds_and_retires():
    clear_regions()
    services.load_regions(services.read_csv(PREVIOUS), edition=PREVIOUS_EDITION)
    assert current_counts() == {1: 37, 2: 514, 3: 7277, 4: 83763}
    assert Region.objects.get(code="11.01").name == "KAB. ACEH SELATAN"
    old_codes = set(Region.objects.values_list("code", flat=True))
    current_codes = {row["kode"] for row in services.read_csv(services.data_path("wilayah.csv.gz"))}
    vanishing = sorted(old_codes - current_codes)
    officer = UserFactory(role=Role.OFFICER, region_id=vanishing[0][:5])
    village_ref = vanishing[-1]

    result = services.load_regions(
        services.read_csv(services.data_path("wilayah.csv.gz")),
        edition=services.CURRENT_WILAYAH_EDITION,
    )

    assert result.created == 1258
    assert result.retired == 1250
    # The data README counts 2,245 renames; 357 of them only fix doubled or trailing spaces,
    # which the loader already normalises, so they are no change here.
    assert result.updated == 1888
    assert current_counts() == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.get(code="11.01").name == "Kabupaten Aceh Selatan"
    assert Region.objects.get(code="96").name == "Papua Barat Daya"
    retired = Region.objects.get(code=village_ref)
    assert retired.is_retired
    assert not selectors.search_regions(level=4).filter(code=village_ref).exists()
    assert selectors.search_regions(level=4, include_retired=True).filter(code=village_ref).exists()
    officer.refresh_from_db()
    assert officer.region is not None  # references survive a retirement


@pytest.mark.django_db
def test_references_to_retired_codes_are_listed_and_moved():
    region = Region.objects.get(code="74.02")
    officer = UserFactory(role=Role.OFFICER, region=region)
    Region.objects.filter(code="74.02").update(retired_at="2025-01-01T00:00Z")

    found = selectors.retired_region_references()
    assert [(f["model_label"], f["region"].code, f["count"]) for f in found] == [
        ("accounts.User", "74.02", 1)
    ]

    moved = services.move_region_references(
        old=Region.objects.get(code="74.02"), new=Region.objects.get(code="74.03")
    )
    assert moved == 1
    officer.refresh_from_db()
    assert officer.region_id == "74.03"
    assert selectors.retired_region_references() == []


@pytest.mark.django_db
def test_moving_references_refuses_current_or_mismatched_regions():
    with pytest.raises(services.RegionMoveError):
        services.move_region_references(
            old=Region.objects.get(code="74.02"), new=Region.objects.get(code="74.03")
        )
    Region.objects.filter(code="74.02").update(retired_at="2025-01-01T00:00Z")
    with pytest.raises(services.RegionMoveError):
        services.move_region_references(
            old=Region.objects.get(code="74.02"), new=Region.objects.get(code="74")
        )


@pytest.mark.django_db
def test_commodity_terms_are_loaded_as_search_aliases_in_both_languages():
    assert HsAlias.objects.filter(term="kepiting", language="id", hs_code="030633").exists()
    assert HsAlias.objects.filter(term="crab", language="en", hs_code="030633").exists()


@pytest.mark.django_db
def test_disadvantaged_regencies_follow_the_designation_period():
    from datetime import date

    in_period = selectors.disadvantaged_regency_codes(date(2022, 6, 1))
    assert len(in_period) == 62
    # After 2024 the last designation still applies until a newer decree is loaded.
    assert selectors.disadvantaged_regency_codes(date(2026, 6, 1)) == in_period
    assert selectors.disadvantaged_regency_codes(date(2019, 1, 1)) == in_period
