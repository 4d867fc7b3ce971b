"""REST API v1 (django-ninja). Each domain app adds a router here; errors share one documented format."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

api = NinjaAPI(
    title="Một Cửa API",
    version="1.0.0",
    description="API của Một Cửa: thủ tục hành chính, hồ sơ, phản ánh kiến nghị. (Một Cửa REST API.)",
    urls_namespace="api-v1",
    docs_url=None,  # the Swagger page loads from a CDN and runs inline script; the spec is at openapi.json
)


class ErrorOut(Schema):
    """Every error: a machine-readable code and a human message (Vietnamese unless Accept-Language says en)."""

    code: str
    message: str
    details: list[dict] | None = None


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(
        request,
        {"code": "invalid_input", "message": _("Dữ liệu gửi lên không hợp lệ."), "details": exc.errors},
        status=422,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(
        request,
        {"code": f"http_{exc.status_code}", "message": str(exc), "details": None},
        status=exc.status_code,
    )


class VersionOut(Schema):
    name: str
    version: str


@api.get("/version", response=VersionOut, tags=["system"], summary="Phiên bản phần mềm")
def version(request):
    from motcua import __version__

    return {"name": "Một Cửa", "version": __version__}


# Routers of the domain apps (each in its own module under motcua/api/).
from motcua.api import catalog as _catalog  # noqa: E402
from motcua.api import dossier_actions as _dossier_actions  # noqa: E402
from motcua.api import dossiers as _dossiers  # noqa: E402
from motcua.api import feedback as _feedback  # noqa: E402

api.add_router("/", _catalog.router)
api.add_router("/", _dossiers.router)
api.add_router("/", _dossier_actions.router)
api.add_router("/", _feedback.router)
