"""Forms of the one-stop desk: the walk-in reception form, built for one procedure case.

The form only carries what the officer typed back to the page; every rule (lengths, CCCD, dates, delivery) is the
dossier domain's (`motcua.dossiers.intake`), whose messages are attached to the fields here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.directory.models import AdministrativeUnit
from motcua.dossiers.models import Channel, Delivery, IdType
from motcua.dossiers.validation import APPLICANT_FIELDS, SUBMITTER_FIELDS

NOTIFY_CHOICES = [("sms", _("Tin nhắn SMS")), ("email", _("Thư điện tử")), ("zalo", _("Zalo"))]


def _text(label, *, hint="", autocomplete="", inputmode="", input_type="text") -> forms.CharField:
    attrs = {"autocomplete": autocomplete or "off"}
    if inputmode:
        attrs["inputmode"] = inputmode
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=False, help_text=hint, widget=widget, strip=False)


def commune_choices() -> list[tuple[str, str]]:
    communes = AdministrativeUnit.objects.filter(
        level="commune", province__code=settings.PROVINCE_CODE, valid_to__isnull=True
    ).order_by("name")
    return [("", _("— Chọn xã, phường —")), *[(c.code, c.name) for c in communes]]


class WalkInForm(forms.Form):
    """A paper dossier recorded at the desk for one case: place, applicant, submitter, extra fields, scans."""

    place = forms.ChoiceField(label=_("Nơi tiếp nhận — cơ quan giải quyết"), required=False)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (Channel.DESK, _("Trực tiếp tại bộ phận một cửa")),
            (Channel.POST, _("Qua bưu chính công ích")),
        ],
        initial=Channel.DESK,
        widget=forms.RadioSelect,
    )
    applicant_name = _text(_("Họ và tên chủ hồ sơ"), autocomplete="off")
    applicant_id_type = forms.ChoiceField(
        label=_("Loại giấy tờ"), choices=IdType.choices, initial=IdType.CCCD, required=False
    )
    applicant_id_number = _text(
        _("Số giấy tờ"), hint=_("CCCD: 12 chữ số. Mã số thuế: 10 hoặc 13 chữ số."), inputmode="numeric"
    )
    applicant_birth_date = _text(
        _("Ngày sinh (ngày/tháng/năm)"),
        hint=_("Ví dụ 05/09/1990. Để trống với tổ chức."),
        inputmode="numeric",
    )
    applicant_phone = _text(_("Số điện thoại"), inputmode="tel", input_type="tel")
    applicant_email = _text(_("Thư điện tử (nếu có)"), input_type="email")
    applicant_commune = forms.ChoiceField(label=_("Xã, phường (nếu ở trong tỉnh)"), required=False)
    applicant_address = _text(_("Địa chỉ"), hint=_("Số nhà, đường, ấp/khu phố."))
    submitter_name = _text(_("Họ và tên người nộp thay"))
    submitter_id_number = _text(_("Số CCCD người nộp thay"), inputmode="numeric")
    submitter_phone = _text(_("Điện thoại người nộp thay"), inputmode="tel", input_type="tel")
    submitter_email = _text(_("Thư điện tử người nộp thay"), input_type="email")
    submitter_authorisation = _text(_("Giấy ủy quyền (số, ngày)"))
    delivery = forms.ChoiceField(label=_("Cách nhận kết quả"), widget=forms.RadioSelect)
    delivery_address = _text(_("Địa chỉ nhận kết quả"), hint=_("Bắt buộc khi nhận kết quả qua bưu chính."))
    notify_channels = forms.MultipleChoiceField(
        label=_("Báo tình trạng hồ sơ cho người dân qua"),
        choices=NOTIFY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, places: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        version = case.version
        self.case = case
        self.fields["place"].choices = places
        if places:
            self.fields["place"].initial = places[0][0]
        self.fields["applicant_commune"].choices = commune_choices()
        methods = [m for m in (version.delivery_methods or [Delivery.DESK]) if m in Delivery.values]
        self.fields["delivery"].choices = [(m, Delivery(m).label) for m in methods]
        self.fields["delivery"].initial = methods[0] if methods else Delivery.DESK
        self.extra_keys: list[str] = []
        for spec in getattr(version, "form_fields", None) or []:
            name = f"extra_{spec['key']}"
            self.extra_keys.append(name)
            if spec.get("type") == "choice":
                choices = [("", _("— Chọn —")), *[(c, c) for c in spec.get("choices", [])]]
                self.fields[name] = forms.ChoiceField(label=spec["label"], choices=choices, required=False)
            else:
                hint = _("Ngày/tháng/năm.") if spec.get("type") == "date" else ""
                self.fields[name] = _text(spec["label"], hint=hint)
        self.document_keys: list[tuple[str, object]] = []
        for document in version.documents.order_by("order", "id"):
            name = f"document_{document.pk}"
            self.document_keys.append((name, document))
            self.fields[name] = forms.FileField(
                label=document.name,
                required=False,
                help_text=_("Bản quét PDF, JPEG hoặc PNG. Không bắt buộc: bản giấy đã nhận tại quầy."),
                widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )

    def applicant_data(self) -> dict[str, str]:
        data = self.cleaned_data
        return {key: data.get(key) or "" for key in (*APPLICANT_FIELDS, *SUBMITTER_FIELDS)}

    def extra_data(self) -> dict[str, str]:
        return {name.removeprefix("extra_"): self.cleaned_data.get(name) or "" for name in self.extra_keys}

    def bound(self, names) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    @property
    def applicant_group(self):
        return self.bound(APPLICANT_FIELDS)

    @property
    def submitter_group(self):
        return self.bound(SUBMITTER_FIELDS)

    @property
    def submitter_open(self) -> bool:
        return any(self[name].value() or self.has_error(name) for name in SUBMITTER_FIELDS)

    @property
    def extra_group(self):
        return self.bound(self.extra_keys)

    @property
    def delivery_group(self):
        return self.bound(("delivery", "delivery_address", "notify_channels"))
