from decimal import Decimal

import pytest

from motcua.metrics.scorecard import (
    GROUP_MAXIMA,
    INDICATORS,
    applies_to,
    indicator_score,
    online_payment_score,
)


def test_group_maxima_add_up_to_100_points():
    assert sum(GROUP_MAXIMA.values()) == 100


def test_indicator_maxima_fit_inside_their_groups():
    for group, maximum in GROUP_MAXIMA.items():
        assert sum(i.max_points for i in INDICATORS if i.group == group) <= maximum


def test_progress_score_is_proportional():
    result = indicator_score("PROGRESS_ON_TIME", 1843, 1900)  # 97.00 %
    assert (result.ratio, result.points, result.max_points) == (
        Decimal("97.00"),
        Decimal("19.40"),
        Decimal(20),
    )


def test_dossier_satisfaction_is_full_from_90_percent():
    assert indicator_score("DOSSIER_RECEIVING_SATISFACTION", 95, 100).points == Decimal("6.00")
    assert indicator_score("DOSSIER_RECEIVING_SATISFACTION", 45, 100).points == Decimal("3.00")
    assert indicator_score("DOSSIER_RECEIVING_SATISFACTION", 0, 0).points == Decimal(0)


def test_petition_indicators_give_full_points_when_there_is_no_petition():
    result = indicator_score("PETITION_PROCESSING_ON_TIME", 0, 0)
    assert (result.ratio, result.points) == (None, Decimal(6))


def test_national_indicator_is_no_data_not_zero():
    result = indicator_score("DOSSIER_SYNC", 10, 10)
    assert (result.ratio, result.points) == (None, None)
    assert indicator_score("PROGRESS_ON_TIME", None, None).points is None


def test_inconsistent_counts_are_refused():
    with pytest.raises(ValueError):
        indicator_score("PROGRESS_ON_TIME", 11, 10)


def test_online_payment_combines_three_fractions():
    # A = 30/60 = 0.5 → 3; B = 10/40 = 0.25 → min(2, 0.625) = 0.625; C = 20/40 = 0.5 → 1.25; total 4.875 → 4.88
    result = online_payment_score(
        paid_online=30,
        with_financial_obligation=60,
        procedures_with_online_payment=10,
        procedures_with_fees=40,
        fee_procedures_with_dossiers=20,
    )
    assert (result.ratio, result.points) == (Decimal("50.00"), Decimal("4.88"))


def test_full_online_indicator_does_not_apply_to_communes():
    assert applies_to("FULL_ONLINE_DOSSIERS", "province")
    assert not applies_to("FULL_ONLINE_DOSSIERS", "commune")
    assert applies_to("PROGRESS_ON_TIME", "commune")


def test_worked_examples_of_reference_13b():
    from motcua.metrics.scorecard import BY_CODE

    assert indicator_score("PROGRESS_ON_TIME", 950, 1000).points == Decimal("19.00")
    assert indicator_score("DOSSIER_RECEIVING_SATISFACTION", 85, 100).points == Decimal("5.67")
    assert BY_CODE["REUSED_DIGITIZED_DATA"].score(Decimal(60)) == Decimal("1.5")
    assert BY_CODE["PUBLISH_ON_TIME"].score(Decimal(90)) == Decimal("5.4")
    payment = online_payment_score(
        paid_online=50,
        with_financial_obligation=100,
        procedures_with_online_payment=60,
        procedures_with_fees=100,
        fee_procedures_with_dossiers=80,
    )
    assert payment.points == Decimal("6.50")
    assert indicator_score("PETITION_PROCESSING_ON_TIME", 0, 0).points == Decimal(6)
