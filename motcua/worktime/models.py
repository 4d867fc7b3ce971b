"""Working time per province: office periods per weekday and the administrator's overrides of the law's days off."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


class OfficePeriod(models.Model):
    """One office period (buổi làm việc) of a weekday. A province without any row uses the default hours
    (Monday–Friday 07:00–11:30 and 13:30–17:00); once it has rows, a weekday without rows is not worked."""

    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="office_periods",
        limit_choices_to={"level": "province"},
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start = models.TimeField(_("giờ bắt đầu"))
    end = models.TimeField(_("giờ kết thúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("giờ làm việc theo thứ")
        ordering = ["province", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="officeperiod_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["province", "weekday", "start"], name="officeperiod_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        if self.province_id is not None and self.start and self.end:
            overlapping = OfficePeriod.objects.filter(
                province_id=self.province_id, weekday=self.weekday, start__lt=self.end, end__gt=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Buổi làm việc này chồng lên một buổi khác của cùng ngày."))


class CalendarOverride(models.Model):
    """The administrator's correction of one date: an extra day off, or a working day replacing a day off."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù, hoán đổi)")

    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        limit_choices_to={"level": "province"},
    )
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại điều chỉnh"), max_length=12, choices=Kind.choices)
    reason = models.CharField(
        _("lý do, căn cứ"), max_length=255, help_text=_("Ví dụ: Thông báo số …/TB-UBND về nghỉ lễ.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["province", "day"]
        constraints = [
            models.UniqueConstraint(fields=["province", "day"], name="calendaroverride_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"
