from django.template import Context, Template
from django.utils import formats, translation

from motcua.core.money import format_vnd
from motcua.core.text import fold


def test_fold_removes_diacritics_and_maps_d_stroke():
    assert fold("Đăng ký  KHAI SINH") == "dang ky khai sinh"
    assert fold("Điểu K'Điên") == "dieu k'dien"


def test_vnd_uses_dot_grouping_and_dong_sign():
    assert format_vnd(1500000) == "1.500.000 ₫"
    assert format_vnd(0) == "0 ₫"
    assert Template("{% load motcua %}{{ fee|vnd }}").render(Context({"fee": 25000})) == "25.000 ₫"


def test_dates_are_day_month_year_in_both_languages():
    from datetime import date

    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(date(2026, 2, 13), "SHORT_DATE_FORMAT") == "13/02/2026"
