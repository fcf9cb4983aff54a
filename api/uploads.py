"""Reading an uploaded scenario safely: its format, its encoding, and hostile YAML.

Besides what :func:`scheduler.files.scenario_from_text` checks, an upload is refused with a
clear problem (422) when it nests too deep for the parser, or when YAML aliases would expand it
into an enormous document (the "billion laughs": a few kilobytes that name themselves a billion
times). Both would otherwise tie up a worker or end in a server error.
"""

from __future__ import annotations

from typing import Any

import yaml
from fastapi import HTTPException

from scheduler.errors import Problem, ScenarioError
from scheduler.files import scenario_from_text
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
MAX_NODES = 200_000
"""The most YAML nodes an upload may expand to (the EMT example has about 2,000)."""


def upload_format(content_type: str) -> str:
    """``json`` or ``yaml`` from a Content-Type; 415 for anything else."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return "json"
    if media in YAML_TYPES:
        return "yaml"
    raise HTTPException(
        415,
        tr(
            nl="stuur het scenario als application/json of application/yaml "
            f"(niet '{media or 'zonder Content-Type'}')",
            en="send the scenario as application/json or application/yaml "
            f"(not '{media or 'without Content-Type'}')",
        ),
    )


def upload_text(body: bytes) -> str:
    """The body as text (UTF-8)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(
            [Problem(tr(nl="de inhoud is geen UTF-8-tekst", en="the body is not UTF-8 text"))]
        ) from None


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """Nodes of the document once every alias is written out (each shared node counted once
    per use; a node that contains itself counts once)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    sizes[key] = 1
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    else:
        children = []
    sizes[key] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[key]


def _refuse_alias_bombs(text: str) -> None:
    if "*" not in text:
        return  # no alias at all: nothing can expand
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return  # the scenario reader reports the syntax error with its line
    if root is not None and _expanded_size(root, {}) > MAX_NODES:
        raise ScenarioError(
            [
                Problem(
                    tr(
                        nl=f"de YAML-aliassen (*) maken dit document te groot "
                        f"(meer dan {MAX_NODES} elementen)",
                        en=f"the YAML aliases (*) make this document too large "
                        f"(more than {MAX_NODES} items)",
                    )
                )
            ]
        )


def read_upload(text: str, fmt: str) -> Scenario:
    """The validated scenario of an upload (``ScenarioError`` lists every problem)."""
    try:
        if fmt == "yaml":
            _refuse_alias_bombs(text)
        return scenario_from_text(text, fmt, source="scenario")  # type: ignore[no-any-return]
    except RecursionError:
        raise ScenarioError(
            [
                Problem(
                    tr(
                        nl="het document is te diep genest (of verwijst naar zichzelf)",
                        en="the document is nested too deeply (or refers to itself)",
                    )
                )
            ]
        ) from None
