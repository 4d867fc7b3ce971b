"""Working-time arithmetic: due instants, elapsed working time, on-time classification. No database here.

How to use (dossiers, feedback, reports — every deadline goes through these functions)::

    from motcua.worktime.clock import Pause, SupplementMode, due_instant, elapsed_working_time, classify
    from motcua.worktime.services import calendar_for_province   # the province's calendar, cached

    cal = calendar_for_province(settings.PROVINCE_CODE)
    due = due_instant(calendar=cal, start=dossier.accepted_at, working_days=procedure.days,
                      cutoff=procedure.cutoff,                      # e.g. time(15, 0), or None
                      pauses=[Pause(p.start, p.end)],               # supplement requests, done ones only
                      supplement_mode=SupplementMode.PAUSE_AND_EXTEND)
    spent = elapsed_working_time(calendar=cal, start=dossier.accepted_at, end=now, pauses=...)
    label = classify(due=due, finished_at=dossier.finished_at)      # Timeliness.EARLY / ON_TIME / LATE
    soon = due_within(calendar=cal, due=due, now=now)               # due within 24 working hours

Every datetime in and out is timezone-aware; the arithmetic happens in Asia/Ho_Chi_Minh. Bad input raises
`WorktimeError` (a `ValueError`) with a Vietnamese message, never a silent wrong date.

The rules (ADR 0005, REFERENCE §5):
* A working day is a day whose weekday has office periods (default Mon–Fri 07:00–11:30, 13:30–17:00), that is not
  a day off, or that is an extra working day (a Saturday worked in exchange).
* Start: the clock starts at the first working instant at or after the start (after hours → next working morning,
  lunch → 13:30). With a cut-off (e.g. 15:00), a start later than the cut-off on a working day counts from the
  next working day.
* `working_days=N`: the same position within the day, N working days later (a day is that day's office hours);
  `working_hours=H`: H hours of office time; the due instant is the *earliest* instant at which the time is used
  up, so a deadline at the end of a period is that end (17:00), never the next morning.
* `calendar_days=N`: the end of office hours on (start day + N), moved to the end of the next working day when that
  day is not a working day.
* Pauses (start, end, kind) do not count: the deadline moves later by the working time they cover (calendar mode:
  by whole calendar days, rounded up). In `SupplementMode.RESTART` a supplement pause restarts the full duration
  at its end.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US = 1_000_000  # microseconds per second: all arithmetic is in integer microseconds
HOUR_US = 3600 * US
DAY_US = 24 * HOUR_US
MAX_WORKING_DAYS = 2600  # about 10 years of working days: beyond this a duration is a typing mistake
MAX_WORKING_HOURS = MAX_WORKING_DAYS * 8
MAX_CALENDAR_DAYS = 3653  # 10 years

Periods = tuple[tuple[time, time], ...]
DEFAULT_PERIODS: Periods = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
# Monday … Sunday (date.weekday() order).
DEFAULT_OFFICE_HOURS: tuple[Periods, ...] = (DEFAULT_PERIODS,) * 5 + ((), ())


class WorktimeError(ValueError):
    """Bad input to the working-time arithmetic; the message is Vietnamese and meant for the user."""


class SupplementMode(enum.StrEnum):
    """What a supplement request (yêu cầu bổ sung) does to the clock — a per-procedure setting (REFERENCE §5.4)."""

    PAUSE_AND_EXTEND = "pause_and_extend"  # the clock stops, resumes when the supplement arrives
    RESTART = "restart"  # the full duration starts again when the supplement arrives


class PauseKind(enum.StrEnum):
    SUPPLEMENT = "supplement"  # yêu cầu bổ sung, hoàn thiện hồ sơ
    OTHER = "other"  # e.g. waiting for a financial obligation; always pause-and-extend


class Pause(NamedTuple):
    """A segment during which the clock does not run."""

    start: datetime
    end: datetime
    kind: str = PauseKind.SUPPLEMENT
    reason: str = ""


class Timeliness(enum.StrEnum):
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn / trong hạn
    LATE = "late"  # quá hạn


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US + t.microsecond


def _fmt(dt: datetime) -> str:
    """A citizen-readable instant: 16:00 thứ Sáu 13/02/2026."""
    weekday = [
        _("thứ Hai"),
        _("thứ Ba"),
        _("thứ Tư"),
        _("thứ Năm"),
        _("thứ Sáu"),
        _("thứ Bảy"),
        _("Chủ nhật"),
    ]
    return f"{dt:%H:%M} {weekday[dt.weekday()]} {dt:%d/%m/%Y}"


def _hours(us: int) -> str:
    minutes = us // (60 * US)
    if minutes % 60:
        return _("%(h)s giờ %(m)s phút") % {"h": minutes // 60, "m": f"{minutes % 60:02d}"}
    return _("%(h)s giờ") % {"h": minutes // 60}


def _skipped_days(calendar: WorkingCalendar, after: datetime, until: datetime) -> str | None:
    """The named days off (holidays, overrides) between two instants, for an explanation."""
    days = [
        f"{day:%d/%m/%Y} ({name})"
        for day, name in sorted(calendar.names.items())
        if after.date() <= day <= until.date() and day in calendar.days_off
    ]
    if not days:
        return None
    return _("Ngày nghỉ lễ, nghỉ bù được bỏ qua: %(days)s.") % {"days": "; ".join(days)}


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """An immutable working calendar for a span of years; build once, use for millions of computations.

    `office_hours`: 7 tuples (Monday … Sunday) of (start, end) periods. `days_off`: dates that are not worked
    (holidays, substituted days, extra days off). `extra_working_days`: dates worked although their weekday is not
    (they use `extra_day_periods`, by default Monday's hours). `names`: a label per special date, for explanations.
    """

    office_hours: tuple[Periods, ...] = DEFAULT_OFFICE_HOURS
    days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    first_year: int = 2010
    last_year: int = 2050
    names: Mapping[date, str] = field(default_factory=dict)
    extra_day_periods: Periods | None = None
    # Pre-computed tables (working days only): ordinal, (y, m, d), periods in µs, cumulative working time.
    _base: int = field(init=False, repr=False)
    _day_next: tuple[int, ...] = field(init=False, repr=False)  # per calendar day: index of next working day
    _day_working: tuple[bool, ...] = field(init=False, repr=False)
    _wd_ord: tuple[int, ...] = field(init=False, repr=False)
    _wd_ymd: tuple[tuple[int, int, int], ...] = field(init=False, repr=False)
    _wd_periods: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, repr=False)
    _wd_len: tuple[int, ...] = field(init=False, repr=False)
    _cum: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        hours = tuple(tuple(periods) for periods in self.office_hours)
        if len(hours) != 7:
            raise WorktimeError(_("Giờ làm việc phải khai báo đủ 7 ngày trong tuần."))
        for periods in hours:
            _check_periods(periods)
        extra_periods = hours[0] if self.extra_day_periods is None else tuple(self.extra_day_periods)
        _check_periods(extra_periods)
        if not extra_periods and self.extra_working_days:
            raise WorktimeError(_("Ngày làm việc bù cần có giờ làm việc."))
        both = set(self.days_off) & set(self.extra_working_days)
        if both:
            raise WorktimeError(
                _("Ngày %(day)s vừa là ngày nghỉ vừa là ngày làm việc.") % {"day": f"{min(both):%d/%m/%Y}"}
            )
        if not (1900 < self.first_year <= self.last_year < 2200):
            raise WorktimeError(_("Khoảng năm của lịch làm việc không hợp lệ."))
        object.__setattr__(self, "office_hours", hours)
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        object.__setattr__(self, "names", dict(self.names))
        base = date(self.first_year, 1, 1).toordinal()
        last = date(self.last_year, 12, 31).toordinal()
        us_by_weekday = [tuple((_time_us(a), _time_us(b)) for a, b in p) for p in hours]
        extra_us = tuple((_time_us(a), _time_us(b)) for a, b in extra_periods)
        working: list[bool] = []
        wd_ord, wd_ymd, wd_periods, wd_len, cum = [], [], [], [], [0]
        for ordinal in range(base, last + 1):
            day = date.fromordinal(ordinal)
            if day in self.extra_working_days:
                periods_us = us_by_weekday[day.weekday()] or extra_us
            elif day in self.days_off:
                periods_us = ()
            else:
                periods_us = us_by_weekday[day.weekday()]
            working.append(bool(periods_us))
            if periods_us:
                length = sum(b - a for a, b in periods_us)
                wd_ord.append(ordinal)
                wd_ymd.append((day.year, day.month, day.day))
                wd_periods.append(periods_us)
                wd_len.append(length)
                cum.append(cum[-1] + length)
        # day_next[i] is the index of the first working day on or after day i (len(wd_ord) when there is none).
        day_next = [bisect_left(wd_ord, base + i) for i in range(len(working))]
        for name, value in (
            ("_base", base),
            ("_day_next", tuple(day_next)),
            ("_day_working", tuple(working)),
            ("_wd_ord", tuple(wd_ord)),
            ("_wd_ymd", tuple(wd_ymd)),
            ("_wd_periods", tuple(wd_periods)),
            ("_wd_len", tuple(wd_len)),
            ("_cum", tuple(cum)),
        ):
            object.__setattr__(self, name, value)

    # --- questions about days --------------------------------------------------------------------------------
    def _index(self, ordinal: int) -> int:
        i = ordinal - self._base
        if i < 0 or i >= len(self._day_working):
            year = date.fromordinal(max(1, ordinal)).year
            raise WorktimeError(
                _(
                    "Lịch làm việc chỉ có dữ liệu từ năm %(first)s đến năm %(last)s, không tính được năm %(year)s."
                )
                % {"first": self.first_year, "last": self.last_year, "year": year}
            )
        return i

    def is_working_day(self, day: date) -> bool:
        return self._day_working[self._index(day.toordinal())]

    def periods_on(self, day: date) -> Periods:
        """Office periods of that day (empty on a day off)."""
        i = self._index(day.toordinal())
        if not self._day_working[i]:
            return ()
        k = self._day_next[i]
        return tuple((_us_time(a), _us_time(b)) for a, b in self._wd_periods[k])

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day`."""
        k = self._day_next[self._index(day.toordinal())]
        if k >= len(self._wd_ord):
            self._beyond()
        return date.fromordinal(self._wd_ord[k])

    # --- the working-time axis: W(instant) = working µs since the calendar's first day -----------------------
    def _w(self, ordinal: int, us: int) -> int:
        i = self._index(ordinal)
        k = self._day_next[i]
        w = self._cum[k]
        if self._day_working[i]:
            for a, b in self._wd_periods[k]:
                if us <= a:
                    break
                if us < b:
                    return w + us - a
                w += b - a
        return w

    def _instant(self, target: int) -> datetime:
        """The earliest instant at which W reaches `target` (so a period's end, never the next morning)."""
        k = bisect_left(self._cum, target) - 1
        if k < 0 or k >= len(self._wd_len):
            self._beyond()
        offset = target - self._cum[k]
        for a, b in self._wd_periods[k]:
            if offset <= b - a:
                us = a + offset
                break
            offset -= b - a
        y, m, d = self._wd_ymd[k]
        seconds, micro = divmod(us, US)
        minutes, s = divmod(seconds, 60)
        h, mi = divmod(minutes, 60)
        if h == 24:  # a period ending at midnight
            return datetime(y, m, d, tzinfo=TZ) + timedelta(days=1)
        return datetime(y, m, d, h, mi, s, micro, tzinfo=TZ)

    def _beyond(self) -> None:
        raise WorktimeError(
            _("Thời hạn vượt ra ngoài lịch làm việc đã có (từ năm %(first)s đến năm %(last)s).")
            % {"first": self.first_year, "last": self.last_year}
        )

    def _end_of_day(self, k: int) -> datetime:
        return self._instant(self._cum[k + 1])


def _us_time(us: int) -> time:
    seconds, micro = divmod(us, US)
    minutes, s = divmod(seconds, 60)
    h, mi = divmod(minutes, 60)
    return time(h, mi, s, micro) if h < 24 else time.max


def _check_periods(periods: Periods) -> None:
    previous_end: time | None = None
    for start, end in periods:
        if not (isinstance(start, time) and isinstance(end, time)) or start >= end:
            raise WorktimeError(_("Mỗi buổi làm việc phải có giờ bắt đầu trước giờ kết thúc."))
        if previous_end is not None and start < previous_end:
            raise WorktimeError(_("Các buổi làm việc trong một ngày không được chồng lên nhau."))
        previous_end = end


# --- input checks (cheap: they run on every call) -------------------------------------------------------------
def _local(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise WorktimeError(_("%(what)s phải là một thời điểm (ngày và giờ).") % {"what": what})
    if value.tzinfo is None or value.utcoffset() is None:
        raise WorktimeError(
            _("%(what)s phải có múi giờ (ví dụ +07:00); không nhận thời điểm không có múi giờ.")
            % {"what": what}
        )
    return value.astimezone(TZ)


def _position(local: datetime) -> tuple[int, int]:
    return local.toordinal(), ((local.hour * 60 + local.minute) * 60 + local.second) * US + local.microsecond


def _duration(
    working_days: int | None, working_hours: float | int | None, calendar_days: int | None
) -> tuple[str, int]:
    given = [
        (kind, value)
        for kind, value in (
            ("working_days", working_days),
            ("working_hours", working_hours),
            ("calendar_days", calendar_days),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise WorktimeError(
            _("Cần đúng một loại thời hạn: số ngày làm việc, số giờ làm việc hoặc số ngày theo lịch.")
        )
    kind, value = given[0]
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        raise WorktimeError(_("Thời hạn phải là một số."))
    if kind != "working_hours" and value != int(value):
        raise WorktimeError(_("Số ngày phải là số nguyên; thời hạn lẻ hãy tính bằng giờ làm việc."))
    if not value > 0:
        raise WorktimeError(_("Thời hạn phải lớn hơn 0."))
    limit = {
        "working_days": MAX_WORKING_DAYS,
        "working_hours": MAX_WORKING_HOURS,
        "calendar_days": MAX_CALENDAR_DAYS,
    }
    if value > limit[kind]:
        raise WorktimeError(_("Thời hạn quá lớn (hơn 10 năm): kiểm tra lại số đã nhập."))
    if kind == "working_hours":
        return kind, round(value * HOUR_US) if isinstance(value, (int, float)) else int(
            round(Fraction(value) * HOUR_US)
        )
    return kind, int(value)


def _pauses(
    pauses: Sequence[Pause] | Iterable[Pause], start: datetime
) -> list[tuple[datetime, datetime, str]]:
    checked = []
    for pause in pauses:
        p_start, p_end = pause[0], pause[1]
        kind = pause[2] if len(pause) > 2 else PauseKind.SUPPLEMENT
        p_start = _local(p_start, gettext_noop("Thời điểm bắt đầu tạm dừng"))
        p_end = _local(p_end, gettext_noop("Thời điểm kết thúc tạm dừng"))
        if p_end <= p_start:
            raise WorktimeError(
                _("Khoảng tạm dừng %(start)s – %(end)s: thời điểm kết thúc phải sau thời điểm bắt đầu.")
                % {"start": _fmt(p_start), "end": _fmt(p_end)}
            )
        if p_start < start:
            raise WorktimeError(
                _("Khoảng tạm dừng bắt đầu lúc %(start)s, trước thời điểm bắt đầu tính hạn.")
                % {"start": _fmt(p_start)}
            )
        checked.append((p_start, p_end, kind))
    checked.sort()
    for (_s1, e1, _k1), (s2, _e2, _k2) in zip(checked, checked[1:], strict=False):
        if s2 < e1:
            raise WorktimeError(_("Các khoảng tạm dừng chồng lên nhau (lúc %(at)s).") % {"at": _fmt(s2)})
    return checked


# --- the public functions -------------------------------------------------------------------------------------
def due_instant(
    *,
    calendar: WorkingCalendar,
    start: datetime,
    working_days: int | None = None,
    working_hours: float | None = None,
    calendar_days: int | None = None,
    cutoff: time | None = None,
    pauses: Sequence[Pause] = (),
    supplement_mode: SupplementMode = SupplementMode.PAUSE_AND_EXTEND,
    trace: list[str] | None = None,
) -> datetime:
    """The due instant (ngày hẹn trả), aware, in Asia/Ho_Chi_Minh. Give exactly one duration.

    `trace`, when a list, receives one Vietnamese sentence per step (see `due_explained`).
    """
    # The common cases are checked without building lists; anything unusual goes through `_duration`.
    if (
        working_hours is None
        and calendar_days is None
        and type(working_days) is int
        and 0 < working_days <= MAX_WORKING_DAYS
    ):
        kind, amount = "working_days", working_days
    elif (
        working_days is None
        and calendar_days is None
        and type(working_hours) is int
        and 0 < working_hours <= MAX_WORKING_HOURS
    ):
        kind, amount = "working_hours", working_hours * HOUR_US
    elif (
        working_days is None
        and working_hours is None
        and type(calendar_days) is int
        and 0 < calendar_days <= MAX_CALENDAR_DAYS
    ):
        kind, amount = "calendar_days", calendar_days
    else:
        kind, amount = _duration(working_days, working_hours, calendar_days)
    local = _local(start, gettext_noop("Thời điểm bắt đầu"))
    checked = _pauses(pauses, local) if pauses else []
    if trace is not None:
        trace.append(_("Tiếp nhận lúc %(at)s.") % {"at": _fmt(local)})
    if checked and supplement_mode == SupplementMode.RESTART:
        supplements = [p for p in checked if p[2] == PauseKind.SUPPLEMENT]
        if supplements:
            restart = max(p[1] for p in supplements)
            if trace is not None:
                trace.append(
                    _("Nhận đủ hồ sơ bổ sung lúc %(at)s: tính lại toàn bộ thời hạn từ thời điểm này.")
                    % {"at": _fmt(restart)}
                )
            local = restart
            checked = [p for p in checked if p[2] != PauseKind.SUPPLEMENT and p[0] >= restart]
    elif checked and supplement_mode != SupplementMode.PAUSE_AND_EXTEND:
        raise WorktimeError(_("Cách tính khi bổ sung hồ sơ không hợp lệ."))
    ordinal, us = _position(local)
    w_start = calendar._w(ordinal, us)
    # The start as (working day k, offset into it); after hours it is the beginning (offset 0) of the next one.
    k = bisect_right(calendar._cum, w_start) - 1
    if cutoff is not None:
        if not isinstance(cutoff, time):
            raise WorktimeError(_("Giờ chốt nhận hồ sơ phải là giờ:phút."))
        if (
            calendar._day_working[calendar._index(ordinal)]
            and us > _time_us(cutoff)
            and w_start > calendar._cum[k]
        ):
            k += 1
            w_start = calendar._cum[k]
            if trace is not None:
                trace.append(
                    _("Nhận sau %(cutoff)s: tính từ ngày làm việc tiếp theo.") % {"cutoff": f"{cutoff:%H:%M}"}
                )
    if trace is not None:
        first = calendar._instant(w_start + 1) - timedelta(microseconds=1)
        if first != local:
            trace.append(_("Bắt đầu tính thời hạn từ %(at)s (giờ làm việc đầu tiên).") % {"at": _fmt(first)})
    if kind == "calendar_days":
        return _calendar_days_due(calendar, k, amount, w_start, checked, trace)
    if kind == "working_days":
        if k + amount >= len(calendar._wd_len):
            calendar._beyond()
        offset = w_start - calendar._cum[k]
        target = calendar._cum[k + amount] + min(offset, calendar._wd_len[k + amount])
        if trace is not None:
            trace.append(
                _("Cộng %(n)s ngày làm việc (bỏ qua thứ Bảy, Chủ nhật và ngày nghỉ): %(at)s.")
                % {"n": amount, "at": _fmt(calendar._instant(target))}
            )
            if amount <= 20:
                counted = range(k + 1, k + amount + 1) if offset else range(k, k + amount)
                trace.append(
                    _("Các ngày làm việc được tính: %(days)s.")
                    % {"days": ", ".join(f"{date.fromordinal(calendar._wd_ord[i]):%d/%m}" for i in counted)}
                )
    else:
        target = w_start + amount
        if trace is not None:
            trace.append(
                _("Cộng %(h)s làm việc (bỏ qua giờ nghỉ trưa, ngoài giờ và ngày nghỉ): %(at)s.")
                % {"h": _hours(amount), "at": _fmt(calendar._instant(target))}
            )
    for p_start, p_end, _kind in checked:
        w_ps = max(calendar._w(*_position(p_start)), w_start)
        if w_ps >= target:
            break
        extra = calendar._w(*_position(p_end)) - w_ps
        if extra > 0:
            target += extra
            if trace is not None:
                trace.append(
                    _("Tạm dừng từ %(start)s đến %(end)s: cộng thêm %(h)s làm việc, hạn mới %(at)s.")
                    % {
                        "start": _fmt(p_start),
                        "end": _fmt(p_end),
                        "h": _hours(extra),
                        "at": _fmt(calendar._instant(target)),
                    }
                )
    due = calendar._instant(target)
    if trace is not None:
        skipped = _skipped_days(calendar, local, due)
        if skipped:
            trace.append(skipped)
        trace.append(_("Hạn trả kết quả: %(at)s.") % {"at": _fmt(due)})
    return due


def _calendar_days_due(
    calendar: WorkingCalendar,
    k: int,
    days: int,
    w_start: int,
    pauses: list[tuple[datetime, datetime, str]],
    trace: list[str] | None,
) -> datetime:
    if k >= len(calendar._wd_ord):
        calendar._beyond()
    start_ordinal = calendar._wd_ord[k]
    due_ordinal = start_ordinal + days
    if trace is not None:
        trace.append(
            _("Cộng %(n)s ngày theo lịch (kể cả ngày nghỉ): ngày %(day)s.")
            % {"n": days, "day": f"{date.fromordinal(due_ordinal):%d/%m/%Y}"}
        )
    clock_start = calendar._instant(w_start + 1) - timedelta(microseconds=1) if pauses else None
    for p_start, p_end, _kind in pauses:
        day_end = datetime.combine(date.fromordinal(due_ordinal), time.max, tzinfo=TZ)
        begins = max(p_start, clock_start)  # type: ignore[type-var]
        if begins >= day_end:
            break
        length = p_end - begins
        if length > timedelta(0):
            extra_days = -(-length // timedelta(days=1))  # whole days, rounded up
            due_ordinal += extra_days
            if trace is not None:
                trace.append(
                    _("Tạm dừng từ %(start)s đến %(end)s: lùi thêm %(n)s ngày, đến ngày %(day)s.")
                    % {
                        "start": _fmt(p_start),
                        "end": _fmt(p_end),
                        "n": extra_days,
                        "day": f"{date.fromordinal(due_ordinal):%d/%m/%Y}",
                    }
                )
    i = calendar._index(due_ordinal)
    if not calendar._day_working[i] and trace is not None:
        trace.append(
            _("Ngày %(day)s là ngày nghỉ%(name)s: chuyển sang cuối ngày làm việc tiếp theo.")
            % {
                "day": f"{date.fromordinal(due_ordinal):%d/%m/%Y}",
                "name": f" ({calendar.names[date.fromordinal(due_ordinal)]})"
                if date.fromordinal(due_ordinal) in calendar.names
                else "",
            }
        )
    k_due = calendar._day_next[i]
    if k_due >= len(calendar._wd_len):
        calendar._beyond()
    due = calendar._end_of_day(k_due)
    if trace is not None:
        trace.append(_("Hạn trả kết quả: %(at)s (hết giờ làm việc).") % {"at": _fmt(due)})
    return due


def due_explained(**kwargs) -> tuple[datetime, list[str]]:
    """Same arguments as `due_instant`; returns the due instant and the steps, one Vietnamese sentence each."""
    steps: list[str] = []
    kwargs.pop("trace", None)
    due = due_instant(trace=steps, **kwargs)
    return due, steps


def elapsed_working_time(
    *, calendar: WorkingCalendar, start: datetime, end: datetime, pauses: Sequence[Pause] = ()
) -> timedelta:
    """Working time between two instants (office hours of working days only), less the pauses inside."""
    local_start = _local(start, gettext_noop("Thời điểm bắt đầu"))
    local_end = _local(end, gettext_noop("Thời điểm kết thúc"))
    if local_end < local_start:
        raise WorktimeError(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
    w_start = calendar._w(*_position(local_start))
    w_end = calendar._w(*_position(local_end))
    paused = 0
    for p_start, p_end, _kind in _pauses(pauses, local_start) if pauses else ():
        a = calendar._w(*_position(p_start))
        b = min(calendar._w(*_position(p_end)), w_end)
        paused += max(0, b - a)
    return timedelta(microseconds=w_end - w_start - paused)


def _as_date(value: date | datetime, what: str) -> date:
    if isinstance(value, datetime):
        return _local(value, what).date()
    if isinstance(value, date):
        return value
    raise WorktimeError(_("%(what)s phải là một ngày.") % {"what": _(what)})


def classify(
    *, due: datetime | None, finished_at: datetime | None = None, as_of: date | datetime | None = None
) -> Timeliness:
    """Early / on time / late by *date* (REFERENCE §5.5).

    Finished work: compare the finishing date with the due date. Work in progress: give `as_of` (the end of the
    reporting period, or today): on time while the due date is on or after it, late otherwise. No due date:
    on time.
    """
    if due is None:
        return Timeliness.ON_TIME
    due_day = _as_date(due, gettext_noop("Hạn trả kết quả"))
    if finished_at is not None:
        done_day = _as_date(finished_at, gettext_noop("Thời điểm hoàn thành"))
        if done_day < due_day:
            return Timeliness.EARLY
        return Timeliness.ON_TIME if done_day == due_day else Timeliness.LATE
    if as_of is None:
        raise WorktimeError(_("Hồ sơ chưa hoàn thành: cần ngày chốt số liệu để phân loại."))
    return (
        Timeliness.ON_TIME
        if due_day >= _as_date(as_of, gettext_noop("Ngày chốt số liệu"))
        else Timeliness.LATE
    )


def due_within(*, calendar: WorkingCalendar, due: datetime, now: datetime, working_hours: float = 24) -> bool:
    """Not yet late, and at most `working_hours` (24 by default) of working time left: "sắp đến hạn"."""
    if _local(due, gettext_noop("Hạn trả kết quả")) <= _local(now, gettext_noop("Thời điểm hiện tại")):
        return False
    left = elapsed_working_time(calendar=calendar, start=now, end=due)
    return left <= timedelta(hours=working_hours)
