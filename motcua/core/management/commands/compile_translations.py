"""Compile our .po files to .mo with polib (no gettext tools needed on the machine)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Biên dịch các tệp bản dịch .po của Một Cửa thành .mo. (Compile Một Cửa's .po files to .mo.)"

    def handle(self, *args, **options):
        import polib

        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalog = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"Không đọc được {po_path}: {exc}") from exc
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalog.save_as_mofile(str(mo_path))
                count += 1
                self.stdout.write(f"{po_path} → {mo_path.name} ({catalog.percent_translated()}%)")
        self.stdout.write(self.style.SUCCESS(f"Đã biên dịch {count} tệp bản dịch."))
