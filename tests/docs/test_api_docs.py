"""The API documents stay true: docs/openapi.yaml and docs/asyncapi.yaml are what
their generators make from the code today, they are valid documents, and what
the code really answers or publishes fits the schemas they state."""

from __future__ import annotations

import copy
import importlib.util
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from lapor.contracts import all_contracts
from lapor.envelope import to_wire
from lapor.eventstore import RecordedEvent

DOCS = Path(__file__).resolve().parents[2] / "docs"
ASYNCAPI_SCHEMA = DOCS / "schemas" / "asyncapi-3.0.0.json"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"lapor_docs_{name}", DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def openapi_gen() -> ModuleType:
    return _load("generate_openapi")


@pytest.fixture(scope="module")
def asyncapi_gen() -> ModuleType:
    return _load("generate_asyncapi")


@pytest.fixture(scope="module")
def openapi() -> dict:
    return yaml.safe_load((DOCS / "openapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def asyncapi() -> dict:
    return yaml.safe_load((DOCS / "asyncapi.yaml").read_text(encoding="utf-8"))


def _validator(document: dict, pointer: str, cls=jsonschema.Draft202012Validator):
    """A validator for the schema at `pointer` of a document, its $refs resolved in it."""
    return cls(dict(document, **{"$ref": pointer}))


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("name", ["openapi", "asyncapi"])
def test_every_reference_resolves(name, request):
    # neither validator follows $ref: a dangling one would pass them
    document = request.getfixturevalue(name)
    refs = _refs(document)
    assert refs
    for ref in refs:
        try:
            _resolve(document, ref)
        except KeyError:
            pytest.fail(f"{name}: {ref} points nowhere")


# -- OpenAPI -------------------------------------------------------------------


def test_openapi_is_what_the_code_generates(openapi_gen):
    committed = (DOCS / "openapi.yaml").read_text(encoding="utf-8")
    assert openapi_gen.render() == committed, "run: .venv/bin/python docs/generate_openapi.py"


def test_openapi_is_a_valid_openapi_3_1_document(openapi):
    assert openapi["openapi"] == "3.1.0"
    validate_openapi(openapi)


def test_the_openapi_validator_rejects_a_broken_document(openapi):
    broken = copy.deepcopy(openapi)
    broken["paths"]["/api/v1/reports"]["post"]["parameters"][0]["in"] = "body"  # OpenAPI 2
    with pytest.raises(OpenAPIValidationError):
        validate_openapi(broken)


def _a_web_page(service: type, name: str) -> bool:
    """Defined by a class of services/gateway/web: an HTML page (docs/web.md), no API."""
    owner = next(cls for cls in service.__mro__ if name in vars(cls))
    return owner.__module__.startswith("services.gateway.web")


def test_openapi_documents_every_route_of_the_gateway(openapi):
    import inspect
    import re

    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
    from nameko.web.handlers import HttpRequestHandler

    from services.gateway.service import GatewayService

    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", entrypoint.url), entrypoint.method.lower())
        for name, method in inspect.getmembers(GatewayService)
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ())
        if isinstance(entrypoint, HttpRequestHandler) and not _a_web_page(GatewayService, name)
    }
    documented = {(path, method) for path, ops in openapi["paths"].items() for method in ops}
    assert documented == served
    assert ("/lapor", "get") not in served  # a page
    assert ("/api/v1/reports/{tracking_id}", "get") in served


def test_the_documented_tracking_id_is_the_one_intake_mints():
    from services.gateway.schemas import TRACKING_ID
    from services.intake import domain

    assert TRACKING_ID == domain.TRACKING_ID.pattern
    validator = jsonschema.Draft202012Validator({"type": "string", "pattern": TRACKING_ID})
    assert validator.is_valid(domain.new_tracking_id())


def test_intakes_answers_fit_the_accepted_schema(openapi):
    from services.intake.handlers import Accepted

    accepted = _validator(openapi, "#/components/schemas/Accepted")
    accepted.validate(Accepted("LAP-7K3M9QXT2B", None, duplicate=False).as_dict())
    accepted.validate(Accepted("LAP-7K3M9QXT2B", "00418265", duplicate=True).as_dict())
    assert not accepted.is_valid({"tracking_id": "LAP-7K3M9QXT2B"})


def test_intakes_field_errors_fit_the_errors_schema(openapi):
    from marshmallow import ValidationError

    from services.intake.schemas import SubmissionSchema

    with pytest.raises(ValidationError) as caught:
        SubmissionSchema(lambda code: True).load(
            {"title": "x", "reporter": {"phone": "not a phone"}, "extra": 1}
        )
    errors = _validator(openapi, "#/components/schemas/Errors")
    errors.validate({"errors": caught.value.messages})
    assert not errors.is_valid({"errors": {"title": "not a list"}})


def test_trackings_public_report_fits_the_report_view_schema(openapi):
    from services.tracking import domain, views
    from services.tracking.tests.factory import lifecycle, new_tracking_id, recorded

    schema = _validator(openapi, "#/components/schemas/ReportView")
    feed = _validator(openapi, "#/components/schemas/Feed")
    tid = new_tracking_id()
    at = datetime(2027, 1, 1, tzinfo=UTC)
    for steps in (1, 2, 7, 12):  # submitted, routed, responded, closed
        for confidential in (False, True):
            events = recorded(tid, lifecycle(tid, confidential)[:steps])
            state, timeline = domain.fold(tid, events)
            view = views.public_report({**state, "owner_tier": "city"}, timeline, at)
            schema.validate(json.loads(json.dumps(view)))
            item = views.case_summary({**state, "owner_tier": None}, at)
            feed.validate({"items": [item], "total": 1, "page": 1, "per_page": 20})


