"""``python manage.py import_products FILE [--dry-run] [--region CODE] [--user USERNAME]``."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from products.imports import services


class Command(BaseCommand):
    help = (
        "Import a village product list (CSV or XLSX in the template of the import page). "
        "Checks every row first; writes only if no row is rejected (all or nothing). Exits "
        "with status 1 when rows are rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV or XLSX file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report only; write nothing"
        )
        parser.add_argument(
            "--region",
            help="accept only villages in this region (as a regional officer of it); "
            "default: every region (as ministry staff)",
        )
        parser.add_argument(
            "--user", help="username recorded as the importer (default: none, the system)"
        )

    def handle(self, *args, file: Path, dry_run=False, region=None, user=None, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"There is no user {user!r}.")
        try:
            result = services.import_file(file, user=actor, region_code=region, dry_run=dry_run)
        except PermissionDenied:
            raise CommandError(f"{user} may not import into {region or 'every region'}.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        self.stdout.write(
            f"import #{result.pk} {result.file_name}: {result.rows} rows, "
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.rejected} rejected, "
            f"{result.bumdes_created} new BUMDes"
        )
        if result.error:
            self.stderr.write(result.error)
        for entry in result.report:
            if entry.get("action") == "reject":
                for column, message in entry["errors"].items():
                    self.stderr.write(f"row {entry['row']} {column}: {message}")
        if result.rejected > len([e for e in result.report if e.get("action") == "reject"]):
            self.stderr.write(
                "(more rejected rows: download the error report from the import page)"
            )
        if result.status == result.Status.DONE:
            self.stdout.write(
                self.style.SUCCESS(
                    f"imported in {result.commit_seconds:.1f} s "
                    f"(check {result.dry_run_seconds:.1f} s)"
                )
            )
        elif result.status == result.Status.VALIDATED:
            self.stdout.write(
                self.style.SUCCESS(
                    f"dry run: nothing written (check {result.dry_run_seconds:.1f} s)"
                )
            )
        else:
            self.stderr.write(self.style.ERROR("nothing written: the file has rejected rows"))
            raise SystemExit(1)
