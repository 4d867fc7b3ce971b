"""The QĐ 766 score card of a slice (province, agency, commune), from the indicators (REFERENCE §7.2).

    card = scorecard_compute(slice_, level="province")   # Card: groups → IndicatorResult rows, totals

Each indicator we can compute from our own data has its numerator, denominator, ratio, points and maximum (the
scoring functions are `motcua.metrics.scorecard`); an indicator that needs national systems, or data we do not
hold, is "no data": None, never 0. An indicator that does not apply at the level (province only, at a commune) is
marked `applies = False`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum

from motcua.catalog.models import Fee, OnlineLevel, Procedure
from motcua.metrics.indicators import Figures, indicators_compute, rollup_rows
from motcua.metrics.scorecard import (
    GROUP_MAXIMA,
    GROUPS,
    INDICATORS,
    IndicatorResult,
    applies_to,
    indicator_score,
    online_payment_score,
)
from motcua.metrics.slices import Slice


@dataclass
class CardRow:
    result: IndicatorResult
    group: int
    applies: bool
    source: str
    note: str = ""


@dataclass
class Card:
    level: str
    rows: list[CardRow] = field(default_factory=list)

    def groups(self) -> list[tuple[int, object, Decimal, Decimal | None, list[CardRow]]]:
        out = []
        for number, name in GROUPS.items():
            rows = [r for r in self.rows if r.group == number]
            points = [r.result.points for r in rows if r.applies and r.result.points is not None]
            out.append((number, name, GROUP_MAXIMA[number], sum(points) if points else None, rows))
        return out

    @property
    def points(self) -> Decimal:
        return sum(
            (r.result.points for r in self.rows if r.applies and r.result.points is not None), Decimal(0)
        )

    @property
    def computed_maximum(self) -> Decimal:
        """The maximum of the indicators that have points (what `points` is out of)."""
        return sum(
            (r.result.max_points for r in self.rows if r.applies and r.result.points is not None), Decimal(0)
        )


def _progress(f: Figures) -> tuple[int | None, int | None]:
    """(finished early or on time + in progress within the deadline) / (finished + in progress at the end)."""
    if f.stocks is None:
        return None, None
    return f.finished_in_time + f.stocks.open_within, f.finished + f.stocks.open_total


def _per_procedure(slice_: Slice) -> dict[int, dict]:
    """The period's received, received online and paid online per procedure (one grouped query)."""
    rows = (
        rollup_rows(slice_, by_procedure=True)
        .values("procedure_id")
        .annotate(
            r=Sum("received"), online=Sum("received", filter=Q(channel="online")), paid=Sum("payments_online")
        )
        .order_by()
    )
    return {row["procedure_id"]: row for row in rows}


def _full_online(per_procedure: dict[int, dict]) -> tuple[int, int]:
    """Online dossiers of full-online procedures / all dossiers received for those procedures (§6.3)."""
    full = set(Procedure.objects.filter(online_level=OnlineLevel.FULL).values_list("id", flat=True))
    rows = [row for pk, row in per_procedure.items() if pk in full]
    return sum(int(r["online"] or 0) for r in rows), sum(int(r["r"] or 0) for r in rows)


def _payment(per_procedure: dict[int, dict], f: Figures) -> IndicatorResult:
    """6·A + min(2, 2.5·B) + 2.5·C: A paid online / obligations; B, C over the procedures with fees."""
    fee_procedures = set(
        Fee.objects.filter(amount__gt=0, version__procedure__current_version=F("version"))
        .values_list("version__procedure_id", flat=True)
        .distinct()
    )
    rows = [row for pk, row in per_procedure.items() if pk in fee_procedures]
    return online_payment_score(
        paid_online=f.counts["payments_online"],
        with_financial_obligation=f.counts["payments_requested"],
        procedures_with_online_payment=sum(1 for row in rows if row["paid"]),
        procedures_with_fees=len(fee_procedures),
        fee_procedures_with_dossiers=sum(1 for row in rows if row["r"]),
    )


def _satisfaction(f: Figures) -> tuple[int, int]:
    """(finished − finished late − rated dissatisfied) / finished: the §7.2 row 23 formula from our data."""
    unhappy = f.counts["rating_1"] + f.counts["rating_2"]
    return max(0, f.finished - f.counts["finished_late"] - unhappy), f.finished


def _local_pairs(per_procedure: dict, f: Figures) -> dict[str, tuple[int | None, int | None]]:
    fb = f.feedback
    return {
        "PROGRESS_ON_TIME": _progress(f),
        "FULL_ONLINE_DOSSIERS": _full_online(per_procedure),
        "PETITION_PROCESSING_ON_TIME": (fb.handled_on_time, fb.in_authority) if fb else (None, None),
        "PETITION_HANDLING_SATISFACTION": (fb.satisfied, fb.handled) if fb else (None, None),
        "DOSSIER_RECEIVING_SATISFACTION": _satisfaction(f),
        "ORIGINAL_RESULT_AVAILABLE": (
            f.counts["results_electronic"],
            f.finished - f.counts["finished_unresolved"],
        ),
        "SO_HOA_GIAY_TO_GIAI_QUYET": (f.counts["received_digitized"], f.counts["received"]),
    }


NOTES = {
    "national": "national",  # needs the national systems (CSDLQG, Cổng DVCQG)
    "ELECTRONIC_CERTIFIED_COPY": "register",  # needs the register of communes offering e-certified copies
    "stocks": "stocks",  # a past period without an end-of-day snapshot
    "feedback": "feedback",  # the feedback figures are not available
}


def scorecard_compute(slice_: Slice, *, level: str = "province", figures: Figures | None = None) -> Card:
    f = figures or indicators_compute(slice_)
    per_procedure = _per_procedure(slice_)
    pairs = _local_pairs(per_procedure, f)
    card = Card(level=level)
    for indicator in INDICATORS:
        code = indicator.code
        if code == "ONLINE_PAYMENT":
            result = _payment(per_procedure, f)
        else:
            result = indicator_score(code, *pairs.get(code, (None, None)))
        note = ""
        if indicator.source == "national":
            note = NOTES["national"]
        elif code == "ELECTRONIC_CERTIFIED_COPY":
            note = NOTES[code]
        elif code == "PROGRESS_ON_TIME" and f.stocks is None:
            note = NOTES["stocks"]
        elif code.startswith("PETITION") and f.feedback is None:
            note = NOTES["feedback"]
        card.rows.append(CardRow(result, indicator.group, applies_to(code, level), indicator.source, note))
    return card
