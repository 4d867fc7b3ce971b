"""Benchmark: tracking look-ups and online submissions over PostgreSQL holding a million dossiers (issue 5).

Targets: tracking look-up p99 under 25 ms server-side and at least 300 look-ups/s with gunicorn (4 workers on this
2-core machine); online submission with two 200 KB PDFs at least 40/s.

Run: .venv/bin/python tests/bench/bench_dossiers.py [--dossiers N] [--seconds S] [--clients C] [--keep] [--reuse]
(or `make bench`). Not collected by pytest. Needs PostgreSQL at BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432) with the right to create the database `motcua_bench_dossiers`, dropped at the
end unless --keep. Steps:

1. create and migrate the database; load the demo province and a catalog (the demo catalog when present, else the
   test catalog); generate N dossiers with `motcua.dossiers.generate` (COPY), and report how long it took;
2. in-process: `tracking_find` + `public_timeline` for random existing codes (the domain's share of a look-up),
   with EXPLAIN ANALYZE of both queries;
3. gunicorn (4 sync workers, DEBUG=false, behind a "proxy": each simulated citizen has its own X-Forwarded-For,
   so the per-client rate limit is counted as in production without tripping): GET /api/v1/tracking/{code} and the
   page /tra-cuu/ one at a time for latency — server-side time from the `Server-Timing: app;dur=` header of
   motcua.core.middleware — then C concurrent clients for S seconds for throughput, with the CPU time the gunicorn
   workers, the PostgreSQL backends and the load generator spent per look-up (from /proc): the rate two idle
   cores would sustain, much less sensitive than the measured rate to whatever else the machine is doing;
4. online submissions with two 200 KB PDFs: `dossier_create_submitted` in-process, one after another, and
   POST /api/v1/dossiers with an API client's bearer token from 1 and 8 concurrent clients, 10 s each.

Targets checked: the API's look-up p99 and throughput (the page /tra-cuu/ when the API is absent), and the rate
of POST /api/v1/dossiers with 8 clients (the in-process rate when the API is absent).

Prints a table and exits 1 when a target is missed (2 when PostgreSQL is not reachable).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_NAME = "motcua_bench_dossiers"
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
TARGET_P99_MS, TARGET_LOOKUPS, TARGET_SUBMISSIONS = 25.0, 300.0, 40.0
PDF_SIZE = 200 * 1024


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f}"


# --- database and environment -------------------------------------------------------------------------------


def database_exists_with(count: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{SERVER}/{DB_NAME}", connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0] >= count
    except psycopg.Error:
        return False


def database_recreate(*, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def environment(data_dir: str, lookups_limit: int = 10_000) -> dict[str, str]:
    return {
        "DATABASE_URL": f"{SERVER}/{DB_NAME}",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
        "DEBUG": "false",
        "MOTCUA_DEMO": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_DATA_DIR": data_dir,
        "BEHIND_TLS_PROXY": "true",  # the client address is the X-Forwarded-For of the (simulated) proxy
        "TRACKING_LOOKUPS_PER_10_MINUTES": str(lookups_limit),
        "LOG_LEVEL": "WARNING",
    }


def prepare(count: int) -> float:
    """Migrate, load the province and a catalog, generate `count` dossiers; the generation's seconds."""
    from django.core.management import call_command

    from motcua.catalog.demo import DEMO_FILE, demo_catalog_load
    from motcua.directory.demo import demo_province_load
    from motcua.dossiers.generate import dossiers_generate

    call_command("migrate", verbosity=0, interactive=False)
    demo_province_load(with_passwords=False)
    if DEMO_FILE.exists():
        demo_catalog_load()
        log("catalog: the demo catalog (motcua/catalog/data/demo_catalog.json)")
    else:
        from motcua.catalog.services import catalog_import
        from motcua.core.audit import SYSTEM
        from tests.catalog.conftest import CATALOG

        report = catalog_import(actor=SYSTEM, data=CATALOG, dry_run=False)
        assert report.ok, report.errors
        log("catalog: the test catalog of tests/catalog/conftest.py (no demo catalog yet)")
    log(f"generating {count:,} dossiers (load average {load()})")

    def progress(done: int, total: int, note: str) -> None:
        print(f"\r  {done:,} / {total:,} {note}", end="", file=sys.stderr, flush=True)

    report = dossiers_generate(count=count, progress=progress)
    print(file=sys.stderr)
    log(
        f"generated {report.dossiers:,} dossiers, {report.events:,} audit events, {report.citizens:,} accounts in "
        f"{report.seconds:.0f} s; states {dict(report.by_status.most_common())}"
    )
    return report.seconds


