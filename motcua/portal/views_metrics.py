"""The public transparency page: each agency's share of dossiers resolved on time and its satisfaction (no
personal data; read from the rollups)."""

from __future__ import annotations

from django.shortcuts import render

from motcua.metrics.indicators import indicators_compute
from motcua.metrics.report import report_rows
from motcua.metrics.slices import Slice, SliceError, period_parse


def transparency(request):
    try:
        period = period_parse(request.GET.get("ky"))
    except SliceError as error:
        return render(request, "portal/metrics/error.html", {"error": error.message}, status=400)
    slice_ = Slice(period=period)
    rows = sorted(report_rows(slice_), key=lambda r: (-(r.in_time_share or -1), r.agency.code))
    context = {"period": period, "rows": rows, "f": indicators_compute(slice_, with_feedback=False)}
    return render(request, "portal/metrics/transparency.html", context)
