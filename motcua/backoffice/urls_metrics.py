from django.urls import path

from motcua.backoffice import views_metrics as views

urlpatterns = [
    path("", views.dashboard, name="metrics-dashboard"),
    path("man-hinh/", views.wall, name="metrics-wall"),
    path("bang-diem/", views.scorecard, name="metrics-scorecard"),
    path("bang-diem.pdf", views.scorecard_pdf, name="metrics-scorecard-pdf"),
    path("ho-so/<slug:measure>/", views.drill, name="metrics-drill"),
    path("ho-so/<slug:measure>.csv", views.drill_csv, name="metrics-drill-csv"),
    path("bao-cao.xlsx", views.export_xlsx, name="metrics-xlsx"),
    path("bao-cao.csv", views.export_csv, name="metrics-csv"),
]
