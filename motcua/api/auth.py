"""Who is calling the API: an API client with a bearer token, a logged-in user (session + CSRF), or nobody.

    @router.post("/things", auth=CALLER_AUTH)
    def thing_create(request):
        refused = unauthenticated(request.auth)      # 401/403 in the common ErrorOut format, or None
        ...request.auth.user / request.auth.client / request.auth.actor (for the audit log)

The authenticators never fail on their own: each endpoint decides between 401, 403 and 404 (a dossier that is not
yours is "not found", so codes cannot be probed), and every error keeps our documented format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from motcua.core.audit import api_client_actor
from motcua.directory.api_clients import api_client_authenticate
from motcua.directory.models import ApiClient


def error(status: int, code: str, message: str, details: list[dict] | None = None) -> Status:
    """A response in the ErrorOut format of motcua.api.v1."""
    return Status(status, {"code": code, "message": message, "details": details})


@dataclass(frozen=True)
class Caller:
    """The authenticated party: a user (session), an API client (token), or nobody. Always truthy for ninja."""

    user: Any = None
    client: ApiClient | None = None
    bad_token: bool = False
    csrf_failed: bool = False

    @property
    def actor(self):
        return api_client_actor(self.client.name) if self.client else self.user


class ApiClientToken(HttpBearer):
    """`Authorization: Bearer <token>` issued by a provincial administrator (Quản trị → Ứng dụng kết nối API)."""

    openapi_description = "Khóa truy cập của ứng dụng kết nối, do quản trị cấp tỉnh cấp."

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        client = api_client_authenticate(token)
        return Caller(client=client, bad_token=client is None)


class CitizenSession(SessionAuth):
    """The portal's session cookie; unsafe methods need the CSRF token (header X-CSRFToken), as `django_auth`.

    Never fails here: the endpoint decides between 401, 403 and 404 so that the error has our format."""

    openapi_description = "Phiên đăng nhập của cổng dịch vụ công (cookie); POST cần mã CSRF."

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller:
        user = request.user
        if not user.is_authenticated:
            return Caller()
        if request.method not in {"GET", "HEAD", "OPTIONS"} and check_csrf(request) is not None:
            return Caller(user=user, csrf_failed=True)
        return Caller(user=user)


CALLER_AUTH = [ApiClientToken(), CitizenSession()]


def unauthenticated(caller: Caller) -> Status | None:
    if caller.bad_token:
        return error(401, "invalid_token", _("Khóa truy cập API không đúng hoặc đã bị thu hồi."))
    if caller.client is None and caller.user is None:
        return error(
            401,
            "unauthenticated",
            _("Hãy đăng nhập hoặc gửi khóa truy cập API trong tiêu đề “Authorization: Bearer <khóa>”."),
        )
    if caller.csrf_failed:
        return error(
            403, "csrf_failed", _("Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi gửi lại.")
        )
    return None
