"""Open311 GeoReport v2 contract: a plain HTTP client (urllib) against the live server, as an unmodified GeoReport
client would call it; XML is parsed, JSON decoded, errors have the standard body and codes."""

import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.management import call_command

from motcua.directory.api_clients import api_client_issue
from motcua.feedback.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


def _get(live_server, path: str):
    try:
        with urllib.request.urlopen(f"{live_server.url}/open311/v2/{path}") as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def _post(live_server, path: str, fields: dict):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"{live_server.url}/open311/v2/{path}", data=data, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture
def api_key(fb):
    _client, token = api_client_issue(actor=fb.admin, name="Ứng dụng Công dân số")
    return token


POST = {
    "service_code": "giao-thong",
    "lat": "10.9453",
    "long": "106.8243",
    "address_string": "Đường Võ Thị Sáu",
    "attribute[commune]": "26041",
    "first_name": "Văn An",
    "last_name": "Nguyễn",
    "phone": "0912345678",
    "description": "Ổ gà lớn giữa đường, nguy hiểm.",
}


def test_open311_discovery_and_services_in_xml_and_json(live_server, fb):
    status, content_type, body = _get(live_server, "discovery.xml")
    assert (status, content_type) == (200, "text/xml; charset=utf-8")
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(body)
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    services = ET.fromstring(_get(live_server, "services.xml")[2])
    assert [s.findtext("service_code") for s in services.findall("service")] == ["giao-thong", "gop-y"]
    assert services.find("service").findtext("metadata") == "true"
    status, content_type, body = _get(live_server, "services.json")
    assert content_type == "application/json; charset=utf-8"
    assert json.loads(body)[0] == {
        "service_code": "giao-thong", "service_name": "Giao thông", "description": "", "metadata": True,
        "type": "realtime", "keywords": "Phản ánh hiện trường", "group": "",
    }  # fmt: skip


def test_open311_service_definition_lists_attributes(live_server, fb):
    root = ET.fromstring(_get(live_server, "services/gop-y.xml")[2])
    assert root.tag == "service_definition" and root.findtext("service_code") == "gop-y"
    codes = [a.findtext("code") for a in root.findall("attributes/attribute")]
    assert codes == ["commune", "kind", "anonymous"]
    communes = root.findall("attributes/attribute")[0].findall("values/value")
    assert {v.findtext("key") for v in communes} == {"26068", "26041"}
    definition = json.loads(_get(live_server, "services/giao-thong.json")[2])
    assert [a["code"] for a in definition["attributes"]] == ["commune", "kind"]
    assert definition["attributes"][1]["values"] == [{"key": "field", "name": "Phản ánh hiện trường"}]


def test_open311_post_then_get_by_id_and_token(live_server, fb, api_key):
    status, _type, body = _post(live_server, "requests.xml", {**POST, "api_key": api_key})
    assert status == 200
    created = ET.fromstring(body).find("request")
    code, token = created.findtext("service_request_id"), created.findtext("token")
    report = Report.objects.get(code=code)
    assert (report.channel, report.reporter_name, report.status) == ("api", "Văn An Nguyễn", "received")
    waiting = json.loads(_get(live_server, f"requests/{code}.json?api_key={api_key}")[2])[0]
    assert (waiting["status"], waiting["agency_responsible"]) == ("open", "")
    # the task worker routes it and acknowledges it, seconds later
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, reload=False, verbosity=0)
    assert report.assignments.get().agency == fb.agency_z
    one = json.loads(_get(live_server, f"requests/{code}.json?api_key={api_key}")[2])
    assert len(one) == 1
    row = one[0]
    assert (row["service_request_id"], row["status"], row["service_code"]) == (code, "open", "giao-thong")
    assert (
        row["description"] == "Ổ gà lớn giữa đường, nguy hiểm."
    )  # the client that posted it sees its own text
    assert row["requested_datetime"].endswith("+07:00") and row["expected_datetime"].endswith("+07:00")
    assert row["agency_responsible"] == "Sở Xây dựng"
    anonymous = json.loads(_get(live_server, f"requests/{code}.json")[2])[0]
    assert anonymous["description"] == "" and anonymous["lat"] is None  # not published yet
    by_token = ET.fromstring(_get(live_server, f"tokens/{token}.xml")[2]).find("request")
    assert by_token.findtext("service_request_id") == code


