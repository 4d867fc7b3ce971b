import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max

from motcua.dossiers.errors import DossierError
from motcua.dossiers.generate import dossiers_generate
from motcua.dossiers.models import Dossier
from motcua.metrics.generate import dossiers_complete
from motcua.metrics.indicators import snapshot_write
from motcua.metrics.rebuild import rollups_rebuild


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu mẫu nhất quán (hồ sơ với kết quả, phiếu xin lỗi, thanh toán, đánh giá; phản ánh khi có) và "
        "tính số liệu tổng hợp. Chỉ dùng trên cơ sở dữ liệu thử nghiệm. "
        "(Generate consistent sample data and fill the metrics rollups; test databases only.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=10_000, help="số hồ sơ (number of dossiers)")
        parser.add_argument(
            "--feedback", type=int, default=0, help="số phản ánh, kiến nghị (feedback reports)"
        )
        parser.add_argument("--years", type=int, default=3, help="trải trong bao nhiêu năm gần đây (years)")
        parser.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên (random seed)")
        parser.add_argument("--force", action="store_true", help="cho phép chạy khi DEBUG=false (allow)")

    def handle(self, *args, dossiers, feedback, years, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG=false: đây có thể là hệ thống thật, nơi không được có dữ liệu giả. Nếu là cơ sở dữ liệu "
                "thử nghiệm, chạy lại với --force. (Refusing with DEBUG=false unless --force.)"
            )
        started = time.monotonic()
        first_id = (Dossier.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        if dossiers:
            self._dossiers(dossiers, years, seed, started)
        self.stderr.write("  hoàn thiện kết quả, phiếu xin lỗi, thanh toán, đánh giá…")
        extra = dossiers_complete(first_id=first_id)
        if feedback:
            from motcua.feedback.generate import feedback_generate

            self.stderr.write("  sinh phản ánh, kiến nghị…")
            try:
                made = feedback_generate(count=feedback, seed=seed)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stderr.write(f"  {made:,} phản ánh".replace(",", "."))
        self.stderr.write("  tính lại số liệu tổng hợp…")
        rebuilt = rollups_rebuild()
        snapshot_write()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã thêm {_n(extra)} dòng xử lý; số liệu tổng hợp: {_n(rebuilt.daily_rows)} dòng theo ngày "
                f"({rebuilt.seconds:.1f} giây). Tổng thời gian {time.monotonic() - started:.0f} giây."
            )
        )

    def _dossiers(self, count, years, seed, started):
        def progress(done: int, total: int, note: str) -> None:
            width = 30
            filled = width * done // total
            self.stderr.write(
                f"\r  hồ sơ [{'#' * filled}{'.' * (width - filled)}] {_n(done)} / {_n(total)} "
                f"{time.monotonic() - started:.0f} giây {note}",
                ending="",
            )
            self.stderr.flush()

        try:
            report = dossiers_generate(count=count, years=years, seed=seed, progress=progress)
        except DossierError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write("")
        self.stdout.write(f"Đã sinh {_n(report.dossiers)} hồ sơ trong {report.seconds:.1f} giây.")
