"""Open311 GeoReport v2, mounted at /open311/v2/ (see motcua.api.open311)."""

from django.urls import re_path

from motcua.api import open311

FMT = r"\.(?P<fmt>[a-z]{1,8})$"

urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, open311.services, name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[\w-]{1,40})" + FMT, open311.service_definition, name="open311-service"
    ),
    re_path(r"^requests" + FMT, open311.requests_collection, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[\w-]{1,20})" + FMT, open311.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[\w-]{1,40})" + FMT, open311.token_detail, name="open311-token"),
    re_path(r"^servicerequestupdates" + FMT, open311.request_updates, name="open311-updates"),
]
