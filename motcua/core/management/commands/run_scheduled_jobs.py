import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from motcua.core.scheduled import SCHEDULED_JOBS

logger = logging.getLogger(__name__)


def _summary(result) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{key}={value}" for key, value in result.items()) or "—"
    return str(result)


class Command(BaseCommand):
    help = (
        "Chạy các tác vụ định kỳ (nhắc hạn xử lý hồ sơ, …), mỗi 10 phút từ systemd timer hoặc cron. "
        "(Run the periodic jobs listed in motcua.core.scheduled.SCHEDULED_JOBS.)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="chỉ chạy tác vụ này (run only this job)",
        )

    def handle(self, *args, **options):
        names = [name for name, _path in SCHEDULED_JOBS]
        unknown = sorted(set(options["only"]) - set(names))
        if unknown:
            raise CommandError(f"Không có tác vụ định kỳ {', '.join(unknown)}. Có: {', '.join(names)}.")
        failed = []
        for name, path in SCHEDULED_JOBS:
            if options["only"] and name not in options["only"]:
                continue
            started = time.monotonic()
            try:
                result = import_string(path)()
            except Exception as exc:  # one failing job must not stop the others
                failed.append(name)
                logger.exception("scheduled job %s failed", name)
                self.stderr.write(f"{name}: LỖI {type(exc).__name__}: {exc}")
                continue
            self.stdout.write(f"{name}: {_summary(result)} ({time.monotonic() - started:.2f} s)")
        if failed:
            raise CommandError(f"Tác vụ lỗi: {', '.join(failed)}.")
