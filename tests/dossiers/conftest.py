"""Fixtures for dossiers: the small catalog, real PDF/PNG bytes, and a dossier in each early state."""

from __future__ import annotations

import io

import pytest

from tests.catalog.conftest import catalog, catalog_data  # noqa: F401,F811  (shared fixtures)


def pdf_bytes(text: str = "Tờ khai") -> bytes:
    """A small real PDF (one page), as a scanner or a phone app would produce."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + text.encode() + b"\n", 1)


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(stream, format="PNG")
    return stream.getvalue()


APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_id_type": "cccd",
    "applicant_id_number": "075090001234",
    "applicant_birth_date": "12/03/1990",
    "applicant_phone": "0912345678",
    "applicant_email": "an@example.vn",
    "applicant_commune": "26068",
    "applicant_address": "12 Đường Võ Thị Sáu",
}


@pytest.fixture
def applicant():
    return dict(APPLICANT)


@pytest.fixture
def birth_case(catalog):  # noqa: F811
    """Đăng ký khai sinh (commune level, online, 3 working days in the test catalog)."""
    from motcua.catalog.models import Procedure

    return Procedure.objects.get(national_code="1.001193").current_version.cases.get()


@pytest.fixture
def record_case(catalog):  # noqa: F811
    """Cấp phiếu lý lịch tư pháp (province level, Sở Tư pháp = agency X)."""
    from motcua.catalog.models import Procedure

    return Procedure.objects.get(national_code="3.000333").current_version.cases.get()


@pytest.fixture
def submitted(personas, record_case, applicant):
    """An online dossier of citizen An to agency X, submitted (state 1), with its one document."""
    from motcua.dossiers.intake import Upload, dossier_create_submitted

    document = record_case.version.documents.get()
    dossier, _created = dossier_create_submitted(
        actor=personas.an,
        owner=personas.an,
        case=record_case,
        applicant=applicant,
        uploads=[Upload("to-khai.pdf", pdf_bytes(), document.pk)],
        notify_channels=["email", "sms"],
    )
    return dossier


# --- dossiers in processing (issue 6): agency X's default process, driven through the real services ---------
# desk (desk_x) → specialist (specialist_x) → leader approves (leader_x) → desk returns the result (desk_x)

FORWARD_NOTE = "Hồ sơ đầy đủ, chuyển thẩm định."
PROPOSAL_NOTE = "Đủ điều kiện, đề nghị phê duyệt."
RESULT = {
    "result_number": "15/QĐ-STP",
    "result_signer": "Võ Thị Ngọc Hân",
    "result_summary": "Phiếu lý lịch tư pháp số 1 cấp cho ông Nguyễn Văn An",
}


@pytest.fixture
def in_processing(personas, submitted):
    """Accepted by desk_x and forwarded to the specialist step of agency X (state 4, step 2 open, unassigned)."""
    from motcua.dossiers.processing import dossier_forward
    from motcua.dossiers.services import dossier_accept

    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
    return dossier_forward(dossier=dossier, actor=personas.desk_x, note=FORWARD_NOTE)


@pytest.fixture
def at_approval(personas, in_processing):
    """The specialist took the step and proposed the result: the leader's approving step (3) is open."""
    from motcua.dossiers.processing import dossier_forward, dossier_step_assign

    dossier = dossier_step_assign(
        dossier=in_processing, actor=personas.specialist_x, assignee=personas.specialist_x
    )
    return dossier_forward(dossier=dossier, actor=personas.specialist_x, note=PROPOSAL_NOTE)


@pytest.fixture
def approved(personas, at_approval):
    """The leader approved the result generated from the template (state 9): the desk's return step is open."""
    from django.utils import timezone

    from motcua.dossiers.results import dossier_approve

    return dossier_approve(
        dossier=at_approval,
        actor=personas.leader_x,
        result_signed_on=timezone.localdate(),
        generate=True,
        **RESULT,
    )


@pytest.fixture
def result_returned(personas, approved):
    """The desk handed the result to the applicant at the counter (state 10)."""
    from motcua.dossiers.results import dossier_return_result

    return dossier_return_result(
        dossier=approved, actor=personas.desk_x, method="desk", returned_to="Nguyễn Văn An"
    )
