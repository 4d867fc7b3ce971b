"""Staff actions on a dossier over the API: `POST /dossiers/{code}/actions/{action}`.

The same named actions as the back-office pages (`motcua.dossiers.actions.ACTIONS`), the same services and so the
same permissions: a staff member's session (with the CSRF token), acting on a step that is theirs. API clients
(tokens) submit and read dossiers but do not process them: 403. The body is a form (multipart, for the result
file of `approve`) or JSON; `revision` (or the `If-Match` header) is the dossier revision the caller saw, so an
action on a dossier that moved meanwhile is refused with 409 and changes nothing.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.api.auth import CALLER_AUTH, Caller, error, unauthenticated
from motcua.api.dossier_schemas import DossierOut
from motcua.api.v1 import ErrorOut
from motcua.core.audit import audit_event_record
from motcua.dossiers import rules
from motcua.dossiers.actions import ACTIONS, dossier_action_perform
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.intake import Upload
from motcua.dossiers.models import Dossier

router = Router(tags=["dossiers"])
MAX_RESULT_BYTES = 20 * 1024 * 1024
BODY_FIELDS = {
    "revision": {"type": "integer", "description": "Phiên bản hồ sơ người gọi đã xem (hoặc tiêu đề If-Match)."},
    "note": {"type": "string"}, "reason": {"type": "string"}, "items": {"type": "string"},
    "assignee": {"type": "integer"}, "description": {"type": "string"}, "amount": {"type": "integer"},
    "method": {"type": "string"}, "receipt_number": {"type": "string"},
    "new_due_date": {"type": "string", "description": "dd/mm/yyyy"}, "new_due_time": {"type": "string"},
    "signer_name": {"type": "string"}, "signer_title": {"type": "string"},
    "result_number": {"type": "string"}, "result_signed_on": {"type": "string", "description": "dd/mm/yyyy"},
    "result_signer": {"type": "string"}, "result_summary": {"type": "string"}, "generate": {"type": "boolean"},
    "returned_to": {"type": "string"}, "post_tracking_number": {"type": "string"},
}  # fmt: skip
OPENAPI_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object", "properties": BODY_FIELDS}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {**BODY_FIELDS, "result_file": {"type": "string", "format": "binary"}},
                }
            },
        }
    }
}


def _body(request) -> tuple[dict, Upload | None]:
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise DossierError(_("Nội dung JSON không hợp lệ."), code="invalid_json") from None
        if not isinstance(data, dict):
            raise DossierError(_("Nội dung JSON phải là một đối tượng."), code="invalid_json")
        return {k: v if isinstance(v, str) else json.dumps(v) if isinstance(v, list | dict) else str(v)
                for k, v in data.items()}, None  # fmt: skip
    handle = request.FILES.get("result_file")
    upload = None
    if handle is not None:
        if handle.size > MAX_RESULT_BYTES:
            raise DossierError(_("Tệp kết quả quá lớn."), code="too_large", field="result_file")
        upload = Upload(handle.name, handle.read())
    return request.POST, upload


def _revision(request, data) -> int | None:
    value = str(data.get("revision") or request.headers.get("If-Match", "")).strip().strip('"')
    return int(value) if value.isdigit() else None


@router.post(
    "/dossiers/{code}/actions/{action}",
    auth=CALLER_AUTH,
    response={200: DossierOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Thao tác giải quyết hồ sơ của cán bộ",
    description=(
        "Thao tác: " + ", ".join(ACTIONS) + ". Cán bộ đăng nhập (phiên + CSRF), cùng quyền như trên trang "
        "khu vực cán bộ; hồ sơ không được xem trả 404."
    ),
    openapi_extra=OPENAPI_BODY,
)
def dossier_action(request, code: str, action: str):
    from motcua.api.dossiers import _dossier_out, _find

    caller: Caller = request.auth
    refused = unauthenticated(caller)
    if refused is not None:
        return refused
    if caller.client is not None:
        return error(403, "forbidden", _("Ứng dụng kết nối không được thực hiện thao tác giải quyết hồ sơ."))
    dossier = _find(code)
    if dossier is None or not rules.can_view_as_staff(caller.user, dossier):
        return error(404, "not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code[:60]})
    if action not in ACTIONS:
        return error(404, "unknown_action", _("Thao tác không tồn tại."))
    try:
        data, upload = _body(request)
        dossier_action_perform(
            dossier=dossier,
            actor=caller.user,
            action=action,
            data=data,
            upload=upload,
            expected_revision=_revision(request, data),
        )
    except DossierError as exc:
        status = 409 if isinstance(exc, StaleDossier) or exc.code == "not_allowed" else 400
        status = 403 if exc.code == "forbidden" else status
        details = [{"field": exc.field}] if exc.field else None
        return error(status, exc.code, exc.message, details)
    fresh = Dossier.objects.get(pk=dossier.pk)
    audit_event_record(
        action="dossiers.dossier.viewed", actor=caller.user, obj=fresh, data={"channel": "api", "as": "staff"}
    )
    return Status(200, _dossier_out(fresh))
