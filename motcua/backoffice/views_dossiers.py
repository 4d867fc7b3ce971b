"""The one-stop desk: the inbox, a dossier's page (documents, timeline), reception actions and the official forms.

Every page names the predicate it needs (`motcua.dossiers.rules`); every view of a dossier, of one of its files and
every printed form is written to the audit log; every action calls one dossier service with the revision the page
showed, so an officer acting on a page another officer has overtaken is told so and nothing changes.
Walk-in reception is in `views_walk_in`.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.forms_dossiers import NOTIFY_CHOICES
from motcua.backoffice.views import staff_required
from motcua.backoffice.views_processing import processing_context
from motcua.core.audit import audit_event_record
from motcua.core.models import AuditEvent
from motcua.dossiers import queries, rules, services
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.files import ALLOWED
from motcua.dossiers.forms_pdf import form_available, form_filename, form_pdf
from motcua.dossiers.intake import missing_documents
from motcua.dossiers.models import Dossier, DossierDocument, Status

PAGE_SIZE = queries.PAGE_SIZE
# Inbox tabs (?xem=): new online dossiers, those waiting for a supplement, those accepted today.
TABS = {"moi": Status.SUBMITTED, "bo-sung": Status.SUPPLEMENT, "hom-nay": None}
FORMS = {
    "receipt": gettext_lazy("In Giấy tiếp nhận (Mẫu 01)"),
    "supplement": gettext_lazy("In Phiếu yêu cầu bổ sung (Mẫu 02)"),
    "refusal": gettext_lazy("In Phiếu từ chối tiếp nhận (Mẫu 03)"),
    "apology": gettext_lazy("In Phiếu xin lỗi (Mẫu 04)"),
    "control": gettext_lazy("In Phiếu kiểm soát quá trình giải quyết"),
    "result": gettext_lazy("In văn bản kết quả"),
    "unresolved": gettext_lazy("In văn bản trả lại hồ sơ"),
    "result_receipt": gettext_lazy("In Giấy biên nhận trả kết quả"),
}
# What the timeline says for each audit action (others are shown by their action name).
EVENT_LABELS = {
    "dossiers.dossier.drafted": gettext_lazy("Tạo hồ sơ"),
    "dossiers.dossier.draft_saved": gettext_lazy("Lưu bản nháp"),
    "dossiers.document.added": gettext_lazy("Đính kèm tệp"),
    "dossiers.document.removed": gettext_lazy("Gỡ tệp"),
    "dossiers.dossier.submitted": gettext_lazy("Nộp hồ sơ"),
    "dossiers.dossier.received": gettext_lazy("Tiếp nhận hồ sơ giấy tại bộ phận một cửa"),
    "dossiers.dossier.walk_in_form": gettext_lazy("Ghi nhận biểu mẫu tiếp nhận trực tiếp"),
    "dossiers.dossier.accepted": gettext_lazy("Tiếp nhận hồ sơ"),
    "dossiers.dossier.refused": gettext_lazy("Từ chối tiếp nhận"),
    "dossiers.dossier.supplement_requested": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "dossiers.dossier.supplemented": gettext_lazy("Bổ sung hồ sơ"),
    "dossiers.dossier.viewed": gettext_lazy("Xem hồ sơ"),
    "dossiers.document.viewed": gettext_lazy("Xem tệp"),
    "dossiers.form.printed": gettext_lazy("In phiếu"),
    "dossiers.dossier.assigned": gettext_lazy("Phân công xử lý"),
    "dossiers.dossier.forwarded": gettext_lazy("Chuyển bước tiếp theo"),
    "dossiers.dossier.sent_back": gettext_lazy("Trả lại bước trước"),
    "dossiers.dossier.payment_requested": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "dossiers.dossier.paid": gettext_lazy("Ghi nhận đã nộp nghĩa vụ tài chính"),
    "dossiers.dossier.stopped": gettext_lazy("Dừng xử lý"),
    "dossiers.dossier.resumed": gettext_lazy("Tiếp tục xử lý"),
    "dossiers.dossier.withdrawn": gettext_lazy("Rút hồ sơ"),
    "dossiers.dossier.apologized": gettext_lazy("Lập phiếu xin lỗi, hẹn lại ngày trả"),
    "dossiers.dossier.returned_unresolved": gettext_lazy("Trả lại hồ sơ, không giải quyết"),
    "dossiers.dossier.approved": gettext_lazy("Phê duyệt kết quả"),
    "dossiers.dossier.result_returned": gettext_lazy("Trả kết quả"),
    "dossiers.dossier.rated": gettext_lazy("Đánh giá mức độ hài lòng"),
}
# What the officer typed in each action's form, shown back when the form is no longer offered (a stale page).
TYPED = {
    "accept": ("accept_note",),
    "refuse": ("refuse_reason",),
    "supplement": ("supplement_other", "supplement_reason"),
}
ACCESS_ACTIONS = {"dossiers.dossier.viewed", "dossiers.document.viewed", "dossiers.form.printed"}
FILE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"


def _index(value) -> int | None:
    """A non-negative integer from a query or form parameter, else None."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**62 else None


