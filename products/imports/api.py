"""Imports API: upload a product list (checked at once), follow its progress, commit it.

Ministry staff and regional officers only (others 403, anonymous 401); an officer sees only
their own imports. The rules are those of the pages (``products.imports.services``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from products.imports import access, selectors, services, tasks
from products.imports.models import ProductImport

REPORT_IN_DETAIL = 100


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The import is not in a state that allows this."
    default_code = "conflict"


class CanImport(BasePermission):
    """Ministry staff and regional officers."""

    def has_permission(self, request, view) -> bool:
        return access.can_import(request.user)


class ProgressSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    message = serializers.CharField()


class ReportEntrySerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number as a spreadsheet shows it (header = 1).")
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "reject"])
    bumdes_action = serializers.CharField(help_text="create, match or empty")
    village = serializers.CharField()
    bumdes = serializers.CharField()
    product = serializers.CharField()
    hs = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.CharField(), help_text="column name -> message"
    )
    changes = serializers.ListField(child=serializers.CharField(), required=False)
    suggested = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text="Column (kode_hs, bentuk, satuan) -> {value, label}: what the portal suggests "
        "for a missing HS code, form or unit, from the product's name.",
    )


class CommitSerializer(serializers.Serializer):
    accept = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Rows whose suggestions are accepted; the others are imported as drafts with "
        "the suggested values to confirm.",
    )
    accept_all = serializers.BooleanField(required=False, help_text="Accept every suggestion.")


class ProductImportSerializer(serializers.ModelSerializer):
    # A plain string (values in the help text): another "status" enum in the schema would need
    # an ENUM_NAME_OVERRIDES entry.
    status = serializers.CharField(
        read_only=True, help_text="validating, validated, rejected, importing, done or failed"
    )
    region = serializers.CharField(source="region_id", allow_null=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField()
    error_report = serializers.SerializerMethodField()
    imported = serializers.BooleanField(
        read_only=True,
        help_text="Whether the list was imported: the counts say what happened. When false they "
        "say what importing it would do (a check changes nothing).",
    )

    class Meta:
        model = ProductImport
        fields = [
            "id",
            "file_name",
            "region",
            "status",
            "status_display",
            "imported",
            "rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "bumdes_created",
            "error",
            "created_by",
            "created_at",
            "checked_at",
            "finished_at",
            "dry_run_seconds",
            "commit_seconds",
            "column_map",
            "suggested",
            "accepted_rows",
            "accept_all",
            "progress",
            "error_report",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, obj: ProductImport) -> dict | None:
        job = obj.job
        if job is None:
            return None
        return {
            "job": job.pk,
            "status": job.status,
            "progress": job.progress,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_error_report(self, obj: ProductImport) -> str | None:
        if not (obj.rejected or obj.error):
            return None
        return reverse("products:import_report", args=[obj.pk], request=self.context.get("request"))


class ProductImportDetailSerializer(ProductImportSerializer):
    report = serializers.SerializerMethodField()
    report_truncated = serializers.SerializerMethodField()

    class Meta(ProductImportSerializer.Meta):
        fields = [*ProductImportSerializer.Meta.fields, "report", "report_truncated"]
        read_only_fields = fields

    @extend_schema_field(ReportEntrySerializer(many=True))
    def get_report(self, obj: ProductImport) -> list[dict]:
        return selectors.report_rows(obj)[:REPORT_IN_DETAIL]

    @extend_schema_field(serializers.BooleanField())
    def get_report_truncated(self, obj: ProductImport) -> bool:
        return len(obj.report or []) > REPORT_IN_DETAIL or obj.rejected > sum(
            1 for e in obj.report or [] if e.get("action") == "reject"
        )


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX in the template's columns.")
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Accept only villages in this region (code). Officers: default their own.",
    )


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Product list imports: the history (list), one import (detail), upload and commit."""

    permission_classes = [IsAuthenticated, CanImport]
    serializer_class = ProductImportSerializer
    queryset = ProductImport.objects.none()

    def get_queryset(self):
        return selectors.visible_imports(self.request.user)

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "commit"):
            return ProductImportDetailSerializer
        return ProductImportSerializer

    def get_parsers(self):
        if getattr(self, "action", None) == "create" or self.request is None:
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: ProductImportDetailSerializer},
        description="Upload a file. Small files are checked at once (status validated or "
        "rejected); large files are checked in the background (status validating, with "
        "progress). Nothing is written to the registry until the commit.",
    )
    def create(self, request):
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        # A service's ValidationError is a 400 with field errors (the API's exception handler).
        services.check_upload_size(file.size)  # before the file is read
        product_import = services.create_import(
            user=request.user,
            file_name=file.name,
            data=file.read(),
            region_code=upload.validated_data.get("region") or None,
        )
        product_import = tasks.start_import_job(services.submit(product_import), user=request.user)
        product_import = self.get_queryset().get(pk=product_import.pk)
        return Response(self.get_serializer(product_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CommitSerializer,
        responses={200: ProductImportDetailSerializer, 202: ProductImportDetailSerializer},
        description="Import a checked file without rejected rows, all or nothing: 200 when "
        "done, 202 while a large file is imported in the background. 409 if the import is not "
        "checked, has rejected rows, or was imported already. Rows with suggestions (a missing "
        "HS code, form or unit) named in `accept` (or all, with `accept_all`) are imported as "
        "suggested; the others as drafts with the suggested values to confirm.",
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        product_import = self.get_object()
        choice = CommitSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        try:
            if product_import.suggested:
                services.choose_suggestions(
                    request.user,
                    product_import,
                    rows=choice.validated_data.get("accept", []),
                    accept_all=choice.validated_data.get("accept_all", False),
                )
            step = services.start_commit(product_import, user=request.user)
            product_import = tasks.start_import_job(step, user=request.user)
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        product_import = self.get_queryset().get(pk=product_import.pk)
        code = (
            status.HTTP_202_ACCEPTED
            if product_import.status == ProductImport.Status.IMPORTING
            else status.HTTP_200_OK
        )
        return Response(self.get_serializer(product_import).data, status=code)
