"""`motcua generate`: consistent processing facts on generated dossiers, and rollups that match a rebuild."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import Dossier, DossierApology, DossierPayment, DossierRating
from motcua.metrics.indicators import indicators_compute
from motcua.metrics.models import DailyRollup
from motcua.metrics.rebuild import rollups_rebuild
from motcua.metrics.slices import Slice, period_parse


@pytest.fixture
def generated(personas, catalog, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("generate", dossiers=600, years=1, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_generate_completes_finished_dossiers_consistently(generated):
    finished = Dossier.objects.filter(finished_at__isnull=False)
    assert finished.exists() and not finished.filter(outcome="").exists()
    assert not Dossier.objects.filter(status="returned", return_method="").exists()
    assert (
        DossierApology.objects.exists() and DossierPayment.objects.exists() and DossierRating.objects.exists()
    )
    for apology in DossierApology.objects.select_related("dossier"):
        assert apology.dossier.finished_at > apology.dossier.original_due_at  # only late dossiers
        assert apology.issued_at < apology.dossier.original_due_at
    for payment in DossierPayment.objects.select_related("dossier"):
        assert (
            payment.dossier.accepted_at < payment.requested_at < payment.paid_at < payment.dossier.finished_at
        )
    assert not DossierRating.objects.exclude(dossier__status="returned").exists()
    assert "số liệu tổng hợp" in generated


def test_generated_rollups_match_a_rebuild_and_the_dossier_rows(generated):
    assert DailyRollup.objects.exists()
    assert rollups_rebuild(check=True).differences == 0
    year = Slice(period=period_parse("2000"))  # nothing that early
    assert indicators_compute(year, with_feedback=False).counts["received"] == 0
    total = sum(DailyRollup.objects.values_list("received", flat=True))
    assert total == Dossier.objects.filter(accepted_at__isnull=False).count()


def test_generate_feedback_makes_routed_answered_and_rated_reports(personas, catalog, settings):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.feedback.models import Assignment, Category, Rating, Report, RoutingRule
    from motcua.feedback.queries import feedback_summary

    settings.DEBUG = True
    traffic = Category.objects.create(code="giao-thong", name="Giao thông", kinds=["field"], answer_days=5)
    RoutingRule.objects.create(category=traffic, commune=None, agency=personas.agency_x)
    call_command("generate", dossiers=0, feedback=200, stdout=io.StringIO(), stderr=io.StringIO())
    reports = Report.objects.all()
    assert reports.count() == 200
    assert set(reports.values_list("status", flat=True)) == {
        "published",
        "closed",
        "in_progress",
        "routed",
        "received",
    }
    routed = reports.exclude(status="received")
    assert Assignment.objects.filter(report__in=routed, agency=personas.agency_x).count() == routed.count()
    assert not Assignment.objects.filter(report__status="received").exists()
    assert Rating.objects.count() == reports.filter(status="closed").count()
    answered = reports.filter(answered_at__isnull=False)
    assert answered.count() == reports.filter(status__in=["published", "closed"]).count()
    assert answered.filter(answered_at__gt=timezone.now() - timedelta(days=400)).count() == answered.count()
    today = timezone.localdate()
    summary = feedback_summary(
        start=today - timedelta(days=366), end=today, agency_ids={personas.agency_x.pk}
    )
    assert summary["received"] == routed.count() and summary["handled"] == answered.count()
    assert 0 < summary["handled_on_time"] < summary["in_authority"]  # answers 1–20 days against 14: some late


def test_generate_feedback_without_categories_says_so(personas, catalog, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Cần có lĩnh vực phản ánh"):
        call_command("generate", dossiers=0, feedback=5, stdout=io.StringIO(), stderr=io.StringIO())
