"""The deadline job: who is told that a step or a dossier is due within 24 working hours or late — once each."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.directory.models import Role
from motcua.directory.services import staff_assign
from motcua.dossiers.deadlines import _claim, deadlines_notify
from motcua.dossiers.demo_clock import clock_at
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.processing import dossier_forward, dossier_step_assign, dossier_stop
from motcua.dossiers.services import dossier_accept
from motcua.notifications.models import Notification
from motcua.worktime.clock import TZ
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


ZERO = {"steps_late": 0, "steps_due_soon": 0, "dossiers_late": 0, "dossiers_due_soon": 0, "messages": 0}


@pytest.fixture
def specialist_2(personas):
    user = UserFactory(username="specialist.2", full_name="Phan Thị Mai", kind="staff")
    staff_assign(actor=SYSTEM, user=user, agency=personas.agency_x, role=Role.SPECIALIST)
    return user


@pytest.fixture
def dossier(personas, submitted, specialist_2):
    """Accepted Mon 09/03/2026 08:00 (3 working days: due Thu 12/03 08:00); forwarded at 10:00 to the specialist
    step of agency X, nobody assigned yet (step 2 due Tue 10/03 16:36)."""
    with clock_at(at(9, 8)) as clock:
        accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
        clock.set(at(9, 10))
        forwarded = dossier_forward(dossier=accepted, actor=personas.desk_x, note="Chuyển thẩm định.")
    Notification.objects.all().delete()  # the applicant's messages of acceptance and forwarding
    return forwarded


def _sent() -> list[tuple[str, str, str]]:
    return sorted(Notification.objects.values_list("event", "recipient", "subject"))


def test_deadlines_tell_the_role_holders_and_leaders_of_an_unassigned_step_once(personas, dossier):
    counts = deadlines_notify(now=at(9, 10, 30))  # 24 working hours later: Thu 12/03 10:30

    assert counts == {**ZERO, "steps_due_soon": 1, "dossiers_due_soon": 1, "messages": 6}
    step = f"Hồ sơ {dossier.code}: bước “Thẩm định, đề xuất” sắp đến hạn (16:36 10/03/2026)"
    whole = f"Hồ sơ {dossier.code} sắp đến hạn trả kết quả (08:00 12/03/2026)"
    assert _sent() == sorted(
        [("dossiers.step.due_soon", email, step) for email in ("leader.x@example.vn", "specialist.2@example.vn",
                                                               "specialist.x@example.vn")]
        + [("dossiers.dossier.due_soon", email, whole) for email in ("leader.x@example.vn", "specialist.2@example.vn",
                                                                     "specialist.x@example.vn")]
    )  # fmt: skip
    assert deadlines_notify(now=at(9, 10, 30)) == ZERO
    assert deadlines_notify(now=at(9, 16)) == ZERO
    assert Notification.objects.count() == 6


def test_deadline_message_is_vietnamese_and_says_what_where_and_by_when(personas, dossier):
    deadlines_notify(now=at(9, 10, 30))

    message = Notification.objects.get(event="dossiers.step.due_soon", recipient="specialist.x@example.vn")
    assert message.channel == "email"
    assert message.user == personas.specialist_x
    assert (message.object_type, message.object_id) == ("dossiers.dossier", str(dossier.pk))
    assert message.body == (
        "Kính gửi Lê Hoàng Nam,\n\n"
        f"Bước “Thẩm định, đề xuất” của hồ sơ {dossier.code} tại Sở Tư pháp sắp đến hạn xử lý: 16:36 10/03/2026.\n\n"
        "Thủ tục: Cấp phiếu lý lịch tư pháp cho công dân Việt Nam\n"
        "Người xử lý: chưa phân công\n"
        "Hạn trả kết quả của hồ sơ: 08:00 12/03/2026\n\n"
        f"Xem hồ sơ: http://127.0.0.1:8000/can-bo/ho-so/{dossier.public_id}/\n"
    )


def test_an_assigned_step_is_told_to_its_assignee_and_leaders_only(personas, dossier):
    dossier_step_assign(dossier=dossier, actor=personas.leader_x, assignee=personas.specialist_x)

    deadlines_notify(now=at(9, 10, 30))

    assert sorted(
        Notification.objects.filter(event="dossiers.step.due_soon").values_list("recipient", flat=True)
    ) == [
        "leader.x@example.vn",
        "specialist.x@example.vn",
    ]
    late_body = Notification.objects.filter(event="dossiers.step.due_soon").first().body
    assert "Người xử lý: Lê Hoàng Nam\n" in late_body


def test_a_step_of_a_department_is_told_to_the_department_leader(personas, dossier):
    head = UserFactory(username="truongphong.x", full_name="Trần Văn Đức", kind="staff")
    staff_assign(
        actor=SYSTEM,
        user=head,
        agency=personas.agency_x,
        role=Role.DEPARTMENT_LEADER,
        department=personas.department_x,
    )
    DossierStep.objects.filter(pk=dossier.current_step_id).update(department=personas.department_x)

    deadlines_notify(now=at(9, 10, 30))

    # specialist.2 holds the role outside the department: not told
    assert sorted(
        Notification.objects.filter(event="dossiers.step.due_soon").values_list("recipient", flat=True)
    ) == [
        "leader.x@example.vn",
        "specialist.x@example.vn",
        "truongphong.x@example.vn",
    ]


def test_late_is_told_once_and_never_for_a_finished_step(personas, dossier):
    counts = deadlines_notify(now=at(11, 9))  # step 2 was due Tue 16:36; the dossier is due Thu 08:00

    assert counts == {**ZERO, "steps_late": 1, "dossiers_due_soon": 1, "messages": 6}
    late = f"Hồ sơ {dossier.code}: bước “Thẩm định, đề xuất” đã quá hạn"
    assert (
        sorted(Notification.objects.filter(event="dossiers.step.late").values_list("subject", flat=True))
        == [late] * 3
    )
    first = DossierStep.objects.get(
        dossier=dossier, sequence=1
    )  # desk step: ended at 10:00, due 11:00 Monday
    assert (first.late_notified_at, first.due_soon_notified_at) == (None, None)
    step = DossierStep.objects.get(pk=dossier.current_step_id)
    assert (step.late_notified_at, step.due_soon_notified_at) == (at(11, 9), None)

    counts = deadlines_notify(now=at(12, 9))

    assert counts == {**ZERO, "dossiers_late": 1, "messages": 3}
    body = Notification.objects.filter(event="dossiers.dossier.late").first().body
    assert f"Hồ sơ {dossier.code} đã quá hạn trả kết quả từ 08:00 12/03/2026." in body
    assert "cần lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) gửi công dân." in body
    assert deadlines_notify(now=at(13, 9)) == ZERO


def test_nothing_is_told_beyond_24_working_hours_and_the_boundary_counts(personas, dossier):
    DossierStep.objects.filter(pk=dossier.current_step_id).update(due_at=at(12, 10, 31))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at(12, 10, 30))  # exactly 24 working hours after now

    counts = deadlines_notify(now=at(9, 10, 30))

    assert counts == {**ZERO, "dossiers_due_soon": 1, "messages": 3}
    assert deadlines_notify(now=at(9, 10, 30)) == ZERO


def test_a_stopped_dossier_is_not_chased(personas, dossier):
    with clock_at(at(9, 11)):
        dossier_stop(dossier=dossier, actor=personas.leader_x, reason="Chờ kết quả xác minh.")
    Notification.objects.all().delete()

    assert deadlines_notify(now=at(12, 9)) == ZERO
    assert Notification.objects.count() == 0


def test_each_batch_is_audited_by_the_system(personas, dossier):
    deadlines_notify(now=at(11, 9))

    events = AuditEvent.objects.filter(action="dossiers.deadline.notified").order_by("id")
    assert [(e.actor_type, e.actor_label, e.data) for e in events] == [
        ("system", "Hệ thống", {"kind": "late", "model": "dossierstep", "ids": [dossier.current_step_id], "messages": 3}),
        ("system", "Hệ thống", {"kind": "due_soon", "model": "dossier", "ids": [dossier.pk], "messages": 3}),
    ]  # fmt: skip


def test_a_row_is_claimed_by_one_worker_only(dossier):
    ids = [dossier.pk]

    assert _claim(Dossier, "late_notified_at", ids, at(12, 9)) == ids
    assert _claim(Dossier, "late_notified_at", ids, at(12, 9, 1)) == []
    assert Dossier.objects.get(pk=dossier.pk).late_notified_at == at(12, 9)


def test_run_scheduled_jobs_runs_the_deadline_job_and_prints_its_counts(dossier):
    out = io.StringIO()
    with clock_at(at(9, 10, 30)):
        call_command("run_scheduled_jobs", stdout=out)

    assert out.getvalue().startswith(
        "deadlines: steps_late=0, steps_due_soon=1, dossiers_late=0, dossiers_due_soon=1, messages=6 ("
    )
    assert Notification.objects.count() == 6
    with pytest.raises(CommandError, match="Không có tác vụ định kỳ nhac-han"):
        call_command("run_scheduled_jobs", only=["nhac-han"], stdout=io.StringIO())


def test_run_scheduled_jobs_refreshes_todays_snapshot_of_open_dossiers(dossier):
    from motcua.metrics.models import OpenSnapshot

    out = io.StringIO()
    with clock_at(at(9, 10, 30)):
        call_command("run_scheduled_jobs", only=["metrics_snapshot"], stdout=out)
        call_command(
            "run_scheduled_jobs", only=["metrics_snapshot"], stdout=io.StringIO()
        )  # replaces, no double
    assert out.getvalue().startswith("metrics_snapshot: 1 (")
    rows = list(OpenSnapshot.objects.values_list("day", "agency_id", "open_total"))
    assert rows == [(at(9, 10, 30).date(), dossier.agency_id, 1)]
