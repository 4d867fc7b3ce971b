"""Portal and back-office pages of feedback: the form, the reporter's link, the public list, the staff pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.models import AuditEvent
from motcua.feedback import citizen, handling, services
from motcua.feedback.models import Report
from tests.feedback.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def _publish(report, fb):
    handling.report_accept(report=report, agency=fb.agency_z, actor=fb.specialist_z)
    handling.report_answer(report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Đã vá.")
    services.report_publish(
        report=report,
        actor=fb.coordinator,
        answer="Đã vá <b>ổ gà</b>.",
        public_description="Ổ gà <script>x</script>",
    )


def test_feedback_form_submits_without_an_account(client, fb, field_data):
    field_data["notify_sms"] = "on"
    field_data.pop("notify_channels")
    field_data["photos"] = [SimpleUploadedFile("o-ga.jpg", jpeg_bytes(), "image/jpeg")]
    response = client.post("/phan-anh/gui/", field_data)
    report = Report.objects.get()
    token = citizen.report_token(report)
    assert response.status_code == 302 and response["Location"] == f"/phan-anh/da-gui/{report.code}/{token}/"
    assert (report.channel, report.notify_channels, report.photos.count()) == ("web", ["sms"], 1)
    page = client.get(response["Location"]).content.decode()
    assert report.code in page and f"/phan-anh/theo-doi/{report.code}/{token}/" in page


def test_feedback_form_redisplays_what_was_typed_with_the_errors(client, fb, field_data):
    field_data.update(reporter_phone="12345", lat="21.03", lon="105.85")
    response = client.post("/phan-anh/gui/", field_data)
    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    assert "Số điện thoại gồm 10 chữ số" in page and "nằm ngoài địa bàn tỉnh" in page
    assert "Ổ gà lớn giữa đường, xe máy dễ té ngã vào ban đêm." in page
    assert 'value="Trước số 12 đường Võ Thị Sáu"' in page


def test_feedback_form_keeps_the_photos_across_an_error_and_the_next_submission_takes_them(
    client, fb, field_data
):
    import re

    field_data.pop("notify_channels")
    field_data.update(reporter_phone="12345")
    field_data["photos"] = [
        SimpleUploadedFile("o-ga.jpg", jpeg_bytes(), "image/jpeg"),
        SimpleUploadedFile("cau.jpg", jpeg_bytes(40, 30), "image/jpeg"),
    ]
    page = client.post("/phan-anh/gui/", field_data).content.decode()
    assert "Số điện thoại gồm 10 chữ số" in page and not Report.objects.exists()
    assert "Ảnh đã gửi lần trước, đã được giữ lại" in page and "o-ga.jpg" in page and "cau.jpg" in page
    held = re.search(r'name="held" value="([^"]+)"', page).group(1)
    dropped = re.findall(r'name="held_drop" value="([^"]+)"', page)[1]  # the citizen removes cau.jpg
    field_data.update(reporter_phone="0912345678", held=held, held_drop=[dropped], photos=[])
    response = client.post("/phan-anh/gui/", field_data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.photos.count() == 1 and report.photos.get().size == len(jpeg_bytes())


def test_feedback_form_ignores_a_forged_or_expired_photo_token(client, fb, field_data, monkeypatch):
    from motcua.feedback import photos

    field_data.pop("notify_channels")
    field_data.update(held="forged:token", photos=[])
    assert client.post("/phan-anh/gui/", field_data).status_code == 302
    assert Report.objects.get().photos.count() == 0
    token = photos.photos_hold([photos_photo("a.jpg", jpeg_bytes())])
    assert [f for _n, f, _s in photos.photos_held_list(token)] == ["a.jpg"]
    monkeypatch.setattr(photos, "HELD_HOURS", -1)  # past its time
    assert photos.photos_held_list(token) == [] and photos.photos_held(token) == []


def test_held_photos_are_deleted_after_a_day(fb):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from motcua.feedback import photos

    token = photos.photos_hold([photos_photo("a.jpg", jpeg_bytes())])
    ((name, _f, _s),) = photos.photos_held_list(token)
    assert photos.held_photos_delete_old() == 0 and default_storage.exists(name)
    assert photos.held_photos_delete_old(now=timezone.now() + timedelta(hours=25)) == 1
    assert not default_storage.exists(name) and photos.photos_held(token) == []


def photos_photo(name, data):
    from motcua.feedback.intake import Photo

    return Photo(name, data)


def test_feedback_form_flood_from_one_address_is_refused(client, fb, field_data, settings):
    settings.FEEDBACK_REPORTS_PER_10_MINUTES = 2
    codes = [client.post("/phan-anh/gui/", field_data).status_code for _ in range(3)]
    assert codes == [302, 302, 429] and Report.objects.count() == 2


def test_public_pages_show_the_redacted_text_escaped_and_nothing_personal(client, report, fb):
    _publish(report, fb)
    for url in ("/phan-anh/", f"/phan-anh/{report.code}/", f"/phan-anh/tra-cuu/?ma={report.code}"):
        page = client.get(url).content.decode()
        assert "Nguyễn Văn An" not in page and "0912345678" not in page and "an@example.vn" not in page
        assert "<script>x" not in page
    detail = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "Ổ gà &lt;script&gt;x&lt;/script&gt;" in detail and "Đã vá &lt;b&gt;ổ gà&lt;/b&gt;." in detail
    photo = report.photos.get()
    assert f"/phan-anh/anh/{photo.pk}/" in detail
    assert client.get(f"/phan-anh/anh/{photo.pk}/").status_code == 200


def test_public_list_filters_and_hides_unpublished(client, report, fb):
    assert client.get(f"/phan-anh/{report.code}/").status_code == 404
    assert report.code not in client.get("/phan-anh/").content.decode()
    assert client.get(f"/phan-anh/anh/{report.photos.get().pk}/").status_code == 404
    _publish(report, fb)
    assert (
        report.code in client.get("/phan-anh/?linh-vuc=giao-thong&trang-thai=da-cong-khai").content.decode()
    )
    assert report.code not in client.get("/phan-anh/?linh-vuc=gop-y").content.decode()
    assert report.code not in client.get("/phan-anh/?trang-thai=hai-long").content.decode()


def test_reporter_rates_not_satisfied_through_the_link_and_it_reopens(client, report, fb):
    _publish(report, fb)
    url = f"/phan-anh/theo-doi/{report.code}/{citizen.report_token(report)}/"
    page = client.get(url).content.decode()
    assert "Đã vá &lt;b&gt;ổ gà&lt;/b&gt;." in page and "Không hài lòng" in page
    response = client.post(url, {"action": "rate", "satisfied": "no", "comment": "Chưa vá"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "in_progress"


def test_reporter_link_with_a_wrong_token_is_not_found(client, report):
    assert client.get(f"/phan-anh/theo-doi/{report.code}/{'0' * 32}/").status_code == 404
    assert client.get(f"/phan-anh/da-gui/{report.code}/{'0' * 32}/").status_code == 404


def test_lookup_by_code_is_rate_limited(client, report, settings):
    settings.TRACKING_LOOKUPS_PER_10_MINUTES = 1
    assert client.get(f"/phan-anh/tra-cuu/?ma={report.code}").status_code == 200
    assert client.get("/phan-anh/tra-cuu/?ma=PA26AAAAAA").status_code == 429


def test_lookup_of_an_unknown_code_says_so(client, fb):
    response = client.get("/phan-anh/tra-cuu/?ma=PA26AAAAAA")
    assert (
        response.status_code == 404 and "Không tìm thấy phản ánh mã PA26AAAAAA." in response.content.decode()
    )


STAFF_PAGES = ["/can-bo/phan-anh/", "/can-bo/phan-anh/tiep-nhan/", "/can-bo/phan-anh/{code}/"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_strangers_and_citizens(client, report, fb, path):
    url = path.format(code=report.code)
    assert client.get(url).status_code == 302  # to the login page
    for user in (fb.stranger, fb.an, fb.volunteer):
        client.force_login(user)
        assert client.get(url).status_code in {403, 404}


def test_staff_actions_and_photos_refuse_strangers(client, report, fb):
    client.force_login(fb.stranger)
    assert client.post(f"/can-bo/phan-anh/{report.code}/nhan/").status_code == 403
    assert client.get(f"/can-bo/phan-anh/{report.code}/anh/{report.photos.get().pk}/").status_code == 403


def test_other_agency_cannot_see_the_report(client, report, fb):
    client.force_login(fb.officer_y)
    assert client.get(f"/can-bo/phan-anh/{report.code}/").status_code == 404
    assert report.code not in client.get("/can-bo/phan-anh/?xem=tat-ca").content.decode()
    assert client.post(f"/can-bo/phan-anh/{report.code}/nhan/").status_code == 404


def test_agency_accepts_and_answers_from_its_page_and_the_view_is_audited(client, report, fb):
    client.force_login(fb.specialist_z)
    page = client.get(f"/can-bo/phan-anh/{report.code}/").content.decode()
    assert "Nguyễn Văn An" in page and "0912345678" in page
    assert AuditEvent.objects.filter(action="feedback.report.viewed", actor=fb.specialist_z).count() == 1
    base = f"/can-bo/phan-anh/{report.code}"
    assert client.post(f"{base}/nhan/", {"revision": report.revision}).status_code == 302
    response = client.post(f"{base}/tra-loi/", {"text": ""})
    assert response.status_code == 400 and "Cần ghi rõ nội dung trả lời." in response.content.decode()
    assert client.post(f"{base}/tra-loi/", {"text": "Đã vá xong."}).status_code == 302
    assert Report.objects.get(pk=report.pk).status == "answered"


def test_coordinator_publishes_with_redaction_from_the_page(client, report, fb):
    handling.report_accept(report=report, agency=fb.agency_z, actor=fb.specialist_z)
    handling.report_answer(report=report, agency=fb.agency_z, actor=fb.specialist_z, text="Đã vá.")
    client.force_login(fb.coordinator)
    response = client.post(
        f"/can-bo/phan-anh/{report.code}/cong-khai/",
        {"answer": "Đã vá.", "public_description": "Ổ gà trên đường Võ Thị Sáu.", "is_public": "on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.public_description) == ("published", "Ổ gà trên đường Võ Thị Sáu.")


def test_hotline_desk_records_a_call_with_its_channel(client, fb, field_data):
    client.force_login(fb.hotline)
    field_data.pop("notify_channels")
    field_data["channel"] = "phone"
    response = client.post("/can-bo/phan-anh/tiep-nhan/", field_data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/can-bo/phan-anh/{report.code}/"
    assert (report.channel, report.recorded_by) == ("phone", fb.hotline)


def test_hotline_desk_keeps_the_photo_across_an_error(client, fb, field_data):
    import re

    client.force_login(fb.hotline)
    field_data.pop("notify_channels")
    field_data.update(channel="zalo", description="", photos=[SimpleUploadedFile("zalo.jpg", jpeg_bytes())])
    page = client.post("/can-bo/phan-anh/tiep-nhan/", field_data).content.decode()
    assert "Chưa nhập nội dung phản ánh." in page and "zalo.jpg" in page
    held = re.search(r'name="held" value="([^"]+)"', page).group(1)
    field_data.update(description="Ảnh gửi qua Zalo: cột điện nghiêng sắp đổ.", held=held, photos=[])
    assert client.post("/can-bo/phan-anh/tiep-nhan/", field_data).status_code == 302
    assert Report.objects.get().photos.count() == 1


def test_hotline_desk_is_refused_to_agency_staff(client, fb):
    client.force_login(fb.specialist_z)
    assert client.get("/can-bo/phan-anh/tiep-nhan/").status_code == 403


def test_operator_routes_to_two_agencies_from_the_page(client, report, fb):
    client.force_login(fb.hotline)
    response = client.post(
        f"/can-bo/phan-anh/{report.code}/chuyen/", {"agencies": [fb.agency_z.pk, fb.agency_y.pk]}
    )
    assert response.status_code == 302
    assert sorted(a.agency_id for a in report.assignments.all()) == sorted([fb.agency_z.pk, fb.agency_y.pk])


def test_follow_path_of_the_messages_is_the_portal_page(report):
    from django.urls import reverse

    from motcua.feedback.notify import FOLLOW_PATH, follow_url

    token = citizen.report_token(report)
    assert (
        reverse("portal:feedback-follow", args=[report.code, token]) == f"{FOLLOW_PATH}{report.code}/{token}/"
    )
    assert follow_url(report).endswith(f"{FOLLOW_PATH}{report.code}/{token}/")
