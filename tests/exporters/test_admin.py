"""The directory in the Django admin: every write goes through ``exporters.services``, with the
same checks as the pages, recorded and announced so that matching hears of it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from exporters import events, services
from exporters.models import Membership, Organisation, OrganisationChange
from tests.exporters.factories import OrganisationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_recorded_bumps_the_version_and_is_announced_after_commit(
    ministry, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    before = organisation.version
    heard = []

    def listener(sender, organisation_id, version, **kwargs):
        heard.append((organisation_id, version))

    events.organisation_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.record_admin_change(actor=ministry, organisation=organisation)
    finally:
        events.organisation_changed.disconnect(listener)

    assert organisation.version == before + 1
    assert heard == [(organisation.pk, before + 1)]
    assert OrganisationChange.objects.filter(
        organisation=organisation, action="admin_edit", actor=ministry
    ).exists()


# --- Through the admin's pages ---------------------------------------------------------------


@pytest.fixture
def superuser(regions):
    return UserFactory(username="t-admin", ministry=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def change_url(organisation: Organisation) -> str:
    return reverse("admin:exporters_organisation_change", args=[organisation.pk])


def admin_data(organisation: Organisation | None = None, **overrides) -> dict:
    """The admin's change form as a browser would send it back, with ``overrides``."""
    organisation = organisation or Organisation(kind="buyer", country_id="HK")
    memberships = list(organisation.memberships.all()) if organisation.pk else []
    data = {
        "legal_name": organisation.legal_name or "Lion City Seafood Pte Ltd",
        "kind": organisation.kind,
        "country": organisation.country_id,
        "nib": organisation.nib,
        "npwp": organisation.npwp,
        "province": organisation.province_id or "",
        "address": organisation.address,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
        "website": organisation.website,
        "description": organisation.description,
        "languages": json.dumps(organisation.languages),
        "services": json.dumps(organisation.services),
        "required_certificates": json.dumps(organisation.required_certificates),
        "incoterms": json.dumps(organisation.incoterms),
        "min_order_kg": "",
        "max_volume_kg_per_month": "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if organisation.pk:
        data["hs_interests"] = list(organisation.hs_interests.values_list("code", flat=True))
        data["destination_markets"] = list(
            organisation.destination_markets.values_list("code", flat=True)
        )
    for i, membership in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": str(membership.pk),
            f"memberships-{i}-organisation": str(organisation.pk),
            f"memberships-{i}-user": str(membership.user_id),
            f"memberships-{i}-is_admin": "on" if membership.is_admin else "",
        }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_edit_in_the_admin_goes_through_the_service_and_records_what_changed(
    admin_client, superuser, crab_org, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, organisation_id, version, **kwargs):
        heard.append((organisation_id, version))

    events.organisation_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                change_url(crab_org),
                admin_data(
                    crab_org,
                    npwp="02.456.789.1-811.001",
                    incoterms='["fob", "cif"]',
                    hs_interests=["030633", "0306"],
                ),
            )
    finally:
        events.organisation_changed.disconnect(listener)
    assert response.status_code == 302, response.context["adminform"].form.errors
    crab_org.refresh_from_db()
    assert crab_org.npwp == "024567891811001"  # kept as digits, as the service keeps them
    assert crab_org.incoterms == ["CIF", "FOB"]
    assert sorted(crab_org.hs_interests.values_list("code", flat=True)) == ["0306", "030633"]
    assert crab_org.version == 2
    assert heard == [(crab_org.pk, 2)]
    entry = crab_org.history.get()
    assert (entry.action, entry.actor) == ("admin_edit", superuser)
    assert entry.changes["npwp"] == ["024567891811000", "024567891811001"]
    assert entry.changes["hs_interests"] == [["030633"], ["0306", "030633"]]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"province": ""}, "province", "An Indonesian company names its province."),
        ({"languages": '["xx"]'}, "languages", "Unknown language code"),
        ({"services": '["catering"]'}, "services", "Unknown service: catering"),
        ({"incoterms": '["DAT"]'}, "incoterms", "Unknown Incoterm: DAT"),
        ({"required_certificates": '["iso-xyz"]'}, "required_certificates", "iso-xyz"),
        ({"nib": "12345"}, "nib", "An NIB has 13 digits."),
    ],
)
def test_the_admin_form_is_checked_by_the_service(
    admin_client, crab_org, overrides, field, message
):
    response = admin_client.post(change_url(crab_org), admin_data(crab_org, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    crab_org.refresh_from_db()
    assert crab_org.version == 1
    assert not crab_org.history.exists()


def test_an_organisation_added_in_the_admin_is_created_by_the_service(admin_client, superuser):
    response = admin_client.post(
        reverse("admin:exporters_organisation_add"),
        admin_data(legal_name="Lion City Seafood Pte Ltd", country="SG", incoterms='["fob"]'),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(legal_name="Lion City Seafood Pte Ltd")
    assert organisation.status == "pending"
    assert organisation.incoterms == ["FOB"]
    assert [(e.action, e.actor) for e in organisation.history.all()] == [("created", superuser)]


def test_members_added_in_the_admin_take_the_organisation_s_verified_state(
    admin_client, crab_org, verified_exporter, exporter
):
    data = admin_data(crab_org)
    data |= {
        "memberships-TOTAL_FORMS": "2",
        "memberships-1-organisation": str(crab_org.pk),
        "memberships-1-user": str(exporter.pk),
        "memberships-1-is_admin": "",
    }
    response = admin_client.post(change_url(crab_org), data)
    assert response.status_code == 302
    exporter.refresh_from_db()
    assert exporter.membership.organisation == crab_org
    assert exporter.organisation_verified


def test_a_member_removed_in_the_admin_is_removed_by_the_service(
    admin_client, crab_org, verified_exporter, crab_colleague
):
    data = admin_data(crab_org)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-user") and value == str(crab_colleague.pk)
    )
    data[f"memberships-{index}-DELETE"] = "on"
    response = admin_client.post(change_url(crab_org), data)
    assert response.status_code == 302
    crab_colleague.refresh_from_db()
    assert not Membership.objects.filter(user=crab_colleague).exists()
    assert not crab_colleague.is_active and not crab_colleague.organisation_verified
    assert "member_removed" in [e.action for e in crab_org.history.all()]


def test_the_last_admin_is_not_removed_in_the_admin(admin_client, crab_org, verified_exporter):
    data = admin_data(crab_org, **{"memberships-0-DELETE": "on"})
    response = admin_client.post(change_url(crab_org), data, follow=True)
    assert "An organisation keeps at least one admin." in response.content.decode()
    assert Membership.objects.filter(user=verified_exporter, organisation=crab_org).exists()


def test_the_bulk_delete_action_goes_through_the_service(
    admin_client, crab_org, hk_org, verified_exporter, second_exporter
):
    response = admin_client.post(
        reverse("admin:exporters_organisation_changelist"),
        {"action": "delete_selected", "_selected_action": [crab_org.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Organisation.objects.values_list("pk", flat=True)) == [hk_org.pk]
    verified_exporter.refresh_from_db()
    second_exporter.refresh_from_db()
    assert not verified_exporter.organisation_verified  # belongs to no organisation any more
    assert second_exporter.organisation_verified


def test_deleting_one_organisation_in_the_admin_goes_through_the_service(
    admin_client, crab_org, verified_exporter
):
    response = admin_client.post(
        reverse("admin:exporters_organisation_delete", args=[crab_org.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    verified_exporter.refresh_from_db()
    assert not verified_exporter.organisation_verified


def test_only_ministry_staff_delete_organisations(verified_exporter, crab_org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.delete_organisations(actor=verified_exporter, organisations=[crab_org])
    assert Organisation.objects.filter(pk=crab_org.pk).exists()


def test_the_history_is_not_written_in_the_admin(admin_client, crab_org):
    assert admin_client.get(reverse("admin:exporters_organisationchange_add")).status_code == 403
