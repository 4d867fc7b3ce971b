"""The dashboard's indicators for a slice, read from the rollups (flows) and the running dossiers (stocks).

    figures = indicators_compute(slice_)     # Figures: every counter, the derived shares, the stocks, feedback
    rows = indicators_by_agency(slice_)      # one Figures per agency (rankings, the periodic report)

Flows (received, finished, …) are sums of rollup rows: the daily table for a day, the monthly one otherwise.
"Carried over" is what was received and not finished or withdrawn before the period: the sum of those flows over
everything before it, so it is exact for any period. The stocks at the end of a current period (in progress within
the deadline / late, due within 24 h) are counted live over the running dossiers (a partial index); for a past
period they come from the end-of-day snapshot (`motcua metrics_snapshot`), or are "no data" (None) without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.dossiers.models import Dossier
from motcua.metrics.feedback import FeedbackCounts, feedback_counts
from motcua.metrics.models import COUNTERS, AgencyMonthRollup, DailyRollup, MonthlyRollup, OpenSnapshot
from motcua.metrics.slices import Slice
from motcua.worktime.clock import TZ

RUNNING = ("accepted", "processing", "supplement", "payment", "stopped")
PAUSED = ("supplement", "payment", "stopped")


def share(numerator: int | None, denominator: int | None) -> Decimal | None:
    """numerator / denominator × 100 with two decimals; None ("no data") when either is missing or zero."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Stocks:
    open_total: int
    open_late: int
    open_paused: int
    due_24h: int | None  # only live: a past snapshot has no "next 24 hours"

    @property
    def open_within(self) -> int:
        return self.open_total - self.open_late


@dataclass
class Figures:
    counts: dict[str, int]
    received_by_channel: dict[str, int] = field(default_factory=dict)
    carried_over: int = 0
    stocks: Stocks | None = None
    feedback: FeedbackCounts | None = None

    def __getattr__(self, name: str):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def finished(self) -> int:
        c = self.counts
        return c["finished_early"] + c["finished_on_time"] + c["finished_late"]

    @property
    def finished_in_time(self) -> int:
        return self.counts["finished_early"] + self.counts["finished_on_time"]

    @property
    def open_at_end(self) -> int:
        c = self.counts
        return self.carried_over + c["received"] - self.finished - c["withdrawn"]

    @property
    def handled(self) -> int:
        """Carried over + received: the dossiers the period had to deal with."""
        return self.carried_over + self.counts["received"]

    @property
    def ratings(self) -> dict[int, int]:
        return {n: self.counts[f"rating_{n}"] for n in range(5, 0, -1)}

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied(self) -> int:
        return self.counts["rating_4"] + self.counts["rating_5"]

    @property
    def average_days(self) -> Decimal | None:
        if not self.finished:
            return None
        days = Decimal(self.counts["processing_seconds"]) / Decimal(86400 * self.finished)
        return days.quantize(Decimal("0.1"), ROUND_HALF_UP)

    def share(self, name: str) -> Decimal | None:
        """The usual shares by name: online, on_time, satisfied, …"""
        c, ch = self.counts, self.received_by_channel
        pairs = {
            "online": (ch.get("online", 0), c["received"]),
            "in_time": (self.finished_in_time, self.finished),
            "late": (c["finished_late"], self.finished),
            "satisfied": (self.satisfied, self.rated),
            "results_electronic": (c["results_electronic"], self.finished - c["finished_unresolved"]),
            "payments_online": (c["payments_online"], c["payments_paid"]),
        }
        return share(*pairs[name])


# --- rollup sums -------------------------------------------------------------------------------------------


