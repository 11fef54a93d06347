from django.urls import path

from . import views

app_name = "social"

urlpatterns = [
    path("", views.index, name="index"),
    path("gegevens/", views.uploads, name="uploads"),
    path("gegevens/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("schema/<str:dataset>.csv", views.sample_file, name="sample"),
    path("benchmark/", views.benchmark_list, name="benchmark_list"),
    path("benchmark/<int:pk>/", views.report, name="report"),
    path("benchmark/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("benchmark/<int:pk>/publiceren/", views.publish, name="publish"),
    path("stad/<str:nis>/", views.dashboard, name="dashboard"),
]
