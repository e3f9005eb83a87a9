"""Matchmaking in the admin: for ministry staff to look into conversations and requests.

Records are read-only here: every change has its rules in ``matchmaking.dealings.services``
(status changes are checked and notify people), so none is made here. Deleting stays possible,
for moderation: no service has a rule about removing a record as a moderator (the only delete in
the services, ``remove_from_shortlist``, is a member taking a product off their own shortlist,
with no other effect), so the admin's delete, single or bulk, skips nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from matchmaking.dealings.models import (
    BuyingRequest,
    Inquiry,
    InquiryMessage,
    Offer,
    ServiceRequest,
    ServiceRequestNote,
    ShortlistEntry,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "product", "added_by", "created_at"]
    list_select_related = ["organisation", "product", "added_by"]
    search_fields = ["organisation__legal_name", "product__name_id", "product__name_en"]
    date_hierarchy = "created_at"


class InquiryMessageInline(ReadOnlyInline):
    model = InquiryMessage
    fields = ["created_at", "author", "side", "body", "attachment"]
    readonly_fields = fields


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "kind", "status", "organisation", "product", "last_activity_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation", "product"]
    search_fields = ["subject", "organisation__legal_name", "product__name_id"]
    date_hierarchy = "created_at"
    inlines = [InquiryMessageInline]


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ["product", "price", "currency", "incoterm", "quantity", "unit", "status"]
    readonly_fields = fields


@admin.register(BuyingRequest)
class BuyingRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "organisation", "hs_code", "quantity", "unit", "valid_until", "status"]
    list_filter = ["status", "destination"]
    list_select_related = ["organisation", "hs_code"]
    search_fields = ["title", "description", "organisation__legal_name", "hs_code__code"]
    date_hierarchy = "created_at"
    inlines = [OfferInline]


class ServiceRequestNoteInline(ReadOnlyInline):
    model = ServiceRequestNote
    fields = ["created_at", "author", "from_status", "to_status", "body", "document"]
    readonly_fields = fields


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["service", "product", "provider", "status", "requested_by", "updated_at"]
    list_filter = ["status", "service"]
    list_select_related = ["provider", "product", "requested_by"]
    search_fields = ["product__name_id", "provider__legal_name", "description"]
    date_hierarchy = "created_at"
    inlines = [ServiceRequestNoteInline]
