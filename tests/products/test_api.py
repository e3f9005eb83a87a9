"""Registry API: every endpoint answered for every role, with the rules of the pages.

Officers see and change their region only, the operator only the BUMDes it is linked to,
ministry staff everything; exporters see nothing (empty lists, 404 on details, 403 on create)
and anonymous requests get 401. Objects outside a user's scope answer 404, never 403.
The other test modules of this package cover what each endpoint does in detail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from products.models import Bumdes, BumdesOperator, Certificate, Product, ProductPhoto
from tests.conftest import ROLES
from tests.products.factories import (
    MUD_CRAB_SPECIFICATION,
    BumdesFactory,
    CertificateFactory,
    ProductFactory,
    first_desa,
    png_upload,
)

# --- The registry every API test starts from ---------------------------------------------------


@dataclass
class Registry:
    """Three BUMDes in three regencies; the operator is linked to the Konawe one."""

    konawe: Bumdes  # 74.02 Konawe, Sulawesi Tenggara
    muna: Bumdes  # 74.03 Muna, Sulawesi Tenggara
    banggai: Bumdes  # 72.03 (Sulawesi Tengah), a disadvantaged regency
    product: Product  # of the Konawe BUMDes
    muna_product: Product
    banggai_product: Product
    certificate: Certificate  # KI-1 of ``product``


def build_registry(operator) -> Registry:
    konawe = BumdesFactory(name="BUMDes Konawe Sejahtera", village_id=first_desa("74.02."))
    muna = BumdesFactory(name="BUMDes Muna Jaya", village_id=first_desa("74.03."))
    banggai = BumdesFactory(name="BUMDes Banggai Laut", village_id=first_desa("72.03."))
    BumdesOperator.objects.create(user=operator, bumdes=konawe)
    product = ProductFactory(bumdes=konawe, name_id="Kepiting bakau", name_en="Mud crab")
    return Registry(
        konawe=konawe,
        muna=muna,
        banggai=banggai,
        product=product,
        muna_product=ProductFactory(bumdes=muna, name_id="Rumput laut", hs_code_id="121221"),
        banggai_product=ProductFactory(bumdes=banggai, name_id="Kepiting Banggai"),
        certificate=CertificateFactory(product=product),
    )


@pytest.fixture
def registry(operator) -> Registry:
    return build_registry(operator)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def satisfy_export_rules(reg: Registry) -> Product:
    """Everything the seeded rules require of live crab: a verified legal entity with NIB and
    NPWP, a valid KI-1 certificate (built by the registry) and a monthly capacity."""
    Bumdes.objects.filter(pk=reg.konawe.pk).update(
        status=Bumdes.Status.VERIFIED,
        legal_status=Bumdes.LegalStatus.LEGAL_ENTITY,
        legal_certificate_number="AHU-0001234.AH.01.33.2023",
        nib="1234567890123",
        npwp="012345678901000",
    )
    Product.objects.filter(pk=reg.product.pk).update(
        status=Product.Status.VERIFIED,
        capacity_per_month=500,
        specification=MUD_CRAB_SPECIFICATION,
    )
    reg.product.refresh_from_db()
    return reg.product


def set_status(obj, status: str) -> None:
    type(obj).objects.filter(pk=obj.pk).update(status=status)


# --- Expected answers ------------------------------------------------------------------------

HIDDEN = {"officer_sulteng": 404, "exporter": 404}


def everyone(code: int) -> dict[str, int]:
    return {role: (401 if role == "anonymous" else code) for role in ROLES}


def on_konawe(
    ok: int, *, officers: int | None = None, operator: int | None = None
) -> dict[str, int]:
    """A Konawe record: visible to ministry, both Sulawesi Tenggara officers and its operator."""
    return {
        "anonymous": 401,
        "ministry": ok,
        "officer_sultra": officers or ok,
        "officer_konawe": officers or ok,
        "operator": operator or ok,
        **HIDDEN,
    }


CURATE = on_konawe(200, officers=403, operator=403)  # ministry only
SUBMIT = on_konawe(200, operator=403)  # officers in region and ministry


def bumdes_body(reg: Registry) -> dict:
    return {
        "name": "BUMDes Baru",
        "village": first_desa("74.02.").replace(".", ""),
        "legal_status": "name_registered",
        "npwp": "01.234.567.8-901.000",
    }


def product_body(reg: Registry) -> dict:
    return {
        "bumdes": reg.konawe.pk,
        "name_id": "Kepiting soka",
        "name_en": "Soft-shell crab",
        "hs_code": "0306.33",
        "form": "live",
        "unit": "kg",
        "capacity_per_month": "250",
        "available_months": [1, 2, 3],
        "target_markets": ["sg", "HK"],
    }


def certificate_body(reg: Registry) -> dict:
    return {"type": "halal", "number": "ID00410000123450123", "valid_until": "2030-01-01"}


def _add_photo(reg: Registry) -> None:
    ProductPhoto.objects.create(product=reg.product, image=png_upload(), caption="x")


def _drop_products(reg: Registry) -> None:
    Product.objects.filter(bumdes=reg.konawe).delete()


@dataclass
class Case:
    name: str
    method: str
    path: Callable[[Registry], str]
    expected: dict[str, int]
    body: Callable[[Registry], dict] | None = None
    multipart: bool = False
    prepare: Callable[[Registry], None] | None = None
    extra: dict = field(default_factory=dict)


def _konawe(suffix: str = "") -> Callable[[Registry], str]:
    return lambda reg: f"/api/v1/bumdes/{reg.konawe.pk}/{suffix}"


def _product(suffix: str = "") -> Callable[[Registry], str]:
    return lambda reg: f"/api/v1/products/{reg.product.pk}/{suffix}"


def _certificate(reg: Registry) -> str:
    return f"/api/v1/products/{reg.product.pk}/certificates/{reg.certificate.pk}/"


CASES = [
    # BUMDes
    Case("bumdes list", "get", lambda reg: "/api/v1/bumdes/", everyone(200)),
    Case(
        "bumdes create",
        "post",
        lambda reg: "/api/v1/bumdes/",
        {
            "anonymous": 401,
            "ministry": 201,
            "officer_sultra": 201,
            "officer_konawe": 201,
            "officer_sulteng": 400,  # the village is outside the region
            "exporter": 403,
            "operator": 403,  # operators do not create BUMDes
        },
        body=bumdes_body,
    ),
    Case("bumdes retrieve", "get", _konawe(), on_konawe(200)),
    Case(
        "bumdes partial update",
        "patch",
        _konawe(),
        on_konawe(200),
        body=lambda reg: {"manager_name": "Ibu Wa Ode"},
    ),
    Case(
        "bumdes update",
        "put",
        _konawe(),
        on_konawe(200),
        body=lambda reg: {
            "name": reg.konawe.name,
            "village": reg.konawe.village_id,
            "manager_name": "La Ode",
        },
    ),
    Case(
        "bumdes destroy",
        "delete",
        _konawe(),
        on_konawe(204, operator=403),
        prepare=_drop_products,
    ),
    Case("bumdes submit", "post", _konawe("submit/"), SUBMIT),
    Case(
        "bumdes verify",
        "post",
        _konawe("verify/"),
        CURATE,
        prepare=lambda reg: set_status(reg.konawe, "submitted"),
    ),
    Case(
        "bumdes return",
        "post",
        _konawe("return/"),
        CURATE,
        body=lambda reg: {"note": "NIB tidak cocok dengan OSS"},
        prepare=lambda reg: set_status(reg.konawe, "submitted"),
    ),
    Case(
        "bumdes photo",
        "post",
        _konawe("photo/"),
        on_konawe(200),
        body=lambda reg: {"photo": png_upload()},
        multipart=True,
    ),
    Case("bumdes history", "get", _konawe("history/"), on_konawe(200)),
    # Products
    Case("product list", "get", lambda reg: "/api/v1/products/", everyone(200)),
    Case(
        "product create",
        "post",
        lambda reg: "/api/v1/products/",
        {
            "anonymous": 401,
            "ministry": 201,
            "officer_sultra": 201,
            "officer_konawe": 201,
            "operator": 201,
            "officer_sulteng": 400,  # the BUMDes is not one it may see
            "exporter": 403,
        },
        body=product_body,
    ),
    Case("product retrieve", "get", _product(), on_konawe(200)),
    Case(
        "product partial update",
        "patch",
        _product(),
        on_konawe(200),
        body=lambda reg: {"packaging": "Keranjang bambu 10 kg"},
    ),
    Case(
        "product update",
        "put",
        _product(),
        on_konawe(200),
        body=lambda reg: {**product_body(reg), "name_id": "Kepiting bakau"},
    ),
    Case("product destroy", "delete", _product(), on_konawe(204, operator=403)),
    Case("product submit", "post", _product("submit/"), SUBMIT),
    Case(
        "product verify",
        "post",
        _product("verify/"),
        CURATE,
        prepare=lambda reg: set_status(reg.product, "submitted"),
    ),
    Case(
        "product mark export-ready",
        "post",
        _product("mark-export-ready/"),
        CURATE,
        prepare=satisfy_export_rules,
    ),
    Case(
        "product return",
        "post",
        _product("return/"),
        CURATE,
        body=lambda reg: {"note": "Foto tidak jelas"},
        prepare=lambda reg: set_status(reg.product, "submitted"),
    ),
    Case("product readiness", "get", _product("readiness/"), on_konawe(200)),
    Case("product history", "get", _product("history/"), on_konawe(200)),
    Case(
        "product photo add",
        "post",
        _product("photos/"),
        on_konawe(201),
        body=lambda reg: {"image": png_upload(), "caption": "Hasil panen"},
        multipart=True,
    ),
    Case(
        "product photo delete",
        "delete",
        lambda reg: f"/api/v1/products/{reg.product.pk}/photos/{reg.product.photos.get().pk}/",
        on_konawe(204),
        prepare=_add_photo,
    ),
    # Certificates of a product
    Case("certificate list", "get", _product("certificates/"), on_konawe(200)),
    Case(
        "certificate create",
        "post",
        _product("certificates/"),
        on_konawe(201),
        body=certificate_body,
    ),
    Case("certificate retrieve", "get", _certificate, on_konawe(200)),
    Case(
        "certificate partial update",
        "patch",
        _certificate,
        on_konawe(200),
        body=lambda reg: {"issuer": "Barantin Kendari"},
    ),
    Case(
        "certificate update",
        "put",
        _certificate,
        on_konawe(200),
        body=lambda reg: {"type": "health-fish", "number": "KI-1/99999"},
    ),
    Case("certificate destroy", "delete", _certificate, on_konawe(204)),
    Case("certificate types", "get", lambda reg: "/api/v1/certificate-types/", everyone(200)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_endpoint_answers_every_role(api_as, registry, case, role):
    if case.prepare:
        case.prepare(registry)
    api = api_as(role)
    url = case.path(registry)
    body = case.body(registry) if case.body else None
    if case.multipart:
        response = getattr(api, case.method)(url, body, format="multipart")
    else:
        response = getattr(api, case.method)(url, body, format="json")
    assert response.status_code == case.expected[role], (
        role,
        case.name,
        getattr(response, "data", response.content),
    )
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"].startswith("Token")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, bumdes, products",
    [
        ("ministry", {"konawe", "muna", "banggai"}, {"product", "muna_product", "banggai_product"}),
        ("officer_sultra", {"konawe", "muna"}, {"product", "muna_product"}),
        ("officer_konawe", {"konawe"}, {"product"}),
        ("officer_sulteng", {"banggai"}, {"banggai_product"}),
        ("operator", {"konawe"}, {"product"}),
        ("exporter", set(), set()),
    ],
)
def test_lists_and_details_follow_the_scope(api_as, registry, role, bumdes, products):
    api = api_as(role)
    listed = api.get("/api/v1/bumdes/").json()
    assert {b["id"] for b in listed["results"]} == {getattr(registry, n).pk for n in bumdes}
    assert listed["count"] == len(bumdes)
    listed = api.get("/api/v1/products/").json()
    assert {p["id"] for p in listed["results"]} == {getattr(registry, n).pk for n in products}

    for name in ("konawe", "muna", "banggai"):
        pk = getattr(registry, name).pk
        expected = 200 if name in bumdes else 404
        assert api.get(f"/api/v1/bumdes/{pk}/").status_code == expected, name
        assert api.patch(f"/api/v1/bumdes/{pk}/", {}, format="json").status_code == expected
    for name in ("product", "muna_product", "banggai_product"):
        pk = getattr(registry, name).pk
        expected = 200 if name in products else 404
        assert api.get(f"/api/v1/products/{pk}/").status_code == expected, name
        assert api.get(f"/api/v1/products/{pk}/readiness/").status_code == expected
        assert api.get(f"/api/v1/products/{pk}/certificates/").status_code == expected


@pytest.mark.django_db
def test_an_operator_not_linked_to_a_bumdes_sees_and_creates_nothing(api_as, registry):
    BumdesOperator.objects.all().delete()
    api = api_as("operator")
    assert api.get("/api/v1/bumdes/").json()["count"] == 0
    assert api.get("/api/v1/products/").json()["count"] == 0
    assert api.get(f"/api/v1/products/{registry.product.pk}/").status_code == 404
    assert api.post("/api/v1/products/", product_body(registry), format="json").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bumdes/abc/",
        "/api/v1/bumdes/1.5/",
        "/api/v1/bumdes/99999999999999999999999/",
        "/api/v1/products/abc/readiness/",
        "/api/v1/products/-1/",
        "/api/v1/products/99999999999999999999999/",
        "/api/v1/products/abc/certificates/",
        "/api/v1/products/1/certificates/x/",
        "/api/v1/products/1/photos/x/",
    ],
)
def test_malformed_or_unknown_ids_are_404(api_as, registry, url):
    assert api_as("ministry").get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/bumdes/", "/api/v1/products/", "/api/v1/products/{pk}/certificates/"]
)
def test_bad_json_is_400(api_as, registry, url):
    response = api_as("ministry").post(
        url.format(pk=registry.product.pk), data="{not json", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_json_body_that_is_not_an_object_is_400(api_as, registry):
    api = api_as("ministry")
    for url in ["/api/v1/bumdes/", f"/api/v1/products/{registry.product.pk}/submit/"]:
        assert api.post(url, [1, 2], format="json").status_code == 400, url
