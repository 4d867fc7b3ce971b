"""The plan of one demo dossier: its fate, and the instant of each action (in working time, from the calendar).

A plan is computed before anything is written: the acceptance instant (a working day, office hours), the due date
the services will compute, the instant of each hand-off (the time up to approval shared among the steps by their
budgets — on time, or past the due date for a late one), the apology before the due date, the return, the rating.
`demo_history` then performs the actions with the clock set to each instant, and stops at the present.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from motcua.dossiers import demo_actions as act
from motcua.dossiers.generate import _due_kwargs
from motcua.dossiers.services import case_duration
from motcua.worktime.clock import due_instant, elapsed_working_time

# fate → how many of 300 dossiers. Finished ones are 85 % on time; late ones carry an apology (Mẫu 04, needed
# before approval); some open dossiers are late, with or without an apology yet.
FATES = [
    ("returned", 140), ("returned_late", 24), ("returned_unresolved", 8), ("finished", 12), ("finished_late", 3),
    ("processing", 34), ("processing_late", 8), ("processing_apology", 6), ("inter_agency", 10),
    ("accepted", 10), ("submitted", 12), ("supplement", 7), ("payment", 5), ("stopped", 4), ("withdrawn", 5),
    ("refused", 12),
]  # fmt: skip
ONLINE_ONLY = {"submitted", "refused"}
PAUSES = {
    "supplement": act.supplement,
    "payment": act.payment,
    "stopped": act.stop,
    "withdrawn": act.withdraw,
}


@dataclass
class Action:
    at: datetime
    name: str
    run: Callable


@dataclass
class Plan:
    fate: str
    demo_case: object
    applicant: object
    commune: object
    channel: str
    rng: random.Random
    actions: list[Action] = field(default_factory=list)
    due: datetime | None = None

    def add(self, at: datetime, name: str, run: Callable) -> datetime:
        self.actions.append(Action(at, name, run))
        return at


class Clockwork:
    """Working-time arithmetic on the province's calendar."""

    def __init__(self, calendar) -> None:
        self.calendar = calendar

    def after(self, start: datetime, hours: float) -> datetime:
        return due_instant(calendar=self.calendar, start=start, working_hours=round(max(hours, 0.1), 2))

    def hours(self, start: datetime, end: datetime) -> float:
        return elapsed_working_time(calendar=self.calendar, start=start, end=end).total_seconds() / 3600

    def before(self, end: datetime, hours: float) -> datetime:
        """A working instant about `hours` working hours before `end` (binary search on the elapsed time)."""
        low, high = end - timedelta(days=max(10, hours / 2)), end
        for _ in range(32):
            middle = low + (high - low) / 2
            if self.hours(middle, end) > hours:
                low = middle
            else:
                high = middle
        return self.after(high, 0.1)

    def due(self, case, channel: str, start: datetime) -> datetime:
        """As `services.dossier_due` computes it for a dossier without pauses."""
        unit, amount = case_duration(case, online=channel == "online")
        kwargs = _due_kwargs(unit, amount)
        return due_instant(calendar=self.calendar, start=start, cutoff=case.cutoff, **kwargs)


def span_days(case) -> int:
    """The case's processing time in working days (roughly, for choosing dates)."""
    amount = float(case.duration)
    return max(
        1,
        round(
            amount / 8
            if case.unit == "working_hours"
            else amount * (5 / 7 if case.unit == "calendar_days" else 1)
        ),
    )


def plan_make(world, *, fate: str, rng: random.Random, now: datetime) -> Plan | None:
    clock = Clockwork(world.calendar)
    demo_case = _case_for(world, fate, rng)
    applicant = rng.choice(world.applicants)
    commune = next(c for c in world.communes if c.pk == applicant.commune_id)
    online = demo_case.online and (fate in ONLINE_ONLY or rng.random() < 0.55)
    plan = Plan(
        fate, demo_case, applicant, commune, "online" if online else "desk", random.Random(rng.random())
    )
    start = _acceptance(clock, plan, rng, now)
    if fate in {"submitted", "refused"} or (fate == "supplement" and online and rng.random() < 0.5):
        submitted = start - timedelta(hours=rng.uniform(0.5, 30))
        plan.add(submitted, "submit", act.submit)
        if fate != "submitted":
            plan.add(start, fate, act.refuse if fate == "refused" else act.supplement_at_reception)
        return plan
    if online:
        plan.add(start - timedelta(hours=rng.uniform(0.5, 30)), "submit", act.submit)
        plan.add(start, "accept", act.accept)
    else:
        plan.add(start, "receive", act.receive)
    plan.due = clock.due(demo_case.case, plan.channel, start)
    if fate != "accepted":
        _processing(clock, plan, rng, start, now)
    return plan


def _case_for(world, fate: str, rng: random.Random):
    if fate == "inter_agency":
        return next(c for c in world.cases if c.inter_agency)
    pool = [c for c in world.cases if c.online] if fate in ONLINE_ONLY else world.cases
    return rng.choice(pool)


