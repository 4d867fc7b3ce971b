"""Receiving a report from any channel: the public web form, the hotline desk (call, Zalo, e-mail) and the API.

    report = report_submit(actor=SYSTEM, channel="web", data={...}, photos=[Photo("a.jpg", raw)])

Every check gives a Vietnamese message naming the field (FeedbackInvalid.errors); nothing is written on failure.
The request writes what keeps the report — the row, its photos, the audit event and one queued task — in one
transaction. The task (`tasks.complete_intake`, seconds later) routes it by category × commune when a rule matches
(`services.report_route_auto`; otherwise it waits in the operators' queue) and sends the acknowledgement, naming the
agency and the deadline. A burst of reports (a storm, a flood) therefore costs the web form and the API only the
writes; the hotline desk completes at once (`complete_now=True`) because the operator reads the agency to the caller.
ADR 0013.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit import audit_event_build
from motcua.core.rows import next_id, row_get, row_get_also, rows_insert, rows_together_possible, value_get
from motcua.directory.models import AdministrativeUnit
from motcua.feedback import photos as photo_store
from motcua.feedback.errors import FeedbackInvalid
from motcua.feedback.models import Category, Channel, Kind, Report, Status

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
NAME_MAX, ADDRESS_MAX, TITLE_MAX = 200, 255, 200
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 5000
NOTIFY_CHANNELS = ("email", "sms")


@dataclass(frozen=True)
class Photo:
    filename: str
    data: bytes


def report_code_new() -> str:
    """`PA` + two digits of the year + six characters: short enough to read over the phone, not guessable."""
    year = timezone.localdate().year % 100
    return f"PA{year:02d}{''.join(secrets.choice(CODE_ALPHABET) for _i in range(6))}"


def bounds() -> tuple[float, float, float, float]:
    south, west, north, east = (float(v) for v in settings.FEEDBACK_BOUNDS.split(","))
    return south, west, north, east


def _text(data: dict, key: str, errors: dict, *, label: str, limit: int, required: bool = False) -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        errors[key] = _("Chưa nhập %(label)s.") % {"label": label}
    elif len(value) > limit:
        errors[key] = _("%(label)s dài %(n)s ký tự, quá giới hạn %(limit)s ký tự.") % {
            "label": label.capitalize(),
            "n": len(value),
            "limit": limit,
        }
    return value


_COMMUNE_OF_PROVINCE = (
    "SELECT c.id FROM {table} c JOIN {table} p ON p.id = c.province_id"
    " WHERE c.level = %s AND c.code = %s AND p.code = %s LIMIT 1"
)


def province_commune_id(code: str) -> int | None:
    """The id of the province's commune with this code, or None. (One hand-written statement: it runs with every
    report, ADR 0014.)"""
    return value_get(
        _COMMUNE_OF_PROVINCE.format(table=AdministrativeUnit._meta.db_table),
        [AdministrativeUnit.Level.COMMUNE, code, settings.PROVINCE_CODE],
    )


@dataclass(frozen=True)
class CommuneFound:
    """A commune code already looked up (`category_and_commune`): `id` is None when the province has no such commune."""

    code: str
    id: int | None


def category_and_commune(code: str, commune_code: str) -> tuple[Category | None, CommuneFound | None]:
    """The active category with this service code and the province's commune with this code, in one statement (the
    Open311 POST, ADR 0014); the commune is None when no code was given."""
    commune_code = (commune_code or "").strip()[:5]
    if not commune_code:
        return active_category(code), None
    category, commune_id = row_get_also(
        Category, "code = %s AND active", [code],
        also=f"({_COMMUNE_OF_PROVINCE.format(table=AdministrativeUnit._meta.db_table)})",
        also_params=[AdministrativeUnit.Level.COMMUNE, commune_code, settings.PROVINCE_CODE],
    )  # fmt: skip
    return category, CommuneFound(commune_code, commune_id)


def active_category(code: str) -> Category | None:
    """The active category with this service code (unique), or None."""
    return row_get(Category, "code = %s AND active", [code]) if code else None


def _category(data: dict, errors: dict) -> Category | None:
    value = data.get("category")
    if isinstance(value, Category):
        return value
    code = str(value or "").strip()[:40]
    category = active_category(code)
    if category is None:
        errors["category"] = _("Hãy chọn lĩnh vực phản ánh.") if not code else _("Lĩnh vực không tồn tại.")
    return category


def _kind(data: dict, category: Category | None, errors: dict) -> str:
    kind = str(data.get("kind") or "").strip()
    if not kind and category is not None and category.kinds:
        kind = category.kinds[0]
    if kind not in Kind.values:
        errors["kind"] = _("Hãy chọn loại phản ánh.")
    elif category is not None and category.kinds and kind not in category.kinds:
        errors["kind"] = _("Lĩnh vực “%(category)s” không nhận loại “%(kind)s”.") % {
            "category": category.name,
            "kind": Kind(kind).label,
        }
    return kind


def _reporter(data: dict, category: Category | None, channel: str, errors: dict) -> dict[str, Any]:
    anonymous = data.get("anonymous") in (True, "true", "on", "1", 1)
    if anonymous and category is not None and not category.anonymous_allowed:
        errors["anonymous"] = _(
            "Lĩnh vực “%(category)s” không nhận phản ánh ẩn danh: hãy để lại họ tên và số điện thoại."
        ) % {"category": category.name}
    name = _text(data, "reporter_name", errors, label=_("họ và tên"), limit=NAME_MAX)
    phone = re.sub(r"[\s.\-]", "", str(data.get("reporter_phone") or ""))
    email = str(data.get("reporter_email") or "").strip()[:254]
    if phone and not PHONE_RE.match(phone):
        errors["reporter_phone"] = _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = _("Địa chỉ thư điện tử không đúng dạng (ví dụ ten@example.vn).")
    if not anonymous:
        if not name and "reporter_name" not in errors:
            errors["reporter_name"] = _("Chưa nhập họ và tên (hoặc chọn gửi ẩn danh nếu lĩnh vực cho phép).")
        if channel == Channel.API and not (phone or email) and "reporter_phone" not in errors:
            errors["reporter_phone"] = _("Cần số điện thoại hoặc thư điện tử của người phản ánh.")
        elif channel != Channel.API and not phone and "reporter_phone" not in errors:
            errors["reporter_phone"] = _("Chưa nhập số điện thoại.")
    channels = [c for c in data.get("notify_channels") or [] if c in NOTIFY_CHANNELS]
    if "email" in channels and not email and "reporter_email" not in errors:
        errors["reporter_email"] = _("Để nhận thông báo qua thư điện tử, hãy nhập địa chỉ thư điện tử.")
    return {
        "anonymous": anonymous,
        "reporter_name": name,
        "reporter_phone": phone,
        "reporter_email": email,
        "notify_channels": channels,
    }


def _coordinate(value, low: float, high: float) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal("0.000001")) if low <= number <= high else Decimal("NaN")


def _location(data: dict, category: Category | None, channel: str, errors: dict) -> dict[str, Any]:
    """Commune + address, and/or a pin (lat, lon) inside the province; the map is never the only way."""
    given = data.get("commune")
    if isinstance(given, CommuneFound):
        code, commune = given.code, given.id
    else:
        code = str(given or "").strip()[:5]
        commune = province_commune_id(code) if code else None
    if code and commune is None:
        errors["commune"] = _("Xã, phường đã chọn không thuộc tỉnh.")
    address = _text(data, "address", errors, label=_("địa chỉ"), limit=ADDRESS_MAX)
    lat_raw, lon_raw = str(data.get("lat") or "").strip(), str(data.get("lon") or "").strip()
    lat = lon = None
    if lat_raw or lon_raw:
        south, west, north, east = bounds()
        lat, lon = _coordinate(lat_raw, -90, 90), _coordinate(lon_raw, -180, 180)
        if lat is None or lon is None or lat.is_nan() or lon.is_nan():
            errors["location"] = _("Vĩ độ, kinh độ không hợp lệ (ví dụ 10.9453 và 106.8243).")
            lat = lon = None
        elif not (south <= lat <= north and west <= lon <= east):
            errors["location"] = _(
                "Vị trí đã chọn nằm ngoài địa bàn tỉnh. Hãy kiểm tra lại vị trí hoặc chọn xã, phường."
            )
            lat = lon = None
    if (
        category is not None
        and category.needs_location
        and "location" not in errors
        and "commune" not in errors
    ):
        if lat is None and not (commune and address):
            if not commune:
                errors["commune"] = _("Hãy chọn xã, phường nơi xảy ra sự việc.")
            if not address:
                errors["address"] = _("Hãy ghi địa chỉ hoặc mô tả địa điểm (số nhà, đường, ấp, khu phố).")
    return {"commune_id": commune, "address": address, "lat": lat, "lon": lon}


def report_input_clean(*, data: dict, channel: str) -> dict[str, Any]:
    """The report's fields from what the citizen or operator typed; FeedbackInvalid lists every problem at once."""
    errors: dict[str, str] = {}
    category = _category(data, errors)
    kind = _kind(data, category, errors)
    description = str(data.get("description") or "").strip()
    if not description:
        errors["description"] = _("Chưa nhập nội dung phản ánh.")
    elif len(description) < DESCRIPTION_MIN:
        errors["description"] = _("Nội dung quá ngắn: hãy mô tả sự việc rõ hơn (ít nhất %(n)s ký tự).") % {
            "n": DESCRIPTION_MIN
        }
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Nội dung dài %(n)s ký tự, quá giới hạn %(limit)s ký tự.") % {
            "n": len(description),
            "limit": DESCRIPTION_MAX,
        }
    title = _text(data, "title", errors, label=_("tiêu đề"), limit=TITLE_MAX)
    fields = {"category": category, "kind": kind, "description": description, "title": title}
    fields.update(_reporter(data, category, channel, errors))
    fields.update(_location(data, category, channel, errors))
    if errors:
        raise FeedbackInvalid(errors)
    return fields


