"""Numbers typed into forms follow the same rule as the import."""

from decimal import Decimal

import pytest

from products.forms import parse_decimal


@pytest.mark.parametrize(
    "typed, value",
    [
        ("2.500", Decimal("2500")),
        ("1.500,5", Decimal("1500.5")),
        ("2,5", Decimal("2.5")),
        ("2500.5", Decimal("2500.5")),
        ("12.000", Decimal("12000")),
        ("0.5", Decimal("0.5")),
    ],
)
def test_numbers_in_indonesian_or_plain_writing(typed, value):
    assert parse_decimal(typed) == value


def test_garbage_is_refused():
    with pytest.raises(ValueError):
        parse_decimal("dua ribu")


def test_a_wrong_nib_is_shown_with_the_other_mistakes_at_once(regions, officer_konawe):
    from products.forms import BumdesForm

    form = BumdesForm(
        data={
            "name": "BUMDes Uji",
            "kind": "bumdes",
            "legal_status": "none",
            "nib": "123",
            "npwp": "12",
            "contact_email": "abc",
        },
        user=officer_konawe,
    )
    assert not form.is_valid()
    assert form.errors["nib"] == ["An NIB has 13 digits."]
    assert "15 digits" in form.errors["npwp"][0]
    assert "contact_email" in form.errors and "village" in form.errors


def test_an_unknown_hs_code_is_answered_as_typed(regions, officer_konawe):
    from products.forms import ProductForm

    form = ProductForm(data={"hs_code": "9999.99", "name_id": ""}, user=officer_konawe)
    assert not form.is_valid()
    assert form.errors["hs_code"][0] == "There is no HS 2022 code “9999.99”."
