"""Forms of the citizen's online dossier: the draft form (one page), the supplement form and the tracking form.

The forms only carry what the applicant typed back to the page; every rule (lengths, CCCD, dates, delivery, files)
is the dossier domain's (`motcua.dossiers.intake`), whose messages are attached to the fields here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.directory.models import AdministrativeUnit
from motcua.dossiers.models import Delivery, IdType
from motcua.dossiers.validation import APPLICANT_FIELDS, SUBMITTER_FIELDS

DELIVERY_FIELDS = ("delivery", "delivery_address")
NOTIFY_CHOICES = [("email", _("Thư điện tử")), ("sms", _("Tin nhắn SMS"))]
# What the browser offers in its file picker; the server checks every file by its content anyway.
UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _text(
    label, *, hint="", autocomplete="off", inputmode="", input_type="text", maxlength=None, placeholder=""
):
    attrs = {"autocomplete": autocomplete}
    if inputmode:
        attrs["inputmode"] = inputmode
    if maxlength:
        attrs["maxlength"] = str(maxlength)
    if placeholder:
        attrs["placeholder"] = placeholder
    widget = forms.TextInput(attrs=attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=False, help_text=hint, widget=widget, strip=False)


def _select(label, *, hint="") -> forms.CharField:
    """A <select> whose value the domain checks (so a tampered value gets the domain's message, not two)."""
    return forms.CharField(label=label, required=False, help_text=hint, widget=forms.Select())


def commune_choices() -> list[tuple[str, str]]:
    """The communes of the province this installation serves, by name (about a hundred: a plain select)."""
    communes = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, province__code=settings.PROVINCE_CODE, valid_to__isnull=True
    ).order_by("name")
    return [("", _("— Chọn xã, phường —")), *[(c.code, c.name) for c in communes]]


