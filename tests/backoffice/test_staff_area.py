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
