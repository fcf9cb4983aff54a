"""The programmes bundled with the generator (package data, so it works when installed).

``emt-duaal.yaml`` is the same programme as ``examples/programmes/emt-duaal.yaml`` (a test keeps
them equal); welding and construction and mechanical design add programmes with other modules.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from scheduler.files import parse_text, validate_document
from scheduler.model.programme import Programme

BUNDLED = ("emt-duaal", "lassen-constructie-duaal", "mechanische-vormgeving-duaal")


@cache
def bundled_programme(programme_id: str) -> Programme:
    """A bundled programme by id (one of :data:`BUNDLED`)."""
    source = resources.files("scheduler.generation") / f"{programme_id}.yaml"
    text = source.read_text(encoding="utf-8")
    data, lines = parse_text(text, f"{programme_id}.yaml")
    return validate_document(Programme, data, f"{programme_id}.yaml", lines)


def bundled_programmes() -> dict[str, Programme]:
    """Every bundled programme, by id."""
    return {p: bundled_programme(p) for p in BUNDLED}
