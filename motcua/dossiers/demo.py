"""A few dossiers for the demo province, so the desk inboxes and "Hồ sơ của tôi" show something on `make run`.

Loaded once (when there is no dossier yet), after the demo province and the demo catalog, through the same
services a citizen and a desk officer use.
"""

from __future__ import annotations

import zlib

from django.db import transaction

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.core.text import fold
from motcua.directory.models import User
from motcua.dossiers.intake import (
    Upload,
    document_is_optional,
    dossier_create_submitted,
    dossier_walk_in_receive,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_accept

EXTRA_SAMPLES = {"text": "Nguyễn Văn Bé", "number": "1", "date": "01/10/2026"}


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying it is a demo document (ASCII text in a standard font; no font files needed)."""
    text = fold(title).encode("ascii", "replace")[:90].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (Tai lieu trinh dien - Mot Cua) Tj 0 -24 Td (" + text + b") Tj ET"
    stream = zlib.compress(stream)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    return pdf_from_objects(objects)


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A well-formed PDF file from its numbered objects (1 is the catalog), with the cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _applicant(user: User) -> dict:
    return {
        "applicant_name": user.full_name,
        "applicant_id_type": "cccd",
        "applicant_id_number": user.cccd,
        "applicant_birth_date": user.birth_date,
        "applicant_phone": user.phone,
        "applicant_email": user.email,
        "applicant_commune": user.commune,
        "applicant_address": user.address,
    }


def _uploads(version) -> list[Upload]:
    return [
        Upload(f"{fold(d.name)[:40].replace(' ', '-')}.pdf", demo_pdf(d.name), d.pk)
        for d in version.documents.order_by("order")
        if not document_is_optional(d)
    ]


def _extra(version) -> dict:
    return {
        f["key"]: (f["choices"][0] if f["type"] == "choice" else EXTRA_SAMPLES[f["type"]])
        for f in version.form_fields or []
    }


def _online(level: str, count: int) -> list:
    procedures = (
        Procedure.objects.filter(active=True, level=level, current_version__isnull=False)
        .exclude(online_level=OnlineLevel.NONE)
        .select_related("current_version")
        .order_by("-popularity", "national_code")[:count]
    )
    return [p.current_version.cases.order_by("order").first() for p in procedures]


def demo_dossiers_load() -> int:
    """Create the demo dossiers unless there are dossiers already. Returns how many were created."""
    if Dossier.objects.exists():
        return 0
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["congdan.an", "congdan.binh", "congdan.hoa", "tiepnhan.tinh", "tiepnhan.xa"]
        )
    }
    if len(users) < 5:
        return 0
    commune_cases, province_cases = _online("commune", 3), _online("province", 2)
    if len(commune_cases) < 3 or len(province_cases) < 2:
        return 0
    created = 0
    with transaction.atomic():
        plan = [
            ("congdan.an", commune_cases[0], None),
            ("congdan.binh", commune_cases[1], None),
            ("congdan.hoa", province_cases[0], None),
            ("congdan.an", province_cases[1], "tiepnhan.tinh"),
            ("congdan.binh", commune_cases[2], "tiepnhan.xa"),
        ]
        for owner_name, case, accepted_by in plan:
            owner = users[owner_name]
            version = case.version
            dossier, _new = dossier_create_submitted(
                actor=owner,
                owner=owner,
                case=case,
                applicant=_applicant(owner),
                uploads=_uploads(version),
                extra=_extra(version),
                delivery=(version.delivery_methods or ["desk"])[0],
                delivery_address=owner.address if (version.delivery_methods or ["desk"])[0] == "post" else "",
                notify_channels=["email", "sms"],
            )
            if accepted_by:
                dossier_accept(dossier=dossier, actor=users[accepted_by])
            created += 1
        desk = users["tiepnhan.xa"]
        centre = desk.assignments.filter(role="desk_officer").first().agency
        walk_in_case = commune_cases[0]
        dossier_walk_in_receive(
            actor=desk,
            receiving_agency=centre,
            case=walk_in_case,
            applicant=_applicant(users["congdan.hoa"]),
            uploads=_uploads(walk_in_case.version),
            extra=_extra(walk_in_case.version),
            owner=users["congdan.hoa"],
            notify_channels=["sms"],
        )
        created += 1
    return created
