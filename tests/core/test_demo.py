"""The demo data: idempotent, every demo login works."""

import pytest
from django.core.management import call_command

from bumdes_export.accounts.models import User
from bumdes_export.core import demo


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_published_password(client, settings):
    call_command("load_demo_data")
    call_command("load_demo_data")  # idempotent

    expected = {
        "kemendes": ("ministry", None),
        "sultra": ("officer", "74"),
        "sulteng": ("officer", "72"),
        "konawe": ("officer", "74.02"),
        "eksportir": ("exporter", None),
    }
    for username, (role, region) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.region_id) == (role, region)
        assert client.login(username=username, password=demo.PASSWORD)
    assert User.objects.filter(username__in=expected).count() == len(expected)
    assert User.objects.get(username="kemendes").is_staff
