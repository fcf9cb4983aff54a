"""Starting the service under uvicorn (``scheduler serve``)."""

from __future__ import annotations

import logging
from typing import Any

from scheduler.errors import UsageError
from scheduler.i18n import tr


def run(host: str, port: int, **overrides: Any) -> None:
    """Build the app from ``SCHEDULER_*`` variables and ``overrides``, then serve it.

    Raises :class:`UsageError` (a clear message, exit 2 in the CLI) when the settings or the
    database are not usable; the database URL is never repeated (it may hold a password).
    """
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from api.app import create_app
    from api.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_env(**overrides)
    try:
        app = create_app(settings)
    except ImportError as exc:
        raise UsageError(
            tr(
                nl=f"het stuurprogramma van deze databank is niet geïnstalleerd: {exc.name} "
                "(voor PostgreSQL: pip install psycopg)",
                en=f"the driver of this database is not installed: {exc.name} "
                "(for PostgreSQL: pip install psycopg)",
            )
        ) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", "") or type(exc).__name__)
        raise UsageError(
            tr(
                nl=f"kan de databank niet openen (SCHEDULER_DATABASE_URL / --database): {reason}",
                en=f"cannot open the database (SCHEDULER_DATABASE_URL / --database): {reason}",
            )
        ) from None
    # uvicorn's access log would print feed paths, tokens included: the app logs its own lines
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
