"""Messages to the reporter at each public step, queued in the outbox in the same transaction as the change.

E-mail when the reporter gave an address; SMS when they gave a phone and asked for it (the hotline desk asks).
Every message carries the personal link (code + token) where the reporter follows the report, answers questions
and rates the answer. Reporters of duplicates merged into a report hear about its answer too.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from motcua.core.audit import SYSTEM
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_build, notification_enqueue

# The portal serves the reporter's page here (a test checks that `portal:feedback-follow` reverses to it).
FOLLOW_PATH = "/phan-anh/theo-doi/"


def follow_url(report) -> str:
    from motcua.feedback.citizen import report_token

    return f"{settings.SITE_URL}{FOLLOW_PATH}{report.code}/{report_token(report)}/"


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def _texts(report, event: str, data: dict) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS text without diacritics)."""
    code, url = report.code, follow_url(report)
    if event == "received":
        subject = _("Đã nhận phản ánh %(code)s") % {"code": code}
        lead = _("Hệ thống 1022 đã nhận phản ánh của Ông/Bà lúc %(at)s, mã %(code)s.") % {
            "at": timezone.localtime(report.received_at).strftime("%H:%M %d/%m/%Y"),
            "code": code,
        }
        if report.agencies_label:
            lead += " " + _("Phản ánh đã được chuyển đến %(agencies)s, hạn trả lời %(due)s.") % {
                "agencies": report.agencies_label,
                "due": _date(report.due_at),
            }
        sms = _("Da nhan phan anh %(code)s. Theo doi: %(url)s") % {"code": code, "url": url}
    elif event == "routed":
        subject = _("Phản ánh %(code)s đã được chuyển xử lý") % {"code": code}
        lead = _("Phản ánh đã được chuyển đến %(agencies)s, hạn trả lời %(due)s.") % {
            "agencies": report.agencies_label,
            "due": _date(report.due_at),
        }
        sms = _("Phan anh %(code)s da chuyen co quan xu ly. Theo doi: %(url)s") % {"code": code, "url": url}
    elif event == "rejected":
        subject = _("Phản ánh %(code)s không được tiếp nhận") % {"code": code}
        lead = _("Phản ánh không được tiếp nhận xử lý. Lý do: %(reason)s") % {"reason": report.reject_reason}
        sms = _("Phan anh %(code)s khong duoc tiep nhan. Xem ly do: %(url)s") % {"code": code, "url": url}
    elif event == "merged":
        master = report.merged_into
        subject = _("Phản ánh %(code)s được gộp với phản ánh %(master)s") % {
            "code": code,
            "master": master.code,
        }
        lead = _(
            "Nội dung Ông/Bà phản ánh trùng với phản ánh %(master)s đang được xử lý; hai phản ánh được gộp để xử lý "
            "một lần. Ông/Bà vẫn nhận được thông báo kết quả."
        ) % {"master": master.code}
        sms = _("Phan anh %(code)s duoc gop voi %(master)s. Theo doi: %(url)s") % {
            "code": code,
            "master": master.code,
            "url": url,
        }
    elif event == "info_requested":
        subject = _("Cần Ông/Bà cung cấp thêm thông tin cho phản ánh %(code)s") % {"code": code}
        lead = _("Cơ quan xử lý đề nghị: %(text)s\nÔng/Bà trả lời tại đường dẫn bên dưới.") % {
            "text": data.get("text", "")
        }
        sms = _("Phan anh %(code)s can them thong tin. Tra loi tai: %(url)s") % {"code": code, "url": url}
    elif event == "extended":
        subject = _("Phản ánh %(code)s được gia hạn trả lời") % {"code": code}
        lead = _("Hạn trả lời mới: %(due)s. Lý do: %(reason)s") % {
            "due": _date(report.due_at),
            "reason": data.get("reason", ""),
        }
        sms = _("Phan anh %(code)s gia han tra loi den %(due)s. Xem: %(url)s") % {
            "code": code,
            "due": _date(report.due_at),
            "url": url,
        }
    elif event == "published":
        subject = _("Đã có kết quả trả lời phản ánh %(code)s") % {"code": code}
        lead = _(
            "Kết quả trả lời:\n%(answer)s\n\nXin Ông/Bà cho biết có hài lòng với kết quả không (hài lòng / không "
            "hài lòng) tại đường dẫn bên dưới; nếu không hài lòng, phản ánh được mở lại để xử lý tiếp."
        ) % {"answer": report.answer}
        sms = _("Phan anh %(code)s da co ket qua. Xem va danh gia: %(url)s") % {"code": code, "url": url}
    elif event == "reopened":
        subject = _("Phản ánh %(code)s được mở lại") % {"code": code}
        lead = _(
            "Ông/Bà chưa hài lòng với kết quả; phản ánh được mở lại để cơ quan xử lý tiếp, hạn mới %(due)s."
        ) % {"due": _date(report.due_at)}
        sms = _("Phan anh %(code)s da duoc mo lai, han moi %(due)s. Theo doi: %(url)s") % {
            "code": code,
            "due": _date(report.due_at),
            "url": url,
        }
    else:
        raise ValueError(f"no message for feedback event {event!r}")
    greeting = _("Kính gửi %(name)s,") % {"name": report.reporter_name or _("Ông/Bà")}
    body = f"{greeting}\n\n{lead}\n\n" + _("Theo dõi phản ánh: %(url)s") % {"url": url} + "\n"
    return subject, body, sms


