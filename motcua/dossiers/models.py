"""Dossiers (hồ sơ): what an applicant submits, its documents, its clock pauses, and its code counters.

States follow the ten national codes (REFERENCE §3.1) plus a draft that has not been submitted. A dossier's state
changes only through `motcua.dossiers.services.dossier_transition` (ARCHITECTURE §4.2).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Mới đăng ký")
    ACCEPTED = "accepted", _("Được tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung giấy tờ")
    PAYMENT = "payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    FINISHED = "finished", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# The national status code (TrangThaiHoSo 1–10) of each state; a draft has none.
NATIONAL_CODE = {
    Status.SUBMITTED: 1,
    Status.ACCEPTED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT: 5,
    Status.PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.FINISHED: 9,
    Status.RETURNED: 10,
}


class Channel(models.TextChoices):
    """KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính."""

    DESK = "desk", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")


class Delivery(models.TextChoices):
    DESK = "desk", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Nhận qua bưu chính")
    ELECTRONIC = "electronic", _("Nhận bản điện tử")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Giải quyết")
    UNRESOLVED = "unresolved", _("Trả lại, không giải quyết")


class IdType(models.TextChoices):
    CCCD = "cccd", _("Số định danh cá nhân (CCCD)")
    TAX_CODE = "tax_code", _("Mã số thuế / mã số doanh nghiệp")
    PASSPORT = "passport", _("Hộ chiếu")


class Dossier(models.Model):
    # Identity and codes
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("mã hồ sơ"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Dạng {mã định danh cơ quan}-{yyMMdd}-{NNNN}, cấp khi tiếp nhận."),
    )
    reference = models.CharField(
        _("số đăng ký"),
        max_length=16,
        unique=True,
        help_text=_("Cấp khi tạo hồ sơ; dùng tra cứu trước khi có mã."),
    )
    access_code = models.CharField(_("mã tra cứu"), max_length=12)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("lần cập nhật"), default=0)

    # What is asked, under which published version and case, of which agency
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "catalog.ProcedureCase", verbose_name=_("trường hợp"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # the index dossier_agency_status_due starts with it: one index fewer per write
    )
    receiving_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        db_index=False,  # the index dossier_desk_inbox starts with it: one index fewer per write
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)

    # The applicant (chủ hồ sơ)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản chủ hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # the index dossier_owner_created starts with it: one index fewer per write
    )
    applicant_name = models.CharField(_("họ và tên chủ hồ sơ"), max_length=200)
    applicant_id_type = models.CharField(
        _("loại giấy tờ"), max_length=10, choices=IdType.choices, default=IdType.CCCD
    )
    applicant_id_number = models.CharField(_("số giấy tờ"), max_length=20)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_commune = models.ForeignKey(
        "directory.AdministrativeUnit",
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    # The submitter acting by power of attorney (người nộp theo ủy quyền), optional
    submitter_name = models.CharField(_("người nộp thay (ủy quyền)"), max_length=200, blank=True)
    submitter_id_number = models.CharField(_("số giấy tờ người nộp"), max_length=20, blank=True)
    submitter_phone = models.CharField(_("điện thoại người nộp"), max_length=15, blank=True)
    submitter_email = models.EmailField(_("thư điện tử người nộp"), blank=True)
    submitter_authorisation = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)

    extra_data = models.JSONField(_("thông tin riêng của thủ tục"), default=dict, blank=True)
    delivery = models.CharField(
        _("cách nhận kết quả"), max_length=12, choices=Delivery.choices, default=Delivery.DESK
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)
    notify_channels = models.JSONField(_("kênh nhận thông báo"), default=list, blank=True)

    # Instants (all aware; Asia/Ho_Chi_Minh on display)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    refused_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)

    # Reception facts
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    supplement_reason = models.TextField(_("lý do yêu cầu bổ sung"), blank=True)
    supplement_items = models.JSONField(_("giấy tờ cần bổ sung"), default=list, blank=True)
    supplement_requested_at = models.DateTimeField(_("yêu cầu bổ sung lúc"), null=True, blank=True)
    supplement_from = models.CharField(
        max_length=12, blank=True, help_text="state to return to after supplement"
    )

    # Assisted submission by a community digital technology team member
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên hỗ trợ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_dossiers",
    )
    assisted_team = models.ForeignKey(
        "directory.CommunityTeam",
        verbose_name=_("tổ công nghệ số hỗ trợ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_dossiers",
        db_index=False,  # the index dossier_team_submitted starts with it: one index fewer per write
    )
    assist_consent_at = models.DateTimeField(_("công dân đồng ý lúc"), null=True, blank=True)

    # Processing (issue 6): the template version the dossier started with, and the step it is at now
    process_template = models.ForeignKey(
        "catalog.ProcessTemplate",
        verbose_name=_("quy trình giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_step = models.ForeignKey(
        "DossierStep",
        verbose_name=_("bước hiện tại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("kết quả xử lý"), max_length=12, choices=Outcome.choices, blank=True)
    result_number = models.CharField(_("số, ký hiệu văn bản kết quả"), max_length=60, blank=True)
    result_signed_on = models.DateField(_("ngày ký kết quả"), null=True, blank=True)
    result_signer = models.CharField(_("người ký kết quả"), max_length=150, blank=True)
    result_summary = models.CharField(_("trích yếu kết quả"), max_length=500, blank=True)
    unresolved_reason = models.TextField(_("lý do trả lại hồ sơ"), blank=True)
    withdrawal_reason = models.TextField(_("lý do rút hồ sơ"), blank=True)
    return_method = models.CharField(
        _("hình thức trả kết quả"), max_length=12, choices=Delivery.choices, blank=True
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=200, blank=True)
    post_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    late_notified_at = models.DateTimeField(null=True, blank=True)

    # Idempotent submission (API and retried forms)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001  (NULL: no key, unique)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_owner_idempotency_unique",
            ),
            # Dossiers an API client submits for a person without an account have no owner; their keys are
            # namespaced per client, so one unique key among all ownerless dossiers is the same guarantee.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(owner__isnull=True, idempotency_key__isnull=False),
                name="dossier_ownerless_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_agency", "status", "submitted_at"], name="dossier_desk_inbox"),
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_status_due"),
            models.Index(fields=["owner", "-created_at"], name="dossier_owner_created"),
            models.Index(fields=["assisted_team", "submitted_at"], name="dossier_team_submitted"),
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["accepted", "processing"]),
                name="dossier_open_due",
            ),
            # The dashboard's lists behind a number are read newest first along the moment that puts a dossier
            # in the list (motcua.metrics.drill): a page of any period is one short backward index scan.
            # "Carried over" (accepted before the period, not finished at its start) is found among every older
            # dossier: the acceptance index carries what that test reads, so its scan never visits the table.
            models.Index(
                fields=["accepted_at", "id"],
                include=["finished_at", "status"],
                condition=Q(accepted_at__isnull=False),
                name="dossier_accepted_moment",
            ),
            *(
                models.Index(fields=[moment, "id"], condition=Q(**{f"{moment}__isnull": False}), name=name)
                for moment, name in (
                    ("finished_at", "dossier_finished_moment"),
                    ("refused_at", "dossier_refused_moment"),
                    ("returned_at", "dossier_returned_moment"),
                    ("supplement_requested_at", "dossier_supplement_moment"),
                )
            ),
            # … and for one agency's lists (sparse along the province-wide index: an agency with 0.1 % of the
            # dossiers made a year's list walk millions of other agencies' rows).
            *(
                models.Index(
                    fields=["agency", moment, "id"], condition=Q(**{f"{moment}__isnull": False}), name=name
                )
                for moment, name in (
                    ("accepted_at", "dossier_agency_accepted"),
                    ("finished_at", "dossier_agency_finished"),
                )
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    @property
    def national_status(self) -> int | None:
        return NATIONAL_CODE.get(self.status)

    @property
    def display_code(self) -> str:
        return self.code or self.reference


def dossier_file_path(instance: DossierDocument, filename: str) -> str:
    """Stored under a random name; the file's original name is kept in the row, never trusted on disk."""
    return f"dossiers/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class DossierDocument(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Giấy tờ bổ sung")
        SCAN = "scan", _("Bản quét tại quầy")
        FORM = "form", _("Phiếu do hệ thống lập")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=dossier_file_path, max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced = models.BooleanField(_("đã được thay"), default=False)

    class Meta:
        verbose_name = _("tệp của hồ sơ")
        verbose_name_plural = _("tệp của hồ sơ")
        ordering = ["dossier", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="dossierdoc_dossier_kind")]

    def __str__(self) -> str:
        return self.name