def test_open311_get_requests_filters_pages_and_extends(live_server, report, fb):
    root = ET.fromstring(
        _get(live_server, "requests.xml?status=open&service_code=giao-thong&extensions=true")[2]
    )
    requests = root.findall("request")
    assert [r.findtext("service_request_id") for r in requests] == [report.code]
    assert requests[0].findtext("extended_attributes/detailed_status") == "IN_PROCESS"
    assert ET.fromstring(_get(live_server, "requests.xml?status=closed")[2]).findall("request") == []
    assert json.loads(_get(live_server, "requests.json?page=2&page_size=1")[2]) == []
    listed = json.loads(_get(live_server, f"requests.json?service_request_id={report.code},PA26AAAAAA")[2])
    assert [r["service_request_id"] for r in listed] == [report.code]
    old = json.loads(_get(live_server, "requests.json?start_date=2020-01-01T00:00:00%2B07:00")[2])
    assert old == []  # 90 days from the start date


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("requests.json?start_date=2026-01-01&end_date=2026-06-01", 400, "tối đa 90 ngày"),
        ("requests.json?start_date=yesterday", 400, "ISO 8601"),
        ("requests.json?status=pending", 400, "status chỉ nhận open, closed"),
        ("requests.json?page_size=5000", 400, "page_size"),
        ("requests/PA26AAAAAA.json", 404, "PA26AAAAAA"),
        ("services/khong-co.json", 404, "khong-co"),
        ("tokens/abc.json", 404, "abc"),
        ("services.json?jurisdiction_id=ha-noi", 404, "jurisdiction_id"),
        ("services.csv", 400, ".xml"),
    ],
)
def test_open311_bad_parameters_get_the_standard_error_body(live_server, fb, path, status, words):
    got, content_type, body = _get(live_server, path)
    assert got == status
    if path.endswith(".csv"):
        error = ET.fromstring(body).find("error")
        assert error.findtext("code") == str(status) and words in error.findtext("description")
        return
    errors = json.loads(body)
    assert errors[0]["code"] == status and words in errors[0]["description"]


def test_open311_post_without_or_with_a_wrong_key_is_forbidden(live_server, fb):
    for fields in (POST, {**POST, "api_key": "sai"}):
        status, _type, body = _post(live_server, "requests.xml", fields)
        error = ET.fromstring(body).find("error")
        assert status == 403 and error.findtext("code") == "403"
    assert not Report.objects.exists()


def test_open311_post_invalid_request_is_400_and_stores_nothing(live_server, fb, api_key):
    status, _type, body = _post(
        live_server, "requests.json", {"api_key": api_key, "service_code": "giao-thong"}
    )
    assert status == 400 and "lat" in json.loads(body)[0]["description"]
    status, _type, body = _post(
        live_server, "requests.json", {**POST, "api_key": api_key, "lat": "21.02", "long": "105.85"}
    )
    assert status == 400 and "ngoài địa bàn tỉnh" in json.loads(body)[0]["description"]
    status, _type, _body = _post(
        live_server, "requests.json", {**POST, "api_key": api_key, "service_code": "x"}
    )
    assert status == 404
    assert not Report.objects.exists()


def test_open311_service_request_updates(live_server, report, fb):
    updates = ET.fromstring(_get(live_server, "servicerequestupdates.xml")[2]).findall("request_update")
    assert [(u.findtext("service_request_id"), u.findtext("status")) for u in updates] == [
        (report.code, "OPEN"),
        (report.code, "INVESTIGATING"),
    ]
    assert updates[0].findtext("updated_datetime").endswith("+07:00")


def test_open311_xml_drops_control_characters(live_server, fb, api_key):
    status, _type, body = _post(
        live_server,
        "requests.json",
        {**POST, "api_key": api_key, "description": "Ổ gà\x01 <lớn> & sâu\x0b giữa đường"},
    )
    code = json.loads(body)[0]["service_request_id"]
    root = ET.fromstring(_get(live_server, f"requests/{code}.xml?api_key={api_key}")[2])
    assert root.find("request").findtext("description") == "Ổ gà <lớn> & sâu giữa đường"


