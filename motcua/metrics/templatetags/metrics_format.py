"""Numbers as Vietnamese readers write them: 1.643 and 88,14 %; "—" for no data (never 0)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()
NO_DATA = "—"


def vn_number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return NO_DATA
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def vn_int(value) -> str:
    return vn_number(value, 0)


@register.filter
def vn_dec(value, decimals=2) -> str:
    return vn_number(value, int(decimals))


@register.filter
def vn_pct(value) -> str:
    return NO_DATA if value is None else f"{vn_number(value, 2)} %"


@register.filter
def bar(value) -> str:
    """A share (0–100) as an SVG width in a viewBox of 100; no data → 0 (the table says "—")."""
    if value is None:
        return "0"
    return str(max(0, min(100, float(value))))


@register.filter
def mul6(index, offset) -> int:
    """The y of row `index` in a chart of 6-unit rows (text at +4, bar at +1)."""
    return int(index) * 6 + int(offset)


@register.filter
def pct_of(value, total):
    from motcua.metrics.indicators import share

    return share(value, total)


@register.filter
def share_of(figures, name):
    return figures.share(name)


@register.filter
def rating_label(level) -> str:
    from motcua.dossiers.models import Satisfaction

    return str(Satisfaction(int(level)).label)


@register.filter
def rating_measure(level) -> str:
    return f"rating_{int(level)}"


@register.filter
def online_level_label(level) -> str:
    from motcua.catalog.models import OnlineLevel

    return str(OnlineLevel(level).label)
