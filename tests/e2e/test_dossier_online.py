"""Citizen An submits a dossier online on a 360 px phone, the desk officer accepts it in the back office, and An
follows it by code and by QR."""

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.notify import TRACKING_PATH, tracking_url
from tests.dossiers.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _desk_accepts(browser, live_server, password, reference):
    """The desk officer of agency X, in their own browser, finds the dossier in the inbox and accepts it."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    desk = context.new_page()
    desk.set_default_timeout(15000)
    desk.goto("/dang-nhap/")
    desk.get_by_label("Tên đăng nhập").fill("desk.x")
    desk.get_by_label("Mật khẩu").fill(password)
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.wait_for_url("**/can-bo/")
    desk.goto("/can-bo/ho-so/")
    desk.get_by_role("link", name=reference).click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    code = desk.locator("#ma-ho-so").inner_text().strip()
    receipt = desk.get_by_role("link", name="In Giấy tiếp nhận (Mẫu 01)").get_attribute("href")
    response = desk.request.get(receipt)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    context.close()
    return code


def test_citizen_submits_online_and_follows_the_dossier_by_code_and_qr(
    page, browser, live_server, personas, password, catalog, tmp_path
):
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(pdf_bytes("Tờ khai lý lịch tư pháp"))

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")

    page.goto("/thu-tuc/3.000333/")
    assert page.locator("h1").inner_text() == "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url("**/thu-tuc/3.000333/nop/")
    page.get_by_role("button", name="Bắt đầu soạn hồ sơ").click()
    page.wait_for_url("**/sua/")

    # the applicant block comes filled from the account; An adds what the account lacks, with one slip
    assert page.get_by_label("Họ và tên chủ hồ sơ").input_value() == "Nguyễn Văn An"
    assert page.evaluate(FITS)
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Ngày sinh (ngày/tháng/năm)").fill("12/03/2999")
    page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Biên Hòa")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Đường Võ Thị Sáu")
    page.get_by_role("button", name="Lưu nháp").click()

    summary = page.get_by_role("alert")
    assert "Ngày sinh không thể ở trong tương lai." in summary.inner_text()
    assert (
        page.get_by_label("Số điện thoại", exact=True).input_value() == "0912345678"
    )  # nothing typed is lost
    assert page.get_by_label("Địa chỉ", exact=True).input_value() == "12 Đường Võ Thị Sáu"
    assert page.evaluate(FITS)

    page.get_by_label("Ngày sinh (ngày/tháng/năm)").fill("12/03/1990")
    page.get_by_label("Tin nhắn SMS").check()
    page.get_by_label("Tờ khai theo mẫu").set_input_files(str(scan))
    page.get_by_role("button", name="Nộp hồ sơ").click()

    page.wait_for_url("**/da-nop/")
    assert page.locator("h1").inner_text() == "Đã nộp hồ sơ"
    reference = page.locator("#so-dang-ky").inner_text().strip()
    dossier = Dossier.objects.get(reference=reference)
    assert (dossier.status, dossier.owner, dossier.notify_channels) == (
        "submitted",
        personas.an,
        ["email", "sms"],
    )
    assert DossierDocument.objects.get(dossier=dossier).original_name == "to-khai.pdf"
    assert page.locator("figure.qr svg").is_visible()
    assert page.evaluate(FITS)

    # the desk officer accepts it at the one-stop desk and prints Mẫu 01
    code = _desk_accepts(browser, live_server, password, reference)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.code, dossier.received_by) == ("accepted", code, personas.desk_x)
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")

    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.wait_for_url("**/tra-cuu/")
    page.get_by_label("Mã hồ sơ hoặc số đăng ký").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại của chủ hồ sơ").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()

    result = page.locator(".tracking-result")
    assert "Được tiếp nhận" in result.inner_text()
    assert due in result.inner_text()
    assert "Nguyễn Văn An" not in result.inner_text() and "0912345678" not in page.content()
    assert page.evaluate(FITS)

    # the QR code on the receipt opens the same result without typing
    qr_link = tracking_url(dossier).split(TRACKING_PATH, 1)[1]
    page.goto(TRACKING_PATH + qr_link)
    assert dossier.code in page.locator(".tracking-result h2").inner_text()
    assert "Được tiếp nhận" in page.locator(".tracking-result").inner_text()
    assert page.evaluate(FITS)

    # and in "Hồ sơ của tôi", with its due date
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    assert dossier.code in page.locator(".dossier-list").inner_text()
    page.get_by_role("link", name="Cấp phiếu lý lịch tư pháp cho công dân Việt Nam").click()
    assert due in page.locator("dl.facts").first.inner_text()
    assert page.evaluate(FITS)
