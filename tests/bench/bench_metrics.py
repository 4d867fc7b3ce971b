"""Benchmark: the IOC dashboard over PostgreSQL holding N generated dossiers (issue 8).

Targets (at 10 million dossiers): every dashboard view and the year's province export under 300 ms server-side;
a full rollup rebuild under 10 minutes. Beside each view: the naive COUNT query over the dossier table that the
rollups replace.

Run: .venv/bin/python tests/bench/bench_metrics.py [--dossiers N] [--runs R] [--keep] [--reuse] [--generate-only]
[--pages-only]
`--reuse` keeps the database of a previous `--keep` run and grows it to N dossiers when it holds fewer (a new seed
per million already there), so 1 M → 3 M measures both scales without generating the first million twice;
`--generate-only` stops after generating. Not collected by pytest. Needs PostgreSQL at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) with
the right to create the database `motcua_bench_metrics` (dropped at the end unless --keep). Steps:

1. create and migrate the database, load the demo province and a catalog, generate N dossiers (COPY), complete
   them with processing facts (`motcua.metrics.generate`), and time the full rebuild and the `--check` rebuild;
2. in-process (Django's test client, a provincial administrator): each page for the current year and the province,
   R runs after one warm-up, median and worst — server-side time including the template or the file — and the
   median CPU per request (this process + the PostgreSQL backend, from /proc);
3. the naive query: the same year's counters straight from the dossier table (COUNT … FILTER), R runs.

Prints a table and exits 1 when a target is missed (2 when PostgreSQL is not reachable).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))
DB_NAME = "motcua_bench_metrics"
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
TARGET_MS, TARGET_REBUILD_S = 300.0, 600.0
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def database(reuse: bool, count: int) -> int:
    """The number of dossiers already in the database kept from a previous run (`--reuse`), else 0 (new database).
    A reused database holding fewer than `count` is grown to `count` by `prepare`."""
    import psycopg

    if reuse:
        try:
            with psycopg.connect(f"{SERVER}/{DB_NAME}", connect_timeout=5) as conn:
                existing = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
                if existing:
                    return existing
        except psycopg.Error:
            pass
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return 0


def prepare(count: int, existing: int) -> list[tuple[str, str, str, bool | None]]:
    """Generate `count - existing` dossiers (a new seed for each million already there) and their facts."""
    from django.core.management import call_command
    from django.db.models import Max

    from motcua.catalog.demo import DEMO_FILE, demo_catalog_load
    from motcua.directory.demo import demo_province_load
    from motcua.dossiers.generate import dossiers_generate
    from motcua.dossiers.models import Dossier
    from motcua.metrics.generate import dossiers_complete

    if not existing:
        call_command("migrate", verbosity=0, interactive=False)
        demo_province_load(with_passwords=False)
        if DEMO_FILE.exists():
            demo_catalog_load()
        else:
            from motcua.catalog.services import catalog_import
            from motcua.core.audit import SYSTEM
            from tests.catalog.conftest import CATALOG

            catalog_import(actor=SYSTEM, data=CATALOG, dry_run=False)
    adding = count - existing
    first_id = (Dossier.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    log(f"generating {adding:,} dossiers ({existing:,} already there)")
    cpu = time.process_time()
    report = dossiers_generate(
        count=adding,
        seed=2025 + existing // 1_000_000,
        progress=lambda d, t, n: print(f"\r  {d:,} / {t:,} {n}", end="", file=sys.stderr, flush=True),
    )
    print(file=sys.stderr)
    cpu = time.process_time() - cpu
    log(f"generated in {report.seconds:.0f} s (Python CPU {cpu:.0f} s), load {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    extra = dossiers_complete(
        first_id=first_id, progress=lambda table, rows, s: log(f"  {table}: {rows:,} rows in {s:.1f} s")
    )
    complete = time.perf_counter() - started
    log(f"{extra:,} processing rows in {complete:.0f} s")
    started = time.perf_counter()
    with connection_cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, on a database that grew over years
    log(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")
    return [
        (
            f"generate {adding:,} dossiers (COPY) + processing facts",
            f"{report.seconds:.0f} s + {complete:.0f} s",
            "",
            None,
        )
    ]


def connection_cursor():
    from django.db import connection

    return connection.cursor()


_PID: list[int] = []


def backend_cpu() -> float:
    """CPU seconds (user + system) used so far by this connection's PostgreSQL backend (same machine: /proc;
    clock ticks of 10 ms). Parallel workers, when the planner uses them, are not included."""
    from django.db import connection

    if not _PID or connection.connection is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _PID[:] = [cursor.fetchone()[0]]
    try:
        fields = Path(f"/proc/{_PID[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rebuilds() -> list[tuple[str, str, str, bool | None]]:
    from motcua.metrics.indicators import snapshot_write
    from motcua.metrics.rebuild import rollups_rebuild

    cpu = backend_cpu()
    full = rollups_rebuild()
    cpu = backend_cpu() - cpu
    load = os.getloadavg()[0]
    snapshot_write()
    check_cpu = backend_cpu()
    check = rollups_rebuild(check=True)
    check_cpu = backend_cpu() - check_cpu
    log(
        f"rebuild: {full.daily_rows:,} daily rows, {full.monthly_rows:,} monthly rows; {full.seconds:.1f} s, "
        f"backend CPU {cpu:.1f} s, load {load:.1f}; --check {check.seconds:.1f} s, CPU {check_cpu:.1f} s"
    )
    for step, seconds in full.steps.items():
        log(f"  {step}: {seconds:.1f} s")
    return [
        (f"full rollup rebuild ({full.daily_rows:,} daily rows; backend CPU {cpu:.0f} s)", f"{full.seconds:.1f} s",
         "< 600 s", full.seconds < TARGET_REBUILD_S),
        (f"rebuild --check (CPU {check_cpu:.0f} s)", f"{check.seconds:.1f} s", f"{check.differences} diff",
         check.differences == 0),
    ]  # fmt: skip


def timed(fn, runs: int) -> tuple[float, float, float]:
    """Median and worst wall time (ms) of `runs` calls after one warm-up, and the median CPU (ms) they used: this
    process's plus the PostgreSQL backend's."""
    fn()  # warm-up
    times, cpus = [], []
    for _ in range(runs):
        cpu = time.process_time() + backend_cpu()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() + backend_cpu() - cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpus)


def pages(runs: int) -> list[tuple[str, str, str, bool | None]]:
    from django.test import Client
    from django.utils import timezone

    from motcua.core.audit import SYSTEM
    from motcua.directory.models import Agency, Role, User
    from motcua.directory.services import staff_assign

    user, _ = User.objects.get_or_create(
        username="bench.admin", defaults={"full_name": "Bench", "kind": "staff"}
    )
    staff_assign(
        actor=SYSTEM, user=user, agency=Agency.objects.order_by("id").first(), role=Role.PROVINCE_ADMIN
    )
    client = Client()
    client.force_login(user)
    year = str(timezone.localdate().year)
    from django.db.models import Count

    from motcua.dossiers.models import Dossier

    smallest = Dossier.objects.values("agency_id").annotate(n=Count("id")).order_by("n").first() or {}
    small = (
        f"ky={int(year) - 2}&co-quan={smallest.get('agency_id', '')}"  # the agency with the fewest dossiers
    )
    urls = [
        ("dashboard, province, this year", "/can-bo/chi-so/"),
        ("wall, province, this year", "/can-bo/chi-so/man-hinh/"),
        ("score card, province, this year", "/can-bo/chi-so/bang-diem/"),
        ("drill-down: finished late, first page", "/can-bo/chi-so/ho-so/finished_late/"),
        ("drill-down: in progress late, first page", "/can-bo/chi-so/ho-so/open_late/"),
        ("drill-down: carried over, first page", "/can-bo/chi-so/ho-so/carried_over/"),
        ("drill-down: rated 1 (very dissatisfied), first page", "/can-bo/chi-so/ho-so/rating_1/"),
        (
            "drill-down: received in March two years back",
            f"/can-bo/chi-so/ho-so/received/?ky={int(year) - 2}-03",
        ),
        (
            "drill-down: finished late, two years back, one agency",
            "/can-bo/chi-so/ho-so/finished_late/?" + small,
        ),
        ("export XLSX, province, this year", "/can-bo/chi-so/bao-cao.xlsx"),
        ("export CSV, province, this year", "/can-bo/chi-so/bao-cao.csv"),
        ("public transparency page", "/minh-bach/"),
        ("dashboard, one month", f"/can-bo/chi-so/?ky={year}-01"),
    ]
    rows = []
    for label, url in urls:

        def get(url=url):
            response = client.get(url, {"ky": year} if "?" not in url else None)
            assert response.status_code == 200, (url, response.status_code)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)

        median, worst, cpu = timed(get, runs)
        rows.append(
            (f"{label} (CPU {cpu:.0f} ms)", f"{median:.0f} / {worst:.0f} ms", "< 300 ms", median < TARGET_MS)
        )
    return rows


NAIVE = """
SELECT COUNT(*) FILTER (WHERE accepted_at >= %(s)s AND accepted_at < %(e)s),
       COUNT(*) FILTER (WHERE accepted_at >= %(s)s AND accepted_at < %(e)s AND channel = 'online'),
       COUNT(*) FILTER (WHERE refused_at >= %(s)s AND refused_at < %(e)s),
       COUNT(*) FILTER (WHERE finished_at >= %(s)s AND finished_at < %(e)s
                        AND (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                            <= (original_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
       COUNT(*) FILTER (WHERE finished_at >= %(s)s AND finished_at < %(e)s),
       COUNT(*) FILTER (WHERE accepted_at < %(s)s AND (finished_at IS NULL OR finished_at >= %(s)s))
FROM dossiers_dossier GROUP BY agency_id
"""


def naive(runs: int) -> list[tuple[str, str, str, bool | None]]:
    from datetime import datetime

    from django.db import connection
    from django.utils import timezone

    from motcua.worktime.clock import TZ

    y = timezone.localdate().year
    bounds = {"s": datetime(y, 1, 1, tzinfo=TZ), "e": datetime(y + 1, 1, 1, tzinfo=TZ)}

    def run():
        with connection.cursor() as cursor:
            cursor.execute(NAIVE, bounds)
            cursor.fetchall()

    median, worst, cpu = timed(run, max(1, runs // 2))
    return [
        (
            f"naive COUNT over dossiers (year, per agency, 6 counters; CPU {cpu:.0f} ms)",
            f"{median:.0f} / {worst:.0f} ms",
            "",
            None,
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of a previous run (--keep), grown to --dossiers when it holds fewer",
    )
    parser.add_argument("--generate-only", action="store_true", help="stop after generating (implies --keep)")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="measure the pages of a kept database without rebuilding (with --reuse --keep)",
    )
    args = parser.parse_args()
    try:
        existing = database(args.reuse, args.dossiers)
    except Exception as exc:
        print(f"PostgreSQL không truy cập được tại {SERVER} ({exc}). (PostgreSQL is not reachable.)")
        return 2
    os.environ.update(
        DATABASE_URL=f"{SERVER}/{DB_NAME}", SECRET_KEY="benchmark-only", DEBUG="false", ALLOWED_HOSTS="testserver",
        MOTCUA_DATA_DIR=tempfile.mkdtemp(prefix="bench-metrics-"), LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    rows = prepare(args.dossiers, existing) if existing < args.dossiers else []
    if args.generate_only:
        print(rows)
        return 0
    rows += pages(args.runs) if args.pages_only else rebuilds() + pages(args.runs) + naive(args.runs)
    print(f"\nIOC dashboard over {args.dossiers:,} dossiers on PostgreSQL ({os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f})\n")  # fmt: skip
    print(f"| {'measure':70} | {'median / worst':>16} | {'target':>10} | ok |")
    print(f"|{'-' * 72}|{'-' * 18}|{'-' * 12}|----|")
    for label, value, target, ok in rows:
        print(
            f"| {label:70} | {value:>16} | {target:>10} | {'' if ok is None else ('yes' if ok else 'NO')} |"
        )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0 if all(ok is not False for *_rest, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
