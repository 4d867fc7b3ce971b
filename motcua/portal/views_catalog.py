"""Public pages to find a procedure: search results, detail, agency pages. Work without JavaScript."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from motcua.catalog.models import Field, Level, OnlineLevel, Procedure
from motcua.catalog.queries import procedure_detail, procedure_search, procedures_page
from motcua.directory.models import Agency


def _fields_with_counts():
    return Field.objects.annotate(
        total=Count(
            "procedures", filter=Q(procedures__active=True, procedures__current_version__isnull=False)
        )
    ).filter(total__gt=0)


def home(request):
    popular = (
        Procedure.objects.filter(active=True, current_version__isnull=False)
        .select_related("field")
        .order_by("-popularity", "name")[:8]
    )
    return render(request, "portal/home.html", {"fields": _fields_with_counts(), "popular": popular})


def _int(value, default=1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def search(request):
    params = {
        "q": request.GET.get("q", "").strip()[:200],
        "field": request.GET.get("field", ""),
        "level": request.GET.get("level", "") if request.GET.get("level", "") in Level.values else "",
        "online": request.GET.get("online", ""),
        "agency": request.GET.get("agency", "").strip()[:35],
    }
    if params["online"] not in ("", "yes", *OnlineLevel.values):
        params["online"] = ""
    ids = procedure_search(**params)
    procedures, pages = procedures_page(ids, _int(request.GET.get("page")))
    page = min(_int(request.GET.get("page")), pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/catalog/search.html",
        {
            "params": params,
            "procedures": procedures,
            "total": len(ids),
            "page": page,
            "pages": pages,
            "fields": _fields_with_counts(),
            "levels": Level.choices,
            "online_levels": OnlineLevel.choices,
            "query_string": query.urlencode(),
        },
    )


def detail(request, code: str):
    procedure = procedure_detail(code)
    if procedure is None:
        raise Http404
    version = procedure.current_version
    agencies = list(version.agencies.order_by("code")[:5]) if version.level == "province" else []
    return render(
        request,
        "portal/catalog/detail.html",
        {"procedure": procedure, "version": version, "agencies": agencies},
    )


def agency(request, code: str):
    agency_obj = get_object_or_404(Agency, code=code)
    procedures = (
        Procedure.objects.filter(active=True, current_version__agencies=agency_obj)
        .select_related("field")
        .order_by("field__name", "name")
        .distinct()
    )
    return render(request, "portal/catalog/agency.html", {"agency": agency_obj, "procedures": procedures})
