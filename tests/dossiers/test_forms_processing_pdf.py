"""The processing forms as PDF (issue 6): Mẫu 04, the control sheet, the generated result, the return letter and
the result receipt — the facts they print, their QR code, when they are refused; and the step timeliness rule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from motcua.dossiers.control import control_rows, step_timeliness, step_timeliness_code
from motcua.dossiers.demo_clock import clock_at
from motcua.dossiers.errors import DossierError
from motcua.dossiers.forms_pdf import form_available, form_filename, form_pdf
from motcua.dossiers.models import DossierDocument, DossierStep
from motcua.dossiers.notify import tracking_url
from motcua.dossiers.processing import dossier_forward, dossier_step_assign
from motcua.dossiers.results import dossier_apologize, dossier_approve, dossier_return_result
from motcua.dossiers.services import dossier_accept
from motcua.notifications.attachments import attachment_render
from motcua.notifications.models import Notification
from motcua.worktime.clock import TZ
from tests.dossiers.conftest import RESULT
from tests.dossiers.test_forms_pdf import QUOC_HIEU, TIEU_NGU, _qr_payloads, _squeezed, _text

pytestmark = pytest.mark.django_db

PROCEDURE = "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"
DELAY = "Chờ Công an tỉnh trả lời văn bản xác minh nhân thân."
UNRESOLVED = "Người yêu cầu không thuộc đối tượng được cấp phiếu theo Điều 7 Luật Lý lịch tư pháp."


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026, Asia/Ho_Chi_Minh (Monday 9 March is a working day)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


# --- step_timeliness: the rule, by hand -----------------------------------------------------------------------

DUE = at(10, 16)  # Tuesday 10/03/2026 16:00


@pytest.mark.parametrize(
    ("ended", "expected"),
    [
        (at(9, 17, 30), "Trước hạn"),  # an earlier date
        (at(10, 9), "Đúng hạn"),  # the same date, before the deadline
        (at(10, 16), "Đúng hạn"),  # exactly at the deadline
        (at(10, 16, 30), "Quá hạn"),  # the same date, after the deadline
        (at(11, 7), "Quá hạn"),  # a later date
        (
            datetime(2026, 3, 9, 17, 30, tzinfo=UTC),
            "Đúng hạn",
        ),  # 00:30 on 10/03 in Vietnam: the local date counts
    ],
)
def test_step_timeliness_of_an_ended_step_compares_dates_then_the_deadline(ended, expected):
    step = DossierStep(due_at=DUE, ended_at=ended, started_at=at(9, 8))

    assert step_timeliness(step) == expected


def test_step_timeliness_of_an_open_step_is_late_only_past_its_deadline():
    step = DossierStep(due_at=DUE, ended_at=None, started_at=at(9, 8))

    assert step_timeliness(step, now=at(10, 15, 59)) == "Đang xử lý"
    assert step_timeliness(step, now=at(10, 16)) == "Đang xử lý"
    assert step_timeliness(step, now=at(10, 16, 1)) == "Quá hạn"
    assert step_timeliness_code(step, now=at(12, 8)) == "late"


def test_step_timeliness_without_a_deadline_is_on_time_once_ended():
    assert step_timeliness(DossierStep(due_at=None, ended_at=at(20, 8), started_at=at(9, 8))) == "Đúng hạn"
    assert step_timeliness_code(DossierStep(due_at=None, ended_at=None, started_at=at(9, 8))) == "open"


# --- a dossier walked through agency X's default process at known instants ------------------------------------


@pytest.fixture
def proposed(personas, submitted):
    """Record case, 3 working days online = 24 h; default budgets: desk 3 h, specialist 12.6 h, leader 5.4 h.

    Mon 09/03 08:00 accepted (due Thu 12/03 08:00; step 1 due Mon 11:00) → Mon 10:00 forwarded (on time; step 2
    due Tue 16:36) → Mon 15:00 proposed by the specialist (early; step 3, the leader's, due Tue 10:24)."""
    with clock_at(at(9, 8)) as clock:
        dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
        clock.set(at(9, 10))
        dossier = dossier_forward(dossier=dossier, actor=personas.desk_x, note="Hồ sơ đầy đủ.")
        dossier_step_assign(dossier=dossier, actor=personas.specialist_x, assignee=personas.specialist_x)
        clock.set(at(9, 15))
        return dossier_forward(dossier=dossier, actor=personas.specialist_x, note="Đề nghị cấp phiếu.")


@pytest.fixture
def walked(personas, proposed):
    """… → Tue 10/03 14:00 approved (late: the same date, after 10:24; step 4 due Tue 17:00, open)."""
    with clock_at(at(10, 14)):
        return dossier_approve(
            dossier=proposed,
            actor=personas.leader_x,
            result_signed_on=date(2026, 3, 10),
            generate=True,
            **RESULT,
        )


def test_control_rows_name_each_hand_off_with_its_instants_and_result(personas, walked):
    rows = control_rows(walked, now=at(10, 16))

    simplified = [
        (r["from_agency"], r["from_person"], r["to_agency"], r["to_person"], r["step"], r["handed_at"],
         r["due_at"], r["ended_at"], r["timeliness"], r["note"])
        for r in rows
    ]  # fmt: skip
    assert simplified == [
        ("", "Nguyễn Văn An", "Sở Tư pháp", "Nguyễn Thị Thu Trang", "Tiếp nhận, chuyển xử lý",
         "08:00 09/03/2026", "11:00 09/03/2026", "10:00 09/03/2026", "Đúng hạn", ""),
        ("Sở Tư pháp", "Nguyễn Thị Thu Trang", "Sở Tư pháp", "Lê Hoàng Nam", "Thẩm định, đề xuất",
         "10:00 09/03/2026", "16:36 10/03/2026", "15:00 09/03/2026", "Trước hạn", "Hồ sơ đầy đủ."),
        ("Sở Tư pháp", "Lê Hoàng Nam", "Sở Tư pháp", "Võ Thị Ngọc Hân", "Phê duyệt kết quả",
         "15:00 09/03/2026", "10:24 10/03/2026", "14:00 10/03/2026", "Quá hạn", "Đề nghị cấp phiếu."),
        ("Sở Tư pháp", "Võ Thị Ngọc Hân", "Sở Tư pháp", "", "Trả kết quả",
         "14:00 10/03/2026", "17:00 10/03/2026", "", "Đang xử lý", ""),
    ]  # fmt: skip
    assert [r["timeliness_code"] for r in control_rows(walked, now=at(11, 8))] == [
        "on_time", "early", "late", "late",
    ]  # fmt: skip


def test_control_sheet_pdf_prints_the_dossier_and_one_row_per_step(personas, walked, tmp_path):
    with clock_at(at(10, 16)):
        pdf = form_pdf(dossier=walked, form="control")

    text = _text(pdf)
    assert QUOC_HIEU in text and TIEU_NGU in text
    assert "SỞ TƯ PHÁP" in text
    assert f"Số: {walked.code}" in text
    assert "Đồng Nai, ngày 09 tháng 03 năm 2026" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số: {walked.code})" in text
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp" in text
    assert "Họ và tên người nộp: Nguyễn Văn An (nộp trực tuyến)" in text
    assert "Số điện thoại: 0912345678; thư điện tử: an@example.vn" in text
    assert f"Nội dung yêu cầu giải quyết: {PROCEDURE}" in text
    assert (
        "Thời gian nhận hồ sơ: 08:00 ngày 09/03/2026; thời gian giải quyết theo quy định: 3 ngày làm việc"
        in text
    )
    assert "Thời gian hẹn trả kết quả: 08:00 ngày 12/03/2026" in text
    assert "hẹn lại" not in text
    assert "Tờ khai theo mẫu" in text
    for fact in ("16:36 10/03/2026", "10:24 10/03/2026", "Đề nghị cấp phiếu."):
        assert fact in text
    assert [text.count(label) for label in ("Trước hạn", "Đúng hạn", "Quá hạn", "Đang xử lý")] == [1, 1, 1, 1]
    assert text.count("Người giao") == 2 and text.count("Người nhận") >= 2  # the signature columns
    assert _qr_payloads(pdf, tmp_path) == [tracking_url(walked)]
    assert form_filename(walked, "control") == f"phieu-kiem-soat-{walked.code}.pdf"


