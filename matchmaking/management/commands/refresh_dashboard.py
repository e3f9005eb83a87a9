"""``python manage.py refresh_dashboard``: count every region's dashboard figures again now (what
the hourly ``refresh_all_tallies`` task does), for a new installation or after a bulk change made
behind the portal's back."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from matchmaking.oversight import tallies


class Command(BaseCommand):
    help = "Count the dashboard's figures for every regency, province and the country again."

    def handle(self, *args, **options):
        began = time.perf_counter()
        regencies = tallies.refresh_all()
        self.stdout.write(
            f"Counted {regencies} regencies with BUMDes, their provinces and the country "
            f"in {time.perf_counter() - began:.1f} s."
        )
