from django.core.management.base import BaseCommand

from motcua.notifications.services import notifications_retry_failed


class Command(BaseCommand):
    help = "Gửi lại các thông báo chưa gửi được. (Queue failed notifications again.)"

    def handle(self, *args, **options):
        count = notifications_retry_failed()
        self.stdout.write(f"Đã xếp hàng gửi lại {count} thông báo.")
