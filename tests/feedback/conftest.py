"""Fixtures for feedback: two categories with routing rules, the provincial coordinator, photos, and a report."""

from __future__ import annotations

import io

import pytest

from tests.factories import AgencyFactory, UserFactory


def jpeg_bytes(width: int = 40, height: int = 30, *, gps: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (width, height), (30, 120, 200))
    stream = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (10.0, 57.0, 0.0)}  # GPSInfo: a position that must not leak
        image.save(stream, format="JPEG", exif=exif)
    else:
        image.save(stream, format="JPEG")
    return stream.getvalue()


@pytest.fixture
def fb(personas, password):
    """Categories (field: 'giao-thong' routed per commune; question: 'gop-y' anonymous allowed, no rule), the
    agency Z (Sở Xây dựng) with its specialist, and coordinator Hà."""
    from motcua.core.audit import SYSTEM
    from motcua.directory.models import Role
    from motcua.directory.services import staff_assign
    from motcua.feedback.models import Category, Kind, RoutingRule

    p = personas
    p.agency_z = AgencyFactory(
        code="000.00.08.H19", name="Sở Xây dựng", short_name="Sở Xây dựng", province=p.province
    )
    p.specialist_z = UserFactory(
        username="specialist.z", full_name="Đỗ Quốc Huy", kind="staff", password=password
    )
    staff_assign(actor=SYSTEM, user=p.specialist_z, agency=p.agency_z, role=Role.SPECIALIST)
    p.coordinator = UserFactory(
        username="coordinator", full_name="Lâm Thu Hà", kind="staff", password=password, email="ha@example.vn"
    )
    staff_assign(actor=SYSTEM, user=p.coordinator, agency=p.agency_x, role=Role.FEEDBACK_COORDINATOR)
    p.traffic = Category.objects.create(
        code="giao-thong", name="Giao thông", kinds=[Kind.FIELD], answer_days=5, order=1
    )
    p.suggestion = Category.objects.create(
        code="gop-y",
        name="Câu hỏi, góp ý",
        kinds=[Kind.QUESTION, Kind.PROCEDURE],
        anonymous_allowed=True,
        needs_location=False,
        answer_days=10,
        order=2,
    )
    RoutingRule.objects.create(category=p.traffic, commune=None, agency=p.agency_z)
    RoutingRule.objects.create(category=p.traffic, commune=p.commune_a, agency=p.agency_y)
    return p


FIELD_REPORT = {
    "kind": "field",
    "category": "giao-thong",
    "description": "Ổ gà lớn giữa đường, xe máy dễ té ngã vào ban đêm.",
    "reporter_name": "Nguyễn Văn An",
    "reporter_phone": "0912345678",
    "reporter_email": "an@example.vn",
    "commune": "26041",
    "address": "Trước số 12 đường Võ Thị Sáu",
    "notify_channels": ["sms"],
}


@pytest.fixture
def field_data():
    return dict(FIELD_REPORT)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submitted(**kwargs):
    """`report_submit`, then the queued second half of intake as the task worker runs it (routing, acknowledgement)."""
    from motcua.feedback.intake import report_intake_complete, report_submit

    report = report_submit(**kwargs)
    report_intake_complete(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def report(fb, field_data):
    """A field report in commune B: routed automatically to agency Z (the category's default)."""
    from motcua.core.audit import SYSTEM
    from motcua.feedback.intake import Photo

    return submitted(actor=SYSTEM, channel="web", data=field_data, photos=[Photo("o-ga.jpg", jpeg_bytes())])
