from django.urls import path

from motcua.portal import views_catalog

urlpatterns = [
    path("thu-tuc/", views_catalog.search, name="procedure-search"),
    path("thu-tuc/<str:code>/", views_catalog.detail, name="procedure-detail"),
    path("co-quan/<str:code>/", views_catalog.agency, name="agency-detail"),
]
