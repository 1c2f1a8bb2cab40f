from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("<str:reference>/actions/<str:name>/", views.case_transition, name="transition"),
]
