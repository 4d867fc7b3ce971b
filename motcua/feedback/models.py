"""Citizen feedback (phản ánh, kiến nghị — PAKN) and the 1022 hotline: categories, routing rules, reports, the
agencies each report is assigned to, the report's events (notes, progress, answers), photos and ratings.

A report's state changes only through `motcua.feedback.services.report_transition` (ARCHITECTURE §4.2); the states
follow REFERENCE §8.4: Mới tiếp nhận → (Không tiếp nhận | Đã chuyển xử lý, 1..n agencies in parallel) → Đang xử lý →
Đã có kết quả → Đã công khai → (Hài lòng → Đã kết thúc | Không hài lòng → mở lại: Đang xử lý).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROCEDURE = "procedure", _("Phản ánh về thủ tục hành chính")
    FIELD = "field", _("Phản ánh hiện trường")
    QUESTION = "question", _("Câu hỏi, góp ý, kiến nghị")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin (web)")
    PHONE = "phone", _("Điện thoại 1022")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")
    API = "api", _("Ứng dụng kết nối (Open311)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    RETURNED = "returned", _("Bị trả lại, chờ phân loại lại")
    REJECTED = "rejected", _("Không tiếp nhận")
    ROUTED = "routed", _("Đã chuyển xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã có kết quả, chờ công khai")
    PUBLISHED = "published", _("Đã công khai kết quả")
    CLOSED = "closed", _("Đã kết thúc (hài lòng)")
    MERGED = "merged", _("Đã gộp vào phản ánh khác")


# Open311 has two statuses; everything not finished is "open".
CLOSED_STATUSES = frozenset({Status.REJECTED, Status.PUBLISHED, Status.CLOSED, Status.MERGED})
# States in which an agency may still be working on the report.
ACTIVE_STATUSES = frozenset({Status.ROUTED, Status.IN_PROGRESS})


class Category(models.Model):
    """A kind of problem a citizen can report (lĩnh vực phản ánh); it is also an Open311 service."""

    code = models.SlugField(_("mã (service_code)"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=120)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    group = models.CharField(_("nhóm"), max_length=80, blank=True)
    kinds = models.JSONField(_("loại phản ánh được chọn"), default=list)
    anonymous_allowed = models.BooleanField(_("cho phép gửi ẩn danh"), default=False)
    answer_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"), default=10)
    needs_location = models.BooleanField(_("cần địa điểm"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × commune → the focal agency (đầu mối xử lý). A rule without a commune is the category default."""

    category = models.ForeignKey(
        Category, verbose_name=_("lĩnh vực"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "commune"},
        help_text=_("Để trống: cơ quan mặc định của lĩnh vực."),
    )
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan đầu mối"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "commune"],
                condition=Q(commune__isnull=False),
                name="routing_category_commune",
            ),
            models.UniqueConstraint(
                fields=["category"], condition=Q(commune__isnull=True), name="routing_category_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} × {self.commune or '*'} → {self.agency}"


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=16, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,  # report_category_received_id starts with it
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    revision = models.PositiveIntegerField(default=0)

    # What and where
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    description = models.TextField(_("nội dung"))
    commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # report_commune_received starts with it
    )
    address = models.CharField(_("địa chỉ, địa điểm"), max_length=255, blank=True)
    lat = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    attributes = models.JSONField(_("thông tin thêm"), default=dict, blank=True)

    # Who (personal data: never on a public page)
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    reporter_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: most reports have none
    )
    notify_channels = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("điện thoại viên ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below
    )
    api_client = models.ForeignKey(
        "directory.ApiClient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below
    )

    # Handling
    agencies_label = models.CharField(_("cơ quan xử lý"), max_length=500, blank=True)
    reject_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        db_index=False,  # a partial index below
    )
    answer = models.TextField(_("kết quả trả lời"), blank=True)
    public_description = models.TextField(_("nội dung công khai (đã che thông tin cá nhân)"), blank=True)
    is_public = models.BooleanField(_("hiện trên danh sách công khai"), default=False)
    cover_photo = models.ForeignKey(
        "ReportPhoto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below
    )
    reopened_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    satisfied = models.BooleanField(_("hài lòng"), null=True, blank=True)

    # Instants (aware; shown in Asia/Ho_Chi_Minh)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))
    routed_at = models.DateTimeField(_("chuyển xử lý lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("báo điều phối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "id"], name="report_status_id"),
            models.Index(fields=["received_at", "id"], name="report_received"),
            # Open311 GET requests by service_code: newest first (received_at, id) within the category, no sort.
            models.Index(fields=["category", "received_at", "id"], name="report_category_received_id"),
            models.Index(fields=["commune", "received_at"], name="report_commune_received"),
            models.Index(fields=["-id"], condition=Q(is_public=True), name="report_public_list"),
            models.Index(
                fields=["category", "-id"], condition=Q(is_public=True), name="report_public_category"
            ),
            models.Index(
                fields=["commune", "-id"], condition=Q(is_public=True), name="report_public_commune"
            ),
            # The optional links, indexed only where set: a report arriving through the web form or the API
            # writes none of these entries (ADR 0014).
            *(
                models.Index(
                    fields=[field], condition=Q(**{f"{field}__isnull": False}), name=f"report_{field}"
                )
                for field in ("reporter_user", "recorded_by", "api_client", "merged_into", "cover_photo")
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def open311_status(self) -> str:
        return "closed" if self.status in CLOSED_STATUSES else "open"

    @property
    def reporter_label(self) -> str:
        return str(_("Ẩn danh")) if self.anonymous else self.reporter_name


class Assignment(models.Model):
    """One agency's share of a report (phân công xử lý); several agencies can work on one report in parallel."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ nhận xử lý")
        ACCEPTED = "accepted", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        RETURNED = "returned", _("Đã trả lại")
        WITHDRAWN = "withdrawn", _("Đã rút (chuyển nơi khác)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PENDING)
    assigned_at = models.DateTimeField(_("giao lúc"))
    accepted_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"))
    claim_due_at = models.DateTimeField(_("hạn nhận xử lý"))
    escalated_at = models.DateTimeField(_("báo điều phối lúc"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "agency"],
                condition=~Q(state__in=["returned", "withdrawn"]),
                name="assignment_report_agency_active",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_at"], name="fb_assignment_inbox"),
            models.Index(fields=["state", "claim_due_at"], name="fb_assignment_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.agency_id} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in {self.State.PENDING, self.State.ACCEPTED, self.State.ANSWERED}


class Event(models.Model):
    """What happened to a report, in words: notes, questions to the citizen and answers, progress, extensions."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Ghi chú nội bộ")
        INFO_REQUEST = "info_request", _("Đề nghị người phản ánh cung cấp thêm thông tin")
        INFO_REPLY = "info_reply", _("Người phản ánh cung cấp thêm thông tin")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        EXTENSION = "extension", _("Gia hạn")
        ANSWER = "answer", _("Trả lời")
        RETURN = "return", _("Trả lại để phân loại lại")
        REVISION = "revision", _("Yêu cầu hoàn thiện trả lời")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    agency = models.ForeignKey(
        "directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("nội dung"))
    public = models.BooleanField(_("người phản ánh xem được"), default=False)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("diễn biến xử lý")
        verbose_name_plural = _("diễn biến xử lý")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="fb_event_report")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    """A random name; the original file name is never trusted on disk."""
    return f"feedback/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="photos", db_index=False
    )  # indexed where set (below): a report's own photos have none
    file = models.FileField(upload_to=photo_path, max_length=200)
    public_file = models.FileField(upload_to=photo_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(_("ẩn khi công khai"), default=False)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["id"]
        indexes = [models.Index(fields=["event"], condition=Q(event__isnull=False), name="reportphoto_event")]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.pk}"


class Rating(models.Model):
    """The citizen's verdict on a published answer: hài lòng / không hài lòng (the latter reopens the report)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {'+' if self.satisfied else '-'}"
