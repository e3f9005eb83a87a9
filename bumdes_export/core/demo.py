"""Demo accounts and content for the embedded portal. Idempotent: run it as often as you like."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import Region

PASSWORD = "demo12345"

ACCOUNTS = [
    # username, role, region, first name, last name, description
    ("kemendes", Role.MINISTRY, None, "Siti", "Rahmawati", "ministry staff (Kemendes PDTT)"),
    ("sultra", Role.OFFICER, "74", "La Ode", "Hamzah", "officer, province 74 Sulawesi Tenggara"),
    ("sulteng", Role.OFFICER, "72", "Ni Made", "Sari", "officer, province 72 Sulawesi Tengah"),
    ("konawe", Role.OFFICER, "74.02", "Andi", "Lamato", "officer, regency 74.02 Kabupaten Konawe"),
    ("eksportir", Role.EXPORTER, None, "Budi", "Santoso", "exporter"),
]


class MissingReferenceData(Exception):
    pass


def ministry_group() -> Group:
    """Ministry staff edit the rule catalogues in the admin: every permission of the portal."""
    group, _ = Group.objects.get_or_create(name="Ministry staff")
    group.permissions.set(Permission.objects.exclude(content_type__app_label__in=["sessions"]))
    return group


@transaction.atomic
def load() -> list[tuple[str, str]]:
    if not Region.objects.filter(code__in=["72", "74", "74.02"]).exists():
        raise MissingReferenceData(
            "Reference data is missing: run `python manage.py load_reference_data` first."
        )
    group = ministry_group()
    for username, role, region, first, last, _description in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.bumdes-ekspor.id",
                "role": role,
                "region_id": region,
                "first_name": first,
                "last_name": last,
                "is_staff": role == Role.MINISTRY,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        if role == Role.MINISTRY:
            user.groups.add(group)
    accounts = [(username, description) for username, *_rest, description in ACCOUNTS]
    # Each domain app may ship a `demo` module; the shared apps never import domain apps.
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if module.__name__ != __name__:
            accounts += module.load() or []
    return accounts
