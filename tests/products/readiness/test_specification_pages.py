"""Recording a product's commodity specification (page and API), who may, and what the crab
rules make of it: the readiness per market on the product page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bumdes_export.reference.models import Country, HsCode, Region
from products import selectors, services
from products.models import Bumdes, HistoryEntry, Product
from tests.products.factories import first_desa

pytestmark = pytest.mark.django_db

GOOD = {
    "species": "scylla",
    "carapace_width_cm": "13",
    "weight_g": "180",
    "egg_bearing_excluded": "yes",
}


def crab(officer, **extra) -> Product:
    bumdes = services.create_bumdes(
        actor=officer,
        data={"name": "BUMDes Mina Uji", "village": Region.objects.get(code=first_desa("74.02."))},
    )
    data = {
        "name_id": "Kepiting bakau hidup",
        "hs_code": HsCode.objects.get(code="030633"),
        "form": "live",
        "unit": "kg",
        **extra,
    }
    return services.create_product(
        actor=officer,
        bumdes=bumdes,
        data=data,
        target_markets=list(Country.objects.filter(code__in=["HK", "CN"])),
    )


def test_an_officer_records_the_specification_and_the_crab_rules_follow(officer_konawe):
    product = crab(officer_konawe)
    codes = {g.code for g in selectors.readiness_of(product).blocking}
    assert {"crab-size-mud-crab", "crab-no-egg-bearing-mud-crab"} <= codes
    services.save_specification(actor=officer_konawe, product=product, values=GOOD)
    product.refresh_from_db()
    assert product.specification == {
        "species": "scylla",
        "carapace_width_cm": 13,
        "weight_g": 180,
        "egg_bearing_excluded": True,
    }
    codes = {g.code for g in selectors.readiness_of(product).gaps}
    assert not codes & {"crab-size-mud-crab", "crab-no-egg-bearing-mud-crab"}
    # Blue swimming crab rules no longer apply to a mud crab.
    assert "crab-size-blue-swimming-crab" not in codes
    entry = HistoryEntry.objects.filter(product=product, changes__has_key="specification").get()
    assert entry.changes["specification"][1]["weight_g"] == 180


def test_an_undersized_crab_cannot_be_marked_export_ready(officer_konawe, ministry):
    product = crab(officer_konawe)
    services.save_specification(
        actor=officer_konawe,
        product=product,
        values={**GOOD, "carapace_width_cm": "11", "weight_g": "140"},
    )
    readiness = selectors.readiness_of(product)
    (gap,) = [g for g in readiness.blocking_everywhere if g.code == "crab-size-mud-crab"]
    assert "Permen KP" in gap.legal_basis
    product.bumdes.status = Bumdes.Status.VERIFIED
    product.bumdes.save()
    product.status = Product.Status.VERIFIED
    product.save()
    with pytest.raises(ValidationError) as refused:
        services.transition_product(actor=ministry, product=product, to="export_ready")
    assert "12 cm" in str(refused.value)


def test_bad_values_are_refused_field_by_field_and_nothing_is_kept(officer_konawe):
    product = crab(officer_konawe)
    with pytest.raises(ValidationError) as refused:
        services.save_specification(
            actor=officer_konawe,
            product=product,
            values={"species": "lobster", "carapace_width_cm": "lebar", "weight_g": "9000"},
        )
    assert set(refused.value.message_dict) == {"species", "carapace_width_cm", "weight_g"}
    product.refresh_from_db()
    assert product.specification == {}


def test_the_product_api_takes_the_specification_and_names_the_field_in_errors(
    officer_konawe, api_as
):
    product = crab(officer_konawe)
    api = api_as("officer_konawe")
    response = api.patch(
        f"/api/v1/products/{product.pk}/",
        {"specification": {"carapace_width_cm": "wide"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["specification"] == ["Smallest carapace width: Enter a number."]
    response = api.patch(
        f"/api/v1/products/{product.pk}/",
        {"specification": {"species": "scylla", "carapace_width_cm": 13}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["specification"] == {"species": "scylla", "carapace_width_cm": 13}


def test_a_product_without_a_template_takes_no_specification(officer_konawe):
    product = crab(officer_konawe, hs_code=HsCode.objects.get(code="110630"), form="processed")
    with pytest.raises(ValidationError) as refused:
        services.save_specification(actor=officer_konawe, product=product, values={"x": 1})
    assert "specification" in refused.value.message_dict


def test_values_of_another_template_stay_but_are_not_read(officer_konawe):
    product = crab(officer_konawe, specification={"species": "scylla"})
    assert product.specification == {"species": "scylla"}
    product = services.update_product(
        actor=officer_konawe,
        product=product,
        data={"hs_code": HsCode.objects.get(code="110630"), "form": "processed"},
    )
    product.refresh_from_db()
    assert product.specification == {"species": "scylla"}  # an unrelated edit loses nothing
    assert not {g.code for g in selectors.readiness_of(product).gaps if g.code.startswith("crab")}


def test_recording_a_specification_keeps_an_export_ready_product_listed(officer_konawe):
    product = crab(officer_konawe)
    Product.objects.filter(pk=product.pk).update(status=Product.Status.EXPORT_READY)
    product.refresh_from_db()
    services.save_specification(actor=officer_konawe, product=product, values=GOOD)
    product.refresh_from_db()
    assert product.status == Product.Status.EXPORT_READY


def test_a_specification_that_breaks_a_blocking_rule_sends_the_product_back(
    officer_konawe, ministry
):
    product = crab(officer_konawe)
    Product.objects.filter(pk=product.pk).update(status=Product.Status.EXPORT_READY)
    product.refresh_from_db()
    services.save_specification(
        actor=officer_konawe,
        product=product,
        values={**GOOD, "carapace_width_cm": "9", "weight_g": "90"},
    )
    product.refresh_from_db()
    assert product.status == Product.Status.SUBMITTED


def test_indonesian_thousands_are_read_as_such(officer_konawe):
    product = crab(officer_konawe)
    services.save_specification(
        actor=officer_konawe, product=product, values={**GOOD, "weight_g": "1.200"}
    )
    product.refresh_from_db()
    assert product.specification["weight_g"] == 1200


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("officer_konawe", True),
        ("officer_sultra", True),
        ("ministry", True),
        ("officer_sulteng", False),
        ("exporter", False),
        ("operator", False),
    ],
)
def test_who_may_record_a_specification(request, officer_konawe, role, allowed):
    product = crab(officer_konawe)
    actor = request.getfixturevalue(role)
    if allowed:
        services.save_specification(actor=actor, product=product, values=GOOD)
    else:
        with pytest.raises(PermissionDenied):
            services.save_specification(actor=actor, product=product, values=GOOD)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("officer_konawe", 200),
        ("officer_sultra", 200),
        ("officer_sulteng", 404),
        ("ministry", 200),
        ("exporter", 403),
        ("operator", 404),
    ],
)
def test_the_specification_page_by_role(as_role, officer_konawe, role, status):
    product = crab(officer_konawe)
    response = as_role(role).get(f"/registry/products/{product.pk}/specification/")
    assert response.status_code == status


def test_the_specification_page_saves_and_shows_errors_on_the_fields(as_role, officer_konawe):
    product = crab(officer_konawe)
    client = as_role("officer_konawe")
    url = f"/registry/products/{product.pk}/specification/"
    response = client.post(url, {**GOOD, "weight_g": "berat"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    product.refresh_from_db()
    assert product.specification == {}
    response = client.post(url, GOOD)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.specification["egg_bearing_excluded"] is True
    page = client.get(f"/registry/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="specification"' in body and "13 cm" in body
    assert 'id="market-HK"' in body and 'id="market-CN"' in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("officer_konawe", 200),
        ("officer_sulteng", 404),
        ("ministry", 200),
        ("exporter", 404),
        ("operator", 404),
    ],
)
def test_the_specification_api_by_role(api_as, officer_konawe, role, status):
    product = crab(officer_konawe)
    response = api_as(role).put(
        f"/api/v1/products/{product.pk}/specification/", GOOD, format="json"
    )
    assert response.status_code == status


def test_the_readiness_api_gives_the_matrix(api_as, officer_konawe):
    product = crab(officer_konawe, specification=GOOD)
    body = (
        api_as("officer_konawe")
        .get(f"/api/v1/products/{product.pk}/readiness/", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    markets = {m["code"]: m for m in body["markets"]}
    assert set(markets) == {"HK", "CN"} and markets["HK"]["targeted"]
    # Without the KI-1 the crab is blocked everywhere; China also misses Form E.
    assert markets["HK"]["state"] == "blocked"
    assert "KI_1" in {g["document"] for g in markets["HK"]["blocking"]}
    assert "SKA_E" in {g["document"] for g in markets["CN"]["missing"]}
    spec = api_as("officer_konawe").get(f"/api/v1/products/{product.pk}/specification/").json()
    assert spec["template"] == "kepiting-rajungan"
    assert spec["values"]["carapace_width_cm"] == 13


def test_the_specification_api_refuses_what_is_not_an_object(api_as, officer_konawe):
    product = crab(officer_konawe)
    api = api_as("officer_konawe")
    for body in (["scylla"], "scylla"):
        response = api.put(f"/api/v1/products/{product.pk}/specification/", body, format="json")
        assert response.status_code == 400
    response = api.put(
        f"/api/v1/products/{product.pk}/specification/", {"colour": "red"}, format="json"
    )
    assert response.status_code == 400 and "colour" in response.json()
    product.refresh_from_db()
    assert product.specification == {}
