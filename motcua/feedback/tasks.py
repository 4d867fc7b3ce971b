from django.conf import settings
from django.db import transaction
from django_tasks import task

_DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def enqueue_with_the_change(bound_task, *args) -> None:
    """Queue a task with the change that needs it. With the database queue the task row is written in the same
    transaction (one commit; a rolled-back change queues nothing, a committed one cannot lose its task); with an
    external queue (Redis) after the commit, as before."""
    if settings.TASKS["default"]["BACKEND"] == _DATABASE_BACKEND:
        bound_task.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound_task.enqueue(*args))


@task()
def escalate_if_unclaimed(assignment_id: int) -> bool:
    """Queued at routing to run at the claim deadline: escalates the share if nobody has accepted it."""
    from motcua.feedback.handling import assignment_escalate

    return assignment_escalate(assignment_id=assignment_id)


@task(queue_name="notifications")
def deliver_report_notifications(notification_ids: list[int]) -> list[str]:
    """The messages of one step of a report (e-mail and SMS), in one task; each is delivered, recorded and retried
    on its own (`notification_deliver`, which queues `deliver_notification` for a retry)."""
    from motcua.notifications.services import notification_deliver

    return [notification_deliver(notification_id=pk).status for pk in notification_ids]