# --- samples and the domain part ----------------------------------------------------------------------------


def samples(n: int) -> list[tuple[str, str, str]]:
    """(code or reference, last 4 phone digits, expected display code) of random existing dossiers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(code, reference), right(applicant_phone, 4) FROM dossiers_dossier "
            "TABLESAMPLE SYSTEM (5) WHERE status <> 'draft' LIMIT %s",
            [n * 3],
        )
        rows = cursor.fetchall()
    random.Random(5).shuffle(rows)
    return [(code, last4, code) for code, last4 in rows[:n]]


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0],) * 3 if values else (float("nan"),) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


def domain_timings(picks: list[tuple[str, str, str]]) -> tuple[float, float, float]:
    from motcua.dossiers.queries import public_timeline, tracking_find

    timings = []
    for index, (code, last4, _expected) in enumerate(picks):
        started = time.perf_counter()
        dossier = tracking_find(code=code, phone_last4=last4)
        steps = public_timeline(dossier)
        elapsed = (time.perf_counter() - started) * 1000
        assert dossier is not None and steps, code
        if index >= 100:  # the first ones warm the caches
            timings.append(elapsed)
    return percentiles(timings)


def explain(code: str) -> list[str]:
    """EXPLAIN ANALYZE of the tracking query and of the timeline query, as tracking_find/public_timeline run them."""
    from django.db.models import Q

    from motcua.core.models import AuditEvent
    from motcua.dossiers import queries
    from motcua.dossiers.models import Status

    found = queries._base().filter(Q(code=code) | Q(reference=code)).exclude(status=Status.DRAFT)
    dossier = found.first()
    timeline = AuditEvent.objects.filter(
        object_type="dossiers.dossier", object_id=str(dossier.pk), action__in=list(queries.PUBLIC_STEPS)
    ).order_by("at", "id")
    return [
        found.order_by("-created_at", "-id")[:1].explain(analyze=True, buffers=True),
        timeline.only("at", "action").explain(analyze=True, buffers=True),
    ]


# --- HTTP ---------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Reply:
    status: int
    server_ms: float
    client_ms: float
    body: bytes


def request(
    port: int, method: str, path: str, *, client: int, body: bytes | None = None, headers=None
) -> Reply:
    """One HTTP/1.0 exchange on a new connection (as gunicorn's sync workers serve), with as little client-side
    work as possible: the load generator shares the machine's two cores with the server."""
    lines = [f"{method} {path} HTTP/1.0", "Host: 127.0.0.1", f"X-Forwarded-For: {client_address(client)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    client_ms = (time.perf_counter() - started) * 1000
    head, _sep, data = b"".join(chunks).partition(b"\r\n\r\n")
    status = int(head[9:12])
    server_ms = float("nan")
    at = head.find(b"Server-Timing: app;dur=")
    if at >= 0:
        server_ms = float(head[at + 23 : head.find(b"\r\n", at) if head.find(b"\r\n", at) > 0 else None])
    return Reply(status, server_ms, client_ms, data)


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int = 4):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "motcua.wsgi:application", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/api/v1/version", client=1).status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop(keep_log=True)
        raise RuntimeError(f"gunicorn did not start; see {self.log.name}")

    def stop(self, *, keep_log: bool = False) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        if not keep_log:
            Path(self.log.name).unlink(missing_ok=True)


def api_routes(port: int) -> set[str]:
    reply = request(port, "GET", "/api/v1/openapi.json", client=1)
    if reply.status != 200:
        return set()
    spec = json.loads(reply.body)
    return {f"{method.upper()} {path}" for path, item in spec.get("paths", {}).items() for method in item}


def tracking_path(kind: str, code: str, last4: str) -> str:
    if kind == "api":
        return f"/api/v1/tracking/{quote(code)}?phone_last4={last4}"
    return f"/tra-cuu/?ma={quote(code)}&so={last4}"


def check_reply(kind: str, reply: Reply, expected: str) -> bool:
    if reply.status != 200:
        return False
    if kind == "api":
        return json.loads(reply.body)["code"] == expected
    return expected.encode() in reply.body


def latency(port: int, kind: str, picks, client_base: int) -> tuple[tuple, tuple, int]:
    """One look-up at a time: percentiles of server-side and of round-trip milliseconds, and the failures."""
    server, rtt, failures = [], [], 0
    for index, (code, last4, expected) in enumerate(picks):
        reply = request(port, "GET", tracking_path(kind, code, last4), client=client_base + index % 5000)
        if not check_reply(kind, reply, expected):
            failures += 1
        if index >= 50:
            server.append(reply.server_ms)
            rtt.append(reply.client_ms)
    return percentiles(server), percentiles(rtt), failures


@dataclass
class Load:
    done: int = 0
    failures: int = 0
    statuses: dict = field(default_factory=dict)
    server_ms: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cpu: dict = field(
        default_factory=dict
    )  # CPU seconds of the app, the database and the client, during the run

    def cpu_per_request(self) -> str:
        ok = self.done - self.failures
        if not ok or not self.cpu:
            return "n/a"
        ms = {name: seconds * 1000 / ok for name, seconds in self.cpu.items()}
        total = ms["app"] + ms["database"] + ms["client"]
        stolen = self.cpu.get("steal", 0.0) / max(self.cpu.get("wall", 0.0), 1e-9) / (os.cpu_count() or 1)
        return (
            f"app {ms['app']:.1f} + database {ms['database']:.1f} + client {ms['client']:.1f} = {total:.1f} ms "
            f"→ {2000 / total:.0f}/s on 2 idle cores; the whole machine was busy {ms.get('machine', 0):.1f} ms "
            f"per request (with the kernel and PostgreSQL's own processes); the hypervisor took {stolen:.0%} of the "
            "cores (steal)"
        )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def machine_times() -> tuple[float, float]:
    """CPU seconds since boot that all cores spent busy (/proc/stat: user, nice, system, irq, softirq), and that the
    hypervisor took from this virtual machine for others (steal): a run with much steal measures a slower machine."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS, steal / CLOCK_TICKS


class CpuMeter:
    """CPU time used by the gunicorn workers, the PostgreSQL backends serving the benchmark database and this
    process (the load generator): what a look-up costs, whatever else the machine is doing at the same time."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid

    def _groups(self) -> dict[str, list[int]]:
        from django.db import connection

        workers = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.master_pid:
                    workers.append(int(entry.name))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB_NAME]
            )
            backends = [row[0] for row in cursor.fetchall()]
        return {"app": workers, "database": backends}

    def snapshot(self) -> dict:
        groups = self._groups()
        times = os.times()
        return {
            "pids": groups,
            "app": {pid: process_cpu(pid) for pid in groups["app"]},
            "database": {pid: process_cpu(pid) for pid in groups["database"]},
            "client": times.user + times.system,
            "machine": machine_times()[0],
            "steal": machine_times()[1],
            "wall": time.monotonic(),
        }

    def since(self, before: dict) -> dict[str, float]:
        now = self.snapshot()
        out = {name: now[name] - before[name] for name in ("client", "machine", "steal", "wall")}
        for group in ("app", "database"):
            out[group] = sum(cpu - before[group].get(pid, 0.0) for pid, cpu in now[group].items())
        return out


