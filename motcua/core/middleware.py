"""Request id, request metadata for the audit log, and the Content-Security-Policy header."""

from __future__ import annotations

import contextvars
import re
import time
import uuid

from django.conf import settings

_request_meta: contextvars.ContextVar[tuple[str | None, str]] = contextvars.ContextVar(
    "motcua_request_meta", default=(None, "")
)
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_meta() -> tuple[str | None, str]:
    """(client IP, request id) of the request being served, or (None, "") outside a request."""
    return _request_meta.get()


def client_ip(request) -> str | None:
    """The client address. Behind a trusted proxy (BEHIND_TLS_PROXY) the first X-Forwarded-For entry."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Give every request an id (or keep a sane incoming X-Request-ID) for logs and the audit log, and say how long
    the application took in `Server-Timing: app;dur=<ms>` (read by browsers' developer tools, proxies' logs and the
    benchmarks; it reveals no more than the client can time itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_meta.set((client_ip(request), request_id))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _request_meta.reset(token)
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response: no inline script or style, nothing from other origins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
