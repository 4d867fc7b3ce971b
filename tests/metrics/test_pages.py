"""The pages and exports show the hand-counted month (conftest.py) and refuse whoever may not see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from motcua.core.models import AuditEvent

MARCH = {"ky": "2026-03"}
PAGES = [
    ("backoffice:metrics-dashboard", {}),
    ("backoffice:metrics-wall", {}),
    ("backoffice:metrics-scorecard", {}),
    ("backoffice:metrics-scorecard-pdf", {}),
    ("backoffice:metrics-drill", {"measure": "finished_late"}),
    ("backoffice:metrics-drill-csv", {"measure": "finished_late"}),
    ("backoffice:metrics-xlsx", {}),
    ("backoffice:metrics-csv", {}),
]


def _login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_metrics_pages_refuse_strangers_desk_officers_and_anonymous(name, kwargs, client, personas, password):
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous → log-in
    for user in (personas.stranger, personas.desk_x, personas.officer_y, personas.an):
        _login(client, user, password)
        assert client.get(url).status_code == 403, user.username
        client.logout()


def test_dashboard_shows_the_hand_counted_figures(march, client, password):
    p = march["p"]
    html = (
        _login(client, p.leader_x, password)
        .get(reverse("backoffice:metrics-dashboard"), MARCH)
        .content.decode()
    )
    assert "Sở Tư pháp · tháng 03/2026" in html
    for fragment in (
        '<span class="n">2</span><span class="l">Kỳ trước chuyển sang',
        '<span class="n">6</span><span class="l">Tiếp nhận mới',
        '<span class="n">5</span><span class="l">Trực tuyến',
        '<span class="n">1</span><span class="l">Quá hạn',
        '<span class="n">2</span><span class="l">Đang giải quyết quá hạn',
        '<span class="n">1</span><span class="l">Sắp đến hạn (24 giờ)',
        "83,33 %",  # online share
        "66,67 %",  # finished early or on time
        "<strong>4,0</strong>",  # average days
    ):
        assert fragment in html, fragment


def test_leader_drills_from_the_late_count_to_the_late_dossier_and_it_is_audited(march, client, password):
    p = march["p"]
    response = _login(client, p.leader_x, password).get(
        reverse("backoffice:metrics-drill", kwargs={"measure": "finished_late"}), MARCH
    )
    html = response.content.decode()
    assert march["D3"].code in html and march["D1"].code not in html
    assert f"/can-bo/ho-so/{march['D3'].public_id}/" in html
    event = AuditEvent.objects.get(action="metrics.dossier_list.viewed")
    assert (event.actor_id, event.data["measure"], event.data["shown"]) == (p.leader_x.pk, "finished_late", 1)


def test_open_late_list_has_the_two_late_running_dossiers(march, client, password):
    response = _login(client, march["p"].leader_x, password).get(
        reverse("backoffice:metrics-drill", kwargs={"measure": "open_late"}), MARCH
    )
    codes = {d.code for d in response.context["rows"]}
    assert codes == {march["D4"].code, march["D9"].code}


def test_xlsx_report_row_agrees_with_the_hand_count(march, client, password):
    from openpyxl import load_workbook

    response = _login(client, march["p"].admin, password).get(reverse("backoffice:metrics-xlsx"), MARCH)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, agency = rows[2], rows[3]
    values = dict(zip(header, agency, strict=True))
    assert values["Cơ quan, đơn vị"] == "Sở Tư pháp"
    assert (values["Tiếp nhận mới"], values["Trực tuyến"], values["Trực tiếp"]) == (6, 5, 1)
    assert (values["Trước hạn"], values["Đúng hạn"], values["Quá hạn"], values["Phiếu xin lỗi"]) == (
        1,
        1,
        1,
        1,
    )
    assert values["Tỷ lệ trước hạn, đúng hạn (%)"] == pytest.approx(66.67)
    assert rows[4][1] == "Tổng cộng" and rows[4][2] == 6


def test_csv_report_agrees_with_the_hand_count(march, client, password):
    response = _login(client, march["p"].admin, password).get(reverse("backoffice:metrics-csv"), MARCH)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Cơ quan, đơn vị"] == "Sở Tư pháp"
    assert (rows[0]["Tiếp nhận mới"], rows[0]["Đã giải quyết"], rows[0]["Quá hạn"]) == ("6", "3", "1")
    assert rows[0]["Tỷ lệ hài lòng (%)"] == "50,00"


def test_scorecard_page_and_pdf_show_the_points(march, client, password):
    _login(client, march["p"].leader_x, password)
    html = client.get(reverse("backoffice:metrics-scorecard"), MARCH).content.decode()
    assert "Tổng: 46,36 điểm trên 70,00 điểm" in html
    assert "11,43" in html and "chưa có số liệu" in html
    pdf = client.get(reverse("backoffice:metrics-scorecard-pdf"), MARCH)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ky": "2025-13"}, "Kỳ báo cáo “2025-13” không hợp lệ"),
        ({"ky": "abc"}, "Kỳ báo cáo “abc” không hợp lệ"),
        ({"co-quan": "999999"}, "Không tìm thấy cơ quan có mã “999999”"),
        ({"co-quan": "x1"}, "Không tìm thấy cơ quan có mã “x1”"),
        ({"kenh": "fax"}, "Kênh nộp “fax” không hợp lệ"),
    ],
)
def test_bad_query_gets_a_vietnamese_message_not_a_500(query, message, client, personas, password):
    response = _login(client, personas.admin, password).get(reverse("backoffice:metrics-dashboard"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_agency_leader_cannot_look_at_another_agency(client, personas, password):
    response = _login(client, personas.leader_x, password).get(
        reverse("backoffice:metrics-dashboard"), {"co-quan": personas.agency_y.pk}
    )
    assert response.status_code == 400
    assert "Bạn chỉ được xem số liệu của cơ quan mình." in response.content.decode()


def test_unknown_measure_is_a_clear_message(client, personas, password):
    response = _login(client, personas.admin, password).get(
        reverse("backoffice:metrics-drill", kwargs={"measure": "nothing"})
    )
    assert response.status_code == 400 and "Không có chỉ tiêu “nothing”" in response.content.decode()


def test_public_transparency_page_shows_on_time_share_and_satisfaction(march, client):
    html = client.get(reverse("portal:transparency"), MARCH).content.decode()
    assert "Sở Tư pháp" in html and "66,67 %" in html and "50,00 %" in html
    assert march["D3"].code not in html  # no dossier, no personal data
    assert client.get(reverse("portal:transparency"), {"ky": "20x"}).status_code == 400


def test_drill_pages_go_newest_first_along_the_moment_and_through_ties(march):
    from motcua.metrics.drill import drill_page
    from motcua.metrics.slices import slice_parse

    march_slice = slice_parse(MARCH, allowed=None, default_agency=None)
    seen, after, pages = [], None, 0
    while True:
        rows, after = drill_page(march_slice, "received", after=after, size=2)
        seen += [d.code for d in rows]
        pages += 1
        if after is None:
            break
    same_instant = sorted((march[n] for n in ("D1", "D2", "D3", "D4")), key=lambda d: -d.pk)  # 02/03 09:00
    assert seen == [march["D5"].code, march["D6"].code] + [d.code for d in same_instant]
    assert pages == 3


@pytest.mark.parametrize(
    ("measure", "names"),
    [("payments_online", ["D4"]), ("apologies", ["D3"]), ("rating_2", ["D2"]), ("refused", ["D7"])],
)
def test_drill_lists_of_events_and_moments_match_the_hand_count(march, measure, names):
    from motcua.metrics.drill import drill_page
    from motcua.metrics.slices import slice_parse

    rows, after = drill_page(slice_parse(MARCH, allowed=None, default_agency=None), measure)
    assert ([d.code or d.reference for d in rows], after) == ([march[n].display_code for n in names], None)


def test_drill_refuses_a_forged_page_token(march, client, password):
    url = reverse("backoffice:metrics-drill", kwargs={"measure": "received"})
    response = _login(client, march["p"].leader_x, password).get(url, {**MARCH, "sau": "abc.1"})
    assert response.status_code == 400
    assert "Trang danh sách không hợp lệ." in response.content.decode()
