from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("cases/<str:reference>/access/", views.case_access_log, name="case_access_log"),
    path("cases/<str:reference>/export.json", views.subject_export, name="subject_export"),
]
