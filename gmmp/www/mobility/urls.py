from django.urls import path

from . import views

app_name = "mobility"
urlpatterns = [
    path("", views.index, name="index"),
    path("visas/", views.visas, name="visas"),
    path("irregular/", views.irregular, name="irregular"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/<str:what>/", views.contract_act, name="contract_act"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
]
