"""Checks of what an applicant (or a desk officer for them) typed: one Vietnamese message per wrong field.

fields = submission_fields_clean(version=v, applicant={...}, extra={...}, delivery="desk",
                                 delivery_address="", notify_channels=["sms"])   # or DossierInvalid
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.identity import validate_cccd, validate_tax_code
from motcua.core.text import normalize
from motcua.directory.models import AdministrativeUnit
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Delivery, IdType

PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
NAME_MAX = 200
ADDRESS_MAX = 255
NOTIFY_CHANNELS = {"email", "sms", "zalo"}
# The applicant block and the optional submitter block, as model fields and form fields alike.
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_type",
    "applicant_id_number",
    "applicant_birth_date",
    "applicant_phone",
    "applicant_email",
    "applicant_commune",
    "applicant_address",
)
SUBMITTER_FIELDS = (
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "submitter_email",
    "submitter_authorisation",
)


class DossierInvalid(DossierError):
    """Several fields are wrong: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), code="invalid")
        self.errors = errors


def _text(data: dict, key: str, errors: dict, *, label: str, required: bool, limit: int) -> str:
    value = normalize(str(data.get(key) or ""))
    if required and not value:
        errors[key] = _("Chưa nhập %(label)s.") % {"label": label}
    elif len(value) > limit:
        errors[key] = _("%(label)s dài %(n)s ký tự, quá giới hạn %(limit)s ký tự.") % {
            "label": label.capitalize(),
            "n": len(value),
            "limit": limit,
        }
    return value


def _phone(data: dict, key: str, errors: dict, *, required: bool) -> str:
    value = re.sub(r"[\s.\-]", "", str(data.get(key) or ""))
    if required and not value:
        errors[key] = _("Chưa nhập số điện thoại.")
    elif value and not PHONE_RE.match(value):
        errors[key] = _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).")
    return value


def _email(data: dict, key: str, errors: dict) -> str:
    value = str(data.get(key) or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors[key] = _("Địa chỉ thư điện tử không đúng dạng (ví dụ ten@example.vn).")
    return value


def _birth_date(data: dict, key: str, errors: dict) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, str):
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                value = timezone.datetime.strptime(value.strip(), pattern).date()
                break
            except ValueError:
                continue
        else:
            errors[key] = _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1990.")
            return None
    if value > timezone.localdate():
        errors[key] = _("Ngày sinh không thể ở trong tương lai.")
        return None
    if value.year < 1900:
        errors[key] = _("Ngày sinh trước năm 1900: hãy kiểm tra lại.")
        return None
    return value


def applicant_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The applicant and submitter blocks as model fields; DossierInvalid naming every wrong field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "applicant_name": _text(
            data, "applicant_name", errors, label=_("họ và tên"), required=True, limit=NAME_MAX
        ),
        "applicant_address": _text(
            data, "applicant_address", errors, label=_("địa chỉ"), required=False, limit=ADDRESS_MAX
        ),
        "applicant_phone": _phone(data, "applicant_phone", errors, required=True),
        "applicant_email": _email(data, "applicant_email", errors),
        "applicant_birth_date": _birth_date(data, "applicant_birth_date", errors),
    }
    id_type = data.get("applicant_id_type") or IdType.CCCD
    if id_type not in IdType.values:
        errors["applicant_id_type"] = _("Loại giấy tờ không hợp lệ.")
    number = re.sub(r"\s", "", str(data.get("applicant_id_number") or ""))
    if not number:
        errors["applicant_id_number"] = _("Chưa nhập số giấy tờ tùy thân (CCCD).")
    elif id_type == IdType.CCCD:
        try:
            validate_cccd(number, birth_date=out["applicant_birth_date"])
        except ValidationError as exc:
            errors["applicant_id_number"] = " ".join(exc.messages)
    elif id_type == IdType.TAX_CODE:
        try:
            validate_tax_code(number)
        except ValidationError as exc:
            errors["applicant_id_number"] = " ".join(exc.messages)
    elif not re.fullmatch(r"[A-Z0-9]{6,12}", number.upper()):
        errors["applicant_id_number"] = _("Số hộ chiếu gồm 6 đến 12 chữ cái in hoa và chữ số.")
    out["applicant_id_type"], out["applicant_id_number"] = id_type, number.upper()
    commune = data.get("applicant_commune")
    if commune not in (None, "") and not isinstance(commune, AdministrativeUnit):
        commune = AdministrativeUnit.objects.filter(level="commune", code=str(commune)).first()
        if commune is None:
            errors["applicant_commune"] = _("Không có xã, phường mã này.")
    out["applicant_commune"] = commune or None
    out["submitter_name"] = _text(
        data, "submitter_name", errors, label=_("họ tên người nộp thay"), required=False, limit=NAME_MAX
    )
    if out["submitter_name"]:
        out["submitter_id_number"] = re.sub(r"\s", "", str(data.get("submitter_id_number") or ""))
        if out["submitter_id_number"]:
            try:
                validate_cccd(out["submitter_id_number"])
            except ValidationError as exc:
                errors["submitter_id_number"] = " ".join(exc.messages)
        else:
            errors["submitter_id_number"] = _("Chưa nhập số CCCD của người nộp thay.")
        out["submitter_phone"] = _phone(data, "submitter_phone", errors, required=True)
        out["submitter_email"] = _email(data, "submitter_email", errors)
        out["submitter_authorisation"] = _text(
            data, "submitter_authorisation", errors, label=_("giấy ủy quyền"), required=True, limit=255
        )
    else:
        out.update(submitter_id_number="", submitter_phone="", submitter_email="", submitter_authorisation="")
    if errors:
        raise DossierInvalid(errors)
    return out


