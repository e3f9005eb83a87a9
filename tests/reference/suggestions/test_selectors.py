"""What the portal suggests for a product name (``suggestions.selectors.suggest``): names
with known answers, in Indonesian and English, with typos and affixes; the form, the unit and
the reasons. The names here are not in the labelled list of the benchmark."""

from __future__ import annotations

import pytest
from django.utils import translation

from bumdes_export.reference.models import HsAlias
from bumdes_export.reference.suggestions import selectors

pytestmark = pytest.mark.django_db


def codes(name: str, description: str = "") -> list[str]:
    return [s.code for s in selectors.suggest(name, description).hs]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("rajungan segar", "030633"),
        ("udang putih beku", "030617"),
        ("ikan tuna sirip kuning beku", "030342"),
        ("kopi gayo sangrai", "090121"),
        ("cengkeh bubuk", "090720"),
        ("minyak nilam aceh", "330129"),
        ("tepung pisang kepok", "110630"),
        ("keripik ubi", "200899"),
        ("madu murni", "040900"),
        ("anyaman rotan keranjang", "460212"),
        ("frozen crab meat", "030614"),
        ("dried seaweed", "121221"),
        ("ground nutmeg", "090812"),
    ],
)
def test_names_with_known_answers_have_them_among_the_three(name, code):
    assert code in codes(name)


@pytest.mark.parametrize(
    "name", ["kepiting beku", "Kepitingnya beku", "KEPITING BEKU", "kepitng beku", "frozen crabs"]
)
def test_spelling_affixes_case_and_language_lead_to_the_same_first_code(name):
    assert codes(name)[0] == "030614"


def test_the_state_a_name_states_wins_over_others():
    assert codes("kepiting hidup")[0] == "030633"
    assert codes("kepiting beku")[0] == "030614"
    assert codes("udang kering")[0] == "030695"


def test_form_and_unit_are_suggested_from_the_words_and_the_code():
    frozen = selectors.suggest("udang beku")
    assert (frozen.form, frozen.unit) == ("frozen", "kg")
    oil = selectors.suggest("minyak cengkeh")
    assert (oil.form, oil.unit) == ("processed", "l")
    basket = selectors.suggest("keranjang rotan")
    assert (basket.form, basket.unit) == ("processed", "piece")
    live = selectors.suggest("kepiting hidup")
    assert live.form == "live"


def test_each_suggestion_says_why_in_the_readers_language():
    with translation.override("en"):
        first = selectors.suggest("kepitng beku").hs[0]
    assert "“kepitng” read as “kepiting” (crab)" in first.reason
    assert "“beku” means frozen" in first.reason and "description" in first.reason
    with translation.override("id"):
        first = selectors.suggest("kepiting beku").hs[0]
    assert "“kepiting” berarti crab" in first.reason and "uraiannya" in first.reason


def test_confidence_is_a_share_best_first():
    found = selectors.suggest("kepiting beku").hs
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    assert all(0 <= s.confidence <= 1 for s in found) and sum(s.confidence for s in found) <= 1


def test_words_that_cannot_be_read_give_nothing_and_are_named():
    nothing = selectors.suggest("zzqx wwvv")
    assert nothing.hs == [] and nothing.form == "" and nothing.unread == ["zzqx", "wwvv"]
    assert selectors.suggest("").hs == []


def test_a_term_ministry_staff_add_teaches_the_suggester():
    assert codes("teh sirsak")[0] != "121190"
    HsAlias.objects.create(term="teh sirsak", language="id", hs_code_id="121190")
    found = selectors.suggest("Teh Sirsak").hs[0]
    assert found.code == "121190"
    assert "like the commodity term “teh sirsak”" in found.reason


def test_the_description_helps_when_the_name_is_vague():
    assert "200899" in codes("olahan khas desa", "Keripik dari buah nangka, digoreng")
