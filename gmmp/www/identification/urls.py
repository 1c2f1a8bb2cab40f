from django.urls import path

app_name = "identification"
urlpatterns: list = []
