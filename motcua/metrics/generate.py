"""Complete generated dossiers with what processing writes, then fill the rollups (`motcua generate`).

`motcua.dossiers.generate.dossiers_generate` writes dossiers up to their state and instants; processing facts come
here, set-based (one INSERT … SELECT or UPDATE each, on SQLite and PostgreSQL), chosen by the dossier id so the
same database gives the same figures:

* every finished dossier gets an outcome (1 in 50 returned unresolved) and a returned one its return method;
* late finished dossiers, 1 in 3, an apology issued two hours before the first due date (new date: finished + 1 day);
* 1 in 4 finished dossiers of procedures with a fee a payment (asked 1 h after acceptance, paid 3 h after; online,
  at the desk or at a bank in turn) with its clock pause;
* 6 in 10 granted dossiers a result document row (kind result; the file itself is not stored);
* 1 in 5 returned online dossiers a rating (half very satisfied … 1 in 20 very dissatisfied).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction


def _plus(column: str, hours: int) -> str:
    if connection.vendor == "postgresql":
        return f"({column} + interval '{hours} hours')"
    return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '{hours:+d} hours')"


def _statements(first_id: int) -> list[str]:
    d = f"d.id >= {first_id}"
    # The procedures with a fee (current version), computed once and joined: not a subquery per dossier.
    fees = (
        "(SELECT p.id AS procedure_id, MAX(f.amount) AS amount FROM catalog_fee f JOIN catalog_procedure p "
        "ON p.current_version_id = f.version_id GROUP BY p.id HAVING MAX(f.amount) > 0) fee"
    )
    return [
        f"UPDATE dossiers_dossier SET outcome = CASE WHEN id % 50 = 0 THEN 'unresolved' ELSE 'granted' END "
        f"WHERE finished_at IS NOT NULL AND outcome = '' AND id >= {first_id}",
        f"UPDATE dossiers_dossier SET return_method = delivery WHERE status = 'returned' AND return_method = '' "
        f"AND id >= {first_id}",
        "INSERT INTO dossiers_dossierapology (dossier_id, number, reason, responsible_agency_id, previous_due_at, "
        "new_due_at, signer_name, signer_title, issued_at, issued_by_id) "
        f"SELECT d.id, 'PXL-' || d.id, 'Cần xác minh thêm với cơ quan phối hợp.', d.agency_id, d.original_due_at, "
        f"{_plus('d.finished_at', 24)}, 'Lãnh đạo cơ quan', 'Thủ trưởng cơ quan', {_plus('d.original_due_at', -2)}, "
        f"d.received_by_id FROM dossiers_dossier d WHERE {d} AND d.finished_at > d.original_due_at "
        "AND d.id % 3 = 0 AND d.received_by_id IS NOT NULL",
        "INSERT INTO dossiers_dossierpayment (dossier_id, description, amount, requested_at, requested_by_id, paid_at, "
        "method, receipt_number, recorded_by_id) "
        f"SELECT d.id, 'Phí, lệ phí giải quyết thủ tục', fee.amount, {_plus('d.accepted_at', 1)}, d.received_by_id, "
        f"{_plus('d.accepted_at', 3)}, CASE d.id % 3 WHEN 0 THEN 'online' WHEN 1 THEN 'desk' ELSE 'bank' END, "
        f"'BL-' || d.id, NULL FROM dossiers_dossier d JOIN {fees} ON fee.procedure_id = d.procedure_id "
        f"WHERE {d} AND d.finished_at IS NOT NULL AND d.id % 4 = 0 "
        f"AND d.received_by_id IS NOT NULL AND d.finished_at > {_plus('d.accepted_at', 3)}",
        "INSERT INTO dossiers_dossierpause (dossier_id, kind, started_at, ended_at, reason) "
        "SELECT m.dossier_id, 'payment', m.requested_at, m.paid_at, m.description FROM dossiers_dossierpayment m "
        f"WHERE m.dossier_id >= {first_id}",
        "INSERT INTO dossiers_dossierdocument (dossier_id, required_document_id, kind, name, original_name, file, "
        "content_type, size, sha256, uploaded_at, uploaded_by_id, replaced) "
        "SELECT d.id, NULL, 'result', 'Kết quả giải quyết', 'ket-qua.pdf', 'generated/ket-qua.pdf', "
        f"'application/pdf', 0, '', d.finished_at, NULL, FALSE FROM dossiers_dossier d WHERE {d} "
        "AND d.outcome = 'granted' AND d.id % 10 < 6",
        "INSERT INTO dossiers_dossierrating (dossier_id, level, comment, rated_at, flagged, reviewed_at) "
        "SELECT d.id, CASE WHEN (d.id / 5) % 20 < 10 THEN 5 WHEN (d.id / 5) % 20 < 16 THEN 4 "
        "WHEN (d.id / 5) % 20 < 18 THEN 3 WHEN (d.id / 5) % 20 < 19 THEN 2 ELSE 1 END, '', "
        f"{_plus('d.returned_at', 1)}, (d.id / 5) % 20 >= 18, NULL FROM dossiers_dossier d WHERE {d} "
        "AND d.status = 'returned' AND d.owner_id IS NOT NULL AND d.id % 5 = 0",
    ]


def dossiers_complete(*, first_id: int, progress: Callable[[str, int, float], None] | None = None) -> int:
    """Add the processing facts above to the dossiers from `first_id` on; returns the rows written.

    `progress(table, rows, seconds)` is called after each statement. The outcome and the return method are written
    by `dossiers_generate` itself; the two UPDATEs only fill them for rows generated before it did (they find
    nothing to change otherwise: rewriting a million dossier rows and their indexes took minutes).
    """
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in _statements(first_id):
            started = time.perf_counter()
            cursor.execute(sql)
            rows = max(cursor.rowcount, 0)
            written += rows
            if progress:
                progress(
                    sql.split()[1 if sql.startswith("UPDATE") else 2], rows, time.perf_counter() - started
                )
    return written