def _when(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "H:i d/m/Y") if value else ""


def staff_dossier(request, public_id) -> Dossier:
    """The dossier if this staff member may see it; 404 otherwise (never reveal that it exists)."""
    dossier = (
        Dossier.objects.select_related(
            "procedure",
            "procedure_version",
            "case",
            "agency",
            "receiving_agency",
            "applicant_commune",
            "received_by",
        )
        .filter(public_id=public_id)
        .first()
    )
    if dossier is None or not rules.can_view_as_staff(request.user, dossier):
        raise Http404
    return dossier


# --- inbox ---------------------------------------------------------------------------------------------------


def _accepted_today(user, *, after_id: int | None) -> list[Dossier]:
    desk = rules.desk_agency_ids(user)
    if not desk:
        return []
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    query = Dossier.objects.select_related("procedure_version", "agency", "receiving_agency").filter(
        Q(receiving_agency_id__in=desk) | Q(agency_id__in=desk), accepted_at__gte=start
    )
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(query.order_by("id")[: PAGE_SIZE + 1])


@staff_required
@require_GET
def dossier_inbox(request):
    user = request.user
    is_desk = bool(rules.desk_agency_ids(user))
    q = request.GET.get("q", "").strip()[:60]
    tab = request.GET.get("xem", "moi")
    tab = tab if tab in TABS else "moi"
    if q:
        mode = "search"
        rows = queries.staff_dossiers(user, q=q, before_id=_index(request.GET.get("truoc")))
        audit_event_record(action="dossiers.dossier.searched", actor=user, data={"q": q, "found": len(rows)})
    elif is_desk:
        mode = tab
        after = _index(request.GET.get("sau"))
        if tab == "hom-nay":
            rows = _accepted_today(user, after_id=after)
        else:
            rows = queries.desk_inbox(user, status=TABS[tab], after_id=after)
    else:
        mode = "all"
        rows = queries.staff_dossiers(user, before_id=_index(request.GET.get("truoc")))
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    next_url = ""
    if more and rows:
        if mode in {"search", "all"}:
            params = {"q": q, "truoc": rows[-1].pk} if q else {"truoc": rows[-1].pk}
        else:
            params = {"xem": tab, "sau": rows[-1].pk}
        next_url = f"?{urlencode(params)}"
    tabs = [
        ("moi", _("Mới nộp trực tuyến")),
        ("bo-sung", _("Chờ bổ sung")),
        ("hom-nay", _("Đã tiếp nhận hôm nay")),
    ]
    return render(
        request,
        "backoffice/dossiers/inbox.html",
        {
            "rows": rows,
            "mode": mode,
            "tabs": tabs,
            "q": q,
            "is_desk": is_desk,
            "next_url": next_url,
            "today": timezone.localdate(),
        },
    )


# --- one dossier ---------------------------------------------------------------------------------------------


def _event_detail(event: AuditEvent) -> str:
    data = event.data or {}
    if event.action == "dossiers.dossier.refused":
        return _("Lý do: %(reason)s") % {"reason": data.get("reason", "")}
    if event.action == "dossiers.dossier.supplement_requested":
        return _("Cần bổ sung: %(items)s. Lý do: %(reason)s") % {
            "items": "; ".join(data.get("items") or []),
            "reason": data.get("reason", ""),
        }
    if event.action in {"dossiers.document.added", "dossiers.document.viewed"}:
        return str(data.get("name") or "")
    if event.action == "dossiers.form.printed":
        return str(FORMS.get(data.get("form"), data.get("form", "")))
    if event.action == "dossiers.dossier.accepted" and data.get("note"):
        return _("Ghi chú: %(note)s") % {"note": data["note"]}
    return ""


