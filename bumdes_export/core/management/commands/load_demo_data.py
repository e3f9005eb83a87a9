from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from bumdes_export.core import demo


class Command(BaseCommand):
    help = "Create the demo accounts and content (idempotent). Refused in production mode."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo_data refuses to run in production mode (DEBUG=0): "
                "it creates accounts with a published password."
            )
        try:
            # The demo's workflow emails are stored as notifications, not printed at start-up.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                accounts = demo.load()
        except demo.MissingReferenceData as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Demo logins (password {demo.PASSWORD}):")
        )
        for username, description in accounts:
            self.stdout.write(f"  {username:<10} {description}")
