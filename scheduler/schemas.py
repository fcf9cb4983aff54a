"""JSON Schemas of the published file formats, so editors can validate and complete files."""

from __future__ import annotations

from typing import Any

from scheduler.errors import UsageError
from scheduler.i18n import tr

SCHEMA_BASE = "https://duaal-leren.example/schemas"


def _scenario_schema() -> dict[str, Any]:
    from scheduler.model.scenario import Scenario

    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    items = schema["properties"]["programmes"]["items"]
    schema["properties"]["programmes"]["items"] = {
        "anyOf": [
            items,
            {
                "type": "string",
                "description": "Path of a programme file, relative to this scenario file.",
            },
        ]
    }
    schema["title"] = "Duaal leren scenario"
    return schema


def _programme_schema() -> dict[str, Any]:
    from scheduler.model.programme import Programme

    schema = Programme.model_json_schema(by_alias=True, mode="validation")
    schema["title"] = "Duaal leren programme"
    return schema


def _plan_schema() -> dict[str, Any]:
    from scheduler.plan import Plan

    schema = Plan.model_json_schema(by_alias=True, mode="serialization")
    schema["title"] = "Duaal leren year plan"
    return schema


def _change_schema() -> dict[str, Any]:
    from scheduler.whatif.changes import ChangeFile  # type: ignore[import-not-found]

    schema = ChangeFile.model_json_schema(by_alias=True, mode="validation")
    schema["title"] = "Duaal leren what-if change"
    return schema


KINDS = {
    "scenario": _scenario_schema,
    "programme": _programme_schema,
    "plan": _plan_schema,
    "change": _change_schema,
}


def json_schema(kind: str = "scenario") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file format."""
    try:
        make = KINDS[kind]
    except KeyError:
        raise UsageError(
            tr(
                nl=f"onbekend formaat '{kind}'; kies uit {', '.join(KINDS)}",
                en=f"unknown format '{kind}'; choose from {', '.join(KINDS)}",
            )
        ) from None
    try:
        schema = make()
    except ImportError:
        raise UsageError(
            tr(
                nl=f"formaat '{kind}' is nog niet beschikbaar",
                en=f"format '{kind}' is not available yet",
            )
        ) from None
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{kind}.schema.json",
        **schema,
    }
