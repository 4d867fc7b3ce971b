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
