from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/followup/", views.followup, name="followup"),
    path("followup/", views.followup, name="followup_next"),
    path("actions/<int:pk>/status/", views.action_update, name="action_update"),
]
