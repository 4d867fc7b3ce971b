from django.urls import path, re_path

from motcua.backoffice import views_feedback

CODE = r"(?P<code>PA[A-Z0-9]{8})"

urlpatterns = [
    path("", views_feedback.feedback_queue, name="feedback-queue"),
    path("tiep-nhan/", views_feedback.feedback_desk, name="feedback-desk"),
    re_path(rf"^{CODE}/$", views_feedback.feedback_detail, name="feedback-detail"),
    re_path(rf"^{CODE}/anh/(?P<photo_id>\d{{1,12}})/$", views_feedback.feedback_photo, name="feedback-photo"),
    re_path(rf"^{CODE}/(?P<action>[a-z-]{{2,30}})/$", views_feedback.feedback_act, name="feedback-act"),
]