def report_submit(
    *,
    actor,
    channel: str,
    data: dict,
    photos: list[Photo] = (),  # type: ignore[assignment]
    recorded_by=None,
    api_client=None,
    reporter_user=None,
    attributes: dict | None = None,
    complete_now: bool = False,
) -> Report:
    """Check and store one report, and queue its routing and acknowledgement (`report_intake_complete`; at once,
    in the same transaction, with `complete_now`). `actor` is the citizen (or SYSTEM for an anonymous web
    visitor), the operator who recorded a call, or the API client."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    fields = report_input_clean(data=data, channel=channel)
    photos = list(photos)
    kinds = photo_store.photos_check(photos)  # by content, size, decompression bombs: once
    for _attempt in range(5):
        now = timezone.now()
        report = Report(
            code=report_code_new(),
            received_at=now,
            updated_at=now,
            status=Status.RECEIVED,
            channel=channel,
            recorded_by=recorded_by,
            api_client=api_client,
            reporter_user=reporter_user,
            attributes=attributes or {},
            **fields,
        )
        received = {
            "channel": channel,
            "category": report.category.code,
            "kind": report.kind,
            "photos": len(photos),
        }
        try:
            return _store(
                report, actor=actor, photos=photos, kinds=kinds, received=received, complete_now=complete_now
            )
        except IntegrityError:
            if not Report.objects.filter(code=report.code).exists():
                raise
            continue  # a code collision (1 in 10⁹ per pair): draw again
    raise RuntimeError("could not allocate a unique report code")


def _store(report: Report, *, actor, photos: list, kinds: list, received: dict, complete_now: bool) -> Report:
    """Write the report, its photos, the audit event and its queued task (or complete it at once). On PostgreSQL with
    no transaction open, the web form's and the API's report travel in one statement string that PostgreSQL writes
    all or nothing, its id drawn first from the sequence (ADR 0014); otherwise in a transaction, the report first so
    that a code collision fails before any file is written."""
    from motcua.feedback.tasks import complete_intake, enqueue_with_the_change, queue_row

    together = not complete_now and rows_together_possible()
    with contextlib.nullcontext() if together else transaction.atomic():
        if together:
            report.pk = next_id(Report)
        else:
            rows_insert([report])
        stored = photo_store.photo_rows(report=report, photos=photos, kinds=kinds)  # the files first
        rows = [
            *stored,
            audit_event_build(action="feedback.report.received", actor=actor, obj=report, data=received),
        ]
        if complete_now:
            rows_insert(rows)
            return _complete(report, new=True)
        task = queue_row(complete_intake, report.pk)
        try:
            rows_insert([*([report] if together else []), *rows, *([task] if task is not None else [])])
        except Exception:
            for row in stored:
                row.file.delete(save=False)  # nothing refers to them
            raise
        if task is None:  # an external queue (Redis): after the commit
            enqueue_with_the_change(complete_intake, report.pk)
    return report


def _complete(report: Report, *, new: bool) -> Report:
    from motcua.feedback.errors import FeedbackError
    from motcua.feedback.notify import report_notify
    from motcua.feedback.services import report_route_auto

    with transaction.atomic():
        if report.status == Status.RECEIVED and report.routed_at is None:
            try:
                report = report_route_auto(report=report)
            except FeedbackError:  # an operator acted on it in the meantime (routed, rejected, merged)
                report.refresh_from_db()
        if new or not _acknowledged(report):
            report_notify(report=report, event="received")
    return report


def _acknowledged(report: Report) -> bool:
    from motcua.notifications.models import Notification

    return Notification.objects.filter(
        object_type=report._meta.label_lower, object_id=str(report.pk), event="feedback.report.received"
    ).exists()


def report_intake_complete(*, report_id: int) -> str:
    """The second half of intake, run by the task queue: route by category × commune when a rule matches, then
    acknowledge to the reporter (with the agency and the deadline when routed). Safe to run twice: a report an
    operator already routed, rejected or merged is only acknowledged; an acknowledged one gets no second message.
    Returns the report's status."""
    report = Report.objects.select_related("category", "commune").filter(pk=report_id).first()
    if report is None:
        return "missing"
    return _complete(report, new=False).status
