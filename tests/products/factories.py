"""Factories for registry tests: BUMDes, products and certificates written straight to the database.

They bypass ``products.services`` (no history, no stored readiness score): use the services or
the API when a test is about those. Villages come from the real reference data (conftest).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from bumdes_export.reference.models import Region
from products.models import Bumdes, Certificate, CertificateType, Product

#: An export-size live mud crab, egg-bearing females sorted out: the crab rules are met.
MUD_CRAB_SPECIFICATION = {
    "species": "scylla",
    "carapace_width_cm": 13,
    "weight_g": 180,
    "egg_bearing_excluded": True,
}


def first_desa(prefix: str = "74.02.", index: int = 0) -> str:
    """The code of the first (or ``index``-th) current desa, not a kelurahan, under ``prefix``."""
    codes = (
        Region.objects.filter(
            level=4, kind="desa", code__startswith=prefix, retired_at__isnull=True
        )
        .order_by("code")
        .values_list("code", flat=True)
    )
    code = codes[index : index + 1].first()
    assert code, f"no desa under {prefix} in the test reference data"
    return code


def first_kelurahan(prefix: str = "74.02.") -> str:
    code = (
        Region.objects.filter(level=4, kind="kelurahan", code__startswith=prefix)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    assert code, f"no kelurahan under {prefix} in the test reference data"
    return code


class BumdesFactory(DjangoModelFactory):
    class Meta:
        model = Bumdes

    name = factory.Sequence(lambda n: f"BUMDes Uji {n}")
    village_id = factory.LazyFunction(first_desa)
    kind = Bumdes.Kind.BUMDES


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    bumdes = factory.SubFactory(BumdesFactory)
    name_id = factory.Sequence(lambda n: f"Produk Uji {n}")
    hs_code_id = "030633"
    form = "live"
    unit = "kg"
    # Crab (HS 0306) records a compliant specification unless told otherwise.
    specification = factory.LazyAttribute(
        lambda o: dict(MUD_CRAB_SPECIFICATION) if o.hs_code_id.startswith("0306") else {}
    )


class CertificateFactory(DjangoModelFactory):
    """A KI-1 fish health certificate, valid from a month ago for a year, unless told otherwise."""

    class Meta:
        model = Certificate

    product = factory.SubFactory(ProductFactory)
    type = factory.LazyFunction(lambda: CertificateType.objects.get(code="health-fish"))
    number = factory.Sequence(lambda n: f"KI-1/{n:05d}")
    issuer = "Balai Karantina Kendari"
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=365))


def png_upload(name: str = "photo.png", size: tuple[int, int] = (32, 24)) -> SimpleUploadedFile:
    """A real PNG image made in memory, as an uploaded file."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def fake_image_upload(name: str = "x.jpg") -> SimpleUploadedFile:
    """A text file pretending to be a JPEG."""
    return SimpleUploadedFile(name, b"this is not an image\n", content_type="image/jpeg")


def pdf_upload(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        content_type="application/pdf",
    )
