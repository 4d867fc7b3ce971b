"""Read-only procedure catalog: GET /api/v1/procedures and /api/v1/procedures/{code}."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from motcua.catalog.models import Level, OnlineLevel
from motcua.catalog.queries import PAGE_SIZE, procedure_detail, procedure_search, procedures_page

router = Router(tags=["procedures"])


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    level: str
    online_level: str
    url: str


class ProcedurePageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ProcedureSummaryOut]


class CaseOut(Schema):
    id: int  # the `case_id` to send with POST /dossiers
    name: str
    duration: float
    online_duration: float | None
    unit: str
    cutoff: str | None
    supplement_mode: str


class DocumentOut(Schema):
    id: int  # files for this document are sent as `file_<id>` with POST /dossiers
    name: str
    originals: int
    certified_copies: int
    copies: int
    form: str | None


class FeeOut(Schema):
    name: str
    amount_vnd: int
    exemption: str


class ProcedureOut(ProcedureSummaryOut):
    version: int
    instance_code: str
    result: str
    delivery_methods: list[str]
    postal_submission: bool
    legal_basis: list[str]
    decision_number: str
    decision_date: str
    effective_from: str
    cases: list[CaseOut]
    documents: list[DocumentOut]
    fees: list[FeeOut]


def _summary(procedure) -> dict:
    return {
        "code": procedure.national_code,
        "name": procedure.name,
        "field": procedure.field.name,
        "level": procedure.level,
        "online_level": procedure.online_level,
        "url": f"/thu-tuc/{procedure.national_code}/",
    }


@router.get("/procedures", response=ProcedurePageOut, summary="Tìm thủ tục hành chính")
def procedures(
    request, q: str = "", field: str = "", level: str = "", online: str = "", agency: str = "", page: int = 1
):
    if level and level not in Level.values:
        raise HttpError(400, _("Tham số level phải là province hoặc commune."))
    if online and online not in ("yes", *OnlineLevel.values):
        raise HttpError(400, _("Tham số online phải là yes, full, partial hoặc none."))
    if page < 1:
        raise HttpError(400, _("Tham số page phải từ 1 trở lên."))
    ids = procedure_search(q=q[:200], field=field, level=level, online=online, agency=agency)
    items, pages = procedures_page(ids, page)
    return {
        "count": len(ids),
        "page": min(page, pages),
        "pages": pages,
        "page_size": PAGE_SIZE,
        "results": [_summary(p) for p in items],
    }


@router.get("/procedures/{code}", response=ProcedureOut, summary="Chi tiết thủ tục hành chính")
def procedure(request, code: str):
    found = procedure_detail(code)
    if found is None:
        raise HttpError(404, _("Không có thủ tục mã %(code)s.") % {"code": code})
    version = found.current_version
    return {
        **_summary(found),
        "version": version.number,
        "instance_code": version.instance_code,
        "result": version.result,
        "delivery_methods": version.delivery_methods,
        "postal_submission": version.postal_submission,
        "legal_basis": version.legal_basis,
        "decision_number": version.decision_number,
        "decision_date": version.decision_date.isoformat(),
        "effective_from": version.effective_from.isoformat(),
        "cases": [
            {
                "id": c.pk,
                "name": c.name,
                "duration": float(c.duration),
                "unit": c.unit,
                "supplement_mode": c.supplement_mode,
                "online_duration": float(c.online_duration) if c.online_duration is not None else None,
                "cutoff": c.cutoff.strftime("%H:%M") if c.cutoff else None,
            }
            for c in version.cases.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "name": d.name,
                "originals": d.originals,
                "certified_copies": d.certified_copies,
                "copies": d.copies,
                "form": d.form_name or None,
            }
            for d in version.documents.all()
        ],
        "fees": [
            {"name": f.name, "amount_vnd": f.amount, "exemption": f.exemption} for f in version.fees.all()
        ],
    }
