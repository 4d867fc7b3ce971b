"""Vietnamese text helpers: fold diacritics (đ → d) for search and codenames."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, without diacritics, đ/Đ → d, spaces collapsed: 'Đăng ký  Khai sinh' → 'dang ky khai sinh'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def normalize(text: str) -> str:
    """NFC form with spaces collapsed: how every Vietnamese name is stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
