from __future__ import annotations

from datetime import date

import pytest

from motcua.core.models import AuditEvent
from motcua.worktime.models import CalendarOverride

pytestmark = pytest.mark.django_db

URL = "/can-bo/thoi-gian-lam-viec/"
CREATE = "/can-bo/thoi-gian-lam-viec/dieu-chinh/"


def test_worktime_page_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/can-bo/thoi-gian-lam-viec/")


@pytest.mark.parametrize("who", ["an", "stranger", "desk_x", "leader_x"])
def test_worktime_page_refuses_everyone_but_the_province_admin(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(URL).status_code == 403
    response = client.post(CREATE, {"day": "2026-12-31", "kind": "day_off", "reason": "x"})
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()


def test_worktime_page_lists_the_years_days_off_with_their_source(client, personas):
    client.force_login(personas.admin)
    response = client.get(URL, {"nam": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    assert "17/02/2026" in html and "Tết Nguyên Đán" in html
    assert "22/08/2026" in html and "Ngày làm việc bù" in html
    assert "Theo quy định (gói holidays)" in html
    assert "07:00–11:30, 13:30–17:00" in html


def test_worktime_admin_adds_and_removes_an_override_both_audited(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        CREATE, {"day": "2026-12-31", "kind": "day_off", "reason": "Thông báo 99/TB-UBND", "nam": "2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?nam=2026"
    override = CalendarOverride.objects.get()
    assert (override.day, override.kind, override.created_by) == (
        date(2026, 12, 31),
        "day_off",
        personas.admin,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu điều chỉnh cho ngày 31/12/2026." in page
    assert "Quản trị điều chỉnh" in page and "Thông báo 99/TB-UBND" in page

    response = client.post(f"{URL}dieu-chinh/{override.pk}/xoa/")
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="worktime.")
        .order_by("id")
        .values_list("action", "actor")
    ) == [
        ("worktime.override.created", personas.admin.pk),
        ("worktime.override.deleted", personas.admin.pk),
    ]


def test_worktime_admin_override_on_a_holiday_is_refused_with_a_message(client, personas):
    client.force_login(personas.admin)
    response = client.post(CREATE, {"day": "2026-02-17", "kind": "day_off", "reason": "x", "nam": "2026"})
    assert response.status_code == 400
    assert "Ngày 17/02/2026 đã là ngày nghỉ." in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_worktime_admin_form_errors_are_shown_in_vietnamese(client, personas):
    client.force_login(personas.admin)
    response = client.post(CREATE, {"day": "31/02/2026", "kind": "", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa lưu được điều chỉnh" in html
    assert "Nhập một ngày hợp lệ" in html or "Hãy nhập" in html or "trường này" in html.lower()


def test_worktime_delete_by_non_admin_is_refused(client, personas):
    override = CalendarOverride.objects.create(
        province=personas.province, day=date(2026, 12, 31), kind="day_off", reason="x"
    )
    client.force_login(personas.desk_x)
    assert client.post(f"{URL}dieu-chinh/{override.pk}/xoa/").status_code == 403
    assert CalendarOverride.objects.filter(pk=override.pk).exists()


def test_worktime_models_are_in_the_django_admin_in_vietnamese(client, personas):
    client.force_login(personas.admin)
    html = client.get("/quan-tri/worktime/calendaroverride/").content.decode()
    assert "điều chỉnh lịch làm việc" in html.lower()
    assert client.get("/quan-tri/worktime/officeperiod/").status_code == 200