def test_generated_result_is_stored_with_its_number_date_basis_and_signer(personas, walked):
    document = DossierDocument.objects.get(dossier=walked, kind=DossierDocument.Kind.RESULT)

    assert document.original_name == f"ket-qua-{walked.code}.pdf"
    assert document.content_type == "application/pdf"
    text = _text(document.file.read())
    assert "Số: 15/QĐ-STP" in text
    assert "Đồng Nai, ngày 10 tháng 03 năm 2026" in text
    assert RESULT["result_summary"].upper() in text
    assert "Căn cứ Luật Hộ tịch số 60/2014/QH13;" in text
    assert f"Căn cứ hồ sơ mã {walked.code} tiếp nhận ngày 09/03/2026" in text
    assert "Ông/Bà: Nguyễn Văn An; ngày sinh: 12/03/1990" in text
    assert "Số định danh cá nhân (CCCD): 075090001234" in text
    assert f"Chấp thuận yêu cầu “{PROCEDURE}” của Ông/Bà Nguyễn Văn An theo hồ sơ mã {walked.code}." in text
    assert text.endswith("SỞ TƯ PHÁP (Ký, ghi rõ họ tên và đóng dấu) Võ Thị Ngọc Hân")
    assert _squeezed(tracking_url(walked)) in _squeezed(text)