def test_sipps_agencies_fit_the_agencies_schema(openapi):
    from services.sipp.adapters.read_model import COLUMNS

    agency = dict(
        zip(
            COLUMNS,
            ("pemkot-3273", "Pemerintah Kota Bandung", "city", "32.73", "pemprov-32", None),
            strict=True,
        )
    )
    schema = _validator(openapi, "#/components/schemas/Agencies")
    schema.validate({"agencies": [agency], "limit": 100, "offset": 0})
    assert not schema.is_valid(
        {"agencies": [dict(agency, kind="village")], "limit": 1, "offset": 0}
    )


# -- AsyncAPI ------------------------------------------------------------------


def test_asyncapi_is_what_the_code_generates(asyncapi_gen):
    committed = (DOCS / "asyncapi.yaml").read_text(encoding="utf-8")
    assert asyncapi_gen.render() == committed, "run: .venv/bin/python docs/generate_asyncapi.py"


def test_asyncapi_is_a_valid_asyncapi_3_document(asyncapi):
    schema = json.loads(ASYNCAPI_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(asyncapi)
    broken = copy.deepcopy(asyncapi)
    broken["operations"]["routing.assign"]["action"] = "consume"
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)


def test_every_contract_has_a_message_and_a_channel(asyncapi, asyncapi_gen):
    messages = {m["name"] for m in asyncapi["components"]["messages"].values()}
    assert messages == {c.name for c in all_contracts()}
    addresses = {c["address"] for c in asyncapi["channels"].values()}
    assert {"report.submitted", "report.routed.{agency_code}", "agency.registered"} <= addresses


def test_what_the_relay_publishes_fits_each_message_schema(asyncapi, asyncapi_gen):
    for contract in all_contracts():
        message = asyncapi["components"]["messages"][asyncapi_gen.camel(contract.name)]
        payload = _validator(asyncapi, message["payload"]["$ref"], jsonschema.Draft7Validator)
        data = contract.validate(asyncapi_gen.EXAMPLE_DATA[contract.name])
        event = RecordedEvent(
            event_id=uuid.uuid4(),
            stream=asyncapi_gen.STREAMS[contract.name.split(".")[0]]("x"),
            version=3,
            position=77,
            type=contract.name,
            schema_version=contract.version,
            data=data,
            recorded_at=datetime.now(UTC),
            source="/lapor/test",
            correlation_id=None,
            causation_id=None,
            prev_hash="0" * 64,
            hash="ab" * 32,
        )
        payload.validate(json.loads(to_wire(event)))
        wrong = json.loads(to_wire(event))
        wrong["data"]["unexpected"] = True
        assert not payload.is_valid(wrong), contract.name


# -- operations.md ---------------------------------------------------------------


def test_operations_md_names_every_metric_with_its_labels():
    import re

    from prometheus_client.metrics import MetricWrapperBase

    import lapor.metrics

    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(lapor_\w+)` \|.*$", text, re.M)}
    defined = {}
    for metric in vars(lapor.metrics).values():
        if isinstance(metric, MetricWrapperBase):
            name = metric._name + ("_total" if metric._type == "counter" else "")
            defined[name] = metric._labelnames
    assert set(rows) == set(defined), "docs/operations.md: the metrics table"
    for name, labels in defined.items():
        cells = rows[name].split("|")
        documented = set(re.findall(r"`(\w+)`", cells[3]))
        assert documented == set(labels), name


# -- glossary.md -----------------------------------------------------------------


def test_glossary_explains_every_status_category_and_unit_type():
    import csv

    from lapor.contracts.report import CATEGORIES
    from services.tracking.domain import STATUS_LABELS

    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    for status, label in STATUS_LABELS.items():
        assert f"| `{status}` | {label['id']} |" in text, status
    for code in CATEGORIES:
        assert f"| `{code}` |" in text, code
    units = DOCS.parent / "services" / "sipp" / "data" / "unit_types.csv"
    with open(units, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            assert f"| `{row['unit_type']}` | {row['name']} |" in text, row["unit_type"]


def test_operations_md_names_the_worker_metrics_with_their_labels():
    import re

    from lapor.nameko.metrics import worker_metrics

    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    for metric in worker_metrics("docsprobe"):
        name = metric._name + ("_total" if metric._type == "counter" else "")
        row = re.search(rf"^\| `{re.escape(name.replace('docsprobe', '<service>'))}` \|.*$",
                        text, re.M)  # fmt: skip
        assert row, name
        assert set(re.findall(r"`(\w+)`", row.group(0).split("|")[3])) == set(metric._labelnames)


def test_operations_md_explains_every_consumer_outcome():
    import re

    from lapor.metrics import CONSUMER_EVENTS

    outcomes = re.search(r"by outcome \(([^)]*)\)", CONSUMER_EVENTS._documentation).group(1)
    text = (DOCS / "operations.md").read_text(encoding="utf-8")
    row = re.search(r"^\| `lapor_consumer_events_total` \|.*$", text, re.M).group(0)
    for outcome in outcomes.split(", "):
        assert f"`{outcome}`" in row.split("|")[5], outcome
