from django.urls import include, path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("thoi-gian-lam-viec/", include("motcua.backoffice.urls_worktime")),
    path("thu-tuc/", include("motcua.backoffice.urls_catalog")),
    path("ho-so/", include("motcua.backoffice.urls_dossiers")),
    path("phan-anh/", include("motcua.backoffice.urls_feedback")),
    path("chi-so/", include("motcua.backoffice.urls_metrics")),
]
