"""The audit log and login-failure records: append-only facts shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise AppendOnlyError("Nhật ký kiểm tra chỉ được ghi thêm. (The audit log is append-only.)")

    def delete(self):
        raise AppendOnlyError("Nhật ký kiểm tra chỉ được ghi thêm. (The audit log is append-only.)")


class AuditEvent(models.Model):
    """One fact: who did what to which object, when, with what data. Never updated, never deleted."""

    class ActorType(models.TextChoices):
        USER = "user", _("Người dùng")
        API_CLIENT = "api_client", _("Ứng dụng kết nối")
        SYSTEM = "system", _("Hệ thống")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=100)
    actor_type = models.CharField(_("loại chủ thể"), max_length=20, choices=ActorType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the index audit_actor_at (actor, at) starts with it: one index fewer per event
    )
    actor_label = models.CharField(_("tên chủ thể"), max_length=200)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_at"),
            # Only where a person acted: the system's and the API clients' events (every report arriving) skip it.
            models.Index(fields=["actor", "at"], condition=Q(actor__isnull=False), name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký kiểm tra chỉ được ghi thêm. (The audit log is append-only.)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký kiểm tra chỉ được ghi thêm. (The audit log is append-only.)")


class LoginFailure(models.Model):
    """A failed log-in, kept to lock an account or an address out after repeated failures."""

    at = models.DateTimeField(auto_now_add=True)
    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("các lần đăng nhập sai")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfail_user_at"),
            models.Index(fields=["ip", "at"], name="loginfail_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username}"


class RateCounter(models.Model):
    """Hits of one client on one rate-limited action within one fixed time window."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=128)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window"], name="ratecounter_unique")]
        indexes = [models.Index(fields=["window"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.count}"
