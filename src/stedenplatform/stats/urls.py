from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("indicator/<str:code>/", views.indicator_detail, name="indicator"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("gebied/", views.city_redirect, name="area_choice"),
    path("gebied/<str:code>/", views.area_profile, name="area"),
    path("gebied/<str:code>/steekkaart/", views.steekkaart, name="steekkaart"),
    path("importeren/", views.upload, name="upload"),
]
