"""The official one-stop forms as PDF (REFERENCE §3.3), always in Vietnamese:

    form_pdf(dossier=d, form="receipt")     # Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (QR to tracking)
    form_pdf(dossier=d, form="supplement")  # Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    form_pdf(dossier=d, form="refusal")     # Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ
    form_pdf(dossier=d, form="apology")     # Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả (the latest one)
    form_pdf(dossier=d, form="control")     # Phiếu kiểm soát quá trình giải quyết hồ sơ (one row per step)
    form_pdf(dossier=d, form="result")      # the result document generated from the template (leader approves)
    form_pdf(dossier=d, form="unresolved")  # Văn bản trả lại hồ sơ (returned without resolution, with the reason)
    form_pdf(dossier=d, form="result_receipt")  # Giấy biên nhận trả kết quả
    form_filename(d, "receipt")             # "mau-01-tiep-nhan-000.00.05.H19-260512-0001.pdf"

The processing forms' facts are in `forms_processing` (this module keeps the reception forms and the helpers).
Each form is an HTML template under templates/dossiers/pdf/ (a province can adapt them) rendered by WeasyPrint.
Nothing is fetched while rendering: the QR code is inline SVG and the fetcher refuses every URL but data: URIs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.dossiers.errors import DossierError
from motcua.dossiers.notify import TRACKING_PATH, tracking_url


@dataclass(frozen=True)
class FormSpec:
    template: str
    slug: str  # ASCII file name prefix


FORMS: dict[str, FormSpec] = {
    "receipt": FormSpec("dossiers/pdf/receipt.html", "mau-01-tiep-nhan"),
    "supplement": FormSpec("dossiers/pdf/supplement.html", "mau-02-bo-sung"),
    "refusal": FormSpec("dossiers/pdf/refusal.html", "mau-03-tu-choi"),
    "apology": FormSpec("dossiers/pdf/apology.html", "mau-04-xin-loi"),
    "control": FormSpec("dossiers/pdf/control.html", "phieu-kiem-soat"),
    "result": FormSpec("dossiers/pdf/result.html", "ket-qua"),
    "unresolved": FormSpec("dossiers/pdf/unresolved.html", "tra-lai-ho-so"),
    "result_receipt": FormSpec("dossiers/pdf/result_receipt.html", "bien-nhan-tra-ket-qua"),
}
RECEPTION_FORMS = ("receipt", "supplement", "refusal")

DEFAULT_PROVINCE = ("Đồng Nai", "tỉnh")

# WeasyPrint reports each rendering step at INFO: seven log lines per form would drown the application's own.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def form_filename(dossier, form: str) -> str:
    """An ASCII file name that says which form and which dossier."""
    spec = _spec(form)
    code = re.sub(r"[^A-Za-z0-9.-]+", "-", dossier.display_code).strip("-.") or str(dossier.pk)
    return f"{spec.slug}-{code}.pdf"


def form_available(dossier, form: str) -> bool:
    """Whether the dossier has the facts the form prints (accepted / asked to supplement / refused / …)."""
    if form not in RECEPTION_FORMS:
        from motcua.dossiers.forms_processing import processing_form_available

        return processing_form_available(dossier, form)
    if form == "receipt":
        return bool(dossier.accepted_at and dossier.code)
    if form == "supplement":
        return bool(dossier.supplement_items)
    if form == "refusal":
        return bool(dossier.refusal_reason)
    return False


def form_html(*, dossier, form: str) -> str:
    """The form's HTML (what the PDF is made from), in the installation's language whatever the request's."""
    spec = _spec(form)
    if not form_available(
        dossier, form
    ):  # the error speaks the user's language; the form is always Vietnamese
        raise DossierError(
            _("Hồ sơ %(code)s chưa có phiếu này.") % {"code": dossier.display_code}, code="form_unavailable"
        )
    with override(settings.LANGUAGE_CODE):
        return render_to_string(spec.template, form_context(dossier, form))


def form_pdf(*, dossier, form: str) -> bytes:
    """The form as a one- or two-page A4 PDF."""
    from weasyprint import HTML

    html = form_html(dossier=dossier, form=form)
    return HTML(string=html, base_url=None, url_fetcher=_url_fetcher()).write_pdf()


