from django.conf import settings
from django.db import transaction
from django_tasks import task

_DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def enqueue_with_the_change(bound_task, *args) -> None:
    """Queue a task with the change that needs it. With the database queue the task row is written in the same
    transaction (one commit; a rolled-back change queues nothing, a committed one cannot lose its task); with an
    external queue (Redis) after the commit."""
    if settings.TASKS["default"]["BACKEND"] == _DATABASE_BACKEND:
        bound_task.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound_task.enqueue(*args))


def task_results_prune(*, batch: int = 5000, most: int = 200_000) -> dict[str, int]:
    """Delete the database queue's finished rows: successful ones after TASK_RESULTS_KEEP_DAYS, failed ones after
    TASK_FAILURES_KEEP_DAYS; in batches, at most `most` per run (the scheduled job runs every 10 minutes). Without it
    the queue table grows by a few rows for every report and dossier step, for ever. Nothing to do with Redis."""
    from datetime import timedelta

    from django.utils import timezone

    if settings.TASKS["default"]["BACKEND"] != _DATABASE_BACKEND:
        return {"deleted": 0}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    finished = DBTaskResult.objects.filter(
        status="SUCCESSFUL", finished_at__lt=now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    ) | DBTaskResult.objects.filter(
        status="FAILED", finished_at__lt=now - timedelta(days=settings.TASK_FAILURES_KEEP_DAYS)
    )
    deleted = 0
    while deleted < most:
        ids = list(finished.order_by().values_list("id", flat=True)[:batch])
        if not ids:
            break
        deleted += DBTaskResult.objects.filter(id__in=ids).delete()[0]
    return {"deleted": deleted}


def queue_row(bound_task, *args):
    """The database queue's row for this task, not yet written, for a change that writes it with its own rows in
    one round trip (`motcua.core.rows.rows_insert`, ADR 0014): the row the backend's `enqueue()` writes, without
    the result object it builds for the caller. None when the queue is not the database: use
    `enqueue_with_the_change` then."""
    if settings.TASKS["default"]["BACKEND"] != _DATABASE_BACKEND:
        return None
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult

    backend = bound_task.get_backend()
    backend.validate_task(bound_task)
    return DBTaskResult(
        id=backend._get_id(),
        args_kwargs=normalize_json({"args": list(args), "kwargs": {}}),
        priority=bound_task.priority,
        task_path=bound_task.module_path,
        queue_name=bound_task.queue_name,
        run_after=bound_task.run_after,  # None: the model's pre_save handler sets "no delay"
        backend_name=backend.alias,
    )


@task(queue_name="notifications")
def deliver_notification(notification_id: int) -> str:
    from motcua.notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id).status


@task(queue_name="notifications")
def deliver_notifications(notification_ids: list[int]) -> list[str]:
    """The messages of one event (e-mail and SMS) in one task; each is delivered, recorded and retried on its own
    (`notification_deliver`, which queues `deliver_notification` for a retry)."""
    from motcua.notifications.services import notification_deliver

    statuses: list[str] = []
    failure: Exception | None = None
    for pk in notification_ids:
        try:  # one message's unexpected error must not keep the others from being sent
            statuses.append(notification_deliver(notification_id=pk).status)
        except Exception as exc:  # noqa: BLE001  (re-raised below, after the other messages)
            failure = failure or exc
            statuses.append("error")
    if failure is not None:
        raise failure
    return statuses
