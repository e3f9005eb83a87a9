"""Contact details: for verified exporters and ministry staff only, and every showing logged."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from products.catalogue.models import ContactView
from products.models import BumdesOperator
from tests.products.catalogue.helpers import (
    CONTACTS,
    api_list,
)

pytestmark = pytest.mark.django_db


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
    text = html.content.decode()
    assert "once ministry staff have verified your organisation" in text
    assert "verified organisations (exporters and buyers)" in text  # buyers read it too
    html = Client().get(reverse("catalogue:list"))  # a visitor who never logged in
    assert "shown to verified exporters and buyers only: log in" in html.content.decode()


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
