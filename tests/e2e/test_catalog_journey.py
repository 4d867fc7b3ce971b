import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_finds_a_procedure_by_typing_without_diacritics(page, catalog):
    page.goto("/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ki khai sinh")
    page.get_by_role("button", name="Tìm").click()

    page.wait_for_url("**/thu-tuc/?q=*")
    first = page.locator("ol.results li a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first.click()

    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    assert page.get_by_role("heading", name="Phí, lệ phí").is_visible()
    assert "Miễn phí" in page.content()
    assert (
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").get_attribute("href")
        == "/thu-tuc/1.001193/nop/"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_filters_procedures_by_field(page, catalog):
    page.goto("/thu-tuc/")
    page.get_by_label("Lĩnh vực").select_option(label="Chứng thực")
    page.get_by_role("button", name="Tìm").click()
    assert page.locator("ol.results li a").all_inner_texts() == [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    ]
