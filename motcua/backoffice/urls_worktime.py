from django.urls import path

from motcua.backoffice import views_worktime

urlpatterns = [
    path("", views_worktime.calendar_page, name="worktime-calendar"),
    path("dieu-chinh/", views_worktime.override_create, name="worktime-override-create"),
    path("dieu-chinh/<int:pk>/xoa/", views_worktime.override_delete, name="worktime-override-delete"),
]
