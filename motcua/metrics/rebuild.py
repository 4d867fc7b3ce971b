"""Rebuild the rollups from the dossier rows, set-based, and compare them with the incremental ones (ADR 0012).

    report = rollups_rebuild()              # DELETE + INSERT … SELECT … GROUP BY, one transaction
    report = rollups_rebuild(check=True)    # rebuild into temporary tables, report the rows that differ

The facts come from the same instants `rollup_record` uses: acceptance, refusal, finish (classified by
`original_due_at`, by date in Asia/Ho_Chi_Minh, REFERENCE §5.5), return, pauses, payments, apologies, ratings, and
for supplements and withdrawals the audit events. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection, transaction

from motcua.metrics.models import COUNTERS, AgencyMonthRollup, DailyRollup, MonthlyRollup

KEY = ("agency_id", "procedure_id", "channel")


@dataclass
class RebuildReport:
    daily_rows: int = 0
    monthly_rows: int = 0
    differences: int = 0
    examples: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _day(column: str) -> str:
    """The local date of an instant column (Việt Nam has kept UTC+7 without daylight saving since 1975)."""
    if _pg():
        return f"(({column}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    return f"date({column}, '+7 hours')"


def _epoch(column: str) -> str:
    if _pg():
        return f"EXTRACT(EPOCH FROM date_trunc('second', {column}))::bigint"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def _sources() -> list[tuple[str, str, dict[str, str]]]:
    """(instant expression, FROM … WHERE …, {counter: expression}) for each kind of fact."""
    d = "dossiers_dossier d"
    documents = (
        "EXISTS (SELECT 1 FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id AND x.kind IN "
        "('application', 'scan') AND x.uploaded_at <= d.accepted_at)"
    )
    result = (
        "EXISTS (SELECT 1 FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id AND x.kind = 'result' "
        "AND NOT x.replaced)"
    )
    fin, due = _day("d.finished_at"), _day("d.original_due_at")
    joined = "JOIN dossiers_dossier d ON d.id = {0}.dossier_id"
    event = (
        "core_auditevent e JOIN dossiers_dossier d ON d.id = CAST(e.object_id AS {1}) WHERE e.action = '{0}'"
    )
    bigint = "bigint" if _pg() else "integer"
    return [
        ("d.accepted_at", f"{d} WHERE d.accepted_at IS NOT NULL",
         {"received": "1", "received_digitized": f"CASE WHEN {documents} THEN 1 ELSE 0 END"}),
        ("d.refused_at", f"{d} WHERE d.refused_at IS NOT NULL", {"refused": "1"}),
        ("d.finished_at", f"{d} WHERE d.finished_at IS NOT NULL", {
            "finished_early": f"CASE WHEN {fin} < {due} THEN 1 ELSE 0 END",
            "finished_on_time": f"CASE WHEN d.original_due_at IS NULL OR {fin} = {due} THEN 1 ELSE 0 END",
            "finished_late": f"CASE WHEN {fin} > {due} THEN 1 ELSE 0 END",
            "finished_unresolved": "CASE WHEN d.outcome = 'unresolved' THEN 1 ELSE 0 END",
            "processing_seconds": f"COALESCE({_epoch('d.finished_at')} - {_epoch('d.accepted_at')}, 0)",
            "results_electronic": f"CASE WHEN d.outcome = 'granted' AND {result} THEN 1 ELSE 0 END",
        }),
        ("d.returned_at", f"{d} WHERE d.returned_at IS NOT NULL",
         {"returned": "1", "returned_electronic": "CASE WHEN d.return_method = 'electronic' THEN 1 ELSE 0 END"}),
        ("e.at", event.format("dossiers.dossier.supplement_requested", bigint) + " AND e.object_type = "
         "'dossiers.dossier'", {"supplements": "1"}),
        ("e.at", event.format("dossiers.dossier.withdrawn", bigint) + " AND e.object_type = 'dossiers.dossier' "
         "AND d.accepted_at IS NOT NULL", {"withdrawn": "1"}),
        ("p.started_at", f"dossiers_dossierpause p {joined.format('p')} WHERE p.kind IN ('payment', 'stop')",
         {"pauses": "1"}),
        ("a.issued_at", f"dossiers_dossierapology a {joined.format('a')}", {"apologies": "1"}),
        ("m.requested_at", f"dossiers_dossierpayment m {joined.format('m')}", {"payments_requested": "1"}),
        ("m.paid_at", f"dossiers_dossierpayment m {joined.format('m')} WHERE m.paid_at IS NOT NULL",
         {"payments_paid": "1", "payments_online": "CASE WHEN m.method = 'online' THEN 1 ELSE 0 END"}),
        ("r.rated_at", f"dossiers_dossierrating r {joined.format('r')}",
         {f"rating_{n}": f"CASE WHEN r.level = {n} THEN 1 ELSE 0 END" for n in range(1, 6)}),
    ]  # fmt: skip


def daily_select() -> str:
    """SELECT day, agency_id, procedure_id, channel, <every counter> … GROUP BY the key."""
    parts = []
    for instant, source, counts in _sources():
        values = ", ".join(f"{counts.get(name, '0')} AS {name}" for name in COUNTERS)
        parts.append(
            f"SELECT {_day(instant)} AS day, d.agency_id, d.procedure_id, d.channel, {values} FROM {source}"
        )
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    union = "\nUNION ALL\n".join(parts)
    return (
        f"SELECT day, agency_id, procedure_id, channel, {sums} FROM (\n{union}\n) facts GROUP BY 1, 2, 3, 4"
    )


def monthly_select(daily_table: str) -> str:
    month = "date_trunc('month', day)::date" if _pg() else "date(day, 'start of month')"
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    return f"SELECT {month}, agency_id, procedure_id, channel, {sums} FROM {daily_table} GROUP BY 1, 2, 3, 4"


def agency_select(monthly_table: str) -> str:
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    return f"SELECT month, agency_id, channel, {sums} FROM {monthly_table} GROUP BY 1, 2, 3"


def _columns(key: str, dimensions=KEY) -> str:
    return ", ".join([key, *dimensions, *COUNTERS])


AGENCY_KEY = ("agency_id", "channel")


def _fill(cursor, daily: str, monthly: str, agency: str) -> tuple[int, int]:
    cursor.execute(f"INSERT INTO {daily} ({_columns('day')}) {daily_select()}")
    daily_rows = cursor.rowcount
    cursor.execute(f"INSERT INTO {monthly} ({_columns('month')}) {monthly_select(daily)}")
    monthly_rows = cursor.rowcount
    cursor.execute(f"INSERT INTO {agency} ({_columns('month', AGENCY_KEY)}) {agency_select(monthly)}")
    return daily_rows, monthly_rows


def rollups_rebuild(*, check: bool = False, examples: int = 20) -> RebuildReport:
    """Recompute both rollup tables; with `check`, leave them alone and report how the incremental rows differ."""
    started = time.perf_counter()
    report = RebuildReport()
    tables = [m._meta.db_table for m in (DailyRollup, MonthlyRollup, AgencyMonthRollup)]
    with transaction.atomic(), connection.cursor() as cursor:
        if _pg():
            cursor.execute("SET LOCAL work_mem = '256MB'")
        if not check:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {table}")
            report.daily_rows, report.monthly_rows = _fill(cursor, *tables)
        else:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS check_{table}")
                cursor.execute(f"CREATE TEMPORARY TABLE check_{table} AS SELECT * FROM {table} WHERE 1 = 0")
            report.daily_rows, report.monthly_rows = _fill(cursor, *(f"check_{t}" for t in tables))
            _compare(cursor, tables[0], _columns("day"), report, examples)
            _compare(cursor, tables[2], _columns("month", AGENCY_KEY), report, examples)
            for table in tables:
                cursor.execute(f"DROP TABLE check_{table}")
    report.seconds = time.perf_counter() - started
    return report


def _compare(cursor, table: str, columns: str, report: RebuildReport, examples: int) -> None:
    """Rows present or different on one side only (the daily and the agency tables; the monthly one is summed
    from the daily one by the same code)."""
    names = [c.strip() for c in columns.split(",")]
    keys = len(names) - len(COUNTERS)
    for origin, left, right in (
        ("rebuilt", f"check_{table}", table),
        ("incremental", table, f"check_{table}"),
    ):
        diff = f"(SELECT {columns} FROM {left} EXCEPT SELECT {columns} FROM {right}) diff"
        cursor.execute(f"SELECT COUNT(*) FROM {diff}")
        report.differences += cursor.fetchone()[0]
        cursor.execute(f"SELECT {columns} FROM {diff} ORDER BY 1, 2, 3 LIMIT %s", [examples])
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            shown = {k: v for k, v in values.items() if v or k in names[:keys]}
            report.examples.append({"side": origin, "table": table, **shown})
