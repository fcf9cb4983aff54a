"""Reading scenario and programme files (YAML or JSON) into validated models.

Everything that can go wrong while reading a file becomes a :class:`ScenarioError` whose
problems name the file, the line, the path inside the file and the offending value, in the
planner's language. Duplicate keys in YAML are refused (YAML would silently keep the last).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scheduler.errors import Problem, ScenarioError
from scheduler.i18n import tr

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]
M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 20 * 1024 * 1024


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                tr(
                    nl=f"sleutel '{key}' komt twee keer voor (eerst op regel "
                    f"{seen[key].start_mark.line + 1})",
                    en=f"key '{key}' appears twice (first on line {seen[key].start_mark.line + 1})",
                ),
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_CLoader: Any = getattr(yaml, "CSafeLoader", None)


class _FastStrictLoader(_CLoader or yaml.SafeLoader):  # type: ignore[misc]
    """The same strict loader on libyaml's C parser (5x faster on large scenarios); only used
    when PyYAML has libyaml."""


_FastStrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


class _LazyLineMap(dict):  # type: ignore[type-arg]
    """A :data:`LineMap` built only when a problem asks for a line: valid files (the common
    case) never pay for composing the document a second time."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text

    def _fill(self) -> None:
        if self._text is not None:
            text, self._text = self._text, None
            self.update(_line_map(yaml.compose(text, Loader=_FastStrictLoader)))

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __getitem__(self, key: Loc) -> int:
        self._fill()
        return super().__getitem__(key)

    def get(self, key: Loc, default: Any = None) -> Any:  # type: ignore[override]
        """The line of ``key`` (the map is built on first use)."""
        self._fill()
        return super().get(key, default)

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __iter__(self) -> Any:
        self._fill()
        return super().__iter__()

    def __bool__(self) -> bool:
        return self._text is not None or super().__len__() > 0


def _line_map(node: yaml.Node | None, loc: Loc = (), out: LineMap | None = None) -> LineMap:
    """Map every path inside a YAML document to its 1-based line number."""
    out = {} if out is None else out
    if node is None:
        return out
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*loc, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*loc, key), out)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*loc, i), out)
    return out


