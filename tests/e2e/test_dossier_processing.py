"""A dossier goes from acceptance through two agencies (liên thông) to its result and return, and the citizen
rates the service — each person in their own browser."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)
import pytest
from django.utils import timezone

from motcua.catalog.models import ProcessStep
from motcua.catalog.processes import process_template_create
from motcua.core.audit import SYSTEM
from motcua.directory.models import Role
from motcua.directory.services import staff_assign
from motcua.dossiers.models import Dossier, DossierRating, Status
from tests.dossiers.conftest import (  # noqa: F401  (shared fixtures)
    applicant,
    pdf_bytes,
    record_case,
    submitted,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(browser, live_server, username, password):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return context, page


def _open_from_inbox(page, code, scope="mine"):
    page.goto(f"/can-bo/ho-so/xu-ly/?xem={scope}")
    page.get_by_role("link", name=code).click()


def test_dossier_through_two_agencies_to_return_and_rating(
    browser, live_server, personas, password, record_case, submitted, tmp_path
):
    ref = ProcessStep.AgencyRef
    process_template_create(
        case=record_case,
        name="Liên thông Sở Tư pháp – UBND xã",
        steps=[
            {"name": "Tiếp nhận, chuyển xử lý", "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING, "budget_hours": 4},
            {"name": "Thẩm định", "role": Role.SPECIALIST, "agency_ref": ref.RESOLVING, "budget_hours": 16},
            {"name": "Xác nhận của xã, phê duyệt", "role": Role.AGENCY_LEADER, "agency_ref": ref.FIXED,
             "agency": personas.agency_y, "budget_hours": 8, "approves_result": True},
            {"name": "Trả kết quả", "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING, "budget_hours": 4,
             "returns_result": True},
        ],
    )  # fmt: skip
    leader_y = UserFactory(username="lanhdao.y", full_name="Hồ Văn Lực", kind="staff", password=password)
    staff_assign(actor=SYSTEM, user=leader_y, agency=personas.agency_y, role=Role.AGENCY_LEADER)
    result_pdf = tmp_path / "ket-qua.pdf"
    result_pdf.write_bytes(pdf_bytes("Kết quả"))

    # 1. The desk of agency X accepts the online dossier and sends it on.
    context, desk = _login(browser, live_server, "desk.x", password)
    desk.goto("/can-bo/ho-so/")
    desk.get_by_role("link", name=submitted.reference).click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    code = desk.locator("#ma-ho-so").inner_text().strip()
    desk.get_by_label("Ý kiến gửi kèm (không bắt buộc)").fill("Hồ sơ đủ thành phần")
    desk.get_by_role("button", name="Chuyển bước tiếp theo").click()
    desk.wait_for_url("**/can-bo/ho-so/xu-ly/")
    context.close()

    # 2. Agency Y's leader does not see it yet.
    context, leader = _login(browser, live_server, "lanhdao.y", password)
    leader.goto("/can-bo/ho-so/xu-ly/?xem=team")
    assert leader.get_by_role("link", name=code).count() == 0
    context.close()

    # 3. The specialist of X takes the step from the unassigned list and hands it to agency Y.
    context, specialist = _login(browser, live_server, "specialist.x", password)
    _open_from_inbox(specialist, code, scope="unassigned")
    specialist.get_by_role("button", name="Nhận xử lý").click()
    specialist.get_by_label("Ý kiến gửi kèm (không bắt buộc)").fill("Đủ điều kiện, chuyển UBND xã xác nhận")
    specialist.get_by_role("button", name="Chuyển bước tiếp theo").click()
    specialist.wait_for_url("**/can-bo/ho-so/xu-ly/")
    context.close()

    # 4. Agency Y's leader now sees it, tries to approve without a file (refused), then approves with the result.
    context, leader = _login(browser, live_server, "lanhdao.y", password)
    _open_from_inbox(leader, code, scope="team")
    leader.get_by_label("Số, ký hiệu văn bản kết quả").fill("15/XN-UBND")
    leader.get_by_label("Ngày ký (ngày/tháng/năm)").fill(timezone.localdate().strftime("%d/%m/%Y"))
    leader.get_by_label("Người ký").first.fill("Hồ Văn Lực")
    leader.get_by_label("Trích yếu kết quả").fill("Phiếu lý lịch tư pháp số 15")
    leader.get_by_role("button", name="Phê duyệt kết quả").click()
    assert "Cần tải lên văn bản kết quả" in leader.get_by_role("alert").inner_text()
    assert leader.get_by_label("Số, ký hiệu văn bản kết quả").input_value() == "15/XN-UBND"  # nothing lost
    leader.get_by_label("Văn bản kết quả đã ký (PDF, JPEG hoặc PNG)").set_input_files(str(result_pdf))
    leader.get_by_role("button", name="Phê duyệt kết quả").click()
    leader.wait_for_url("**/can-bo/ho-so/xu-ly/")
    context.close()
    assert Dossier.objects.get(pk=submitted.pk).status == Status.FINISHED

    # 5. The desk of X hands the result over and sees the steps of both agencies.
    context, desk = _login(browser, live_server, "desk.x", password)
    _open_from_inbox(desk, code)
    steps = desk.locator("#cac-buoc").inner_text()
    assert "Sở Tư pháp" in steps and personas.agency_y.name in steps
    desk.get_by_label("Nhận tại bộ phận một cửa").check()
    desk.get_by_label("Họ tên người nhận (khi trả tại quầy)").fill("Nguyễn Văn An")
    desk.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    desk.wait_for_url("**/can-bo/ho-so/xu-ly/")
    context.close()

    # 6. Citizen An sees the result, downloads it, and rates the service.
    context, citizen = _login(browser, live_server, "an", password)
    citizen.goto(f"/ho-so/{submitted.public_id}/")
    assert "Phiếu lý lịch tư pháp số 15" in citizen.locator("#ket-qua").locator("..").inner_text()
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_label("Ý kiến (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn Ông/Bà đã đánh giá" in citizen.content()
    context.close()
    rating = DossierRating.objects.get(dossier=submitted)
    assert (rating.level, rating.comment) == (4, "Cán bộ hướng dẫn tận tình")
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.RETURNED and dossier.returned_to == "Nguyễn Văn An"
    assert list(dossier.steps.order_by("sequence").values_list("agency_id", flat=True)) == [
        dossier.receiving_agency_id, personas.agency_x.pk, personas.agency_y.pk, dossier.receiving_agency_id,
    ]  # fmt: skip
