"""Shared fixtures: paths of the bundled examples and loaded scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.files import load_scenario
from scheduler.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EMT = EXAMPLES / "emt-duaal-2026-2027.yaml"
SCENARIO_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _dutch() -> None:
    """Every test starts in the default language (Dutch)."""
    set_language("nl")


@pytest.fixture(scope="session")
def emt():
    """The EMT duaal example scenario."""
    return load_scenario(EMT)
