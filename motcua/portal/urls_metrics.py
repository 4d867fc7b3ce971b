from django.urls import path

from motcua.portal import views_metrics

urlpatterns = [
    path("minh-bach/", views_metrics.transparency, name="transparency"),
]