def dossier_form_attachment(reference: str) -> tuple[str, bytes, str]:
    """The notification attachment renderer: "<form>:<dossier pk>" → (file name, PDF, mimetype)."""
    from motcua.dossiers.models import Dossier

    form, _sep, pk = reference.partition(":")
    _spec(form)
    dossier = _dossier_for_form(Dossier.objects.filter(pk=int(pk))).get()
    return form_filename(dossier, form), form_pdf(dossier=dossier, form=form), "application/pdf"


# --- the facts printed -------------------------------------------------------------------------------------


def form_context(dossier, form: str) -> dict:
    """Everything a form's template prints, already formatted (dates dd/mm/yyyy, times HH:MM, local time)."""
    _spec(form)
    return {
        "form": form,
        "dossier": dossier,
        "code": dossier.display_code,
        **_header_context(dossier, form),
        **_people_context(dossier, form),
        **_facts(dossier, form),
    }


def _facts(dossier, form: str) -> dict:
    if form in _FORM_FACTS:
        return _FORM_FACTS[form](dossier)
    from motcua.dossiers.forms_processing import PROCESSING_FACTS

    return PROCESSING_FACTS[form](dossier)


def _issuing(dossier, form: str) -> tuple:
    """(agency, number, issued instant or day) of a form."""
    if form not in RECEPTION_FORMS:
        from motcua.dossiers.forms_processing import processing_form_issuing

        return processing_form_issuing(dossier, form)
    issued_at = {
        "receipt": dossier.accepted_at,
        "supplement": dossier.supplement_requested_at,
        "refusal": dossier.refused_at,
    }[form]
    return dossier.receiving_agency, dossier.display_code, issued_at


def _header_context(dossier, form: str) -> dict:
    """Agency lines, number, place and date (the day the form was issued)."""
    province_name, province_type = _province()
    agency, number, issued_at = _issuing(dossier, form)
    issued = issued_at or timezone.now()
    if isinstance(issued, datetime):
        issued = timezone.localtime(issued)
    return {
        "superior": _superior_line(agency, province_name, province_type),
        "unit": agency.name.upper(),
        "unit_name": agency.name,
        "number": number,
        "place": province_name,
        "day": f"{issued:%d}",
        "month": f"{issued:%m}",
        "year": f"{issued:%Y}",
    }


def _people_context(dossier, form: str) -> dict:
    """Who submitted (the applicant, or the person acting by power of attorney), whose dossier, which officer."""
    by_proxy = bool(dossier.submitter_name)
    officer = _issuer(dossier, form)
    return {
        "channel": dossier.get_channel_display(),
        "by_proxy": by_proxy,
        "submitter": {
            "name": dossier.submitter_name if by_proxy else dossier.applicant_name,
            "phone": (dossier.submitter_phone if by_proxy else "") or dossier.applicant_phone,
            "email": (dossier.submitter_email if by_proxy else "") or dossier.applicant_email,
            "id_number": dossier.submitter_id_number if by_proxy else dossier.applicant_id_number,
            "authorisation": dossier.submitter_authorisation if by_proxy else "",
        },
        "applicant_address": _address(dossier),
        "request": _request_text(dossier),
        "officer_name": str(officer) if officer else "",
        "contact": _contact(officer, dossier.receiving_agency),
    }


def _receipt_facts(dossier) -> dict:
    url = tracking_url(dossier)
    return {
        "documents": _documents(dossier.procedure_version.documents.all()),
        "duration": dossier.case.duration_label(),
        "received": _moment(dossier.accepted_at),
        "due": _moment(dossier.due_at),
        "delivery": _delivery(dossier),
        "tracking_url": url,
        "tracking_base": f"{settings.SITE_URL}{TRACKING_PATH}",
        "qr_svg": _qr_svg(url),
    }


def _supplement_facts(dossier) -> dict:
    return {
        "items": _supplement_items(dossier),
        "reason": dossier.supplement_reason,
        "tracking_base": f"{settings.SITE_URL}{TRACKING_PATH}",
    }


def _refusal_facts(dossier) -> dict:
    return {"reason": dossier.refusal_reason}


_FORM_FACTS = {"receipt": _receipt_facts, "supplement": _supplement_facts, "refusal": _refusal_facts}


def _spec(form: str) -> FormSpec:
    try:
        return FORMS[form]
    except KeyError:
        raise DossierError(_("Không có phiếu “%(form)s”.") % {"form": form}, code="form_unknown") from None


def _dossier_for_form(queryset):
    return queryset.select_related(
        "receiving_agency__parent",
        "agency__parent",
        "procedure_version",
        "case",
        "received_by",
        "applicant_commune__province",
    )


