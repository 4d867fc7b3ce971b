"""Counters for the dashboard: by kind, channel, category, agency; time to route; on time; satisfaction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.audit import SYSTEM
from motcua.feedback import citizen, handling, queries, services
from motcua.feedback.intake import report_submit
from motcua.feedback.models import Report
from tests.feedback.conftest import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_counts_by_kind_channel_category_and_agency(report, fb, field_data, today):
    report_submit(
        actor=fb.hotline,
        channel="phone",
        data={**field_data, "commune": fb.commune_a.code},
        complete_now=True,
    )
    submitted(
        actor=SYSTEM,
        channel="web",
        data={"category": "gop-y", "description": "Xin giờ làm thứ Bảy.", "anonymous": True},
    )
    scope = {"start": today, "end": today}
    assert queries.counts_by_kind(**scope) == {"procedure": 0, "field": 2, "question": 1}
    assert queries.counts_by_channel(**scope) == {"web": 2, "phone": 1, "zalo": 0, "email": 0, "api": 0}
    assert queries.counts_by_category(**scope) == {"giao-thong": 2, "gop-y": 1}
    assert queries.counts_by_agency(**scope) == {"000.00.08.H19": 1, "000.01.99.H19": 1}
    assert queries.counts_by_kind(**scope, agency=fb.agency_y) == {"procedure": 0, "field": 1, "question": 0}
    assert queries.counts_by_kind(**scope, commune=fb.commune_b.code)["field"] == 1
    yesterday = today - timedelta(days=1)
    assert queries.counts_by_channel(start=yesterday, end=yesterday)["web"] == 0


def test_time_to_route_counts_minutes_from_receipt(report, fb, today):
    Report.objects.filter(pk=report.pk).update(received_at=report.routed_at - timedelta(minutes=12))
    result = queries.time_to_route(start=today, end=today)
    assert result["received"] == result["routed"] == 1
    assert 11.9 < result["average_minutes"] < 12.1 and result["within_5_minutes"] == 0


def test_answered_on_time_and_satisfaction(report, fb, field_data, today):
    late = submitted(actor=SYSTEM, channel="web", data=field_data)
    for r in (report, late):
        handling.report_accept(report=r, agency=fb.agency_z, actor=fb.specialist_z)
        handling.report_answer(report=r, agency=fb.agency_z, actor=fb.specialist_z, text="Đã vá.")
        services.report_publish(report=r, actor=fb.coordinator, answer="Đã vá.", public_description="Ổ gà.")
    Report.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    citizen.report_rate(report=report, satisfied=True)
    on_time = queries.answered_on_time(start=today, end=today)
    assert on_time == {
        "total": 2, "answered_on_time": 1, "answered_late": 1, "open_within_deadline": 0, "open_overdue": 0,
        "ratio": 50.0,
    }  # fmt: skip
    satisfaction = queries.satisfaction(start=today, end=today)
    assert satisfaction["handled"] == 2 and satisfaction["satisfied_share"] == 100.0
    assert satisfaction["ratio"] == 50.0  # the late one counts against indicator 22
    assert set(queries.feedback_counters(start=today, end=today)) == {
        "by_kind", "by_channel", "by_category", "by_agency", "time_to_route", "answered_on_time", "satisfaction",
    }  # fmt: skip


def test_counters_of_an_empty_period_score_full(fb, today):
    assert queries.answered_on_time(start=today, end=today)["ratio"] == 100.0
    assert queries.satisfaction(start=today, end=today) == {
        "handled": 0, "rated": 0, "satisfied": 0, "unsatisfied": 0, "reopened": 0, "answered_late": 0,
        "satisfied_share": None, "good": 0, "ratio": 100.0,
    }  # fmt: skip
