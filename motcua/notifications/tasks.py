from django_tasks import task


@task(queue_name="notifications")
def deliver_notification(notification_id: int) -> str:
    from motcua.notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id).status