def test_result_receipt_prints_who_received_the_result_and_when(personas, walked):
    with clock_at(at(10, 16, 5)):
        returned = dossier_return_result(
            dossier=walked, actor=personas.desk_x, method="desk", returned_to="Trần Thị Bình"
        )

    text = _text(form_pdf(dossier=returned, form="result_receipt"))
    assert "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ" in text
    assert "Đồng Nai, ngày 10 tháng 03 năm 2026" in text
    assert f"Tên thủ tục hành chính: {PROCEDURE}" in text
    assert "Chủ hồ sơ: Nguyễn Văn An; địa chỉ: 12 Đường Võ Thị Sáu, Phường Biên Hòa, Đồng Nai" in text
    assert "Số, ký hiệu: 15/QĐ-STP; ngày ký: 10/03/2026" in text
    assert f"Trích yếu: {RESULT['result_summary']}" in text
    assert "Thời gian trả kết quả: 16:05 ngày 10/03/2026" in text
    assert "Hình thức trả kết quả: Nhận tại bộ phận một cửa" in text
    assert "Người nhận kết quả: Trần Thị Bình" in text
    assert text.endswith(
        "NGƯỜI NHẬN KẾT QUẢ NGƯỜI TRẢ KẾT QUẢ (Ký và ghi rõ họ tên) (Ký và ghi rõ họ tên) "
        "Trần Thị Bình Nguyễn Thị Thu Trang"
    )


def test_result_receipt_of_a_postal_return_prints_the_tracking_number(personas, walked):
    with clock_at(at(10, 16, 5)):
        returned = dossier_return_result(
            dossier=walked, actor=personas.desk_x, method="post", post_tracking_number="EB123456789VN"
        )

    text = _text(form_pdf(dossier=returned, form="result_receipt"))
    assert "Hình thức trả kết quả: Nhận qua bưu chính; số hiệu bưu gửi: EB123456789VN" in text
    assert "Người nhận kết quả:" not in text


# --- the apology (Mẫu 04) and the return letter --------------------------------------------------------------


@pytest.fixture
def apologized(personas, proposed):
    """Apologised twice by the leader (Wed 11/03 16:00, then Fri 13/03 09:00): the form prints the latest one."""
    with clock_at(at(11, 16)) as clock:
        dossier = dossier_apologize(
            dossier=proposed, actor=personas.leader_x, reason="Lý do đầu tiên.", new_due_at=at(13, 16),
            signer_name="Võ Thị Ngọc Hân", signer_title="Giám đốc",
        )  # fmt: skip
        clock.set(at(13, 9))
        return dossier_apologize(
            dossier=dossier, actor=personas.leader_x, reason=DELAY, new_due_at=at(16, 16),
            signer_name="Võ Thị Ngọc Hân", signer_title="Giám đốc Sở Tư pháp",
        )  # fmt: skip


def test_apology_pdf_prints_the_latest_apology_of_mau_04(personas, apologized, tmp_path):
    pdf = form_pdf(dossier=apologized, form="apology")

    text = _text(pdf)
    assert QUOC_HIEU in text and TIEU_NGU in text
    assert "UBND TỈNH ĐỒNG NAI" in text and "SỞ TƯ PHÁP" in text
    assert "Số: 002/2026/PXL" in text
    assert "Đồng Nai, ngày 13 tháng 03 năm 2026" in text
    assert "V/v xin lỗi đối với hồ sơ giải quyết quá hạn và hẹn lại thời gian trả kết quả" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ Kính gửi: Nguyễn Văn An" in text
    assert (
        "Ngày 09/03/2026, Sở Tư pháp tiếp nhận hồ sơ của Ông/Bà Nguyễn Văn An đề nghị giải quyết thủ tục hành "
        f"chính: {PROCEDURE}." in text
    )
    assert f"Mã hồ sơ: {apologized.code}" in text
    assert (
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:00 ngày 13/03/2026." in text
    )  # the previous promise
    assert f"Lý do: {DELAY}" in text
    assert "Lý do đầu tiên." not in text
    assert "xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào 16:00 ngày 16/03/2026." in text
    assert "Nơi nhận kết quả: Nhận tại bộ phận một cửa — Sở Tư pháp." in text
    assert f"- Như trên; - Sở Tư pháp (để trả cho công dân); - Lưu: VT, hồ sơ {apologized.code}." in text
    assert "GIÁM ĐỐC SỞ TƯ PHÁP" in text  # the signer's title, then their name
    assert text.endswith("(Ký, ghi rõ họ tên và đóng dấu) Võ Thị Ngọc Hân")
    assert _qr_payloads(pdf, tmp_path) == [tracking_url(apologized)]


