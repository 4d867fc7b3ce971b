"""A year of dossiers for the demo province (issue 6 piece 9), so inboxes, timelines, control sheets and the
dashboard show something true on `make run`.

    report = demo_history_load()            # about 300 dossiers, once (an audit event marks it loaded)

Every dossier goes through the real services — submission or walk-in reception, acceptance, hand-offs, pauses,
apologies, approval, return, rating — by the demo officers who hold each step, with `demo_clock.clock_at` setting
the instant of each action. So codes, due dates (the working calendar, cut-offs), step deadlines (the template's
budgets), the audit trail and the control sheet are exactly what the services write. Acceptances fall on working
days in office hours; old dossiers are mostly returned (about 85 % on time; the late ones apologised for with Mẫu 04
before their due date), recent ones wait at every step; some are late without an apology yet.

Applicants are generated people with citizen accounts (unusable passwords) in the first two communes, which have
officers for every step (`motcua.directory.demo`). Applicants' notification channels are left empty: the outbox is
not flooded with a year of messages.
"""

from __future__ import annotations

import random
import time as wallclock
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.core.audit import SYSTEM, audit_event_record
from motcua.core.models import AuditEvent
from motcua.dossiers.demo_clock import clock_at
from motcua.dossiers.demo_plan import FATES, Plan, plan_make
from motcua.dossiers.demo_setup import DemoWorld, demo_world
from motcua.dossiers.errors import DossierError

LOADED = "dossiers.demo.history_loaded"


@dataclass
class HistoryReport:
    dossiers: int = 0
    by_status: Counter = field(default_factory=Counter)
    skipped: int = 0
    seconds: float = 0.0


def demo_history_loaded() -> bool:
    return AuditEvent.objects.filter(action=LOADED).exists()


def demo_history_load(
    *, count: int = 300, seed: int = 2026, now: datetime | None = None
) -> HistoryReport | None:
    """Load the history once; None when it was loaded before or the demo province and catalog are missing."""
    if demo_history_loaded():
        return None
    started = wallclock.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    report = HistoryReport()
    with transaction.atomic():
        world = demo_world(rng=rng, now=now)
        if world is None:
            return None
        showcase = _showcase()
        for fate in _fates(count, rng):
            plan = plan_make(world, fate=fate, rng=rng, now=now)
            if plan is None:
                report.skipped += 1
                continue
            _give_to_demo_citizen(plan, showcase)
            status = _play(world, plan, now=now)
            report.dossiers += 1
            report.by_status[status] += 1
        audit_event_record(
            action=LOADED,
            actor=SYSTEM,
            data={"dossiers": report.dossiers, "by_status": dict(report.by_status)},
        )
    report.seconds = wallclock.monotonic() - started
    return report


# A few dossiers belong to the demo citizen (congdan.an), so a new user sees each end of the journey in "Hồ sơ của
# tôi": a returned result waiting for a rating, a result ready to collect, an apology with a new date, a fee to pay.
SHOWCASE_FATES = ("returned", "finished", "processing_apology", "payment")


def _showcase() -> dict:
    from motcua.directory.models import User

    citizen = User.objects.filter(username="congdan.an", kind=User.Kind.CITIZEN).first()
    return {fate: citizen for fate in SHOWCASE_FATES} if citizen else {}


def _give_to_demo_citizen(plan: Plan, showcase: dict) -> None:
    citizen = showcase.get(plan.fate)
    if citizen is None or citizen.commune_id != plan.commune.pk:
        return
    if plan.fate == "returned" and any(action.name == "rate" for action in plan.actions):
        return  # the showcase one is left for the visitor to rate
    plan.applicant = citizen
    del showcase[plan.fate]


def _fates(count: int, rng: random.Random) -> list[str]:
    """The fates in proportion (FATES is for 300), shuffled so the dossiers of a day mix."""
    total = sum(share for _fate, share in FATES)
    fates = [fate for fate, share in FATES for _ in range(max(1, round(share * count / total)))]
    rng.shuffle(fates)
    return fates


def _play(world: DemoWorld, plan: Plan, *, now: datetime) -> str:
    """Perform the plan's actions in order, each at its instant, stopping at the present."""
    dossier = None
    with clock_at(plan.actions[0].at) as clock:
        for action in plan.actions:
            if action.at >= now:
                break
            clock.set(action.at)
            try:
                dossier = action.run(world, plan, dossier)
            except DossierError as error:  # a plan the services refuse is a bug of the plan: say which
                raise RuntimeError(
                    f"demo history: {action.name} at {action.at:%Y-%m-%d %H:%M}: {error}"
                ) from error
    return dossier.status


def demo_accounts_for_processing() -> list[tuple[str, str]]:
    """(role, usernames) of the demo officers to try processing with, for `load_demo`'s output."""
    return [
        ("Một cửa xã (tiếp nhận, trả kết quả)", "tiepnhan.xa, tiepnhan.xa2"),
        ("Chuyên viên xã (thụ lý)", "chuyenvien.xa, chuyenvien2.xa, chuyenvien3.xa, chuyenvien.xa2"),
        ("Lãnh đạo phòng xã / Chủ tịch xã (phê duyệt)", "truongphong.xa, chutich.xa, chutich.xa2"),
        ("Một cửa tỉnh", "tiepnhan.tinh"),
        ("Sở Tư pháp", "chuyenvien.tuphap, chuyenvien2.tuphap, truongphong.tuphap, giamdoc.tuphap"),
        (
            "Sở NN&MT (liên thông với xã)",
            "chuyenvien.datdai, chuyenvien2.datdai, truongphong.datdai, giamdoc.nnmt",
        ),
        ("Sở Xây dựng", "chuyenvien.xaydung, giamdoc.xaydung"),
    ]
