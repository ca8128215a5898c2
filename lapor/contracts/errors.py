"""Refusals: a command that the input, the actor's rights or the state of what
it acts on do not allow. A service's domain raises them; its RPC entrypoint
answers `exc.answer()`, `{"error": {"status", "errors"}}`, which the gateway
returns as the HTTP status with `{"errors": {field: [message, ...]}}`.

Plain Python, so that every domain may raise them.

>>> Conflict({"status": ["Cannot accept a case that is closed."]}).answer()
{'error': {'status': 409, 'errors': {'status': ['Cannot accept a case that is closed.']}}}
>>> NotFound("No standard x.", field="standard_id").errors
{'standard_id': ['No standard x.']}
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal with an HTTP-like status and messages by field. Given one
    message, it is about `field` (by default, the class's)."""

    status = 400
    field = "status"  # what a message given alone is about: the state refused it

    def __init__(self, errors: dict[str, Any] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = {field or self.field: [errors]}
        super().__init__(errors)
        self.errors = errors

    def answer(self) -> dict[str, Any]:
        """The RPC answer of a refused command."""
        return {"error": {"status": self.status, "errors": self.errors}}


class Invalid(DomainError):
    status = 400


class Forbidden(DomainError):
    status = 403
    field = "authorization"


class NotFound(DomainError):
    status = 404
    field = "id"


class Conflict(DomainError):
    status = 409
