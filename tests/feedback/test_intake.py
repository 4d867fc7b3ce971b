"""Intake from the web form, the hotline desk and the API: checks, the queued second half (routing by category ×
commune, the acknowledgement), messages."""

import pytest

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.feedback.errors import FeedbackInvalid
from motcua.feedback.intake import Photo, report_intake_complete, report_submit
from motcua.feedback.models import Assignment, Report
from motcua.notifications.models import Notification
from tests.dossiers.conftest import pdf_bytes
from tests.feedback.conftest import jpeg_bytes, submitted

pytestmark = pytest.mark.django_db


def test_report_submit_routes_by_the_category_default_rule(report, fb):
    assert report.status == "routed"
    assert report.code.startswith("PA26") and len(report.code) == 10
    share = report.assignments.get()
    assert share.agency == fb.agency_z and share.state == Assignment.State.PENDING
    assert report.agencies_label == "Sở Xây dựng"
    assert report.due_at == share.due_at and report.routed_at is not None
    assert report.photos.count() == 1 and report.photos.get().content_type == "image/jpeg"
    events = AuditEvent.objects.filter(object_type="feedback.report", object_id=str(report.pk)).order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["feedback.report.received", "feedback.report.routed"]


def test_report_submit_routes_by_the_commune_rule(fb, field_data):
    field_data["commune"] = fb.commune_a.code
    report = submitted(actor=SYSTEM, channel="web", data=field_data)
    assert [a.agency for a in report.assignments.all()] == [fb.agency_y]


def test_report_submit_without_rule_waits_for_an_operator(fb):
    data = {
        "category": "gop-y",
        "description": "Đề nghị mở cửa bộ phận một cửa sáng thứ Bảy.",
        "anonymous": True,
    }
    report = submitted(actor=SYSTEM, channel="web", data=data)
    assert report.status == "received" and report.anonymous and not report.assignments.exists()
    assert report.kind == "question"
    assert Notification.objects.filter(object_id=str(report.pk)).count() == 0  # nobody to tell


@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it is done
def test_report_submit_writes_the_report_and_queues_routing_and_acknowledgement(fb, field_data):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    report = report_submit(
        actor=SYSTEM, channel="web", data=field_data, photos=[Photo("a.jpg", jpeg_bytes())]
    )
    assert report.status == "received" and not report.assignments.exists() and report.photos.count() == 1
    assert not Notification.objects.filter(object_id=str(report.pk)).exists()
    queued = DBTaskResult.objects.get(task_path="motcua.feedback.tasks.complete_intake")
    assert queued.args_kwargs["args"] == [report.pk]

    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, reload=False, verbosity=0)
    report.refresh_from_db()
    assert (report.status, report.agencies_label) == ("routed", "Sở Xây dựng")
    assert report.routed_at >= report.received_at
    assert DBTaskResult.objects.get(pk=queued.pk).status == "SUCCESSFUL"
    sent = Notification.objects.filter(object_id=str(report.pk), event="feedback.report.received")
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]


def test_intake_completion_run_twice_routes_and_acknowledges_once(report):
    assert report_intake_complete(report_id=report.pk) == "routed"
    assert report.assignments.count() == 1
    assert (
        Notification.objects.filter(object_id=str(report.pk), event="feedback.report.received").count() == 2
    )
    assert report_intake_complete(report_id=10**9) == "missing"


def test_intake_completion_after_an_operator_routed_only_acknowledges(fb, field_data):
    from motcua.feedback.services import report_route

    report = report_submit(actor=SYSTEM, channel="web", data=field_data)
    report_route(report=report, agencies=[fb.agency_y], actor=fb.hotline)
    assert report_intake_complete(report_id=report.pk) == "routed"
    assert [a.agency for a in report.assignments.all()] == [fb.agency_y]
    assert Notification.objects.filter(object_id=str(report.pk), event="feedback.report.received").exists()


def test_intake_completion_leaves_a_rejected_report_alone(fb, field_data):
    from motcua.feedback.services import report_reject

    report = report_submit(actor=SYSTEM, channel="web", data=field_data)
    report_reject(report=report, actor=fb.hotline, reason="Nội dung không rõ ràng")
    assert report_intake_complete(report_id=report.pk) == "rejected"
    assert not report.assignments.exists()


