"""Messages to the applicant at each public step (REFERENCE §13C), queued in the outbox in the same transaction.

The applicant chooses the channels (e-mail, SMS); an e-mail of acceptance, supplement request or refusal carries the
official form (Mẫu 01/02/03) as a PDF attachment, rendered when the message is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.core.audit import SYSTEM
from motcua.notifications.services import notification_enqueue

# event → the form attached to the e-mail
FORM_OF_EVENT = {"accepted": "receipt", "supplement_requested": "supplement", "refused": "refusal"}


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


# The portal serves the public tracking page here (tests check that `portal:tracking` reverses to it).
TRACKING_PATH = "/tra-cuu/"


def tracking_url(dossier) -> str:
    """The link printed on the receipt's QR code and in every message: opens the dossier without typing."""
    return f"{settings.SITE_URL}{TRACKING_PATH}?ma={dossier.display_code}&khoa={dossier.access_code}"


def _texts(dossier, event: str) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS text) in Vietnamese — the applicant's language on the portal."""
    name = dossier.procedure_version.name
    code = dossier.display_code
    url = tracking_url(dossier)
    if event == "submitted":
        subject = _("Đã nhận hồ sơ trực tuyến %(code)s") % {"code": code}
        body = _(
            "Kính gửi %(applicant)s,\n\nHệ thống đã nhận hồ sơ “%(name)s” của Ông/Bà lúc %(at)s, số đăng ký "
            "%(code)s. Cán bộ một cửa sẽ kiểm tra và tiếp nhận hồ sơ; Ông/Bà sẽ nhận được Giấy tiếp nhận hồ sơ "
            "và hẹn trả kết quả khi hồ sơ được tiếp nhận.\n\nTheo dõi hồ sơ: %(url)s\n"
        ) % {
            "applicant": dossier.applicant_name,
            "name": name,
            "at": _when(dossier.submitted_at),
            "code": code,
            "url": url,
        }
        sms = _("Da nhan ho so %(code)s. Tra cuu: %(url)s") % {"code": code, "url": url}
    elif event in {"accepted", "received"}:
        subject = _("Hồ sơ %(code)s đã được tiếp nhận") % {"code": code}
        body = _(
            "Kính gửi %(applicant)s,\n\nHồ sơ “%(name)s” đã được tiếp nhận lúc %(at)s với mã hồ sơ %(code)s. "
            "Ngày hẹn trả kết quả: %(due)s.\nGiấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01) gửi kèm thư này.\n\n"
            "Theo dõi hồ sơ: %(url)s\nMã tra cứu: %(key)s\n"
        ) % {
            "applicant": dossier.applicant_name,
            "name": name,
            "at": _when(dossier.accepted_at),
            "code": code,
            "due": _when(dossier.due_at),
            "url": url,
            "key": dossier.access_code,
        }
        sms = _("Ho so %(code)s da duoc tiep nhan, hen tra %(due)s. Tra cuu: %(url)s") % {
            "code": code,
            "due": _when(dossier.due_at),
            "url": url,
        }
    elif event == "supplement_requested":
        subject = _("Hồ sơ %(code)s cần bổ sung") % {"code": code}
        items = "\n".join(f"- {item}" for item in dossier.supplement_items)
        body = _(
            "Kính gửi %(applicant)s,\n\nHồ sơ “%(name)s” cần bổ sung, hoàn thiện các giấy tờ sau:\n%(items)s\n\n"
            "Lý do: %(reason)s\nPhiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02) gửi kèm thư này. Ông/Bà bổ sung "
            "trực tuyến trong mục “Hồ sơ của tôi” hoặc tại bộ phận một cửa.\n\nTheo dõi hồ sơ: %(url)s\n"
        ) % {
            "applicant": dossier.applicant_name,
            "name": name,
            "items": items,
            "reason": dossier.supplement_reason,
            "url": url,
        }
        sms = _("Ho so %(code)s can bo sung giay to. Xem chi tiet: %(url)s") % {"code": code, "url": url}
    elif event == "refused":
        subject = _("Hồ sơ %(code)s không được tiếp nhận") % {"code": code}
        body = _(
            "Kính gửi %(applicant)s,\n\nHồ sơ “%(name)s” không được tiếp nhận giải quyết.\nLý do: %(reason)s\n"
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03) gửi kèm thư này.\n\nTheo dõi hồ sơ: %(url)s\n"
        ) % {"applicant": dossier.applicant_name, "name": name, "reason": dossier.refusal_reason, "url": url}
        sms = _("Ho so %(code)s khong duoc tiep nhan. Xem ly do: %(url)s") % {"code": code, "url": url}
    elif event == "supplemented":
        subject = _("Đã nhận giấy tờ bổ sung cho hồ sơ %(code)s") % {"code": code}
        body = _(
            "Kính gửi %(applicant)s,\n\nHệ thống đã nhận giấy tờ bổ sung cho hồ sơ “%(name)s” lúc %(at)s.\n\n"
            "Theo dõi hồ sơ: %(url)s\n"
        ) % {"applicant": dossier.applicant_name, "name": name, "at": _when(timezone.now()), "url": url}
        sms = _("Da nhan giay to bo sung ho so %(code)s. Tra cuu: %(url)s") % {"code": code, "url": url}
    else:
        raise ValueError(f"no message for dossier event {event!r}")
    return subject, body, sms


def dossier_notify(*, dossier, event: str) -> int:
    """Queue the messages of one event to the applicant on the channels they chose. Returns how many."""
    with override(settings.LANGUAGE_CODE):
        subject, body, sms = _texts(dossier, event)
    channels = set(dossier.notify_channels or [])
    queued = 0
    form = FORM_OF_EVENT.get("accepted" if event == "received" else event)
    if "email" in channels and dossier.applicant_email:
        notification_enqueue(
            event=f"dossiers.dossier.{event}",
            channel="email",
            recipient=dossier.applicant_email,
            subject=subject,
            body=body,
            obj=dossier,
            actor=SYSTEM,
            user=dossier.owner,
            attachment=f"dossier-form:{form}:{dossier.pk}" if form else "",
        )
        queued += 1
    if "sms" in channels and dossier.applicant_phone:
        notification_enqueue(
            event=f"dossiers.dossier.{event}",
            channel="sms",
            recipient=dossier.applicant_phone,
            subject="",
            body=sms,
            obj=dossier,
            actor=SYSTEM,
            user=dossier.owner,
        )
        queued += 1
    return queued
