from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Log-in with a clear Vietnamese message, including when the account is temporarily locked."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Xin kiểm tra lại (chú ý chữ hoa, chữ thường)."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Xin liên hệ bộ phận một cửa."),
        "locked": _(
            "Đăng nhập sai quá nhiều lần. Tài khoản tạm khóa trong %(minutes)s phút; xin thử lại sau."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
                ) from None
            raise


class RegistrationForm(forms.Form):
    """Self-registration. Checks are done by the service (one place); this form only collects the fields."""

    kind = forms.ChoiceField(
        label=_("Bạn đăng ký với tư cách"),
        choices=[("citizen", _("Công dân")), ("business", _("Doanh nghiệp, tổ chức"))],
        widget=forms.RadioSelect,
        initial="citizen",
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    cccd = forms.CharField(
        label=_("Số CCCD / định danh cá nhân (12 số)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Công dân dùng số này để đăng nhập."),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh (ngày/tháng/năm)"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "bday"}
        ),
        error_messages={"invalid": _("Ngày sinh viết theo dạng ngày/tháng/năm, ví dụ 05/09/1968.")},
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế (doanh nghiệp)"),
        max_length=14,
        required=False,
        help_text=_("Doanh nghiệp dùng mã số thuế để đăng nhập."),
    )
    organisation_name = forms.CharField(label=_("Tên doanh nghiệp, tổ chức"), max_length=255, required=False)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)
    password = forms.CharField(
        label=_("Mật khẩu (ít nhất 10 ký tự)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("Hai mật khẩu không giống nhau."))
        if data.get("kind") == "citizen" and not data.get("cccd"):
            self.add_error("cccd", _("Xin nhập số CCCD gồm 12 chữ số."))
        if data.get("kind") == "business":
            if not data.get("tax_code"):
                self.add_error("tax_code", _("Xin nhập mã số thuế của doanh nghiệp."))
            if not data.get("organisation_name"):
                self.add_error("organisation_name", _("Xin nhập tên doanh nghiệp, tổ chức."))
        return data
