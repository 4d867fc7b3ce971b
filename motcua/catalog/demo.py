"""The demo catalog of the demo province, loaded idempotently."""

from __future__ import annotations

import json
from pathlib import Path

from motcua.catalog.services import catalog_import
from motcua.core.audit import SYSTEM

DEMO_FILE = Path(__file__).parent / "data" / "demo_catalog.json"


def demo_catalog_load():
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    report = catalog_import(actor=SYSTEM, data=data, dry_run=False)
    if report.errors:
        raise ValueError("; ".join(f"{row}: {message}" for row, message in report.errors))
    return report
