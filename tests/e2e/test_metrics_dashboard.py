"""Done when (issue 8): a leader sees the indicators and the 766 score card, drills from a late count to the late
dossiers and downloads the report — on a 360 px phone, under the strict CSP."""

import io

import pytest

from tests.catalog.conftest import catalog, catalog_data  # noqa: F401
from tests.dossiers.conftest import record_case  # noqa: F401
from tests.metrics.conftest import march  # noqa: F401  (the hand-counted month)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_leader_sees_indicators_drills_to_late_dossiers_and_downloads_the_report(page, march, password):  # noqa: F811
    csp = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("leader.x")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")
    page.get_by_role("link", name="Chỉ số điều hành (IOC), Bộ chỉ số 766").click()
    page.wait_for_url("**/can-bo/chi-so/")
    page.select_option("#f-ky", "2026-03")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**ky=2026-03**")
    assert "Sở Tư pháp · tháng 03/2026" in page.inner_text("main")
    assert page.locator(".tile", has_text="Tiếp nhận mới").locator(".n").inner_text() == "6"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/metrics-dashboard-360.png", full_page=True)

    page.locator(".tile", has_text="Đang giải quyết quá hạn").get_by_role("link").click()
    page.wait_for_url("**/chi-so/ho-so/open_late/**")
    codes = page.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(codes) == sorted([march["D4"].code, march["D9"].code])
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo (Excel)").click()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][1] == "Sở Tư pháp" and rows[3][2] == 6

    page.get_by_role("link", name="Bảng điểm Bộ chỉ số 766").first.click()
    page.wait_for_url("**/chi-so/bang-diem/**")
    assert "Tổng: 46,36 điểm trên 70,00 điểm" in page.inner_text("main")
    page.screenshot(path="/tmp/metrics-scorecard-360.png", full_page=True)
    assert csp == []
