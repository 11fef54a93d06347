"""URL map: the platform shell, then one prefix per module."""

from django.contrib import admin
from django.urls import include, path

from stedenplatform.api import api

urlpatterns = [
    path("", include("stedenplatform.core.urls")),
    path("plannen/", include("stedenplatform.plans.urls")),
    path("cijfers/", include("stedenplatform.stats.urls")),
    path("demad/", include("stedenplatform.social.urls")),
    path("rechten/", include("stedenplatform.rights.urls")),
    path("kennisbank/", include("stedenplatform.knowledge.urls")),
    path("api/", api.urls),
    path("beheer/", admin.site.urls),
]

handler403 = "stedenplatform.core.views.permission_denied"
handler404 = "stedenplatform.core.views.page_not_found"
