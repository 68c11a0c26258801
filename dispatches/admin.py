from django.contrib import admin

from enterprises.admin_widgets import AutocompleteAdminMixin

from .models import Dispatch, DispatchProblem


class DispatchProblemInline(admin.TabularInline):
    model = DispatchProblem
    extra = 0
    raw_id_fields = ["ticket"]


@admin.register(Dispatch)
class DispatchAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = [
        "enterprise",
        "scheduled_for",
        "visited_on",
        "official",
        "output_value",
        "sales",
    ]
    list_filter = ["enterprise__district", "enterprise__revenue_tier"]
    search_fields = ["enterprise__name", "official__name"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["enterprise", "official"]
    autocomplete_fields = ["enterprise", "official"]
    inlines = [DispatchProblemInline]
