"""The registry's rules, as its services enforce them."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bumdes_export.reference.models import Country, HsCode, Region
from products import events, selectors, services
from products.models import Bumdes, BumdesOperator, CertificateType, HistoryEntry, Product
from tests.products.factories import MUD_CRAB_SPECIFICATION

pytestmark = pytest.mark.django_db


def desa(prefix: str) -> Region:
    return Region.objects.filter(code__startswith=f"{prefix}.", level=4, kind="desa").first()


def kelurahan(prefix: str) -> Region:
    return Region.objects.filter(code__startswith=f"{prefix}.", level=4, kind="kelurahan").first()


def crab_bumdes(actor, **extra) -> Bumdes:
    data = {"name": "BUMDes Mina Sejahtera", "village": desa("74.02"), **extra}
    return services.create_bumdes(actor=actor, data=data)


def crab(actor, bumdes, **extra) -> Product:
    data = {
        "name_id": "Kepiting bakau hidup",
        "name_en": "Live mud crab",
        "hs_code": HsCode.objects.get(code="030633"),
        "form": "live",
        "unit": "ton",
        "capacity_per_month": 2,
        "specification": MUD_CRAB_SPECIFICATION,
        **extra,
    }
    return services.create_product(actor=actor, bumdes=bumdes, data=data)


def export_ready_crab(ministry, officer):
    bumdes = crab_bumdes(
        officer,
        nib="1234567890123",
        npwp="012345678901000",
        legal_status="legal_entity",
        legal_certificate_number="AHU-0001.AH.01.33.2023",
    )
    services.transition_bumdes(actor=officer, bumdes=bumdes, to="submitted")
    services.transition_bumdes(actor=ministry, bumdes=bumdes, to="verified")
    product = crab(officer, bumdes)
    services.add_certificate(
        actor=officer,
        product=product,
        data={
            "type": CertificateType.objects.get(code="health-fish"),
            "number": "KI-1/74/001",
            "valid_until": date.today() + timedelta(days=30),
        },
    )
    for to in ("submitted",):
        services.transition_product(actor=officer, product=product, to=to)
    for to in ("verified", "export_ready"):
        services.transition_product(actor=ministry, product=product, to=to)
    product.refresh_from_db()
    assert product.status == "export_ready"
    return product


def png(size=(32, 32)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("Kepiting Foto.PNG", buffer.getvalue(), content_type="image/png")


# --- BUMDes ----------------------------------------------------------------------------------


def test_an_officer_registers_a_bumdes_in_a_desa_of_their_region(officer_konawe):
    bumdes = crab_bumdes(officer_konawe, npwp="01.234.567.8-901.000")
    assert bumdes.status == "draft"
    assert bumdes.npwp == "012345678901000"
    entry = bumdes.history.get()
    assert (entry.kind, entry.actor, entry.to_status) == ("created", officer_konawe, "draft")


@pytest.mark.parametrize(
    "village, message",
    [
        (lambda: kelurahan("74"), "kelurahan"),
        (lambda: Region.objects.get(code="74.02.01"), "not a village code"),
        (lambda: desa("72"), "outside your region"),
    ],
)
def test_a_bumdes_needs_a_current_desa_inside_the_region(officer_konawe, village, message):
    with pytest.raises(ValidationError) as error:
        services.create_bumdes(actor=officer_konawe, data={"name": "X", "village": village()})
    assert message in " ".join(error.value.message_dict["village"])
    assert not Bumdes.objects.filter(name="X").exists()


def test_a_retired_village_code_is_refused(ministry):
    village = desa("74.02")
    Region.objects.filter(pk=village.pk).update(retired_at="2025-01-01T00:00Z")
    village.refresh_from_db()
    with pytest.raises(ValidationError, match="retired"):
        services.create_bumdes(actor=ministry, data={"name": "X", "village": village})


@pytest.mark.parametrize(
    "field, value", [("nib", "12345"), ("npwp", "01.234.567.8-901"), ("npwp", "abc")]
)
def test_identifiers_are_validated(officer_konawe, field, value):
    with pytest.raises(ValidationError) as error:
        crab_bumdes(officer_konawe, **{field: value})
    assert field in error.value.message_dict


def test_a_legal_entity_has_its_certificate_number(officer_konawe):
    with pytest.raises(ValidationError) as error:
        crab_bumdes(officer_konawe, legal_status="legal_entity")
    assert "legal_certificate_number" in error.value.message_dict


def test_names_are_unique_per_village_whatever_the_case(officer_konawe):
    crab_bumdes(officer_konawe)
    with pytest.raises(ValidationError):
        crab_bumdes(officer_konawe, name="bumdes MINA sejahtera")


def test_a_joint_bumdes_has_villages_of_one_regency_only(officer_sultra):
    lead = desa("74.02")
    other = Region.objects.filter(code__startswith="74.02.", level=4, kind="desa")[5]
    bersama = services.create_bumdes(
        actor=officer_sultra,
        data={"name": "BUM Desa Bersama Konawe", "kind": "bersama", "village": lead},
        member_villages=[other],
    )
    assert set(bersama.member_villages.values_list("code", flat=True)) == {lead.code, other.code}
    with pytest.raises(ValidationError, match="one regency"):
        services.create_bumdes(
            actor=officer_sultra,
            data={"name": "Lintas", "kind": "bersama", "village": lead},
            member_villages=[desa("74.03")],
        )


def test_bumdes_workflow_is_recorded_and_only_ministry_verifies(officer_konawe, ministry):
    bumdes = crab_bumdes(officer_konawe)
    services.transition_bumdes(actor=officer_konawe, bumdes=bumdes, to="submitted")
    with pytest.raises(PermissionDenied):
        services.transition_bumdes(actor=officer_konawe, bumdes=bumdes, to="verified")
    with pytest.raises(ValidationError) as error:
        services.transition_bumdes(actor=ministry, bumdes=bumdes, to="returned")
    assert "note" in error.value.message_dict
    services.transition_bumdes(actor=ministry, bumdes=bumdes, to="returned", note="NIB salah")
    bumdes.refresh_from_db()
    assert (bumdes.status, bumdes.return_reason) == ("returned", "NIB salah")
    transitions = list(
        bumdes.history.filter(kind="transition")
        .order_by("at", "id")
        .values_list("actor__username", "from_status", "to_status", "note")
    )
    assert transitions == [
        ("t-konawe", "draft", "submitted", ""),
        ("t-kemendes", "submitted", "returned", "NIB salah"),
    ]
    with pytest.raises(ValidationError):
        services.transition_bumdes(actor=ministry, bumdes=bumdes, to="verified")


def test_other_regions_and_exporters_cannot_change_a_bumdes(
    officer_konawe, officer_sulteng, exporter
):
    bumdes = crab_bumdes(officer_konawe)
    for outsider in (officer_sulteng, exporter):
        with pytest.raises(PermissionDenied):
            services.update_bumdes(actor=outsider, bumdes=bumdes, data={"name": "Taken"})
        with pytest.raises(PermissionDenied):
            services.transition_bumdes(actor=outsider, bumdes=bumdes, to="submitted")


def test_an_operator_maintains_only_their_own_bumdes(officer_konawe, officer_sultra, operator):
    own = crab_bumdes(officer_konawe)
    other = crab_bumdes(officer_sultra, name="BUMDes Lain", village=desa("74.03"))
    services.link_operator(actor=officer_konawe, bumdes=own, user=operator)
    assert BumdesOperator.objects.get(user=operator).bumdes == own

    services.update_bumdes(actor=operator, bumdes=own, data={"manager_name": "Wa Ode"})
    crab(operator, own)
    with pytest.raises(PermissionDenied):
        services.update_bumdes(actor=operator, bumdes=other, data={"manager_name": "X"})
    with pytest.raises(PermissionDenied):
        services.transition_bumdes(actor=operator, bumdes=own, to="submitted")


def test_field_changes_are_recorded_with_old_and_new_values(officer_konawe):
    bumdes = crab_bumdes(officer_konawe)
    services.update_bumdes(actor=officer_konawe, bumdes=bumdes, data={"manager_name": "Wa Ode"})
    services.update_bumdes(actor=officer_konawe, bumdes=bumdes, data={"manager_name": "Wa Ode"})
    entries = bumdes.history.filter(kind="updated")
    assert [e.changes for e in entries] == [{"manager_name": ["", "Wa Ode"]}]


# --- Products --------------------------------------------------------------------------------


def test_a_product_gets_its_capacity_in_kg_and_a_readiness_score(officer_konawe):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    assert (product.capacity_base, product.base_unit) == (2000, "kg")
    assert 0 < product.readiness_score < 100
    assert product.history.get().kind == "created"


def test_the_stored_score_is_the_score_of_the_facts_even_from_an_older_copy(
    officer_konawe, ministry
):
    bumdes = crab_bumdes(officer_konawe)
    services.transition_bumdes(actor=officer_konawe, bumdes=bumdes, to="submitted")
    services.transition_bumdes(actor=ministry, bumdes=bumdes, to="verified")
    assert bumdes.status == "draft"  # this copy was read before the BUMDes was verified
    product = crab(officer_konawe, bumdes)
    product.refresh_from_db()
    assert product.readiness_score == selectors.readiness_of(product).score


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"hs_code": HsCode(code="03", level=2)}, "hs_code"),
        ({"national_code": "03063400"}, "national_code"),
        ({"national_code": "0306331"}, "national_code"),
        ({"capacity_per_month": -1}, "capacity_per_month"),
        ({"form": "gaseous"}, "form"),
    ],
)
def test_product_fields_are_validated(officer_konawe, extra, field):
    bumdes = crab_bumdes(officer_konawe)
    with pytest.raises(ValidationError) as error:
        crab(officer_konawe, bumdes, **extra)
    assert field in error.value.message_dict
    assert not bumdes.products.exists()


def test_only_ministry_marks_export_ready_and_only_without_blocking_gaps(officer_konawe, ministry):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    services.transition_product(actor=officer_konawe, product=product, to="submitted")
    with pytest.raises(PermissionDenied):
        services.transition_product(actor=officer_konawe, product=product, to="verified")
    services.transition_product(actor=ministry, product=product, to="verified")
    with pytest.raises(ValidationError) as error:
        services.transition_product(actor=ministry, product=product, to="export_ready")
    messages = " ".join(error.value.message_dict["status"])
    assert "KI-1" in messages and "NIB" in messages


def test_export_ready_when_every_required_document_is_there(ministry, officer_konawe):
    product = export_ready_crab(ministry, officer_konawe)
    assert product.export_ready_at is not None
    gaps = selectors.readiness_of(product).gaps
    assert not [g for g in gaps if g.required]


def test_a_material_change_sends_an_export_ready_product_back_to_review(
    ministry, officer_konawe, mailoutbox, django_capture_on_commit_callbacks
):
    product = export_ready_crab(ministry, officer_konawe)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(
            actor=officer_konawe, product=product, data={"capacity_per_month": 5}
        )
    product.refresh_from_db()
    assert product.status == "submitted"
    entry = product.history.filter(kind="transition").first()
    assert (entry.from_status, entry.to_status) == ("export_ready", "submitted")
    assert "capacity per month" in entry.note
    assert ministry.email in {m.to[0] for m in mailoutbox}


def test_a_non_material_change_keeps_export_ready(ministry, officer_konawe):
    product = export_ready_crab(ministry, officer_konawe)
    services.update_product(actor=officer_konawe, product=product, data={"packaging": "Styrofoam"})
    product.refresh_from_db()
    assert product.status == "export_ready"


def test_a_lapsed_certificate_sends_the_product_back_to_review_once(ministry, officer_konawe):
    product = export_ready_crab(ministry, officer_konawe)
    later = date.today() + timedelta(days=31)
    assert services.handle_lapsed_certificates(today=later) == 1
    assert services.handle_lapsed_certificates(today=later) == 0
    product.refresh_from_db()
    assert product.status == "submitted"
    assert "expired" in product.history.filter(kind="transition").first().note


def test_an_expired_certificate_counts_as_missing(officer_konawe):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    services.add_certificate(
        actor=officer_konawe,
        product=product,
        data={
            "type": CertificateType.objects.get(code="health-fish"),
            "number": "old",
            "valid_until": date.today() - timedelta(days=1),
        },
    )
    gaps = [g.code for g in selectors.readiness_of(product).gaps]
    assert "ki1-fishery" in gaps


def test_certificate_dates_must_be_in_order(officer_konawe):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    with pytest.raises(ValidationError):
        services.add_certificate(
            actor=officer_konawe,
            product=product,
            data={
                "type": CertificateType.objects.get(code="halal"),
                "number": "H1",
                "valid_from": date(2026, 5, 1),
                "valid_until": date(2026, 1, 1),
            },
        )


def test_destinations_bring_their_own_rules(officer_konawe):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    assert "form-ahk-hong-kong" not in [g.code for g in selectors.readiness_of(product).gaps]
    services.update_product(
        actor=officer_konawe,
        product=product,
        data={},
        target_markets=[Country.objects.get(code="HK")],
    )
    assert "form-ahk-hong-kong" in [g.code for g in selectors.readiness_of(product).gaps]


def test_every_change_is_announced_after_commit_with_a_newer_version(
    officer_konawe, django_capture_on_commit_callbacks
):
    seen = []

    def receiver(sender, product_id, version, **kwargs):
        seen.append((product_id, version))

    events.product_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            product = crab(officer_konawe, crab_bumdes(officer_konawe))
            assert seen == []  # nothing before commit
        for callback in callbacks:
            callback()
        first = max(v for _, v in seen)
        with django_capture_on_commit_callbacks(execute=True):
            services.update_product(actor=officer_konawe, product=product, data={"price": 12})
        assert max(v for _, v in seen) > first
        assert {pid for pid, _ in seen} == {product.pk}
    finally:
        events.product_changed.disconnect(receiver)


# --- Photos ----------------------------------------------------------------------------------


def test_a_photo_gets_a_server_name_and_a_thumbnail(officer_konawe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    photo = services.add_photo(actor=officer_konawe, product=product, upload=png((1200, 900)))
    assert "Kepiting" not in photo.image.name and photo.image.name.endswith(".png")
    from PIL import Image

    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 400
    assert product.history.filter(kind="photo").exists()


def test_a_file_that_is_not_an_image_is_refused(officer_konawe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    fake = SimpleUploadedFile("crab.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a JPEG"):
        services.add_photo(actor=officer_konawe, product=product, upload=fake)
    assert not product.photos.exists()
    assert not HistoryEntry.objects.filter(kind="photo").exists()


def test_changing_a_rule_in_the_admin_recomputes_every_score(
    officer_konawe, ministry, client, django_capture_on_commit_callbacks
):
    from products.models import ReadinessRule

    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    before = Product.objects.get(pk=product.pk).readiness_score
    rule = ReadinessRule.objects.get(code="ki1-fishery")
    client.force_login(ministry)
    ministry.is_superuser = True  # admin change permission for the test
    ministry.save()
    data = {
        "code": rule.code,
        "requirement": rule.requirement,
        "certificate_type": rule.certificate_type_id,
        "hs_prefix": rule.hs_prefix,
        "forms": '["live", "fresh", "frozen"]',
        "weight": 1,
        "required": "on",
        "gap_id": rule.gap_id,
        "gap_en": rule.gap_en,
        "next_step_id": "",
        "next_step_en": "",
        "active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/products/readinessrule/{rule.pk}/change/", data)
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).readiness_score > before


def test_the_periodic_task_handles_lapsed_certificates(ministry, officer_konawe):
    from products.tasks import handle_lapsed_certificates

    export_ready_crab(ministry, officer_konawe)
    assert handle_lapsed_certificates.apply().get() == 0  # nothing lapsed today


def test_a_product_never_moves_to_another_bumdes(ministry, officer_konawe):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    other = services.create_bumdes(
        actor=ministry, data={"name": "BUMDes Lain", "village": desa("74.03")}
    )
    with pytest.raises(ValidationError) as error:
        services.update_product(actor=ministry, product=product, data={}, bumdes=other)
    assert "another BUMDes" in error.value.message_dict["bumdes"][0]
    same = services.update_product(
        actor=ministry, product=product, data={"packaging": "karung"}, bumdes=product.bumdes
    )
    assert same.packaging == "karung"
