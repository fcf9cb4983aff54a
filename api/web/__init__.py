"""The planner's web pages: sign-in, parsed-plan cache, grid, loads, re-plans, rendering.

The routes are in :mod:`api.routes.web` and :mod:`api.routes.web_plans`; the templates in
``api/templates`` and the CSS, script and vendored htmx in ``api/static``.
"""
