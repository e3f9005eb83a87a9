"""The deal pages: what each list holds for whom and its filters, the deal page (how it started,
its stages, history, shipments and facilitation), its forms, and entering a deal made outside
the portal. Who may open which page at all: ``test_page_access.py``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from bumdes_export.reference.models import Country
from matchmaking.dealings.models import ServiceRequest
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import Deal
from tests.matchmaking.deals.conftest import shipment_data
from tests.matchmaking.deals.page_scene import HAS_DEALS, OUTSIDE, SEES, build_scene
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(world, crab_deal, org_b, org_pending, ministry):
    return build_scene(world, crab_deal, org_b, org_pending, ministry)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {row.pk for row in response.context["page"]}


def listed_deals_of_shipments(response) -> set[int]:
    assert response.status_code == 200
    return {row.deal_id for row in response.context["page"]}


def today():
    return timezone.localdate()


# --- The lists -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(HAS_DEALS))
def test_each_role_lists_exactly_the_deals_it_may_see(as_role, deals, role):
    assert listed(as_role(role).get("/deals/")) == deals.seen_by(role)


@pytest.mark.parametrize("role", sorted(HAS_DEALS))
def test_each_role_lists_exactly_the_shipments_it_may_see(as_role, deals, ministry, role):
    deal_services.record_shipment(
        actor=ministry,
        deal=deals.donggala,
        data=shipment_data(destination=Country.objects.get(code="SG")),
    )
    expected = deals.seen_by(role) & deals.ids("crab", "donggala")
    assert listed_deals_of_shipments(as_role(role).get("/deals/shipments/")) == expected


def test_a_deal_row_says_what_the_deal_is(as_role, deals):
    response = as_role("officer_konawe").get("/deals/")
    page = response.content.decode()
    assert f'href="/deals/{deals.crab.pk}/"' in page
    for text in (
        "Kepiting bakau",
        "BUMDes Mina Uji",
        "Sulawesi Tenggara",
        "Harbour Test Seafood Ltd",
        "Made outside the portal",
        "First shipment",
        "6,250.00",
    ):
        assertContains(response, text)
    # A foreign organisation's country by name (never a bare code); none for an Indonesian one.
    assert "(ID)" not in page and "(HK)" not in page
    country = deals.crab.organisation.country
    if country is not None and country.code != "ID":
        assert f"({country.name_en})" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=contract", {"oil"}),
        ("stage=first_shipment", {"crab"}),
        ("channel=outside", {"crab", "oil", "donggala"}),
        ("channel=inquiry", set()),
        ("province=74", {"crab", "oil"}),
        ("province=72", {"donggala"}),
        ("hs_chapter=03", {"crab", "donggala"}),
        ("hs_chapter=15", {"oil"}),
        ("destination=HK", {"crab"}),
        ("destination=SG", set()),
        ("shipped_from={past}", {"crab"}),
        ("shipped_from={today}", set()),
        ("shipped_until={past}", set()),
        ("q=harbour", {"crab"}),
        ("q=mina uji", {"crab", "oil"}),
        ("q=alpukat", {"oil"}),
        ("product={oil_product}", {"oil"}),
        ("organisation={org_b}", {"donggala"}),
        ("bumdes={konawe}", {"crab", "oil"}),
        ("stage=loi_mou&province=72&q=second", {"donggala"}),
        # Values that are not valid are left out; the valid ones still apply.
        ("stage=bogus&channel=nope&province=99&hs_chapter=x", {"crab", "oil", "donggala"}),
        ("shipped_from=yesterday&product=abc", {"crab", "oil", "donggala"}),
        ("stage=contract&shipped_until=31-12-2020", {"oil"}),
    ],
)
def test_deal_list_filters(as_role, deals, org_b, query, expected):
    query = query.format(
        past=today() - timedelta(days=5),
        today=today(),
        oil_product=deals.world.oil.pk,
        org_b=org_b.pk,
        konawe=deals.world.konawe.pk,
    )
    assert listed(as_role("ministry").get(f"/deals/?{query}")) == deals.ids(*expected)


def test_filters_never_widen_what_a_role_sees(as_role, deals):
    client = as_role("officer_sulteng")
    assert listed(client.get("/deals/?province=74")) == set()
    assert listed(client.get(f"/deals/?product={deals.world.crab.pk}")) == set()
    assert listed(as_role("second_exporter").get("/deals/?q=harbour")) == set()


def test_shipment_list_filters(as_role, deals, ministry):
    singapore = Country.objects.get(code="SG")
    deal_services.record_shipment(
        actor=ministry,
        deal=deals.crab,
        data=shipment_data(destination=singapore, shipped_on=today() - timedelta(days=1)),
    )
    client = as_role("ministry")

    def dates(query: str) -> list:
        response = client.get(f"/deals/shipments/?{query}")
        assert response.status_code == 200
        return [(row.destination_id, row.shipped_on) for row in response.context["page"]]

    assert dates("") == [("SG", today() - timedelta(days=1)), ("HK", today() - timedelta(days=3))]
    assert dates("destination=HK") == [("HK", today() - timedelta(days=3))]
    assert dates(f"shipped_from={today() - timedelta(days=2)}") == [
        ("SG", today() - timedelta(days=1))
    ]
    assert dates("province=72") == []
    assert dates("stage=repeat_shipments&hs_chapter=03") == [
        ("SG", today() - timedelta(days=1)),
        ("HK", today() - timedelta(days=3)),
    ]


def test_lists_are_paged(as_role, deals, ministry, org_a, world):
    for _n in range(26):
        product = ProductFactory(bumdes=world.konawe, status="export_ready")
        deal_services.open_outside_deal(actor=ministry, product=product, organisation=org_a)
    client = as_role("ministry")
    first = client.get("/deals/")
    assert len(first.context["page"]) == 25
    assertContains(first, "Page 1 of 2")
    second = client.get("/deals/?page=2")
    assert len(second.context["page"]) == 4  # 29 deals in all


def test_the_list_offers_the_downloads_of_the_filtered_list(as_role, deals):
    response = as_role("verified_exporter").get("/deals/?stage=first_shipment&page=1")
    assertContains(response, 'href="/deals/export.csv?stage=first_shipment"')
    assertContains(response, 'href="/deals/export.xlsx?stage=first_shipment"')
    assertContains(response, 'href="/deals/shipments/?stage=first_shipment"')
    shipments = as_role("verified_exporter").get("/deals/shipments/?destination=HK")
    assertContains(shipments, 'href="/deals/shipments/export.csv?destination=HK"')


@pytest.mark.parametrize("role", sorted(HAS_DEALS))
def test_the_outside_deal_button_is_for_ministry_and_officers(as_role, deals, role):
    response = as_role(role).get("/deals/")
    if role in OUTSIDE:
        assertContains(response, 'href="/deals/new/"')
    else:
        assertNotContains(response, 'href="/deals/new/"')


def test_the_narrowed_list_says_so(as_role, deals):
    response = as_role("ministry").get(f"/deals/?organisation={deals.crab.organisation_id}")
    assertContains(response, "Only the deals of one organisation are listed.")
    # The filter form keeps the narrowing when other filters are chosen.
    assertContains(response, f'name="organisation" value="{deals.crab.organisation_id}"')


# --- The deal page ---------------------------------------------------------------------------


def test_the_deal_page_shows_the_deal(as_role, deals, ministry):
    deal_services.record_step(
        actor=ministry,
        deal=deals.crab,
        data={
            "stage": "loi_mou",
            "occurred_on": today() - timedelta(days=4),
            "volume_kg": Decimal("2000"),
            "value_usd": Decimal("25000"),
            "note": "LoI for two tonnes a month.",
        },
    )
    response = as_role("verified_exporter").get(f"/deals/{deals.crab.pk}/")
    page = response.content.decode()
    # The product (its catalogue entry for the organisation's side), the organisation's page.
    assert f'href="/catalogue/{deals.world.crab.pk}/"' in page
    assert f'href="/exporters/{deals.crab.organisation_id}/"' in page
    assertContains(response, "Made outside the portal")
    assertContains(response, "Agreed at a trade fair.")
    # Every stage in order, the reached ones dated.
    assert page.index("Interest") < page.index("Sample sent") < page.index("Contract")
    assertContains(response, "✓ First shipment")
    assertContains(response, "✓ Letter of intent or MoU")
    assertNotContains(response, "✓ Sample sent")
    # The history: who recorded each step, its values and note.
    assertContains(response, f"recorded by {ministry.get_full_name()}")
    assertContains(response, "2,000 kg")
    assertContains(response, "USD 25,000.00")
    assertContains(response, "LoI for two tonnes a month.")
    # The shipment with its totals.
    assertContains(response, "AHK-2026-0001")
    assertContains(response, "98,750,000")  # 6250 USD at 15,800
    assertContains(response, "Haluoleo")
    # The registry page for the product's side.
    konawe = as_role("officer_konawe").get(f"/deals/{deals.crab.pk}/")
    assertContains(konawe, f'href="/registry/products/{deals.world.crab.pk}/"')


def test_shipment_totals_add_every_shipment(as_role, deals, ministry):
    deal_services.record_shipment(
        actor=ministry,
        deal=deals.crab,
        data=shipment_data(quantity=Decimal("250"), value_usd=Decimal("3000")),
    )
    response = as_role("ministry").get(f"/deals/{deals.crab.pk}/")
    assert [s.value_usd for s in response.context["shipments"]] == [
        Decimal("6250"),
        Decimal("3000"),
    ]
    totals = response.context["totals"]
    assert totals["value_usd"] == Decimal("9250")
    assert totals["value_idr"] == Decimal(9250 * 15800)
    assert totals["volumes"] == [("kg", Decimal("750"))]
    assertContains(response, "9,250.00")


def test_a_deal_opened_from_an_inquiry_links_to_it(as_role, scene, verified_exporter, world):
    deal = deal_services.open_deal(
        actor=verified_exporter,
        product=world.crab,
        organisation=scene.inquiry.organisation,
        channel="inquiry",
        origin=scene.inquiry,
    ).deal
    response = as_role("linked_operator").get(f"/deals/{deal.pk}/")
    assertContains(response, f'href="/matchmaking/inquiries/{scene.inquiry.pk}/"')
    assertContains(response, "Crab for Hong Kong")


def test_a_deal_opened_from_an_offer_links_to_its_buying_request(
    as_role, scene, linked_operator, world
):
    deal = deal_services.open_deal(
        actor=linked_operator,
        product=world.crab,
        organisation=scene.rfq.organisation,
        channel="offer",
        origin=scene.offer,
    ).deal
    response = as_role("verified_exporter").get(f"/deals/{deal.pk}/")
    assertContains(response, f'href="/matchmaking/buying-requests/{scene.rfq.pk}/"')
    assertContains(response, "Live mud crab to Hong Kong")


def test_facilitation_on_the_deal_is_listed_for_those_who_may_read_it(
    as_role, deals, platform, verified_exporter, officer_konawe
):
    def ask(by_organisation, user, description):
        return ServiceRequest.objects.create(
            provider=platform,
            service="logistics",
            product=deals.world.crab,
            requesting_organisation=by_organisation,
            deal=deals.crab,
            description=description,
            requested_by=user,
        )

    theirs = ask(deals.crab.organisation, verified_exporter, "Cold chain to the airport")
    ours = ask(None, officer_konawe, "Help with the health certificate")
    url = f"/deals/{deals.crab.pk}/"
    ministry = as_role("ministry").get(url)
    assert [r.pk for r in ministry.context["service_requests"]] == [ours.pk, theirs.pk]
    assertContains(ministry, f'href="/matchmaking/service-requests/{theirs.pk}/"')
    # Both sides of the deal follow the help asked on it, whoever asked.
    exporter = as_role("verified_exporter").get(url)
    assert [r.pk for r in exporter.context["service_requests"]] == [ours.pk, theirs.pk]
    konawe = as_role("officer_konawe").get(url)
    assert [r.pk for r in konawe.context["service_requests"]] == [ours.pk, theirs.pk]


@pytest.mark.parametrize("role", sorted(SEES["oil"]))
def test_forms_and_the_help_link_are_for_those_who_may_record(as_role, deals, role):
    response = as_role(role).get(f"/deals/{deals.oil.pk}/")
    help_link = f'href="/matchmaking/service-requests/new/?deal={deals.oil.pk}"'
    forms = (
        f'action="/deals/{deals.oil.pk}/steps/#record-step"',
        f'action="/deals/{deals.oil.pk}/shipments/#record-shipment"',
        f'action="/deals/{deals.oil.pk}/lost/#lost"',
    )
    if role == "pending_exporter":
        for text in (help_link, *forms):
            assertNotContains(response, text)
    else:
        for text in (help_link, *forms):
            assertContains(response, text)


def test_the_step_form_offers_only_the_stages_not_reached(as_role, deals):
    response = as_role("ministry").get(f"/deals/{deals.oil.pk}/")
    choices = [value for value, _label in response.context["step_form"].fields["stage"].choices]
    assert choices == ["sample_sent", "loi_mou"]  # interest and contract reached


def test_the_shipment_form_starts_from_the_defaults(as_role, deals):
    form = as_role("ministry").get(f"/deals/{deals.crab.pk}/").context["shipment_form"]
    assert form.initial["hs_code"] == "030633"
    assert form.initial["destination"] == "HK"
    assert form.initial["gateway"] == "KDI"
    assert form.initial["idr_per_usd"] == Decimal("15800")
    # Kilograms convert: the weight is worked out, not asked.
    assert "volume" not in form.fields and "volume_unit" not in form.fields
    assert form.fields["quantity"].label == "Quantity (kilogram)"


def test_the_weight_is_asked_when_the_unit_does_not_convert(as_role, deals, ministry, org_a):
    boxes = ProductFactory(bumdes=deals.world.konawe, status="export_ready", unit="box")
    deal = deal_services.open_outside_deal(actor=ministry, product=boxes, organisation=org_a)
    client = as_role("verified_exporter")
    form = client.get(f"/deals/{deal.pk}/").context["shipment_form"]
    assert {"volume", "volume_unit"} <= set(form.fields)
    response = client.post(f"/deals/{deal.pk}/shipments/", shipment_post(quantity="40"))
    assert response.status_code == 400
    assert "volume" in response.context["shipment_form"].errors
    response = client.post(
        f"/deals/{deal.pk}/shipments/",
        shipment_post(quantity="40", volume="480", volume_unit="kg"),
    )
    assert response.status_code == 302
    shipment = deal.shipments.get()
    assert (shipment.quantity, shipment.unit, shipment.volume) == (40, "box", 480)


# --- The forms -------------------------------------------------------------------------------


def step_post(**fields) -> dict:
    data = {"stage": "sample_sent", "occurred_on": str(today() - timedelta(days=1)), **fields}
    return {f"step-{name}": value for name, value in data.items()}


def shipment_post(**fields) -> dict:
    data = {
        "shipped_on": str(today() - timedelta(days=1)),
        "hs_code": "0306.33",
        "quantity": "300",
        "value_usd": "3.750,50",
        "idr_per_usd": "16000",
        "destination": "SG",
        "gateway": "KDI",
        "peb_number": "PEB-77",
        "coo_number": "",
        "note": "",
        **fields,
    }
    return {f"shipment-{name}": value for name, value in data.items()}


def lost_post(**fields) -> dict:
    data = {"reason": "price", "note": "", "occurred_on": str(today()), **fields}
    return {f"lost-{name}": value for name, value in data.items()}


def test_recording_a_step(as_role, deals):
    client = as_role("verified_exporter")
    response = client.post(
        f"/deals/{deals.crab.pk}/steps/",
        step_post(stage="loi_mou", value_usd="12.000", destination="HK", note="Signed"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deals.crab.pk}/#history"
    step = deals.crab.steps.get(stage="loi_mou")
    assert (step.value_usd, step.destination_id, step.note) == (12000, "HK", "Signed")
    assert step.recorded_by.username == "t-buyer-a"
    page = client.get(response["Location"])
    assertContains(page, "Recorded: Letter of intent or MoU.")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_on": "2999-01-01"}, "occurred_on", "The date cannot be in the future."),
        ({"occurred_on": "soon"}, "occurred_on", "Enter a valid date."),
        ({"stage": "interest"}, "stage", "Select a valid choice."),  # already reached
        ({"stage": "first_shipment"}, "stage", "Select a valid choice."),
        ({"volume_kg": "-5"}, "volume_kg", "greater than or equal to 0"),
        ({"volume_kg": "0"}, "volume_kg", "more than zero"),
        ({"value_usd": "lots"}, "value_usd", "Enter a number."),
        ({"destination": "ID"}, "destination", "Select a valid choice."),
    ],
)
def test_a_bad_step_is_refused_on_its_field(as_role, deals, fields, field, message):
    response = as_role("officer_konawe").post(f"/deals/{deals.crab.pk}/steps/", step_post(**fields))
    assert response.status_code == 400
    errors = response.context["step_form"].errors
    assert field in errors and message in " ".join(errors[field])
    assertContains(response, message, status_code=400)
    assert not deals.crab.steps.filter(stage="sample_sent").exists()


def test_recording_shipments_moves_the_deal_on(as_role, deals, org_a, ministry):
    client = as_role("linked_operator")
    deal = deals.oil  # at contract, no shipment yet; litres convert
    response = client.post(
        f"/deals/{deal.pk}/shipments/", shipment_post(hs_code="151590", quantity="1.200")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/#shipments"
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.FIRST_SHIPMENT
    shipment = deal.shipments.get()
    assert (shipment.quantity, shipment.volume, shipment.volume_unit) == (1200, 1200, "l")
    assert shipment.value_usd == Decimal("3750.50")
    assert shipment.value_idr == 60008000
    assert shipment.gateway_id == "KDI" and shipment.peb_number == "PEB-77"
    client.post(f"/deals/{deal.pk}/shipments/", shipment_post(hs_code="151590"))
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.REPEAT_SHIPMENTS
    assertContains(client.get(f"/deals/{deal.pk}/"), "The shipment was recorded.")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value_usd": ""}, "value_usd", "This field is required."),
        ({"value_usd": "0"}, "value_usd", "more than zero"),
        ({"quantity": "x"}, "quantity", "Enter a number."),
        ({"destination": "ID"}, "destination", "Select a valid choice."),
        ({"gateway": "NOPE"}, "gateway", "Select a valid choice."),
        ({"hs_code": "0306"}, "hs_code", "six-digit HS subheading"),
        ({"hs_code": "999999"}, "hs_code", "six-digit HS subheading"),
        ({"shipped_on": "2999-01-01"}, "shipped_on", "cannot be in the future"),
        ({"peb_number": "9" * 41}, "peb_number", "at most 40 characters"),
        ({"idr_per_usd": ""}, "idr_per_usd", "This field is required."),
    ],
)
def test_a_bad_shipment_is_refused_on_its_field(as_role, deals, fields, field, message):
    response = as_role("verified_exporter").post(
        f"/deals/{deals.crab.pk}/shipments/", shipment_post(**fields)
    )
    assert response.status_code == 400
    errors = response.context["shipment_form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert deals.crab.shipments.count() == 1


def test_closing_a_deal_as_lost(as_role, deals):
    client = as_role("second_exporter")
    url = f"/deals/{deals.donggala.pk}/lost/"
    response = client.post(url, lost_post(reason=""))
    assert response.status_code == 400
    assert response.context["lost_form"].errors["reason"] == ["Choose why the deal was lost."]
    response = client.post(url, lost_post(reason="other", note="  "))
    assert response.status_code == 400
    assert response.context["lost_form"].errors["note"] == ["Say what happened."]
    response = client.post(url, lost_post(reason="bogus"))
    assert response.status_code == 400
    assert "reason" in response.context["lost_form"].errors
    deals.donggala.refresh_from_db()
    assert deals.donggala.stage == Deal.Stage.LOI_MOU
    response = client.post(url, lost_post(reason="other", note="The buyer found crab in Vietnam."))
    assert response.status_code == 302
    deals.donggala.refresh_from_db()
    assert deals.donggala.stage == Deal.Stage.LOST
    assert deals.donggala.lost_note == "The buyer found crab in Vietnam."
    page = client.get(f"/deals/{deals.donggala.pk}/")
    assertContains(page, "The deal was closed as lost.")
    assertContains(page, "Other (say what)")
    assertContains(page, "The buyer found crab in Vietnam.")
    # A lost deal takes no more records: no forms, and a post is refused with the reason.
    assertNotContains(page, f'action="/deals/{deals.donggala.pk}/steps/#record-step"')
    assertNotContains(page, "?deal=")
    refused = client.post(f"/deals/{deals.donggala.pk}/steps/", step_post())
    assertContains(refused, "This deal is closed as lost.", status_code=403)


# --- A deal made outside the portal ----------------------------------------------------------


def outside_post(product_, organisation_, **fields) -> dict:
    return {
        "product": product_.pk,
        "organisation": organisation_.pk,
        "stage": "sample_sent",
        "occurred_on": str(today() - timedelta(days=2)),
        "note": "Met at SIAL Jakarta.",
        **fields,
    }


def test_entering_a_deal_made_outside_the_portal(as_role, deals, org_b, officer_sultra):
    client = as_role("officer_sultra")
    response = client.get(f"/deals/new/?product={deals.world.oil.pk}")
    form = response.context["form"]
    assert form.initial["product"] == deals.world.oil.pk
    assertContains(response, f'<option value="{deals.world.oil.pk}" selected>')
    # An officer chooses among the verified and export-ready products of the region.
    products = set(form.fields["product"].queryset)
    assert products == {deals.world.crab, deals.world.oil}
    # Organisations: verified exporters and buyers, not providers nor the unverified.
    organisations = {o.legal_name for o in form.fields["organisation"].queryset}
    assert {"Harbour Test Seafood Ltd", "Second Buyer Pte Ltd"} <= organisations
    assert not {"Pending Foods K.K.", "PT Mitra Niaga Uji"} & organisations
    response = client.post("/deals/new/", outside_post(deals.world.oil, org_b))
    deal = Deal.objects.get(product=deals.world.oil, organisation=org_b)
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert (deal.channel, deal.stage, deal.opened_by) == ("outside", "sample_sent", officer_sultra)
    assert list(deal.steps.values_list("stage", flat=True)) == ["interest", "sample_sent"]
    assertContains(client.get(response["Location"]), "The deal was recorded.")


def test_an_outside_deal_for_a_product_outside_the_region_cannot_be_chosen(as_role, deals, org_b):
    client = as_role("officer_sulteng")
    form = client.get(f"/deals/new/?product={deals.world.crab.pk}").context["form"]
    assert "product" not in form.initial  # a product the officer may not choose is ignored
    assert set(form.fields["product"].queryset) == {deals.world.donggala_crab}
    response = client.post("/deals/new/", outside_post(deals.world.crab, org_b))
    assert response.status_code == 400
    assert "product" in response.context["form"].errors
    assert not Deal.objects.filter(product=deals.world.crab, organisation=org_b).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"organisation": "{org_a}"}, "organisation", "already have an open deal"),
        ({"stage": "first_shipment"}, "stage", "Select a valid choice."),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "cannot be in the future"),
        ({"product": ""}, "product", "This field is required."),
        ({"organisation": "{pending}"}, "organisation", "Select a valid choice."),
    ],
)
def test_a_bad_outside_deal_is_refused_on_its_field(
    as_role, deals, org_a, org_pending, fields, field, message
):
    fields = {k: v.format(org_a=org_a.pk, pending=org_pending.pk) for k, v in fields.items()}
    response = as_role("ministry").post(
        "/deals/new/", outside_post(deals.world.crab, org_a, **fields)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert Deal.objects.count() == 3


def test_a_deal_made_outside_is_offered_for_the_organisation_of_its_page(as_role, deals, org_b):
    form = as_role("ministry").get(f"/deals/new/?organisation={org_b.pk}").context["form"]
    assert form.initial == {"organisation": org_b.pk}


def test_the_nav_bar_links_the_deals_for_those_who_have_them(as_role, deals):
    assertContains(as_role("linked_operator").get("/"), 'href="/deals/"')
    assertNotContains(as_role("exporter").get("/"), 'href="/deals/"')


def test_gateways_are_offered_by_name(as_role, deals):
    form = as_role("ministry").get(f"/deals/{deals.crab.pk}/").context["shipment_form"]
    labels = [str(label) for _value, label in form.fields["gateway"].choices]
    assert "Haluoleo Airport (Kendari) (KDI, Airport)" in labels


@pytest.mark.parametrize("url", ["/deals/", "/deals/shipments/", "/deals/export.csv"])
def test_list_queries_do_not_grow_with_the_rows(as_role, deals, ministry, org_b, world, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_role("ministry")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for _n in range(4):
        product = ProductFactory(bumdes=world.donggala, status="export_ready")
        deal = deal_services.open_outside_deal(actor=ministry, product=product, organisation=org_b)
        deal_services.record_shipment(actor=ministry, deal=deal, data=shipment_data())
    assert queries() == before


def test_countries_are_named_in_the_readers_language(crab_deal, ministry, as_role):
    from matchmaking.deals import services as deal_services
    from tests.matchmaking.deals.conftest import shipment_data

    deal_services.record_shipment(actor=ministry, deal=crab_deal, data=shipment_data())
    client = as_role("ministry")
    client.cookies["django_language"] = "id"
    page = client.get(f"/deals/{crab_deal.pk}/").content.decode()
    assert "Hong Kong DAK Tiongkok" in page and "Hong Kong SAR China" not in page
    client.cookies["django_language"] = "en"
    assert "Hong Kong SAR China" in client.get(f"/deals/{crab_deal.pk}/").content.decode()


def test_the_step_form_starts_at_the_next_stage(crab_deal, ministry, as_role):
    from matchmaking.deals import services as deal_services

    deal_services.record_step(actor=ministry, deal=crab_deal, data={"stage": "loi_mou"})
    form = as_role("ministry").get(f"/deals/{crab_deal.pk}/").context["step_form"]
    assert form.initial["stage"] == "contract"
    assert "sample_sent" in dict(form.fields["stage"].choices)  # still there to fill in
