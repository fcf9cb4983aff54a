"""``/docs`` without an internet connection: Swagger UI served from the ``swagger-ui-bundle``
package (PyPI ``swagger-ui-bundle-v2``, Swagger UI 5, which reads OpenAPI 3.1) instead of a
CDN. Without that package FastAPI's own ``/docs`` (from a CDN) is kept.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def swagger_ui_path() -> str | None:
    """The folder of the bundled Swagger UI files, if the package is installed."""
    try:
        from swagger_ui_bundle import swagger_ui_path as path  # type: ignore[import-untyped]
    except ImportError:
        return None
    return str(path)


def offline_docs_app_kwargs() -> dict[str, object]:
    """``FastAPI(...)`` arguments: no CDN-based docs when the offline ones can be served."""
    return {"docs_url": None, "redoc_url": None} if swagger_ui_path() else {}


def install_offline_docs(app: FastAPI) -> None:
    """Serve ``/docs`` with the bundled Swagger UI (no-op without the package)."""
    path = swagger_ui_path()
    if path is None:
        return
    app.mount(ASSETS, StaticFiles(directory=path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
