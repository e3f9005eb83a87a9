"""``bench_import`` at a small scale: the same rows with and without the columns the portal
suggests, and its JSON line."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from products.models import Product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("without", [False, True])
def test_the_benchmark_imports_the_same_rows_with_or_without_suggested_columns(
    regions, capsys, without
):
    call_command("bench_import", rows=40, without_suggested_columns=without)
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (figures["rows"], figures["created"], figures["updated"]) == (40, 20, 20)
    assert figures["suggested_columns"] is (not without)
    assert figures["suggested"] == (20 if without else 0)
    assert not Product.objects.exists()  # what it created is deleted
