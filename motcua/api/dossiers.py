"""Dossiers over the API: submit online (POST /dossiers), read one back (GET /dossiers/{code}), track by code.

Who may call:
- POST and GET /dossiers: a logged-in citizen or business (Django session; unsafe methods need the CSRF token, as
  ninja's `django_auth`), or another system with `Authorization: Bearer <token>` of an active API client that a
  provincial administrator issued in the admin (motcua.directory.api_clients).
- GET /tracking/{code}: anyone with the code and a second factor; rate-limited per client address together with
  the public tracking page.

Every write goes through `motcua.dossiers.intake.dossier_create_submitted` (idempotent by `Idempotency-Key`); the
dossiers an API client submitted are linked to it (directory.ApiClientDossier) so it reads back only those.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, Status, UploadedFile

from motcua.api.auth import CALLER_AUTH, Caller, error, unauthenticated
from motcua.api.dossier_schemas import (
    ERRORS,
    DossierCreatedOut,
    DossierData,
    DossierIn,
    DossierOut,
    TrackingOut,
)
from motcua.api.v1 import ErrorOut
from motcua.catalog.models import Procedure, ProcedureCase
from motcua.core.audit import audit_event_record
from motcua.core.identity import validate_cccd
from motcua.core.middleware import client_ip
from motcua.core.ratelimit import rate_limit_allow
from motcua.directory.models import Agency, ApiClientDossier, User
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import total_check
from motcua.dossiers.intake import DossierInvalid, Upload, dossier_create_submitted
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.models import Status as DossierStatus
from motcua.dossiers.notify import tracking_url
from motcua.dossiers.queries import public_timeline, tracking_find

router = Router(tags=["dossiers"])

TRACKING_SCOPE = "tracking.lookup"  # shared with the public tracking page
TRACKING_WINDOW = 600
IDEMPOTENCY_KEY_MAX = 80
FILE_FIELD_RE = re.compile(r"^file_(\d{1,12})$")


def _local(value: datetime | None) -> datetime | None:
    """ISO 8601 in Asia/Ho_Chi_Minh (+07:00), to the second."""
    return timezone.localtime(value).replace(microsecond=0) if value else None


# --- POST /dossiers ----------------------------------------------------------------------------------------


class _NotFound(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _may_submit(caller: Caller) -> Status | None:
    if caller.user is not None and caller.user.kind not in {User.Kind.CITIZEN, User.Kind.BUSINESS}:
        return error(
            403,
            "forbidden",
            _(
                "Chỉ tài khoản công dân, doanh nghiệp hoặc ứng dụng kết nối được nộp hồ sơ trực tuyến. Cán bộ "
                "tiếp nhận hồ sơ giấy bằng chức năng tiếp nhận tại quầy."
            ),
        )
    return None


def _case_of(data: DossierIn):
    code = data.procedure.strip()[:8]
    # The current version's cases with their version and procedure, in one query.
    cases = list(
        ProcedureCase.objects.filter(
            version__procedure__national_code=code,
            version__procedure__active=True,
            version__procedure__current_version=F("version"),
        ).select_related("version__procedure")
    )
    if not cases:
        procedure = Procedure.objects.filter(
            national_code=code, active=True, current_version__isnull=False
        ).first()
        if procedure is None:
            raise _NotFound(
                "procedure_not_found", _("Không có thủ tục mã %(code)s.") % {"code": data.procedure[:20]}
            )
    if data.case_id is not None:
        found = [c for c in cases if c.pk == data.case_id]
        if not found:
            raise DossierInvalid(
                {"case_id": _("Thủ tục này không có trường hợp mã %(id)s.") % {"id": data.case_id}}
            )
        return found[0]
    if data.case_index is not None:
        if data.case_index >= len(cases):
            raise DossierInvalid(
                {
                    "case_index": _("Thủ tục này có %(n)s trường hợp (case_index từ 0 đến %(last)s).")
                    % {"n": len(cases), "last": len(cases) - 1}
                }
            )
        return cases[data.case_index]
    if len(cases) != 1:
        raise DossierInvalid(
            {
                "case_index": _("Thủ tục này có %(n)s trường hợp: hãy chọn một bằng case_index hoặc case_id.")
                % {"n": len(cases)}
            }
        )
    return cases[0]


def _agency_of(data: DossierIn) -> Agency | None:
    if not data.agency:
        return None
    agency = Agency.objects.filter(code=data.agency.strip()[:40], valid_to__isnull=True).first()
    if agency is None:
        raise DossierInvalid({"agency": _("Không có cơ quan mã %(code)s.") % {"code": data.agency[:40]}})
    return agency


def _uploads(request: HttpRequest, data: DossierIn) -> list[Upload]:
    """Files named file_<document id>, and/or a list named `files` with `file_documents` in the same order."""
    pending: list[tuple[UploadedFile, int]] = []
    for name in request.FILES:
        if name == "files":
            continue
        match = FILE_FIELD_RE.match(name)
        if match is None:
            raise DossierInvalid(
                {
                    name[:40]: _(
                        "Tên trường tệp “%(name)s” không hợp lệ: dùng file_<mã thành phần hồ sơ> hoặc files."
                    )
                    % {"name": name[:40]}
                }
            )
        pending += [(f, int(match.group(1))) for f in request.FILES.getlist(name)]
    listed = request.FILES.getlist("files")
    if len(listed) != len(data.file_documents):
        raise DossierInvalid(
            {
                "file_documents": _(
                    "Có %(files)s tệp trong “files” nhưng %(ids)s mã trong file_documents: hai danh "
                    "sách phải dài bằng nhau."
                )
                % {"files": len(listed), "ids": len(data.file_documents)}
            }
        )
    pending += list(zip(listed, data.file_documents, strict=True))
    total_check(current_bytes=0, adding=sum(f.size or 0 for f, _doc in pending))
    return [Upload(filename=f.name or "", data=f.read(), required_document_id=doc) for f, doc in pending]


def _owner_of(caller: Caller, data: DossierIn):
    """A session's dossier is the user's; an API client's is the citizen account with that CCCD, if any."""
    cccd = re.sub(r"\s", "", data.owner_cccd or "")
    if caller.client is None:
        if cccd:
            raise DossierInvalid(
                {
                    "owner_cccd": _(
                        "Chỉ ứng dụng kết nối dùng owner_cccd; hồ sơ nộp bằng tài khoản đăng nhập thuộc "
                        "về chính tài khoản đó."
                    )
                }
            )
        return caller.user
    if not cccd:
        return None
    try:
        validate_cccd(cccd)
    except ValidationError as exc:
        raise DossierInvalid({"owner_cccd": " ".join(exc.messages)}) from None
    return User.objects.filter(cccd=cccd, is_active=True, kind=User.Kind.CITIZEN).first()


