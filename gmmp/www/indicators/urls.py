from django.urls import path

from . import themes, views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("report.pdf", views.report_pdf, name="report"),
    path("reports/<int:pk>.pdf", views.report_rerun, name="report_rerun"),
    path("themes/<slug:set_id>/", themes.theme, name="theme"),
]
