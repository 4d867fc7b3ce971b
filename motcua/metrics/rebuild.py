"""Rebuild the rollups from the dossier rows, set-based, and compare them with the incremental ones (ADR 0012).

    report = rollups_rebuild()              # DELETE + INSERT … SELECT … GROUP BY, one transaction
    report = rollups_rebuild(check=True)    # rebuild into temporary tables, report the rows that differ

The facts come from the same instants `rollup_record` uses: acceptance, refusal, finish (classified by
`original_due_at`, by date in Asia/Ho_Chi_Minh, REFERENCE §5.5), return, pauses, payments, apologies, ratings, and
for supplements and withdrawals the audit events. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    steps: dict[str, float] = field(default_factory=dict)  # step → seconds


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _day(column: str) -> str:
    """The local date of an instant column (Việt Nam has kept UTC+7 without daylight saving since 1975).

    PostgreSQL: a plain cast, with the transaction's TimeZone set to Asia/Ho_Chi_Minh by `_local_time_zone` (the
    zone is resolved once, not once per row as `AT TIME ZONE 'name'` does)."""
    if _pg():
        return f"({column})::date"
    return f"date({column}, '+7 hours')"


def _epoch(column: str) -> str:
    """Whole seconds since 1970 of an instant, truncated (as `rollups.whole_seconds`)."""
    if _pg():
        return f"date_part('epoch', date_trunc('second', {column}))"  # float8: exact for whole seconds
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


# The columns of one fact row after its key, every counter in COUNTERS' order: `_values({"received": "1"})`.
def _values(counts: dict[str, str]) -> str:
    return ", ".join(f"{counts.get(name, '0')} AS {name}" for name in COUNTERS)


def _dossier_select() -> str:
    """One row per dossier, read once: its key, the local days of its instants, and what the counters need from
    its documents (grouped once per dossier instead of an EXISTS per dossier)."""
    integer = "integer" if _pg() else "INTEGER"
    fin, due = _day("d.finished_at"), _day("d.original_due_at")
    return (
        "SELECT d.id, d.agency_id, d.procedure_id, d.channel, "
        f"{_day('d.accepted_at')} AS accepted_day, {_day('d.refused_at')} AS refused_day, "
        f"{fin} AS finished_day, {_day('d.returned_at')} AS returned_day, "
        f"CASE WHEN d.original_due_at IS NULL THEN 0 WHEN {fin} < {due} THEN -1 WHEN {fin} > {due} THEN 1 "
        "ELSE 0 END AS lateness, "
        f"CAST(COALESCE({_epoch('d.finished_at')} - {_epoch('d.accepted_at')}, 0) AS {integer}) AS seconds, "
        "CASE WHEN x.first_upload <= d.accepted_at THEN 1 ELSE 0 END AS digitized, "
        "CASE WHEN d.outcome = 'granted' AND x.has_result = 1 THEN 1 ELSE 0 END AS result_electronic, "
        "CASE WHEN d.outcome = 'unresolved' THEN 1 ELSE 0 END AS unresolved, "
        "CASE WHEN d.return_method = 'electronic' THEN 1 ELSE 0 END AS returned_electronic "
        "FROM dossiers_dossier d LEFT JOIN (SELECT dossier_id, "
        "MIN(CASE WHEN kind IN ('application', 'scan') THEN uploaded_at END) AS first_upload, "
        "MAX(CASE WHEN kind = 'result' AND NOT replaced THEN 1 ELSE 0 END) AS has_result "
        "FROM dossiers_dossierdocument GROUP BY dossier_id) x ON x.dossier_id = d.id"
    )


def _side_facts() -> list[str]:
    """SELECT dossier_id, day, accepted_only, <counters> for the facts kept outside the dossier row: pauses,
    apologies, payments, ratings, and the audit events of supplements and withdrawals (a withdrawal counts only
    after acceptance: accepted_only = 1)."""
    bigint = "bigint" if _pg() else "integer"
    supplement, withdrawn = "dossiers.dossier.supplement_requested", "dossiers.dossier.withdrawn"
    events = _values(
        {
            "supplements": f"CASE WHEN e.action = '{supplement}' THEN 1 ELSE 0 END",
            "withdrawn": f"CASE WHEN e.action = '{withdrawn}' THEN 1 ELSE 0 END",
        }
    )
    paid = _values(
        {"payments_paid": "1", "payments_online": "CASE WHEN m.method = 'online' THEN 1 ELSE 0 END"}
    )
    ratings = _values({f"rating_{n}": f"CASE WHEN r.level = {n} THEN 1 ELSE 0 END" for n in range(1, 6)})
    return [
        f"SELECT CAST(e.object_id AS {bigint}) AS dossier_id, {_day('e.at')} AS day, CASE WHEN e.action = "
        f"'{withdrawn}' THEN 1 ELSE 0 END AS accepted_only, {events} FROM core_auditevent e "
        f"WHERE e.object_type = 'dossiers.dossier' AND e.action IN ('{supplement}', '{withdrawn}')",
        f"SELECT p.dossier_id, {_day('p.started_at')}, 0, {_values({'pauses': '1'})} "
        "FROM dossiers_dossierpause p WHERE p.kind IN ('payment', 'stop')",
        f"SELECT a.dossier_id, {_day('a.issued_at')}, 0, {_values({'apologies': '1'})} "
        "FROM dossiers_dossierapology a",
        f"SELECT m.dossier_id, {_day('m.requested_at')}, 0, {_values({'payments_requested': '1'})} "
        "FROM dossiers_dossierpayment m",
        f"SELECT m.dossier_id, {_day('m.paid_at')}, 0, {paid} FROM dossiers_dossierpayment m "
        "WHERE m.paid_at IS NOT NULL",
        f"SELECT r.dossier_id, {_day('r.rated_at')}, 0, {ratings} FROM dossiers_dossierrating r",
    ]


def daily_select() -> str:
    """SELECT day, agency_id, procedure_id, channel, <every counter> … GROUP BY the key.

    The dossier table is read once (the CTE `d`, materialised: narrow rows): its own instants (acceptance, refusal,
    finish classified by `original_due_at` by local date, return) are four branches over `d`, and the facts kept
    in other tables are joined to `d` once, all together."""
    key = "d.agency_id, d.procedure_id, d.channel"
    fin = {
        "finished_early": "CASE WHEN d.lateness < 0 THEN 1 ELSE 0 END",
        "finished_on_time": "CASE WHEN d.lateness = 0 THEN 1 ELSE 0 END",
        "finished_late": "CASE WHEN d.lateness > 0 THEN 1 ELSE 0 END",
        "finished_unresolved": "d.unresolved",
        "processing_seconds": "d.seconds",
        "results_electronic": "d.result_electronic",
    }
    side = "\nUNION ALL\n".join(_side_facts())
    parts = [
        f"SELECT d.accepted_day AS day, {key}, {_values({'received': '1', 'received_digitized': 'd.digitized'})} "
        "FROM d WHERE d.accepted_day IS NOT NULL",
        f"SELECT d.refused_day, {key}, {_values({'refused': '1'})} FROM d WHERE d.refused_day IS NOT NULL",
        f"SELECT d.finished_day, {key}, {_values(fin)} FROM d WHERE d.finished_day IS NOT NULL",
        f"SELECT d.returned_day, {key}, {_values({'returned': '1', 'returned_electronic': 'd.returned_electronic'})} "
        "FROM d WHERE d.returned_day IS NOT NULL",
        f"SELECT s.day, {key}, {', '.join(f's.{name}' for name in COUNTERS)} FROM (\n{side}\n) s "
        "JOIN d ON d.id = s.dossier_id WHERE s.accepted_only = 0 OR d.accepted_day IS NOT NULL",
    ]
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    union = "\nUNION ALL\n".join(parts)
    return (
        f"WITH d AS MATERIALIZED ({_dossier_select()})\n"
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


def _timed(report: RebuildReport, step: str, cursor, sql: str) -> int:
    started = time.perf_counter()
    cursor.execute(sql)
    report.steps[step] = report.steps.get(step, 0.0) + time.perf_counter() - started
    return cursor.rowcount


def _fill(cursor, report: RebuildReport, daily: str, monthly: str, agency: str) -> None:
    report.daily_rows = _timed(
        report, "daily", cursor, f"INSERT INTO {daily} ({_columns('day')}) {daily_select()}"
    )
    report.monthly_rows = _timed(
        report, "monthly", cursor, f"INSERT INTO {monthly} ({_columns('month')}) {monthly_select(daily)}"
    )
    _timed(report, "agency", cursor,
           f"INSERT INTO {agency} ({_columns('month', AGENCY_KEY)}) {agency_select(monthly)}")  # fmt: skip


@contextmanager
def _local_time_zone(cursor) -> Iterator[None]:
    """PostgreSQL: the transaction's TimeZone is Asia/Ho_Chi_Minh while the rebuild's statements run (the `::date`
    casts of `_day`), and what it was afterwards (Django's connections use UTC)."""
    if not _pg():
        yield
        return
    cursor.execute("SELECT current_setting('TimeZone')")
    previous = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('TimeZone', 'Asia/Ho_Chi_Minh', true)")
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [previous])


