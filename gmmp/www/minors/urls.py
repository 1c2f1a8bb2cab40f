from django.urls import path

from . import views

app_name = "minors"
urlpatterns = [
    path("", views.minor_list, name="list"),
    # Stable name: the adult track links here when a person may be a minor (legal timeline, #11).
    path("referral/new/", views.referral_new, name="referral_new"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("<str:reference>/", views.minor_detail, name="detail"),
    path("<str:reference>/register/", views.register_candidates, name="register"),
    path("<str:reference>/steps/<str:name>/", views.minor_step, name="step"),
    path("<str:reference>/documents/<int:document_id>/", views.document_download, name="document"),
    path("<str:reference>/access/", views.access_log, name="access_log"),
    path("<str:reference>/designate/", views.designate, name="designate"),
]