def extra_clean(*, version, data: dict[str, Any]) -> dict[str, Any]:
    """The procedure's own fields (ProcedureVersion.form_fields): text, number, date or a choice."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for spec in getattr(version, "form_fields", None) or []:
        key, label = spec["key"], spec["label"]
        raw = data.get(key)
        value = normalize(str(raw)) if raw not in (None, "") else ""
        if not value:
            if spec.get("required"):
                errors[f"extra_{key}"] = _("Chưa nhập %(label)s.") % {"label": label}
            continue
        kind = spec.get("type", "text")
        if len(value) > 1000:
            errors[f"extra_{key}"] = _("%(label)s quá dài (tối đa 1.000 ký tự).") % {"label": label}
        elif kind == "number" and not re.fullmatch(r"\d{1,12}", value):
            errors[f"extra_{key}"] = _("%(label)s phải là một số.") % {"label": label}
        elif kind == "date" and _birth_date({key: value}, key, {}) is None:
            errors[f"extra_{key}"] = _("%(label)s phải là ngày/tháng/năm, không ở tương lai.") % {
                "label": label
            }
        elif kind == "choice" and value not in spec.get("choices", []):
            errors[f"extra_{key}"] = _("%(label)s: hãy chọn một trong các lựa chọn.") % {"label": label}
        out[key] = value
    if errors:
        raise DossierInvalid(errors)
    return out


def delivery_clean(*, version, delivery: str, address: str, channels: list[str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    allowed = list(version.delivery_methods or [Delivery.DESK])
    if delivery not in allowed:
        errors["delivery"] = _("Thủ tục này trả kết quả theo các cách: %(ways)s.") % {
            "ways": ", ".join(str(Delivery(m).label) for m in allowed if m in Delivery.values)
        }
    address = normalize(address or "")
    if delivery == Delivery.POST and not address:
        errors["delivery_address"] = _("Nhận qua bưu chính: hãy nhập địa chỉ nhận kết quả.")
    if len(address) > ADDRESS_MAX:
        errors["delivery_address"] = _("Địa chỉ nhận kết quả quá dài (tối đa 255 ký tự).")
    unknown = set(channels or []) - NOTIFY_CHANNELS
    if unknown:
        errors["notify_channels"] = _("Kênh thông báo không hợp lệ.")
    if errors:
        raise DossierInvalid(errors)
    return {"delivery": delivery, "delivery_address": address, "notify_channels": sorted(set(channels or []))}


def submission_fields_clean(
    *,
    version,
    applicant: dict[str, Any],
    extra: dict[str, Any] | None,
    delivery: str,
    delivery_address: str,
    notify_channels: list[str] | None,
) -> dict[str, Any]:
    """Applicant, procedure fields and delivery together: every wrong field is reported at once."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for check in (
        lambda: applicant_clean(applicant),
        lambda: {"extra_data": extra_clean(version=version, data=extra or {})},
        lambda: delivery_clean(
            version=version, delivery=delivery, address=delivery_address, channels=notify_channels or []
        ),
    ):
        try:
            fields.update(check())
        except DossierInvalid as exc:
            errors.update(exc.errors)
    if errors:
        raise DossierInvalid(errors)
    return fields
