"""The demo history: a year of dossiers in every state, consistent with the calendar and the process templates,
loaded once through the real services."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.directory.models import Agency
from motcua.dossiers.control import step_timeliness_code
from motcua.dossiers.demo_history import demo_history_load
from motcua.dossiers.models import Dossier, DossierRating, DossierStep, Status
from motcua.worktime.clock import classify
from motcua.worktime.services import calendar_for_province

pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database for the module fixture

COUNT = 150  # half the demo's 300: every fate is still there, the test stays quick


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """Loaded once for the module (it takes seconds), in a transaction rolled back at the end."""
    from django.db import transaction

    from motcua.catalog.demo import demo_catalog_load
    from motcua.directory.demo import demo_province_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_province_load(with_passwords=False)
            demo_catalog_load()
            now = timezone.now()
            report = demo_history_load(count=COUNT, now=now)
            yield report, now
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(history):
    return history


def test_demo_history_has_every_state_the_law_knows(loaded):
    report, _now = loaded

    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values) - {Status.DRAFT}
    assert report.dossiers == sum(statuses.values()) == Dossier.objects.count()
    assert statuses[Status.RETURNED] > COUNT // 3
    assert Dossier.objects.filter(outcome="unresolved", status=Status.RETURNED).exists()
    assert Dossier.objects.filter(status=Status.SUPPLEMENT, accepted_at__isnull=False).exists()


def test_demo_history_is_spread_over_a_year_of_working_days(loaded):
    _report, now = loaded
    calendar = calendar_for_province(settings.PROVINCE_CODE)

    accepted = list(Dossier.objects.filter(accepted_at__isnull=False).values_list("accepted_at", flat=True))
    local = [timezone.localtime(at) for at in accepted]
    assert min(accepted) > now - timedelta(days=366) and max(accepted) < now
    assert len({(at.year, at.month) for at in local}) >= 10
    assert all(calendar.is_working_day(at.date()) for at in local)
    assert all(
        any(start <= at.time() <= end for start, end in calendar.periods_on(at.date())) for at in local
    )
    assert Dossier.objects.values("agency").distinct().count() >= 5


def test_demo_history_dates_follow_each_other(loaded):
    for dossier in Dossier.objects.filter(accepted_at__isnull=False):
        assert dossier.submitted_at <= dossier.accepted_at < dossier.original_due_at <= dossier.due_at
        if dossier.finished_at:
            assert dossier.accepted_at < dossier.finished_at
        if dossier.returned_at:
            assert dossier.finished_at <= dossier.returned_at
    # the acceptance event is written at the instant the dossier says it was accepted
    first = Dossier.objects.filter(accepted_at__isnull=False).order_by("pk").first()
    event = AuditEvent.objects.get(
        object_type="dossiers.dossier", object_id=str(first.pk), action__in=["dossiers.dossier.accepted",
                                                                             "dossiers.dossier.received"]
    )  # fmt: skip
    assert event.at == first.accepted_at


def test_demo_history_steps_are_contiguous_hand_offs(loaded):
    steps = DossierStep.objects.order_by("dossier_id", "sequence")
    by_dossier: dict[int, list[DossierStep]] = {}
    for step in steps:
        by_dossier.setdefault(step.dossier_id, []).append(step)
    current = dict(Dossier.objects.values_list("pk", "current_step_id"))
    status = dict(Dossier.objects.values_list("pk", "status"))
    for dossier_id, rows in by_dossier.items():
        assert [s.sequence for s in rows] == list(range(1, len(rows) + 1))
        for before, after in zip(rows, rows[1:], strict=False):
            assert before.ended_at == after.started_at
            assert after.sent_by_id == before.ended_by_id
        open_steps = [s.pk for s in rows if s.ended_at is None]
        expected = [] if status[dossier_id] in {Status.RETURNED, Status.WITHDRAWN} else [current[dossier_id]]
        assert open_steps == expected
        assert all(s.due_at > s.started_at for s in rows)


def test_demo_history_is_mostly_on_time_and_late_ones_apologised(loaded):
    _report, now = loaded
    granted = Dossier.objects.filter(outcome="granted").prefetch_related("apologies")
    classes = Counter(classify(due=d.original_due_at, finished_at=d.finished_at) for d in granted)
    on_time = (classes["early"] + classes["on_time"]) / sum(classes.values())
    assert 0.78 <= on_time <= 0.93
    for dossier in granted:
        if (
            dossier.finished_at > dossier.original_due_at
        ):  # approved late: an apology promised a later date first
            apology = max(dossier.apologies.all(), key=lambda a: a.issued_at)
            assert apology.issued_at < dossier.finished_at <= apology.new_due_at == dossier.due_at
    open_late = Dossier.objects.filter(status=Status.PROCESSING, due_at__lt=now)
    assert open_late.filter(apologies__isnull=True).exists()
    assert Dossier.objects.filter(status=Status.PROCESSING, apologies__isnull=False).exists()
    late_steps = [
        s for s in DossierStep.objects.filter(ended_at__isnull=False) if step_timeliness_code(s) == "late"
    ]
    assert late_steps


def test_demo_history_has_an_inter_agency_dossier_at_the_provincial_department(loaded):
    inter = Dossier.objects.filter(process_template__name__startswith="Liên thông", status=Status.PROCESSING)
    at_province = [d for d in inter if d.current_step.agency.name == "Sở Nông nghiệp và Môi trường"]

    assert at_province
    dossier = at_province[0]
    assert dossier.agency.kind == Agency.Kind.COMMUNE_PEOPLES_COMMITTEE
    assert dossier.current_step.department.name == "Phòng Quản lý đất đai"


def test_demo_history_ratings_cover_every_level_and_flag_the_dissatisfied(loaded):
    ratings = DossierRating.objects.all()

    assert set(ratings.values_list("level", flat=True)) == {1, 2, 3, 4, 5}
    assert all(r.flagged == (r.level <= 2) for r in ratings)
    assert all(r.dossier.status == Status.RETURNED and r.rated_at > r.dossier.returned_at for r in ratings)


def test_demo_history_loads_once(loaded):
    count, events = Dossier.objects.count(), AuditEvent.objects.count()

    assert demo_history_load(count=COUNT) is None
    assert (Dossier.objects.count(), AuditEvent.objects.count()) == (count, events)
