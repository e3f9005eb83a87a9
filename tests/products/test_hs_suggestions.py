"""HS suggestions where products are entered: the form and the API name what the product's
name suggests when the code is left out or wrong, and never apply it; products ministry staff
have verified teach later suggestions."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains

from bumdes_export.reference.suggestions import selectors
from products.models import Product
from tests.products.factories import BumdesFactory, ProductFactory, first_desa

pytestmark = pytest.mark.django_db


@pytest.fixture
def konawe(regions):
    return BumdesFactory(name="BUMDes Konawe Sejahtera", village_id=first_desa("74.02."))


def form_data(bumdes, **extra) -> dict:
    return {
        "bumdes": bumdes.pk,
        "name_id": "Kepiting bakau beku",
        "hs_code": "",
        "form": "frozen",
        "unit": "kg",
        "currency": "USD",
        "incoterm": "FOB",
        "available_months": ["1"],
        **extra,
    }


def test_the_form_asks_for_suggestions_as_the_name_is_typed(as_role, konawe):
    client = as_role("officer_konawe")
    client.cookies["django_language"] = "en"
    page = client.get("/registry/products/new/")
    assertContains(page, 'data-hs-suggest="/api/v1/hs-codes/suggest/"')
    assertContains(page, 'data-name-fields="id_name_id id_name_en"')
    assertContains(page, "Suggested from the product&#x27;s name (pick one):")


@pytest.mark.parametrize("typed", ["", "0306", "999999"])
def test_a_code_left_out_or_wrong_is_answered_with_suggestions_never_applied(
    as_role, konawe, typed
):
    client = as_role("officer_konawe")
    client.cookies["django_language"] = "en"
    response = client.post("/registry/products/new/", form_data(konawe, hs_code=typed))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["hs_code"])
    assert "Suggested from the name: 0306.14 (Crustaceans; frozen, crabs" in errors
    assert response.context["form"]["hs_code"].value() == typed  # the officer picks
    assert not Product.objects.filter(name_id="Kepiting bakau beku").exists()


def test_the_api_names_the_suggestions_beside_the_error(api_as, konawe):
    body = {
        "bumdes": konawe.pk,
        "name_id": "Kepiting bakau beku",
        "form": "frozen",
        "unit": "kg",
    }
    response = api_as("officer_konawe").post("/api/v1/products/", body, format="json")
    assert response.status_code == 400
    messages = response.json()["hs_code"]
    assert messages[0] == "This field is required."
    assert messages[1].startswith("Suggested from the name: 0306.14")
    assert not Product.objects.exists()


def test_a_name_ministry_staff_verified_teaches_later_suggestions(konawe):
    name = "Kopi rempah Toraja"
    assert selectors.suggest(name).hs[0].code != "210112"
    ProductFactory(bumdes=konawe, name_id=name, hs_code_id="210112", status="draft")
    assert selectors.suggest(name).hs[0].code != "210112"  # a draft teaches nothing
    Product.objects.filter(name_id=name).update(status=Product.Status.VERIFIED)
    first = selectors.suggest("KOPI REMPAH TORAJA").hs[0]
    assert first.code == "210112"
    assert "like the verified product “Kopi rempah Toraja”" in first.reason
