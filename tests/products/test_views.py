"""Registry pages: who may open them, scoping, the forms, workflow buttons, uploads, curation.

The pages are for ministry staff, regional officers (inside their region) and BUMDes operators
(their own BUMDes only). Anonymous visitors are sent to the login page, exporters get 403, and a
record outside the reader's scope answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils.html import format_html
from pytest_django.asserts import assertContains, assertNotContains

from bumdes_export.reference.models import Region
from products import panels
from products.models import (
    Bumdes,
    BumdesOperator,
    CertificateType,
    HistoryEntry,
    Product,
    ProductPhoto,
)
from tests.conftest import ROLES
from tests.products.factories import (
    BumdesFactory,
    CertificateFactory,
    ProductFactory,
    fake_image_upload,
    first_desa,
    first_kelurahan,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Read the pages in English (the language switcher's cookie), whatever users prefer."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class Registry:
    konawe: Bumdes  # 74.02 Konawe (Sulawesi Tenggara); the operator is linked to it
    banggai: Bumdes  # 72.03 Donggala (Sulawesi Tengah), a disadvantaged regency
    product: Product  # live mud crab of the Konawe BUMDes
    banggai_product: Product


@pytest.fixture
def reg(operator) -> Registry:
    konawe = BumdesFactory(name="BUMDes Konawe Sejahtera", village_id=first_desa("74.02."))
    banggai = BumdesFactory(name="BUMDes Banggai Laut", village_id=first_desa("72.03."))
    BumdesOperator.objects.create(user=operator, bumdes=konawe)
    return Registry(
        konawe=konawe,
        banggai=banggai,
        product=ProductFactory(bumdes=konawe, name_id="Kepiting bakau", name_en="Mud crab"),
        banggai_product=ProductFactory(bumdes=banggai, name_id="Kepiting Banggai"),
    )


def desa_elsewhere_in_konawe() -> str:
    """A desa of Konawe (74.02) in another district than ``first_desa``."""
    lead = first_desa("74.02.")
    return (
        Region.objects.filter(level=4, kind="desa", code__startswith="74.02.")
        .exclude(code__startswith=lead[:9])
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def set_status(obj, status: str) -> None:
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()


# --- Who may open which page -------------------------------------------------------------------

REGISTRY_ROLES_OK = {
    "ministry": 200,
    "officer_sultra": 200,
    "officer_konawe": 200,
    "officer_sulteng": 200,
    "operator": 200,
}
KONAWE_RECORD = {**REGISTRY_ROLES_OK, "officer_sulteng": 404}

PAGES = {
    "bumdes_list": ("/registry/bumdes/", REGISTRY_ROLES_OK),
    "bumdes_create": ("/registry/bumdes/new/", {**REGISTRY_ROLES_OK, "operator": 403}),
    "bumdes_detail": ("/registry/bumdes/{bumdes}/", KONAWE_RECORD),
    "bumdes_edit": ("/registry/bumdes/{bumdes}/edit/", KONAWE_RECORD),
    "product_list": ("/registry/products/", REGISTRY_ROLES_OK),
    "product_create": ("/registry/products/new/", REGISTRY_ROLES_OK),
    "product_detail": ("/registry/products/{product}/", KONAWE_RECORD),
    "product_edit": ("/registry/products/{product}/edit/", KONAWE_RECORD),
    "certificate_add": ("/registry/products/{product}/certificates/new/", KONAWE_RECORD),
    "certificate_edit": (
        "/registry/products/{product}/certificates/{certificate}/edit/",
        KONAWE_RECORD,
    ),
    "certificate_delete": (
        "/registry/products/{product}/certificates/{certificate}/delete/",
        KONAWE_RECORD,
    ),
    "curation": (
        "/registry/curation/",
        {role: 403 for role in REGISTRY_ROLES_OK} | {"ministry": 200},
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role(as_role, reg, role, page):
    certificate = CertificateFactory(product=reg.product)
    template, expected = PAGES[page]
    url = template.format(bumdes=reg.konawe.pk, product=reg.product.pk, certificate=certificate.pk)
    response = as_role(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == f"/login/?next={url}"
    elif role == "exporter":
        assert response.status_code == 403
    else:
        assert response.status_code == expected[role]


POSTS = {
    # (url, data, expected for the roles that may open the registry)
    "bumdes_transition": (
        "/registry/bumdes/{bumdes}/transition/",
        {"to": "submitted"},
        {"ministry": 302, "officer_sultra": 302, "officer_konawe": 302, "operator": 403},
    ),
    "product_transition": (
        "/registry/products/{product}/transition/",
        {"to": "submitted"},
        {"ministry": 302, "officer_sultra": 302, "officer_konawe": 302, "operator": 403},
    ),
    "bumdes_operator": (
        "/registry/bumdes/{bumdes}/operator/",
        {"user": "t-bumdes"},
        {"ministry": 302, "officer_sultra": 302, "officer_konawe": 302, "operator": 403},
    ),
    "certificate_delete": (
        "/registry/products/{product}/certificates/{certificate}/delete/",
        {},
        {"ministry": 302, "officer_sultra": 302, "officer_konawe": 302, "operator": 302},
    ),
}


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_action_answers_each_role_and_refusals_change_nothing(as_role, reg, role, action):
    certificate = CertificateFactory(product=reg.product)
    template, data, expected = POSTS[action]
    url = template.format(bumdes=reg.konawe.pk, product=reg.product.pk, certificate=certificate.pk)
    response = as_role(role).post(url, data)
    status = {"anonymous": 302, "exporter": 403, "officer_sulteng": 404, **expected}[role]
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith("/login/")
    if status != 302 or role == "anonymous":
        assert not HistoryEntry.objects.exists()
        assert reg.product.certificates.exists()
        reg.konawe.refresh_from_db()
        assert reg.konawe.status == Bumdes.Status.DRAFT


def test_post_only_actions_refuse_get(as_role, reg):
    client = as_role("ministry")
    for url in (
        f"/registry/bumdes/{reg.konawe.pk}/transition/",
        f"/registry/bumdes/{reg.konawe.pk}/photo/",
        f"/registry/bumdes/{reg.konawe.pk}/operator/",
        f"/registry/products/{reg.product.pk}/transition/",
        f"/registry/products/{reg.product.pk}/photos/",
    ):
        assert client.get(url).status_code == 405, url


def test_unknown_records_answer_404(as_role, reg):
    client = as_role("ministry")
    assert client.get("/registry/bumdes/999999/").status_code == 404
    assert client.get("/registry/products/999999/").status_code == 404
    url = f"/registry/products/{reg.product.pk}/certificates/999999/edit/"
    assert client.get(url).status_code == 404


def test_registry_root_leads_to_the_product_list(as_role, reg):
    response = as_role("officer_konawe").get("/registry/")
    assert response.status_code == 302
    assert response.url == "/registry/products/"
    assert as_role("exporter").get("/registry/").status_code == 403


# --- Scope -----------------------------------------------------------------------------------


def test_officers_see_their_region_only(as_role, reg):
    client = as_role("officer_sulteng")
    assert client.get(f"/registry/products/{reg.product.pk}/").status_code == 404
    assert client.get(f"/registry/bumdes/{reg.konawe.pk}/").status_code == 404
    products = client.get("/registry/products/")
    assertContains(products, "Kepiting Banggai")
    assertNotContains(products, "Kepiting bakau")
    bumdes = client.get("/registry/bumdes/")
    assertContains(bumdes, "BUMDes Banggai Laut")
    assertNotContains(bumdes, "BUMDes Konawe Sejahtera")


def test_regency_officer_list_and_province_choices(as_role, reg):
    response = as_role("officer_konawe").get("/registry/products/")
    assertContains(response, "Kepiting bakau")
    assertNotContains(response, "Kepiting Banggai")
    filters = response.context["filters"]
    assert [code for code, _ in filters.fields["province"].choices] == ["", "74"]
    assert [code for code, _ in filters.fields["regency"].choices] == ["", "74.02"]


def test_operator_sees_and_edits_only_its_own_bumdes(as_role, reg):
    client = as_role("operator")
    page = client.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, "BUMDes Konawe Sejahtera")
    assertContains(page, f'href="/registry/bumdes/{reg.konawe.pk}/edit/"')
    # Operators neither submit for review nor link operators.
    assertNotContains(page, "Submit for review")
    assertNotContains(page, "Link an operator")
    assert client.get(f"/registry/bumdes/{reg.banggai.pk}/").status_code == 404
    listing = client.get("/registry/products/")
    assertContains(listing, "Kepiting bakau")
    assertNotContains(listing, "Kepiting Banggai")


def test_unlinked_operator_sees_nothing(as_role, reg):
    BumdesOperator.objects.all().delete()
    client = as_role("operator")
    assert client.get(f"/registry/bumdes/{reg.konawe.pk}/").status_code == 404
    assertNotContains(client.get("/registry/products/"), "Kepiting bakau")
    create = client.get("/registry/products/new/")
    assertContains(create, "There is no BUMDes you can add products to.")


# --- Product list: filters, sorting, pagination ----------------------------------------------


def listed(response) -> list[str]:
    return [p.name_id for p in response.context["page"]]


def test_product_list_rows(as_role, reg):
    Product.objects.filter(pk=reg.product.pk).update(readiness_score=65)
    response = as_role("ministry").get("/registry/products/")
    village = Region.objects.get(code=reg.konawe.village_id)
    assertContains(response, f'href="/registry/products/{reg.product.pk}/"')
    assertContains(response, f'href="/registry/bumdes/{reg.konawe.pk}/"')
    assertContains(response, village.name)
    assertContains(response, "Kabupaten Konawe")
    assertContains(response, "0306.33")
    assertContains(response, '<span class="badge ">Draft</span>', html=True)
    assertContains(response, "65 %")
    # Banggai (72.03) is a designated disadvantaged regency.
    assertContains(response, ">disadvantaged</span>", count=1)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "banggai"}, ["Kepiting Banggai"]),
        ({"q": "konawe sejahtera"}, ["Kepiting bakau", "Rumput laut"]),
        ({"province": "72"}, ["Kepiting Banggai"]),
        ({"regency": "74.02"}, ["Kepiting bakau", "Rumput laut"]),
        ({"hs_chapter": "12"}, ["Rumput laut"]),
        ({"hs_chapter": "03"}, ["Kepiting Banggai", "Kepiting bakau"]),
        ({"status": "submitted"}, ["Kepiting Banggai"]),
        ({"disadvantaged": "1"}, ["Kepiting Banggai"]),
        ({"disadvantaged": "0"}, ["Kepiting bakau", "Rumput laut"]),
        ({"certificate": "health-fish"}, ["Kepiting bakau"]),
        ({"status": "nonsense"}, ["Kepiting Banggai", "Kepiting bakau", "Rumput laut"]),
    ],
)
def test_product_list_filters(as_role, reg, query, expected):
    ProductFactory(bumdes=reg.konawe, name_id="Rumput laut", hs_code_id="121221")
    set_status(reg.banggai_product, "submitted")
    CertificateFactory(product=reg.product)
    CertificateFactory(
        product=reg.banggai_product,
        valid_from=date.today() - timedelta(days=400),
        valid_until=date.today() - timedelta(days=1),
    )
    response = as_role("ministry").get("/registry/products/", query)
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(expected)


def test_product_list_sorting(as_role, reg):
    Product.objects.filter(pk=reg.banggai_product.pk).update(readiness_score=90)
    Product.objects.filter(pk=reg.product.pk).update(readiness_score=40)
    client = as_role("ministry")
    assert listed(client.get("/registry/products/", {"ordering": "readiness"})) == [
        "Kepiting Banggai",
        "Kepiting bakau",
    ]
    assert listed(client.get("/registry/products/", {"ordering": "-name"})) == [
        "Kepiting bakau",
        "Kepiting Banggai",
    ]


def test_pagination_keeps_the_filters(as_role, reg):
    for n in range(26):
        ProductFactory(bumdes=reg.konawe, name_id=f"Gula aren {n:02d}")
    response = as_role("ministry").get("/registry/products/", {"q": "gula", "status": "draft"})
    assert len(response.context["page"]) == 25
    assertContains(response, "Page 1 of 2")
    assertContains(response, 'href="?q=gula&amp;status=draft&amp;page=2"')
    second = as_role("ministry").get("/registry/products/", {"q": "gula", "page": 2})
    assert listed(second) == ["Gula aren 25"]


def test_bumdes_list_filters(as_role, reg):
    set_status(reg.banggai, "submitted")
    client = as_role("ministry")
    response = client.get("/registry/bumdes/", {"status": "submitted"})
    assert [b.name for b in response.context["page"]] == ["BUMDes Banggai Laut"]
    response = client.get("/registry/bumdes/", {"q": "konawe"})
    assert [b.name for b in response.context["page"]] == ["BUMDes Konawe Sejahtera"]
    assertContains(response, "Kabupaten Konawe")


# --- BUMDes forms ----------------------------------------------------------------------------


def bumdes_data(**extra) -> dict:
    return {
        "name": "BUMDes Mina Sejahtera",
        "kind": "bumdes",
        "village": first_desa("74.02.").replace(".", ""),
        "legal_status": "not_yet",
        "nib": "1234 5678 90123",
        "business_units": "Perikanan\nSimpan pinjam",
        **extra,
    }


def test_officer_creates_a_bumdes(as_role, regions):
    client = as_role("officer_konawe")
    form_page = client.get("/registry/bumdes/new/")
    assertContains(form_page, 'data-region-cascade=""')
    assertContains(form_page, 'data-scope="74.02"')

    response = client.post("/registry/bumdes/new/", bumdes_data())

    bumdes = Bumdes.objects.get()
    assert response.status_code == 302
    assert response.url == f"/registry/bumdes/{bumdes.pk}/"
    assert bumdes.village_id == first_desa("74.02.")  # typed without dots
    assert bumdes.nib == "1234567890123"
    page = client.get(response.url)
    assertContains(page, "“BUMDes Mina Sejahtera” created.")  # the name says BUMDes already
    assertNotContains(page, "BUMDes BUMDes")
    assertContains(page, "Simpan pinjam")
    assertContains(page, "Created")


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"village": "72.03.04.2001"}, "village", "is outside your region"),
        (
            {"village": "74.02.99.9999"},
            "village",
            "There is no village with the code 74.02.99.9999.",
        ),
        ({"village": "74.02"}, "village", "is not a village code"),
        ({"village": ""}, "village", "This field is required."),
        ({"nib": "123"}, "nib", "An NIB has 13 digits."),
        ({"legal_status": "legal_entity"}, "legal_certificate_number", "certificate number"),
        (
            {"kind": "bersama", "member_villages": "72.03.04.2001"},
            "member_villages",
            "All villages of a BUM Desa Bersama lie in one regency",
        ),
        (
            {"member_villages": "99.99"},
            "member_villages",
            "There is no village with the code 99.99",
        ),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_invalid_bumdes_shows_the_message_on_the_field(as_role, regions, extra, field, message):
    response = as_role("officer_konawe").post("/registry/bumdes/new/", bumdes_data(**extra))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assertContains(response, "has-error", status_code=400)
    assert not Bumdes.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_kelurahan_cannot_own_a_bumdes(as_role, regions):
    kelurahan = first_kelurahan("74.02.")
    response = as_role("ministry").post("/registry/bumdes/new/", bumdes_data(village=kelurahan))
    assert response.status_code == 400
    assert "kelurahan" in response.context["form"].errors["village"][0]
    assert not Bumdes.objects.exists()


def test_bum_desa_bersama_with_member_villages(as_role, regions):
    lead = first_desa("74.02.")
    other = desa_elsewhere_in_konawe()
    response = as_role("officer_konawe").post(
        "/registry/bumdes/new/",
        bumdes_data(kind="bersama", village=lead, member_villages=other.replace(".", "")),
    )
    assert response.status_code == 302
    bumdes = Bumdes.objects.get()
    assert set(bumdes.member_villages.values_list("code", flat=True)) == {lead, other}
    assertContains(as_role("officer_konawe").get(response.url), other)


def test_edit_form_is_prefilled_and_records_the_change(as_role, reg):
    client = as_role("officer_konawe")
    url = f"/registry/bumdes/{reg.konawe.pk}/edit/"
    form_page = client.get(url)
    assertContains(form_page, f'value="{reg.konawe.village_id}"')
    assertContains(form_page, 'value="BUMDes Konawe Sejahtera"')

    data = bumdes_data(name="BUMDes Konawe Makmur", village=reg.konawe.village_id)
    response = client.post(url, data)

    assert response.status_code == 302
    reg.konawe.refresh_from_db()
    assert reg.konawe.name == "BUMDes Konawe Makmur"
    page = client.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, "Changed")
    assertContains(
        page, "<li>Name: <del>BUMDes Konawe Sejahtera</del> → BUMDes Konawe Makmur</li>", html=True
    )


def test_invalid_edit_changes_nothing(as_role, reg):
    data = bumdes_data(name="Baru", village=reg.konawe.village_id, npwp="12")
    response = as_role("officer_konawe").post(f"/registry/bumdes/{reg.konawe.pk}/edit/", data)
    assert response.status_code == 400
    assert "An NPWP has 15 digits" in response.context["form"].errors["npwp"][0]
    reg.konawe.refresh_from_db()
    assert reg.konawe.name == "BUMDes Konawe Sejahtera"


def test_operator_edits_but_cannot_move_its_bumdes(as_role, reg):
    data = bumdes_data(name="BUMDes Konawe Operator", village=desa_elsewhere_in_konawe())
    response = as_role("operator").post(f"/registry/bumdes/{reg.konawe.pk}/edit/", data)
    assert response.status_code == 302
    old_village = reg.konawe.village_id
    reg.konawe.refresh_from_db()
    assert reg.konawe.name == "BUMDes Konawe Operator"
    assert reg.konawe.village_id == old_village  # the village field is locked for operators


def test_operator_cannot_create_a_bumdes(as_role, reg):
    response = as_role("operator").post("/registry/bumdes/new/", bumdes_data(name="Baru"))
    assert response.status_code == 403
    assert not Bumdes.objects.filter(name="Baru").exists()


# --- Product forms ---------------------------------------------------------------------------


def product_data(bumdes: Bumdes, **extra) -> dict:
    return {
        "bumdes": bumdes.pk,
        "name_id": "Kepiting soka",
        "name_en": "Soft-shell crab",
        "hs_code": "0306.33",
        "form": "live",
        "unit": "quintal",
        "capacity_per_month": "1.500,5",
        "available_months": ["1", "2", "12"],
        "currency": "usd",
        "incoterm": "FOB",
        "exported_to": ["HK"],
        "target_markets": ["CN", "SG"],
        **extra,
    }


def test_product_form_preselects_and_limits_the_bumdes(as_role, reg):
    other = BumdesFactory(name="BUMDes Muna Jaya", village_id=first_desa("74.03."))
    response = as_role("officer_konawe").get(f"/registry/products/new/?bumdes={reg.konawe.pk}")
    assert response.context["form"]["bumdes"].value() == reg.konawe.pk
    assertContains(response, "BUMDes Konawe Sejahtera")
    assertNotContains(response, other.name)
    assertContains(response, 'data-hs-search="/api/v1/hs-codes/?level=subheading"')


def test_officer_creates_a_product(as_role, reg):
    client = as_role("officer_konawe")
    response = client.post("/registry/products/new/", product_data(reg.konawe))
    product = Product.objects.get(name_id="Kepiting soka")
    assert response.status_code == 302
    assert response.url == f"/registry/products/{product.pk}/"
    assert product.hs_code_id == "030633"
    assert str(product.capacity_per_month) == "1500.500"
    assert str(product.capacity_base) == "150050.000"
    assert product.base_unit == "kg"
    assert product.months == [1, 2, 12]
    assert product.currency == "USD"
    assert list(product.exported_to.values_list("code", flat=True)) == ["HK"]
    assert set(product.target_markets.values_list("code", flat=True)) == {"CN", "SG"}

    page = client.get(response.url)
    assertContains(page, "“Kepiting soka” created.")
    assertContains(page, "1,500.5 quintal (100 kg)")
    assertContains(page, "(= 150,050 kg)")
    assertContains(page, "Hong Kong")
    assertContains(page, "Singapore")


def test_hs_code_without_dot_is_accepted(as_role, reg):
    data = product_data(reg.konawe, hs_code="030633", capacity_per_month="12.5")
    assert as_role("ministry").post("/registry/products/new/", data).status_code == 302
    product = Product.objects.get(name_id="Kepiting soka")
    assert product.hs_code_id == "030633"
    assert str(product.capacity_per_month) == "12.500"


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"hs_code": "0306"}, "hs_code", "choose a 6-digit subheading"),
        ({"hs_code": "999999"}, "hs_code", "There is no HS 2022 code 999999."),
        ({"national_code": "12345678"}, "national_code", "must start with the HS subheading"),
        ({"capacity_per_month": "banyak"}, "capacity_per_month", "Enter a number."),
        ({"capacity_per_month": "-3"}, "capacity_per_month", "greater than or equal to 0"),
        ({"currency": "rupiah"}, "currency", "3-letter ISO code"),
        ({"name_id": ""}, "name_id", "This field is required."),
        ({"form": ""}, "form", "This field is required."),
    ],
)
def test_invalid_product_shows_the_message_on_the_field(as_role, reg, extra, field, message):
    response = as_role("officer_konawe").post(
        "/registry/products/new/", product_data(reg.konawe, **extra)
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Product.objects.filter(name_id="Kepiting soka").exists()
    assert not HistoryEntry.objects.exists()


def test_product_cannot_be_created_in_a_bumdes_outside_the_region(as_role, reg):
    response = as_role("officer_konawe").post("/registry/products/new/", product_data(reg.banggai))
    assert response.status_code == 400
    assert "bumdes" in response.context["form"].errors
    assert not Product.objects.filter(name_id="Kepiting soka").exists()


def test_operator_creates_products_for_its_bumdes(as_role, reg):
    response = as_role("operator").post("/registry/products/new/", product_data(reg.konawe))
    assert response.status_code == 302
    assert Product.objects.filter(name_id="Kepiting soka", bumdes=reg.konawe).exists()


def test_product_edit_is_prefilled_and_saves(as_role, reg):
    Product.objects.filter(pk=reg.product.pk).update(capacity_per_month="2.5", unit="ton")
    client = as_role("officer_konawe")
    url = f"/registry/products/{reg.product.pk}/edit/"
    form = client.get(url).context["form"]
    assert form["hs_code"].value() == "0306.33"
    assert form["capacity_per_month"].value() == "2.5"
    assert "bumdes" not in form.fields

    data = product_data(reg.konawe, name_id="Kepiting bakau", capacity_per_month="3")
    response = client.post(url, data)
    assert response.status_code == 302
    reg.product.refresh_from_db()
    assert str(reg.product.capacity_per_month) == "3.000"
    assertContains(client.get(f"/registry/products/{reg.product.pk}/"), "Changed")


def test_invalid_product_edit_changes_nothing(as_role, reg):
    url = f"/registry/products/{reg.product.pk}/edit/"
    response = as_role("officer_konawe").post(url, product_data(reg.konawe, hs_code="03"))
    assert response.status_code == 400
    assert "choose a 6-digit subheading" in response.context["form"].errors["hs_code"][0]
    reg.product.refresh_from_db()
    assert reg.product.name_id == "Kepiting bakau"


# --- Workflow buttons ------------------------------------------------------------------------


def test_bumdes_review_through_the_buttons(as_role, reg):
    officer = as_role("officer_konawe")
    page = officer.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, 'name="to" value="submitted"')
    assertNotContains(page, 'value="verified"')

    response = officer.post(f"/registry/bumdes/{reg.konawe.pk}/transition/", {"to": "submitted"})
    assert response.status_code == 302
    reg.konawe.refresh_from_db()
    assert reg.konawe.status == "submitted"
    page = officer.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, "Status changed")
    assertContains(page, "The BUMDes is now: Submitted.")
    # The officer cannot verify, neither by button nor by posting.
    assertNotContains(page, 'value="verified"')
    denied = officer.post(f"/registry/bumdes/{reg.konawe.pk}/transition/", {"to": "verified"})
    assert denied.status_code == 403

    ministry = as_role("ministry")
    page = ministry.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, 'value="verified"')
    assertContains(page, "Return with reason")
    response = ministry.post(f"/registry/bumdes/{reg.konawe.pk}/transition/", {"to": "returned"})
    assert response.status_code == 400
    assertContains(response, "Say why the BUMDes is returned.", status_code=400)
    # Said at the top of the page too, where the person is when the page comes back.
    assert [str(m) for m in response.context["messages"]] == ["Say why the BUMDes is returned."]
    reg.konawe.refresh_from_db()
    assert reg.konawe.status == "submitted"

    ministry.post(
        f"/registry/bumdes/{reg.konawe.pk}/transition/",
        {"to": "returned", "note": "NIB belum dilampirkan"},
    )
    page = ministry.get(f"/registry/bumdes/{reg.konawe.pk}/")
    assertContains(page, "Returned for changes:")
    assertContains(page, "NIB belum dilampirkan", count=2)  # the callout and the history
    history = page.context["history"]
    assert [(e.from_status, e.to_status) for e in history if e.kind == "transition"] == [
        ("submitted", "returned"),
        ("draft", "submitted"),
    ]
    assert history[0].actor.username == "t-kemendes"


def test_impossible_transition_shows_a_message(as_role, reg):
    response = as_role("ministry").post(
        f"/registry/bumdes/{reg.konawe.pk}/transition/", {"to": "verified"}
    )
    assert response.status_code == 400
    assertContains(response, "A BUMDes cannot go from Draft to Verified.", status_code=400)


def test_product_review_and_export_ready_gate(as_role, reg):
    officer = as_role("officer_konawe")
    officer.post(f"/registry/products/{reg.product.pk}/transition/", {"to": "submitted"})
    ministry = as_role("ministry")
    ministry.post(f"/registry/products/{reg.product.pk}/transition/", {"to": "verified"})
    reg.product.refresh_from_db()
    assert reg.product.status == "verified"

    page = ministry.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, "Mark export-ready")
    assertContains(page, "required items are missing")
    response = ministry.post(
        f"/registry/products/{reg.product.pk}/transition/", {"to": "export_ready"}
    )
    assert response.status_code == 400
    assertContains(response, "Not export-ready yet: NIB missing", status_code=400)
    reg.product.refresh_from_db()
    assert reg.product.status == "verified"
    history = ministry.get(f"/registry/products/{reg.product.pk}/").context["history"]
    assert [e.to_status for e in history] == ["verified", "submitted"]


def test_operator_sees_no_review_buttons(as_role, reg):
    page = as_role("operator").get(f"/registry/products/{reg.product.pk}/")
    assertNotContains(page, 'name="to"')
    assertContains(page, "No status change is open to you at this stage.")


# --- Product page --------------------------------------------------------------------------


def test_product_page_shows_readiness_calendar_and_region(as_role, reg):
    Product.objects.filter(pk=reg.product.pk).update(available_months=0b100000000001)
    page = as_role("officer_konawe").get(f"/registry/products/{reg.product.pk}/")
    readiness = page.context["readiness"]
    assertContains(page, f"{readiness.score} %")
    assertContains(page, "NIB missing")
    assertContains(page, "Register the BUMDes in the OSS system to obtain an NIB")
    assertContains(page, "KI-1 fish health certificate needed")
    assertContains(page, '<li class="on">', count=2)
    assertContains(page, '<li class="off">', count=10)
    village = Region.objects.select_related("parent__parent__parent").get(
        code=reg.konawe.village_id
    )
    for region in (village, village.parent, village.parent.parent, village.parent.parent.parent):
        assertContains(page, region.name)
    assertContains(page, 'href="/registry/products/?regency=74.02"')


def test_gaps_follow_the_readers_language(as_role, reg, client):
    client.cookies["django_language"] = "id"
    page = as_role("officer_konawe").get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, "NIB belum ada")
    assertNotContains(page, "NIB missing")


def test_extra_panels_fill_the_slots(as_role, reg, monkeypatch):
    def buyers(request, product):
        return format_html("<section id='buyers'>{} buyers</section>", product.name_id)

    def broken(request, obj):
        raise RuntimeError("matching is down")

    monkeypatch.setattr(panels, "PRODUCT_PAGE_PANELS", [buyers, broken, lambda r, p: "<b>raw</b>"])
    monkeypatch.setattr(
        panels, "BUMDES_PAGE_PANELS", [lambda r, b: format_html("<p>{}</p>", "ok!")]
    )
    client = as_role("ministry")
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, "<section id='buyers'>Kepiting bakau buyers</section>")
    assertContains(page, "&lt;b&gt;raw&lt;/b&gt;")  # a plain string is escaped
    assertContains(client.get(f"/registry/bumdes/{reg.konawe.pk}/"), "<p>ok!</p>")


# --- Certificates ------------------------------------------------------------------------------


def certificate_data(**extra) -> dict:
    return {
        "type": CertificateType.objects.get(code="health-fish").pk,
        "number": "KI-1/2024/0042",
        "issuer": "Balai Karantina Kendari",
        "valid_from": (date.today() - timedelta(days=400)).isoformat(),
        "valid_until": (date.today() - timedelta(days=1)).isoformat(),
        **extra,
    }


def test_expired_certificate_is_marked_and_counts_as_missing(as_role, reg):
    client = as_role("officer_konawe")
    url = f"/registry/products/{reg.product.pk}/certificates/new/"
    response = client.post(url, certificate_data())
    assert response.status_code == 302
    assert response.url == f"/registry/products/{reg.product.pk}/#certificates"
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, "KI-1/2024/0042")
    assertContains(page, '<span class="badge danger">expired</span>', html=True)
    assertContains(page, "KI-1 fish health certificate needed")  # still a gap

    valid = certificate_data(
        number="KI-1/2025/0001",
        valid_from=date.today().isoformat(),
        valid_until=(date.today() + timedelta(days=90)).isoformat(),
        document=pdf_upload(),
    )
    assert client.post(url, valid).status_code == 302
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, '<span class="badge ok">valid</span>', html=True)
    assertNotContains(page, "KI-1 fish health certificate needed")
    assert reg.product.certificates.get(number="KI-1/2025/0001").document.name.endswith(".pdf")
    # The link that opens the document says "open" (a verb), in Indonesian too.
    client.cookies["django_language"] = "id"
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, ">Buka</a>")
    assertNotContains(page, "Terbuka")


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"number": ""}, "number", "This field is required."),
        (
            {"valid_from": "2025-05-01", "valid_until": "2025-01-01"},
            "valid_until",
            "cannot expire before it is valid",
        ),
        ({"document": fake_image_upload("ki1.pdf")}, "document", "as PDF, JPEG or PNG"),
    ],
)
def test_invalid_certificate_shows_the_message(as_role, reg, extra, field, message):
    url = f"/registry/products/{reg.product.pk}/certificates/new/"
    response = as_role("officer_konawe").post(url, certificate_data(**extra))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not reg.product.certificates.exists()


def test_certificate_edit_and_delete(as_role, reg):
    certificate = CertificateFactory(product=reg.product)
    client = as_role("operator")
    base = f"/registry/products/{reg.product.pk}/certificates/{certificate.pk}"
    form = client.get(f"{base}/edit/").context["form"]
    assert form["number"].value() == certificate.number
    response = client.post(f"{base}/edit/", certificate_data(number="KI-1/BARU"))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.number == "KI-1/BARU"

    assertContains(client.get(f"{base}/delete/"), "Delete the Fish health certificate (KI-1)")
    assert client.post(f"{base}/delete/").status_code == 302
    assert not reg.product.certificates.exists()
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assert sum(e.kind == "certificate" for e in page.context["history"]) == 2


# --- Photos --------------------------------------------------------------------------------------


def test_photo_upload_and_delete(as_role, reg, tmp_path, django_capture_on_commit_callbacks):
    client = as_role("officer_konawe")
    url = f"/registry/products/{reg.product.pk}/photos/"
    response = client.post(url, {"image": png_upload(), "caption": "Hasil tangkapan pagi"})
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert (tmp_path / photo.image.name).exists()
    assert (tmp_path / photo.thumbnail.name).exists()
    page = client.get(f"/registry/products/{reg.product.pk}/")
    assertContains(page, photo.thumbnail.url)
    assertContains(page, "Hasil tangkapan pagi")
    # The history says a photo was added, not where its file lies.
    history = page.context["history"][0]
    assert history.change_list == [("Photo", None, "a photo")]
    assertContains(page, "<li>Photo: a photo</li>")
    assertNotContains(page, f"Photo: {photo.image.name}")

    delete = f"/registry/products/{reg.product.pk}/photos/{photo.pk}/delete/"
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        assert as_role("officer_konawe").post(delete).status_code == 302
    assert not ProductPhoto.objects.exists()
    assert not (tmp_path / photo.image.name).exists()


def test_the_review_speaks_of_returning_only_to_who_may_return(as_role, reg):
    officer = as_role("officer_konawe").get(f"/registry/products/{reg.product.pk}/")
    assertContains(officer, "Note on the BUMDes (optional)")  # officers submit, never return
    assertNotContains(officer, "Required when returning")
    reg.konawe.status = "submitted"
    reg.konawe.save()
    reg.product.status = "submitted"
    reg.product.save()
    ministry = as_role("ministry").get(f"/registry/products/{reg.product.pk}/")
    assertContains(ministry, "Note on the BUMDes (needed to return it)")
    assertContains(ministry, "Required when returning")


def test_fake_image_is_rejected_with_a_message(as_role, reg):
    url = f"/registry/products/{reg.product.pk}/photos/"
    response = as_role("officer_konawe").post(url, {"image": fake_image_upload()})
    assert response.status_code == 400
    assertContains(response, "This file is not a JPEG, PNG or WebP image.", status_code=400)
    assert not ProductPhoto.objects.exists()


def test_photo_upload_needs_edit_rights(as_role, reg):
    url = f"/registry/products/{reg.product.pk}/photos/"
    assert as_role("officer_sulteng").post(url, {"image": png_upload()}).status_code == 404
    assert not ProductPhoto.objects.exists()


def test_bumdes_photo(as_role, reg, tmp_path):
    client = as_role("operator")
    url = f"/registry/bumdes/{reg.konawe.pk}/photo/"
    assert client.post(url, {"image": png_upload()}).status_code == 302
    reg.konawe.refresh_from_db()
    assert (tmp_path / reg.konawe.photo.name).exists()
    assertContains(client.get(f"/registry/bumdes/{reg.konawe.pk}/"), reg.konawe.photo.url)
    response = client.post(url, {"image": fake_image_upload()})
    assert response.status_code == 400
    assertContains(response, "This file is not a JPEG, PNG or WebP image.", status_code=400)


# --- Operators -----------------------------------------------------------------------------------


def test_officer_links_an_operator_by_username(as_role, reg, django_user_model):
    BumdesOperator.objects.all().delete()
    client = as_role("officer_konawe")
    url = f"/registry/bumdes/{reg.konawe.pk}/operator/"
    response = client.post(url, {"user": "t-bumdes"})
    assert response.status_code == 302
    assert BumdesOperator.objects.get().bumdes == reg.konawe
    assertContains(client.get(f"/registry/bumdes/{reg.konawe.pk}/"), "(t-bumdes)")


@pytest.mark.parametrize(
    "username, message",
    [
        ("t-sultra", "Only a BUMDes operator account can be linked."),
        ("nobody", "There is no active account with this username."),
    ],
)
def test_linking_a_wrong_account_is_refused(as_role, reg, officer_sultra, username, message):
    BumdesOperator.objects.all().delete()
    response = as_role("officer_konawe").post(
        f"/registry/bumdes/{reg.konawe.pk}/operator/", {"user": username}
    )
    assert response.status_code == 400
    assert message in response.context["operator_form"].errors["user"]
    assert not BumdesOperator.objects.exists()


# --- Curation queue ------------------------------------------------------------------------------


def test_curation_queue_for_ministry_staff(as_role, reg):
    set_status(reg.banggai, "submitted")
    set_status(reg.product, "submitted")
    set_status(reg.banggai_product, "verified")
    ProductFactory(bumdes=reg.konawe, name_id="Madu hutan")  # a draft: not in the queue
    response = as_role("ministry").get("/registry/curation/")
    queue = response.context["queue"]
    assert [b.name for b in queue["bumdes"]["rows"]] == ["BUMDes Banggai Laut"]
    assert [p.name_id for p in queue["submitted"]["rows"]] == ["Kepiting bakau"]
    assert [p.name_id for p in queue["verified"]["rows"]] == ["Kepiting Banggai"]
    assertNotContains(response, "Madu hutan")
    assertContains(response, f'href="/registry/products/{reg.product.pk}/"')


def test_the_ministry_reviews_the_bumdes_from_its_products_page(as_role, reg, client):
    set_status(reg.konawe, "submitted")
    set_status(reg.product, "submitted")
    url = f"/registry/products/{reg.product.pk}/"
    page = as_role("ministry").get(url)
    assertContains(page, "this product becomes export-ready only once the BUMDes is verified")
    assertContains(page, "The BUMDes waits for your review: verify or return it under Review.")
    assertContains(page, "BUMDes: Verify")
    response = as_role("ministry").post(
        f"/registry/bumdes/{reg.konawe.pk}/transition/",
        {"to": "verified", "note": "", "product": reg.product.pk},
    )
    assert response.status_code == 302 and response.url == f"{url}#workflow"
    reg.konawe.refresh_from_db()
    assert reg.konawe.status == "verified"
    page = as_role("ministry").get(url)
    assertNotContains(page, 'id="bumdes-review"')


def test_the_bumdes_step_is_worded_for_each_reader(as_role, reg):
    url = f"/registry/products/{reg.product.pk}/"
    set_status(reg.konawe, "submitted")
    page = as_role("officer_konawe").get(url)
    assertContains(page, "The BUMDes waits for ministry staff to verify it.")
    assertNotContains(page, "BUMDes: Verify")  # not the officer's step
    set_status(reg.konawe, "draft")
    page = as_role("officer_konawe").get(url)
    assertContains(page, "Submit the BUMDes for verification under Review.")
    assertContains(page, "BUMDes: Submit for review")
    page = as_role("operator").get(url)
    assertContains(page, "The regional officer submits the BUMDes for verification")
    assertNotContains(page, "BUMDes: Submit for review")


def test_a_bumdes_reviewed_from_another_bumdes_product_goes_back_to_the_bumdes(as_role, reg):
    set_status(reg.konawe, "submitted")
    response = as_role("ministry").post(
        f"/registry/bumdes/{reg.konawe.pk}/transition/",
        {"to": "verified", "note": "", "product": reg.banggai_product.pk},
    )
    assert response.url == f"/registry/bumdes/{reg.konawe.pk}/"
