"""Catalogue test data and helpers: export-ready products in four regencies, searches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from bumdes_export.reference.models import CertificateType
from products.catalogue import selectors
from products.catalogue.selectors import CatalogueQuery
from products.models import Product
from tests.conftest import ROLES
from tests.products.factories import (
    CertificateFactory,
    ProductFactory,
)

ALL_ROLES = [*ROLES, "verified_exporter"]
CONTACTS = {
    "manager_name": "Wa Ode Sitti Hadijah",
    "contact_phone": "+62 401 3127 555",
    "contact_whatsapp": "+62 813 4455 6677",
    "contact_email": "mina.konawe@desa.example.id",
    "address": "Jalan Poros Unaaha Nomor 17",
}
THIS_MONTH = 1 << (date.today().month - 1)


def ready(**fields) -> Product:
    fields.setdefault("status", Product.Status.EXPORT_READY)
    fields.setdefault("export_ready_at", timezone.now())
    fields.setdefault("readiness_score", 100)
    return ProductFactory(**fields)


def certificate(product: Product, code: str, **fields):
    return CertificateFactory(
        product=product, type=CertificateType.objects.get(code=code), **fields
    )


@dataclass
class Catalogue:
    crab: Product  # Konawe (74.02), live, health-fish certificate, the BUMDes has contacts
    coffee: Product  # Donggala (72.03, disadvantaged), dried, halal, not available this month
    seaweed: Product  # Konawe Selatan (74.05), dried, SNI
    flour: Product  # Tojo Una-Una (72.09, disadvantaged), processed, halal + BPOM, SNI expired
    hidden: list[Product]  # draft, submitted, verified, returned: never in the catalogue


def ids(results) -> list[int]:
    return [e["product_id"] for e in results.entries]


def find(**filters) -> selectors.Results:
    return selectors.search(CatalogueQuery(**filters), page_size=100)


def api_list(api, **params):
    response = api.get(reverse("api-catalogue"), params)
    assert response.status_code == 200, response.content
    return response.json()


def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}
