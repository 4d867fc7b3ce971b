import pytest
from django.test import override_settings

from motcua.core.models import AuditEvent, LoginFailure


@pytest.mark.django_db
def test_home_page_is_vietnamese_with_strict_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Cổng dịch vụ công" in html
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]
    assert "<script" not in html and "style=" not in html  # nothing inline for the CSP to block


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Public service portal" in html
    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/"}, follow=True)
    assert "Cổng dịch vụ công" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_and_task_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["task_queue"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_unreachable_database(client, monkeypatch):
    from motcua.core import views

    monkeypatch.setattr(views, "_check_database", lambda: (False, "OperationalError"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


@pytest.mark.django_db
def test_staff_logs_in_and_lands_in_the_staff_area(client, personas, password):
    response = client.post("/dang-nhap/", {"username": "desk.x", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/can-bo/"
    page = client.get("/can-bo/").content.decode()
    assert "Khu vực cán bộ" in page and "Sở Tư pháp" in page
    assert AuditEvent.objects.filter(action="directory.user.logged_in", actor=personas.desk_x).count() == 1


@pytest.mark.django_db
def test_citizen_logs_in_to_the_portal(client, personas, password):
    response = client.post("/dang-nhap/", {"username": "an", "password": password})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_wrong_password_gets_a_vietnamese_message(client, personas):
    response = client.post("/dang-nhap/", {"username": "desk.x", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert LoginFailure.objects.filter(username="desk.x").count() == 1


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_MINUTES=15)
def test_login_locks_out_after_repeated_failures_even_with_the_right_password(client, personas, password):
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "desk.x", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "desk.x", "password": password})
    assert response.status_code == 200
    assert "tạm khóa trong 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not yet locked
    assert client.post("/dang-nhap/", {"username": "an", "password": password}).status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_window(client, personas, password):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        client.post("/dang-nhap/", {"username": "desk.x", "password": "sai"})
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert client.post("/dang-nhap/", {"username": "desk.x", "password": password}).status_code == 302


@pytest.mark.django_db
def test_logout_needs_post(client, personas):
    client.force_login(personas.an)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_ignores_an_offsite_next(client, personas, password):
    response = client.post(
        "/dang-nhap/?next=https://evil.example/",
        {"username": "desk.x", "password": password, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/can-bo/"
