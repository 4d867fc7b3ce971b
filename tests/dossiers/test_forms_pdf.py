"""The official forms Mẫu 01/02/03 as PDF: the facts they print, their language, their QR code, the e-mail."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest
from django.core import mail
from django.utils import timezone, translation

from motcua.directory.models import AdministrativeUnit, Agency
from motcua.dossiers import forms_pdf
from motcua.dossiers.errors import DossierError
from motcua.dossiers.forms_pdf import form_filename, form_html, form_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.notify import tracking_url
from motcua.dossiers.services import dossier_accept, dossier_refuse, dossier_supplement_request
from motcua.notifications.attachments import attachment_render
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_deliver

pytestmark = pytest.mark.django_db

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PROCEDURE = "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"
REFUSAL = "Yêu cầu cấp phiếu cho người khác mà không có văn bản ủy quyền."
SUPPLEMENT_REASON = "Tờ khai thiếu chữ ký của người yêu cầu."
SUPPLEMENT_ITEMS = ["Tờ khai theo mẫu", "Bản sao Giấy khai sinh có chứng thực"]


def _text(pdf: bytes) -> str:
    """The PDF's text with white space collapsed (a table cell or a line may wrap anywhere)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(unicodedata.normalize("NFC", result.stdout.decode("utf-8")).split())


def _squeezed(text: str) -> str:
    """Without white space: a long URL may be wrapped anywhere."""
    return "".join(text.split())


def _fonts(pdf: bytes) -> set[str]:
    result = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    rows = result.stdout.decode().splitlines()[2:]
    return {row.split()[0].split("+", 1)[-1] for row in rows if row.strip()}


def _qr_payloads(pdf: bytes, directory) -> list[str]:
    """Print the first page at 150 dpi and read every QR code on it, as a phone camera would."""
    (directory / "form.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", "form.pdf", "page"],
        cwd=directory,
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(directory / "page.png")], capture_output=True, check=True
    )
    return decoded.stdout.decode().split()


def _local(value, pattern: str) -> str:
    return timezone.localtime(value).strftime(pattern)


@pytest.fixture
def accepted(personas, submitted):
    return dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)


@pytest.fixture
def refused(personas, submitted):
    return dossier_refuse(
        dossier=submitted, actor=personas.desk_x, reason=REFUSAL, expected_revision=submitted.revision
    )


@pytest.fixture
def asked_to_supplement(personas, submitted):
    return dossier_supplement_request(
        dossier=submitted,
        actor=personas.desk_x,
        items=SUPPLEMENT_ITEMS,
        reason=SUPPLEMENT_REASON,
        expected_revision=submitted.revision,
    )


def _header_facts(text: str, dossier, issued_at) -> None:
    assert "UBND TỈNH ĐỒNG NAI" in text
    assert "SỞ TƯ PHÁP" in text
    assert QUOC_HIEU in text
    assert TIEU_NGU in text
    assert f"Số: {dossier.display_code}" in text
    assert (
        f"Đồng Nai, ngày {_local(issued_at, '%d')} tháng {_local(issued_at, '%m')} năm {_local(issued_at, '%Y')}"
        in text
    )


def test_receipt_pdf_prints_the_facts_of_mau_01(personas, accepted):
    pdf = form_pdf(dossier=accepted, form="receipt")

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    _header_facts(text, accepted, accepted.accepted_at)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {accepted.code}" in text
    assert "Sở Tư pháp tiếp nhận hồ sơ của:" in text
    assert "Họ và tên người nộp: Nguyễn Văn An (nộp trực tuyến)" in text
    assert "075090001234" in text
    assert "Số điện thoại: 0912345678; thư điện tử: an@example.vn" in text
    assert "Chủ hồ sơ: Nguyễn Văn An; địa chỉ: 12 Đường Võ Thị Sáu, Phường Biên Hòa, Đồng Nai" in text
    assert f"Nội dung yêu cầu giải quyết: {PROCEDURE}" in text
    assert "Tờ khai theo mẫu" in text and "Bản sao chứng thực" in text
    assert "2. Số lượng hồ sơ: 01 (bộ)" in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc" in text
    received = f"{_local(accepted.accepted_at, '%H:%M')} ngày {_local(accepted.accepted_at, '%d/%m/%Y')}"
    due = f"{_local(accepted.due_at, '%H:%M')} ngày {_local(accepted.due_at, '%d/%m/%Y')}"
    assert f"4. Thời gian nhận hồ sơ: {received}" in text
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {due}" in text
    assert "6. Đăng ký nhận kết quả tại: Nhận tại bộ phận một cửa" in text
    assert _squeezed(tracking_url(accepted)) in _squeezed(text)
    assert f"mã tra cứu: {accepted.access_code}" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Nguyễn Thị Thu Trang" in text  # the receiving officer


