"""API clients: tokens a provincial administrator issues to another system, and how a request proves one.

    client, token = api_client_issue(actor=admin, name="Cổng DVC quốc gia", agency=None)   # show `token` once
    api_client_authenticate(token)              # → the active ApiClient, or None
    api_client_revoke(actor=admin, client=client)

Only the SHA-256 of a token is stored. A token is looked up by its hash (a unique index), so the comparison
never runs character by character over a secret held in the database; the final check is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.core.audit import audit_event_record
from motcua.core.rows import row_get
from motcua.directory.models import Agency, ApiClient

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
# `last_used_at` is refreshed at most this often, so a busy client does not write a row on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_client_issue(*, actor, name: str, agency: Agency | None = None) -> tuple[ApiClient, str]:
    """Create a client with a new random token. Returns (client, token); the token is never stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name.strip()[:120],
            agency=agency,
            token_hash=token_hash(token),
            token_prefix=token[:8],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_event_record(
            action="directory.api_client.created",
            actor=actor,
            obj=client,
            data={
                "name": client.name,
                "agency": agency.pk if agency else None,
                "prefix": client.token_prefix,
            },
        )
    return client, token


def api_client_revoke(*, actor, client: ApiClient) -> ApiClient:
    """Switch the token off for good. Revoking a client already revoked changes nothing and logs nothing."""
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if not locked.active:
            return locked
        locked.active = False
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["active", "revoked_at"])
        audit_event_record(
            action="directory.api_client.revoked",
            actor=actor,
            obj=locked,
            data={"name": locked.name, "prefix": locked.token_prefix},
        )
    client.active, client.revoked_at = locked.active, locked.revoked_at
    return locked


def api_client_authenticate(token: str | None) -> ApiClient | None:
    """The active client holding this token, or None (unknown, revoked, empty or absurdly long token)."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = token_hash(token)
    client = row_get(ApiClient, "token_hash = %s AND active", [digest])  # unique; every API call: ADR 0014
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
