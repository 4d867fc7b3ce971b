import pytest


@pytest.mark.django_db
def test_staff_area_sends_anonymous_visitors_to_login(client):
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/can-bo/")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["an", "stranger"])
def test_staff_area_refuses_people_without_a_role(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get("/can-bo/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.django_db
def test_staff_area_shows_only_the_officers_own_roles(client, personas):
    client.force_login(personas.officer_y)
    html = client.get("/can-bo/").content.decode()
    assert personas.agency_y.name in html
    assert personas.agency_x.name not in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["an", "stranger", "desk_x"])
def test_admin_refuses_non_administrators(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get("/quan-tri/directory/agency/").status_code == 302


@pytest.mark.django_db
def test_admin_is_in_vietnamese_for_the_provincial_administrator(client, personas):
    client.force_login(personas.admin)
    html = client.get("/quan-tri/directory/agency/").content.decode()
    assert "Quản trị Một Cửa" in html
    assert "cơ quan" in html.lower()


@pytest.mark.django_db
def test_admin_viewing_a_citizen_record_is_audited(client, personas):
    from motcua.core.models import AuditEvent

    client.force_login(personas.admin)
    response = client.get(f"/quan-tri/directory/user/{personas.an.pk}/change/")
    assert response.status_code == 200
    assert "075090001234" in response.content.decode()
    event = AuditEvent.objects.get(action="directory.user.viewed")
    assert (event.actor, event.object_id) == (personas.admin, str(personas.an.pk))


@pytest.mark.django_db
def test_admin_edits_an_agency_and_the_change_is_audited(client, personas):
    from motcua.core.models import AuditEvent

    client.force_login(personas.admin)
    url = f"/quan-tri/directory/agency/{personas.agency_x.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "code": "000.00.5.H19",
        "name": "Sở Tư pháp",
        "kind": "so",
        "province": personas.province.pk,
        "departments-TOTAL_FORMS": "0",
        "departments-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused, form shown again with the Vietnamese message
    assert "không đúng dạng 000.00.00.H19" in response.content.decode()
    data["code"] = "000.00.05.H19"
    data["name"] = "Sở Tư pháp tỉnh Đồng Nai"
    response = client.post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="directory.agency.updated")
    assert event.data == {"fields": ["name"], "via": "admin"}


@pytest.mark.django_db
def test_staff_home_links_the_calendar_only_for_province_administrators(client, personas):
    client.force_login(personas.admin)
    assert "/can-bo/thoi-gian-lam-viec/" in client.get("/can-bo/").content.decode()
    client.force_login(personas.desk_x)
    assert "/can-bo/thoi-gian-lam-viec/" not in client.get("/can-bo/").content.decode()