def _timeline(dossier: Dossier) -> tuple[list[dict], list[dict]]:
    """(the dossier's steps, the accesses to its personal data), oldest first, from the audit log."""
    steps, accesses = [], []
    events = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk)).order_by(
        "at", "id"
    )
    for event in events:
        row = {
            "at": event.at,
            "label": EVENT_LABELS.get(event.action, event.action),
            "actor": event.actor_label,
            "detail": _event_detail(event),
        }
        (accesses if event.action in ACCESS_ACTIONS else steps).append(row)
    return steps, accesses


def _extra_rows(dossier: Dossier) -> list[tuple[str, str]]:
    data = dict(dossier.extra_data or {})
    rows = []
    for spec in getattr(dossier.procedure_version, "form_fields", None) or []:
        if spec["key"] in data:
            rows.append((spec["label"], str(data.pop(spec["key"]))))
    rows.extend((key, str(value)) for key, value in sorted(data.items()))
    return rows


def _documents(request, dossier: Dossier) -> tuple[list[dict], dict | None]:
    documents = []
    for document in (
        DossierDocument.objects.filter(dossier=dossier).select_related("uploaded_by").order_by("id")
    ):
        url = reverse("backoffice:dossier-file", args=[dossier.public_id, document.pk])
        documents.append(
            {
                "object": document,
                "url": url,
                "download_url": f"{url}?tai-ve=1",
                "view_url": f"?tep={document.pk}#xem-tep",
                "is_pdf": document.content_type == "application/pdf",
                "is_image": document.content_type in {"image/jpeg", "image/png"},
            }
        )
    wanted = _index(request.GET.get("tep"))
    shown = next((d for d in documents if d["object"].pk == wanted), None)
    if shown is None:
        shown = next((d for d in documents if not d["object"].replaced), None)
    return documents, shown


def _action_context(request, dossier: Dossier, failed: str) -> dict:
    """Which reception forms to offer, and what the officer typed when an action was refused."""
    can_receive = rules.can_receive(request.user, dossier)
    offered = {
        action: can_receive and dossier.status in services.TRANSITIONS[transition][0]
        for action, transition in (
            ("accept", "accepted"),
            ("refuse", "refused"),
            ("supplement", "supplement_requested"),
        )
    }
    values = request.POST if failed else {}
    typed = []
    if failed and not offered.get(failed):  # the form is gone (a stale page): show the text so it is not lost
        keys = TYPED.get(failed) or [k for k in values if k not in {"csrfmiddlewaretoken", "revision"}]
        typed = [values.get(key, "").strip() for key in keys if values.get(key, "").strip()]
    checked = {str(v) for v in values.getlist("supplement_documents")} if failed else set()
    required = dossier.procedure_version.documents.order_by("order", "id")
    return {
        "can_accept": offered["accept"],
        "can_refuse": offered["refuse"],
        "can_supplement": offered["supplement"],
        "typed": typed,
        "values": values,
        "required_documents": [(str(d.pk), d.name, str(d.pk) in checked) for d in required],
        "missing": missing_documents(dossier) if dossier.status == Status.SUBMITTED else [],
    }


def detail_render(request, dossier: Dossier, *, failed: str = "", error: str = "", status: int = 200):
    """The dossier's page; after a refused action, with its message and what the officer typed."""
    audit_event_record(action="dossiers.dossier.viewed", actor=request.user, obj=dossier, data={})
    documents, shown = _documents(request, dossier)
    steps, accesses = _timeline(dossier)
    return render(
        request,
        "backoffice/dossiers/detail.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "documents": documents,
            "shown": shown,
            "steps": steps,
            "accesses": accesses,
            "extra_rows": _extra_rows(dossier),
            "notify_labels": [
                label for key, label in NOTIFY_CHOICES if key in (dossier.notify_channels or [])
            ],
            "forms": [
                (form, label, reverse("backoffice:dossier-form", args=[dossier.public_id, form]))
                for form, label in FORMS.items()
                if form_available(dossier, form)
            ],
            "failed": failed,
            "error": error,
            **_action_context(request, dossier, failed),
            **processing_context(request, dossier),
        },
        status=status,
    )


