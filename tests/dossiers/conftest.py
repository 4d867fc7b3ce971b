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