def rollup_rows(
    slice_: Slice, *, daily: bool | None = None, before: bool = False, by_procedure: bool = False
) -> QuerySet:
    """The rollup rows of the slice: in its period, or (`before`) everything before the period. Month-aligned
    reads without a procedure or field filter (and not asking `by_procedure`) use the small agency table."""
    period = slice_.period
    daily = period.kind == "day" if daily is None else daily
    if daily:
        rows = DailyRollup.objects.filter(**({"day__lt": period.start} if before else {"day": period.start}))
    else:
        first = period.start.replace(day=1)
        coarse = not by_procedure and slice_.procedure is None and slice_.field is None
        model = AgencyMonthRollup if coarse else MonthlyRollup
        rows = model.objects.filter(
            **({"month__lt": first} if before else {"month__gte": first, "month__lte": period.end})
        )
    return _sliced(rows, slice_)


def _sliced(rows: QuerySet, slice_: Slice, prefix: str = "") -> QuerySet:
    ids = slice_.agency_ids()
    if ids is not None:
        rows = rows.filter(**{f"{prefix}agency_id__in": ids})
    if slice_.procedure is not None:
        rows = rows.filter(**{f"{prefix}procedure_id": slice_.procedure.pk})
    if slice_.field is not None:
        rows = rows.filter(**{f"{prefix}procedure__field_id": slice_.field.pk})
    if slice_.channel:
        rows = rows.filter(**{f"{prefix}channel": slice_.channel})
    return rows


SUMS = {name: Sum(name) for name in COUNTERS}


def _sums(rows: QuerySet) -> dict[str, int]:
    totals = rows.aggregate(**SUMS)
    return {name: int(totals[name] or 0) for name in COUNTERS}


def _carried_over(slice_: Slice) -> int:
    """Received − finished − withdrawn over every day before the period (exact, from the flows)."""
    flows = dict.fromkeys(("received", "finished_early", "finished_on_time", "finished_late", "withdrawn"))
    before = rollup_rows(slice_, daily=False, before=True).aggregate(**{n: Sum(n) for n in flows})
    total = {n: int(before[n] or 0) for n in flows}
    if slice_.period.start.day != 1:  # a day inside a month: add the month's days before it
        month = DailyRollup.objects.filter(
            day__gte=slice_.period.start.replace(day=1), day__lt=slice_.period.start
        )
        for name, value in _sliced(month, slice_).aggregate(**{n: Sum(n) for n in flows}).items():
            total[name] += int(value or 0)
    finished = total["finished_early"] + total["finished_on_time"] + total["finished_late"]
    return total["received"] - finished - total["withdrawn"]


def _by_channel(slice_: Slice) -> dict[str, int]:
    rows = rollup_rows(slice_).values("channel").annotate(n=Sum("received")).order_by()
    return {row["channel"]: int(row["n"] or 0) for row in rows}


# --- stocks: live now, or the snapshot of a past day ---------------------------------------------------------


def running_dossiers(slice_: Slice) -> QuerySet:
    rows = Dossier.objects.filter(status__in=RUNNING, accepted_at__isnull=False)
    return _sliced(rows, slice_)


