"""Benchmark: citizen feedback with many reports (issue 7).

Targets: with 500,000 reports, the public list page `/phan-anh/` and `GET /open311/v2/requests.json` returning 1,000
requests each under 100 ms server-side; intake of at least 200 reports a second with one photo each.

Run: .venv/bin/python tests/bench/bench_feedback.py [--reports N] [--sqlite] [--runs R] [--intake-seconds S] [--keep]
[--no-drain]
(or `make bench`). Not collected by pytest. By default on PostgreSQL at BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432), database `motcua_bench_feedback` created and dropped (unless --keep, and reused
when it already holds N reports); with --sqlite on a temporary SQLite file (WAL), the embedded configuration.

1. migrate; load the demo province, the default categories and routing rules; insert N reports spread over the last
   365 days (so the default 90-day Open311 window holds about a quarter of them), 60 % published, with positions,
   agencies' shares and ratings (`motcua.feedback.generate`: set-based SQL on PostgreSQL; reported with its time);
2. server-side time of each page, through the whole Django stack (middleware, view, template or serializer) in this
   process, from the `Server-Timing: app;dur=` header: `/phan-anh/` (first page, and filtered by category, by commune,
   by status), `/open311/v2/requests.json?page_size=1000` and `.xml`, `/open311/v2/requests.json` filtered by
   service_code and status; R runs each after 3 warm-up runs; p50 and p95;
3. intake: `report_submit` with one 100 KB JPEG photo (checked by content, stored, routed, audited, acknowledged by
   SMS), one after another for S seconds: reports a second on one core.

Before the pages and before the drain it vacuums the tables the runs churn, as autovacuum would between runs (and
says so when the server runs without autovacuum). `--no-drain` skips the drain (a later run's drain does the work).

Prints a table and exits 1 when a target is missed (2 when PostgreSQL is not reachable).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_NAME = "motcua_bench_feedback"
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
TARGET_MS, TARGET_INTAKE = 100.0, 200.0
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def postgres_recreate(*, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def postgres_has(count: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{SERVER}/{DB_NAME}", connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM feedback_report").fetchone()[0] >= count
    except psycopg.Error:
        return False


def environment(url: str, data_dir: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
            "DEBUG": "false",
            "MOTCUA_DEMO": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "MOTCUA_DATA_DIR": data_dir,
            "LOG_LEVEL": "WARNING",
            "TRACKING_LOOKUPS_PER_10_MINUTES": "10000",
            "FEEDBACK_REPORTS_PER_10_MINUTES": "100000",
            "OPEN311_POSTS_PER_10_MINUTES": "1000000",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
        }
    )
    import django

    django.setup()


def prepare(count: int) -> float:
    """Migrate, load the province, categories and rules, insert `count` reports; the insertion's seconds."""
    from django.core.management import call_command

    from motcua.directory.demo import demo_province_load
    from motcua.feedback.demo import categories_default_load, demo_staff_load, routing_rules_demo_load

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    demo_province_load(with_passwords=False)
    categories_default_load()
    routing_rules_demo_load()
    demo_staff_load(with_passwords=False)
    started = time.perf_counter()
    reports_generate(count)
    return time.perf_counter() - started


def reports_generate(count: int) -> None:
    """N reports over the last 365 days with their shares and ratings: `motcua.feedback.generate` (the same as
    `motcua generate --feedback N`), then the statistics autovacuum would gather after such a load."""
    from django.db import connection

    from motcua.feedback.generate import feedback_generate

    feedback_generate(count=count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) feedback_report")


CHURNED = ("feedback_report", "feedback_reportphoto", "core_auditevent", "notifications_notification",
           "django_tasks_database_dbtaskresult")  # fmt: skip


def vacuum() -> None:
    """VACUUM (ANALYZE) what the runs write and update, as autovacuum would between runs: a task queue's partial index
    full of dead entries makes every fetch walk them, and a report table without a visibility map reads the heap for
    deep pages. Says when the server's autovacuum is off (then only this keeps the figures meaningful)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] != "on":
            log("this PostgreSQL server runs without autovacuum: the benchmark vacuums its tables itself")
        for table in CHURNED:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99."""
    if len(values) < 2:
        return (values[0],) * 3 if values else (float("nan"),) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@dataclass
