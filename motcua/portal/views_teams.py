"""Community digital technology teams (tổ công nghệ số cộng đồng): the public registry and team pages, and the
members' assisted-submission flow (team → citizen's CCCD and phone → code by SMS → procedure → the online form).

Public pages show no personal data of members (only how many there are); the flow is for team members only.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import OnlineLevel, Procedure, ProcedureCase
from motcua.catalog.queries import procedure_search
from motcua.directory.models import CommunityTeam
from motcua.dossiers.assist import (
    assist_consent_confirm,
    assist_consent_request,
    assist_draft_create,
    consent_state,
    member_teams,
    phone_masked,
    team_contact,
    team_help_by_month,
    teams_search,
)
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import AssistConsent, Dossier
from motcua.dossiers.rules_assist import is_any_team_member

TEAMS_PER_PAGE = 20
PROCEDURES_PER_PAGE = 10


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


# --- public pages ------------------------------------------------------------------------------------------


def team_list(request):
    q = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(teams_search(q=q), TEAMS_PER_PAGE)
    page = paginator.get_page(_page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/teams/list.html",
        {
            "q": q,
            "page": page,
            "query_string": query.urlencode(),
            "is_member": is_any_team_member(request.user),
        },
    )


def team_detail(request, team_id: int):
    team = get_object_or_404(
        CommunityTeam.objects.select_related("commune").annotate(
            member_count=Count("members", distinct=True)
        ),
        pk=team_id,
    )
    help_rows = team_help_by_month(team)
    return render(
        request,
        "portal/teams/detail.html",
        {
            "team": team,
            "contact": team_contact(team),
            "help_rows": help_rows,
            "help_total": sum(row[1] for row in help_rows),
            "is_member": is_any_team_member(request.user)
            and team.members.filter(pk=request.user.pk).exists(),
        },
    )


# --- the members' flow -------------------------------------------------------------------------------------


def member_required(view):
    """Logged in (else to the log-in page) and a member of at least one team (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_any_team_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ConsentRequestForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Tổ của bạn"),
        queryset=CommunityTeam.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Hãy chọn một tổ mà bạn là thành viên.")},
    )
    citizen_cccd = forms.CharField(
        label=gettext_lazy("Số CCCD của công dân (12 số)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Chưa nhập số CCCD của công dân.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại của công dân"),
        max_length=20,
        help_text=gettext_lazy("Mã xác nhận được gửi đến số này bằng tin nhắn."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Chưa nhập số điện thoại của công dân.")},
    )
    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên công dân"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Chỉ cần khi công dân chưa có tài khoản trên Cổng: hệ thống tạo tài khoản cho họ."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    present = forms.BooleanField(
        label=gettext_lazy("Công dân đang có mặt và đồng ý nhận mã xác nhận qua tin nhắn"),
        error_messages={"required": gettext_lazy("Chỉ hỗ trợ khi công dân có mặt và đồng ý.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = member_teams(user)


class ConsentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác nhận (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": gettext_lazy("Chưa nhập mã xác nhận.")},
    )


def _add_error(form: forms.Form, exc: DossierError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@member_required
def assist_start(request):
    form = ConsentRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = assist_consent_request(
                member=request.user,
                team=data["team"],
                citizen_cccd=data["citizen_cccd"],
                phone=data["phone"],
                full_name=data["full_name"],
            )
        except DossierError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                _("Đã gửi mã xác nhận đến số %(phone)s. Mời công dân đọc mã trong tin nhắn.")
                % {"phone": phone_masked(consent.phone)},
            )
            return redirect("portal:assist-confirm", consent_id=consent.pk)
    return render(request, "portal/teams/assist_start.html", {"form": form})


def _consent_of(request, consent_id: int) -> AssistConsent:
    """Only the member who asked may continue; anyone else gets 404 (nothing revealed)."""
    return get_object_or_404(AssistConsent.objects.select_related("team"), pk=consent_id, member=request.user)


def _next_step(consent: AssistConsent):
    state = consent_state(consent)
    if state == "confirmed":
        return redirect("portal:assist-procedure", consent_id=consent.pk)
    if state == "used":
        return redirect(_dossier_url(consent))
    return None


def _dossier_url(consent: AssistConsent) -> str:
    """The ordinary online form for the draft (portal:dossier-edit); this flow's own summary until it exists."""
    dossier = Dossier.objects.only("public_id").get(pk=consent.used_by_id)
    try:
        return reverse("portal:dossier-edit", args=[dossier.public_id])
    except NoReverseMatch:
        return reverse("portal:assist-done", args=[consent.pk])


@member_required
def assist_confirm(request, consent_id: int):
    consent = _consent_of(request, consent_id)
    form = ConsentCodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            fresh = assist_consent_request(
                member=request.user,
                team=consent.team,
                citizen_cccd=consent.citizen.cccd or "",
                phone=consent.phone,
            )
        except DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:assist-confirm", consent_id=consent.pk)
        messages.success(request, _("Đã gửi mã mới đến số %(phone)s.") % {"phone": phone_masked(fresh.phone)})
        return redirect("portal:assist-confirm", consent_id=fresh.pk)
    step = _next_step(consent)
    if step is not None:
        return step
    if request.method == "POST" and form.is_valid():
        try:
            assist_consent_confirm(consent=consent, member=request.user, code=form.cleaned_data["code"])
        except DossierError as exc:
            _add_error(form, exc)
            consent.refresh_from_db()
        else:
            messages.success(request, _("Công dân đã xác nhận đồng ý. Hãy chọn thủ tục cần nộp."))
            return redirect("portal:assist-procedure", consent_id=consent.pk)
    return render(
        request,
        "portal/teams/assist_confirm.html",
        {
            "consent": consent,
            "form": form,
            "state": consent_state(consent),
            "phone": phone_masked(consent.phone),
        },
    )


def _procedures_with_cases(ids: list[int]) -> list[Procedure]:
    objects = (
        Procedure.objects.filter(pk__in=ids)
        .select_related("field", "current_version")
        .prefetch_related("current_version__cases")
        .in_bulk()
    )
    return [objects[pk] for pk in ids if pk in objects]


@member_required
def assist_procedure(request, consent_id: int):
    consent = _consent_of(request, consent_id)
    state = consent_state(consent)
    if state == "used":
        return redirect(_dossier_url(consent))
    if state != "confirmed":
        messages.error(request, _("Công dân cần xác nhận bằng mã trước khi chọn thủ tục."))
        return redirect("portal:assist-confirm", consent_id=consent.pk)
    if request.method == "POST":
        case_id = request.POST.get("case", "")
        case = (
            ProcedureCase.objects.select_related("version__procedure").filter(pk=int(case_id)).first()
            if case_id.isdigit() and len(case_id) < 12
            else None
        )
        if case is None:
            messages.error(request, _("Hãy chọn một thủ tục trong danh sách."))
        else:
            try:
                dossier = assist_draft_create(consent=consent, member=request.user, case=case)
            except DossierError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Đã lập hồ sơ %(reference)s cho công dân. Hãy cùng công dân điền và nộp hồ sơ.")
                    % {"reference": dossier.reference},
                )
                return redirect(_dossier_url(consent))
    q = request.GET.get("q", "").strip()[:200]
    ids = procedure_search(q=q, online="yes")
    paginator = Paginator(ids, PROCEDURES_PER_PAGE)
    page = paginator.get_page(_page_number(request.GET.get("page")))
    return render(
        request,
        "portal/teams/assist_procedure.html",
        {
            "consent": consent,
            "q": q,
            "page": page,
            "procedures": _procedures_with_cases(list(page.object_list)),
            "total": len(ids),
            "online_none": OnlineLevel.NONE,
        },
    )


@member_required
def assist_done(request, consent_id: int):
    """The draft made for the citizen (shown when the online dossier form is not available)."""
    consent = _consent_of(request, consent_id)
    if consent.used_by_id is None:
        return redirect("portal:assist-confirm", consent_id=consent.pk)
    dossier = Dossier.objects.select_related("procedure_version").get(pk=consent.used_by_id)
    return render(request, "portal/teams/assist_done.html", {"consent": consent, "dossier": dossier})
