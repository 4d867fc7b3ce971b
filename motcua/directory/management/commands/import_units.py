from django.core.management.base import BaseCommand

from motcua.directory.services import administrative_units_import


class Command(BaseCommand):
    help = (
        "Nhập 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces; chạy lại không thay đổi gì. "
        "(Import the 34 provinces and 3,321 communes; idempotent.)"
    )

    def handle(self, *args, **options):
        report = administrative_units_import()
        self.stdout.write(
            f"Đơn vị hành chính: thêm mới {report.created}, cập nhật {report.updated}, "
            f"không đổi {report.unchanged}."
        )
