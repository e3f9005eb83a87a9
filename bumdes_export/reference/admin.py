from django.contrib import admin

from bumdes_export.reference.models import (
    Country,
    DisadvantagedDesignation,
    ExportDocument,
    ExportGateway,
    HsAlias,
    HsCode,
    ReferenceLoad,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "retired_at"]
    list_filter = ["level", "kind", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent", "kind", "retired_at"]
    show_full_result_count = False


@admin.register(HsCode)
class HsCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "description"]
    list_filter = ["level", "section"]
    search_fields = ["code", "description"]
    readonly_fields = ["code", "level", "parent", "section"]


@admin.register(HsAlias)
class HsAliasAdmin(admin.ModelAdmin):
    """Ministry staff extend the Indonesian commodity terms used by HS search here."""

    list_display = ["term", "language", "hs_code", "note", "from_reference"]
    list_filter = ["language", "from_reference"]
    search_fields = ["term", "hs_code__code"]
    autocomplete_fields = ["hs_code"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "alpha3", "name_id", "name_en"]
    search_fields = ["code", "name_id", "name_en"]


@admin.register(ExportGateway)
class ExportGatewayAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind"]


@admin.register(DisadvantagedDesignation)
class DisadvantagedDesignationAdmin(admin.ModelAdmin):
    list_display = ["region", "period_start", "period_end", "legal_basis"]
    list_filter = ["period_start"]
    raw_id_fields = ["region"]


@admin.register(ReferenceLoad)
class ReferenceLoadAdmin(admin.ModelAdmin):
    list_display = ["dataset", "edition", "loaded_at", "created", "updated", "retired"]
    readonly_fields = [f.name for f in ReferenceLoad._meta.fields]


@admin.register(ExportDocument)
class ExportDocumentAdmin(admin.ModelAdmin):
    """The documents of the public checklist (``/checklist/``)."""

    list_display = ["code", "name_id", "kind", "needed", "certificate_type", "position"]
    list_filter = ["kind", "needed"]
    search_fields = ["code", "name_id", "name_en"]
