"""Assisted submission: a member of a community digital technology team (tổ công nghệ số cộng đồng) prepares a
dossier for a citizen who is present, with the citizen's consent confirmed by a code sent to their phone.

    consent = assist_consent_request(member=m, team=t, citizen_cccd="075185004321", phone="0987654321")
    assist_consent_confirm(consent=consent, member=m, code="123456")      # the citizen reads the SMS aloud
    draft = assist_draft_create(consent=consent, member=m, case=case)       # a draft owned by the citizen
    # … or in one step: assist_dossier_create_submitted(consent=consent, member=m, case=case, applicant={…}, …)

The dossier is the citizen's (owner): they get the notifications and see it in "Hồ sơ của tôi"; it is marked as
assisted by the member and the team, and the member sees it too. The code is stored only as a keyed hash, expires
after 10 minutes and allows 5 attempts; requests are limited per member and per phone. Every step is audited.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.catalog.models import ProcedureCase
from motcua.core.audit import audit_event_record
from motcua.core.text import fold, normalize
from motcua.directory.models import Agency, CommunityTeam, User
from motcua.dossiers.errors import DossierError
from motcua.dossiers.intake import PHONE_RE, Upload, dossier_create_submitted, dossier_draft_create
from motcua.dossiers.models import AssistConsent, Dossier, Status
from motcua.dossiers.rules_assist import is_team_member
from motcua.notifications.services import notification_enqueue

CODE_DIGITS = 6
CODE_VALID_MINUTES = 10
MAX_ATTEMPTS = 5
CONSENT_USE_MINUTES = 60  # after the citizen confirms, the member has this long to start the dossier
MEMBER_LIMIT_PER_HOUR = 10  # codes a member may have sent in one hour
PHONE_LIMIT_PER_HOUR = 3  # codes one phone may receive in one hour
HASH_SALT = "motcua.dossiers.assist.consent"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


# --- small helpers -----------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    """Vietnamese without diacritics, case kept ("Điểu Thị Hạnh" → "Dieu Thi Hanh"), as SMS usually are."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def phone_clean(value: str) -> str:
    """Spaces, dots and dashes removed; +84 written as 0 so the same number always compares equal."""
    value = re.sub(r"[\s.\-()]", "", str(value or ""))
    if value.startswith("+84"):
        value = "0" + value[3:]
    return value


def phone_masked(phone: str) -> str:
    """What a member (and the audit log) may see of a citizen's number: the last three digits."""
    return "*" * max(0, len(phone) - 3) + phone[-3:]


def _code_hash(*, member_id: int, citizen_id: int, phone: str, code: str) -> str:
    """Keyed (SECRET_KEY) so a copy of the table does not give the codes away; 64 hex characters."""
    value = f"{member_id}:{citizen_id}:{phone}:{code}"
    return salted_hmac(HASH_SALT, value, algorithm="sha256").hexdigest()


# --- the citizen's account ---------------------------------------------------------------------------------


