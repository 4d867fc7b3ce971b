"""A known month of dossiers, built through the real services with the clock set by hand (tests/metrics).

Agency X (Sở Tư pháp), procedure 3.000333 (full online, 3 working days, a 200.000 đ fee). "Now" is Monday
16/03/2026 10:00. The figures of March 2026, counted by hand:

    D9  accepted Wed 25/02 09:00 (due Mon 02/03), stopped 04/03: carried over, open late, paused
    D10 accepted Thu 26/02 09:00, withdrawn 03/03: carried over, withdrawn
    D1  online, accepted Mon 02/03 09:00, due Thu 05/03 09:00, finished Wed 04/03 (early), returned electronic, rated 5
    D2  online, accepted 02/03 09:00, finished Thu 05/03 10:00 (on time: same date), returned at the desk, rated 2
    D3  walk-in 02/03 09:00, apology 05/03 (new date 10/03), returned unresolved Mon 09/03 (late), returned at the desk
    D4  online, accepted 02/03 09:00, payment asked Tue 03/03 09:00, paid online Wed 04/03 09:00 (due moves to
        Fri 06/03 09:00): open late
    D6  online, accepted Thu 12/03 09:00, due Tue 17/03 09:00: open within the deadline, due within 24 h
    D5  online, accepted Fri 13/03 09:00, due Wed 18/03 09:00: open within the deadline
    D7  online, refused 03/03
    D8  online, supplement asked at reception 03/03 (never accepted)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.catalog.conftest import catalog, catalog_data  # noqa: F401  (shared fixtures)
from tests.dossiers.conftest import APPLICANT, pdf_bytes, png_bytes, record_case  # noqa: F401,F811

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=VN)


def at(day: int, hour: int = 9, month: int = 3, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


@dataclass
class Clock:
    monkeypatch: object

    def set(self, instant: datetime) -> None:
        self.monkeypatch.setattr(timezone, "now", lambda: instant)


def _rate(dossier, actor, level):
    """dossier_rate, and the rating's rollup row. Until the lead adds `rollup_rating_record` to dossier_rate, the
    test adds it here; once the hook is there the count has moved and nothing is added twice."""
    from motcua.dossiers.results import dossier_rate
    from motcua.metrics.models import DailyRollup
    from motcua.metrics.rollups import rollup_rating_record

    column = f"rating_{level}"
    before = sum(DailyRollup.objects.values_list(column, flat=True))
    rating = dossier_rate(dossier=dossier, actor=actor, level=level)
    if sum(DailyRollup.objects.values_list(column, flat=True)) == before:
        rollup_rating_record(rating=rating)
    return rating


class _Result:
    filename = "ket-qua.pdf"

    def __init__(self):
        self.data = pdf_bytes("Kết quả")


def _submit(p, case, clock, when):
    from motcua.dossiers.intake import Upload, dossier_create_submitted

    clock.set(when)
    document = case.version.documents.get()
    dossier, _created = dossier_create_submitted(
        actor=p.an, owner=p.an, case=case, applicant=dict(APPLICANT),
        uploads=[Upload("to-khai.pdf", pdf_bytes(), document.pk)], notify_channels=["email"],
    )  # fmt: skip
    return dossier


def _to_approval(p, dossier, clock, when):
    """From the desk step to the leader's approving step (the default template: desk → specialist → leader)."""
    from motcua.dossiers.processing import dossier_forward

    clock.set(when)
    dossier_forward(dossier=dossier, actor=p.desk_x)
    dossier_forward(dossier=dossier, actor=p.leader_x)


def _approve(p, dossier, clock, when):
    from motcua.dossiers.results import dossier_approve

    _to_approval(p, dossier, clock, when)
    dossier_approve(
        dossier=dossier, actor=p.leader_x, result_number="15/PLLTP", result_signed_on=when.date(),
        result_signer="Võ Thị Ngọc Hân", result_summary="Phiếu lý lịch tư pháp số 1", upload=_Result(),
    )  # fmt: skip


