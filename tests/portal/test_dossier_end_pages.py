"""The citizen after processing: the result document, withdrawal, and the rating."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import processing, results
from motcua.dossiers.intake import Upload
from motcua.dossiers.models import Dossier, DossierRating, Status
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


def _fresh(d):
    return Dossier.objects.get(pk=d.pk)


@pytest.fixture
def finished(personas, submitted):
    d = dossier_accept(dossier=submitted, actor=personas.desk_x)
    processing.dossier_forward(dossier=d, actor=personas.desk_x)
    processing.dossier_step_assign(
        dossier=_fresh(d), actor=personas.specialist_x, assignee=personas.specialist_x
    )
    processing.dossier_forward(dossier=_fresh(d), actor=personas.specialist_x)
    return results.dossier_approve(
        dossier=_fresh(d),
        actor=personas.leader_x,
        result_number="9/PLLTP",
        result_signed_on=timezone.localdate(),
        result_signer="Võ Thị Ngọc Hân",
        result_summary="Phiếu lý lịch tư pháp số 9",
        upload=Upload("ket-qua.pdf", pdf_bytes("KQ")),
    )


def test_result_file_hidden_until_returned_then_downloadable(client, personas, finished):
    client.force_login(personas.an)
    result = finished.documents.get(kind="result")
    url = reverse("portal:dossier-file", args=[finished.public_id, result.pk])
    assert client.get(url).status_code == 404
    results.dossier_return_result(
        dossier=_fresh(finished), actor=personas.desk_x, method="desk", returned_to="An"
    )
    assert client.get(url).status_code == 200
    page = client.get(reverse("portal:dossier-detail", args=[finished.public_id])).content.decode()
    assert "Phiếu lý lịch tư pháp số 9" in page and "Đánh giá mức độ hài lòng" in page


def test_citizen_rates_and_a_bad_rating_is_told(client, personas, finished):
    results.dossier_return_result(
        dossier=_fresh(finished), actor=personas.desk_x, method="desk", returned_to="An"
    )
    client.force_login(personas.an)
    url = reverse("portal:dossier-rate", args=[finished.public_id])
    response = client.post(url, {"y_kien": "Nhanh"})
    assert response.status_code == 400 and "Hãy chọn một mức độ hài lòng" in response.content.decode()
    assert "Nhanh" in response.content.decode()
    assert client.post(url, {"muc_do": "2", "y_kien": "Phải đi lại nhiều lần"}).status_code == 302
    rating = DossierRating.objects.get(dossier=finished)
    assert (rating.level, rating.flagged) == (2, True)


def test_citizen_withdraws_an_accepted_dossier(client, personas, submitted):
    d = dossier_accept(dossier=submitted, actor=personas.desk_x)
    client.force_login(personas.an)
    url = reverse("portal:dossier-withdraw", args=[d.public_id])
    assert client.post(url, {"revision": d.revision, "ly_do": ""}).status_code == 400
    assert client.post(url, {"revision": d.revision, "ly_do": "Đã có giấy khác"}).status_code == 302
    assert _fresh(d).status == Status.WITHDRAWN


def test_end_pages_refuse_strangers(client, personas, finished):
    for name in ("portal:dossier-withdraw", "portal:dossier-rate"):
        url = reverse(name, args=[finished.public_id])
        assert client.post(url, {}).status_code == 302  # to log in
        client.force_login(personas.binh)
        assert client.post(url, {"muc_do": "5", "ly_do": "x"}).status_code == 404
        client.logout()
    assert _fresh(finished).status == Status.FINISHED
