"""Processing after acceptance (issue 6): steps, hand-offs, pauses, apology, result, return, rating."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.dossiers import processing, results
from motcua.dossiers.actions import dossier_action_perform
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.intake import Upload
from motcua.dossiers.models import Dossier, DossierPause, DossierRating, DossierStep, Satisfaction, Status
from motcua.dossiers.services import dossier_accept
from tests.dossiers.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(personas, submitted):
    return dossier_accept(dossier=submitted, actor=personas.desk_x)


def _fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def _to_leader(personas, dossier) -> Dossier:
    processing.dossier_forward(dossier=dossier, actor=personas.desk_x, note="Chuyển thẩm định")
    dossier = _fresh(dossier)
    processing.dossier_step_assign(
        dossier=dossier, actor=personas.specialist_x, assignee=personas.specialist_x
    )
    processing.dossier_forward(dossier=_fresh(dossier), actor=personas.specialist_x, note="Đủ điều kiện")
    return _fresh(dossier)


def _approve(personas, dossier, **overrides) -> Dossier:
    fields = {
        "result_number": "125/PLLTP",
        "result_signed_on": timezone.localdate(),
        "result_signer": "Võ Thị Ngọc Hân",
        "result_summary": "Phiếu lý lịch tư pháp số 1",
        "upload": Upload("ket-qua.pdf", pdf_bytes("Kết quả")),
    }
    fields.update(overrides)
    return results.dossier_approve(dossier=dossier, actor=personas.leader_x, **fields)


def test_acceptance_opens_the_first_step_for_the_desk_officer(personas, accepted):
    step = accepted.current_step
    assert (step.sequence, step.role, step.agency_id, step.assignee_id) == (
        1,
        "desk_officer",
        accepted.receiving_agency_id,
        personas.desk_x.pk,
    )
    assert accepted.process_template.steps.count() == 4
    assert step.due_at > step.started_at


def test_full_path_reaches_returned_with_every_step_recorded(personas, accepted):
    dossier = _to_leader(personas, accepted)
    dossier = _approve(personas, dossier)
    assert dossier.status == Status.FINISHED
    assert dossier.documents.filter(kind="result").count() == 1
    dossier = results.dossier_return_result(
        dossier=_fresh(dossier), actor=personas.desk_x, method="desk", returned_to="Nguyễn Văn An"
    )
    assert dossier.status == Status.RETURNED and dossier.current_step_id is None
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("sequence"))
    assert [(s.role, s.outcome) for s in steps] == [
        ("desk_officer", "forwarded"),
        ("specialist", "forwarded"),
        ("agency_leader", "approved"),
        ("desk_officer", "returned"),
    ]
    assert all(s.ended_at is not None for s in steps)
    assert steps[1].assignee_id == personas.specialist_x.pk and steps[1].sent_by_id == personas.desk_x.pk
    actions = list(
        AuditEvent.objects.filter(object_id=str(dossier.pk), action__startswith="dossiers.dossier.")
        .exclude(action__in=["dossiers.dossier.viewed"])
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions[-5:] == [
        "dossiers.dossier.forwarded",
        "dossiers.dossier.assigned",
        "dossiers.dossier.forwarded",
        "dossiers.dossier.approved",
        "dossiers.dossier.result_returned",
    ]


def test_only_the_assignee_or_a_leader_may_act_on_a_step(personas, accepted):
    dossier = _to_leader(personas, accepted)  # now at the agency leader's step
    for stranger in (personas.specialist_x, personas.officer_y, personas.an, personas.hotline):
        with pytest.raises(DossierError) as refused:
            processing.dossier_stop(dossier=_fresh(dossier), actor=stranger, reason="Thử")
        assert refused.value.code == "forbidden"
    assert _fresh(dossier).status == Status.PROCESSING


def test_another_agency_does_not_see_the_dossier(personas, accepted):
    from motcua.dossiers import rules

    assert not rules.can_view_as_staff(personas.officer_y, accepted)
    assert rules.can_view_as_staff(personas.specialist_x, accepted)


def test_forward_from_a_stale_page_is_refused_and_changes_nothing(personas, accepted):
    seen = accepted.revision
    processing.dossier_forward(dossier=accepted, actor=personas.desk_x)
    with pytest.raises(StaleDossier):
        dossier_action_perform(
            dossier=_fresh(accepted), actor=personas.desk_x, action="forward", data={}, expected_revision=seen
        )
    assert _fresh(accepted).steps.count() == 2


def test_payment_pauses_the_clock_and_moves_both_due_dates(personas, accepted):
    from motcua.dossiers.services import dossier_due

    dossier = _to_leader(personas, accepted)
    processing.dossier_payment_request(
        dossier=dossier, actor=personas.leader_x, description="Lệ phí", amount="200.000"
    )
    dossier = _fresh(dossier)
    assert dossier.status == Status.PAYMENT
    assert dossier.payments.get().amount == 200_000
    # Accepted ten days ago, waiting for the payment for the last seven: the due dates move by that wait.
    accepted_at = dossier.accepted_at - timedelta(days=10)
    Dossier.objects.filter(pk=dossier.pk).update(accepted_at=accepted_at)
    DossierPause.objects.filter(dossier=dossier).update(started_at=timezone.now() - timedelta(days=7))
    base = dossier_due(dossier=_fresh(dossier), start=accepted_at)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=base, original_due_at=base)
    processing.dossier_payment_record(
        dossier=_fresh(dossier), actor=personas.desk_x, method="desk", receipt_number="BL-01"
    )
    dossier = _fresh(dossier)
    assert dossier.status == Status.PROCESSING
    assert dossier.original_due_at > base + timedelta(days=4)
    assert dossier.due_at == dossier.original_due_at
    assert dossier.payments.get().paid_at is not None
    assert DossierPause.objects.get(dossier=dossier).ended_at is not None


def test_payment_record_needs_a_receipt_number(personas, accepted):
    dossier = _to_leader(personas, accepted)
    processing.dossier_payment_request(
        dossier=dossier, actor=personas.leader_x, description="Lệ phí", amount="1000"
    )
    with pytest.raises(DossierError) as refused:
        processing.dossier_payment_record(dossier=_fresh(dossier), actor=personas.desk_x, method="desk")
    assert refused.value.field == "receipt_number"
    assert _fresh(dossier).status == Status.PAYMENT


def test_stop_and_resume(personas, accepted):
    dossier = _to_leader(personas, accepted)
    with pytest.raises(DossierError):
        processing.dossier_stop(dossier=dossier, actor=personas.leader_x, reason="  ")
    processing.dossier_stop(dossier=_fresh(dossier), actor=personas.leader_x, reason="Chờ xác minh")
    assert _fresh(dossier).status == Status.STOPPED
    processing.dossier_resume(dossier=_fresh(dossier), actor=personas.leader_x)
    assert _fresh(dossier).status == Status.PROCESSING


def test_citizen_withdraws(personas, accepted):
    processing.dossier_withdraw(dossier=accepted, actor=personas.an, reason="Không còn nhu cầu")
    dossier = _fresh(accepted)
    assert dossier.status == Status.WITHDRAWN and dossier.current_step_id is None
    assert dossier.steps.get(sequence=1).assignee_id == personas.desk_x.pk
    with pytest.raises(DossierError):
        processing.dossier_withdraw(dossier=dossier, actor=personas.binh, reason="x")


def test_late_result_needs_an_apology_first(personas, accepted):
    dossier = _to_leader(personas, accepted)
    past = timezone.now() - timedelta(hours=1)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=past, original_due_at=past)
    with pytest.raises(DossierError) as refused:
        _approve(personas, _fresh(dossier))
    assert refused.value.code == "apology_required"
    assert _fresh(dossier).status == Status.PROCESSING
    new_due = timezone.now() + timedelta(days=3)
    results.dossier_apologize(
        dossier=_fresh(dossier),
        actor=personas.leader_x,
        reason="Chờ xác minh của cơ quan công an",
        new_due_at=new_due,
        signer_name="Võ Thị Ngọc Hân",
        signer_title="Giám đốc",
    )
    dossier = _fresh(dossier)
    assert dossier.due_at == new_due and dossier.original_due_at == past
    assert dossier.apologies.get().previous_due_at == past
    _approve(personas, dossier)
    assert _fresh(dossier).status == Status.FINISHED


def test_approve_requires_a_result_file_number_and_a_past_date(personas, accepted):
    dossier = _to_leader(personas, accepted)
    with pytest.raises(DossierError) as refused:
        _approve(personas, dossier, upload=None)
    assert refused.value.code == "result_required"
    with pytest.raises(DossierError) as refused:
        _approve(personas, dossier, result_signed_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.field == "result_signed_on"
    with pytest.raises(DossierError):
        _approve(personas, dossier, upload=Upload("ket-qua.pdf", b"MZ\x90\x00 not a pdf"))
    assert _fresh(dossier).status == Status.PROCESSING
    assert not dossier.documents.filter(kind="result").exists()


def test_approve_only_at_the_approving_step(personas, accepted):
    processing.dossier_forward(dossier=accepted, actor=personas.desk_x)
    with pytest.raises(DossierError):
        _approve(personas, _fresh(accepted))


def test_send_back_returns_to_the_previous_person(personas, accepted):
    dossier = _to_leader(personas, accepted)
    with pytest.raises(DossierError):
        processing.dossier_send_back(dossier=dossier, actor=personas.leader_x, note="")
    processing.dossier_send_back(dossier=_fresh(dossier), actor=personas.leader_x, note="Thẩm định lại")
    step = _fresh(dossier).current_step
    assert (step.role, step.assignee_id, step.note) == (
        "specialist",
        personas.specialist_x.pk,
        "Thẩm định lại",
    )


def test_return_unresolved_needs_a_reason(personas, accepted):
    dossier = _to_leader(personas, accepted)
    with pytest.raises(DossierError):
        results.dossier_return_unresolved(dossier=dossier, actor=personas.leader_x, reason="")
    results.dossier_return_unresolved(
        dossier=_fresh(dossier), actor=personas.leader_x, reason="Không đủ điều kiện"
    )
    dossier = _fresh(dossier)
    assert (dossier.status, dossier.outcome) == (Status.FINISHED, "unresolved")


def test_rating_once_after_return_and_flagged_when_dissatisfied(personas, accepted):
    dossier = _approve(personas, _to_leader(personas, accepted))
    with pytest.raises(DossierError):
        results.dossier_rate(dossier=_fresh(dossier), actor=personas.an, level=4)
    results.dossier_return_result(dossier=_fresh(dossier), actor=personas.desk_x, method="electronic")
    with pytest.raises(DossierError):
        results.dossier_rate(dossier=_fresh(dossier), actor=personas.binh, level=4)
    rating = results.dossier_rate(dossier=_fresh(dossier), actor=personas.an, level=1, comment="Chậm")
    assert rating.flagged and rating.level == Satisfaction.VERY_DISSATISFIED
    with pytest.raises(DossierError) as again:
        results.dossier_rate(dossier=_fresh(dossier), actor=personas.an, level=5)
    assert again.value.code == "already_rated"
    assert DossierRating.objects.count() == 1


def test_a_pause_after_an_apology_keeps_the_later_date_and_warns_again(personas, accepted):
    dossier = _to_leader(personas, accepted)
    new_due = dossier.due_at + timedelta(days=5)
    results.dossier_apologize(
        dossier=dossier,
        actor=personas.leader_x,
        reason="Chờ ý kiến cơ quan phối hợp",
        new_due_at=new_due,
        signer_name="Võ Thị Ngọc Hân",
        signer_title="Giám đốc",
    )
    Dossier.objects.filter(pk=dossier.pk).update(late_notified_at=timezone.now())
    processing.dossier_stop(dossier=_fresh(dossier), actor=personas.leader_x, reason="Chờ xác minh")
    from motcua.dossiers.services import dossier_due

    # accepted on Monday 16/11/2026 at 08:00, stopped an hour later until now: the pause is inside the clock
    local = timezone.get_default_timezone()
    accepted_at = datetime(2026, 11, 16, 8, 0, tzinfo=local)
    Dossier.objects.filter(pk=dossier.pk).update(accepted_at=accepted_at)
    DossierPause.objects.filter(dossier=dossier).update(started_at=datetime(2026, 11, 16, 9, 0, tzinfo=local))
    base = dossier_due(dossier=_fresh(dossier), start=accepted_at)
    Dossier.objects.filter(pk=dossier.pk).update(original_due_at=base)
    before = _fresh(dossier)
    step_due = before.current_step.due_at
    processing.dossier_resume(dossier=before, actor=personas.leader_x)
    after = _fresh(dossier)
    shift = after.original_due_at - base
    assert shift > timedelta(0)
    assert after.due_at == new_due + shift  # the apology's date is kept, moved by the pause
    assert after.current_step.due_at == step_due + shift
    assert after.late_notified_at is None


def test_apology_numbers_count_per_responsible_agency(personas, accepted):
    dossier = _to_leader(personas, accepted)
    for days in (2, 4):
        results.dossier_apologize(
            dossier=_fresh(dossier),
            actor=personas.leader_x,
            reason="Chậm",
            new_due_at=_fresh(dossier).due_at + timedelta(days=days),
            signer_name="Võ Thị Ngọc Hân",
            signer_title="Giám đốc",
        )
    year = timezone.localdate().year
    assert list(dossier.apologies.order_by("issued_at").values_list("number", flat=True)) == [
        f"001/{year}/PXL",
        f"002/{year}/PXL",
    ]


def test_an_action_not_allowed_from_the_current_state_is_refused(personas, accepted):
    dossier = _to_leader(personas, accepted)
    processing.dossier_stop(dossier=dossier, actor=personas.leader_x, reason="Chờ xác minh")
    stopped = _fresh(dossier)
    with pytest.raises(DossierError) as refused:
        _approve(personas, stopped)
    assert refused.value.code == "not_allowed"
    assert "Dừng xử lý" in refused.value.message
    with pytest.raises(DossierError) as refused:
        processing.dossier_payment_request(
            dossier=stopped, actor=personas.leader_x, description="Phí", amount=1
        )
    assert refused.value.code == "not_allowed"
    after = _fresh(dossier)
    assert (after.status, after.revision) == (Status.STOPPED, stopped.revision)
    assert not after.documents.filter(kind="result").exists()
