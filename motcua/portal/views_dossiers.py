"""The citizen's online dossiers: start one, fill and submit it, the acknowledgement, "Hồ sơ của tôi", one dossier
with its files, forms and supplement, and the public tracking page `/tra-cuu/`.

Pages only read and call domain functions (`motcua.dossiers.intake`, `queries`, `rules`); nothing here sets a
dossier's state. A dossier that is not the user's own is answered with 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.catalog.models import OnlineLevel, RequiredDocument
from motcua.catalog.queries import procedure_detail
from motcua.core.audit import audit_event_record
from motcua.core.middleware import client_ip
from motcua.core.ratelimit import rate_limit_allow
from motcua.dossiers import intake, queries, rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import DossierInvalid, Upload
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.notify import tracking_url
from motcua.portal.forms_dossiers import UPLOAD_ACCEPT, DossierForm, TrackingForm

# The official forms an applicant may download: (form, number, title); shown once the event has happened.
FORMS = (
    ("receipt", "01", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
    ("supplement", "02", gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
    ("refusal", "03", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
    ("apology", "04", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả")),
)
TRACKING_SCOPE = "tracking.lookup"  # shared with GET /api/v1/tracking/{code}
TRACKING_WINDOW = 600
NOT_FOUND = gettext_lazy("Không tìm thấy hồ sơ khớp với thông tin đã nhập")


def _own(request, public_id) -> Dossier:
    """The dossier if the user is its applicant (or the community-team member who helped); 404 otherwise."""
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "procedure_version", "case", "agency", "receiving_agency", "applicant_commune"
        ),
        public_id=public_id,
    )
    if not rules.can_view_as_applicant(request.user, dossier):
        raise Http404
    return dossier


def _qr_svg(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, title=_("Mã QR tra cứu hồ sơ")))


def _upload(file, required_document_id: int | None) -> Upload:
    """The bytes of one uploaded file; a file past the size limit is refused before it is read into memory."""
    limit = settings.DOSSIER_MAX_FILE_MB * 1024 * 1024
    if file.size > limit:
        raise DossierError(
            _("Tệp “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)s MB cho mỗi tệp.")
            % {
                "name": file.name,
                "size": f"{file.size / 1024 / 1024:.1f}",
                "limit": settings.DOSSIER_MAX_FILE_MB,
            },
            code="file_too_large",
        )
    return Upload(filename=file.name, data=file.read(), required_document_id=required_document_id)


def _add_files(request, dossier: Dossier, slots: list[tuple[str, int | None]]) -> dict[str, str]:
    """Attach the files of each slot (input name, catalog document); the message of each bad file by slot."""
    errors: dict[str, list[str]] = {}
    for name, required_document_id in slots:
        for file in request.FILES.getlist(name):
            try:
                intake.dossier_document_add(
                    dossier=dossier, actor=request.user, upload=_upload(file, required_document_id)
                )
            except DossierError as exc:
                errors.setdefault(name, []).append(exc.message)
    return {name: " ".join(found) for name, found in errors.items()}


def _remove_file(request, dossier: Dossier) -> str:
    """The remove button of an uploaded file (name "xoa"); a second click on a removed file does nothing."""
    document_id = request.POST.get("xoa", "")
    if not document_id.isdigit():
        return ""
    document = DossierDocument.objects.filter(dossier=dossier, pk=int(document_id), replaced=False).first()
    if document is None:
        return ""
    try:
        intake.dossier_document_remove(document=document, actor=request.user)
    except DossierError as exc:
        return exc.message
    messages.success(request, _("Đã gỡ tệp “%(name)s”.") % {"name": document.original_name})
    return ""


# --- 1. start a dossier ------------------------------------------------------------------------------------


@login_required
def dossier_start(request, code: str):
    procedure = procedure_detail(code)
    if procedure is None:
        raise Http404
    version = procedure.current_version
    context = {"procedure": procedure, "version": version}
    if version.online_level == OnlineLevel.NONE:
        return render(request, "portal/dossiers/not_online.html", context)
    cases = list(version.cases.order_by("order", "id"))
    error = ""
    if request.method == "POST":
        case = next((c for c in cases if str(c.pk) == request.POST.get("case")), None)
        if case is None and len(cases) == 1:
            case = cases[0]
        if case is None:
            error = _("Hãy chọn trường hợp của bạn.")
        else:
            try:
                dossier = _draft_for(request.user, case)
            except DossierError as exc:
                error = exc.message
            else:
                return redirect("portal:dossier-edit", public_id=dossier.public_id)
    drafts = Dossier.objects.filter(owner=request.user, procedure=procedure, status=Status.DRAFT).order_by(
        "-id"
    )
    context.update(cases=cases, drafts=drafts[:5], error=error)
    return render(request, "portal/dossiers/start.html", context, status=400 if error else 200)


def _draft_for(user, case) -> Dossier:
    """A new draft; a second click on "Bắt đầu" within a few seconds opens the draft the first one made."""
    recent = Dossier.objects.filter(
        owner=user, case=case, status=Status.DRAFT, created_at__gte=timezone.now() - timedelta(seconds=30)
    ).first()
    return recent or intake.dossier_draft_create(actor=user, case=case)


# --- 2. fill in and submit ---------------------------------------------------------------------------------


def _document_slots(dossier: Dossier, form: DossierForm) -> list[dict]:
    files = DossierDocument.objects.filter(dossier=dossier, replaced=False).order_by("id")
    slots = []
    for document in RequiredDocument.objects.filter(version=dossier.procedure_version).order_by(
        "order", "id"
    ):
        name = f"document_{document.pk}"
        slots.append(
            {
                "name": name,
                "document": document,
                "optional": intake.document_is_optional(document),
                "files": [f for f in files if f.required_document_id == document.pk],
                "error": form.document_errors.get(name, ""),
            }
        )
    return slots


def _edit_page(request, dossier: Dossier, form: DossierForm, status: int = 200):
    context = {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "form": form,
        "slots": _document_slots(dossier, form),
        "accept": UPLOAD_ACCEPT,
        "max_file_mb": settings.DOSSIER_MAX_FILE_MB,
        "max_total_mb": settings.DOSSIER_MAX_TOTAL_MB,
    }
    return render(request, "portal/dossiers/edit.html", context, status=status)


@login_required
def dossier_edit(request, public_id):
    dossier = _own(request, public_id)
    if dossier.status != Status.DRAFT:
        if request.method == "POST" and request.POST.get("action") == "submit":
            intake.dossier_submit(dossier=dossier, actor=request.user)  # a double click: returns it as it is
            return redirect("portal:dossier-submitted", public_id=dossier.public_id)
        return redirect("portal:dossier-detail", public_id=dossier.public_id)
    if request.method != "POST":
        return _edit_page(
            request, dossier, DossierForm(initial=DossierForm.initial_from(dossier), dossier=dossier)
        )
    form = DossierForm(request.POST, dossier=dossier)
    form.full_clean()
    removal_error = _remove_file(request, dossier)
    if removal_error:
        form.domain_errors({"__all__": removal_error})
    documents = RequiredDocument.objects.filter(version=dossier.procedure_version).values_list(
        "pk", flat=True
    )
    form.domain_errors(_add_files(request, dossier, [(f"document_{pk}", pk) for pk in documents]))
    try:
        intake.dossier_draft_update(
            dossier=dossier,
            actor=request.user,
            applicant=form.applicant_data(),
            extra=form.extra_data(),
            **form.delivery_data(),
        )
    except DossierInvalid as exc:
        form.domain_errors(exc.errors)
    except DossierError as exc:
        form.domain_errors({exc.field or "__all__": exc.message})
    submitting = request.POST.get("action") == "submit"
    if form.summary:
        if submitting and _submitted_meanwhile(dossier):  # the other click of a double click won the race
            return redirect("portal:dossier-submitted", public_id=dossier.public_id)
        return _edit_page(request, dossier, form)
    if submitting:
        return _submit(request, dossier, form)
    messages.success(
        request,
        _("Đã lưu bản nháp lúc %(time)s.") % {"time": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
    )
    return redirect("portal:dossier-edit", public_id=dossier.public_id)


def _submit(request, dossier: Dossier, form: DossierForm):
    try:
        intake.dossier_submit(dossier=dossier, actor=request.user)
    except DossierInvalid as exc:
        form.domain_errors(exc.errors)
        return _edit_page(request, dossier, form)
    except DossierError as exc:
        if _submitted_meanwhile(dossier):
            return redirect("portal:dossier-submitted", public_id=dossier.public_id)
        form.domain_errors({"__all__": exc.message})
        return _edit_page(request, dossier, form)
    return redirect("portal:dossier-submitted", public_id=dossier.public_id)


def _submitted_meanwhile(dossier: Dossier) -> bool:
    """Two clicks arriving together: the first submits, the second finds the draft gone and shows the receipt."""
    return Dossier.objects.filter(pk=dossier.pk).exclude(status=Status.DRAFT).exists()


# --- 3. acknowledgement ------------------------------------------------------------------------------------


@login_required
def dossier_submitted(request, public_id):
    dossier = _own(request, public_id)
    if dossier.status == Status.DRAFT:
        return redirect("portal:dossier-edit", public_id=dossier.public_id)
    url = tracking_url(dossier)
    return render(
        request,
        "portal/dossiers/submitted.html",
        {"dossier": dossier, "tracking_url": url, "qr_svg": _qr_svg(url)},
    )


# --- 4. my dossiers ----------------------------------------------------------------------------------------


@login_required
def my_dossiers(request):
    before = request.GET.get("truoc", "")
    before_id = int(before) if before.isdigit() and len(before) < 19 else None
    rows = queries.applicant_dossiers(request.user, before_id=before_id)
    more = len(rows) > queries.PAGE_SIZE
    rows = rows[: queries.PAGE_SIZE]
    return render(
        request,
        "portal/dossiers/mine.html",
        {"dossiers": rows, "next_before": rows[-1].pk if more else None, "paged": before_id is not None},
    )


# --- 5. one dossier: detail, files, forms, supplement ------------------------------------------------------


def _forms_of(dossier: Dossier) -> list[tuple[str, str, str]]:
    """The forms the dossier has the facts for (accepted → 01, supplement asked → 02, refused → 03)."""
    from motcua.dossiers.forms_pdf import form_available  # the forms module loads WeasyPrint only to render

    return [(form, number, title) for form, number, title in FORMS if form_available(dossier, form)]


def _supplement_slots(dossier: Dossier, errors: dict[str, str]) -> list[dict]:
    """One upload slot per requested item (named after the catalog document when the item is one)."""
    by_name = {d.name: d.pk for d in RequiredDocument.objects.filter(version=dossier.procedure_version)}
    return [
        {
            "name": f"bosung_{index}",
            "item": item,
            "document_id": by_name.get(item),
            "error": errors.get(f"bosung_{index}"),
        }
        for index, item in enumerate(dossier.supplement_items or [])
    ]


def _detail_page(
    request,
    dossier: Dossier,
    *,
    supplement_errors=None,
    note: str = "",
    end_error: str = "",
    status: int = 200,
):
    from motcua.dossiers.models import Satisfaction
    from motcua.portal.views_dossier_end import may_withdraw, visible_documents

    audit_event_record(
        action="dossiers.dossier.viewed", actor=request.user, obj=dossier, data={"page": "portal"}
    )
    documents = visible_documents(dossier)
    supplement_errors = supplement_errors or {}
    context = {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "documents": documents,
        "timeline": queries.public_timeline(dossier),
        "forms": _forms_of(dossier),
        "tracking_url": tracking_url(dossier),
        "accept": UPLOAD_ACCEPT,
        "may_withdraw": may_withdraw(dossier) and dossier.owner_id == request.user.pk,
        "may_rate": dossier.status == Status.RETURNED and not hasattr_rating(dossier),
        "levels": Satisfaction.choices,
        "end_error": end_error,
        "values": request.POST if end_error else {},
    }
    if dossier.status == Status.SUPPLEMENT:
        since = dossier.supplement_requested_at or dossier.created_at
        context.update(
            supplement_slots=_supplement_slots(dossier, supplement_errors),
            supplement_files=[
                d for d in documents if d.kind == DossierDocument.Kind.SUPPLEMENT and d.uploaded_at >= since
            ],
            supplement_summary=[
                ("" if key == "__all__" else f"id_{key}", message)
                for key, message in supplement_errors.items()
            ],
            supplement_note=note,
        )
    return render(request, "portal/dossiers/detail.html", context, status=status)


@login_required
def dossier_detail(request, public_id):
    dossier = _own(request, public_id)
    if dossier.status == Status.DRAFT:
        return redirect("portal:dossier-edit", public_id=dossier.public_id)
    return _detail_page(request, dossier)


@login_required
@require_POST
def dossier_supplement(request, public_id):
    dossier = _own(request, public_id)
    if dossier.status != Status.SUPPLEMENT:
        messages.info(request, _("Hồ sơ này hiện không chờ bổ sung."))
        return redirect("portal:dossier-detail", public_id=dossier.public_id)
    note = str(request.POST.get("ghi_chu", ""))[:2000]
    errors: dict[str, str] = {}
    removal_error = _remove_file(request, dossier)
    if removal_error:
        errors["__all__"] = removal_error
    slots = _supplement_slots(dossier, {})
    errors.update(_add_files(request, dossier, [(s["name"], s["document_id"]) for s in slots]))
    if not errors and request.POST.get("action") == "send":
        try:
            intake.dossier_supplement_provide(dossier=dossier, actor=request.user, note=note)
        except DossierError as exc:
            errors["__all__"] = exc.message
        else:
            messages.success(request, _("Đã gửi giấy tờ bổ sung. Cán bộ một cửa sẽ xem lại hồ sơ."))
            return redirect("portal:dossier-detail", public_id=dossier.public_id)
    if errors:
        return _detail_page(request, dossier, supplement_errors=errors, note=note)
    if request.FILES:
        messages.success(request, _("Đã tải lên. Bấm “Gửi bổ sung” khi đã đủ giấy tờ."))
    return redirect("portal:dossier-detail", public_id=dossier.public_id)


def hasattr_rating(dossier) -> bool:
    from motcua.dossiers.models import DossierRating

    return DossierRating.objects.filter(dossier=dossier).exists()


@login_required
@require_safe
def dossier_file(request, public_id, document_id: int):
    from motcua.portal.views_dossier_end import visible_documents

    dossier = _own(request, public_id)
    document = get_object_or_404(visible_documents(dossier), pk=document_id)
    audit_event_record(
        action="dossiers.document.downloaded",
        actor=request.user,
        obj=dossier,
        data={"document": document.pk, "page": "portal"},
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def dossier_form(request, public_id, form: str):
    dossier = _own(request, public_id)
    if form not in {name for name, _number, _title in _forms_of(dossier)}:
        raise Http404
    from motcua.dossiers.forms_pdf import form_filename, form_pdf  # WeasyPrint is heavy: load it when needed

    try:
        pdf = form_pdf(dossier=dossier, form=form)
    except DossierError:
        raise Http404 from None
    audit_event_record(
        action="dossiers.form.downloaded",
        actor=request.user,
        obj=dossier,
        data={"form": form, "page": "portal"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{form_filename(dossier, form)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- 6. public tracking ------------------------------------------------------------------------------------


@require_safe
def tracking(request):
    """Anyone with the code and a second factor sees the status and the public timeline, nothing personal."""
    code = str(request.GET.get("ma", "")).strip()[:60]
    last4 = str(request.GET.get("so", "")).strip()[:10]
    key = str(request.GET.get("khoa", "")).strip()[:20]
    form = TrackingForm(initial={"ma": code, "so": last4, "khoa": key})
    context = {"form": form, "searched": bool(code), "dossier": None, "error": ""}
    if code:
        if not rate_limit_allow(
            scope=TRACKING_SCOPE,
            key=client_ip(request) or "-",
            limit=settings.TRACKING_LOOKUPS_PER_10_MINUTES,
            window_seconds=TRACKING_WINDOW,
        ):
            response = render(request, "429.html", {"window_minutes": TRACKING_WINDOW // 60}, status=429)
            response["Retry-After"] = str(TRACKING_WINDOW)
            return response
        if not last4 and not key:
            context["error"] = _("Hãy nhập 4 số cuối điện thoại của chủ hồ sơ hoặc mã tra cứu.")
        elif last4 and not (len(last4) == 4 and last4.isdigit()) and not key:
            context["error"] = _("4 số cuối điện thoại gồm đúng 4 chữ số.")
        else:
            dossier = queries.tracking_find(code=code, phone_last4=last4, access_code=key)
            if dossier is None:
                context["error"] = NOT_FOUND
            else:
                context.update(dossier=dossier, timeline=queries.public_timeline(dossier))
    response = render(request, "portal/dossiers/tracking.html", context)
    if code:
        response["X-Robots-Tag"] = "noindex"
    return response
