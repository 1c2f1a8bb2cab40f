from django.urls import include, path

from . import views

app_name = "www"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
]

# Feature URL modules, each with its own namespace (gmmp/www/<feature>/urls.py).
feature_patterns = [
    path("cases/", include("gmmp.www.cases.urls", namespace="cases")),
    path("register/", include("gmmp.www.identification.urls", namespace="identification")),
    path("lpc/", include("gmmp.www.documents.urls", namespace="documents")),
    path("indicators/", include("gmmp.www.indicators.urls", namespace="indicators")),
    path("gmmp/", include("gmmp.www.governance.urls", namespace="governance")),
    path("mobility/", include("gmmp.www.mobility.urls", namespace="mobility")),
    path("minors/", include("gmmp.www.minors.urls", namespace="minors")),
    path("audit/", include("gmmp.www.audit.urls", namespace="audit")),
    path("notifications/", include("gmmp.www.notifications.urls", namespace="notifications")),
    path("", include("gmmp.www.collab.urls", namespace="collab")),
]
