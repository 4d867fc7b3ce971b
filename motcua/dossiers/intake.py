"""Applicant-side writes: drafts, documents, submission; and the desk's walk-in reception.

    d = dossier_draft_create(actor=citizen, case=case)
    dossier_draft_update(dossier=d, actor=citizen, applicant={...}, delivery="desk", notify_channels=["email"])
    dossier_document_add(dossier=d, actor=citizen, required_document=doc, filename="to-khai.pdf", data=raw)
    dossier_submit(dossier=d, actor=citizen)                        # → Mới đăng ký; submitting twice is harmless

    dossier_create_submitted(actor=..., owner=..., case=..., applicant={...}, files=[...], idempotency_key="…")
    dossier_walk_in_receive(actor=officer, receiving_agency=centre, case=case, applicant={...}, files=[...])

Every check gives a Vietnamese message naming the field (DossierInvalid.errors); nothing is written on failure.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineLevel, ProcedureCase, RequiredDocument
from motcua.core.audit import audit_event_build, audit_event_record, audit_events_save
from motcua.core.text import normalize
from motcua.directory.models import AdministrativeUnit, Agency
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import total_check, upload_check
from motcua.dossiers.models import Channel, Delivery, Dossier, DossierDocument, IdType, Status
from motcua.dossiers.services import (
    _accept_changes,
    dossier_transition,
    supplement_complete_changes,
)
from motcua.dossiers.validation import (  # noqa: F401  (re-exported: callers import them from here)
    ADDRESS_MAX,
    APPLICANT_FIELDS,
    NAME_MAX,
    NOTIFY_CHANNELS,
    PHONE_RE,
    SUBMITTER_FIELDS,
    DossierInvalid,
    applicant_clean,
    delivery_clean,
    extra_clean,
    submission_fields_clean,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class Upload:
    """One file to attach: the bytes, the name the user gave it, and the catalog document it answers."""

    filename: str
    data: bytes
    required_document_id: int | None = None

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the content, computed once (the idempotency fingerprint and the stored row both use it)."""
        return hashlib.sha256(self.data).hexdigest()


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


def _new_reference() -> str:
    return f"HS{timezone.localdate():%y%m}{_random_code(8)}"


def document_is_optional(document: RequiredDocument) -> bool:
    """Catalogs mark conditional documents in their names ("… (nếu có)", "Trường hợp …")."""
    name = document.name.lower()
    return "nếu có" in name or name.startswith("trường hợp")


# --- choosing the case and the agencies --------------------------------------------------------------------


def case_for_submission(*, case: ProcedureCase, channel: str) -> ProcedureCase:
    procedure = case.version.procedure
    if not procedure.active or procedure.current_version_id != case.version_id:
        raise DossierError(
            _("Thủ tục “%(name)s” không còn áp dụng theo phiên bản này. Hãy chọn lại thủ tục.")
            % {"name": case.version.name},
            code="procedure_not_current",
        )
    if channel == Channel.ONLINE and case.version.online_level == OnlineLevel.NONE:
        raise DossierError(
            _("Thủ tục “%(name)s” chưa được cung cấp trực tuyến; hãy nộp tại bộ phận một cửa.")
            % {"name": case.version.name},
            code="not_online",
        )
    return case


def agency_resolve(*, version, commune: AdministrativeUnit | None, agency: Agency | None = None) -> Agency:
    """The resolving agency: the one asked for, else the applicant's commune's, else the first listed."""
    current = version.agencies.filter(valid_to__isnull=True).order_by("code")
    if agency is None and commune is not None:
        # A commune procedure lists every commune's agency (about a hundred per province): ask for the one.
        found = current.filter(commune=commune).first()
        if found is not None:
            return found
    agencies = list(current)
    if agency is not None:
        if agency not in agencies:
            raise DossierError(
                _("%(agency)s không giải quyết thủ tục này.") % {"agency": agency.name}, code="wrong_agency"
            )
        return agency
    if commune is not None:
        for candidate in agencies:
            if candidate.commune_id == commune.pk:
                return candidate
    if not agencies:
        raise DossierError(_("Thủ tục này chưa có cơ quan giải quyết trong tỉnh."), code="no_agency")
    if len(agencies) > 1 and all(a.commune_id for a in agencies):
        raise DossierError(
            _("Hãy chọn xã, phường nơi nộp hồ sơ."), code="commune_required", field="applicant_commune"
        )
    return agencies[0]