@staff_required
@require_GET
def dossier_detail(request, public_id):
    return detail_render(request, staff_dossier(request, public_id))


# --- reception actions ---------------------------------------------------------------------------------------


def _supplement_items(dossier: Dossier, post) -> list[str]:
    chosen = {_index(v) for v in post.getlist("supplement_documents")} - {None}
    names = list(
        dossier.procedure_version.documents.filter(pk__in=chosen)
        .order_by("order", "id")
        .values_list("name", flat=True)
    )
    return names + [
        line.strip() for line in (post.get("supplement_other") or "").splitlines() if line.strip()
    ]


def _success_message(dossier: Dossier, action: str) -> str:
    if action == "accept":
        return _("Đã tiếp nhận hồ sơ. Mã hồ sơ: %(code)s; hẹn trả kết quả lúc %(due)s.") % {
            "code": dossier.code,
            "due": _when(dossier.due_at),
        }
    if action == "refuse":
        return _("Đã từ chối tiếp nhận hồ sơ %(code)s. Hãy in Phiếu từ chối (Mẫu 03) cho người nộp.") % {
            "code": dossier.display_code
        }
    return _(
        "Đã gửi yêu cầu bổ sung hồ sơ %(code)s. Hãy in Phiếu yêu cầu bổ sung (Mẫu 02) cho người nộp."
    ) % {"code": dossier.display_code}


@staff_required
@require_POST
def dossier_act(request, public_id, action: str):
    """Accept, refuse or ask for a supplement, with the revision the officer's page showed."""
    dossier = staff_dossier(request, public_id)
    if not rules.can_receive(request.user, dossier):
        raise PermissionDenied
    revision = _index(request.POST.get("revision"))
    post = request.POST
    try:
        if revision is None:
            raise StaleDossier(
                _("Trang này thiếu thông tin phiên bản hồ sơ. Hãy tải lại trang rồi thao tác lại.")
            )
        if action == "accept":
            services.dossier_accept(
                dossier=dossier,
                actor=request.user,
                expected_revision=revision,
                note=post.get("accept_note", ""),
            )
        elif action == "refuse":
            services.dossier_refuse(
                dossier=dossier,
                actor=request.user,
                expected_revision=revision,
                reason=post.get("refuse_reason", ""),
            )
        else:
            services.dossier_supplement_request(
                dossier=dossier,
                actor=request.user,
                expected_revision=revision,
                items=_supplement_items(dossier, post),
                reason=post.get("supplement_reason", ""),
            )
    except DossierError as exc:
        fresh = staff_dossier(request, public_id)
        status = 409 if isinstance(exc, StaleDossier) or exc.code == "not_allowed" else 400
        return detail_render(request, fresh, failed=action, error=exc.message, status=status)
    messages.success(request, _success_message(dossier, action))
    return redirect("backoffice:dossier-detail", public_id=dossier.public_id)


# --- files and forms -----------------------------------------------------------------------------------------


@staff_required
@require_GET
@xframe_options_sameorigin
def dossier_file(request, public_id, document_id: int):
    """One document, shown inline by the browser (PDF in a frame, images as images); each view is audited."""
    dossier = staff_dossier(request, public_id)
    document = DossierDocument.objects.filter(dossier=dossier, pk=document_id).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    download = request.GET.get("tai-ve") == "1"
    safe_type = document.content_type in ALLOWED
    audit_event_record(
        action="dossiers.document.viewed",
        actor=request.user,
        obj=dossier,
        data={"document": document.pk, "name": document.name, "download": download},
    )
    response = FileResponse(
        handle,
        content_type=document.content_type if safe_type else "application/octet-stream",
        as_attachment=download or not safe_type,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@staff_required
@require_GET
def dossier_form(request, public_id, form: str):
    """Mẫu 01, 02 or 03 as a PDF, once the dossier has reached the state it records; each print is audited."""
    if form not in FORMS:
        raise Http404
    dossier = staff_dossier(request, public_id)
    if not form_available(dossier, form):
        raise Http404
    pdf = form_pdf(dossier=dossier, form=form)
    audit_event_record(action="dossiers.form.printed", actor=request.user, obj=dossier, data={"form": form})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, form_filename(dossier, form))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
