"""Procedure catalog endpoints (issue 3)."""

from ninja import Router

router = Router(tags=["procedures"])
