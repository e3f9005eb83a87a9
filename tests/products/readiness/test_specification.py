"""Commodity specifications: templates checked, values cleaned, conditions read (pure)."""

import pytest

from products.readiness import specification
from products.readiness.specification import TemplateError

CRAB = [
    {
        "key": "species",
        "kind": "choice",
        "label": {"id": "Jenis", "en": "Species"},
        "choices": [{"value": "scylla", "label": {"id": "Kepiting bakau", "en": "Mud crab"}}],
    },
    {
        "key": "carapace_width_cm",
        "kind": "number",
        "unit": "cm",
        "min": 0,
        "max": 40,
        "label": {"id": "Lebar karapas", "en": "Carapace width"},
    },
    {
        "key": "egg_bearing_excluded",
        "kind": "yes_no",
        "label": {"id": "Tanpa telur", "en": "No eggs"},
    },
]


def test_a_well_formed_template_reads_as_fields():
    fields = specification.fields_of(CRAB)
    assert [f.key for f in fields] == ["species", "carapace_width_cm", "egg_bearing_excluded"]
    assert fields[1].label_in("id") == "Lebar karapas"
    assert fields[0].choice_label("scylla", "en") == "Mud crab"
    assert fields[1].shown(12.5, "en", "Yes", "No") == "12.5 cm"


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        ({"kind": "number", "label": {"id": "a", "en": "a"}}, "key"),
        ({"key": "x", "kind": "colour", "label": {"id": "a", "en": "a"}}, "kind"),
        ({"key": "x", "kind": "number", "label": {"id": "a"}}, "label"),
        ({"key": "x", "kind": "choice", "label": {"id": "a", "en": "a"}}, "without choices"),
    ],
)
def test_a_broken_template_says_what_is_wrong(broken, says):
    with pytest.raises(TemplateError, match=says):
        specification.fields_of([broken])


def test_a_key_used_twice_is_refused():
    with pytest.raises(TemplateError, match="twice"):
        specification.fields_of([CRAB[1], CRAB[1]])


def test_values_are_cleaned_as_the_template_says():
    fields = specification.fields_of(CRAB)
    values, errors = specification.clean_values(
        fields, {"species": "scylla", "carapace_width_cm": "12,5", "egg_bearing_excluded": "ya"}
    )
    assert errors == {}
    assert values == {"species": "scylla", "carapace_width_cm": 12.5, "egg_bearing_excluded": True}
    values, _errors = specification.clean_values(fields, {"carapace_width_cm": "13"})
    assert values == {"carapace_width_cm": 13}  # whole numbers stay whole; blanks are left out


def test_bad_values_get_an_error_each_and_nothing_is_kept():
    fields = specification.fields_of(CRAB)
    _values, errors = specification.clean_values(
        fields,
        {
            "species": "lobster",
            "carapace_width_cm": "wide",
            "egg_bearing_excluded": "maybe",
            "colour": "red",
        },
    )
    assert errors == {
        "species": "choice",
        "carapace_width_cm": "number",
        "egg_bearing_excluded": "yes_no",
        "colour": "unknown",
    }
    _values, errors = specification.clean_values(fields, {"carapace_width_cm": "41"})
    assert errors == {"carapace_width_cm": "max"}
    _values, errors = specification.clean_values(fields, {"carapace_width_cm": "-1"})
    assert errors == {"carapace_width_cm": "min"}
    _values, errors = specification.clean_values(fields, {"carapace_width_cm": "nan"})
    assert errors == {"carapace_width_cm": "number"}


SIZE = [
    {"field": "carapace_width_cm", "op": ">", "value": 12},
    {"field": "weight_g", "op": ">", "value": 150},
]


@pytest.mark.parametrize(
    ("values", "any_one", "met"),
    [
        ({"carapace_width_cm": 13}, True, True),
        ({"weight_g": 160}, True, True),
        ({"carapace_width_cm": 12, "weight_g": 150}, True, False),  # "above", not "at least"
        ({}, True, False),  # nothing recorded meets nothing
        ({"carapace_width_cm": 13, "weight_g": 100}, False, False),
        ({"carapace_width_cm": 13, "weight_g": 200}, False, True),
    ],
)
def test_conditions_all_or_any_one(values, any_one, met):
    assert specification.conditions_met(SIZE, any_one, values) is met


def test_set_equal_and_not_equal_conditions():
    assert specification.condition_met({"field": "purity_pct", "op": "set"}, {"purity_pct": 0})
    assert not specification.condition_met({"field": "purity_pct", "op": "set"}, {})
    plastic = {"field": "packaging", "op": "!=", "value": "plastic"}
    assert specification.condition_met(plastic, {"packaging": "drum"})
    assert not specification.condition_met(plastic, {"packaging": "plastic"})
    eggs = {"field": "egg_bearing_excluded", "op": "=", "value": True}
    assert not specification.condition_met(eggs, {"egg_bearing_excluded": False})


def test_a_scope_covers_products_that_agree_or_have_not_said():
    assert specification.in_scope({"species": "scylla"}, {"species": "scylla"})
    assert specification.in_scope({"species": "scylla"}, {})
    assert not specification.in_scope({"species": "scylla"}, {"species": "portunus"})


def test_conditions_are_checked_against_the_template():
    fields = specification.fields_of(CRAB)
    specification.check_conditions(SIZE[:1], {"species": "scylla"}, fields)
    with pytest.raises(TemplateError, match="no specification field"):
        specification.check_conditions(SIZE, {}, fields)  # weight_g is not in this template
    with pytest.raises(TemplateError, match="compares numbers"):
        specification.check_conditions([{"field": "species", "op": ">", "value": 1}], {}, fields)
    with pytest.raises(TemplateError, match="needs a number"):
        specification.check_conditions([{"field": "x", "op": ">", "value": "12"}], {})
    with pytest.raises(TemplateError, match="op must be"):
        specification.check_conditions([{"field": "x", "op": "~", "value": 1}], {})
