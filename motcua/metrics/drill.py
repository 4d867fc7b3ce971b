"""The dossiers behind a number: the same slice, the same definition, keyset paged, newest first.

    rows, next_after = drill_page(slice_, "finished_late", after=None)

Each measure is the filter that defines the counter (ADR 0012). Supplements are the dossiers whose last
supplement request falls in the period (`supplement_requested_at`); the rollup counts every request.

A page is read along the index of the moment that puts a dossier in the list (accepted, finished, refused,
returned, supplement requested; for pauses, apologies, online payments and ratings the moment of that event, one
row per event), newest first, so that a page of a month three years back costs what a page of this month costs
(by id, a past period walked millions of newer dossiers). Dossiers in progress (a few per cent of all, in their
own partial index) are paged by id.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import (
    Dossier,
    DossierApology,
    DossierDocument,
    DossierPause,
    DossierPayment,
    DossierRating,
)
from motcua.metrics.indicators import PAUSED, _sliced, finish_day_annotations, running_dossiers
from motcua.metrics.slices import Slice, SliceError
from motcua.worktime.clock import TZ

PAGE = 50

MEASURES = {
    "received": _("Tiếp nhận mới"),
    "received_online": _("Tiếp nhận trực tuyến"),
    "received_desk": _("Tiếp nhận trực tiếp"),
    "received_post": _("Tiếp nhận qua bưu chính"),
    "carried_over": _("Kỳ trước chuyển sang"),
    "refused": _("Từ chối tiếp nhận"),
    "finished": _("Đã giải quyết"),
    "finished_early": _("Giải quyết trước hạn"),
    "finished_on_time": _("Giải quyết đúng hạn"),
    "finished_late": _("Giải quyết quá hạn"),
    "open": _("Đang giải quyết"),
    "open_within": _("Đang giải quyết trong hạn"),
    "open_late": _("Đang giải quyết quá hạn"),
    "open_paused": _("Đang tạm dừng (bổ sung, nghĩa vụ tài chính, dừng)"),
    "due_24h": _("Sắp đến hạn (trong 24 giờ)"),
    "supplements": _("Yêu cầu bổ sung"),
    "pauses": _("Tạm dừng"),
    "apologies": _("Có phiếu xin lỗi"),
    "results_electronic": _("Có kết quả điện tử"),
    "returned": _("Đã trả kết quả"),
    "payments_online": _("Nộp nghĩa vụ tài chính trực tuyến"),
    **{f"rating_{n}": _("Đánh giá mức %(n)s") % {"n": n} for n in range(1, 6)},
}


def _bounds(slice_: Slice) -> tuple[datetime, datetime]:
    start = datetime.combine(slice_.period.start, time(), tzinfo=TZ)
    return start, datetime.combine(slice_.period.end + timedelta(days=1), time(), tzinfo=TZ)


def _in(field: str, slice_: Slice) -> Q:
    start, end = _bounds(slice_)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _exists(model, field: str, slice_: Slice, **extra) -> Exists:
    start, end = _bounds(slice_)
    return Exists(
        model.objects.filter(dossier=OuterRef("pk"), **{f"{field}__gte": start, f"{field}__lt": end}, **extra)
    )


def _stock(slice_: Slice, measure: str) -> QuerySet:
    now = timezone.now()
    today = timezone.localtime(now, TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = running_dossiers(slice_)
    return {
        "open": rows,
        "open_within": rows.filter(Q(original_due_at__gte=today) | Q(original_due_at__isnull=True)),
        "open_late": rows.filter(original_due_at__lt=today),
        "open_paused": rows.filter(status__in=PAUSED),
        "due_24h": rows.filter(
            status__in=("accepted", "processing"), due_at__gt=now, due_at__lte=now + timedelta(hours=24)
        ),
    }[measure]


def drill_queryset(slice_: Slice, measure: str) -> QuerySet:
    """The dossiers counted by `measure` for the slice (unknown measure → SliceError)."""
    if measure not in MEASURES:
        raise SliceError(_("Không có chỉ tiêu “%(m)s”.") % {"m": measure[:30]})
    if measure.startswith("open") or measure == "due_24h":
        return _stock(slice_, measure)
    rows = _sliced(Dossier.objects.all(), slice_)
    start, _end = _bounds(slice_)
    finished = finish_day_annotations(rows.filter(_in("finished_at", slice_)))
    simple = {
        "received": lambda: rows.filter(_in("accepted_at", slice_)),
        "refused": lambda: rows.filter(_in("refused_at", slice_)),
        "returned": lambda: rows.filter(_in("returned_at", slice_)),
        "supplements": lambda: rows.filter(_in("supplement_requested_at", slice_)),
        "carried_over": lambda: (
            rows.filter(accepted_at__lt=start)
            .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
            .exclude(status="withdrawn")
        ),
        "finished": lambda: finished,
        "finished_early": lambda: finished.filter(finish_day__lt=F("due_day")),
        "finished_on_time": lambda: finished.filter(
            Q(finish_day=F("due_day")) | Q(original_due_at__isnull=True)
        ),
        "finished_late": lambda: finished.filter(finish_day__gt=F("due_day")),
        "results_electronic": lambda: finished.filter(
            Exists(DossierDocument.objects.filter(dossier=OuterRef("pk"), kind="result", replaced=False)),
            outcome="granted",
        ),
        "pauses": lambda: rows.filter(
            _exists(DossierPause, "started_at", slice_, kind__in=("payment", "stop"))
        ),
        "apologies": lambda: rows.filter(_exists(DossierApology, "issued_at", slice_)),
        "payments_online": lambda: rows.filter(_exists(DossierPayment, "paid_at", slice_, method="online")),
    }
    if measure.startswith("received_"):
        return rows.filter(_in("accepted_at", slice_), channel=measure.removeprefix("received_"))
    if measure.startswith("rating_"):
        level = int(measure[-1])
        return rows.filter(rating__level=level, **{k: v for k, v in _rating_bounds(slice_).items()})
    return simple[measure]()


def _rating_bounds(slice_: Slice) -> dict:
    start, end = _bounds(slice_)
    return {"rating__rated_at__gte": start, "rating__rated_at__lt": end}


# The moment that puts a dossier in the list, for the measures read from the dossier's own columns.
MOMENT = {
    "received": "accepted_at",
    "received_online": "accepted_at",
    "received_desk": "accepted_at",
    "received_post": "accepted_at",
    "carried_over": "accepted_at",
    "refused": "refused_at",
    "returned": "returned_at",
    "supplements": "supplement_requested_at",
    "finished": "finished_at",
    "finished_early": "finished_at",
    "finished_on_time": "finished_at",
    "finished_late": "finished_at",
    "results_electronic": "finished_at",
}
# The measures that count events of another table: (model, moment, filter); one row per event.
EVENTS = {
    "pauses": (DossierPause, "started_at", {"kind__in": ("payment", "stop")}),
    "apologies": (DossierApology, "issued_at", {}),
    "payments_online": (DossierPayment, "paid_at", {"method": "online"}),
    **{f"rating_{n}": (DossierRating, "rated_at", {"level": n}) for n in range(1, 6)},
}


def _events(slice_: Slice, measure: str) -> QuerySet:
    """The events of an EVENTS measure in the slice's period, filtered by the slice through their dossier."""
    model, moment, extra = EVENTS[measure]
    start, end = _bounds(slice_)
    events = model.objects.filter(**{f"{moment}__gte": start, f"{moment}__lt": end}, **extra)
    return _sliced(events, slice_, prefix="dossier__")


