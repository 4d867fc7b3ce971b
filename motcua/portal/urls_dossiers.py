from django.contrib.auth.decorators import login_required
from django.urls import path

from motcua.portal import views_dossier_end, views_dossiers

urlpatterns = [
    path("thu-tuc/<str:code>/nop/", views_dossiers.dossier_start, name="dossier-start"),
    path("ho-so-cua-toi/", views_dossiers.my_dossiers, name="my-dossiers"),
    path("ho-so/<uuid:public_id>/", views_dossiers.dossier_detail, name="dossier-detail"),
    path("ho-so/<uuid:public_id>/sua/", views_dossiers.dossier_edit, name="dossier-edit"),
    path("ho-so/<uuid:public_id>/da-nop/", views_dossiers.dossier_submitted, name="dossier-submitted"),
    path("ho-so/<uuid:public_id>/bo-sung/", views_dossiers.dossier_supplement, name="dossier-supplement"),
    path("ho-so/<uuid:public_id>/tep/<int:document_id>/", views_dossiers.dossier_file, name="dossier-file"),
    path("ho-so/<uuid:public_id>/mau/<slug:form>/", views_dossiers.dossier_form, name="dossier-form"),
    path(
        "ho-so/<uuid:public_id>/rut/",
        login_required(views_dossier_end.dossier_withdraw_view),
        name="dossier-withdraw",
    ),
    path(
        "ho-so/<uuid:public_id>/danh-gia/",
        login_required(views_dossier_end.dossier_rate_view),
        name="dossier-rate",
    ),
    path("tra-cuu/", views_dossiers.tracking, name="tracking"),
]
