from django.contrib import admin

from .models import ActionItem, ActionUpdate, AgendaItem, Meeting, Milestone, Outcome, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "date_precision", "place"]
    inlines = [ParticipantInline, AgendaInline, OutcomeInline]


class ActionUpdateInline(admin.TabularInline):
    """The history is written by `actions.action_item_update_status` only: shown, never edited here."""

    model = ActionUpdate
    extra = 0
    readonly_fields = ["at", "status", "note", "by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_date", "status", "indicator_id"]
    list_filter = ["status", "owner"]
    inlines = [ActionUpdateInline]

    def get_readonly_fields(self, request, obj=None):
        # A status changes through the follow-up page (actions.action_item_update_status), which keeps
        # its history; the admin edits the wording, the owner and the due date.
        return ["status"] if obj is not None else []


admin.site.register(Milestone)
