"""The registry keeps the catalogue current: every write, import and rebuild
(``products.catalogue.receivers``, ``services``, ``tasks``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bumdes_export.reference.models import CertificateType, HsCode
from products import events, services
from products.catalogue import selectors
from products.catalogue import services as catalogue
from products.catalogue.models import CatalogueEntry
from products.models import Bumdes, Product
from tests.products.catalogue.helpers import (
    find,
    ids,
)
from tests.products.factories import (
    MUD_CRAB_SPECIFICATION,
    first_desa,
    png_upload,
)

pytestmark = pytest.mark.django_db


# --- The registry keeps the catalogue current ----------------------------------------------


def export_ready_crab(ministry, officer):
    """A crab product taken through the real workflow to export-ready."""
    bumdes = services.create_bumdes(
        actor=officer,
        data={
            "name": "BUMDes Bahari Konawe",
            "village": first_desa_region("74.02."),
            "nib": "1234567890123",
            "npwp": "012345678901000",
            "legal_status": "legal_entity",
            "legal_certificate_number": "AHU-0001.AH.01.33.2023",
        },
    )
    services.transition_bumdes(actor=officer, bumdes=bumdes, to="submitted")
    services.transition_bumdes(actor=ministry, bumdes=bumdes, to="verified")
    product = services.create_product(
        actor=officer,
        bumdes=bumdes,
        data={
            "name_id": "Kepiting soka",
            "name_en": "Soft-shell crab",
            "hs_code": HsCode.objects.get(code="030633"),
            "form": "live",
            "unit": "kg",
            "capacity_per_month": 300,
            "specification": MUD_CRAB_SPECIFICATION,
        },
    )
    services.add_certificate(
        actor=officer,
        product=product,
        data={
            "type": CertificateType.objects.get(code="health-fish"),
            "number": "KI-1/74/777",
            "valid_until": date.today() + timedelta(days=90),
        },
    )
    services.transition_product(actor=officer, product=product, to="submitted")
    services.transition_product(actor=ministry, product=product, to="verified")
    return services.transition_product(actor=ministry, product=product, to="export_ready")


def first_desa_region(prefix):
    from bumdes_export.reference.models import Region

    return Region.objects.get(code=first_desa(prefix))


def test_the_entry_follows_the_product_through_the_workflow(
    ministry, officer_konawe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = export_ready_crab(ministry, officer_konawe)
    entry = CatalogueEntry.objects.get(pk=product.pk)
    assert (entry.name_en, entry.certificates, entry.capacity_base) == (
        "Soft-shell crab",
        "|health-fish|",
        Decimal("300"),
    )
    assert ids(find(q="kepiting soka")) == [product.pk]

    # A non-material change is listed at once.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(
            actor=officer_konawe, product=product, data={"description_en": "Moulted in ponds."}
        )
    assert ids(find(q="moulted")) == [product.pk]

    # A material change sends it back to review: it leaves the catalogue.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(actor=officer_konawe, product=product, data={"form": "frozen"})
    assert Product.objects.get(pk=product.pk).status == "submitted"
    assert not CatalogueEntry.objects.filter(pk=product.pk).exists()
    assert find(q="kepiting soka").count == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_product(actor=ministry, product=product, to="verified")
        services.transition_product(actor=ministry, product=product, to="export_ready")
    assert CatalogueEntry.objects.filter(pk=product.pk, form="frozen").exists()
    # Withdrawn by the ministry: gone again.
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_product(actor=ministry, product=product, to="verified")
    assert not CatalogueEntry.objects.filter(pk=product.pk).exists()


def test_a_photo_becomes_the_thumbnail(
    ministry, officer_konawe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = export_ready_crab(ministry, officer_konawe)
        services.add_photo(actor=officer_konawe, product=product, upload=png_upload())
    entry = CatalogueEntry.objects.get(pk=product.pk)
    assert entry.thumbnail.startswith("products/thumbs/")


def test_the_entry_follows_a_renamed_bumdes(
    cat, officer_konawe, django_capture_on_commit_callbacks
):
    bumdes = Bumdes.objects.get(pk=cat.crab.bumdes_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_bumdes(
            actor=officer_konawe, bumdes=bumdes, data={"name": "BUMDes Samudra Konawe"}
        )
    entry = CatalogueEntry.objects.get(pk=cat.crab.pk)
    assert entry.bumdes_name == "BUMDes Samudra Konawe"
    assert ids(find(q="samudra")) == [cat.crab.pk]
    assert find(q="mina sejahtera").count == 0


def test_an_import_refreshes_the_entries_it_touched(
    cat, ministry, django_capture_on_commit_callbacks
):
    from products.imports import services as imports

    header = "kode_desa,nama_bumdes,nama_produk,kode_hs,bentuk,satuan,kapasitas_per_bulan,harga"
    crab = cat.crab
    row = f"{crab.bumdes.village_id},{crab.bumdes.name},{crab.name_id},0306.33,hidup,ton,5,9.5"
    data = f"{header}\n{row}\n".encode()
    product_import = imports.create_import(
        user=ministry, file_name="produk.csv", data=data, region_code=None
    )
    product_import = imports.submit(product_import, background=False).product_import
    assert product_import.status == "validated", product_import.report
    with django_capture_on_commit_callbacks(execute=True):
        product_import = imports.start_commit(
            product_import, user=ministry, background=False
        ).product_import
    assert product_import.status == "done"
    # The capacity changed (a material change): the crab went back to review and left.
    assert Product.objects.get(pk=crab.pk).status == "submitted"
    assert not CatalogueEntry.objects.filter(pk=crab.pk).exists()
    assert find(q="kepiting").count == 0


def test_the_import_event_is_refreshed_in_one_go(cat, django_assert_max_num_queries):
    Product.objects.filter(pk__in=[cat.coffee.pk, cat.flour.pk]).update(name_en="Renamed")
    Product.objects.filter(pk=cat.seaweed.pk).update(status="submitted")
    # Only the catalogue's own work is counted: the matching engine and the dashboard's tallies
    # listen to the event too.
    events.products_imported.disconnect(dispatch_uid="matching-import")
    events.products_imported.disconnect(dispatch_uid="oversight-import")
    try:
        # A fixed number per batch, whatever its size (the markets each product is ready for
        # read the rules, templates and readiness facts: 7 of them).
        with django_assert_max_num_queries(23):
            events.products_imported.send(
                sender="products", product_ids=[cat.coffee.pk, cat.flour.pk, cat.seaweed.pk]
            )
    finally:
        from matchmaking.matching import receivers
        from matchmaking.oversight import receivers as oversight_receivers

        receivers.connect()
        oversight_receivers.connect()
    assert set(CatalogueEntry.objects.filter(name_en="Renamed").values_list("pk", flat=True)) == {
        cat.coffee.pk,
        cat.flour.pk,
    }
    assert not CatalogueEntry.objects.filter(pk=cat.seaweed.pk).exists()


def test_the_nightly_task_rebuilds_the_catalogue(cat):
    from products.catalogue.tasks import refresh_catalogue

    Product.objects.filter(pk=cat.flour.pk).update(status="verified")
    assert refresh_catalogue.delay().get() == 3
    assert not CatalogueEntry.objects.filter(pk=cat.flour.pk).exists()


def test_a_refresh_that_changes_nothing_keeps_the_cached_counts(cat):
    before = selectors.version()
    catalogue.refresh_entries([cat.crab.pk, cat.coffee.pk, cat.hidden[0].pk])
    assert selectors.version() == before  # nothing changed: the facet cache stays valid
    Product.objects.filter(pk=cat.crab.pk).update(capacity_base=Decimal("2500"))
    catalogue.refresh_entries([cat.crab.pk])
    assert selectors.version() == before + 1
    assert CatalogueEntry.objects.get(pk=cat.crab.pk).capacity_sort == Decimal("2500")


def test_refresh_all_rebuilds_the_catalogue(cat):
    CatalogueEntry.objects.all().delete()
    Product.objects.filter(pk=cat.coffee.pk).update(status="verified")
    assert catalogue.refresh_all() == 3
    assert set(CatalogueEntry.objects.values_list("pk", flat=True)) == {
        cat.crab.pk,
        cat.seaweed.pk,
        cat.flour.pk,
    }