def parse_text(text: str, source: str, fmt: str | None = None) -> tuple[Any, LineMap]:
    """Parse YAML or JSON text; ``fmt`` is ``yaml`` or ``json`` (guessed from ``source``)."""
    if fmt is None:
        fmt = "json" if source.lower().endswith(".json") else "yaml"
    if not text.strip():
        raise ScenarioError(
            [Problem(tr(nl="het bestand is leeg", en="the file is empty"), file=source)]
        )
    if fmt == "json":
        try:
            return json.loads(text, object_pairs_hook=_json_no_duplicates), {}
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                [
                    Problem(
                        tr(nl=f"geen geldige JSON: {exc.msg}", en=f"not valid JSON: {exc.msg}"),
                        file=source,
                        line=exc.lineno,
                    )
                ]
            ) from None
        except ValueError as exc:
            raise ScenarioError([Problem(str(exc), file=source)]) from None
    if _CLoader is not None:
        try:
            return yaml.load(text, Loader=_FastStrictLoader), _LazyLineMap(text)
        except yaml.YAMLError:
            pass  # the pure-Python loader below words the problem and finds its line
    try:
        node = yaml.compose(text, Loader=_StrictLoader)  # type: ignore[arg-type]
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or str(exc)
        raise ScenarioError(
            [
                Problem(
                    tr(nl=f"geen geldige YAML: {what}", en=f"not valid YAML: {what}"),
                    file=source,
                    line=mark.line + 1 if mark else None,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(tr(nl=f"geen geldige YAML: {exc}", en=f"not valid YAML: {exc}"), file=source)]
        ) from None
    return data, _line_map(node)


def _json_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(
                tr(nl=f"sleutel '{key}' komt twee keer voor", en=f"key '{key}' appears twice")
            )
        out[key] = value
    return out


def read_document(path: str | Path, shown: str | None = None) -> tuple[Any, LineMap]:
    """Read and parse a YAML or JSON file, with clear errors for missing or unreadable files.

    ``shown`` is the name used in messages (the path as the user wrote it).
    """
    p = Path(path)
    source = shown or str(path)
    if not p.exists():
        raise ScenarioError(
            [Problem(tr(nl="het bestand bestaat niet", en="the file does not exist"), file=source)]
        )
    if p.is_dir():
        raise ScenarioError(
            [
                Problem(
                    tr(nl="dit is een map, geen bestand", en="this is a folder, not a file"),
                    file=source,
                )
            ]
        )
    if p.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            [Problem(tr(nl="het bestand is te groot", en="the file is too large"), file=source)]
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(
            [
                Problem(
                    tr(nl="het bestand is geen UTF-8-tekst", en="the file is not UTF-8 text"),
                    file=source,
                )
            ]
        ) from None
    except OSError as exc:
        raise ScenarioError(
            [
                Problem(
                    tr(
                        nl=f"kan het bestand niet lezen: {exc.strerror}",
                        en=f"cannot read the file: {exc.strerror}",
                    ),
                    file=source,
                )
            ]
        ) from None
    return parse_text(text, source)


def format_loc(loc: Iterable[str | int]) -> str:
    """``('pupils', 3, 'company')`` -> ``pupils[3].company``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _clean_loc(loc: Iterable[str | int]) -> Loc:
    """Drop pydantic's internal union/validator tags from an error location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            "[" in part or "(" in part or part in {"WeekRange", "_Length", "date", "int", "str"}
        ):
            continue
        out.append(part)
    return tuple(out)


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class found at ``loc`` inside ``model`` (for key suggestions)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return None
        current = field.annotation
        # unwrap Optional[...] / list[...] / Annotated[...] to the model inside
        for _ in range(4):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if isinstance(current, type) and issubclass(current, BaseModel):
                break
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                current = models[0]
                break
            if args:
                current = args[0]
            else:
                break
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _message(error: Mapping[str, Any], root: type[BaseModel] | None) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    loc = _clean_loc(error["loc"])
    if kind == "missing":
        return tr(nl="ontbreekt (verplicht)", en="is missing (required)")
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        parent = _model_at(root, loc[:-1]) if root else None
        hint = ""
        if parent is not None:
            close = difflib.get_close_matches(str(key), _keys_of(parent), n=1)
            if close:
                hint = tr(nl=f"; bedoelde je '{close[0]}'?", en=f"; did you mean '{close[0]}'?")
            else:
                hint = tr(
                    nl=f"; toegelaten: {', '.join(_keys_of(parent))}",
                    en=f"; allowed: {', '.join(_keys_of(parent))}",
                )
        return tr(nl=f"onbekende sleutel '{key}'", en=f"unknown key '{key}'") + hint
    shown = _show(value)
    templates: dict[str, tuple[str, str]] = {
        "int_parsing": ("moet een geheel getal zijn", "must be a whole number"),
        "int_type": ("moet een geheel getal zijn", "must be a whole number"),
        "int_from_float": ("moet een geheel getal zijn", "must be a whole number"),
        "float_parsing": ("moet een getal zijn", "must be a number"),
        "float_type": ("moet een getal zijn", "must be a number"),
        "bool_parsing": ("moet true of false zijn", "must be true or false"),
        "bool_type": ("moet true of false zijn", "must be true or false"),
        "string_type": ("moet tekst zijn", "must be text"),
        "date_parsing": ("moet een datum zijn (JJJJ-MM-DD)", "must be a date (YYYY-MM-DD)"),
        "date_from_datetime_parsing": (
            "moet een datum zijn (JJJJ-MM-DD)",
            "must be a date (YYYY-MM-DD)",
        ),
        "date_type": ("moet een datum zijn (JJJJ-MM-DD)", "must be a date (YYYY-MM-DD)"),
        "time_parsing": ("moet een tijd zijn (UU:MM)", "must be a time (HH:MM)"),
        "time_type": ("moet een tijd zijn (UU:MM)", "must be a time (HH:MM)"),
        "list_type": ("moet een lijst zijn", "must be a list"),
        "dict_type": ("moet een object met sleutels zijn", "must be a mapping of keys"),
        "model_type": ("moet een object met sleutels zijn", "must be a mapping of keys"),
        "model_attributes_type": ("moet een object met sleutels zijn", "must be a mapping of keys"),
        "string_pattern_mismatch": (
            "is geen geldige id: gebruik letters, cijfers en _ . - (geen spaties)",
            "is not a valid id: use letters, digits and _ . - (no spaces)",
        ),
    }
    if kind in templates:
        nl, en = templates[kind]
        return f"{tr(nl=nl, en=en)} ({tr(nl='waarde', en='value')}: {shown})"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        word = (
            tr(nl="minstens", en="at least")
            if kind == "greater_than_equal"
            else tr(nl="groter dan", en="greater than")
        )
        return tr(nl=f"moet {word} {bound} zijn", en=f"must be {word} {bound}") + (
            f" ({tr(nl='waarde', en='value')}: {shown})"
        )
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        word = (
            tr(nl="hoogstens", en="at most")
            if kind == "less_than_equal"
            else tr(nl="kleiner dan", en="less than")
        )
        return tr(nl=f"moet {word} {bound} zijn", en=f"must be {word} {bound}") + (
            f" ({tr(nl='waarde', en='value')}: {shown})"
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return tr(nl=f"moet een van {expected} zijn", en=f"must be one of {expected}") + (
            f" ({tr(nl='waarde', en='value')}: {shown})"
        )
    if kind in {"too_short", "string_too_short"}:
        if ctx.get("min_length", 1) <= 1:
            return tr(nl="mag niet leeg zijn", en="must not be empty")
        return tr(
            nl=f"moet minstens {ctx.get('min_length')} elementen hebben",
            en=f"needs at least {ctx.get('min_length')} items",
        )
    if kind in {"too_long", "string_too_long"}:
        return tr(
            nl=f"is te lang (hoogstens {ctx.get('max_length')})",
            en=f"is too long (at most {ctx.get('max_length')})",
        )
    message = str(error.get("msg", ""))
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind in {"value_error", "assertion_error"} or kind in {
        "dangling_reference",
        "duplicate_id",
        "date_outside_year",
        "inconsistent",
    }:
        return message
    return f"{message} ({tr(nl='waarde', en='value')}: {shown})"


def problems_from_validation_error(
    error: ValidationError,
    source: str = "",
    lines: LineMap | None = None,
    root: type[BaseModel] | None = None,
    loc_prefix: Loc = (),
) -> list[Problem]:
    """Turn a pydantic error into problems that name file, line, path and value.

    Alternatives of a union (a week as a date *or* a range) each report an error; only the
    most telling one per path is kept.
    """
    lines = lines or {}
    grouped: dict[Loc, list[Mapping[str, Any]]] = {}
    for e in error.errors():
        grouped.setdefault(_clean_loc(e["loc"]), []).append(e)
    problems: list[Problem] = []
    for loc, errs in grouped.items():
        specific = [
            e
            for e in errs
            if e["type"]
            not in {
                "model_type",
                "dict_type",
                "date_type",
                "date_parsing",
                "date_from_datetime_parsing",
            }
        ]
        chosen = specific or errs
        seen: set[str] = set()
        for e in chosen[:1] if not specific else chosen:
            text = _message(e, root)
            if text in seen:
                continue
            seen.add(text)
            line = None
            for k in range(len(loc), -1, -1):
                if loc[:k] in lines:
                    line = lines[loc[:k]]
                    break
            problems.append(
                Problem(text, path=format_loc((*loc_prefix, *loc)), file=source, line=line)
            )
    return problems


def validate_document(model: type[M], data: Any, source: str, lines: LineMap | None = None) -> M:
    """Validate parsed data against a model, raising :class:`ScenarioError` on problems."""
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    tr(
                        nl="het bestand moet een object met sleutels bevatten (bv. meta:, pupils:)",
                        en="the file must hold a mapping of keys (e.g. meta:, pupils:)",
                    ),
                    file=source,
                )
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation_error(exc, source, lines, model)) from None


