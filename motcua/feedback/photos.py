"""Photos of a report: checked by content (JPEG or PNG only, size, decompression bombs — the dossiers' checks), stored
under random names, and copied without their metadata (GPS position, camera) before anyone outside sees them.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import JPEG, PNG, upload_check
from motcua.feedback.errors import FeedbackInvalid
from motcua.feedback.models import ReportPhoto

MAX_PHOTOS = 5
# What the browser offers in its file picker; the server checks every file by its content anyway.
PHOTO_ACCEPT = ".jpg,.jpeg,.png,image/jpeg,image/png"


def photo_check(name: str, data: bytes) -> str:
    """The content type of an acceptable photo; FeedbackInvalid(photos=…) otherwise."""
    limit = settings.FEEDBACK_MAX_PHOTO_MB * 1024 * 1024
    name = (name or "").strip()[:120] or _("ảnh không tên")
    if len(data) > limit:
        raise FeedbackInvalid(
            {
                "photos": _("Ảnh “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)s MB cho mỗi ảnh.")
                % {
                    "name": name,
                    "size": f"{len(data) / 1024 / 1024:.1f}",
                    "limit": settings.FEEDBACK_MAX_PHOTO_MB,
                }
            }
        )
    try:
        kind = upload_check(name=name, data=data)
    except DossierError as exc:
        raise FeedbackInvalid({"photos": exc.message}) from None
    if kind not in {JPEG, PNG}:
        raise FeedbackInvalid(
            {"photos": _("Tệp “%(name)s” không phải ảnh JPEG hay PNG. Hãy chọn ảnh chụp.") % {"name": name}}
        )
    return kind


def photos_check(photos: list, *, already: int = 0) -> list[str]:
    """The content type of each photo, in order; FeedbackInvalid for the first one refused."""
    if len(photos) + already > MAX_PHOTOS:
        raise FeedbackInvalid({"photos": _("Tối đa %(n)s ảnh cho một phản ánh.") % {"n": MAX_PHOTOS}})
    return [photo_check(photo.filename, photo.data) for photo in photos]


def photos_store(*, report, photos: list, event=None, kinds: list[str] | None = None) -> list[ReportPhoto]:
    """Save photos; `kinds` is what `photos_check` returned for them (checked again here when not given)."""
    rows = photo_rows(report=report, photos=photos, event=event, kinds=kinds)
    for row in rows:
        row.save()
    return rows


def photo_rows(*, report, photos: list, event=None, kinds: list[str] | None = None) -> list[ReportPhoto]:
    """The photos' files written to the private storage, and their rows not yet saved (intake writes them with the
    report's other rows in one round trip)."""
    rows = []
    for index, photo in enumerate(photos):
        kind = kinds[index] if kinds is not None else photo_check(photo.filename, photo.data)
        row = ReportPhoto(
            report=report, event=event, content_type=kind, size=len(photo.data), uploaded_at=timezone.now()
        )
        row.file.save("photo", ContentFile(photo.data), save=False)
        rows.append(row)
    return rows


def photo_public_copy(photo: ReportPhoto) -> None:
    """Re-encode the photo without its metadata (EXIF GPS, camera, time), for the public pages and Open311."""
    if photo.public_file:
        return
    from PIL import Image, ImageOps

    with photo.file.open("rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if photo.content_type == JPEG:
            image.convert("RGB").save(out, format="JPEG", quality=85)
        else:
            image.save(out, format="PNG")
    photo.public_file.save("public", ContentFile(out.getvalue()), save=False)
    photo.save(update_fields=["public_file"])


# --- photos kept across a form error ------------------------------------------------------------------------------
# A browser never refills a file input: after an error elsewhere in the form, a citizen on a weak network would have
# to choose and send every photo again. The photos that passed their checks are kept in the private storage under a
# random name; the form carries a signed list of them, valid for HELD_HOURS, and the next submission takes them back.

HELD_DIR = "feedback/held"
HELD_HOURS = 24
_HELD_SALT = "motcua.feedback.held-photos"


def photos_hold(photos: list) -> str:
    """Keep the photos that pass their checks; the signed token that brings them back ("" when none does)."""
    import uuid

    from django.core import signing
    from django.core.files.storage import default_storage

    held = []
    for photo in photos[:MAX_PHOTOS]:
        try:
            photo_check(photo.filename, photo.data)
        except FeedbackInvalid:
            continue  # the refused one is named in the error; the others are kept
        name = default_storage.save(f"{HELD_DIR}/{uuid.uuid4().hex}", ContentFile(photo.data))
        held.append([name, (photo.filename or "")[:120], len(photo.data)])
    return signing.dumps(held, salt=_HELD_SALT, compress=True) if held else ""


def photos_held_list(token: str) -> list[tuple[str, str, int]]:
    """(storage name, file name, size) of the kept photos; [] for an empty, forged or expired token."""
    from django.core import signing

    if not token:
        return []
    try:
        held = signing.loads(token, salt=_HELD_SALT, max_age=HELD_HOURS * 3600)
    except signing.BadSignature:  # also SignatureExpired
        return []
    return [
        (name, filename, size)
        for name, filename, size in held
        if isinstance(name, str) and name.startswith(f"{HELD_DIR}/") and ".." not in name
    ]


def photos_held(token: str, *, drop: set[str] = frozenset()) -> list:
    """The kept photos as `Photo`s (without those whose storage names are in `drop`); files gone are skipped."""
    from django.core.files.storage import default_storage

    from motcua.feedback.intake import Photo

    photos = []
    for name, filename, _size in photos_held_list(token):
        if name in drop or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as handle:
            photos.append(Photo(filename, handle.read()))
    return photos


def photos_kept(post) -> list:
    """The photos a form brings back from its previous attempt (`held`), minus those ticked `held_drop`."""
    return photos_held(post.get("held", ""), drop=set(post.getlist("held_drop")))


def held_context(token: str) -> dict:
    """What `feedback/_held_photos.html` shows for a token from `photos_hold`."""
    return {"held": token, "held_photos": photos_held_list(token)}


def held_photos_delete_old(*, now=None) -> int:
    """Delete kept photos older than HELD_HOURS (the scheduled job `feedback_held_photos`)."""
    from datetime import timedelta

    from django.core.files.storage import default_storage

    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for file in files:
        name = f"{HELD_DIR}/{file}"
        if now - default_storage.get_modified_time(name) > timedelta(hours=HELD_HOURS):
            default_storage.delete(name)
            removed += 1
    return removed
