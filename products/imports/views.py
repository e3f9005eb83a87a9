"""Pages of the bulk import: history, upload (with the template), report, commit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bumdes_export.accounts.decorators import allowed_by
from bumdes_export.core.forms import form_action
from bumdes_export.core.i18n import active_language
from products.imports import access, columns, mapping, selectors, services, tasks
from products.imports.forms import ColumnsForm, SuggestionsForm, UploadForm
from products.imports.models import ProductImport

REPORT_PAGE = 50


#: Import pages: anonymous visitors go to the login page; users who may not import 403.
importer_required = allowed_by(access.can_import)


@importer_required
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.visible_imports(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "products/imports/import_list.html",
        {"page": page, "never_imported": selectors.never_imported(request.user).count()},
    )


@importer_required
@require_POST
def import_clear(request: HttpRequest) -> HttpResponse:
    """Clear the user's checks that were never imported."""
    cleared = services.clear_never_imported(request.user)
    messages.success(
        request,
        ngettext(
            "%(n)s check that was never imported cleared.",
            "%(n)s checks that were never imported cleared.",
            cleared,
        )
        % {"n": cleared},
    )
    return redirect("products:import_list")


@importer_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)

    def upload(data: dict[str, Any]) -> ProductImport:
        file = data["file"]
        services.check_upload_size(file.size)  # before the file is read
        product_import = services.create_import(
            user=request.user,
            file_name=file.name,
            data=file.read(),
            region_code=data["region"] or None,
            language=active_language(),  # the language the page is read in
        )
        if mapping.needs_columns(product_import):
            return product_import  # the importer sees how the columns are read first
        return tasks.start_import_job(services.submit(product_import), user=request.user)

    if request.method == "POST" and (uploaded := form_action(form, upload)):
        return redirect("products:import_detail", pk=uploaded.value.pk)
    return render(
        request,
        "products/imports/import_upload.html",
        {"form": form, "columns": columns.COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


def _visible(request: HttpRequest, pk: int) -> ProductImport:
    return get_object_or_404(selectors.visible_imports(request.user), pk=pk)


@importer_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _detail(
    request: HttpRequest,
    product_import: ProductImport,
    *,
    columns_form: ColumnsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = selectors.report_rows(product_import)
    page = Paginator(report, REPORT_PAGE).get_page(request.GET.get("page"))
    running = product_import.status in (
        ProductImport.Status.VALIDATING,
        ProductImport.Status.IMPORTING,
    )
    can_commit = access.can_commit_now(request.user, product_import)
    can_map = access.can_change_columns(request.user, product_import)
    if columns_form is None and can_map and product_import.column_map:
        columns_form = ColumnsForm(mapping=[tuple(pair) for pair in product_import.column_map])
    return render(
        request,
        "products/imports/import_detail.html",
        {
            "import": product_import,
            "page": page,
            "running": running,
            "job": product_import.job if running else None,
            "can_commit": can_commit,
            "columns_form": columns_form if can_map else None,
            "suggestions": [e for e in report if e.get("suggested")] if can_commit else [],
            "shown_problems": sum(1 for e in report if e.get("action") == "reject"),
        },
        status=status,
    )


@importer_required
@require_POST
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """The importer's reading of the file's columns; then the check runs."""
    product_import = _visible(request, pk)
    form = ColumnsForm(request.POST, mapping=[tuple(pair) for pair in product_import.column_map])
    if done := form_action(
        form,
        lambda data: tasks.start_import_job(
            mapping.set_columns(request.user, product_import, form.column_map()),
            user=request.user,
        ),
    ):
        return redirect("products:import_detail", pk=done.value.pk)
    return _detail(request, product_import, columns_form=form, status=400)


@importer_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    product_import = _visible(request, pk)
    choice = SuggestionsForm(request.POST)
    try:
        if product_import.suggested and choice.is_valid():
            services.choose_suggestions(
                request.user,
                product_import,
                rows=choice.cleaned_data["accept"],
                accept_all=choice.cleaned_data["accept_all"],
            )
        step = services.start_commit(product_import, user=request.user)
        product_import = tasks.start_import_job(step, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if product_import.status == ProductImport.Status.DONE:
            messages.success(
                request,
                _("Imported: %(created)d products created, %(updated)d updated.")
                % {"created": product_import.created, "updated": product_import.updated},
            )
        elif product_import.status == ProductImport.Status.IMPORTING:
            messages.info(request, _("Importing in the background; you may leave this page."))
        else:
            messages.error(
                request,
                _("Nothing was imported: the registry changed since the check. See the report."),
            )
    return redirect("products:import_detail", pk=product_import.pk)


@importer_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    product_import = _visible(request, pk)
    response = HttpResponse(
        services.error_report_csv(product_import), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="import-{product_import.pk}-errors.csv"'
    )
    return response


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@importer_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in TEMPLATE_TYPES:
        raise Http404
    content = services.template_csv() if fmt == "csv" else services.template_xlsx()
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="template-produk-bumdes.{fmt}"'
    return response
