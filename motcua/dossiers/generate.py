"""Sample dossiers in bulk, for benchmarks and for trying the back office with a province's real volume.

    report = dossiers_generate(count=1_000_000, progress=lambda done, total, note: ...)
    # or: motcua generate_dossiers --dossiers 1000000   (--force when DEBUG=false)

What is generated is realistic and consistent with what the services would have written:

* dossiers spread over the last `years` years on the province's working days, each for a procedure case of the
  loaded catalog (weighted by the procedure's popularity), handled by one of the version's agencies (a commune
  procedure by the applicant's commune) and received by that agency's public-service centre;
* states by age: old dossiers are mostly returned (a few finished and never collected), recent ones accepted or
  processing, the last two days' online ones partly still submitted; some refused, some waiting for a supplement
  (at reception, or after acceptance with an open clock pause);
* codes `{agency code}-{yyMMdd}-{NNNN}` numbered per agency per day in acceptance order, continuing the
  DossierCodeCounter rows, which are updated to the last number given; due dates from the working calendar;
* applicants drawn from a pool of people with Vietnamese names, valid 12-digit CCCD numbers (birth-registration
  province, century and sex digit, birth year agreeing with the date of birth), mobile numbers 0xxxxxxxxx and an
  address in one of the province's communes; online dossiers belong to the person's citizen account (created here,
  with an unusable password, username = the CCCD);
* the audit events the services write (drafted, submitted, received, accepted, refused, supplement_requested), so
  the public timeline and the control sheet read as for real dossiers. Acceptance is by a desk officer of the
  receiving agency (one is created for a centre that has none).

Not generated: files (DossierDocument rows) and notifications. On PostgreSQL rows go in with COPY (psycopg 3),
one transaction per batch of 20,000, and from 100,000 dossiers the foreign keys and non-unique indexes of the
dossier, audit and user tables are dropped for the load and rebuilt after it (a million in about 5 minutes on two
cores); on SQLite with bulk_create (20,000 in about 30 s). Run it on a test or demonstration database, while nobody
accepts dossiers: it reserves an id range and continues today's code counters, but does not lock out the app.
"""

from __future__ import annotations

import json
import random
import time as clock
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, ProcedureCase
from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.directory.models import AdministrativeUnit, Agency, Role, StaffAssignment, User
from motcua.directory.services import staff_assign
from motcua.dossiers.errors import DossierError
from motcua.dossiers.generate_people import Person, people_make, person_name
from motcua.dossiers.intake import CODE_ALPHABET, receiving_agency_for
from motcua.dossiers.models import Channel, Delivery, Dossier, DossierCodeCounter, DossierPause, Status
from motcua.worktime.clock import TZ, SupplementMode, due_instant
from motcua.worktime.services import calendar_for_province

REFUSAL_REASONS = (
    "Thủ tục này không thuộc thẩm quyền giải quyết của cơ quan đã chọn.",
    "Thông tin trên tờ khai không khớp với giấy tờ tùy thân đã nộp.",
    "Người yêu cầu không đủ điều kiện theo quy định của thủ tục.",
)
SUPPLEMENT_REQUESTS = (
    (["Bản chụp giấy tờ tùy thân rõ nét, đủ hai mặt"], "Ảnh giấy tờ tùy thân bị mờ, không đọc được số CCCD."),
    (["Tờ khai có chữ ký của người yêu cầu"], "Tờ khai chưa có chữ ký."),
    (["Giấy ủy quyền có chứng thực"], "Người nộp thay chưa có giấy ủy quyền hợp lệ."),
)
INSTANTS = (
    "created_at", "submitted_at", "accepted_at", "refused_at", "finished_at", "returned_at", "supplement_requested_at"
)  # fmt: skip
_PAIRS = [a + b for a in CODE_ALPHABET for b in CODE_ALPHABET]  # 1,024 = 10 bits
OFFICE_OPEN, OFFICE_CLOSE = time(7, 30), time(17, 0)
PERSONS_PER_DOSSIER = 0.3  # about three dossiers per person over the period
BATCH = 20_000


@dataclass
class GenerateReport:
    dossiers: int = 0
    events: int = 0
    citizens: int = 0
    officers_created: int = 0
    pauses: int = 0
    counters: int = 0
    by_status: Counter = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Agency:
    id: int
    code: str
    commune_id: int | None
    receiving_id: int
    officer: tuple[int, str]  # (user id, full name) of a desk officer of the receiving agency


