"""Parts of the scenario generator (``scheduler.generate``): names, the world it builds, the
reference plan that proves feasibility, the year's events, and the bundled programmes."""
