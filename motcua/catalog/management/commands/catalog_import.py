import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import CatalogFormatError, catalog_import, catalog_parse
from motcua.core.audit import SYSTEM


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(1, total))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục từ tệp JSON hoặc XLSX (docs/catalog-format.md); --dry-run chỉ liệt kê thay đổi. "
        "(Import the procedure catalog.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ thay đổi.")

    def handle(self, *args, path, dry_run, **options):
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        try:
            data = catalog_parse(raw, path)
        except CatalogFormatError as exc:
            raise CommandError(str(exc)) from None
        report = catalog_import(actor=SYSTEM, data=data, dry_run=dry_run, progress=_progress_bar)
        if report.errors:
            for row, message in report.errors:
                self.stderr.write(f"Lỗi ở {row}: {message}")
            raise CommandError(f"Không nhập gì cả: {len(report.errors)} lỗi.")
        for code, kind, name in report.changes:
            if kind != "unchanged":
                label = "thêm mới" if kind == "created" else "phiên bản mới"
                self.stdout.write(f"{code} {name}: {label}")
        verb = "Sẽ" if dry_run else "Đã"
        self.stdout.write(
            f"{verb} thêm mới {report.count('created')}, tạo phiên bản mới {report.count('new_version')}, "
            f"không đổi {report.count('unchanged')} thủ tục."
        )
