"""dossiers endpoints."""

from ninja import Router

router = Router(tags=["dossiers"])
