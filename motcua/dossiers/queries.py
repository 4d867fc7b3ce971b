"""Reads worth naming: the desk inbox, the applicant's list, tracking, and the public timeline."""

from __future__ import annotations

import hmac

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AuditEvent
from motcua.dossiers import rules
from motcua.dossiers.models import Dossier, Status

PAGE_SIZE = 25

# Audit actions shown on the public timeline, with the words a citizen reads. Nothing personal is shown.
PUBLIC_STEPS = {
    "dossiers.dossier.submitted": _("Nộp hồ sơ trực tuyến"),
    "dossiers.dossier.received": _("Tiếp nhận hồ sơ tại bộ phận một cửa"),
    "dossiers.dossier.accepted": _("Hồ sơ được tiếp nhận"),
    "dossiers.dossier.refused": _("Từ chối tiếp nhận hồ sơ"),
    "dossiers.dossier.supplement_requested": _("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "dossiers.dossier.supplemented": _("Đã bổ sung hồ sơ"),
}


def _base() -> QuerySet:
    return Dossier.objects.select_related("procedure_version", "agency", "receiving_agency", "case")


def desk_inbox(user, *, status: str = Status.SUBMITTED, after_id: int | None = None) -> list[Dossier]:
    """Dossiers waiting at the user's desks, oldest first, keyset-paged by id (PAGE_SIZE + 1 to know if more)."""
    desk = rules.desk_agency_ids(user)
    if not desk:
        return []
    query = _base().filter(Q(receiving_agency_id__in=desk) | Q(agency_id__in=desk), status=status)
    if after_id is not None:
        query = query.filter(id__gt=after_id)
    return list(query.order_by("id")[: PAGE_SIZE + 1])


def staff_dossiers(user, *, q: str = "", status: str = "", before_id: int | None = None) -> list[Dossier]:
    """Every dossier the staff member may see, newest first, keyset-paged; `q` finds a code, reference or CCCD."""
    query = _base().filter(rules.staff_visible_q(user))
    if status:
        query = query.filter(status=status)
    q = (q or "").strip()[:60]
    if q:
        query = query.filter(Q(code=q) | Q(reference=q.upper()) | Q(applicant_id_number=q))
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(query.order_by("-id")[: PAGE_SIZE + 1])


def applicant_dossiers(user, *, before_id: int | None = None) -> list[Dossier]:
    """Hồ sơ của tôi: the user's own dossiers and, for a community-team member, the ones they helped with."""
    query = _base().filter(Q(owner=user) | Q(assisted_by=user))
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    return list(query.order_by("-id")[: PAGE_SIZE + 1])


def tracking_find(*, code: str, phone_last4: str = "", access_code: str = "") -> Dossier | None:
    """The dossier whose code (or submission reference) is given, if the second factor matches; else None.

    The same answer (None) for an unknown code and a wrong factor, so codes cannot be probed.
    """
    code = (code or "").strip().upper()[:60]
    if not code:
        return None
    dossier = _base().filter(Q(code=code) | Q(reference=code)).exclude(status=Status.DRAFT).first()
    if dossier is None:
        return None
    phone_last4 = (phone_last4 or "").strip()
    access_code = (access_code or "").strip().upper()
    if len(phone_last4) == 4 and hmac.compare_digest(phone_last4, dossier.applicant_phone[-4:]):
        return dossier
    if access_code and hmac.compare_digest(access_code, dossier.access_code):
        return dossier
    return None


def public_timeline(dossier: Dossier) -> list[tuple]:
    """(instant, Vietnamese label) of each public step, oldest first, from the audit log."""
    events = AuditEvent.objects.filter(
        object_type="dossiers.dossier", object_id=str(dossier.pk), action__in=list(PUBLIC_STEPS)
    ).order_by("at", "id")
    return [(event.at, PUBLIC_STEPS[event.action]) for event in events.only("at", "action")]
