"""Walk-in reception at the one-stop desk: a paper dossier recorded and accepted in one step (Mẫu 01 printed).

    1. find the procedure (the catalog's Vietnamese search) and pick its case;
    2. fill in where it is received, the applicant, the scans (optional: the paper is in hand), delivery, messages;
    3. `intake.dossier_walk_in_receive` → the dossier page with its code and the print button.

On any error every typed value comes back with the message next to its field, and the scans that passed the
content check are kept (in storage, referenced from the officer's session) so they need not be chosen again.
A form is used once: a double click or a resent request finds the dossier the first one created.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.backoffice.forms_dossiers import WalkInForm
from motcua.backoffice.views import staff_required
from motcua.catalog.models import Procedure, ProcedureCase
from motcua.catalog.queries import procedure_search
from motcua.core.audit import audit_event_record
from motcua.core.models import AuditEvent
from motcua.directory.models import Agency
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import upload_check
from motcua.dossiers.intake import (
    DossierInvalid,
    Upload,
    applicant_clean,
    delivery_clean,
    dossier_walk_in_receive,
    extra_clean,
    receiving_agency_for,
)
from motcua.dossiers.models import Dossier

SEARCH_RESULTS = 20
KEPT_SESSION_KEY = "desk_walk_in_files"
FORM_EVENT = "dossiers.dossier.walk_in_form"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
COMMUNE_KINDS = {Agency.Kind.COMMUNE_PEOPLES_COMMITTEE, Agency.Kind.COMMUNE_SERVICE_CENTRE}


def _current_case(value) -> ProcedureCase | None:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return (
        ProcedureCase.objects.select_related("version__procedure")
        .filter(pk=pk, version__procedure__active=True, version__procedure__current_version=F("version"))
        .first()
    )


def places_for(case: ProcedureCase, desk: set[int]) -> list[tuple[str, str]]:
    """(value "receiving-resolving", label) for each of the officer's desks that receives this case's dossiers."""
    desks = list(Agency.objects.filter(pk__in=desk))
    agencies = case.version.agencies.filter(valid_to__isnull=True)
    near = agencies.filter(pk__in=desk)
    for centre in desks:  # only a centre receives for other agencies; pre-filter those it may serve
        if centre.kind == Agency.Kind.COMMUNE_SERVICE_CENTRE:
            near = near | agencies.filter(commune_id=centre.commune_id, kind__in=COMMUNE_KINDS)
        elif centre.kind == Agency.Kind.PROVINCIAL_SERVICE_CENTRE:
            near = near | agencies.filter(province_id=centre.province_id).exclude(kind__in=COMMUNE_KINDS)
    places = []
    for agency in near.distinct().order_by("code"):
        receiver = receiving_agency_for(agency)
        if receiver.pk in desk and receiver.pk != agency.pk:
            places.append((f"{receiver.pk}-{agency.pk}", f"{receiver.name} — {agency.name}"))
        if agency.pk in desk:
            places.append((f"{agency.pk}-{agency.pk}", agency.name))
    return places


# --- scans kept across an error ------------------------------------------------------------------------------


def _kept(request) -> dict[str, dict]:
    return dict(request.session.get(KEPT_SESSION_KEY) or {})


def _forget(request, keep: dict[str, dict] | None = None) -> None:
    """Delete the stored scans of this session that are not in `keep`, and remember only those."""
    keep = keep or {}
    for token, entry in _kept(request).items():
        if token not in keep:
            default_storage.delete(entry["path"])
    request.session[KEPT_SESSION_KEY] = keep


def _checked(upload_file) -> tuple[bytes | None, str]:
    limit = settings.DOSSIER_MAX_FILE_MB * 1024 * 1024
    if upload_file.size > limit:
        return None, _("Tệp “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)s MB cho mỗi tệp.") % {
            "name": upload_file.name,
            "size": f"{upload_file.size / 1024 / 1024:.1f}",
            "limit": settings.DOSSIER_MAX_FILE_MB,
        }
    data = upload_file.read()
    try:
        upload_check(name=upload_file.name, data=data)
    except DossierError as exc:
        return None, exc.message
    return data, ""


def _uploads(request, form: WalkInForm) -> tuple[list[Upload], dict[str, dict], list[Upload]]:
    """(uploads for the service, scans kept from before and still wanted, newly chosen scans that passed)."""
    kept = _kept(request)
    uploads, still_kept, fresh = [], {}, []
    for name, document in form.document_keys:
        chosen = form.cleaned_data.get(name)
        if chosen:
            data, error = _checked(chosen)
            if error:
                form.add_error(name, error)
            else:
                upload = Upload(chosen.name, data, document.pk)
                uploads.append(upload)
                fresh.append(upload)
            continue
        token = request.POST.get(f"keep_{document.pk}", "")
        entry = kept.get(token)
        if entry and entry["document"] == document.pk:
            try:
                with default_storage.open(entry["path"], "rb") as handle:
                    uploads.append(Upload(entry["name"], handle.read(), document.pk))
            except OSError:
                form.add_error(name, _("Tệp giữ lại từ lần trước không còn; hãy chọn lại tệp."))
                continue
            still_kept[token] = entry
    return uploads, still_kept, fresh


def _keep_after_error(request, still_kept: dict[str, dict], fresh: list[Upload]) -> None:
    for upload in fresh:
        for token, entry in list(still_kept.items()):
            if entry["document"] == upload.required_document_id:
                del still_kept[token]
        path = default_storage.save(f"dossiers/pending/{secrets.token_hex(16)}", ContentFile(upload.data))
        still_kept[secrets.token_urlsafe(16)] = {
            "document": upload.required_document_id,
            "name": upload.filename[:255],
            "path": path,
        }
    _forget(request, keep=still_kept)


# --- the form ------------------------------------------------------------------------------------------------


def _attach(form: WalkInForm, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        form.add_error(key if key in form.fields else None, message)


def _validate_without_writing(form: WalkInForm, case: ProcedureCase) -> None:
    """When a scan is refused the dossier is not recorded; still show every other field's message at once."""
    data = form.cleaned_data
    for check in (
        lambda: applicant_clean(form.applicant_data()),
        lambda: extra_clean(version=case.version, data=form.extra_data()),
        lambda: delivery_clean(
            version=case.version,
            delivery=data.get("delivery") or "",
            address=data.get("delivery_address") or "",
            channels=data.get("notify_channels") or [],
        ),
    ):
        try:
            check()
        except DossierInvalid as exc:
            _attach(form, {k: v for k, v in exc.errors.items() if not form.has_error(k)})


