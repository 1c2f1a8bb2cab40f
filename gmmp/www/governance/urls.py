from django.urls import path

from . import steering, views

app_name = "governance"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/followup/", views.followup, name="followup"),
    path("followup/", views.followup, name="followup_next"),
    path("actions/<int:pk>/status/", views.action_update, name="action_update"),
    path("meetings/new/", steering.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/edit/", steering.meeting_edit, name="meeting_edit"),
    path("recommendations/", steering.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/status/", steering.recommendation_update, name="recommendation_update"),
    path("assessments/", steering.assessments, name="assessments"),
    path("assessments/<str:code>/", steering.assessment_detail, name="assessment"),
]