@contextmanager
def _bulk_load(cursor, tables: list[str], report: RebuildReport) -> Iterator[None]:
    """PostgreSQL: empty `tables` with TRUNCATE and load them without their indexes and constraints, recreated
    afterwards (a sorted build of each index, one join per foreign key instead of a check per row), then ANALYZE.
    All in the caller's transaction: the tables are locked (ACCESS EXCLUSIVE) until it commits."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) ORDER BY contype = 'f', conname",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i WHERE indrelid = "
        "ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid) ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    started = time.perf_counter()
    # Checks still deferred in this transaction (rows the caller wrote before: tests) run now, or TRUNCATE and
    # ALTER TABLE refuse; Django's foreign keys are all INITIALLY DEFERRED again at the end.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {', '.join(tables)}")
    for table, name, _definition in reversed(constraints):
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    report.steps["truncate"] = time.perf_counter() - started
    yield
    started = time.perf_counter()
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, name, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    report.steps["indexes and keys"] = time.perf_counter() - started
    started = time.perf_counter()
    cursor.execute(f"ANALYZE {', '.join(tables)}")
    report.steps["analyze"] = time.perf_counter() - started


def rollups_rebuild(*, check: bool = False, examples: int = 20) -> RebuildReport:
    """Recompute the rollup tables; with `check`, leave them alone and report how the incremental rows differ."""
    started = time.perf_counter()
    report = RebuildReport()
    tables = [m._meta.db_table for m in (DailyRollup, MonthlyRollup, AgencyMonthRollup)]
    with transaction.atomic(), connection.cursor() as cursor, _local_time_zone(cursor):
        if _pg():
            cursor.execute("SET LOCAL work_mem = '256MB'")
        if not check:
            if _pg():
                with _bulk_load(cursor, tables, report):
                    _fill(cursor, report, *tables)
            else:
                for table in reversed(tables):
                    cursor.execute(f"DELETE FROM {table}")
                _fill(cursor, report, *tables)
        else:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS check_{table}")
                cursor.execute(f"CREATE TEMPORARY TABLE check_{table} AS SELECT * FROM {table} WHERE 1 = 0")
            _fill(cursor, report, *(f"check_{t}" for t in tables))
            compare = time.perf_counter()
            _compare(cursor, tables[0], _columns("day"), report, examples)
            _compare(cursor, tables[2], _columns("month", AGENCY_KEY), report, examples)
            report.steps["compare"] = time.perf_counter() - compare
            for table in tables:
                cursor.execute(f"DROP TABLE check_{table}")
    if _pg() and not check and not connection.in_atomic_block:
        # Freshly loaded pages are not yet marked all-visible: until a VACUUM the views' index-only scans (the
        # score card's per-procedure sums) read the heap too, several times slower. Autovacuum would get there;
        # the rebuild does not leave the dashboard slow meanwhile. (Not possible inside a caller's transaction.)
        vacuum = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join(tables)}")
        report.steps["vacuum"] = time.perf_counter() - vacuum
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
