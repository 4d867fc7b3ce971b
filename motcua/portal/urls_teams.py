from django.urls import path

from motcua.portal import views_teams

urlpatterns = [
    path("to-cong-nghe-so/", views_teams.team_list, name="team-list"),
    path("to-cong-nghe-so/<int:team_id>/", views_teams.team_detail, name="team-detail"),
    path("to-cong-nghe-so/ho-tro/", views_teams.assist_start, name="assist-start"),
    path(
        "to-cong-nghe-so/ho-tro/<int:consent_id>/xac-nhan/", views_teams.assist_confirm, name="assist-confirm"
    ),
    path(
        "to-cong-nghe-so/ho-tro/<int:consent_id>/thu-tuc/",
        views_teams.assist_procedure,
        name="assist-procedure",
    ),
    path("to-cong-nghe-so/ho-tro/<int:consent_id>/ho-so/", views_teams.assist_done, name="assist-done"),
]
