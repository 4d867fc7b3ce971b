"""Assisted submission by a community digital technology team member: consent by SMS code, the citizen's dossier."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.directory.models import CommunityTeam, User
from motcua.dossiers import rules
from motcua.dossiers.assist import (
    MAX_ATTEMPTS,
    assist_consent_confirm,
    assist_consent_request,
    assist_dossier_create_submitted,
    assist_draft_create,
    team_help_by_month,
)
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import Upload, dossier_create_submitted, dossier_draft_create
from motcua.dossiers.models import AssistConsent, Dossier
from motcua.dossiers.queries import applicant_dossiers
from motcua.dossiers.rules_assist import is_any_team_member, is_team_member
from motcua.notifications.models import Notification
from tests.dossiers.conftest import pdf_bytes
from tests.factories import UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BINH_CCCD = "075185004321"
BINH_PHONE = "0987654321"


@pytest.fixture
def team(personas):
    team = CommunityTeam.objects.create(
        commune=personas.commune_a, name=f"Tổ công nghệ số cộng đồng {personas.commune_a.name}"
    )
    team.members.add(personas.volunteer)
    return team


def _code_sent(consent: AssistConsent) -> str:
    sms = Notification.objects.get(object_type="dossiers.assistconsent", object_id=str(consent.pk))
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def _confirmed(personas, team) -> AssistConsent:
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    return assist_consent_confirm(consent=consent, member=personas.volunteer, code=_code_sent(consent))


def _binh_applicant() -> dict:
    return {
        "applicant_name": "Trần Thị Bình",
        "applicant_id_type": "cccd",
        "applicant_id_number": BINH_CCCD,
        "applicant_birth_date": "02/11/1985",
        "applicant_phone": BINH_PHONE,
        "applicant_email": "binh@example.vn",
        "applicant_commune": "26068",
        "applicant_address": "Khu phố 3",
    }


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- consent -------------------------------------------------------------------------------------------------


def test_consent_request_sends_the_code_by_sms_to_the_citizens_phone(personas, team):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone="0987 654 321"
    )

    assert (consent.citizen, consent.member, consent.team, consent.phone) == (
        personas.binh,
        personas.volunteer,
        team,
        BINH_PHONE,
    )
    sms = Notification.objects.get()
    assert (sms.channel, sms.recipient, sms.user, sms.event) == (
        "sms",
        BINH_PHONE,
        personas.binh,
        "dossiers.assist.consent_code",
    )
    code = _code_sent(consent)
    assert sms.body.isascii()  # SMS without diacritics
    assert "Dieu Thi Hanh" in sms.body and "10 phut" in sms.body
    assert len(consent.code_hash) == 64 and code not in consent.code_hash
    assert consent.expires_at - consent.created_at == pytest.approx(
        timedelta(minutes=10), abs=timedelta(seconds=2)
    )
    event = AuditEvent.objects.get(action="dossiers.assist_consent.requested")
    assert event.actor == personas.volunteer
    assert event.data == {
        "team": team.pk,
        "citizen": personas.binh.pk,
        "phone": "*******321",
        "account_created": False,
    }


def test_consent_confirmed_with_the_right_code(personas, team):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )

    confirmed = assist_consent_confirm(consent=consent, member=personas.volunteer, code=_code_sent(consent))

    consent.refresh_from_db()
    assert consent.confirmed_at is not None and consent.attempts == 1
    assert confirmed.pk == consent.pk
    assert (
        AuditEvent.objects.filter(
            action="dossiers.assist_consent.confirmed", actor=personas.volunteer
        ).count()
        == 1
    )
    # confirming again is harmless and counts no attempt
    assist_consent_confirm(consent=consent, member=personas.volunteer, code=_code_sent(consent))
    consent.refresh_from_db()
    assert consent.attempts == 1


def test_wrong_code_five_times_locks_the_consent(personas, team):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    right = _code_sent(consent)
    messages = []
    for _attempt in range(MAX_ATTEMPTS):
        with pytest.raises(DossierError) as exc:
            assist_consent_confirm(consent=consent, member=personas.volunteer, code=_wrong(right))
        messages.append((exc.value.code, exc.value.message))

    assert messages[0] == ("wrong_code", "Mã xác nhận không đúng. Còn 4 lần thử.")
    assert messages[3] == ("wrong_code", "Mã xác nhận không đúng. Còn 1 lần thử.")
    assert messages[4] == (
        "locked",
        "Đã nhập sai mã 5 lần; mã này không còn dùng được. Hãy gửi mã mới cho công dân.",
    )
    with pytest.raises(DossierError) as exc:
        assist_consent_confirm(consent=consent, member=personas.volunteer, code=right)
    assert exc.value.code == "locked" and exc.value.message.startswith("Mã này không còn dùng được")
    consent.refresh_from_db()
    assert consent.attempts == MAX_ATTEMPTS and consent.confirmed_at is None
    failures = AuditEvent.objects.filter(action="dossiers.assist_consent.failed").order_by("id")
    assert [e.data["attempt"] for e in failures] == [1, 2, 3, 4, 5]
    assert [e.data["locked"] for e in failures] == [False, False, False, False, True]


def test_expired_code_is_refused(personas, team):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    AssistConsent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(DossierError) as exc:
        assist_consent_confirm(consent=consent, member=personas.volunteer, code=_code_sent(consent))

    assert exc.value.code == "expired"
    assert exc.value.message == "Mã xác nhận đã hết hạn (sau 10 phút). Hãy gửi mã mới cho công dân."
    consent.refresh_from_db()
    assert consent.confirmed_at is None and consent.attempts == 0


def test_code_of_the_wrong_shape_counts_no_attempt(personas, team):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    with pytest.raises(DossierError) as exc:
        assist_consent_confirm(consent=consent, member=personas.volunteer, code="12ab")
    assert exc.value.code == "code_format" and exc.value.field == "code"
    consent.refresh_from_db()
    assert consent.attempts == 0


def test_a_new_code_replaces_the_previous_one(personas, team):
    first = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    first_code = _code_sent(first)
    assist_consent_request(member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE)
    with pytest.raises(DossierError) as exc:
        assist_consent_confirm(consent=first, member=personas.volunteer, code=first_code)
    assert exc.value.code == "locked"


def test_another_member_cannot_confirm(personas, team):
    other = UserFactory(username="tv2", full_name="Thành Viên Hai", kind="staff")
    team.members.add(other)
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    with pytest.raises(DossierError) as exc:
        assist_consent_confirm(consent=consent, member=other, code=_code_sent(consent))
    assert exc.value.code == "forbidden"
    consent.refresh_from_db()
    assert consent.attempts == 0 and consent.confirmed_at is None


def test_non_member_cannot_request_consent_for_a_team(personas, team):
    for outsider in (personas.stranger, personas.officer_y, personas.an):
        with pytest.raises(DossierError) as exc:
            assist_consent_request(member=outsider, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE)
        assert exc.value.code == "forbidden"
    assert AssistConsent.objects.count() == 0 and Notification.objects.count() == 0
    assert not is_team_member(personas.stranger, team) and is_team_member(personas.volunteer, team)
    assert not is_any_team_member(personas.officer_y) and is_any_team_member(personas.volunteer)


def test_citizen_without_account_gets_one_without_a_usable_password(personas, team):
    with pytest.raises(DossierError) as exc:
        assist_consent_request(
            member=personas.volunteer, team=team, citizen_cccd="070152007788", phone="0369123456"
        )
    assert (exc.value.code, exc.value.field) == ("full_name_required", "full_name")
    assert not User.objects.filter(cccd="070152007788").exists()

    consent = assist_consent_request(
        member=personas.volunteer,
        team=team,
        citizen_cccd="070152007788",
        phone="0369123456",
        full_name="  Lê   Thị Hoa ",
    )

    hoa = User.objects.get(cccd="070152007788")
    assert consent.citizen == hoa
    assert (hoa.username, hoa.kind, hoa.full_name, hoa.phone) == (
        "070152007788",
        "citizen",
        "Lê Thị Hoa",
        "0369123456",
    )
    assert not hoa.has_usable_password()
    event = AuditEvent.objects.get(action="directory.user.created_for_assist")
    assert (event.actor, event.object_id, event.data["team"]) == (personas.volunteer, str(hoa.pk), team.pk)
    assert AuditEvent.objects.get(action="dossiers.assist_consent.requested").data["account_created"] is True


def test_bad_cccd_and_phone_are_refused_clearly(personas, team):
    cases = [
        (
            "07518500432",
            BINH_PHONE,
            "citizen_cccd",
            "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số (bạn nhập 11 ký tự).",
        ),
        (BINH_CCCD, "12345", "phone", "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."),
    ]
    for cccd, phone, field, message in cases:
        with pytest.raises(DossierError) as exc:
            assist_consent_request(member=personas.volunteer, team=team, citizen_cccd=cccd, phone=phone)
        assert (exc.value.field, exc.value.message) == (field, message)
    assert AssistConsent.objects.count() == 0


def test_phone_must_match_the_number_registered_in_the_citizens_account(personas, team):
    User.objects.filter(pk=personas.binh.pk).update(phone=BINH_PHONE)
    with pytest.raises(DossierError) as exc:
        assist_consent_request(
            member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone="0911111111"
        )
    assert (exc.value.code, exc.value.field) == ("phone_mismatch", "phone")
    assert Notification.objects.count() == 0
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone="+84987654321"
    )
    assert consent.phone == BINH_PHONE


def test_requests_are_rate_limited_per_member_and_per_phone(personas, team):
    for _n in range(3):
        assist_consent_request(member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE)
    with pytest.raises(DossierError) as exc:
        assist_consent_request(member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE)
    assert (exc.value.code, exc.value.field) == ("rate_limited", "phone")
    for n in range(7):
        assist_consent_request(
            member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=f"09000000{n:02d}"
        )
    with pytest.raises(DossierError) as exc:
        assist_consent_request(
            member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone="0900000099"
        )
    assert exc.value.code == "rate_limited"
    assert exc.value.message == "Bạn đã gửi 10 mã xác nhận trong một giờ qua. Xin đợi ít phút rồi thử lại."
    assert AssistConsent.objects.count() == 10 and Notification.objects.count() == 10


# --- the dossier ---------------------------------------------------------------------------------------------


def test_confirmed_consent_gives_a_draft_owned_by_the_citizen_marked_assisted(personas, team, birth_case):
    consent = _confirmed(personas, team)

    dossier = assist_draft_create(consent=consent, member=personas.volunteer, case=birth_case)

    dossier.refresh_from_db()
    assert (dossier.status, dossier.owner, dossier.assisted_by, dossier.assisted_team) == (
        "draft",
        personas.binh,
        personas.volunteer,
        team,
    )
    assert dossier.assist_consent_at == AssistConsent.objects.get(pk=consent.pk).confirmed_at
    assert dossier.applicant_name == "Trần Thị Bình" and dossier.applicant_id_number == BINH_CCCD
    assert (
        dossier.applicant_phone == BINH_PHONE and "sms" in dossier.notify_channels
    )  # the number that got the code
    assert AssistConsent.objects.get(pk=consent.pk).used_by == dossier
    assert rules.can_edit_as_applicant(personas.volunteer, dossier)
    assert rules.can_edit_as_applicant(personas.binh, dossier)
    assert not rules.can_view(personas.stranger, dossier)
    event = AuditEvent.objects.get(action="dossiers.dossier.assisted")
    assert (event.actor, event.object_id) == (personas.volunteer, str(dossier.pk))
    assert event.data == {"member": personas.volunteer.pk, "team": team.pk, "consent": consent.pk}
    assert dossier in applicant_dossiers(personas.binh) and dossier in applicant_dossiers(personas.volunteer)
    # one consent, one dossier
    with pytest.raises(DossierError) as exc:
        assist_draft_create(consent=consent, member=personas.volunteer, case=birth_case)
    assert exc.value.code == "consent_used"
    assert Dossier.objects.count() == 1


def test_no_dossier_without_a_confirmed_consent(personas, team, birth_case):
    consent = assist_consent_request(
        member=personas.volunteer, team=team, citizen_cccd=BINH_CCCD, phone=BINH_PHONE
    )
    with pytest.raises(DossierError) as exc:
        assist_draft_create(consent=consent, member=personas.volunteer, case=birth_case)
    assert exc.value.code == "consent_not_confirmed"
    confirmed = _confirmed(personas, team)
    team.members.remove(personas.volunteer)  # left the team in between
    with pytest.raises(DossierError) as exc:
        assist_draft_create(consent=confirmed, member=personas.volunteer, case=birth_case)
    assert exc.value.code == "forbidden"
    assert Dossier.objects.count() == 0


def test_assisted_submission_belongs_to_the_citizen_and_notifies_them(personas, team, record_case):
    consent = _confirmed(personas, team)
    document = record_case.version.documents.get()

    dossier = assist_dossier_create_submitted(
        consent=consent,
        member=personas.volunteer,
        case=record_case,
        applicant=_binh_applicant(),
        uploads=[Upload("to-khai.pdf", pdf_bytes(), document.pk)],
        notify_channels=["email", "sms"],
        idempotency_key="ho-tro-1",
    )

    dossier.refresh_from_db()
    assert (dossier.status, dossier.owner, dossier.assisted_by, dossier.assisted_team) == (
        "submitted",
        personas.binh,
        personas.volunteer,
        team,
    )
    assert dossier.assist_consent_at == AssistConsent.objects.get(pk=consent.pk).confirmed_at
    assert AssistConsent.objects.get(pk=consent.pk).used_by == dossier
    assert applicant_dossiers(personas.binh) == [dossier]
    assert applicant_dossiers(personas.volunteer) == [dossier]
    assert applicant_dossiers(personas.an) == []
    sent = Notification.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
    assert sorted(sent.values_list("channel", "recipient")) == [
        ("email", "binh@example.vn"),
        ("sms", BINH_PHONE),
    ]
    assert set(sent.values_list("user", flat=True)) == {personas.binh.pk}
    submitted = AuditEvent.objects.get(action="dossiers.dossier.submitted", object_id=str(dossier.pk))
    assert submitted.actor == personas.volunteer and submitted.data["assisted"] is True
    # a retried request with the same key returns the same dossier
    again = assist_dossier_create_submitted(
        consent=consent,
        member=personas.volunteer,
        case=record_case,
        applicant=_binh_applicant(),
        uploads=[Upload("to-khai.pdf", pdf_bytes(), document.pk)],
        notify_channels=["email", "sms"],
        idempotency_key="ho-tro-1",
    )
    assert again.pk == dossier.pk and Dossier.objects.count() == 1


# --- help by month -------------------------------------------------------------------------------------------


def _month_start(today, back: int):
    index = today.year * 12 + today.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=HCM)


def test_team_help_by_month_counts_each_month_exactly(personas, team, record_case, django_assert_num_queries):
    other_team = CommunityTeam.objects.create(
        commune=personas.commune_b, name="Tổ CNSCĐ ấp 1", village="Ấp 1"
    )
    document = record_case.version.documents.get()
    today = timezone.localdate()
    this_month, last_month = _month_start(today, 0), _month_start(today, 1)

    def submitted(owner, at, *, assisted_team=team, number):
        applicant = {
            **_binh_applicant(),
            "applicant_name": owner.full_name,
            "applicant_id_number": owner.cccd,
            "applicant_birth_date": "",
        }
        dossier, _created = dossier_create_submitted(
            actor=personas.volunteer,
            owner=owner,
            case=record_case,
            applicant=applicant,
            uploads=[Upload("to-khai.pdf", pdf_bytes(f"so {number}"), document.pk)],
            assisted_by=personas.volunteer,
            assisted_team=assisted_team,
        )
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=at)

    # 00:30 on the 1st in Hồ Chí Minh City is still the previous day in UTC: it counts in this month.
    submitted(personas.binh, this_month + timedelta(minutes=30), number=1)
    submitted(personas.binh, this_month + timedelta(days=2, hours=9), number=2)
    submitted(personas.an, this_month + timedelta(hours=8), number=3)
    # 23:30 on the last day of last month (16:30 UTC): last month.
    submitted(personas.an, this_month - timedelta(minutes=30), number=4)
    submitted(personas.an, _month_start(today, 12) + timedelta(days=3), number=5)  # 13th month back: left out
    submitted(personas.an, this_month + timedelta(hours=10), assisted_team=other_team, number=6)
    draft = dossier_draft_create(actor=personas.binh, case=record_case)  # never submitted: does not count
    Dossier.objects.filter(pk=draft.pk).update(assisted_team=team, assisted_by=personas.volunteer)

    with django_assert_num_queries(1):
        rows = team_help_by_month(team)

    assert len(rows) == 12
    assert rows[0] == (this_month.date(), 3, 2)
    assert rows[1] == (last_month.date(), 1, 1)
    assert all(row[1:] == (0, 0) for row in rows[2:])
    assert [row[0] for row in rows] == [_month_start(today, back).date() for back in range(12)]
    assert team_help_by_month(other_team, months=1) == [(this_month.date(), 1, 1)]
