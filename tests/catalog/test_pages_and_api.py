import json
import re

import pytest

from motcua.catalog.models import Procedure


@pytest.mark.django_db
def test_home_shows_search_fields_and_most_used(client, catalog):
    html = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in html
    assert "Hộ tịch" in html and "(5)" in html
    assert html.index("Chứng thực bản sao từ bản chính") < html.index("Đăng ký khai sinh")


@pytest.mark.django_db
def test_search_page_ranks_and_filters_without_javascript(client, catalog):
    html = client.get("/thu-tuc/", {"q": "dang ki khai sinh"}).content.decode()
    first = re.search(r'<ol class="results">\s*<li><a href="([^"]+)">([^<]+)</a>', html)
    assert first.groups() == ("/thu-tuc/1.001193/", "Đăng ký khai sinh")
    assert "Tìm thấy 5 thủ tục." in html  # 3 about khai sinh, then 2 matching three words of four
    html = client.get("/thu-tuc/", {"level": "province"}).content.decode()
    assert "Tìm thấy 1 thủ tục." in html


@pytest.mark.django_db
def test_search_page_survives_bad_parameters(client, catalog):
    response = client.get("/thu-tuc/", {"page": "abc", "level": "xyz", "online": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_detail_shows_documents_fees_time_place_legal_basis_and_online_button(client, catalog):
    html = client.get("/thu-tuc/3.000333/").content.decode()
    assert "Cấp phiếu lý lịch tư pháp" in html
    assert "200.000 ₫" in html
    assert "3 ngày làm việc" in html
    assert "Tờ khai theo mẫu" in html
    assert "Luật Hộ tịch số 60/2014/QH13" in html
    assert "Sở Tư pháp" in html
    assert 'href="/thu-tuc/3.000333/nop/">Nộp hồ sơ trực tuyến</a>' in html
    assert "1234/QĐ-UBND ngày 01/07/2025" in html
    offline = client.get("/thu-tuc/2.000815/").content.decode()
    assert "Nộp hồ sơ trực tuyến" not in offline
    assert "nhận sau 15:00" in offline


@pytest.mark.django_db
def test_unknown_procedure_is_404(client, catalog):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


@pytest.mark.django_db
def test_agency_page_lists_its_procedures(client, catalog, personas):
    html = client.get(f"/co-quan/{personas.agency_x.code}/").content.decode()
    assert "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam" in html
    assert "Đăng ký khai sinh" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.001193/"])
def test_pages_stay_under_100_kb_with_their_css(client, catalog, path):
    from django.contrib.staticfiles import finders

    html = client.get(path).content
    css = open(finders.find("motcua/site.css"), "rb").read()
    assert len(html) + len(css) < 100 * 1024


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_documents(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/thu-tuc/1.001193/")


@pytest.mark.django_db
def test_api_search_and_detail(client, catalog):
    page = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert (page["count"], page["page"], page["pages"]) == (3, 1, 1)
    assert page["results"][0] == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "commune",
        "online_level": "full",
        "url": "/thu-tuc/1.001193/",
    }
    detail = client.get("/api/v1/procedures/2.000815").json()
    assert detail["cases"][0]["cutoff"] == "15:00"
    assert detail["fees"] == [{"name": "Phí chứng thực", "amount_vnd": 2000, "exemption": ""}]


@pytest.mark.django_db
def test_api_errors_use_the_common_format(client, catalog):
    missing = client.get("/api/v1/procedures/9.999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "http_404"
    assert "9.999999" in missing.json()["message"]
    assert client.get("/api/v1/procedures", {"level": "huyen"}).status_code == 400


@pytest.mark.django_db
def test_api_responses_match_the_published_openapi_schema(client, catalog):
    jsonschema = pytest.importorskip("jsonschema")
    spec = client.get("/api/v1/openapi.json").json()

    def schema_for(path):
        ref = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        return {**ref, "components": spec["components"]}

    resolver_spec = {"$ref": "#/x", "x": None}
    del resolver_spec
    jsonschema.validate(client.get("/api/v1/procedures").json(), schema_for("/api/v1/procedures"))
    jsonschema.validate(
        client.get("/api/v1/procedures/1.001193").json(), schema_for("/api/v1/procedures/{code}")
    )
    assert Procedure.objects.count() == 8


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "an", "desk_x"])
def test_catalog_import_page_refuses_strangers(client, personas, who):
    if who:
        client.force_login(getattr(personas, who))
    response = client.get("/can-bo/thu-tuc/nhap/")
    assert response.status_code == (302 if who is None else 403)
    assert client.get("/can-bo/thu-tuc/xuat.json").status_code == (302 if who is None else 403)


@pytest.mark.django_db
def test_admin_imports_a_catalog_after_a_dry_run(client, personas, catalog_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.directory.models import Agency

    Agency.objects.create(
        code="000.00.00.H19", name="UBND tỉnh", kind="ubnd_tinh", province=personas.province
    )
    client.force_login(personas.admin)
    upload = SimpleUploadedFile("danh-muc.txt", json.dumps(catalog_data).encode(), content_type="text/plain")
    preview = client.post("/can-bo/thu-tuc/nhap/", {"file": upload})
    assert "Kiểm tra trước khi nhập" in preview.content.decode()
    assert Procedure.objects.count() == 0
    done = client.post("/can-bo/thu-tuc/nhap/", {"confirm": "1"}, follow=True)
    assert "thêm mới 8" in done.content.decode()
    assert Procedure.objects.count() == 8
    exported = client.get("/can-bo/thu-tuc/xuat.json").json()
    assert len(exported["procedures"]) == 8


@pytest.mark.django_db
def test_import_page_checks_the_file_by_content(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.admin)
    fake = SimpleUploadedFile(
        "danh-muc.xlsx", b"\x89PNG\r\n\x1a\n....", content_type="application/vnd.ms-excel"
    )
    response = client.post("/can-bo/thu-tuc/nhap/", {"file": fake})
    assert "kiểm tra theo nội dung tệp" in response.content.decode()


@pytest.mark.django_db
def test_admin_lists_procedures_and_audits_changes(client, catalog, personas):
    from motcua.core.models import AuditEvent

    client.force_login(personas.admin)
    assert "Đăng ký khai sinh" in client.get("/quan-tri/catalog/procedure/").content.decode()
    procedure = Procedure.objects.get(national_code="1.001193")
    response = client.post(
        f"/quan-tri/catalog/procedure/{procedure.pk}/change/", {"popularity": 99, "active": "on"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="catalog.procedure.updated").data == {
        "fields": ["popularity"],
        "via": "admin",
    }
