"""Examples shown in the OpenAPI documentation (``/docs``) for every request body.

``SCENARIO_YAML`` is a complete, small scenario (one class of two pupils, two modules, one
company, one training centre); the tests upload it, so the documented example always works.
"""

from __future__ import annotations

from typing import Any

import yaml

SCENARIO_YAML = """\
meta:
  name: voorbeeld-2026-2027
  description: Een klein voorbeeld met twee leerlingen, één bedrijf en één opleidingscentrum.
school_year: 2026-2027
programmes:
  - id: emt-duaal
    name: Elektromechanische technieken duaal
    ordinary_week: {school: 15.2, workplace: 22.8}
    years:
      - year: 1
        contract: oao
        modules:
          - id: j1-veiligheid
            name: Algemene veiligheid
            phases:
              - {kind: theory, weeks: 1, hours: {school: 32}}
              - {kind: simulated, weeks: 1, hours: {centre: 32}}
              - {kind: company, weeks: 1..2, hours: {workplace: 38}}
          - id: j1-elmech
            name: Elektriciteit/Mechanica
            phases:
              - {kind: theory, weeks: 2..3, hours: {school: 32}}
              - {kind: simulated, weeks: 2, hours: {centre: 32}}
              - {kind: company, weeks: 2..4, hours: {workplace: 38}}
        experience: {weeks: 4, hours: {workplace: 38}}
schools:
  - id: vti-scheldeland
    name: VTI Scheldeland
    classes: [{id: 5emt, programme: emt-duaal, year: 1}]
centres:
  - {id: anttec-gent, name: Anttec Gent, seats: 2, modules: [j1-veiligheid, j1-elmech]}
companies:
  - id: jansens
    name: Jansens Elektro NV
    capacity: 2
    mentors: [{id: jansens-an, name: An Peeters, max_pupils: 2}]
pupils:
  - {id: L01, first_name: Lotte, last_name: Vermeulen, class: 5emt, company: jansens,
     mentor: jansens-an}
  - {id: L02, first_name: Milan, last_name: Peeters, class: 5emt, company: jansens,
     mentor: jansens-an}
"""

SCENARIO_JSON: dict[str, Any] = yaml.safe_load(SCENARIO_YAML)

SOLVE_EXAMPLES: dict[str, dict[str, Any]] = {
    "default": {"summary": "Defaults (time limit from the settings)", "value": {}},
    "quick": {
        "summary": "A short solve with other weights",
        "value": {"time_limit": 30, "seed": 1, "weights": {"waiting": 20, "away_from_home": 3}},
    },
}

FEED_EXAMPLES: dict[str, dict[str, Any]] = {
    "company": {"summary": "A company's calendar", "value": {"subscriber": "company:jansens"}},
    "mentor": {
        "summary": "A mentor's calendar, in English",
        "value": {"subscriber": "mentor:jansens-an", "lang": "en"},
    },
    "pupil": {"summary": "A pupil's own calendar", "value": {"subscriber": "pupil:L01"}},
}

SCENARIO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A scenario as JSON, or as YAML with `Content-Type: application/yaml`. "
        "Programmes must be written out inline (no programme file names).",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Scenario"},
                "examples": {"small": {"summary": "Two pupils", "value": SCENARIO_JSON}},
            },
            "application/yaml": {
                "schema": {"type": "string"},
                "examples": {"small": {"summary": "Two pupils", "value": SCENARIO_YAML}},
            },
        },
    }
}
"""The ``openapi_extra`` of ``POST /scenarios``: the body is read by hand (JSON or YAML)."""
