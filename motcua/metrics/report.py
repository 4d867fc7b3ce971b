"""The periodic report: one row per agency with the counters of the period, and its exports (ADR 0012).

rows = report_rows(slice_)                   # [ReportRow], the province's agencies with any figure, by code
response = report_xlsx(slice_)               # openpyxl write-only workbook
response = report_csv(slice_)                # StreamingHttpResponse, row by row
response = dossiers_csv(queryset, title)     # the dossiers behind a number, streamed with bounded memory
pdf = scorecard_pdf(slice_, card)            # WeasyPrint, Liberation Serif
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.directory.models import Agency
from motcua.metrics.indicators import Figures, indicators_by, share
from motcua.metrics.slices import Slice
from motcua.worktime.clock import TZ


@dataclass
class ReportRow:
    agency: Agency
    figures: Figures

    @property
    def in_time_share(self):
        return self.figures.share("in_time")

    @property
    def satisfied_share(self):
        return self.figures.share("satisfied")


def report_rows(slice_: Slice) -> list[ReportRow]:
    sums = indicators_by(slice_, "agency_id")
    by_channel: dict[int, dict[str, int]] = {}
    for (agency_id, channel), n in _received_by_agency_channel(slice_).items():
        by_channel.setdefault(agency_id, {})[channel] = n
    agencies = Agency.objects.in_bulk(list(sums))
    rows = [
        ReportRow(agencies[pk], Figures(counts=counts, received_by_channel=by_channel.get(pk, {})))
        for pk, counts in sums.items()
    ]
    return sorted(rows, key=lambda r: r.agency.code)


def _received_by_agency_channel(slice_: Slice) -> dict[tuple[int, str], int]:
    from django.db.models import Sum

    from motcua.metrics.indicators import rollup_rows

    rows = rollup_rows(slice_).values("agency_id", "channel").annotate(n=Sum("received")).order_by()
    return {(r["agency_id"], r["channel"]): int(r["n"] or 0) for r in rows}


def report_columns() -> list[tuple[str, str]]:
    """(key, heading) of the report's columns, in the order of the usual periodic report."""
    return [
        ("code", _("Mã định danh")), ("name", _("Cơ quan, đơn vị")),
        ("received", _("Tiếp nhận mới")), ("online", _("Trực tuyến")), ("desk", _("Trực tiếp")),
        ("post", _("Bưu chính")), ("online_share", _("Tỷ lệ trực tuyến (%)")), ("refused", _("Từ chối")),
        ("finished", _("Đã giải quyết")), ("finished_early", _("Trước hạn")), ("finished_on_time", _("Đúng hạn")),
        ("finished_late", _("Quá hạn")), ("in_time_share", _("Tỷ lệ trước hạn, đúng hạn (%)")),
        ("average_days", _("Số ngày giải quyết bình quân")), ("supplements", _("Yêu cầu bổ sung")),
        ("pauses", _("Tạm dừng")), ("apologies", _("Phiếu xin lỗi")), ("results_electronic", _("Kết quả điện tử")),
        ("returned", _("Đã trả kết quả")), ("payments_online", _("Nộp phí trực tuyến")),
        ("payments_paid", _("Nộp phí (tổng)")), ("rated", _("Lượt đánh giá")),
        ("satisfied_share", _("Tỷ lệ hài lòng (%)")),
    ]  # fmt: skip


def _values(row: ReportRow) -> dict:
    f, ch = row.figures, row.figures.received_by_channel
    return {
        **f.counts, "code": row.agency.code, "name": row.agency.name, "online": ch.get("online", 0),
        "desk": ch.get("desk", 0), "post": ch.get("post", 0), "online_share": f.share("online"),
        "finished": f.finished, "in_time_share": f.share("in_time"), "average_days": f.average_days,
        "rated": f.rated, "satisfied_share": f.share("satisfied"),
    }  # fmt: skip


def _total(rows: list[ReportRow]) -> dict:
    keys = [k for k, _h in report_columns()]
    out: dict = {"code": "", "name": _("Tổng cộng")}
    for key in keys[2:]:
        values = [_values(r)[key] for r in rows]
        out[key] = sum(v for v in values if v is not None) if key not in _SHARES else None
    finished = out["finished"]
    out["online_share"] = share(out["online"], out["received"])
    out["in_time_share"] = share(out["finished_early"] + out["finished_on_time"], finished)
    out["satisfied_share"] = share(sum(r.figures.satisfied for r in rows), out["rated"])
    out["average_days"] = None
    return out


_SHARES = {"online_share", "in_time_share", "satisfied_share", "average_days"}


def _filename(slice_: Slice, ext: str) -> str:
    return f"bao-cao-ho-so-{slice_.period.code}.{ext}"


def _title(slice_: Slice) -> str:
    return _("Báo cáo tình hình tiếp nhận, giải quyết hồ sơ TTHC — %(label)s") % {"label": slice_.label}


def report_xlsx(slice_: Slice) -> HttpResponse:
    from openpyxl import Workbook

    rows = report_rows(slice_)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Báo cáo"))
    sheet.append([_title(slice_)])
    sheet.append(
        [_("Lập lúc %(at)s") % {"at": timezone.localtime(timezone.now(), TZ).strftime("%H:%M %d/%m/%Y")}]
    )
    columns = report_columns()
    sheet.append([heading for _key, heading in columns])
    for values in [*(_values(r) for r in rows), _total(rows)]:
        sheet.append([_cell(values[key]) for key, _heading in columns])
    stream = io.BytesIO()
    book.save(stream)
    response = HttpResponse(
        stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(slice_, "xlsx")}"'
    return response


def _cell(value):
    return float(value) if hasattr(value, "as_tuple") else value


class _Echo:
    def write(self, value):
        return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    return str(value).replace(".", ",") if hasattr(value, "as_tuple") else str(value)


def report_csv(slice_: Slice) -> StreamingHttpResponse:
    columns = report_columns()
    rows = report_rows(slice_)

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow([heading for _key, heading in columns])
        for values in [*(_values(r) for r in rows), _total(rows)]:
            yield writer.writerow([_csv_value(values[key]) for key, _heading in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(slice_, "csv")}"'
    return response


def dossiers_csv(queryset, *, filename: str) -> StreamingHttpResponse:
    """The dossiers behind a number, streamed 2,000 rows at a time (bounded memory for any size)."""
    headings = [_("Mã hồ sơ"), _("Thủ tục"), _("Cơ quan giải quyết"), _("Kênh"), _("Trạng thái"),
                _("Tiếp nhận"), _("Hẹn trả ban đầu"), _("Xử lý xong")]  # fmt: skip

    def when(value):
        return timezone.localtime(value, TZ).strftime("%d/%m/%Y %H:%M") if value else ""

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headings)
        rows = queryset.select_related("procedure", "agency")  # in the caller's order (drill_export_queryset)
        for d in rows.iterator(chunk_size=2000):
            yield writer.writerow([
                d.display_code, d.procedure.name, d.agency.name, d.get_channel_display(), d.get_status_display(),
                when(d.accepted_at), when(d.original_due_at), when(d.finished_at),
            ])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def scorecard_pdf(slice_: Slice, card, *, viewer_label: str) -> bytes:
    from weasyprint import HTML

    from motcua.dossiers.forms_pdf import _url_fetcher

    html = render_to_string(
        "backoffice/metrics/scorecard_pdf.html",
        {"slice": slice_, "card": card, "viewer_label": viewer_label,
         "made_at": timezone.localtime(timezone.now(), TZ)},
    )  # fmt: skip
    return HTML(string=html, base_url=None, url_fetcher=_url_fetcher()).write_pdf()
