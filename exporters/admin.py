from django.contrib import admin
from django.db.models import F

from exporters import events
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
        # An edit here changes what the organisation sources, like one on the portal's pages:
        # bump the version and announce it (after commit), so its matches are recomputed.
        super().save_related(request, form, formsets, change)
        organisation = form.instance
        Organisation.objects.filter(pk=organisation.pk).update(version=F("version") + 1)
        organisation.refresh_from_db(fields=["version"])
        events.announce_organisation(organisation.pk, organisation.version)


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor", "action"]
    readonly_fields = ["at", "organisation", "actor", "action", "changes", "note"]
