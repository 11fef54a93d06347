from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("importeren/", views.import_plan, name="import_new"),
    path("groepen/", views.groups, name="groups"),
    path("groepen/<slug:group_code>/", views.group_detail, name="group"),
    path("<slug:code>/", views.dashboard, name="dashboard"),
    path("<slug:code>/boom/", views.tree, name="tree"),
    path("<slug:code>/items/<str:item_code>/", views.item_detail, name="item"),
    path(
        "<slug:code>/items/<str:item_code>/update/",
        views.item_update,
        name="item_update",
    ),
    path(
        "<slug:code>/items/<str:item_code>/kwesties/",
        views.kwestie_create,
        name="kwestie_create",
    ),
    path(
        "<slug:code>/kwesties/<int:pk>/<str:action>/",
        views.kwestie_action,
        name="kwestie_action",
    ),
    path(
        "<slug:code>/indicatoren/<int:pk>/metingen/",
        views.measurement_add,
        name="measurement_add",
    ),
    path("<slug:code>/rondes/", views.rounds, name="rounds"),
    path("<slug:code>/rondes/vergelijken/", views.round_compare, name="compare"),
    path("<slug:code>/rondes/<int:pk>/", views.round_detail, name="round"),
    path(
        "<slug:code>/rondes/<int:pk>/afsluiten/", views.round_close, name="round_close"
    ),
    path("<slug:code>/rapport/", views.report, name="report"),
    path("<slug:code>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:code>/export.<str:file_format>", views.export, name="export"),
    path("<slug:code>/bijwerken/", views.bulk_update, name="bulk_update"),
    path("<slug:code>/importeren/", views.import_plan, name="import"),
]
