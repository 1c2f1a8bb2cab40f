from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("keys.json", views.public_keys, name="keys"),
    path("border/", views.border_scan, name="border_scan"),
    path("case/<str:reference>/issue/", views.issue, name="issue"),
    path("case/<str:reference>/photo-exception/", views.photo_exception, name="photo_exception"),
    path("<str:number>/pdf/", views.pdf, name="pdf"),
    path("<str:number>/extend/", views.extend, name="extend"),
    path("<str:number>/reissue/", views.reissue, name="reissue"),
    path("<str:number>/revoke/", views.revoke, name="revoke"),
]