def _client_key(caller: Caller, key: str | None) -> str | None:
    """API clients' keys live in their own namespace, so two clients can never replay each other's dossiers."""
    if key is None or caller.client is None:
        return key
    return f"api{caller.client.pk}:{hashlib.sha256(key.encode()).hexdigest()[:48]}"


def _submit(caller: Caller, data: DossierIn, uploads: list[Upload], key: str | None) -> tuple[Dossier, bool]:
    client = caller.client

    def link(dossier: Dossier) -> None:
        # A dossier created just now has no link yet: one INSERT, in the dossier's transaction.
        ApiClientDossier.objects.create(dossier=dossier, client=client)

    dossier, created = dossier_create_submitted(
        actor=caller.actor,
        owner=_owner_of(caller, data),
        case=_case_of(data),
        applicant=data.applicant.model_dump(),
        uploads=uploads,
        extra=dict(data.extra),
        delivery=data.delivery,
        delivery_address=data.delivery_address,
        notify_channels=list(data.notify_channels),
        agency=_agency_of(data),
        idempotency_key=_client_key(caller, key),
        on_created=link if client is not None else None,
    )
    if client is not None and not created:
        # A replay: the first request made the link (keys are namespaced per client, so it is this client's).
        with transaction.atomic():
            found, _new = ApiClientDossier.objects.get_or_create(dossier=dossier, defaults={"client": client})
        if found.client_id != client.pk:
            raise DossierError(_("Khóa chống gửi trùng này đã được dùng."), code="idempotency_conflict")
    return dossier, created


def _field_name(key: str) -> str:
    """Missing documents are reported under the multipart name the client should send them with."""
    return f"file_{key[len('document_') :]}" if key.startswith("document_") else key


def _created_out(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "reference": dossier.reference,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "status_code": dossier.national_status,
        "agency": dossier.agency.name,
        "tracking_url": tracking_url(dossier),
        "access_code": dossier.access_code,
        "submitted_at": _local(dossier.submitted_at),
    }


