from django.urls import path

from motcua.backoffice import views_catalog

urlpatterns = [
    path("nhap/", views_catalog.catalog_import_page, name="catalog-import"),
    path("xuat.<str:kind>", views_catalog.catalog_export, name="catalog-export"),
]
