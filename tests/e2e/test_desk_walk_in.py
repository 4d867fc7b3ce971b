"""A desk officer records a paper dossier at the counter and prints Mẫu 01, in a real browser."""

import re

import pytest

from tests.dossiers.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_desk_officer_records_a_walk_in_dossier_and_prints_the_receipt(page, personas, catalog, password):
    from motcua.dossiers.models import Dossier

    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("desk.x")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")

    page.get_by_role("link", name="Tiếp nhận hồ sơ trực tiếp").click()
    page.wait_for_url("**/can-bo/ho-so/tiep-nhan-truc-tiep/")
    page.get_by_label("Tìm thủ tục").fill("ly lich tu phap")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Cấp phiếu lý lịch tư pháp cho công dân Việt Nam").click()
    page.wait_for_url("**/tiep-nhan-truc-tiep/?truong_hop=*")
    assert "Sở Tư pháp" in page.locator("form.desk-walk-in").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Họ và tên chủ hồ sơ").fill("Lê Thị Hoa")
    page.get_by_label("Số giấy tờ", exact=True).fill("075152007788")
    page.get_by_label("Ngày sinh (ngày/tháng/năm)").fill("20/05/1952")
    page.get_by_label("Số điện thoại", exact=True).fill("0369123456")
    page.get_by_label("Xã, phường (nếu ở trong tỉnh)").select_option("26068")
    page.get_by_label("Địa chỉ", exact=True).fill("5 Đường Phan Chu Trinh")
    page.get_by_label("Tờ khai theo mẫu").set_input_files(
        files=[{"name": "to-khai-quet.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Tin nhắn SMS").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    page.wait_for_url(re.compile(r".*/can-bo/ho-so/[0-9a-f-]{36}/$"))
    dossier = Dossier.objects.get(applicant_id_number="075152007788")
    assert dossier.status == "accepted" and dossier.channel == "desk"
    assert page.locator("#ma-ho-so").inner_text() == dossier.code
    assert f"Mã hồ sơ: {dossier.code}" in page.get_by_role("status").inner_text()
    assert page.get_by_role("img", name="Tờ khai theo mẫu").evaluate("img => img.naturalWidth") == 40
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    button = page.get_by_role("link", name="In Giấy tiếp nhận (Mẫu 01)")
    href = button.get_attribute("href")
    direct = page.request.get(href)
    assert direct.status == 200
    assert direct.headers["content-type"] == "application/pdf"
    assert direct.body().startswith(b"%PDF-")
    with page.expect_response(lambda r: r.url.endswith(href)) as printed:
        button.click()
    assert printed.value.headers["content-type"] == "application/pdf"
    assert csp_violations == []