def load_run(
    one, *, clients: int, seconds: float, meter: CpuMeter, warm_up: float = 2.0
) -> tuple[float, Load]:
    """`clients` threads calling `one(worker, n) -> (ok, status, server_ms)` in a loop; what completes within
    `seconds` after the warm-up counts. Returns (successes per second, details)."""
    result = Load()
    start_at = time.monotonic() + warm_up
    stop_at = start_at + seconds

    def run(worker: int) -> None:
        n = 0
        while time.monotonic() < stop_at:
            began = time.monotonic()
            try:
                ok, status, server_ms = one(worker, n)
            except OSError:
                ok, status, server_ms = False, "error", float("nan")
            n += 1
            if began >= start_at and time.monotonic() <= stop_at:
                with result.lock:
                    result.done += 1
                    result.failures += not ok
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    if ok:
                        result.server_ms.append(server_ms)

    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    before = meter.snapshot()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    result.cpu = meter.since(before)
    for thread in threads:
        thread.join(timeout=120)
    return (result.done - result.failures) / seconds, result


def throughput(port: int, kind: str, picks, *, clients: int, seconds: float, meter: CpuMeter):
    """Each client is a citizen after another (its own address), looking up random existing dossiers."""

    def one(worker: int, n: int):
        code, last4, expected = picks[(worker * 7919 + n * 104729) % len(picks)]
        reply = request(
            port, "GET", tracking_path(kind, code, last4), client=20_000 + worker * 1000 + n % 1000
        )
        return check_reply(kind, reply, expected), reply.status, reply.server_ms

    return load_run(one, clients=clients, seconds=seconds, meter=meter)


