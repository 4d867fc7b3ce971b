"""The end of processing: apologies for late dossiers (Mẫu 04), the result, its return, and the rating.

    dossier_apologize(dossier=d, actor=leader, reason="…", new_due_at=dt, signer_name="…", signer_title="…")
    dossier_approve(dossier=d, actor=leader, result_number="15/QĐ-UBND", result_signed_on=date, result_signer="…",
                    result_summary="…", upload=Upload(...) or generate=True)                  # → 9
    dossier_return_unresolved(dossier=d, actor=leader, reason="…")                           # → 9, letter
    dossier_return_result(dossier=d, actor=desk, method="desk", returned_to="Nguyễn Văn An")  # → 10
    dossier_rate(dossier=d, actor=citizen, level=Satisfaction.SATISFIED, comment="…")

A late dossier keeps its original due date for the indicators (`original_due_at`); the apology's new date is what
the citizen sees (`due_at`). With `DOSSIER_APOLOGY_REQUIRED=true` (the default) the result of a dossier past its
promised date cannot be approved until an apology promising a later date exists.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit import audit_event_record
from motcua.directory.models import Role, StaffAssignment
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import upload_check
from motcua.dossiers.models import (
    Delivery,
    Dossier,
    DossierApology,
    DossierDocument,
    DossierRating,
    DossierStep,
    Outcome,
    Satisfaction,
    Status,
)
from motcua.dossiers.processing import _close_step, _current, _open_step, _require_step_actor, _template_steps
from motcua.dossiers.services import MAX_REASON, _reason, dossier_transition
from motcua.metrics.rollups import rollup_rating_record


def _text(value: str, *, what: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DossierError(_("Cần ghi %(what)s.") % {"what": what}, code="required", field=field)
    if len(value) > limit:
        raise DossierError(
            _("%(what)s dài quá %(n)s ký tự.") % {"what": what.capitalize(), "n": limit},
            code="too_long",
            field=field,
        )
    return value


# --- apology (Mẫu 04) ------------------------------------------------------------------------------------


def _apology_number(agency_id: int, now: datetime) -> str:
    """The agency's next apology number of the year; the agency's row is locked so two apologies cannot share
    a number (and the unique constraint would refuse it)."""
    from motcua.directory.models import Agency

    Agency.objects.select_for_update().filter(pk=agency_id).values_list("pk", flat=True).get()
    year = timezone.localtime(now).year
    count = DossierApology.objects.filter(
        responsible_agency_id=agency_id, number__endswith=f"/{year}/PXL"
    ).count()
    return f"{count + 1:03d}/{year}/PXL"


def dossier_apologize(
    *,
    dossier: Dossier,
    actor,
    reason: str,
    new_due_at: datetime,
    signer_name: str,
    signer_title: str,
    expected_revision: int | None = None,
) -> Dossier:
    """T13: the processing agency apologises for the delay and promises a new date, sent to the citizen."""
    if not rules.can_apologize(actor, dossier):
        raise DossierError(_("Bạn không thuộc cơ quan đang giải quyết hồ sơ này."), code="forbidden")
    reason = _reason(reason, what=_("lý do chậm trả kết quả"))
    signer_name = _text(signer_name, what=_("người ký"), limit=150, field="signer_name")
    signer_title = _text(signer_title, what=_("chức vụ người ký"), limit=150, field="signer_title")
    now = timezone.now()
    if new_due_at is None or timezone.is_naive(new_due_at) or new_due_at <= now:
        raise DossierError(
            _("Ngày hẹn trả mới phải sau thời điểm hiện tại."), code="bad_date", field="new_due_at"
        )
    if dossier.due_at and new_due_at <= dossier.due_at:
        raise DossierError(
            _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại (%(due)s).")
            % {"due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")},
            code="bad_date",
            field="new_due_at",
        )

    def apply(locked: Dossier) -> dict[str, Any]:
        step = _current(locked)
        agency_id = step.agency_id if step else locked.agency_id
        apology = DossierApology.objects.create(
            dossier=locked,
            number=_apology_number(agency_id, now),
            reason=reason,
            responsible_agency_id=agency_id,
            previous_due_at=locked.due_at or new_due_at,
            new_due_at=new_due_at,
            signer_name=signer_name,
            signer_title=signer_title,
            issued_at=now,
            issued_by=actor,
        )
        locked._apology = apology
        # original_due_at stays: the indicators count the first promise; warnings are due again for the new date
        return {"due_at": new_due_at, "due_soon_notified_at": None, "late_notified_at": None}

    return dossier_transition(
        dossier=dossier,
        action="apologized",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"reason": reason, "new_due_at": new_due_at, "previous_due_at": dossier.due_at},
    )


def apology_missing(dossier: Dossier, now: datetime) -> bool:
    """Past the promised date (the latest one) and the setting asks for an apology first."""
    return bool(settings.DOSSIER_APOLOGY_REQUIRED and dossier.due_at and now > dossier.due_at)


# --- the result --------------------------------------------------------------------------------------------


def _finish_changes(
    locked: Dossier, *, step: DossierStep, actor, now: datetime, outcome: str
) -> dict[str, Any]:
    _close_step(step, now=now, actor=actor, outcome=outcome)
    returning = next((s for s in _template_steps(locked) if s.returns_result), None)
    nxt = _open_step(locked, returning, now=now, sent_by=actor)
    return {"finished_at": now, "current_step_id": nxt.pk}


def _require_approving_step(actor, dossier: Dossier) -> DossierStep:
    step = _require_step_actor(actor, dossier)
    if step.template_step is None or not step.template_step.approves_result:
        raise DossierError(
            _("Kết quả chỉ được phê duyệt ở bước phê duyệt của quy trình (%(step)s đang ở bước “%(name)s”).")
            % {"step": dossier.display_code, "name": step.name},
            code="not_approving_step",
        )
    return step


def _result_document(locked: Dossier, *, actor, data: bytes, filename: str) -> DossierDocument:
    content_type = upload_check(name=filename, data=data)
    document = DossierDocument(
        dossier=locked,
        kind=DossierDocument.Kind.RESULT,
        name=(locked.result_summary or _("Kết quả giải quyết"))[:500],
        original_name=filename[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=timezone.now(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save("result", ContentFile(data), save=False)
    document.save()
    return document


def dossier_approve(
    *,
    dossier: Dossier,
    actor,
    result_number: str,
    result_signed_on: date | None,
    result_signer: str,
    result_summary: str,
    upload=None,
    generate: bool = False,
    expected_revision: int | None = None,
) -> Dossier:
    """T14: the leader approves the result (→ 9) with the result document — uploaded (PDF/JPEG/PNG, checked by
    content) or generated from the result template — its number, date and signer; the desk then returns it."""
    step = _require_approving_step(actor, dossier)
    number = _text(result_number, what=_("số, ký hiệu văn bản kết quả"), limit=60, field="result_number")
    signer = _text(result_signer, what=_("người ký kết quả"), limit=150, field="result_signer")
    summary = _text(result_summary, what=_("trích yếu kết quả"), limit=500, field="result_summary")
    today = timezone.localdate()
    if result_signed_on is None or result_signed_on > today:
        raise DossierError(
            _("Ngày ký kết quả phải là một ngày không sau hôm nay."),
            code="bad_date",
            field="result_signed_on",
        )
    if upload is None and not generate:
        raise DossierError(
            _("Cần tải lên văn bản kết quả hoặc chọn tạo văn bản kết quả từ mẫu."),
            code="result_required",
            field="result_file",
        )
    if upload is not None:
        upload_check(name=upload.filename, data=upload.data)  # refuse a bad file before anything changes
    now = timezone.now()
    if apology_missing(dossier, now):
        raise DossierError(
            _(
                "Hồ sơ %(code)s đã quá hạn trả kết quả: cần lập Phiếu xin lỗi và hẹn lại ngày trả kết quả "
                "(Mẫu 04) trước khi phê duyệt kết quả."
            )
            % {"code": dossier.display_code},
            code="apology_required",
        )

    def apply(locked: Dossier) -> dict[str, Any]:
        fields = {
            "outcome": Outcome.GRANTED, "result_number": number, "result_signed_on": result_signed_on,
            "result_signer": signer, "result_summary": summary,
        }  # fmt: skip
        for name, value in fields.items():
            setattr(locked, name, value)
        if upload is not None:
            _result_document(locked, actor=actor, data=upload.data, filename=upload.filename)
        else:
            from motcua.dossiers.forms_pdf import form_filename, form_pdf

            pdf = form_pdf(dossier=locked, form="result")
            _result_document(locked, actor=actor, data=pdf, filename=form_filename(locked, "result"))
        return {**fields, **_finish_changes(locked, step=step, actor=actor, now=now, outcome="approved")}

    return dossier_transition(
        dossier=dossier,
        action="approved",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"result_number": number, "signer": signer, "generated": upload is None},
    )


def dossier_return_unresolved(
    *, dossier: Dossier, actor, reason: str, expected_revision: int | None = None
) -> Dossier:
    """T12: after appraisal the dossier is not eligible: returned without resolution with a reasoned letter."""
    step = _require_approving_step(actor, dossier)
    reason = _reason(reason, what=_("lý do trả lại hồ sơ"))
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        changes = {"outcome": Outcome.UNRESOLVED, "unresolved_reason": reason}
        return {**changes, **_finish_changes(locked, step=step, actor=actor, now=now, outcome="unresolved")}

    return dossier_transition(
        dossier=dossier,
        action="returned_unresolved",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"reason": reason},
    )


def dossier_return_result(
    *,
    dossier: Dossier,
    actor,
    method: str,
    returned_to: str = "",
    post_tracking_number: str = "",
    expected_revision: int | None = None,
) -> Dossier:
    """T15: the result is handed over at the desk (to whom), sent by post (tracking number), or made available
    for download in the citizen's account (→ 10)."""
    step = _require_step_actor(actor, dossier)
    returned_to = (returned_to or "").strip()[:200]
    post_tracking_number = (post_tracking_number or "").strip()[:40]
    if method not in Delivery.values:
        raise DossierError(_("Hãy chọn hình thức trả kết quả."), code="bad_method", field="method")
    if method == Delivery.DESK and not returned_to:
        raise DossierError(_("Cần ghi họ tên người nhận kết quả."), code="required", field="returned_to")
    if method == Delivery.POST and not post_tracking_number:
        raise DossierError(_("Cần ghi số hiệu bưu gửi."), code="required", field="post_tracking_number")
    if method == Delivery.ELECTRONIC and dossier.owner_id is None:
        raise DossierError(
            _("Chủ hồ sơ không có tài khoản trên Cổng dịch vụ công để nhận kết quả điện tử."),
            code="no_account",
            field="method",
        )
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        _close_step(step, now=now, actor=actor, outcome=DossierStep.Outcome.RETURNED)
        return {
            "returned_at": now, "return_method": method, "returned_to": returned_to,
            "post_tracking_number": post_tracking_number, "current_step_id": None,
        }  # fmt: skip

    return dossier_transition(
        dossier=dossier,
        action="result_returned",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"method": method, "returned_to": returned_to, "post_tracking_number": post_tracking_number},
    )


