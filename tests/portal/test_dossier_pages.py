# ruff: noqa: F811  (the shared fixtures imported below are pytest fixtures, named again as test arguments)
"""The citizen's online dossier pages: start, fill in, submit, acknowledgement, my dossiers, one dossier, its files,
the supplement, and the public tracking page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.models import ProcedureCase
from motcua.core.models import AuditEvent, RateCounter
from motcua.dossiers.intake import dossier_draft_create
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.notify import TRACKING_PATH, tracking_url
from motcua.dossiers.services import dossier_accept, dossier_refuse, dossier_supplement_request
from tests.dossiers.conftest import (  # noqa: F401  (shared fixtures)
    APPLICANT,
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


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
NOT_FOUND = "Không tìm thấy hồ sơ khớp với thông tin đã nhập"


def _events(dossier, action=None):
    events = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk)).order_by(
        "id"
    )
    if action:
        events = events.filter(action=action)
    return list(events.values_list("action", flat=True))


@pytest.fixture
def draft(personas, record_case):
    """A fresh draft of citizen An for the judicial record certificate (agency X, one required document)."""
    return dossier_draft_create(actor=personas.an, case=record_case)


@pytest.fixture
def an(client, personas):
    client.force_login(personas.an)
    return client


def _form(**changes) -> dict:
    data = {
        **APPLICANT,
        "delivery": "desk",
        "delivery_address": "",
        "notify_channels": ["email", "sms"],
        "action": "save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _edit_url(dossier):
    return reverse("portal:dossier-edit", args=[dossier.public_id])


def _document(dossier):
    return dossier.procedure_version.documents.get()


def _html(response) -> str:
    return response.content.decode()


# --- start ----------------------------------------------------------------------------------------------------


def test_start_page_sends_anonymous_visitor_to_login(client, catalog):
    response = client.get("/thu-tuc/3.000333/nop/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/thu-tuc/3.000333/nop/"
    assert client.post("/thu-tuc/3.000333/nop/")["Location"].startswith("/dang-nhap/")
    assert Dossier.objects.count() == 0


def test_procedure_page_links_to_start_and_start_creates_a_draft(an, personas, record_case):
    detail = _html(an.get("/thu-tuc/3.000333/"))
    assert 'href="/thu-tuc/3.000333/nop/"' in detail and "Nộp hồ sơ trực tuyến" in detail
    page = an.get("/thu-tuc/3.000333/nop/")
    assert page.status_code == 200 and "Bắt đầu soạn hồ sơ" in _html(page)

    response = an.post("/thu-tuc/3.000333/nop/", {"case": record_case.pk})

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.public_id}/sua/"
    assert (dossier.status, dossier.owner, dossier.case, dossier.agency) == (
        "draft",
        personas.an,
        record_case,
        personas.agency_x,
    )
    assert dossier.applicant_name == "Nguyễn Văn An" and dossier.applicant_id_number == "075090001234"
    assert _events(dossier) == ["dossiers.dossier.drafted"]
    again = an.post("/thu-tuc/3.000333/nop/", {"case": record_case.pk})  # a double click opens the same draft
    assert again["Location"] == f"/ho-so/{dossier.public_id}/sua/" and Dossier.objects.count() == 1
    assert "Tiếp tục bản nháp " + dossier.reference in _html(an.get("/thu-tuc/3.000333/nop/"))


def test_start_asks_which_case_when_there_are_several(an, record_case):
    other = ProcedureCase.objects.create(
        version=record_case.version,
        order=2,
        name="Cấp phiếu số 2 theo yêu cầu",
        duration=10,
        unit="working_days",
    )
    page = _html(an.get("/thu-tuc/3.000333/nop/"))
    assert "Trường hợp của bạn" in page and f'value="{other.pk}"' in page

    refused = an.post("/thu-tuc/3.000333/nop/", {})
    assert refused.status_code == 400 and "Hãy chọn trường hợp của bạn." in _html(refused)
    assert Dossier.objects.count() == 0
    an.post("/thu-tuc/3.000333/nop/", {"case": other.pk})
    assert Dossier.objects.get().case == other


def test_start_of_a_procedure_not_online_says_to_go_to_the_desk(an, catalog):
    page = an.get("/thu-tuc/2.000815/nop/")
    assert page.status_code == 200
    assert "Thủ tục này chưa nộp trực tuyến được" in _html(page) and "bộ phận một cửa" in _html(page)
    an.post("/thu-tuc/2.000815/nop/", {})
    assert Dossier.objects.count() == 0
    assert an.get("/thu-tuc/9.999999/nop/").status_code == 404


# --- the form -------------------------------------------------------------------------------------------------


def test_edit_page_is_one_multipart_form_prefilled_from_the_account(an, personas, draft):
    html = _html(an.get(_edit_url(draft)))
    assert 'enctype="multipart/form-data"' in html
    assert 'value="Nguyễn Văn An"' in html and 'value="075090001234"' in html
    # the province's communes in a plain select, and the one upload slot of the procedure
    assert '<option value="26068">Phường Biên Hòa</option>' in html
    assert '<option value="26041">Phường Trấn Biên</option>' in html
    document = _document(draft)
    assert (
        f'<input type="file" name="document_{document.pk}" id="id_document_{document.pk}" '
        'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" multiple>'
    ) in html
    # result delivery limited to the procedure's ways (desk, electronic); no post
    assert 'value="desk"' in html and 'value="electronic"' in html and 'value="post"' not in html
    assert "<details" in html and "Người nộp thay theo ủy quyền" in html
    assert "Lưu nháp" in html and "Nộp hồ sơ" in html
    assert "<script" not in html and "style=" not in html


def test_save_draft_keeps_what_was_typed(an, personas, draft):
    response = an.post(
        _edit_url(draft),
        _form(
            applicant_phone="0987 654 321",
            applicant_commune="26041",
            delivery="electronic",
            notify_channels="sms",
        ),
    )
    assert response.status_code == 302 and response["Location"] == _edit_url(draft)
    draft.refresh_from_db()
    assert (draft.applicant_phone, draft.applicant_commune, draft.delivery, draft.notify_channels) == (
        "0987654321",
        personas.commune_b,
        "electronic",
        ["sms"],
    )
    assert draft.applicant_birth_date.strftime("%d/%m/%Y") == "12/03/1990"
    assert draft.status == "draft" and _events(draft, "dossiers.dossier.draft_saved") == [
        "dossiers.dossier.draft_saved"
    ]
    page = _html(an.get(_edit_url(draft)))
    assert "Đã lưu bản nháp lúc" in page and 'value="12/03/1990"' in page and 'value="0987654321"' in page


def test_upload_then_remove_a_file(an, draft):
    document = _document(draft)
    an.post(
        _edit_url(draft), _form(**{f"document_{document.pk}": SimpleUploadedFile("to-khai.pdf", pdf_bytes())})
    )
    stored = DossierDocument.objects.get(dossier=draft)
    assert (stored.required_document, stored.original_name, stored.content_type, stored.replaced) == (
        document,
        "to-khai.pdf",
        "application/pdf",
        False,
    )
    html = _html(an.get(_edit_url(draft)))
    assert "to-khai.pdf" in html and f'name="xoa" value="{stored.pk}"' in html

    response = an.post(_edit_url(draft), _form(xoa=str(stored.pk)))

    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.replaced is True
    assert _events(draft, "dossiers.document.removed") == ["dossiers.document.removed"]
    assert "Đã gỡ tệp “to-khai.pdf”." in _html(an.get(_edit_url(draft)))


def test_submit_gives_acknowledgement_and_a_double_click_changes_nothing(an, personas, draft):
    document = _document(draft)
    data = _form(
        action="submit", **{f"document_{document.pk}": SimpleUploadedFile("to-khai.pdf", pdf_bytes())}
    )

    response = an.post(_edit_url(draft), data)

    assert response.status_code == 302 and response["Location"] == f"/ho-so/{draft.public_id}/da-nop/"
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.submitted_at is not None
    page = _html(an.get(response["Location"]))
    assert "Đã nộp hồ sơ" in page and draft.reference in page and draft.access_code in page
    assert tracking_url(draft).replace("&", "&amp;") in page and "<svg" in page

    again = an.post(_edit_url(draft), _form(action="submit"))  # the second click of a double click

    assert again.status_code == 302 and again["Location"] == f"/ho-so/{draft.public_id}/da-nop/"
    assert Dossier.objects.count() == 1
    assert DossierDocument.objects.filter(dossier=draft).count() == 1
    assert _events(draft, "dossiers.dossier.submitted") == ["dossiers.dossier.submitted"]
    assert an.get(_edit_url(draft))["Location"] == f"/ho-so/{draft.public_id}/"


def test_two_submit_clicks_arriving_together_give_one_dossier(an, monkeypatch, draft):
    """The second request finds the draft submitted by the first while it was saving: it shows the receipt."""
    from motcua.dossiers import intake

    document = _document(draft)
    an.post(_edit_url(draft), _form(**{f"document_{document.pk}": SimpleUploadedFile("a.pdf", pdf_bytes())}))
    real_update = intake.dossier_draft_update

    def update_while_the_other_click_submits(**kwargs):
        result = real_update(**kwargs)
        intake.dossier_submit(dossier=Dossier.objects.get(pk=draft.pk), actor=kwargs["actor"])
        return result

    monkeypatch.setattr(intake, "dossier_draft_update", update_while_the_other_click_submits)

    response = an.post(_edit_url(draft), _form(action="submit"))

    assert response.status_code == 302 and response["Location"] == f"/ho-so/{draft.public_id}/da-nop/"
    assert Dossier.objects.get().status == Status.SUBMITTED
    assert _events(draft, "dossiers.dossier.submitted") == ["dossiers.dossier.submitted"]


def test_submit_without_the_document_lists_what_is_missing(an, draft):
    response = an.post(_edit_url(draft), _form(action="submit", applicant_address="45 Phan Chu Trinh"))
    html = _html(response)
    document = _document(draft)
    assert response.status_code == 200
    assert "Chưa đính kèm “Tờ khai theo mẫu”." in html
    assert f'<a href="#id_document_{document.pk}">Chưa đính kèm “Tờ khai theo mẫu”.</a>' in html
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.applicant_address == "45 Phan Chu Trinh"  # the fields were saved


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"applicant_id_number": "07509000123"},
            "applicant_id_number",
            "phải gồm đúng 12 chữ số (bạn nhập 11 ký tự)",
        ),
        (
            {"applicant_birth_date": "01/01/2999"},
            "applicant_birth_date",
            "Ngày sinh không thể ở trong tương lai.",
        ),
        (
            {"applicant_name": "A" * 10_000},
            "applicant_name",
            "Họ và tên dài 10000 ký tự, quá giới hạn 200 ký tự.",
        ),
        ({"applicant_phone": "12345"}, "applicant_phone", "Số điện thoại gồm 10 chữ số"),
    ],
)
def test_bad_input_shows_the_message_and_keeps_the_other_values(an, draft, change, field, message):
    response = an.post(_edit_url(draft), _form(applicant_address="45 Phan Chu Trinh", **change))
    html = _html(response)
    assert response.status_code == 200
    assert message in html
    assert f'<a href="#id_{field}">' in html  # the summary links to the field
    assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
    assert 'value="45 Phan Chu Trinh"' in html and 'value="an@example.vn"' in html  # nothing typed is lost
    assert f'value="{change[field]}"' in html
    draft.refresh_from_db()
    assert draft.applicant_address == "" and _events(draft, "dossiers.dossier.draft_saved") == []


def test_an_executable_named_pdf_is_refused_and_the_fields_are_still_saved(an, draft):
    document = _document(draft)
    response = an.post(
        _edit_url(draft),
        _form(
            applicant_address="45 Phan Chu Trinh",
            **{f"document_{document.pk}": SimpleUploadedFile("to-khai.pdf", EXE)},
        ),
    )
    html = _html(response)
    assert response.status_code == 200
    assert "Tệp “to-khai.pdf” không phải PDF, JPEG hay PNG" in html
    assert f'id="id_document_{document.pk}-error"' in html
    assert DossierDocument.objects.filter(dossier=draft).count() == 0
    draft.refresh_from_db()
    assert draft.applicant_address == "45 Phan Chu Trinh"


def test_a_good_image_is_kept_even_when_a_field_is_wrong(an, draft):
    document = _document(draft)
    an.post(
        _edit_url(draft),
        _form(applicant_phone="", **{f"document_{document.pk}": SimpleUploadedFile("anh.png", png_bytes())}),
    )
    assert DossierDocument.objects.get(dossier=draft).content_type == "image/png"


def test_procedure_fields_and_post_delivery(an, draft):
    version = draft.procedure_version
    version.form_fields = [
        {"key": "muc_dich", "label": "Mục đích sử dụng phiếu", "type": "text", "required": True},
        {
            "key": "so_ban",
            "label": "Số bản cần cấp",
            "type": "choice",
            "required": False,
            "choices": ["1", "2"],
        },
    ]
    version.delivery_methods = ["desk", "post"]
    version.save(update_fields=["form_fields", "delivery_methods"])
    html = _html(an.get(_edit_url(draft)))
    assert "Mục đích sử dụng phiếu" in html and "Số bản cần cấp (nếu có)" in html and 'value="post"' in html

    wrong = _html(an.post(_edit_url(draft), _form(delivery="post", extra_so_ban="9")))
    assert "Chưa nhập Mục đích sử dụng phiếu." in wrong
    assert "Số bản cần cấp: hãy chọn một trong các lựa chọn." in wrong
    assert "Nhận qua bưu chính: hãy nhập địa chỉ nhận kết quả." in wrong

    an.post(
        _edit_url(draft),
        _form(
            delivery="post",
            delivery_address="12 Võ Thị Sáu, Biên Hòa",
            extra_muc_dich="Xin việc",
            extra_so_ban="2",
        ),
    )
    draft.refresh_from_db()
    assert draft.extra_data == {"muc_dich": "Xin việc", "so_ban": "2"}
    assert (draft.delivery, draft.delivery_address) == ("post", "12 Võ Thị Sáu, Biên Hòa")


def test_submitter_by_power_of_attorney_opens_its_block_when_wrong(an, draft):
    html = _html(an.post(_edit_url(draft), _form(submitter_name="Trần Văn Ba")))
    assert '<details class="attorney" open>' in html
    assert "Chưa nhập số CCCD của người nộp thay." in html
    an.post(
        _edit_url(draft),
        _form(
            submitter_name="Trần Văn Ba",
            submitter_id_number="075085001111",
            submitter_phone="0901234567",
            submitter_authorisation="Giấy ủy quyền số 12/2026",
        ),
    )
    draft.refresh_from_db()
    assert (draft.submitter_name, draft.submitter_phone) == ("Trần Văn Ba", "0901234567")


# --- who may see what -----------------------------------------------------------------------------------------


def _pages(dossier):
    document = DossierDocument.objects.filter(dossier=dossier).first()
    pages = [
        f"/ho-so/{dossier.public_id}/",
        f"/ho-so/{dossier.public_id}/sua/",
        f"/ho-so/{dossier.public_id}/da-nop/",
        f"/ho-so/{dossier.public_id}/mau/receipt/",
    ]
    if document:
        pages.append(f"/ho-so/{dossier.public_id}/tep/{document.pk}/")
    return pages


@pytest.mark.parametrize("who", ["binh", "stranger", "desk_x", "officer_y"])
def test_other_people_get_404_for_someone_elses_dossier(client, personas, submitted, who):
    client.force_login(getattr(personas, who))
    before = AuditEvent.objects.count()
    for url in _pages(submitted):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ho-so/{submitted.public_id}/sua/", _form(action="submit")).status_code == 404
    assert client.post(f"/ho-so/{submitted.public_id}/bo-sung/", {"action": "send"}).status_code == 404
    assert AuditEvent.objects.count() == before


def test_other_citizen_cannot_edit_a_draft(client, personas, draft):
    client.force_login(personas.binh)
    assert client.get(_edit_url(draft)).status_code == 404
    assert client.post(_edit_url(draft), _form(applicant_name="Kẻ Gian")).status_code == 404
    draft.refresh_from_db()
    assert draft.applicant_name == "Nguyễn Văn An"


def test_anonymous_visitor_is_sent_to_login(client, submitted):
    for url in [*_pages(submitted), "/ho-so-cua-toi/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next="), url


# --- my dossiers ----------------------------------------------------------------------------------------------


def test_my_dossiers_lists_own_dossiers_with_state_and_links(an, client, personas, submitted, draft):
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    html = _html(an.get("/ho-so-cua-toi/"))
    assert accepted.code in html and "Được tiếp nhận" in html
    assert timezone.localtime(accepted.due_at).strftime("%H:%M %d/%m/%Y") in html
    assert f'href="/ho-so/{draft.public_id}/sua/"' in html and f'href="/ho-so/{accepted.public_id}/"' in html
    assert "Đang soạn" in html and draft.reference in html
    client.force_login(personas.binh)
    other = _html(client.get("/ho-so-cua-toi/"))
    assert "Bạn chưa có hồ sơ nào." in other and accepted.code not in other


def test_my_dossiers_pages_by_id(an, personas, record_case):
    dossiers = [dossier_draft_create(actor=personas.an, case=record_case) for _ in range(27)]
    first = _html(an.get("/ho-so-cua-toi/"))
    assert first.count('class="status status-draft"') == 25
    newest_first = sorted(dossiers, key=lambda d: -d.pk)
    assert f"?truoc={newest_first[24].pk}" in first
    second = _html(an.get(f"/ho-so-cua-toi/?truoc={newest_first[24].pk}"))
    assert second.count('class="status status-draft"') == 2 and 'href="/ho-so-cua-toi/?truoc=' not in second
    assert an.get("/ho-so-cua-toi/?truoc=abc").status_code == 200


# --- one dossier ----------------------------------------------------------------------------------------------


def test_dossier_page_is_audited_and_shows_state_timeline_and_files(an, personas, submitted):
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    response = an.get(f"/ho-so/{accepted.public_id}/")
    html = _html(response)
    assert response.status_code == 200
    assert accepted.code in html and "Được tiếp nhận" in html and "Sở Tư pháp" in html
    assert timezone.localtime(accepted.due_at).strftime("%H:%M %d/%m/%Y") in html
    assert "Nộp hồ sơ trực tuyến" in html and "Hồ sơ được tiếp nhận" in html  # the public timeline
    document = DossierDocument.objects.get(dossier=accepted)
    assert f'href="/ho-so/{accepted.public_id}/tep/{document.pk}/"' in html
    assert f'href="/ho-so/{accepted.public_id}/mau/receipt/"' in html and "Mẫu 01" in html
    assert "/mau/refusal/" not in html and "/mau/supplement/" not in html
    viewed = AuditEvent.objects.get(action="dossiers.dossier.viewed")
    assert (viewed.actor, viewed.object_id) == (personas.an, str(accepted.pk))


def test_assisting_team_member_sees_the_dossier(client, personas, submitted):
    Dossier.objects.filter(pk=submitted.pk).update(assisted_by=personas.volunteer)
    client.force_login(personas.volunteer)
    assert client.get(f"/ho-so/{submitted.public_id}/").status_code == 200
    assert submitted.reference in _html(client.get("/ho-so-cua-toi/"))


def test_file_download_serves_the_stored_file_as_attachment(an, personas, submitted):
    document = DossierDocument.objects.get(dossier=submitted)
    response = an.get(f"/ho-so/{submitted.public_id}/tep/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="dossiers.document.downloaded")
    assert (event.actor, event.data["document"]) == (personas.an, document.pk)
    assert an.get(f"/ho-so/{submitted.public_id}/tep/{document.pk + 999}/").status_code == 404


def test_refused_dossier_shows_the_reason_and_form_03(an, personas, submitted):
    dossier_refuse(dossier=submitted, actor=personas.desk_x, reason="Không thuộc thẩm quyền của Sở Tư pháp.")
    html = _html(an.get(f"/ho-so/{submitted.public_id}/"))
    assert "Không được tiếp nhận" in html and "Không thuộc thẩm quyền của Sở Tư pháp." in html
    assert f'href="/ho-so/{submitted.public_id}/mau/refusal/"' in html and "Mẫu 03" in html
    assert an.get(f"/ho-so/{submitted.public_id}/mau/receipt/").status_code == 404


def test_form_pdf_is_served_from_the_forms_module(an, personas, submitted):
    from motcua.dossiers.forms_pdf import form_filename

    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    response = an.get(f"/ho-so/{accepted.public_id}/mau/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert form_filename(dossier=accepted, form="receipt") in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="dossiers.form.downloaded", actor=personas.an).count() == 1
    assert an.get(f"/ho-so/{accepted.public_id}/mau/khac/").status_code == 404


def test_supplement_online(an, personas, submitted):
    dossier_supplement_request(
        dossier=submitted,
        actor=personas.desk_x,
        items=["Tờ khai theo mẫu", "Bản sao CCCD"],
        reason="Tờ khai bị mờ.",
    )
    url = f"/ho-so/{submitted.public_id}/"
    html = _html(an.get(url))
    assert "Cần bổ sung, hoàn thiện hồ sơ" in html and "Tờ khai bị mờ." in html
    assert "Bản sao CCCD" in html and 'name="bosung_0"' in html and 'name="bosung_1"' in html
    assert "Gửi bổ sung" in html and f'href="/ho-so/{submitted.public_id}/mau/supplement/"' in html

    empty = an.post(f"{url}bo-sung/", {"action": "send"})
    assert "Hãy đính kèm giấy tờ được yêu cầu" in _html(empty)
    bad = an.post(f"{url}bo-sung/", {"action": "send", "bosung_1": SimpleUploadedFile("cccd.pdf", EXE)})
    assert "Tệp “cccd.pdf” không phải PDF, JPEG hay PNG" in _html(bad)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUPPLEMENT

    response = an.post(
        f"{url}bo-sung/",
        {
            "action": "send",
            "ghi_chu": "Đã scan lại.",
            "bosung_0": SimpleUploadedFile("to-khai-moi.pdf", pdf_bytes()),
        },
    )

    assert response.status_code == 302 and response["Location"] == url
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    added = DossierDocument.objects.get(dossier=submitted, kind="supplement")
    assert (added.original_name, added.required_document) == ("to-khai-moi.pdf", _document(submitted))
    event = AuditEvent.objects.get(action="dossiers.dossier.supplemented")
    assert (event.actor, event.data["files"], event.data["note"]) == (personas.an, 1, "Đã scan lại.")
    assert "Đã gửi giấy tờ bổ sung" in _html(an.get(url))


# --- public tracking ------------------------------------------------------------------------------------------


def test_tracking_page_is_at_the_path_the_messages_use(client):
    assert reverse("portal:tracking") == TRACKING_PATH
    html = _html(client.get(TRACKING_PATH))
    assert "Tra cứu hồ sơ" in html and 'name="ma"' in html and 'name="so"' in html and 'name="khoa"' in html
    assert 'name="robots"' not in html
    assert 'href="/tra-cuu/"' in _html(client.get("/"))  # linked from every page


def test_tracking_by_code_and_last_4_digits_shows_no_personal_data(client, personas, submitted):
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    response = client.get(TRACKING_PATH, {"ma": accepted.code, "so": "5678"})
    html = _html(response)
    assert response.status_code == 200
    assert "Được tiếp nhận" in html and "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam" in html
    assert "Sở Tư pháp" in html
    assert timezone.localtime(accepted.accepted_at).strftime("%H:%M %d/%m/%Y") in html
    assert timezone.localtime(accepted.due_at).strftime("%H:%M %d/%m/%Y") in html
    assert "Nộp hồ sơ trực tuyến" in html and "Hồ sơ được tiếp nhận" in html
    assert '<meta name="robots" content="noindex">' in html
    for personal in (
        "Nguyễn Văn An",
        "0912345678",
        "075090001234",
        "an@example.vn",
        "Võ Thị Sáu",
        accepted.access_code,
    ):
        assert personal not in html


def test_tracking_by_the_qr_link_with_the_access_code(client, submitted):
    url = tracking_url(submitted)
    path = url.split("://", 1)[1].split("/", 1)[1]
    html = _html(client.get("/" + path))
    assert "Mới đăng ký" in html and submitted.reference in html and NOT_FOUND not in html


@pytest.mark.parametrize(
    "params",
    [
        {"so": "0000"},
        {"khoa": "AAAAAAAA"},
        {"so": "5678", "ma": "000.00.05.H19-990101-0001"},
        {"khoa": "WRONG", "ma": "HS0000ZZZZZZZZ"},
    ],
)
def test_tracking_wrong_code_or_factor_gives_the_same_neutral_message(client, submitted, params):
    response = client.get(TRACKING_PATH, {"ma": submitted.reference, **params})
    html = _html(response)
    assert response.status_code == 200
    assert NOT_FOUND in html and "Mới đăng ký" not in html and "Cấp phiếu lý lịch" not in html


def test_tracking_asks_for_a_second_factor(client, submitted):
    html = _html(client.get(TRACKING_PATH, {"ma": submitted.reference}))
    assert (
        "Hãy nhập 4 số cuối điện thoại của chủ hồ sơ hoặc mã tra cứu." in html and "Mới đăng ký" not in html
    )


def test_tracking_is_rate_limited_per_client(client, settings, submitted):
    settings.TRACKING_LOOKUPS_PER_10_MINUTES = 3
    for _ in range(5):
        assert client.get(TRACKING_PATH).status_code == 200  # the empty form is not a look-up
    for _ in range(3):
        assert client.get(TRACKING_PATH, {"ma": "X", "so": "1234"}).status_code == 200
    response = client.get(TRACKING_PATH, {"ma": submitted.reference, "so": "5678"})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in _html(response) and response["Retry-After"] == "600"
    assert RateCounter.objects.get(scope="tracking.lookup").count == 4
    other = client.get(TRACKING_PATH, {"ma": submitted.reference, "so": "5678"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "Mới đăng ký" in _html(other)


def test_nav_links_my_dossiers_for_logged_in_users_and_tracking_for_everyone(client, personas):
    anonymous = _html(client.get("/"))
    assert 'href="/tra-cuu/"' in anonymous and 'href="/ho-so-cua-toi/"' not in anonymous
    client.force_login(personas.an)
    html = _html(client.get("/"))
    assert 'href="/ho-so-cua-toi/">Hồ sơ của tôi</a>' in html and 'href="/tra-cuu/">Tra cứu hồ sơ</a>' in html