SUBMIT_DESCRIPTION = """Tạo và nộp một hồ sơ trực tuyến trong một lần gọi (trạng thái 1 – Mới đăng ký).

Gửi `multipart/form-data` gồm trường `data` (JSON theo lược đồ DossierIn) và các tệp: mỗi tệp một trường
`file_<mã thành phần hồ sơ>`, hoặc nhiều tệp cùng tên `files` kèm `data.file_documents` theo đúng thứ tự. Tệp được
kiểm tra theo nội dung (PDF, JPEG, PNG), không theo tên.

Tiêu đề `Idempotency-Key` (tối đa 80 ký tự) chống gửi trùng: gửi lại cùng khóa và cùng nội dung trả về chính hồ sơ
đã tạo (200 thay vì 201); cùng khóa với nội dung khác bị từ chối (409, `idempotency_conflict`).

Xác thực: phiên đăng nhập của công dân, doanh nghiệp (kèm mã CSRF), hoặc `Authorization: Bearer <khóa>` của ứng
dụng kết nối; khi đó `owner_cccd` gắn hồ sơ vào tài khoản công dân có CCCD đó (nếu có).
Lỗi dữ liệu: 422 với `details` = [{"field", "message"}]; thành phần hồ sơ còn thiếu được báo ở trường `file_<mã>`."""


@router.post(
    "/dossiers",
    auth=CALLER_AUTH,
    response={201: DossierCreatedOut, 200: DossierCreatedOut, **ERRORS, 409: ErrorOut, 422: ErrorOut},
    summary="Nộp hồ sơ trực tuyến",
    description=SUBMIT_DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "patternProperties": {
                            "^file_[0-9]+$": {
                                "type": "string",
                                "format": "binary",
                                "description": "Tệp của thành phần hồ sơ có mã ghi sau file_",
                            }
                        }
                    },
                    "encoding": {"data": {"contentType": "application/json"}},
                }
            }
        }
    },
)
def dossier_submit(
    request,
    data: Form[DossierData],
    files: File[list[UploadedFile]] = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    caller: Caller = request.auth
    refused = unauthenticated(caller) or _may_submit(caller)
    if refused is not None:
        return refused
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        return error(400, "idempotency_key_too_long", _("Khóa chống gửi trùng dài tối đa 80 ký tự."))
    try:
        dossier, created = _submit(caller, data, _uploads(request, data), key)
    except _NotFound as exc:
        return error(404, exc.code, exc.message)
    except DossierInvalid as exc:
        details = [{"field": _field_name(k), "message": v} for k, v in exc.errors.items()]
        return error(422, "invalid", _("Hồ sơ chưa hợp lệ: hãy sửa các mục được nêu."), details)
    except DossierError as exc:
        status = {"idempotency_conflict": 409, "forbidden": 403}.get(exc.code, 400)
        details = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return error(status, exc.code, exc.message, details)
    return Status(201 if created else 200, _created_out(dossier))


# --- GET /dossiers/{code} ----------------------------------------------------------------------------------


def _find(code: str) -> Dossier | None:
    value = (code or "").strip()[:60]
    if not value:
        return None
    return (
        Dossier.objects.select_related("procedure", "procedure_version", "case", "agency", "receiving_agency")
        .filter(Q(code=value) | Q(code=value.upper()) | Q(reference=value.upper()))
        .first()
    )


def _viewer_role(caller: Caller, dossier: Dossier) -> str | None:
    """How the caller may see this dossier ("api_client", "applicant", "staff"), or None."""
    if caller.client is not None:
        linked = ApiClientDossier.objects.filter(client=caller.client, dossier=dossier).exists()
        return "api_client" if linked else None
    if caller.user is None:
        return None
    if rules.can_view_as_applicant(caller.user, dossier):
        return "applicant"
    return "staff" if rules.can_view_as_staff(caller.user, dossier) else None


def _ref(agency_or_procedure, code_attr: str) -> dict:
    return {"code": getattr(agency_or_procedure, code_attr), "name": agency_or_procedure.name}


def _timeline(dossier: Dossier) -> list[dict]:
    return [{"at": _local(at), "step": str(label)} for at, label in public_timeline(dossier)]


def _dossier_out(dossier: Dossier) -> dict:
    documents = DossierDocument.objects.filter(dossier=dossier, replaced=False).order_by("id")
    return {
        **{k: v for k, v in _created_out(dossier).items() if k not in {"agency", "access_code"}},
        "channel": dossier.channel,
        "procedure": {"code": dossier.procedure.national_code, "name": dossier.procedure_version.name},
        "case": dossier.case.name,
        "agency": _ref(dossier.agency, "code"),
        "receiving_agency": _ref(dossier.receiving_agency, "code"),
        **{
            f: _local(getattr(dossier, f))
            for f in ("created_at", "accepted_at", "due_at", "refused_at", "finished_at", "returned_at")
        },
        "refusal_reason": dossier.refusal_reason,
        "supplement_reason": dossier.supplement_reason,
        "supplement_items": [str(item) for item in dossier.supplement_items or []],
        "documents": [
            {
                "name": d.name,
                "original_name": d.original_name,
                "kind": d.kind,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": _local(d.uploaded_at),
            }
            for d in documents
        ],
        "timeline": _timeline(dossier),
    }


@router.get(
    "/dossiers/{code}",
    auth=CALLER_AUTH,
    response={200: DossierOut, 401: ErrorOut, 404: ErrorOut},
    summary="Xem một hồ sơ",
    description=(
        "Mã hồ sơ hoặc số đăng ký. Chủ hồ sơ và cán bộ có thẩm quyền (phiên đăng nhập), hoặc ứng dụng kết nối "
        "đã nộp hồ sơ đó (khóa truy cập). Người khác nhận 404 như với mã không tồn tại. Không trả nội dung tệp."
    ),
)
def dossier_detail(request, code: str):
    caller: Caller = request.auth
    if caller.bad_token:
        return unauthenticated(caller)
    dossier = _find(code)
    role = _viewer_role(caller, dossier) if dossier is not None else None
    if role is None:
        return error(404, "not_found", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code[:60]})
    audit_event_record(
        action="dossiers.dossier.viewed", actor=caller.actor, obj=dossier, data={"channel": "api", "as": role}
    )
    return Status(200, _dossier_out(dossier))


