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
    model = ActionUpdate
    extra = 0
    readonly_fields = ["at", "status", "note", "by"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_date", "status", "indicator_id"]
    list_filter = ["status", "owner"]
    inlines = [ActionUpdateInline]


admin.site.register(Milestone)
