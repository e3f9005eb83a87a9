"""The public catalogue: search in both languages, facets, only export-ready products, contact
details for verified exporters and ministry staff only (and logged), every page with every role.

Runs on SQLite by default and on PostgreSQL (full-text search, trigram typo tolerance) with
``DATABASE_URL``; the typo test needs PostgreSQL.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bumdes_export.reference.models import CertificateType, HsCode
from products import events, services
from products.catalogue import selectors
from products.catalogue import services as catalogue
from products.catalogue.models import CatalogueEntry, ContactView
from products.catalogue.selectors import CatalogueQuery
from products.catalogue.text import fold, tsquery, words
from products.models import ALL_MONTHS, Bumdes, BumdesOperator, Product
from tests.conftest import ROLES, needs_services
from tests.factories import UserFactory
from tests.products.factories import (
    BumdesFactory,
    CertificateFactory,
    ProductFactory,
    first_desa,
    png_upload,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = [*ROLES, "verified_exporter"]
CONTACTS = {
    "manager_name": "Wa Ode Sitti Hadijah",
    "contact_phone": "+62 401 3127 555",
    "contact_whatsapp": "+62 813 4455 6677",
    "contact_email": "mina.konawe@desa.example.id",
    "address": "Jalan Poros Unaaha Nomor 17",
}
THIS_MONTH = 1 << (date.today().month - 1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def verified_exporter(regions):
    return UserFactory(username="t-eksportir-terverifikasi", organisation_verified=True)


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


@pytest.fixture
def cat(regions) -> Catalogue:
    konawe = BumdesFactory(
        name="BUMDes Mina Sejahtera", village_id=first_desa("74.02."), **CONTACTS
    )
    donggala = BumdesFactory(name="BUMDes Kopi Lembah", village_id=first_desa("72.03."))
    konsel = BumdesFactory(name="BUMDes Laut Biru", village_id=first_desa("74.05."))
    tojo = BumdesFactory(name="BUMDes Pisang Emas", village_id=first_desa("72.09."))
    now = timezone.now()
    crab = ready(
        bumdes=konawe,
        name_id="Kepiting bakau hidup",
        name_en="Live mud crab",
        description_id="Kepiting bakau dari tambak mangrove Konawe.",
        description_en="Mud crab from the mangrove ponds of Konawe.",
        hs_code_id="030633",
        form="live",
        capacity_per_month=Decimal("2"),
        unit="ton",
        capacity_base=Decimal("2000"),
        base_unit="kg",
        export_ready_at=now - timedelta(days=3),
    )
    certificate(crab, "health-fish")
    coffee = ready(
        bumdes=donggala,
        name_id="Kopi robusta",
        name_en="Robusta coffee",
        description_en="Green beans, sun dried.",
        hs_code_id="090111",
        form="dried",
        unit="kg",
        capacity_per_month=Decimal("800"),
        capacity_base=Decimal("800"),
        base_unit="kg",
        available_months=ALL_MONTHS & ~THIS_MONTH,
        export_ready_at=now - timedelta(days=1),
    )
    certificate(coffee, "halal")
    seaweed = ready(
        bumdes=konsel,
        name_id="Rumput laut kering",
        name_en="Dried seaweed",
        hs_code_id="121221",
        form="dried",
        unit="ton",
        capacity_per_month=Decimal("12"),
        capacity_base=Decimal("12000"),
        base_unit="kg",
        export_ready_at=now - timedelta(days=2),
    )
    certificate(seaweed, "sni")
    flour = ready(
        bumdes=tojo,
        name_id="Tepung pisang",
        name_en="Banana flour",
        description_id="Tepung pisang kepok, tanpa gluten.",
        hs_code_id="110630",
        form="processed",
        unit="kg",
        capacity_per_month=Decimal("500"),
        capacity_base=Decimal("500"),
        base_unit="kg",
        available_months=THIS_MONTH,
        export_ready_at=now - timedelta(days=4),
    )
    certificate(flour, "halal")
    certificate(flour, "bpom-md")
    certificate(
        flour,
        "sni",
        valid_from=date.today() - timedelta(days=400),
        valid_until=date.today() - timedelta(days=1),
    )
    hidden = []
    for status in ("draft", "submitted", "verified", "returned"):
        for bumdes, name in ((konawe, "Kepiting merah"), (donggala, "Kopi arabika")):
            product = ProductFactory(
                bumdes=bumdes,
                name_id=f"{name} {status}",
                name_en="Crab coffee hidden",
                hs_code_id="030633",
                form="frozen",
                status=status,
                return_reason="Kurang foto" if status == "returned" else "",
            )
            certificate(product, "organic")
            hidden.append(product)
    catalogue.refresh_all()
    return Catalogue(crab=crab, coffee=coffee, seaweed=seaweed, flour=flour, hidden=hidden)


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


# --- Text -------------------------------------------------------------------------------------


def test_text_is_folded_and_split_into_safe_words():
    assert fold("  Kepíting  BAKAU ") == "kepiting bakau"
    assert words("Kopi & 'robusta' | !kopi") == ["kopi", "robusta"]
    assert words("the and") == ["the", "and"]  # only stop words: kept, so they find nothing
    assert words("kopi of the valley") == ["kopi", "valley"]
    assert tsquery([["kopi"], ["ab"]]) == "kopi:* & ab"
    assert tsquery([["kepiting", "kepitings"], ["bakau"]]) == "(kepiting:* | kepitings:*) & bakau:*"


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ["kepiting", "crab", "KEPITING", "Kepíting", "kepiting bakau", "mud crab", "MANGROVE"]
)
def test_the_konawe_crab_is_found_in_both_languages_whatever_the_case_and_accents(cat, q):
    assert ids(find(q=q)) == [cat.crab.pk]


@pytest.mark.parametrize(
    ("q", "product"),
    [
        ("kopi", "coffee"),
        ("coffee", "coffee"),
        ("tepung pisang", "flour"),
        ("banana flour", "flour"),
        ("rumput laut", "seaweed"),
        ("seaweed", "seaweed"),
        ("gluten", "flour"),
        ("Donggala", "coffee"),
    ],
)
def test_names_descriptions_and_places_are_searched(cat, q, product):
    assert ids(find(q=q)) == [getattr(cat, product).pk]


def test_a_product_is_found_by_the_commodity_terms_of_its_hs_code(cat):
    # "Rajungan" names neither crab nor kepiting: the HS aliases of 0306.33 do.
    swimming_crab = ready(
        bumdes=cat.crab.bumdes, name_id="Rajungan Konawe", hs_code_id="030633", form="fresh"
    )
    catalogue.refresh_entries([swimming_crab.pk])
    assert set(ids(find(q="kepiting"))) == {cat.crab.pk, swimming_crab.pk}
    assert set(ids(find(q="crab"))) == {cat.crab.pk, swimming_crab.pk}


@pytest.mark.parametrize("q", ["xyzzyqwv", "kepiting xyzzyqwv", "zzzz"])
def test_a_term_that_matches_nothing_returns_nothing(cat, q):
    results = find(q=q)
    assert (results.count, results.entries, results.fuzzy) == (0, [], False)
    assert all(not getattr(results.facets, name) for name in ("form", "province", "hs_chapter"))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram typo tolerance needs PostgreSQL"
)
def test_a_typo_finds_similar_names_on_postgresql(cat, api_as, client):
    results = find(q="kepting")
    assert (ids(results), results.fuzzy) == ([cat.crab.pk], True)
    data = api_list(api_as("anonymous"), q="kepting")
    assert ([r["id"] for r in data["results"]], data["approximate"]) == ([cat.crab.pk], True)
    assert ids(find(q="kepting bakau")) == [cat.crab.pk]
    assert ids(find(q="tepung pisng")) == [cat.flour.pk]
    assert find(q="kepting xyzzyqwv").count == 0  # every word must be like a word of a name
    assert api_list(api_as("anonymous"), q="kepiting")["approximate"] is False
    html = client.get(reverse("catalogue:list"), {"q": "kepting"}).content.decode()
    assert "Nothing matched “kepting” exactly" in html and "Live mud crab" in html


def test_orderings(cat):
    assert ids(find(ordering="newest")) == [
        cat.coffee.pk,
        cat.seaweed.pk,
        cat.crab.pk,
        cat.flour.pk,
    ]
    assert ids(find(ordering="capacity")) == [
        cat.seaweed.pk,
        cat.crab.pk,
        cat.coffee.pk,
        cat.flour.pk,
    ]
    assert ids(find()) == ids(find(ordering="newest"))  # same readiness: newest first
    # With words, the product named by them comes before one that only mentions them.
    cat.coffee.description_en = "Pairs well with banana flour cakes."
    cat.coffee.save()
    catalogue.refresh_entries([cat.coffee.pk])
    assert ids(find(q="banana flour")) == [cat.flour.pk, cat.coffee.pk]


# --- Facets -----------------------------------------------------------------------------------


def test_facets_count_the_whole_catalogue_exactly(cat, api_as):
    data = api_list(api_as("anonymous"))
    assert data["count"] == 4
    assert facet(data, "province") == {"74": 2, "72": 2}
    assert facet(data, "hs_chapter") == {"03": 1, "09": 1, "12": 1, "11": 1}
    assert facet(data, "form") == {"live": 1, "dried": 2, "processed": 1}
    # The flour's SNI has expired: it counts for the seaweed only.
    assert facet(data, "certificate") == {"health-fish": 1, "halal": 2, "bpom-md": 1, "sni": 1}
    assert facet(data, "disadvantaged") == {"true": 2, "false": 2}
    assert facet(data, "available_this_month") == {"true": 3, "false": 1}
    provinces = {v["value"]: v["label"] for v in data["facets"]["province"]}
    assert provinces == {"74": "Sulawesi Tenggara", "72": "Sulawesi Tengah"}


def test_facets_count_the_filtered_set(cat, api_as):
    api = api_as("anonymous")
    data = api_list(api, province="72")
    assert data["count"] == 2
    assert facet(data, "form") == {"dried": 1, "processed": 1}
    assert facet(data, "certificate") == {"halal": 2, "bpom-md": 1}
    assert facet(data, "disadvantaged") == {"true": 2}
    assert [v["selected"] for v in data["facets"]["province"]] == [True]

    data = api_list(api, certificate="halal", available_this_month="true")
    assert [r["id"] for r in data["results"]] == [cat.flour.pk]
    data = api_list(api, disadvantaged="false", form="dried")
    assert [r["id"] for r in data["results"]] == [cat.seaweed.pk]
    data = api_list(api, hs_chapter="03", q="crab")
    assert (data["count"], facet(data, "hs_chapter")) == (1, {"03": 1})
    assert api_list(api, certificate="sni", province="72")["count"] == 0


def test_nothing_of_a_product_that_is_not_export_ready_ever_appears(cat, api_as, client):
    hidden = {p.pk for p in cat.hidden}
    assert not CatalogueEntry.objects.filter(pk__in=hidden).exists()
    api = api_as("anonymous")
    for params in ({}, {"q": "kepiting"}, {"q": "kopi"}, {"q": "hidden"}, {"province": "74"}):
        data = api_list(api, **params, page_size=100)
        assert not {r["id"] for r in data["results"]} & hidden
        assert "frozen" not in facet(data, "form")
        assert "organic" not in facet(data, "certificate")
    assert api_list(api, q="hidden")["count"] == 0
    assert api_list(api, form="frozen")["count"] == 0
    assert api_list(api, q="kepiting")["count"] == 1
    page = client.get(reverse("catalogue:list"), {"q": "kepiting"}).content.decode()
    for product in cat.hidden:
        assert product.name_id not in page
        assert api.get(reverse("api-catalogue-item", args=[product.pk])).status_code == 404
        assert client.get(reverse("catalogue:detail", args=[product.pk])).status_code == 404


def test_facet_counts_are_cached_until_the_catalogue_changes(cat, django_assert_max_num_queries):
    query = CatalogueQuery(province="74")
    assert selectors.search(query).count == 2
    # Another page or ordering of the same filters counts nothing again.
    with django_assert_max_num_queries(2):  # version + the page
        selectors.search(CatalogueQuery(province="74", ordering="capacity"))
    moved = ready(bumdes=cat.seaweed.bumdes, name_id="Teripang kering", hs_code_id="030819")
    catalogue.refresh_entries([moved.pk])
    assert selectors.search(query).count == 3


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"province": "99"},
        {"province": "Sulawesi"},
        {"hs_chapter": "xx"},
        {"hs_chapter": "98"},
        {"form": "gas"},
        {"certificate": "nope"},
        {"disadvantaged": "maybe"},
        {"available_this_month": "2"},
        {"ordering": "price"},
        {"page": "0"},
        {"page_size": "1000"},
    ],
)
def test_unknown_filter_values_are_400(cat, api_as, params):
    response = api_as("anonymous").get(reverse("api-catalogue"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pages_link_to_each_other(cat, api_as):
    api = api_as("anonymous")
    first = api_list(api, ordering="newest", page_size=3)
    assert (first["count"], len(first["results"]), first["previous"]) == (4, 3, None)
    second = api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [cat.flour.pk]
    assert second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query) == {
        "ordering": ["newest"],
        "page_size": ["3"],
    }
    assert api.get(reverse("api-catalogue"), {"page": 3, "page_size": 3}).status_code == 404


def test_a_list_item_carries_what_a_card_shows(cat, api_as):
    data = api_list(api_as("anonymous"), q="kopi")
    (item,) = data["results"]
    assert item["id"] == cat.coffee.pk
    assert (item["name"], item["name_id"], item["name_en"]) == (
        "Robusta coffee",
        "Kopi robusta",
        "Robusta coffee",
    )
    assert item["bumdes"] == {"id": cat.coffee.bumdes_id, "name": "BUMDes Kopi Lembah"}
    assert item["regency"] == {"code": "72.03", "name": "Kabupaten Donggala"}
    assert item["province"] == {"code": "72", "name": "Sulawesi Tengah"}
    assert (item["hs_code"], item["form"], item["capacity_per_month"], item["unit"]) == (
        "090111",
        "dried",
        "800",
        "kg",
    )
    assert (item["disadvantaged"], item["available_this_month"]) == (True, False)
    assert [c["code"] for c in item["certificates"]] == ["halal"]
    assert item["url"].endswith(f"/api/v1/catalogue/{cat.coffee.pk}/")


def test_the_name_follows_the_readers_language(cat, api_as):
    api = api_as("anonymous")
    api.cookies["django_language"] = "id"
    (item,) = api_list(api, q="coffee")["results"]
    assert item["name"] == "Kopi robusta"


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
    product_import = imports.submit(product_import, user=ministry, background=False)
    assert product_import.status == "validated", product_import.report
    with django_capture_on_commit_callbacks(execute=True):
        product_import = imports.start_commit(product_import, user=ministry, background=False)
    assert product_import.status == "done"
    # The capacity changed (a material change): the crab went back to review and left.
    assert Product.objects.get(pk=crab.pk).status == "submitted"
    assert not CatalogueEntry.objects.filter(pk=crab.pk).exists()
    assert find(q="kepiting").count == 0


def test_the_import_event_is_refreshed_in_one_go(cat, django_assert_max_num_queries):
    Product.objects.filter(pk__in=[cat.coffee.pk, cat.flour.pk]).update(name_en="Renamed")
    Product.objects.filter(pk=cat.seaweed.pk).update(status="submitted")
    # Only the catalogue's own work is counted: the matching engine listens to the event too.
    events.products_imported.disconnect(dispatch_uid="matching-import")
    try:
        with django_assert_max_num_queries(16):
            events.products_imported.send(
                sender="products", product_ids=[cat.coffee.pk, cat.flour.pk, cat.seaweed.pk]
            )
    finally:
        from matchmaking.matching import receivers

        receivers.connect()
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


# --- Contact details --------------------------------------------------------------------------


def assert_no_contacts(text: str):
    for value in CONTACTS.values():
        assert value not in text
    assert "Wa Ode" not in text and "mina.konawe" not in text and "Poros Unaaha" not in text


def assert_contacts(text: str):
    for value in CONTACTS.values():
        assert value in text


@pytest.fixture
def linked_operator(operator, cat):
    BumdesOperator.objects.create(user=operator, bumdes=cat.crab.bumdes)
    return operator


@pytest.mark.parametrize(
    "role", ["anonymous", "exporter", "officer_sultra", "officer_konawe", "operator"]
)
def test_no_contact_details_for_anyone_but_verified_exporters_and_ministry(
    cat, linked_operator, as_role, api_as, role
):
    page = as_role(role).get(reverse("catalogue:detail", args=[cat.crab.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kepiting bakau hidup" in html
    assert_no_contacts(html)
    response = api_as(role).get(reverse("api-catalogue-item", args=[cat.crab.pk]))
    assert response.status_code == 200
    data = response.json()
    assert (data["contact"], data["contact_visible"]) == (None, False)
    assert_no_contacts(json.dumps(data))
    assert_no_contacts(as_role(role).get(reverse("catalogue:list")).content.decode())
    assert_no_contacts(json.dumps(api_list(api_as(role))))
    assert not ContactView.objects.exists()


def test_the_page_says_why_contacts_are_hidden(cat, as_role, officer_konawe):
    html = as_role("officer_konawe").get(reverse("catalogue:detail", args=[cat.crab.pk]))
    assert "see the catalogue as the public does" in html.content.decode()
    html = as_role("exporter").get(reverse("catalogue:detail", args=[cat.crab.pk]))
    assert "once ministry staff have verified your organisation" in html.content.decode()
    html = as_role("anonymous").get(reverse("catalogue:list"))
    assert "shown to verified exporters only" in html.content.decode()


@pytest.mark.parametrize("role", ["verified_exporter", "ministry"])
def test_verified_exporters_and_ministry_see_contacts_and_each_view_is_logged(
    cat, as_role, api_as, role, request
):
    user = request.getfixturevalue(role)
    client = as_role(role)
    url = reverse("catalogue:detail", args=[cat.crab.pk])
    assert_contacts(client.get(url).content.decode())
    assert_contacts(client.get(url).content.decode())
    data = api_as(role).get(reverse("api-catalogue-item", args=[cat.crab.pk])).json()
    assert data["contact_visible"] is True
    assert data["contact"] == {
        "manager_name": CONTACTS["manager_name"],
        "phone": CONTACTS["contact_phone"],
        "whatsapp": CONTACTS["contact_whatsapp"],
        "email": CONTACTS["contact_email"],
        "address": CONTACTS["address"],
    }
    views = list(ContactView.objects.order_by("id"))
    assert [(v.viewer, v.product_id, v.bumdes_id, v.via) for v in views] == [
        (user, cat.crab.pk, cat.crab.bumdes_id, "page"),
        (user, cat.crab.pk, cat.crab.bumdes_id, "page"),
        (user, cat.crab.pk, cat.crab.bumdes_id, "api"),
    ]
    assert views[0].fields == sorted(CONTACTS)
    assert views[0].viewer_username == user.username
    # Lists never carry contact details, so they log nothing.
    assert_no_contacts(client.get(reverse("catalogue:list")).content.decode())
    assert_no_contacts(json.dumps(api_list(api_as(role))))
    assert ContactView.objects.count() == 3


def test_a_bumdes_without_contact_details_logs_nothing(cat, as_role):
    html = as_role("verified_exporter").get(reverse("catalogue:detail", args=[cat.coffee.pk]))
    assert "has not recorded contact details" in html.content.decode()
    assert not ContactView.objects.exists()


def test_ministry_reads_the_contact_log(cat, as_role, verified_exporter):
    as_role("verified_exporter").get(reverse("catalogue:detail", args=[cat.crab.pk]))
    client = as_role("ministry")
    html = client.get(reverse("catalogue:contact_log")).content.decode()
    assert verified_exporter.username in html
    assert "Kepiting bakau hidup" in html and "BUMDes Mina Sejahtera" in html
    assert "phone" in html and "Catalogue page" in html
    filtered = client.get(reverse("catalogue:contact_log"), {"viewer": "nobody"})
    assert verified_exporter.username not in filtered.content.decode()


# --- Pages ------------------------------------------------------------------------------------


def test_the_list_page_shows_cards_facets_and_pages(cat, client):
    html = client.get(reverse("catalogue:list")).content.decode()
    for product in (cat.crab, cat.coffee, cat.seaweed, cat.flour):
        assert product.name_en in html
        assert reverse("catalogue:detail", args=[product.pk]) in html
    assert "4 export-ready products" in html
    assert "Sulawesi Tenggara" in html and "Kabupaten Donggala" in html
    assert "?province=72" in html and "HS chapter" in html
    html = client.get(reverse("catalogue:list"), {"q": "kopi", "province": "72"}).content.decode()
    assert "1 export-ready product" in html and "Robusta coffee" in html
    assert "Live mud crab" not in html
    assert "Clear all filters" in html


def test_the_list_page_leaves_out_filters_it_does_not_know(cat, client):
    response = client.get(reverse("catalogue:list"), {"province": "99", "q": "kopi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not understood" in html and "Robusta coffee" in html
    response = client.get(reverse("catalogue:list"), {"page": "999"})
    assert response.status_code == 200


def test_the_product_page_shows_what_a_buyer_needs(cat, client):
    html = client.get(reverse("catalogue:detail", args=[cat.flour.pk])).content.decode()
    for text in (
        "Banana flour",
        "Tepung pisang",
        "BUMDes Pisang Emas",
        "Kabupaten Tojo Una Una",
        "Sulawesi Tengah",
        "1106.30",
        "Processed",
        "500 kilogram",
        "Halal",
        "expired",
        "Harvest calendar",
        "Export readiness",
        "disadvantaged regency",
    ):
        assert text in html, text


def test_the_product_api_shows_what_a_buyer_needs(cat, api_as):
    data = api_as("anonymous").get(reverse("api-catalogue-item", args=[cat.flour.pk])).json()
    assert data["id"] == cat.flour.pk
    assert data["village"]["code"] == cat.flour.bumdes.village_id
    assert data["regency"] == {"code": "72.09", "name": "Kabupaten Tojo Una Una"}
    assert data["province"] == {"code": "72", "name": "Sulawesi Tengah"}
    assert data["available_months"] == [date.today().month]
    assert data["disadvantaged"] is True
    certificates = {c["code"]: (c["valid"], c["expired"]) for c in data["certificates"]}
    assert certificates == {"halal": (True, False), "bpom-md": (True, False), "sni": (False, True)}
    assert data["readiness"]["score"] == 100
    assert data["bumdes"]["name"] == "BUMDes Pisang Emas"


# --- Every page and endpoint with every role ------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_with_every_role(cat, as_role, role):
    client = as_role(role)
    assert client.get(reverse("catalogue:list")).status_code == 200
    assert client.get(reverse("catalogue:list"), {"q": "crab", "form": "live"}).status_code == 200
    assert client.get(reverse("catalogue:detail", args=[cat.crab.pk])).status_code == 200
    assert client.get(reverse("catalogue:detail", args=[cat.hidden[0].pk])).status_code == 404
    assert client.get(reverse("catalogue:detail", args=[999999])).status_code == 404
    log = client.get(reverse("catalogue:contact_log"))
    expected = {"anonymous": 302, "ministry": 200}.get(role, 403)
    assert log.status_code == expected
    if role == "anonymous":
        assert log.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_endpoint_with_every_role(cat, api_as, role):
    api = api_as(role)
    data = api_list(api, q="crab")
    assert [r["id"] for r in data["results"]] == [cat.crab.pk]
    response = api.get(reverse("api-catalogue-item", args=[cat.crab.pk]))
    assert response.status_code == 200
    assert response.json()["contact_visible"] is (role in ("ministry", "verified_exporter"))
    assert api.get(reverse("api-catalogue-item", args=[cat.hidden[0].pk])).status_code == 404
    assert api.get(reverse("api-catalogue"), {"form": "gas"}).status_code == 400


# --- The benchmark command ----------------------------------------------------------------------


def test_the_benchmark_refuses_sqlite(regions):
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_catalogue", products=10, requests=5)


@pytest.mark.services
def test_the_benchmark_runs_end_to_end_on_postgresql(transactional_db, regions):
    needs_services("the catalogue benchmark needs PostgreSQL")
    out = io.StringIO()
    call_command("bench_catalogue", products=200, requests=30, warmup=6, stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (figures["products"], figures["errors"]) == (200, 0)
    assert 30 <= figures["export_ready"] <= 90
    assert figures["p95_ms_1"] > 0 and figures["requests_per_s_10"] > 0
    assert not Product.objects.exists()  # cleaned up without --keep
    assert not CatalogueEntry.objects.exists()