@dataclass(frozen=True)
class _Case:
    id: int
    version_id: int
    procedure_id: int
    summary: str
    online: bool
    postal: bool
    delivery: tuple[str, ...]
    form_fields: tuple[dict, ...]
    due_kwargs: dict
    due_kwargs_online: dict
    cutoff: time | None
    supplement_mode: SupplementMode
    agencies: tuple[_Agency, ...]
    by_commune: dict[int, _Agency]


def _due_kwargs(unit: str, amount) -> dict:
    """The keyword for due_instant, as motcua.dossiers.services.dossier_due chooses it."""
    if unit == "working_days" and amount == int(amount):
        return {"working_days": int(amount)}
    if unit == "working_days":
        return {"working_hours": float(amount * 8)}
    if unit == "working_hours":
        return {"working_hours": int(amount) if amount == int(amount) else float(amount)}
    return {"calendar_days": int(amount)}


# --- what the database already holds ------------------------------------------------------------------------


def _desk_officers(
    receiving: dict[int, Agency], rng: random.Random, report: GenerateReport
) -> dict[int, tuple]:
    """A desk officer per receiving agency: an existing one, else a new account (unusable password)."""
    officers: dict[int, tuple[int, str]] = {}
    for assignment in (
        StaffAssignment.objects.filter(agency_id__in=list(receiving), role=Role.DESK_OFFICER, active=True)
        .select_related("user")
        .order_by("id")
    ):
        officers.setdefault(assignment.agency_id, (assignment.user_id, assignment.user.full_name))
    for agency_id, agency in receiving.items():
        if agency_id in officers:
            continue
        sex = rng.choice(("male", "female"))
        user, created = User.objects.get_or_create(
            username=f"tiepnhan.{agency.code}",
            defaults={"full_name": person_name(rng, sex), "kind": User.Kind.STAFF, "email": ""},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            report.officers_created += 1
        staff_assign(actor=SYSTEM, user=user, agency=agency, role=Role.DESK_OFFICER)
        officers[agency_id] = (user.pk, user.full_name)
    return officers


def _cases(rng: random.Random, report: GenerateReport) -> tuple[list[_Case], list[float]]:
    """The current cases of the active procedures with agencies, and their cumulative popularity weights."""
    rows = list(
        ProcedureCase.objects.filter(
            version__procedure__active=True, version__procedure__current_version=F("version")
        )
        .select_related("version__procedure")
        .prefetch_related("version__agencies")
        .order_by("id")
    )
    agencies_of = {
        case.pk: [a for a in case.version.agencies.all() if a.valid_to is None and a.merged_into_id is None]
        for case in rows
    }
    resolving = {a.pk: a for agencies in agencies_of.values() for a in agencies}
    receiving_of = {pk: receiving_agency_for(agency) for pk, agency in resolving.items()}
    officers = _desk_officers({a.pk: a for a in receiving_of.values()}, rng, report)
    cases, weights = [], []
    for case in rows:
        version = case.version
        agencies = tuple(
            _Agency(a.pk, a.code, a.commune_id, receiving_of[a.pk].pk, officers[receiving_of[a.pk].pk])
            for a in agencies_of[case.pk]
        )
        if not agencies:
            continue
        online_amount = case.online_duration or case.duration
        cases.append(
            _Case(
                id=case.pk,
                version_id=version.pk,
                procedure_id=version.procedure_id,
                summary=version.name[:500],
                online=version.online_level != OnlineLevel.NONE,
                postal=version.postal_submission,
                delivery=tuple(m for m in version.delivery_methods if m in Delivery.values)
                or (Delivery.DESK,),
                form_fields=tuple(version.form_fields or ()),
                due_kwargs=_due_kwargs(case.unit, case.duration),
                due_kwargs_online=_due_kwargs(case.unit, online_amount),
                cutoff=case.cutoff,
                supplement_mode=(
                    SupplementMode.RESTART
                    if case.supplement_mode == "restart"
                    else SupplementMode.PAUSE_AND_EXTEND
                ),
                agencies=agencies,
                by_commune={a.commune_id: a for a in agencies if a.commune_id},
            )
        )
        weights.append((version.procedure.popularity or 0) + 1)
    if not cases:
        raise DossierError(
            "Danh mục chưa có thủ tục nào đang áp dụng có cơ quan giải quyết: hãy nạp danh mục thủ tục trước. "
            "(Load a catalog first.)",
            code="no_catalog",
        )
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cases, cumulative


def _people(rng: random.Random, count: int, communes: list[AdministrativeUnit], today: date) -> list[Person]:
    """`count` new people; each gets a reserved user id, used for the account made when they first submit online."""
    taken = set(User.objects.filter(cccd__isnull=False).values_list("cccd", flat=True))
    taken |= set(User.objects.values_list("username", flat=True))
    people = people_make(rng, count=count, communes=[c.pk for c in communes], today=today, taken=taken)
    first = _reserve_ids(User, count)
    for offset, person in enumerate(people):
        person.user_id = first + offset
    return people


# --- writing rows --------------------------------------------------------------------------------------------


@contextmanager
def _explicit_instants(*models):
    """bulk_create would overwrite auto_now / auto_now_add instants with the present; keep the generated ones."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Writer:
    """Rows of one model as dicts of attnames → values; COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, *, with_id: bool):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.rows: list[dict] = []

    def add(self, values: dict) -> None:
        self.rows.append(values)

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        if connection.vendor == "postgresql":
            self._copy(rows)
        else:
            objects = [self.model(**{**self.defaults, **row}) for row in rows]
            with _explicit_instants(self.model):
                self.model.objects.bulk_create(objects, batch_size=500)
        return len(rows)

    def _copy(self, rows: list[dict]) -> None:
        from psycopg.copy import QueuedLibpqWriter

        table = self.model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        values_of = itemgetter(*(f.attname for f in self.fields))
        json_at = [i for i, f in enumerate(self.fields) if f.attname in self.json]
        defaults = self.defaults
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped",
                [table],
            )
            types = dict(cursor.fetchall())
            raw = cursor.cursor
            # The rows are sent by a writer thread while the next ones are formatted.
            sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                copy.set_types([types[f.column] for f in self.fields])
                for row in rows:
                    values = list(values_of({**defaults, **row}))
                    for i in json_at:
                        values[i] = _json(values[i])
                    copy.write_row(values)


