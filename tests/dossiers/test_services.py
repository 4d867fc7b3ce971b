"""The dossier domain: submission, acceptance with code and due date, supplement, refusal, walk-in, tracking."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.intake import (
    DossierInvalid,
    Upload,
    dossier_create_submitted,
    dossier_document_add,
    dossier_draft_create,
    dossier_draft_update,
    dossier_submit,
    dossier_supplement_provide,
    dossier_walk_in_receive,
)
from motcua.dossiers.models import Dossier, DossierCodeCounter, Status
from motcua.dossiers.queries import public_timeline, tracking_find
from motcua.dossiers.services import (
    dossier_accept,
    dossier_code_allocate,
    dossier_refuse,
    dossier_supplement_request,
)
from motcua.notifications.models import Notification
from tests.dossiers.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def _events(dossier):
    return list(
        AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_online_dossier_submitted_is_state_1_with_acknowledgement(personas, submitted):
    assert submitted.status == Status.SUBMITTED
    assert submitted.national_status == 1
    assert submitted.code is None and re.fullmatch(r"HS\d{4}[A-Z2-9]{8}", submitted.reference)
    assert submitted.agency == personas.agency_x and submitted.receiving_agency == personas.agency_x
    assert _events(submitted) == [
        "dossiers.dossier.drafted",
        "dossiers.document.added",
        "dossiers.dossier.submitted",
    ]
    sent = Notification.objects.filter(object_id=str(submitted.pk)).order_by("channel")
    assert [(n.channel, n.recipient, n.event) for n in sent] == [
        ("email", "an@example.vn", "dossiers.dossier.submitted"),
        ("sms", "0912345678", "dossiers.dossier.submitted"),
    ]
    assert submitted.reference in sent[0].body


def test_accept_assigns_code_due_date_and_audits(personas, submitted):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=submitted.revision)
    today = timezone.localtime(dossier.accepted_at)
    assert dossier.status == Status.ACCEPTED
    assert dossier.code == f"000.00.05.H19-{today:%y%m%d}-0001"
    assert dossier.due_at > dossier.accepted_at
    assert dossier.original_due_at == dossier.due_at
    assert dossier.received_by == personas.desk_x
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.code, stored.status, stored.due_at) == (dossier.code, "accepted", dossier.due_at)
    event = AuditEvent.objects.get(action="dossiers.dossier.accepted")
    assert event.data["from"] == "submitted" and event.data["to"] == "accepted"
    assert event.actor == personas.desk_x
    receipt = Notification.objects.get(event="dossiers.dossier.accepted", channel="email")
    assert receipt.attachment == f"dossier-form:receipt:{dossier.pk}"
    assert dossier.code in receipt.body


def test_due_date_counts_working_days_from_acceptance(personas, submitted, monkeypatch):
    """3 working days from Friday 10:00 is Wednesday 10:00 (weekend skipped)."""
    from zoneinfo import ZoneInfo

    friday = timezone.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: friday)
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
    assert timezone.localtime(dossier.due_at).strftime("%a %d/%m %H:%M") == "Wed 09/12 10:00"
    assert dossier.code.endswith("-261204-0001")


def test_codes_are_consecutive_per_agency_and_day_and_never_reused(personas):
    now = timezone.now()
    codes = [dossier_code_allocate(agency=personas.agency_x, at=now) for _ in range(3)]
    other = dossier_code_allocate(agency=personas.agency_y, at=now)
    tomorrow = dossier_code_allocate(agency=personas.agency_x, at=now + timedelta(days=1))
    day = timezone.localtime(now)
    assert codes == [f"000.00.05.H19-{day:%y%m%d}-{n:04d}" for n in (1, 2, 3)]
    assert other.endswith("-0001") and other.startswith("000.01.99.H19-")
    assert tomorrow.endswith("-0001")
    assert DossierCodeCounter.objects.get(agency=personas.agency_x, day=day.date()).last == 3


def test_accepting_twice_is_refused_clearly_and_changes_nothing(personas, submitted):
    seen = submitted.revision
    dossier_accept(dossier=submitted, actor=personas.desk_x, expected_revision=seen)
    stale = Dossier.objects.get(pk=submitted.pk)
    stale.revision = seen  # the second officer's page was loaded before the first acted
    with pytest.raises(StaleDossier) as error:
        dossier_accept(dossier=stale, actor=personas.desk_x, expected_revision=seen)
    assert "vừa được cập nhật bởi người khác" in error.value.message
    with pytest.raises(DossierError) as error:
        dossier_accept(dossier=Dossier.objects.get(pk=submitted.pk), actor=personas.desk_x)
    assert "Được tiếp nhận" in error.value.message
    assert _events(submitted).count("dossiers.dossier.accepted") == 1
    assert DossierCodeCounter.objects.get().last == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_the_same_instant_exactly_one_wins(personas, submitted):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act():
        try:
            barrier.wait(timeout=10)
            dossier_accept(
                dossier=Dossier.objects.get(pk=submitted.pk),
                actor=personas.desk_x,
                expected_revision=submitted.revision,
            )
            outcomes.append("won")
        except DossierError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) in (["not_allowed", "won"], ["stale", "won"])
    assert Dossier.objects.get(pk=submitted.pk).code.endswith("-0001")
    assert AuditEvent.objects.filter(action="dossiers.dossier.accepted").count() == 1


def test_other_agency_officer_and_stranger_cannot_receive(personas, submitted):
    for actor in (personas.officer_y, personas.stranger, personas.specialist_x, personas.binh):
        with pytest.raises(DossierError) as error:
            dossier_accept(dossier=submitted, actor=actor)
        assert error.value.code == "forbidden"
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_refuse_needs_a_reason(personas, submitted):
    with pytest.raises(DossierError) as error:
        dossier_refuse(dossier=submitted, actor=personas.desk_x, reason="   ")
    assert error.value.message == "Cần ghi rõ lý do từ chối."
    dossier = dossier_refuse(
        dossier=submitted, actor=personas.desk_x, reason="Không thuộc thẩm quyền của Sở."
    )
    assert dossier.status == Status.REFUSED and dossier.national_status == 3
    assert Dossier.objects.get(pk=submitted.pk).refusal_reason == "Không thuộc thẩm quyền của Sở."
    assert Notification.objects.filter(
        event="dossiers.dossier.refused", attachment__endswith=f":{dossier.pk}"
    )


def test_supplement_at_reception_and_resubmission(personas, submitted):
    with pytest.raises(DossierError):
        dossier_supplement_request(dossier=submitted, actor=personas.desk_x, items=[], reason="Thiếu giấy tờ")
    dossier = dossier_supplement_request(
        dossier=submitted,
        actor=personas.desk_x,
        items=["Bản sao CCCD có chứng thực"],
        reason="Tờ khai chưa ký",
    )
    assert dossier.status == Status.SUPPLEMENT and dossier.national_status == 5
    with pytest.raises(DossierError) as error:
        dossier_supplement_provide(dossier=dossier, actor=personas.an)
    assert error.value.code == "supplement_empty"
    with pytest.raises(DossierError):  # another citizen cannot add files
        dossier_document_add(dossier=dossier, actor=personas.binh, upload=Upload("x.pdf", pdf_bytes()))
    dossier_document_add(dossier=dossier, actor=personas.an, upload=Upload("cccd.pdf", pdf_bytes("CCCD")))
    dossier = dossier_supplement_provide(dossier=dossier, actor=personas.an)
    assert dossier.status == Status.SUBMITTED  # back to the desk, clock not started yet
    assert dossier.documents.filter(kind="supplement").count() == 1
    accepted = dossier_accept(dossier=dossier, actor=personas.desk_x)
    assert accepted.status == Status.ACCEPTED


def test_draft_saves_resumes_and_submits_once(personas, record_case, applicant):
    draft = dossier_draft_create(actor=personas.an, case=record_case)
    assert draft.status == Status.DRAFT and draft.applicant_name == "Nguyễn Văn An"
    with pytest.raises(DossierInvalid) as error:
        dossier_submit(dossier=draft, actor=personas.an)
    document = record_case.version.documents.get()
    assert f"document_{document.pk}" in error.value.errors
    dossier_draft_update(
        dossier=draft, actor=personas.an, applicant=applicant, delivery="desk", notify_channels=["email"]
    )
    dossier_document_add(dossier=draft, actor=personas.an, upload=Upload("a.pdf", pdf_bytes(), document.pk))
    first = dossier_submit(dossier=Dossier.objects.get(pk=draft.pk), actor=personas.an)
    again = dossier_submit(dossier=Dossier.objects.get(pk=draft.pk), actor=personas.an)  # a double click
    assert first.pk == again.pk and again.status == Status.SUBMITTED
    assert _events(draft).count("dossiers.dossier.submitted") == 1
    with pytest.raises(DossierError):
        dossier_draft_update(dossier=again, actor=personas.an, applicant=applicant, delivery="desk")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_id_number", "07509000123", "phải gồm đúng 12 chữ số"),
        ("applicant_birth_date", "01/01/2999", "không thể ở trong tương lai"),
        ("applicant_name", "A" * 10_000, "quá giới hạn 200 ký tự"),
        ("applicant_phone", "12345", "10 chữ số"),
        ("applicant_email", "khong-phai-email", "không đúng dạng"),
    ],
)
def test_bad_applicant_data_is_refused_with_a_vietnamese_message(
    personas, record_case, applicant, field, value, message
):
    applicant[field] = value
    document = record_case.version.documents.get()
    with pytest.raises(DossierInvalid) as error:
        dossier_create_submitted(
            actor=personas.an,
            owner=personas.an,
            case=record_case,
            applicant=applicant,
            uploads=[Upload("a.pdf", pdf_bytes(), document.pk)],
        )
    assert message in error.value.errors[field]
    assert Dossier.objects.count() == 0


def test_idempotency_key_returns_the_first_dossier_and_refuses_other_content(
    personas, record_case, applicant
):
    document = record_case.version.documents.get()
    kwargs = {
        "actor": personas.an,
        "owner": personas.an,
        "case": record_case,
        "applicant": applicant,
        "uploads": [Upload("a.pdf", pdf_bytes(), document.pk)],
        "idempotency_key": "lan-nop-1",
    }
    first, created = dossier_create_submitted(**kwargs)
    again, created_again = dossier_create_submitted(**kwargs)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    changed = {**kwargs, "applicant": {**applicant, "applicant_address": "Địa chỉ khác"}}
    with pytest.raises(DossierError) as error:
        dossier_create_submitted(**changed)
    assert error.value.code == "idempotency_conflict" and first.reference in error.value.message
    assert Dossier.objects.count() == 1


def test_walk_in_is_accepted_in_one_step(personas, record_case, applicant):
    document = record_case.version.documents.get()
    dossier = dossier_walk_in_receive(
        actor=personas.desk_x,
        receiving_agency=personas.agency_x,
        case=record_case,
        applicant=applicant,
        uploads=[
            Upload(
                "scan.png", __import__("tests.dossiers.conftest").dossiers.conftest.png_bytes(), document.pk
            )
        ],
    )
    assert dossier.status == Status.ACCEPTED and dossier.channel == "desk"
    assert dossier.code.startswith("000.00.05.H19-") and dossier.due_at
    assert _events(dossier) == ["dossiers.document.added", "dossiers.dossier.received"]
    with pytest.raises(DossierError) as error:
        dossier_walk_in_receive(
            actor=personas.officer_y,
            receiving_agency=personas.agency_x,
            case=record_case,
            applicant=applicant,
            uploads=[],
        )
    assert error.value.code == "forbidden"


def test_tracking_needs_the_code_and_a_second_factor(personas, submitted):
    dossier = dossier_accept(dossier=submitted, actor=personas.desk_x)
    assert tracking_find(code=dossier.code, phone_last4="5678") == dossier
    assert tracking_find(code=dossier.code.lower(), access_code=dossier.access_code.lower()) == dossier
    assert tracking_find(code=dossier.reference, phone_last4="5678") == dossier
    assert tracking_find(code=dossier.code, phone_last4="0000") is None
    assert tracking_find(code=dossier.code, access_code="WRONG") is None
    assert tracking_find(code="000.00.05.H19-000000-9999", phone_last4="5678") is None
    steps = [label for _at, label in public_timeline(dossier)]
    assert [str(s) for s in steps] == ["Nộp hồ sơ trực tuyến", "Hồ sơ được tiếp nhận"]
