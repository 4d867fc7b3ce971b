"""Messages to the applicant at each public step (REFERENCE §13C), queued in the outbox in the same transaction.

The applicant chooses the channels (e-mail, SMS); an e-mail of acceptance, supplement request or refusal carries the
official form (Mẫu 01/02/03) as a PDF attachment, rendered when the message is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from motcua.notifications.services import notification_build

# event → the form attached to the e-mail
FORM_OF_EVENT = {
    "accepted": "receipt",
    "supplement_requested": "supplement",
    "refused": "refusal",
    "apologized": "apology",
    "returned_unresolved": "unresolved",
}


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
    elif event in PROCESSING_TEXTS:
        subject, body, sms = _processing_texts(dossier, event, name=name, code=code, url=url)
    else:
        raise ValueError(f"no message for dossier event {event!r}")
    return subject, body, sms


# event → (subject, what happened, SMS): the processing steps the applicant is told about (REFERENCE §13C).
PROCESSING_TEXTS = {
    "forwarded": (
        gettext_noop("Hồ sơ %(code)s đang được giải quyết"),
        gettext_noop("Hồ sơ “%(name)s” đã được chuyển đến cơ quan có thẩm quyền và đang được giải quyết."),
        gettext_noop("Ho so %(code)s dang duoc giai quyet. Tra cuu: %(url)s"),
    ),
    "payment_requested": (
        gettext_noop("Hồ sơ %(code)s: đề nghị thực hiện nghĩa vụ tài chính"),
        gettext_noop(
            "Để tiếp tục giải quyết hồ sơ “%(name)s”, Ông/Bà cần nộp %(amount)s (%(what)s). Thời gian chờ nộp "
            "không tính vào thời hạn giải quyết."
        ),
        gettext_noop("Ho so %(code)s: de nghi nop %(amount)s. Chi tiet: %(url)s"),
    ),
    "paid": (
        gettext_noop("Hồ sơ %(code)s: đã ghi nhận nghĩa vụ tài chính"),
        gettext_noop(
            "Khoản nộp cho hồ sơ “%(name)s” đã được ghi nhận; hồ sơ tiếp tục được giải quyết, hẹn trả %(due)s."
        ),
        gettext_noop("Ho so %(code)s da ghi nhan nop tien, hen tra %(due)s."),
    ),
    "stopped": (
        gettext_noop("Hồ sơ %(code)s tạm dừng giải quyết"),
        gettext_noop("Hồ sơ “%(name)s” tạm dừng giải quyết. Lý do: %(reason)s"),
        gettext_noop("Ho so %(code)s tam dung giai quyet. Chi tiet: %(url)s"),
    ),
    "resumed": (
        gettext_noop("Hồ sơ %(code)s tiếp tục được giải quyết"),
        gettext_noop("Hồ sơ “%(name)s” tiếp tục được giải quyết, hẹn trả %(due)s."),
        gettext_noop("Ho so %(code)s tiep tuc giai quyet, hen tra %(due)s."),
    ),
    "withdrawn": (
        gettext_noop("Hồ sơ %(code)s đã được rút"),
        gettext_noop("Hồ sơ “%(name)s” đã được rút theo đề nghị của Ông/Bà. Lý do: %(reason)s"),
        gettext_noop("Ho so %(code)s da duoc rut theo de nghi."),
    ),
    "apologized": (
        gettext_noop("Xin lỗi vì hồ sơ %(code)s chậm trả kết quả"),
        gettext_noop(
            "Cơ quan giải quyết thành thật xin lỗi Ông/Bà vì hồ sơ “%(name)s” chưa có kết quả đúng hẹn.\n"
            "Lý do: %(reason)s\nNgày hẹn trả mới: %(due)s.\nPhiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) "
            "gửi kèm thư này."
        ),
        gettext_noop("Xin loi vi ho so %(code)s cham tra ket qua. Hen tra moi: %(due)s."),
    ),
    "approved": (
        gettext_noop("Hồ sơ %(code)s đã có kết quả"),
        gettext_noop(
            "Hồ sơ “%(name)s” đã có kết quả giải quyết (%(result)s). Ông/Bà nhận kết quả theo cách đã chọn: %(delivery)s."
        ),
        gettext_noop("Ho so %(code)s da co ket qua. Chi tiet: %(url)s"),
    ),
    "returned_unresolved": (
        gettext_noop("Hồ sơ %(code)s không đủ điều kiện giải quyết"),
        gettext_noop(
            "Hồ sơ “%(name)s” không đủ điều kiện giải quyết. Lý do: %(reason)s\nVăn bản trả lại hồ sơ gửi kèm thư này."
        ),
        gettext_noop("Ho so %(code)s khong du dieu kien giai quyet. Chi tiet: %(url)s"),
    ),
    "result_returned": (
        gettext_noop("Hồ sơ %(code)s đã trả kết quả"),
        gettext_noop(
            "Kết quả hồ sơ “%(name)s” đã được trả (%(method)s). Mời Ông/Bà đánh giá mức độ hài lòng tại trang hồ sơ."
        ),
        gettext_noop("Ho so %(code)s da tra ket qua. Danh gia: %(url)s"),
    ),
}


def _processing_texts(dossier, event: str, *, name: str, code: str, url: str) -> tuple[str, str, str]:
    from motcua.core.money import format_vnd as vnd

    payment = dossier.payments.order_by("-requested_at").first() if event == "payment_requested" else None
    facts = {
        "name": name, "code": code, "url": url, "due": _when(dossier.due_at),
        "reason": dossier.withdrawal_reason or dossier.unresolved_reason or _last_reason(dossier, event),
        "amount": vnd(payment.amount) if payment else "", "what": payment.description if payment else "",
        "result": dossier.result_summary, "delivery": dossier.get_delivery_display(),
        "method": dossier.get_return_method_display(),
    }  # fmt: skip
    subject, what, sms = (_(text) % facts for text in PROCESSING_TEXTS[event])
    body = _("Kính gửi %(applicant)s,\n\n%(what)s\n\nTheo dõi hồ sơ: %(url)s\n") % {
        "applicant": dossier.applicant_name,
        "what": what,
        "url": url,
    }
    return subject, body, sms


def _last_reason(dossier, event: str) -> str:
    if event == "stopped":
        pause = dossier.pauses.filter(kind="stop").order_by("-started_at").first()
        return pause.reason if pause else ""
    if event == "apologized":
        apology = dossier.apologies.order_by("-issued_at").first()
        return apology.reason if apology else ""
    return ""


def dossier_notify(*, dossier, event: str) -> int:
    """Queue the messages of one event to the applicant on the channels they chose, in the caller's transaction:
    the rows in one INSERT and one delivery task for them (with the database queue, written in the same
    transaction; each message is still delivered, recorded and retried on its own). Returns how many."""
    with override(settings.LANGUAGE_CODE):
        subject, body, sms = _texts(dossier, event)
    channels = set(dossier.notify_channels or [])
    messages = []
    form = FORM_OF_EVENT.get("accepted" if event == "received" else event)
    common = {"event": f"dossiers.dossier.{event}", "obj": dossier}
    if "email" in channels and dossier.applicant_email:
        messages.append(
            notification_build(
                channel="email",
                recipient=dossier.applicant_email,
                subject=subject,
                body=body,
                attachment=f"dossier-form:{form}:{dossier.pk}" if form else "",
                **common,
            )
        )
    if "sms" in channels and dossier.applicant_phone:
        messages.append(notification_build(channel="sms", recipient=dossier.applicant_phone, subject="", body=sms,
                                           **common))  # fmt: skip
    for message in messages:
        message.user_id = dossier.owner_id  # the owner's id is enough: no query for the account
    if messages:
        from motcua.notifications.models import Notification
        from motcua.notifications.tasks import deliver_notifications, enqueue_with_the_change

        saved = Notification.objects.bulk_create(messages)
        enqueue_with_the_change(deliver_notifications, [n.pk for n in saved])
    return len(messages)
