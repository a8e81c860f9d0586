"""``create_app(settings)``: the FastAPI application with the JSON API under /api and the pages under /."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from jiabao import __version__
from jiabao.api import errors
from jiabao.api.router import api_router
from jiabao.config import PROJECT_ROOT, Settings
from jiabao.core.clock import Clock
from jiabao.runtime import Runtime, build_runtime
from jiabao.web import (
    application_pages,
    claim_pages,
    claim_staff_pages,
    pages,
    policy_pages,
    quote_pages,
    screening_pages,
    servicing_pages,
    underwriting_pages,
    visit_pages,
)
from jiabao.web.deps import error_page

PAGE_MODULES = (
    pages,
    quote_pages,
    application_pages,
    policy_pages,
    underwriting_pages,
    visit_pages,
    servicing_pages,
    claim_pages,
    claim_staff_pages,
    screening_pages,
)

STATIC_DIR = Path(__file__).parent / "web" / "static"
VENDOR_FILES = {"htmx.min.js": PROJECT_ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"}
"""Front-end libraries installed from the npm registry at set-up time (never copied into the repository)."""


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, runtime: Runtime | None = None
) -> FastAPI:
    runtime = runtime or build_runtime(settings or Settings(), clock=clock)
    app = FastAPI(
        title="Jiabao (家保) API",
        version=__version__,
        description="Family-account life & health insurance platform. Errors carry a stable code and messages "
        "in Simplified Chinese and English.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.error_page = error_page
    app.add_middleware(
        SessionMiddleware,
        secret_key=runtime.settings.secret_key,
        session_cookie="jiabao_session",
        max_age=runtime.settings.session_ttl_seconds,
        same_site="lax",
        https_only=runtime.settings.cookie_secure,
    )
    errors.install(app)
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
        return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
