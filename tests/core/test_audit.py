import pytest
from django.db import DatabaseError, transaction

from motcua.core.audit import SYSTEM, api_client_actor, audit_event_record, audit_events_for
from motcua.core.models import AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_audit_event_records_user_actor_object_and_data(personas):
    event = audit_event_record(
        action="directory.agency.updated",
        actor=personas.admin,
        obj=personas.agency_x,
        data={"name": "Sở Tư pháp"},
    )
    event.refresh_from_db()
    assert event.actor == personas.admin
    assert event.actor_type == "user"
    assert event.actor_label == "Phạm Minh Quân"
    assert event.object_type == "directory.agency"
    assert event.object_id == str(personas.agency_x.pk)
    assert event.data == {"name": "Sở Tư pháp"}
    assert list(audit_events_for(personas.agency_x).filter(action="directory.agency.updated")) == [event]


@pytest.mark.django_db
def test_audit_event_records_system_and_api_client_actors():
    system = audit_event_record(action="core.job.ran", actor=SYSTEM)
    client = audit_event_record(action="api.token.used", actor=api_client_actor("Ứng dụng Đồng Nai Số"))
    assert (system.actor_type, system.actor_id, system.actor_label) == ("system", None, "Hệ thống")
    assert (client.actor_type, client.actor_label) == ("api_client", "Ứng dụng Đồng Nai Số")


@pytest.mark.django_db
def test_audit_action_must_be_dotted():
    with pytest.raises(ValueError):
        audit_event_record(action="updated", actor=SYSTEM)


@pytest.mark.django_db
def test_audit_refuses_anonymous_actor():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError):
        audit_event_record(action="core.page.viewed", actor=AnonymousUser())


@pytest.mark.django_db
def test_audit_event_cannot_be_changed_or_deleted_through_the_orm():
    event = audit_event_record(action="core.job.ran", actor=SYSTEM)
    event.action = "core.job.forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="core.job.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "core.job.ran"


@pytest.mark.django_db
def test_audit_event_cannot_be_changed_in_the_database_itself():
    event = audit_event_record(action="core.job.ran", actor=SYSTEM)
    from django.db import connection

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = %s WHERE id = %s", ["x.y.z", event.pk])
    if connection.vendor == "postgresql":  # on SQLite the test flush needs DELETE; the ORM refuses it
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "core.job.ran"


@pytest.mark.django_db
def test_audit_log_is_readable_by_administrators_and_not_by_officers(client, personas, password):
    audit_event_record(action="directory.agency.updated", actor=personas.admin, obj=personas.agency_x)
    client.force_login(personas.admin)
    response = client.get("/quan-tri/core/auditevent/")
    assert response.status_code == 200
    assert "directory.agency.updated" in response.content.decode()
    event = AuditEvent.objects.first()
    assert client.get(f"/quan-tri/core/auditevent/{event.pk}/delete/").status_code == 403
    client.force_login(personas.desk_x)
    assert client.get("/quan-tri/core/auditevent/").status_code == 302  # not admin staff: sent to log in
