import pytest

from motcua.core.models import AuditEvent
from motcua.worktime.models import CalendarOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_admin_adds_a_day_off_in_the_back_office(page, personas, password):
    page.goto("/dang-nhap/?next=/can-bo/thoi-gian-lam-viec/%3Fnam%3D2026")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/can-bo/thoi-gian-lam-viec/?nam=2026")
    assert page.locator("h1").inner_text() == "Lịch làm việc năm 2026"
    assert page.get_by_role("cell", name="Tết Nguyên Đán", exact=True).is_visible()

    page.get_by_label("Ngày", exact=True).fill("2026-12-31")
    page.get_by_label("Ngày nghỉ thêm").check()
    page.get_by_label("Lý do, căn cứ").fill("Thông báo 99/TB-UBND: nghỉ cuối năm")
    page.get_by_role("button", name="Lưu điều chỉnh").click()

    page.wait_for_load_state()
    assert "Đã lưu điều chỉnh cho ngày 31/12/2026." in page.get_by_role("status").inner_text()
    row = page.locator("#special-days tr", has_text="31/12/2026")
    assert "Thông báo 99/TB-UBND: nghỉ cuối năm" in row.inner_text()
    assert "Quản trị điều chỉnh" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    override = CalendarOverride.objects.get()
    assert (str(override.day), override.kind) == ("2026-12-31", "day_off")
    assert AuditEvent.objects.filter(action="worktime.override.created", actor=personas.admin).count() == 1