# --- submissions --------------------------------------------------------------------------------------------


def pdf(size: int, seed: int) -> bytes:
    """A well-formed PDF of about `size` bytes: one page and an incompressible image-like stream (a scan)."""
    payload = random.Random(seed).randbytes(size - 400)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(payload) + payload + b"\nendstream",
    ]
    from motcua.dossiers.demo import pdf_from_objects

    return pdf_from_objects(objects)


@dataclass
class Submission:
    case: object
    documents: list[int]
    applicant: dict
    extra: dict
    files: list[bytes]


def submission_setup() -> Submission:
    """An online case with documents (the one with most), an applicant living where it is handled, two PDFs."""
    from motcua.catalog.models import OnlineLevel, ProcedureCase
    from motcua.directory.models import Agency
    from motcua.dossiers.intake import document_is_optional

    def required(case) -> list[int]:
        return [d.pk for d in case.version.documents.order_by("order", "id") if not document_is_optional(d)]

    cases = [
        c
        for c in ProcedureCase.objects.filter(version__procedure__active=True)
        .exclude(version__online_level=OnlineLevel.NONE)
        .select_related("version__procedure")
        .order_by("id")
        if c.version.procedure.current_version_id == c.version_id
        and 1 <= len(required(c)) <= 2
        and c.version.agencies.filter(valid_to__isnull=True).exists()
    ]
    case = max(cases, key=lambda c: (c.version.procedure.popularity, len(required(c)), -c.pk))
    documents = required(case)
    agency = case.version.agencies.filter(valid_to__isnull=True).order_by("code").first()
    commune = agency.commune or Agency.objects.filter(commune__isnull=False).order_by("code").first().commune
    applicant = {
        "applicant_name": "Nguyễn Thị Thu Trang",
        "applicant_id_type": "cccd",
        "applicant_id_number": "075190012345",
        "applicant_birth_date": "1990-04-12",
        "applicant_phone": "0912345678",
        "applicant_email": "trang@example.vn",
        "applicant_commune": commune.code,
        "applicant_address": "Số 12, đường Võ Thị Sáu, khu phố 3",
    }
    samples = {"text": "Nguyễn Văn Bé", "number": "1", "date": "01/10/2020"}
    extra = {
        spec["key"]: (
            spec["choices"][0] if spec.get("type") == "choice" else samples.get(spec.get("type"), "Có")
        )
        for spec in case.version.form_fields or []
    }
    return Submission(case, [documents[0], documents[min(1, len(documents) - 1)]], applicant, extra,
                      [pdf(PDF_SIZE, 1), pdf(PDF_SIZE, 2)])  # fmt: skip


