from django.core.management.base import BaseCommand

from motcua.metrics.indicators import snapshot_write


class Command(BaseCommand):
    help = (
        "Chốt số hồ sơ đang giải quyết (trong hạn, quá hạn, tạm dừng) của hôm nay; chạy hằng đêm. "
        "(Snapshot today's running dossiers for past-period figures; run nightly.)"
    )

    def handle(self, *args, **options):
        rows = snapshot_write()
        self.stdout.write(self.style.SUCCESS(f"Đã chốt {rows} dòng số liệu hồ sơ đang giải quyết."))
