"""The directory in the Django admin: every write goes through ``exporters.services``.

The change form is checked by ``services.check_profile`` (the same rules as the pages and the
API; its messages land on the fields) and saved by ``services.edit_in_admin`` (or
``services.create_organisation`` for a new one), which records the change and announces it, so
that the organisation's matches are recomputed. Members are attached with ``services.join`` and
removed with ``services.remove_member``; deleting organisations, one or in bulk, goes through
``services.delete_organisations``. Verification happens on the portal's pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from bumdes_export.core.forms import apply_errors
from exporters import services
from exporters.models import Membership, Organisation, OrganisationChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class OrganisationAdminForm(forms.ModelForm):
    """Checks what the services check, before anything is saved."""

    class Meta:
        model = Organisation
        # The profile and the sourcing preferences, in the model's order; the rest is read-only.
        fields = [
            field.name
            for field in Organisation._meta.get_fields()
            if field.name in services.PROFILE_FIELDS or field.name in services.PREFERENCE_M2M
        ]

    # As on the portal's form: identifiers may be typed with their dots and dashes (the service
    # keeps the digits), and an address typed without a scheme is an https one.
    nib = Organisation._meta.get_field("nib").formfield(max_length=25)
    npwp = Organisation._meta.get_field("npwp").formfield(max_length=25)
    website = Organisation._meta.get_field("website").formfield(assume_scheme="https")

    def profile(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in services.PROFILE_FIELDS
            if name in self.cleaned_data
        }

    def preferences(self) -> dict[str, list[str] | None]:
        return {
            name: [row.pk for row in self.cleaned_data[name]]
            for name in services.PREFERENCE_M2M
            if name in self.cleaned_data
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            profile, _preferences = services.check_profile(self.profile(), self.preferences())
        except ValidationError as error:
            apply_errors(self, error)
        else:
            data.update(profile)  # identifiers as digits, codes sorted: as the services store them
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read and correct here; verification happens on the portal's pages so that it is recorded."""

    form = OrganisationAdminForm
    list_display = ["legal_name", "kind", "country", "status", "verified_at"]
    list_filter = ["status", "kind"]
    search_fields = ["legal_name", "nib"]
    inlines = [MembershipInline]
    # The logo is checked and resized on the portal's page; the privacy consent is a record.
    readonly_fields = [
        "status",
        "verified_at",
        "verified_by",
        "rejection_reason",
        "version",
        "logo",
        "privacy_consent_at",
    ]
    filter_horizontal = [
        "hs_interests",
        "destination_markets",
        "preferred_provinces",
        "preferred_gateways",
    ]

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: OrganisationAdminForm, change: bool
    ) -> None:
        if change:
            saved = services.edit_in_admin(
                actor=request.user,
                organisation=obj,
                data=form.profile(),
                preferences=form.preferences(),
            )
        else:
            saved = services.create_organisation(
                actor=request.user, data=form.profile(), preferences=form.preferences()
            )
        # The admin goes on with the form's instance (the inlines, the log, the redirect).
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def save_related(
        self, request: HttpRequest, form: OrganisationAdminForm, formsets: Any, change: bool
    ) -> None:
        # The sourcing preferences were saved by the service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: OrganisationAdminForm, formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            try:
                services.remove_member(actor=request.user, membership=membership)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        for membership in memberships:
            services.join(form.instance, [membership.user], admin=membership.is_admin)

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        services.delete_organisations(actor=request.user, organisations=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        services.delete_organisations(actor=request.user, organisations=queryset)


@admin.register(OrganisationChange)
class OrganisationChangeAdmin(admin.ModelAdmin):
    """The history is written by the services only."""

    list_display = ["at", "organisation", "actor", "action"]
    readonly_fields = ["at", "organisation", "actor", "action", "changes", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: OrganisationChange | None = None
    ) -> bool:
        return False
