"""The actions of a demo dossier's plan: each calls one real service as the officer (or applicant) who may act,
at the instant the demo clock is set to. Signature: action(world, plan, dossier) -> dossier."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from motcua.directory.models import Role
from motcua.dossiers import processing, results, services
from motcua.dossiers.demo import _applicant, _extra, _uploads, demo_pdf
from motcua.dossiers.generate import REFUSAL_REASONS, SUPPLEMENT_REQUESTS
from motcua.dossiers.intake import (
    Upload,
    dossier_create_submitted,
    dossier_walk_in_receive,
    receiving_agency_for,
)
from motcua.dossiers.models import DossierStep

NOTES = ("Hồ sơ đầy đủ, hợp lệ.", "Đề nghị xem xét, giải quyết.", "Đủ điều kiện, trình lãnh đạo.", "")
DELAYS = (
    "Chờ kết quả xác minh của cơ quan liên quan.",
    "Số lượng hồ sơ tăng đột biến, cán bộ thụ lý nghỉ ốm.",
    "Phải đo đạc lại hiện trạng thửa đất.",
    "Hệ thống cơ sở dữ liệu chuyên ngành gián đoạn.",
)
UNRESOLVED = (
    "Người yêu cầu không đủ điều kiện theo quy định của thủ tục.",
    "Thửa đất đang có tranh chấp, chưa đủ điều kiện cấp Giấy chứng nhận.",
)
COMMENTS = {5: "Cán bộ nhiệt tình, trả kết quả sớm.", 4: "", 3: "", 2: "Phải đi lại nhiều lần.",
            1: "Trả kết quả trễ hẹn, không được báo trước."}  # fmt: skip
RATING_LEVELS = (5,) * 15 + (4,) * 13 + (3,) * 4 + (2, 1)  # about 6 % dissatisfied


def _pick(world, plan, role: str, agency_id: int, department_id=None):
    return world.pick(plan.rng, agency_id, role, department_id)


def _step(dossier) -> DossierStep:
    return DossierStep.objects.get(pk=dossier.current_step_id)


def _actor(world, plan, step: DossierStep):
    """Who acts on the open step: its assignee, else a holder of its role (a leader role acts as itself)."""
    if step.assignee_id:
        return step.assignee
    return _pick(world, plan, step.role, step.agency_id, step.department_id)


def _desk(world, plan, dossier):
    return _pick(world, plan, Role.DESK_OFFICER, dossier.receiving_agency_id)


def _delivery(plan) -> tuple[str, str]:
    methods = [
        m
        for m in plan.demo_case.case.version.delivery_methods or ["desk"]
        if m in {"desk", "post", "electronic"}
    ]
    method = plan.rng.choice(methods or ["desk"])
    return method, (plan.applicant.address or "Khu phố 1") if method == "post" else ""


def _extra_now(version) -> dict:
    """The demo values of the procedure's own fields, with dates a month before the (demo) day of submission."""
    values = _extra(version)
    past = (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y")
    for item in version.form_fields or []:
        if item["type"] == "date":
            values[item["key"]] = past
    return values


def submit(world, plan, _dossier):
    version = plan.demo_case.case.version
    delivery, address = _delivery(plan)
    dossier, _created = dossier_create_submitted(
        actor=plan.applicant, owner=plan.applicant, case=plan.demo_case.case, applicant=_applicant(plan.applicant),
        uploads=_uploads(version), extra=_extra_now(version), delivery=delivery, delivery_address=address,
        notify_channels=[],
    )  # fmt: skip
    return dossier


def receive(world, plan, _dossier):
    version = plan.demo_case.case.version
    resolving = world.resolving(plan.demo_case, plan.commune)
    centre = receiving_agency_for(resolving)
    delivery, address = _delivery(plan)
    return dossier_walk_in_receive(
        actor=_pick(world, plan, Role.DESK_OFFICER, centre.pk), receiving_agency=centre, case=plan.demo_case.case,
        applicant=_applicant(plan.applicant), uploads=_uploads(version), extra=_extra_now(version), delivery=delivery,
        delivery_address=address, notify_channels=[], owner=plan.applicant,
    )  # fmt: skip


def accept(world, plan, dossier):
    return services.dossier_accept(dossier=dossier, actor=_desk(world, plan, dossier))


def refuse(world, plan, dossier):
    reason = plan.rng.choice(REFUSAL_REASONS)
    return services.dossier_refuse(dossier=dossier, actor=_desk(world, plan, dossier), reason=reason)


def supplement_at_reception(world, plan, dossier):
    items, reason = plan.rng.choice(SUPPLEMENT_REQUESTS)
    actor = _desk(world, plan, dossier)
    return services.dossier_supplement_request(dossier=dossier, actor=actor, items=items, reason=reason)


def take(world, plan, dossier):
    """The step's role holder takes the open step (specialists pick their work from the agency's inbox)."""
    step = _step(dossier)
    if step.assignee_id or step.role != Role.SPECIALIST:
        return dossier
    person = _pick(world, plan, step.role, step.agency_id, step.department_id)
    return processing.dossier_step_assign(dossier=dossier, actor=person, assignee=person)


def forward(world, plan, dossier):
    step = _step(dossier)
    actor = _actor(world, plan, step)
    if step.role == Role.SPECIALIST and not step.assignee_id:
        dossier = processing.dossier_step_assign(dossier=dossier, actor=actor, assignee=actor)
    return processing.dossier_forward(dossier=dossier, actor=actor, note=plan.rng.choice(NOTES))


def approve(world, plan, dossier):
    step = _step(dossier)
    actor = _actor(world, plan, step)
    version = dossier.procedure_version
    year = timezone.localdate().year
    number = world.next_number(f"result-{dossier.agency_id}-{year}")
    summary = f"{version.result or 'Kết quả giải quyết'} — {dossier.applicant_name}"[:500]
    generate = plan.rng.random() < 0.03  # a few made from the template (WeasyPrint: slower)
    upload = None if generate else Upload("ket-qua.pdf", demo_pdf(summary))
    return results.dossier_approve(
        dossier=dossier, actor=actor, result_number=f"{number:03d}/{year}/KQ", result_signed_on=timezone.localdate(),
        result_signer=actor.full_name, result_summary=summary, upload=upload, generate=generate,
    )  # fmt: skip


def unresolved(world, plan, dossier):
    actor = _actor(world, plan, _step(dossier))
    return results.dossier_return_unresolved(dossier=dossier, actor=actor, reason=plan.rng.choice(UNRESOLVED))


def give_back(world, plan, dossier):
    actor = _actor(world, plan, _step(dossier))
    method = dossier.delivery
    returned_to = plan.applicant.full_name if method == "desk" else ""
    tracking = f"EB{plan.rng.randrange(10**8, 10**9)}VN" if method == "post" else ""
    return results.dossier_return_result(
        dossier=dossier, actor=actor, method=method, returned_to=returned_to, post_tracking_number=tracking
    )


def rate(world, plan, dossier):
    count = world.next_number("ratings")
    level = 6 - count if count <= 5 else plan.rng.choice(RATING_LEVELS)  # every level at least once
    results.dossier_rate(dossier=dossier, actor=plan.applicant, level=level, comment=COMMENTS[level])
    return dossier


def apologize(new_due):
    def run(world, plan, dossier):
        leader = _pick(world, plan, Role.AGENCY_LEADER, dossier.agency_id)
        title = "Chủ tịch Ủy ban nhân dân" if plan.demo_case.commune_level else "Giám đốc"
        return results.dossier_apologize(
            dossier=dossier, actor=leader, reason=plan.rng.choice(DELAYS), new_due_at=new_due,
            signer_name=leader.full_name, signer_title=title,
        )  # fmt: skip

    return run


# --- pauses and withdrawal, while the specialist holds the dossier -------------------------------------------


def supplement(world, plan, dossier):
    items, reason = plan.rng.choice(SUPPLEMENT_REQUESTS)
    actor = _actor(world, plan, _step(dossier))
    return services.dossier_supplement_request(dossier=dossier, actor=actor, items=items, reason=reason)


def payment(world, plan, dossier):
    actor = _actor(world, plan, _step(dossier))
    amount = plan.rng.choice((50_000, 100_000, 500_000, 1_250_000))
    return processing.dossier_payment_request(
        dossier=dossier,
        actor=actor,
        description="Lệ phí cấp giấy chứng nhận, phí thẩm định hồ sơ",
        amount=amount,
    )


def stop(world, plan, dossier):
    leader = _pick(world, plan, Role.AGENCY_LEADER, dossier.agency_id)
    reason = "Chờ kết quả giải quyết tranh chấp liên quan của Tòa án nhân dân."
    return processing.dossier_stop(dossier=dossier, actor=leader, reason=reason)


def withdraw(world, plan, dossier):
    reason = "Tôi muốn rút hồ sơ để bổ sung giấy tờ và nộp lại sau."
    return processing.dossier_withdraw(dossier=dossier, actor=plan.applicant, reason=reason)
