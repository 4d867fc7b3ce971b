import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.errors import DossierError
from motcua.dossiers.generate import dossiers_generate
from motcua.dossiers.models import Status


def _n(number: int) -> str:
    """12.345: thousands separated by dots, as Vietnamese readers expect."""
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ mẫu hàng loạt (kèm nhật ký, mã hồ sơ, tài khoản công dân) để đo hiệu năng hoặc trình diễn; "
        "cần tỉnh và danh mục thủ tục đã nạp. Chỉ dùng trên cơ sở dữ liệu thử nghiệm. "
        "(Generate sample dossiers in bulk, for benchmarks and demonstrations; test databases only.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=10_000, help="số hồ sơ (number of dossiers)")
        parser.add_argument("--years", type=int, default=3, help="trải trong bao nhiêu năm gần đây (years)")
        parser.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên (random seed)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="cho phép chạy khi DEBUG=false (allow with DEBUG=false: never on a production database)",
        )

    def handle(self, *args, dossiers: int, years: int, seed: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG=false: đây có thể là hệ thống thật, nơi không được có hồ sơ giả. Nếu là cơ sở dữ liệu "
                "thử nghiệm, chạy lại với --force. (Refusing with DEBUG=false unless --force.)"
            )
        started = time.monotonic()

        def progress(done: int, total: int, note: str) -> None:
            elapsed = time.monotonic() - started
            self.stderr.write(
                f"\r  hồ sơ: {_n(done)} / {_n(total)} ({100 * done // total} %), {elapsed:.0f} giây {note}",
                ending="",
            )
            self.stderr.flush()

        try:
            report = dossiers_generate(count=dossiers, years=years, seed=seed, progress=progress)
        except DossierError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write("")
        states = ", ".join(f"{Status(status).label} {_n(n)}" for status, n in report.by_status.most_common())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {_n(report.dossiers)} hồ sơ, {_n(report.events)} sự kiện nhật ký, {_n(report.citizens)} "
                f"tài khoản công dân, {_n(report.counters)} bộ đếm mã hồ sơ trong {report.seconds:.1f} giây."
            )
        )
        self.stdout.write(f"Trạng thái: {states}")
