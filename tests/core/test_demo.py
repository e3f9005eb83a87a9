"""The demo data: idempotent, every demo login works."""

import pytest
from django.core.management import call_command

from bumdes_export.accounts.models import User
from bumdes_export.core import demo


@pytest.fixture
def full_reference(db):
    from bumdes_export.reference.services import load_all

    load_all()  # the demo has BUMDes in six provinces


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_published_password(client, full_reference):
    call_command("load_demo_data")
    call_command("load_demo_data")  # idempotent

    expected = {
        "kemendes": ("ministry", None),
        "sultra": ("officer", "74"),
        "sulteng": ("officer", "72"),
        "konawe": ("officer", "74.02"),
        "eksportir": ("exporter", None),
        "bumdes": ("operator", None),
    }
    for username, (role, region) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.region_id) == (role, region)
        assert client.login(username=username, password=demo.PASSWORD)
    assert User.objects.filter(username__in=expected).count() == len(expected)
    assert User.objects.get(username="kemendes").is_staff


@pytest.mark.django_db
def test_demo_registry_covers_every_state_six_provinces_and_disadvantaged_regencies(
    full_reference,
):
    from bumdes_export.reference.selectors import disadvantaged_regency_codes
    from products.models import Bumdes, BumdesOperator, Product

    call_command("load_demo_data")
    assert {p.status for p in Product.objects.all()} == {
        "draft",
        "submitted",
        "verified",
        "export_ready",
        "returned",
    }
    assert {b.status for b in Bumdes.objects.all()} == {
        "draft",
        "submitted",
        "verified",
        "returned",
    }
    assert len({b.village_id[:2] for b in Bumdes.objects.all()}) >= 6
    disadvantaged = disadvantaged_regency_codes()
    assert sum(b.village_id[:5] in disadvantaged for b in Bumdes.objects.all()) >= 3
    konawe_crab = BumdesOperator.objects.get(user__username="bumdes").bumdes
    assert konawe_crab.village_id.startswith("74.02.")
    shipped = Product.objects.filter(bumdes=konawe_crab, status="export_ready", exported_to="HK")
    assert shipped.count() == 2
    before = Product.objects.count()
    call_command("load_demo_data")
    assert Product.objects.count() == before


@pytest.mark.django_db
def test_every_demo_product_and_organisation_has_a_drawn_picture(
    full_reference, settings, tmp_path
):
    from PIL import Image

    from exporters.models import Organisation
    from products.illustrations import SIZE
    from products.models import Product

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data")
    call_command("load_demo_data")  # not drawn twice
    for product in Product.objects.all():
        (photo,) = product.photos.all()
        assert photo.caption == "Ilustrasi demo"
        with Image.open(photo.image.path) as image:
            assert image.size == SIZE and image.format == "JPEG"
            # Drawn, not blank: many colours (the gradient, the shape, the lettering).
            assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50
        assert photo.thumbnail
    assert all(organisation.logo for organisation in Organisation.objects.all())
