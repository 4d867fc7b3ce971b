"""The procedure catalog (thủ tục hành chính): procedures, their published versions, cases, documents, fees.

A procedure's content lives in a version; a new publishing decision (quyết định công bố) that changes it creates a
new version and closes the previous one. A dossier keeps the version (and case) it was received under.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.directory.models import Role

NATIONAL_CODE_VALIDATOR = RegexValidator(
    r"^\d\.\d{6}$", _("Mã thủ tục quốc gia có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số).")
)


class Field(models.Model):
    """Lĩnh vực, e.g. Hộ tịch."""

    name = models.CharField(_("tên lĩnh vực"), max_length=150, unique=True)
    slug = models.SlugField(_("mã ngắn"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Trực tuyến toàn trình")
    PARTIAL = "partial", _("Trực tuyến một phần")
    NONE = "none", _("Không trực tuyến")


class Procedure(models.Model):
    national_code = models.CharField(
        _("mã thủ tục quốc gia"), max_length=8, unique=True, validators=[NATIONAL_CODE_VALIDATOR]
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    online_level = models.CharField(_("mức trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    popularity = models.PositiveSmallIntegerField(_("mức độ sử dụng"), default=0)
    search_text = models.TextField(_("văn bản tìm kiếm"), editable=False, default="")
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["national_code"]
        indexes = [
            models.Index(fields=["field", "active"], name="procedure_field_active"),
            models.Index(fields=["level", "online_level"], name="procedure_level_online"),
            models.Index(fields=["-popularity"], name="procedure_popularity"),
        ]

    def __str__(self) -> str:
        return f"{self.national_code} {self.name}"


class ProcedureVersion(models.Model):
    class Delivery(models.TextChoices):
        DESK = "desk", _("Nhận tại bộ phận một cửa")
        POST = "post", _("Nhận qua bưu chính")
        ELECTRONIC = "electronic", _("Nhận bản điện tử")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    name = models.CharField(_("tên thủ tục"), max_length=500)
    instance_code = models.CharField(_("mã thủ tục của tỉnh"), max_length=40, blank=True)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_title = models.CharField(_("trích yếu quyết định"), max_length=500, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agencies = models.ManyToManyField(
        "directory.Agency", verbose_name=_("cơ quan thực hiện"), blank=True, related_name="procedure_versions"
    )
    online_level = models.CharField(_("mức trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    delivery_methods = models.JSONField(_("cách nhận kết quả"), default=list)
    postal_submission = models.BooleanField(_("cho phép nộp qua bưu chính"), default=False)
    result = models.CharField(_("kết quả"), max_length=500)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list)
    content_hash = models.CharField(max_length=64, editable=False)
    form_fields = models.JSONField(
        _("trường thông tin riêng"),
        default=list,
        blank=True,
        help_text=_(
            "Thông tin riêng của thủ tục trên tờ khai trực tuyến: khóa, nhãn, kiểu, bắt buộc, lựa chọn."
        ),
    )

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedureversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.national_code} v{self.number}"

    def delivery_labels(self) -> list[str]:
        labels = dict(self.Delivery.choices)
        return [labels.get(m, m) for m in self.delivery_methods]


class ProcedureCase(models.Model):
    """Trường hợp: one way a procedure is done, with its own processing time."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("ngày làm việc")
        WORKING_HOURS = "working_hours", _("giờ làm việc")
        CALENDAR_DAYS = "calendar_days", _("ngày")

    class SupplementMode(models.TextChoices):
        PAUSE = "pause", _("Tạm dừng, cộng thêm thời gian bổ sung")
        RESTART = "restart", _("Tính lại từ đầu khi nhận đủ bổ sung")

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="cases"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên trường hợp"), max_length=500)
    duration = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    online_duration = models.DecimalField(
        _("thời hạn khi nộp trực tuyến"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("đơn vị thời hạn"), max_length=15, choices=Unit.choices)
    cutoff = models.TimeField(_("giờ chốt nhận trong ngày"), null=True, blank=True)
    supplement_mode = models.CharField(
        _("cách tính khi bổ sung"),
        max_length=10,
        choices=SupplementMode.choices,
        default=SupplementMode.PAUSE,
    )

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name

    def duration_label(self) -> str:
        value = self.duration.normalize()
        return f"{value:f} {self.get_unit_display()}"


class RequiredDocument(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=300, blank=True)
    form_file = models.FileField(_("tệp mẫu"), upload_to="catalog/forms/", blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("phiên bản"), on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    exemption = models.CharField(_("miễn, giảm"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class ProcessTemplate(models.Model):
    """Quy trình giải quyết: the ordered steps a dossier of one procedure case goes through.

    A template is versioned per case: once a dossier has started on a version, that version never changes (the
    administrator copies it into a new version to edit); new dossiers take the newest active version.
    """

    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        related_name="process_templates",
    )
    number = models.PositiveIntegerField(_("phiên bản quy trình"), default=1)
    name = models.CharField(_("tên quy trình"), max_length=300)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("quy trình giải quyết")
        verbose_name_plural = _("quy trình giải quyết")
        ordering = ["case", "-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="processtemplate_case_number")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


class ProcessStep(models.Model):
    """One step of a template: who acts (role, agency, department) and its own time budget in working hours."""

    class AgencyRef(models.TextChoices):
        RECEIVING = "receiving", _("Nơi tiếp nhận hồ sơ")
        RESOLVING = "resolving", _("Cơ quan giải quyết hồ sơ")
        FIXED = "fixed", _("Cơ quan được chỉ định")

    template = models.ForeignKey(
        ProcessTemplate, verbose_name=_("quy trình"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    agency_ref = models.CharField(
        _("cơ quan thực hiện"), max_length=10, choices=AgencyRef.choices, default=AgencyRef.RESOLVING
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan được chỉ định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("phòng, ban"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_hours = models.DecimalField(_("thời gian của bước (giờ làm việc)"), max_digits=7, decimal_places=2)
    approves_result = models.BooleanField(_("bước phê duyệt kết quả"), default=False)
    returns_result = models.BooleanField(_("bước trả kết quả"), default=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="processstep_template_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
