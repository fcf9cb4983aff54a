"""Writing scenarios as YAML files people can read, and writing files safely.

``scenario_yaml`` writes what the scenario's author set (no defaults filled in), with small
records on one line each (a pupil, a mentor, a phase) as in the hand-written examples, phase
lengths as ``3`` or ``2..4``, and programmes inline so the file stands alone. Reading the text
back (:func:`scheduler.files.load_scenario`) gives an equal scenario.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from scheduler.model.scenario import Scenario

_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C emitter when available

FLOW_WIDTH = 200
"""Records up to about this many characters are written on one line."""


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    """Block style for the document, flow style for small records and lists of scalars."""


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | dt.date | dt.time)


def _small(value: Any) -> bool:
    """A scalar, a list of scalars or a mapping of scalars."""
    if isinstance(value, dict):
        return all(_scalar(v) for v in value.values())
    if isinstance(value, list):
        return all(_scalar(v) for v in value)
    return _scalar(value)


def _flat(data: dict[str, Any]) -> bool:
    """Whether a mapping reads well on one line."""
    if not all(
        _small(v) or (isinstance(v, list) and all(_small(x) for x in v)) for v in data.values()
    ):
        return False
    return len(str(data)) <= FLOW_WIDTH


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=_flat(data))


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(_scalar(v) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_time(dumper: yaml.SafeDumper, data: dt.time) -> yaml.Node:
    return dumper.represent_str(data.strftime("%H:%M"))


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    if data.is_integer():  # hours as 32, not 32.0
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dt.time, _represent_time)
_Dumper.add_representer(float, _represent_float)


def _lengths(value: Any) -> Any:
    """Phase lengths ``{min: 2, max: 4}`` written as ``2..4`` (or ``3`` when fixed)."""
    if isinstance(value, dict):
        if value.keys() == {"min", "max"}:
            lo, hi = value["min"], value["max"]
            return lo if lo == hi else f"{lo}..{hi}"
        return {k: _lengths(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lengths(v) for v in value]
    return value


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the data of a file: what was set, programmes inline."""
    data = scenario.model_dump(mode="python", by_alias=True, exclude_unset=True)
    data["programmes"] = _lengths(data["programmes"])
    return data


def scenario_yaml(scenario: Scenario, header: str = "") -> str:
    """The scenario as YAML text; ``header`` (lines without ``#``) becomes a comment on top."""
    body = yaml.dump(
        scenario_data(scenario),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + body
