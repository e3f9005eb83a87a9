"""Who may do what in the registry: the named decisions of ``products.access``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from products import access
from products.models import Bumdes, BumdesOperator, Product
from tests.products.factories import BumdesFactory, first_desa

pytestmark = pytest.mark.django_db


@pytest.fixture
def konawe(regions) -> Bumdes:
    return BumdesFactory(village_id=first_desa("74.02."))


@pytest.fixture
def linked_operator(operator, konawe):
    BumdesOperator.objects.create(user=operator, bumdes=konawe)
    return operator


def test_who_uses_the_registry(ministry, officer_konawe, operator, exporter):
    assert access.uses_registry(ministry)
    assert access.uses_registry(officer_konawe)
    assert access.uses_registry(operator)
    assert not access.uses_registry(exporter)
    assert not access.uses_registry(AnonymousUser())
    assert not access.uses_registry(None)


def test_who_creates_bumdes_and_products(ministry, officer_sulteng, operator, exporter, konawe):
    assert access.can_create_bumdes(ministry) and access.can_create_bumdes(officer_sulteng)
    assert not access.can_create_bumdes(operator)
    assert not access.can_create_bumdes(exporter)
    assert not access.can_create_bumdes(AnonymousUser())
    # An operator creates products once linked to a BUMDes.
    assert not access.can_create_products(operator)
    BumdesOperator.objects.create(user=operator, bumdes=konawe)
    assert access.can_create_products(operator)
    assert access.can_create_products(ministry) and access.can_create_products(officer_sulteng)
    assert not access.can_create_products(exporter)


def test_only_an_officer_or_the_ministry_moves_a_bumdes(
    ministry, officer_konawe, linked_operator, konawe
):
    assert access.can_edit_bumdes(linked_operator, konawe)
    assert not access.can_move_bumdes(linked_operator, konawe)
    assert access.can_move_bumdes(officer_konawe, konawe)
    assert access.can_move_bumdes(ministry, konawe)


def test_workflow_steps(ministry, officer_konawe, officer_sulteng, linked_operator, konawe):
    assert access.can_take_step(officer_konawe, konawe, access.SUBMIT)
    assert not access.can_take_step(officer_sulteng, konawe, access.SUBMIT)
    assert not access.can_take_step(linked_operator, konawe, access.SUBMIT)
    assert not access.can_take_step(officer_konawe, konawe, access.CURATE)
    assert access.can_take_step(ministry, konawe, access.CURATE)
    assert access.can_move_to(officer_konawe, konawe, "submitted")
    assert not access.can_move_to(officer_konawe, konawe, "verified")
    assert access.can_move_to(ministry, konawe, "verified")


def test_allowed_transitions_follow_the_workflow(ministry, officer_konawe, linked_operator, konawe):
    table = access.PRODUCT_TRANSITIONS
    submitted, ready = Product.Status.SUBMITTED, Product.Status.EXPORT_READY
    assert access.allowed_transitions(officer_konawe, table, "draft", konawe) == [submitted]
    assert access.allowed_transitions(linked_operator, table, "draft", konawe) == []
    assert access.allowed_transitions(officer_konawe, table, "verified", konawe) == []
    assert access.allowed_transitions(ministry, table, "verified", konawe) == [ready, "returned"]
    assert access.allowed_transitions(ministry, access.BUMDES_TRANSITIONS, "submitted", konawe) == [
        "verified",
        "returned",
    ]


def test_linking_operators_and_deleting(
    ministry, officer_konawe, officer_sulteng, linked_operator, konawe
):
    for decide in (access.can_link_operator, access.can_delete):
        assert decide(ministry, konawe) and decide(officer_konawe, konawe)
        assert not decide(officer_sulteng, konawe)
        assert not decide(linked_operator, konawe)


def test_the_region_an_officer_works_in(ministry, officer_konawe, operator):
    assert access.officer_region(officer_konawe) == "74.02"
    assert access.officer_region(ministry) == ""
    assert access.officer_region(operator) == ""
    assert access.officer_region(None) == ""
