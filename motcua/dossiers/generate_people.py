"""Sample people for generated dossiers: Vietnamese names, valid CCCD numbers, mobile numbers, addresses.

    people = people_make(random.Random(5), count=1000, communes=[commune.pk, ...], today=date.today(), taken=set())

A CCCD is the birth-registration province (local codes most often), the century-and-sex digit, the two last digits
of the birth year and a 6-digit sequence (motcua.core.identity.validate_cccd accepts it with the birth date).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, timedelta

from django.conf import settings

from motcua.core.identity import CCCD_PROVINCE_CODES
from motcua.core.text import fold

FAMILY_NAMES = (  # the common family names, with their approximate share of the population (%)
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 4), ("Phan", 4.5),
    ("Vũ", 2), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
    ("Lý", 0.5),
)  # fmt: skip
MIDDLE_NAMES = {
    "male": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Hoàng", "Gia", "Tấn", "Trọng"),
    "female": ("Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bảo", "Phương", "Diệu", "Thùy"),
}
GIVEN_NAMES = {
    "male": (
        "An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Lâm", "Long", "Lộc",
        "Minh", "Nam", "Nghĩa", "Phát", "Phúc", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn",
        "Trung", "Tuấn", "Việt", "Vinh", "Vũ",
    ),
    "female": (
        "Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan",
        "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Trinh",
        "Tuyết", "Vân", "Vy", "Xuân", "Yến",
    ),
}  # fmt: skip
STREETS = (
    "Võ Thị Sáu", "Phạm Văn Thuận", "Đồng Khởi", "Nguyễn Ái Quốc", "Hà Huy Giáp", "Cách Mạng Tháng Tám",
    "Trần Hưng Đạo", "Lê Duẩn", "Hùng Vương", "Nguyễn Văn Trị", "Phan Chu Trinh", "Phú Riềng Đỏ", "Quốc lộ 14",
    "Quốc lộ 1A", "Nguyễn Huệ", "Lý Thường Kiệt", "Trần Phú", "Điện Biên Phủ",
)  # fmt: skip
MOBILE_PREFIXES = (
    "090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032", "033", "034", "035", "036",
    "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "056", "058",
)  # fmt: skip
# Local birth-registration codes come first: most applicants of Đồng Nai were born in Đồng Nai or Bình Phước.
LOCAL_CCCD_CODES = {"75": ("075", "070"), "79": ("079",), "01": ("001",)}


class Person:
    """One applicant; `user_id` is reserved by the generator, `account` set once their account is written."""

    __slots__ = (
        "user_id",
        "account",
        "name",
        "cccd",
        "birth_date",
        "phone",
        "email",
        "commune_id",
        "address",
    )

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


def _weighted(pairs) -> tuple[list, list[float]]:
    total, cumulative = 0.0, []
    for _value, weight in pairs:
        total += weight
        cumulative.append(total)
    return [value for value, _weight in pairs], cumulative


_FAMILY, _FAMILY_CUM = _weighted(FAMILY_NAMES)


def person_name(rng: random.Random, sex: str) -> str:
    family = _FAMILY[bisect_right(_FAMILY_CUM, rng.random() * _FAMILY_CUM[-1])]
    middle = rng.choice(MIDDLE_NAMES[sex])
    given = rng.choice(GIVEN_NAMES[sex])
    if rng.random() < 0.2:  # four-word names: Nguyễn Thị Thu Trang
        return f"{family} {middle} {rng.choice(MIDDLE_NAMES[sex][2:])} {given}"
    return f"{family} {middle} {given}"


def people_make(
    rng: random.Random, *, count: int, communes: list[int], today: date, taken: set[str]
) -> list[Person]:
    """`count` distinct adults living in the given communes, none with a CCCD in `taken` (which grows)."""
    local = LOCAL_CCCD_CODES.get(settings.PROVINCE_CODE, ())
    others = sorted(CCCD_PROVINCE_CODES)
    people: list[Person] = []
    while len(people) < count:
        sex = "male" if rng.random() < 0.5 else "female"
        age = min(90, 18 + int(rng.expovariate(1 / 22)))
        birth = today - timedelta(days=age * 365 + rng.randrange(365))
        century_sex = (0 if birth.year < 2000 else 2) + (0 if sex == "male" else 1)
        region = rng.choice(local) if local and rng.random() < 0.8 else rng.choice(others)
        cccd = f"{region}{century_sex}{birth.year % 100:02d}{rng.randrange(1_000_000):06d}"
        if cccd in taken:
            continue
        taken.add(cccd)
        name = person_name(rng, sex)
        email = ""
        if rng.random() < 0.45:
            email = f"{fold(name).replace(' ', '.')}{rng.randrange(100, 9999)}@example.vn"
        people.append(
            Person(
                user_id=None,
                account=False,
                name=name,
                cccd=cccd,
                birth_date=birth,
                phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}",
                email=email,
                commune_id=rng.choice(communes),
                address=address(rng),
            )
        )
    return people


def address(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"Số {rng.randint(1, 350)}, đường {rng.choice(STREETS)}, khu phố {rng.randint(1, 12)}"
    return f"Tổ {rng.randint(1, 30)}, ấp {rng.randint(1, 9)}"
