"""The facts of the processing forms (issue 6), rendered by `motcua.dossiers.forms_pdf` like Mẫu 01–03:

* "apology" — Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả: the dossier's latest apology;
* "control" — Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per DossierStep (`control.control_rows`);
* "result" — the result document generated from the template when the leader approves without an upload;
* "unresolved" — Văn bản trả lại hồ sơ: returned without resolution, with the reason;
* "result_receipt" — Giấy biên nhận trả kết quả: who returned the result to whom, when and how.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.control import control_rows
from motcua.dossiers.forms_pdf import _contact, _delivery, _documents, _moment, _qr_svg
from motcua.dossiers.notify import TRACKING_PATH, tracking_url


def _latest_apology(dossier):
    return (
        dossier.apologies.select_related("responsible_agency__parent").order_by("-issued_at", "-id").first()
    )


def processing_form_available(dossier, form: str) -> bool:
    if form == "apology":
        return dossier.pk is not None and _latest_apology(dossier) is not None
    if form == "control":
        return dossier.pk is not None and dossier.steps.exists()
    if form == "result":
        return dossier.outcome == "granted" and bool(dossier.result_number)
    if form == "unresolved":
        return dossier.outcome == "unresolved"
    if form == "result_receipt":
        return dossier.returned_at is not None
    return False


def processing_form_issuing(dossier, form: str) -> tuple:
    """(issuing agency, number, instant or day of issue): the header of each processing form."""
    if form == "apology":
        apology = _latest_apology(dossier)
        return apology.responsible_agency, apology.number, apology.issued_at
    if form == "result":
        return dossier.agency, dossier.result_number, dossier.result_signed_on
    if form == "unresolved":
        return dossier.agency, "", dossier.finished_at
    if form == "result_receipt":
        return dossier.receiving_agency, dossier.display_code, dossier.returned_at
    return dossier.receiving_agency, dossier.display_code, dossier.accepted_at  # control


def _day(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def _tracking(dossier) -> dict:
    url = tracking_url(dossier)
    return {
        "tracking_url": url,
        "tracking_base": f"{settings.SITE_URL}{TRACKING_PATH}",
        "qr_svg": _qr_svg(url),
    }


def _return_place(dossier) -> str:
    if dossier.delivery == "desk":
        return f"{dossier.get_delivery_display()} — {dossier.receiving_agency.name}"
    return _delivery(dossier)


def _recipients(dossier, *, first: str) -> list[str]:
    """Nơi nhận: the addressee, the desk that hands the paper to the citizen, the archive."""
    desk = dossier.receiving_agency.name
    return [
        first,
        _("%(unit)s (để trả cho công dân)") % {"unit": desk},
        _("Lưu: VT, hồ sơ %(code)s") % {"code": dossier.display_code},
    ]


def _apology_facts(dossier) -> dict:
    apology = _latest_apology(dossier)
    return {
        "recipients": _recipients(dossier, first=_("Như trên")),
        "about": _("V/v xin lỗi đối với hồ sơ giải quyết quá hạn và hẹn lại thời gian trả kết quả"),
        "apology": apology,
        "receiving_unit": dossier.receiving_agency.name,
        "responsible_unit": apology.responsible_agency.name,
        "received_day": _day(dossier.accepted_at),
        "previous_due": _moment(apology.previous_due_at),
        "new_due": _moment(apology.new_due_at),
        "return_place": _return_place(dossier),
        **_tracking(dossier),
    }


def _control_facts(dossier) -> dict:
    apology = _latest_apology(dossier)
    rows = control_rows(dossier)
    own = {dossier.agency.name, dossier.receiving_agency.name}
    coordinating = list(dict.fromkeys(r["to_agency"] for r in rows if r["to_agency"] not in own))
    return {
        "documents": _documents(dossier.procedure_version.documents.all()),
        "duration": dossier.case.duration_label(),
        "received": _moment(dossier.accepted_at),
        "original_due": _moment(dossier.original_due_at or dossier.due_at),
        "new_due": _moment(dossier.due_at) if apology else "",
        "apology_number": apology.number if apology else "",
        "resolving_unit": dossier.agency.name,
        "coordinating": coordinating,
        "rows": rows,
        **_tracking(dossier),
    }


def _applicant_identity(dossier) -> dict:
    birth = dossier.applicant_birth_date
    return {
        "id_label": dossier.get_applicant_id_type_display(),
        "birth_date": birth.strftime("%d/%m/%Y") if birth else "",
    }


def _result_facts(dossier) -> dict:
    signed = dossier.result_signed_on
    return {
        "recipients": _recipients(dossier, first=_("Ông/Bà %(name)s") % {"name": dossier.applicant_name}),
        "legal_basis": [str(item) for item in dossier.procedure_version.legal_basis or []],
        "procedure": dossier.procedure_version.name,
        "received_day": _day(dossier.accepted_at),
        "signed_day": signed.strftime("%d/%m/%Y") if signed else "",
        "signing_unit": dossier.agency.name,
        **_applicant_identity(dossier),
        **_tracking(dossier),
    }


def _unresolved_facts(dossier) -> dict:
    return {
        "about": _("V/v trả lại hồ sơ"),
        "recipients": _recipients(dossier, first=_("Như trên")),
        "procedure": dossier.procedure_version.name,
        "received_day": _day(dossier.accepted_at),
        "reason": dossier.unresolved_reason,
        "contact": _contact(
            dossier.received_by, dossier.receiving_agency
        ),  # the desk, not the signing leader
        "signing_unit": dossier.agency.name,
        **_tracking(dossier),
    }


def _result_receipt_facts(dossier) -> dict:
    granted = dossier.outcome == "granted"
    signed = dossier.result_signed_on
    return {
        "procedure": dossier.procedure_version.name,
        "granted": granted,
        "result_kind": dossier.procedure_version.result,
        "signed_day": signed.strftime("%d/%m/%Y") if signed else "",
        "returned": _moment(dossier.returned_at),
        "method": dossier.get_return_method_display(),
        "receiver": dossier.returned_to
        or (dossier.applicant_name if dossier.return_method != "post" else ""),
        **_tracking(dossier),
    }


PROCESSING_FACTS = {
    "apology": _apology_facts,
    "control": _control_facts,
    "result": _result_facts,
    "unresolved": _unresolved_facts,
    "result_receipt": _result_receipt_facts,
}
