"""Money is an integer number of đồng (VND has no minor unit in practice)."""

from __future__ import annotations


def format_vnd(amount: int | None) -> str:
    """1500000 → '1.500.000 ₫' (Vietnamese grouping with dots)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + " ₫"
