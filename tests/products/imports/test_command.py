"""``manage.py import_products``."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from products.imports.models import ProductImport
from products.models import Product
from tests.products.factories import first_desa
from tests.products.imports.helpers import csv_bytes

pytestmark = pytest.mark.django_db


# --- Command line ---------------------------------------------------------------------------------


def test_the_command_line_import(tmp_path, capsys, officer_sultra):
    village = first_desa("74.02.", 0)
    path = tmp_path / "produk.csv"
    path.write_bytes(csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1"))

    call_command("import_products", str(path), "--dry-run", "--region", "74")
    out = capsys.readouterr().out
    assert "1 rows, 1 created" in out and "dry run" in out
    assert Product.objects.count() == 0

    with pytest.raises(SystemExit) as exit_:
        call_command("import_products", str(path), "--region", "72")
    assert exit_.value.code == 1
    assert "outside your region" in capsys.readouterr().err
    assert Product.objects.count() == 0

    call_command("import_products", str(path), "--user", officer_sultra.username)
    assert "imported in" in capsys.readouterr().out
    product = Product.objects.get()
    assert product.created_by == officer_sultra
    assert ProductImport.objects.filter(status="done").get().region_id == "74"

    call_command("import_products", str(path))
    assert "1 unchanged" in capsys.readouterr().out
    assert Product.objects.count() == 1

    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_products", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError):
        call_command("import_products", str(path), "--region", "99")
