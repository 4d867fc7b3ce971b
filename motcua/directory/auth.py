"""Authentication backend with lock-out after repeated failures, and audit of log-ins."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from motcua.core.audit import audit_event_record
from motcua.core.middleware import client_ip
from motcua.directory.services import login_failure_record, login_failures_clear, login_is_locked


class LockoutModelBackend(ModelBackend):
    """The normal username/password check, refused while the account or the address is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        ip = client_ip(request) if request is not None else None
        if login_is_locked(username=username or "", ip=ip):
            if request is not None:
                request.login_locked = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username or "", ip=ip)
        else:
            login_failures_clear(username=username or "")
        return user


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_event_record(action="directory.user.logged_in", actor=user, obj=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_event_record(action="directory.user.logged_out", actor=user, obj=user)