def _post_multipart(live_server, path: str, fields: dict, files: list[tuple[str, bytes]], *, cut: int = 0):
    """POST multipart/form-data as GeoReport clients send a `media` photo (`cut`: drop the body's last bytes)."""
    boundary = "----GeoReportClient0123456789"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts += [
        f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, data in files
    ]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    body = body[: len(body) - cut]
    request = urllib.request.Request(
        f"{live_server.url}/open311/v2/{path}", data=body, method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_open311_post_with_photos_as_multipart(live_server, fb, api_key, settings):
    from tests.feedback.conftest import jpeg_bytes

    fields = {**POST, "api_key": api_key}
    status, body = _post_multipart(live_server, "requests.json", fields, [("ổ gà.jpg", jpeg_bytes())])
    assert status == 200
    report = Report.objects.get(code=json.loads(body)[0]["service_request_id"])
    assert report.reporter_name == "Văn An Nguyễn" and report.description == POST["description"]
    photo = report.photos.get()
    assert (photo.content_type, photo.size) == ("image/jpeg", len(jpeg_bytes()))

    settings.FEEDBACK_MAX_PHOTO_MB = 1  # the live server shares the settings: a 2 MB photo is too heavy
    heavy = jpeg_bytes() + b"\0" * (2 * 1024 * 1024)
    status, body = _post_multipart(live_server, "requests.json", fields, [("nang.jpg", heavy)])
    assert status == 400 and "vượt giới hạn 1 MB" in json.loads(body)[0]["description"]
    status, body = _post_multipart(
        live_server, "requests.xml", fields, [(f"{n}.jpg", jpeg_bytes()) for n in range(7)]
    )
    assert status == 400 and "Tối đa 5 ảnh" in ET.fromstring(body).find("error").findtext("description")
    status, body = _post_multipart(live_server, "requests.json", fields, [("a.jpg", jpeg_bytes())], cut=200)
    error = json.loads(body)[0]
    assert status == 400 and error["code"] == 400 and "multipart/form-data" in error["description"]
    assert Report.objects.count() == 1  # the refused ones stored nothing


def test_open311_pages_follow_one_order_to_the_last_page(live_server, fb, field_data):
    """Deep pages skip the rows before them through the index alone (ADR 0014): every report once, newest first,
    ties on the instant broken by id, whatever the page size."""
    from django.utils import timezone

    from motcua.core.audit import SYSTEM
    from motcua.feedback.intake import report_submit

    now = timezone.now()
    for n in range(7):
        report = report_submit(actor=SYSTEM, channel="web", data=field_data)
        Report.objects.filter(pk=report.pk).update(
            received_at=now - timedelta(hours=n // 2)
        )  # pairs share one
    expected = list(Report.objects.order_by("-received_at", "-id").values_list("code", flat=True))
    for size in (1, 2, 3):
        seen = []
        for page in range(1, 10):
            rows = json.loads(_get(live_server, f"requests.json?page_size={size}&page={page}&api_key=")[2])
            seen += [row["service_request_id"] for row in rows]
        assert seen == expected


def test_open311_a_flood_of_posts_from_one_address_is_refused(live_server, fb, api_key, settings):
    """The api_key of a phone app is no secret: posts are counted per client address, like the public form's."""
    settings.OPEN311_POSTS_PER_10_MINUTES = 2
    statuses = [_post(live_server, "requests.json", {**POST, "api_key": api_key})[0] for _n in range(3)]
    assert statuses == [200, 200, 429]
    status, content_type, body = _post(live_server, "requests.xml", {**POST, "api_key": api_key})
    assert status == 429 and "xml" in content_type
    assert "Quá nhiều yêu cầu" in ET.fromstring(body).find("error").findtext("description")
    assert Report.objects.count() == 2  # the refused ones stored nothing


def test_open311_post_reads_the_category_and_the_commune_together(live_server, fb, api_key):
    status, _type, body = _post(live_server, "requests.json", {**POST, "api_key": api_key})
    assert status == 200
    assert Report.objects.get(code=json.loads(body)[0]["service_request_id"]).commune.code == "26041"
    for commune in ("99999", "01001"):  # codes the province does not have
        status, _type, body = _post(
            live_server, "requests.json", {**POST, "api_key": api_key, "attribute[commune]": commune}
        )
        assert status == 400 and "Xã, phường đã chọn không thuộc tỉnh" in json.loads(body)[0]["description"]
    fields = {k: v for k, v in POST.items() if k != "attribute[commune]"}
    status, _type, body = _post(live_server, "requests.json", {**fields, "api_key": api_key})
    assert (
        status == 200 and Report.objects.get(code=json.loads(body)[0]["service_request_id"]).commune is None
    )
    assert (
        _post(live_server, "requests.json", {**POST, "api_key": api_key, "service_code": "khong-co"})[0]
        == 404
    )
