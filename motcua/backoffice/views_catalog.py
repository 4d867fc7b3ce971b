"""Catalog import (with a dry run) and export, for provincial administrators."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.backoffice.views import staff_required
from motcua.catalog.services import (
    CatalogFormatError,
    catalog_export_json,
    catalog_export_xlsx,
    catalog_import,
    catalog_parse,
)
from motcua.directory.rules import is_province_admin

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh mục (JSON hoặc XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        raw = upload.read()
        head = raw[:4]
        if head != b"PK\x03\x04" and raw.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] != b"{":
            raise forms.ValidationError(
                _("Tệp phải là JSON hoặc XLSX (kiểm tra theo nội dung tệp, không theo tên).")
            )
        return raw


def _admin_only(view):
    @staff_required
    def wrapped(request, *args, **kwargs):
        if not is_province_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


@_admin_only
def catalog_import_page(request):
    """Step 1: upload → dry run shown; step 2: confirm → applied. The file travels back in the session."""
    report, form = None, ImportForm()
    if request.method == "POST" and request.POST.get("confirm") and "catalog_upload" in request.session:
        data = json.loads(request.session.pop("catalog_upload"))
        report = catalog_import(actor=request.user, data=data, dry_run=False)
        if report.ok:
            messages.success(
                request,
                _("Đã nhập danh mục: thêm mới %(c)s, phiên bản mới %(v)s, không đổi %(u)s.")
                % {
                    "c": report.count("created"),
                    "v": report.count("new_version"),
                    "u": report.count("unchanged"),
                },
            )
            return redirect("backoffice:catalog-import")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                data = catalog_parse(form.cleaned_data["file"])
            except CatalogFormatError as exc:
                form.add_error("file", str(exc))
            else:
                report = catalog_import(actor=request.user, data=data, dry_run=True)
                if report.ok:
                    request.session["catalog_upload"] = json.dumps(data, ensure_ascii=False, default=str)
    return render(request, "backoffice/catalog/import.html", {"form": form, "report": report})


@_admin_only
def catalog_export(request, kind: str):
    if kind == "xlsx":
        response = HttpResponse(
            catalog_export_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
        return response
    response = HttpResponse(
        json.dumps(catalog_export_json(), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.json"'
    return response
