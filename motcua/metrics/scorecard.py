"""The QĐ 766/QĐ-TTg score card: groups, indicators, maxima and scoring functions (REFERENCE §7.2).

Pure functions only: the numbers come from the rollups (issue 8); this module turns numerators and denominators
into ratios and points. An indicator whose data lives only in national systems (publication on the national
procedure database, synchronisation with the national portal, reuse of national data) has `source="national"`
and scores `None` — "no data" — never 0.

Scoring functions were reverse-engineered by others from published figures (±0.015 points) and are not legal
text; the national API's own score, when available, is authoritative and is stored beside ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


def _ratio(numerator: int, denominator: int) -> Decimal:
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def proportional(max_points: Decimal) -> Callable[[Decimal], Decimal]:
    """max × ratio / 100, capped at max."""
    return lambda ratio: min(max_points, max_points * ratio / HUNDRED)


def full_at(max_points: Decimal, threshold_percent: Decimal) -> Callable[[Decimal], Decimal]:
    """Full points from `threshold_percent` up; proportional below it (e.g. min(6, 6 × ratio / 90))."""
    return lambda ratio: min(max_points, max_points * ratio / threshold_percent)


@dataclass(frozen=True)
class Indicator:
    code: str
    group: int
    name: Any
    max_points: Decimal
    scope: frozenset[str]  # {"province", "commune"}
    source: str  # "local": computed from our data; "national": needs national systems → no data
    score: Callable[[Decimal], Decimal] | None
    points_when_empty: Decimal | None = None  # e.g. PAKN indicators give full points when there is no PAKN


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: Any
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    points: Decimal | None
    max_points: Decimal


GROUPS = {
    1: _("Công khai, minh bạch"),
    2: _("Tiến độ giải quyết"),
    3: _("Dịch vụ công trực tuyến"),
    4: _("Thanh toán trực tuyến"),
    5: _("Mức độ hài lòng"),
    6: _("Số hóa hồ sơ"),
}
GROUP_MAXIMA = {
    1: Decimal(18),
    2: Decimal(20),
    3: Decimal(12),
    4: Decimal(10),
    5: Decimal(18),
    6: Decimal(22),
}
BOTH = frozenset({"province", "commune"})
PROVINCE = frozenset({"province"})
D = Decimal

INDICATORS: tuple[Indicator, ...] = (
    Indicator("PUBLISH_ON_TIME", 1, _("TTHC công bố đúng hạn"), D(6), BOTH, "national", proportional(D(6))),
    Indicator(
        "PUBLIC_UPDATE_ON_TIME",
        1,
        _("TTHC cập nhật, công khai đúng hạn"),
        D(4),
        BOTH,
        "national",
        proportional(D(4)),
    ),
    Indicator(
        "PUBLIC_CONTENT_FULL",
        1,
        _("TTHC công khai đầy đủ bộ phận tạo thành"),
        D(2),
        BOTH,
        "national",
        proportional(D(2)),
    ),
    Indicator(
        "DOSSIER_SYNC",
        1,
        _("Hồ sơ đồng bộ trạng thái với Cổng DVCQG"),
        D(6),
        BOTH,
        "national",
        proportional(D(6)),
    ),
    Indicator(
        "PROGRESS_ON_TIME", 2, _("Hồ sơ xử lý trước hạn, đúng hạn"), D(20), BOTH, "local", proportional(D(20))
    ),
    Indicator(
        "FULL_ONLINE_DOSSIERS",
        3,
        _("Hồ sơ trực tuyến toàn trình"),
        D(12),
        PROVINCE,
        "local",
        proportional(D(12)),
    ),
    Indicator("ONLINE_PAYMENT", 4, _("Hồ sơ thanh toán trực tuyến"), D(10), BOTH, "local", None),
    Indicator(
        "PETITION_PROCESSING_ON_TIME",
        5,
        _("Phản ánh, kiến nghị xử lý đúng hạn"),
        D(6),
        BOTH,
        "local",
        proportional(D(6)),
        points_when_empty=D(6),
    ),
    Indicator(
        "PETITION_HANDLING_SATISFACTION",
        5,
        _("Hài lòng trong xử lý phản ánh, kiến nghị"),
        D(6),
        BOTH,
        "local",
        proportional(D(6)),
        points_when_empty=D(6),
    ),
    Indicator(
        "DOSSIER_RECEIVING_SATISFACTION",
        5,
        _("Hài lòng trong tiếp nhận, giải quyết TTHC"),
        D(6),
        BOTH,
        "local",
        full_at(D(6), D(90)),
        points_when_empty=D(0),
    ),
    Indicator(
        "ORIGINAL_RESULT_AVAILABLE", 6, _("Hồ sơ có kết quả điện tử"), D(6), BOTH, "local", proportional(D(6))
    ),
    Indicator(
        "SO_HOA_GIAY_TO_GIAI_QUYET", 6, _("Hồ sơ số hóa thành phần"), D(4), BOTH, "local", proportional(D(4))
    ),
    Indicator(
        "ELECTRONIC_CERTIFIED_COPY",
        6,
        _("Cung cấp chứng thực bản sao điện tử"),
        D(2),
        BOTH,
        "local",
        proportional(D(2)),
    ),
    Indicator(
        "REUSED_DIGITIZED_DATA",
        6,
        _("Hồ sơ có thành phần thay bằng dữ liệu"),
        D(2),
        BOTH,
        "national",
        full_at(D(2), D(80)),
    ),
    Indicator(
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        6,
        _("Hồ sơ số hóa kết nối, tái sử dụng"),
        D(4),
        BOTH,
        "national",
        None,
    ),
    Indicator(
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        6,
        _("Hồ sơ sử dụng dữ liệu dân cư"),
        D(2),
        PROVINCE,
        "national",
        proportional(D(2)),
    ),
    Indicator(
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        6,
        _("TTHC kết nối dữ liệu dân cư"),
        D(2),
        PROVINCE,
        "national",
        proportional(D(2)),
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def indicator_score(code: str, numerator: int | None, denominator: int | None) -> IndicatorResult:
    """Ratio and points of one indicator. `None` numerator/denominator means "no data" and gives None points."""
    indicator = BY_CODE[code]
    if indicator.source == "national" or numerator is None or denominator is None or indicator.score is None:
        return IndicatorResult(code, indicator.name, numerator, denominator, None, None, indicator.max_points)
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ValueError(f"{code}: numerator {numerator} and denominator {denominator} are inconsistent")
    if denominator == 0:
        return IndicatorResult(
            code,
            indicator.name,
            numerator,
            denominator,
            None,
            indicator.points_when_empty,
            indicator.max_points,
        )
    ratio = _ratio(numerator, denominator)
    points = indicator.score(ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return IndicatorResult(code, indicator.name, numerator, denominator, ratio, points, indicator.max_points)


def online_payment_score(
    *,
    paid_online: int,
    with_financial_obligation: int,
    procedures_with_online_payment: int,
    procedures_with_fees: int,
    fee_procedures_with_dossiers: int,
) -> IndicatorResult:
    """6·A + min(2, 2.5·B) + 2.5·C with A, B, C as fractions (REFERENCE §7.2 row 24)."""
    indicator = BY_CODE["ONLINE_PAYMENT"]
    if with_financial_obligation == 0 or procedures_with_fees == 0:
        return IndicatorResult(
            indicator.code,
            indicator.name,
            paid_online,
            with_financial_obligation,
            None,
            None,
            indicator.max_points,
        )
    a = Decimal(paid_online) / Decimal(with_financial_obligation)
    b = Decimal(procedures_with_online_payment) / Decimal(procedures_with_fees)
    c = Decimal(fee_procedures_with_dossiers) / Decimal(procedures_with_fees)
    points = min(indicator.max_points, 6 * a + min(Decimal(2), Decimal("2.5") * b) + Decimal("2.5") * c)
    return IndicatorResult(
        indicator.code,
        indicator.name,
        paid_online,
        with_financial_obligation,
        _ratio(paid_online, with_financial_obligation),
        points.quantize(Decimal("0.01"), ROUND_HALF_UP),
        indicator.max_points,
    )


def applies_to(code: str, level: str) -> bool:
    """Indicators for the province only (e.g. full-online dossiers) do not apply to a commune."""
    return level in BY_CODE[code].scope