def _after(after: str | None) -> tuple[datetime | None, int] | None:
    """The keyset token of the next page: `<microseconds since the epoch>.<id>` (or `-.<id>` for no moment)."""
    if not after:
        return None
    moment, _dot, pk = after.partition(".")
    if not pk.isdigit() or not (moment == "-" or moment.lstrip("-").isdigit()):
        raise SliceError(_("Trang danh sách không hợp lệ."))
    if moment == "-":
        return None, int(pk)
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(moment)), int(pk)


def _token(moment: datetime | None, pk: int) -> str:
    if moment is None:
        return f"-.{pk}"
    micro = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    return f"{micro}.{pk}"


def _page(rows: QuerySet, moment: str, after, size: int) -> list:
    """Newest `moment` first, ties by id; after the token's (moment, id)."""
    rows = rows.order_by(F(moment).desc(), "-id")  # as a backward scan of the (moment, id) index reads it
    if after is not None:
        at, pk = after
        if at is None:
            rows = rows.filter(**{f"{moment}__isnull": True, "id__lt": pk})
        else:  # moment <= at (the index range), minus the ties already shown
            rows = rows.filter(**{f"{moment}__lte": at}).exclude(**{moment: at, "id__gte": pk})
    return list(rows[: size + 1])


def drill_page(slice_: Slice, measure: str, *, after: str | None = None, size: int = PAGE):
    """One page of the list (newest first) and the token to continue after, or None on the last page."""
    if measure not in MEASURES:
        raise SliceError(_("Không có chỉ tiêu “%(m)s”.") % {"m": measure[:30]})
    if measure in EVENTS:
        moment = EVENTS[measure][1]
        events = _events(slice_, measure).select_related("dossier__procedure", "dossier__agency")
        page = _page(events, moment, _after(after), size)
        rows = [event.dossier for event in page[:size]]
    elif measure in MOMENT:
        moment = MOMENT[measure]
        page = _page(
            drill_queryset(slice_, measure).select_related("procedure", "agency"), moment, _after(after), size
        )
        rows = page[:size]
    else:  # in progress now: the partial index of running dossiers, by id
        if after and not after.isdigit():
            raise SliceError(_("Trang danh sách không hợp lệ."))
        moment = None
        running = drill_queryset(slice_, measure).select_related("procedure", "agency").order_by("-id")
        page = list((running.filter(id__lt=int(after)) if after else running)[: size + 1])
        rows = page[:size]
    if len(page) <= size:
        return rows, None
    last = page[size - 1]
    return rows, (str(last.pk) if moment is None else _token(getattr(last, moment), last.pk))


def drill_export_queryset(slice_: Slice, measure: str) -> QuerySet:
    """The whole list for the CSV download, in the order that its index reads fast: newest moment first for the
    dossier-column measures; the dossiers of the period's events (found through the events' own index) newest id
    first; dossiers in progress newest id first."""
    if measure in EVENTS:
        return Dossier.objects.filter(pk__in=_events(slice_, measure).values("dossier_id")).order_by("-id")
    rows = drill_queryset(slice_, measure)
    if measure in MOMENT:
        return rows.order_by(F(MOMENT[measure]).desc(), "-id")
    return rows.order_by("-id")