class Timing:
    url: str
    p50: float
    p95: float
    p99: float
    size: int
    app_cpu_ms: float  # this process (the whole Django stack and the test client), per request
    db_cpu_ms: float  # the PostgreSQL backend serving it, per request


def timed(client, url: str, runs: int) -> Timing:
    """Percentiles of the server-side time (ms), the answer's size, and the CPU time per request: what a page
    costs whatever else the shared machine does meanwhile (the wall time also waits for the cores)."""
    values, size = [], 0
    for _index in range(3):
        client.get(url)
    pid = backend_pid()
    cpu0, db0 = time.process_time(), process_cpu(pid) if pid else 0.0
    for _index in range(runs):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        values.append(float(response["Server-Timing"].split("dur=")[1]))
        size = len(response.content)
    app = (time.process_time() - cpu0) * 1000 / runs
    db = ((process_cpu(pid) - db0) * 1000 / runs) if pid else float("nan")
    return Timing(url, *percentiles(values), size, app, db)


def pages(runs: int) -> list[Timing]:
    from django.test import Client

    from motcua.api import open311
    from motcua.directory.models import AdministrativeUnit

    open311.READS_PER_10_MINUTES = 10**9
    client = Client()
    commune = AdministrativeUnit.objects.filter(level="commune", province__code="75").order_by("code").first()
    urls = [
        "/phan-anh/",
        "/phan-anh/?linh-vuc=giao-thong",
        f"/phan-anh/?xa={commune.code}",
        "/phan-anh/?trang-thai=hai-long",
        "/open311/v2/requests.json?page_size=1000",
        "/open311/v2/requests.xml?page_size=1000",
        "/open311/v2/requests.json?page_size=1000&service_code=giao-thong&status=open",
        "/open311/v2/requests.json?page_size=1000&page=20",
    ]
    rows = []
    for url in urls:
        timing = timed(client, url, runs)
        if "requests." in url:
            import json
            import xml.etree.ElementTree as ET

            body = client.get(url).content
            n = len(json.loads(body)) if ".json" in url else len(ET.fromstring(body).findall("request"))
            timing.url = f"{url}  ({n} requests)"
        rows.append(timing)
        log(
            f"{timing.url}: p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms, p99 {timing.p99:.1f} ms, "
            f"CPU app {timing.app_cpu_ms:.1f} + db {timing.db_cpu_ms:.1f} ms"
        )
    return rows


def jpeg() -> bytes:
    """A 111 KB photo (noise does not compress: the size of a phone picture scaled down)."""
    from PIL import Image

    stream = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(stream, format="JPEG", quality=95)
    return stream.getvalue()


def intake(seconds: float) -> tuple[int, float]:
    from motcua.core.audit import SYSTEM
    from motcua.feedback.intake import Photo, report_submit

    rng = random.Random(3)
    photo = jpeg()
    log(f"intake with one {len(photo) // 1024} KB JPEG each, {seconds:.0f} s")
    data = {
        "category": "giao-thong", "kind": "field", "description": "Ổ gà lớn giữa đường, xe máy dễ té ngã.",
        "reporter_name": "Nguyễn Văn An", "reporter_phone": "0912345678", "notify_channels": ["sms"],
        "address": "Trước số 12 đường Võ Thị Sáu",
    }  # fmt: skip
    from django.conf import settings

    from motcua.directory.models import AdministrativeUnit

    communes = list(
        AdministrativeUnit.objects.filter(level="commune", province__code=settings.PROVINCE_CODE).values_list(
            "code", flat=True
        )[:50]
    )
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        report_submit(
            actor=SYSTEM,
            channel="web",
            data={**data, "commune": rng.choice(communes)},
            photos=[Photo("a.jpg", photo)],
        )
        count += 1
    elapsed = time.perf_counter() - started
    return count, count / elapsed


# --- intake over HTTP, as deployed: gunicorn workers, concurrent clients -------------------------------------


