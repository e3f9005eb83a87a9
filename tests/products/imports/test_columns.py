"""How the bulk import reads cells: numbers, codes, months (``products.imports.columns``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from products import checks
from products.imports import columns
from products.imports.columns import CellError

pytestmark = pytest.mark.django_db


# --- Reading cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.500,5", "1500.5"),
        ("12.000", "12000"),
        ("2500.5", "2500.5"),
        ("2,5", "2.5"),
        ("1.500.000", "1500000"),
        ("1,500,000.25", "1500000.25"),
        (" 7 ", "7"),
        ("0.500", "0.5"),
        (1500.5, "1500.5"),
        (12, "12"),
    ],
)
def test_numbers_in_indonesian_and_plain_style(raw, expected):
    assert columns.parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "1.2.3", "12.00.0", "", "1..5", "--1"])
def test_garbage_is_not_a_number(raw):
    with pytest.raises(CellError):
        columns.parse_number(raw)


@pytest.mark.parametrize(
    "raw, months",
    [
        ("1-3,7,12", [1, 2, 3, 7, 12]),
        ("Jan-Mar", [1, 2, 3]),
        ("jan - mar, Agustus", [1, 2, 3, 8]),
        ("Nov-Feb", [1, 2, 11, 12]),
        ("Mei;Okt;Des", [5, 10, 12]),
        ("semua", list(range(1, 13))),
        (4, [4]),
    ],
)
def test_months(raw, months):
    assert columns.parse_months(raw) == checks.months_to_mask(months)


@pytest.mark.parametrize("raw", ["13", "Foo", "1-", "Jan-Xyz"])
def test_bad_months(raw):
    with pytest.raises(CellError):
        columns.parse_months(raw)


@pytest.mark.parametrize(
    "raw, code",
    [
        ("0306.33", "030633"),
        ("030633", "030633"),
        ("306.33", "030633"),
        (30633, "030633"),
        (306.33, "030633"),
        (306.3, "030630"),
        ("0306", "0306"),
        ("03063310", "03063310"),
        ("0306.33.10", "03063310"),
        (3063310, "03063310"),
    ],
)
def test_hs_codes_with_or_without_dots_and_lost_zeros(raw, code):
    assert columns.hs_code_text(raw) == code
