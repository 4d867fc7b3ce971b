"""The processing pages: the inbox of open steps, actions on the dossier page, refusals that change nothing."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import dossier_accept
from tests.dossiers.conftest import (  # noqa: F401  (shared fixtures)
    applicant,
    catalog,
    catalog_data,
    pdf_bytes,
    record_case,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def accepted(personas, submitted):
    return dossier_accept(dossier=submitted, actor=personas.desk_x)


def _act(client, dossier, action, **data):
    dossier = Dossier.objects.get(pk=dossier.pk)
    url = reverse("backoffice:processing-act", args=[dossier.public_id, action])
    return client.post(url, {"revision": dossier.revision, **data})


def test_desk_forwards_and_the_specialist_finds_it_unassigned(client, personas, accepted):
    client.force_login(personas.desk_x)
    page = client.get(reverse("backoffice:dossier-detail", args=[accepted.public_id]))
    assert "Chuyển bước tiếp theo" in page.content.decode()
    response = _act(client, accepted, "forward", note="Đủ thành phần")
    assert response.status_code == 302
    client.force_login(personas.specialist_x)
    inbox = client.get(reverse("backoffice:processing-inbox") + "?xem=unassigned").content.decode()
    assert accepted.code in inbox and "Chưa phân công" in inbox
    assert _act(client, accepted, "take").status_code == 302
    mine = client.get(reverse("backoffice:processing-inbox")).content.decode()
    assert accepted.code in mine
    assert Dossier.objects.get(pk=accepted.pk).current_step.assignee_id == personas.specialist_x.pk


def test_a_refused_action_shows_the_message_and_keeps_what_was_typed(client, personas, accepted):
    client.force_login(personas.desk_x)
    _act(client, accepted, "forward")
    client.force_login(personas.specialist_x)
    _act(client, accepted, "take")
    response = _act(client, accepted, "request-payment", description="Lệ phí cấp phiếu", amount="mười nghìn")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số tiền phải là số nguyên dương" in body and "Lệ phí cấp phiếu" in body
    assert Dossier.objects.get(pk=accepted.pk).status == Status.PROCESSING


def test_stale_page_is_told_so(client, personas, accepted):
    client.force_login(personas.desk_x)
    url = reverse("backoffice:processing-act", args=[accepted.public_id, "forward"])
    assert client.post(url, {"revision": accepted.revision}).status_code == 302
    again = client.post(url, {"revision": accepted.revision})
    assert again.status_code == 409
    assert "vừa được cập nhật" in again.content.decode()
    assert Dossier.objects.get(pk=accepted.pk).steps.count() == 2


def test_wrong_role_is_refused_and_nothing_changes(client, personas, accepted):
    client.force_login(personas.specialist_x)  # the dossier is at the desk's step
    response = _act(client, accepted, "forward")
    assert response.status_code == 403
    assert Dossier.objects.get(pk=accepted.pk).steps.count() == 1


def test_leader_approves_with_a_file_and_desk_returns(client, personas, accepted):
    client.force_login(personas.desk_x)
    _act(client, accepted, "forward")
    client.force_login(personas.specialist_x)
    _act(client, accepted, "take")
    _act(client, accepted, "forward", note="Đề nghị cấp")
    client.force_login(personas.leader_x)
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = Dossier.objects.get(pk=accepted.pk)
    url = reverse("backoffice:processing-act", args=[dossier.public_id, "approve"])
    response = client.post(
        url,
        {
            "revision": dossier.revision,
            "result_number": "12/PLLTP",
            "result_signed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "result_signer": "Võ Thị Ngọc Hân",
            "result_summary": "Phiếu lý lịch tư pháp số 1",
            "result_file": SimpleUploadedFile("kq.pdf", pdf_bytes("KQ"), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get(pk=accepted.pk).status == Status.FINISHED
    client.force_login(personas.desk_x)
    assert (
        _act(client, accepted, "return-result", method="desk", returned_to="Nguyễn Văn An").status_code == 302
    )
    assert Dossier.objects.get(pk=accepted.pk).status == Status.RETURNED


def test_processing_pages_refuse_strangers(client, personas, accepted):
    inbox = reverse("backoffice:processing-inbox")
    act = reverse("backoffice:processing-act", args=[accepted.public_id, "forward"])
    assert client.get(inbox).status_code == 302  # to the log-in page
    client.force_login(personas.stranger)
    assert client.get(inbox).status_code == 403
    assert client.post(act, {"revision": accepted.revision}).status_code == 403
    client.force_login(personas.an)
    assert client.post(act, {"revision": accepted.revision}).status_code == 403
    client.force_login(personas.officer_y)  # staff of another agency: the dossier does not exist for them
    assert client.post(act, {"revision": accepted.revision}).status_code == 404
    assert Dossier.objects.get(pk=accepted.pk).steps.count() == 1


def test_inbox_marks_late_and_due_soon(client, personas, accepted):
    client.force_login(personas.desk_x)
    step = accepted.current_step
    type(step).objects.filter(pk=step.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    body = client.get(reverse("backoffice:processing-inbox")).content.decode()
    assert "Quá hạn" in body
    type(step).objects.filter(pk=step.pk).update(due_at=timezone.now() + timedelta(hours=2))
    body = client.get(reverse("backoffice:processing-inbox")).content.decode()
    assert "Sắp đến hạn" in body and "Quá hạn" not in body


def test_leader_sees_a_dissatisfied_rating_and_marks_it_reviewed(client, personas, accepted):
    from motcua.dossiers import processing, results
    from motcua.dossiers.intake import Upload
    from motcua.dossiers.models import DossierRating

    processing.dossier_forward(dossier=accepted, actor=personas.desk_x)
    d = Dossier.objects.get(pk=accepted.pk)
    processing.dossier_step_assign(dossier=d, actor=personas.specialist_x, assignee=personas.specialist_x)
    processing.dossier_forward(dossier=Dossier.objects.get(pk=d.pk), actor=personas.specialist_x)
    results.dossier_approve(
        dossier=Dossier.objects.get(pk=d.pk), actor=personas.leader_x, result_number="1/KQ",
        result_signed_on=timezone.localdate(), result_signer="Hân", result_summary="Phiếu",
        upload=Upload("kq.pdf", pdf_bytes()),
    )  # fmt: skip
    results.dossier_return_result(
        dossier=Dossier.objects.get(pk=d.pk), actor=personas.desk_x, method="electronic"
    )
    results.dossier_rate(dossier=Dossier.objects.get(pk=d.pk), actor=personas.an, level=1, comment="Quá chậm")
    url = reverse("backoffice:rating-review", args=[d.public_id])
    client.force_login(personas.stranger)
    assert client.post(url).status_code == 403
    client.force_login(personas.desk_x)  # sees the dossier, does not lead the agency
    assert client.post(url).status_code == 404
    client.force_login(personas.leader_x)
    inbox = client.get(reverse("backoffice:processing-inbox")).content.decode()
    assert "Đánh giá không hài lòng cần xem xét" in inbox and "Quá chậm" in inbox
    assert client.post(url).status_code == 302
    assert DossierRating.objects.get(dossier=d).reviewed_at is not None
    assert "Quá chậm" not in client.get(reverse("backoffice:processing-inbox")).content.decode()