def _messages(report, event: str, subject: str, body: str, sms: str) -> list:
    """The unsaved messages of one event to one reporter: e-mail when they gave an address, SMS when asked."""
    messages = []
    if report.reporter_email:
        messages.append(
            notification_build(
                event=f"feedback.report.{event}",
                channel="email",
                recipient=report.reporter_email,
                subject=subject,
                body=body,
                obj=report,
                user=report.reporter_user,
            )
        )
    if report.reporter_phone and "sms" in (report.notify_channels or []):
        messages.append(
            notification_build(
                event=f"feedback.report.{event}",
                channel="sms",
                recipient=report.reporter_phone,
                subject="",
                body=sms,
                obj=report,
                user=report.reporter_user,
            )
        )
    return messages


def _queue(messages: list) -> int:
    """Save the messages in one INSERT (the outbox, in the caller's transaction) and queue one delivery task."""
    if not messages:
        return 0
    from motcua.feedback.tasks import deliver_report_notifications, enqueue_with_the_change

    saved = Notification.objects.bulk_create(messages)
    enqueue_with_the_change(deliver_report_notifications, [n.pk for n in saved])
    return len(saved)


def report_notify(*, report, event: str, data: dict | None = None) -> int:
    """Queue the messages of one event to the reporter (and, for an answer, to the reporters of duplicates)."""
    if event == "routed" and (data or {}).get("auto"):
        return 0  # routed at intake: the acknowledgement already says where it went
    messages = []
    targets = [report]
    if event == "published":
        targets += list(report.duplicates.all())
    for target in targets:
        with override(settings.LANGUAGE_CODE):
            shown = target if target.pk == report.pk else _as_duplicate(target, report)
            subject, body, sms = _texts(shown, event, data or {})
        messages += _messages(target, event, subject, body, sms)
    return _queue(messages)


def _as_duplicate(duplicate, master):
    """The master's answer, addressed to the duplicate's reporter with the duplicate's own link."""
    duplicate.answer = master.answer
    return duplicate


def coordinators_notify_escalation(*, report, agency) -> int:
    """E-mail every provincial coordinator: a share was not claimed in time."""
    from motcua.directory.models import Role, User

    emails = set(
        User.objects.filter(
            assignments__role=Role.FEEDBACK_COORDINATOR, assignments__active=True, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with override(settings.LANGUAGE_CODE):
        subject = _("Phản ánh %(code)s chưa được %(agency)s nhận xử lý") % {
            "code": report.code,
            "agency": agency.name,
        }
        body = _("Phản ánh %(code)s (%(category)s) đã quá hạn nhận xử lý tại %(agency)s. Xem: %(url)s") % {
            "code": report.code,
            "category": report.category.name,
            "agency": agency.name,
            "url": f"{settings.SITE_URL}/can-bo/phan-anh/{report.code}/",
        }
    for email in sorted(emails):
        notification_enqueue(
            event="feedback.report.escalated",
            channel="email",
            recipient=email,
            subject=subject,
            body=body,
            obj=report,
            actor=SYSTEM,
        )
    return len(emails)
