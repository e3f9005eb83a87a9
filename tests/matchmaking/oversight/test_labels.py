"""The names the dashboard's groupings are labelled with: read once per process, read again
after ``labels.SECONDS`` or when forgotten, in the reader's language."""

from __future__ import annotations

import pytest

from bumdes_export.reference.models import Country, HsCode
from matchmaking.oversight import labels

pytestmark = pytest.mark.django_db


def test_hs_chapters_and_headings_are_named_and_clipped():
    names = labels.hs(["03", "0306", "030633", "9999"])
    assert set(names) == {"03", "0306"}  # subheadings and unknown codes are not read
    assert names["0306"].startswith("0306 ")
    assert len(names["0306"]) <= len("0306 ") + labels.HS_LABEL_LENGTH


def test_countries_in_the_readers_language():
    assert labels.countries("en")(["HK"]) == {"HK": Country.objects.get(code="HK").name_en}
    assert labels.countries("id")(["HK"]) == {"HK": Country.objects.get(code="HK").name_id}


def test_provinces_by_code(regions):
    assert labels.provinces(["74", "00"]) == {"74": "Sulawesi Tenggara"}


def test_names_are_kept_for_a_while_then_read_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(labels.time, "monotonic", lambda: now[0])
    before = labels.hs(["0306"])["0306"]
    HsCode.objects.filter(code="0306").update(description="Crabs and other crustaceans")
    assert labels.hs(["0306"])["0306"] == before  # kept
    now[0] += labels.SECONDS + 1
    assert labels.hs(["0306"])["0306"] == "0306 Crabs and other crustaceans"
    HsCode.objects.filter(code="0306").update(description="Crustaceans")
    labels.forget()
    assert labels.hs(["0306"])["0306"] == "0306 Crustaceans"
