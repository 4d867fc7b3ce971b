"""Uploaded files are checked by their content, never by their name (REFERENCE: security by default).

    kind = upload_check(name="to-khai.pdf", data=raw)     # "application/pdf" | "image/jpeg" | "image/png"

Raises DossierError with a Vietnamese message: empty, too large, not a PDF/JPEG/PNG (an executable named .pdf),
a damaged image, or an image whose pixel count makes it a decompression bomb.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.dossiers.errors import DossierError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ALLOWED = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}


def sniff(data: bytes) -> str | None:
    if data[:5] == b"%PDF-":
        return PDF
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    return None


def _check_image(name: str, data: bytes) -> None:
    from PIL import Image

    limit = settings.DOSSIER_MAX_IMAGE_MEGAPIXELS * 1_000_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > limit:
                    raise DossierError(
                        _(
                            "Ảnh “%(name)s” có kích thước %(w)s × %(h)s điểm ảnh, quá lớn để xử lý an toàn "
                            "(tối đa %(mp)s triệu điểm ảnh). Hãy chụp lại ở độ phân giải thấp hơn."
                        )
                        % {
                            "name": name,
                            "w": width,
                            "h": height,
                            "mp": settings.DOSSIER_MAX_IMAGE_MEGAPIXELS,
                        },
                        code="image_too_large",
                    )
                image.verify()
    except DossierError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DossierError(
            _("Ảnh “%(name)s” quá lớn để xử lý an toàn (nghi là tệp nén bất thường).") % {"name": name},
            code="image_bomb",
        ) from None
    except Exception:  # Pillow raises many kinds for a damaged file
        raise DossierError(
            _("Ảnh “%(name)s” bị hỏng hoặc không đọc được. Hãy chụp hoặc quét lại.") % {"name": name},
            code="image_damaged",
        ) from None


def _check_pdf(name: str, data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise DossierError(
            _("Tệp PDF “%(name)s” không trọn vẹn (thiếu phần kết thúc). Hãy lưu hoặc quét lại.")
            % {"name": name},
            code="pdf_truncated",
        )


def upload_check(*, name: str, data: bytes) -> str:
    """The content type of an acceptable upload; DossierError otherwise."""
    name = (name or "").strip()[:255] or _("tệp không tên")
    if not data:
        raise DossierError(
            _("Tệp “%(name)s” rỗng (0 byte). Hãy chọn lại tệp.") % {"name": name}, code="empty_file"
        )
    limit = settings.DOSSIER_MAX_FILE_MB * 1024 * 1024
    if len(data) > limit:
        raise DossierError(
            _("Tệp “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)s MB cho mỗi tệp.")
            % {"name": name, "size": f"{len(data) / 1024 / 1024:.1f}", "limit": settings.DOSSIER_MAX_FILE_MB},
            code="file_too_large",
        )
    kind = sniff(data)
    if kind is None:
        raise DossierError(
            _(
                "Tệp “%(name)s” không phải PDF, JPEG hay PNG (hệ thống kiểm tra nội dung tệp, không dựa vào tên). "
                "Hãy chọn một tệp PDF hoặc ảnh chụp."
            )
            % {"name": name},
            code="file_type",
        )
    if kind == PDF:
        _check_pdf(name, data)
    else:
        _check_image(name, data)
    return kind


def total_check(*, current_bytes: int, adding: int) -> None:
    limit = settings.DOSSIER_MAX_TOTAL_MB * 1024 * 1024
    if current_bytes + adding > limit:
        raise DossierError(
            _("Tổng dung lượng các tệp của hồ sơ vượt %(limit)s MB. Hãy giảm dung lượng ảnh hoặc gộp trang.")
            % {"limit": settings.DOSSIER_MAX_TOTAL_MB},
            code="dossier_too_large",
        )