def http_intake(*, workers: int, clients: int, seconds: float, photo: bytes, env: dict[str, str]):
    """POST /open311/v2/requests.json (api_key, one `media` JPEG, multipart) from `clients` concurrent clients, each
    behind its own X-Forwarded-For, to gunicorn with `workers` sync workers; the CPU time per report from /proc."""
    import uuid

    sys.path.insert(0, str(ROOT / "tests/bench"))
    import bench_dossiers as bd  # its HTTP client, gunicorn runner, CPU meter and load loop

    bd.DB_NAME = DB_NAME
    from motcua.core.audit import SYSTEM
    from motcua.directory.api_clients import api_client_issue

    _client, token = api_client_issue(actor=SYSTEM, name="Benchmark")
    from django.conf import settings

    from motcua.directory.models import AdministrativeUnit

    communes = list(
        AdministrativeUnit.objects.filter(level="commune", province__code=settings.PROVINCE_CODE).values_list(
            "code", flat=True
        )[:50]
    )
    boundary = "bench" + uuid.uuid4().hex

    def body(n: int) -> bytes:
        fields = {
            "api_key": token, "service_code": "giao-thong", "description": "Ổ gà lớn giữa đường, xe máy dễ té ngã.",
            "first_name": "Nguyễn Văn", "last_name": "An", "phone": "0912345678",
            "address_string": "Trước số 12 đường Võ Thị Sáu", "attribute[commune]": communes[n % len(communes)],
        }  # fmt: skip
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="anh.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + photo
            + b"\r\n"
        )
        return b"".join(parts) + f"--{boundary}--\r\n".encode()

    bodies = [body(n) for n in range(len(communes))]
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    errors: list[bytes] = []

    def one(worker: int, n: int):
        reply = bd.request(
            server.port, "POST", "/open311/v2/requests.json", client=30_000 + worker * 1000 + n % 1000,
            body=bodies[(worker + n) % len(bodies)], headers=headers,
        )  # fmt: skip
        if reply.status != 200 and not errors:
            errors.append(reply.body[:300])
        return reply.status == 200, reply.status, reply.server_ms

    server = bd.Gunicorn({**env, "BEHIND_TLS_PROXY": "true"}, workers=workers)
    try:
        meter = bd.CpuMeter(server.process.pid)
        rate, result = bd.load_run(one, clients=clients, seconds=seconds, meter=meter)
    finally:
        server.stop()
    if errors:
        log(f"POST requests.json failed: {errors[0]!r}")
    return rate, result