def test_receipt_names_the_submitter_acting_by_power_of_attorney(personas, submitted):
    submitted.submitter_name = "Trần Thị Bình"
    submitted.submitter_id_number = "075185004321"
    submitted.submitter_phone = "0987654321"
    submitted.submitter_authorisation = "Giấy ủy quyền số 12/2026"
    submitted.save()
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)

    text = _text(form_pdf(dossier=accepted, form="receipt"))

    assert "Họ và tên người nộp: Trần Thị Bình (nộp trực tuyến)" in text
    assert "075185004321" in text
    assert "Số điện thoại: 0987654321; thư điện tử: an@example.vn" in text
    assert "Nộp thay theo ủy quyền của chủ hồ sơ (giấy ủy quyền: Giấy ủy quyền số 12/2026)." in text
    assert "Chủ hồ sơ: Nguyễn Văn An" in text
    assert "NGƯỜI NỘP HỒ SƠ NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) (Ký và ghi rõ họ tên)" in text
    assert text.endswith("Trần Thị Bình Nguyễn Thị Thu Trang")


def test_receipt_qr_code_opens_the_tracking_page(accepted, tmp_path):
    pdf = form_pdf(dossier=accepted, form="receipt")

    assert _qr_payloads(pdf, tmp_path) == [tracking_url(accepted)]
    assert tracking_url(accepted).endswith(f"?ma={accepted.code}&khoa={accepted.access_code}")