def test_control_sheet_shows_the_original_and_the_apology_dates(apologized):
    text = _text(form_pdf(dossier=apologized, form="control"))

    assert (
        "Thời gian hẹn trả kết quả: 08:00 ngày 12/03/2026; hẹn lại theo Phiếu xin lỗi số 002/2026/PXL: "
        "16:00 ngày 16/03/2026" in text
    )


def test_apology_email_carries_mau_04_through_the_attachment_renderer(apologized):
    notification = Notification.objects.get(
        event="dossiers.dossier.apologized", channel="email", body__contains=DELAY
    )

    filename, content, mimetype = attachment_render(notification.attachment)

    assert notification.attachment == f"dossier-form:apology:{apologized.pk}"
    assert (filename, mimetype) == (f"mau-04-xin-loi-{apologized.code}.pdf", "application/pdf")
    assert f"Lý do: {DELAY}" in _text(content)


def test_unresolved_letter_prints_the_reason_and_the_signing_leader(personas, proposed):
    from motcua.dossiers.results import dossier_return_unresolved

    personas.desk_x.phone = "0251381234"
    personas.desk_x.save(update_fields=["phone"])
    with clock_at(at(11, 10)):
        dossier = dossier_return_unresolved(dossier=proposed, actor=personas.leader_x, reason=UNRESOLVED)
    notification = Notification.objects.get(event="dossiers.dossier.returned_unresolved", channel="email")

    filename, content, _mimetype = attachment_render(notification.attachment)

    assert filename == f"tra-lai-ho-so-{dossier.code}.pdf"
    text = _text(content)
    assert "Số: …… Đồng Nai, ngày 11 tháng 03 năm 2026" in text
    assert f"Ngày 09/03/2026, Sở Tư pháp đã tiếp nhận hồ sơ mã {dossier.code}" in text
    assert "V/v trả lại hồ sơ" in text
    assert "VĂN BẢN TRẢ LẠI HỒ SƠ Kính gửi: Nguyễn Văn An" in text
    assert (
        f"Sở Tư pháp đã tiếp nhận hồ sơ mã {dossier.code} đề nghị giải quyết thủ tục hành chính “{PROCEDURE}”."
        in text
    )
    assert f"với lý do cụ thể như sau: {UNRESOLVED}" in text
    assert "Mọi thắc mắc xin liên hệ cán bộ Nguyễn Thị Thu Trang, số điện thoại 0251381234." in text
    assert text.endswith("SỞ TƯ PHÁP (Ký, ghi rõ họ tên và đóng dấu) Võ Thị Ngọc Hân")


# --- refused when the dossier does not have the facts ---------------------------------------------------------


def test_no_processing_form_is_available_for_a_submitted_dossier(submitted):
    forms = ("control", "apology", "result", "unresolved", "result_receipt")

    assert [form_available(submitted, form) for form in forms] == [False] * 5


def test_processing_forms_are_refused_until_the_dossier_has_their_facts(in_processing):
    assert form_available(in_processing, "control") is True
    for form in ("apology", "result", "unresolved", "result_receipt"):
        assert form_available(in_processing, form) is False
        with pytest.raises(DossierError) as refused:
            form_pdf(dossier=in_processing, form=form)
        assert refused.value.code == "form_unavailable"
        assert refused.value.message == f"Hồ sơ {in_processing.code} chưa có phiếu này."


def test_result_and_receipt_become_available_at_approval_and_return(personas, approved):
    assert (form_available(approved, "result"), form_available(approved, "unresolved")) == (True, False)
    assert form_available(approved, "result_receipt") is False

    returned = dossier_return_result(dossier=approved, actor=personas.desk_x, method="electronic")

    assert form_available(returned, "result_receipt") is True
