"""The deadline job (issue 6 piece 6): tell the people holding a step or a dossier when it is about to be late, and
when it is late — once each.

    counts = deadlines_notify()           # run by `motcua run_scheduled_jobs` every 10 minutes
    # {"steps_late": 2, "steps_due_soon": 5, "dossiers_late": 1, "dossiers_due_soon": 3, "messages": 17}

* Open steps (`ended_at` empty) of dossiers being processed, and open dossiers (accepted, processing: a paused
  dossier's clock does not run), whose deadline is at most `DUE_SOON_WORKING_HOURS` working hours away ("sắp đến
  hạn") or already past ("quá hạn").
* Who is told, by e-mail: the step's assignee — or, while nobody is assigned, everyone holding the step's role in
  its agency (and department) — and the leaders: the department's leaders and the agency's leaders. For a dossier,
  the same people for its current step, and the leaders of the resolving agency.
* Exactly once per step or dossier and kind: the row is claimed with a conditional UPDATE … RETURNING (the
  `due_soon_notified_at` / `late_notified_at` stamp is set only where it is still empty), so two workers running at
  the same time never both send. The claim, the messages and the audit event of a batch share one transaction.
* Batches of `BATCH` rows found through the partial indexes of open steps and open dossiers; recipients are read
  for a whole batch in one query.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from motcua.core.audit import SYSTEM, audit_event_record
from motcua.directory.models import Role, StaffAssignment
from motcua.dossiers.models import Dossier, DossierStep, Status

BATCH = 500
OPEN_STATES = (Status.ACCEPTED, Status.PROCESSING)
LATE, DUE_SOON = "late", "due_soon"
STAMP = {LATE: "late_notified_at", DUE_SOON: "due_soon_notified_at"}

# (kind, what) → (subject, first paragraph); what is "step" or "dossier"
TEXTS = {
    (DUE_SOON, "step"): (
        gettext_noop("Hồ sơ %(code)s: bước “%(step)s” sắp đến hạn (%(due)s)"),
        gettext_noop("Bước “%(step)s” của hồ sơ %(code)s tại %(agency)s sắp đến hạn xử lý: %(due)s."),
    ),
    (LATE, "step"): (
        gettext_noop("Hồ sơ %(code)s: bước “%(step)s” đã quá hạn"),
        gettext_noop("Bước “%(step)s” của hồ sơ %(code)s tại %(agency)s đã quá hạn xử lý từ %(due)s."),
    ),
    (DUE_SOON, "dossier"): (
        gettext_noop("Hồ sơ %(code)s sắp đến hạn trả kết quả (%(due)s)"),
        gettext_noop(
            "Hồ sơ %(code)s sắp đến hạn trả kết quả: %(due)s. Hồ sơ đang ở bước “%(step)s” tại %(agency)s."
        ),
    ),
    (LATE, "dossier"): (
        gettext_noop("Hồ sơ %(code)s đã quá hạn trả kết quả"),
        gettext_noop(
            "Hồ sơ %(code)s đã quá hạn trả kết quả từ %(due)s. Hồ sơ đang ở bước “%(step)s” tại %(agency)s. "
            "Nếu chưa lập, cần lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) gửi công dân."
        ),
    ),
}


def deadlines_notify(now: datetime | None = None) -> dict[str, int]:
    """Send the due-soon and late messages not sent yet. Returns how many steps, dossiers and messages."""
    from motcua.worktime.clock import due_instant
    from motcua.worktime.services import calendar_for_province

    now = now or timezone.now()
    calendar = calendar_for_province(settings.PROVINCE_CODE)
    threshold = due_instant(calendar=calendar, start=now, working_hours=settings.DUE_SOON_WORKING_HOURS)
    counts = {"steps_late": 0, "steps_due_soon": 0, "dossiers_late": 0, "dossiers_due_soon": 0, "messages": 0}
    windows = {LATE: Q(due_at__lt=now), DUE_SOON: Q(due_at__gte=now, due_at__lte=threshold)}
    for kind in (LATE, DUE_SOON):
        steps = DossierStep.objects.filter(
            windows[kind],
            ended_at__isnull=True,
            dossier__status__in=OPEN_STATES,
            **{f"{STAMP[kind]}__isnull": True},
        )
        dossiers = Dossier.objects.filter(
            windows[kind], status__in=OPEN_STATES, **{f"{STAMP[kind]}__isnull": True}
        )
        for what, queryset, handler in (
            ("steps", steps, _steps_batch),
            ("dossiers", dossiers, _dossiers_batch),
        ):
            done, messages = _run(queryset, kind=kind, now=now, handler=handler)
            counts[f"{what}_{kind}"] += done
            counts["messages"] += messages
    return counts


def _run(queryset, *, kind: str, now: datetime, handler) -> tuple[int, int]:
    """Claim and notify batch after batch until no row is left to notify."""
    done = messages = 0
    while True:
        ids = list(queryset.order_by("due_at", "pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done, messages
        with transaction.atomic():
            claimed = _claim(queryset.model, STAMP[kind], ids, now)
            sent = handler(claimed, kind=kind) if claimed else 0
            if claimed:
                audit_event_record(
                    action="dossiers.deadline.notified",
                    actor=SYSTEM,
                    data={
                        "kind": kind,
                        "model": queryset.model._meta.model_name,
                        "ids": claimed,
                        "messages": sent,
                    },
                )
        done, messages = done + len(claimed), messages + sent


def _claim(model, field: str, ids: list[int], now: datetime) -> list[int]:
    """Stamp the rows whose stamp is still empty, and return exactly those (another worker gets the others)."""
    ops = connection.ops
    table, column = ops.quote_name(model._meta.db_table), ops.quote_name(model._meta.get_field(field).column)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"UPDATE {table} SET {column} = %s WHERE id IN ({marks}) AND {column} IS NULL RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datetimefield_value(now), *ids])
        return sorted(row[0] for row in cursor.fetchall())


# --- who is told ------------------------------------------------------------------------------------------------


class _Holders:
    """The active staff assignments of some agencies, indexed by (agency, role) and (agency, role, department)."""

    def __init__(self, agency_ids: set[int]) -> None:
        self.by_key: dict[tuple, list] = defaultdict(list)
        assignments = StaffAssignment.objects.filter(
            agency_id__in=agency_ids, active=True, user__is_active=True
        ).select_related("user")
        for a in assignments.order_by("user__full_name", "user_id"):
            self.by_key[(a.agency_id, a.role)].append(a.user)
            self.by_key[(a.agency_id, a.role, a.department_id)].append(a.user)

    def get(self, agency_id: int, role: str, department_id: int | None = None) -> list:
        if department_id is None:
            return self.by_key[(agency_id, role)]
        return self.by_key[(agency_id, role, department_id)]


def _people_of_step(step: DossierStep, holders: _Holders, *, leaders_of: int | None = None) -> list:
    """The assignee (or the role holders while unassigned), the department's and the agency's leaders."""
    people = (
        [step.assignee]
        if step.assignee_id
        else list(holders.get(step.agency_id, step.role, step.department_id))
    )
    if step.department_id:
        people += holders.get(step.agency_id, Role.DEPARTMENT_LEADER, step.department_id)
    people += holders.get(step.agency_id, Role.AGENCY_LEADER)
    if leaders_of is not None and leaders_of != step.agency_id:
        people += holders.get(leaders_of, Role.AGENCY_LEADER)
    unique = {}
    for person in people:
        if person.is_active and person.email:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def _steps_batch(ids: list[int], *, kind: str) -> int:
    steps = list(
        DossierStep.objects.filter(pk__in=ids)
        .select_related("dossier__procedure_version", "agency", "assignee")
        .order_by("pk")
    )
    holders = _Holders({s.agency_id for s in steps})
    return sum(
        _send(step.dossier, step, _people_of_step(step, holders), kind=kind, what="step") for step in steps
    )


def _dossiers_batch(ids: list[int], *, kind: str) -> int:
    dossiers = list(
        Dossier.objects.filter(pk__in=ids)
        .select_related("procedure_version", "current_step__agency", "current_step__assignee")
        .order_by("pk")
    )
    agencies = {d.agency_id for d in dossiers} | {
        d.current_step.agency_id for d in dossiers if d.current_step_id
    }
    holders = _Holders(agencies)
    sent = 0
    for dossier in dossiers:
        step = dossier.current_step
        if step is not None:
            people = _people_of_step(step, holders, leaders_of=dossier.agency_id)
        else:
            people = [u for u in holders.get(dossier.agency_id, Role.AGENCY_LEADER) if u.email]
        sent += _send(dossier, step, people, kind=kind, what="dossier")
    return sent


# --- the message ------------------------------------------------------------------------------------------------


def _send(dossier: Dossier, step: DossierStep | None, people: list, *, kind: str, what: str) -> int:
    from motcua.notifications.services import notification_enqueue

    def when(value) -> str:
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""

    with override(settings.LANGUAGE_CODE):
        facts = {
            "code": dossier.display_code,
            "step": step.name if step else "—",
            "agency": step.agency.name if step else "—",
            "due": when(step.due_at if what == "step" else dossier.due_at),
        }
        subject_text, first = TEXTS[(kind, what)]
        subject, paragraph = _(subject_text) % facts, _(first) % facts
        assignee = str(step.assignee) if step is not None and step.assignee_id else _("chưa phân công")
        details = _(
            "Thủ tục: %(procedure)s\nNgười xử lý: %(assignee)s\nHạn trả kết quả của hồ sơ: %(dossier_due)s\n\n"
            "Xem hồ sơ: %(url)s\n"
        ) % {
            "procedure": dossier.procedure_version.name,
            "assignee": assignee,
            "dossier_due": when(dossier.due_at),
            "url": f"{settings.SITE_URL}/can-bo/ho-so/{dossier.public_id}/",
        }
        for person in people:
            greeting = _("Kính gửi %(name)s,") % {"name": person.full_name or person.get_username()}
            notification_enqueue(
                event=f"dossiers.{what}.{kind}",
                channel="email",
                recipient=person.email,
                subject=subject,
                body=f"{greeting}\n\n{paragraph}\n\n{details}",
                obj=dossier,
                actor=SYSTEM,
                user=person,
            )
    return len(people)