@pytest.fixture
def march(personas, record_case, monkeypatch, settings):  # noqa: F811
    """The dossiers above; returns them by name (D1 … D10) with the personas."""
    from motcua.dossiers.intake import Upload, dossier_walk_in_receive
    from motcua.dossiers.processing import (
        dossier_payment_record,
        dossier_payment_request,
        dossier_stop,
        dossier_withdraw,
    )
    from motcua.dossiers.results import dossier_apologize, dossier_return_result, dossier_return_unresolved
    from motcua.dossiers.services import dossier_accept, dossier_refuse, dossier_supplement_request

    settings.DOSSIER_APOLOGY_REQUIRED = False  # D2 is approved an hour after its due time
    p, clock, d = personas, Clock(monkeypatch), {}
    for name, day, month in (("D9", 25, 2), ("D10", 26, 2), ("D1", 2, 3), ("D2", 2, 3), ("D4", 2, 3)):
        d[name] = _submit(p, record_case, clock, at(day, 8, month))
        clock.set(at(day, 9, month))
        dossier_accept(dossier=d[name], actor=p.desk_x)
    clock.set(at(2, 9))
    document = record_case.version.documents.get()
    d["D3"] = dossier_walk_in_receive(
        actor=p.desk_x, receiving_agency=p.agency_x, case=record_case, applicant=dict(APPLICANT),
        uploads=[Upload("scan.png", png_bytes(), document.pk)],
    )  # fmt: skip
    for name in ("D7", "D8"):
        d[name] = _submit(p, record_case, clock, at(3, 8))
    clock.set(at(3, 9))
    dossier_refuse(dossier=d["D7"], actor=p.desk_x, reason="Không thuộc thẩm quyền")
    dossier_supplement_request(
        dossier=d["D8"], actor=p.desk_x, items=["Tờ khai có chữ ký"], reason="Thiếu chữ ký"
    )
    dossier_withdraw(dossier=d["D10"], actor=p.an, reason="Không còn nhu cầu")
    _to_approval(p, d["D4"], clock, at(3, 8, minute=30))
    clock.set(at(3, 9))
    dossier_payment_request(dossier=d["D4"], actor=p.leader_x, description="Phí cấp phiếu", amount=200000)
    clock.set(at(4, 9))
    dossier_payment_record(dossier=d["D4"], actor=p.an, method="online")
    _to_approval(p, d["D9"], clock, at(4, 8))
    clock.set(at(4, 9))
    dossier_stop(dossier=d["D9"], actor=p.leader_x, reason="Chờ xác minh")
    _approve(p, d["D1"], clock, at(4, 10))
    clock.set(at(4, 11))
    dossier_return_result(dossier=d["D1"], actor=p.desk_x, method="electronic")
    _approve(p, d["D2"], clock, at(5, 10))
    clock.set(at(5, 11))
    dossier_return_result(dossier=d["D2"], actor=p.desk_x, method="desk", returned_to="Nguyễn Văn An")
    clock.set(at(5, 15))
    _to_approval(p, d["D3"], clock, at(5, 14))
    clock.set(at(5, 15))
    dossier_apologize(
        dossier=d["D3"], actor=p.leader_x, reason="Chờ ý kiến cơ quan phối hợp", new_due_at=at(10, 16),
        signer_name="Võ Thị Ngọc Hân", signer_title="Giám đốc",
    )  # fmt: skip
    clock.set(at(9, 10))
    dossier_return_unresolved(dossier=d["D3"], actor=p.leader_x, reason="Không đủ điều kiện cấp phiếu")
    clock.set(at(9, 11))
    dossier_return_result(dossier=d["D3"], actor=p.desk_x, method="desk", returned_to="Nguyễn Văn An")
    clock.set(at(9, 12))
    _rate(d["D1"], p.an, 5)
    _rate(d["D2"], p.an, 2)
    for name, day in (("D6", 12), ("D5", 13)):
        d[name] = _submit(p, record_case, clock, at(day, 8))
        clock.set(at(day, 9))
        dossier_accept(dossier=d[name], actor=p.desk_x)
    d["R1"], d["R2"] = _feedback(p, clock)
    clock.set(NOW)
    for dossier in d.values():
        dossier.refresh_from_db()
    d["p"] = p
    return d


def _feedback(p, clock):
    """Two field reports routed to agency X in March: R1 answered on time, R2 answered after its deadline
    (5 working days: 10/03 08:00 and 08:30); both published by the coordinator."""
    from motcua.core.audit import SYSTEM
    from motcua.directory.models import Role
    from motcua.directory.services import staff_assign
    from motcua.feedback import handling, services
    from motcua.feedback.models import Category, Kind, RoutingRule
    from tests.factories import UserFactory
    from tests.feedback.conftest import FIELD_REPORT, submitted

    coordinator = UserFactory(username="coordinator", full_name="Lâm Thu Hà", kind="staff")
    staff_assign(actor=SYSTEM, user=coordinator, agency=p.agency_x, role=Role.FEEDBACK_COORDINATOR)
    traffic = Category.objects.create(code="giao-thong", name="Giao thông", kinds=[Kind.FIELD], answer_days=5)
    RoutingRule.objects.create(category=traffic, commune=None, agency=p.agency_x)
    reports = []
    for minute, answered in ((0, at(4, 9)), (30, at(16, 9))):
        clock.set(at(3, 8, minute=minute))
        report = submitted(actor=SYSTEM, channel="web", data=dict(FIELD_REPORT), photos=[])
        clock.set(answered)
        handling.report_accept(report=report, agency=p.agency_x, actor=p.specialist_x)
        handling.report_answer(report=report, agency=p.agency_x, actor=p.specialist_x, text="Đã xử lý.")
        services.report_publish(
            report=report, actor=coordinator, answer="Đã xử lý.", public_description="Ổ gà."
        )
        reports.append(report)
    return reports
