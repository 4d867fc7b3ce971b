import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_officer_opens_home_logs_in_and_sees_the_staff_area(page, personas, password):
    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto("/")
    assert page.locator("h1").inner_text() == "Cổng dịch vụ công"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )  # no sideways scroll at 360px

    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("desk.x")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/can-bo/")
    assert page.locator("h1").inner_text() == "Khu vực cán bộ"
    assert page.get_by_role("cell", name="Cán bộ một cửa (tiếp nhận và trả kết quả)").is_visible()
    assert "Sở Tư pháp" in page.content()
    assert csp_violations == []


def test_keyboard_user_reaches_main_content_with_the_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_visitor_switches_the_site_to_english(page):
    page.goto("/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Public service portal"


def test_citizen_registers_an_account_and_is_logged_in(page, places):
    page.goto("/dang-nhap/")
    page.get_by_role("link", name="Đăng ký tài khoản").click()
    page.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    page.get_by_label("Số CCCD / định danh cá nhân (12 số)").fill("070152007788")
    page.get_by_label("Ngày sinh (ngày/tháng/năm)").fill("20/05/1953")  # a slip: the CCCD says 1952
    page.get_by_label("Số điện thoại").fill("0369123456")
    page.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill("hoa-trong-vuon-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-trong-vuon-2026")
    page.get_by_role("button", name="Tạo tài khoản").click()

    assert page.get_by_role("alert").is_visible()
    assert "không khớp với ngày sinh" in page.content()
    assert page.get_by_label("Họ và tên").input_value() == "Lê Thị Hoa"  # nothing typed is lost
    page.get_by_label("Ngày sinh (ngày/tháng/năm)").fill("20/05/1952")
    page.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill("hoa-trong-vuon-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("hoa-trong-vuon-2026")
    page.get_by_role("button", name="Tạo tài khoản").click()

    page.wait_for_url("**/")
    assert "Đã tạo tài khoản" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
