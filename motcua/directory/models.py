"""Administrative units, agencies, departments, people and their roles, community teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import validate_agency_code, validate_cccd, validate_tax_code


class AdministrativeUnit(models.Model):
    """A province (34) or a commune (3,321: xã, phường, đặc khu) as set by QĐ 19/2025/QĐ-TTg."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=5, help_text=_("2 chữ số cho tỉnh, 5 chữ số cho xã."))
    name = models.CharField(_("tên"), max_length=120)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.CharField(_("tên không dấu"), max_length=120)
    province = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
        limit_choices_to={"level": "province"},
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="adminunit_level_code_unique")]
        indexes = [models.Index(fields=["province", "name"], name="adminunit_province_name")]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An agency (cơ quan, đơn vị) with its official identifier (mã định danh, QCVN 102:2016)."""

    class Kind(models.TextChoices):
        PROVINCIAL_PEOPLES_COMMITTEE = "ubnd_tinh", _("UBND tỉnh")
        PROVINCIAL_OFFICE = "vp_ubnd_tinh", _("Văn phòng UBND tỉnh")
        DEPARTMENT = "so", _("Sở, ban, ngành")
        PROVINCIAL_SERVICE_CENTRE = "ttpvhcc_tinh", _("Trung tâm Phục vụ hành chính công tỉnh")
        COMMUNE_PEOPLES_COMMITTEE = "ubnd_xa", _("UBND xã, phường, đặc khu")
        COMMUNE_SERVICE_CENTRE = "ttpvhcc_xa", _("Trung tâm Phục vụ hành chính công xã")
        CENTRAL_BRANCH = "nganh_doc", _("Cơ quan ngành dọc")
        OTHER = "khac", _("Đơn vị khác")

    code = models.CharField(
        _("mã định danh"),
        max_length=35,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Dạng 000.00.00.H19 theo QCVN 102:2016/BTTTT."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"level": "commune"},
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text=_("Cơ quan tiếp nhận nhiệm vụ sau sắp xếp (ví dụ sắp xếp đơn vị hành chính năm 2025)."),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent"], name="agency_parent"),
            models.Index(fields=["kind", "province"], name="agency_kind_province"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def ancestors(self) -> list[Agency]:
        """Parents up to the root (guards against a cycle entered by hand)."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Department(models.Model):
    """A department (phòng, ban) inside an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("tên phòng, ban"), max_length=255)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phòng, ban")
        verbose_name_plural = _("phòng, ban")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_agency_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class User(AbstractUser):
    """Every person who logs in: citizens, businesses and staff."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp, tổ chức")
        STAFF = "staff", _("Cán bộ, công chức")

    first_name = None
    last_name = None
    full_name = models.CharField(_("họ và tên"), max_length=150)
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    cccd = models.CharField(
        _("số CCCD/định danh cá nhân"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_cccd],
    )
    tax_code = models.CharField(
        _("mã số thuế"), max_length=14, unique=True, null=True, blank=True, validators=[validate_tax_code]
    )
    organisation_name = models.CharField(_("tên doanh nghiệp, tổ chức"), max_length=255, blank=True)
    phone = models.CharField(
        _("số điện thoại"),
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^(\+84|0)\d{9,10}$", _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."))],
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường nơi ở"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"level": "commune"},
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.cccd and self.birth_date:
            try:
                validate_cccd(self.cccd, birth_date=self.birth_date)
            except ValidationError as exc:
                raise ValidationError({"cccd": exc.messages}) from None
        if self.kind == self.Kind.BUSINESS and not self.tax_code:
            raise ValidationError({"tax_code": _("Tài khoản doanh nghiệp cần có mã số thuế.")})


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa (tiếp nhận và trả kết quả)")
    SPECIALIST = "specialist", _("Chuyên viên thụ lý")
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    HOTLINE_OPERATOR = "hotline_operator", _("Điện thoại viên tổng đài 1022")
    FEEDBACK_COORDINATOR = "feedback_coordinator", _("Điều phối phản ánh, kiến nghị cấp tỉnh")
    COMMUNITY_MEMBER = "community_member", _("Thành viên tổ công nghệ số cộng đồng")
    PROVINCE_ADMIN = "province_admin", _("Quản trị hệ thống cấp tỉnh")


class StaffAssignment(models.Model):
    """A person holds a role in an agency (and optionally a department). One person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("phòng, ban"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "department", "role"], name="assignment_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "role", "active"], name="assignment_agency_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.department_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": _("Phòng, ban phải thuộc đúng cơ quan được phân công.")})


class CommunityTeam(models.Model):
    """A community digital technology team (tổ công nghệ số cộng đồng) of a commune or village."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="community_teams",
        limit_choices_to={"level": "commune"},
    )
    name = models.CharField(_("tên tổ"), max_length=200)
    village = models.CharField(_("thôn, ấp, khu phố"), max_length=120, blank=True)
    members = models.ManyToManyField(
        User, verbose_name=_("thành viên"), blank=True, related_name="community_teams"
    )

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="communityteam_unique")]

    def __str__(self) -> str:
        return self.name


class ApiClient(models.Model):
    """Another system or app that calls the REST API with a bearer token a provincial administrator issued.

    Only the SHA-256 of the token is stored; the token itself is shown once, when it is issued
    (`motcua.directory.api_clients.api_client_issue`). Revoking is final: a new token means a new client.
    """

    name = models.CharField(_("tên ứng dụng kết nối"), max_length=120)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    token_hash = models.CharField(_("mã băm của khóa truy cập"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("đầu khóa truy cập"), max_length=8, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("người cấp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("ứng dụng kết nối API")
        verbose_name_plural = _("ứng dụng kết nối API")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


class ApiClientDossier(models.Model):
    """Which API client submitted a dossier: a client reads back only the dossiers it submitted."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("ứng dụng kết nối"), on_delete=models.PROTECT, related_name="dossier_links"
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="api_client_link"
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ nộp qua API")
        verbose_name_plural = _("hồ sơ nộp qua API")
        indexes = [models.Index(fields=["client", "dossier"], name="apiclientdossier_client")]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.dossier_id}"
