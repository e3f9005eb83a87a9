"""Who may import product lists and commit them: ``products.imports.access``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from products.imports import access
from products.imports.models import ProductImport

pytestmark = pytest.mark.django_db


def test_who_imports_where(ministry, officer_sultra, officer_konawe, operator, exporter):
    assert access.can_import(ministry) and access.can_import(officer_sultra)
    for user in (operator, exporter, AnonymousUser(), None):
        assert not access.can_import(user)
        assert not access.can_import_into(user, None)
    assert access.can_import_into(ministry, None) and access.can_import_into(ministry, "72")
    assert access.can_import_into(officer_sultra, None)  # their own region
    assert access.can_import_into(officer_sultra, "74.02")
    assert not access.can_import_into(officer_konawe, "74")
    assert access.can_import_everywhere(ministry)
    assert not access.can_import_everywhere(officer_sultra)


def test_who_commits_which_import(ministry, officer_sultra, officer_konawe):
    theirs = ProductImport(created_by=officer_konawe, region_id="74.02", status="validated")
    assert access.can_commit(ministry, theirs)
    assert access.can_commit(officer_konawe, theirs)
    assert not access.can_commit(officer_sultra, theirs)  # not their own import
    everywhere = ProductImport(created_by=officer_konawe, region_id=None, status="validated")
    assert not access.can_commit(officer_konawe, everywhere)


@pytest.mark.parametrize(
    "status, rejected, ready",
    [
        ("validated", 0, True),
        ("validated", 2, False),
        ("rejected", 2, False),
        ("validating", 0, False),
        ("importing", 0, False),
        ("done", 0, False),
    ],
)
def test_the_commit_precondition(ministry, officer_sultra, status, rejected, ready):
    product_import = ProductImport(status=status, rejected=rejected, created_by=ministry)
    assert access.is_ready_to_commit(product_import) is ready
    assert access.can_commit_now(ministry, product_import) is ready
    assert not access.can_commit_now(officer_sultra, product_import)
