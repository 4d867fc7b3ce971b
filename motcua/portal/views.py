from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from motcua.directory.rules import is_staff_member
from motcua.portal.forms import LoginForm


def home(request):
    return render(request, "portal/home.html")


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