# form → the audit action whose actor issued it (the others: the officer who received the dossier)
ISSUING_ACTION = {
    "supplement": "dossiers.dossier.supplement_requested",
    "unresolved": "dossiers.dossier.returned_unresolved",
    "result_receipt": "dossiers.dossier.result_returned",
}


def _issuer(dossier, form: str):
    """The officer who issued the form: the receiver (Mẫu 01, 03, the control sheet), who asked for the
    supplement (Mẫu 02), the leader who returned the dossier unresolved, the officer who returned the result."""
    if form in ISSUING_ACTION:
        from motcua.core.models import AuditEvent

        event = (
            AuditEvent.objects.filter(
                object_type=dossier._meta.label_lower,
                object_id=str(dossier.pk),
                action=ISSUING_ACTION[form],
                actor__isnull=False,
            )
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        if event is not None:
            return event.actor
    return dossier.received_by


def _contact(officer, agency) -> str:
    """Whom the applicant calls with questions: the officer (with a phone number when one is known)."""
    phone = (getattr(officer, "phone", "") if officer else "") or agency.phone
    if officer and phone:
        return _("cán bộ %(name)s, số điện thoại %(phone)s") % {"name": officer, "phone": phone}
    if officer:
        return _("cán bộ %(name)s") % {"name": officer}
    if phone:
        return _("%(unit)s, số điện thoại %(phone)s") % {"unit": agency.name, "phone": phone}
    return agency.name


def _province() -> tuple[str, str]:
    from motcua.directory.models import AdministrativeUnit

    unit = (
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.PROVINCE, code=settings.PROVINCE_CODE
        )
        .only("name", "division_type")
        .first()
    )
    if unit is None:
        return DEFAULT_PROVINCE
    return unit.name, unit.division_type or DEFAULT_PROVINCE[1]


def _superior_line(agency, province_name: str, province_type: str) -> str:
    """The line above the unit's name: its parent agency, else the province's People's Committee."""
    if agency.parent_id:
        return agency.parent.name.upper()
    if agency.kind == agency.Kind.PROVINCIAL_PEOPLES_COMMITTEE:
        return ""
    return f"UBND {province_type} {province_name}".upper()


def _address(dossier) -> str:
    parts = [dossier.applicant_address.strip()]
    commune = dossier.applicant_commune
    if commune is not None:
        parts.append(commune.name)
        if commune.province_id:
            parts.append(commune.province.name)
    return ", ".join(part for part in parts if part)


def _request_text(dossier) -> str:
    text = dossier.procedure_version.name
    case_name = dossier.case.name
    if case_name and case_name.strip().casefold() != text.strip().casefold():
        text = f"{text} — {case_name}"
    summary = (dossier.summary or "").strip()
    if summary and summary.casefold() not in text.casefold():
        text = f"{text}. {summary}"
    return text


def _moment(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


def _delivery(dossier) -> str:
    label = dossier.get_delivery_display()
    if dossier.delivery == "post" and dossier.delivery_address:
        return f"{label}: {dossier.delivery_address}"
    return label


def _count(value: int) -> str:
    return f"{value:02d}" if value else ""


def _documents(documents) -> list[dict]:
    return [
        {
            "name": document.name,
            "originals": _count(document.originals),
            "certified_copies": _count(document.certified_copies),
            "copies": _count(document.copies),
        }
        for document in documents
    ]


def _supplement_items(dossier) -> list[dict]:
    """The listed items, with the published copy counts when an item names a required document."""
    published = {
        document.name.strip().casefold(): document for document in dossier.procedure_version.documents.all()
    }
    rows = []
    for name in dossier.supplement_items:
        document = published.get(str(name).strip().casefold())
        rows.append(
            {
                "name": name,
                "originals": _count(document.originals) if document else "",
                "certified_copies": _count(document.certified_copies) if document else "",
                "copies": _count(document.copies) if document else "",
            }
        )
    return rows


def _qr_svg(url: str) -> str:
    import segno

    qr = segno.make(url, error="m")
    # Inline SVG: nothing to fetch; 1 unit per module, scaled to its box by CSS.
    return qr.svg_inline(scale=1, border=4, omitsize=True, title=None)


def _url_fetcher():
    """Refuse every URL but data: URIs, so rendering never touches the network or the disk."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 66 takes a function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url[:60]!r} while rendering a form")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})
