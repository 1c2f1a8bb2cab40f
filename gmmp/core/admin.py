from django.contrib import admin

from .models import PolicyValue


@admin.register(PolicyValue)
class PolicyValueAdmin(admin.ModelAdmin):
    list_display = ["key", "effective_from", "value", "source"]
    list_filter = ["key"]
