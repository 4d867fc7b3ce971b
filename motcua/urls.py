from django.contrib import admin
from django.urls import include, path

from motcua.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
    path("open311/v2/", include("motcua.api.urls_open311")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]
