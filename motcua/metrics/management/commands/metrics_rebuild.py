from django.core.management.base import BaseCommand

from motcua.metrics.rebuild import rollups_rebuild


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ số liệu tổng hợp (chỉ số) từ hồ sơ; với --check chỉ so sánh và báo chênh lệch. "
        "(Rebuild the metrics rollups from the dossiers; --check compares with the incremental rows.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="chỉ so sánh, không ghi (compare only)")

    def handle(self, *args, check: bool, **options):
        report = rollups_rebuild(check=check)
        rows = f"{_n(report.daily_rows)} dòng theo ngày, {_n(report.monthly_rows)} dòng theo tháng"
        if not check:
            self.stdout.write(self.style.SUCCESS(f"Đã tính lại {rows} trong {report.seconds:.1f} giây."))
            return
        if report.differences == 0:
            self.stdout.write(
                self.style.SUCCESS(f"Khớp: {rows}, không có chênh lệch ({report.seconds:.1f} giây).")
            )
            return
        self.stdout.write(self.style.WARNING(f"Có {_n(report.differences)} dòng chênh lệch. Ví dụ:"))
        for example in report.examples:
            self.stdout.write(f"  {example}")
        raise SystemExit(1)
