"""The web service (FastAPI) on top of the scheduler library."""
