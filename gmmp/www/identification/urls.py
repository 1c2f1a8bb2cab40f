from django.urls import path

from . import views

app_name = "identification"
urlpatterns = [
    path("", views.search, name="search"),
    path("cases/<str:reference>/", views.case_search, name="case_search"),
    path("cases/<str:reference>/confirm/", views.confirm, name="confirm"),
    path("cases/<str:reference>/not-found/", views.not_found, name="not_found"),
    path("cases/<str:reference>/second-confirm/", views.second_confirm, name="second_confirm"),
    path("cases/<str:reference>/reverse/", views.reverse_identification, name="reverse"),
]
