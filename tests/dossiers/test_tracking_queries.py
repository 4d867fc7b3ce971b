"""tracking_find and public_timeline: the written-out queries of public tracking (issue 5's speed) read right."""

import pytest

from motcua.core.models import AuditEvent
from motcua.dossiers.intake import dossier_draft_create
from motcua.dossiers.queries import public_timeline, tracking_find
from motcua.dossiers.services import dossier_accept


@pytest.mark.django_db
def test_tracking_find_loads_what_tracking_shows_and_the_rest_on_use(submitted, django_assert_num_queries):
    dossier = tracking_find(code=submitted.reference.lower(), phone_last4="5678")
    assert dossier.pk == submitted.pk
    with django_assert_num_queries(0):
        shown = (
            dossier.display_code,
            dossier.get_status_display(),
            dossier.procedure_version.name,
            dossier.agency.name,
            dossier.receiving_agency.name,
            dossier.submitted_at,
        )
    assert shown == (
        submitted.reference,
        "Mới đăng ký",
        "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Sở Tư pháp",
        "Sở Tư pháp",
        submitted.submitted_at,
    )
    assert dossier.submitted_at.tzinfo is not None
    with django_assert_num_queries(1):
        assert dossier.applicant_name == "Nguyễn Văn An"  # not loaded: fetched on first use


@pytest.mark.django_db
def test_tracking_find_by_code_or_access_code_and_never_a_draft(submitted, personas, birth_case):
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    assert tracking_find(code=accepted.code, phone_last4="5678").pk == accepted.pk
    assert tracking_find(code=accepted.code, access_code=accepted.access_code.lower()).pk == accepted.pk
    assert tracking_find(code=accepted.code, phone_last4="0000") is None
    assert tracking_find(code="000.00.05.H19-000101-0001", phone_last4="5678") is None
    draft = dossier_draft_create(actor=personas.an, case=birth_case)
    assert tracking_find(code=draft.reference, access_code=draft.access_code) is None


@pytest.mark.django_db
def test_public_timeline_reads_the_public_steps_in_order(submitted, personas):
    accepted = dossier_accept(dossier=submitted, actor=personas.desk_x)
    steps = public_timeline(tracking_find(code=accepted.code, phone_last4="5678"))
    events = AuditEvent.objects.filter(
        object_type="dossiers.dossier",
        object_id=str(accepted.pk),
        action__in=["dossiers.dossier.submitted", "dossiers.dossier.accepted"],
    ).order_by("at", "id")
    assert [(at, str(label)) for at, label in steps] == [
        (events[0].at, "Nộp hồ sơ trực tuyến"),
        (events[1].at, "Hồ sơ được tiếp nhận"),
    ]
    assert all(at.tzinfo is not None for at, _label in steps)