def scenario_from_data(
    data: Any, source: str = "", lines: LineMap | None = None, base_dir: Path | None = None
) -> Any:
    """Validate a parsed scenario document, resolving programme references.

    ``programmes`` entries may be a programme written inline or the path of a programme file
    (relative to ``base_dir``, the scenario's folder), so a programme is written once and shared.
    """
    from scheduler.model.scenario import Scenario

    if not isinstance(data, dict):
        return validate_document(Scenario, data, source, lines)
    programmes = data.get("programmes")
    sources: dict[int, str] = {}
    if isinstance(programmes, list):
        resolved: list[Any] = []
        for i, entry in enumerate(programmes):
            if isinstance(entry, str):
                if base_dir is None:
                    raise ScenarioError(
                        [
                            Problem(
                                tr(
                                    nl="een programma moet hier volledig in het scenario staan, "
                                    "niet als bestandsnaam",
                                    en="a programme must be written out here, not as a file name",
                                ),
                                path=format_loc(("programmes", i)),
                                file=source,
                            )
                        ]
                    )
                ref = (base_dir / entry).resolve()
                try:
                    shown = str(Path(source).parent / entry) if source else str(ref)
                    programme = load_programme(ref, shown)
                except ScenarioError as exc:
                    raise ScenarioError(
                        [
                            Problem(
                                tr(
                                    nl=f"programmabestand '{entry}' is niet bruikbaar",
                                    en=f"programme file '{entry}' cannot be used",
                                ),
                                path=format_loc(("programmes", i)),
                                file=source,
                                line=(lines or {}).get(("programmes", i)),
                            ),
                            *exc.problems,
                        ]
                    ) from None
                sources[i] = shown
                resolved.append(
                    programme.model_dump(mode="python", by_alias=True, exclude_unset=True)
                )
            else:
                resolved.append(entry)
        data = {**data, "programmes": resolved}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, source, lines, Scenario)
        # problems inside a referenced programme belong to that programme's file
        fixed = []
        for problem in problems:
            for i, file in sources.items():
                prefix = format_loc(("programmes", i))
                if problem.path == prefix or problem.path.startswith(prefix + "."):
                    rest = problem.path[len(prefix) :].lstrip(".")
                    problem = Problem(problem.message, path=rest, file=file)
            fixed.append(problem)
        raise ScenarioError(fixed) from None


def load_programme(path: str | Path, shown: str | None = None) -> Any:
    """Read and validate a programme file into a :class:`Programme`."""
    from scheduler.model.programme import Programme

    data, lines = read_document(path, shown)
    return validate_document(Programme, data, shown or str(path), lines)


def load_scenario(path: str | Path) -> Any:
    """Read, resolve and validate a scenario file (YAML or JSON) into a :class:`Scenario`."""
    data, lines = read_document(path)
    return scenario_from_data(data, str(path), lines, Path(path).resolve().parent)


def scenario_from_text(text: str, fmt: str = "yaml", source: str = "scenario") -> Any:
    """Validate a scenario given as text (API uploads); programmes must be written inline."""
    data, lines = parse_text(text, source, fmt)
    return scenario_from_data(data, source, lines, None)
