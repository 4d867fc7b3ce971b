"""The dossier API (issue 5 item 9): submit, read back, track — against the published OpenAPI contract."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from motcua.core.models import AuditEvent, RateCounter
from motcua.directory.api_clients import api_client_authenticate, api_client_issue, api_client_revoke
from motcua.directory.models import ApiClient, ApiClientDossier
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.services import dossier_accept
from tests.dossiers.conftest import (
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
SHARED_FIXTURES = (
    applicant,
    catalog,
    catalog_data,
    record_case,
    submitted,
)  # the dossier tests' own fixtures

ISO_VN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
CREATED_FIELDS = {
    "code",
    "reference",
    "status",
    "status_label",
    "status_code",
    "agency",
    "tracking_url",
    "access_code",
    "submitted_at",
}


# --- helpers -----------------------------------------------------------------------------------------------


def assert_matches_spec(client, response, path: str, method: str = "get") -> dict:
    """Validate a real response against the schema the published /api/v1/openapi.json declares for it."""
    spec = client.get("/api/v1/openapi.json").json()
    declared = spec["paths"][path][method]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    body = response.json()
    jsonschema.validate(body, {**schema, "components": spec["components"]})
    return body


def payload(case, **changes) -> dict:
    data = {
        "procedure": case.version.procedure.national_code,
        "applicant": dict(APPLICANT),
        "delivery": "desk",
        "notify_channels": ["email", "sms"],
    }
    data.update(changes)
    return data


def multipart(data: dict, files: dict[str, tuple[str, bytes]] | None = None) -> dict:
    body: dict = {"data": json.dumps(data, ensure_ascii=False)}
    for field, (name, raw) in (files or {}).items():
        body[field] = SimpleUploadedFile(name, raw, content_type="application/octet-stream")
    return body


def document_of(case):
    return case.version.documents.get()


def submit(client, case, *, key=None, token=None, data=None, files=None):
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = key
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if files is None:
        files = {f"file_{document_of(case).pk}": ("to-khai.pdf", pdf_bytes())}
    return client.post("/api/v1/dossiers", multipart(data or payload(case), files), headers=headers)


@pytest.fixture
def an_client(personas):
    client = Client()
    client.force_login(personas.an)
    return client


@pytest.fixture
def issued(personas):
    """An API client issued by the provincial administrator, and its token."""
    return api_client_issue(
        actor=personas.admin, name="Ứng dụng Zalo Mini App tỉnh", agency=personas.agency_x
    )


# --- the published contract --------------------------------------------------------------------------------


def test_openapi_documents_the_dossier_endpoints_in_vietnamese(client):
    spec = client.get("/api/v1/openapi.json").json()
    post = spec["paths"]["/api/v1/dossiers"]["post"]
    assert post["summary"] == "Nộp hồ sơ trực tuyến"
    assert spec["paths"]["/api/v1/dossiers/{code}"]["get"]["summary"] == "Xem một hồ sơ"
    assert spec["paths"]["/api/v1/tracking/{code}"]["get"]["summary"] == "Tra cứu tình trạng hồ sơ"
    body = post["requestBody"]["content"]["multipart/form-data"]
    assert body["schema"]["properties"]["data"]["contentSchema"] == {"$ref": "#/components/schemas/DossierIn"}
    assert "^file_[0-9]+$" in body["schema"]["patternProperties"]
    assert body["encoding"]["data"]["contentType"] == "application/json"
    assert {"name": "Idempotency-Key", "in": "header"}.items() <= post["parameters"][0].items()
    assert set(post["responses"]) == {"200", "201", "400", "401", "403", "404", "409", "422"}
    assert post["security"] == [{"ApiClientToken": []}, {"CitizenSession": []}]
    assert spec["components"]["securitySchemes"]["ApiClientToken"]["scheme"] == "bearer"
    tracking = spec["paths"]["/api/v1/tracking/{code}"]["get"]
    assert "security" not in tracking
    assert {p["name"] for p in tracking["parameters"]} == {"code", "phone_last4", "access_code"}
    assert tracking["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert tracking["responses"]["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


# --- POST /dossiers ----------------------------------------------------------------------------------------


def test_citizen_submits_with_a_session_and_gets_201_with_exact_fields(personas, record_case, an_client):
    response = submit(an_client, record_case, key="lan-1")

    assert response.status_code == 201
    body = assert_matches_spec(an_client, response, "/api/v1/dossiers", "post")
    dossier = Dossier.objects.get()
    assert set(body) == CREATED_FIELDS
    assert body == {
        "code": None,
        "reference": dossier.reference,
        "status": "submitted",
        "status_label": "Mới đăng ký",
        "status_code": 1,
        "agency": "Sở Tư pháp",
        "tracking_url": f"http://127.0.0.1:8000/tra-cuu/?ma={dossier.reference}&khoa={dossier.access_code}",
        "access_code": dossier.access_code,
        "submitted_at": body["submitted_at"],
    }
    assert ISO_VN.match(body["submitted_at"])
    assert dossier.owner == personas.an and dossier.channel == "online"
    assert dossier.applicant_id_number == "075090001234" and dossier.notify_channels == ["email", "sms"]
    document = DossierDocument.objects.get(dossier=dossier)
    assert (document.required_document, document.content_type) == (
        document_of(record_case),
        "application/pdf",
    )
    events = AuditEvent.objects.filter(object_id=str(dossier.pk), object_type="dossiers.dossier")
    assert list(events.order_by("id").values_list("action", "actor")) == [
        ("dossiers.dossier.drafted", personas.an.pk),
        ("dossiers.document.added", personas.an.pk),
        ("dossiers.dossier.submitted", personas.an.pk),
    ]
    assert not ApiClientDossier.objects.exists()


def test_files_can_be_sent_as_a_list_with_their_document_ids(personas, record_case, an_client):
    document = document_of(record_case)
    data = payload(record_case, file_documents=[document.pk])

    response = submit(an_client, record_case, data=data, files={"files": ("scan.png", png_bytes())})

    assert response.status_code == 201
    assert DossierDocument.objects.get().content_type == "image/png"


def test_a_retry_with_the_same_key_returns_the_same_dossier_and_other_content_is_409(record_case, an_client):
    first = submit(an_client, record_case, key="nop-lai-1")
    again = submit(an_client, record_case, key="nop-lai-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert_matches_spec(an_client, again, "/api/v1/dossiers", "post")
    other = dict(APPLICANT, applicant_phone="0987654321")
    conflict = submit(an_client, record_case, key="nop-lai-1", data=payload(record_case, applicant=other))
    assert conflict.status_code == 409
    body = assert_matches_spec(an_client, conflict, "/api/v1/dossiers", "post")
    assert body["code"] == "idempotency_conflict"
    assert "đã được dùng cho hồ sơ" in body["message"]
    assert Dossier.objects.count() == 1
    too_long = submit(an_client, record_case, key="k" * 81)
    assert (too_long.status_code, too_long.json()["code"]) == (400, "idempotency_key_too_long")
    assert Dossier.objects.count() == 1


def test_an_invalid_cccd_is_422_naming_the_field(record_case, an_client):
    data = payload(record_case, applicant=dict(APPLICANT, applicant_id_number="07509000123"))

    response = submit(an_client, record_case, data=data)

    assert response.status_code == 422
    body = assert_matches_spec(an_client, response, "/api/v1/dossiers", "post")
    assert body["code"] == "invalid"
    assert body["message"] == "Hồ sơ chưa hợp lệ: hãy sửa các mục được nêu."
    [detail] = body["details"]
    assert detail["field"] == "applicant_id_number"
    assert "12" in detail["message"]
    assert not Dossier.objects.exists()


def test_an_executable_named_pdf_is_refused_with_a_vietnamese_message(record_case, an_client):
    files = {f"file_{document_of(record_case).pk}": ("to-khai.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)}

    response = submit(an_client, record_case, files=files)

    assert response.status_code == 400
    body = assert_matches_spec(an_client, response, "/api/v1/dossiers", "post")
    assert body["code"] == "file_type"
    assert body["message"].startswith("Tệp “to-khai.pdf” không phải PDF, JPEG hay PNG")
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


@pytest.mark.parametrize(
    ("field", "name", "raw", "code", "start"),
    [
        ("file_{doc}", "trong.pdf", b"", "empty_file", "Tệp “trong.pdf” rỗng (0 byte)."),
        ("giay_to", "to-khai.pdf", pdf_bytes(), "invalid", "Hồ sơ chưa hợp lệ"),
        ("file_999999", "to-khai.pdf", pdf_bytes(), "wrong_document", "Thành phần hồ sơ đã chọn không thuộc"),
    ],
)
def test_bad_files_are_refused_clearly_and_nothing_is_kept(
    record_case, an_client, field, name, raw, code, start
):
    files = {field.format(doc=document_of(record_case).pk): (name, raw)}

    response = submit(an_client, record_case, files=files)

    assert response.status_code in {400, 422}
    body = assert_matches_spec(an_client, response, "/api/v1/dossiers", "post")
    assert body["code"] == code and body["message"].startswith(start)
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_a_missing_document_is_reported_under_its_file_field(record_case, an_client):
    response = submit(an_client, record_case, files={})

    assert response.status_code == 422
    document = document_of(record_case)
    assert response.json()["details"] == [
        {"field": f"file_{document.pk}", "message": f"Chưa đính kèm “{document.name}”."}
    ]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"procedure": "9.999999"}, 404, "procedure_not_found"),
        ({"case_index": 3}, 422, "invalid"),
        ({"owner_cccd": "075090001234"}, 422, "invalid"),
        ({"delivery": "drone"}, 422, "invalid"),
    ],
)
def test_bad_requests_get_the_common_error_format(record_case, an_client, changes, status, code):
    response = submit(an_client, record_case, data=payload(record_case, **changes))

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert_matches_spec(an_client, response, "/api/v1/dossiers", "post")
    assert not Dossier.objects.exists()


def test_a_malformed_data_field_is_422_in_the_common_format(record_case, an_client):
    response = an_client.post("/api/v1/dossiers", {"data": "{không phải JSON"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["message"] == "Dữ liệu gửi lên không hợp lệ."


def test_anonymous_post_is_401_and_staff_session_is_403(personas, record_case, client):
    anonymous = submit(client, record_case)
    assert anonymous.status_code == 401
    assert assert_matches_spec(client, anonymous, "/api/v1/dossiers", "post")["code"] == "unauthenticated"
    client.force_login(personas.desk_x)
    staff = submit(client, record_case)
    assert (staff.status_code, staff.json()["code"]) == (403, "forbidden")
    assert "tiếp nhận tại quầy" in staff.json()["message"]
    assert not Dossier.objects.exists()


def test_a_session_post_needs_the_csrf_token(personas, record_case):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.stranger)

    forged = submit(browser, record_case)
    assert (forged.status_code, forged.json()["code"]) == (403, "csrf_failed")
    assert not Dossier.objects.exists()

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    document = document_of(record_case)
    response = browser.post(
        "/api/v1/dossiers",
        multipart(payload(record_case), {f"file_{document.pk}": ("to-khai.pdf", pdf_bytes())}),
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201
    assert Dossier.objects.get().owner == personas.stranger


# --- API clients (bearer tokens) ---------------------------------------------------------------------------


def test_a_bearer_token_submits_for_the_citizen_with_that_cccd(personas, record_case, client, issued):
    api_client, token = issued

    response = submit(
        client, record_case, token=token, key="app-1", data=payload(record_case, owner_cccd="075090001234")
    )

    assert response.status_code == 201
    dossier = Dossier.objects.get()
    assert dossier.owner == personas.an
    assert ApiClientDossier.objects.get().client == api_client
    submitted_event = AuditEvent.objects.get(action="dossiers.dossier.submitted", object_id=str(dossier.pk))
    assert (submitted_event.actor_type, submitted_event.actor, submitted_event.actor_label) == (
        "api_client",
        None,
        "Ứng dụng Zalo Mini App tỉnh",
    )
    assert DossierDocument.objects.get().uploaded_by is None
    assert ApiClient.objects.get().last_used_at is not None
    again = submit(
        client, record_case, token=token, key="app-1", data=payload(record_case, owner_cccd="075090001234")
    )
    assert (again.status_code, again.json()["reference"]) == (200, dossier.reference)
    # An's own session sees it too: the dossier is An's.
    client.force_login(personas.an)
    assert client.get(f"/api/v1/dossiers/{dossier.reference}").status_code == 200


def test_a_bearer_dossier_without_a_citizen_account_has_no_owner(record_case, client, issued):
    _api_client, token = issued

    data = payload(record_case, owner_cccd="001099012345")

    response = submit(client, record_case, token=token, key="khong-chu", data=data)
    retry = submit(client, record_case, token=token, key="khong-chu", data=data)

    assert (response.status_code, retry.status_code) == (201, 200)
    assert retry.json()["reference"] == response.json()["reference"]
    assert Dossier.objects.get().owner is None


def test_a_malformed_owner_cccd_from_a_client_is_422(record_case, client, issued):
    _api_client, token = issued

    response = submit(client, record_case, token=token, data=payload(record_case, owner_cccd="12345"))

    assert response.status_code == 422
    [detail] = response.json()["details"]
    assert detail["field"] == "owner_cccd" and "12" in detail["message"]
    assert not Dossier.objects.exists()


def test_two_api_clients_never_share_idempotency_keys(personas, record_case, client, issued):
    _first, token = issued
    _second, other_token = api_client_issue(actor=personas.admin, name="Cổng DVC quốc gia")

    one = submit(client, record_case, token=token, key="same-key")
    two = submit(client, record_case, token=other_token, key="same-key")

    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["reference"] != two.json()["reference"]
    assert Dossier.objects.count() == 2


def test_an_unknown_or_revoked_token_is_401(personas, record_case, client, issued):
    api_client, token = issued
    created = submit(client, record_case, token=token)
    reference = created.json()["reference"]

    api_client_revoke(actor=personas.admin, client=api_client)

    refused = submit(client, record_case, token=token)
    assert refused.status_code == 401
    assert assert_matches_spec(client, refused, "/api/v1/dossiers", "post") == {
        "code": "invalid_token",
        "message": "Khóa truy cập API không đúng hoặc đã bị thu hồi.",
        "details": None,
    }
    read = client.get(f"/api/v1/dossiers/{reference}", headers={"Authorization": f"Bearer {token}"})
    assert (read.status_code, read.json()["code"]) == (401, "invalid_token")
    wrong = submit(client, record_case, token="khong-phai-khoa")
    assert wrong.status_code == 401
    assert Dossier.objects.count() == 1
    assert (
        AuditEvent.objects.filter(action="directory.api_client.revoked", object_id=str(api_client.pk)).count()
        == 1
    )


def test_a_client_reads_only_the_dossiers_it_submitted(personas, record_case, client, issued, submitted):
    _api_client, token = issued
    _other, other_token = api_client_issue(actor=personas.admin, name="Ứng dụng khác")
    mine = submit(client, record_case, token=token).json()["reference"]

    ok = client.get(f"/api/v1/dossiers/{mine}", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert_matches_spec(client, ok, "/api/v1/dossiers/{code}")
    for reference, bearer in ((mine, other_token), (submitted.reference, token)):
        refused = client.get(f"/api/v1/dossiers/{reference}", headers={"Authorization": f"Bearer {bearer}"})
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    viewed = AuditEvent.objects.get(action="dossiers.dossier.viewed")
    assert (viewed.actor_type, viewed.data) == ("api_client", {"channel": "api", "as": "api_client"})


def test_authenticate_hashes_and_compares_and_ignores_junk(personas, issued):
    api_client, token = issued

    assert api_client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert api_client.token_prefix == token[:8] and len(token) >= 43
    assert api_client_authenticate(token) == api_client
    for junk in ("", None, token[:-1], token + "x", "x" * 500):
        assert api_client_authenticate(junk) is None
    created = AuditEvent.objects.get(action="directory.api_client.created")
    assert created.actor == personas.admin and token not in json.dumps(created.data)


# --- GET /dossiers/{code} ----------------------------------------------------------------------------------


def test_the_owner_reads_the_dossier_with_exact_fields_and_the_view_is_audited(
    personas, submitted, an_client
):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)

    response = an_client.get(f"/api/v1/dossiers/{dossier.code}")

    assert response.status_code == 200
    body = assert_matches_spec(an_client, response, "/api/v1/dossiers/{code}")
    assert body["code"] == dossier.code and body["reference"] == dossier.reference
    assert (body["status"], body["status_label"], body["status_code"]) == ("accepted", "Được tiếp nhận", 2)
    assert body["procedure"] == {
        "code": "3.000333",
        "name": "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
    }
    assert body["agency"] == {"code": "000.00.05.H19", "name": "Sở Tư pháp"}
    assert body["channel"] == "online"
    for field in ("created_at", "submitted_at", "accepted_at", "due_at"):
        assert ISO_VN.match(body[field]), field
    assert body["refused_at"] is None and body["supplement_items"] == []
    [document] = body["documents"]
    assert document == {
        "name": "Tờ khai theo mẫu",
        "original_name": "to-khai.pdf",
        "kind": "application",
        "content_type": "application/pdf",
        "size": len(pdf_bytes()),
        "uploaded_at": document["uploaded_at"],
    }
    assert [step["step"] for step in body["timeline"]] == ["Nộp hồ sơ trực tuyến", "Hồ sơ được tiếp nhận"]
    assert "applicant_name" not in body and "075090001234" not in response.content.decode()
    viewed = AuditEvent.objects.get(action="dossiers.dossier.viewed")
    assert (viewed.actor, viewed.object_id, viewed.data) == (
        personas.an,
        str(dossier.pk),
        {"channel": "api", "as": "applicant"},
    )
    assert an_client.get(f"/api/v1/dossiers/{dossier.reference.lower()}").status_code == 200


def test_staff_of_the_agency_reads_it_as_staff(personas, submitted, client):
    client.force_login(personas.desk_x)

    response = client.get(f"/api/v1/dossiers/{submitted.reference}")

    assert response.status_code == 200
    assert AuditEvent.objects.get(action="dossiers.dossier.viewed").data == {"channel": "api", "as": "staff"}


@pytest.mark.parametrize("who", [None, "binh", "stranger", "officer_y", "volunteer"])
def test_anyone_else_gets_the_same_404_as_for_an_unknown_code(personas, submitted, client, who):
    if who:
        client.force_login(getattr(personas, who))

    response = client.get(f"/api/v1/dossiers/{submitted.reference}")
    unknown = client.get("/api/v1/dossiers/HS2501ZZZZZZZZ")

    assert response.status_code == unknown.status_code == 404
    body = assert_matches_spec(client, response, "/api/v1/dossiers/{code}")
    assert body == {
        "code": "not_found",
        "message": f"Không tìm thấy hồ sơ {submitted.reference}.",
        "details": None,
    }
    assert unknown.json()["message"] == "Không tìm thấy hồ sơ HS2501ZZZZZZZZ."
    assert not AuditEvent.objects.filter(action="dossiers.dossier.viewed").exists()


# --- GET /tracking/{code} ----------------------------------------------------------------------------------


def test_tracking_by_phone_or_access_code_shows_no_personal_data(personas, submitted, client):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)

    response = client.get(f"/api/v1/tracking/{dossier.code}", {"phone_last4": "5678"})

    assert response.status_code == 200
    body = assert_matches_spec(client, response, "/api/v1/tracking/{code}")
    assert set(body) == {
        "code",
        "status",
        "status_label",
        "status_code",
        "procedure",
        "agency",
        "submitted_at",
        "accepted_at",
        "due_at",
        "timeline",
    }
    assert (body["code"], body["status_code"], body["agency"]) == (dossier.code, 2, "Sở Tư pháp")
    assert body["procedure"] == "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert ISO_VN.match(body["accepted_at"]) and ISO_VN.match(body["due_at"])
    text = response.content.decode()
    for personal in ("Nguyễn Văn An", "075090001234", "0912345678", "an@example.vn", dossier.access_code):
        assert personal not in text
    by_key = client.get(f"/api/v1/tracking/{dossier.reference}", {"access_code": dossier.access_code.lower()})
    assert by_key.status_code == 200 and by_key.json()["code"] == dossier.code


def test_tracking_with_a_wrong_code_or_factor_is_the_same_404(submitted, client):
    wrong_factor = client.get(f"/api/v1/tracking/{submitted.reference}", {"phone_last4": "0000"})
    wrong_code = client.get("/api/v1/tracking/HS2501ZZZZZZZZ", {"phone_last4": "5678"})
    wrong_key = client.get(f"/api/v1/tracking/{submitted.reference}", {"access_code": "SAIMA123"})

    assert wrong_factor.status_code == wrong_code.status_code == wrong_key.status_code == 404
    assert (
        wrong_factor.json()
        == wrong_code.json()
        == wrong_key.json()
        == {
            "code": "not_found",
            "message": "Không tìm thấy hồ sơ khớp với thông tin đã nhập.",
            "details": None,
        }
    )
    assert_matches_spec(client, wrong_code, "/api/v1/tracking/{code}")
    missing = client.get(f"/api/v1/tracking/{submitted.reference}")
    assert (missing.status_code, missing.json()["code"]) == (400, "factor_required")
    malformed = client.get(f"/api/v1/tracking/{submitted.reference}", {"phone_last4": "56a8"})
    assert (malformed.status_code, malformed.json()["code"]) == (400, "invalid_phone_last4")


def test_tracking_is_rate_limited_per_client_address(submitted, client, settings):
    settings.TRACKING_LOOKUPS_PER_10_MINUTES = 2
    url = f"/api/v1/tracking/{submitted.reference}"

    statuses = [
        client.get(url, {"phone_last4": "0000"}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)
    ]

    assert statuses == [404, 404, 429]
    blocked = client.get(url, {"phone_last4": "5678"}, REMOTE_ADDR="203.0.113.7")
    assert blocked.status_code == 429
    body = assert_matches_spec(client, blocked, "/api/v1/tracking/{code}")
    assert body["code"] == "rate_limited" and body["message"].startswith("Bạn đã tra cứu quá nhiều lần.")
    assert 1 <= int(blocked["Retry-After"]) <= 600
    assert client.get(url, {"phone_last4": "5678"}, REMOTE_ADDR="198.51.100.9").status_code == 200
    assert RateCounter.objects.get(scope="tracking.lookup", key="203.0.113.7").count == 4


# --- issuing tokens in the admin ---------------------------------------------------------------------------


def test_a_province_admin_issues_a_token_shown_once_and_revokes_it(personas, client):
    client.force_login(personas.admin)

    response = client.post(
        "/quan-tri/directory/apiclient/add/",
        {"name": "Cổng Dịch vụ công quốc gia", "agency": personas.agency_x.pk},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    [shown] = [m for m in messages if m.startswith("Khóa truy cập của “Cổng Dịch vụ công quốc gia”")]
    token = re.search(r"”: (\S+) — ", shown).group(1)
    api_client = ApiClient.objects.get()
    assert api_client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (api_client.token_prefix, api_client.created_by, api_client.agency) == (
        token[:8],
        personas.admin,
        personas.agency_x,
    )
    assert api_client_authenticate(token) == api_client
    change_url = f"/quan-tri/directory/apiclient/{api_client.pk}/change/"
    page = client.get(change_url).content.decode()
    assert token not in page and api_client.token_prefix in page

    client.post(change_url, {"name": "Cổng Dịch vụ công quốc gia", "agency": personas.agency_x.pk})

    api_client.refresh_from_db()
    assert not api_client.active and api_client.revoked_at is not None
    assert api_client_authenticate(token) is None
    actions = list(
        AuditEvent.objects.filter(object_type="directory.apiclient")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["directory.api_client.created", "directory.api_client.revoked"]
    # A revoked token never comes back: the box is read-only now.
    client.post(
        change_url, {"name": "Cổng Dịch vụ công quốc gia", "agency": personas.agency_x.pk, "active": "on"}
    )
    api_client.refresh_from_db()
    assert not api_client.active


def test_staff_who_are_not_province_admins_cannot_issue_tokens(personas, client):
    personas.desk_x.is_staff = True
    personas.desk_x.save(update_fields=["is_staff"])
    client.force_login(personas.desk_x)

    assert client.get("/quan-tri/directory/apiclient/add/").status_code == 403
    response = client.post("/quan-tri/directory/apiclient/add/", {"name": "Lén cấp khóa"})

    assert response.status_code == 403
    assert not ApiClient.objects.exists()
