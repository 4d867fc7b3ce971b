import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.notifications.channels import HttpGatewayChannel
from motcua.notifications.models import Notification
from motcua.notifications.services import (
    notification_deliver,
    notification_enqueue,
    notifications_retry_failed,
)


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port (aiosmtpd) collecting what it receives."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.messages.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def gateway():
    """A real HTTP server standing in for an SMS gateway: records requests, answers as told."""
    received, behaviour = [], {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers["Content-Length"])
            received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
            self.send_response(behaviour["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"id": f"sms-{len(received)}"}).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", received, behaviour
    server.shutdown()


@pytest.mark.django_db
def test_enqueue_writes_the_outbox_and_queues_delivery_only_after_commit(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_enqueue(
            event="test.thing.happened", channel="sms", recipient=" 0912345678 ", subject="", body="Xin chào"
        )
        assert DBTaskResult.objects.count() == 0
    assert notification.status == "pending" and notification.recipient == "0912345678"
    assert len(callbacks) == 1
    callbacks[0]()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [notification.pk]


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_email_through_a_real_smtp_server(settings, smtp_server):
    controller, handler = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    notification = notification_enqueue(
        event="dossiers.dossier.accepted",
        channel="email",
        recipient="an@example.vn",
        subject="Hồ sơ đã được tiếp nhận",
        body="Hồ sơ 000.00.05.H19-261123-0001 đã được tiếp nhận.",
    )
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, reload=False, verbosity=0)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 1
    assert len(handler.messages) == 1
    envelope = handler.messages[0]
    assert envelope.rcpt_tos == ["an@example.vn"]
    assert "000.00.05.H19-261123-0001" in envelope.content.decode("utf-8", "replace")


@pytest.mark.django_db
def test_sms_without_gateway_goes_to_the_file_outbox(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    notification = notification_enqueue(
        event="t.t.t", channel="sms", recipient="0912345678", subject="", body="Mã PA"
    )
    notification_deliver(notification_id=notification.pk)
    written = list((tmp_path / "sms").glob("*.json"))
    assert len(written) == 1
    assert json.loads(written[0].read_text(encoding="utf-8"))["body"] == "Mã PA"


@pytest.mark.django_db
def test_sms_gateway_receives_the_message_over_http(gateway):
    url, received, _ = gateway
    notification = Notification.objects.create(
        event="t.t.t", channel="sms", recipient="0912345678", body="Xin chào"
    )
    provider_id = HttpGatewayChannel(url=url, token="s3cr3t-token", sender="DONGNAI").send(notification)
    assert provider_id == "sms-1"
    assert received == [
        ("Bearer s3cr3t-token", {"to": "0912345678", "text": "Xin chào", "brandname": "DONGNAI"})
    ]


@pytest.mark.django_db
def test_failed_delivery_is_kept_audited_and_retried(
    settings, gateway, monkeypatch, django_capture_on_commit_callbacks
):
    url, received, behaviour = gateway
    settings.USE_SMS = True
    settings.SMS = {"SMS_GATEWAY_URL": url, "SMS_GATEWAY_TOKEN": "t", "SMS_BRANDNAME": "DONGNAI"}
    behaviour["status"] = 500
    notification = notification_enqueue(
        event="t.t.t", channel="sms", recipient="0912345678", subject="", body="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert "HTTPError" in notification.last_error
    assert AuditEvent.objects.filter(action="notifications.notification.failed").count() == 1
    from django_tasks_db.models import DBTaskResult

    retry = DBTaskResult.objects.filter(run_after__isnull=False).order_by("-enqueued_at").first()
    assert retry is not None and retry.run_after is not None  # the next attempt is already queued, delayed
    assert retry.args_kwargs["args"] == [notification.pk]
    assert 50 <= (retry.run_after - timezone.now()).total_seconds() <= 61

    behaviour["status"] = 200
    assert notifications_retry_failed() == 1
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.provider_id) == ("sent", 2, "sms-2")
    notification_deliver(notification_id=notification.pk)  # delivering twice sends nothing more
    assert len(received) == 2


@pytest.mark.django_db
def test_enqueue_refuses_unknown_channel_and_empty_recipient():
    with pytest.raises(ValueError):
        notification_enqueue(event="t.t.t", channel="fax", recipient="1", subject="", body="x", actor=SYSTEM)
    with pytest.raises(ValueError):
        notification_enqueue(event="t.t.t", channel="sms", recipient="", subject="", body="x")
