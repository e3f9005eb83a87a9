"""The map: every regency the reader sees, as an SVG dot carrying its Kemendagri code, coloured
by how far its BUMDes have come; disadvantaged regencies ringed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bumdes_export.reference.models import DisadvantagedDesignation, Region
from matchmaking.oversight import map as regency_map
from tests.matchmaking.oversight.test_dashboard import figures  # noqa: F401 (fixture)

DOT = re.compile(r'<circle data-region="(?P<code>[\d.]+)" data-status="(?P<status>\w+)"')


def _dots(html: str) -> dict[str, str]:
    return {m["code"]: m["status"] for m in DOT.finditer(html)}


def test_the_ministry_map_draws_all_514_regencies_with_their_status(figures, as_role):  # noqa: F811
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    dots = _dots(html)
    regencies = Region.objects.filter(level=Region.Level.REGENCY, retired_at__isnull=True)
    assert len(dots) == regencies.count() == 514
    assert dots["74.02"] == regency_map.EXPORTING  # Konawe: the crab has shipped
    assert dots["72.03"] == regency_map.VERIFIED  # Donggala: verified, nothing export-ready
    assert dots["11.01"] == regency_map.NOTHING
    assert (
        "<svg" in html and "<script" not in html.split('id="regency-map"')[1].split("</section>")[0]
    )


def test_disadvantaged_regencies_are_ringed(figures, ministry):  # noqa: F811
    designated = set(DisadvantagedDesignation.objects.values_list("region_id", flat=True))
    drawn = regency_map.regency_map(ministry)
    ringed = {d.code for d in drawn.dots if d.disadvantaged}
    assert ringed and ringed <= designated
    assert drawn.disadvantaged == len(ringed)


@pytest.mark.parametrize(
    ("role", "province"), [("officer_sulteng", "72"), ("officer_konawe", "74")]
)
def test_an_officer_map_shows_only_his_province(figures, as_role, role, province):  # noqa: F811
    dots = _dots(as_role(role).get(reverse("oversight:dashboard")).content.decode())
    assert dots and all(code.startswith(f"{province}.") for code in dots)
    assert len(dots) == Region.objects.filter(parent_id=province, retired_at__isnull=True).count()


def test_a_regency_officer_sees_the_rest_of_his_province_uncounted(figures, as_role):  # noqa: F811
    dots = _dots(as_role("officer_konawe").get(reverse("oversight:dashboard")).content.decode())
    assert dots["74.02"] == regency_map.EXPORTING
    assert {status for code, status in dots.items() if code != "74.02"} == {regency_map.OUTSIDE}


def test_beside_the_map_a_table_gives_every_regency_its_status(figures, as_role):  # noqa: F811
    html = as_role("officer_konawe").get(reverse("oversight:dashboard")).content.decode()
    table = html.split('id="regency-table"')[1].split("</details>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([\d.]+)</td><td>([^<]+)</td>", table)
    # The officer of Konawe: his regency only (the rest of the province is not counted for him).
    assert [(code, status) for _name, code, status in rows] == [
        ("74.02", str(regency_map.STATUS_LABELS[regency_map.EXPORTING]))
    ]
    html = as_role("ministry").get(reverse("oversight:dashboard")).content.decode()
    table = html.split('id="regency-table"')[1].split("</details>")[0]
    assert table.count("<tr><td>") == 514
