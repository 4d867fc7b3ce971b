from django.urls import path

from motcua.backoffice import views_dossiers, views_processing, views_walk_in

urlpatterns = [
    path("", views_dossiers.dossier_inbox, name="dossier-inbox"),
    path("tiep-nhan-truc-tiep/", views_walk_in.dossier_walk_in, name="dossier-walk-in"),
    path("xu-ly/", views_processing.processing_list, name="processing-inbox"),
    path("<uuid:public_id>/xu-ly/<slug:action>/", views_processing.processing_act, name="processing-act"),
    path("<uuid:public_id>/danh-gia-da-xem/", views_processing.rating_review, name="rating-review"),
    path("<uuid:public_id>/", views_dossiers.dossier_detail, name="dossier-detail"),
    path(
        "<uuid:public_id>/tiep-nhan/",
        views_dossiers.dossier_act,
        {"action": "accept"},
        name="dossier-accept",
    ),
    path(
        "<uuid:public_id>/yeu-cau-bo-sung/",
        views_dossiers.dossier_act,
        {"action": "supplement"},
        name="dossier-supplement",
    ),
    path(
        "<uuid:public_id>/tu-choi/",
        views_dossiers.dossier_act,
        {"action": "refuse"},
        name="dossier-refuse",
    ),
    path("<uuid:public_id>/tep/<int:document_id>/", views_dossiers.dossier_file, name="dossier-file"),
    path("<uuid:public_id>/phieu/<slug:form>/", views_dossiers.dossier_form, name="dossier-form"),
]
