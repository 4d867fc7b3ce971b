"""Numbers you can trust: every counter and score of a known month (tests/metrics/conftest.py), counted by hand."""

from __future__ import annotations

from decimal import Decimal

from motcua.metrics.card import scorecard_compute
from motcua.metrics.indicators import indicators_compute
from motcua.metrics.rebuild import rollups_rebuild
from motcua.metrics.slices import Slice, period_parse

# March 2026, agency X, counted by hand from the scenario in conftest.py.
EXPECTED = {
    "received": 6,  # D1 D2 D3 D4 D5 D6 (D8 never accepted)
    "received_digitized": 6,  # every one arrived with its files (online uploads, the desk's scan)
    "refused": 1,  # D7
    "finished_early": 1,  # D1 on 04/03, due 05/03
    "finished_on_time": 1,  # D2 on 05/03 10:00, due 05/03 09:00: the same date
    "finished_late": 1,  # D3 on 09/03, first due 05/03 (the apology's 10/03 does not count)
    "finished_unresolved": 1,  # D3
    "processing_seconds": 49 * 3600 + 73 * 3600 + 169 * 3600,  # D1 49 h, D2 73 h, D3 7 days 1 h
    "withdrawn": 1,  # D10
    "supplements": 1,  # D8
    "pauses": 2,  # D4 payment, D9 stop
    "apologies": 1,  # D3
    "results_electronic": 2,  # D1, D2 (uploaded result); D3 unresolved has none
    "returned": 3,  # D1 D2 D3
    "returned_electronic": 1,  # D1
    "payments_requested": 1,
    "payments_paid": 1,
    "payments_online": 1,  # D4
    "rating_1": 0,
    "rating_2": 1,  # D2
    "rating_3": 0,
    "rating_4": 0,
    "rating_5": 1,  # D1
}


def _march(p, **extra):
    return Slice(period=period_parse("2026-03"), agency=p.agency_x, **extra)


def test_every_counter_of_the_known_month_matches_the_hand_count(march):
    figures = indicators_compute(_march(march["p"]))
    assert figures.counts == EXPECTED
    assert figures.received_by_channel == {"online": 5, "desk": 1}
    assert figures.carried_over == 2  # D9, D10 accepted in February and open on 01/03
    assert figures.open_at_end == 4  # 2 + 6 − 3 finished − 1 withdrawn: D4 D5 D6 D9
    stocks = figures.stocks
    assert (stocks.open_total, stocks.open_late, stocks.open_within) == (4, 2, 2)  # late: D4 (due 06/03), D9
    assert (stocks.open_paused, stocks.due_24h) == (1, 1)  # D9 stopped; D6 due Tue 17/03 09:00
    assert figures.average_days == Decimal("4.0")  # 291 h / 3 = 97 h = 4.04 days
    assert figures.share("online") == Decimal("83.33")
    assert figures.share("in_time") == Decimal("66.67")
    assert figures.share("satisfied") == Decimal("50.00")
    fb = figures.feedback  # R1 answered on time, R2 late; both published (conftest._feedback)
    assert (fb.received, fb.routed, fb.in_authority, fb.handled_on_time, fb.handled, fb.satisfied) == (
        2, 2, 2, 1, 2, 1,
    )  # fmt: skip
    assert fb.route_hours_avg == Decimal("0")  # routed automatically at intake


def test_february_carries_nothing_over_and_counts_its_two_acceptances(march):
    figures = indicators_compute(Slice(period=period_parse("2026-02"), agency=march["p"].agency_x))
    assert figures.carried_over == 0
    assert figures.counts["received"] == 2
    assert figures.stocks is None  # a past month without an end-of-day snapshot: no data


def test_a_day_reads_the_daily_rows(march):
    figures = indicators_compute(Slice(period=period_parse("2026-03-02"), agency=march["p"].agency_x))
    assert figures.counts["received"] == 4  # D1 D2 D3 D4
    assert figures.carried_over == 2


def test_score_card_of_the_known_month_matches_the_hand_count(march):
    card = scorecard_compute(_march(march["p"]), level="province")
    got = {
        row.result.code: (row.result.numerator, row.result.denominator, row.result.points)
        for row in card.rows
    }
    assert got["PROGRESS_ON_TIME"] == (4, 7, Decimal("11.43"))  # (2 in time + 2 open within) / (3 + 4)
    assert got["FULL_ONLINE_DOSSIERS"] == (5, 6, Decimal("10.00"))  # 12 × 83.33 %
    assert got["DOSSIER_RECEIVING_SATISFACTION"] == (1, 3, Decimal("2.22"))  # (3 − 1 late − 1 unhappy) / 3
    assert got["ORIGINAL_RESULT_AVAILABLE"] == (2, 2, Decimal("6.00"))
    assert got["SO_HOA_GIAY_TO_GIAI_QUYET"] == (6, 6, Decimal("4.00"))
    # Payment: A = 1/1; the test catalog has 7 procedures with a fee above 0 (8, one of them free), one with online
    # payment and dossiers: 6 + min(2, 2.5 × 1/7) + 2.5 × 1/7 = 6.714 → 6.71
    assert got["ONLINE_PAYMENT"] == (1, 1, Decimal("6.71"))
    assert got["PETITION_PROCESSING_ON_TIME"] == (1, 2, Decimal("3.00"))  # 6 × 1/2
    assert got["PETITION_HANDLING_SATISFACTION"] == (1, 2, Decimal("3.00"))  # R2 answered late: not counted
    assert got["DOSSIER_SYNC"][2] is None  # national
    assert card.points == Decimal("46.36")  # 11.43 + 10.00 + 6.71 + 2.22 + 6.00 + 4.00 + 3.00 + 3.00
    assert card.computed_maximum == Decimal("70")  # 20 + 12 + 10 + 6 + 6 + 4 + 6 + 6


def test_rebuild_gives_the_incremental_rows(march):
    check = rollups_rebuild(check=True)
    assert (check.differences, check.examples) == (0, [])
    before = indicators_compute(_march(march["p"])).counts
    report = rollups_rebuild()
    assert report.daily_rows > 0 and indicators_compute(_march(march["p"])).counts == before


def test_check_reports_a_row_changed_by_hand(march):
    from motcua.metrics.models import DailyRollup

    row = DailyRollup.objects.filter(received__gt=0).order_by("day").first()
    row.received += 5
    row.save(update_fields=["received"])
    check = rollups_rebuild(check=True)
    assert check.differences == 2  # the changed row on one side, the true one on the other
    assert {e["side"] for e in check.examples} == {"rebuilt", "incremental"}
