from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.models import AccountChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "region", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    raw_id_fields = ["region"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Portal"), {"fields": ("role", "region", "language", "phone")}),
    )


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "action", "target", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
