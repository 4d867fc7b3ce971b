"""What one online submission writes, now that it writes it in fewer statements (docs/benchmarks.md, issue 5)."""

from __future__ import annotations

import pytest

from tests.dossiers.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_submission_writes_every_row_once_with_one_delivery_task(submitted):
    from django_tasks_db.models import DBTaskResult

    from motcua.core.audit import audit_events_for
    from motcua.notifications.models import Notification

    events = list(audit_events_for(submitted).order_by("at", "id"))
    assert [e.action for e in events] == [
        "dossiers.dossier.drafted",
        "dossiers.document.added",
        "dossiers.dossier.submitted",
    ]
    document = submitted.documents.get()
    assert events[1].data["document"] == document.pk and events[1].data["size"] == document.size
    assert events[2].data["from"] == "draft" and events[2].data["to"] == "submitted"
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.revision == 1 and submitted.submitted_at
    messages = Notification.objects.filter(object_id=str(submitted.pk), event="dossiers.dossier.submitted")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(m.user_id == submitted.owner_id for m in messages)
    # One task delivers both messages; with the database queue it was written in the submission's transaction.
    task = DBTaskResult.objects.get(task_path="motcua.notifications.tasks.deliver_notifications")
    assert sorted(task.args_kwargs["args"][0]) == sorted(m.pk for m in messages)


def test_a_failed_submission_leaves_nothing(personas, record_case, applicant):
    from django_tasks_db.models import DBTaskResult

    from motcua.core.models import AuditEvent
    from motcua.dossiers.errors import DossierError
    from motcua.dossiers.intake import Upload, dossier_create_submitted
    from motcua.dossiers.models import Dossier, DossierDocument

    document = record_case.version.documents.get()
    before = (Dossier.objects.count(), DossierDocument.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DossierError):
        dossier_create_submitted(
            actor=personas.an,
            owner=personas.an,
            case=record_case,
            applicant=applicant,
            uploads=[
                Upload("to-khai.pdf", pdf_bytes(), document.pk),
                Upload("virus.pdf", b"MZ\x90\x00 not a pdf", document.pk),
            ],
            notify_channels=["sms"],
        )
    assert (Dossier.objects.count(), DossierDocument.objects.count(), AuditEvent.objects.count()) == before
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_created_now_needs_the_transaction_that_inserted_the_row(submitted, personas):
    """Outside a transaction the row cannot be one this transaction inserted: refused before anything is done."""
    from motcua.dossiers.services import dossier_transition

    with pytest.raises(ValueError, match="created_now"):
        dossier_transition(dossier=submitted, action="withdrawn", actor=personas.an, created_now=True)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_delivery_task_sends_every_message_even_when_one_fails(monkeypatch):
    from motcua.notifications import services
    from motcua.notifications.tasks import deliver_notifications

    sent = []

    def deliver(*, notification_id):
        if notification_id == 1:
            raise RuntimeError("gateway bug")
        sent.append(notification_id)
        return type("N", (), {"status": "sent"})()

    monkeypatch.setattr(services, "notification_deliver", deliver)
    with pytest.raises(RuntimeError, match="gateway bug"):
        deliver_notifications.call([1, 2])
    assert sent == [2]
