"""Whoever uploads a product list is told when its import is done or failed."""

from __future__ import annotations

import pytest

from bumdes_export.notifications.models import Notification
from products.imports.writers import BulkWriter, CopyWriter
from tests.products.factories import first_desa
from tests.products.imports.helpers import commit, csv_bytes, upload


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "subject"))


def test_the_uploader_is_told_the_import_is_done(officer_sultra, ministry):
    village = first_desa("74.02.", 0)
    product_import = upload(
        officer_sultra, csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    )
    commit(officer_sultra, product_import)
    told = _told(officer_sultra)
    assert [kind for kind, _subject in told] == ["import.done"]
    assert product_import.file_name in told[0][1]
    note = Notification.objects.get(recipient=officer_sultra)
    assert f"/registry/imports/{product_import.pk}/" in note.link
    assert "1 rows, 1 products created, 0 updated, 0 unchanged" in note.body
    assert not _told(ministry)  # only the uploader


def test_the_uploader_is_told_the_import_failed(ministry, monkeypatch):
    village = first_desa("74.02.", 0)
    product_import = upload(
        ministry, csv_bytes(f"{village},BUMDes Satu,Kepiting bakau,030633,hidup,kg,10,1")
    )

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CopyWriter, "_write_batch", fail)
    monkeypatch.setattr(BulkWriter, "_flush", fail)
    with pytest.raises(RuntimeError):
        commit(ministry, product_import)
    told = _told(ministry)
    assert [kind for kind, _subject in told] == ["import.failed"]
    assert "disk full" in Notification.objects.get(recipient=ministry).body
