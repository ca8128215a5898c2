"""Every event type, declared once: name, version, marshmallow schema, upcasters.

A contract validates the data of its current version and upcasts older
versions step by step, so that a consumer only ever sees the current shape.

Beside the events, what services agree on that is no event: `errors` (the
refusals every domain raises and every RPC answers alike) and `kpis` (the
KPI query of tracking's `kpis` RPC).

>>> from lapor.contracts import contract_for
>>> contract = contract_for("report.routed")
>>> contract.routing_key({"agency_code": "pemda-3273-disdukcapil", ...})
'report.routed.pemda-3273-disdukcapil'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import marshmallow as ma


class InvalidEvent(Exception):
    """An event that must not be applied: unknown type, unknown version or bad data."""


@dataclass(frozen=True)
class Contract:
    name: str
    version: int
    schema: type[ma.Schema]
    # upcasters[v] turns data of version v into data of version v + 1
    upcasters: dict[int, Callable[[dict], dict]] = field(default_factory=dict)
    # the data field naming the agency the event concerns (and, from then on, its
    # stream): its value ends the routing key of this and the stream's later events
    agency_field: str | None = None

    def routing_key(self, data: dict[str, Any]) -> str:
        if self.agency_field is None:
            return self.name
        return f"{self.name}.{data[self.agency_field]}"

    @cached_property
    def _schema(self) -> ma.Schema:
        return self.schema()  # one instance: building a Schema costs more than using it

    @property
    def binding_key(self) -> str:
        """The topic pattern that matches every routing key of this event type:
        `<type>` alone and `<type>.<agency>` (any event of a stream an agency
        owns carries its code, see `lapor.eventstore.append`)."""
        return f"{self.name}.#"

    def validate(self, data: Any) -> dict[str, Any]:
        """Data of the current version, checked and normalised to JSON types."""
        if not isinstance(data, dict):
            raise InvalidEvent(f"{self.name}: data must be an object")
        try:
            loaded = self._schema.load(data)
        except ma.ValidationError as exc:
            raise InvalidEvent(f"{self.name} v{self.version}: {exc.messages}") from exc
        dumped = self._schema.dump(loaded)
        if "\\u0000" in json.dumps(dumped):
            raise InvalidEvent(f"{self.name}: text must not contain NUL characters")
        return dumped

    def upcast(self, version: int, data: dict[str, Any]) -> dict[str, Any]:
        """Data of `version` converted to the current version and validated."""
        if version > self.version or version < 1:
            raise InvalidEvent(f"{self.name}: unknown version {version} (current {self.version})")
        for step in range(version, self.version):
            if step not in self.upcasters:
                raise InvalidEvent(f"{self.name}: no upcaster from version {step}")
            data = self.upcasters[step](dict(data))
        return self.validate(data)


_REGISTRY: dict[str, Contract] = {}


def register(contract: Contract) -> Contract:
    if contract.name in _REGISTRY:
        raise ValueError(f"contract {contract.name} declared twice")
    _REGISTRY[contract.name] = contract
    return contract


def contract_for(name: str) -> Contract:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise InvalidEvent(f"unknown event type {name!r}") from None


def all_contracts() -> list[Contract]:
    return list(_REGISTRY.values())


# the modules below register their contracts on import
from lapor.contracts import (  # noqa: E402,F401
    agency,
    case,
    followup,
    inbound,
    notification,
    report,
    standard,
)
