"""The periodic jobs: `motcua run_scheduled_jobs` runs each of them in this order (every 10 minutes in production,
from a systemd timer or cron; `make run` runs it in a loop next to the task worker).

Add a job by adding one line: (name, dotted path of a function taking no argument that returns its counts — a
dict of numbers, or one number). A job must be safe to run twice at the same time and to run late: it decides
from the database what is due, never from how long ago it last ran.
"""

from __future__ import annotations

SCHEDULED_JOBS: list[tuple[str, str]] = [
    (
        "deadlines",
        "motcua.dossiers.deadlines.deadlines_notify",
    ),  # steps and dossiers due soon / late (issue 6)
    (
        "feedback_escalation",
        "motcua.feedback.handling.assignments_escalate_due",
    ),  # unclaimed reports (issue 7)
    (
        "feedback_held_photos",
        "motcua.feedback.photos.held_photos_delete_old",
    ),  # photos kept across a form error, after 24 hours
    (
        "rate_counters_prune",
        "motcua.core.ratelimit.rate_counters_prune",
    ),  # the rate limits' counters of windows over for a day
    (
        "task_results_prune",
        "motcua.notifications.tasks.task_results_prune",
    ),  # the database queue's finished rows, after 14 days (failed: 90)
    (
        "metrics_snapshot",
        "motcua.metrics.indicators.snapshot_write",
    ),  # today's open dossiers for the dashboard; the day's last run is its end-of-day count (issue 8)
]
