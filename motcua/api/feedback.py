"""feedback endpoints."""

from ninja import Router

router = Router(tags=["feedback"])
