"""``create_app(settings)``: the FastAPI application with the JSON API under /api and the pages under /."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from jiabao import __version__
from jiabao.api import errors, openapi
from jiabao.api.guard import AdmissionGate, BodyGuard, SecurityHeaders
from jiabao.api.params import guard_parameters
from jiabao.api.redact import PersonalDataFilter
from jiabao.api.router import api_router
from jiabao.config import PROJECT_ROOT, Settings
from jiabao.core.clock import Clock
from jiabao.runtime import Runtime, build_runtime
from jiabao.web import (
    account_pages,
    advice_pages,
    application_pages,
    audit_pages,
    claim_pages,
    claim_staff_pages,
    claim_workflow_pages,
    family_application_pages,
    holder_pages,
    home_pages,
    id_correction_pages,
    ledger_pages,
    pages,
    partner_pages,
    policy_pages,
    product_pages,
    quote_pages,
    reinstatement_pages,
    risk_ops_pages,
    screening_pages,
    servicing_menu_pages,
    servicing_pages,
    underwriting_pages,
    valuation_pages,
    visit_pages,
    voice_pages,
)
from jiabao.web.deps import error_page

PAGE_MODULES = (
    pages,
    quote_pages,
    application_pages,
    audit_pages,
    policy_pages,
    underwriting_pages,
    visit_pages,
    servicing_pages,
    claim_pages,
    claim_staff_pages,
    reinstatement_pages,
    risk_ops_pages,
    voice_pages,
    valuation_pages,
    advice_pages,
    screening_pages,
    audit_pages,
    claim_workflow_pages,
    ledger_pages,
    family_application_pages,
    product_pages,
    partner_pages,
    account_pages,
    home_pages,
    servicing_menu_pages,
    id_correction_pages,
    holder_pages,
)

STATIC_DIR = Path(__file__).parent / "web" / "static"
NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR_FILES = {
    "htmx.min.js": NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js",
    "swagger-ui-bundle.js": NODE_MODULES / "swagger-ui-dist" / "swagger-ui-bundle.js",
    "swagger-ui.css": NODE_MODULES / "swagger-ui-dist" / "swagger-ui.css",
    "favicon-32x32.png": NODE_MODULES / "swagger-ui-dist" / "favicon-32x32.png",
    "pico.min.css": NODE_MODULES / "@picocss" / "pico" / "css" / "pico.red.min.css",
    "chart.umd.min.js": NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js",
}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
"""Front-end libraries installed from the npm registry at set-up time (never copied into the repository)."""

SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Jiabao (家保) API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
<link rel="icon" type="image/png" href="/static/vendor/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script>
</body></html>
"""


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, runtime: Runtime | None = None
) -> FastAPI:
    runtime = runtime or build_runtime(settings or Settings(), clock=clock)
    app = FastAPI(
        title="Jiabao (家保) API",
        version=__version__,
        description="Family-account life & health insurance platform. Errors carry a stable code and messages "
        "in Simplified Chinese and English.",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard_parameters)],
    )
    app.state.runtime = runtime
    app.state.error_page = error_page
    settings = runtime.settings
    app.add_middleware(BodyGuard, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=runtime.settings.secret_key,
        session_cookie="jiabao_session",
        max_age=runtime.settings.session_ttl_seconds,
        same_site="lax",
        https_only=not settings.plain_http,
    )
    app.add_middleware(PersonalDataFilter)
    app.add_middleware(SecurityHeaders, hsts=not settings.plain_http)
    app.add_middleware(AdmissionGate, limit=settings.max_concurrent_requests)  # outermost: see its docstring
    errors.install(app)
    openapi.install(app)
    app.include_router(api_router)
    for module in PAGE_MODULES:
        app.include_router(module.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = VENDOR_FILES.get(name)
        if path is None or not path.is_file():
            return Response(status_code=404)
        return FileResponse(
            path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"}
        )

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        """Swagger UI from the installed npm package (no CDN; the start-up script is a static file: CSP)."""
        return HTMLResponse(SWAGGER_PAGE)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