def receiving_agency_for(agency: Agency) -> Agency:
    """The public-service centre that receives for an agency (the commune's, or the province's); else itself."""
    K = Agency.Kind
    centres = Agency.objects.filter(valid_to__isnull=True)
    if agency.kind in {K.COMMUNE_PEOPLES_COMMITTEE, K.COMMUNE_SERVICE_CENTRE}:
        centre = centres.filter(kind=K.COMMUNE_SERVICE_CENTRE, commune=agency.commune_id).first()
    else:
        centre = centres.filter(kind=K.PROVINCIAL_SERVICE_CENTRE, province=agency.province_id).first()
    return centre or agency


# --- drafts ------------------------------------------------------------------------------------------------


def _prefill(owner) -> dict[str, Any]:
    if owner is None:
        return {}
    is_business = owner.kind == "business"
    return {
        "applicant_name": (owner.organisation_name if is_business else owner.full_name)[:NAME_MAX],
        "applicant_id_type": IdType.TAX_CODE if is_business else IdType.CCCD,
        "applicant_id_number": (owner.tax_code if is_business else owner.cccd) or "",
        "applicant_birth_date": None if is_business else owner.birth_date,
        "applicant_phone": owner.phone or "",
        "applicant_email": owner.email or "",
        "applicant_commune": owner.commune,
        "applicant_address": owner.address or "",
        "notify_channels": [c for c, v in (("email", owner.email), ("sms", owner.phone)) if v],
    }


def _dossier_create(*, case: ProcedureCase, agency: Agency, receiving_agency: Agency | None = None, **fields):
    """A new dossier row of a procedure case with its reference, access code and summary."""
    version = case.version
    return Dossier.objects.create(
        reference=_new_reference(),
        access_code=_random_code(8),
        procedure=version.procedure,
        procedure_version=version,
        case=case,
        agency=agency,
        receiving_agency=receiving_agency or receiving_agency_for(agency),
        summary=version.name[:500],
        **fields,
    )


def dossier_draft_create(*, actor, case: ProcedureCase, owner=None, agency: Agency | None = None) -> Dossier:
    """A citizen (or business) starts an online dossier; the applicant block is filled from their account."""
    owner = owner or actor
    case_for_submission(case=case, channel=Channel.ONLINE)
    version = case.version
    fields = _prefill(owner)
    try:
        resolving = agency_resolve(version=version, commune=fields.get("applicant_commune"), agency=agency)
    except DossierError as exc:
        if exc.code != "commune_required":
            raise
        # Provisional: the applicant's commune, picked in the form, selects the commune's agency.
        resolving = version.agencies.filter(valid_to__isnull=True).order_by("code").first()
    with transaction.atomic():
        dossier = _dossier_create(
            case=case,
            agency=resolving,
            channel=Channel.ONLINE,
            owner=owner,
            delivery=(version.delivery_methods or [Delivery.DESK])[0],
            **fields,
        )
        audit_event_record(
            action="dossiers.dossier.drafted", actor=actor, obj=dossier, data={"case": case.pk}
        )
    return dossier


