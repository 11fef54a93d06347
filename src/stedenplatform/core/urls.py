from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "aanmelden/",
        auth_views.LoginView.as_view(template_name="core/login.html"),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
]
