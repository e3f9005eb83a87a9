"""Bulk import of village product lists: upload, dry run (check), commit, error report.

The life of an import (``ProductImport.status``)::

    upload -> validating -> validated -----> importing -> done
                        \\-> rejected                  \\-> failed (an unexpected error)

- The **check** (dry run) reads the stored file and says, row by row, what would be created,
  updated or left unchanged, or why a row is rejected. It writes nothing to the registry.
- The **commit** checks the file again inside one transaction (locking the products it may
  update) and writes only if every row is still acceptable: a file with any bad row changes
  nothing. Importing the same file twice changes nothing the second time.
- Files of more than ``PRODUCT_IMPORT_BACKGROUND_ROWS`` rows (default 2,000) are checked and
  committed by a background job whose progress the import page shows. ``submit`` and
  ``start_commit`` return an ``ImportStep`` that names the job a large file needs; the caller (a
  page, the API) starts it with ``products.imports.tasks.start_import_job``. This module never
  sends tasks.

The stored report (``ProductImport.report``) holds every rejected row (up to 5,000) and, for
files of at most 2,000 rows, every other row too; the counts always cover the whole file. The
downloadable error report lists every problem: from the stored report, or, when it was cut, by
checking the stored file again.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import User
from bumdes_export.core.jobs import report_progress
from bumdes_export.core.models import BackgroundJob
from bumdes_export.core.spreadsheets import safe_cell
from bumdes_export.notifications.services import notify, translated
from bumdes_export.reference.models import Region
from bumdes_export.reference.selectors import normalize_region_code
from products import events
from products import services as registry
from products.access import AnyUser
from products.imports import access, selectors
from products.imports import columns as cols
from products.imports.models import ProductImport
from products.imports.outcome import Outcome
from products.imports.reader import (
    FileProblem,
    estimate_rows,
    kind_of,
    open_sheet,
    village_codes,
)
from products.imports.validation import (
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    Checker,
    Lookups,
    Row,
    Scorer,
)
from products.imports.writers import BaseWriter, writer_for
from products.models import Product
from products.services.editing import delete_files_on_commit

Status = ProductImport.Status
BATCH_ROWS = 5000
REPORT_ALL_ROWS = 2000
REPORT_MAX_PROBLEMS = 5000
#: The kinds of the background jobs of a large file (``BackgroundJob.kind``).
CHECK_JOB = "products.import.check"
COMMIT_JOB = "products.import.commit"


def background_rows() -> int:
    return getattr(settings, "PRODUCT_IMPORT_BACKGROUND_ROWS", 2000)


def max_rows() -> int:
    return getattr(settings, "PRODUCT_IMPORT_MAX_ROWS", 200_000)


def max_bytes() -> int:
    return getattr(settings, "PRODUCT_IMPORT_MAX_BYTES", 64 * 1024 * 1024)


class Refused(Exception):
    """The commit met a row it cannot import (the registry changed since the check)."""


@dataclass(frozen=True)
class ImportStep:
    """An import after ``submit`` or ``start_commit``, and what must happen next.

    ``job`` is empty when the step ran here (a small file: checked, or imported, already);
    otherwise it is the kind of background job a large file needs (``CHECK_JOB`` or
    ``COMMIT_JOB``), counting ``job_total`` units of progress, which the caller starts with
    ``products.imports.tasks.start_import_job``.
    """

    product_import: ProductImport
    job: str = ""
    job_total: int = 0


# --- The region of an import ------------------------------------------------------------------


def import_region(user: AnyUser, region_code: str | None) -> str | None:
    """The region an import by ``user`` is limited to; ``PermissionDenied`` if not theirs.

    Ministry staff may name any region or none (everywhere); an officer's import is limited to
    their own region or a region inside it.
    """
    code = normalize_region_code(region_code) if region_code else None
    if not access.can_import_into(user, code):
        raise PermissionDenied
    scope = scope_for(user)
    if code is None and scope.is_officer:
        code = scope.region_code
    if code is not None and not Region.objects.filter(code=code).exists():
        raise ValidationError(
            {"region": _("There is no region with the code %(code)s.") % {"code": code}}
        )
    return code


# --- Upload -----------------------------------------------------------------------------------


def check_upload_size(size: int) -> None:
    """Refuse a file over the size limit (``PRODUCT_IMPORT_MAX_BYTES``); pages and the API ask
    before they read an upload."""
    if size > max_bytes():
        raise ValidationError(
            {"file": _("The file may be at most %(mb)d MB.") % {"mb": max_bytes() // 2**20}}
        )


def create_import(
    *,
    user: AnyUser,
    file_name: str,
    data: bytes,
    region_code: str | None = None,
    language: str = "",
) -> ProductImport:
    """Store an uploaded file as a new import (not yet checked).

    Its messages will be written in ``language`` (default: the user's preferred language).
    """
    region = import_region(user, region_code)
    try:
        kind = kind_of(file_name)
    except FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from None
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    check_upload_size(len(data))
    product_import = ProductImport(
        file_name=file_name.replace("\\", "/").rsplit("/", 1)[-1][:255],
        region_id=region,
        created_by=user if isinstance(user, User) and user.is_authenticated else None,
        language=(language or getattr(user, "language", "") or settings.LANGUAGE_CODE)[:5],
        rows=estimate_rows(data, file_name),
    )
    product_import.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(data), save=False)
    product_import.save()
    return product_import


def runs_in_background(product_import: ProductImport) -> bool:
    """A file of more than ``PRODUCT_IMPORT_BACKGROUND_ROWS`` rows is checked and committed by
    a background job."""
    return product_import.rows > background_rows()


def submit(product_import: ProductImport, *, background: bool | None = None) -> ImportStep:
    """Check the import now; a large file (or ``background``) is left to a ``CHECK_JOB`` the
    caller starts."""
    if background is None:
        background = runs_in_background(product_import)
    if background:
        return ImportStep(product_import, CHECK_JOB, max(product_import.rows, 1))
    return ImportStep(check(product_import))


def attach_job(product_import: ProductImport, job: BackgroundJob) -> ProductImport:
    """Record the background job that checks or commits the import (its page shows progress).
    A commit job claims the import first: called in the transaction that creates the job, a
    refused claim leaves neither the claim nor the job."""
    if job.kind == COMMIT_JOB:
        claim_for_commit(product_import)
    return save_fields(product_import, job=job)


# --- Reading the stored file ----------------------------------------------------------------


def read_stored(product_import: ProductImport) -> bytes:
    with product_import.file.open("rb") as handle:
        return handle.read()


def report_language(product_import: ProductImport) -> str:
    """The language an import's messages and report are written in: the uploader's."""
    return product_import.language or settings.LANGUAGE_CODE


class Progress:
    """Reports progress to a job about once a second.

    Inside the commit's transaction a job row updated on the same connection would stay
    invisible to the page until the end, so on PostgreSQL the progress goes through a second
    connection; on SQLite (one writer at a time) it is not reported until the commit ends.
    """

    def __init__(
        self, job: BackgroundJob | None, *, total: int, in_transaction: bool = False
    ) -> None:
        self.job = job
        self.total = max(total, 1)
        self.in_transaction = in_transaction
        self._last = 0.0
        self._side: BaseDatabaseWrapper | None = None
        if job is not None:
            report_progress(job, 0, total=self.total)

    def __call__(self, done: float, *, force: bool = False) -> None:
        if self.job is None:
            return
        now = time.monotonic()
        if not force and now - self._last < 1.0:
            return
        self._last = now
        done = min(int(done), self.total)
        if not self.in_transaction:
            report_progress(self.job, done)
        elif connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(connection.alias)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {BackgroundJob._meta.db_table} SET progress = %s, "  # noqa: S608
                    "heartbeat_at = %s WHERE id = %s",
                    [done, timezone.now(), self.job.pk],
                )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def checked_rows(
    product_import: ProductImport,
    data: bytes,
    lookups: Lookups,
    progress: Callable[[float], None] = lambda done: None,
    *,
    record_changes: bool = False,
    mapping: list[tuple[str, str]] | None = None,
) -> Iterator[Row]:
    """Every data row of the file, checked, in file order. Raises ``FileProblem``. How the
    file's headers were read is added to ``mapping``, where given."""
    limit = max_rows()
    with open_sheet(data, product_import.file_name, product_import.column_map) as sheet:
        if mapping is not None:
            mapping.extend(sheet.mapping)
        checker = Checker(
            lookups,
            sheet.columns,
            region=product_import.region_id,
            record_changes=record_changes,
        )
        village = sheet.columns["kode_desa"]
        batch: list[tuple[int, Sequence[Any]]] = []
        count = 0

        def flush() -> Iterator[Row]:
            lookups.ensure(
                normalize_region_code(cols.region_code_text(cells[village]))
                for _number, cells in batch
                if len(cells) > village and cells[village] is not None
            )
            for number, cells in batch:
                yield checker.check(number, cells)
            batch.clear()
            progress(count)

        for number, cells in sheet.rows():
            count += 1
            if count > limit:
                raise FileProblem(
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": limit}
                )
            batch.append((number, cells))
            if len(batch) >= BATCH_ROWS:
                yield from flush()
        yield from flush()
        if count == 0:
            raise FileProblem(_("The file has no rows below the header."))


# --- The check (dry run) ----------------------------------------------------------------------


def check(product_import: ProductImport, *, job: BackgroundJob | None = None) -> ProductImport:
    """Check every row and store the counts and the report. Writes nothing to the registry."""
    started = time.perf_counter()
    progress = Progress(job, total=product_import.rows)
    with translation.override(report_language(product_import)):
        outcome = Outcome(max_rows=REPORT_ALL_ROWS, max_problems=REPORT_MAX_PROBLEMS)
        mapping: list[tuple[str, str]] = []
        try:
            data = read_stored(product_import)
            for row in checked_rows(product_import, data, Lookups(), progress, mapping=mapping):
                outcome.add(row)
            outcome.finish()
        except FileProblem as problem:
            return save_fields(
                product_import,
                status=Status.REJECTED,
                error=str(problem),
                rows=0,
                created=0,
                updated=0,
                unchanged=0,
                rejected=0,
                bumdes_created=0,
                report=[],
                checked_at=timezone.now(),
                finished_at=timezone.now(),
                dry_run_seconds=time.perf_counter() - started,
            )
    counts = outcome.counts
    rejected = counts[REJECT]
    return save_fields(
        product_import,
        status=Status.REJECTED if rejected else Status.VALIDATED,
        error="",
        rows=outcome.rows,
        created=counts[CREATE],
        updated=counts[UPDATE],
        unchanged=counts[UNCHANGED],
        rejected=rejected,
        bumdes_created=len(outcome.new_bumdes),
        report=outcome.report(),
        checked_at=timezone.now(),
        finished_at=timezone.now() if rejected else None,
        dry_run_seconds=time.perf_counter() - started,
        column_map=[list(pair) for pair in mapping],
        suggested=outcome.suggested,
        accepted_rows=[],
        accept_all=False,
    )


def save_fields(product_import: ProductImport, **fields: Any) -> ProductImport:
    ProductImport.objects.filter(pk=product_import.pk).update(**fields)
    for name, value in fields.items():
        setattr(product_import, name, value)
    return product_import


# --- The commit -------------------------------------------------------------------------------


def check_ready_to_commit(user: AnyUser, product_import: ProductImport) -> None:
    """The commit's precondition: ``PermissionDenied`` if the user may not commit the import,
    ``ValidationError`` unless it is checked without rejected rows and not imported yet."""
    if not access.can_commit(user, product_import):
        raise PermissionDenied
    if not access.is_ready_to_commit(product_import):
        raise ValidationError(
            _("Only a checked file without rejected rows can be imported, and only once.")
        )


def start_commit(
    product_import: ProductImport, *, user: AnyUser, background: bool | None = None
) -> ImportStep:
    """Import a checked file now; a large file (or ``background``) is claimed for a
    ``COMMIT_JOB`` the caller starts."""
    check_ready_to_commit(user, product_import)
    if background is None:
        background = runs_in_background(product_import)
    if background:
        # Claimed by ``attach_job``, in the transaction that creates the job.
        return ImportStep(product_import, COMMIT_JOB, 2 * max(product_import.rows, 1))
    claim_for_commit(product_import)
    return ImportStep(commit(product_import, actor=user))


def claim_for_commit(product_import: ProductImport) -> None:
    """Mark a checked import as being imported, once: a second claim is refused."""
    claimed = ProductImport.objects.filter(pk=product_import.pk, status=Status.VALIDATED).update(
        status=Status.IMPORTING
    )
    if not claimed:
        raise ValidationError(_("This file is being imported or was imported already."))
    product_import.status = Status.IMPORTING


def commit(
    product_import: ProductImport,
    *,
    actor: AnyUser = None,
    job: BackgroundJob | None = None,
    writer_class: type[BaseWriter] | None = None,
) -> ProductImport:
    """Check the file again and write it, all or nothing, in one transaction.

    Idempotent: does nothing unless the import is waiting to be imported (status importing).
    """
    product_import.refresh_from_db()
    if product_import.status != Status.IMPORTING:
        return product_import
    started = time.perf_counter()
    total = max(product_import.rows, 1)
    progress = Progress(job, total=2 * total, in_transaction=True)
    actor = actor if isinstance(actor, User) and actor.is_authenticated else None
    try:
        with translation.override(report_language(product_import)), transaction.atomic():
            note = _("Imported from %(file)s (import #%(id)d).") % {
                "file": product_import.file_name,
                "id": product_import.pk,
            }
            lookups = Lookups(lock=True, readiness=True)
            scorer = Scorer(lookups)
            data = read_stored(product_import)
            # Everything the rows are compared with is loaded before writing starts, so this
            # thread need not wait for the connection while the writer's thread uses it.
            lookups.ensure(village_codes(data, product_import.file_name))
            writer = (writer_class or writer_for)(
                actor_id=actor.pk if actor else None,
                note=note,
                progress=lambda share: progress(total + share * total, force=True),
                expected_products=product_import.created,
                expected_bumdes=product_import.bumdes_created,
            )
            if writer.db_lock is not None:
                lookups.db_lock = writer.db_lock
            seen: set[tuple[str, str, str, str] | None] = set()
            accepted = set(product_import.accepted_rows or ())
            # What the check offered each row: only that, accepted, is imported as confirmed.
            offered = {
                entry["row"]: {c: v["value"] for c, v in entry["suggested"].items()}
                for entry in product_import.report
                if entry.get("suggested")
            }
            rows = unchanged = 0
            try:
                for row in checked_rows(
                    product_import, data, lookups, progress, record_changes=True
                ):
                    rows += 1
                    key = row.key
                    if row.action == REJECT or key in seen:
                        raise Refused
                    seen.add(key)
                    if row.action == UNCHANGED:
                        unchanged += 1
                    else:
                        if row.suggested and not _accepted(
                            row, product_import.accept_all, accepted, offered
                        ):
                            row.unconfirmed = [SUGGESTED_FIELD[c] for c in row.suggested]
                        writer.add(row, scorer.score(row))
                seen.clear()
                del data
                writer.finish()
            except BaseException:
                writer.abort()
                raise
            _mark_unconfirmed(writer.unconfirmed)
            _send_back_to_review(writer.back_to_review, actor)
            if writer.product_ids:
                events.announce_import(writer.product_ids)
            save_fields(
                product_import,
                status=Status.DONE,
                error="",
                rows=rows,
                created=writer.created,
                updated=writer.updated,
                unchanged=unchanged,
                rejected=0,
                bumdes_created=len(writer.new_bumdes),
                finished_at=timezone.now(),
                commit_seconds=time.perf_counter() - started,
            )
        _tell_importer(product_import)
    except (Refused, FileProblem):
        # The registry (or the file) changed since the check: nothing was written. Check again
        # so the page shows why.
        save_fields(product_import, status=Status.VALIDATING)
        check(product_import)
    except Exception as error:
        save_fields(
            product_import,
            status=Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        _tell_importer(product_import)
        raise
    finally:
        progress.close()
    return product_import


#: Template column -> the product field whose value the portal may suggest.
SUGGESTED_FIELD = {"kode_hs": "hs_code", "bentuk": "form", "satuan": "unit"}


def _accepted(
    row: Row, accept_all: bool, accepted: set[int], offered: dict[int, dict[str, str]]
) -> bool:
    """Whether the importer accepted the values the row gets now: those the check offered (a
    suggestion that changed since, say because a product was verified meanwhile, is not)."""
    now = {column: value for column, (value, _label) in row.suggested.items()}
    if row.number in offered:
        return offered[row.number] == now and (accept_all or row.number in accepted)
    return accept_all  # a long file's rows beyond the report: accepted with all of them


def _mark_unconfirmed(groups: dict[tuple[str, ...], list[int]]) -> None:
    """Products imported with suggestions nobody accepted: a blocking readiness gap until an
    officer confirms them (``products.services.confirm_suggestions``)."""
    for fields, ids in groups.items():
        for start in range(0, len(ids), 5000):
            Product.objects.filter(pk__in=ids[start : start + 5000]).update(
                unconfirmed=list(fields)
            )


def choose_suggestions(
    actor: AnyUser, product_import: ProductImport, *, rows: Sequence[int], accept_all: bool
) -> ProductImport:
    """Record which of the portal's suggestions the importer accepts before committing: the
    rows named, or every row. Rows not accepted are imported as drafts with the suggestion to
    confirm."""
    check_ready_to_commit(actor, product_import)
    offered = {e["row"] for e in product_import.report if e.get("suggested")}
    accepted = sorted({int(n) for n in rows} & offered)
    # A conditional write: a commit (or a new check) that started meanwhile keeps its choice.
    changed = ProductImport.objects.filter(
        pk=product_import.pk, status=Status.VALIDATED, checked_at=product_import.checked_at
    ).update(accept_all=accept_all, accepted_rows=accepted)
    if not changed:
        raise ValidationError(
            _("Only a checked file without rejected rows can be imported, and only once.")
        )
    product_import.accept_all, product_import.accepted_rows = accept_all, accepted
    return product_import


def clear_never_imported(actor: AnyUser) -> int:
    """Delete the actor's imports that were checked (or failed) and never imported, with their
    files (after commit); the registry is untouched. Returns how many."""
    if not access.can_import(actor):
        raise PermissionDenied
    with transaction.atomic():
        cleared = list(selectors.never_imported(actor).select_for_update(of=("self",)))
        files = [item.file for item in cleared if item.file]
        ProductImport.objects.filter(pk__in=[item.pk for item in cleared]).delete()
        delete_files_on_commit(*files)
    return len(cleared)


def _tell_importer(product_import: ProductImport) -> None:
    """Tell whoever uploaded the file that its import is done or failed."""
    if product_import.created_by is None:
        return
    done = product_import.status == Status.DONE
    notify(
        product_import.created_by,
        kind="import.done" if done else "import.failed",
        subject=translated(
            gettext_lazy("Import done: %(file)s")
            if done
            else gettext_lazy("Import failed: %(file)s"),
            file=product_import.file_name,
        ),
        template="products/email/import_finished.txt",
        context={"product_import": product_import, "done": done},
        link=reverse("products:import_detail", args=[product_import.pk]),
    )


def _send_back_to_review(items: list[tuple[int, list[str]]], actor: AnyUser) -> None:
    """Export-ready products whose substance changed go back to review, as in the services."""
    if not items:
        return
    reasons = dict(items)
    for product in Product.objects.select_related("bumdes").filter(pk__in=list(reasons)):
        registry.send_back_to_review(product, actor=actor, reason=", ".join(reasons[product.pk]))


# --- The command line -------------------------------------------------------------------------


def record_file(
    path: str | Path, *, user: User | None = None, region_code: str | None = None
) -> ProductImport:
    """Store a file from disk as a new import, as the upload page does for an uploaded one.

    Without ``region_code`` the import covers every region (ministry scope); with it, only that
    region, as for a regional officer. ``user`` (optional) is recorded as the importer and must
    be allowed to import into the region.
    """
    path = Path(path)
    region = normalize_region_code(region_code) if region_code else None
    if user is not None:
        region = import_region(user, region)
    elif region is not None and not Region.objects.filter(code=region).exists():
        raise ValidationError(
            {"region": _("There is no region with the code %(code)s.") % {"code": region}}
        )
    try:
        kind = kind_of(path.name)
    except FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from None
    data = path.read_bytes()
    product_import = ProductImport(
        file_name=path.name[:255],
        region_id=region,
        created_by=user,
        language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
        rows=estimate_rows(data, path.name),
    )
    product_import.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(data), save=False)
    product_import.save()
    return product_import


def commit_checked(product_import: ProductImport, *, actor: AnyUser = None) -> ProductImport:
    """Commit a checked import at once, in this process (the command line and the bench)."""
    if product_import.status != Status.VALIDATED:
        return product_import
    save_fields(product_import, status=Status.IMPORTING)
    return commit(product_import, actor=actor)


def import_file(
    path: str | Path,
    *,
    user: User | None = None,
    region_code: str | None = None,
    dry_run: bool = False,
) -> ProductImport:
    """Check (and unless ``dry_run``, commit) a file from disk: ``manage.py import_products``."""
    product_import = check(record_file(path, user=user, region_code=region_code))
    if dry_run:
        return product_import
    return commit_checked(product_import, actor=user)


# --- Reports --------------------------------------------------------------------------------


def _safe(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    return str(safe_cell("" if value is None else str(value)))


def problems(product_import: ProductImport) -> Iterator[dict[str, Any]]:
    """Every rejected row, from the stored report or (if it was cut) from the stored file."""
    stored = [entry for entry in product_import.report if entry.get("action") == REJECT]
    if len(stored) >= product_import.rejected:
        yield from stored
        return
    with translation.override(report_language(product_import)):
        outcome = Outcome(max_rows=0, max_problems=10**9)
        for row in checked_rows(product_import, read_stored(product_import), Lookups()):
            outcome.add(row)
        outcome.finish()
        yield from outcome.report()


def error_report_csv(product_import: ProductImport) -> str:
    """The problems as CSV: row, column, message (and the file-level problem, if any)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("row"), _("column"), _("message")])
    if product_import.error:
        writer.writerow(["", "", _safe(product_import.error)])
    if product_import.rejected:
        for entry in problems(product_import):
            for column, message in entry.get("errors", {}).items():
                writer.writerow([entry["row"], column, _safe(message)])
    return buffer.getvalue()


# --- The template -----------------------------------------------------------------------------


def template_csv() -> bytes:
    """The CSV template: the header row, semicolon-separated (as Excel in Indonesia expects)."""
    return ("\ufeff" + ";".join(cols.COLUMN_NAMES) + "\r\n").encode("utf-8")


def template_xlsx() -> bytes:
    """The XLSX template: the header row (cells formatted as text) and a sheet of instructions."""
    # openpyxl is heavy to load; only this download and XLSX uploads need it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "produk"
    sheet.append(cols.COLUMN_NAMES)
    for index, column in enumerate(cols.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(14, len(column.name) + 4)
        # Text cells keep leading zeros (0306.33) and stop 1-3 from becoming a date.
        dimension.number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("petunjuk")
    guide.append([_("column"), _("required"), _("meaning"), _("example")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in cols.COLUMNS:
        guide.append(
            [column.name, _("yes") if column.required else "", str(column.help), column.example]
        )
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