def worker_drain(env: dict[str, str]) -> tuple[int, float, float, float]:
    """The second half of intake (routing, acknowledgement) for every report the HTTP run queued, and the delivery of
    the acknowledgements it queues (SMS to the file outbox), run by one real task worker as deployed (`motcua
    db_worker --queue-name '*' --batch`) until the queue is empty: (reports, seconds, worker CPU ms per report,
    database CPU ms per report)."""
    import subprocess

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.ready().filter(task_path="motcua.feedback.tasks.complete_intake")
    count = pending.count()
    if not count:
        return 0, 0.0, 0.0, 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])
        before_pids = {row[0] for row in cursor.fetchall()}
    started = time.perf_counter()
    child_before = os.times()
    output = tempfile.TemporaryFile()  # the worker logs every task: a file, not a pipe that could fill up
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/motcua"), "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay"],
        cwd=ROOT, env={**os.environ, **env, "LOG_LEVEL": "WARNING"}, stdout=output, stderr=subprocess.STDOUT,
    )  # fmt: skip
    backend_cpu, backend_pid = 0.0, None
    while worker.poll() is None:  # the worker's backend: sample its CPU until the worker exits
        time.sleep(0.2)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB_NAME]
            )
            pids = [row[0] for row in cursor.fetchall() if row[0] not in before_pids]
        if pids:
            backend_pid = pids[0]
            backend_cpu = max(backend_cpu, process_cpu(backend_pid))
    seconds = time.perf_counter() - started
    child = os.times()
    worker_cpu = (child.children_user + child.children_system) - (
        child_before.children_user + child_before.children_system
    )
    left = pending.count()
    if worker.returncode != 0 or left:
        output.seek(0)
        log(f"worker exit {worker.returncode}, {left} left: {output.read()[-500:]!r}")
    done = count - left
    return done, seconds, worker_cpu * 1000 / max(done, 1), backend_cpu * 1000 / max(done, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--intake-seconds", type=float, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for the next run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for the HTTP intake")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the HTTP intake")
    parser.add_argument("--http-seconds", type=float, default=20, help="HTTP intake duration (0: skip)")
    parser.add_argument(
        "--no-drain",
        action="store_true",
        help="leave the queued second halves (a later run's drain does them)",
    )
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="motcua-bench-feedback-")
    reuse = False
    if args.sqlite:
        url = f"sqlite:///{data_dir}/bench.sqlite3"
    else:
        try:
            reuse = args.keep and postgres_has(args.reports)
            if not reuse:
                postgres_recreate()
        except Exception as exc:  # noqa: BLE001
            print(
                f"PostgreSQL không truy cập được ({exc}); dùng --sqlite. (PostgreSQL unreachable.)",
                file=sys.stderr,
            )
            return 2
        url = f"{SERVER}/{DB_NAME}"
    environment(url, data_dir)
    seconds = 0.0
    if not reuse:
        log(f"preparing {args.reports:,} reports on {'SQLite' if args.sqlite else 'PostgreSQL'}")
        seconds = prepare(args.reports)
        log(f"inserted {args.reports:,} reports in {seconds:.0f} s")
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
    vacuum()
    rows = pages(args.runs)
    count, rate = intake(args.intake_seconds)
    http = None
    if not args.sqlite and args.http_seconds > 0:
        log(
            f"HTTP intake: gunicorn {args.workers} workers, {args.clients} clients, {args.http_seconds:.0f} s"
        )
        http = http_intake(
            workers=args.workers, clients=args.clients, seconds=args.http_seconds, photo=jpeg(), env={}
        )
        log(f"HTTP intake: {http[0]:.0f} reports/s; CPU per report: {http[1].cpu_per_request()}")
    drained = None
    if http is not None and not args.no_drain:
        vacuum()
        log("draining the queued second halves with the task worker")
        drained = worker_drain(env={})
    database = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"\nFeedback benchmark — {args.reports:,} reports on {database}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| request | p50 ms | p95 ms | p99 ms | CPU ms/request (app + db) | bytes |\n|---|---|---|---|---|---|"
    )
    for t in rows:
        print(
            f"| `{t.url}` | {t.p50:.1f} | {t.p95:.1f} | {t.p99:.1f} | {t.app_cpu_ms:.1f} + {t.db_cpu_ms:.1f} "
            f"| {t.size:,} |"
        )
    print(
        f"\nIntake in this process (report_submit, one after another): {count} reports with one photo in "
        f"{args.intake_seconds:.0f} s = {rate:.0f} reports/s"
    )
    http_rate = 0.0
    if http is not None:
        http_rate, result = http
        p50, p95, p99 = percentiles(result.server_ms)
        print(
            f"Intake over HTTP (POST /open311/v2/requests.json, api_key, one JPEG; gunicorn {args.workers} workers, "
            f"{args.clients} clients): {http_rate:.0f} reports/s ({result.done} in {args.http_seconds:.0f} s, "
            f"statuses {result.statuses}); server-side p50 {p50:.1f} / p95 {p95:.1f} / p99 {p99:.1f} ms; "
            f"CPU per report: {result.cpu_per_request()}"
        )
    if drained is not None and drained[0]:
        done, seconds, app_ms, db_ms = drained
        print(
            f"Second half (routing, acknowledgement and its delivery) by one task worker, draining {done} reports: "
            f"{done / seconds:.0f} reports/s ({seconds:.1f} s); CPU per report: worker {app_ms:.1f} + database "
            f"{db_ms:.1f} ms"
        )
    if not args.sqlite and not args.keep:
        from django.db import connections

        connections.close_all()
        postgres_recreate(drop_only=True)
    missed = [t for t in rows if t.p95 >= TARGET_MS] or max(rate, http_rate) < TARGET_INTAKE
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
