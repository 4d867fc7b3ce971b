"""Community digital technology teams on the portal: the public registry and team pages, and the members' flow."""

from __future__ import annotations

import re

import pytest

from motcua.core.models import AuditEvent
from motcua.directory.models import CommunityTeam
from motcua.dossiers.models import AssistConsent, Dossier
from motcua.notifications.models import Notification
from tests.catalog.conftest import catalog, catalog_data  # noqa: F401  (shared fixtures)
from tests.factories import UserFactory

BINH_CCCD = "075185004321"
START = "/to-cong-nghe-so/ho-tro/"


@pytest.fixture
def teams(personas):
    """The commune team of Phường Biên Hòa (the volunteer is a member, with a phone) and a village team elsewhere."""
    personas.volunteer.phone = "0909111222"
    personas.volunteer.save(update_fields=["phone"])
    first = CommunityTeam.objects.create(
        commune=personas.commune_a, name=f"Tổ công nghệ số cộng đồng {personas.commune_a.name}"
    )
    first.members.add(
        personas.volunteer, UserFactory(username="tv.hai", full_name="Võ Văn Hai", kind="staff")
    )
    village = CommunityTeam.objects.create(
        commune=personas.commune_b, name="Tổ CNSCĐ khu phố 5", village="Khu phố 5"
    )
    return first, village


def _login(client, user, password):
    assert client.login(username=user.username, password=password)


def _sms_code(consent_id: int) -> str:
    body = Notification.objects.get(object_type="dossiers.assistconsent", object_id=str(consent_id)).body
    return re.search(r"\b(\d{6})\b", body).group(1)


def _start_data(team, **overrides):
    return {"team": team.pk, "citizen_cccd": BINH_CCCD, "phone": "0987654321", "present": "on", **overrides}


# --- public pages --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_is_public_and_shows_no_personal_data_of_members(client, teams):
    first, village = teams
    response = client.get("/to-cong-nghe-so/")
    assert response.status_code == 200
    html = response.content.decode()
    assert first.name in html and village.name in html and "Khu phố 5" in html
    assert "2 thành viên" in html and "0 thành viên" in html
    assert "Điểu Thị Hạnh" not in html and "Võ Văn Hai" not in html and "0909111222" not in html
    assert "<script" not in html and "style=" not in html
    assert "Thành viên tổ: hỗ trợ người dân nộp hồ sơ" not in html  # only members see the way in


@pytest.mark.django_db
def test_registry_search_by_commune_without_diacritics(client, teams):
    first, village = teams
    html = client.get("/to-cong-nghe-so/", {"q": "bien hoa"}).content.decode()
    assert first.name in html and village.name not in html
    html = client.get("/to-cong-nghe-so/", {"q": "Trấn Biên"}).content.decode()
    assert village.name in html and first.name not in html
    html = client.get("/to-cong-nghe-so/", {"q": "khu phố 5"}).content.decode()
    assert village.name in html and first.name not in html
    html = client.get("/to-cong-nghe-so/", {"q": "không có nơi nào"}).content.decode()
    assert "Không có tổ nào khớp" in html


@pytest.mark.django_db
def test_registry_is_paged(client, personas):
    for n in range(25):
        CommunityTeam.objects.create(
            commune=personas.commune_a, name=f"Tổ CNSCĐ ấp {n:02d}", village=f"Ấp {n:02d}"
        )
    first = client.get("/to-cong-nghe-so/").content.decode()
    assert (
        "Có 25 tổ." in first and "Trang 1/2" in first and "Tổ CNSCĐ ấp 19" in first and "ấp 20" not in first
    )
    second = client.get("/to-cong-nghe-so/", {"page": "2"}).content.decode()
    assert "Tổ CNSCĐ ấp 24" in second and "ấp 19" not in second
    assert client.get("/to-cong-nghe-so/", {"page": "abc"}).status_code == 200
    assert "Trang 2/2" in client.get("/to-cong-nghe-so/", {"page": "99"}).content.decode()


