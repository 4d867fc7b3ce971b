from django.urls import include, path

from motcua.portal import views, views_catalog

app_name = "portal"
urlpatterns = [
    path("", views_catalog.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("", include("motcua.portal.urls_catalog")),
    path("", include("motcua.portal.urls_dossiers")),
    path("", include("motcua.portal.urls_teams")),
    path("", include("motcua.portal.urls_feedback")),
    path("", include("motcua.portal.urls_metrics")),
]
