"""Counters of citizen feedback for the dashboard (IOC) and the QĐ 766 indicators 19–22.

Every function takes a period — `start` and `end`, `datetime.date`, both included, local dates in
Asia/Ho_Chi_Minh, counted on the day the report was received — and optional filters: `agency` (an Agency or its
id: reports with a share for that agency, withdrawn shares excluded) and `commune` (an AdministrativeUnit or its
5-digit code). Each returns a plain dict (JSON-ready: ints, floats, None).

    counts_by_kind(*, start, end, agency=None, commune=None) -> dict[str, int]
        {"procedure": n, "field": n, "question": n}                       (every kind present, 0 when none)
    counts_by_channel(*, start, end, agency=None, commune=None) -> dict[str, int]
        {"web": n, "phone": n, "zalo": n, "email": n, "api": n}
    counts_by_category(*, start, end, agency=None, commune=None) -> dict[str, int]
        {category code: n}                                                 (categories with at least one report)
    counts_by_agency(*, start, end, commune=None) -> dict[str, int]
        {agency code: n reports with a (non-withdrawn) share of that agency}
    time_to_route(*, start, end, agency=None, commune=None) -> dict
        {"received": n, "routed": n, "average_minutes": float | None, "median_minutes": float | None,
         "within_5_minutes": n}                                            (routing = first routing, auto or by hand)
    answered_on_time(*, start, end, agency=None, commune=None, now=None) -> dict
        {"total": n, "answered_on_time": n, "answered_late": n, "open_within_deadline": n, "open_overdue": n,
         "ratio": float}   # indicator 21: (on time + open within deadline) / total × 100; 100.0 when total is 0
    satisfaction(*, start, end, agency=None, commune=None) -> dict
        {"handled": n, "rated": n, "satisfied": n, "unsatisfied": n, "reopened": n, "answered_late": n,
         "satisfied_share": float | None,   # satisfied / rated × 100
         "good": n,                          # handled − (unsatisfied, reopened or late): indicator 22's numerator
         "ratio": float}   # indicator 22: (handled − unsatisfied, reopened or late) / handled × 100; 100.0 if none
    feedback_counters(*, start, end, agency=None, commune=None) -> dict
        all of the above under the keys "by_kind", "by_channel", "by_category", "by_agency", "time_to_route",
        "answered_on_time", "satisfaction".
    feedback_summary(*, start, end, agency_ids=None, commune_id=None) -> dict
        what the IOC dashboard reads (motcua.metrics.feedback): received, routed, route_hours_avg, in_authority,
        handled_on_time, handled, satisfied — `agency_ids` a set (an agency with its merged units).

"Total" for indicator 21 counts the reports within competence: rejected and merged reports are left out.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.feedback.models import Assignment, Channel, Kind, Rating, Report, Status

OUT_OF_COMPETENCE = (Status.REJECTED, Status.MERGED)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def reports_in_period(*, start: date, end: date, agency=None, commune=None) -> QuerySet[Report]:
    low, high = _bounds(start, end)
    reports = Report.objects.filter(received_at__gte=low, received_at__lt=high)
    if commune is not None:
        code = getattr(commune, "code", commune)
        reports = reports.filter(commune__code=code, commune__level="commune")
    if agency is not None:  # an Agency, its id, or a collection of ids (an agency with its merged units)
        ids = (
            set(agency)
            if isinstance(agency, set | frozenset | list | tuple)
            else {getattr(agency, "pk", agency)}
        )
        shares = Assignment.objects.filter(report=OuterRef("pk"), agency_id__in=ids).exclude(
            state=Assignment.State.WITHDRAWN
        )
        reports = reports.filter(Exists(shares))
    return reports


def _grouped(reports: QuerySet, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in reports.order_by().values(field).annotate(n=Count("id"))}


def counts_by_kind(*, start: date, end: date, agency=None, commune=None) -> dict[str, int]:
    found = _grouped(reports_in_period(start=start, end=end, agency=agency, commune=commune), "kind")
    return {kind: found.get(kind, 0) for kind in Kind.values}


def counts_by_channel(*, start: date, end: date, agency=None, commune=None) -> dict[str, int]:
    found = _grouped(reports_in_period(start=start, end=end, agency=agency, commune=commune), "channel")
    return {channel: found.get(channel, 0) for channel in Channel.values}


def counts_by_category(*, start: date, end: date, agency=None, commune=None) -> dict[str, int]:
    return _grouped(reports_in_period(start=start, end=end, agency=agency, commune=commune), "category__code")


def counts_by_agency(*, start: date, end: date, commune=None) -> dict[str, int]:
    reports = reports_in_period(start=start, end=end, commune=commune)
    shares = (
        Assignment.objects.filter(report__in=reports.values("pk"))
        .exclude(state=Assignment.State.WITHDRAWN)
        .order_by()
        .values("agency__code")
        .annotate(n=Count("report_id", distinct=True))
    )
    return {row["agency__code"]: row["n"] for row in shares}


def time_to_route(*, start: date, end: date, agency=None, commune=None) -> dict:
    reports = reports_in_period(start=start, end=end, agency=agency, commune=commune)
    pairs = list(reports.filter(routed_at__isnull=False).values_list("received_at", "routed_at"))
    minutes = [max(0.0, (routed - received).total_seconds() / 60) for received, routed in pairs]
    return {
        "received": reports.count(),
        "routed": len(minutes),
        "average_minutes": round(statistics.fmean(minutes), 2) if minutes else None,
        "median_minutes": round(statistics.median(minutes), 2) if minutes else None,
        "within_5_minutes": sum(1 for m in minutes if m <= 5),
    }


def answered_on_time(
    *, start: date, end: date, agency=None, commune=None, now: datetime | None = None
) -> dict:
    now = now or timezone.now()
    reports = reports_in_period(start=start, end=end, agency=agency, commune=commune).exclude(
        status__in=OUT_OF_COMPETENCE
    )
    counts = reports.aggregate(
        total=Count("id"),
        on_time=Count(
            "id", filter=Q(answered_at__isnull=False, due_at__isnull=False, answered_at__lte=F("due_at"))
        ),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        open_within=Count(
            "id", filter=Q(answered_at__isnull=True) & (Q(due_at__isnull=True) | Q(due_at__gte=now))
        ),
    )
    late = counts["answered"] - counts["on_time"]
    open_overdue = counts["total"] - counts["answered"] - counts["open_within"]
    total = counts["total"]
    ratio = 100.0 if total == 0 else round(100 * (counts["on_time"] + counts["open_within"]) / total, 2)
    return {
        "total": total,
        "answered_on_time": counts["on_time"],
        "answered_late": late,
        "open_within_deadline": counts["open_within"],
        "open_overdue": open_overdue,
        "ratio": ratio,
    }


def satisfaction(*, start: date, end: date, agency=None, commune=None) -> dict:
    reports = reports_in_period(start=start, end=end, agency=agency, commune=commune).filter(
        published_at__isnull=False
    )
    rated = Rating.objects.filter(report__in=reports.values("pk"))
    counts = reports.aggregate(
        handled=Count("id"),
        reopened=Count("id", filter=Q(reopened_count__gt=0)),
        late=Count("id", filter=Q(answered_at__gt=F("due_at"))),
        bad=Count("id", filter=Q(reopened_count__gt=0) | Q(satisfied=False) | Q(answered_at__gt=F("due_at"))),
    )
    votes = rated.aggregate(
        n_rated=Count("report_id", distinct=True),
        n_satisfied=Count("id", filter=Q(satisfied=True)),
        n_unsatisfied=Count("id", filter=Q(satisfied=False)),
    )
    votes = {key[2:]: value for key, value in votes.items()}
    handled = counts["handled"]
    share = (
        round(100 * votes["satisfied"] / (votes["satisfied"] + votes["unsatisfied"]), 2)
        if votes["rated"]
        else None
    )
    return {
        "handled": handled,
        "rated": votes["rated"],
        "satisfied": votes["satisfied"],
        "unsatisfied": votes["unsatisfied"],
        "reopened": counts["reopened"],
        "answered_late": counts["late"],
        "satisfied_share": share,
        "good": handled - counts["bad"],  # the numerator of indicator 22
        "ratio": 100.0 if handled == 0 else round(100 * (handled - counts["bad"]) / handled, 2),
    }


def feedback_counters(*, start: date, end: date, agency=None, commune=None) -> dict:
    scope = {"start": start, "end": end, "agency": agency, "commune": commune}
    return {
        "by_kind": counts_by_kind(**scope),
        "by_channel": counts_by_channel(**scope),
        "by_category": counts_by_category(**scope),
        "by_agency": counts_by_agency(start=start, end=end, commune=commune),
        "time_to_route": time_to_route(**scope),
        "answered_on_time": answered_on_time(**scope),
        "satisfaction": satisfaction(**scope),
    }


def feedback_summary(*, start: date, end: date, agency_ids=None, commune_id: int | None = None) -> dict:
    """The figures the IOC dashboard reads (`motcua.metrics.feedback.feedback_counts`): received, routed, average
    hours to route, reports within competence (indicator 21's denominator), handled on time (answered on time plus
    open within the deadline), handled (published answers) and their good outcomes (indicator 22's numerator)."""
    from decimal import Decimal

    from motcua.directory.models import AdministrativeUnit

    commune = None
    if commune_id is not None:
        commune = AdministrativeUnit.objects.filter(pk=commune_id).first() or "-"
    scope = {"start": start, "end": end, "agency": set(agency_ids) if agency_ids is not None else None,
             "commune": commune}  # fmt: skip
    route, on_time, satisfied = time_to_route(**scope), answered_on_time(**scope), satisfaction(**scope)
    minutes = route["average_minutes"]
    return {
        "received": route["received"],
        "routed": route["routed"],
        "route_hours_avg": None if minutes is None else Decimal(str(round(minutes / 60, 2))),
        "in_authority": on_time["total"],
        "handled_on_time": on_time["answered_on_time"] + on_time["open_within_deadline"],
        "handled": satisfied["handled"],
        "satisfied": satisfied["good"],
    }