def _acceptance(clock: Clockwork, plan: Plan, rng: random.Random, now: datetime) -> datetime:
    """When the desk accepts (or would accept) it: a working instant chosen so the fate is reached by now."""
    days = span_days(plan.demo_case.case)
    fate = plan.fate
    if fate in {"returned", "returned_late", "returned_unresolved", "refused", "withdrawn"}:
        earliest, latest = 360, 2 * days + 12
        when = now - timedelta(days=rng.uniform(latest, max(earliest, latest + 1)))
        return clock.after(when.replace(hour=7, minute=0) + timedelta(minutes=rng.randrange(30, 570)), 0.1)
    back = {
        "finished": days * 8 + rng.uniform(8, 48),
        "finished_late": days * 8 + rng.uniform(40, 80),
        "processing": days * 8 * rng.uniform(0.15, 0.8) + 4,
        "processing_late": days * 8 + rng.uniform(4, 40),
        "processing_apology": days * 8 + rng.uniform(4, 24),
        "inter_agency": days * 8 * 0.6,
        "accepted": rng.uniform(0.3, 2.5),
        "submitted": rng.uniform(0.2, 6),
    }.get(fate, rng.uniform(6, 30))  # supplement, payment, stopped: a day or three ago
    return clock.before(now, back)


def _processing(clock: Clockwork, plan: Plan, rng: random.Random, start: datetime, now: datetime) -> None:
    steps = plan.demo_case.steps
    approve = next(i for i, s in enumerate(steps) if s.approves_result)
    total = clock.hours(start, plan.due)
    late = plan.fate.endswith("_late") or plan.fate == "processing_apology"
    hours = total + rng.uniform(2, 40) if late else total * rng.uniform(0.3, 0.95)
    if plan.fate in {"processing_late", "processing_apology"}:
        hours = clock.hours(start, now) + rng.uniform(8, 40)  # the open step stays past the due date
    elif plan.fate == "processing":  # now falls inside the planned hand-offs: still being processed
        hours = min(total * 0.95, clock.hours(start, now) / rng.uniform(0.3, 0.9))
    elif plan.fate == "inter_agency":  # now falls in the provincial department's step (60/156 to 124/156)
        hours = clock.hours(start, now) / 0.59
    weights = [
        float(s.budget_hours) * (3 if late and s.role == "specialist" else 1) for s in steps[: approve + 1]
    ]
    ends, done = [], 0.0
    for weight in weights:
        done += hours * weight / sum(weights)
        ends.append(clock.after(start, done))
    if plan.fate in PAUSES:  # the desk hands it on within two hours; the specialist takes it, then pauses it
        first = plan.add(clock.after(start, rng.uniform(0.5, 2)), "forward", act.forward)
        begun = plan.add(clock.after(first, 0.05), "assign", act.take)
        plan.add(clock.after(begun, rng.uniform(0.3, 2)), plan.fate, PAUSES[plan.fate])
        return
    _hand_offs(clock, plan, rng, ends, late, now)


def _hand_offs(
    clock: Clockwork, plan: Plan, rng: random.Random, ends: list, late: bool, now: datetime
) -> None:
    steps = plan.demo_case.steps
    previous = plan.actions[-1].at
    for index, end in enumerate(ends):
        step = steps[index]
        if step.role == "specialist" and rng.random() < 0.7:
            plan.add(clock.after(previous, 0.05), "assign", act.take)
        final = index == len(ends) - 1
        decide = act.unresolved if plan.fate == "returned_unresolved" else act.approve
        plan.add(end, "approve" if final else "forward", decide if final else act.forward)
        previous = end
    if late and plan.fate != "processing_late":
        _apology(clock, plan, rng, now)
    if plan.fate.startswith("returned") or plan.fate == "inter_agency":
        returned = plan.add(clock.after(ends[-1], rng.uniform(0.5, 12)), "return", act.give_back)
        if plan.fate in {"returned", "returned_late"} and rng.random() < 0.7:
            plan.add(returned + timedelta(hours=rng.uniform(1, 72)), "rate", act.rate)
    plan.actions.sort(key=lambda a: a.at)


def _apology(clock: Clockwork, plan: Plan, rng: random.Random, now: datetime) -> None:
    """Before the due date passes, the agency apologises and promises a date after the planned approval."""
    accepted = next(a.at for a in plan.actions if a.name in {"accept", "receive"})
    first_forward = next(a.at for a in plan.actions if a.name == "forward")
    at = max(clock.before(plan.due, rng.uniform(1, 4)), clock.after(first_forward, 0.1))
    approval = next(a.at for a in plan.actions if a.name == "approve")
    new_due = clock.after(
        max(approval, now) if plan.fate == "processing_apology" else approval, rng.uniform(4, 24)
    )
    if at <= accepted or at >= new_due:
        return
    plan.add(at, "apologize", act.apologize(new_due))
