"""The actions behind the forms of a report's page in the back office: each reads the form and calls one domain
function, and returns the message shown after it. Refusals (FeedbackError) are shown by `views_feedback.feedback_act`.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.directory.models import Agency
from motcua.feedback import handling, public, services
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import Photo
from motcua.feedback.photos import MAX_PHOTOS


def _revision(request) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


def _agency(request, report) -> Agency:
    from motcua.backoffice.views_feedback import _acting_agency

    agency = _acting_agency(request, report)
    if agency is None:
        raise FeedbackError(_("Cơ quan của bạn không được giao xử lý phản ánh này."), code="forbidden")
    return agency


def _photos(request) -> list[Photo]:
    return [Photo(f.name or "", f.read()) for f in request.FILES.getlist("photos")[: MAX_PHOTOS + 1]]


def route(request, report) -> str:
    ids = [int(v) for v in request.POST.getlist("agencies") if v.isdigit()]
    agencies = list(Agency.objects.filter(pk__in=ids, valid_to__isnull=True))
    services.report_route(
        report=report,
        agencies=agencies,
        actor=request.user,
        note=request.POST.get("note", ""),
        expected_revision=_revision(request),
    )
    return _("Đã chuyển phản ánh đến: %(agencies)s.") % {"agencies": report.agencies_label}


def reject(request, report) -> str:
    services.report_reject(
        report=report,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_revision=_revision(request),
    )
    return _("Đã ghi nhận không tiếp nhận phản ánh; người phản ánh được báo lý do.")


def merge(request, report) -> str:
    into = public.report_find(request.POST.get("into", ""))
    if into is None:
        raise FeedbackError(_("Không có phản ánh mã %(code)s.") % {"code": request.POST.get("into", "")[:20]})
    services.report_merge(report=report, into=into, actor=request.user, expected_revision=_revision(request))
    return _("Đã gộp vào phản ánh %(code)s.") % {"code": into.code}


def accept(request, report) -> str:
    handling.report_accept(
        report=report,
        agency=_agency(request, report),
        actor=request.user,
        expected_revision=_revision(request),
    )
    return _("Đã nhận xử lý phản ánh.")


def note(request, report) -> str:
    handling.report_note(
        report=report, agency=_agency(request, report), actor=request.user, text=request.POST.get("text", "")
    )
    return _("Đã lưu ghi chú nội bộ.")


def info(request, report) -> str:
    handling.report_info_request(
        report=report, agency=_agency(request, report), actor=request.user, text=request.POST.get("text", "")
    )
    return _("Đã gửi đề nghị cung cấp thêm thông tin tới người phản ánh.")


def progress(request, report) -> str:
    handling.report_progress(
        report=report,
        agency=_agency(request, report),
        actor=request.user,
        text=request.POST.get("text", ""),
        photos=_photos(request),
    )
    return _("Đã cập nhật tiến độ.")


def extend(request, report) -> str:
    days = request.POST.get("working_days", "")
    if not days.isdigit():
        raise FeedbackError(_("Số ngày gia hạn phải là số nguyên."), code="bad_days")
    handling.report_extend(
        report=report,
        agency=_agency(request, report),
        actor=request.user,
        working_days=int(days),
        reason=request.POST.get("reason", ""),
    )
    due = timezone.localtime(report.due_at).strftime("%d/%m/%Y") if report.due_at else ""
    return _("Đã gia hạn; hạn trả lời mới: %(due)s.") % {"due": due}


def answer(request, report) -> str:
    handling.report_answer(
        report=report,
        agency=_agency(request, report),
        actor=request.user,
        text=request.POST.get("text", ""),
        expected_revision=_revision(request),
    )
    return _("Đã gửi kết quả trả lời; điều phối viên sẽ duyệt và công khai.")


def send_back(request, report) -> str:
    handling.report_send_back(
        report=report,
        agency=_agency(request, report),
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_revision=_revision(request),
    )
    return _("Đã trả lại phản ánh cho điện thoại viên để chuyển đúng nơi.")


def revision(request, report) -> str:
    services.report_revision_request(
        report=report,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_revision=_revision(request),
    )
    return _("Đã yêu cầu cơ quan hoàn thiện trả lời.")


def publish(request, report) -> str:
    services.report_publish(
        report=report,
        actor=request.user,
        answer=request.POST.get("answer", ""),
        public_description=request.POST.get("public_description", ""),
        is_public=request.POST.get("is_public") == "on",
        hidden_photo_ids=[int(v) for v in request.POST.getlist("hidden_photos") if v.isdigit()],
        expected_revision=_revision(request),
    )
    return _("Đã công khai kết quả và báo cho người phản ánh.")


ACTIONS = {
    "chuyen": route,
    "khong-tiep-nhan": reject,
    "gop": merge,
    "nhan": accept,
    "ghi-chu": note,
    "hoi-them": info,
    "tien-do": progress,
    "gia-han": extend,
    "tra-loi": answer,
    "tra-lai": send_back,
    "yeu-cau-hoan-thien": revision,
    "cong-khai": publish,
}