class DossierPause(models.Model):
    """A stretch during which the clock does not run (supplement, payment, stop)."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
        PAYMENT = "payment", _("Thực hiện nghĩa vụ tài chính")
        STOP = "stop", _("Dừng xử lý")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("khoảng tạm dừng")
        verbose_name_plural = _("khoảng tạm dừng")
        ordering = ["dossier", "started_at"]
        indexes = [models.Index(fields=["started_at", "id"], name="dossierpause_moment")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y}"


class DossierCodeCounter(models.Model):
    """The last sequence number given to an agency on a day: codes are allocated atomically and never reused."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossiercode_agency_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


class AssistConsent(models.Model):
    """A one-time code sent to the citizen's phone so a community-team member may submit on their behalf."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("directory.CommunityTeam", on_delete=models.CASCADE, related_name="+")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=15)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="assist_consent"
    )

    class Meta:
        verbose_name = _("đồng ý được hỗ trợ nộp hồ sơ")
        verbose_name_plural = _("đồng ý được hỗ trợ nộp hồ sơ")
        indexes = [models.Index(fields=["member", "created_at"], name="assistconsent_member")]

    def __str__(self) -> str:
        return f"{self.citizen_id} ← {self.member_id}"


class DossierStep(models.Model):
    """One hand-off of the processing (a row of the control sheet): who had the dossier, from when, until when.

    A step is open while `ended_at` is empty; exactly one step of a dossier in processing is open (its
    `current_step`). The step deadline comes from the template step's budget in working hours.
    """

    class Outcome(models.TextChoices):
        FORWARDED = "forwarded", _("Chuyển bước tiếp theo")
        SENT_BACK = "sent_back", _("Trả lại bước trước")
        APPROVED = "approved", _("Phê duyệt kết quả")
        UNRESOLVED = "unresolved", _("Trả lại hồ sơ, không giải quyết")
        RETURNED = "returned", _("Trả kết quả")
        CLOSED = "closed", _("Kết thúc")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    template_step = models.ForeignKey(
        "catalog.ProcessStep", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=20)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="dossier_steps"
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("phòng, ban"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chuyển"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("ý kiến khi chuyển"), blank=True)
    started_at = models.DateTimeField(_("nhận lúc"))
    assigned_at = models.DateTimeField(_("phân công lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("kết quả bước"), max_length=12, choices=Outcome.choices, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True)
    late_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossierstep_dossier_sequence")
        ]
        indexes = [
            models.Index(
                fields=["agency", "role", "due_at"],
                condition=Q(ended_at__isnull=True),
                name="dossierstep_open",
            ),
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(ended_at__isnull=True),
                name="dossierstep_open_assignee",
            ),
            models.Index(fields=["agency", "dossier"], name="dossierstep_agency_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.name}"


class DossierApology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): the reason for the delay and the new date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    number = models.CharField(_("số phiếu"), max_length=40)
    reason = models.TextField(_("lý do chậm trả kết quả"))
    responsible_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan để chậm"), on_delete=models.PROTECT, related_name="+"
    )
    previous_due_at = models.DateTimeField(_("hẹn trả trước đó"))
    new_due_at = models.DateTimeField(_("hẹn trả mới"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150)
    issued_at = models.DateTimeField(_("lập lúc"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phiếu xin lỗi")
        verbose_name_plural = _("phiếu xin lỗi")
        ordering = ["dossier", "issued_at"]
        indexes = [models.Index(fields=["issued_at", "id"], name="dossierapology_moment")]
        constraints = [
            models.UniqueConstraint(
                fields=["responsible_agency", "number"], name="dossierapology_agency_number"
            )
        ]

    def __str__(self) -> str:
        return self.number


class DossierPayment(models.Model):
    """A financial obligation asked of the applicant (state 6) and how it was paid."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Thanh toán trực tuyến")
        DESK = "desk", _("Nộp tại bộ phận một cửa")
        BANK = "bank", _("Chuyển khoản, nộp tại ngân hàng")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    description = models.CharField(_("nội dung nghĩa vụ tài chính"), max_length=300)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    method = models.CharField(_("hình thức nộp"), max_length=8, choices=Method.choices, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("nghĩa vụ tài chính")
        verbose_name_plural = _("nghĩa vụ tài chính")
        ordering = ["dossier", "requested_at"]
        indexes = [
            models.Index(
                fields=["paid_at", "id"], condition=Q(paid_at__isnull=False), name="dossierpayment_moment"
            )
        ]

    def __str__(self) -> str:
        return self.description


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Rất hài lòng")
    SATISFIED = 4, _("Hài lòng")
    NEUTRAL = 3, _("Bình thường")
    DISSATISFIED = 2, _("Không hài lòng")
    VERY_DISSATISFIED = 1, _("Rất không hài lòng")


class DossierRating(models.Model):
    """The applicant's rating of the service after the result was returned; one per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Satisfaction.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))
    flagged = models.BooleanField(_("cần lãnh đạo xem xét"), default=False)
    reviewed_at = models.DateTimeField(_("lãnh đạo đã xem lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        indexes = [
            models.Index(fields=["rated_at"], name="dossierrating_rated"),
            models.Index(fields=["flagged", "reviewed_at"], name="dossierrating_flagged"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_level_display()}"
