"""Admin for ministry staff: the certificate catalogue and the readiness rules are edited here.

Registry records themselves are read here; they change through the portal's pages so that every
change is recorded in their history. Every write of a readiness rule (save, delete, the bulk
delete action) goes through ``products.services`` and then starts the recompute of every stored
score (``products.tasks.start_readiness_refresh``).
"""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from products import services, tasks
from products.catalogue.models import ContactView
from products.imports.models import ProductImport
from products.models import Bumdes, CertificateType, HistoryEntry, Product, ReadinessRule
from products.readiness import selectors as readiness_selectors
from products.readiness.models import SpecificationTemplate


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "issuer"]
    search_fields = ["code", "name_id", "name_en"]


class ReadinessRuleForm(forms.ModelForm):
    class Meta:
        model = ReadinessRule
        fields = [
            "code",
            "requirement",
            "certificate_type",
            "hs_prefix",
            "forms",
            "destinations",
            "applies_when",
            "conditions",
            "any_condition",
            "weight",
            "required",
            "confirmed",
            "legal_basis",
            "valid_from",
            "valid_until",
            "gap_id",
            "gap_en",
            "next_step_id",
            "next_step_en",
            "active",
        ]

    def clean(self):
        data = super().clean()
        problem = readiness_selectors.rule_fields_problem(
            data.get("hs_prefix", ""), data.get("conditions"), data.get("applies_when")
        )
        for field, message in (problem or {}).items():
            self.add_error(field, message)
        return data


@admin.register(ReadinessRule)
class ReadinessRuleAdmin(admin.ModelAdmin):
    form = ReadinessRuleForm
    list_display = [
        "code",
        "requirement",
        "certificate_type",
        "hs_prefix",
        "weight",
        "required",
        "confirmed",
        "valid_until",
        "active",
    ]
    list_filter = ["required", "confirmed", "active", "requirement"]
    search_fields = ["code", "gap_id", "gap_en", "hs_prefix"]
    filter_horizontal = ["destinations"]

    def save_model(self, request, obj, form, change):
        services.save_readiness_rule(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every stored score depends on the rules: recompute them in the background.
        tasks.start_readiness_refresh(user=request.user)
        self.message_user(request, _("Readiness scores are being recomputed in the background."))

    def delete_model(self, request, obj):
        services.delete_readiness_rules([obj])
        tasks.start_readiness_refresh(user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ReadinessRule]) -> None:
        # The bulk delete action ("Delete selected readiness rules").
        services.delete_readiness_rules(queryset)
        tasks.start_readiness_refresh(user=request.user)


@admin.register(SpecificationTemplate)
class SpecificationTemplateAdmin(admin.ModelAdmin):
    """The fields each commodity's products record; the rules read them, so every change
    recomputes the stored scores too."""

    list_display = ["code", "name_id", "name_en", "hs_prefixes", "active"]
    search_fields = ["code", "name_id", "name_en"]

    def save_model(self, request, obj, form, change):
        services.save_specification_template(obj)
        tasks.start_readiness_refresh(user=request.user)

    def delete_model(self, request, obj):
        services.delete_specification_templates([obj])
        tasks.start_readiness_refresh(user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.delete_specification_templates(queryset)
        tasks.start_readiness_refresh(user=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bumdes)
class BumdesAdmin(ReadOnlyAdmin):
    list_display = ["name", "village", "kind", "status", "legal_status"]
    list_filter = ["status", "kind", "legal_status"]
    search_fields = ["name", "village__code", "nib"]
    list_select_related = ["village"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name_id", "bumdes", "hs_code", "status", "readiness_score"]
    list_filter = ["status", "form"]
    search_fields = ["name_id", "name_en", "hs_code__code"]
    list_select_related = ["bumdes", "hs_code"]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "kind", "bumdes", "product", "from_status", "to_status"]
    list_filter = ["kind"]
    list_select_related = ["actor", "bumdes", "product"]


@admin.register(ProductImport)
class ProductImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "created_by", "file_name", "status", "rows", "rejected"]
    list_filter = ["status"]


@admin.register(ContactView)
class ContactViewAdmin(ReadOnlyAdmin):
    """Who saw which BUMDes' contact details, and when (UU 27/2022 on personal data)."""

    list_display = [f.name for f in ContactView._meta.fields if f.name != "id"][:6]
