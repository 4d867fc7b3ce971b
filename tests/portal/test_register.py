import pytest

from motcua.core.models import AuditEvent
from motcua.directory.models import User

GOOD = {
    "kind": "citizen",
    "full_name": "Lê  Thị Hoa",
    "cccd": "070152007788",
    "birth_date": "20/05/1952",
    "phone": "0369123456",
    "email": "Hoa@Example.vn",
    "password": "hoa-trong-vuon-2026",
    "password_again": "hoa-trong-vuon-2026",
}


@pytest.mark.django_db
def test_citizen_registers_with_cccd_and_is_logged_in(client):
    response = client.post("/dang-ky/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="070152007788")
    assert (user.kind, user.full_name, user.email, user.cccd) == (
        "citizen",
        "Lê Thị Hoa",
        "hoa@example.vn",
        "070152007788",
    )
    assert user.check_password("hoa-trong-vuon-2026")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="directory.user.registered", actor=user).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cccd": "12345"}, "cccd", "đúng 12 chữ số"),
        ({"cccd": "070152007788", "birth_date": "20/05/1953"}, "cccd", "không khớp với ngày sinh"),
        ({"birth_date": "1952-13-40"}, "birth_date", "ngày/tháng/năm"),
        ({"phone": "12345"}, "phone", "10 chữ số"),
        ({"password_again": "khac-mat-khau-2026"}, "password_again", "không giống nhau"),
        ({"password": "123", "password_again": "123"}, "password", ""),
    ],
)
def test_registration_refuses_bad_input_in_vietnamese_and_keeps_what_was_typed(
    client, change, field, message
):
    response = client.post("/dang-ky/", {**GOOD, **change})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'value="Lê  Thị Hoa"' in html or 'value="Lê Thị Hoa"' in html  # the name typed is still there
    assert "Những gì bạn đã nhập vẫn được giữ lại" in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_refuses_a_cccd_already_registered(client):
    client.post("/dang-ky/", GOOD)
    client.logout()
    response = client.post("/dang-ky/", {**GOOD, "full_name": "Người Khác"})
    assert response.status_code == 200
    assert "đã tồn tại" in " ".join(response.context["form"].errors["cccd"])
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_business_registers_with_a_valid_tax_code(client):
    data = {
        **GOOD,
        "kind": "business",
        "cccd": "",
        "birth_date": "",
        "tax_code": "3600252847",
        "organisation_name": "Công ty TNHH Nông sản Đồng Xanh",
        "full_name": "Phan Thị Lan",
    }
    response = client.post("/dang-ky/", data)
    assert response.status_code == 302
    user = User.objects.get(username="3600252847")
    assert (user.kind, user.organisation_name, user.cccd) == (
        "business",
        "Công ty TNHH Nông sản Đồng Xanh",
        None,
    )


@pytest.mark.django_db
def test_business_with_wrong_check_digit_is_refused(client):
    data = {
        **GOOD,
        "kind": "business",
        "cccd": "",
        "tax_code": "3600252846",
        "organisation_name": "Công ty A",
    }
    response = client.post("/dang-ky/", data)
    assert "chữ số kiểm tra" in " ".join(response.context["form"].errors["tax_code"])


@pytest.mark.django_db
def test_registration_is_rate_limited_per_client(client):
    for _ in range(10):
        client.post("/dang-ky/", {**GOOD, "cccd": "1"})
    assert client.post("/dang-ky/", GOOD).status_code == 429
    assert not User.objects.exists()
