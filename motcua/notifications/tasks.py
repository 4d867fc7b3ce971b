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
