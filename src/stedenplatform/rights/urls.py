from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("", views.index, name="index"),
    path("verkenner/", views.explorer, name="explorer"),
    path("recht/<slug:slug>/", views.right_detail, name="detail"),
    path("advies/", views.advice_page, name="advice"),
    path("advies/schema/", views.schema_page, name="schema"),
    path("profielen/", views.profiles_page, name="profiles"),
    path("screening/", views.screening_page, name="screening"),
    path("beheer/", views.manage, name="manage"),
    path("beheer/nieuw/", views.edit_right, name="create"),
    path("beheer/import/", views.import_page, name="import"),
    path("beheer/voorwaarde/", views.check_condition, name="check_condition"),
    path("beheer/<slug:slug>/", views.edit_right, name="edit"),
    path("beheer/<slug:slug>/verwijderen/", views.remove_right, name="delete"),
]
