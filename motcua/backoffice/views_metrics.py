"""The IOC dashboard for leaders: indicators, the wall, the QĐ 766 score card, drill-down lists and exports.

Leaders (department, agency) see their agency's tree; the provincial administrator and the leaders of the Provincial
People's Committee see the province (motcua.metrics.rules). Lists of dossiers (personal data) are audited.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from motcua.catalog.models import Field
from motcua.core.audit import audit_event_record
from motcua.directory.models import AdministrativeUnit, Agency
from motcua.dossiers.models import Channel
from motcua.metrics import report
from motcua.metrics.card import scorecard_compute
from motcua.metrics.drill import MEASURES, drill_export_queryset, drill_page
from motcua.metrics.indicators import indicators_compute, procedures_by_level, trend
from motcua.metrics.rules import dashboard_viewer
from motcua.metrics.slices import SliceError, period_choices, slice_parse


def leader_required(view):
    """Logged in and allowed to see figures (motcua.metrics.rules.dashboard_viewer); otherwise 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        viewer = dashboard_viewer(request.user)
        if viewer is None:
            raise PermissionDenied
        request.viewer = viewer
        try:
            request.slice = slice_parse(request.GET, allowed=viewer.allowed, default_agency=viewer.home)
        except SliceError as error:
            return render(request, "backoffice/metrics/error.html", {"error": error.message}, status=400)
        return view(request, *args, **kwargs)

    return wrapped


def _options(pairs, selected) -> str:
    """`<option>`s of (value, label) pairs, escaped and joined in one pass: a province has hundreds of agencies, and
    a template loop over them was a third of the dashboard's time."""
    return mark_safe(  # noqa: S308  (every value and label is escaped here)
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
            for value, label in pairs
        )
    )


def _filters(request) -> dict:
    allowed = request.viewer.allowed
    agencies = Agency.objects.filter(valid_to__isnull=True).order_by("code")
    legacy = Agency.objects.filter(valid_to__isnull=False).order_by("code")
    if allowed is not None:
        agencies, legacy = agencies.filter(pk__in=allowed), legacy.filter(pk__in=allowed)
    slice_ = request.slice
    agency = slice_.agency.pk if slice_.agency else None
    communes = (
        AdministrativeUnit.objects.filter(level="commune", agencies__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("pk", "name")
    )
    return {
        "periods": period_choices(),
        "agency_options": _options(agencies.values_list("pk", "name"), agency),
        "legacy_options": _options(legacy.values_list("pk", "name"), agency),
        "commune_options": _options(communes, slice_.commune.pk if slice_.commune else None),
        "field_options": _options(
            Field.objects.order_by("name").values_list("pk", "name"),
            slice_.field.pk if slice_.field else None,
        ),
        "channels": Channel.choices,
        "query": urlencode(request.slice.params()),
        "selected": request.slice.params(),
        "selected_period_extra": request.slice.period.code not in {p.code for p in period_choices()},
        "viewer_province": request.viewer.province,
    }


RANKING_EACH_END = 10


def _agency_rows(slice_):
    rows = report.report_rows(slice_)
    return sorted(rows, key=lambda r: (-(r.in_time_share or -1), r.agency.code))


def _ranking(rows, *, each: int = RANKING_EACH_END) -> dict:
    """The agencies with dossiers finished in the period, best share first; beyond 2 × `each` of them, the `each`
    best and the `each` worst (every agency is in the periodic report, XLSX and CSV)."""
    ranked = [r for r in rows if r.in_time_share is not None]
    cut = len(ranked) > 2 * each
    return {
        "rows": ranked[:each] + ranked[-each:] if cut else ranked,
        "ranked": len(ranked),
        "unranked": len(rows) - len(ranked),
        "cut": cut,
        "each": each,
    }


@leader_required
def dashboard(request):
    slice_ = request.slice
    figures = indicators_compute(slice_)
    context = {
        "slice": slice_, "f": figures, "trend": trend(slice_), "levels": procedures_by_level(slice_),
        "ranking": _ranking(_agency_rows(slice_)), "card": scorecard_compute(slice_, figures=figures),
        **_filters(request),
    }  # fmt: skip
    return render(request, "backoffice/metrics/dashboard.html", context)


@leader_required
def wall(request):
    figures = indicators_compute(request.slice)
    context = {
        "slice": request.slice, "f": figures,
        "ranking": _ranking(_agency_rows(request.slice), each=6),
        "updated": timezone.localtime(), "query": urlencode(request.slice.params()),
    }  # fmt: skip
    return render(request, "backoffice/metrics/wall.html", context)


@leader_required
def scorecard(request):
    slice_ = request.slice
    level = _level(slice_)
    card = scorecard_compute(slice_, level=level)
    context = {"slice": slice_, "card": card, "level": level, **_filters(request)}
    return render(request, "backoffice/metrics/scorecard.html", context)


def _level(slice_) -> str:
    commune = slice_.commune or (slice_.agency.commune if slice_.agency else None)
    return "commune" if commune is not None else "province"


@leader_required
def scorecard_pdf(request):
    slice_ = request.slice
    pdf = report.scorecard_pdf(
        slice_, scorecard_compute(slice_, level=_level(slice_)), viewer_label=str(request.user)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bang-diem-766-{slice_.period.code}.pdf"'
    return response


@leader_required
def drill(request, measure: str):
    slice_ = request.slice
    try:
        rows, after = drill_page(slice_, measure, after=request.GET.get("sau"))
    except SliceError as error:
        return render(request, "backoffice/metrics/error.html", {"error": error.message}, status=400)
    audit_event_record(
        action="metrics.dossier_list.viewed",
        actor=request.user,
        data={"measure": measure, **slice_.params(), "after": request.GET.get("sau", ""), "shown": len(rows)},
    )
    params = slice_.params()
    context = {
        "slice": slice_, "measure": measure, "measure_label": MEASURES[measure], "rows": rows,
        "next_query": urlencode({**params, "sau": after}) if after else "", "query": urlencode(params),
    }  # fmt: skip
    return render(request, "backoffice/metrics/drill.html", context)


@leader_required
def drill_csv(request, measure: str):
    slice_ = request.slice
    try:
        rows = drill_export_queryset(slice_, measure)
    except SliceError as error:
        return render(request, "backoffice/metrics/error.html", {"error": error.message}, status=400)
    audit_event_record(
        action="metrics.dossier_list.exported",
        actor=request.user,
        data={"measure": measure, **slice_.params()},
    )
    return report.dossiers_csv(rows, filename=f"ho-so-{measure}-{slice_.period.code}.csv")


@leader_required
def export_xlsx(request):
    return report.report_xlsx(request.slice)


@leader_required
def export_csv(request):
    return report.report_csv(request.slice)
