"""The public document checklist, against the domain notes' table, for the programme's
products: live crab to Hong Kong and China, avocado oil and banana flour to China and
Singapore."""

import pytest

from tests.conftest import ROLES

EVERY_SHIPMENT = {"NIB", "NPWP", "CUSTOMS_REG", "PEB", "NPE", "INVOICE", "PACKING_LIST"}


def checklist(client, **params) -> dict:
    response = client.get("/api/v1/checklist/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response.json()


def by_code(body: dict) -> dict[str, dict]:
    return {doc["code"]: doc for doc in body["documents"]}


@pytest.mark.django_db
def test_live_crab_to_hong_kong(client, regions):
    documents = by_code(checklist(client, hs="030633", destination="HK", form="live"))
    assert documents.keys() >= EVERY_SHIPMENT
    assert all(documents[code]["required"] for code in EVERY_SHIPMENT)
    # Live crab travels by air: the air waybill, not a bill of lading.
    assert "AWB" in documents and "BL" not in documents
    # The fish health certificate blocks export; Form AHK claims Hong Kong's preference.
    assert documents["KI_1"]["required"] is True
    assert "Barantin" in documents["KI_1"]["issuer"]
    assert documents["SKA_AHK"]["required"] is False
    assert "e-SKA" in documents["SKA_AHK"]["where"]
    assert not {"SKA_E", "SKA_D", "HALAL", "PHYTO"} & documents.keys()
    assert documents["PEB"]["issuer"].startswith("Directorate General of Customs")


@pytest.mark.django_db
def test_live_crab_to_china_asks_for_form_e_and_names_the_crab_rules(client, regions):
    body = checklist(client, hs="030633", destination="CN", form="live")
    documents = by_code(body)
    assert "SKA_E" in documents and "SKA_AHK" not in documents
    assert documents["KI_1"]["required"] is True
    rules = {rule["code"]: rule for rule in body["rules"]}
    assert rules["crab-size-mud-crab"]["required"] is True
    assert rules["crab-size-mud-crab"]["legal_basis"].startswith("Permen KP")
    # The domain notes give no blue swimming crab minimum: it awaits the ministry.
    assert rules["crab-size-blue-swimming-crab"]["required"] is False
    assert rules["crab-size-blue-swimming-crab"]["awaiting_confirmation"] is True
    assert [f["key"] for f in body["specification"]] == [
        "species",
        "carapace_width_cm",
        "weight_g",
        "egg_bearing_excluded",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("destination", "origin"), [("CN", "SKA_E"), ("SG", "SKA_D")])
@pytest.mark.parametrize("hs", ["151590", "110630"])  # avocado oil, banana flour
def test_processed_food_to_china_and_singapore(client, regions, hs, destination, origin):
    documents = by_code(checklist(client, hs=hs, destination=destination, form="processed"))
    assert documents.keys() >= EVERY_SHIPMENT
    assert origin in documents
    assert {"HALAL", "BPOM_SKE"} <= documents.keys()
    assert not documents["HALAL"]["required"]  # where the buyer or the market asks for it
    assert "KI_1" not in documents
    # Transport not decided: both transport documents, each for its mode.
    assert {documents["BL"]["needed"], documents["AWB"]["needed"]} == {"sea", "air"}


@pytest.mark.django_db
def test_essential_oils_get_their_rules_awaiting_confirmation(client, regions):
    body = checklist(client, hs="330129", destination="CN")
    documents = by_code(body)
    assert {"COA", "MSDS"} <= documents.keys()
    assert documents["COA"]["required"] is False
    assert documents["COA"]["reasons"][0]["awaiting_confirmation"] is True
    assert "essential-oil-specification" in {rule["code"] for rule in body["rules"]}


@pytest.mark.django_db
def test_without_a_form_the_fishery_certificate_says_which_forms(client, regions):
    documents = by_code(checklist(client, hs="030633", destination="HK"))
    assert documents["KI_1"]["forms"] == ["fresh", "frozen", "live"]
    assert {"AWB", "BL"} <= documents.keys()


@pytest.mark.django_db
def test_the_checklist_answers_in_the_readers_language(client, regions):
    client.cookies["django_language"] = "id"
    body = client.get("/api/v1/checklist/", {"hs": "030633", "destination": "HK"}).json()
    assert by_code(body)["PEB"]["name"] == "Pemberitahuan Ekspor Barang (PEB)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"hs": "0306", "destination": "HK"}, "hs"),
        ({"hs": "999999", "destination": "HK"}, "hs"),
        ({"hs": "030633", "destination": "XX"}, "destination"),
        ({"hs": "030633", "destination": "HKG"}, "destination"),
        ({"hs": "030633"}, "destination"),
        ({"hs": "030633", "destination": "HK", "form": "gaseous"}, "form"),
        ({"hs": "030633", "destination": "HK", "transport": "rail"}, "transport"),
    ],
)
def test_bad_parameters_get_a_field_error(client, regions, params, field):
    response = client.get("/api/v1/checklist/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_the_page_reads_a_name_and_shows_the_checklist(client, regions):
    client.cookies["django_language"] = "id"
    response = client.get("/checklist/", {"q": "kepiting bakau hidup", "destination": "HK"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="doc-KI_1"' in page and "0306.33" in page
    # No form chosen: the name's words do not decide it, both transport documents are listed.
    assert 'id="doc-AWB"' in page and 'id="doc-BL"' in page
    live = client.get(
        "/checklist/", {"q": "kepiting bakau hidup", "destination": "HK", "form": "live"}
    ).content.decode()
    assert 'id="doc-AWB"' in live and 'id="doc-BL"' not in live
    assert "surat muatan udara" in live.lower()  # the air waybill, and why


@pytest.mark.django_db
def test_the_page_says_when_a_name_is_not_understood(client, regions):
    response = client.get("/checklist/", {"q": "qwzx", "destination": "HK"})
    assert response.status_code == 400
    assert "qwzx" in response.content.decode()


@pytest.mark.django_db
def test_the_page_without_a_query_shows_the_form(client, regions):
    response = client.get("/checklist/")
    assert response.status_code == 200
    assert 'name="destination"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_checklist_is_open_to_every_role(as_role, api_as, role):
    assert as_role(role).get("/checklist/", {"q": "030633", "destination": "HK"}).status_code == 200
    response = api_as(role).get("/api/v1/checklist/", {"hs": "030633", "destination": "HK"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_certificate_a_rule_asks_for_is_listed_even_without_its_document(client, regions):
    from bumdes_export.reference.models import CertificateType, Country
    from products.models import ReadinessRule

    gacc = CertificateType.objects.create(
        code="gacc", name_id="Registrasi GACC", name_en="GACC registration", issuer="GACC"
    )
    rule = ReadinessRule.objects.create(
        code="gacc-china",
        requirement="certificate",
        certificate_type=gacc,
        hs_prefix="03",
        weight=5,
        required=False,
        gap_id="Registrasi GACC",
        gap_en="GACC registration",
    )
    rule.destinations.add(Country.objects.get(code="CN"))
    documents = by_code(checklist(client, hs="030633", destination="CN"))
    assert documents["GACC"]["issuer"] == "GACC"
    assert "GACC" not in by_code(checklist(client, hs="030633", destination="HK"))
