"""Process templates (quy trình giải quyết): which steps a dossier of a procedure case goes through.

    template = process_template_current(case=case)      # the newest active version; a default one if none
    new = process_template_copy(template=t, actor=admin)  # edit a template dossiers already use: copy it

A case without a template of its own gets the default one-agency path, with budgets shared out of the case's
processing time: the desk (4 working hours) → a specialist of the resolving agency → the leader of that agency,
who approves the result → the desk that received it, which returns the result. Provinces adapt templates in the
administration (a department, a leader of the department, an inter-agency step to another agency and back).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureCase, ProcessStep, ProcessTemplate
from motcua.core.audit import SYSTEM, audit_event_record
from motcua.directory.models import Role

HOURS_PER_DAY = Decimal(8)
DESK_HOURS = Decimal(4)


def case_total_hours(case: ProcedureCase) -> Decimal:
    """The case's processing time in working hours (calendar days count as working days here: budgets only)."""
    amount = Decimal(case.duration)
    return amount if case.unit == ProcedureCase.Unit.WORKING_HOURS else amount * HOURS_PER_DAY


def default_steps(case: ProcedureCase) -> list[dict]:
    total = case_total_hours(case)
    desk = min(DESK_HOURS, total / 8)
    rest = total - 2 * desk
    specialist = (rest * Decimal("0.7")).quantize(Decimal("0.01"))
    leader = (rest - specialist).quantize(Decimal("0.01"))
    ref = ProcessStep.AgencyRef
    return [
        {"name": _("Tiếp nhận, chuyển xử lý"), "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING,
         "budget_hours": desk},
        {"name": _("Thẩm định, đề xuất"), "role": Role.SPECIALIST, "agency_ref": ref.RESOLVING,
         "budget_hours": specialist},
        {"name": _("Phê duyệt kết quả"), "role": Role.AGENCY_LEADER, "agency_ref": ref.RESOLVING,
         "budget_hours": leader, "approves_result": True},
        {"name": _("Trả kết quả"), "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING,
         "budget_hours": desk, "returns_result": True},
    ]  # fmt: skip


def process_template_create(
    *, case: ProcedureCase, name: str, steps: list[dict], actor=SYSTEM
) -> ProcessTemplate:
    """A new version of the case's template with these steps (dicts of ProcessStep fields), in one transaction."""
    with transaction.atomic():
        number = (case.process_templates.aggregate(n=Max("number"))["n"] or 0) + 1
        template = ProcessTemplate.objects.create(case=case, number=number, name=name[:300])
        ProcessStep.objects.bulk_create(
            ProcessStep(template=template, order=order, **fields)
            for order, fields in enumerate(steps, start=1)
        )
        audit_event_record(
            action="catalog.process_template.created",
            actor=actor,
            obj=template,
            data={"case": case.pk, "number": number, "steps": len(steps)},
        )
    return template


def process_template_current(*, case: ProcedureCase) -> ProcessTemplate:
    """The newest active template of the case; the default template is created the first time one is needed."""
    template = case.process_templates.filter(active=True).order_by("-number").first()
    if template is not None:
        return template
    try:
        return process_template_create(case=case, name=_("Quy trình mặc định"), steps=default_steps(case))
    except IntegrityError:  # created by a concurrent acceptance
        return case.process_templates.filter(active=True).order_by("-number").first()


def process_template_copy(*, template: ProcessTemplate, actor) -> ProcessTemplate:
    """Copy a template into a new version to edit it; the old version stays as the dossiers started with it."""
    fields = (
        "name", "role", "agency_ref", "agency_id", "department_id", "budget_hours", "approves_result",
        "returns_result",
    )  # fmt: skip
    steps = [{f: getattr(step, f) for f in fields} for step in template.steps.order_by("order")]
    with transaction.atomic():
        new = process_template_create(case=template.case, name=template.name, steps=steps, actor=actor)
        ProcessTemplate.objects.filter(case=template.case, number__lt=new.number).update(active=False)
    return new


def process_template_in_use(template: ProcessTemplate) -> bool:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(process_template=template).exists()