def _receive(request, form: WalkInForm, case: ProcedureCase, uploads: list[Upload], token: str):
    """(dossier, created). The officer's row is locked so the same form sent twice records one dossier."""
    receiving_id, agency_id = (int(part) for part in form.cleaned_data["place"].split("-"))
    data = form.cleaned_data
    with transaction.atomic():
        list(
            get_user_model()
            .objects.select_for_update()
            .filter(pk=request.user.pk)
            .values_list("pk", flat=True)
        )
        earlier = (
            AuditEvent.objects.filter(action=FORM_EVENT, actor=request.user, data__form_token=token)
            .values_list("object_id", flat=True)
            .first()
        )
        if earlier is not None:
            return Dossier.objects.get(pk=int(earlier)), False
        dossier = dossier_walk_in_receive(
            actor=request.user,
            receiving_agency=Agency.objects.get(pk=receiving_id),
            agency=Agency.objects.get(pk=agency_id),
            case=case,
            applicant=form.applicant_data(),
            uploads=uploads,
            channel=data.get("channel") or "",
            extra=form.extra_data(),
            delivery=data.get("delivery") or "",
            delivery_address=data.get("delivery_address") or "",
            notify_channels=data.get("notify_channels") or [],
        )
        audit_event_record(action=FORM_EVENT, actor=request.user, obj=dossier, data={"form_token": token})
    return dossier, True


def _post(request, case: ProcedureCase, places):
    form = WalkInForm(request.POST, request.FILES, case=case, places=places)
    token = request.POST.get("form_token", "")
    form.is_valid()  # the form's own checks are only choices and files; the domain checks the rest below
    if not TOKEN_RE.match(token):
        form.add_error(
            None, _("Biểu mẫu đã cũ hoặc không đầy đủ. Hãy kiểm tra lại rồi bấm “Tiếp nhận hồ sơ”.")
        )
    if not form.cleaned_data.get("place") and not form.has_error("place"):
        form.add_error("place", _("Hãy chọn nơi tiếp nhận."))
    uploads, still_kept, fresh = _uploads(request, form)
    if form.errors:
        _validate_without_writing(form, case)
        _keep_after_error(request, still_kept, fresh)
        return form, None
    try:
        dossier, created = _receive(request, form, case, uploads, token)
    except DossierInvalid as exc:
        _attach(form, exc.errors)
    except DossierError as exc:
        _attach(form, {exc.field or "": exc.message})
    else:
        _forget(request)
        if created:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ. Mã hồ sơ: %(code)s. Hãy in Giấy tiếp nhận (Mẫu 01) cho người nộp.")
                % {"code": dossier.code},
            )
        else:
            messages.info(request, _("Biểu mẫu này đã được gửi trước đó; đây là hồ sơ đã được tiếp nhận."))
        return form, dossier
    _keep_after_error(request, still_kept, fresh)
    return form, None


def _pick(request):
    """Step 1: find the procedure, then choose its case."""
    q = request.GET.get("q", "").strip()[:200]
    procedures = []
    if q:
        ids = procedure_search(q=q)[:SEARCH_RESULTS]
        found = Procedure.objects.select_related("current_version").prefetch_related("current_version__cases")
        by_id = found.in_bulk(ids)
        procedures = [by_id[pk] for pk in ids if pk in by_id]
    return render(request, "backoffice/dossiers/walk_in_pick.html", {"q": q, "procedures": procedures})


@staff_required
def dossier_walk_in(request):
    desk = rules.desk_agency_ids(request.user)
    if not desk:
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    case = _current_case(params.get("truong_hop"))
    if case is None:
        if request.method == "POST":
            messages.error(request, _("Thủ tục đã chọn không còn áp dụng. Hãy chọn lại thủ tục."))
        return _pick(request)
    places = places_for(case, desk)
    status = 200
    if request.method == "POST" and places:
        form, dossier = _post(request, case, places)
        if dossier is not None:
            return redirect("backoffice:dossier-detail", public_id=dossier.public_id)
        status = 400
    else:
        _forget(request)
        form = WalkInForm(case=case, places=places)
    kept = {entry["document"]: (token, entry["name"]) for token, entry in _kept(request).items()}
    documents = [(form[name], document, kept.get(document.pk)) for name, document in form.document_keys]
    return render(
        request,
        "backoffice/dossiers/walk_in.html",
        {
            "case": case,
            "version": case.version,
            "form": form,
            "places": places,
            "documents": documents,
            "form_token": secrets.token_urlsafe(24),
        },
        status=status,
    )