def _citizen_account(
    *, member, team: CommunityTeam, cccd: str, phone: str, full_name: str, birth_date: date | None
) -> tuple[User, bool]:
    """The citizen's account found by CCCD; else a new citizen account without a usable password, which the
    citizen claims later (password reset) — so the dossier is theirs from the first minute. Audited."""
    existing = User.objects.filter(cccd=cccd).first()
    if existing is not None:
        if not existing.is_active:
            raise DossierError(
                _("Tài khoản của công dân này đang bị khóa. Xin hướng dẫn công dân liên hệ bộ phận một cửa."),
                code="citizen_inactive",
                field="citizen_cccd",
            )
        registered = phone_clean(existing.phone)
        if registered and registered != phone:
            raise DossierError(
                _(
                    "Số điện thoại không khớp với số công dân đã đăng ký trên Cổng. Hãy nhập đúng số đã đăng ký; "
                    "nếu công dân đã đổi số, họ cần cập nhật trong tài khoản hoặc tại bộ phận một cửa."
                ),
                code="phone_mismatch",
                field="phone",
            )
        return existing, False
    full_name = normalize(full_name or "")
    if not full_name:
        raise DossierError(
            _("Công dân chưa có tài khoản trên Cổng: hãy nhập họ và tên để tạo tài khoản cho công dân."),
            code="full_name_required",
            field="full_name",
        )
    user = User(
        username=cccd,
        kind=User.Kind.CITIZEN,
        full_name=full_name,
        cccd=cccd,
        phone=phone,
        birth_date=birth_date,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors = exc.message_dict
        field, messages = next(
            ((f, m) for f, m in errors.items() if f in {"cccd", "full_name", "phone", "birth_date"}),
            ("citizen_cccd", [m for ms in errors.values() for m in ms]),
        )
        raise DossierError(
            " ".join(messages), code="citizen_invalid", field={"cccd": "citizen_cccd"}.get(field, field)
        ) from None
    user.set_unusable_password()
    user.save()
    audit_event_record(
        action="directory.user.created_for_assist",
        actor=member,
        obj=user,
        data={"kind": User.Kind.CITIZEN, "team": team.pk, "via": "assist"},
    )
    return user, True


# --- consent -----------------------------------------------------------------------------------------------


def _sms_text(*, member, code: str) -> str:
    with override(settings.LANGUAGE_CODE):
        return _(
            "Ma xac nhan %(code)s: dong y de %(member)s (To cong nghe so cong dong) nop ho so thay Ong/Ba tren "
            "Cong dich vu cong. Het han sau %(minutes)s phut. Khong dong y thi dung dua ma."
        ) % {
            "code": code,
            "member": _ascii(member.full_name or member.username)[:30],
            "minutes": CODE_VALID_MINUTES,
        }


def _check_limits(*, member, phone: str, now: datetime) -> None:
    since = now - timedelta(hours=1)
    if AssistConsent.objects.filter(member=member, created_at__gte=since).count() >= MEMBER_LIMIT_PER_HOUR:
        raise DossierError(
            _("Bạn đã gửi %(n)s mã xác nhận trong một giờ qua. Xin đợi ít phút rồi thử lại.")
            % {"n": MEMBER_LIMIT_PER_HOUR},
            code="rate_limited",
        )
    if AssistConsent.objects.filter(phone=phone, created_at__gte=since).count() >= PHONE_LIMIT_PER_HOUR:
        raise DossierError(
            _("Số điện thoại này đã nhận %(n)s mã xác nhận trong một giờ qua. Xin đợi rồi thử lại.")
            % {"n": PHONE_LIMIT_PER_HOUR},
            code="rate_limited",
            field="phone",
        )


def assist_consent_request(
    *,
    member,
    team: CommunityTeam,
    citizen_cccd: str,
    phone: str,
    full_name: str = "",
    birth_date: date | None = None,
) -> AssistConsent:
    """Send the citizen a 6-digit code by SMS; the member types it in when the citizen agrees.

    The citizen is found by CCCD; without an account one is created for them (`full_name` is then required).
    """
    if not is_team_member(member, team):
        raise DossierError(_("Bạn không phải thành viên của tổ này."), code="forbidden", field="team")
    cccd = re.sub(r"\s", "", str(citizen_cccd or ""))
    phone = phone_clean(phone)
    if not re.fullmatch(r"\d{12}", cccd):
        raise DossierError(
            _("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số (bạn nhập %(n)s ký tự).") % {"n": len(cccd)},
            code="cccd_format",
            field="citizen_cccd",
        )
    if not PHONE_RE.match(phone):
        raise DossierError(
            _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."),
            code="phone_format",
            field="phone",
        )
    now = timezone.now()
    _check_limits(member=member, phone=phone, now=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        citizen, created = _citizen_account(
            member=member, team=team, cccd=cccd, phone=phone, full_name=full_name, birth_date=birth_date
        )
        # Only the newest code counts: earlier unconfirmed ones of this member for this citizen stop working.
        AssistConsent.objects.filter(
            member=member, citizen=citizen, confirmed_at__isnull=True, used_by__isnull=True
        ).update(attempts=MAX_ATTEMPTS)
        consent = AssistConsent.objects.create(
            member=member,
            team=team,
            citizen=citizen,
            phone=phone,
            code_hash=_code_hash(member_id=member.pk, citizen_id=citizen.pk, phone=phone, code=code),
            expires_at=now + timedelta(minutes=CODE_VALID_MINUTES),
        )
        notification_enqueue(
            event="dossiers.assist.consent_code",
            channel="sms",
            recipient=phone,
            subject="",
            body=_sms_text(member=member, code=code),
            obj=consent,
            user=citizen,
        )
        audit_event_record(
            action="dossiers.assist_consent.requested",
            actor=member,
            obj=consent,
            data={
                "team": team.pk,
                "citizen": citizen.pk,
                "phone": phone_masked(phone),
                "account_created": created,
            },
        )
    return consent


def assist_consent_confirm(*, consent: AssistConsent, member, code: str) -> AssistConsent:
    """Check the code the citizen received. At most 5 attempts; confirming twice is harmless."""
    code = re.sub(r"\s", "", str(code or ""))
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        raise DossierError(
            _("Mã xác nhận gồm %(n)s chữ số, trong tin nhắn gửi đến điện thoại của công dân.")
            % {"n": CODE_DIGITS},
            code="code_format",
            field="code",
        )
    now = timezone.now()
    with transaction.atomic():
        locked = AssistConsent.objects.select_for_update().select_related("team").get(pk=consent.pk)
        if locked.member_id != member.pk or not is_team_member(member, locked.team):
            raise DossierError(_("Bạn không thể xác nhận yêu cầu này."), code="forbidden")
        if locked.confirmed_at is not None:
            return locked
        if locked.attempts >= MAX_ATTEMPTS:
            outcome = "locked"
        elif now >= locked.expires_at:
            outcome = "expired"
        else:
            locked.attempts += 1
            expected = _code_hash(
                member_id=locked.member_id, citizen_id=locked.citizen_id, phone=locked.phone, code=code
            )
            if hmac.compare_digest(locked.code_hash, expected):
                outcome = "confirmed"
                locked.confirmed_at = now
                locked.save(update_fields=["attempts", "confirmed_at"])
            else:
                outcome = "failed"
                locked.save(update_fields=["attempts"])
            audit_event_record(
                action=f"dossiers.assist_consent.{outcome}",
                actor=member,
                obj=locked,
                data={
                    "attempt": locked.attempts,
                    "locked": outcome == "failed" and locked.attempts >= MAX_ATTEMPTS,
                    "team": locked.team_id,
                    "citizen": locked.citizen_id,
                },
            )
    consent.attempts, consent.confirmed_at = locked.attempts, locked.confirmed_at
    if outcome == "confirmed":
        return locked
    if outcome == "expired":
        raise DossierError(
            _("Mã xác nhận đã hết hạn (sau %(n)s phút). Hãy gửi mã mới cho công dân.")
            % {"n": CODE_VALID_MINUTES},
            code="expired",
            field="code",
        )
    if outcome == "locked":
        raise DossierError(
            _(
                "Mã này không còn dùng được: đã nhập sai %(n)s lần, hoặc đã có mã mới gửi cho công dân. "
                "Hãy dùng mã mới nhất hoặc gửi mã mới."
            )
            % {"n": MAX_ATTEMPTS},
            code="locked",
            field="code",
        )
    left = MAX_ATTEMPTS - locked.attempts
    if left <= 0:
        raise DossierError(
            _("Đã nhập sai mã %(n)s lần; mã này không còn dùng được. Hãy gửi mã mới cho công dân.")
            % {"n": MAX_ATTEMPTS},
            code="locked",
            field="code",
        )
    raise DossierError(
        _("Mã xác nhận không đúng. Còn %(left)s lần thử.") % {"left": left}, code="wrong_code", field="code"
    )


def consent_state(consent: AssistConsent, *, now: datetime | None = None) -> str:
    """pending, confirmed, used, expired (code or use window over) or locked — what the pages show next."""
    now = now or timezone.now()
    if consent.used_by_id is not None:
        return "used"
    if consent.confirmed_at is not None:
        if now >= consent.confirmed_at + timedelta(minutes=CONSENT_USE_MINUTES):
            return "expired"
        return "confirmed"
    if consent.attempts >= MAX_ATTEMPTS:
        return "locked"
    if now >= consent.expires_at:
        return "expired"
    return "pending"


def _consent_for_use(*, consent: AssistConsent, member) -> AssistConsent:
    """The consent, locked, if this member may start a dossier with it now; else a clear DossierError."""
    locked = AssistConsent.objects.select_for_update().select_related("team", "citizen").get(pk=consent.pk)
    if locked.member_id != member.pk or not is_team_member(member, locked.team):
        raise DossierError(_("Bạn không thể dùng sự đồng ý này."), code="forbidden")
    state = consent_state(locked)
    if state == "used":
        raise DossierError(
            _("Sự đồng ý này đã được dùng cho một hồ sơ. Mỗi hồ sơ cần công dân xác nhận lại."),
            code="consent_used",
        )
    if state != "confirmed":
        raise DossierError(
            _("Công dân chưa xác nhận, hoặc xác nhận đã quá %(n)s phút. Hãy gửi mã mới cho công dân.")
            % {"n": CONSENT_USE_MINUTES},
            code="consent_not_confirmed",
        )
    return locked


# --- the dossier -------------------------------------------------------------------------------------------


def dossier_assist_mark(*, dossier: Dossier, consent: AssistConsent, actor) -> Dossier:
    """Mark the citizen's draft as assisted by the consent's member and team. Audited; call in a transaction."""
    if dossier.owner_id != consent.citizen_id or dossier.status != Status.DRAFT or dossier.assisted_by_id:
        raise DossierError(_("Hồ sơ này không thể đánh dấu được hỗ trợ."), code="not_markable")
    dossier.assisted_by_id = consent.member_id
    dossier.assisted_team_id = consent.team_id
    dossier.assist_consent_at = consent.confirmed_at
    fields = ["assisted_by", "assisted_team", "assist_consent_at", "updated_at"]
    if not dossier.applicant_phone:
        # The citizen's account has no phone: the number that received the code is theirs.
        dossier.applicant_phone = consent.phone
        dossier.notify_channels = sorted({*(dossier.notify_channels or []), "sms"})
        fields += ["applicant_phone", "notify_channels"]
    dossier.save(update_fields=fields)
    consent.used_by = dossier
    consent.save(update_fields=["used_by"])
    audit_event_record(
        action="dossiers.dossier.assisted",
        actor=actor,
        obj=dossier,
        data={"member": consent.member_id, "team": consent.team_id, "consent": consent.pk},
    )
    return dossier


def assist_draft_create(
    *, consent: AssistConsent, member, case: ProcedureCase, agency: Agency | None = None
) -> Dossier:
    """A draft owned by the citizen, filled in from their account, marked as assisted; the member completes it in
    the ordinary online form (rules.can_edit_as_applicant lets the assisting member edit it)."""
    with transaction.atomic():
        locked = _consent_for_use(consent=consent, member=member)
        dossier = dossier_draft_create(actor=member, case=case, owner=locked.citizen, agency=agency)
        dossier_assist_mark(dossier=dossier, consent=locked, actor=member)
    consent.used_by = dossier
    return dossier


def assist_dossier_create_submitted(
    *,
    consent: AssistConsent,
    member,
    case: ProcedureCase,
    applicant: dict[str, Any],
    uploads: list[Upload],
    **options: Any,
) -> Dossier:
    """Create, attach and submit in one step for the citizen (options as intake.dossier_create_submitted).

    A retried request with the same idempotency key returns the dossier the consent was used for."""
    key = (options.get("idempotency_key") or "").strip()
    with transaction.atomic():
        used = (
            AssistConsent.objects.filter(pk=consent.pk, member=member)
            .values_list("used_by", flat=True)
            .first()
        )
        if key and used is not None:
            replay = Dossier.objects.filter(pk=used, idempotency_key=key).first()
            if replay is not None:
                return replay
        locked = _consent_for_use(consent=consent, member=member)
        dossier, _created = dossier_create_submitted(
            actor=member,
            owner=locked.citizen,
            case=case,
            applicant=applicant,
            uploads=uploads,
            assisted_by=member,
            assisted_team=locked.team,
            **options,
        )
        if dossier.assisted_by_id != member.pk or AssistConsent.objects.filter(used_by=dossier).exists():
            raise DossierError(
                _("Khóa chống gửi trùng này đã được dùng cho một hồ sơ khác."), code="idempotency_conflict"
            )
        Dossier.objects.filter(pk=dossier.pk).update(assist_consent_at=locked.confirmed_at)
        dossier.assist_consent_at = locked.confirmed_at
        locked.used_by = dossier
        locked.save(update_fields=["used_by"])
        audit_event_record(
            action="dossiers.assist_consent.used",
            actor=member,
            obj=locked,
            data={"dossier": dossier.pk, "team": locked.team_id},
        )
    consent.used_by = dossier
    return dossier


# --- reads: the teams a member belongs to, the public registry, the monthly help ------------------------------


def member_teams(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return CommunityTeam.objects.none()
    return (
        CommunityTeam.objects.filter(members=user).select_related("commune").order_by("commune__code", "name")
    )


def teams_search(*, q: str = "") -> QuerySet:
    """The public registry: every team with its member count, by commune then village; `q` finds a commune
    without diacritics ("bien hoa" finds Phường Biên Hòa), a team or a village name."""
    teams = CommunityTeam.objects.select_related("commune").annotate(
        member_count=Count("members", distinct=True)
    )
    q = normalize(q or "")[:100]
    if q:
        folded = "_".join(fold(q).split())
        teams = teams.filter(
            Q(commune__codename__icontains=folded) | Q(name__icontains=q) | Q(village__icontains=q)
        )
    return teams.order_by("commune__code", "village", "name")


def team_contact(team: CommunityTeam) -> Agency | None:
    """The commune's People's Committee: the public contact of a team (members' own details are not public)."""
    return (
        Agency.objects.filter(
            commune=team.commune_id, kind=Agency.Kind.COMMUNE_PEOPLES_COMMITTEE, valid_to__isnull=True
        )
        .order_by("code")
        .first()
    )


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def team_help_by_month(team: CommunityTeam, months: int = 12) -> list[tuple[date, int, int]]:
    """(first day of the month, dossiers submitted, distinct citizens helped) for the last `months` months,
    newest first, months without help included as zeros. One GROUP BY query; months in Asia/Ho_Chi_Minh."""
    months = max(1, min(int(months), 120))
    first = _month_start(timezone.localdate(timezone.now(), LOCAL_TZ), months - 1)
    since = datetime(first.year, first.month, 1, tzinfo=LOCAL_TZ)
    rows = (
        Dossier.objects.filter(assisted_team=team, submitted_at__gte=since)
        .annotate(month=TruncMonth("submitted_at", tzinfo=LOCAL_TZ))
        .values("month")
        .annotate(dossiers=Count("id"), citizens=Count("owner", distinct=True))
        .order_by("month")
    )
    counts: dict[date, tuple[int, int]] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = timezone.localtime(month, LOCAL_TZ).date() if timezone.is_aware(month) else month.date()
        counts[month] = (row["dossiers"], row["citizens"])
    today = timezone.localdate(timezone.now(), LOCAL_TZ)
    result = []
    for back in range(months):
        month = _month_start(today, back)
        dossiers, citizens = counts.get(month, (0, 0))
        result.append((month, dossiers, citizens))
    return result
