"""Keeping the rollups: one call per dossier change, in its transaction (ADR 0012).

    rollup_record(dossier=locked, before="processing", action="approved", at=event.at)  # from dossier_transition
    rollup_rating_record(rating=rating)                                                    # from dossier_rate

Each change adds to one row of `DailyRollup` and one of `MonthlyRollup` with a single
`INSERT … ON CONFLICT (key) DO UPDATE SET x = x + excluded.x`: atomic on SQLite and PostgreSQL, so two
transactions adding to the same row at the same instant both count and neither fails. The day of a fact is the
local date (Asia/Ho_Chi_Minh) of the instant the dossier row records for it (accepted_at, finished_at, …) — the
same instants `motcua.metrics.rebuild` reads, so a rebuild gives the same rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import connection
from django.utils import timezone

from motcua.metrics.models import COUNTERS, AgencyMonthRollup, DailyRollup, MonthlyRollup
from motcua.worktime.clock import TZ, Timeliness, classify


def local_day(at: datetime):
    return timezone.localtime(at, TZ).date()


def whole_seconds(start: datetime, end: datetime) -> int:
    """Seconds between two instants, each truncated to the second (what the rebuild's SQL computes)."""
    return int(end.timestamp()) - int(start.timestamp())


def rollup_add(
    *, agency_id: int, procedure_id: int, channel: str, at: datetime, counts: dict[str, int]
) -> None:
    """Add `counts` to the day's and the month's rows of (agency, procedure, channel) and to the month's row of
    (agency, channel), creating them if missing."""
    counts = {name: value for name, value in counts.items() if value}
    if not counts:
        return
    unknown = set(counts) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown rollup counters: {sorted(unknown)}")
    day, month = local_day(at), local_day(at).replace(day=1)
    names = list(counts)
    for model, keys, values in (
        (
            DailyRollup,
            ("day", "agency_id", "procedure_id", "channel"),
            (day, agency_id, procedure_id, channel),
        ),
        (
            MonthlyRollup,
            ("month", "agency_id", "procedure_id", "channel"),
            (month, agency_id, procedure_id, channel),
        ),
        (AgencyMonthRollup, ("month", "agency_id", "channel"), (month, agency_id, channel)),
    ):
        _upsert(model._meta.db_table, keys, values, names, counts)


def _upsert(table: str, keys: tuple, values: tuple, names: list[str], counts: dict[str, int]) -> None:
    table = connection.ops.quote_name(table)
    zero_names = _zeros(names)
    columns = ", ".join([*keys, *names, *zero_names])
    placeholders = ", ".join(["%s"] * (len(keys) + len(names) + len(zero_names)))
    updates = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in names)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *counts.values(), *[0] * len(zero_names)])


def _zeros(names: list[str]) -> list[str]:
    """The other counters, written as 0 in a new row (the columns have no database default)."""
    return [n for n in COUNTERS if n not in names]


# --- what each action adds ----------------------------------------------------------------------------------


def _finished(dossier) -> dict[str, int]:
    timeliness = classify(due=dossier.original_due_at, finished_at=dossier.finished_at)
    counts = {
        {Timeliness.EARLY: "finished_early", Timeliness.ON_TIME: "finished_on_time"}.get(
            timeliness, "finished_late"
        ): 1,
        "finished_unresolved": int(dossier.outcome == "unresolved"),
    }
    if dossier.accepted_at:
        counts["processing_seconds"] = whole_seconds(dossier.accepted_at, dossier.finished_at)
    if dossier.outcome == "granted":
        counts["results_electronic"] = int(dossier.documents.filter(kind="result", replaced=False).exists())
    return counts


def _received(dossier) -> dict[str, int]:
    digitized = dossier.documents.filter(
        kind__in=("application", "scan"), uploaded_at__lte=dossier.accepted_at
    ).exists()
    return {"received": 1, "received_digitized": int(digitized)}


def _latest(queryset, field: str):
    return queryset.order_by(f"-{field}", "-id").first()


def _deltas(dossier, action: str, at: datetime) -> list[tuple[datetime, dict[str, int]]]:
    """(instant, counters) pairs an action adds; most actions add one pair, many add none."""
    if action in ("received", "accepted"):
        return [(dossier.accepted_at, _received(dossier))]
    if action == "refused":
        return [(dossier.refused_at, {"refused": 1})]
    if action == "supplement_requested":
        return [(at, {"supplements": 1})]
    if action == "withdrawn":
        return [(at, {"withdrawn": 1})] if dossier.accepted_at else []
    if action in ("payment_requested", "stopped"):
        pause = _latest(dossier.pauses.all(), "started_at")
        pairs = [(pause.started_at, {"pauses": 1})]
        if action == "payment_requested":
            payment = _latest(dossier.payments.all(), "requested_at")
            pairs.append((payment.requested_at, {"payments_requested": 1}))
        return pairs
    if action == "paid":
        paid = list(dossier.payments.filter(paid_at__isnull=False).values_list("paid_at", "method"))
        last = max(p[0] for p in paid)
        methods = Counter(method for paid_at, method in paid if paid_at == last)
        return [(last, {"payments_paid": sum(methods.values()), "payments_online": methods["online"]})]
    if action == "apologized":
        return [(_latest(dossier.apologies.all(), "issued_at").issued_at, {"apologies": 1})]
    if action in ("approved", "returned_unresolved"):
        return [(dossier.finished_at, _finished(dossier))]
    if action == "result_returned":
        electronic = int(dossier.return_method == "electronic")
        return [(dossier.returned_at, {"returned": 1, "returned_electronic": electronic})]
    return []


def rollup_record(*, dossier, before: str, action: str, at: datetime) -> None:
    """Add what `action` (one of services.TRANSITIONS) did to `dossier` (the locked row, already changed)."""
    for instant, counts in _deltas(dossier, action, at):
        rollup_add(
            agency_id=dossier.agency_id,
            procedure_id=dossier.procedure_id,
            channel=dossier.channel,
            at=instant,
            counts=counts,
        )


def rollup_rating_record(*, rating) -> None:
    """A rating is written without a transition (results.dossier_rate): it adds rating_<level> on its day."""
    dossier = rating.dossier
    rollup_add(
        agency_id=dossier.agency_id,
        procedure_id=dossier.procedure_id,
        channel=dossier.channel,
        at=rating.rated_at,
        counts={f"rating_{int(rating.level)}": 1},
    )
