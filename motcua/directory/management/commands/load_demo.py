from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.directory.demo import DEMO_PASSWORD, demo_province_load


class Command(BaseCommand):
    help = (
        "Nạp tỉnh mẫu Đồng Nai (đơn vị, cơ quan, cán bộ, công dân); chạy lại không tạo trùng. Mật khẩu mẫu chỉ "
        "được đặt khi MOTCUA_DEMO=true. (Load the demo province idempotently.)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="không nạp lịch sử khoảng 300 hồ sơ trong 12 tháng (skip the year of demo dossiers)",
        )

    def handle(self, *args, **options):
        accounts = demo_province_load(with_passwords=settings.DEMO_MODE)
        self.stdout.write(self.style.SUCCESS("Đã nạp tỉnh mẫu Đồng Nai."))
        from motcua.catalog.demo import DEMO_FILE, demo_catalog_load

        if DEMO_FILE.exists():
            report = demo_catalog_load()
            self.stdout.write(
                f"Danh mục thủ tục mẫu: thêm mới {report.count('created')}, phiên bản mới "
                f"{report.count('new_version')}, không đổi {report.count('unchanged')}."
            )
        from motcua.dossiers.demo import demo_dossiers_load

        dossiers = demo_dossiers_load()
        if dossiers:
            self.stdout.write(f"Hồ sơ mẫu: {dossiers} hồ sơ (chờ tiếp nhận và đã tiếp nhận).")
        if not options.get("no_history"):
            self._history()
        from motcua.feedback.demo import demo_feedback_load

        reports = demo_feedback_load(with_passwords=settings.DEMO_MODE)
        if reports:
            self.stdout.write(
                f"Phản ánh mẫu: {reports} phản ánh ở mọi trạng thái; điều phối viên: dieuphoi.1022."
            )
        if not settings.DEMO_MODE:
            self.stdout.write("MOTCUA_DEMO không bật: các tài khoản mẫu không có mật khẩu.")
            return
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        labels = {"staff": "Cán bộ", "citizens": "Công dân", "business": "Doanh nghiệp"}
        for kind, names in accounts.items():
            self.stdout.write(f"  {labels[kind]}: {', '.join(names)}")
        from motcua.dossiers.demo_history import demo_accounts_for_processing

        self.stdout.write(
            "Xử lý hồ sơ (mỗi bước một vai trò; hồ sơ liên thông xã → Sở NN&MT: thủ tục 1.013978):"
        )
        for role, names in demo_accounts_for_processing():
            self.stdout.write(f"  {role}: {names}")
        self.stdout.write(
            "  Công dân congdan.an: trong “Hồ sơ của tôi” có hồ sơ đã trả kết quả chờ đánh giá, kết quả chờ nhận, "
            "hồ sơ chờ nộp phí."
        )
        self.stdout.write(
            "  Chỉ số IOC: giamdoc.tuphap, chutich.xa (cơ quan mình), quantri (toàn tỉnh) — /can-bo/chi-so/"
        )

    def _history(self):
        from motcua.dossiers.demo_history import demo_history_load

        report = demo_history_load()
        if report is None:
            return
        states = ", ".join(f"{status} {n}" for status, n in sorted(report.by_status.items()))
        self.stdout.write(
            f"Lịch sử hồ sơ mẫu 12 tháng: {report.dossiers} hồ sơ ({states}) trong {report.seconds:.1f} giây."
        )
