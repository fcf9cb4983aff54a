"""The API's routers, one per resource."""

from api.routes import feeds, health, jobs, plans, scenarios

ROUTERS = (
    health.router,
    scenarios.router,
    jobs.router,
    plans.router,
    feeds.planner_router,
    feeds.router,
)

__all__ = ["ROUTERS"]
