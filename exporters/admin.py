from django.contrib import admin

from exporters import services
from exporters.models import Membership, Organisation, OrganisationChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read here; verification happens on the portal's pages so that it is recorded."""

    list_display = ["legal_name", "kind", "country", "status", "verified_at"]
    list_filter = ["status", "kind"]
    search_fields = ["legal_name", "nib"]
    inlines = [MembershipInline]
    readonly_fields = ["status", "verified_at", "verified_by", "rejection_reason", "version"]
    filter_horizontal = [
        "hs_interests",
        "destination_markets",
        "preferred_provinces",
        "preferred_gateways",
    ]

    def save_related(self, request, form, formsets, change):
        # An edit here changes what the organisation sources, like one on the portal's pages.
        super().save_related(request, form, formsets, change)
        services.record_admin_change(actor=request.user, organisation=form.instance)


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor", "action"]
    readonly_fields = ["at", "organisation", "actor", "action", "changes", "note"]
