from django.urls import path, re_path

from motcua.portal import views_feedback

CODE = r"(?P<code>PA[A-Z0-9]{8})"

urlpatterns = [
    path("phan-anh/", views_feedback.feedback_list, name="feedback-list"),
    path("phan-anh/gui/", views_feedback.feedback_new, name="feedback-new"),
    path("phan-anh/tra-cuu/", views_feedback.feedback_lookup, name="feedback-lookup"),
    path("phan-anh/ban-do/", views_feedback.feedback_map, name="feedback-map"),
    path("phan-anh/anh/<int:photo_id>/", views_feedback.feedback_photo, name="feedback-photo"),
    re_path(
        rf"^phan-anh/da-gui/{CODE}/(?P<token>[0-9a-f]{{32}})/$",
        views_feedback.feedback_sent,
        name="feedback-sent",
    ),
    re_path(
        rf"^phan-anh/theo-doi/{CODE}/(?P<token>[0-9a-f]{{32}})/$",
        views_feedback.feedback_follow,
        name="feedback-follow",
    ),
    re_path(rf"^phan-anh/{CODE}/$", views_feedback.feedback_detail, name="feedback-detail"),
]