def test_forms_are_set_in_a_serif_font_with_vietnamese_glyphs(accepted):
    """Liberation Serif (Times metrics) covers Vietnamese: no glyph falls back to another font."""
    pdf = form_pdf(dossier=accepted, form="receipt")

    assert _fonts(pdf) == {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"}


def test_supplement_pdf_prints_the_items_and_reason_of_mau_02(personas, asked_to_supplement):
    dossier = asked_to_supplement
    personas.desk_x.phone = "0251381234"
    personas.desk_x.save(update_fields=["phone"])
    pdf = form_pdf(dossier=dossier, form="supplement")

    text = _text(pdf)
    _header_facts(text, dossier, dossier.supplement_requested_at)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Mã hồ sơ: {dossier.reference}" in text
    assert "Chủ hồ sơ: Nguyễn Văn An" in text
    assert f"Nội dung yêu cầu giải quyết: {PROCEDURE}" in text
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:" in text
    for item in SUPPLEMENT_ITEMS:
        assert item in text
    assert f"Lý do: {SUPPLEMENT_REASON}" in text
    assert (
        "nếu có vướng mắc, Ông/Bà liên hệ cán bộ Nguyễn Thị Thu Trang, số điện thoại 0251381234 "
        "để được hướng dẫn." in text
    )
    assert text.endswith("NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Nguyễn Thị Thu Trang")


def test_refusal_pdf_prints_the_reason_of_mau_03(personas, refused):
    pdf = form_pdf(dossier=refused, form="refusal")

    text = _text(pdf)
    _header_facts(text, refused, refused.refused_at)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {refused.reference}" in text
    assert "Họ và tên người nộp: Nguyễn Văn An" in text
    assert f"Nội dung yêu cầu giải quyết: {PROCEDURE}" in text
    assert "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:" in text
    assert REFUSAL in text
    assert "Mọi thắc mắc xin liên hệ cán bộ Nguyễn Thị Thu Trang. Xin trân trọng thông báo!" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Nguyễn Thị Thu Trang" in text


def test_forms_are_vietnamese_whatever_the_request_language(accepted):
    with translation.override("en"):
        text = _text(form_pdf(dossier=accepted, form="receipt"))
        html = form_html(dossier=accepted, form="receipt")
        assert translation.get_language() == "en"

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc" in text
    assert '<html lang="vi">' in html


def test_superior_line_is_the_parent_agency_or_the_provinces_committee(personas, accepted, settings):
    province_committee = Agency.objects.get(code="000.00.00.H19")
    personas.agency_x.parent = province_committee
    personas.agency_x.save(update_fields=["parent"])
    accepted.receiving_agency.refresh_from_db()

    html = form_html(dossier=accepted, form="receipt")
    assert '<div class="superior">ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI</div>' in html
    assert '<div class="unit">SỞ TƯ PHÁP</div>' in html

    # The province's own committee has no line above its name.
    accepted.receiving_agency = province_committee
    html = form_html(dossier=accepted, form="receipt")
    assert 'class="superior"' not in html
    assert '<div class="unit">ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI</div>' in html


def test_place_and_province_come_from_the_installations_province(personas, accepted, settings):
    AdministrativeUnit.objects.create(
        level="province", code="68", name="Lâm Đồng", division_type="tỉnh", codename="lam_dong"
    )
    settings.PROVINCE_CODE = "68"
    html = form_html(dossier=accepted, form="receipt")
    assert '<div class="superior">UBND TỈNH LÂM ĐỒNG</div>' in html
    assert "Lâm Đồng, ngày" in html

    settings.PROVINCE_CODE = "99"  # not loaded: the default province
    html = form_html(dossier=accepted, form="receipt")
    assert '<div class="superior">UBND TỈNH ĐỒNG NAI</div>' in html
    assert "Đồng Nai, ngày" in html


def test_a_form_without_its_facts_is_refused_in_vietnamese(submitted, accepted):
    submitted.refresh_from_db()
    with pytest.raises(DossierError) as refused:
        form_pdf(dossier=submitted, form="refusal")
    assert refused.value.code == "form_unavailable"
    assert refused.value.message == f"Hồ sơ {submitted.code} chưa có phiếu này."

    with pytest.raises(DossierError) as unknown:
        form_pdf(dossier=accepted, form="mau-99")
    assert unknown.value.code == "form_unknown"
    assert unknown.value.message == "Không có phiếu “mau-99”."


def test_form_filenames_are_ascii_and_name_the_dossier(accepted):
    not_accepted = Dossier(reference="HS2611ABCDEFGH", code=None)  # known by its registration number
    assert form_filename(accepted, "receipt") == f"mau-01-tiep-nhan-{accepted.code}.pdf"
    assert form_filename(accepted, "supplement") == f"mau-02-bo-sung-{accepted.code}.pdf"
    assert form_filename(not_accepted, "refusal") == "mau-03-tu-choi-HS2611ABCDEFGH.pdf"
    assert form_filename(accepted, "receipt").isascii()


def test_attachment_renderer_is_registered_for_dossier_forms(refused):
    filename, content, mimetype = attachment_render(f"dossier-form:refusal:{refused.pk}")

    assert (filename, mimetype) == (f"mau-03-tu-choi-{refused.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert REFUSAL in _text(content)


def test_acceptance_email_carries_the_receipt_pdf(accepted, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = Notification.objects.get(event="dossiers.dossier.accepted", channel="email")

    delivered = notification_deliver(notification_id=notification.pk)

    assert delivered.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"mau-01-tiep-nhan-{accepted.code}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert f"Mã hồ sơ: {accepted.code}" in _text(content)


def test_rendering_fetches_nothing_but_data_uris():
    fetcher = forms_pdf._url_fetcher()
    for url in ("http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher(url)
    response = fetcher("data:text/plain;base64,b2s=")
    assert response.read() == b"ok"
