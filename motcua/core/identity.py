"""Vietnamese identifiers: CCCD / personal id (12 digits), tax codes (10 or 13 digits), agency codes.

Rules: ../shared/domain/REFERENCE.md §4.1 and §11. Each validator raises ValidationError with a clear
Vietnamese message (translated to English when the request language is English).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Birth-registration province codes of the 63 provinces before 2025 (TT 07/2016/TT-BCA, TT 59/2021/TT-BCA).
# Kept as they are: a citizen's number never changes when provinces merge.
CCCD_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096".split()
)
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def cccd_birth_facts(number: str) -> tuple[int, str]:
    """(birth year, 'male'|'female') encoded in a 12-digit personal id already known to be well formed."""
    century_sex = int(number[3])
    year = 1900 + 100 * (century_sex // 2) + int(number[4:6])
    return year, "male" if century_sex % 2 == 0 else "female"


def validate_cccd(value: str, *, birth_date: date | None = None) -> None:
    """12 digits: province of birth registration, century+sex, year of birth, 6-digit sequence. No check digit."""
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(
            _("Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số (bạn nhập %(n)s ký tự).")
            % {"n": len(value or "")},
            code="cccd_format",
        )
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Số CCCD không hợp lệ: 3 chữ số đầu (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh.")
            % {"code": value[:3]},
            code="cccd_province",
        )
    year, _sex = cccd_birth_facts(value)
    if year > timezone.localdate().year:
        raise ValidationError(
            _("Số CCCD không hợp lệ: chữ số thứ 4 đến 6 cho năm sinh %(year)s, là năm trong tương lai.")
            % {"year": year},
            code="cccd_year",
        )
    if birth_date is not None and birth_date.year != year:
        raise ValidationError(
            _("Số CCCD không khớp với ngày sinh: số này ứng với năm sinh %(year)s.") % {"year": year},
            code="cccd_birth_mismatch",
        )


def tax_check_digit(first_nine: str) -> int | None:
    """The 10th digit of a tax code, or None when the weighted sum leaves remainder 0 (no valid code)."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return None
    return 10 - remainder


def validate_tax_code(value: str, *, allow_personal_id: bool = False) -> None:
    """10 digits with check digit; 13 as `NNNNNNNNNN-NNN` (a branch); 12-digit personal id for individuals."""
    value = value or ""
    if allow_personal_id and re.fullmatch(r"\d{12}", value):
        validate_cccd(value)
        return
    match = re.fullmatch(r"(\d{10})(?:-(\d{3}))?", value)
    if not match:
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số viết dạng 0123456789-001 cho đơn vị phụ thuộc."),
            code="tax_format",
        )
    main = match.group(1)
    expected = tax_check_digit(main[:9])
    if expected is None or int(main[9]) != expected:
        raise ValidationError(
            _("Mã số thuế %(code)s không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng.")
            % {"code": main},
            code="tax_check_digit",
        )
    if match.group(2) == "000":
        raise ValidationError(_("Mã đơn vị phụ thuộc (3 số cuối) không được là 000."), code="tax_branch")


def validate_agency_code(value: str) -> None:
    """QCVN 102:2016 four-level form `000.00.00.H19`: digits, dots, one capital letter and two digits."""
    if not AGENCY_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "Mã định danh cơ quan “%(code)s” không đúng dạng 000.00.00.H19 "
                "(ba nhóm số 3-2-2 chữ số, rồi một chữ in hoa và 2 chữ số, cách nhau bằng dấu chấm)."
            )
            % {"code": value},
            code="agency_code",
        )
