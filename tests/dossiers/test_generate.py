"""The bulk generator of sample dossiers (benchmarks, demonstrations): realistic, and consistent with the services."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.core.identity import validate_cccd
from motcua.core.models import AuditEvent
from motcua.directory.models import Role, StaffAssignment, User
from motcua.dossiers.errors import DossierError
from motcua.dossiers.generate import dossiers_generate
from motcua.dossiers.generate_people import FAMILY_NAMES
from motcua.dossiers.intake import receiving_agency_for
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierPause, Status
from motcua.dossiers.queries import public_timeline, tracking_find
from motcua.worktime.clock import TZ

NOW = datetime(2026, 3, 18, 15, 30, tzinfo=TZ)
CODE_RE = re.compile(r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<day>\d{6})-(?P<n>\d{4,})$")


@pytest.fixture
def generated(personas, catalog):
    return dossiers_generate(count=400, years=1, seed=7, now=NOW)


@pytest.mark.django_db
def test_generate_writes_the_dossiers_and_their_audit_events(generated):
    dossiers = Dossier.objects.all()
    assert generated.dossiers == dossiers.count() == 400
    events = AuditEvent.objects.filter(object_type="dossiers.dossier")
    assert generated.events == events.count()
    assert sum(generated.by_status.values()) == 400
    assert generated.by_status[Status.RETURNED] > 200  # a year back, most are long done
    assert not dossiers.filter(status=Status.DRAFT).exists()
    actions = defaultdict(set)
    for object_id, action in events.values_list("object_id", "action"):
        actions[int(object_id)].add(action.rsplit(".", 1)[1])
    for dossier in dossiers:
        done = actions[dossier.pk]
        if dossier.channel == "online":
            assert {"drafted", "submitted"} <= done
        if dossier.accepted_at:
            assert ("accepted" if dossier.channel == "online" else "received") in done
        if dossier.status == Status.REFUSED:
            assert "refused" in done and dossier.refusal_reason and dossier.code is None


@pytest.mark.django_db
def test_generate_numbers_codes_per_agency_and_day_like_the_counters(generated):
    numbers = defaultdict(list)
    for dossier in Dossier.objects.filter(code__isnull=False).select_related("agency"):
        match = CODE_RE.match(dossier.code)
        assert match and match["agency"] == dossier.agency.code, dossier.code
        day = timezone.localtime(dossier.accepted_at).date()
        assert match["day"] == f"{day:%y%m%d}"
        numbers[(dossier.agency_id, day)].append(int(match["n"]))
    assert numbers
    counters = {(c.agency_id, c.day): c.last for c in DossierCodeCounter.objects.all()}
    for key, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1))
        assert counters[key] == len(got)
    assert generated.counters == len(counters)


@pytest.mark.django_db
def test_generate_orders_acceptance_numbers_by_time(generated):
    by_day = defaultdict(list)
    for code, accepted_at, agency_id in Dossier.objects.filter(code__isnull=False).values_list(
        "code", "accepted_at", "agency_id"
    ):
        by_day[(agency_id, timezone.localtime(accepted_at).date())].append((accepted_at, int(code[-4:])))
    for pairs in by_day.values():
        assert [n for _at, n in sorted(pairs)] == sorted(n for _at, n in pairs)


@pytest.mark.django_db
def test_generate_applicants_are_valid_vietnamese_people(generated, personas):
    families = {name for name, _share in FAMILY_NAMES}
    for dossier in Dossier.objects.all():
        words = dossier.applicant_name.split()
        assert words[0] in families and 3 <= len(words) <= 4
        validate_cccd(dossier.applicant_id_number, birth_date=dossier.applicant_birth_date)
        assert re.fullmatch(r"0\d{9}", dossier.applicant_phone)
        assert dossier.applicant_commune.province_id == personas.province.pk
        if dossier.channel == "online":
            assert dossier.owner.cccd == dossier.applicant_id_number
            assert dossier.owner.full_name == dossier.applicant_name
            assert not dossier.owner.has_usable_password()
        else:
            assert dossier.owner is None


@pytest.mark.django_db
def test_generate_uses_the_catalog_agencies_and_desk_officers(generated):
    for dossier in Dossier.objects.select_related("procedure_version", "agency", "receiving_agency", "case"):
        assert dossier.procedure_version.procedure.current_version_id == dossier.procedure_version_id
        assert dossier.case.version_id == dossier.procedure_version_id
        assert dossier.procedure_version.agencies.filter(pk=dossier.agency_id).exists()
        assert dossier.receiving_agency == receiving_agency_for(dossier.agency)
        communes = set(dossier.procedure_version.agencies.values_list("commune", flat=True))
        if (
            dossier.applicant_commune_id in communes
        ):  # a commune procedure is handled where the applicant lives
            assert dossier.agency.commune_id == dossier.applicant_commune_id
        if dossier.received_by_id:
            assert StaffAssignment.objects.filter(
                user=dossier.received_by_id, agency=dossier.receiving_agency, role=Role.DESK_OFFICER
            ).exists()
    assert generated.officers_created == 0  # personas have desk officers at X and Y


@pytest.mark.django_db
def test_generate_instants_follow_each_other_and_stay_in_the_past(generated):
    for dossier in Dossier.objects.all():
        chain = [
            dossier.created_at,
            dossier.submitted_at,
            dossier.accepted_at or dossier.refused_at or dossier.supplement_requested_at,
            dossier.finished_at,
            dossier.returned_at,
        ]
        present = [instant for instant in chain if instant is not None]
        assert present == sorted(present) and present[-1] <= NOW, dossier.pk
        assert dossier.updated_at == max(present + [dossier.supplement_requested_at or present[0]]), (
            dossier.pk
        )
        if dossier.accepted_at:
            assert dossier.due_at > dossier.accepted_at and dossier.original_due_at == dossier.due_at
        assert dossier.created_at >= NOW - timedelta(days=367)
    waiting = Dossier.objects.filter(status=Status.SUPPLEMENT, supplement_from=Status.PROCESSING)
    assert DossierPause.objects.filter(dossier__in=waiting, ended_at__isnull=True).count() == waiting.count()


@pytest.mark.django_db
def test_generated_dossier_is_found_by_tracking_with_its_public_timeline(generated):
    dossier = Dossier.objects.filter(code__isnull=False, channel="online").first()
    found = tracking_find(code=dossier.code, phone_last4=dossier.applicant_phone[-4:])
    assert found.pk == dossier.pk
    steps = [str(label) for _at, label in public_timeline(found)]
    assert steps[:2] == ["Nộp hồ sơ trực tuyến", "Hồ sơ được tiếp nhận"]
    wrong = "0000" if dossier.applicant_phone[-4:] != "0000" else "1111"
    assert tracking_find(code=dossier.code, phone_last4=wrong) is None


@pytest.mark.django_db
def test_generate_twice_continues_the_counters_without_collisions(generated):
    second = dossiers_generate(count=200, years=1, seed=7, now=NOW)  # the same seed: ids and codes still new
    assert second.dossiers == 200 and Dossier.objects.count() == 600
    numbers = defaultdict(list)
    for agency_id, code in Dossier.objects.filter(code__isnull=False).values_list("agency_id", "code"):
        numbers[(agency_id, code.split("-")[1])].append(int(code.split("-")[2]))
    for got in numbers.values():  # the second run went on from the first run's counters
        assert sorted(got) == list(range(1, len(got) + 1))
    counters = {(c.agency_id, f"{c.day:%y%m%d}"): c.last for c in DossierCodeCounter.objects.all()}
    assert {key: len(got) for key, got in numbers.items()} == counters


@pytest.mark.django_db
def test_generate_creates_a_desk_officer_where_a_centre_has_none(personas, catalog):
    StaffAssignment.objects.filter(user=personas.officer_y).update(active=False)
    report = dossiers_generate(count=60, years=1, seed=3, now=NOW)
    assert report.officers_created == 1
    officer = User.objects.get(username=f"tiepnhan.{personas.agency_y.code}")
    assert not officer.has_usable_password() and officer.kind == User.Kind.STAFF
    assert StaffAssignment.objects.filter(
        user=officer, agency=personas.agency_y, role=Role.DESK_OFFICER
    ).exists()
    assert Dossier.objects.filter(receiving_agency=personas.agency_y, received_by=officer).exists()


@pytest.mark.django_db(transaction=True)
def test_generate_bulk_load_restores_every_key_and_index(personas, catalog):
    from django.db import connection

    tables = [Dossier._meta.db_table, AuditEvent._meta.db_table, User._meta.db_table]

    def schema():
        with connection.cursor() as cursor:
            return {
                table: sorted(
                    (name, tuple(c["columns"]), c["unique"], bool(c["foreign_key"]), c["index"])
                    for name, c in connection.introspection.get_constraints(cursor, table).items()
                )
                for table in tables
            }

    before = schema()
    report = dossiers_generate(count=120, years=1, seed=11, now=NOW, bulk_load=True)
    assert report.dossiers == 120 and Dossier.objects.count() == 120
    assert schema() == before


@pytest.mark.django_db
def test_generate_refuses_nonsense_and_an_empty_catalog(personas):
    with pytest.raises(DossierError):
        dossiers_generate(count=0)
    with pytest.raises(DossierError) as raised:
        dossiers_generate(count=10)
    assert "danh mục thủ tục" in raised.value.message
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_generate_command_needs_force_without_debug(personas, catalog, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_dossiers", "--dossiers", "20")
    assert not Dossier.objects.exists()
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_dossiers", "--dossiers", "20", "--years", "1", "--force", stdout=out, stderr=err)
    assert Dossier.objects.count() == 20
    assert "Đã sinh 20 hồ sơ" in out.getvalue()
    assert "hồ sơ: 20 / 20 (100 %)" in err.getvalue()
