"""Reads worth naming: the desk inbox, the applicant's list, tracking, and the public timeline."""

from __future__ import annotations

import functools
import hmac
from datetime import UTC

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.models import AuditEvent
from motcua.directory.models import Agency
from motcua.dossiers import rules
from motcua.dossiers.models import Dossier, Status

PAGE_SIZE = 25

# Audit actions shown on the public timeline, with the words a citizen reads. Nothing personal is shown.
PUBLIC_STEPS = {
    "dossiers.dossier.submitted": _("Nộp hồ sơ trực tuyến"),
    "dossiers.dossier.received": _("Tiếp nhận hồ sơ tại bộ phận một cửa"),
    "dossiers.dossier.accepted": _("Hồ sơ được tiếp nhận"),
    "dossiers.dossier.refused": _("Từ chối tiếp nhận hồ sơ"),
    "dossiers.dossier.supplement_requested": _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "dossiers.dossier.supplemented": _("Đã bổ sung hồ sơ"),
    "dossiers.dossier.forwarded": _("Chuyển xử lý"),
    "dossiers.dossier.payment_requested": _("Đề nghị thực hiện nghĩa vụ tài chính"),
    "dossiers.dossier.paid": _("Đã thực hiện nghĩa vụ tài chính"),
    "dossiers.dossier.stopped": _("Tạm dừng giải quyết"),
    "dossiers.dossier.resumed": _("Tiếp tục giải quyết"),
    "dossiers.dossier.withdrawn": _("Rút hồ sơ"),
    "dossiers.dossier.apologized": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "dossiers.dossier.approved": _("Đã có kết quả giải quyết"),
    "dossiers.dossier.returned_unresolved": _("Trả lại hồ sơ, không giải quyết"),
    "dossiers.dossier.result_returned": _("Đã trả kết quả"),
}


# Public tracking runs on every anonymous look-up (target: 300 a second on two cores, issue 5), so its two queries
# are written out once instead of being compiled by the ORM on each call, which cost more than running them. They
# load only what the tracking page and API show; any other field is fetched on first use (slower, never wrong).
TRACKING_FIELDS = (  # in the model's order, as Model.from_db wants them
    "id", "code", "reference", "access_code", "status", "procedure_version_id", "agency_id", "receiving_agency_id",
    "channel", "applicant_phone", "created_at", "submitted_at", "accepted_at", "due_at", "refused_at",
    "finished_at", "returned_at", "supplement_requested_at",
)  # fmt: skip


@functools.cache
def _tracking_sql() -> tuple[str, str]:
    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    columns = ", ".join(f"d.{Dossier._meta.get_field(name).column}" for name in TRACKING_FIELDS)
    steps = ", ".join(["%s"] * len(PUBLIC_STEPS))
    # Names by scalar subqueries, not joins: PostgreSQL plans them in half the time, and planning was most of it.
    dossier = (
        f"SELECT {columns}, (SELECT name FROM {table(ProcedureVersion)} WHERE id = d.procedure_version_id), "
        f"(SELECT name FROM {table(Agency)} WHERE id = d.agency_id), "
        f"(SELECT name FROM {table(Agency)} WHERE id = d.receiving_agency_id) "
        f"FROM {table(Dossier)} d WHERE (d.code = %s OR d.reference = %s) AND d.status <> %s LIMIT 1"
    )
    timeline = (
        f"SELECT at, action FROM {table(AuditEvent)} WHERE object_type = %s AND object_id = %s "
        f"AND action IN ({steps}) ORDER BY at, id"
    )
    return dossier, timeline


def _instant(value):
    """PostgreSQL gives aware datetimes; SQLite naive ones (or text) in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _row(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dossier_from_row(row: tuple) -> Dossier:
    n = len(TRACKING_FIELDS)
    values = [
        _instant(v) if name.endswith("_at") else v for name, v in zip(TRACKING_FIELDS, row[:n], strict=True)
    ]
    dossier = Dossier.from_db(DEFAULT_DB_ALIAS, TRACKING_FIELDS, values)
    procedure, agency, receiving = row[n:]
    dossier.procedure_version = ProcedureVersion.from_db(
        DEFAULT_DB_ALIAS, ["id", "name"], [dossier.procedure_version_id, procedure]
    )
    dossier.agency = Agency.from_db(DEFAULT_DB_ALIAS, ["id", "name"], [dossier.agency_id, agency])
    dossier.receiving_agency = Agency.from_db(
        DEFAULT_DB_ALIAS, ["id", "name"], [dossier.receiving_agency_id, receiving]
    )
    return dossier


def _base() -> QuerySet:
    return Dossier.objects.select_related("procedure_version", "agency", "receiving_agency", "case")


def desk_inbox(user, *, status: str = Status.SUBMITTED, after_id: int | None = None) -> list[Dossier]:
    """Dossiers waiting at the user's desks, oldest first, keyset-paged by id (PAGE_SIZE + 1 to know if more)."""
    desk = rules.desk_agency_ids(user)
    if not desk:
        return []
    query = _base().filter(Q(receiving_agency_id__in=desk) | Q(agency_id__in=desk), status=status)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(query.order_by("id")[: PAGE_SIZE + 1])


def staff_dossiers(user, *, q: str = "", status: str = "", before_id: int | None = None) -> list[Dossier]:
    """Every dossier the staff member may see, newest first, keyset-paged; `q` finds a code, reference or CCCD."""
    query = _base().filter(rules.staff_visible_q(user))
    if status:
        query = query.filter(status=status)
    q = (q or "").strip()[:60]
    if q:
        query = query.filter(Q(code=q) | Q(reference=q.upper()) | Q(applicant_id_number=q))
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(query.order_by("-id")[: PAGE_SIZE + 1])


def applicant_dossiers(user, *, before_id: int | None = None) -> list[Dossier]:
    """Hồ sơ của tôi: the user's own dossiers and, for a community-team member, the ones they helped with."""
    query = _base().filter(Q(owner=user) | Q(assisted_by=user))
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(query.order_by("-id")[: PAGE_SIZE + 1])


def tracking_find(*, code: str, phone_last4: str = "", access_code: str = "") -> Dossier | None:
    """The dossier whose code (or submission reference) is given, if the second factor matches; else None.

    The same answer (None) for an unknown code and a wrong factor, so codes cannot be probed.
    """
    code = (code or "").strip().upper()[:60]
    if not code:
        return None
    rows = _row(_tracking_sql()[0], [code, code, Status.DRAFT])
    if not rows:
        return None
    dossier = _dossier_from_row(rows[0])
    phone_last4 = (phone_last4 or "").strip()
    access_code = (access_code or "").strip().upper()
    if len(phone_last4) == 4 and hmac.compare_digest(phone_last4, dossier.applicant_phone[-4:]):
        return dossier
    if access_code and hmac.compare_digest(access_code, dossier.access_code):
        return dossier
    return None


def public_timeline(dossier: Dossier) -> list[tuple]:
    """(instant, Vietnamese label) of each public step, oldest first, from the audit log."""
    events = _row(_tracking_sql()[1], ["dossiers.dossier", str(dossier.pk), *PUBLIC_STEPS])
    return [(_instant(at), PUBLIC_STEPS[action]) for at, action in events]
