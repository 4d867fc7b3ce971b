"""A citizen reports a problem with a photo and no map on a 360 px phone, without an account; the hotline operator
routes it; the agency answers; the coordinator publishes; the citizen says "không hài lòng" and it reopens."""

import pytest

from motcua.feedback.models import Category, Report
from tests.feedback.conftest import fb, jpeg_bytes  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # the personal link in the messages points at this server


def _staff_page(browser, live_server, username, password):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")
    return context, page


def test_citizen_reports_operator_routes_agency_answers_citizen_reopens(
    page,
    browser,
    live_server,
    fb,  # noqa: F811
    password,
    tmp_path,
):
    Category.objects.create(
        code="khac", name="Vấn đề khác", kinds=["field", "question"], answer_days=10, order=9
    )
    photo = tmp_path / "cay-do.jpg"
    photo.write_bytes(jpeg_bytes(80, 60))

    # 1. the citizen, on a phone, no account, no map: commune + address, one photo
    page.goto("/phan-anh/gui/")
    assert page.evaluate(FITS)
    page.get_by_label("Lĩnh vực", exact=True).select_option(label="Vấn đề khác")
    page.get_by_label("Nội dung phản ánh").fill("Cây đổ chắn ngang đường <b>sau bão</b>, xe không qua được.")
    page.get_by_label("Ảnh chụp (tối đa 5 ảnh)").set_input_files(str(photo))
    page.get_by_label("Xã, phường nơi xảy ra sự việc").select_option(label="Phường Trấn Biên")
    page.get_by_label("Địa chỉ hoặc mô tả địa điểm").fill("Đầu hẻm 45 đường Phạm Văn Thuận")
    page.get_by_label("Họ và tên", exact=True).fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại", exact=True).fill("09876543")  # one digit short
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert "Số điện thoại gồm 10 chữ số" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Địa chỉ hoặc mô tả địa điểm").input_value() == "Đầu hẻm 45 đường Phạm Văn Thuận"
    # the photo was kept: nothing to choose again on a weak connection
    assert (
        "cay-do.jpg"
        in page.get_by_role(
            "group", name="Ảnh đã gửi lần trước, đã được giữ lại (không cần chọn lại)"
        ).inner_text()
    )
    page.get_by_label("Số điện thoại", exact=True).fill("0987654321")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url("**/phan-anh/da-gui/**")
    code = page.locator("#ma-phan-anh").inner_text().strip()
    follow = page.locator("#duong-dan-rieng").get_attribute("href")
    assert page.evaluate(FITS)
    report = Report.objects.get(code=code)
    assert (report.status, report.photos.count(), report.lat) == ("received", 1, None)

    # 2. the operator routes it to agency Z
    context, operator = _staff_page(browser, live_server, "hotline", password)
    operator.goto("/can-bo/phan-anh/")
    operator.get_by_role("link", name=code).click()
    operator.get_by_label("Cơ quan xử lý (chọn một hoặc nhiều)").select_option(label="Sở Xây dựng")
    operator.get_by_role("button", name="Chuyển xử lý").click()
    assert operator.locator("#trang-thai").inner_text() == "Đã chuyển xử lý"
    context.close()

    # 3. the agency accepts and answers
    context, agency = _staff_page(browser, live_server, "specialist.z", password)
    agency.goto(f"/can-bo/phan-anh/{code}/")
    assert "<b>sau bão</b>" in agency.locator("#noi-dung").inner_text()  # shown as text, never as HTML
    agency.get_by_role("button", name="Nhận xử lý").click()
    agency.get_by_label("Nội dung trả lời").fill("Đội công trình đô thị đã cắt dọn cây đổ, đường thông xe.")
    agency.get_by_role("button", name="Gửi trả lời").click()
    assert agency.locator("#trang-thai").inner_text() == "Đã có kết quả, chờ công khai"
    context.close()

    # 4. the coordinator publishes (the description is redacted there)
    context, coordinator = _staff_page(browser, live_server, "coordinator", password)
    coordinator.goto(f"/can-bo/phan-anh/{code}/")
    coordinator.get_by_label("Nội dung phản ánh được công khai").fill("Cây đổ chắn ngang đường sau bão.")
    coordinator.get_by_role("button", name="Công khai kết quả").click()
    assert coordinator.locator("#trang-thai").inner_text() == "Đã công khai kết quả"
    context.close()

    # 5. the citizen reads the answer through the personal link and is not satisfied: it reopens
    page.goto(follow)
    assert "đường thông xe" in page.locator("#tra-loi").inner_text()
    page.get_by_label("Không hài lòng (phản ánh được mở lại để xử lý tiếp)").check()
    page.get_by_label("Ý kiến thêm (nếu có)").fill("Cành cây vẫn còn trên vỉa hè.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    assert page.locator("#trang-thai").inner_text() == "Đang xử lý"
    assert page.evaluate(FITS)
    report.refresh_from_db()
    assert (report.status, report.reopened_count, report.assignments.get().state) == (
        "in_progress",
        1,
        "accepted",
    )

    # the public page lists it as being reworked, without the citizen's name
    page.goto("/phan-anh/")
    assert code in page.locator("#danh-sach").inner_text()
    assert "Trần Thị Bình" not in page.content()
