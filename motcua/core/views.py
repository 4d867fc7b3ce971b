"""Health check: is the database reachable, and is the task queue?"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # any failure means "not reachable"
        logger.warning("healthz database check failed", extra={"error": str(exc)})
        return False, type(exc).__name__


def _check_task_queue() -> tuple[bool, str]:
    from django_tasks import task_backends

    backend = task_backends["default"]
    try:
        if type(backend).__name__ == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            ready = DBTaskResult.objects.ready().count()
            return True, f"database ({ready} waiting)"
        if type(backend).__name__ == "RQBackend":
            import django_rq

            django_rq.get_connection("default").ping()
            return True, "redis"
        return True, type(backend).__name__
    except Exception as exc:
        logger.warning("healthz task queue check failed", extra={"error": str(exc)})
        return False, type(exc).__name__


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _check_database()
    queue_ok, queue_detail = _check_task_queue() if db_ok else (False, "database unavailable")
    ok = db_ok and queue_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "checks": {
                "database": {"ok": db_ok, "detail": db_detail},
                "task_queue": {"ok": queue_ok, "detail": queue_detail},
            },
        },
        status=200 if ok else 503,
    )
