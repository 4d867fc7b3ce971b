"""A community-team volunteer helps citizen Bình: consent by an SMS code, then the ordinary online dossier form."""

import re

import pytest

from motcua.directory.models import CommunityTeam
from motcua.dossiers.models import AssistConsent, Dossier
from motcua.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_volunteer_helps_binh_from_consent_code_to_the_dossier_form(page, personas, password, catalog):
    team = CommunityTeam.objects.create(
        commune=personas.commune_a, name=f"Tổ công nghệ số cộng đồng {personas.commune_a.name}"
    )
    team.members.add(personas.volunteer)
    csp_violations = []
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )

    # The public registry shows the team; the volunteer goes to the members' flow and logs in.
    page.goto("/to-cong-nghe-so/")
    assert page.get_by_role("link", name=team.name).is_visible()
    page.goto("/to-cong-nghe-so/ho-tro/")
    page.wait_for_url("**/dang-nhap/?next=**")
    page.get_by_label("Tên đăng nhập").fill("volunteer")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url("**/to-cong-nghe-so/ho-tro/")
    assert page.locator("h1").inner_text() == "Hỗ trợ người dân nộp hồ sơ"
    assert page.get_by_label("Tổ của bạn").input_value() == str(team.pk)
    page.get_by_label("Số CCCD của công dân (12 số)").fill("075185004321")
    page.get_by_label("Số điện thoại của công dân").fill("0987654321")
    page.get_by_label("Công dân đang có mặt và đồng ý nhận mã xác nhận qua tin nhắn").check()
    assert _fits_the_phone(page)
    page.get_by_role("button", name="Gửi mã xác nhận").click()

    # Bình reads the code from the SMS (here: from the outbox row).
    page.wait_for_url("**/xac-nhan/")
    assert "Đã gửi mã xác nhận đến số *******321." in page.content()
    consent = AssistConsent.objects.get()
    sms = Notification.objects.get(channel="sms", recipient="0987654321")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    page.get_by_label("Mã xác nhận (6 chữ số)").fill(code)
    assert _fits_the_phone(page)
    page.get_by_role("button", name="Xác nhận").click()

    # The volunteer finds the procedure and starts the dossier.
    page.wait_for_url(f"**/ho-tro/{consent.pk}/thu-tuc/")
    assert "Công dân đã xác nhận đồng ý" in page.content()
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**/thu-tuc/?q=*")
    assert _fits_the_phone(page)
    page.get_by_role("button", name="Lập hồ sơ: Đăng ký khai sinh", exact=True).click()

    # The ordinary online form, for a draft that is Bình's and marked as assisted.
    page.wait_for_url("**/ho-so/*/sua/")
    dossier = Dossier.objects.get()
    assert page.url.endswith(f"/ho-so/{dossier.public_id}/sua/")
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    assert dossier.reference in page.content()
    assert (dossier.owner, dossier.assisted_by, dossier.assisted_team, dossier.status) == (
        personas.binh,
        personas.volunteer,
        team,
        "draft",
    )
    assert dossier.applicant_id_number == "075185004321" and dossier.applicant_phone == "0987654321"
    assert csp_violations == []
