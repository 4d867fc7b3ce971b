"""Write to the audit log. Every service that changes state, and every view of personal data, calls this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from motcua.core.middleware import current_request_meta
from motcua.core.models import AuditEvent


@dataclass(frozen=True)
class SystemActor:
    """A non-human actor: the system itself (a scheduled job) or an API client."""

    label: str
    actor_type: str = AuditEvent.ActorType.SYSTEM


SYSTEM = SystemActor("Hệ thống")


def api_client_actor(name: str) -> SystemActor:
    return SystemActor(label=name, actor_type=AuditEvent.ActorType.API_CLIENT)


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_event_build(
    *,
    action: str,
    actor: Any,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """One checked, unsaved event, for a caller that writes several in one INSERT (`audit_events_save`)."""
    if action.count(".") < 2:
        raise ValueError(f"audit action must be '<app>.<object>.<verb>', got {action!r}")
    if isinstance(actor, SystemActor):
        actor_type, user, label = actor.actor_type, None, actor.label
    elif actor is not None and getattr(actor, "is_authenticated", False):
        actor_type, user = AuditEvent.ActorType.USER, actor
        label = getattr(actor, "full_name", "") or actor.get_username()
    else:
        raise ValueError("audit_event_record needs an authenticated user or a SystemActor")
    ip, request_id = current_request_meta()
    return AuditEvent(
        action=action,
        actor_type=actor_type,
        actor=user,
        actor_label=label[:200],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=_json_safe(data or {}),
        ip=ip,
        request_id=request_id,
    )


def audit_event_record(
    *,
    action: str,
    actor: Any,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `action` is dotted: `<app>.<object>.<verb>`, e.g. `directory.agency.created`."""
    event = audit_event_build(action=action, actor=actor, obj=obj, data=data)
    event.save(force_insert=True)
    return event


def audit_events_save(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append events built with `audit_event_build` in one INSERT, in list order (ids and instants ascending)."""
    if events:
        AuditEvent.objects.bulk_create(events)
    return events


def audit_events_for(obj: models.Model):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields that differ, as {field: {"before": …, "after": …}}."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
