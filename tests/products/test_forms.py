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
