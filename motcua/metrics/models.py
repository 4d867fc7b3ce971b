"""Rollups of the dossier facts the dashboard reads (ARCHITECTURE §4.10; ADR 0012).

One row per day × resolving agency × procedure × channel (`DailyRollup`) and the same per calendar month
(`MonthlyRollup`, what a month, a quarter, 6 or 9 months and a year read), and per month × agency × channel
(`AgencyMonthRollup`, what a view without a procedure or field filter reads). Every column is an additive counter:
a period's figure is the sum over its rows. `motcua.metrics.rollups.rollup_record` adds to both tables in the
transaction of each dossier change; `motcua metrics_rebuild` recomputes them from the dossier rows.

Point-in-time figures (in progress within the deadline / late, due within 24 h) are not flows: they are counted
live from the running dossiers (a partial index, migration 0002) and kept per day by `OpenSnapshot`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The additive counters, in the order of the periodic report. name → (Vietnamese label).
COUNTERS: dict[str, object] = {
    "received": _("Tiếp nhận mới"),
    "received_digitized": _("Tiếp nhận có thành phần số hóa"),
    "refused": _("Từ chối tiếp nhận"),
    "finished_early": _("Giải quyết trước hạn"),
    "finished_on_time": _("Giải quyết đúng hạn"),
    "finished_late": _("Giải quyết quá hạn"),
    "finished_unresolved": _("Giải quyết: trả lại, không giải quyết"),
    "processing_seconds": _("Tổng thời gian giải quyết (giây)"),
    "withdrawn": _("Rút hồ sơ sau tiếp nhận"),
    "supplements": _("Yêu cầu bổ sung"),
    "pauses": _("Tạm dừng (nghĩa vụ tài chính, dừng xử lý)"),
    "apologies": _("Phiếu xin lỗi"),
    "results_electronic": _("Kết quả điện tử"),
    "returned": _("Đã trả kết quả"),
    "returned_electronic": _("Trả kết quả bản điện tử"),
    "payments_requested": _("Nghĩa vụ tài chính phát sinh"),
    "payments_paid": _("Nghĩa vụ tài chính đã nộp"),
    "payments_online": _("Nộp trực tuyến"),
    "rating_1": _("Đánh giá rất không hài lòng"),
    "rating_2": _("Đánh giá không hài lòng"),
    "rating_3": _("Đánh giá bình thường"),
    "rating_4": _("Đánh giá hài lòng"),
    "rating_5": _("Đánh giá rất hài lòng"),
}


class _Counters(models.Model):
    received = models.IntegerField(default=0)
    received_digitized = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_unresolved = models.IntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    supplements = models.IntegerField(default=0)
    pauses = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    results_electronic = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    returned_electronic = models.IntegerField(default=0)
    payments_requested = models.IntegerField(default=0)
    payments_paid = models.IntegerField(default=0)
    payments_online = models.IntegerField(default=0)
    rating_1 = models.IntegerField(default=0)
    rating_2 = models.IntegerField(default=0)
    rating_3 = models.IntegerField(default=0)
    rating_4 = models.IntegerField(default=0)
    rating_5 = models.IntegerField(default=0)

    class Meta:
        abstract = True


class _Rollup(_Counters):
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)

    class Meta:
        abstract = True


class DailyRollup(_Rollup):
    day = models.DateField(_("ngày"))

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure", "channel"], name="metrics_daily_key"
            )
        ]
        indexes = [models.Index(fields=["agency", "day"], name="metrics_daily_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.procedure_id} {self.channel}"


class MonthlyRollup(_Rollup):
    month = models.DateField(_("tháng"), help_text="the first day of the month")

    class Meta:
        verbose_name = _("số liệu tổng hợp theo tháng")
        verbose_name_plural = _("số liệu tổng hợp theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "procedure", "channel"], name="metrics_monthly_key"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "month"], name="metrics_monthly_agency_month"),
            # The score card's per-procedure sums over a period: an index-only scan of the period's rows instead
            # of the whole table (PostgreSQL; a plain index elsewhere).
            models.Index(
                fields=["month", "procedure"],
                include=["channel", "received", "payments_online"],
                name="metrics_monthly_month_proc",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.procedure_id} {self.channel}"


class AgencyMonthRollup(_Counters):
    """Month × agency × channel: what a view without a procedure or field filter reads (a few thousand rows for
    a province's three years, against hundreds of thousands per year in `MonthlyRollup`)."""

    month = models.DateField(_("tháng"))
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    channel = models.CharField(max_length=10)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo tháng và cơ quan")
        verbose_name_plural = _("số liệu tổng hợp theo tháng và cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "channel"], name="metrics_agency_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.channel}"


class OpenSnapshot(models.Model):
    """The running dossiers at the end of a day (written by `motcua metrics_snapshot`, nightly)."""

    day = models.DateField(_("ngày chốt"))
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    open_total = models.IntegerField(default=0)
    open_late = models.IntegerField(default=0)
    open_paused = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số hồ sơ đang giải quyết cuối ngày")
        verbose_name_plural = _("số hồ sơ đang giải quyết cuối ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure", "channel"], name="metrics_snapshot_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"
