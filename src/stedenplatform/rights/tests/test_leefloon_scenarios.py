"""Run every leefloon scenario file, exactly and vectorised."""

from pathlib import Path

import pytest

from stedenplatform.rights.engine.scenarios import load_scenarios, run_scenario
from stedenplatform.rights.leefloon import get_system

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
SCENARIOS = [
    s for path in sorted(SCENARIO_DIR.glob("*.yaml")) for s in load_scenarios(path)
]


def test_scenario_files_hold_at_least_the_worked_cases():
    assert len(SCENARIOS) >= 50
    names = " ".join(s.name for s in SCENARIOS)
    assert "25.000 euro spaargeld" in names
    assert "589,05" in names


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.source for s in SCENARIOS])
def test_scenario(scenario):
    assert run_scenario(get_system(), scenario) == [], scenario.name