def dossier_draft_update(
    *,
    dossier: Dossier,
    actor,
    applicant: dict[str, Any],
    extra: dict[str, Any] | None = None,
    delivery: str,
    delivery_address: str = "",
    notify_channels: list[str] | None = None,
    agency: Agency | None = None,
) -> Dossier:
    """Save what the applicant typed. All fields are checked together; nothing is saved when one is wrong."""
    if not rules.can_edit_as_applicant(actor, dossier) or dossier.status != Status.DRAFT:
        raise DossierError(_("Hồ sơ này không còn sửa được."), code="not_editable")
    fields = submission_fields_clean(
        version=dossier.procedure_version,
        applicant=applicant,
        extra=extra,
        delivery=delivery,
        delivery_address=delivery_address,
        notify_channels=notify_channels,
    )
    if agency is not None or fields.get("applicant_commune") is not None:
        try:
            resolving = agency_resolve(
                version=dossier.procedure_version, commune=fields.get("applicant_commune"), agency=agency
            )
        except DossierError as exc:
            raise DossierInvalid({exc.field or "agency": exc.message}) from None
        fields["agency"] = resolving
        fields["receiving_agency"] = receiving_agency_for(resolving)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(dossier, name, value)
        dossier.save(update_fields=[*fields, "updated_at"])
        audit_event_record(action="dossiers.dossier.draft_saved", actor=actor, obj=dossier, data={})
    return dossier


# --- documents ---------------------------------------------------------------------------------------------