def submit_in_process(setup: Submission, n: int) -> float:
    """Submissions per second, one after another, through dossier_create_submitted (what every channel calls)."""
    from motcua.directory.models import User
    from motcua.dossiers.intake import Upload, dossier_create_submitted

    citizen, _created = User.objects.get_or_create(
        username="bench.citizen",
        defaults={"full_name": "Nguyễn Thị Thu Trang", "kind": User.Kind.CITIZEN, "cccd": "075190012345"},
    )
    run = uuid.uuid4().hex[:8]

    def one(i: int) -> None:
        dossier, created = dossier_create_submitted(
            actor=citizen,
            owner=citizen,
            case=setup.case,
            applicant=setup.applicant,
            extra=setup.extra,
            uploads=[Upload(f"to-khai-{k}.pdf", data, doc) for k, (data, doc) in
                     enumerate(zip(setup.files, setup.documents, strict=True))],
            notify_channels=["email", "sms"],
            idempotency_key=f"bench-{run}-{i}",
        )  # fmt: skip
        assert created and dossier.status == "submitted"

    for i in range(5):  # warm-up
        one(-1 - i)
    started = time.perf_counter()
    for i in range(n):
        one(i)
    return n / (time.perf_counter() - started)


def multipart(setup: Submission, boundary: str) -> bytes:
    data = {
        "procedure": setup.case.version.procedure.national_code,
        "case_id": setup.case.pk,
        "applicant": setup.applicant,
        "extra": setup.extra,
        "delivery": "desk",
        "notify_channels": ["sms"],
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/json\r\n\r\n'.encode()
        + json.dumps(data, ensure_ascii=False).encode()
        + b"\r\n"
    ]
    for k, (content, doc) in enumerate(zip(setup.files, setup.documents, strict=True)):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file_{doc}"; filename="giay-to-{k}.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def submit_http(port: int, setup: Submission, token: str, *, clients: int, seconds: float, meter: CpuMeter):
    """POST /api/v1/dossiers with the API client's token, each with its own Idempotency-Key."""
    boundary = "bench" + uuid.uuid4().hex
    body = multipart(setup, boundary)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }

    def one(worker: int, n: int):
        reply = request(port, "POST", "/api/v1/dossiers", client=worker, body=body,
                        headers={**headers, "Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
        if reply.status != 201 and not errors:
            errors.append(reply.body[:300])
        return reply.status == 201, reply.status, reply.server_ms

    errors: list[bytes] = []
    rate, result = load_run(one, clients=clients, seconds=seconds, meter=meter)
    if errors:
        log(f"POST /api/v1/dossiers failed: {errors[0]!r}")
    return rate, result


# --- the run ------------------------------------------------------------------------------------------------


def fmt3(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.1f}" for v in values) + " ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each throughput run")
    parser.add_argument("--clients", type=int, default=16, help="concurrent look-up clients")
    parser.add_argument("--lookups", type=int, default=2000, help="sequential look-ups for the latency")
    parser.add_argument("--submissions", type=int, default=200, help="in-process submissions")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database if it already has the dossiers"
    )
    args = parser.parse_args()
    try:
        reused = args.reuse and database_exists_with(args.dossiers)
        if not reused:
            database_recreate()
    except Exception as exc:  # psycopg.OperationalError and friends
        print(f"PostgreSQL không truy cập được tại {SERVER} ({exc}). (PostgreSQL is not reachable.)")
        return 2
    data_dir = tempfile.mkdtemp(prefix="bench-dossiers-")
    env = environment(data_dir)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    began = time.monotonic()
    log(f"load average at start {load()} (1 / 5 min) on {os.cpu_count()} cores")
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        generation = None if reused else prepare(args.dossiers)
        rows: list[tuple[str, str, str, bool | None]] = []
        if generation is not None:
            rows.append((f"generate {args.dossiers:,} dossiers (COPY)", f"{generation:.0f} s", "< 300 s (aim)",
                         None))  # fmt: skip
        picks = samples(args.lookups + 100)
        rows.append(
            ("domain tracking_find + public_timeline p50/p95/p99", fmt3(domain_timings(picks)), "", None)
        )
        for plan in explain(picks[0][0]):
            log("EXPLAIN ANALYZE:\n" + plan)
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.db import connections

        connections.close_all()
        server = Gunicorn(env)
        meter = CpuMeter(server.process.pid)
        routes = api_routes(server.port)
        kinds = [("api", "GET /api/v1/tracking/{code}")] if "GET /api/v1/tracking/{code}" in routes else []
        page = request(server.port, "GET", "/tra-cuu/", client=1)
        if page.status == 200:
            kinds.append(("page", "GET /tra-cuu/"))
        if not kinds:
            raise RuntimeError("neither GET /api/v1/tracking/{code} nor /tra-cuu/ answers")
        gated = kinds[0][0]
        for kind, label in kinds:
            server_p, rtt_p, failures = latency(server.port, kind, picks[: args.lookups], client_base=100)
            ok = server_p[2] < TARGET_P99_MS and failures == 0 if kind == gated else None
            rows.append((f"{label} server-side p50/p95/p99 (1 client)", fmt3(server_p), "p99 < 25 ms", ok))
            rows.append((f"{label} round trip p50/p95/p99 (1 client)", fmt3(rtt_p), "", None))
            if failures:
                rows.append((f"{label} wrong answers", str(failures), "0", False))
            log(
                f"load average {load()}; throughput of {label} with {args.clients} clients for {args.seconds:.0f} s"
            )
            rate, result = throughput(
                server.port, kind, picks, clients=args.clients, seconds=args.seconds, meter=meter
            )
            ok = rate >= TARGET_LOOKUPS and result.failures == 0 if kind == gated else None
            rows.append((f"{label} throughput ({args.clients} clients)", f"{rate:.0f} look-ups/s",
                         "≥ 300/s", ok))  # fmt: skip
            rows.append((f"{label} server-side p50/p95/p99 under load", fmt3(percentiles(result.server_ms)), "",
                         None))  # fmt: skip
            rows.append((f"{label} CPU per look-up", result.cpu_per_request(), "", None))
            if result.failures:
                rows.append((f"{label} failed look-ups under load {result.statuses}", str(result.failures), "0",
                             False))  # fmt: skip
        setup = submission_setup()
        log(
            f"submissions: procedure {setup.case.version.procedure.national_code}, two {PDF_SIZE // 1024} KB PDFs"
        )
        in_process = submit_in_process(setup, args.submissions)
        http_available = "POST /api/v1/dossiers" in routes
        rows.append(("submission in-process, one at a time", f"{in_process:.0f} /s", "≥ 40/s",
                     None if http_available else in_process >= TARGET_SUBMISSIONS))  # fmt: skip
        if http_available:
            from motcua.core.audit import SYSTEM
            from motcua.directory.api_clients import api_client_issue

            _client, token = api_client_issue(actor=SYSTEM, name="Đo hiệu năng")
            for clients in (1, 8):
                rate, result = submit_http(
                    server.port, setup, token, clients=clients, seconds=10, meter=meter
                )
                ok = rate >= TARGET_SUBMISSIONS and result.failures == 0 if clients == 8 else None
                rows.append((f"POST /api/v1/dossiers ({clients} client{'s' if clients > 1 else ''})",
                             f"{rate:.0f} /s; server p50/p95/p99 {fmt3(percentiles(result.server_ms))}",
                             "≥ 40/s" if clients == 8 else "", ok))  # fmt: skip
                rows.append((f"POST /api/v1/dossiers ({clients}) CPU per submission", result.cpu_per_request(), "",
                             None))  # fmt: skip
                if result.failures:
                    rows.append(
                        ("failed submissions " + str(result.statuses), str(result.failures), "0", False)
                    )
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_recreate(drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    log(f"load average at end {load()}; total {time.monotonic() - began:.0f} s")
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'value':<52}  {'target':<14}  result")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("đạt (ok)" if ok else "KHÔNG ĐẠT (missed)")
        print(f"{name:<{width}}  {value:<52}  {target:<14}  {verdict}")
    missed = [r for r in rows if r[3] is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
