import pytest

pytestmark = pytest.mark.django_db


def test_admin_edits_categories_and_routing_rules(client, fb):
    client.force_login(fb.admin)
    for url in [
        "/quan-tri/feedback/category/",
        f"/quan-tri/feedback/category/{fb.traffic.pk}/change/",
        "/quan-tri/feedback/routingrule/",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and "Giao thông" in response.content.decode()


def test_admin_categories_refuse_staff_without_admin_rights(client, fb):
    client.force_login(fb.hotline)
    assert client.get("/quan-tri/feedback/category/").status_code == 302  # to the admin login
