"""The citizen's side of the end of processing: withdraw a dossier, rate the service after its return.

The result document is downloaded from the dossier's page (`views_dossiers.dossier_file`) once it may be seen:
when the result was returned, or when it is finished and the applicant chose to receive it electronically.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Delivery, DossierDocument, Status
from motcua.dossiers.processing import dossier_withdraw
from motcua.dossiers.results import dossier_rate
from motcua.dossiers.services import OPEN


def result_visible(dossier) -> bool:
    return dossier.status == Status.RETURNED or (
        dossier.status == Status.FINISHED and dossier.delivery == Delivery.ELECTRONIC
    )


def visible_documents(dossier):
    documents = DossierDocument.objects.filter(dossier=dossier, replaced=False).order_by("id")
    return documents if result_visible(dossier) else documents.exclude(kind=DossierDocument.Kind.RESULT)


def may_withdraw(dossier) -> bool:
    return dossier.status in OPEN


@require_POST
def dossier_withdraw_view(request, public_id):
    from motcua.portal.views_dossiers import _detail_page, _own

    dossier = _own(request, public_id)
    try:
        dossier_withdraw(
            dossier=dossier,
            actor=request.user,
            reason=request.POST.get("ly_do", ""),
            expected_revision=int(revision)
            if (revision := request.POST.get("revision", "")).isdigit()
            else -1,
        )
    except DossierError as exc:
        return _detail_page(request, _own(request, public_id), end_error=exc.message, status=400)
    messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.display_code})
    return redirect("portal:dossier-detail", public_id=dossier.public_id)


@require_POST
def dossier_rate_view(request, public_id):
    from motcua.portal.views_dossiers import _detail_page, _own

    dossier = _own(request, public_id)
    try:
        dossier_rate(
            dossier=dossier,
            actor=request.user,
            level=request.POST.get("muc_do"),
            comment=request.POST.get("y_kien", ""),
        )
    except DossierError as exc:
        return _detail_page(request, dossier, end_error=exc.message, status=400)
    messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá chất lượng phục vụ."))
    return redirect("portal:dossier-detail", public_id=dossier.public_id)
