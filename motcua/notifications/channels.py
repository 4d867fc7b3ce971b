"""Delivery channels. Each has one method, `send(notification) -> provider id`, and raises DeliveryError.

E-mail goes through Django's mail (real SMTP with USE_SMTP, files under var/mail otherwise). SMS and Zalo go to
the configured HTTP gateway when USE_SMS / USE_ZALO is on; otherwise to a file outbox under var/sms or var/zalo —
the edge of the world we cannot reach here, behind the same interface.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage


class DeliveryError(Exception):
    pass


class EmailChannel:
    def send(self, notification) -> str:
        message = EmailMessage(
            subject=notification.subject or "Một Cửa",
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
        )
        if notification.attachment:
            from motcua.notifications.attachments import attachment_render

            try:
                message.attach(*attachment_render(notification.attachment))
            except (
                Exception
            ) as exc:  # a form that cannot be rendered now is retried later, not sent without it
                raise DeliveryError(
                    f"attachment {notification.attachment}: {type(exc).__name__}: {exc}"
                ) from exc
        message_id = f"<{uuid.uuid4().hex}@motcua>"
        message.extra_headers["Message-ID"] = message_id
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP, network and file errors all mean "not delivered"
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return message_id


class FileOutboxChannel:
    """Writes one JSON file per message: for development and for demo installations without a gateway."""

    def __init__(self, name: str):
        self.directory = Path(settings.DATA_DIR) / name

    def send(self, notification) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        provider_id = uuid.uuid4().hex
        (self.directory / f"{notification.pk}-{provider_id}.json").write_text(
            json.dumps(
                {"to": notification.recipient, "subject": notification.subject, "body": notification.body},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        return provider_id


class HttpGatewayChannel:
    """POST JSON {to, text, brandname} with a bearer token; the gateway answers JSON with an "id"."""

    def __init__(self, *, url: str, token: str, sender: str, timeout: float = 15.0):
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def send(self, notification) -> str:
        payload = json.dumps(
            {"to": notification.recipient, "text": notification.body, "brandname": self.sender}
        )
        request = urllib.request.Request(
            self.url,
            data=payload.encode("utf-8"),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                body = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return str(body.get("id", ""))


def channel_for(name: str):
    if name == "email":
        return EmailChannel()
    if name == "sms":
        if settings.USE_SMS:
            return HttpGatewayChannel(
                url=settings.SMS["SMS_GATEWAY_URL"],
                token=settings.SMS["SMS_GATEWAY_TOKEN"],
                sender=settings.SMS["SMS_BRANDNAME"],
            )
        return FileOutboxChannel("sms")
    if name == "zalo":
        if settings.USE_ZALO:
            return HttpGatewayChannel(
                url=getattr(settings, "ZALO_API_URL", "https://openapi.zalo.me/v3.0/oa/message/cs"),
                token=settings.ZALO["ZALO_ACCESS_TOKEN"],
                sender=settings.ZALO["ZALO_OA_ID"],
            )
        return FileOutboxChannel("zalo")
    raise ValueError(f"unknown channel {name!r}")