def test_report_submit_complete_now_routes_in_the_same_call(fb, field_data):
    report = report_submit(
        actor=fb.hotline, channel="phone", data=field_data, recorded_by=fb.hotline, complete_now=True
    )
    assert (report.status, report.agencies_label) == ("routed", "Sở Xây dựng")
    assert (
        Notification.objects.filter(object_id=str(report.pk), event="feedback.report.received").count() == 2
    )


def test_report_submit_acknowledges_once_by_sms_and_email(report):
    sent = Notification.objects.filter(object_id=str(report.pk)).order_by("channel")
    assert [(n.channel, n.recipient, n.event) for n in sent] == [
        ("email", "an@example.vn", "feedback.report.received"),
        ("sms", "0912345678", "feedback.report.received"),
    ]
    sms = sent.get(channel="sms").body
    assert report.code in sms and "/phan-anh/theo-doi/" in sms
    assert "Sở Xây dựng" in sent.get(channel="email").body


def test_report_submit_lists_every_missing_field_at_once(fb):
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data={"category": "giao-thong"})
    assert set(caught.value.errors) == {
        "description",
        "reporter_name",
        "reporter_phone",
        "commune",
        "address",
    }
    assert Report.objects.count() == 0


def test_report_submit_refuses_a_pin_outside_the_province(fb, field_data):
    field_data.update(lat="21.0285", lon="105.8542")  # Hà Nội
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data=field_data)
    assert caught.value.errors == {
        "location": "Vị trí đã chọn nằm ngoài địa bàn tỉnh. Hãy kiểm tra lại vị trí hoặc chọn xã, phường."
    }


def test_report_submit_takes_a_pin_without_an_address(fb, field_data):
    field_data.update(lat="10,9453", lon="106.8243", address="", commune="")
    report = report_submit(actor=SYSTEM, channel="web", data=field_data)
    assert (str(report.lat), str(report.lon)) == ("10.945300", "106.824300")


def test_report_submit_refuses_anonymous_where_the_category_does_not_allow_it(fb, field_data):
    field_data.update(anonymous=True, reporter_name="", reporter_phone="")
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data=field_data)
    assert "anonymous" in caught.value.errors


def test_report_submit_refuses_a_20_mb_photo(fb, field_data, settings):
    big = jpeg_bytes() + b"\0" * (20 * 1024 * 1024)
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data=field_data, photos=[Photo("to.jpg", big)])
    assert caught.value.errors["photos"].startswith("Ảnh “to.jpg” nặng 20.0 MB, vượt giới hạn 8 MB")
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("giay.jpg", pdf_bytes(), "không phải ảnh JPEG hay PNG"),
        ("virus.jpg", b"MZ\x90\x00" * 100, "không dựa vào tên"),
    ],
)
def test_report_submit_checks_photos_by_content(fb, field_data, name, data, code):
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data=field_data, photos=[Photo(name, data)])
    assert code in caught.value.errors["photos"]


def test_report_submit_refuses_a_sixth_photo(fb, field_data):
    photos = [Photo(f"{i}.jpg", jpeg_bytes()) for i in range(6)]
    with pytest.raises(FeedbackInvalid) as caught:
        report_submit(actor=SYSTEM, channel="web", data=field_data, photos=photos)
    assert caught.value.errors == {"photos": "Tối đa 5 ảnh cho một phản ánh."}


def test_report_submit_keeps_html_as_typed(fb, field_data):
    field_data["description"] = '<script>alert("x")</script> ổ gà <b>to</b>'
    report = report_submit(actor=SYSTEM, channel="web", data=field_data)
    assert Report.objects.get(pk=report.pk).description == '<script>alert("x")</script> ổ gà <b>to</b>'


def test_report_submit_by_the_hotline_records_channel_and_operator(fb, field_data):
    report = report_submit(actor=fb.hotline, channel="zalo", data=field_data, recorded_by=fb.hotline)
    assert (report.channel, report.recorded_by) == ("zalo", fb.hotline)
    event = AuditEvent.objects.get(
        object_type="feedback.report", object_id=str(report.pk), action="feedback.report.received"
    )
    assert (event.actor, event.data["channel"]) == (fb.hotline, "zalo")
