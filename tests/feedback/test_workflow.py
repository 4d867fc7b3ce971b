"""The report's life: route, accept, answer, publish, rate; parallel agencies, send back, merge, escalation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.feedback import citizen, handling, services
from motcua.feedback.errors import FeedbackError, StaleReport
from motcua.feedback.models import Assignment, Event, Rating, Report
from motcua.notifications.models import Notification
from tests.feedback.conftest import submitted

pytestmark = pytest.mark.django_db


def _answered(report, fb, text="Đã vá ổ gà ngày 05/12."):
    handling.report_accept(report=report, agency=fb.agency_z, actor=fb.specialist_z)
    return handling.report_answer(report=report, agency=fb.agency_z, actor=fb.specialist_z, text=text)


def _published(report, fb):
    _answered(report, fb)
    return services.report_publish(
        report=report, actor=fb.coordinator, answer="Đã vá ổ gà.", public_description="Ổ gà giữa đường."
    )


def _actions(report) -> list[str]:
    events = AuditEvent.objects.filter(object_type="feedback.report", object_id=str(report.pk)).order_by("id")
    return [a.rsplit(".", 1)[1] for a in events.values_list("action", flat=True)]


def test_report_answered_published_and_rated_satisfied_closes(report, fb):
    _published(report, fb)
    assert (report.status, report.is_public, report.answer) == ("published", True, "Đã vá ổ gà.")
    assert report.answered_at is not None and report.published_at is not None
    sms = Notification.objects.get(object_id=str(report.pk), event="feedback.report.published", channel="sms")
    assert "da co ket qua" in sms.body
    citizen.report_rate(report=report, satisfied=True, comment="Cảm ơn")
    assert (report.status, report.satisfied) == ("closed", True)
    assert Rating.objects.get(report=report).comment == "Cảm ơn"
    assert _actions(report) == ["received", "routed", "accepted", "answered", "published", "rated_satisfied"]


def test_report_rated_not_satisfied_reopens_for_the_same_agency(report, fb):
    _published(report, fb)
    citizen.report_rate(report=report, satisfied=False, comment="Vá ẩu, lại bong")
    report.refresh_from_db()
    assert (report.status, report.reopened_count, report.satisfied) == ("in_progress", 1, False)
    share = report.assignments.get()
    assert (share.agency, share.state) == (fb.agency_z, Assignment.State.ACCEPTED)
    assert share.due_at > timezone.now()
    assert report.is_public  # still on the public list, as being reworked
    handling.report_answer(report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Đã làm lại.")
    assert Report.objects.get(pk=report.pk).status == "answered"


def test_report_in_two_agencies_is_answered_when_both_answered(report, fb):
    services.report_route(report=report, agencies=[fb.agency_z, fb.agency_y], actor=fb.hotline)
    assert report.agencies_label == "Sở Xây dựng, Ủy ban nhân dân Phường Biên Hòa"
    _answered(report, fb)
    assert report.status == "in_progress"
    handling.report_accept(report=report, agency=fb.agency_y, actor=fb.officer_y)
    handling.report_answer(report=report, agency=fb.agency_y, actor=fb.officer_y, text="Phường đã dọn dẹp.")
    assert report.status == "answered"


def test_report_sent_back_by_its_only_agency_returns_to_the_operator(report, fb):
    handling.report_send_back(
        report=report, agency=fb.agency_z, actor=fb.specialist_z, reason="Đường do xã quản lý"
    )
    assert (report.status, report.return_reason, report.agencies_label) == (
        "returned",
        "Đường do xã quản lý",
        "",
    )
    services.report_route(report=report, agencies=[fb.agency_y], actor=fb.hotline)
    assert report.status == "routed"
    assert [a.state for a in report.assignments.order_by("id")] == ["returned", "pending"]


def test_report_rerouted_withdraws_the_old_share(report, fb):
    services.report_route(report=report, agencies=[fb.agency_y], actor=fb.hotline, note="đúng thẩm quyền")
    assert [(a.agency, a.state) for a in report.assignments.order_by("id")] == [
        (fb.agency_z, "withdrawn"),
        (fb.agency_y, "pending"),
    ]
    assert _actions(report)[-1] == "rerouted"


def test_report_actions_are_refused_to_other_agencies_and_strangers(report, fb):
    for actor in (fb.officer_y, fb.stranger, fb.an):
        with pytest.raises(FeedbackError) as caught:
            handling.report_accept(report=report, agency=fb.agency_z, actor=actor)
        assert caught.value.code == "forbidden"
    for actor in (fb.specialist_z, fb.stranger):
        with pytest.raises(FeedbackError):
            services.report_route(report=report, agencies=[fb.agency_y], actor=actor)
    with pytest.raises(FeedbackError):
        services.report_publish(report=report, actor=fb.hotline, answer="x", public_description="y")
    assert Report.objects.get(pk=report.pk).status == "routed"


def test_report_transition_refuses_a_move_from_the_wrong_state(report, fb):
    with pytest.raises(FeedbackError) as caught:
        citizen.report_rate(report=report, satisfied=True)
    assert (
        caught.value.message
        == f"Không thể đánh giá phản ánh {report.code} khi đang ở trạng thái “Đã chuyển xử lý”."
    )
    assert not Rating.objects.exists()


def test_report_transition_refuses_a_stale_page(report, fb):
    seen = report.revision
    handling.report_note(
        report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Đã gọi điện cho người dân"
    )
    with pytest.raises(StaleReport):
        handling.report_accept(
            report=report, agency=fb.agency_z, actor=fb.specialist_z, expected_revision=seen
        )
    assert report.assignments.get().state == "pending"


def test_report_rejected_with_reason_tells_the_reporter(report, fb):
    services.report_reject(report=report, actor=fb.hotline, reason="Là tố cáo, giải quyết theo Luật Tố cáo")
    assert (report.status, report.assignments.get().state) == ("rejected", "withdrawn")
    email = Notification.objects.get(
        object_id=str(report.pk), event="feedback.report.rejected", channel="email"
    )
    assert "Là tố cáo, giải quyết theo Luật Tố cáo" in email.body
    with pytest.raises(FeedbackError) as caught:
        services.report_reject(report=report, actor=fb.hotline, reason="")
    assert caught.value.code == "reason_required"


def test_report_merged_reporter_hears_the_master_answer(report, fb, field_data):
    field_data.update(reporter_email="binh@example.vn", reporter_name="Trần Thị Bình")
    duplicate = submitted(actor=SYSTEM, channel="web", data=field_data)
    services.report_merge(report=duplicate, into=report, actor=fb.hotline)
    assert (duplicate.status, duplicate.merged_into) == ("merged", report)
    _published(report, fb)
    mail = Notification.objects.get(
        object_id=str(duplicate.pk), event="feedback.report.published", channel="email"
    )
    assert mail.recipient == "binh@example.vn" and "Đã vá ổ gà." in mail.body
    assert duplicate.code in mail.body  # the duplicate's own link


def test_report_merge_refuses_another_category(report, fb):
    other = submitted(
        actor=SYSTEM,
        channel="web",
        data={"category": "gop-y", "description": "Góp ý giờ làm việc.", "anonymous": True},
    )
    with pytest.raises(FeedbackError) as caught:
        services.report_merge(report=other, into=report, actor=fb.hotline)
    assert caught.value.code == "other_category"


def test_report_extension_moves_the_due_date_with_its_reason(report, fb):
    before = report.due_at
    handling.report_accept(report=report, agency=fb.agency_z, actor=fb.specialist_z)
    handling.report_extend(
        report=report, agency=fb.agency_z, actor=fb.specialist_z, working_days=5, reason="Chờ vật tư"
    )
    assert report.due_at > before + timedelta(days=6)
    assert Event.objects.get(report=report, kind="extension").text.startswith("Chờ vật tư (hạn mới:")
    assert (
        Notification.objects.filter(object_id=str(report.pk), event="feedback.report.extended").count() == 2
    )
    with pytest.raises(FeedbackError):
        handling.report_extend(
            report=report, agency=fb.agency_z, actor=fb.specialist_z, working_days=31, reason="x"
        )


def test_report_question_to_the_reporter_and_the_reply(report, fb):
    handling.report_info_request(
        report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Ổ gà ở làn nào?"
    )
    sms = Notification.objects.get(
        object_id=str(report.pk), event="feedback.report.info_requested", channel="sms"
    )
    assert citizen.report_token(report) in sms.body
    citizen.report_info_provide(report=report, text="Làn bên phải, hướng về chợ.")
    assert list(report.events.values_list("kind", "public")) == [("info_request", True), ("info_reply", True)]


def test_report_internal_note_is_not_public(report, fb):
    handling.report_note(report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Đùn đẩy với xã")
    assert report.events.get().public is False


def test_report_revision_request_returns_the_answer_to_the_agency(report, fb):
    _answered(report, fb)
    services.report_revision_request(report=report, actor=fb.coordinator, reason="Nêu rõ ngày hoàn thành")
    assert (report.status, report.assignments.get().state) == ("in_progress", "accepted")


def test_report_publish_strips_gps_from_photos_and_can_hide_one(fb, field_data):
    from PIL import Image

    from motcua.feedback.intake import Photo
    from tests.feedback.conftest import jpeg_bytes

    report = submitted(
        actor=SYSTEM, channel="web", data=field_data,
        photos=[Photo("a.jpg", jpeg_bytes(gps=True)), Photo("b.jpg", jpeg_bytes())],
    )  # fmt: skip
    first, second = report.photos.order_by("id")
    with first.file.open("rb") as f, Image.open(f) as image:
        assert 0x8825 in image.getexif()  # the original keeps its metadata, for the staff
    _answered(report, fb)
    services.report_publish(
        report=report, actor=fb.coordinator, answer="Đã xử lý.", public_description="Ổ gà.",
        hidden_photo_ids=[second.pk],
    )  # fmt: skip
    first.refresh_from_db(), second.refresh_from_db()
    with first.public_file.open("rb") as f, Image.open(f) as image:
        assert 0x8825 not in image.getexif() and 0x010F not in image.getexif()
    assert (second.hidden, bool(second.public_file), report.cover_photo) == (True, False, first)


def test_report_publish_needs_the_redacted_text(report, fb):
    _answered(report, fb)
    with pytest.raises(FeedbackError) as caught:
        services.report_publish(
            report=report, actor=fb.coordinator, answer="Đã xử lý.", public_description=" "
        )
    assert caught.value.field == "public_description"


def test_unclaimed_share_escalates_to_the_coordinator_once(report, fb):
    share = report.assignments.get()
    assert handling.assignment_escalate(assignment_id=share.pk) is False  # not due yet
    Assignment.objects.filter(pk=share.pk).update(claim_due_at=timezone.now() - timedelta(minutes=1))
    assert handling.assignments_escalate_due() == 1
    report.refresh_from_db()
    assert report.escalated_at is not None and report.status == "routed"
    mail = Notification.objects.get(event="feedback.report.escalated")
    assert mail.recipient == "ha@example.vn" and "Sở Xây dựng" in mail.subject
    assert handling.assignments_escalate_due() == 0


def test_claimed_share_does_not_escalate(report, fb):
    share = report.assignments.get()
    handling.report_accept(report=report, agency=fb.agency_z, actor=fb.specialist_z)
    Assignment.objects.filter(pk=share.pk).update(claim_due_at=timezone.now() - timedelta(minutes=1))
    assert handling.assignment_escalate(assignment_id=share.pk) is False


def test_routing_queues_no_timer_the_scheduled_job_escalates_every_overdue_share(report, fb, field_data):
    from django_tasks_db.models import DBTaskResult

    from motcua.core.scheduled import SCHEDULED_JOBS

    services.report_route(report=report, agencies=[fb.agency_y, fb.agency_z], actor=fb.hotline)
    assert not DBTaskResult.objects.filter(task_path="motcua.feedback.tasks.escalate_if_unclaimed").exists()
    assert ("feedback_escalation", "motcua.feedback.handling.assignments_escalate_due") in SCHEDULED_JOBS
    other = submitted(actor=SYSTEM, channel="web", data=field_data)
    Assignment.objects.update(claim_due_at=timezone.now() - timedelta(minutes=1))
    assert handling.assignments_escalate_due(batch=2) == 3  # two batches, read by id
    assert Assignment.objects.filter(escalated_at__isnull=True).count() == 0
    assert Report.objects.get(pk=other.pk).escalated_at is not None


def test_feedback_sweep_command_escalates_overdue_shares(report, fb):
    import io

    from django.core.management import call_command

    Assignment.objects.filter(report=report).update(claim_due_at=timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("feedback_sweep", stdout=out)
    assert out.getvalue().strip() == "Đã báo điều phối 1 phần việc quá hạn nhận xử lý."
    assert Report.objects.get(pk=report.pk).escalated_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_operators_routing_at_the_same_instant_exactly_one_wins(fb, field_data):
    import threading

    from django.db import connection

    from motcua.feedback.intake import report_submit

    received = report_submit(
        actor=SYSTEM, channel="web", data=field_data
    )  # its completion not run: "received"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(actor, agency):
        try:
            barrier.wait(timeout=10)
            services.report_route(
                report=Report.objects.get(pk=received.pk),
                agencies=[agency],
                actor=actor,
                expected_revision=received.revision,
            )
            outcomes.append("won")
        except FeedbackError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(fb.hotline, fb.agency_y)),
        threading.Thread(target=act, args=(fb.coordinator, fb.agency_z)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) in (["not_allowed", "won"], ["stale", "won"])
    report = Report.objects.get(pk=received.pk)
    assert (report.status, report.revision) == ("routed", received.revision + 1)
    assert report.assignments.count() == 1
    assert AuditEvent.objects.filter(action="feedback.report.routed", object_id=str(report.pk)).count() == 1
