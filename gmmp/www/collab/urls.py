from django.urls import path

from . import views

app_name = "collab"
urlpatterns = [
    path("cases/<str:reference>/thread/", views.thread, name="thread"),
    path("cases/<str:reference>/thread/files/<int:pk>/", views.attachment, name="attachment"),
    path("cases/<str:reference>/interviews/", views.interviews, name="interviews"),
    path("cases/<str:reference>/escalation/", views.escalation_new, name="escalation_new"),
    path("cases/<str:reference>/protection/", views.protection, name="protection"),
    path("interviews/week/", views.calendar, name="calendar"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/answer/", views.escalation_answer, name="escalation_answer"),
]
