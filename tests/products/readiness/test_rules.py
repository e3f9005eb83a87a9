"""Rules as data: validity dates, confirmation, the admin's checks, and a rule change told to
the people whose products it moved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bumdes_export.notifications.models import Notification
from bumdes_export.reference.models import HsCode, Region
from products import selectors, services
from products.models import ReadinessRule
from tests.products.factories import first_desa

pytestmark = pytest.mark.django_db


def crab(officer, **extra):
    bumdes = services.create_bumdes(
        actor=officer,
        data={
            "name": "BUMDes Mina Aturan",
            "village": Region.objects.get(code=first_desa("74.02.")),
        },
    )
    data = {
        "name_id": "Kepiting bakau hidup",
        "hs_code": HsCode.objects.get(code="030633"),
        "form": "live",
        "unit": "kg",
        **extra,
    }
    return services.create_product(actor=officer, bumdes=bumdes, data=data)


def codes(product) -> set[str]:
    return {gap.code for gap in selectors.readiness_of(product).gaps}


def test_a_rule_applies_only_within_its_validity_dates(officer_konawe):
    product = crab(officer_konawe)
    rule = ReadinessRule.objects.get(code="crab-size-mud-crab")
    today = timezone.localdate()
    rule.valid_from = today + timedelta(days=1)
    rule.save()
    assert "crab-size-mud-crab" not in codes(product)
    rule.valid_from, rule.valid_until = today - timedelta(days=10), today - timedelta(days=1)
    rule.save()
    assert "crab-size-mud-crab" not in codes(product)
    rule.valid_until = today
    rule.save()
    assert "crab-size-mud-crab" in codes(product)


def test_a_rule_cannot_end_before_it_starts():
    rule = ReadinessRule.objects.get(code="crab-size-mud-crab")
    rule.valid_from = timezone.localdate()
    rule.valid_until = rule.valid_from - timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        rule.full_clean()


def test_confirming_a_rule_makes_it_block(officer_konawe):
    product = crab(officer_konawe, specification={"species": "portunus", "carapace_width_cm": 9})
    gap = next(
        g for g in selectors.readiness_of(product).gaps if g.code == "crab-size-blue-swimming-crab"
    )
    assert not gap.required and gap.awaiting_confirmation
    ReadinessRule.objects.filter(code="crab-size-blue-swimming-crab").update(confirmed=True)
    gap = next(
        g for g in selectors.readiness_of(product).gaps if g.code == "crab-size-blue-swimming-crab"
    )
    assert gap.required and not gap.awaiting_confirmation


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([], "at least one condition"),
        ([{"field": "x", "op": "~", "value": 1}], "op must be"),
        ("width > 12", "must be a list"),
    ],
)
def test_the_admin_refuses_malformed_specification_rules(conditions, message):
    rule = ReadinessRule.objects.get(code="crab-size-mud-crab")
    rule.conditions = conditions
    with pytest.raises(ValidationError, match=message):
        rule.full_clean()


def test_a_rule_change_tells_the_officers_whose_products_moved(officer_konawe, officer_sulteng):
    crab(
        officer_konawe,
        specification={"species": "scylla", "carapace_width_cm": 13, "egg_bearing_excluded": True},
    )
    before = Notification.objects.filter(kind="product.readiness").count()
    ReadinessRule.objects.filter(code="crab-size-mud-crab").update(weight=60)
    services.refresh_all_readiness(tell=True)
    told = Notification.objects.filter(kind="product.readiness")
    assert told.count() > before
    (message,) = told.filter(recipient=officer_konawe)
    assert "Kepiting bakau hidup" in message.body
    assert not told.filter(recipient=officer_sulteng).exists()  # not their region
    # Run again (a retry): the scores are stored, nobody is told twice.
    services.refresh_all_readiness(tell=True)
    assert told.filter(recipient=officer_konawe).count() == 1


def test_confirming_a_rule_is_told_even_when_the_score_stays(officer_konawe):
    product = crab(
        officer_konawe,
        specification={"species": "portunus", "carapace_width_cm": 9, "egg_bearing_excluded": True},
    )
    services.refresh_all_readiness()  # the stored state before the change
    before = product.__class__.objects.get(pk=product.pk).readiness_score
    ReadinessRule.objects.filter(code="crab-size-blue-swimming-crab").update(confirmed=True)
    services.refresh_all_readiness(tell=True)
    assert product.__class__.objects.get(pk=product.pk).readiness_score == before
    (message,) = Notification.objects.filter(kind="product.readiness", recipient=officer_konawe)
    assert "Kepiting bakau hidup" in message.body


def test_a_rule_whose_conditions_cannot_be_read_is_left_out():
    ReadinessRule.objects.filter(code="crab-size-mud-crab").update(
        conditions=[{"op": "set"}]  # written around the admin: no field
    )
    assert "crab-size-mud-crab" not in {r.code for r in selectors.active_rules()}


def test_the_admin_names_fields_no_template_has():
    from products.admin import ReadinessRuleForm

    rule = ReadinessRule.objects.get(code="crab-size-mud-crab")
    form = ReadinessRuleForm(
        instance=rule,
        data={
            "code": rule.code,
            "requirement": "specification",
            "hs_prefix": "0306",
            "forms": "[]",
            "applies_when": "{}",
            "conditions": '[{"field": "carapace_length_cm", "op": ">", "value": 12}]',
            "weight": 10,
            "required": "on",
            "confirmed": "on",
            "gap_id": "x",
            "gap_en": "x",
            "active": "on",
        },
    )
    assert not form.is_valid()
    assert "carapace_length_cm" in str(form.errors["conditions"])
    form.data = {**form.data, "hs_prefix": "2501", "conditions": '[{"field": "x", "op": "set"}]'}
    form.full_clean()
    assert "hs_prefix" in form.errors  # no template covers salt


def test_a_rule_starting_today_starts_a_recompute(
    officer_konawe, django_capture_on_commit_callbacks
):
    from products import tasks

    def check() -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.refresh_readiness_when_rules_start_or_end()

    crab(officer_konawe)
    # The first run records the rules in force (an upgrade may have brought new ones) ...
    assert check() is True
    # ... and the next finds nothing changed.
    assert check() is False
    ReadinessRule.objects.filter(code="crab-size-mud-crab").update(
        valid_from=timezone.localdate() + timedelta(days=1)
    )
    assert check() is True  # the rule is not in force today any more
    assert check() is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"key": "w", "kind": "number", "label": "Berat"}], "label"),
        ([{"key": "w", "kind": "number", "label": {"id": "a", "en": "a"}, "min": "x"}], "number"),
        (
            [{"key": "w", "kind": "number", "label": {"id": "a", "en": "a"}, "min": 5, "max": 1}],
            "min is above max",
        ),
        ([{"key": "w", "kind": "number", "label": {"id": "a", "en": "a"}, "help": "x"}], "help"),
    ],
)
def test_a_malformed_template_is_refused_with_its_reason(fields, message):
    from products.readiness.models import SpecificationTemplate

    template = SpecificationTemplate(
        code="uji", name_id="Uji", name_en="Test", hs_prefixes=["0901"], fields=fields
    )
    with pytest.raises(ValidationError, match=message):
        services.save_specification_template(template)
    assert not SpecificationTemplate.objects.filter(code="uji").exists()


def test_a_document_asked_for_by_rules_names_its_certificate():
    from django.db import IntegrityError, transaction

    from bumdes_export.reference.models import ExportDocument

    with pytest.raises(IntegrityError), transaction.atomic():
        ExportDocument.objects.create(
            code="X_DOC",
            kind="quality",
            needed="by_rule",
            name_id="x",
            name_en="x",
            issuer_id="x",
            issuer_en="x",
        )
