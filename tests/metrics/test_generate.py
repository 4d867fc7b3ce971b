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


def test_generate_with_feedback_says_clearly_it_is_not_available(personas, catalog, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="chưa có bộ sinh dữ liệu"):
        call_command("generate", dossiers=10, feedback=5, stdout=io.StringIO(), stderr=io.StringIO())
