"""Staff actions on a dossier by name, for the back-office pages and `POST /api/v1/dossiers/{code}/actions/{action}`.

    dossier_action_perform(dossier=d, actor=user, action="forward", data={"note": "…"}, expected_revision=5)

`data` is what a form or a JSON body carries (strings); this module turns it into the typed arguments of the one
service each action calls, with a Vietnamese message for anything malformed (a date that is not dd/mm/yyyy, an
amount that is not a number, an unknown person). The services check who may act, so the page and the API share
the same permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.directory.models import User
from motcua.dossiers import processing, results, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier


def parse_date(value: str, *, field: str) -> date:
    value = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DossierError(_("Ngày phải có dạng ngày/tháng/năm, ví dụ 25/12/2026."), code="bad_date", field=field)


def parse_instant(day: str, hour: str, *, field: str) -> datetime:
    """A local date (dd/mm/yyyy) and time (HH:MM, 17:00 when empty) as an aware instant."""
    the_day = parse_date(day, field=field)
    hour = (hour or "").strip() or "17:00"
    try:
        the_time = time.fromisoformat(hour if len(hour) > 2 else f"{hour}:00")
    except ValueError:
        raise DossierError(
            _("Giờ phải có dạng giờ:phút, ví dụ 16:30."), code="bad_time", field=field
        ) from None
    return timezone.make_aware(datetime.combine(the_day, the_time), timezone.get_default_timezone())


def _person(value: str) -> User:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        pk = None
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None:
        raise DossierError(_("Hãy chọn người được phân công."), code="wrong_assignee", field="assignee")
    return user


def _flag(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _take(*, dossier, actor, data, upload, revision):
    return processing.dossier_step_assign(
        dossier=dossier, actor=actor, assignee=actor, expected_revision=revision
    )


def _assign(*, dossier, actor, data, upload, revision):
    assignee = _person(data.get("assignee", ""))
    return processing.dossier_step_assign(
        dossier=dossier, actor=actor, assignee=assignee, expected_revision=revision
    )


def _forward(*, dossier, actor, data, upload, revision):
    return processing.dossier_forward(
        dossier=dossier, actor=actor, note=data.get("note", ""), expected_revision=revision
    )


def _send_back(*, dossier, actor, data, upload, revision):
    return processing.dossier_send_back(
        dossier=dossier, actor=actor, note=data.get("note", ""), expected_revision=revision
    )


def _supplement(*, dossier, actor, data, upload, revision):
    items = data.get("items", "")
    items = items.splitlines() if isinstance(items, str) else list(items)
    return services.dossier_supplement_request(
        dossier=dossier, actor=actor, items=items, reason=data.get("reason", ""), expected_revision=revision
    )


def _payment_request(*, dossier, actor, data, upload, revision):
    return processing.dossier_payment_request(
        dossier=dossier,
        actor=actor,
        description=data.get("description", ""),
        amount=data.get("amount", ""),
        expected_revision=revision,
    )


def _payment_record(*, dossier, actor, data, upload, revision):
    return processing.dossier_payment_record(
        dossier=dossier,
        actor=actor,
        method=data.get("method", ""),
        receipt_number=data.get("receipt_number", ""),
        expected_revision=revision,
    )


def _stop(*, dossier, actor, data, upload, revision):
    return processing.dossier_stop(
        dossier=dossier, actor=actor, reason=data.get("reason", ""), expected_revision=revision
    )


def _resume(*, dossier, actor, data, upload, revision):
    return processing.dossier_resume(
        dossier=dossier, actor=actor, note=data.get("note", ""), expected_revision=revision
    )


def _withdraw(*, dossier, actor, data, upload, revision):
    return processing.dossier_withdraw(
        dossier=dossier, actor=actor, reason=data.get("reason", ""), expected_revision=revision
    )


def _apologize(*, dossier, actor, data, upload, revision):
    new_due = parse_instant(data.get("new_due_date", ""), data.get("new_due_time", ""), field="new_due_date")
    return results.dossier_apologize(
        dossier=dossier,
        actor=actor,
        reason=data.get("reason", ""),
        new_due_at=new_due,
        signer_name=data.get("signer_name", ""),
        signer_title=data.get("signer_title", ""),
        expected_revision=revision,
    )


def _unresolved(*, dossier, actor, data, upload, revision):
    return results.dossier_return_unresolved(
        dossier=dossier, actor=actor, reason=data.get("reason", ""), expected_revision=revision
    )


def _approve(*, dossier, actor, data, upload, revision):
    signed = data.get("result_signed_on", "")
    return results.dossier_approve(
        dossier=dossier,
        actor=actor,
        result_number=data.get("result_number", ""),
        result_signed_on=parse_date(signed, field="result_signed_on") if str(signed).strip() else None,
        result_signer=data.get("result_signer", ""),
        result_summary=data.get("result_summary", ""),
        upload=upload,
        generate=upload is None and _flag(data.get("generate", "")),
        expected_revision=revision,
    )


def _return_result(*, dossier, actor, data, upload, revision):
    return results.dossier_return_result(
        dossier=dossier,
        actor=actor,
        method=data.get("method", ""),
        returned_to=data.get("returned_to", ""),
        post_tracking_number=data.get("post_tracking_number", ""),
        expected_revision=revision,
    )


class Action(NamedTuple):
    label: Any  # lazy text of the button
    run: Callable[..., Dossier]
    transition: str  # the dossier transition it makes (services.TRANSITIONS): which states allow it


# name → action; the names are the API's `{action}` and the back office's form targets.
ACTIONS: dict[str, Action] = {
    "take": Action(gettext_lazy("Nhận xử lý"), _take, "assigned"),
    "assign": Action(gettext_lazy("Phân công"), _assign, "assigned"),
    "forward": Action(gettext_lazy("Chuyển bước tiếp theo"), _forward, "forwarded"),
    "send-back": Action(gettext_lazy("Trả lại bước trước"), _send_back, "sent_back"),
    "request-supplement": Action(gettext_lazy("Yêu cầu bổ sung"), _supplement, "supplement_requested"),
    "request-payment": Action(
        gettext_lazy("Yêu cầu nghĩa vụ tài chính"), _payment_request, "payment_requested"
    ),
    "record-payment": Action(gettext_lazy("Ghi nhận đã nộp"), _payment_record, "paid"),
    "stop": Action(gettext_lazy("Dừng xử lý"), _stop, "stopped"),
    "resume": Action(gettext_lazy("Tiếp tục xử lý"), _resume, "resumed"),
    "withdraw": Action(gettext_lazy("Rút hồ sơ"), _withdraw, "withdrawn"),
    "apologize": Action(gettext_lazy("Lập phiếu xin lỗi (Mẫu 04)"), _apologize, "apologized"),
    "return-unresolved": Action(
        gettext_lazy("Trả lại hồ sơ, không giải quyết"), _unresolved, "returned_unresolved"
    ),
    "approve": Action(gettext_lazy("Phê duyệt kết quả"), _approve, "approved"),
    "return-result": Action(gettext_lazy("Trả kết quả"), _return_result, "result_returned"),
}


def action_allowed_in(dossier: Dossier, action: str) -> bool:
    """Whether the dossier's state allows the action at all (who may take it is the service's question)."""
    return dossier.status in services.TRANSITIONS[ACTIONS[action].transition][0]


def dossier_action_perform(
    *, dossier: Dossier, actor, action: str, data, upload=None, expected_revision: int | None = None
) -> Dossier:
    """Run one named staff action; raises DossierError (with a Vietnamese message) when refused."""
    if action not in ACTIONS:
        raise DossierError(_("Thao tác không tồn tại."), code="unknown_action")
    function = ACTIONS[action].run
    services.revision_check(dossier, expected_revision)  # a stale page is told so before anything else
    return function(dossier=dossier, actor=actor, data=data, upload=upload, revision=expected_revision)