# --- GET /tracking/{code} ----------------------------------------------------------------------------------


@router.get(
    "/tracking/{code}",
    response={200: TrackingOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Tra cứu tình trạng hồ sơ",
    description=(
        "Công khai: mã hồ sơ (hoặc số đăng ký) cùng 4 số cuối điện thoại của chủ hồ sơ (`phone_last4`) hoặc mã tra "
        "cứu in trên giấy tiếp nhận (`access_code`). Không trả thông tin cá nhân. Giới hạn số lần tra cứu theo địa "
        "chỉ (chung với trang /tra-cuu/); vượt giới hạn nhận 429 kèm Retry-After."
    ),
    openapi_extra={
        "responses": {
            429: {
                "headers": {
                    "Retry-After": {
                        "description": "Số giây phải chờ trước khi tra cứu lại",
                        "schema": {"type": "integer"},
                    }
                }
            }
        }
    },
)
def tracking(request, response: HttpResponse, code: str, phone_last4: str = "", access_code: str = ""):
    now = time.time()
    if not rate_limit_allow(
        scope=TRACKING_SCOPE,
        key=client_ip(request) or "-",
        limit=settings.TRACKING_LOOKUPS_PER_10_MINUTES,
        window_seconds=TRACKING_WINDOW,
        now=now,
    ):
        wait = TRACKING_WINDOW - int(now) % TRACKING_WINDOW
        response["Retry-After"] = str(wait)
        return error(
            429,
            "rate_limited",
            _("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau %(minutes)s phút.")
            % {"minutes": max(1, -(-wait // 60))},
        )
    phone_last4, access_code = phone_last4.strip()[:10], access_code.strip()[:20]
    if not phone_last4 and not access_code:
        return error(
            400, "factor_required", _("Hãy nhập 4 số cuối điện thoại của chủ hồ sơ hoặc mã tra cứu.")
        )
    if phone_last4 and not (len(phone_last4) == 4 and phone_last4.isdigit()) and not access_code:
        return error(400, "invalid_phone_last4", _("4 số cuối điện thoại gồm đúng 4 chữ số."))
    dossier = tracking_find(code=code, phone_last4=phone_last4, access_code=access_code)
    if dossier is None:
        return error(404, "not_found", _("Không tìm thấy hồ sơ khớp với thông tin đã nhập."))
    return Status(
        200,
        {
            "code": dossier.display_code,
            "status": dossier.status,
            # Not get_status_display(): it hashes every translated choice on each call (a seventh of a look-up).
            "status_label": str(DossierStatus(dossier.status).label),
            "status_code": dossier.national_status,
            "procedure": dossier.procedure_version.name,
            "agency": dossier.agency.name,
            "submitted_at": _local(dossier.submitted_at),
            "accepted_at": _local(dossier.accepted_at),
            "due_at": _local(dossier.due_at),
            "timeline": _timeline(dossier),
        },
    )
