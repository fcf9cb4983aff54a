"""The API's routers, one per resource."""

from api.routes import feeds, health, jobs, plans, scenarios, web, web_plans, whatif

ROUTERS = (
    health.router,
    scenarios.router,
    whatif.router,
    jobs.router,
    plans.router,
    feeds.planner_router,
    feeds.router,
)

PAGE_ROUTERS = (web.public, web.router, web_plans.router)
"""The planner's web pages (HTML, outside the OpenAPI schema)."""

__all__ = ["PAGE_ROUTERS", "ROUTERS"]
