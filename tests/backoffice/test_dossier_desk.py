"""The one-stop desk in the back office: inbox, dossier page, accept / supplement / refuse, walk-in, files, forms."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from motcua.core.models import AuditEvent
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.services import dossier_accept
from motcua.notifications.models import Notification
from tests.dossiers.conftest import (  # noqa: F401  (shared fixtures)
    applicant,
    catalog,
    catalog_data,
    pdf_bytes,
    png_bytes,
    record_case,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name, dossier, *args):
    return reverse(f"backoffice:{name}", args=[dossier.public_id, *args])


def _actions(dossier):
    return list(
        AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def _html(response) -> str:
    return response.content.decode()


# --- inbox -----------------------------------------------------------------------------------------------------


def test_inbox_shows_the_agencys_new_dossier_to_its_desk_officer(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.get("/can-bo/ho-so/")
    html = _html(response)
    assert response.status_code == 200
    assert submitted.reference in html
    assert "Nguyễn Văn An" in html
    assert "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam" in html
    assert _url("dossier-detail", submitted) in html
    assert "Chờ bổ sung" in html and "Đã tiếp nhận hôm nay" in html


def test_inbox_hides_another_agencys_dossier_from_officer_y(client, personas, submitted):
    client.force_login(personas.officer_y)
    html = _html(client.get("/can-bo/ho-so/"))
    assert submitted.reference not in html
    assert "Không có hồ sơ mới chờ tiếp nhận." in html
    html = _html(client.get("/can-bo/ho-so/", {"q": submitted.reference}))
    assert _url("dossier-detail", submitted) not in html and "Nguyễn Văn An" not in html
    assert "Không có hồ sơ nào bạn được xem khớp" in html


@pytest.mark.parametrize("who", ["stranger", "an"])
def test_inbox_refuses_people_without_a_staff_role(client, personas, submitted, who):
    client.force_login(getattr(personas, who))
    response = client.get("/can-bo/ho-so/")
    assert response.status_code == 403
    assert submitted.reference not in _html(response)


def test_inbox_sends_anonymous_visitors_to_login(client, submitted):
    response = client.get("/can-bo/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_inbox_of_a_specialist_lists_only_accepted_dossiers_of_the_agency(client, personas, submitted):
    client.force_login(personas.specialist_x)
    assert submitted.reference not in _html(client.get("/can-bo/ho-so/"))  # not yet accepted
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    html = _html(client.get("/can-bo/ho-so/"))
    assert submitted.code in html
    assert "Hồ sơ của cơ quan" in html


def test_inbox_tabs_supplement_and_accepted_today(client, personas, submitted):
    client.force_login(personas.desk_x)
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    assert submitted.code in _html(client.get("/can-bo/ho-so/", {"xem": "hom-nay"}))
    assert submitted.code not in _html(client.get("/can-bo/ho-so/", {"xem": "moi"}))
    assert submitted.code not in _html(client.get("/can-bo/ho-so/", {"xem": "bo-sung"}))


def test_inbox_pages_oldest_first_by_id(client, personas, record_case, applicant):
    from motcua.dossiers.intake import Upload, dossier_create_submitted
    from motcua.dossiers.queries import PAGE_SIZE

    document = record_case.version.documents.get()
    made = [
        dossier_create_submitted(
            actor=personas.an,
            owner=personas.an,
            case=record_case,
            applicant=applicant,
            uploads=[Upload("to-khai.pdf", pdf_bytes(), document.pk)],
        )[0]
        for _ in range(PAGE_SIZE + 1)
    ]
    client.force_login(personas.desk_x)
    first = _html(client.get("/can-bo/ho-so/"))
    assert made[0].reference in first and made[-1].reference not in first
    assert f"?xem=moi&amp;sau={made[PAGE_SIZE - 1].pk}" in first
    second = _html(client.get("/can-bo/ho-so/", {"xem": "moi", "sau": made[PAGE_SIZE - 1].pk}))
    assert made[-1].reference in second and made[0].reference not in second


def test_inbox_search_by_cccd_finds_the_dossier_and_is_audited(client, personas, submitted):
    client.force_login(personas.desk_x)
    html = _html(client.get("/can-bo/ho-so/", {"q": "075090001234"}))
    assert submitted.reference in html
    event = AuditEvent.objects.get(action="dossiers.dossier.searched")
    assert event.actor == personas.desk_x and event.data == {"q": "075090001234", "found": 1}


def test_inbox_ignores_a_malformed_page_cursor(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.get("/can-bo/ho-so/", {"sau": "abc", "xem": "<script>"})
    assert response.status_code == 200 and submitted.reference in _html(response)


# --- dossier page ----------------------------------------------------------------------------------------------


def test_detail_shows_applicant_documents_timeline_and_is_audited(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.get(_url("dossier-detail", submitted))
    html = _html(response)
    assert response.status_code == 200
    for text in (
        "Nguyễn Văn An",
        "075090001234",
        "12/03/1990",
        "0912345678",
        "an@example.vn",
        "Phường Biên Hòa",
    ):
        assert text in html
    document = submitted.documents.get()
    assert _url("dossier-file", submitted, document.pk) in html
    assert '<iframe src="' + _url("dossier-file", submitted, document.pk) in html
    assert "Nộp hồ sơ" in html and "Đính kèm tệp" in html  # the timeline from the audit log, with actor names
    assert html.count("Nguyễn Văn An") >= 3
    assert f'name="revision" value="{submitted.revision}"' in html
    assert "Tiếp nhận hồ sơ" in html and "Từ chối tiếp nhận" in html
    event = AuditEvent.objects.filter(action="dossiers.dossier.viewed").get()
    assert event.actor == personas.desk_x and event.object_id == str(submitted.pk)


@pytest.mark.parametrize("who", ["officer_y", "specialist_x", "volunteer", "hotline"])
def test_detail_is_404_for_staff_who_may_not_see_it(client, personas, submitted, who):
    client.force_login(getattr(personas, who))
    assert client.get(_url("dossier-detail", submitted)).status_code == 404
    assert client.get(_url("dossier-file", submitted, submitted.documents.get().pk)).status_code == 404
    assert not AuditEvent.objects.filter(action__endswith=".viewed").exists()


@pytest.mark.parametrize("who", ["stranger", "an"])
def test_detail_is_403_for_non_staff_even_the_applicant(client, personas, submitted, who):
    client.force_login(getattr(personas, who))
    assert client.get(_url("dossier-detail", submitted)).status_code == 403


def test_detail_for_a_leader_after_acceptance_has_no_reception_actions(client, personas, submitted):
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    client.force_login(personas.leader_x)
    html = _html(client.get(_url("dossier-detail", submitted)))
    assert submitted.code in html
    assert "dossier-accept" not in html and 'action="' + _url("dossier-accept", submitted) not in html
    response = client.post(
        _url("dossier-refuse", submitted), {"revision": submitted.revision, "refuse_reason": "x"}
    )
    assert response.status_code == 403
    assert Dossier.objects.get(pk=submitted.pk).status == Status.ACCEPTED


# --- actions ---------------------------------------------------------------------------------------------------


def test_accept_via_the_page_assigns_the_code_and_shows_it_with_the_print_button(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.post(_url("dossier-accept", submitted), {"revision": submitted.revision}, follow=True)
    dossier = Dossier.objects.get(pk=submitted.pk)
    html = _html(response)
    assert dossier.status == Status.ACCEPTED
    assert re.fullmatch(r"000\.00\.05\.H19-\d{6}-0001", dossier.code)
    assert response.redirect_chain == [(_url("dossier-detail", dossier), 302)]
    assert f"Đã tiếp nhận hồ sơ. Mã hồ sơ: {dossier.code}" in html
    assert "In Giấy tiếp nhận (Mẫu 01)" in html
    assert _url("dossier-form", dossier, "receipt") in html
    assert dossier.received_by == personas.desk_x
    assert "dossiers.dossier.accepted" in _actions(dossier)


def test_stale_revision_shows_the_message_and_changes_nothing(client, personas, submitted):
    seen = submitted.revision
    dossier_accept(
        dossier=Dossier.objects.get(pk=submitted.pk), actor=personas.desk_x, expected_revision=seen
    )
    before = Dossier.objects.get(pk=submitted.pk)
    client.force_login(personas.desk_x)
    response = client.post(
        _url("dossier-refuse", submitted), {"revision": seen, "refuse_reason": "Không đúng thẩm quyền"}
    )
    html = _html(response)
    after = Dossier.objects.get(pk=submitted.pk)
    assert response.status_code == 409
    assert "vừa được cập nhật bởi người khác" in html
    assert (after.status, after.revision, after.refusal_reason, after.code) == (
        Status.ACCEPTED,
        before.revision,
        "",
        before.code,
    )
    assert "dossiers.dossier.refused" not in _actions(after)
    assert "Không đúng thẩm quyền" in html  # what the officer typed is kept


def test_second_officer_accepting_the_same_page_is_told_and_nothing_changes(client, personas, submitted):
    from motcua.directory.models import Role
    from motcua.directory.services import staff_assign
    from tests.factories import UserFactory

    colleague = UserFactory(username="desk.x2", full_name="Trần Văn Hai", kind="staff")
    staff_assign(actor=personas.admin, user=colleague, agency=personas.agency_x, role=Role.DESK_OFFICER)
    revision = submitted.revision
    client.force_login(personas.desk_x)
    assert client.post(_url("dossier-accept", submitted), {"revision": revision}).status_code == 302
    code = Dossier.objects.get(pk=submitted.pk).code
    client.force_login(colleague)
    response = client.post(_url("dossier-accept", submitted), {"revision": revision})
    assert response.status_code == 409
    assert "vừa được cập nhật bởi người khác" in _html(response)
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert (dossier.code, dossier.received_by) == (code, personas.desk_x)
    assert _actions(dossier).count("dossiers.dossier.accepted") == 1


def test_refuse_without_reason_shows_the_message_and_changes_nothing(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.post(
        _url("dossier-refuse", submitted), {"revision": submitted.revision, "refuse_reason": "  "}
    )
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert response.status_code == 400
    assert "Cần ghi rõ lý do từ chối." in _html(response)
    assert (dossier.status, dossier.revision) == (Status.SUBMITTED, submitted.revision)
    assert "dossiers.dossier.refused" not in _actions(dossier)


def test_refuse_with_reason_refuses_and_offers_mau_03(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.post(
        _url("dossier-refuse", submitted),
        {"revision": submitted.revision, "refuse_reason": "Hồ sơ không thuộc thẩm quyền của Sở Tư pháp."},
        follow=True,
    )
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.REFUSED
    assert dossier.refusal_reason == "Hồ sơ không thuộc thẩm quyền của Sở Tư pháp."
    html = _html(response)
    assert "Đã từ chối tiếp nhận hồ sơ" in html
    assert _url("dossier-form", dossier, "refusal") in html
    assert _url("dossier-form", dossier, "receipt") not in html


def test_supplement_request_lists_checked_documents_and_free_lines(client, personas, submitted):
    document = submitted.procedure_version.documents.get()
    client.force_login(personas.desk_x)
    response = client.post(
        _url("dossier-supplement", submitted),
        {
            "revision": submitted.revision,
            "supplement_documents": [str(document.pk)],
            "supplement_other": "Bản sao sổ hộ khẩu\n\n  Ảnh 4x6  ",
            "supplement_reason": "Tờ khai chưa ký.",
        },
        follow=True,
    )
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.supplement_items == ["Tờ khai theo mẫu", "Bản sao sổ hộ khẩu", "Ảnh 4x6"]
    assert dossier.supplement_reason == "Tờ khai chưa ký."
    html = _html(response)
    assert "Đã gửi yêu cầu bổ sung hồ sơ" in html
    assert _url("dossier-form", dossier, "supplement") in html
    assert (
        Notification.objects.filter(event="dossiers.dossier.supplement_requested", channel="email").count()
        == 1
    )
    client.get("/can-bo/ho-so/", {"xem": "bo-sung"})
    assert dossier.reference in _html(client.get("/can-bo/ho-so/", {"xem": "bo-sung"}))


def test_supplement_request_without_items_keeps_what_was_typed(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.post(
        _url("dossier-supplement", submitted),
        {"revision": submitted.revision, "supplement_reason": "Thiếu giấy tờ."},
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Cần liệt kê ít nhất một giấy tờ phải bổ sung, hoàn thiện." in html
    assert ">Thiếu giấy tờ.</textarea>" in html
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["officer_y", "an", "stranger"])
def test_actions_are_refused_to_others(client, personas, submitted, who):
    client.force_login(getattr(personas, who))
    response = client.post(_url("dossier-accept", submitted), {"revision": submitted.revision})
    assert response.status_code in {403, 404}
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_action_without_revision_changes_nothing(client, personas, submitted):
    client.force_login(personas.desk_x)
    response = client.post(_url("dossier-accept", submitted), {})
    assert response.status_code == 409
    assert "thiếu thông tin phiên bản hồ sơ" in _html(response)
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_actions_accept_only_post(client, personas, submitted):
    client.force_login(personas.desk_x)
    assert client.get(_url("dossier-accept", submitted)).status_code == 405


# --- files -----------------------------------------------------------------------------------------------------


def test_file_is_served_inline_with_its_type_and_the_view_is_audited(client, personas, submitted):
    document = submitted.documents.get()
    client.force_login(personas.desk_x)
    response = client.get(_url("dossier-file", submitted, document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="to-khai.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()
    event = AuditEvent.objects.get(action="dossiers.document.viewed")
    assert event.actor == personas.desk_x
    assert event.data == {"document": document.pk, "name": "Tờ khai theo mẫu", "download": False}


def test_file_download_is_an_attachment(client, personas, submitted):
    document = submitted.documents.get()
    client.force_login(personas.desk_x)
    response = client.get(_url("dossier-file", submitted, document.pk), {"tai-ve": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert AuditEvent.objects.get(action="dossiers.document.viewed").data["download"] is True


def test_file_of_another_dossier_is_404(client, personas, submitted, record_case, applicant):
    from motcua.dossiers.intake import Upload, dossier_create_submitted

    other, _ = dossier_create_submitted(
        actor=personas.binh,
        owner=personas.binh,
        case=record_case,
        applicant=applicant,
        uploads=[Upload("anh.png", png_bytes(), record_case.version.documents.get().pk)],
    )
    client.force_login(personas.desk_x)
    assert client.get(_url("dossier-file", submitted, other.documents.get().pk)).status_code == 404


# --- forms -----------------------------------------------------------------------------------------------------


def test_form_print_returns_the_receipt_pdf_and_is_audited(client, personas, submitted):
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    client.force_login(personas.desk_x)
    response = client.get(_url("dossier-form", submitted, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename")
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="dossiers.form.printed")
    assert event.actor == personas.desk_x and event.data == {"form": "receipt"}


def test_form_print_is_404_before_the_state_it_records(client, personas, submitted):
    client.force_login(personas.desk_x)
    for form in ("receipt", "supplement", "refusal", "other"):
        assert client.get(_url("dossier-form", submitted, form)).status_code == 404
    assert not AuditEvent.objects.filter(action="dossiers.form.printed").exists()


@pytest.mark.parametrize("who", ["officer_y", "stranger"])
def test_form_print_is_refused_to_others(client, personas, submitted, who):
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    client.force_login(getattr(personas, who))
    assert client.get(_url("dossier-form", submitted, "receipt")).status_code in {403, 404}


# --- walk-in reception -----------------------------------------------------------------------------------------

WALK_IN = {
    "channel": "desk",
    "applicant_name": "Lê Thị Hoa",
    "applicant_id_type": "cccd",
    "applicant_id_number": "075152007788",
    "applicant_birth_date": "20/05/1952",
    "applicant_phone": "0369123456",
    "applicant_email": "",
    "applicant_commune": "26068",
    "applicant_address": "5 Đường Phan Chu Trinh",
    "delivery": "desk",
    "notify_channels": ["sms"],
}


def _walk_in_form(client, case) -> dict:
    html = _html(client.get("/can-bo/ho-so/tiep-nhan-truc-tiep/", {"truong_hop": case.pk}))
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    place = re.search(r'name="place" value="([^"]+)"', html).group(1)
    return {"truong_hop": case.pk, "form_token": token, "place": place}


def test_walk_in_search_lists_the_procedure_and_its_case(client, personas, record_case):
    client.force_login(personas.desk_x)
    html = _html(client.get("/can-bo/ho-so/tiep-nhan-truc-tiep/", {"q": "ly lich tu phap"}))
    assert "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam" in html
    assert f"?truong_hop={record_case.pk}" in html


def test_walk_in_creates_an_accepted_dossier_with_a_code_and_scans(client, personas, record_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = record_case.version.documents.get()
    client.force_login(personas.desk_x)
    data = {**WALK_IN, **_walk_in_form(client, record_case)}
    data[f"document_{document.pk}"] = SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png")
    response = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", data, follow=True)
    dossier = Dossier.objects.get(applicant_id_number="075152007788")
    assert dossier.status == Status.ACCEPTED
    assert dossier.channel == "desk" and dossier.receiving_agency == personas.agency_x
    assert re.fullmatch(r"000\.00\.05\.H19-\d{6}-0001", dossier.code)
    assert dossier.received_by == personas.desk_x and dossier.owner is None
    scan = dossier.documents.get()
    assert (scan.kind, scan.content_type, scan.required_document) == (
        DossierDocument.Kind.SCAN,
        "image/png",
        document,
    )
    html = _html(response)
    assert response.redirect_chain == [(_url("dossier-detail", dossier), 302)]
    assert f"Mã hồ sơ: {dossier.code}" in html
    assert "In Giấy tiếp nhận (Mẫu 01)" in html
    assert '<img src="' + _url("dossier-file", dossier, scan.pk) in html
    assert _actions(dossier)[:3] == [
        "dossiers.document.added",
        "dossiers.dossier.received",
        "dossiers.dossier.walk_in_form",
    ]


def test_walk_in_form_sent_twice_records_one_dossier(client, personas, record_case):
    client.force_login(personas.desk_x)
    data = {**WALK_IN, **_walk_in_form(client, record_case)}
    first = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", data)
    second = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", data, follow=True)
    dossier = Dossier.objects.get()
    assert first["Location"] == _url("dossier-detail", dossier)
    assert second.redirect_chain == [(_url("dossier-detail", dossier), 302)]
    assert "Biểu mẫu này đã được gửi trước đó" in _html(second)


@pytest.mark.django_db(transaction=True)
def test_walk_in_double_click_at_the_same_instant_records_one_dossier(personas, record_case):
    import threading

    from django.db import connection
    from django.test import Client

    clients = [Client(), Client()]
    for each in clients:
        each.force_login(personas.desk_x)
    data = {**WALK_IN, **_walk_in_form(clients[0], record_case)}
    barrier = threading.Barrier(2)
    locations: list[str] = []

    def send(each):
        try:
            barrier.wait(timeout=10)
            locations.append(each.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", data)["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    dossier = Dossier.objects.get()
    assert locations == [_url("dossier-detail", dossier)] * 2
    assert AuditEvent.objects.filter(action="dossiers.dossier.received").count() == 1


def test_walk_in_errors_keep_every_typed_value_and_the_scan(client, personas, record_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = record_case.version.documents.get()
    client.force_login(personas.desk_x)
    form = _walk_in_form(client, record_case)
    bad = {**WALK_IN, **form, "applicant_phone": "12345", "applicant_birth_date": "01/01/2999"}
    bad[f"document_{document.pk}"] = SimpleUploadedFile(
        "scan.pdf", pdf_bytes(), content_type="application/pdf"
    )
    response = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", bad)
    html = _html(response)
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert "Số điện thoại gồm 10 chữ số" in html
    assert "Ngày sinh không thể ở trong tương lai." in html
    for value in (
        'value="Lê Thị Hoa"',
        'value="075152007788"',
        'value="12345"',
        'value="5 Đường Phan Chu Trinh"',
    ):
        assert value in html
    assert 'value="26068" selected' in html
    kept = re.search(rf'name="keep_{document.pk}" value="([^"]+)" checked', html).group(1)
    assert "Dùng tệp đã chọn trước: scan.pdf" in html

    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    good = {**WALK_IN, **form, "form_token": token, f"keep_{document.pk}": kept}
    response = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", good)
    dossier = Dossier.objects.get()
    assert response["Location"] == _url("dossier-detail", dossier)
    scan = dossier.documents.get()
    assert (scan.original_name, scan.content_type) == ("scan.pdf", "application/pdf")
    assert scan.file.read() == pdf_bytes()
    assert client.session["desk_walk_in_files"] == {}


def test_walk_in_refuses_a_file_that_is_not_a_document(client, personas, record_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = record_case.version.documents.get()
    client.force_login(personas.desk_x)
    data = {**WALK_IN, **_walk_in_form(client, record_case)}
    data[f"document_{document.pk}"] = SimpleUploadedFile(
        "to-khai.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post("/can-bo/ho-so/tiep-nhan-truc-tiep/", data)
    assert response.status_code == 400
    assert "không phải PDF, JPEG hay PNG" in _html(response)
    assert 'value="Lê Thị Hoa"' in _html(response)
    assert not Dossier.objects.exists()


def test_walk_in_at_an_agency_that_does_not_receive_the_procedure(client, personas, record_case):
    client.force_login(personas.officer_y)
    html = _html(client.get("/can-bo/ho-so/tiep-nhan-truc-tiep/", {"truong_hop": record_case.pk}))
    assert "không tiếp nhận hồ sơ của thủ tục này" in html
    assert 'name="form_token"' not in html
    response = client.post(
        "/can-bo/ho-so/tiep-nhan-truc-tiep/",
        {
            **WALK_IN,
            "truong_hop": record_case.pk,
            "form_token": "x" * 32,
            "place": f"{personas.agency_x.pk}-{personas.agency_x.pk}",
        },
    )
    assert response.status_code == 200
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("who", ["specialist_x", "volunteer", "an", "stranger"])
def test_walk_in_is_refused_to_anyone_but_desk_officers(client, personas, record_case, who):
    client.force_login(getattr(personas, who))
    assert client.get("/can-bo/ho-so/tiep-nhan-truc-tiep/").status_code == 403


def test_staff_home_links_desk_officers_to_the_desk(client, personas):
    client.force_login(personas.desk_x)
    html = _html(client.get("/can-bo/"))
    assert html.count('href="/can-bo/ho-so/tiep-nhan-truc-tiep/"') == 1
    assert 'href="/can-bo/ho-so/"' in html
    client.force_login(personas.specialist_x)
    assert "tiep-nhan-truc-tiep" not in _html(client.get("/can-bo/"))