@pytest.mark.django_db
def test_team_page_is_public_with_count_contact_and_monthly_table(client, teams, personas):
    first, _village = teams
    response = client.get(f"/to-cong-nghe-so/{first.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert first.name in html and personas.agency_y.name in html
    assert re.search(r"Số thành viên</dt><dd>2</dd>", html)
    assert "Số người được hỗ trợ" in html and html.count('<th scope="row">') == 12
    assert "Điểu Thị Hạnh" not in html and "Võ Văn Hai" not in html and "0909111222" not in html
    assert "<script" not in html and "style=" not in html
    assert client.get("/to-cong-nghe-so/999999/").status_code == 404


# --- the members' flow ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_member_flow_sends_anonymous_visitors_to_log_in(client, teams):
    first, _village = teams
    consent_pages = [f"{START}1/xac-nhan/", f"{START}1/thu-tuc/", f"{START}1/ho-so/"]
    for url in [START, *consent_pages]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")
    response = client.post(START, _start_data(first))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert AssistConsent.objects.count() == 0


@pytest.mark.django_db
def test_member_flow_refuses_non_members(client, teams, personas, password):
    first, _village = teams
    for outsider in (personas.stranger, personas.officer_y, personas.binh):
        client.logout()
        _login(client, outsider, password)
        assert client.get(START).status_code == 403
        assert client.post(START, _start_data(first)).status_code == 403
        assert client.get(f"{START}1/xac-nhan/").status_code == 403
        assert client.get(f"{START}1/thu-tuc/").status_code == 403
    assert AssistConsent.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.django_db
def test_member_cannot_use_another_team_or_another_members_consent(client, teams, personas, password):
    first, village = teams
    _login(client, personas.volunteer, password)
    page = client.get(START).content.decode()
    assert first.name in page and village.name not in page  # only the member's own teams are offered
    response = client.post(START, _start_data(village))
    assert response.status_code == 200
    assert "Hãy chọn một tổ mà bạn là thành viên." in response.content.decode()
    assert AssistConsent.objects.count() == 0
    client.post(START, _start_data(first))
    consent = AssistConsent.objects.get()
    other = UserFactory(username="tv.ba", full_name="Lý Văn Ba", kind="staff", password=password)
    first.members.add(other)
    client.logout()
    _login(client, other, password)
    assert client.get(f"{START}{consent.pk}/xac-nhan/").status_code == 404
    assert client.post(f"{START}{consent.pk}/xac-nhan/", {"code": _sms_code(consent.pk)}).status_code == 404
    assert client.get(f"{START}{consent.pk}/thu-tuc/").status_code == 404
    consent.refresh_from_db()
    assert consent.attempts == 0 and consent.confirmed_at is None


@pytest.mark.django_db
def test_start_form_bad_input_keeps_what_was_typed(client, teams, personas, password):
    first, _village = teams
    _login(client, personas.volunteer, password)
    response = client.post(START, {"team": first.pk, "citizen_cccd": "1234", "phone": "0987654321"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ hỗ trợ khi công dân có mặt và đồng ý." in html
    assert 'value="1234"' in html and 'value="0987654321"' in html
    response = client.post(START, _start_data(first, citizen_cccd="1234"))
    assert (
        "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số (bạn nhập 4 ký tự)." in response.content.decode()
    )
    response = client.post(START, _start_data(first, citizen_cccd="070152007788"))
    assert "hãy nhập họ và tên để tạo tài khoản cho công dân" in response.content.decode()
    assert AssistConsent.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_member_helps_citizen_from_consent_to_the_dossier_form(client, teams, personas, password):
    first, _village = teams
    _login(client, personas.volunteer, password)

    response = client.post(START, _start_data(first))
    consent = AssistConsent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{START}{consent.pk}/xac-nhan/"
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi mã xác nhận đến số *******321." in page and "0987654321" not in page

    code = _sms_code(consent.pk)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(f"{START}{consent.pk}/xac-nhan/", {"code": wrong})
    assert (
        response.status_code == 200 and "Mã xác nhận không đúng. Còn 4 lần thử." in response.content.decode()
    )
    assert client.get(f"{START}{consent.pk}/thu-tuc/").status_code == 302  # not confirmed yet
    response = client.post(f"{START}{consent.pk}/xac-nhan/", {"code": code})
    assert response.status_code == 302 and response["Location"] == f"{START}{consent.pk}/thu-tuc/"

    page = client.get(f"{START}{consent.pk}/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page
    page = client.get(f"{START}{consent.pk}/thu-tuc/", {"q": "chung thuc ban sao"}).content.decode()
    assert "Chứng thực bản sao từ bản chính" not in page  # not offered online
    from motcua.catalog.models import Procedure

    case = Procedure.objects.get(national_code="1.001193").current_version.cases.get()
    response = client.post(f"{START}{consent.pk}/thu-tuc/", {"case": case.pk})

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.public_id}/sua/"
    assert (dossier.owner, dossier.assisted_by, dossier.assisted_team, dossier.status) == (
        personas.binh,
        personas.volunteer,
        first,
        "draft",
    )
    assert client.get(response["Location"]).status_code == 200  # the ordinary online form, for the member
    # back in the flow: the consent is used, it leads to the dossier; the summary page shows it too
    assert client.get(f"{START}{consent.pk}/thu-tuc/")["Location"] == f"/ho-so/{dossier.public_id}/sua/"
    done = client.get(f"{START}{consent.pk}/ho-so/").content.decode()
    assert dossier.reference in done and "Đăng ký khai sinh" in done
    assert (
        AuditEvent.objects.filter(action="dossiers.dossier.assisted", actor=personas.volunteer).count() == 1
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("catalog")
def test_choosing_a_procedure_rejects_bad_input(client, teams, personas, password):
    first, _village = teams
    _login(client, personas.volunteer, password)
    client.post(START, _start_data(first))
    consent = AssistConsent.objects.get()
    client.post(f"{START}{consent.pk}/xac-nhan/", {"code": _sms_code(consent.pk)})
    from motcua.catalog.models import Procedure

    for value in ("", "abc", "99999999"):
        response = client.post(f"{START}{consent.pk}/thu-tuc/", {"case": value}, follow=True)
        assert "Hãy chọn một thủ tục trong danh sách." in response.content.decode()
    offline = Procedure.objects.get(national_code="2.000815").current_version.cases.get()
    response = client.post(f"{START}{consent.pk}/thu-tuc/", {"case": offline.pk}, follow=True)
    assert "chưa được cung cấp trực tuyến" in response.content.decode()
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_a_new_code_can_be_sent_from_the_confirmation_page(client, teams, personas, password):
    first, _village = teams
    _login(client, personas.volunteer, password)
    client.post(START, _start_data(first))
    old = AssistConsent.objects.get()
    response = client.post(f"{START}{old.pk}/xac-nhan/", {"action": "resend"})
    new = AssistConsent.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"{START}{new.pk}/xac-nhan/"
    assert (new.citizen, new.phone, new.team) == (old.citizen, old.phone, old.team)
    assert Notification.objects.filter(channel="sms", recipient="0987654321").count() == 2
    page = client.get(f"{START}{old.pk}/xac-nhan/").content.decode()
    assert "Mã này không còn dùng được" in page  # the old code no longer works
