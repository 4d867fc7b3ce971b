from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.core.ratelimit import rate_limited
from motcua.directory.rules import is_staff_member
from motcua.directory.services import account_register
from motcua.portal.forms import LoginForm, RegistrationForm


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        target = self.get_redirect_url()
        if target and url_has_allowed_host_and_scheme(
            target, {self.request.get_host()}, self.request.is_secure()
        ):
            return target
        if is_staff_member(self.request.user):
            return reverse("backoffice:home")
        return reverse("portal:home")


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@rate_limited("portal.register", limit=10, window_seconds=3600, methods=("POST",))
def register(request):
    """Citizens and businesses create their own account; staff accounts are made by administrators."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        try:
            user = account_register(
                kind=kind,
                full_name=data["full_name"],
                password=data["password"],
                phone=data["phone"],
                email=data["email"],
                cccd=data["cccd"] if kind == "citizen" else "",
                birth_date=data["birth_date"] if kind == "citizen" else None,
                tax_code=data["tax_code"] if kind == "business" else "",
                organisation_name=data["organisation_name"] if kind == "business" else "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="motcua.directory.auth.LockoutModelBackend")
            messages.success(
                request,
                _("Đã tạo tài khoản. Lần sau, đăng nhập bằng %(name)s và mật khẩu của bạn.")
                % {"name": user.username},
            )
            return redirect("portal:home")
    return render(request, "portal/register.html", {"form": form})
