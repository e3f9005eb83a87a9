"""The catalogue item page offers verified exporters the way into matchmaking."""

import pytest

from products.catalogue.services import refresh_entries
from tests.products.factories import ProductFactory


@pytest.fixture
def listed(db, regions):
    product = ProductFactory(status="export_ready")
    refresh_entries([product.pk])
    return product


@pytest.mark.django_db
def test_verified_exporters_get_inquiry_and_shortlist_buttons(client, listed, verified_exporter):
    client.force_login(verified_exporter)
    page = client.get(f"/catalogue/{listed.pk}/").content.decode()
    assert f"/matchmaking/inquiries/new/?product={listed.pk}&amp;kind=inquiry" in page
    assert "/matchmaking/shortlist/add/" in page


@pytest.mark.django_db
def test_unverified_exporters_are_told_why_and_others_see_nothing(
    client, listed, pending_exporter, ministry
):
    client.force_login(pending_exporter)
    page = client.get(f"/catalogue/{listed.pk}/").content.decode()
    assert "awaiting verification" in page
    assert "/matchmaking/inquiries/new/" not in page
    client.force_login(ministry)
    assert (
        "/matchmaking/inquiries/new/" not in client.get(f"/catalogue/{listed.pk}/").content.decode()
    )
    client.logout()
    assert (
        "/matchmaking/inquiries/new/" not in client.get(f"/catalogue/{listed.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_anonymous_visitors_are_invited_to_log_in_or_register(client, listed):
    page = client.get(f"/catalogue/{listed.pk}/").content.decode()
    assert "/exporters/register/" in page
    assert f"/login/?next=/catalogue/{listed.pk}/" in page.replace("%2F", "/")