def _document_build(
    *,
    dossier: Dossier,
    actor,
    upload: Upload,
    kind: str,
    version_documents: dict[int, RequiredDocument],
    stored_bytes: int | None = None,
) -> DossierDocument:
    """Check one upload (content, size) and store its file; the row is returned unsaved.
    `stored_bytes`: what the dossier already holds, when the caller knows (a dossier created just now)."""
    content_type = upload_check(name=upload.filename, data=upload.data)
    current = stored_bytes
    if current is None:
        current = DossierDocument.objects.filter(dossier=dossier, replaced=False).aggregate(
            total=Sum("size")
        )["total"]
    total_check(current_bytes=current or 0, adding=len(upload.data))
    required = None
    if upload.required_document_id is not None:
        required = version_documents.get(int(upload.required_document_id))
        if required is None:
            raise DossierError(
                _("Thành phần hồ sơ đã chọn không thuộc thủ tục này."),
                code="wrong_document",
                field="document",
            )
    now = timezone.now()
    document = DossierDocument(
        dossier=dossier,
        required_document=required,
        kind=kind,
        name=(required.name if required else normalize(upload.filename))[:500],
        original_name=normalize(upload.filename)[:255] or "tep",
        content_type=content_type,
        size=len(upload.data),
        sha256=upload.sha256,
        uploaded_at=now,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save("upload", ContentFile(upload.data), save=False)
    return document


def _document_added_event(*, dossier: Dossier, actor, document: DossierDocument):
    return audit_event_build(
        action="dossiers.document.added",
        actor=actor,
        obj=dossier,
        data={
            "document": document.pk,
            "name": document.name,
            "size": document.size,
            "type": document.content_type,
        },
    )


def _store_document(
    *,
    dossier: Dossier,
    actor,
    upload: Upload,
    kind: str,
    version_documents: dict[int, RequiredDocument],
) -> DossierDocument:
    document = _document_build(
        dossier=dossier, actor=actor, upload=upload, kind=kind, version_documents=version_documents
    )
    document.save()
    audit_events_save([_document_added_event(dossier=dossier, actor=actor, document=document)])
    return document


def _documents_of(version) -> dict[int, RequiredDocument]:
    return {d.pk: d for d in RequiredDocument.objects.filter(version=version)}


def _store_new_uploads(
    *, dossier: Dossier, actor, uploads: list[Upload], kind: str, events: tuple = ()
) -> tuple[dict[int, RequiredDocument], list[DossierDocument]]:
    """Attach every upload to a dossier created just now (it holds nothing yet, so no size query per file): the
    rows in one INSERT, their audit events (after `events`, built by the caller) in another.
    Returns the version's required documents, which the caller may reuse, and the new rows."""
    documents = _documents_of(dossier.procedure_version)
    stored = 0
    rows = []
    for upload in uploads:
        rows.append(
            _document_build(
                dossier=dossier,
                actor=actor,
                upload=upload,
                kind=kind,
                version_documents=documents,
                stored_bytes=stored,
            )
        )
        stored += len(upload.data)
    if rows:
        DossierDocument.objects.bulk_create(rows)
    audit_events_save(
        [*events, *(_document_added_event(dossier=dossier, actor=actor, document=row) for row in rows)]
    )
    return documents, rows


def dossier_document_add(*, dossier: Dossier, actor, upload: Upload) -> DossierDocument:
    """Attach one file to a draft (or to a dossier waiting for a supplement)."""
    if not rules.can_edit_as_applicant(actor, dossier):
        raise DossierError(_("Hồ sơ này không còn nhận thêm tệp."), code="not_editable")
    kind = (
        DossierDocument.Kind.SUPPLEMENT
        if dossier.status == Status.SUPPLEMENT
        else DossierDocument.Kind.APPLICATION
    )
    with transaction.atomic():
        return _store_document(
            dossier=dossier,
            actor=actor,
            upload=upload,
            kind=kind,
            version_documents=_documents_of(dossier.procedure_version),
        )


def dossier_document_remove(*, document: DossierDocument, actor) -> None:
    dossier = document.dossier
    if not rules.can_edit_as_applicant(actor, dossier) or document.kind not in {"application", "supplement"}:
        raise DossierError(_("Không thể gỡ tệp này."), code="not_editable")
    if dossier.status == Status.SUPPLEMENT and document.kind != DossierDocument.Kind.SUPPLEMENT:
        raise DossierError(_("Chỉ gỡ được tệp vừa bổ sung."), code="not_editable")
    with transaction.atomic():
        document.replaced = True
        document.save(update_fields=["replaced"])
        audit_event_record(
            action="dossiers.document.removed", actor=actor, obj=dossier, data={"document": document.pk}
        )


def missing_documents(
    dossier: Dossier, *, required: list[RequiredDocument] | None = None
) -> list[RequiredDocument]:
    """The required documents not attached yet; `required`: the version's documents, if the caller has them."""
    if required is None:
        required = list(RequiredDocument.objects.filter(version=dossier.procedure_version))
    have = set(
        DossierDocument.objects.filter(
            dossier=dossier, replaced=False, required_document__isnull=False
        ).values_list("required_document_id", flat=True)
    )
    return [
        d
        for d in sorted(required, key=lambda d: (d.order, d.pk))
        if d.pk not in have and not document_is_optional(d)
    ]


# --- submission --------------------------------------------------------------------------------------------


def _submission_problems(
    dossier: Dossier, *, required: list[RequiredDocument] | None = None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    try:
        applicant_clean({f: getattr(dossier, f) for f in _APPLICANT_MODEL_FIELDS})
    except DossierInvalid as exc:
        problems.update(exc.errors)
    try:
        extra_clean(version=dossier.procedure_version, data=dossier.extra_data or {})
    except DossierInvalid as exc:
        problems.update(exc.errors)
    for document in missing_documents(dossier, required=required):
        problems[f"document_{document.pk}"] = _("Chưa đính kèm “%(name)s”.") % {"name": document.name}
    return problems


_APPLICANT_MODEL_FIELDS = (*APPLICANT_FIELDS, *SUBMITTER_FIELDS)


def dossier_submit(*, dossier: Dossier, actor) -> Dossier:
    """T1: draft → Mới đăng ký. Idempotent: a dossier already submitted is returned as it is."""
    if not rules.can_view_as_applicant(actor, dossier):
        raise DossierError(_("Bạn không có quyền nộp hồ sơ này."), code="forbidden")
    if dossier.status != Status.DRAFT:
        dossier.refresh_from_db()
        if dossier.status != Status.DRAFT:
            return dossier  # a double click or a retried request: the first one did it
    problems = _submission_problems(dossier)
    if problems:
        raise DossierInvalid(problems)
    now = timezone.now()
    return dossier_transition(
        dossier=dossier,
        action="submitted",
        actor=actor,
        apply=lambda locked: {"submitted_at": now},
        data={"channel": dossier.channel},
    )


def _fingerprint(*, case, agency, applicant, extra, delivery, delivery_address, uploads: list[Upload]) -> str:
    payload = {
        "case": case.pk,
        "agency": agency.pk if agency else None,
        "applicant": {k: str(v) for k, v in sorted(applicant.items())},
        "extra": {k: str(v) for k, v in sorted((extra or {}).items())},
        "delivery": [delivery, delivery_address],
        "files": sorted((str(u.required_document_id), u.sha256) for u in uploads),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def dossier_create_submitted(
    *,
    actor,
    owner,
    case: ProcedureCase,
    applicant: dict[str, Any],
    uploads: list[Upload],
    extra: dict[str, Any] | None = None,
    delivery: str = Delivery.DESK,
    delivery_address: str = "",
    notify_channels: list[str] | None = None,
    agency: Agency | None = None,
    idempotency_key: str | None = None,
    assisted_by=None,
    assisted_team=None,
    on_created: Callable[[Dossier], None] | None = None,
) -> tuple[Dossier, bool]:
    """Create, attach and submit in one transaction (the API; assisted submission). Returns (dossier, created).

    The same idempotency key with the same content returns the first dossier; with other content it is refused.
    `on_created(dossier)` runs inside that transaction for a dossier created now (e.g. the API client's link).
    """
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 80:
        raise DossierError(_("Khóa chống gửi trùng dài tối đa 80 ký tự."), code="idempotency_key_too_long")
    fingerprint = _fingerprint(
        case=case,
        agency=agency,
        applicant=applicant,
        extra=extra,
        delivery=delivery,
        delivery_address=delivery_address,
        uploads=uploads,
    )
    if key is not None:
        existing = _by_idempotency_key(owner, key)
        if existing is not None:
            return _same_or_conflict(existing, fingerprint), False
    case_for_submission(case=case, channel=Channel.ONLINE)
    fields = submission_fields_clean(
        version=case.version,
        applicant=applicant,
        extra=extra,
        delivery=delivery,
        delivery_address=delivery_address,
        notify_channels=notify_channels,
    )
    resolving = agency_resolve(version=case.version, commune=fields.get("applicant_commune"), agency=agency)
    try:
        with transaction.atomic():
            dossier = _dossier_create(
                case=case,
                agency=resolving,
                channel=Channel.ONLINE,
                owner=owner,
                idempotency_key=key,
                idempotency_fingerprint=fingerprint if key else "",
                assisted_by=assisted_by,
                assisted_team=assisted_team,
                assist_consent_at=timezone.now() if assisted_by else None,
                **fields,
            )
            drafted = audit_event_build(
                action="dossiers.dossier.drafted",
                actor=actor,
                obj=dossier,
                data={"case": case.pk, "assisted_by": getattr(assisted_by, "pk", None)},
            )
            documents, _rows = _store_new_uploads(
                dossier=dossier, actor=actor, uploads=uploads, kind="application", events=(drafted,)
            )
            # The applicant block and the procedure's fields are the output of submission_fields_clean above
            # (checking them again gives the same answer); what remains is the documents, known from the uploads.
            attached = {int(u.required_document_id) for u in uploads if u.required_document_id is not None}
            problems = {
                f"document_{d.pk}": _("Chưa đính kèm “%(name)s”.") % {"name": d.name}
                for d in sorted(documents.values(), key=lambda d: (d.order, d.pk))
                if d.pk not in attached and not document_is_optional(d)
            }
            if problems:
                raise DossierInvalid(problems)
            now = timezone.now()
            dossier_transition(
                dossier=dossier,
                action="submitted",
                actor=actor,
                apply=lambda locked: {"submitted_at": now},
                data={"channel": "online", "assisted": bool(assisted_by)},
                created_now=True,
            )
            if on_created is not None:
                on_created(dossier)
    except IntegrityError:
        # The same key committed by a concurrent request a moment ago.
        existing = _by_idempotency_key(owner, key) if key else None
        if existing is None:
            raise
        return _same_or_conflict(existing, fingerprint), False
    return dossier, True


def _by_idempotency_key(owner, key: str) -> Dossier | None:
    """The dossier this owner submitted with this key, if any. Nearly always none: ask for the id only (the
    dossier's seventy columns cost more to select and load than the look-up itself) and read it when found."""
    found = list(Dossier.objects.filter(owner=owner, idempotency_key=key).values_list("pk", flat=True)[:1])
    return Dossier.objects.get(pk=found[0]) if found else None


def _same_or_conflict(existing: Dossier, fingerprint: str) -> Dossier:
    if existing.idempotency_fingerprint != fingerprint:
        raise DossierError(
            _(
                "Khóa chống gửi trùng này đã được dùng cho hồ sơ %(code)s với nội dung khác. Hồ sơ đó không thay "
                "đổi; nếu đây là hồ sơ mới, hãy dùng một khóa mới."
            )
            % {"code": existing.display_code},
            code="idempotency_conflict",
        )
    return existing


# --- supplement by the applicant ---------------------------------------------------------------------------


def dossier_supplement_provide(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    """The applicant has attached what was asked (files added with dossier_document_add) and sends it back."""
    if not rules.can_edit_as_applicant(actor, dossier) and not rules.can_receive(actor, dossier):
        raise DossierError(_("Bạn không có quyền bổ sung hồ sơ này."), code="forbidden")
    added = DossierDocument.objects.filter(
        dossier=dossier,
        kind=DossierDocument.Kind.SUPPLEMENT,
        replaced=False,
        uploaded_at__gte=dossier.supplement_requested_at or dossier.created_at,
    ).count()
    note = normalize(note or "")[:2000]
    if not added and not note:
        raise DossierError(
            _("Hãy đính kèm giấy tờ được yêu cầu (hoặc ghi nội dung bổ sung) trước khi gửi."),
            code="supplement_empty",
        )
    now = timezone.now()
    return dossier_transition(
        dossier=dossier,
        action="supplemented",
        actor=actor,
        apply=lambda locked: supplement_complete_changes(locked, now),
        data={"files": added, "note": note},
    )


# --- walk-in reception at the desk -------------------------------------------------------------------------


def dossier_walk_in_receive(
    *,
    actor,
    receiving_agency: Agency,
    case: ProcedureCase,
    applicant: dict[str, Any],
    uploads: list[Upload],
    channel: str = Channel.DESK,
    extra: dict[str, Any] | None = None,
    delivery: str = Delivery.DESK,
    delivery_address: str = "",
    notify_channels: list[str] | None = None,
    agency: Agency | None = None,
    owner=None,
) -> Dossier:
    """T2 for paper: the officer records the dossier (scans attached) and accepts it in one step (Mẫu 01)."""
    if not rules.can_receive_for(actor, receiving_agency):
        raise DossierError(_("Bạn không phải cán bộ một cửa của nơi tiếp nhận này."), code="forbidden")
    if channel not in {Channel.DESK, Channel.POST}:
        raise DossierError(_("Hồ sơ giấy được nộp trực tiếp hoặc qua bưu chính."), code="wrong_channel")
    case_for_submission(case=case, channel=channel)
    fields = submission_fields_clean(
        version=case.version,
        applicant=applicant,
        extra=extra,
        delivery=delivery,
        delivery_address=delivery_address,
        notify_channels=notify_channels,
    )
    resolving = agency_resolve(version=case.version, commune=fields.get("applicant_commune"), agency=agency)
    if receiving_agency_for(resolving).pk != receiving_agency.pk and resolving.pk != receiving_agency.pk:
        raise DossierError(
            _("%(agency)s không tiếp nhận hồ sơ của thủ tục này cho %(resolving)s.")
            % {"agency": receiving_agency.name, "resolving": resolving.name},
            code="wrong_agency",
        )
    now = timezone.now()
    with transaction.atomic():
        dossier = _dossier_create(
            case=case,
            agency=resolving,
            receiving_agency=receiving_agency,
            channel=channel,
            owner=owner,
            submitted_at=now,
            **fields,
        )
        _store_new_uploads(dossier=dossier, actor=actor, uploads=uploads, kind="scan")
        dossier_transition(
            dossier=dossier,
            action="received",
            actor=actor,
            apply=_accept_changes(actor, now),
            data={"channel": channel},
        )
    return dossier
