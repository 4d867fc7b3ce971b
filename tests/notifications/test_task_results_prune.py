"""The scheduled job `task_results_prune` deletes the database queue's old finished rows and nothing else."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.feedback.tasks import complete_intake
from motcua.notifications.tasks import queue_row, task_results_prune

pytestmark = pytest.mark.django_db


def _row(status: str, days_ago: float | None) -> DBTaskResult:
    row = queue_row(complete_intake, 1)
    row.save()
    finished = timezone.now() - timedelta(days=days_ago) if days_ago is not None else None
    DBTaskResult.objects.filter(pk=row.pk).update(status=status, finished_at=finished)
    return row


def test_prunes_old_finished_rows_only(settings):
    settings.TASK_RESULTS_KEEP_DAYS, settings.TASK_FAILURES_KEEP_DAYS = 14, 90
    gone = [_row("SUCCESSFUL", 15), _row("SUCCESSFUL", 400), _row("FAILED", 91)]
    kept = [_row("SUCCESSFUL", 13), _row("FAILED", 30), _row("READY", None), _row("RUNNING", None)]
    out = io.StringIO()
    call_command("run_scheduled_jobs", only=["task_results_prune"], stdout=out)
    assert out.getvalue().startswith("task_results_prune: ")
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {row.pk for row in kept}
    assert not DBTaskResult.objects.filter(pk__in=[row.pk for row in gone]).exists()
    assert task_results_prune() == {"deleted": 0}  # safe to run again


def test_prunes_in_batches_up_to_a_limit_per_run():
    for _n in range(7):
        _row("SUCCESSFUL", 20)
    assert task_results_prune(batch=2, most=4) == {"deleted": 4}
    assert task_results_prune(batch=2, most=4) == {"deleted": 3}
    assert not DBTaskResult.objects.exists()