def stocks_live(slice_: Slice, *, now=None) -> Stocks:
    now = now or timezone.now()
    today_start = timezone.localtime(now, TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    # COUNT(status), not COUNT(id): every column read is in the partial index metrics_dossier_running, so the count
    # is an index-only scan (status is never null).
    totals = running_dossiers(slice_).aggregate(
        open_total=Count("status"),
        open_late=Count("status", filter=Q(original_due_at__lt=today_start)),
        open_paused=Count("status", filter=Q(status__in=PAUSED)),
        due_24h=Count(
            "status",
            filter=Q(
                status__in=("accepted", "processing"), due_at__gt=now, due_at__lte=now + timedelta(hours=24)
            ),
        ),
    )
    return Stocks(**{k: int(v or 0) for k, v in totals.items()})


def stocks_at(slice_: Slice) -> Stocks | None:
    if slice_.period.is_current():
        return stocks_live(slice_)
    rows = _sliced(OpenSnapshot.objects.filter(day=slice_.period.end), slice_)
    if not rows.exists():
        return None
    totals = rows.aggregate(t=Sum("open_total"), late=Sum("open_late"), paused=Sum("open_paused"))
    return Stocks(int(totals["t"] or 0), int(totals["late"] or 0), int(totals["paused"] or 0), None)


def snapshot_write(*, now=None) -> int:
    """Today's end-of-day stocks per agency × procedure × channel (idempotent: today's rows are replaced)."""
    from django.db import transaction

    now = now or timezone.now()
    day = timezone.localtime(now, TZ).date()
    today_start = timezone.localtime(now, TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Dossier.objects.filter(status__in=RUNNING, accepted_at__isnull=False)
        .values("agency_id", "procedure_id", "channel")
        .annotate(
            open_total=Count("status"),
            open_late=Count("status", filter=Q(original_due_at__lt=today_start)),  # §5.5: due date < the day
            open_paused=Count("status", filter=Q(status__in=PAUSED)),
        )
        .order_by()
    )
    with transaction.atomic():
        OpenSnapshot.objects.filter(day=day).delete()
        objects = [OpenSnapshot(day=day, **row) for row in rows]
        OpenSnapshot.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


# --- everything for one slice --------------------------------------------------------------------------------


def indicators_compute(slice_: Slice, *, with_feedback: bool = True) -> Figures:
    figures = Figures(
        counts=_sums(rollup_rows(slice_)),
        received_by_channel=_by_channel(slice_),
        carried_over=_carried_over(slice_),
        stocks=stocks_at(slice_),
    )
    if with_feedback:
        figures.feedback = feedback_counts(
            start=slice_.period.start,
            end=slice_.period.end,
            agency_ids=slice_.agency_ids(),
            commune_id=slice_.commune.pk if slice_.commune else None,
        )
    return figures


def indicators_by(slice_: Slice, key: str) -> dict[int | str, dict[str, int]]:
    """The period's sums per `key` (agency_id, procedure_id, procedure__field_id or channel)."""
    rows = rollup_rows(slice_).values(key).annotate(**SUMS).order_by()
    return {row[key]: {n: int(row[n] or 0) for n in COUNTERS} for row in rows}


def trend(slice_: Slice, *, months: int = 12) -> list[tuple]:
    """(month, received, finished in time, finished) for the `months` months up to the period's end."""
    end = slice_.period.end.replace(day=1)
    start = (end - timedelta(days=31 * (months - 1))).replace(day=1)
    model = AgencyMonthRollup if slice_.procedure is None and slice_.field is None else MonthlyRollup
    rows = (
        _sliced(model.objects.filter(month__gte=start, month__lte=end), slice_)
        .values("month")
        .annotate(
            r=Sum("received"), e=Sum("finished_early"), o=Sum("finished_on_time"), late=Sum("finished_late")
        )
        .order_by("month")
    )
    return [(row["month"], row["r"], row["e"] + row["o"], row["e"] + row["o"] + row["late"]) for row in rows]


def procedures_by_level(slice_: Slice | None = None) -> dict:
    """The active procedures by online level, and the coverage: full + partial of all (the "1.643 / 1.864")."""
    procedures = Procedure.objects.filter(active=True)
    if slice_ is not None and slice_.field is not None:
        procedures = procedures.filter(field=slice_.field)
    counts = dict(procedures.values_list("online_level").annotate(n=Count("*")).order_by())
    levels = {level: int(counts.get(level, 0)) for level in OnlineLevel.values}
    total = sum(levels.values())
    online = levels.get(OnlineLevel.FULL, 0) + levels.get(OnlineLevel.PARTIAL, 0)
    return {"levels": levels, "total": total, "online": online, "coverage": share(online, total)}


def finish_day_annotations(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        finish_day=TruncDate("finished_at", tzinfo=TZ), due_day=TruncDate("original_due_at", tzinfo=TZ)
    )
