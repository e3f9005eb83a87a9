"""Searching regions and HS codes the way users type them."""

import pytest

from bumdes_export.reference import selectors


@pytest.mark.django_db
def test_region_name_search_finds_every_konawe_regency():
    names = set(selectors.search_regions("konawe", level=2).values_list("name", flat=True))
    assert names == {
        "Kabupaten Konawe",
        "Kabupaten Konawe Selatan",
        "Kabupaten Konawe Utara",
        "Kabupaten Konawe Kepulauan",
    }


@pytest.mark.django_db
def test_region_code_search_accepts_codes_without_dots():
    assert list(selectors.search_regions("7402", level=2).values_list("code", flat=True)) == [
        "74.02"
    ]


@pytest.mark.parametrize(
    "raw, code",
    [
        ("7402052001", "74.02.05.2001"),
        ("74.02.05.2001", "74.02.05.2001"),
        ("74", "74"),
        ("7402", "74.02"),
        ("abc", "abc"),
    ],
)
def test_region_codes_are_normalised(raw, code):
    assert selectors.normalize_region_code(raw) == code


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["crab", "0306.33", "030633", "kepiting", "Kepiting", "rajungan"])
def test_hs_search_finds_crab_by_code_description_or_indonesian_term(q):
    assert "030633" in set(selectors.search_hs_codes(q).values_list("code", flat=True))


@pytest.mark.django_db
def test_hs_search_by_level_and_nonsense():
    assert list(selectors.search_hs_codes("03", level=2).values_list("code", flat=True)) == ["03"]
    assert not selectors.search_hs_codes("zzqqxx").exists()
