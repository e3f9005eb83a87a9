"""The file's columns as the portal reads them: each header as written, with the template
column it names (guessed from its common variants, ``columns.guess_column``), shown to the
importer before the check when the file is not in the template, and changed by them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from products.access import AnyUser
from products.imports import access
from products.imports import columns as cols
from products.imports.models import ProductImport
from products.imports.reader import FileProblem, open_sheet
from products.imports.services import ImportStep, read_stored, save_fields, submit

Status = ProductImport.Status


def read_columns(product_import: ProductImport) -> list[tuple[str, str]]:
    """Each header of the stored file as written, with the template column it is read as (the
    importer's choice where made, else the portal's guess). Raises ``FileProblem``."""
    data = read_stored(product_import)
    with open_sheet(data, product_import.file_name, product_import.column_map) as sheet:
        return sheet.mapping


def needs_columns(product_import: ProductImport) -> bool:
    """Whether the importer should see how the file's columns are read before the check: a
    header that is not the template's, or one left out. Stores the guess."""
    try:
        mapping = read_columns(product_import)
    except FileProblem:
        return False  # the check says why the file cannot be read
    exact = all(header == column for header, column in mapping)
    if not exact:
        save_fields(product_import, status=Status.COLUMNS, column_map=dict(mapping))
    return not exact


def set_columns(
    actor: AnyUser, product_import: ProductImport, column_map: dict[str, str]
) -> ImportStep:
    """The importer's reading of the file's columns (header -> template column, "" to leave
    it out); then the check, as after an upload."""
    if not access.can_commit(actor, product_import):
        raise PermissionDenied
    if product_import.status not in (Status.COLUMNS, Status.VALIDATED, Status.REJECTED):
        raise ValidationError(
            {"columns": _("The columns can be changed only before the import is committed.")}
        )
    known = set(cols.COLUMN_NAMES)
    cleaned = {str(h): (c if c in known else "") for h, c in column_map.items()}
    chosen = [c for c in cleaned.values() if c]
    twice = sorted({c for c in chosen if chosen.count(c) > 1})
    if twice:
        raise ValidationError(
            {
                "columns": _("Each column may be chosen once: %(columns)s.")
                % {"columns": ", ".join(twice)}
            }
        )
    missing = [name for name in cols.REQUIRED if name not in chosen]
    if missing:
        raise ValidationError(
            {
                "columns": _("Choose a column of the file for: %(columns)s.")
                % {"columns": ", ".join(missing)}
            }
        )
    save_fields(product_import, column_map=cleaned, status=Status.VALIDATING)
    return submit(product_import)
