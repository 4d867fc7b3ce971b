"""The feedback figures (phản ánh, kiến nghị; hotline 1022) behind one adapter (issue 7 provides them).

`feedback_counts` asks `motcua.feedback.queries.feedback_summary` when that function exists and reports "no data"
(None — never 0) otherwise. The expected function:

    def feedback_summary(*, start: date, end: date, agency_ids: set[int] | None, commune_id: int | None) -> dict

returning the keys of `FeedbackCounts` (counts of the reports received in [start, end], local dates; agency_ids
None = the whole province): received, routed, route_hours_avg (Decimal | None), in_authority (reports the agencies
must handle, the denominator of QĐ 766 indicator 21), handled_on_time (answered on or before the deadline, plus
those in progress within it), handled (answered), satisfied (answered and not rated dissatisfied, not re-opened,
not late: the numerator of indicator 22).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class FeedbackCounts:
    received: int
    routed: int
    route_hours_avg: Decimal | None
    in_authority: int
    handled_on_time: int
    handled: int
    satisfied: int


def feedback_counts(
    *, start: date, end: date, agency_ids: set[int] | None, commune_id: int | None
) -> FeedbackCounts | None:
    """The feedback app's figures for the slice, or None when that app does not provide them (yet)."""
    try:
        from motcua.feedback import queries
    except ImportError:
        return None
    summary = getattr(queries, "feedback_summary", None)
    if summary is None:
        return None
    values = summary(start=start, end=end, agency_ids=agency_ids, commune_id=commune_id)
    return FeedbackCounts(**{f.name: values.get(f.name) for f in fields(FeedbackCounts)})
