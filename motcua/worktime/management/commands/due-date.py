"""`motcua due-date`: the due instant (ngày hẹn trả) for a start and a duration, with the steps on request."""

from __future__ import annotations

import re
import sys
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.worktime.clock import TZ, Pause, SupplementMode, WorktimeError, due_explained

_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d",
    "%d/%m/%Y",
)


def parse_instant(text: str, what: str) -> datetime:
    """'2026-02-13 16:00' (Asia/Ho_Chi_Minh), '13/02/2026 16:00', or ISO 8601 with an offset."""
    text = (text or "").strip()
    value = None
    for fmt in _FORMATS:
        try:
            value = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if value is None:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise WorktimeError(
                _('%(what)s không đúng dạng ngày giờ: %(text)r (ví dụ: "2026-02-13 16:00").')
                % {"what": what, "text": text}
            ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


def _number(text: str | None, *, integer: bool, what: str):
    if text is None:
        return None
    cleaned = text.strip().replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or (integer and number != number.to_integral_value()):
        kind = _("một số nguyên") if integer else _("một số")
        raise WorktimeError(
            _("%(what)s phải là %(kind)s, không phải %(text)r.") % {"what": what, "kind": kind, "text": text}
        )
    if number <= 0:
        raise WorktimeError(_("%(what)s phải lớn hơn 0.") % {"what": what})
    return (
        int(number) if integer else (int(number) if number == number.to_integral_value() else float(number))
    )


class Command(BaseCommand):
    help = _(
        "Tính ngày hẹn trả theo giờ làm việc, ngày nghỉ lễ và điều chỉnh của tỉnh; dòng cuối là thời điểm "
        "theo ISO 8601 (+07:00)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--start", help=_('Thời điểm tiếp nhận, ví dụ "2026-02-13 16:00" (giờ Việt Nam).')
        )
        parser.add_argument("--working-days", help=_("Thời hạn tính bằng ngày làm việc."))
        parser.add_argument(
            "--working-hours", help=_("Thời hạn tính bằng giờ làm việc (có thể lẻ, ví dụ 4 hoặc 1,5).")
        )
        parser.add_argument("--calendar-days", help=_("Thời hạn tính bằng ngày theo lịch."))
        parser.add_argument("--cutoff", help=_("Giờ chốt nhận trong ngày (HH:MM), ví dụ 15:00."))
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            help=_('Khoảng tạm dừng "BẮT ĐẦU,KẾT THÚC" (yêu cầu bổ sung); lặp lại được.'),
        )
        parser.add_argument(
            "--supplement-mode",
            default=SupplementMode.PAUSE_AND_EXTEND.value,
            help=_(
                "pause_and_extend (mặc định: dừng rồi cộng thêm) hoặc restart (tính lại từ đầu khi nhận bổ sung)."
            ),
        )
        parser.add_argument("--province", default=None, help=_("Mã tỉnh (mặc định: tỉnh của hệ thống)."))
        parser.add_argument("--explain", action="store_true", help=_("In từng bước tính trước kết quả."))

    def handle(self, *args, **options):
        try:
            due, steps = self._compute(options)
        except WorktimeError as exc:
            message = _("Lỗi: %(message)s") % {"message": exc}
            if self._called_from_command_line:
                self.stderr.write(message)
                sys.exit(2)
            raise CommandError(message, returncode=2) from None
        if options["explain"]:
            for number, step in enumerate(steps, start=1):
                self.stdout.write(f"{number}. {step}")
        self.stdout.write(due.isoformat(timespec="seconds"))

    def _compute(self, options):
        from motcua.worktime.services import calendar_for_province

        if not options["start"]:
            raise WorktimeError(_('Thiếu --start (thời điểm tiếp nhận), ví dụ --start "2026-02-13 16:00".'))
        start = parse_instant(options["start"], "--start")
        durations = {
            "working_days": _number(options["working_days"], integer=True, what="--working-days"),
            "working_hours": _number(options["working_hours"], integer=False, what="--working-hours"),
            "calendar_days": _number(options["calendar_days"], integer=True, what="--calendar-days"),
        }
        if sum(value is not None for value in durations.values()) != 1:
            raise WorktimeError(_("Cần đúng một trong --working-days, --working-hours, --calendar-days."))
        cutoff = None
        if options["cutoff"]:
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", options["cutoff"].strip())
            if not match:
                raise WorktimeError(_("--cutoff phải có dạng HH:MM, ví dụ 15:00."))
            cutoff = time(int(match.group(1)), int(match.group(2)))
        pauses = []
        for text in options["pause"]:
            parts = text.split(",")
            if len(parts) != 2:
                raise WorktimeError(
                    _('--pause phải có dạng "BẮT ĐẦU,KẾT THÚC", ví dụ "2026-03-03 09:00,2026-03-05 09:00".')
                )
            pauses.append(Pause(parse_instant(parts[0], "--pause"), parse_instant(parts[1], "--pause")))
        try:
            mode = SupplementMode(options["supplement_mode"])
        except ValueError:
            raise WorktimeError(_("--supplement-mode chỉ nhận pause_and_extend hoặc restart.")) from None
        code = options["province"] or settings.PROVINCE_CODE
        calendar = calendar_for_province(code)
        return due_explained(
            calendar=calendar, start=start, cutoff=cutoff, pauses=pauses, supplement_mode=mode, **durations
        )
