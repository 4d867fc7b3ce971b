"""Import and export of the whole catalog (JSON and XLSX, format in docs/catalog-format.md).

    data = catalog_parse(raw_bytes, filename)            # CatalogFormatError on an unreadable file
    report = catalog_import(actor=user, data=data, dry_run=True)
    report.errors  → [(row label, Vietnamese message)]; nothing is written when there is any error
    report.changes → [(national code, "created" | "new_version" | "unchanged", name)]

The import is all-or-nothing (one transaction); a changed procedure gets a new version and the previous version
is closed the day before the new one takes effect.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Level, OnlineLevel, Procedure, ProcedureCase, ProcedureVersion
from motcua.catalog.queries import search_index_invalidate
from motcua.core.audit import audit_event_record
from motcua.core.text import fold, normalize

FORMAT = "motcua-catalog/1"
DELIVERY = {"desk", "post", "electronic"}
UNITS = {c.value for c in ProcedureCase.Unit}
CODE_RE = re.compile(r"^\d\.\d{6}$")


class CatalogFormatError(ValueError):
    """The file cannot be read at all (not JSON/XLSX, wrong format name)."""


@dataclass
class ImportReport:
    errors: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    dry_run: bool = True

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change[1] == kind)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading -----------------------------------------------------------------------------------------------


def catalog_parse(raw: bytes, filename: str = "") -> dict[str, Any]:
    """JSON or XLSX by content (an XLSX file is a ZIP archive: it starts with PK\\x03\\x04)."""
    if raw[:4] == b"PK\x03\x04":
        return _parse_xlsx(raw)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogFormatError(
            _("Tệp không phải JSON hay XLSX đọc được (%(error)s).") % {"error": str(exc)[:120]}
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("procedures"), list)
    ):
        raise CatalogFormatError(
            _('Tệp JSON phải có "format": "%(format)s" và danh sách "procedures".') % {"format": FORMAT}
        )
    for index, entry in enumerate(data["procedures"], start=1):
        if isinstance(entry, dict):
            entry.setdefault("_row", _("thủ tục thứ %(n)s") % {"n": index})
    return data


XLSX_SHEETS = {
    "procedures": (
        "Thủ tục",
        [
            "national_code",
            "name",
            "field",
            "level",
            "agency",
            "online_level",
            "delivery",
            "postal_submission",
            "result",
            "legal_basis",
            "popularity",
        ],
    ),
    "cases": (
        "Trường hợp",
        ["national_code", "name", "duration", "unit", "online_duration", "cutoff", "supplement_mode"],
    ),
    "documents": (
        "Thành phần hồ sơ",
        ["national_code", "name", "originals", "certified_copies", "copies", "form"],
    ),
    "fees": ("Phí, lệ phí", ["national_code", "name", "amount", "exemption"]),
    "decision": ("Quyết định", ["number", "date", "title"]),
    "form_fields": ("Trường thông tin", ["national_code", "key", "label", "type", "required", "choices"]),
}
OPTIONAL_SHEETS = {"form_fields"}  # files written before the sheet existed still import
FORM_FIELD_TYPES = {"text", "number", "date", "choice"}
FORM_FIELD_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _parse_xlsx(raw: bytes) -> dict[str, Any]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise CatalogFormatError(
            _("Không đọc được tệp XLSX (%(error)s).") % {"error": str(exc)[:120]}
        ) from None
    sheets: dict[str, list[tuple[int, dict]]] = {}
    for key, (title, columns) in XLSX_SHEETS.items():
        if title not in workbook.sheetnames and key in OPTIONAL_SHEETS:
            sheets[key] = []
            continue
        if title not in workbook.sheetnames:
            raise CatalogFormatError(_("Tệp XLSX thiếu trang tính “%(sheet)s”.") % {"sheet": title})
        rows = workbook[title].iter_rows(values_only=True)
        next(rows, None)  # header
        sheets[key] = [
            (number, dict(zip(columns, row, strict=False)))
            for number, row in enumerate(rows, start=2)
            if any(cell not in (None, "") for cell in row)
        ]
    procedures: dict[str, dict] = {}
    for number, row in sheets["procedures"]:
        code = str(row["national_code"] or "").strip()
        procedures[code] = {
            **row,
            "national_code": code,
            "delivery": [d.strip() for d in str(row["delivery"] or "").split(",") if d.strip()],
            "legal_basis": [b.strip() for b in str(row["legal_basis"] or "").split("\n") if b.strip()],
            "postal_submission": str(row["postal_submission"]).strip().lower() in {"1", "true", "có", "x"},
            "cases": [],
            "documents": [],
            "fees": [],
            "form_fields": [],
            "_row": _("trang “Thủ tục”, dòng %(n)s") % {"n": number},
        }
    for key, title in (
        ("cases", "Trường hợp"),
        ("documents", "Thành phần hồ sơ"),
        ("fees", "Phí, lệ phí"),
        ("form_fields", "Trường thông tin"),
    ):
        for number, row in sheets[key]:
            code = str(row.pop("national_code") or "").strip()
            target = procedures.get(code)
            if target is None:
                procedures.setdefault(
                    f"?{key}{number}",
                    {
                        "_row": _("trang “%(sheet)s”, dòng %(n)s") % {"sheet": title, "n": number},
                        "_error": _("mã thủ tục “%(code)s” không có ở trang “Thủ tục”.") % {"code": code},
                    },
                )
                continue
            target[key].append(row)
    decision = dict(sheets["decision"][0][1]) if sheets["decision"] else {}
    if isinstance(decision.get("date"), date):
        decision["date"] = decision["date"].isoformat()[:10]
    return {"format": FORMAT, "decision": decision, "procedures": list(procedures.values())}


# --- validation --------------------------------------------------------------------------------------------


def _number(value, what: str, *, integer: bool = False, minimum: Decimal = Decimal(0)) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(
            _("%(what)s phải là một số, không phải “%(value)s”.") % {"what": what, "value": value}
        ) from None
    if number < minimum or (integer and number != number.to_integral_value()):
        raise ValueError(_("%(what)s không hợp lệ: %(value)s.") % {"what": what, "value": value})
    return number


def _clean_entry(entry: dict, agencies: Callable[[str, str], list]) -> dict:
    """Return the normalised content of one procedure, or raise ValueError with a Vietnamese message."""
    if entry.get("_error"):
        raise ValueError(entry["_error"])
    code = str(entry.get("national_code") or "").strip()
    if not CODE_RE.match(code):
        raise ValueError(_("mã thủ tục “%(code)s” không đúng dạng 1.001193.") % {"code": code})
    name = normalize(str(entry.get("name") or ""))
    if not name:
        raise ValueError(_("thiếu tên thủ tục."))
    field_name = normalize(str(entry.get("field") or ""))
    if not field_name:
        raise ValueError(_("thiếu lĩnh vực."))
    level = entry.get("level")
    if level not in Level.values:
        raise ValueError(
            _("cấp thực hiện phải là “province” hoặc “commune”, không phải “%(v)s”.") % {"v": level}
        )
    online = entry.get("online_level")
    if online not in OnlineLevel.values:
        raise ValueError(
            _("mức trực tuyến phải là full, partial hoặc none, không phải “%(v)s”.") % {"v": online}
        )
    delivery = list(entry.get("delivery") or [])
    if not delivery or not set(delivery) <= DELIVERY:
        raise ValueError(_("cách nhận kết quả phải chọn trong desk, post, electronic."))
    cases = []
    for index, case in enumerate(entry.get("cases") or [], start=1):
        unit = case.get("unit")
        if unit not in UNITS:
            raise ValueError(
                _("trường hợp %(n)s: đơn vị thời hạn “%(v)s” không hợp lệ.") % {"n": index, "v": unit}
            )
        duration = _number(case.get("duration"), _("thời hạn của trường hợp %(n)s") % {"n": index})
        if duration <= 0:
            raise ValueError(_("trường hợp %(n)s: thời hạn phải lớn hơn 0.") % {"n": index})
        online_duration = case.get("online_duration")
        cutoff = case.get("cutoff")
        if cutoff not in (None, ""):
            cutoff_text = cutoff.strftime("%H:%M") if isinstance(cutoff, time) else str(cutoff).strip()
            if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", cutoff_text):
                raise ValueError(
                    _("trường hợp %(n)s: giờ chốt “%(v)s” phải có dạng HH:MM.") % {"n": index, "v": cutoff}
                )
            cutoff = cutoff_text
        mode = case.get("supplement_mode") or "pause"
        if mode not in ("pause", "restart"):
            raise ValueError(
                _("trường hợp %(n)s: cách tính khi bổ sung phải là pause hoặc restart.") % {"n": index}
            )
        cases.append(
            {
                "name": normalize(str(case.get("name") or name)),
                "duration": str(duration.normalize()),
                "online_duration": None
                if online_duration in (None, "")
                else str(_number(online_duration, _("thời hạn trực tuyến")).normalize()),
                "unit": unit,
                "cutoff": cutoff or None,
                "supplement_mode": mode,
            }
        )
    if not cases:
        raise ValueError(_("cần ít nhất một trường hợp với thời hạn giải quyết."))
    documents = [
        {
            "name": normalize(str(d.get("name") or "")),
            "originals": int(_number(d.get("originals") or 0, _("số bản chính"), integer=True)),
            "certified_copies": int(
                _number(d.get("certified_copies") or 0, _("số bản sao chứng thực"), integer=True)
            ),
            "copies": int(_number(d.get("copies") or 0, _("số bản sao"), integer=True)),
            "form": normalize(str(d.get("form") or "")) or None,
        }
        for d in entry.get("documents") or []
    ]
    if any(not d["name"] for d in documents):
        raise ValueError(_("có thành phần hồ sơ không có tên."))
    fees = [
        {
            "name": normalize(str(f.get("name") or "")),
            "amount": int(
                _number(
                    f.get("amount") if f.get("amount") not in (None, "") else "x", _("mức phí"), integer=True
                )
            ),
            "exemption": normalize(str(f.get("exemption") or "")),
        }
        for f in entry.get("fees") or []
    ]
    form_fields = _clean_form_fields(entry.get("form_fields") or [])
    agency_ref = str(entry.get("agency") or "").strip()
    found = agencies(agency_ref, level)
    if not found:
        raise ValueError(_("không tìm thấy cơ quan thực hiện “%(a)s”.") % {"a": agency_ref})
    clean = {
        "national_code": code,
        "name": name,
        "field": field_name,
        "level": level,
        "agency": agency_ref,
        "online_level": online,
        "delivery": delivery,
        "postal_submission": bool(entry.get("postal_submission")),
        "result": normalize(str(entry.get("result") or "")),
        "legal_basis": [normalize(str(b)) for b in entry.get("legal_basis") or []],
        "cases": cases,
        "documents": documents,
        "fees": fees,
        "popularity": int(_number(entry.get("popularity") or 0, _("mức độ sử dụng"), integer=True)),
        "_agencies": found,
    }
    if form_fields:  # only when present, so catalogs without them keep their content hash
        clean["form_fields"] = form_fields
    return clean


def _clean_form_fields(raw: list) -> list[dict]:
    """The procedure's own fields on the online form (e.g. the child's name for a birth registration)."""
    fields, keys = [], set()
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValueError(_("trường thông tin %(n)s không hợp lệ.") % {"n": index})
        key = str(item.get("key") or "").strip()
        if not FORM_FIELD_KEY_RE.match(key) or key in keys:
            raise ValueError(
                _(
                    "trường thông tin %(n)s: khóa “%(k)s” phải là chữ thường không dấu, số, gạch dưới và không trùng."
                )
                % {"n": index, "k": key}
            )
        keys.add(key)
        label = normalize(str(item.get("label") or ""))
        kind = str(item.get("type") or "text").strip()
        if not label or kind not in FORM_FIELD_TYPES:
            raise ValueError(
                _("trường thông tin %(n)s: cần nhãn và kiểu là text, number, date hoặc choice.")
                % {"n": index}
            )
        choices = item.get("choices") or []
        if isinstance(choices, str):
            choices = [c for c in re.split(r"[|\n]", choices)]
        choices = [normalize(str(c)) for c in choices if normalize(str(c))]
        if kind == "choice" and not choices:
            raise ValueError(_("trường thông tin %(n)s: kiểu choice cần danh sách lựa chọn.") % {"n": index})
        required = item.get("required")
        if isinstance(required, str):
            required = required.strip().lower() in {"1", "true", "có", "x"}
        fields.append(
            {"key": key, "label": label, "type": kind, "required": bool(required), "choices": choices}
        )
    return fields


def _content_hash(clean: dict) -> str:
    content = {k: v for k, v in clean.items() if k not in {"popularity", "_agencies", "agency"}}
    content["agencies"] = (
        "ubnd_xa" if clean["agency"] == "ubnd_xa" else sorted(a.code for a in clean["_agencies"])
    )
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _agency_resolver():
    from motcua.directory.models import Agency

    root = (
        Agency.objects.filter(kind=Agency.Kind.PROVINCIAL_PEOPLES_COMMITTEE, valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    suffix = root.code.rsplit(".", 1)[1] if root else ""
    cache: dict[str, list] = {}

    def resolve(reference: str, level: str) -> list:
        if reference not in cache:
            if reference == "ubnd_xa":
                cache[reference] = list(
                    Agency.objects.filter(kind=Agency.Kind.COMMUNE_PEOPLES_COMMITTEE, valid_to__isnull=True)
                )
            else:
                code = reference if reference.count(".") == 3 else f"{reference}.{suffix}"
                cache[reference] = list(Agency.objects.filter(code=code))
        return cache[reference]

    return resolve


def _decision(data: dict) -> tuple[str, date, str]:
    decision = data.get("decision") or {}
    number = normalize(str(decision.get("number") or ""))
    try:
        day = date.fromisoformat(str(decision.get("date") or "")[:10])
    except ValueError:
        raise ValueError(_("ngày quyết định công bố phải có dạng yyyy-mm-dd.")) from None
    if not number:
        raise ValueError(_("thiếu số quyết định công bố."))
    return number, day, normalize(str(decision.get("title") or ""))


# --- import ------------------------------------------------------------------------------------------------


def catalog_import(
    *, actor, data: dict, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        decision = _decision(data)
    except ValueError as exc:
        report.errors.append((_("quyết định công bố"), str(exc)))
        return report
    resolve = _agency_resolver()
    entries = data.get("procedures") or []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        label = (entry.get("_row") if isinstance(entry, dict) else None) or _("thủ tục thứ %(n)s") % {
            "n": index
        }
        try:
            if not isinstance(entry, dict):
                raise ValueError(_("không phải một thủ tục."))
            clean = _clean_entry(entry, resolve)
            if clean["national_code"] in seen:
                raise ValueError(_("mã thủ tục %(code)s bị lặp.") % {"code": clean["national_code"]})
            seen.add(clean["national_code"])
            cleaned.append(clean)
        except ValueError as exc:
            report.errors.append((label, str(exc)))
        if progress:
            progress(index, len(entries) * (1 if dry_run else 2))
    if report.errors:
        return report
    existing = {p.national_code: p for p in Procedure.objects.select_related("current_version")}
    for clean in cleaned:
        current = existing.get(clean["national_code"])
        digest = _content_hash(clean)
        if current is None:
            report.changes.append((clean["national_code"], "created", clean["name"]))
        elif current.current_version is None or current.current_version.content_hash != digest:
            report.changes.append((clean["national_code"], "new_version", clean["name"]))
        else:
            report.changes.append((clean["national_code"], "unchanged", clean["name"]))
        clean["_hash"] = digest
    if dry_run:
        return report
    with transaction.atomic():
        for index, clean in enumerate(cleaned, start=1):
            _apply(actor=actor, clean=clean, decision=decision, existing=existing.get(clean["national_code"]))
            if progress:
                progress(len(entries) + index, len(entries) * 2)
        audit_event_record(
            action="catalog.import.applied",
            actor=actor,
            data={
                "decision": decision[0],
                "created": report.count("created"),
                "new_versions": report.count("new_version"),
                "unchanged": report.count("unchanged"),
            },
        )
    search_index_invalidate()  # this process's search index; other processes see the catalogue stamp change
    return report


def _apply(*, actor, clean: dict, decision: tuple[str, date, str], existing: Procedure | None) -> None:
    field_obj, _created = Field.objects.get_or_create(
        name=clean["field"], defaults={"slug": slugify(fold(clean["field"])) or "linh-vuc"}
    )
    search_text = fold(" ".join([clean["name"], clean["field"], clean["national_code"]]))
    if existing is None:
        procedure = Procedure.objects.create(
            national_code=clean["national_code"],
            name=clean["name"],
            field=field_obj,
            level=clean["level"],
            online_level=clean["online_level"],
            popularity=clean["popularity"],
            search_text=search_text,
        )
    else:
        procedure = existing
    current = procedure.current_version
    if current is not None and current.content_hash == clean["_hash"]:
        if procedure.popularity != clean["popularity"]:
            procedure.popularity = clean["popularity"]
            procedure.save(update_fields=["popularity"])
        return
    number, day, title = decision
    if current is not None:
        current.effective_to = max(current.effective_from, day - timedelta(days=1))
        current.save(update_fields=["effective_to"])
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=(current.number + 1) if current else 1,
        name=clean["name"],
        instance_code=f"{clean['national_code']}.{clean['_agencies'][0].code}"
        if clean["level"] == "province"
        else "",
        decision_number=number,
        decision_date=day,
        decision_title=title,
        effective_from=day,
        level=clean["level"],
        online_level=clean["online_level"],
        delivery_methods=clean["delivery"],
        postal_submission=clean["postal_submission"],
        result=clean["result"],
        legal_basis=clean["legal_basis"],
        content_hash=clean["_hash"],
        form_fields=clean.get("form_fields", []),
    )
    version.agencies.set(clean["_agencies"])
    for order, case in enumerate(clean["cases"]):
        version.cases.create(
            order=order,
            name=case["name"],
            duration=Decimal(case["duration"]),
            unit=case["unit"],
            online_duration=Decimal(case["online_duration"]) if case["online_duration"] else None,
            cutoff=time.fromisoformat(case["cutoff"]) if case["cutoff"] else None,
            supplement_mode=case["supplement_mode"],
        )
    for order, doc in enumerate(clean["documents"]):
        version.documents.create(
            order=order,
            name=doc["name"],
            originals=doc["originals"],
            certified_copies=doc["certified_copies"],
            copies=doc["copies"],
            form_name=doc["form"] or "",
        )
    for order, fee in enumerate(clean["fees"]):
        version.fees.create(order=order, name=fee["name"], amount=fee["amount"], exemption=fee["exemption"])
    procedure.name, procedure.field, procedure.level = clean["name"], field_obj, clean["level"]
    procedure.online_level, procedure.popularity, procedure.search_text = (
        clean["online_level"],
        clean["popularity"],
        search_text,
    )
    procedure.current_version = version
    procedure.save()
    audit_event_record(
        action="catalog.version.created",
        actor=actor,
        obj=procedure,
        data={"version": version.number, "decision": number, "effective_from": day.isoformat()},
    )


# --- export ------------------------------------------------------------------------------------------------


def _version_entry(procedure: Procedure) -> dict:
    version = procedure.current_version
    agencies = list(version.agencies.all())
    if procedure.level == "commune":
        agency = "ubnd_xa"
    else:
        agency = agencies[0].code if agencies else ""
    return {
        "national_code": procedure.national_code,
        "name": version.name,
        "field": procedure.field.name,
        "level": version.level,
        "agency": agency,
        "online_level": version.online_level,
        "delivery": version.delivery_methods,
        "postal_submission": version.postal_submission,
        "result": version.result,
        "legal_basis": version.legal_basis,
        "popularity": procedure.popularity,
        "cases": [
            {
                "name": c.name,
                "duration": float(c.duration),
                "unit": c.unit,
                "online_duration": float(c.online_duration) if c.online_duration is not None else None,
                "cutoff": c.cutoff.strftime("%H:%M") if c.cutoff else None,
                "supplement_mode": c.supplement_mode,
            }
            for c in version.cases.all()
        ],
        "documents": [
            {
                "name": d.name,
                "originals": d.originals,
                "certified_copies": d.certified_copies,
                "copies": d.copies,
                "form": d.form_name or None,
            }
            for d in version.documents.all()
        ],
        "fees": [{"name": f.name, "amount": f.amount, "exemption": f.exemption} for f in version.fees.all()],
        **({"form_fields": version.form_fields} if version.form_fields else {}),
    }


def _current_procedures():
    return (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("field", "current_version")
        .prefetch_related(
            "current_version__cases",
            "current_version__documents",
            "current_version__fees",
            "current_version__agencies",
        )
        .order_by("national_code")
    )


def catalog_export_json() -> dict:
    procedures = list(_current_procedures())
    latest = max((p.current_version for p in procedures), key=lambda v: v.decision_date, default=None)
    decision = (
        {
            "number": latest.decision_number,
            "date": latest.decision_date.isoformat(),
            "title": latest.decision_title,
        }
        if latest
        else {}
    )
    return {"format": FORMAT, "decision": decision, "procedures": [_version_entry(p) for p in procedures]}


def catalog_export_xlsx() -> bytes:
    from openpyxl import Workbook

    data = catalog_export_json()
    workbook = Workbook(write_only=True)
    sheets = {key: workbook.create_sheet(title) for key, (title, _columns) in XLSX_SHEETS.items()}
    for key, (_title, columns) in XLSX_SHEETS.items():
        sheets[key].append(columns)
    for entry in data["procedures"]:
        row = {
            **entry,
            "delivery": ",".join(entry["delivery"]),
            "legal_basis": "\n".join(entry["legal_basis"]),
            "postal_submission": "true" if entry["postal_submission"] else "false",
        }
        sheets["procedures"].append([row[c] for c in XLSX_SHEETS["procedures"][1]])
        for key in ("cases", "documents", "fees", "form_fields"):
            for item in entry.get(key, []):
                if key == "form_fields":
                    item = {
                        **item,
                        "required": "true" if item["required"] else "false",
                        "choices": "|".join(item["choices"]),
                    }
                sheets[key].append(
                    [
                        entry["national_code"] if c == "national_code" else item.get(c)
                        for c in XLSX_SHEETS[key][1]
                    ]
                )
    if data["decision"]:
        sheets["decision"].append(
            [data["decision"]["number"], data["decision"]["date"], data["decision"]["title"]]
        )
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
