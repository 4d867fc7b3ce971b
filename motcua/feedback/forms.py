"""The report form shared by the public page and the hotline desk. It only carries what was typed back to the page;
every rule is the domain's (`motcua.feedback.intake`), whose messages are attached to the fields here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.directory.models import AdministrativeUnit
from motcua.feedback.models import Category, Channel, Kind


def _text(label, *, hint="", autocomplete="off", inputmode="", input_type="text", maxlength=None):
    attrs = {"autocomplete": autocomplete}
    if inputmode:
        attrs["inputmode"] = inputmode
    if maxlength:
        attrs["maxlength"] = str(maxlength)
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=False, help_text=hint, widget=widget)


CHOOSE_COMMUNE = _("— Chọn xã, phường —")
CHOOSE_CATEGORY = _("— Chọn lĩnh vực —")


def commune_choices(empty=CHOOSE_COMMUNE) -> list[tuple[str, str]]:
    communes = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, province__code=settings.PROVINCE_CODE, valid_to__isnull=True
    ).order_by("name")
    return [("", empty), *communes.values_list("code", "name")]


def category_choices(empty=CHOOSE_CATEGORY) -> list[tuple[str, str]]:
    return [
        ("", empty),
        *Category.objects.filter(active=True).order_by("order", "name").values_list("code", "name"),
    ]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại phản ánh"), choices=Kind.choices, required=False, widget=forms.RadioSelect
    )
    category = forms.CharField(label=_("Lĩnh vực"), required=False, widget=forms.Select())
    title = _text(_("Tiêu đề ngắn (nếu có)"), maxlength=200)
    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        required=False,
        help_text=_(
            "Mô tả sự việc: chuyện gì, ở đâu, từ khi nào. Không ghi số CCCD hay thông tin riêng của người khác."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": "5000"}),
    )
    commune = forms.CharField(label=_("Xã, phường nơi xảy ra sự việc"), required=False, widget=forms.Select())
    address = _text(
        _("Địa chỉ hoặc mô tả địa điểm"), hint=_("Số nhà, đường, ấp/khu phố, mốc gần đó."), maxlength=255
    )
    lat = _text(
        _("Vĩ độ (nếu biết)"), hint=_("Ví dụ 10.9453. Có thể bỏ trống."), inputmode="decimal", maxlength=12
    )
    lon = _text(
        _("Kinh độ (nếu biết)"), hint=_("Ví dụ 106.8243. Có thể bỏ trống."), inputmode="decimal", maxlength=12
    )
    anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh (chỉ với lĩnh vực cho phép; khi đó không nhận được thông báo)"), required=False
    )
    reporter_name = _text(_("Họ và tên"), autocomplete="name", maxlength=200)
    reporter_phone = _text(
        _("Số điện thoại"), autocomplete="tel", inputmode="tel", input_type="tel", maxlength=15
    )
    reporter_email = _text(_("Thư điện tử (nếu có)"), autocomplete="email", input_type="email", maxlength=254)
    notify_sms = forms.BooleanField(label=_("Báo tiến trình xử lý cho tôi qua tin nhắn SMS"), required=False)

    def __init__(self, *args, channels: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = category_choices()
        self.fields["commune"].widget.choices = commune_choices()
        if channels:  # the hotline desk records where the report came from
            self.fields["channel"] = forms.ChoiceField(
                label=_("Kênh tiếp nhận"),
                choices=[(c, label) for c, label in Channel.choices if c not in {Channel.WEB, Channel.API}],
                required=False,
            )
            self.order_fields(["channel"])

    def domain_data(self) -> dict:
        data = {key: self.cleaned_data.get(key) for key in self.fields}
        data["notify_channels"] = ["sms"] if data.pop("notify_sms") else []
        return data

    def domain_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            name = {"location": "lat", "photos": None}.get(field, field)
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.photo_error = message

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error, for the summary at the top of the page."""
        rows = [(f"id_{name}", " ".join(errors)) for name, errors in self.errors.items() if name != "__all__"]
        if getattr(self, "photo_error", ""):
            rows.append(("id_photos", self.photo_error))
        return rows
