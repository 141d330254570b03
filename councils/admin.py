"""Platform administration of councils and their reference data."""

from django.contrib import admin

from kvsp.core import public_cache
from kvsp.core.admin_widgets import AutocompleteAdminMixin
from kvsp.core.history_admin import KVSPHistoryAdmin

from .models import (
    AdministrativeUnit,
    Council,
    CouncilInstitution,
    County,
    Institution,
    Membership,
    Municipality,
    Person,
)


class NoDeleteAdmin(AutocompleteAdminMixin, KVSPHistoryAdmin):
    """Records whose history matters: they are ended or corrected, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(NoDeleteAdmin):
    """Counties and municipalities come from the reference data; a name can be corrected, the
    slug (a public address) never changes."""

    readonly_fields = ["slug"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["name", "definite", "genitive", "gender", "slug", "county"]
    # The forms are corrected on each municipality's change page: the list's inline boxes had no
    # labels (axe: critical), and a list is not where one corrects a word.
    list_filter = ["county"]
    list_select_related = ["county"]

    def save_model(self, request, obj, form, change):
        """The forms a page writes the name in (its form or the list's boxes): the public pages
        cached with the old forms are stale at once."""
        super().save_model(request, obj, form, change)
        public_cache.changed()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AutocompleteAdminMixin, KVSPHistoryAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality__county"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(Council)
class CouncilAdmin(NoDeleteAdmin):
    list_display = ["municipality", "status", "chair_holder", "founding_decision_date"]
    list_filter = ["status", "chair_holder", "municipality__county"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name"]
    readonly_fields = ["municipality"]

    def has_add_permission(self, request):
        return False


@admin.register(Institution)
class InstitutionAdmin(NoDeleteAdmin):
    list_display = ["name", "category", "county"]
    list_filter = ["category", "county"]
    list_select_related = ["county"]
    search_fields = ["name"]


@admin.register(CouncilInstitution)
class CouncilInstitutionAdmin(NoDeleteAdmin):
    list_display = ["institution", "council", "start_date", "end_date"]
    list_filter = ["council__municipality__county"]
    list_select_related = ["institution", "council__municipality"]
    autocomplete_fields = ["institution", "council"]


@admin.register(Person)
class PersonAdmin(NoDeleteAdmin):
    list_display = ["full_name", "institution", "user"]
    list_select_related = ["institution", "user"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["institution", "user"]


@admin.register(Membership)
class MembershipAdmin(NoDeleteAdmin):
    list_display = ["person", "role", "council", "start_date", "end_date"]
    list_filter = ["role", "council__municipality__county"]
    list_select_related = ["person", "council__municipality"]
    autocomplete_fields = ["person", "council"]
