from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Departement, Jurisdiction, Organisation, User


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "side", "departement", "is_active"]
    list_filter = ["kind", "side", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    """Administrators change the map here, without code: periods are validated against overlaps."""

    list_display = ["departement", "consulate", "valid_from", "valid_to", "confirmed"]
    list_filter = ["consulate", "confirmed"]
    search_fields = ["departement__code", "departement__name", "consulate__name"]
    autocomplete_fields = ["departement"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("GMMP"), {"fields": ("organisation", "role", "preferred_language")}),
    )
    list_display = ["username", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__side", "organisation__kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "secret_hash", "last_used_at"]
