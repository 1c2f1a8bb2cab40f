"""The HTTP API, /api/v1/. One router per domain, each in its own module."""

from ninja import NinjaAPI

from . import cases, collab, documents, identification, indicators, minors, mobility
from .auth import ApiKeyAuth, VerifiedSessionAuth
from .errors import install_error_handlers

api = NinjaAPI(
    title="GMMP API",
    version="1",
    description="API of the GMMP platform for the systems of both administrations. "
    "Authenticate with `Authorization: Bearer gmmp_<prefix>_<secret>` (scoped API token).",
    urls_namespace="api",
    # Tried in order: a scoped token for systems, else the browser session (with CSRF and the second
    # factor, see auth.py). Denied otherwise.
    auth=[ApiKeyAuth(), VerifiedSessionAuth()],
)
install_error_handlers(api)
api.add_router("/cases", cases.router)
api.add_router("", collab.router)  # /cases/{reference}/messages…, /escalations
api.add_router("/lpc", documents.router)
api.add_router("/register", identification.router)
api.add_router("/indicators", indicators.router)
api.add_router("/mobility", mobility.router)
api.add_router("/minors", minors.router)
