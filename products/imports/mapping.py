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
from products.imports.reader import FileProblem, read_mapping
from products.imports.services import ImportStep, read_stored, save_fields, submit

Status = ProductImport.Status


def needs_columns(product_import: ProductImport) -> bool:
    """Whether the importer should see how the file's columns are read before the check: a
    header that is not the template's, one left out, or a required column the portal cannot
    find. Stores the reading (status "Columns to confirm")."""
    try:
        mapping, problems = read_mapping(read_stored(product_import), product_import.file_name)
    except FileProblem:
        return False  # the check says why the file cannot be read
    exact = not problems and all(header == column for header, column in mapping)
    if not exact:
        save_fields(
            product_import,
            status=Status.COLUMNS,
            column_map=[list(pair) for pair in mapping],
            error=" ".join(problems),
        )
    return not exact


def set_columns(
    actor: AnyUser, product_import: ProductImport, column_map: list[tuple[str, str]]
) -> ImportStep:
    """The importer's reading of the file's columns ([header, template column or ""] in the
    file's order); then the check, as after an upload."""
    if not access.can_commit(actor, product_import):
        raise PermissionDenied
    known = set(cols.COLUMN_NAMES)
    cleaned = [[str(h), c if c in known else ""] for h, c in column_map]
    chosen = [c for _h, c in cleaned if c]
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
    # Only before the commit: a conditional write, so a commit that started meanwhile wins.
    changed = ProductImport.objects.filter(
        pk=product_import.pk,
        status__in=access.COLUMNS_CHANGEABLE,
    ).update(column_map=cleaned, status=Status.VALIDATING, error="")
    if not changed:
        raise ValidationError(
            {"columns": _("The columns can be changed only before the import is committed.")}
        )
    product_import.refresh_from_db()
    return submit(product_import)
