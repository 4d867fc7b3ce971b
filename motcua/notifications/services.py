"""Queue and deliver notifications.

    notification_enqueue(event="feedback.item.answered", channel="sms", recipient="0912345678",
                         subject="", body="…", obj=item, actor=SYSTEM)

The row is written in the caller's transaction; delivery is queued after commit, so a rolled-back change never
sends a message. A failed delivery is kept with its error and retried automatically after 1, 5, 30 and 120
minutes (five attempts in all); `motcua notifications_retry` queues the failed ones again at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.core.audit import SYSTEM, audit_event_record
from motcua.notifications.channels import DeliveryError, channel_for
from motcua.notifications.models import Channel, Notification

MAX_ATTEMPTS = 5
# Minutes before the next automatic attempt after the 1st, 2nd, 3rd, 4th failure.
RETRY_DELAYS_MINUTES = (1, 5, 30, 120)


def notification_build(
    *,
    event: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    obj=None,
    user=None,
    attachment: str = "",
) -> Notification:
    """A checked, unsaved notification: for a caller that saves several in one INSERT and queues their delivery
    itself (e.g. `motcua.feedback.notify`); `notification_enqueue` is the usual way."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not recipient:
        raise ValueError("a notification needs a recipient")
    return Notification(
        event=event,
        channel=channel,
        recipient=recipient.strip(),
        subject=subject[:255],
        body=body,
        user=user,
        attachment=attachment,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


def notification_enqueue(
    *,
    event: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    obj=None,
    actor=None,
    user=None,
    attachment: str = "",
) -> Notification:
    notification = notification_build(
        event=event,
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        obj=obj,
        user=user,
        attachment=attachment,
    )
    notification.save(force_insert=True)
    from motcua.notifications.tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> Notification:
    """Send one pending or failed notification; record the outcome. Safe to call twice."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == Notification.Status.SENT or notification.attempts >= MAX_ATTEMPTS:
            return notification
        notification.attempts += 1
        try:
            notification.provider_id = channel_for(notification.channel).send(notification) or ""
        except DeliveryError as exc:
            notification.status = Notification.Status.FAILED
            notification.last_error = str(exc)[:2000]
            notification.save(update_fields=["attempts", "status", "last_error"])
            _retry_later(notification)
            audit_event_record(
                action="notifications.notification.failed",
                actor=SYSTEM,
                obj=notification,
                data={
                    "channel": notification.channel,
                    "attempt": notification.attempts,
                    "error": str(exc)[:300],
                },
            )
            return notification
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "provider_id", "sent_at", "last_error"])
    return notification


def _retry_later(notification: Notification) -> None:
    """Queue the next attempt with a growing delay, so a gateway outage heals without anyone acting."""
    if notification.attempts >= MAX_ATTEMPTS:
        return
    from datetime import timedelta

    from motcua.notifications.tasks import deliver_notification

    delay = RETRY_DELAYS_MINUTES[min(notification.attempts, len(RETRY_DELAYS_MINUTES)) - 1]
    run_after = timezone.now() + timedelta(minutes=delay)
    pk = notification.pk
    transaction.on_commit(lambda: deliver_notification.using(run_after=run_after).enqueue(pk))


def notifications_retry_failed(*, limit: int = 500) -> int:
    """Queue the failed notifications that still have attempts left. Returns how many."""
    from motcua.notifications.tasks import deliver_notification

    ids = list(
        Notification.objects.filter(status=Notification.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        deliver_notification.enqueue(pk)
    return len(ids)
