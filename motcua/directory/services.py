"""Writes for the directory: administrative units, agencies, staff roles, log-in lock-out. Each one audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from motcua.core.audit import SYSTEM, audit_event_record, model_changes
from motcua.core.models import LoginFailure
from motcua.core.text import fold
from motcua.directory.models import AdministrativeUnit, Agency, StaffAssignment, User

REFORM_DATE = date(2025, 7, 1)  # QĐ 19/2025/QĐ-TTg: 34 provinces, 3,321 communes, no district level


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _unit_rows() -> list[dict[str, Any]]:
    """Provinces then communes from the vietnam-provinces package, as plain rows."""
    from vietnam_provinces import Province, Ward

    rows: list[dict[str, Any]] = []
    for province in Province.iter_all():
        rows.append(
            {
                "level": AdministrativeUnit.Level.PROVINCE,
                "code": f"{int(province.code):02d}",
                "name": province.name,
                "division_type": province.division_type.value,
                "codename": province.codename,
                "province_code": None,
            }
        )
    for ward in Ward.iter_all():
        rows.append(
            {
                "level": AdministrativeUnit.Level.COMMUNE,
                "code": f"{int(ward.code):05d}",
                "name": ward.name,
                "division_type": ward.division_type.value,
                "codename": ward.codename,
                "province_code": f"{int(ward.province_code):02d}",
            }
        )
    return rows


@transaction.atomic
def administrative_units_import(*, actor=SYSTEM, rows: list[dict[str, Any]] | None = None) -> ImportReport:
    """Bring the units up to date with the package. Running it twice changes nothing the second time."""
    rows = _unit_rows() if rows is None else rows
    fields = ("name", "division_type", "codename")
    existing = {(u.level, u.code): u for u in AdministrativeUnit.objects.select_for_update()}
    created = updated = unchanged = 0
    to_create, to_update = [], []
    provinces: dict[str, AdministrativeUnit] = {
        u.code: u for u in existing.values() if u.level == AdministrativeUnit.Level.PROVINCE
    }
    for level in (AdministrativeUnit.Level.PROVINCE, AdministrativeUnit.Level.COMMUNE):
        for row in (r for r in rows if r["level"] == level):
            unit = existing.get((level, row["code"]))
            province = provinces.get(row["province_code"]) if row["province_code"] else None
            if unit is None:
                unit = AdministrativeUnit(
                    level=level,
                    code=row["code"],
                    province=province,
                    valid_from=REFORM_DATE,
                    **{f: row[f] for f in fields},
                )
                to_create.append(unit)
                created += 1
            elif any(getattr(unit, f) != row[f] for f in fields) or unit.province_id != (
                province and province.pk
            ):
                for f in fields:
                    setattr(unit, f, row[f])
                unit.province = province
                to_update.append(unit)
                updated += 1
            else:
                unchanged += 1
        if to_create:
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
            if level == AdministrativeUnit.Level.PROVINCE:
                provinces.update({u.code: u for u in AdministrativeUnit.objects.filter(level=level)})
            to_create = []
        if to_update:
            AdministrativeUnit.objects.bulk_update(to_update, [*fields, "province"], batch_size=1000)
            to_update = []
    report = ImportReport(created=created, updated=updated, unchanged=unchanged)
    if report.changed:
        audit_event_record(
            action="directory.units.imported",
            actor=actor,
            data={"created": created, "updated": updated, "unchanged": unchanged},
        )
    return report


def _agency_fields(agency: Agency) -> dict[str, Any]:
    return model_to_dict(agency, exclude=["id"])


@transaction.atomic
def agency_create(*, actor, **fields) -> Agency:
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    audit_event_record(
        action="directory.agency.created", actor=actor, obj=agency, data=_agency_fields(agency)
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = _agency_fields(agency)
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.full_clean()
    agency.save()
    changes = model_changes(before, _agency_fields(agency))
    if changes:
        audit_event_record(
            action="directory.agency.updated", actor=actor, obj=agency, data={"changes": changes}
        )
    return agency


@transaction.atomic
def agency_merge(*, actor, agency: Agency, into: Agency, on: date) -> Agency:
    """Record that `agency` ceased on the day before `on` and its duties passed to `into` (2025 reorganisation)."""
    return agency_update(actor=actor, agency=agency, merged_into=into, valid_to=on - timedelta(days=1))


@transaction.atomic
def staff_assign(*, actor, user: User, agency: Agency, role: str, department=None) -> StaffAssignment:
    assignment, created = StaffAssignment.objects.get_or_create(
        user=user, agency=agency, department=department, role=role, defaults={"active": True}
    )
    if not created and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active"])
        created = True
    if created:
        assignment.full_clean()
        if user.kind != User.Kind.STAFF:
            user.kind = User.Kind.STAFF
            user.save(update_fields=["kind"])
        audit_event_record(
            action="directory.assignment.created",
            actor=actor,
            obj=assignment,
            data={
                "user": user.username,
                "agency": agency.code,
                "role": role,
                "department": department.name if department else None,
            },
        )
    return assignment


@transaction.atomic
def staff_unassign(*, actor, assignment: StaffAssignment) -> None:
    if assignment.active:
        assignment.active = False
        assignment.save(update_fields=["active"])
        audit_event_record(
            action="directory.assignment.ended",
            actor=actor,
            obj=assignment,
            data={
                "user": assignment.user.username,
                "agency": assignment.agency.code,
                "role": assignment.role,
            },
        )


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(StaffAssignment.objects.filter(user=user, active=True).values_list("role", flat=True))


# --- log-in lock-out ----------------------------------------------------------------------------------------


def _failure_window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_is_locked(*, username: str, ip: str | None) -> bool:
    """Too many failures for this account, or many more from this address, within the lock-out window."""
    since = _failure_window_start()
    key = fold(username or "")
    if LoginFailure.objects.filter(username=key, at__gte=since).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    if ip and LoginFailure.objects.filter(ip=ip, at__gte=since).count() >= 4 * settings.LOGIN_FAILURE_LIMIT:
        return True
    return False


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=fold(username or "")[:150], ip=ip)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=fold(username or "")).delete()


# --- citizen and business accounts --------------------------------------------------------------------------


@transaction.atomic
def account_register(
    *,
    kind: str,
    full_name: str,
    password: str,
    phone: str,
    email: str = "",
    cccd: str = "",
    birth_date: date | None = None,
    tax_code: str = "",
    organisation_name: str = "",
) -> User:
    """Create a citizen (log-in name = CCCD) or business (log-in name = tax code) account. Audited.

    Raises ValidationError with Vietnamese messages per field; nothing is saved then.
    """
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from motcua.core.text import normalize

    if kind not in (User.Kind.CITIZEN, User.Kind.BUSINESS):
        raise ValueError(f"self-registration is for citizens and businesses, not {kind!r}")
    username = cccd if kind == User.Kind.CITIZEN else tax_code
    user = User(
        username=username,
        kind=kind,
        full_name=normalize(full_name),
        phone=phone.strip(),
        email=email.strip().lower(),
        cccd=cccd or None,
        birth_date=birth_date,
        tax_code=tax_code or None,
        organisation_name=normalize(organisation_name),
    )
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        errors.pop("username", None)  # the same fact is reported on cccd / tax_code
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit_event_record(action="directory.user.registered", actor=user, obj=user, data={"kind": kind})
    return user