class DossierForm(forms.Form):
    """The online dossier of one procedure case: applicant, submitter by power of attorney, the procedure's own
    fields, result delivery and notification channels. Files are read from request.FILES by the view."""

    applicant_name = _text(_("Họ và tên chủ hồ sơ"), autocomplete="name", maxlength=200)
    applicant_id_type = _select(_("Loại giấy tờ"))
    applicant_id_number = _text(
        _("Số CCCD (số định danh cá nhân)"),
        hint=_("CCCD: 12 chữ số. Doanh nghiệp: mã số thuế 10 hoặc 13 chữ số."),
        inputmode="numeric",
        maxlength=20,
    )
    applicant_birth_date = _text(
        _("Ngày sinh (ngày/tháng/năm)"),
        hint=_("Ví dụ 05/09/1990."),
        autocomplete="bday",
        inputmode="numeric",
        maxlength=10,
        placeholder="dd/mm/yyyy",
    )
    applicant_phone = _text(
        _("Số điện thoại"), autocomplete="tel", inputmode="tel", input_type="tel", maxlength=15
    )
    applicant_email = _text(
        _("Thư điện tử (nếu có)"), autocomplete="email", input_type="email", maxlength=254
    )
    applicant_commune = _select(_("Xã, phường nơi cư trú"))
    applicant_address = _text(
        _("Địa chỉ"), hint=_("Số nhà, đường, ấp/khu phố."), autocomplete="street-address", maxlength=255
    )
    submitter_name = _text(_("Họ và tên người nộp thay"), maxlength=200)
    submitter_id_number = _text(_("Số CCCD người nộp thay"), inputmode="numeric", maxlength=20)
    submitter_phone = _text(_("Điện thoại người nộp thay"), inputmode="tel", input_type="tel", maxlength=15)
    submitter_email = _text(_("Thư điện tử người nộp thay"), input_type="email", maxlength=254)
    submitter_authorisation = _text(
        _("Giấy ủy quyền (số, ngày, nơi chứng thực)"),
        hint=_("Ví dụ: số 123/2025, ngày 02/01/2026, UBND phường."),
        maxlength=255,
    )
    delivery = forms.CharField(label=_("Cách nhận kết quả"), required=False, widget=forms.RadioSelect())
    delivery_address = _text(
        _("Địa chỉ nhận kết quả qua bưu chính"),
        hint=_("Bắt buộc khi nhận kết quả qua bưu chính."),
        maxlength=255,
    )
    notify_channels = forms.MultipleChoiceField(
        label=_("Báo tình trạng hồ sơ cho tôi qua"),
        choices=NOTIFY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        version = dossier.procedure_version
        self.fields["applicant_id_type"].widget.choices = IdType.choices
        if dossier.applicant_id_type == IdType.TAX_CODE:  # a business applies in its own name
            self.fields["applicant_name"].label = _("Tên tổ chức, doanh nghiệp")
            self.fields["applicant_id_number"].label = _("Mã số thuế / mã số doanh nghiệp")
        elif dossier.applicant_id_type == IdType.PASSPORT:
            self.fields["applicant_id_number"].label = _("Số hộ chiếu")
        self.fields["applicant_commune"].widget.choices = commune_choices()
        methods = [m for m in (version.delivery_methods or [Delivery.DESK]) if m in Delivery.values]
        self.fields["delivery"].widget.choices = [(m, Delivery(m).label) for m in methods]
        self.extra_keys: list[str] = []
        for spec in getattr(version, "form_fields", None) or []:
            name = f"extra_{spec['key']}"
            self.extra_keys.append(name)
            label = (
                spec["label"] if spec.get("required") else _("%(label)s (nếu có)") % {"label": spec["label"]}
            )
            if spec.get("type") == "choice":
                field = _select(label)
                field.widget.choices = [("", _("— Chọn —")), *[(c, c) for c in spec.get("choices", [])]]
            elif spec.get("type") == "date":
                field = _text(
                    label,
                    hint=_("Ngày/tháng/năm, ví dụ 05/09/2025."),
                    inputmode="numeric",
                    placeholder="dd/mm/yyyy",
                )
            elif spec.get("type") == "number":
                field = _text(label, inputmode="numeric")
            else:
                field = _text(label, maxlength=1000)
            self.fields[name] = field
        for name, field in self.fields.items():
            if field.help_text:
                self._describe(name)
        self.summary: list[tuple[str, str]] = []  # (anchor, message) for the list at the top of the page
        self.document_errors: dict[str, str] = {}  # upload slot name → message

    @staticmethod
    def initial_from(dossier) -> dict:
        """What the page shows for a saved draft."""
        initial = {name: getattr(dossier, name) or "" for name in (*APPLICANT_FIELDS, *SUBMITTER_FIELDS)}
        initial["applicant_commune"] = dossier.applicant_commune.code if dossier.applicant_commune_id else ""
        birth = dossier.applicant_birth_date
        initial["applicant_birth_date"] = birth.strftime("%d/%m/%Y") if birth else ""
        initial["delivery"] = dossier.delivery
        initial["delivery_address"] = dossier.delivery_address
        initial["notify_channels"] = list(dossier.notify_channels or [])
        for key, value in (dossier.extra_data or {}).items():
            initial[f"extra_{key}"] = value
        return initial

    # --- the typed values, as the domain functions take them --------------------------------------------

    def _raw(self, name: str) -> str:
        return str(self.data.get(name, "") or "")

    def applicant_data(self) -> dict[str, str]:
        return {name: self._raw(name) for name in (*APPLICANT_FIELDS, *SUBMITTER_FIELDS)}

    def extra_data(self) -> dict[str, str]:
        return {name.removeprefix("extra_"): self._raw(name) for name in self.extra_keys}

    def delivery_data(self) -> dict:
        return {
            "delivery": self._raw("delivery"),
            "delivery_address": self._raw("delivery_address"),
            "notify_channels": [c for c in self.data.getlist("notify_channels") if c],
        }

    # --- the domain's messages, next to each field and in the summary -------------------------------------

    def domain_errors(self, errors: dict[str, str]) -> None:
        """Put each message next to its field (`document_<id>` next to its upload slot) and in the summary."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        for key, message in errors.items():
            if key.startswith("document_"):
                self.document_errors[key] = " ".join(filter(None, [self.document_errors.get(key), message]))
                self.summary.append((f"id_{key}", message))
            elif key in self.fields:
                self.add_error(key, message)
                self.summary.append((self[key].auto_id, message))
                self._describe(key, error=True)
            else:
                self.add_error(None, message)
                self.summary.append(("", message))

    def _describe(self, name: str, *, error: bool = False) -> None:
        """Tie the hint and the error message to the input for screen readers."""
        attrs = self.fields[name].widget.attrs
        ids = [f"id_{name}-error"] if error else []
        if self.fields[name].help_text:
            ids.append(f"id_{name}-hint")
        attrs["aria-describedby"] = " ".join(ids)
        if error:
            attrs["aria-invalid"] = "true"

    # --- groups for the template -----------------------------------------------------------------------

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
        """The <details> starts open when someone acts by power of attorney or one of its fields is wrong."""
        return bool(self["submitter_name"].value()) or any(self[n].errors for n in SUBMITTER_FIELDS)

    @property
    def extra_group(self):
        return self.bound(self.extra_keys)


class TrackingForm(forms.Form):
    """The public look-up: the dossier code and either the last 4 digits of the phone or the access code."""

    ma = forms.CharField(
        label=_("Mã hồ sơ hoặc số đăng ký"),
        required=False,
        help_text=_("In trên Giấy tiếp nhận hồ sơ, ví dụ 000.00.05.H19-260105-0001 hoặc HS2601ABCD2345."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "60",
            }
        ),
    )
    so = forms.CharField(
        label=_("4 số cuối điện thoại của chủ hồ sơ"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}),
    )
    khoa = forms.CharField(
        label=_("Hoặc mã tra cứu"),
        required=False,
        help_text=_("8 ký tự in trên Giấy tiếp nhận hồ sơ, thay cho 4 số cuối điện thoại."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "12",
            }
        ),
    )
