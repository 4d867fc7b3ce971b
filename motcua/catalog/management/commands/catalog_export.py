import json
from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.catalog.services import catalog_export_json, catalog_export_xlsx


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục ra tệp .json hoặc .xlsx. (Export the procedure catalog.)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="tên tệp kết thúc bằng .json hoặc .xlsx")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.suffix.lower() == ".xlsx":
            target.write_bytes(catalog_export_xlsx())
        else:
            target.write_text(
                json.dumps(catalog_export_json(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        self.stdout.write(f"Đã xuất danh mục ra {target}.")
