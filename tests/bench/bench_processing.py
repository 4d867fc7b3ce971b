"""Benchmark: a full processing path of six actions on one dossier, server-side, on PostgreSQL (issue 6).

Target: the six actions together under 150 ms (accept → forward → take → forward → approve with a 200 KB result
PDF → return at the desk), measured in-process around each service call, so what is timed is the server's work
(transaction, row lock, audit event, notifications queued, step rows, working-time arithmetic), not HTTP.

Run: .venv/bin/python tests/bench/bench_processing.py [--paths N]   (or `make bench`). Not collected by pytest.
Needs PostgreSQL at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) with the right to create the
database `motcua_bench_processing` (dropped at the end). Prints the median and p95 of N paths; exits 1 when the
median misses the target, 2 when PostgreSQL is not reachable.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = "motcua_bench_processing"
TARGET_MS = 150.0


def _database(create: bool) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def _setup() -> dict:
    """Migrate, load the test catalog and the personas' agencies and staff; return what a path needs."""
    import django

    os.environ.update(
        DATABASE_URL=f"{SERVER}/{DB_NAME}",
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-only"),
        DEBUG="true",
        MOTCUA_DATA_DIR=tempfile.mkdtemp(prefix="motcua-bench-"),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.catalog.services import catalog_import
    from motcua.core.audit import SYSTEM
    from motcua.directory.models import Agency, Role
    from motcua.directory.services import staff_assign
    from tests.catalog.conftest import CATALOG
    from tests.factories import AgencyFactory, UserFactory, province_with_communes

    province, commune, _other = province_with_communes()
    agency = AgencyFactory(code="000.00.05.H19", name="Sở Tư pháp", province=province)
    kinds = Agency.Kind
    AgencyFactory(code="000.01.99.H19", name="UBND xã", province=province, commune=commune,
                  kind=kinds.COMMUNE_PEOPLES_COMMITTEE)  # fmt: skip
    AgencyFactory(
        code="000.00.00.H19", name="UBND tỉnh", province=province, kind=kinds.PROVINCIAL_PEOPLES_COMMITTEE
    )
    report = catalog_import(actor=SYSTEM, data=copy.deepcopy(CATALOG), dry_run=False)
    assert report.ok, report.errors
    people = {}
    for key, role in (
        ("desk", Role.DESK_OFFICER),
        ("specialist", Role.SPECIALIST),
        ("leader", Role.AGENCY_LEADER),
    ):
        user = UserFactory(username=f"bench.{key}", full_name=key, kind="staff")
        staff_assign(actor=SYSTEM, user=user, agency=agency, role=role)
        people[key] = user
    people["citizen"] = UserFactory(username="bench.an", full_name="Nguyễn Văn An", cccd="075090001234")
    return people


def _one_path(people, case, pdf: bytes) -> list[float]:
    from django.utils import timezone

    from motcua.dossiers import processing, results
    from motcua.dossiers.intake import Upload, dossier_create_submitted
    from motcua.dossiers.services import dossier_accept
    from tests.dossiers.conftest import APPLICANT

    dossier, _ = dossier_create_submitted(
        actor=people["citizen"], owner=people["citizen"], case=case, applicant=dict(APPLICANT),
        uploads=[Upload("to-khai.pdf", pdf, case.version.documents.get().pk)], notify_channels=["email", "sms"],
    )  # fmt: skip
    steps = [
        lambda d: dossier_accept(dossier=d, actor=people["desk"]),
        lambda d: processing.dossier_forward(dossier=d, actor=people["desk"], note="Chuyển thẩm định"),
        lambda d: processing.dossier_step_assign(dossier=d, actor=people["specialist"], assignee=people["specialist"]),
        lambda d: processing.dossier_forward(dossier=d, actor=people["specialist"], note="Đủ điều kiện"),
        lambda d: results.dossier_approve(
            dossier=d, actor=people["leader"], result_number="1/KQ", result_signed_on=timezone.localdate(),
            result_signer="Lãnh đạo", result_summary="Kết quả", upload=Upload("kq.pdf", pdf),
        ),
        lambda d: results.dossier_return_result(dossier=d, actor=people["desk"], method="desk", returned_to="An"),
    ]  # fmt: skip
    times = []
    for step in steps:
        started = time.perf_counter()
        dossier = step(dossier)
        times.append((time.perf_counter() - started) * 1000)
    assert dossier.status == "returned"
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=30)
    args = parser.parse_args()
    try:
        _database(create=True)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL không trả lời ({exc})", file=sys.stderr)
        return 2
    try:
        people = _setup()
        from motcua.catalog.models import Procedure
        from tests.dossiers.conftest import pdf_bytes

        case = Procedure.objects.get(national_code="3.000333").current_version.cases.get()
        pdf = pdf_bytes("x" * 200_000)
        _one_path(people, case, pdf)  # warm-up: caches, the default process template
        totals, per_step = [], []
        for _ in range(args.paths):
            times = _one_path(people, case, pdf)
            totals.append(sum(times))
            per_step.append(times)
        names = ["accept", "forward", "take", "forward", "approve", "return"]
        medians = [statistics.median(t[i] for t in per_step) for i in range(6)]
        p95 = sorted(totals)[max(0, int(len(totals) * 0.95) - 1)]
        print(f"paths: {args.paths}; six actions, server-side, PostgreSQL")
        print("  " + "  ".join(f"{n} {m:.1f} ms" for n, m in zip(names, medians, strict=True)))
        print(
            f"  total median {statistics.median(totals):.1f} ms, p95 {p95:.1f} ms (target < {TARGET_MS:.0f} ms)"
        )
        return 0 if statistics.median(totals) < TARGET_MS else 1
    finally:
        from django.db import connections

        connections.close_all()
        _database(create=False)


if __name__ == "__main__":
    sys.exit(main())