def _code8(rng: random.Random) -> str:
    """8 characters of the reading-aloud alphabet (as intake._random_code), 40 random bits."""
    n = rng.getrandbits(40)
    return _PAIRS[n >> 30] + _PAIRS[(n >> 20) & 1023] + _PAIRS[(n >> 10) & 1023] + _PAIRS[n & 1023]


def _json(value: Any) -> str:
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def _reserve_ids(model, count: int) -> int:
    """The first of `count` consecutive ids nobody else will be given."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(nextval(pg_get_serial_sequence(%s, 'id')),"
                f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table})) + %s - 1)",
                [table, table, count],
            )
            return cursor.fetchone()[0] - count + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


# --- the generator -------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, *, count: int, years: int, seed: int, now: datetime, report: GenerateReport):
        self.rng = random.Random(seed)
        self.count, self.now, self.report = count, now, report
        self.today = timezone.localtime(now).date()
        self.first_day = self.today - timedelta(days=round(365.25 * years))
        self.calendar = calendar_for_province(settings.PROVINCE_CODE)
        self.cases, self.case_weights = _cases(self.rng, report)
        communes = list(
            AdministrativeUnit.objects.filter(
                level="commune", province__code=settings.PROVINCE_CODE
            ).order_by("code")
        )
        if not communes:
            raise DossierError(
                "Chưa có xã, phường của tỉnh: hãy nạp đơn vị hành chính trước. (Load the administrative units.)",
                code="no_communes",
            )
        self.people = _people(self.rng, max(10, int(count * PERSONS_PER_DOSSIER)), communes, self.today)
        self.counters = {
            (agency_id, day): last
            for agency_id, day, last in DossierCodeCounter.objects.filter(
                day__gte=self.first_day
            ).values_list("agency_id", "day", "last")
        }
        self.references = set(
            Dossier.objects.filter(reference__startswith="HS").values_list("reference", flat=True)
        )
        self.unique = random.Random()  # identifiers differ from run to run even with the same seed
        self.dossiers = _Writer(Dossier, with_id=True)
        self.events = _Writer(AuditEvent, with_id=False)
        self.pauses: list[DossierPause] = []
        self.new_accounts: list[Person] = []

    # Instants: the desk acts (acceptance, refusal, walk-in reception) on working days in office hours, in order.
    def instants(self) -> Iterator[datetime]:
        days, day = [], self.first_day
        while day <= self.today:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        per_day = Counter(self.rng.randrange(len(days)) for _ in range(self.count))
        open_s = OFFICE_OPEN.hour * 3600 + OFFICE_OPEN.minute * 60
        close_s = OFFICE_CLOSE.hour * 3600
        for index, day in enumerate(days):
            midnight = datetime.combine(day, time(), tzinfo=TZ)
            end_s = close_s
            if day == self.today:
                end_s = min(close_s, int((timezone.localtime(self.now) - midnight).total_seconds()) - 60)
            if end_s <= open_s:
                end_s = open_s + 1  # today before opening: the few are placed at opening time
            offsets = sorted(self.rng.uniform(open_s, end_s) for _ in range(per_day[index]))
            for offset in offsets:
                yield min(midnight + timedelta(seconds=offset), self.now - timedelta(minutes=1))

    def reference(self, at: datetime) -> str:
        while True:
            value = f"HS{at.year % 100:02d}{at.month:02d}{_code8(self.unique)}"  # `at` is in Asia/Ho_Chi_Minh
            if value not in self.references:
                self.references.add(value)
                return value

    def code(self, agency: _Agency, at: datetime) -> str:
        day = at.date()  # `at` is in Asia/Ho_Chi_Minh
        key = (agency.id, day)
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        return f"{agency.code}-{day.year % 100:02d}{day.month:02d}{day.day:02d}-{number:04d}"

    def extra(self, case: _Case) -> dict:
        rng, out = self.rng, {}
        for spec in case.form_fields:
            kind = spec.get("type", "text")
            if kind == "choice" and spec.get("choices"):
                out[spec["key"]] = rng.choice(spec["choices"])
            elif kind == "number":
                out[spec["key"]] = str(rng.randint(1, 5))
            elif kind == "date":
                out[spec["key"]] = f"{self.first_day + timedelta(days=rng.randrange(300)):%d/%m/%Y}"
            else:
                out[spec["key"]] = person_name(rng, "female" if rng.random() < 0.5 else "male")
        return out

    def event(self, dossier_id: int, repr_: str, action: str, at: datetime, actor: tuple, data: dict) -> None:
        self.events.add(
            {
                "at": at,
                "action": f"dossiers.dossier.{action}",
                "actor_type": AuditEvent.ActorType.USER,
                "actor_id": actor[0],
                "actor_label": actor[1][:200],
                "object_type": "dossiers.dossier",
                "object_id": str(dossier_id),
                "object_repr": repr_,
                "data": data,
                "ip": None,
                "request_id": "",
            }
        )

    def pick(self) -> tuple[_Case, _Agency, Person]:
        rng = self.rng
        case = self.cases[bisect_right(self.case_weights, rng.random() * self.case_weights[-1])]
        person = self.people[rng.randrange(len(self.people))]
        agency = case.by_commune.get(person.commune_id)
        if agency is None:
            agency = case.agencies[rng.randrange(len(case.agencies))]
        return case, agency, person

    def dossier(self, dossier_id: int, at: datetime) -> None:
        """One dossier whose desk act (acceptance, refusal, reception; or its submission if still new) is `at`."""
        rng = self.rng
        case, agency, person = self.pick()
        online = case.online and rng.random() < 0.75
        channel = (
            Channel.ONLINE
            if online
            else (Channel.POST if case.postal and rng.random() < 0.1 else Channel.DESK)
        )
        owner = None
        if online:
            owner = person.user_id
            if not person.account:  # the account is created with the batch
                person.account = True
                self.new_accounts.append(person)
        delivery = rng.choice(case.delivery)
        row: dict[str, Any] = {
            "id": dossier_id,
            "public_id": UUID(int=self.unique.getrandbits(128), version=4),
            "access_code": _code8(rng),
            "procedure_id": case.procedure_id,
            "procedure_version_id": case.version_id,
            "case_id": case.id,
            "agency_id": agency.id,
            "receiving_agency_id": agency.receiving_id,
            "channel": channel,
            "summary": case.summary,
            "owner_id": owner,
            "applicant_name": person.name,
            "applicant_id_type": "cccd",
            "applicant_id_number": person.cccd,
            "applicant_birth_date": person.birth_date,
            "applicant_phone": person.phone,
            "applicant_email": person.email,
            "applicant_commune_id": person.commune_id,
            "applicant_address": person.address,
            "extra_data": self.extra(case) if case.form_fields else {},
            "delivery": delivery,
            "delivery_address": person.address if delivery == Delivery.POST else "",
            "notify_channels": ["email", "sms"] if person.email else ["sms"],
        }
        if online:
            self.online(row, case, agency, person, at)
        else:
            row["submitted_at"] = row["created_at"] = at
            row["reference"] = self.reference(at)
            self.accept(row, case, agency, at, action="received", revision=0)
        self.report.by_status[row["status"]] += 1
        row["updated_at"] = max(filter(None, map(row.get, INSTANTS)))
        self.dossiers.add(row)

    def online(self, row: dict, case: _Case, agency: _Agency, person: Person, at: datetime) -> None:
        rng = self.rng
        recent = (self.now - at).days < 2
        pending = recent and rng.random() < 0.3
        delay = timedelta(hours=rng.uniform(0.3, 8) if rng.random() < 0.7 else rng.uniform(8, 60))
        submitted = at if pending else at - delay
        created = submitted - timedelta(minutes=rng.uniform(2, 40))
        row.update(submitted_at=submitted, created_at=created, reference=self.reference(created))
        citizen = (row["owner_id"], person.name)
        dossier_id, reference = row["id"], row["reference"]
        self.event(dossier_id, reference, "drafted", created, citizen, {"case": case.id, "assisted_by": None})
        self.event(
            dossier_id, reference, "submitted", submitted, citizen,
            {"from": "draft", "to": "submitted", "revision": 1, "channel": "online", "assisted": False},
        )  # fmt: skip
        row["status"], row["revision"] = Status.SUBMITTED, 1
        if pending:
            return
        officer = agency.officer
        r = rng.random()
        if r < 0.035:
            reason = rng.choice(REFUSAL_REASONS)
            row.update(status=Status.REFUSED, revision=2, refused_at=at, refusal_reason=reason)
            row["received_by_id"] = officer[0]
            self.event(
                dossier_id, reference, "refused", at, officer,
                {"from": "submitted", "to": "refused", "revision": 2, "reason": reason},
            )  # fmt: skip
        elif r < 0.045 and (self.now - at).days < 30:
            self.supplement(row, at, officer, before=Status.SUBMITTED)
        else:
            self.accept(row, case, agency, at, action="accepted", revision=1)

    def accept(
        self, row: dict, case: _Case, agency: _Agency, at: datetime, *, action: str, revision: int
    ) -> None:
        rng, now, officer = self.rng, self.now, agency.officer
        online = row["channel"] == Channel.ONLINE
        due = due_instant(
            calendar=self.calendar, start=at, cutoff=case.cutoff, supplement_mode=case.supplement_mode,
            **(case.due_kwargs_online if online else case.due_kwargs),
        )  # fmt: skip
        code = self.code(agency, at)
        row.update(code=code, accepted_at=at, due_at=due, original_due_at=due, received_by_id=officer[0])
        before = Status.SUBMITTED if online else Status.DRAFT
        data = {"from": before, "to": "accepted", "revision": revision + 1}
        data.update({"note": ""} if online else {"channel": row["channel"]})
        self.event(row["id"], code, action, at, officer, data)
        row["status"], row["revision"] = Status.ACCEPTED, revision + 1
        span = due - at
        if rng.random() < 0.93:
            finished = at + span * rng.uniform(0.25, 0.95)
        else:
            finished = due + timedelta(hours=rng.uniform(2, 120))
        electronic = row["delivery"] == Delivery.ELECTRONIC
        returned = finished + (timedelta(minutes=5) if electronic else timedelta(hours=rng.uniform(1, 72)))
        if finished > now:
            if now - at > timedelta(hours=3):
                row["status"], row["revision"] = Status.PROCESSING, row["revision"] + 1
                if (now - at).days < 30 and rng.random() < 0.04:
                    self.supplement(
                        row, at + (now - at) * rng.uniform(0.2, 0.9), officer, before=Status.PROCESSING
                    )
            return
        # The outcome the finishing officer records (1 in 50 returned unresolved, by id: the same rule as
        # motcua.metrics.generate, which fills it in SQL for rows generated before this was written here).
        outcome = "unresolved" if row["id"] % 50 == 0 else "granted"
        row.update(
            status=Status.FINISHED, finished_at=finished, outcome=outcome, revision=row["revision"] + 2
        )
        if returned <= now and rng.random() < 0.98:
            row.update(
                status=Status.RETURNED, returned_at=returned, return_method=row["delivery"],
                revision=row["revision"] + 1,
            )  # fmt: skip

    def supplement(self, row: dict, at: datetime, officer: tuple, *, before: str) -> None:
        items, reason = self.rng.choice(SUPPLEMENT_REQUESTS)
        revision = row["revision"] + 1
        row.update(
            status=Status.SUPPLEMENT, revision=revision, supplement_items=items, supplement_reason=reason,
            supplement_requested_at=at, supplement_from=before, received_by_id=officer[0],
        )  # fmt: skip
        data = {"from": before, "to": "supplement", "revision": revision, "items": items, "reason": reason}
        self.event(row["id"], row.get("code") or row["reference"], "supplement_requested", at, officer, data)
        if before != Status.SUBMITTED:
            self.pauses.append(
                DossierPause(
                    dossier_id=row["id"], kind=DossierPause.Kind.SUPPLEMENT, started_at=at, reason=reason
                )
            )


def _accounts_write(people: list[Person], joined: datetime) -> int:
    """The citizen accounts (reserved ids) of the people who first submitted online in this batch."""
    writer = _Writer(User, with_id=True)
    for person in people:
        writer.add(
            {
                "id": person.user_id,
                "password": "!generated" + person.cccd,  # unusable: these people log in through VNeID
                "username": person.cccd,
                "email": person.email,
                "is_active": True,
                "date_joined": joined,
                "full_name": person.name,
                "kind": User.Kind.CITIZEN,
                "cccd": person.cccd,
                "tax_code": None,
                "phone": person.phone,
                "birth_date": person.birth_date,
                "commune_id": person.commune_id,
                "address": person.address,
            }
        )
    return writer.flush()


def dossiers_generate(
    *,
    count: int,
    years: int = 3,
    seed: int = 2025,
    now: datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    bulk_load: bool | None = None,
) -> GenerateReport:
    """Add `count` sample dossiers with their audit events (see the module's docstring). Returns what was written.

    `bulk_load` (default: from 100,000 dossiers; PostgreSQL only) loads as pg_restore does: the foreign keys and the
    non-unique indexes of the tables written are dropped first and rebuilt at the end (the keys validated again),
    which makes a million dossiers minutes instead of a quarter of an hour. Unique indexes stay in force throughout.
    """
    if count < 1 or years < 1:
        raise DossierError(
            "Số hồ sơ và số năm phải lớn hơn 0. (count and years must be positive.)", code="invalid"
        )
    started = clock.perf_counter()
    report = GenerateReport()
    with transaction.atomic():
        generator = _Generator(count=count, years=years, seed=seed, now=now or timezone.now(), report=report)
        first_id = _reserve_ids(Dossier, count)
    if bulk_load is None:
        bulk_load = count >= 100_000
    bulk_load = bulk_load and connection.vendor == "postgresql"
    tables = [m._meta.db_table for m in (Dossier, AuditEvent, User)]
    with _constraints_suspended(tables) if bulk_load else nullcontext():
        instants = generator.instants()
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            with transaction.atomic():
                for offset in range(size):
                    generator.dossier(first_id + done + offset, next(instants))
                _batch_write(generator, report)
            done += size
            if progress:
                progress(done, count, "")
        if progress and bulk_load:
            progress(done, count, "dựng lại chỉ mục và khóa ngoại")
    with transaction.atomic():
        _counters_write(generator, report)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    report.seconds = clock.perf_counter() - started
    return report


@contextmanager
def _constraints_suspended(tables: list[str]) -> Iterator[None]:
    """PostgreSQL: drop the foreign keys and non-unique indexes of `tables`; restore them, whatever happens."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conname",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        with transaction.atomic():
            for table, name, _definition in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor, transaction.atomic():
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )


def _batch_write(generator: _Generator, report: GenerateReport) -> None:
    joined = datetime.combine(generator.first_day, time(7), tzinfo=TZ) - timedelta(days=30)
    report.citizens += _accounts_write(generator.new_accounts, joined)
    generator.new_accounts = []
    report.dossiers += generator.dossiers.flush()
    report.events += generator.events.flush()
    if generator.pauses:
        DossierPause.objects.bulk_create(generator.pauses)
        report.pauses += len(generator.pauses)
        generator.pauses = []


def _counters_write(generator: _Generator, report: GenerateReport) -> None:
    """Each (agency, day) counter set to the last number given, never lowered (one upsert)."""
    rows = [(agency_id, day, last) for (agency_id, day), last in generator.counters.items()]
    table = DossierCodeCounter._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (agency_id, day, last) SELECT * FROM unnest(%s::bigint[], %s::date[], %s::int[]) "
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = GREATEST({table}.last, EXCLUDED.last)",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = MAX({table}.last, excluded.last)",
                rows,
            )
    report.counters = len(rows)
