from django_tasks import task

from motcua.notifications.tasks import enqueue_with_the_change, queue_row  # noqa: F401  (feedback's callers import them here)


@task()
def complete_intake(report_id: int) -> str:
    """Queued with each new report from the web form and the API: route it and acknowledge it to the reporter."""
    from motcua.feedback.intake import report_intake_complete

    return report_intake_complete(report_id=report_id)


@task()
def escalate_if_unclaimed(assignment_id: int) -> bool:
    """Escalates the share if nobody has accepted it. Routing no longer queues it (the scheduled job
    `feedback_escalation` does the work); kept so that tasks queued by an earlier version still run."""
    from motcua.feedback.handling import assignment_escalate

    return assignment_escalate(assignment_id=assignment_id)


@task(queue_name="notifications")
def deliver_report_notifications(notification_ids: list[int]) -> list[str]:
    """The messages of one step of a report (e-mail and SMS), in one task; each is delivered, recorded and retried
    on its own (`notification_deliver`, which queues `deliver_notification` for a retry)."""
    from motcua.notifications.services import notification_deliver

    return [notification_deliver(notification_id=pk).status for pk in notification_ids]
