"""What a figure is about: a period and a slice (agency, commune, field, procedure, channel), parsed from a query
string with a clear Vietnamese message for anything wrong (never a 500).

Periods: `2025` (year), `2025-q3` (quarter), `2025-h1` / `2025-h2` (6 months), `2025-9t` (the first 9 months),
`2025-07` (month), `2025-07-15` (day). An agency means its whole tree: its children, and the pre-2025 units merged
into it (`Agency.merged_into`), recursively; a pre-2025 unit can be chosen on its own. A commune means the agencies
located in it (its People's Committee and centre) with their trees.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Procedure
from motcua.directory.models import AdministrativeUnit, Agency
from motcua.dossiers.models import Channel


class SliceError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Period:
    kind: str  # day, month, quarter, half, nine, year
    code: str
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        s = self.start
        return {
            "day": lambda: s.strftime("%d/%m/%Y"),
            "month": lambda: _("tháng %(m)s/%(y)s") % {"m": f"{s.month:02d}", "y": s.year},
            "quarter": lambda: _("quý %(q)s/%(y)s") % {"q": (s.month + 2) // 3, "y": s.year},
            "half": lambda: (
                _("6 tháng %(h)s năm %(y)s") % {"h": _("đầu") if s.month == 1 else _("cuối"), "y": s.year}
            ),
            "nine": lambda: _("9 tháng năm %(y)s") % {"y": s.year},
            "year": lambda: _("năm %(y)s") % {"y": s.year},
        }[self.kind]()

    def months(self) -> list[date]:
        out, m = [], self.start.replace(day=1)
        while m <= self.end:
            out.append(m)
            m = (m + timedelta(days=32)).replace(day=1)
        return out

    def is_current(self, today: date | None = None) -> bool:
        return self.end >= (today or timezone.localdate())


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


PERIOD_RE = re.compile(r"^(\d{4})(?:-(q[1-4]|h[12]|9t|\d{2})(?:-(\d{2}))?)?$")


def period_parse(text: str | None) -> Period:
    """A period code (see the module) → Period; the current year when empty."""
    text = (text or "").strip().lower() or str(timezone.localdate().year)
    match = PERIOD_RE.match(text)
    error = SliceError(
        _(
            "Kỳ báo cáo “%(text)s” không hợp lệ. Dùng năm (2025), quý (2025-q3), 6 tháng (2025-h1, 2025-h2), "
            "9 tháng (2025-9t), tháng (2025-07) hoặc ngày (2025-07-15)."
        )
        % {"text": text[:20]}
    )
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise error
    year, part, day = int(match[1]), match[2], match[3]
    try:
        if part is None:
            return Period("year", text, date(year, 1, 1), date(year, 12, 31))
        if part.startswith("q"):
            q = int(part[1])
            return Period("quarter", text, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
        if part.startswith("h"):
            first = 1 if part == "h1" else 7
            return Period("half", text, date(year, first, 1), _month_end(year, first + 5))
        if part == "9t":
            return Period("nine", text, date(year, 1, 1), date(year, 9, 30))
        month = int(part)
        if day is None:
            return Period("month", text, date(year, month, 1), _month_end(year, month))
        one = date(year, month, int(day))
        return Period("day", text, one, one)
    except ValueError:
        raise error from None


def period_choices(today: date | None = None) -> list[Period]:
    """The periods offered in the filter form: this year's and last year's usual ones, this month."""
    today = today or timezone.localdate()
    y = today.year
    codes = [f"{today:%Y-%m-%d}", f"{today:%Y-%m}", str(y), f"{y}-q{(today.month + 2) // 3}", f"{y}-h1"]
    codes += [f"{y}-9t", str(y - 1), f"{y - 1}-h2", f"{y - 1}-9t"]
    return [period_parse(c) for c in codes]


# --- the agency tree ------------------------------------------------------------------------------------------


def agency_tree_ids(roots: list[int]) -> set[int]:
    """The agencies in `roots` with their children and the units merged into them, recursively."""
    below: dict[int, list[int]] = {}
    for pk, parent, merged in Agency.objects.values_list("id", "parent_id", "merged_into_id"):
        for up in {parent, merged} - {None}:
            below.setdefault(up, []).append(pk)
    seen, todo = set(), list(roots)
    while todo:
        pk = todo.pop()
        if pk not in seen:
            seen.add(pk)
            todo.extend(below.get(pk, ()))
    return seen


@dataclass
class Slice:
    period: Period
    agency: Agency | None = None
    commune: AdministrativeUnit | None = None
    field: Field | None = None
    procedure: Procedure | None = None
    channel: str | None = None
    allowed: set[int] | None = None  # the agencies the viewer may see (None: the whole province)
    _ids: set[int] | None = dc_field(default=None, repr=False, compare=False)

    def agency_ids(self) -> set[int] | None:
        """The resolving agencies in the slice; None means every agency of the province."""
        if self._ids is None:
            ids = None
            if self.agency is not None:
                ids = agency_tree_ids([self.agency.pk])
            if self.commune is not None:
                here = list(Agency.objects.filter(commune=self.commune).values_list("id", flat=True))
                tree = agency_tree_ids(here)
                ids = tree if ids is None else ids & tree
            if self.allowed is not None:
                ids = self.allowed if ids is None else ids & self.allowed
            self._ids = ids
        return self._ids

    def params(self) -> dict[str, str]:
        """The query string that gives this slice back (for links and exports)."""
        out = {"ky": self.period.code}
        for key, value in (
            ("co-quan", self.agency), ("xa", self.commune), ("linh-vuc", self.field), ("thu-tuc", self.procedure),
        ):  # fmt: skip
            if value is not None:
                out[key] = str(value.pk)
        if self.channel:
            out["kenh"] = self.channel
        return out

    @property
    def label(self) -> str:
        where = self.agency.name if self.agency else (self.commune.name if self.commune else _("Toàn tỉnh"))
        return f"{where} · {self.period.label}"


def _pick(model, raw: str | None, what: str, **extra):
    if not raw:
        return None
    if not raw.isdigit() or not (obj := model.objects.filter(pk=int(raw), **extra).first()):
        raise SliceError(_("Không tìm thấy %(what)s có mã “%(raw)s”.") % {"what": what, "raw": raw[:20]})
    return obj


def slice_parse(query, *, allowed: set[int] | None = None, default_agency: Agency | None = None) -> Slice:
    """A Slice from a query dict (`ky`, `co-quan`, `xa`, `linh-vuc`, `thu-tuc`, `kenh`), checked for the viewer."""
    channel = (query.get("kenh") or "").strip() or None
    if channel is not None and channel not in Channel.values:
        raise SliceError(_("Kênh nộp “%(raw)s” không hợp lệ.") % {"raw": channel[:20]})
    result = Slice(
        period=period_parse(query.get("ky")),
        agency=_pick(Agency, query.get("co-quan"), _("cơ quan")) or default_agency,
        commune=_pick(AdministrativeUnit, query.get("xa"), _("xã, phường"), level="commune"),
        field=_pick(Field, query.get("linh-vuc"), _("lĩnh vực")),
        procedure=_pick(Procedure, query.get("thu-tuc"), _("thủ tục")),
        channel=channel,
        allowed=allowed,
    )
    if allowed is not None and result.agency is not None and result.agency.pk not in allowed:
        raise SliceError(_("Bạn chỉ được xem số liệu của cơ quan mình."))
    return result
