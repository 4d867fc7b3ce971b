"""POST /api/v1/dossiers/{code}/actions/{action}: the back office's actions over the API, same permissions."""

# ruff: noqa: F811  (the dossier fixtures are imported from tests/dossiers/conftest.py and used as arguments)
from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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


def _post(client, dossier, action, **data):
    dossier = Dossier.objects.get(pk=dossier.pk)
    body = {"revision": dossier.revision, **data}
    return client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/{action}", json.dumps(body), content_type="application/json"
    )


def test_api_walks_a_dossier_to_its_return(client, personas, accepted):
    client.force_login(personas.desk_x)
    response = _post(client, accepted, "forward", note="Chuyển thẩm định")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "processing"
    client.force_login(personas.specialist_x)
    assert _post(client, accepted, "take").status_code == 200
    assert _post(client, accepted, "forward").status_code == 200
    client.force_login(personas.leader_x)
    dossier = Dossier.objects.get(pk=accepted.pk)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/approve",
        {
            "revision": dossier.revision,
            "result_number": "7/PLLTP",
            "result_signed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "result_signer": "Võ Thị Ngọc Hân",
            "result_summary": "Phiếu lý lịch tư pháp",
            "result_file": SimpleUploadedFile("kq.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "finished"
    client.force_login(personas.desk_x)
    response = _post(client, accepted, "return-result", method="post", post_tracking_number="EB123456789VN")
    assert response.json()["status"] == "returned"
    assert Dossier.objects.get(pk=accepted.pk).post_tracking_number == "EB123456789VN"


def test_api_refuses_a_missing_reason_with_the_field(client, personas, accepted):
    client.force_login(personas.desk_x)
    _post(client, accepted, "forward")
    client.force_login(personas.specialist_x)
    _post(client, accepted, "take")
    response = _post(client, accepted, "stop", reason="")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert response.json()["details"] == [{"field": "reason"}]
    assert Dossier.objects.get(pk=accepted.pk).status == Status.PROCESSING


def test_api_stale_revision_is_409(client, personas, accepted):
    client.force_login(personas.desk_x)
    stale = accepted.revision
    assert _post(client, accepted, "forward").status_code == 200
    response = client.post(
        f"/api/v1/dossiers/{accepted.code}/actions/forward",
        json.dumps({"revision": stale}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "stale"


def test_api_actions_refuse_strangers(client, personas, accepted):
    url = f"/api/v1/dossiers/{accepted.code}/actions/forward"
    assert client.post(url, "{}", content_type="application/json").status_code == 401
    client.force_login(personas.stranger)
    assert client.post(url, "{}", content_type="application/json").status_code == 404
    client.force_login(personas.officer_y)
    assert client.post(url, "{}", content_type="application/json").status_code == 404
    client.force_login(personas.specialist_x)  # sees the dossier, but the step is the desk's
    assert _post(client, accepted, "forward").status_code == 403
    client.force_login(personas.desk_x)
    assert _post(client, accepted, "no-such-action").status_code == 404
    assert Dossier.objects.get(pk=accepted.pk).steps.count() == 1


def test_api_action_is_in_the_openapi_spec(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/dossiers/{code}/actions/{action}"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