# --- the rating ---------------------------------------------------------------------------------------------


def dossier_rate(*, dossier: Dossier, actor, level, comment: str = "") -> DossierRating:
    """T16: the applicant rates the service once, after the result was returned. A dissatisfied rating is flagged
    to the leaders of the resolving agency."""
    if not rules.can_view_as_applicant(actor, dossier):
        raise DossierError(_("Chỉ chủ hồ sơ được đánh giá."), code="forbidden")
    if dossier.status != Status.RETURNED:
        raise DossierError(_("Hồ sơ chỉ được đánh giá sau khi đã trả kết quả."), code="not_allowed")
    try:
        level = Satisfaction(int(level))
    except (TypeError, ValueError):
        raise DossierError(_("Hãy chọn một mức độ hài lòng."), code="bad_level", field="level") from None
    comment = (comment or "").strip()
    if len(comment) > MAX_REASON:
        raise DossierError(
            _("Ý kiến dài quá %(n)s ký tự.") % {"n": MAX_REASON}, code="too_long", field="comment"
        )
    flagged = level <= Satisfaction.DISSATISFIED
    try:
        with transaction.atomic():
            rating = DossierRating.objects.create(
                dossier=dossier, level=level, comment=comment, rated_at=timezone.now(), flagged=flagged
            )
            rollup_rating_record(
                rating=rating
            )  # the dashboard's satisfaction counters, in the same transaction
            audit_event_record(
                action="dossiers.dossier.rated",
                actor=actor,
                obj=dossier,
                data={"level": int(level), "flagged": flagged, "comment": comment},
            )
            if flagged:
                _flag_to_leaders(dossier, rating)
    except IntegrityError:
        raise DossierError(_("Hồ sơ này đã được đánh giá."), code="already_rated") from None
    return rating


def _flag_to_leaders(dossier: Dossier, rating: DossierRating) -> None:
    from motcua.core.audit import SYSTEM
    from motcua.notifications.services import notification_enqueue

    leaders = StaffAssignment.objects.filter(
        agency_id=dossier.agency_id, role=Role.AGENCY_LEADER, active=True, user__is_active=True
    ).select_related("user")
    subject = _("Hồ sơ %(code)s bị đánh giá không hài lòng") % {"code": dossier.display_code}
    body = _("Chủ hồ sơ %(code)s đánh giá “%(level)s”.\nÝ kiến: %(comment)s\n\nXem hồ sơ: %(url)s\n") % {
        "code": dossier.display_code,
        "level": rating.get_level_display(),
        "comment": rating.comment or "—",
        "url": f"{settings.SITE_URL}/can-bo/ho-so/{dossier.public_id}/",
    }
    for assignment in leaders:
        if assignment.user.email:
            notification_enqueue(
                event="dossiers.dossier.rated",
                channel="email",
                recipient=assignment.user.email,
                subject=subject,
                body=body,
                obj=dossier,
                actor=SYSTEM,
                user=assignment.user,
            )
