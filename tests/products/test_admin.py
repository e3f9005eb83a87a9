"""The admin of the registry: every write of a readiness rule recomputes every stored score."""

from __future__ import annotations

import pytest

from bumdes_export.core.models import BackgroundJob
from products import services
from products.models import Product, ReadinessRule
from tests.products.test_services import crab, crab_bumdes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, ministry):
    ministry.is_superuser = True  # admin permissions for the test
    ministry.save()
    client.force_login(ministry)
    return client


def test_the_bulk_delete_action_recomputes_every_score(
    admin_client, officer_konawe, django_capture_on_commit_callbacks
):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    before = Product.objects.get(pk=product.pk).readiness_score
    rule = ReadinessRule.objects.get(code="ki1-fishery")  # a gap of the crab
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/products/readinessrule/",
            {"action": "delete_selected", "_selected_action": [rule.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not ReadinessRule.objects.filter(pk=rule.pk).exists()
    assert Product.objects.get(pk=product.pk).readiness_score > before
    assert BackgroundJob.objects.filter(kind="products.readiness", status="done").count() == 1


def test_deleting_one_rule_recomputes_every_score(
    admin_client, officer_konawe, django_capture_on_commit_callbacks
):
    product = crab(officer_konawe, crab_bumdes(officer_konawe))
    before = Product.objects.get(pk=product.pk).readiness_score
    rule = ReadinessRule.objects.get(code="ki1-fishery")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/products/readinessrule/{rule.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).readiness_score > before


def test_the_rule_services_save_and_delete():
    rule = ReadinessRule.objects.get(code="ki1-fishery")
    rule.weight = 7
    services.save_readiness_rule(rule)
    assert ReadinessRule.objects.get(pk=rule.pk).weight == 7
    assert services.delete_readiness_rules(ReadinessRule.objects.filter(pk=rule.pk)) == 1
    assert services.delete_readiness_rules([]) == 0
