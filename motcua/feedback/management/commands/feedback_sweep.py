from django.core.management.base import BaseCommand

from motcua.feedback.handling import assignments_escalate_due


class Command(BaseCommand):
    help = (
        "Báo điều phối viên các phản ánh quá hạn nhận xử lý (chạy định kỳ, ví dụ 15 phút một lần qua cron; bình "
        "thường tác vụ nền đã làm việc này đúng hạn). (Escalate unclaimed feedback; a safety net for lost tasks.)"
    )

    def handle(self, *args, **options):
        count = assignments_escalate_due()
        self.stdout.write(f"Đã báo điều phối {count} phần việc quá hạn nhận xử lý.")
